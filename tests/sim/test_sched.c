/* test_sched.c — priorities, slices, CPUs, affinity, timers, deadlock. */
#include <inttypes.h>
#include <criterion/criterion.h>
#include <glib.h>

#include "helpers.h"

static void logger(void *arg)
{
    for (int i = 0; i < 3; i++) {
        t_log((int)(intptr_t)arg);
        sim_yield();
    }
}

Test(sched, strict_priorities)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    SimThread *lo = sim_thread_create(e, logger, (void *)1, "lo");
    SimThread *hi = sim_thread_create(e, logger, (void *)2, "hi");
    sim_thread_set_priority(lo, 10);
    sim_thread_set_priority(hi, 20);
    sim_thread_start(lo);
    sim_thread_start(hi);
    sim_run(e);
    int want[] = { 2, 2, 2, 1, 1, 1 };
    cr_assert_eq(tm.nlog, 6);
    for (int i = 0; i < 6; i++)
        cr_assert_eq(tm.log[i], want[i], "at %d", i);
    sim_engine_free(e);
}

static void hi_waker(void *arg)
{
    /* Low priority thread wakes a high one: preempted at its next entry. */
    t_log(1);
    t_call(OP_WAKE, 0, 0);
    t_log(2);
}

static void hi_waiter(void *arg)
{
    t_call(OP_WAIT, 0, 0);
    t_log(3);
}

Test(sched, higher_priority_wakeup_preempts_at_kernel_exit)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    SimThread *w = sim_thread_create(e, hi_waiter, NULL, "hi");
    sim_thread_set_priority(w, 24);
    sim_thread_start(w);
    t_spawn(e, hi_waker, NULL, "lo");
    sim_run(e);
    int want[] = { 1, 3, 2 };
    cr_assert_eq(tm.nlog, 3);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(tm.log[i], want[i]);
    sim_engine_free(e);
}

static void fair(void *arg)
{
    for (int i = 0; i < 100; i++) {
        t_log((int)(intptr_t)arg);
        sim_yield();
    }
}

Test(sched, fairness_within_band)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    for (int i = 0; i < 4; i++)
        t_spawn(e, fair, (void *)(intptr_t)i, "f");
    sim_run(e);
    cr_assert_eq(tm.nlog, 400);
    /* Round robin: every window of 4 holds each thread once. */
    for (int w = 0; w < 100; w++) {
        int seen = 0;
        for (int k = 0; k < 4; k++)
            seen |= 1 << tm.log[4 * w + k];
        cr_assert_eq(seen, 0xF, "window %d", w);
    }
    sim_engine_free(e);
}

static void computer(void *arg)
{
    /* Never yields: only the slice can preempt it. */
    for (int i = 0; i < 50; i++) {
        t_log((int)(intptr_t)arg);
        sim_preempt_point(1000 * 1000); /* 1 ms of compute */
    }
}

Test(sched, time_slice_preempts)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    t_spawn(e, computer, (void *)1, "a");
    t_spawn(e, computer, (void *)2, "b");
    sim_run(e);
    cr_assert_eq(tm.nlog, 100);
    /* 10 ms slice, 1 ms steps: runs of about 10 before switching. */
    int switches = 0, run = 0, maxrun = 0;
    for (int i = 1; i < 100; i++) {
        if (tm.log[i] != tm.log[i - 1]) {
            switches++;
            run = 0;
        } else if (++run > maxrun) {
            maxrun = run;
        }
    }
    cr_assert_geq(switches, 5);
    cr_assert_leq(maxrun, 11);
    cr_assert_geq(maxrun, 8);
    sim_engine_free(e);
}

static void weighted(void *arg)
{
    for (int i = 0; i < 40; i++) {
        t_log((int)(intptr_t)arg);
        sim_preempt_point(1000 * 1000);
    }
}

Test(sched, weight_scales_slice)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    SimThread *a = t_spawn(e, weighted, (void *)1, "a");
    t_spawn(e, weighted, (void *)2, "b");
    sim_thread_set_weight(a, 2);
    sim_run(e);
    int first_switch = 0;
    while (tm.log[first_switch] == 1)
        first_switch++;
    cr_assert_geq(first_switch, 18, "weight 2 => ~20 ms slice");
    sim_engine_free(e);
}

