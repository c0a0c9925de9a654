/* loop.c — the main loop: what happens next, until when, and why it ended.
 *
 * Models: the passage of virtual time. The next thing to process is the
 * earliest in (time, seq) of the hot CPU's pending step (engine.c keeps it
 * out of the heap) and the event queue's head: a CPU step, a timer or a
 * thread deadline. sim_run processes until nothing is left; sim_run_until
 * stops before anything later than the limit (and sets now = limit);
 * sim_step processes exactly one thing (fast paths off, so it is the same
 * sequence of steps sim_run would take, one at a time). cfg.time_limit
 * caps all three: no run goes past it, whoever drives the engine (a
 * script's own loop of steps included), so a system whose threads loop
 * through syscalls forever still ends; stopping at a limit and going on
 * leaves the same trace as one run. cfg.record_limit stops a run too, at
 * the end of the step in which the kept trace filled up (trace.c), and
 * every run after it at once: the memory a run keeps stays bounded.
 *
 * The end: with nothing left to process, the run is QUIESCENT if no thread
 * is blocked or stuck suspended, except server threads (sim_thread_set_server)
 * waiting for requests nobody will send any more: a system gone quiet with
 * its servers idle is done, not deadlocked. Any other blocked thread makes
 * it a DEADLOCK; sim_blocked_report then names each such thread, what it
 * waits on (its SimDescribeFn) and until when, and sim_end_summary says it
 * in one line ("quiescent: 12 server threads idle").
 *
 * Also here: timers (sim_timer_add/cancel) and the safe points where dead
 * threads' fibers are released (thread.c's reap list).
 *
 * Read next: engine.c (the steps), sched.c (who runs).
 */
#include "engine.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <string.h>

/* ---- events ----------------------------------------------------------------*/

static void engine_event(SimEngine *e, const EqPayload *p, SimTime t, EqId id)
{
    SIM_CHECK(t >= e->now, "event in the past");
    e->now = t;
    e->cur_cpu = NULL;
    if (p->kind == EV_TIMER) {
        trace_put_fast(&e->trace, t, SIM_TR_TIMER, -1, 0, id, 0);
        ((SimTimerFn)p->a)(e, p->b);
        return;
    }
    SimThread *th = p->a; /* EV_TIMEOUT */
    th->timeout_id = 0;
    if (th->state != SIM_THREAD_BLOCKED)
        return;
    e->timeout_thread = th;
    if (th->on_timeout)
        th->on_timeout(e, th, th->block_ctx);
    else
        sim_thread_wake(th);
    e->timeout_thread = NULL;
}

SimTimerId sim_timer_add(SimEngine *e, SimTime at, SimTimerFn fn, void *ctx)
{
    if (at < e->now)
        at = e->now;
    EqPayload p = { EV_TIMER, 0, (void *)fn, ctx };
    return eq_push(&e->eq, at, engine_seq_take(e), &p);
}

bool sim_timer_cancel(SimEngine *e, SimTimerId id)
{
    return eq_cancel(&e->eq, id);
}

/* ---- the main loop ---------------------------------------------------------*/

typedef enum { NEXT_NONE, NEXT_LIMIT, NEXT_CPU, NEXT_EVENT } EngineNext;

/* The next thing to process: the hot CPU's step if it is earliest, else
 * the heap's head (the hot step is pushed first, keeping its seq). */
static EngineNext engine_take(SimEngine *e, SimTime limit, SimCpu **cpu,
                              EqPayload *p, SimTime *t, EqId *id)
{
    if (__builtin_expect(e->seq >= EQ_SEQ_LIMIT / 2, 0)) {
        /* ~2.7e11 pushes: renumber (order-preserving), hot step included. */
        if (e->hot) {
            EqPayload hp = { EV_CPU, (uint32_t)e->hot->index, NULL, NULL };
            eq_push(&e->eq, e->hot->clock, e->hot->step_seq, &hp);
            e->hot = NULL;
        }
        e->seq = eq_renumber(&e->eq, 2, 2);
    }
    int64_t ht = 0;
    uint64_t hs = 0;
    bool has = eq_peek(&e->eq, &ht, &hs);
    SimCpu *h = e->hot;
    if (h && (!has || h->clock < ht || (h->clock == ht && h->step_seq < hs))) {
        if (h->clock > limit)
            return NEXT_LIMIT;
        *cpu = h;
        return NEXT_CPU;
    }
    if (!has)
        return NEXT_NONE;
    if (ht > limit)
        return NEXT_LIMIT;
    if (h) {
        EqPayload hp = { EV_CPU, (uint32_t)h->index, NULL, NULL };
        eq_push(&e->eq, h->clock, h->step_seq, &hp);
        e->seq += 2; /* later hot steps must sort after this one */
        e->hot = NULL;
    }
    eq_pop(&e->eq, &ht, &hs, p, id);
    *t = ht;
    if (p->kind == EV_CPU) {
        *cpu = &e->cpus[p->aux];
        return NEXT_CPU;
    }
    return NEXT_EVENT;
}

