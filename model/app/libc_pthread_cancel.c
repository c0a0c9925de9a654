/* libc_pthread_cancel.c — POSIX thread cancellation for apps, the app
 * side.
 *
 * Models: what POSIX asks of a libc, on capsim's green threads (Fuchsia's
 * libc has no pthread_cancel; before this, capsim answered ENOSYS, and
 * pthread_setcancelstate, _setcanceltype and pthread_testcancel reached
 * glibc, which changed the state of the one HOST thread).
 *
 *   pthread_cancel       0, or ESRCH for NULL or a thread that has ended
 *                        (not yet joined). Makes the APP_OP_PTHREAD_CANCEL
 *                        request (app_cancel.c: traced as "pthread_cancel"),
 *                        which marks the target and wakes it if it is
 *                        blocked at a cancellation point. A second request
 *                        before it acts changes nothing
 *   pthread_setcancelstate, pthread_setcanceltype
 *                        per simulated thread (in its runtime block):
 *                        ENABLE/DISABLE, DEFERRED/ASYNCHRONOUS, EINVAL for
 *                        anything else; the old value out may be NULL (as
 *                        glibc allows). Enabling an asynchronous thread (or
 *                        making an enabled one asynchronous) with a request
 *                        pending acts at once, as glibc does
 *   pthread_testcancel   a cancellation point
 *
 * Deferred (the default): a request acts at a cancellation point, at its
 * entry, or when it ends the point's blocking call. The points are
 * pthread_testcancel, pthread_join, pthread_cond_wait/_timedwait/
 * _clockwait, sem_wait/_timedwait/_clockwait, sleep, usleep, nanosleep,
 * clock_nanosleep, and fdio's descriptor calls: open, openat, creat,
 * close, read, write, pread, pwrite, readv, writev, fsync, poll, ppoll,
 * select, pselect, send/recv and their msg/to/from forms. The blocking
 * calls a request ends: the join's zx_object_wait_one, the condition's
 * and the semaphore's zx_futex_wait, the sleeps' zx_nanosleep, a pipe's
 * or socket pair's zx_object_wait_one in a read or write, poll's and
 * select's zx_object_wait_many (or zx_nanosleep). Round trips to a file
 * server (zx_channel_call, an open's wait for its reply) are let finish:
 * ending one would leave its reply to the next caller of the channel; the
 * request then acts at the next point. A condition wait takes its mutex
 * back before the handlers run.
 *
 * Asynchronous: a green thread stops only where it enters the kernel, so
 * an asynchronous thread with a pending request acts at its next kernel
 * entry from its app's own code (a zx_* call the app makes; the call is
 * not made: app_cancel.c flags it and the stub ends the thread), or at
 * once if it is blocked in one, or at the next cancellation point. The
 * calls libc makes (a mutex's wake-up, a condition wait taking its mutex
 * back, malloc's mappings) are made and finish: ended half-way, libc's
 * state would be left broken (waiters never woken, a signal lost).
 *
 * A condition wait a request ends has left the condition's queue before
 * any signal sent at the same moment looks there; a waiter a signal woke
 * first returns, the signal taken, and the request acts later: no signal
 * is lost.
 *
 * Acting: as pthread_exit(PTHREAD_CANCELED) does: cleanup handlers
 * innermost first (libc_pthread_cleanup.c), key destructors, the thread
 * ends; its join gives PTHREAD_CANCELED. From there on nothing cancels it
 * again (a handler's cancellation points do not act).
 *
 * The rule, as in libc_pthread.c: app code gets the above, the host
 * libc's own. Read next: app_cancel.c (the engine side).
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_pthread.h"
#include "libc_pthread_cancel.h"
#include "sdk/runtime.h"
#include "syscall.h"

LIBC_NEXT_SLOT(pthread_cancel);
LIBC_NEXT_SLOT(pthread_setcancelstate);
LIBC_NEXT_SLOT(pthread_setcanceltype);
LIBC_NEXT_SLOT(pthread_testcancel);

/* The thread ends, canceled. */
__attribute__((noreturn)) static void libc_cancel_act(void)
{
    libc_pthread_exit(PTHREAD_CANCELED);
}

void libc_pthread_cancel_now(void)
{
    libc_cancel_act();
}

/* Does a request act on tr now (asynchronous: also outside a point)? */
static bool libc_cancel_pending(const CapsimThreadRuntime *tr)
{
    return tr && tr->cancel_requested && !tr->cancel_disabled && !tr->cancel_acting;
}

void libc_cancel_point(void)
{
    if (libc_cancel_pending(capsim_thread_runtime()))
        libc_cancel_act();
}

void libc_cancel_wait_begin(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr)
        tr->cancel_waiting = 1;
}

bool libc_cancel_wait_end(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (!tr)
        return false;
    tr->cancel_waiting = 0;
    return tr->cancel_interrupted;
}

void libc_cancel_after(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr && tr->cancel_interrupted && !tr->cancel_acting)
        libc_cancel_act();
}

/* After a change of state or type: an asynchronous thread acts at once. */
static void libc_cancel_async_point(const CapsimThreadRuntime *tr)
{
    if (tr->cancel_async && libc_cancel_pending(tr))
        libc_cancel_act();
}

int pthread_cancel(pthread_t t)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t), pthread_cancel)(t);
    zx_handle_t thread;
    uint64_t koid;
    int rc = libc_pthread_cancel_target(t, &thread, &koid);
    if (rc != 0)
        return rc;
    SyscallRequest q = {.hdr = {.op = APP_OP_PTHREAD_CANCEL}};
    q.a[0] = thread;
    q.a[1] = koid;
    if (sim_enter(&q.hdr) != ZX_OK)
        return ESRCH;
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr) /* a kernel entry: an asynchronous caller (itself the target,
             * or canceled meanwhile) acts here */
        libc_cancel_async_point(tr);
    return 0;
}

/* Set one of the thread's two-valued settings, the runtime block's int at
 * `field` (non-zero for `on`): EINVAL for a value other than `off` and
 * `on`, the old value untouched. */
static int libc_cancel_setting(size_t field, int value, int off, int on, int *old)
{
    if (value != off && value != on)
        return EINVAL;
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    int *setting = tr ? (int *)(void *)((char *)tr + field) : NULL;
    if (old)
        *old = setting && *setting ? on : off;
    if (tr) {
        *setting = value == on;
        libc_cancel_async_point(tr);
    }
    return 0;
}

int pthread_setcancelstate(int state, int *old)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(int, int *), pthread_setcancelstate)(state, old);
    return libc_cancel_setting(offsetof(CapsimThreadRuntime, cancel_disabled), state,
                               PTHREAD_CANCEL_ENABLE, PTHREAD_CANCEL_DISABLE, old);
}

int pthread_setcanceltype(int type, int *old)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(int, int *), pthread_setcanceltype)(type, old);
    return libc_cancel_setting(offsetof(CapsimThreadRuntime, cancel_async), type,
                               PTHREAD_CANCEL_DEFERRED, PTHREAD_CANCEL_ASYNCHRONOUS, old);
}

void pthread_testcancel(void)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(void), pthread_testcancel)();
        return;
    }
    libc_cancel_point();
}
