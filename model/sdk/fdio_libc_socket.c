/* fdio_libc_socket.c — libc's pipe and socket calls, for app code.
 *
 * What it models: Fuchsia's answers without a network stack. pipe, pipe2
 * and socketpair(AF_UNIX) make fdio pipe ends over a zx socket pair
 * (fdio_pipe.c); the socket data calls work on those ends and nothing
 * else:
 *
 *   pipe, pipe2            a stream socket pair; pipe2 takes O_NONBLOCK
 *                          and O_CLOEXEC (no exec: it changes nothing),
 *                          other flags EINVAL
 *   socketpair             AF_UNIX (AF_LOCAL) only, else EAFNOSUPPORT;
 *                          SOCK_STREAM or SOCK_DGRAM, | SOCK_NONBLOCK |
 *                          SOCK_CLOEXEC, else ESOCKTNOSUPPORT; protocol 0,
 *                          else EPROTONOSUPPORT
 *   send, sendto, sendmsg  a write; MSG_DONTWAIT, MSG_NOSIGNAL (there is
 *                          no SIGPIPE anyway); other flags EOPNOTSUPP; a
 *                          destination address: EISCONN; control data
 *                          (SCM_RIGHTS...): EOPNOTSUPP
 *   recv, recvfrom,        a read; MSG_DONTWAIT, MSG_PEEK; other flags
 *     recvmsg              EOPNOTSUPP; no address (length 0), no control
 *                          data
 *   shutdown               SHUT_RD / SHUT_WR / SHUT_RDWR as socket
 *                          dispositions; other `how` EINVAL
 *   bind, connect, listen, EOPNOTSUPP on a pipe end (a socket pair is
 *     accept(4),             connected and has no address or option)
 *     getsockname, getpeername, getsockopt, setsockopt
 *
 * On a file, directory or stdio descriptor the socket calls are ENOTSOCK,
 * on no descriptor EBADF. socket() stays refused (fdio_libc_fd.c).
 * Host code (not an app, or a host library on an app thread) gets libc's.
 * Read next: fdio_pipe.c, fdio_poll.c.
 */
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <zircon/types.h>

#include "fdio_internal.h"
#include "libc_next.h"
#include "libc_pthread_cancel.h"

#define FDIO_CALLER __builtin_return_address(0)

/* ---- making pairs ------------------------------------------------------- */
static int fdio_pipe2_app(int fds[2], int flags)
{
    if (!fds)
        return fdio_libc_fail(EFAULT);
    if (flags & ~(O_NONBLOCK | O_CLOEXEC))
        return fdio_libc_fail(EINVAL);
    return fdio_pipe_pair(fdio_libc_proc(), ZX_SOCKET_STREAM, flags & O_NONBLOCK, fds);
}

LIBC_NEXT_SLOT(pipe);
int pipe(int fds[2])
{
    if (!fdio_libc_app_caller(FDIO_CALLER))
        return LIBC_NEXT(int (*)(int *), pipe)(fds);
    return fdio_pipe2_app(fds, 0);
}

LIBC_NEXT_SLOT(pipe2);
int pipe2(int fds[2], int flags)
{
    if (!fdio_libc_app_caller(FDIO_CALLER))
        return LIBC_NEXT(int (*)(int *, int), pipe2)(fds, flags);
    return fdio_pipe2_app(fds, flags);
}

LIBC_NEXT_SLOT(socketpair);
int socketpair(int dom, int type, int proto, int fds[2])
{
    if (!fdio_libc_app_caller(FDIO_CALLER))
        return LIBC_NEXT(int (*)(int, int, int, int *), socketpair)(dom, type, proto, fds);
    if (dom != AF_UNIX)
        return fdio_libc_fail(EAFNOSUPPORT);
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (base != SOCK_STREAM && base != SOCK_DGRAM)
        return fdio_libc_fail(ESOCKTNOSUPPORT);
    if (proto != 0)
        return fdio_libc_fail(EPROTONOSUPPORT);
    if (!fds)
        return fdio_libc_fail(EFAULT);
    return fdio_pipe_pair(fdio_libc_proc(),
                          base == SOCK_DGRAM ? ZX_SOCKET_DATAGRAM : ZX_SOCKET_STREAM,
                          type & SOCK_NONBLOCK, fds);
}