static void parallel_work(void *arg)
{
    sim_preempt_point(1000 * 1000);
    t_call(OP_NOP, 0, 0);
}

Test(sched, cpus_run_in_parallel_in_virtual_time)
{
    SimTime end[2];
    for (int cpus = 1; cpus <= 2; cpus++) {
        SimEngine *e = t_engine(cpus, SIM_STRATEGY_FIFO, 1);
        SimThread *a = t_spawn(e, parallel_work, NULL, "a");
        SimThread *b = t_spawn(e, parallel_work, NULL, "b");
        sim_run(e);
        end[cpus - 1] = sim_now(e);
        if (cpus == 2)
            cr_assert_neq(sim_thread_cpu(a), sim_thread_cpu(b));
        sim_engine_free(e);
    }
    cr_assert_gt(end[0], 2 * 1000 * 1000);
    cr_assert_lt(end[1], 2 * 1000 * 1000, "2 CPUs: %lld", (long long)end[1]);
}

static void where(void *arg)
{
    for (int i = 0; i < 5; i++) {
        t_log(sim_thread_cpu(sim_current()));
        sim_preempt_point(1000);
    }
}

Test(sched, affinity)
{
    SimEngine *e = t_engine(4, SIM_STRATEGY_FIFO, 1);
    SimThread *t = sim_thread_create(e, where, NULL, "pinned");
    sim_thread_set_affinity(t, 1u << 2);
    sim_thread_start(t);
    for (int i = 0; i < 3; i++)
        t_spawn(e, fair, (void *)(intptr_t)9, "other");
    sim_run(e);
    int n = 0;
    for (int i = 0; i < tm.nlog; i++)
        if (tm.log[i] != 9) {
            cr_assert_eq(tm.log[i], 2);
            n++;
        }
    cr_assert_eq(n, 5);
    sim_engine_free(e);
}

static void stealer_victim(void *arg)
{
    for (int i = 0; i < 20; i++) {
        sim_preempt_point(10000);
        sim_yield();
    }
}

Test(sched, idle_cpus_steal_work)
{
    SimEngine *e = t_engine(2, SIM_STRATEGY_FIFO, 1);
    /* Start all on CPU 0 (affinity), then widen: CPU 1 must steal. */
    SimThread *ts[4];
    for (int i = 0; i < 4; i++) {
        ts[i] = sim_thread_create(e, stealer_victim, NULL, "w");
        sim_thread_set_affinity(ts[i], 1);
        sim_thread_start(ts[i]);
    }
    for (int i = 0; i < 4; i++)
        sim_thread_set_affinity(ts[i], 0);
    sim_run_until(e, 50000);
    /* Kick: a new thread lands on idle CPU 1, then CPU 1 keeps stealing. */
    t_spawn(e, stealer_victim, NULL, "late");
    sim_run(e);
    SimTime busy = 0;
    for (int i = 0; i < 4; i++)
        busy += sim_thread_runtime(ts[i]);
    cr_assert_lt(sim_now(e), busy, "work was shared between CPUs");
    sim_engine_free(e);
}

static void sleeper(void *arg)
{
    t_call(OP_SLEEP, (int64_t)(intptr_t)arg, 0);
    t_log((int)(sim_now(sim_current_engine()) / 1000));
}

Test(sched, sleep_timers_order_and_time)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    t_spawn(e, sleeper, (void *)300000, "s3");
    t_spawn(e, sleeper, (void *)100000, "s1");
    t_spawn(e, sleeper, (void *)200000, "s2");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(tm.nlog, 3);
    cr_assert(tm.log[0] >= 100 && tm.log[0] < 150);
    cr_assert(tm.log[1] >= 200 && tm.log[1] < 250);
    cr_assert(tm.log[2] >= 300 && tm.log[2] < 350);
    sim_engine_free(e);
}

static void timed_waiter(void *arg)
{
    int64_t r = t_call(OP_WAIT, 3, 5000);
    t_log((int)r);
}

