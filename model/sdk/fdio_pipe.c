/* fdio_pipe.c — pipe(), pipe2() and socketpair(AF_UNIX) as fdio objects
 * over Zircon sockets, the way Fuchsia's fdio builds them.
 *
 * What it models: on Fuchsia there is no pipe object in the kernel. pipe()
 * is a stream socket pair, one end per descriptor (both ends can read and
 * write: fds[0] is not read-only); socketpair(AF_UNIX, SOCK_STREAM) is the
 * same, SOCK_DGRAM a datagram socket pair (message boundaries kept, a short
 * read truncates the message). The descriptor holds its end's handle:
 *
 *   read   zx_socket_read; ZX_ERR_SHOULD_WAIT and blocking: wait for
 *          READABLE | PEER_CLOSED | PEER_WRITE_DISABLED, read again;
 *          PEER_CLOSED or BAD_STATE (peer shut its writing down): 0, EOF
 *   write  zx_socket_write; SHOULD_WAIT and blocking: wait for WRITABLE |
 *          PEER_CLOSED | WRITE_DISABLED, write again; a stream socket takes
 *          what fits (a short count, as on Fuchsia: no loop until all is
 *          written); PEER_CLOSED: EPIPE (Fuchsia has no SIGPIPE)
 *   O_NONBLOCK / MSG_DONTWAIT: SHOULD_WAIT is EAGAIN
 *   shutdown  zx_socket_set_disposition: SHUT_WR disables this end's
 *          writing, SHUT_RD the peer's
 *   close  the handle goes; the peer sees PEER_CLOSED (EOF, then EPIPE)
 *
 * Waiting is zx_object_wait_one with no deadline: the simulated thread
 * blocks in virtual time, nothing spins, and a wait nobody can end is a
 * deadlock the engine reports. poll's mapping (wait_begin / wait_end) is
 * Fuchsia's for sockets: PEER_CLOSED reads as POLLIN | POLLOUT | POLLERR |
 * POLLHUP | POLLRDHUP, WRITE_DISABLED as POLLOUT | POLLHUP,
 * PEER_WRITE_DISABLED as POLLIN | POLLRDHUP.
 *
 * Left out: socket options, addresses (getsockname...), passing
 * descriptors in messages (SCM_RIGHTS). Read next: fdio_poll.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"
#include "libc_pthread_cancel.h"

static ssize_t fdio_pipe_fail(zx_status_t s)
{
    errno = fdio_status_to_errno(s);
    return -1;
}

/* An end over socket h (a stream or a datagram one: the socket knows), or
 * NULL with h closed. */
static FdioObj *fdio_pipe_new_or_close(zx_handle_t h, bool nonblock)
{
    FdioObj *o = fdio_obj_new(FDIO_PIPE);
    if (!o) {
        zx_handle_close(h);
        return NULL;
    }
    o->socket = h;
    o->oflags = O_RDWR | (nonblock ? O_NONBLOCK : 0);
    return o;
}

int fdio_pipe_pair(FdioProcess *fp, uint32_t zx_options, bool nonblock, int fds[2])
{
    zx_handle_t h0, h1;
    zx_status_t s = zx_socket_create(zx_options, &h0, &h1);
    if (s != ZX_OK)
        return (int)fdio_pipe_fail(s);
    FdioObj *a = fdio_pipe_new_or_close(h0, nonblock);
    FdioObj *b = fdio_pipe_new_or_close(h1, nonblock);
    int fa = a && b ? fdio_fd_install(fp, a) : -1;
    int fb = fa >= 0 ? fdio_fd_install(fp, b) : -1;
    if (fb < 0) {
        if (fa >= 0)
            fp->fds[fa] = NULL;
        fdio_obj_release(a);
        fdio_obj_release(b);
        return fdio_libc_fail(a && b ? EMFILE : ENOMEM);
    }
    fds[0] = fa;
    fds[1] = fb;
    return 0;
}

FdioObj *fdio_pipe_from_socket(zx_handle_t h, zx_status_t *status)
{
    FdioObj *o = fdio_pipe_new_or_close(h, false);
    *status = o ? ZX_OK : ZX_ERR_NO_MEMORY;
    return o;
}

