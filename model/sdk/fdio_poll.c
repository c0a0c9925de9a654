/* fdio_poll.c — poll, ppoll, select and pselect for app code, as Fuchsia's
 * fdio does them: one zx_object_wait_many over the descriptors' handles.
 *
 * What it models: each descriptor says what it is ready for, or which
 * signals of which handle would say so (Fuchsia's wait_begin/wait_end):
 *   pipe / socket pair end   its socket's signals (fdio_pipe.c's mapping)
 *   file, directory          always readable and writable (POLLIN|POLLOUT)
 *   stdio 0 / 1, 2           stdin always readable (it reads end-of-file),
 *                            stdout and stderr always writable
 *   no descriptor            poll: POLLNVAL in revents, the call goes on;
 *                            select: EBADF, nothing waited (POSIX, earlier
 *                            fdio; later fdio versions say EINVAL)
 *   negative fd (poll)       ignored, revents 0 (POSIX)
 * The handles go to ONE zx_object_wait_many with the timeout as a virtual
 * deadline (0 = look and return, negative / NULL = no deadline); the
 * observed signals become revents, masked by events | POLLHUP | POLLERR |
 * POLLNVAL, and the count of entries with revents is returned. When some
 * entry is ready without waiting, the wait only looks (deadline 0) — where
 * Fuchsia's fdio would still sleep the full timeout on the others. With
 * nothing to wait on the call sleeps (zx_nanosleep) to the deadline: poll
 * (NULL, 0, ms) is a sleep, as on Fuchsia.
 *
 * Errors, Fuchsia's: nfds > 1024 (FDIO_MAX_FD) EINVAL; select n < 0 or >
 * FD_SETSIZE EINVAL; a negative or malformed timeout EINVAL; a signal mask
 * (ppoll, pselect) ENOSYS — Fuchsia has no signals; more than
 * ZX_WAIT_MANY_MAX_ITEMS (64) pipe descriptors EINVAL (zx_object_wait_many's
 * ZX_ERR_OUT_OF_RANGE). A thread blocked for ever here is blocked in
 * zx_object_wait_many (or zx_nanosleep): the engine's deadlock report names
 * the socket it waits on. select's exceptfds is POLLERR, as in fdio.
 *
 * Host code (not an app, or a host library on an app thread) gets libc's.
 * Before this file, an app's poll/select reached the HOST kernel with the
 * app's descriptor numbers: they named the host's descriptors (or none),
 * and a timeout stopped the whole simulator for real milliseconds while no
 * virtual time passed. Read next: fdio_pipe.c.
 */
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/select.h>
#include <time.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"
#include "libc_pthread_cancel.h"
#include "libc_next.h"

#define FDIO_POLL_MAX_NFDS FDIO_MAX_FD

/* What an entry is ready for without waiting (files, stdio: stdin
 * readable, stdout and stderr writable, wherever they were duplicated). */