Test(sched, wait_with_deadline_times_out)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    t_spawn(e, timed_waiter, NULL, "tw");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(tm.nlog, 1);
    cr_assert_eq(tm.log[0], -21);
    sim_engine_free(e);
}

static int timer_hits[3];
static void timer_fn(SimEngine *e, void *ctx)
{
    timer_hits[(intptr_t)ctx]++;
}

Test(sched, timers_cancel_and_run_until)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    memset(timer_hits, 0, sizeof timer_hits);
    sim_timer_add(e, 1000, timer_fn, (void *)0);
    SimTimerId b = sim_timer_add(e, 2000, timer_fn, (void *)1);
    sim_timer_add(e, 3000, timer_fn, (void *)2);
    cr_assert(sim_timer_cancel(e, b));
    cr_assert_not(sim_timer_cancel(e, b));
    cr_assert_eq(sim_run_until(e, 2500), SIM_RUN_TIME_LIMIT);
    cr_assert_eq(sim_now(e), 2500);
    cr_assert_eq(timer_hits[0], 1);
    cr_assert_eq(timer_hits[2], 0);
    cr_assert_eq(sim_step(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(timer_hits[2], 1);
    cr_assert_eq(sim_now(e), 3000);
    cr_assert(sim_finished(e));
    sim_engine_free(e);
}

Test(sched, step_by_step)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    t_spawn(e, logger, (void *)1, "a");
    t_spawn(e, logger, (void *)2, "b");
    int steps = 0;
    SimRunResult r;
    while ((r = sim_step(e)) == SIM_RUN_STEPPED)
        steps++;
    cr_assert_eq(r, SIM_RUN_QUIESCENT);
    cr_assert_gt(steps, 12);
    cr_assert_eq(tm.nlog, 6);
    sim_engine_free(e);
}

static void forever_waiter(void *arg)
{
    t_call(OP_WAIT, 5, 0);
}

Test(sched, deadlock_report_names_blocked_threads)
{
    SimEngine *e = t_engine(2, SIM_STRATEGY_FIFO, 1);
    t_spawn(e, logger, (void *)1, "fine");
    t_spawn(e, forever_waiter, NULL, "stuck-worker");
    cr_assert_eq(sim_run(e), SIM_RUN_DEADLOCK);
    char buf[512];
    cr_assert_eq(sim_blocked_report(e, buf, sizeof buf), 1);
    cr_assert(strstr(buf, "thread 2 'stuck-worker' blocked since"), "%s", buf);
    cr_assert(strstr(buf, "on queue 5"), "%s", buf);
    cr_assert(strstr(buf, "until forever"), "%s", buf);
    sim_engine_free(e);
}

Test(sched, deadlock_report_lists_every_blocked_thread_whole)
{
    /* 500 lines of ~90 bytes: more than any fixed buffer the callers used */
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    for (int i = 0; i < 500; i++)
        t_spawn(e, forever_waiter, NULL, "stuck-worker-with-a-long-name");
    cr_assert_eq(sim_run(e), SIM_RUN_DEADLOCK);
    char *text = sim_blocked_text(e);
    gchar **lines = g_strsplit(text, "\n", -1);
    cr_assert_eq(g_strv_length(lines), 501, "500 lines and the empty tail");
    cr_expect(g_str_has_prefix(lines[0], "thread 1 'stuck-worker-with-a-long-name'"));
    cr_expect(g_str_has_prefix(lines[499], "thread 500 "), "%s", lines[499]);
    char small[256];
    cr_assert_eq(sim_blocked_report(e, small, sizeof small), 500, "the count, whatever fits");
    cr_expect(g_str_has_prefix(text, small), "the buffer holds the report's start");
    g_strfreev(lines);
    g_free(text);
    sim_engine_free(e);
}

/* A server waits on queue 6 for requests; the client sends two and ends. */
static void server_loop(void *arg)
{
    for (;;) {
        t_call(OP_WAIT, 6, 0);
        t_log(6);
    }
}

static void server_client(void *arg)
{
    for (int i = 0; i < 2; i++) {
        t_call(OP_WAKE, 6, 0);
        sim_yield();
    }
}

