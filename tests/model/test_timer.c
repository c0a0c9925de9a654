/* test_timer.c — covers: timer_create, timer_set, timer_cancel (plus the
 * white-box timer_info accessor for ZX_INFO_TIMER).
 * One test per documented error, plus firing at the deadline in virtual
 * time, immediate firing, re-arming, cancel, and close-cancels. */
#include "ktest.h"
#include "timer.h"

#define BAD_PTR ((void *)(uintptr_t)8)

static bool reached;

static KTest *run_body_keep(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    reached = false;
    KProcess *p = ktest_spawn(t, "body", fn, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    cr_assert(reached, "the simulated body did not run to its end");
    return t;
}

static void run_body(ThreadEntryFn fn)
{
    ktest_free(run_body_keep(fn));
}

static zx_signals_t sig(zx_handle_t h)
{
    zx_signals_t s = 0;
    zx_object_wait_one(h, 0, 0, &s);
    return s;
}

/* ---- timer_create --------------------------------------------------------- */

static void create_ok(uintptr_t x, uintptr_t y)
{
    zx_handle_t t0 = 0, t1 = 0, t2 = 0;
    cr_expect_eq(zx_timer_create(ZX_TIMER_SLACK_CENTER, ZX_CLOCK_MONOTONIC, &t0), ZX_OK);
    cr_expect_eq(zx_timer_create(ZX_TIMER_SLACK_EARLY, ZX_CLOCK_MONOTONIC, &t1), ZX_OK);
    cr_expect_eq(zx_timer_create(ZX_TIMER_SLACK_LATE, ZX_CLOCK_MONOTONIC, &t2), ZX_OK);
    cr_expect_neq(t0, ZX_HANDLE_INVALID);
    cr_expect_eq(sig(t0) & ZX_TIMER_SIGNALED, 0, "not signaled until set");
    reached = true;
}
Test(timer_create, ok) { run_body(create_ok); }

static void create_bad_clock(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    cr_expect_eq(zx_timer_create(0, ZX_CLOCK_BOOT, &t), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_timer_create(0, 7u, &t), ZX_ERR_INVALID_ARGS);
    reached = true;
}
Test(timer_create, invalid_clock) { run_body(create_bad_clock); }

static void create_bad_options(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    cr_expect_eq(zx_timer_create(3u, ZX_CLOCK_MONOTONIC, &t), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_timer_create(1u << 8, ZX_CLOCK_MONOTONIC, &t), ZX_ERR_INVALID_ARGS);
    reached = true;
}
Test(timer_create, invalid_options) { run_body(create_bad_options); }

static void create_bad_out(uintptr_t x, uintptr_t y)
{
    cr_expect_eq(zx_timer_create(0, ZX_CLOCK_MONOTONIC, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_timer_create(0, ZX_CLOCK_MONOTONIC, BAD_PTR), ZX_ERR_INVALID_ARGS);
    reached = true;
}
Test(timer_create, invalid_out_pointer) { run_body(create_bad_out); }

static void create_denied(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    cr_expect_eq(zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(timer_create, policy_denied)
{
    KTest *t = ktest_new(1, 1);
    t->job->policy.action[ZX_POL_NEW_TIMER] = ZX_POL_ACTION_DENY;
    reached = false;
    KProcess *p = ktest_spawn(t, "denied", create_denied, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), 0);
    cr_assert(reached);
    ktest_free(t);
}

/* ---- timer_set ------------------------------------------------------------- */

static void set_handle_errors(uintptr_t x, uintptr_t y)
{
    zx_handle_t t, ev, ro;
    cr_expect_eq(zx_timer_set(ZX_HANDLE_INVALID, 1, 0), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_timer_set(ev, 1, 0), ZX_ERR_WRONG_TYPE);
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    cr_expect_eq(zx_handle_duplicate(t, ZX_RIGHT_WAIT, &ro), ZX_OK);
    cr_expect_eq(zx_timer_set(ro, 1, 0), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(timer_set, bad_handle_wrong_type_access_denied) { run_body(set_handle_errors); }

static void set_negative_slack(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    cr_expect_eq(zx_timer_set(t, zx_deadline_after(ZX_MSEC(1)), -1), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_timer_set(ZX_HANDLE_INVALID, 1, -1), ZX_ERR_OUT_OF_RANGE,
                 "slack is checked before the handle");
    reached = true;
}
Test(timer_set, negative_slack_out_of_range) { run_body(set_negative_slack); }

static void set_fires_at_deadline(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    zx_instant_mono_t deadline = zx_deadline_after(ZX_MSEC(5));
    cr_expect_eq(zx_timer_set(t, deadline, 0), ZX_OK);
    cr_expect_eq(sig(t) & ZX_TIMER_SIGNALED, 0, "armed, not yet fired");
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(t, ZX_TIMER_SIGNALED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect(seen & ZX_TIMER_SIGNALED);
    zx_instant_mono_t now = zx_clock_get_monotonic();
    cr_expect_geq(now, deadline);
    cr_expect_lt(now, deadline + ZX_USEC(100), "woken right at the deadline");
    cr_expect_eq(zx_object_wait_one(t, ZX_TIMER_SIGNALED, 0, NULL), ZX_OK,
                 "SIGNALED stays asserted");
    reached = true;
}
Test(timer_set, fires_at_deadline) { run_body(set_fires_at_deadline); }

static void set_past_deadline(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    cr_expect_eq(zx_timer_set(t, 0, 0), ZX_OK);
    cr_expect(sig(t) & ZX_TIMER_SIGNALED, "deadline 0 fires at once");
    zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    cr_expect_eq(zx_timer_set(t, zx_clock_get_monotonic() - 1, 0), ZX_OK);
    cr_expect(sig(t) & ZX_TIMER_SIGNALED, "a past deadline fires at once");
    reached = true;
}
Test(timer_set, past_deadline_signals_at_once) { run_body(set_past_deadline); }

static void set_rearm(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    zx_timer_set(t, 0, 0);
    cr_expect(sig(t) & ZX_TIMER_SIGNALED);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    cr_expect_eq(zx_timer_set(t, t0 + ZX_MSEC(5), 0), ZX_OK);
    cr_expect_eq(sig(t) & ZX_TIMER_SIGNALED, 0, "set clears SIGNALED");
    cr_expect_eq(zx_timer_set(t, t0 + ZX_MSEC(10), ZX_USEC(50)), ZX_OK, "re-arm later");
    cr_expect_eq(zx_object_wait_one(t, ZX_TIMER_SIGNALED, t0 + ZX_MSEC(7), NULL),
                 ZX_ERR_TIMED_OUT, "the first deadline was replaced");
    cr_expect_eq(zx_object_wait_one(t, ZX_TIMER_SIGNALED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_geq(zx_clock_get_monotonic(), t0 + ZX_MSEC(10));
    reached = true;
}
Test(timer_set, rearm_replaces_deadline) { run_body(set_rearm); }

/* ---- timer_cancel ------------------------------------------------------------ */

static void cancel_handle_errors(uintptr_t x, uintptr_t y)
{
    zx_handle_t t, ev, ro;
    cr_expect_eq(zx_timer_cancel(ZX_HANDLE_INVALID), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_timer_cancel(ev), ZX_ERR_WRONG_TYPE);
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    cr_expect_eq(zx_handle_duplicate(t, ZX_RIGHT_WAIT | ZX_RIGHT_DUPLICATE, &ro), ZX_OK);
    cr_expect_eq(zx_timer_cancel(ro), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(timer_cancel, bad_handle_wrong_type_access_denied) { run_body(cancel_handle_errors); }

static void cancel_semantics(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    cr_expect_eq(zx_timer_cancel(t), ZX_OK, "harmless when never set");
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    zx_timer_set(t, t0 + ZX_MSEC(2), 0);
    cr_expect_eq(zx_timer_cancel(t), ZX_OK);
    cr_expect_eq(zx_object_wait_one(t, ZX_TIMER_SIGNALED, t0 + ZX_MSEC(5), NULL),
                 ZX_ERR_TIMED_OUT, "a cancelled timer never fires");
    zx_timer_set(t, 0, 0);
    cr_expect(sig(t) & ZX_TIMER_SIGNALED);
    cr_expect_eq(zx_timer_cancel(t), ZX_OK);
    cr_expect_eq(sig(t) & ZX_TIMER_SIGNALED, 0, "cancel clears SIGNALED");
    reached = true;
}
Test(timer_cancel, disarms_and_clears) { run_body(cancel_semantics); }

static void close_cancels(uintptr_t x, uintptr_t y)
{
    zx_handle_t t;
    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
    zx_timer_set(t, zx_deadline_after(ZX_SEC(3600)), 0);
    cr_expect_eq(zx_handle_close(t), ZX_OK);
    reached = true;
}
Test(timer_cancel, closing_last_handle_cancels)
{
    KTest *t = run_body_keep(close_cancels);
    cr_expect_lt(sim_now(t->engine), ZX_SEC(1),
                 "no engine timer was left to run the clock to the old deadline");
    ktest_free(t);
}

/* ---- White box: ZX_INFO_TIMER accessor ------------------------------------- */

Test(timer_object, info)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    SimEngine *e = sim_engine_new(&cfg);
    Kernel *k = kernel_new(e);
    KObject *o;
    cr_assert_eq(timer_new(k, ZX_TIMER_SLACK_LATE, ZX_CLOCK_MONOTONIC, &o), ZX_OK);
    zx_info_timer_t info;
    timer_info(o, &info);
    cr_expect_eq(info.options, ZX_TIMER_SLACK_LATE);
    cr_expect_eq(info.deadline, 0);
    timer_set(o, ZX_SEC(1), ZX_USEC(5));
    timer_info(o, &info);
    cr_expect_eq(info.deadline, ZX_SEC(1));
    cr_expect_eq(info.slack, ZX_USEC(5));
    cr_expect_eq(o->refcount, 2, "armed timers hold a reference on themselves");
    timer_cancel(o);
    timer_info(o, &info);
    cr_expect_eq(info.deadline, 0);
    cr_expect_eq(info.slack, 0);
    cr_expect_eq(o->refcount, 1);
    kobject_unref(o);
    kernel_free(k);
    sim_engine_free(e);
}

/* ---- Determinism: same seed, same trace ------------------------------------ */

static void timer_mix(uintptr_t x, uintptr_t y)
{
    zx_handle_t t[3];
    for (int i = 0; i < 3; i++) {
        zx_timer_create((uint32_t)i, ZX_CLOCK_MONOTONIC, &t[i]);
        zx_timer_set(t[i], zx_deadline_after(ZX_USEC(300 * (3 - i))), 0);
    }
    zx_wait_item_t items[3];
    for (int i = 0; i < 3; i++)
        items[i] = (zx_wait_item_t){.handle = t[i], .waitfor = ZX_TIMER_SIGNALED};
    cr_expect_eq(zx_object_wait_many(items, 3, ZX_TIME_INFINITE), ZX_OK);
    cr_expect(items[2].pending & ZX_TIMER_SIGNALED, "the earliest deadline fired first");
    zx_timer_cancel(t[0]);
    zx_object_wait_one(t[1], ZX_TIMER_SIGNALED, ZX_TIME_INFINITE, NULL);
    reached = true;
}

Test(timer_set, same_seed_same_trace)
{
    char h[2][33];
    for (int run = 0; run < 2; run++) {
        KTest *t = run_body_keep(timer_mix);
        sim_trace_hash_hex(t->engine, h[run]);
        ktest_free(t);
    }
    cr_expect_str_eq(h[0], h[1]);
}

/* zx_nanosleep(0) yields: a thread polling a flag with it lets the thread
 * that sets the flag run at once, on one CPU. */
static volatile int g_flag;
static int g_polls;

static void sets_flag(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    g_flag = 1;
}

static void polls_with_nanosleep_zero(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    zx_handle_t thread;
    cr_expect_eq(zx_thread_create(zx_process_self(), "setter", 6, 0, &thread), ZX_OK);
    cr_expect_eq(zx_thread_start(thread, (zx_vaddr_t)sets_flag, 0, 0, 0), ZX_OK);
    while (!g_flag) {
        g_polls++;
        cr_expect_eq(zx_nanosleep(0), ZX_OK);
    }
}

Test(timer, nanosleep_zero_yields)
{
    g_flag = 0;
    g_polls = 0;
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "poller", polls_with_nanosleep_zero, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(g_flag, 1);
    cr_expect_eq(g_polls, 1, "polled %d times before the setter ran", g_polls);
    ktest_free(t);
}
