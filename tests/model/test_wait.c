/* test_wait.c — object_wait_one, object_wait_many, nanosleep,
 * clock_get_monotonic: blocking in virtual time, deadlines, cancellation
 * by handle close, waking across processes. */
#include "ktest.h"

#include <stdio.h>
#include <string.h>

static void timeout_case(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev;
    zx_event_create(0, &ev);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    zx_signals_t seen = 1;
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, t0 + ZX_MSEC(5), &seen), ZX_ERR_TIMED_OUT);
    cr_expect_eq(seen, 0);
    zx_instant_mono_t t1 = zx_clock_get_monotonic();
    cr_expect_geq(t1 - t0, ZX_MSEC(5), "virtual time advanced by the timeout");
    cr_expect_lt(t1 - t0, ZX_MSEC(5) + ZX_USEC(100));
    cr_expect_eq(zx_object_wait_one(ZX_HANDLE_INVALID, 1, 0, NULL), ZX_ERR_BAD_HANDLE);
    zx_handle_t nowait;
    zx_handle_duplicate(ev, ZX_RIGHT_SIGNAL, &nowait);
    cr_expect_eq(zx_object_wait_one(nowait, 1, 0, NULL), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_object_wait_one(ev, 0, t1 + 1000, (zx_signals_t *)8), ZX_ERR_INVALID_ARGS);
}

Test(wait, timeout)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "timeout", timeout_case, 0);
    ktest_run(t);
    ktest_free(t);
}

static void second_thread(uintptr_t a, uintptr_t b)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(3)));
    cr_expect_eq(zx_object_signal_peer((zx_handle_t)a, 0, ZX_EVENTPAIR_SIGNALED), ZX_OK);
}

static void waiter_with_thread(uintptr_t a, uintptr_t b)
{
    zx_handle_t e0, e1, th;
    cr_expect_eq(zx_eventpair_create(0, &e0, &e1), ZX_OK);
    cr_expect_eq(zx_thread_create(zx_process_self(), "waker", 5, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (zx_vaddr_t)second_thread, 0, e1, 0), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(e0, ZX_EVENTPAIR_SIGNALED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_geq(zx_clock_get_monotonic(), ZX_MSEC(3));
    zx_signals_t term = 0;
    cr_expect_eq(zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, &term), ZX_OK);
}

Test(wait, woken_by_other_thread)
{
    KTest *t = ktest_new(1, 2);
    KProcess *p = ktest_spawn(t, "waiter", waiter_with_thread, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static void closer(uintptr_t a, uintptr_t b)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    cr_expect_eq(zx_handle_close((zx_handle_t)a), ZX_OK);
}

static void cancel_case(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, th;
    zx_event_create(0, &ev);
    cr_expect_eq(zx_thread_create(zx_process_self(), "closer", 6, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (zx_vaddr_t)closer, 0, ev, 0), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, &seen), ZX_ERR_CANCELED);
    cr_expect(seen & ZX_SIGNAL_HANDLE_CLOSED);
}

Test(wait, close_cancels_wait)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "cancel", cancel_case, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    ktest_free(t);
}

static void many_case(uintptr_t a, uintptr_t b)
{
    zx_wait_item_t items[65];
    cr_expect_eq(zx_object_wait_many(items, 65, 0), ZX_ERR_OUT_OF_RANGE);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    cr_expect_eq(zx_object_wait_many(NULL, 0, t0 + ZX_USEC(50)), ZX_ERR_TIMED_OUT);
    cr_expect_geq(zx_clock_get_monotonic() - t0, ZX_USEC(50));
    zx_handle_t e1, e2;
    zx_event_create(0, &e1);
    zx_event_create(0, &e2);
    zx_object_signal(e2, 0, ZX_USER_SIGNAL_1);
    items[0] = (zx_wait_item_t){e1, ZX_EVENT_SIGNALED, 0};
    items[1] = (zx_wait_item_t){e2, ZX_USER_SIGNAL_1, 0};
    cr_expect_eq(zx_object_wait_many(items, 2, ZX_TIME_INFINITE), ZX_OK);
    cr_expect_eq(items[1].pending, ZX_USER_SIGNAL_1);
    cr_expect_eq(items[0].pending, 0);
    items[1].handle = 0x55555557u;
    cr_expect_eq(zx_object_wait_many(items, 2, 0), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_object_wait_many((zx_wait_item_t *)24, 2, 0), ZX_ERR_INVALID_ARGS);
}

Test(wait, wait_many)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "many", many_case, 0);
    ktest_run(t);
    ktest_free(t);
}

static void sleeper(uintptr_t a, uintptr_t b)
{
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    cr_expect_eq(zx_nanosleep(t0 + ZX_SEC(2)), ZX_OK);
    cr_expect_geq(zx_clock_get_monotonic(), t0 + ZX_SEC(2));
    cr_expect_eq(zx_nanosleep(0), ZX_OK, "a past deadline returns at once");
}

Test(wait, nanosleep)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "sleeper", sleeper, 0);
    ktest_run(t);
    cr_assert_geq(sim_now(t->engine), ZX_SEC(2));
    ktest_free(t);
}

static void forever(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev;
    zx_event_create(0, &ev);
    zx_object_wait_one(ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, NULL);
}

Test(wait, deadlock_is_reported)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "stuck", forever, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_DEADLOCK);
    char buf[512];
    cr_assert_eq(sim_blocked_report(t->engine, buf, sizeof buf), 1);
    cr_assert(strstr(buf, "object_wait_one on event") != NULL, "report: %s", buf);
    ktest_free(t);
}

static void joins_a_stuck_thread(uintptr_t a, uintptr_t b)
{
    zx_handle_t th;
    cr_expect_eq(zx_thread_create(zx_process_self(), "stuck-sibling", 13, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (zx_vaddr_t)forever, 0, 0, 0), ZX_OK);
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
}

/* A join's line names the thread it waits for by the id and name the
 * waited thread's own line starts with. */
Test(wait, deadlock_report_names_a_waited_thread_as_its_line_does)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "joiner", joins_a_stuck_thread, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_DEADLOCK);
    char buf[1024];
    cr_assert_eq(sim_blocked_report(t->engine, buf, sizeof buf), 2);
    const char *join = strstr(buf, "object_wait_one on thread koid ");
    cr_assert(join, "report: %s", buf);
    const char *named = strstr(join, " = thread ");
    cr_assert(named, "report: %s", buf);
    unsigned long long id = 0;
    char name[32] = "";
    cr_assert_eq(sscanf(named, " = thread %llu '%31[^']'", &id, name), 2, "report: %s", buf);
    cr_expect_str_eq(name, "stuck-sibling");
    char line_start[64];
    snprintf(line_start, sizeof line_start, "thread %llu 'stuck-sibling' blocked since", id);
    cr_expect(strstr(buf, line_start) != NULL, "no line '%s' in: %s", line_start, buf);
    ktest_free(t);
}