Test(sched, idle_servers_make_a_quiescent_end)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    sim_thread_set_server(t_spawn(e, server_loop, NULL, "server"), true);
    t_spawn(e, server_client, NULL, "client");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(tm.nlog, 2, "the server served both requests");
    cr_assert_eq(sim_idle_servers(e), 1);
    char buf[256];
    cr_assert_eq(sim_blocked_report(e, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "thread 1 'server' (server) blocked since"), "%s", buf);
    sim_end_summary(e, buf, sizeof buf);
    cr_assert_str_eq(buf, "quiescent: 1 server thread idle");
    sim_engine_free(e);
}

Test(sched, blocked_application_thread_beside_servers_is_a_deadlock)
{
    SimEngine *e = t_engine(2, SIM_STRATEGY_FIFO, 1);
    sim_thread_set_server(t_spawn(e, server_loop, NULL, "server-a"), true);
    sim_thread_set_server(t_spawn(e, server_loop, NULL, "server-b"), true);
    t_spawn(e, forever_waiter, NULL, "stuck-worker");
    cr_assert_eq(sim_run(e), SIM_RUN_DEADLOCK);
    char buf[512];
    cr_assert_eq(sim_blocked_report(e, buf, sizeof buf), 1);
    cr_assert(strstr(buf, "thread 3 'stuck-worker' blocked since"), "%s", buf);
    cr_assert_eq(sim_idle_servers(e), 2);
    sim_end_summary(e, buf, sizeof buf);
    cr_assert_str_eq(buf, "deadlock: 1 thread blocked, 2 server threads idle");
    sim_engine_free(e);
}

Test(sched, end_summary_without_servers)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    SimThread *t = t_spawn(e, logger, (void *)1, "frozen");
    char buf[128];
    cr_assert_eq(sim_end_summary(e, buf, sizeof buf), strlen("running"));
    cr_assert_str_eq(buf, "running");
    sim_thread_suspend(t);
    cr_assert_eq(sim_run(e), SIM_RUN_DEADLOCK);
    sim_end_summary(e, buf, sizeof buf);
    cr_assert_str_eq(buf, "deadlock: 1 thread left suspended");
    sim_thread_resume(t);
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    sim_end_summary(e, buf, sizeof buf);
    cr_assert_str_eq(buf, "quiescent");
    sim_engine_free(e);
}

static void suspend_target(void *arg)
{
    for (int i = 0; i < 4; i++) {
        t_log(1);
        sim_yield();
    }
}

static SimThread *susp;
static void suspender(void *arg)
{
    sim_yield();
    sim_thread_suspend(susp); /* from a fiber: engine API is usable here */
    for (int i = 0; i < 4; i++) {
        t_log(2);
        sim_yield();
    }
    sim_thread_resume(susp);
}

Test(sched, suspend_and_resume)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    susp = t_spawn(e, suspend_target, NULL, "target");
    t_spawn(e, suspender, NULL, "suspender");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    /* target logs once, is suspended while suspender logs 4 times. */
    int want[] = { 1, 1, 2, 2, 2, 2, 1, 1 };
    cr_assert_eq(tm.nlog, 8);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(tm.log[i], want[i], "at %d", i);
    sim_engine_free(e);
}

Test(sched, suspended_forever_is_reported)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    SimThread *t = t_spawn(e, logger, (void *)1, "frozen");
    sim_thread_suspend(t);
    cr_assert_eq(sim_run(e), SIM_RUN_DEADLOCK);
    char buf[256];
    sim_blocked_report(e, buf, sizeof buf);
    cr_assert(strstr(buf, "'frozen' suspended"), "%s", buf);
    sim_thread_resume(t);
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(tm.nlog, 3);
    sim_engine_free(e);
}

static void victim(void *arg)
{
    t_call(OP_WAIT, 1, 0);
    t_log(99); /* never */
}

static SimThread *to_kill;
static void killer(void *arg)
{
    sim_yield();
    sim_thread_kill(to_kill);
    t_call(OP_WAKE, 1, 0);
}

Test(sched, kill_blocked_thread_never_resumes)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    to_kill = t_spawn(e, victim, NULL, "victim");
    t_spawn(e, killer, NULL, "killer");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(tm.nlog, 0);
    cr_assert_eq(sim_thread_state(to_kill), SIM_THREAD_DEAD);
    cr_assert_eq(tm.exits, 2);
    sim_engine_free(e);
}