static bool fdio_pipe_nonblocking(const FdioObj *o, int flags)
{
    return (o->oflags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

/* What a blocked reader / writer waits for: data or room, or the end. */
#define FDIO_PIPE_READ_WAKE \
    (ZX_SOCKET_READABLE | ZX_SOCKET_PEER_CLOSED | ZX_SOCKET_PEER_WRITE_DISABLED)
#define FDIO_PIPE_WRITE_WAKE \
    (ZX_SOCKET_WRITABLE | ZX_SOCKET_PEER_CLOSED | ZX_SOCKET_WRITE_DISABLED)

/* One read or write, waiting on the socket's signals while it would block. */
static ssize_t fdio_pipe_transfer(FdioObj *o, void *buf, size_t n, int flags, bool write)
{
    uint32_t peek = (flags & MSG_PEEK) ? ZX_SOCKET_PEEK : 0;
    for (;;) {
        size_t done = 0;
        zx_status_t s = write ? zx_socket_write(o->socket, 0, buf, n, &done)
                              : zx_socket_read(o->socket, peek, buf, n, &done);
        if (s == ZX_OK)
            return (ssize_t)done;
        if (!write && (s == ZX_ERR_PEER_CLOSED || s == ZX_ERR_BAD_STATE))
            return 0;   /* end of file: the peer is gone or shut its writing */
        if (s != ZX_ERR_SHOULD_WAIT || fdio_pipe_nonblocking(o, flags))
            return fdio_pipe_fail(s);
        libc_cancel_wait_begin(); /* read and write are cancellation points */
        s = zx_object_wait_one(o->socket, write ? FDIO_PIPE_WRITE_WAKE : FDIO_PIPE_READ_WAKE,
                               ZX_TIME_INFINITE, NULL);
        libc_cancel_wait_end();
        libc_cancel_after(); /* nothing is held here */
        if (s != ZX_OK)
            return fdio_pipe_fail(s);
    }
}

ssize_t fdio_pipe_read(FdioObj *o, void *buf, size_t n, int flags)
{
    return n == 0 ? 0 : fdio_pipe_transfer(o, buf, n, flags, false);
}

ssize_t fdio_pipe_write(FdioObj *o, const void *buf, size_t n, int flags)
{
    return fdio_pipe_transfer(o, (void *)buf, n, flags & ~MSG_PEEK, true);
}

/* The total size of iov (EINVAL for a bad count or an overflow). */
static ssize_t fdio_pipe_iov_total(const struct iovec *iov, int cnt)
{
    if (cnt < 0 || cnt > IOV_MAX || (cnt && !iov))
        return fdio_libc_fail(EINVAL);
    size_t total = 0;
    for (int i = 0; i < cnt; i++) {
        if (iov[i].iov_len > (size_t)SSIZE_MAX - total)
            return fdio_libc_fail(EINVAL);
        total += iov[i].iov_len;
    }
    return (ssize_t)total;
}

ssize_t fdio_pipe_readv(FdioObj *o, const struct iovec *iov, int cnt, int flags)
{
    ssize_t total = fdio_pipe_iov_total(iov, cnt);
    if (total <= 0)
        return total;
    uint8_t *tmp = malloc((size_t)total);
    if (!tmp)
        return fdio_libc_fail(ENOMEM);
    ssize_t r;
    pthread_cleanup_push(free, tmp); /* a cancellation point: freed if it acts */
    r = fdio_pipe_read(o, tmp, (size_t)total, flags);
    pthread_cleanup_pop(0);
    for (ssize_t done = 0, i = 0; r > 0 && done < r; i++) {
        size_t m = iov[i].iov_len < (size_t)(r - done) ? iov[i].iov_len : (size_t)(r - done);
        memcpy(iov[i].iov_base, tmp + done, m);
        done += (ssize_t)m;
    }
    free(tmp);
    return r;
}

ssize_t fdio_pipe_writev(FdioObj *o, const struct iovec *iov, int cnt, int flags)
{
    ssize_t total = fdio_pipe_iov_total(iov, cnt);
    if (total < 0)
        return -1;
    uint8_t *tmp = malloc(total ? (size_t)total : 1);
    if (!tmp)
        return fdio_libc_fail(ENOMEM);
    for (ssize_t done = 0, i = 0; done < total; i++) {
        memcpy(tmp + done, iov[i].iov_base, iov[i].iov_len);
        done += (ssize_t)iov[i].iov_len;
    }
    ssize_t r;
    pthread_cleanup_push(free, tmp); /* a cancellation point: freed if it acts */
    r = fdio_pipe_write(o, tmp, (size_t)total, flags);
    pthread_cleanup_pop(0);
    free(tmp);
    return r;
}

int fdio_pipe_shutdown(FdioObj *o, int how)
{
    uint32_t self = 0, peer = 0;
    switch (how) {
    case SHUT_RD: peer = ZX_SOCKET_DISPOSITION_WRITE_DISABLED; break;
    case SHUT_WR: self = ZX_SOCKET_DISPOSITION_WRITE_DISABLED; break;
    case SHUT_RDWR:
        self = peer = ZX_SOCKET_DISPOSITION_WRITE_DISABLED;
        break;
    default: return fdio_libc_fail(EINVAL);
    }
    zx_status_t s = zx_socket_set_disposition(o->socket, self, peer);
    if (s == ZX_ERR_PEER_CLOSED)
        return fdio_libc_fail(ENOTCONN);
    return s == ZX_OK ? 0 : (int)fdio_pipe_fail(s);
}

zx_signals_t fdio_pipe_wait_begin(const FdioObj *o, short events)
{
    (void)o;
    zx_signals_t sig = ZX_SOCKET_PEER_CLOSED;   /* POLLHUP is always reported */
    if (events & (POLLIN | POLLRDNORM))
        sig |= ZX_SOCKET_READABLE | ZX_SOCKET_PEER_WRITE_DISABLED;
    if (events & (POLLOUT | POLLWRNORM))
        sig |= ZX_SOCKET_WRITABLE | ZX_SOCKET_WRITE_DISABLED;
    if (events & POLLRDHUP)
        sig |= ZX_SOCKET_PEER_WRITE_DISABLED;
    return sig;
}

short fdio_pipe_wait_end(zx_signals_t observed)
{
    short ev = 0;
    if (observed & ZX_SOCKET_READABLE)
        ev |= POLLIN | POLLRDNORM;
    if (observed & ZX_SOCKET_WRITABLE)
        ev |= POLLOUT | POLLWRNORM;
    if (observed & ZX_SOCKET_PEER_CLOSED)
        ev |= POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP | POLLRDHUP;
    if (observed & ZX_SOCKET_WRITE_DISABLED)
        ev |= POLLOUT | POLLWRNORM | POLLHUP;
    if (observed & ZX_SOCKET_PEER_WRITE_DISABLED)
        ev |= POLLIN | POLLRDNORM | POLLRDHUP;
    return ev;
}
