/* libc_absent.c — functions Fuchsia's libc does not have, whose glibc
 * versions answer in a buffer shared by the whole host, refused to apps.
 *
 * Models: a program calling these would not link on Fuchsia. Left to
 * glibc they were one more thing every simulated process shared: qecvt's
 * and qfcvt's static text, crypt's static hash (libcrypt), and
 * crypt_gensalt's random bytes from the HOST's entropy when given none.
 * From app code (app_world_in_app_code()), whatever the arguments:
 *
 *   qecvt, qfcvt             NULL, errno ENOSYS (qecvt_r, qfcvt_r, qgcvt
 *                            write the caller's buffer and stay glibc's)
 *   on_exit                  -1, errno ENOSYS: nothing registered. glibc's
 *                            kept the handler in its one list, run when the
 *                            HOST exits, into a copy long unloaded: the
 *                            simulator crashed at its own exit
 *   crypt, crypt_r, crypt_rn, crypt_ra, crypt_gensalt, crypt_gensalt_rn
 *   (crypt_gensalt_r), crypt_gensalt_ra
 *                            NULL, errno ENOSYS: Fuchsia's libc builds none
 *                            of musl's crypt and has no libcrypt. An app
 *                            reaches these only if it links libcrypt after
 *                            libcapsim (the pkg-config order)
 *
 * Everyone else gets the library's own: libc's, and libcrypt's found after
 * libcapsim or, for a host library that loaded libcrypt for itself
 * (Python's crypt module), that one. Read next: libc_static_buffers.c.
 */
#include <crypt.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

#include "app_world.h"
#include "libc_next.h"

LIBC_REFUSED(app_world_in_app_code(), char *, NULL, ENOSYS, qecvt,
             (long double v, int ndigit, int *decpt, int *sign), (v, ndigit, decpt, sign))
LIBC_REFUSED(app_world_in_app_code(), char *, NULL, ENOSYS, qfcvt,
             (long double v, int ndigit, int *decpt, int *sign), (v, ndigit, decpt, sign))
LIBC_REFUSED(app_world_in_app_code(), int, -1, ENOSYS, on_exit,
             (void (*fn)(int, void *), void *arg), (fn, arg))

/* libcrypt's `name`: the next definition in the global scope, else the
 * libcrypt a host library loaded for itself; NULL if there is none. */
static void *absent_libcrypt(void **slot, const char *name)
{
    void *fn = libc_next_lookup(slot, name);
    void *lib;
    if (!fn && (lib = dlopen("libcrypt.so.1", RTLD_LAZY | RTLD_NOLOAD))) {
        fn = dlsym(lib, name);
        dlclose(lib); /* its loader keeps it */
    }
    return fn;
}

/* A libcrypt function returning a string: NULL/ENOSYS in app code. */
#define ABSENT_CRYPT(name, params, args)                                       \
    LIBC_NEXT_SLOT(name);                                                      \
    char *name params                                                          \
    {                                                                          \
        char *(*fn) params = NULL;                                             \
        if (!app_world_in_app_code())                                          \
            fn = (char *(*) params)absent_libcrypt(&libc_next_##name, #name);  \
        if (!fn) {                                                             \
            errno = ENOSYS;                                                    \
            return NULL;                                                       \
        }                                                                      \
        return fn args;                                                        \
    }

ABSENT_CRYPT(crypt, (const char *phrase, const char *setting), (phrase, setting))
ABSENT_CRYPT(crypt_r, (const char *phrase, const char *setting, struct crypt_data *data),
             (phrase, setting, data))
ABSENT_CRYPT(crypt_rn, (const char *phrase, const char *setting, void *data, int size),
             (phrase, setting, data, size))
ABSENT_CRYPT(crypt_ra, (const char *phrase, const char *setting, void **data, int *size),
             (phrase, setting, data, size))
ABSENT_CRYPT(crypt_gensalt,
             (const char *prefix, unsigned long count, const char *rbytes, int nrbytes),
             (prefix, count, rbytes, nrbytes))
ABSENT_CRYPT(crypt_gensalt_rn,
             (const char *prefix, unsigned long count, const char *rbytes, int nrbytes,
              char *output, int output_size),
             (prefix, count, rbytes, nrbytes, output, output_size))
ABSENT_CRYPT(crypt_gensalt_ra,
             (const char *prefix, unsigned long count, const char *rbytes, int nrbytes),
             (prefix, count, rbytes, nrbytes))