static short fdio_poll_ready_now(const FdioObj *o, FdioFdClass c)
{
    if (c == FDIO_FD_STDIO)
        return o->stdio == 0 ? (POLLIN | POLLRDNORM) : (POLLOUT | POLLWRNORM);
    return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

static short fdio_poll_mask(const struct pollfd *p, short ev)
{
    return (short)(ev & (p->events | POLLHUP | POLLERR | POLLNVAL));
}

/* Plan each entry: revents now, or an item of the wait (owner[k] = i).
 * Returns the number of items, or -1 with errno (bad_fd_fails: EBADF for a
 * descriptor that is not there; too many handles: EINVAL). */
static int fdio_poll_plan(struct pollfd *fds, nfds_t n, bool bad_fd_fails,
                          zx_wait_item_t *items, nfds_t *owner, const void *caller)
{
    int nitems = 0;
    for (nfds_t i = 0; i < n; i++) {
        struct pollfd *p = &fds[i];
        p->revents = 0;
        if (p->fd < 0)
            continue;
        FdioObj *o = NULL;
        FdioFdClass c = fdio_libc_fd_class(p->fd, &o, caller);
        if (c == FDIO_FD_BAD || c == FDIO_FD_HOST) {
            if (bad_fd_fails)
                return fdio_libc_fail(EBADF);
            p->revents = POLLNVAL;
        } else if (c == FDIO_FD_OBJ && o->kind == FDIO_PIPE) {
            if (nitems == (int)ZX_WAIT_MANY_MAX_ITEMS)
                return fdio_libc_fail(EINVAL);
            items[nitems] = (zx_wait_item_t){o->socket, fdio_pipe_wait_begin(o, p->events), 0};
            owner[nitems++] = i;
        } else {
            p->revents = fdio_poll_mask(p, fdio_poll_ready_now(o, c));
        }
    }
    return nitems;
}

/* The common body: -1 with errno, or the number of entries with revents. */
static int fdio_poll_wait(struct pollfd *fds, nfds_t n, zx_instant_mono_t deadline,
                          bool bad_fd_fails, const void *caller)
{
    zx_wait_item_t items[ZX_WAIT_MANY_MAX_ITEMS];
    nfds_t owner[ZX_WAIT_MANY_MAX_ITEMS];
    int nitems = fdio_poll_plan(fds, n, bad_fd_fails, items, owner, caller);
    if (nitems < 0)
        return -1;
    libc_cancel_point(); /* poll and select are cancellation points */
    int ready = 0;
    for (nfds_t i = 0; i < n; i++)
        ready += fds[i].revents != 0;
    zx_status_t s = ZX_OK;
    libc_cancel_wait_begin();
    if (nitems > 0)
        s = zx_object_wait_many(items, (size_t)nitems, ready ? 0 : deadline);
    else if (!ready && deadline > 0)
        s = zx_nanosleep(deadline);
    libc_cancel_wait_end();
    libc_cancel_after(); /* nothing is held here */
    if (s != ZX_OK && s != ZX_ERR_TIMED_OUT) {
        errno = fdio_status_to_errno(s);
        return -1;
    }
    for (int k = 0; k < nitems; k++) {
        struct pollfd *p = &fds[owner[k]];
        p->revents = fdio_poll_mask(p, fdio_pipe_wait_end(items[k].pending));
        ready += p->revents != 0;
    }
    return ready;
}

/* A relative timeout as a deadline: NULL = none; -1 EINVAL when bad. */
static int fdio_poll_deadline(const struct timespec *ts, zx_instant_mono_t *deadline)
{
    if (!ts) {
        *deadline = ZX_TIME_INFINITE;
        return 0;
    }
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
        return fdio_libc_fail(EINVAL);
    if (ts->tv_sec == 0 && ts->tv_nsec == 0) {
        *deadline = 0;   /* just look */
        return 0;
    }
    bool overflows = ts->tv_sec > (INT64_MAX - ts->tv_nsec) / 1000000000LL;
    *deadline = overflows ? ZX_TIME_INFINITE
                          : zx_deadline_after((zx_duration_mono_t)ts->tv_sec * 1000000000LL +
                                              ts->tv_nsec);
    return 0;
}

static int fdio_ppoll_app(struct pollfd *fds, nfds_t n, const struct timespec *ts,
                          const sigset_t *mask, const void *caller)
{
    zx_instant_mono_t deadline;
    if (mask)
        return fdio_libc_fail(ENOSYS);
    if (n > FDIO_POLL_MAX_NFDS)
        return fdio_libc_fail(EINVAL);
    if (fdio_poll_deadline(ts, &deadline) < 0)
        return -1;
    return fdio_poll_wait(fds, n, deadline, false, caller);
}

static int fdio_poll_app(struct pollfd *fds, nfds_t n, int timeout_ms, const void *caller)
{
    struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
    return fdio_ppoll_app(fds, n, timeout_ms < 0 ? NULL : &ts, NULL, caller);
}

LIBC_NEXT_SLOT(poll);
int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    const void *caller = __builtin_return_address(0);
    if (!fdio_libc_app_caller(caller))
        return LIBC_NEXT(int (*)(struct pollfd *, nfds_t, int), poll)(fds, n, timeout_ms);
    return fdio_poll_app(fds, n, timeout_ms, caller);
}