/* ---- data ------------------------------------------------------------------ */
#define FDIO_SEND_FLAGS (MSG_DONTWAIT | MSG_NOSIGNAL)
#define FDIO_RECV_FLAGS (MSG_DONTWAIT | MSG_PEEK)

/* The pipe end behind a socket call's fd: 1 with *o, 0 = libc's, -1. */
static int fdio_socket_end(int fd, int flags, int allowed, FdioObj **o, const void *caller)
{
    switch (fdio_libc_fd_class(fd, o, caller)) {
    case FDIO_FD_HOST: return 0;
    case FDIO_FD_BAD: return -1;
    case FDIO_FD_OBJ:
        if ((*o)->kind == FDIO_PIPE) {
            libc_cancel_point(); /* send and recv are cancellation points */
            return (flags & ~allowed) ? fdio_libc_fail(EOPNOTSUPP) : 1;
        }
        /* fall through */
    default: return fdio_libc_fail(ENOTSOCK);
    }
}

static ssize_t fdio_sendmsg_on(FdioObj *o, const struct msghdr *msg, int flags)
{
    if (!msg)
        return fdio_libc_fail(EFAULT);
    if (msg->msg_name)
        return fdio_libc_fail(EISCONN);
    if (msg->msg_controllen)
        return fdio_libc_fail(EOPNOTSUPP);
    return fdio_pipe_writev(o, msg->msg_iov, (int)msg->msg_iovlen, flags);
}

static ssize_t fdio_recvmsg_on(FdioObj *o, struct msghdr *msg, int flags)
{
    if (!msg)
        return fdio_libc_fail(EFAULT);
    msg->msg_namelen = 0;
    msg->msg_controllen = 0;
    msg->msg_flags = 0;
    return fdio_pipe_readv(o, msg->msg_iov, (int)msg->msg_iovlen, flags);
}

LIBC_NEXT_SLOT(sendmsg);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    FdioObj *o;
    int r = fdio_socket_end(fd, flags, FDIO_SEND_FLAGS, &o, FDIO_CALLER);
    if (r == 0)
        return LIBC_NEXT(ssize_t (*)(int, const struct msghdr *, int), sendmsg)(fd, msg, flags);
    return r < 0 ? -1 : fdio_sendmsg_on(o, msg, flags);
}

LIBC_NEXT_SLOT(recvmsg);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    FdioObj *o;
    int r = fdio_socket_end(fd, flags, FDIO_RECV_FLAGS, &o, FDIO_CALLER);
    if (r == 0)
        return LIBC_NEXT(ssize_t (*)(int, struct msghdr *, int), recvmsg)(fd, msg, flags);
    return r < 0 ? -1 : fdio_recvmsg_on(o, msg, flags);
}

LIBC_NEXT_SLOT(sendto);
LIBC_NEXT_SLOT(recvfrom);
typedef ssize_t (*FdioSendtoFn)(int, const void *, size_t, int, const struct sockaddr *,
                                socklen_t);
typedef ssize_t (*FdioRecvfromFn)(int, void *, size_t, int, struct sockaddr *, socklen_t *);

static ssize_t fdio_sendto_from(int fd, const void *buf, size_t n, int flags,
                                const struct sockaddr *to, socklen_t tolen, const void *caller)
{
    FdioObj *o;
    int r = fdio_socket_end(fd, flags, FDIO_SEND_FLAGS, &o, caller);
    if (r == 0)
        return LIBC_NEXT(FdioSendtoFn, sendto)(fd, buf, n, flags, to, tolen);
    if (r < 0)
        return -1;
    struct iovec iov = {(void *)buf, n};
    struct msghdr msg = {.msg_name = (void *)to, .msg_iov = &iov, .msg_iovlen = 1};
    return fdio_sendmsg_on(o, &msg, flags);
}