/* Who is left at the end: blocked application threads, idle servers,
 * threads suspended while runnable (never resumed). */
typedef struct EngineTally {
    size_t blocked, servers, suspended;
} EngineTally;

static EngineTally engine_tally(SimEngine *e)
{
    EngineTally n = {0, 0, 0};
    for (size_t i = 0; i < e->nthreads; i++) {
        SimThread *t = e->threads[i];
        if (t->state == SIM_THREAD_BLOCKED) {
            if (t->flags & TF_SERVER)
                n.servers++;
            else
                n.blocked++;
        } else if (t->state == SIM_THREAD_RUNNABLE && t->suspend_count) {
            n.suspended++;
        }
    }
    return n;
}

/* Nothing left to process: idle (at most servers waiting) or stuck. The
 * scan runs once per run's end, never per step. */
static SimRunResult engine_idle_result(SimEngine *e)
{
    EngineTally n = engine_tally(e);
    if (n.blocked || n.suspended)
        return SIM_RUN_DEADLOCK;
    return SIM_RUN_QUIESCENT;
}

static SimRunResult engine_loop(SimEngine *e, SimTime limit, bool single)
{
    for (;;) {
        if (e->nreap)
            thread_reap_all(e);
        if (e->stop)
            return SIM_RUN_STOPPED;
        SimCpu *c = NULL;
        EqPayload p;
        SimTime t = 0;
        EqId id = 0;
        EngineNext k = engine_take(e, limit, &c, &p, &t, &id);
        if (k == NEXT_NONE)
            return engine_idle_result(e);
        if (k == NEXT_LIMIT) {
            if (limit > e->now)
                e->now = limit;
            return SIM_RUN_TIME_LIMIT;
        }
        if (k == NEXT_CPU) {
            engine_cpu_step(e, c);
            /* Fast path: keep stepping the CPU while it stays the earliest
             * (no heap traffic; e->fast is false when single-stepping). */
            while (e->fast && !e->nreap && engine_fast_ok(e, c))
                engine_cpu_step(e, c);
        } else {
            engine_event(e, &p, t, id);
        }
        if (single) {
            if (e->nreap)
                thread_reap_all(e);
            if (e->stop)
                return SIM_RUN_STOPPED;
            return sim_finished(e) ? engine_idle_result(e) : SIM_RUN_STEPPED;
        }
    }
}

static SimRunResult engine_run_main(SimEngine *e, SimTime limit, bool single)
{
    SIM_CHECK(!e->running, "sim_run reentered");
    SIM_CHECK(!sim_tls.current, "sim_run called from a simulated thread");
    if (sim_record_limit_reached(e))
        return SIM_RUN_RECORD_LIMIT;
    SimEngine *outer = sim_tls.engine;
    int saved_errno = errno; /* fibers leave theirs behind */
    sim_tls.engine = e;
    sim_tls.errno_loc = &errno; /* one host thread: sim_enter's errno */
    e->running = true;
    e->stop = false;
    e->stepping = single;
    SimTime cap = e->cfg.time_limit > 0 ? e->cfg.time_limit : SIM_TIME_INFINITE;
    if (limit > cap)
        limit = cap;
    e->limit = limit;
    engine_update_fast(e);
    fault_run_begin(e);
    SimRunResult r = engine_loop(e, limit, single);
    if (r == SIM_RUN_TIME_LIMIT && limit == cap)
        e->time_limit_hit = true;
    if (r == SIM_RUN_STOPPED && e->trace.keep_full)
        r = sim_finished(e) ? engine_idle_result(e) : SIM_RUN_RECORD_LIMIT;
    fault_run_end(e);
    e->running = false;
    e->stop = false;
    engine_update_fast(e);
    e->limit = SIM_TIME_INFINITE;
    sim_tls.engine = outer;
    errno = saved_errno;
    return r;
}

SimRunResult sim_run(SimEngine *e)
{
    return engine_run_main(e, SIM_TIME_INFINITE, false);
}

SimRunResult sim_run_until(SimEngine *e, SimTime limit)
{
    return engine_run_main(e, limit, false);
}

