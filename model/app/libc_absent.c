/* libc_absent.c — functions Fuchsia's libc does not have, whose glibc
 * versions answer in a buffer shared by the whole host or reach the host
 * itself, refused to apps.
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
 *   sethostid                -1, errno ENOSYS: glibc's wrote the HOST's
 *                            /etc/hostid (run as root)
 *   fts_open (fts64_open)    NULL, errno ENOSYS: glibc's walked the HOST's
 *                            directories and fchdir'ed the simulator (its
 *                            other fts calls need the FTS it returns)
 *   rcmd, rcmd_af, rresvport, rresvport_af, rexec, rexec_af, ruserok,
 *   ruserok_af, iruserok, iruserok_af
 *                            -1, errno ENOSYS: glibc's read the HOST's
 *                            /etc/hosts, /etc/hosts.equiv, ~/.rhosts and
 *                            ~/.netrc and connected from the host
 *   bindresvport             -1, errno ENOSYS: glibc's bound the HOST
 *                            descriptor of that number
 *   ttyslot                  0, errno ENOSYS: glibc's asked the HOST's
 *                            descriptors 0-2 for a terminal and read
 *                            /etc/ttys
 *   profil                   -1, errno ENOSYS: glibc's armed a SIGPROF
 *                            timer on the host process
 *   fmtmsg                   MM_NOTOK, errno ENOSYS, nothing printed:
 *                            glibc's MM_CONSOLE wrote to the HOST's
 *                            /dev/log through syslog
 *
 * Everyone else gets the library's own: libc's, and libcrypt's found after
 * libcapsim or, for a host library that loaded libcrypt for itself
 * (Python's crypt module), that one. Read next: libc_static_buffers.c.
 */
#include <crypt.h>
#include <dlfcn.h>
#include <errno.h>
#include <fmtmsg.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "app_world.h"
#include "libc_next.h"

LIBC_REFUSED(app_world_in_app_code(), char *, NULL, ENOSYS, qecvt,
             (long double v, int ndigit, int *decpt, int *sign), (v, ndigit, decpt, sign))
LIBC_REFUSED(app_world_in_app_code(), char *, NULL, ENOSYS, qfcvt,
             (long double v, int ndigit, int *decpt, int *sign), (v, ndigit, decpt, sign))
LIBC_REFUSED(app_world_in_app_code(), int, -1, ENOSYS, on_exit,
             (void (*fn)(int, void *), void *arg), (fn, arg))

/* The host's machine, terminals, network and files. */
LIBC_ABSENT(int, -1, sethostid, (long id), (id))
LIBC_ABSENT(int, 0, ttyslot, (void), ())
LIBC_ABSENT(int, -1, profil, (unsigned short *buf, size_t size, size_t offset, unsigned int scale),
            (buf, size, offset, scale))
LIBC_ABSENT(int, MM_NOTOK, fmtmsg,
            (long classification, const char *label, int severity, const char *text,
             const char *action, const char *tag),
            (classification, label, severity, text, action, tag))

/* FTS and FTSENT stay opaque: <fts.h> renames fts_open under
 * _FILE_OFFSET_BITS=64. */
typedef int (*absent_fts_compare)(const void **, const void **);
LIBC_ABSENT(void *, NULL, fts_open, (char *const *paths, int options, absent_fts_compare cmp),
            (paths, options, cmp))
LIBC_ABSENT(void *, NULL, fts64_open, (char *const *paths, int options, absent_fts_compare cmp),
            (paths, options, cmp))

LIBC_ABSENT(int, -1, rcmd,
            (char **host, unsigned short port, const char *luser, const char *ruser,
             const char *cmd, int *fd2),
            (host, port, luser, ruser, cmd, fd2))
LIBC_ABSENT(int, -1, rcmd_af,
            (char **host, unsigned short port, const char *luser, const char *ruser,
             const char *cmd, int *fd2, sa_family_t af),
            (host, port, luser, ruser, cmd, fd2, af))
LIBC_ABSENT(int, -1, rresvport, (int *port), (port))
LIBC_ABSENT(int, -1, bindresvport, (int sd, struct sockaddr_in *sin), (sd, sin))
LIBC_ABSENT(int, -1, rresvport_af, (int *port, sa_family_t af), (port, af))
LIBC_ABSENT(int, -1, rexec,
            (char **host, int port, const char *user, const char *pass, const char *cmd, int *fd2),
            (host, port, user, pass, cmd, fd2))
LIBC_ABSENT(int, -1, rexec_af,
            (char **host, int port, const char *user, const char *pass, const char *cmd, int *fd2,
             sa_family_t af),
            (host, port, user, pass, cmd, fd2, af))
LIBC_ABSENT(int, -1, ruserok,
            (const char *host, int superuser, const char *ruser, const char *luser),
            (host, superuser, ruser, luser))
LIBC_ABSENT(int, -1, ruserok_af,
            (const char *host, int superuser, const char *ruser, const char *luser, sa_family_t af),
            (host, superuser, ruser, luser, af))
LIBC_ABSENT(int, -1, iruserok, (uint32_t addr, int superuser, const char *ruser, const char *luser),
            (addr, superuser, ruser, luser))
LIBC_ABSENT(int, -1, iruserok_af,
            (const void *addr, int superuser, const char *ruser, const char *luser, sa_family_t af),
            (addr, superuser, ruser, luser, af))

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