static void self_exit(void *arg)
{
    t_call(OP_EXIT, 0, 0);
    t_log(1); /* never */
}

Test(sched, hook_exit_kills_caller)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    SimThread *t = t_spawn(e, self_exit, NULL, "x");
    cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
    cr_assert_eq(tm.nlog, 0);
    cr_assert_eq(sim_thread_state(t), SIM_THREAD_DEAD);
    sim_engine_free(e);
}

static void charger(void *arg)
{
    t_call(OP_CHARGE, 5000, 0);
    sim_charge_compute(700);
    t_call(OP_NOP, 0, 0);
}

Test(sched, cost_model_charges)
{
    SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
    const SimConfig *c = sim_engine_config(e);
    SimThread *t = t_spawn(e, charger, NULL, "c");
    sim_run(e);
    SimTime want = 2 * c->cost.kernel_entry + 5000 + 700;
    cr_assert_eq(sim_thread_runtime(t), want, "%lld",
                 (long long)sim_thread_runtime(t));
    cr_assert_eq(sim_now(e), c->cost.context_switch + c->cost.thread_start +
                             want);
    sim_engine_free(e);
}

static void busy_yielder(void *arg)
{
    for (int i = 0; i < 50; i++) {
        t_log((int)(intptr_t)arg);
        if (i % 7 == 3)
            t_call(OP_NOP, 0, 0);
        sim_yield();
    }
}

/* The fiber-side fast paths must leave exactly the trace the engine's
 * general path leaves: sim_step disables them. */
Test(sched, fast_path_same_trace)
{
    /* k = 0: one run (the shortcut); 1: step by step (the general path);
     * 2: in slices of sim_run_until whose ends fall between a shortcut's
     * steps (the shortcut within a limit, the general path at its edge). */
    char h[3][33];
    int logs[3][4096];
    SimTime queued[3][4], ran[3][4];
    for (int k = 0; k < 3; k++) {
        SimEngine *e = t_engine(1, SIM_STRATEGY_FIFO, 1);
        SimThread *ts[4];
        for (int i = 0; i < 4; i++)
            ts[i] = t_spawn(e, busy_yielder, (void *)(intptr_t)i, "b");
        if (k == 0)
            cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
        else if (k == 1)
            while (sim_step(e) == SIM_RUN_STEPPED)
                ;
        else
            for (SimTime until = 5555; !sim_finished(e); until += 5555)
                sim_run_until(e, until);
        sim_trace_hash_hex(e, h[k]);
        memcpy(logs[k], tm.log, sizeof logs[k]);
        /* The time accounting too (ZX_INFO_TASK_RUNTIME reads it). */
        for (int i = 0; i < 4; i++) {
            queued[k][i] = sim_thread_queue_time(ts[i]);
            ran[k][i] = sim_thread_runtime(ts[i]);
        }
        sim_engine_free(e);
    }
    for (int k = 1; k < 3; k++) {
        cr_assert_str_eq(h[0], h[k], "run %d", k);
        cr_assert_eq(memcmp(logs[0], logs[k], sizeof logs[0]), 0, "run %d", k);
        for (int i = 0; i < 4; i++) {
            cr_expect_gt(queued[k][i], 0, "thread %d never waited in a queue", i);
            cr_expect_eq(queued[0][i], queued[k][i], "run %d, thread %d: queue time %" PRId64
                         " on the fast path, %" PRId64 " on the other", k, i,
                         queued[0][i], queued[k][i]);
            cr_expect_eq(ran[0][i], ran[k][i], "run %d, thread %d: runtime differs", k, i);
        }
    }
}

/* A run with a limit (sim_run_until's slices, a time limit) may take the
 * fast yield only while its steps stay within the limit: no thread ever
 * runs at a time past the end of the slice that runs it. */
static SimEngine *limit_engine;
static SimTime limit_until;
static int limit_overruns;

static void limit_yielder(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50; i++) {
        if (sim_now(limit_engine) > limit_until)
            limit_overruns++;
        sim_yield();
    }
}

