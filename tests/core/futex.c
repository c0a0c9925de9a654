/* futex.c — port of Zircon's core test futex
 * (zircon/system/utest/core/futex/): value mismatch, timeouts, bad and
 * misaligned addresses, waking one, a limited number and all waiters,
 * address matching, requeue (including a requeued waiter timing out), a
 * waiter suspended and resumed, and an event built on a futex.
 * Every upstream case applies.
 */
#include <string.h>

#include "core_harness.h"

#define WAKE_ALL UINT32_MAX

/* A thread blocked in zx_futex_wait on one futex (upstream's TestThread). */
typedef struct Waiter {
    zx_futex_t *futex;
    zx_duration_t timeout;
    volatile int state;     /* 0 not started, 1 about to wait, 2 wait returned */
    zx_status_t result;
    zx_handle_t thread;
} Waiter;

static void waiter_run(uintptr_t arg, uintptr_t unused)
{
    Waiter *w = (Waiter *)arg;
    w->state = 1;
    zx_time_t deadline = w->timeout == ZX_TIME_INFINITE ? ZX_TIME_INFINITE
                                                        : zx_deadline_after(w->timeout);
    w->result = zx_futex_wait(w->futex, *w->futex, ZX_HANDLE_INVALID, deadline);
    w->state = 2;
}

/* Start w and return once the kernel reports it blocked on the futex. */
static void waiter_start(Waiter *w, zx_futex_t *futex, zx_duration_t timeout)
{
    w->futex = futex;
    w->timeout = timeout;
    w->state = 0;
    w->result = ZX_ERR_INTERNAL;
    w->thread = core_thread_start(waiter_run, (uintptr_t)w);
    cr_expect_eq(core_wait_thread_state(w->thread, ZX_THREAD_STATE_BLOCKED_FUTEX), ZX_OK);
    cr_expect_eq(w->state, 1);
}

static zx_thread_state_t thread_state(zx_handle_t th)
{
    zx_info_thread_t info = {0};
    cr_expect_eq(zx_object_get_info(th, ZX_INFO_THREAD, &info, sizeof info, NULL, NULL), ZX_OK);
    return info.state;
}

static void wait_until_woken(Waiter *w)
{
    while (w->state != 2)
        zx_nanosleep(zx_deadline_after(ZX_USEC(100)));
}

/* Exactly `want` of the n waiters have returned, and stay that way. */
static void expect_woken(Waiter *w, int n, int want)
{
    int woken;
    for (;;) {
        woken = 0;
        for (int i = 0; i < n; i++)
            woken += w[i].state == 2;
        if (woken >= want)
            break;
        zx_nanosleep(zx_deadline_after(ZX_USEC(100)));
    }
    cr_expect_eq(woken, want);
    zx_nanosleep(zx_deadline_after(ZX_MSEC(300)));
    woken = 0;
    for (int i = 0; i < n; i++)
        woken += w[i].state == 2;
    cr_expect_eq(woken, want, "no one else woke up later");
}

static void join_all(Waiter *w, int n)
{
    for (int i = 0; i < n; i++)
        core_thread_join(w[i].thread);
}