SimRunResult sim_step(SimEngine *e)
{
    return engine_run_main(e, SIM_TIME_INFINITE, true);
}

void sim_stop(SimEngine *e)
{
    e->stop = true;
    engine_update_fast(e);
}

bool sim_finished(SimEngine *e)
{
    return !e->hot && eq_size(&e->eq) == 0;
}

bool sim_time_limit_reached(SimEngine *e)
{
    return e->time_limit_hit && !sim_finished(e);
}

bool sim_record_limit_reached(SimEngine *e)
{
    return e->trace.keep_full && !sim_finished(e);
}

SimTime sim_next_time(SimEngine *e)
{
    int64_t t = SIM_TIME_INFINITE;
    uint64_t seq = 0;
    if (!eq_peek(&e->eq, &t, &seq))
        t = SIM_TIME_INFINITE;
    if (e->hot && e->hot->clock < t)
        t = e->hot->clock;
    return t;
}

/* ---- reports ---------------------------------------------------------------*/

static void engine_report_line(GString *s, SimThread *t)
{
    char what[256] = "unknown";
    const char *role = (t->flags & TF_SERVER) ? " (server)" : "";
    if (t->state == SIM_THREAD_BLOCKED) {
        if (t->describe)
            t->describe(t, t->block_ctx, what, sizeof what);
        g_string_append_printf(s, "thread %" PRIu64 " '%s'%s blocked since %"
                               PRId64 " ns on %s, until ", t->id, t->name, role,
                               t->blocked_since, what);
        if (t->deadline == SIM_TIME_INFINITE)
            g_string_append(s, "forever");
        else
            g_string_append_printf(s, "%" PRId64 " ns", t->deadline);
    } else {
        g_string_append_printf(s, "thread %" PRIu64 " '%s'%s suspended "
                               "(runnable), never resumed", t->id, t->name, role);
    }
    if (t->suspend_count && t->state == SIM_THREAD_BLOCKED)
        g_string_append(s, " (also suspended)");
    g_string_append_c(s, '\n');
}

/* Copy a GString into (buf, len) as far as it fits; frees it; returns the
 * length it needed. */
static size_t engine_give_text(GString *s, char *buf, size_t len)
{
    size_t need = s->len;
    if (buf && len) {
        size_t m = s->len < len - 1 ? s->len : len - 1;
        memcpy(buf, s->str, m);
        buf[m] = '\0';
    }
    g_string_free(s, TRUE);
    return need;
}

/* One line per blocked thread (and runnable one left suspended). */
static GString *engine_blocked_lines(SimEngine *e)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < e->nthreads; i++) {
        SimThread *t = e->threads[i];
        bool stuck_suspended =
            t->state == SIM_THREAD_RUNNABLE && t->suspend_count;
        if (t->state == SIM_THREAD_BLOCKED || stuck_suspended)
            engine_report_line(s, t);
    }
    return s;
}

char *sim_blocked_text(SimEngine *e)
{
    return g_string_free(engine_blocked_lines(e), FALSE);
}

size_t sim_blocked_report(SimEngine *e, char *buf, size_t len)
{
    engine_give_text(engine_blocked_lines(e), buf, len);
    return engine_tally(e).blocked;
}

size_t sim_idle_servers(SimEngine *e)
{
    return engine_tally(e).servers;
}

static void engine_count_phrase(GString *s, bool *first, size_t n,
                                const char *what, const char *state)
{
    if (!n)
        return;
    g_string_append_printf(s, "%s%zu %s%s %s", *first ? ": " : ", ", n, what,
                           n == 1 ? "" : "s", state);
    *first = false;
}

size_t sim_end_summary(SimEngine *e, char *buf, size_t len)
{
    GString *s = g_string_new(NULL);
    if (!sim_finished(e)) {
        g_string_append(s, sim_time_limit_reached(e)     ? "time limit"
                           : sim_record_limit_reached(e) ? "record limit"
                                                         : "running");
        return engine_give_text(s, buf, len);
    }
    EngineTally n = engine_tally(e);
    bool first = true;
    g_string_append(s, n.blocked || n.suspended ? "deadlock" : "quiescent");
    engine_count_phrase(s, &first, n.blocked, "thread", "blocked");
    engine_count_phrase(s, &first, n.suspended, "thread", "left suspended");
    engine_count_phrase(s, &first, n.servers, "server thread", "idle");
    return engine_give_text(s, buf, len);
}

size_t sim_thread_count(SimEngine *e)
{
    return e->live;
}

size_t sim_live_fibers(SimEngine *e)
{
    return e->nfibers;
}