Test(sched, fast_yield_stays_within_the_run_limit)
{
    limit_engine = t_engine(1, SIM_STRATEGY_FIFO, 1);
    limit_overruns = 0;
    for (int i = 0; i < 4; i++)
        t_spawn(limit_engine, limit_yielder, NULL, "l");
    for (limit_until = 5555; !sim_finished(limit_engine); limit_until += 5555)
        sim_run_until(limit_engine, limit_until);
    cr_expect_eq(limit_overruns, 0);
    sim_engine_free(limit_engine);
}

#include "engine.h"

static void sleepy_racer(void *arg)
{
    for (int i = 0; i < 30; i++) {
        t_log((int)(intptr_t)arg);
        if (i % 2)
            t_call(OP_SLEEP, 1000 + 100 * (intptr_t)arg, 0);
        else
            sim_yield();
    }
}

/* White-box: the engine renumbers event seqs long before they overflow;
 * renumbering must not change anything observable. */
Test(sched, seq_renumbering_is_invisible)
{
    char h[2][33];
    for (int k = 0; k < 2; k++) {
        SimEngine *e = t_engine(3, SIM_STRATEGY_FIFO, 1);
        if (k)
            e->seq = EQ_SEQ_LIMIT / 2 - 40; /* renumber mid-run */
        for (int i = 0; i < 6; i++)
            t_spawn(e, sleepy_racer, (void *)(intptr_t)i, "s");
        cr_assert_eq(sim_run(e), SIM_RUN_QUIESCENT);
        if (k)
            cr_assert_lt(e->seq, EQ_SEQ_LIMIT / 4, "renumbered");
        sim_trace_hash_hex(e, h[k]);
        sim_engine_free(e);
    }
    cr_assert_str_eq(h[0], h[1]);
}

Test(sched, affinity_change_moves_queued_thread)
{
    SimEngine *e = t_engine(2, SIM_STRATEGY_FIFO, 1);
    SimThread *a = sim_thread_create(e, where, NULL, "a");
    SimThread *b = sim_thread_create(e, where, NULL, "b");
    sim_thread_set_affinity(a, 1);
    sim_thread_set_affinity(b, 1);
    sim_thread_start(a);
    sim_thread_start(b); /* both queued on CPU 0 */
    sim_thread_set_affinity(b, 2);
    sim_run(e);
    cr_assert_eq(sim_thread_cpu(a), 0);
    cr_assert_eq(sim_thread_cpu(b), 1);
    sim_engine_free(e);
}

static void forever_caller(void *arg)
{
    for (;;)
        t_call(OP_NOP, 0, 0);
}

/* cfg.time_limit caps every way of running: sim_run, sim_run_until past
 * it and a loop of sim_step all stop there, and keep stopping there. */
Test(sched, time_limit_caps_every_run)
{
    SimConfig cfg;
    t_config(&cfg, 1, SIM_STRATEGY_FIFO, 1);
    cfg.time_limit = 50000;
    SimEngine *e = sim_engine_new(&cfg);
    t_spawn(e, forever_caller, NULL, "spin");
    cr_assert_not(sim_time_limit_reached(e));
    cr_assert_eq(sim_run_until(e, 20000), SIM_RUN_TIME_LIMIT);
    cr_assert_not(sim_time_limit_reached(e), "an earlier until-time is not the limit");
    cr_assert_eq(sim_run(e), SIM_RUN_TIME_LIMIT);
    cr_assert_eq(sim_now(e), 50000);
    cr_assert(sim_time_limit_reached(e));
    cr_assert_eq(sim_run_until(e, 90000), SIM_RUN_TIME_LIMIT);
    int steps = 0;
    while (sim_step(e) == SIM_RUN_STEPPED && steps < 10)
        steps++;
    cr_assert_eq(steps, 0, "a step past the limit ran");
    cr_assert_eq(sim_now(e), 50000);
    char end[64];
    sim_end_summary(e, end, sizeof end);
    cr_assert_str_eq(end, "time limit");
    sim_engine_free(e);
}