int __poll_chk(struct pollfd *fds, nfds_t n, int timeout_ms, size_t fdslen)
{
    if (fdslen / sizeof *fds < n)
        abort();
    const void *caller = __builtin_return_address(0);
    if (!fdio_libc_app_caller(caller))
        return LIBC_NEXT(int (*)(struct pollfd *, nfds_t, int), poll)(fds, n, timeout_ms);
    return fdio_poll_app(fds, n, timeout_ms, caller);
}

LIBC_NEXT_SLOT(ppoll);
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
    const void *caller = __builtin_return_address(0);
    if (!fdio_libc_app_caller(caller))
        return LIBC_NEXT(int (*)(struct pollfd *, nfds_t, const struct timespec *,
                                 const sigset_t *),
                         ppoll)(fds, n, ts, mask);
    return fdio_ppoll_app(fds, n, ts, mask, caller);
}

int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask,
                size_t fdslen)
{
    if (fdslen / sizeof *fds < n)
        abort();
    return ppoll(fds, n, ts, mask);
}

/* ---- select ------------------------------------------------------------------ */
static short fdio_select_events(int fd, const fd_set *r, const fd_set *w, const fd_set *e)
{
    return (short)((r && FD_ISSET(fd, r) ? POLLIN : 0) | (w && FD_ISSET(fd, w) ? POLLOUT : 0) |
                   (e && FD_ISSET(fd, e) ? POLLERR : 0));
}

/* Keep fd in set when `ready` answers what it asked; 1 if kept. */
static int fdio_select_keep(fd_set *set, int fd, short revents, short ready)
{
    if (!set || !FD_ISSET(fd, set))
        return 0;
    if (revents & ready)
        return 1;
    FD_CLR(fd, set);
    return 0;
}

static int fdio_pselect_app(int n, fd_set *r, fd_set *w, fd_set *e,
                            const struct timespec *ts, const sigset_t *mask,
                            const void *caller)
{
    zx_instant_mono_t deadline;
    if (mask)
        return fdio_libc_fail(ENOSYS);
    if (n < 0 || n > FD_SETSIZE)
        return fdio_libc_fail(EINVAL);
    if (fdio_poll_deadline(ts, &deadline) < 0)
        return -1;
    struct pollfd *fds = malloc(((size_t)n + 1) * sizeof *fds);
    if (!fds)
        return fdio_libc_fail(ENOMEM);
    nfds_t m = 0;
    for (int fd = 0; fd < n; fd++) {
        short ev = fdio_select_events(fd, r, w, e);
        if (ev)
            fds[m++] = (struct pollfd){fd, ev, 0};
    }
    int got;
    pthread_cleanup_push(free, fds); /* a cancellation point: freed if it acts */
    got = fdio_poll_wait(fds, m, deadline, true, caller);
    pthread_cleanup_pop(0);
    if (got >= 0) {
        got = 0;
        for (nfds_t i = 0; i < m; i++) {
            got += fdio_select_keep(r, fds[i].fd, fds[i].revents, POLLIN);
            got += fdio_select_keep(w, fds[i].fd, fds[i].revents, POLLOUT);
            got += fdio_select_keep(e, fds[i].fd, fds[i].revents, POLLERR);
        }
    }
    free(fds);
    return got;
}

LIBC_NEXT_SLOT(select);
int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
    const void *caller = __builtin_return_address(0);
    if (!fdio_libc_app_caller(caller))
        return LIBC_NEXT(int (*)(int, fd_set *, fd_set *, fd_set *, struct timeval *),
                         select)(n, r, w, e, tv);
    if (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))
        return fdio_libc_fail(EINVAL);
    struct timespec ts = {tv ? tv->tv_sec : 0, tv ? (long)tv->tv_usec * 1000L : 0};
    return fdio_pselect_app(n, r, w, e, tv ? &ts : NULL, NULL, caller);
}

LIBC_NEXT_SLOT(pselect);
int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts,
            const sigset_t *mask)
{
    const void *caller = __builtin_return_address(0);
    if (!fdio_libc_app_caller(caller))
        return LIBC_NEXT(int (*)(int, fd_set *, fd_set *, fd_set *, const struct timespec *,
                                 const sigset_t *),
                         pselect)(n, r, w, e, ts, mask);
    return fdio_pselect_app(n, r, w, e, ts, mask, caller);
}
