/* libc_etc_files.c — the host databases glibc reads that Fuchsia's libc
 * does not have, answered for apps.
 *
 * Models: a Fuchsia program has no /etc of the host; these lookups find
 * nothing (musl's stubs, or musl's reading a file no namespace holds).
 * glibc's read the HOST's files through NSS: /etc/gshadow (group
 * password hashes, run as root), /etc/passwd and /etc/group by the calls
 * libc_users.c did not cover, /etc/fstab, /etc/rpc, /etc/ethers,
 * /etc/aliases, /etc/netgroup, /etc/ttys, the login records under
 * /var/run, and the host's name through the resolver (gethostid).
 *
 *   getsgnam, getsgent             NULL, errno ENOENT (no /etc/gshadow);
 *                                  _r forms: ENOENT returned, *result
 *                                  NULL; setsgent, endsgent: nothing
 *   getpwent_r, getgrent_r         ENOENT returned, *result NULL (as
 *                                  getpwent, libc_users.c)
 *   getpw                          -1, errno EIO (as getpwuid)
 *   getfsent, getfsspec, getfsfile NULL; setfsent 0; endfsent nothing
 *   getrpcent, getrpcbyname,       NULL (_r: ENOENT returned, *result
 *     getrpcbynumber (+_r)         NULL); setrpcent, endrpcent: nothing
 *   ether_hostton, ether_ntohost   -1 (musl's)
 *   getaliasent, getaliasbyname    NULL (_r: ENOENT returned, *result
 *     (+_r)                        NULL); setaliasent, endaliasent: nothing
 *   innetgr, setnetgrent,          0: no netgroup holds anything;
 *     getnetgrent (+_r)            endnetgrent: nothing
 *   getttyent, getttynam           NULL; setttyent, endttyent 0
 *   getutent, getutid, getutline,  NULL (musl's stubs: no login records);
 *     pututline and the utmpx      the _r forms -1, *result NULL;
 *     forms                        setutent, endutent, updwtmp, logwtmp,
 *                                  login: nothing; utmpname -1, ENOTSUP;
 *                                  logout 0
 *   gethostid                      0 (musl's)
 *   getusershell                   musl's list for a missing /etc/shells:
 *                                  "/bin/sh", "/bin/csh", then NULL, the
 *                                  place the process's own; setusershell,
 *                                  endusershell start over (glibc's read
 *                                  the host's /etc/shells)
 *
 * Everyone else (the host) gets libc's own. Read next: libc_dl.c.
 */
#include <aliases.h>
#include <errno.h>
#include <fstab.h>
#include <gshadow.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <pwd.h>
#include <rpc/netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <ttyent.h>
#include <unistd.h>
#include <utmp.h>
#include <utmpx.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

#define IN_APP app_world_in_app_code()

/* A lookup answering NULL in app code, errno untouched. */
#define ETC_NONE(ret, name, params, args) LIBC_ANSWERED(IN_APP, ret *, NULL, name, params, args)

/* A reentrant lookup whose last parameter is the result: `err` returned
 * and *res NULL in app code. */
#define ETC_NONE_R(type, name, params, args, res, err)                         \
    LIBC_NEXT_SLOT(name);                                                      \
    int name params                                                            \
    {                                                                          \
        if (!IN_APP)                                                           \
            return LIBC_NEXT(int (*) params, name) args;                       \
        *(res) = NULL;                                                         \
        return err;                                                            \
    }

LIBC_REFUSED(IN_APP, struct sgrp *, NULL, ENOENT, getsgnam, (const char *n), (n))
LIBC_REFUSED(IN_APP, struct sgrp *, NULL, ENOENT, getsgent, (void), ())
ETC_NONE_R(struct sgrp, getsgnam_r,
           (const char *n, struct sgrp *o, char *b, size_t l, struct sgrp **r),
           (n, o, b, l, r), r, ENOENT)
ETC_NONE_R(struct sgrp, getsgent_r, (struct sgrp *o, char *b, size_t l, struct sgrp **r),
           (o, b, l, r), r, ENOENT)
LIBC_NEXT_OR_NOTHING(setsgent)
LIBC_NEXT_OR_NOTHING(endsgent)

