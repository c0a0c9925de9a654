/* fdio_libc_tty.c — terminals and pseudo-terminals, for app code.
 *
 * What it models: a Fuchsia process has no terminal unless a service
 * hands it one, and capsim serves none: its fdio answers every terminal
 * request (an ioctl) with ENOTTY, as Fuchsia's fdio does for files, pipes
 * and stdio. glibc's termios calls are ioctls on the HOST descriptor of
 * the same number, past the fdio interposers: an app's tcgetattr(0) read
 * the terminal capsim was started from and its tcsetattr(0, ...) (a
 * password prompt turning echo off, a full-screen program going raw)
 * changed it; posix_openpt opened a host pseudo-terminal. For code of a
 * process using fdio:
 *
 *   tcgetattr, tcsetattr, tcsendbreak,   -1, errno ENOTTY on any descriptor
 *     tcdrain, tcflush, tcflow,          of the process (stdio too), EBADF
 *     tcgetpgrp, tcsetpgrp, tcgetsid,    on any other number
 *     unlockpt, ptsname, login_tty
 *   ptsname_r                            ENOTTY / EBADF returned
 *   grantpt                              0 (musl's, whatever the descriptor)
 *   posix_openpt, getpt, openpty         -1, errno ENOENT: /dev/ptmx is in
 *                                        no namespace (musl's posix_openpt
 *                                        opens it)
 *   getpass                              NULL, errno untouched, nothing
 *                                        printed: Fuchsia's stub (glibc's
 *                                        opened the HOST's /dev/tty, read
 *                                        the password from it and wrote
 *                                        the prompt there)
 *
 * Everyone else (the host) gets libc's. Read next: fdio_poll.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include "fdio_internal.h"
#include "libc_next.h"

/* ENOTTY for a descriptor of the process, EBADF for another number; the
 * class, FDIO_FD_HOST meaning the call is libc's. */
static FdioFdClass fdio_tty_class(int fd, const void *caller, int *err)
{
    FdioObj *o;
    FdioFdClass c = fdio_libc_fd_class(fd, &o, caller);
    *err = c == FDIO_FD_BAD ? EBADF : ENOTTY;
    return c;
}

/* A terminal call on descriptor `fd`: `fail` with errno for app code. */
#define FDIO_TTY_CALL(ret, fail, name, params, args, fd)                       \
    LIBC_NEXT_SLOT(name);                                                      \
    ret name params                                                            \
    {                                                                          \
        int err_;                                                              \
        if (fdio_tty_class((fd), __builtin_return_address(0), &err_) ==        \
            FDIO_FD_HOST)                                                      \
            return LIBC_NEXT(ret (*) params, name) args;                       \
        errno = err_;                                                          \
        return (fail);                                                         \
    }

FDIO_TTY_CALL(int, -1, tcgetattr, (int fd, struct termios *t), (fd, t), fd)
FDIO_TTY_CALL(int, -1, tcsetattr, (int fd, int act, const struct termios *t), (fd, act, t), fd)
FDIO_TTY_CALL(int, -1, tcsendbreak, (int fd, int duration), (fd, duration), fd)
FDIO_TTY_CALL(int, -1, tcdrain, (int fd), (fd), fd)
FDIO_TTY_CALL(int, -1, tcflush, (int fd, int queue), (fd, queue), fd)
FDIO_TTY_CALL(int, -1, tcflow, (int fd, int action), (fd, action), fd)
FDIO_TTY_CALL(pid_t, -1, tcgetpgrp, (int fd), (fd), fd)
FDIO_TTY_CALL(int, -1, tcsetpgrp, (int fd, pid_t group), (fd, group), fd)
FDIO_TTY_CALL(pid_t, -1, tcgetsid, (int fd), (fd), fd)
FDIO_TTY_CALL(int, -1, unlockpt, (int fd), (fd), fd)
FDIO_TTY_CALL(char *, NULL, ptsname, (int fd), (fd), fd)
FDIO_TTY_CALL(int, -1, login_tty, (int fd), (fd), fd)

LIBC_NEXT_SLOT(ptsname_r);
int ptsname_r(int fd, char *buf, size_t len)
{
    int err;
    if (fdio_tty_class(fd, __builtin_return_address(0), &err) == FDIO_FD_HOST)
        return LIBC_NEXT(int (*)(int, char *, size_t), ptsname_r)(fd, buf, len);
    return err;
}

LIBC_NEXT_SLOT(grantpt);
int grantpt(int fd)
{
    if (!fdio_libc_app_caller(__builtin_return_address(0)))
        return LIBC_NEXT(int (*)(int), grantpt)(fd);
    return 0;
}

#define FDIO_TTY_NO_PTMX(name, params, args)                                   \
    LIBC_NEXT_SLOT(name);                                                      \
    int name params                                                            \
    {                                                                          \
        if (!fdio_libc_app_caller(__builtin_return_address(0)))                \
            return LIBC_NEXT(int (*) params, name) args;                       \
        return fdio_libc_fail(ENOENT);                                         \
    }

FDIO_TTY_NO_PTMX(posix_openpt, (int flags), (flags))
FDIO_TTY_NO_PTMX(getpt, (void), ())
FDIO_TTY_NO_PTMX(openpty, (int *amaster, int *aslave, char *name, const struct termios *t,
                           const struct winsize *w),
                 (amaster, aslave, name, t, w))

LIBC_NEXT_SLOT(getpass);
char *getpass(const char *prompt)
{
    if (!fdio_libc_app_caller(__builtin_return_address(0)))
        return LIBC_NEXT(char *(*)(const char *), getpass)(prompt);
    return NULL;
}
