/* libc_dl.c — loading code by path, refused to apps.
 *
 * Models: a Fuchsia process loads shared libraries through its loader
 * service, from its own package (/pkg/lib), never from the machine's disk.
 * capsim serves no loader: an app's dlopen("libfoo.so") or
 * dlopen("/usr/lib/...") would map a HOST library into the simulator,
 * whose own calls then decide what the run does on that machine.
 *
 *   dlopen(NULL, ...)        libc's: the handle of the whole program (what
 *                            dlsym(RTLD_DEFAULT) already reaches)
 *   dlopen(path, ...), dlmopen
 *                            NULL; the next dlerror() says
 *                            "PATH: apps load code from their package, not
 *                            from the host (capsim has no loader service)"
 *   dlerror                  that message once, then libc's
 *
 * The app loader (app_instance.c) and libcapsim's own lookups call dlopen
 * from engine or host code: libc's, as for everyone but app code
 * (app_world_in_app_code()). The message is the calling thread's, as
 * libc's is (libc_static_buffers.c). Left out: a library the app was linked
 * against (DT_NEEDED) is loaded by ld.so with the app, from the host:
 * link apps against libcapsim and libc only. Read next: libc_host_services.c.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

static void *libc_dl_refuse(const char *path)
{
    LibcThreadBuffers *b = libc_thread_buffers();
    if (!b)
        return NULL;
    snprintf(b->dlerror, sizeof b->dlerror,
             "%s: apps load code from their package, not from the host "
             "(capsim has no loader service)",
             path);
    b->dlerror_pending = true;
    return NULL;
}

LIBC_NEXT_SLOT(dlopen);
void *dlopen(const char *path, int mode)
{
    if (!path || !app_world_in_app_code())
        return LIBC_NEXT(void *(*)(const char *, int), dlopen)(path, mode);
    return libc_dl_refuse(path);
}

LIBC_NEXT_SLOT(dlmopen);
void *dlmopen(Lmid_t lmid, const char *path, int mode)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(void *(*)(Lmid_t, const char *, int), dlmopen)(lmid, path, mode);
    return libc_dl_refuse(path ? path : "(null)");
}

LIBC_NEXT_SLOT(dlerror);

/* Looked up at load, never on the first call: the dlsym that finds libc's
 * dlerror succeeds, and a success clears the error the caller asks about
 * (the loader's message for an app with an unresolved symbol was lost). */
__attribute__((constructor)) static void libc_dl_resolve(void)
{
    (void)LIBC_NEXT(char *(*)(void), dlerror);
}

char *dlerror(void)
{
    LibcThreadBuffers *b = app_world_in_app_code() ? libc_thread_buffers() : NULL;
    if (b && b->dlerror_pending) {
        b->dlerror_pending = false;
        return b->dlerror;
    }
    return LIBC_NEXT(char *(*)(void), dlerror)();
}