ETC_NONE_R(struct passwd, getpwent_r,
           (struct passwd *o, char *b, size_t l, struct passwd **r), (o, b, l, r), r, ENOENT)
ETC_NONE_R(struct group, getgrent_r, (struct group *o, char *b, size_t l, struct group **r),
           (o, b, l, r), r, ENOENT)
LIBC_REFUSED(IN_APP, int, -1, EIO, getpw, (uid_t uid, char *buf), (uid, buf))

ETC_NONE(struct fstab, getfsent, (void), ())
ETC_NONE(struct fstab, getfsspec, (const char *s), (s))
ETC_NONE(struct fstab, getfsfile, (const char *f), (f))
LIBC_ANSWERED(IN_APP, int, 0, setfsent, (void), ())
LIBC_NEXT_OR_NOTHING(endfsent)

ETC_NONE(struct rpcent, getrpcent, (void), ())
ETC_NONE(struct rpcent, getrpcbyname, (const char *n), (n))
ETC_NONE(struct rpcent, getrpcbynumber, (int n), (n))
ETC_NONE_R(struct rpcent, getrpcent_r, (struct rpcent *o, char *b, size_t l, struct rpcent **r),
           (o, b, l, r), r, ENOENT)
ETC_NONE_R(struct rpcent, getrpcbyname_r,
           (const char *n, struct rpcent *o, char *b, size_t l, struct rpcent **r),
           (n, o, b, l, r), r, ENOENT)
ETC_NONE_R(struct rpcent, getrpcbynumber_r,
           (int n, struct rpcent *o, char *b, size_t l, struct rpcent **r), (n, o, b, l, r), r,
           ENOENT)
LIBC_NEXT_SLOT(setrpcent);
void setrpcent(int stay)
{
    if (!IN_APP)
        LIBC_NEXT(void (*)(int), setrpcent)(stay);
}
LIBC_NEXT_OR_NOTHING(endrpcent)

LIBC_ANSWERED(IN_APP, int, -1, ether_hostton, (const char *h, struct ether_addr *a), (h, a))
LIBC_ANSWERED(IN_APP, int, -1, ether_ntohost, (char *h, const struct ether_addr *a), (h, a))

ETC_NONE(struct aliasent, getaliasent, (void), ())
ETC_NONE(struct aliasent, getaliasbyname, (const char *n), (n))
ETC_NONE_R(struct aliasent, getaliasent_r,
           (struct aliasent *o, char *b, size_t l, struct aliasent **r), (o, b, l, r), r, ENOENT)
ETC_NONE_R(struct aliasent, getaliasbyname_r,
           (const char *n, struct aliasent *o, char *b, size_t l, struct aliasent **r),
           (n, o, b, l, r), r, ENOENT)
LIBC_NEXT_OR_NOTHING(setaliasent)
LIBC_NEXT_OR_NOTHING(endaliasent)

LIBC_ANSWERED(IN_APP, int, 0, innetgr,
              (const char *g, const char *h, const char *u, const char *d), (g, h, u, d))
LIBC_ANSWERED(IN_APP, int, 0, setnetgrent, (const char *g), (g))
LIBC_ANSWERED(IN_APP, int, 0, getnetgrent, (char **h, char **u, char **d), (h, u, d))
LIBC_ANSWERED(IN_APP, int, 0, getnetgrent_r, (char **h, char **u, char **d, char *b, size_t l),
              (h, u, d, b, l))
LIBC_NEXT_OR_NOTHING(endnetgrent)

ETC_NONE(struct ttyent, getttyent, (void), ())
ETC_NONE(struct ttyent, getttynam, (const char *n), (n))
LIBC_ANSWERED(IN_APP, int, 0, setttyent, (void), ())
LIBC_ANSWERED(IN_APP, int, 0, endttyent, (void), ())