static ssize_t fdio_recvfrom_from(int fd, void *buf, size_t n, int flags,
                                  struct sockaddr *from, socklen_t *fromlen, const void *caller)
{
    FdioObj *o;
    int r = fdio_socket_end(fd, flags, FDIO_RECV_FLAGS, &o, caller);
    if (r == 0)
        return LIBC_NEXT(FdioRecvfromFn, recvfrom)(fd, buf, n, flags, from, fromlen);
    if (r < 0)
        return -1;
    struct iovec iov = {buf, n};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t got = fdio_recvmsg_on(o, &msg, flags);
    if (got >= 0 && fromlen)
        *fromlen = 0;
    return got;
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    return fdio_sendto_from(fd, buf, n, flags, to, tolen, FDIO_CALLER);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    return fdio_sendto_from(fd, buf, n, flags, NULL, 0, FDIO_CALLER);
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    return fdio_recvfrom_from(fd, buf, n, flags, from, fromlen, FDIO_CALLER);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    return fdio_recvfrom_from(fd, buf, n, flags, NULL, NULL, FDIO_CALLER);
}

ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
                       struct sockaddr *from, socklen_t *fromlen)
{
    if (n > buflen)
        abort();
    return fdio_recvfrom_from(fd, buf, n, flags, from, fromlen, FDIO_CALLER);
}

ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
    if (n > buflen)
        abort();
    return fdio_recvfrom_from(fd, buf, n, flags, NULL, NULL, FDIO_CALLER);
}

LIBC_NEXT_SLOT(shutdown);
int shutdown(int fd, int how)
{
    FdioObj *o;
    int r = fdio_socket_end(fd, 0, 0, &o, FDIO_CALLER);
    if (r == 0)
        return LIBC_NEXT(int (*)(int, int), shutdown)(fd, how);
    return r < 0 ? -1 : fdio_pipe_shutdown(o, how);
}

/* ---- the rest of the socket API: nothing to do on a pipe end ---------------- */
/* 0: libc's (host code); else the errno for fd. */
static int fdio_socket_unsupported(int fd, const void *caller)
{
    FdioObj *o;
    switch (fdio_libc_fd_class(fd, &o, caller)) {
    case FDIO_FD_HOST: return 0;
    case FDIO_FD_BAD: return EBADF;
    case FDIO_FD_OBJ: return o->kind == FDIO_PIPE ? EOPNOTSUPP : ENOTSOCK;
    default: return ENOTSOCK;
    }
}

#define FDIO_SOCKET_UNSUPPORTED(name, params, args, fd)                      \
    LIBC_NEXT_SLOT(name);                                                    \
    int name params                                                          \
    {                                                                        \
        int err_ = fdio_socket_unsupported(fd, FDIO_CALLER);                 \
        if (!err_)                                                           \
            return LIBC_NEXT(int (*) params, name) args;                     \
        return fdio_libc_fail(err_);                                         \
    }

FDIO_SOCKET_UNSUPPORTED(bind, (int fd, const struct sockaddr *a, socklen_t n), (fd, a, n), fd)
FDIO_SOCKET_UNSUPPORTED(connect, (int fd, const struct sockaddr *a, socklen_t n), (fd, a, n), fd)
FDIO_SOCKET_UNSUPPORTED(listen, (int fd, int backlog), (fd, backlog), fd)
FDIO_SOCKET_UNSUPPORTED(accept, (int fd, struct sockaddr *a, socklen_t *n), (fd, a, n), fd)
FDIO_SOCKET_UNSUPPORTED(accept4, (int fd, struct sockaddr *a, socklen_t *n, int flags),
                        (fd, a, n, flags), fd)
FDIO_SOCKET_UNSUPPORTED(getsockname, (int fd, struct sockaddr *a, socklen_t *n), (fd, a, n), fd)
FDIO_SOCKET_UNSUPPORTED(getpeername, (int fd, struct sockaddr *a, socklen_t *n), (fd, a, n), fd)
FDIO_SOCKET_UNSUPPORTED(getsockopt, (int fd, int level, int opt, void *v, socklen_t *n),
                        (fd, level, opt, v, n), fd)
FDIO_SOCKET_UNSUPPORTED(setsockopt, (int fd, int level, int opt, const void *v, socklen_t n),
                        (fd, level, opt, v, n), fd)
