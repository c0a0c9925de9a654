/* libc_io.c — raw reads and writes on fds 0, 1 and 2 of simulated
 * processes.
 *
 * Models: a simulated process's standard descriptors. Stdio already goes to
 * the process's own FILEs (app_world_io.c); these catch the raw calls:
 * write(1|2, ...) from a thread of a simulated process becomes a chunk of
 * its output (app_output.c), read(0, ...) reads end-of-file (a process has
 * no terminal). libc's read and write themselves are interposed by fdio
 * (model/sdk/fdio_libc.c), which asks these two for its captured stdio
 * objects (what 0-2 hold at the start, and their duplicates: `stream` is
 * which of the three) and for a host library's own 1 and 2 on an app
 * thread; everything else goes to fdio or the real libc.
 *
 * The bytes are copied with sim_safe_copy first, so a bad buffer gives
 * -1/EFAULT as the real call would, not a fault. Calls made from libcapsim
 * itself (the engine's fault reports write(2, ...), sometimes while a fiber
 * is current) are not captured: told apart by the caller's address.
 *
 * Leaves out: writev/pwrite/send on 1 and 2. Read next: app_sdk.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "app_call.h"
#include "app_world.h"

bool app_stdio_write(int fd, const void *buf, size_t n, const void *caller,
                     ssize_t *ret);
bool app_stdio_read(int fd, void *buf, size_t n, ssize_t *ret);

/* Is `caller` (a return address) code of libcapsim itself? */
static bool libc_io_from_capsim(const void *caller)
{
    static void *capsim_base;
    Dl_info di;
    if (app_call_from_gate(caller))
        return false; /* a tail call from app code (app_call.c) */
    if (!capsim_base && dladdr((void *)libc_io_from_capsim, &di))
        capsim_base = di.dli_fbase;
    return caller && dladdr(caller, &di) && di.dli_fbase == capsim_base;
}

bool app_stdio_write(int fd, const void *buf, size_t n, const void *caller,
                     ssize_t *ret)
{
    AppProc *ap = (fd == 1 || fd == 2) && app_world_in_app_code()
                      ? app_world_current_proc() : NULL;
    if (!ap || libc_io_from_capsim(caller))
        return false;
    char stackbuf[512];
    char *copy = n <= sizeof stackbuf ? stackbuf : malloc(n);
    if (!copy) {
        errno = ENOMEM;
        *ret = -1;
        return true;
    }
    bool ok = sim_safe_copy(copy, buf, n);
    if (ok)
        app_output_record(ap, fd, copy, n);
    if (copy != stackbuf)
        free(copy);
    if (!ok)
        errno = EFAULT;
    *ret = ok ? (ssize_t)n : -1;
    return true;
}

bool app_stdio_read(int fd, void *buf, size_t n, ssize_t *ret)
{
    (void)buf, (void)n;
    if (fd != 0 || !app_world_in_app_code())
        return false;
    *ret = 0;
    return true;
}