ETC_NONE(struct utmp, getutent, (void), ())
ETC_NONE(struct utmp, getutid, (const struct utmp *u), (u))
ETC_NONE(struct utmp, getutline, (const struct utmp *u), (u))
ETC_NONE(struct utmp, pututline, (const struct utmp *u), (u))
ETC_NONE(struct utmpx, getutxent, (void), ())
ETC_NONE(struct utmpx, getutxid, (const struct utmpx *u), (u))
ETC_NONE(struct utmpx, getutxline, (const struct utmpx *u), (u))
ETC_NONE(struct utmpx, pututxline, (const struct utmpx *u), (u))
LIBC_NEXT_SLOT(getutent_r);
int getutent_r(struct utmp *buf, struct utmp **res)
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(struct utmp *, struct utmp **), getutent_r)(buf, res);
    *res = NULL;
    return -1;
}
/* getutid_r, getutline_r: -1 and no record in app code. */
#define ETC_UT_R(name)                                                         \
    LIBC_NEXT_SLOT(name);                                                      \
    int name(const struct utmp *key, struct utmp *buf, struct utmp **res)      \
    {                                                                          \
        if (!IN_APP)                                                           \
            return LIBC_NEXT(int (*)(const struct utmp *, struct utmp *,       \
                                     struct utmp **),                          \
                             name)(key, buf, res);                             \
        *res = NULL;                                                           \
        return -1;                                                             \
    }
ETC_UT_R(getutid_r)
ETC_UT_R(getutline_r)
LIBC_NEXT_OR_NOTHING(setutent)
LIBC_NEXT_OR_NOTHING(endutent)
LIBC_NEXT_OR_NOTHING(setutxent)
LIBC_NEXT_OR_NOTHING(endutxent)
LIBC_REFUSED(IN_APP, int, -1, ENOTSUP, utmpname, (const char *f), (f))
LIBC_REFUSED(IN_APP, int, -1, ENOTSUP, utmpxname, (const char *f), (f))
LIBC_NEXT_SLOT(updwtmp);
void updwtmp(const char *f, const struct utmp *u)
{
    if (!IN_APP)
        LIBC_NEXT(void (*)(const char *, const struct utmp *), updwtmp)(f, u);
}
LIBC_NEXT_SLOT(updwtmpx);
void updwtmpx(const char *f, const struct utmpx *u)
{
    if (!IN_APP)
        LIBC_NEXT(void (*)(const char *, const struct utmpx *), updwtmpx)(f, u);
}
LIBC_NEXT_SLOT(login);
void login(const struct utmp *u)
{
    if (!IN_APP)
        LIBC_NEXT(void (*)(const struct utmp *), login)(u);
}
LIBC_ANSWERED(IN_APP, int, 0, logout, (const char *line), (line))
LIBC_NEXT_SLOT(logwtmp);
void logwtmp(const char *line, const char *name, const char *host)
{
    if (!IN_APP)
        LIBC_NEXT(void (*)(const char *, const char *, const char *), logwtmp)(line, name, host);
}

LIBC_ANSWERED(IN_APP, long, 0, gethostid, (void), ())

/* The shells musl lists when /etc/shells cannot be opened. */
static const char *const etc_default_shells[] = {"/bin/sh", "/bin/csh"};

LIBC_NEXT_SLOT(getusershell);
char *getusershell(void)
{
    if (!IN_APP)
        return LIBC_NEXT(char *(*)(void), getusershell)();
    LibcProcBuffers *b = libc_proc_buffers();
    size_t n = sizeof etc_default_shells / sizeof etc_default_shells[0];
    if (!b || b->usershell_next >= n)
        return NULL;
    snprintf(b->usershell, sizeof b->usershell, "%s", etc_default_shells[b->usershell_next++]);
    return b->usershell;
}

/* setusershell and endusershell: back to the first shell. */
#define ETC_USERSHELL_RESTART(name)                                            \
    LIBC_NEXT_SLOT(name);                                                      \
    void name(void)                                                            \
    {                                                                          \
        if (!IN_APP) {                                                         \
            LIBC_NEXT(void (*)(void), name)();                                 \
            return;                                                            \
        }                                                                      \
        LibcProcBuffers *b = libc_proc_buffers();                              \
        if (b)                                                                 \
            b->usershell_next = 0;                                             \
    }
ETC_USERSHELL_RESTART(setusershell)
ETC_USERSHELL_RESTART(endusershell)
