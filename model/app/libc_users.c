/* libc_users.c — user and group databases, interposed for apps.
 *
 * Models: Fuchsia has no users. Its libc still looks: /etc/passwd or
 * /etc/group (not in any namespace: ENOENT), then an nscd daemon over an
 * AF_UNIX socket, which fdio's socket() refuses with EIO when there is no
 * socket provider (capsim has none) — so every lookup fails with EIO.
 * Without these an app's getpwuid() read the HOST's /etc/nsswitch.conf
 * and /etc/passwd (the host's user names in the output) or asked a host
 * directory service.
 *
 *   getpwnam, getpwuid, getgrnam, getgrgid
 *                            NULL, errno EIO
 *   getpwnam_r, getpwuid_r, getgrnam_r, getgrgid_r
 *                            EIO returned, *result NULL
 *   getpwent, getgrent       NULL, errno ENOENT (the file is not there);
 *                            setpwent, endpwent, setgrent, endgrent: nothing
 *   getgrouplist             the one group given: 1 (-1 and *ngroups 1
 *                            when there is no room)
 *   initgroups               -1, EPERM (no host credentials to change)
 *   getspnam, getspent       NULL, errno ENOENT: musl reads /etc/shadow,
 *                            which no namespace has (glibc's read the
 *                            HOST's password hashes); getspnam_r,
 *                            getspent_r: ENOENT returned, *result NULL;
 *                            setspent, endspent: nothing; lckpwdf,
 *                            ulckpwdf: 0 (musl's; glibc's made a host
 *                            lock file)
 *   getlogin                 LOGNAME of the process's environment, or NULL
 *   getlogin_r               that name copied; none: ENXIO; too long: ERANGE
 *   cuserid                  NULL, errno EIO: Fuchsia's asks getpwuid_r for
 *                            the effective uid, which fails as above
 *                            (glibc's, inside libc, read the HOST's users)
 *
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_dl.c.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_world.h"
#include "libc_next.h"

/* A lookup by key returning a pointer: NULL with errno `err` in app code. */
#define USERS_LOOKUP(ret, name, params, args, err)                             \
    LIBC_NEXT_SLOT(name);                                                      \
    ret *name params                                                           \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(ret * (*) params, name) args;                     \
        errno = err;                                                           \
        return NULL;                                                           \
    }

USERS_LOOKUP(struct passwd, getpwnam, (const char *n), (n), EIO)
USERS_LOOKUP(struct passwd, getpwuid, (uid_t u), (u), EIO)
USERS_LOOKUP(struct group, getgrnam, (const char *n), (n), EIO)
USERS_LOOKUP(struct group, getgrgid, (gid_t g), (g), EIO)
USERS_LOOKUP(struct passwd, getpwent, (void), (), ENOENT)
USERS_LOOKUP(struct group, getgrent, (void), (), ENOENT)
USERS_LOOKUP(struct spwd, getspnam, (const char *n), (n), ENOENT)
USERS_LOOKUP(struct spwd, getspent, (void), (), ENOENT)

/* A reentrant lookup: `err` returned and no result in app code. */
#define USERS_LOOKUP_R(type, name, keytype, err)                               \
    LIBC_NEXT_SLOT(name);                                                      \
    int name(keytype key, struct type *out, char *buf, size_t len,             \
             struct type **res)                                                \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(int (*)(keytype, struct type *, char *, size_t,   \
                                     struct type **),                          \
                             name)(key, out, buf, len, res);                   \
        *res = NULL;                                                           \
        return err;                                                            \
    }

USERS_LOOKUP_R(passwd, getpwnam_r, const char *, EIO)
USERS_LOOKUP_R(passwd, getpwuid_r, uid_t, EIO)
USERS_LOOKUP_R(group, getgrnam_r, const char *, EIO)
USERS_LOOKUP_R(group, getgrgid_r, gid_t, EIO)

USERS_LOOKUP_R(spwd, getspnam_r, const char *, ENOENT)

LIBC_NEXT_SLOT(getspent_r);
int getspent_r(struct spwd *out, char *buf, size_t len, struct spwd **res)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(struct spwd *, char *, size_t, struct spwd **), getspent_r)(
            out, buf, len, res);
    *res = NULL;
    return ENOENT;
}

LIBC_ANSWERED(app_world_in_app_code(), int, 0, lckpwdf, (void), ())
LIBC_ANSWERED(app_world_in_app_code(), int, 0, ulckpwdf, (void), ())
LIBC_NEXT_OR_NOTHING(setspent)
LIBC_NEXT_OR_NOTHING(endspent)
LIBC_NEXT_OR_NOTHING(setpwent)
LIBC_NEXT_OR_NOTHING(endpwent)
LIBC_NEXT_OR_NOTHING(setgrent)
LIBC_NEXT_OR_NOTHING(endgrent)

LIBC_NEXT_SLOT(getgrouplist);
int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, gid_t, gid_t *, int *), getgrouplist)(
            user, group, groups, ngroups);
    int room = *ngroups;
    *ngroups = 1;
    if (room < 1)
        return -1;
    groups[0] = group;
    return 1;
}

LIBC_NEXT_SLOT(initgroups);
int initgroups(const char *user, gid_t group)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, gid_t), initgroups)(user, group);
    errno = EPERM;
    return -1;
}

LIBC_NEXT_SLOT(getlogin);
char *getlogin(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(void), getlogin)();
    return getenv("LOGNAME");
}

LIBC_NEXT_SLOT(getlogin_r);
int getlogin_r(char *buf, size_t len)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(char *, size_t), getlogin_r)(buf, len);
    const char *name = getenv("LOGNAME");
    if (!name)
        return ENXIO;
    if (strlen(name) >= len)
        return ERANGE;
    strcpy(buf, name);
    return 0;
}

int __getlogin_r_chk(char *buf, size_t len, size_t buflen)
{
    if (len > buflen)
        abort();
    return getlogin_r(buf, len);
}

LIBC_REFUSED(app_world_in_app_code(), char *, NULL, EIO, cuserid, (char *buf), (buf))