/* cfg.record_limit: once the kept trace holds that many records the run
 * stops at the end of that step, whoever drives it (sim_run's fast paths
 * or a loop of sim_step stop after the same record: same count, same
 * hash), and every later run stops there at once. Without the memory sink
 * it never applies. */
Test(sched, record_limit_stops_every_run_at_the_same_record)
{
    char h[2][33];
    size_t kept[2];
    for (int k = 0; k < 2; k++) {
        SimConfig cfg;
        t_config(&cfg, 2, SIM_STRATEGY_RANDOM, 3);
        cfg.record_limit = 5000;
        SimEngine *e = sim_engine_new(&cfg);
        sim_trace_keep(e, true);
        t_spawn(e, forever_caller, NULL, "spin");
        t_spawn(e, forever_caller, NULL, "spin2");
        cr_assert_not(sim_record_limit_reached(e));
        SimRunResult r;
        if (k == 0) {
            r = sim_run(e);
        } else {
            int steps = 0;
            while ((r = sim_step(e)) == SIM_RUN_STEPPED)
                steps++;
            cr_assert_gt(steps, 100);
        }
        cr_assert_eq(r, SIM_RUN_RECORD_LIMIT);
        cr_assert(sim_record_limit_reached(e));
        cr_assert_not(sim_time_limit_reached(e));
        kept[k] = sim_trace_count(e);
        cr_assert_geq(kept[k], 5000);
        cr_assert_lt(kept[k], 5010, "the step that filled it kept %zu", kept[k]);
        SimTime now = sim_now(e);
        cr_assert_eq(sim_run(e), SIM_RUN_RECORD_LIMIT);
        cr_assert_eq(sim_step(e), SIM_RUN_RECORD_LIMIT);
        cr_assert_eq(sim_run_until(e, now + 100000), SIM_RUN_RECORD_LIMIT);
        cr_assert_eq(sim_trace_count(e), kept[k], "a run past the limit kept records");
        cr_assert_eq(sim_now(e), now);
        char end[64];
        sim_end_summary(e, end, sizeof end);
        cr_assert_str_eq(end, "record limit");
        sim_trace_hash_hex(e, h[k]);
        sim_engine_free(e);
    }
    cr_assert_eq(kept[0], kept[1]);
    cr_assert_str_eq(h[0], h[1]);

    SimConfig cfg;
    t_config(&cfg, 1, SIM_STRATEGY_FIFO, 1);
    cfg.record_limit = 100;
    cfg.time_limit = 50000;
    SimEngine *e = sim_engine_new(&cfg);
    t_spawn(e, forever_caller, NULL, "spin");
    cr_assert_eq(sim_run(e), SIM_RUN_TIME_LIMIT, "nothing kept, nothing to limit");
    cr_assert_gt(sim_trace_total(e), 100);
    sim_engine_free(e);
}

/* A run that ends before its limit is not stopped by it, and running in
 * slices up to the next event (as `capsim run` streams output) leaves the
 * trace of one run. */
Test(sched, slices_and_an_unreached_limit_leave_the_same_trace)
{
    char h[3][33];
    for (int k = 0; k < 3; k++) {
        SimConfig cfg;
        t_config(&cfg, 3, SIM_STRATEGY_RANDOM, 5);
        cfg.time_limit = k == 1 ? 1000000000 : 0;
        SimEngine *e = sim_engine_new(&cfg);
        for (int i = 0; i < 6; i++)
            t_spawn(e, sleepy_racer, (void *)(intptr_t)i, "s");
        SimRunResult r;
        if (k < 2) {
            r = sim_run(e);
        } else {
            int slices = 0;
            while ((r = sim_run_until(e, sim_next_time(e) + 700)) == SIM_RUN_TIME_LIMIT)
                slices++;
            cr_assert_gt(slices, 10);
        }
        cr_assert_eq(r, SIM_RUN_QUIESCENT);
        cr_assert_not(sim_time_limit_reached(e));
        cr_assert_eq(sim_next_time(e), SIM_TIME_INFINITE);
        sim_trace_hash_hex(e, h[k]);
        sim_engine_free(e);
    }
    cr_assert_str_eq(h[0], h[1]);
    cr_assert_str_eq(h[0], h[2]);
}