CORE_TEST(futex, WaitValueMismatch)
{
    zx_futex_t v = 123;
    cr_expect_eq(zx_futex_wait(&v, v + 1, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_ERR_BAD_STATE);
}

CORE_TEST(futex, WaitTimeout)
{
    zx_futex_t v = 123;
    cr_expect_eq(zx_futex_wait(&v, v, ZX_HANDLE_INVALID, 0), ZX_ERR_TIMED_OUT);
}

CORE_TEST(futex, WaitTimeoutElapsed)
{
    zx_futex_t v = 0;
    for (int i = 0; i < 5; i++) {
        zx_time_t deadline = zx_deadline_after(ZX_MSEC(100));
        cr_expect_eq(zx_futex_wait(&v, 0, ZX_HANDLE_INVALID, deadline), ZX_ERR_TIMED_OUT);
        cr_expect_geq(zx_clock_get_monotonic(), deadline, "the wait returned early");
    }
}

CORE_TEST(futex, WaitBadAddress)
{
    cr_expect_eq(zx_futex_wait(NULL, 123, ZX_HANDLE_INVALID, ZX_TIME_INFINITE),
                 ZX_ERR_INVALID_ARGS);
}

CORE_TEST(futex, Wakeup)
{
    zx_futex_t f = 1;
    Waiter w;
    waiter_start(&w, &f, ZX_TIME_INFINITE);
    cr_expect_eq(zx_futex_wake(&f, WAKE_ALL), ZX_OK);
    wait_until_woken(&w);
    cr_expect_eq(w.result, ZX_OK);
    join_all(&w, 1);
}

CORE_TEST(futex, WakeupLimit)
{
    zx_futex_t f = 1;
    Waiter w[4];
    for (int i = 0; i < 4; i++)
        waiter_start(&w[i], &f, ZX_TIME_INFINITE);
    cr_expect_eq(zx_futex_wake(&f, 2), ZX_OK);
    expect_woken(w, 4, 2);
    cr_expect_eq(zx_futex_wake(&f, WAKE_ALL), ZX_OK);
    expect_woken(w, 4, 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(w[i].result, ZX_OK);
    join_all(w, 4);
}

CORE_TEST(futex, WakeupAddress)
{
    zx_futex_t f[3] = {1, 1, 1};
    Waiter w[2];
    waiter_start(&w[0], &f[0], ZX_TIME_INFINITE);
    waiter_start(&w[1], &f[1], ZX_TIME_INFINITE);
    cr_expect_eq(zx_futex_wake(&f[2], WAKE_ALL), ZX_OK);
    cr_expect_eq(thread_state(w[0].thread), ZX_THREAD_STATE_BLOCKED_FUTEX);
    cr_expect_eq(thread_state(w[1].thread), ZX_THREAD_STATE_BLOCKED_FUTEX);
    cr_expect_eq(zx_futex_wake(&f[0], WAKE_ALL), ZX_OK);
    wait_until_woken(&w[0]);
    cr_expect_eq(thread_state(w[1].thread), ZX_THREAD_STATE_BLOCKED_FUTEX);
    cr_expect_eq(zx_futex_wake(&f[1], WAKE_ALL), ZX_OK);
    wait_until_woken(&w[1]);
    cr_expect_eq(w[0].result, ZX_OK);
    cr_expect_eq(w[1].result, ZX_OK);
    join_all(w, 2);
}

CORE_TEST(futex, RequeueValueMismatch)
{
    zx_futex_t a = 100, b = 200;
    cr_expect_eq(zx_futex_requeue(&a, 1, a + 1, &b, 1, ZX_HANDLE_INVALID), ZX_ERR_BAD_STATE);
}

CORE_TEST(futex, RequeueSameAddr)
{
    zx_futex_t a = 100;
    cr_expect_eq(zx_futex_requeue(&a, 1, a, &a, 1, ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(futex, Requeue)
{
    zx_futex_t a = 100, b = 200;
    Waiter w[6];
    for (int i = 0; i < 6; i++)
        waiter_start(&w[i], &a, ZX_TIME_INFINITE);
    cr_expect_eq(zx_futex_requeue(&a, 3, 100, &b, 2, ZX_HANDLE_INVALID), ZX_OK);
    expect_woken(w, 6, 3);
    cr_expect_eq(zx_futex_wake(&b, WAKE_ALL), ZX_OK, "the two requeued waiters");
    expect_woken(w, 6, 5);
    cr_expect_eq(zx_futex_wake(&a, 1), ZX_OK);
    expect_woken(w, 6, 6);
    join_all(w, 6);
}

CORE_TEST(futex, RequeueUnqueuedOnTimeout)
{
    zx_futex_t a = 100, b = 200;
    Waiter w[2];
    waiter_start(&w[0], &a, ZX_MSEC(300));
    cr_expect_eq(zx_futex_requeue(&a, 0, 100, &b, WAKE_ALL, ZX_HANDLE_INVALID), ZX_OK);
    waiter_start(&w[1], &b, ZX_TIME_INFINITE);
    /* w[0] times out on b's queue and must leave it */
    wait_until_woken(&w[0]);
    cr_expect_eq(w[0].result, ZX_ERR_TIMED_OUT);
    cr_expect_eq(thread_state(w[1].thread), ZX_THREAD_STATE_BLOCKED_FUTEX);
    cr_expect_eq(zx_futex_wake(&b, 1), ZX_OK);
    wait_until_woken(&w[1]);
    cr_expect_eq(w[1].result, ZX_OK);
    join_all(w, 2);
}

CORE_TEST(futex, ThreadSuspended)
{
    zx_futex_t f = 1;
    Waiter w;
    zx_handle_t token;
    waiter_start(&w, &f, ZX_TIME_INFINITE);
    cr_expect_eq(zx_task_suspend(w.thread, &token), ZX_OK);
    cr_expect_eq(core_wait_thread_state(w.thread, ZX_THREAD_STATE_SUSPENDED), ZX_OK);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    /* resumed, it goes back to waiting instead of returning */
    cr_expect_eq(core_wait_thread_state(w.thread, ZX_THREAD_STATE_BLOCKED_FUTEX), ZX_OK);
    cr_expect_eq(zx_futex_wake(&f, 1), ZX_OK);
    expect_woken(&w, 1, 1);
    cr_expect_eq(w.result, ZX_OK);
    join_all(&w, 1);
}

CORE_TEST(futex, MisalignedFutextAddr)
{
    struct {
        uint8_t misalign;
        zx_futex_t futex[2];
    } __attribute__((packed, aligned(4))) buf;
    memset(&buf, 0, sizeof buf);
    zx_futex_t *f = (zx_futex_t *)((char *)&buf + 1), *f2 = f + 1;
    cr_expect_neq((uintptr_t)f % sizeof(zx_futex_t), 0);
    cr_expect_eq(zx_futex_wait(f, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_wake(f, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_futex_requeue(f, 1, 0, f2, 1, ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS);
}

/* ---- an event made of a futex -------------------------------------------- */

static zx_futex_t signaled;

static void event_wait(uintptr_t a, uintptr_t b)
{
    if (signaled == 0)
        zx_futex_wait(&signaled, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
}

CORE_TEST(futex, EventSignaling)
{
    zx_handle_t th[3];
    signaled = 0;
    for (int i = 0; i < 3; i++)
        th[i] = core_thread_start(event_wait, 0);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(core_wait_thread_state(th[i], ZX_THREAD_STATE_BLOCKED_FUTEX), ZX_OK);
    signaled = 1;
    cr_expect_eq(zx_futex_wake(&signaled, WAKE_ALL), ZX_OK);
    for (int i = 0; i < 3; i++)
        core_thread_join(th[i]);
}
