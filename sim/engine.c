/* engine.c — the engine: configuration, the main loop, requests, timers.
 *
 * Models: virtual time and the order in which things happen. Each virtual
 * CPU has a local clock and at most one pending "step" (pick a thread, run
 * it until its next request, handle that request); timers and thread
 * deadlines are events too. Everything is processed one at a time in
 * (time, seq) order, so requests from different CPUs are handled in
 * virtual-time order and equal times first-in first-out.
 *
 * Maestro pattern (SimGrid): app code runs on fibers; a request switches to
 * the engine's own context (the stack that called sim_run), which traces it,
 * calls the ONE hook (the model), charges its cost and picks what runs next.
 * Model code never runs on an app stack.
 *
 * Fast paths (essential for the performance targets):
 *  - the CPU just processed stays out of the heap ("hot"); its next step
 *    runs directly while it is strictly earlier in (time, seq) than the
 *    heap's head. Its seq is taken when the step is created, so this is
 *    exactly equivalent to pushing and popping (always true with one CPU
 *    and no timers).
 *  - engine-level requests (sim_yield, sim_preempt_point) are handled on
 *    the requesting fiber's stack when the hot CPU can keep going, and the
 *    fiber switches directly to the next thread (request.c): one switch
 *    per yield instead of two. Exits and faults always go through the
 *    engine context.
 *  - hook requests (sim_enter) run on the engine's stack without
 *    switching to its context (fiber_kcall, request.c): when the caller
 *    continues there is no switch at all, and a hand-off is one switch.
 *
 * Invariants: e->now never decreases; at most one CPU is hot and the hot CPU
 * has no entry in the heap; a CPU is in idle_mask iff next == CPU_IDLE; a
 * thread is on a run queue iff TF_QUEUED, and then RUNNABLE and unsuspended.
 *
 * The only use of host time anywhere is the optional budget watchdog
 * (fault.c): it decides WHEN a runaway thread is stopped, never what the
 * simulation computes otherwise.
 *
 * Read next: loop.c (the main loop), sched.c (run queues), request.c (the
 * fiber side), thread.c.
 */
#include "engine.h"
#include "fault.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(SIM_FIBER_UCONTEXT) && !defined(SIM_ASAN)
_Static_assert(offsetof(SimThread, engine) == 64,
               "SimThread: the dispatch line is the first 64 bytes");
_Static_assert(offsetof(SimThread, req_ns) + sizeof(SimTime) == 128,
               "SimThread: the running line is the second 64 bytes");
#endif

__thread SimTls sim_tls __attribute__((tls_model("initial-exec")));

/* Cost model defaults, virtual ns, for a modern x86-64 microkernel (Zircon
 * on a 3 GHz core, with speculation mitigations): a syscall round trip
 * 100-200 ns; a thread context switch 1-2 us (registers, address space,
 * cache/TLB refill); making a waiter runnable (queue + IPI) ~500 ns;
 * starting a thread (first dispatch, stack and TLS setup) ~5 us. The slice
 * is Zircon's legacy scheduler's 10 ms. */
#define SIM_DEFAULT_KERNEL_ENTRY 150
#define SIM_DEFAULT_CONTEXT_SWITCH 1000
#define SIM_DEFAULT_WAKEUP 500
#define SIM_DEFAULT_THREAD_START 5000
#define SIM_DEFAULT_TIME_SLICE 10000000
#define SIM_DEFAULT_STACK_SIZE (256 * 1024)

void sim_config_default(SimConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->cpus = 1;
    cfg->time_slice = SIM_DEFAULT_TIME_SLICE;
    cfg->strategy = SIM_STRATEGY_FIFO;
    cfg->pct_depth = 3;
    cfg->pct_steps = 100000;
    cfg->stack_size = SIM_DEFAULT_STACK_SIZE;
    cfg->cost.kernel_entry = SIM_DEFAULT_KERNEL_ENTRY;
    cfg->cost.context_switch = SIM_DEFAULT_CONTEXT_SWITCH;
    cfg->cost.wakeup = SIM_DEFAULT_WAKEUP;
    cfg->cost.thread_start = SIM_DEFAULT_THREAD_START;
}

void engine_panic_at(const char *file, int line, const char *fmt, ...)
{
    SimEngine *e = sim_tls.engine;
    SimThread *t = sim_tls.current;
    va_list ap;
    fprintf(stderr, "capsim: simulator bug at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  virtual time %" PRId64 " ns", e ? e->now : (SimTime)-1);
    if (e && e->caller)
        t = e->caller;
    if (t)
        fprintf(stderr, ", thread %" PRIu64 " '%s'", t->id, t->name);
    fprintf(stderr, "\n");
    fault_set_dying();
    abort();
}

/* ---- engine lifetime -------------------------------------------------------*/

static bool engine_config_check(SimConfig *cfg)
{
    if (cfg->cpus < 1 || cfg->cpus > SIM_MAX_CPUS) {
        fprintf(stderr, "capsim: cpus must be 1..%d (got %d)\n", SIM_MAX_CPUS,
                cfg->cpus);
        return false;
    }
    if (cfg->time_slice <= 0)
        cfg->time_slice = SIM_DEFAULT_TIME_SLICE;
    if (!cfg->stack_size)
        cfg->stack_size = SIM_DEFAULT_STACK_SIZE;
    if (cfg->strategy == SIM_STRATEGY_REPLAY && cfg->replay_len && !cfg->replay)
        return false;
    return true;
}

/* Kernel entries need no hook or choice checks beyond one flag while
 * none of them applies (engine_enter_kcall). */
static void engine_update_plain(SimEngine *e)
{
    e->kcall_plain = e->memory_fn == NULL && e->resume_fn == NULL &&
                     e->cfg.strategy != SIM_STRATEGY_PCT;
}

SimEngine *sim_engine_new(const SimConfig *cfg)
{
    SimConfig c = *cfg;
    if (!engine_config_check(&c))
        return NULL;
    SimEngine *e = g_new0(SimEngine, 1);
    e->cfg = c;
    for (int i = 0; i < SIM_STREAM_COUNT; i++)
        sim_rng_init(&e->streams[i], c.seed, rng_stream_name(i));
    e->ncpus = c.cpus;
    e->cpus = g_new0(SimCpu, c.cpus);
    e->all_mask = c.cpus == 64 ? ~0ull : (1ull << c.cpus) - 1;
    e->idle_mask = e->all_mask;
    for (int i = 0; i < c.cpus; i++)
        e->cpus[i].index = i;
    eq_init(&e->eq);
    stack_pool_init(&e->stacks, c.stack_size);
    trace_init(&e->trace);
    e->trace.keep_limit = c.record_limit;
    choice_init(e);
    fiber_make_host(&e->maestro);
    fault_engine_init(e);
    e->limit = SIM_TIME_INFINITE;
    e->seq = 2;
    engine_update_plain(e);
    return e;
}

struct SimAtFree {
    SimAtFreeFn fn;
    void *ctx;
    struct SimAtFree *next;
};

void sim_engine_at_free(SimEngine *e, SimAtFreeFn fn, void *ctx)
{
    struct SimAtFree *a = g_new(struct SimAtFree, 1);
    *a = (struct SimAtFree){fn, ctx, e->at_free};
    e->at_free = a;
}

void sim_engine_free(SimEngine *e)
{
    if (!e)
        return;
    SIM_CHECK(!e->running, "sim_engine_free during sim_run");
    struct SimAtFree *at_free = e->at_free;
    thread_free_all(e);
    fault_engine_free(e);
    stack_pool_destroy(&e->stacks);
    eq_free(&e->eq);
    choice_free(e);
    trace_free(&e->trace);
    g_free(e->reap);
    g_free(e->stack_index);
    g_free(e->cpus);
    g_free(e);
    while (at_free) {
        struct SimAtFree *next = at_free->next;
        at_free->fn(at_free->ctx);
        g_free(at_free);
        at_free = next;
    }
}

void sim_engine_set_hook(SimEngine *e, SimHookFn hook,
                         SimThreadExitFn on_thread_exit, SimFaultFn on_fault,
                         void *ctx)
{
    e->cfg.hook = hook;
    e->cfg.on_thread_exit = on_thread_exit;
    e->cfg.on_fault = on_fault;
    e->cfg.hook_ctx = ctx;
}

void sim_engine_set_resume_hook(SimEngine *e, SimResumeFn fn, void *ctx)
{
    e->resume_fn = fn;
    e->resume_ctx = ctx;
    engine_update_plain(e);
}

void sim_engine_set_memory_hook(SimEngine *e, SimMemoryFn fn, void *ctx)
{
    e->memory_fn = fn;
    e->memory_ctx = ctx;
    engine_update_plain(e);
}

SimResumeFn sim_engine_resume_hook(SimEngine *e, void **ctx)
{
    if (ctx)
        *ctx = e->resume_ctx;
    return e->resume_fn;
}

const SimConfig *sim_engine_config(SimEngine *e)
{
    return &e->cfg;
}

SimRng *sim_stream(SimEngine *e, SimStream which)
{
    SIM_CHECK((unsigned)which < SIM_STREAM_COUNT, "bad stream %d", which);
    return &e->streams[which];
}

SimTime sim_now(SimEngine *e)
{
    return e->now;
}

void sim_charge(SimEngine *e, SimTime ns)
{
    if (e->in_request && ns > 0)
        e->charge += ns;
}

/* ---- steps -----------------------------------------------------------------*/

/* Sequence numbers: pushes take even numbers (e->seq, then += 2). A hot
 * step is not pushed; it takes the odd number just below the next push,
 * which orders it after everything pushed before it was created and
 * before everything pushed later, as a push would, without spending a
 * number per step. Pushing the hot step later spends one (see
 * engine_take). */
uint64_t engine_seq_take(SimEngine *e)
{
    uint64_t s = e->seq;
    e->seq += 2;
    return s;
}

/* Give an idle CPU a PICK step now (it may steal). */
void engine_kick_cpu(SimEngine *e, SimCpu *c)
{
    if (c->next != CPU_IDLE)
        return;
    if (c->clock < e->now)
        c->clock = e->now;
    c->next = CPU_PICK;
    e->idle_mask &= ~(1ull << c->index);
    c->step_seq = engine_seq_take(e);
    EqPayload p = { EV_CPU, (uint32_t)c->index, NULL, NULL };
    eq_push(&e->eq, c->clock, c->step_seq, &p);
}

void engine_update_fast(SimEngine *e)
{
    e->fast = e->running && !e->stop && !e->stepping;
}

void engine_pick(SimEngine *e, SimCpu *c)
{
    for (;;) {
        SimThread *t = sched_next(e, c);
        if (!t) {
            c->next = CPU_IDLE;
            c->current = NULL;
            c->last = NULL;
            e->idle_mask |= 1ull << c->index;
            return;
        }
        if (t->flags & TF_FAULTED) { /* woken after a fault: cannot run */
            thread_mark_dead(e, t, true);
            continue;
        }
        SimTime cost = t != c->last ? e->cfg.cost.context_switch : 0;
        if (!(t->flags & TF_STARTED)) {
            t->flags |= TF_STARTED;
            cost += e->cfg.cost.thread_start;
        }
        trace_put_fast(&e->trace, e->now, SIM_TR_SWITCH, c->index, t->id,
                       c->last ? c->last->id : 0, t->id);
        c->clock += cost;
        c->current = c->last = t;
        t->state = SIM_THREAD_RUNNING;
        t->cpu = (int8_t)c->index;
        if (t->slice_left <= 0)
            t->slice_left = sched_slice(e, t);
        c->slice_end = c->clock + t->slice_left;
        c->next = CPU_RUN;
        return;
    }
}

/* `t` leaves the CPU without being queued (blocked, dead, suspended). */
static void engine_leave(SimCpu *c, SimThread *t)
{
    if (t->state == SIM_THREAD_RUNNING) {
        t->state = SIM_THREAD_RUNNABLE; /* suspended: off the run queue */
        t->slice_left = c->slice_end - c->clock;
    }
    c->current = NULL;
    c->next = CPU_PICK;
}

/* After a request that lets `t` continue: suspension, then preemption. */
static inline void engine_after_kernel(SimEngine *e, SimCpu *c, SimThread *t)
{
    if (t->state != SIM_THREAD_RUNNING || t->suspend_count) {
        engine_leave(c, t);
        return;
    }
    /* The common answer of sched_preempt_at_exit, without the call: no
     * higher band waits, the slice goes on, and no strategy choice (FIFO,
     * or nobody else in the band). */
    if (((uint64_t)c->bitmap >> t->prio) <= 1 && c->clock < c->slice_end &&
        (e->cfg.strategy == SIM_STRATEGY_FIFO || !c->band_n[t->prio])) {
        c->next = CPU_RUN;
        return;
    }
    if (sched_preempt_at_exit(e, c, t)) {
        t->state = SIM_THREAD_RUNNABLE;
        c->current = NULL;
        c->next = CPU_PICK;
        return;
    }
    c->next = CPU_RUN;
}

/* The request lives on the caller's stack. After a hook that ends the
 * caller (SIM_HOOK_EXIT) that stack may already be gone (the model can
 * unmap an app's stack as it kills the process), so the request is not
 * read again: its kernel-exit record has result 0. The memory hook runs
 * before each read (the hook may have made another thread's memory the
 * reachable one). */
static inline void engine_req_enter_as(SimEngine *e, SimCpu *c,
                                       SimThread *t, bool hooks)
{
    if (hooks)
        engine_reach(e, t);
    SimRequest *r = t->request;
    uint32_t op = r->op;
    e->caller = t;
    e->in_request = true;
    e->charge = e->cfg.cost.kernel_entry;
    trace_put_op(&e->trace, e->now, SIM_TR_KERNEL_ENTER, c->index, t->id,
                 op, 0);
    SimHookResult res = SIM_HOOK_CONTINUE;
    if (e->cfg.hook)
        res = e->cfg.hook(e, t, r, e->cfg.hook_ctx);
    else
        r->result = -2; /* ZX_ERR_NOT_SUPPORTED */
    e->in_request = false;
    e->caller = NULL;
    c->clock = e->now + e->charge;
    t->runtime += e->charge;
    if (res == SIM_HOOK_EXIT && t->state != SIM_THREAD_DEAD)
        thread_mark_dead(e, t, true);
    if (t->state == SIM_THREAD_BLOCKED) {
        t->flags |= TF_IN_KERNEL; /* KERNEL_EXIT when it resumes */
        engine_leave(c, t);
        return;
    }
    if (res != SIM_HOOK_EXIT)
        engine_reach(e, t);
    trace_put_op(&e->trace, c->clock, SIM_TR_KERNEL_EXIT, c->index, t->id,
                 op, res == SIM_HOOK_EXIT ? 0 : (uint64_t)r->result);
    engine_after_kernel(e, c, t);
}

static inline void engine_req_enter(SimEngine *e, SimCpu *c, SimThread *t)
{
    engine_req_enter_as(e, c, t, true);
}

static void engine_req_yield(SimEngine *e, SimCpu *c, SimThread *t)
{
    c->clock += e->cfg.cost.kernel_entry;
    t->runtime += e->cfg.cost.kernel_entry;
    if (t->suspend_count || !sched_yield_has_peer(c, t)) {
        engine_after_kernel(e, c, t);
        return;
    }
    t->slice_left = 0;
    t->state = SIM_THREAD_RUNNABLE;
    sched_enqueue(e, c, t, false);
    c->current = NULL;
    c->next = CPU_PICK;
}

/* Fault addresses are hashed only where they are deterministic: small
 * addresses (NULL + offset) as they are, stack addresses as an offset below
 * the thread's stack top; anything else depends on ASLR and is traced as 0
 * (addr_kind 2). on_fault always gets the real address. */
static void engine_req_fault(SimEngine *e, SimCpu *c, SimThread *t)
{
    uintptr_t a = t->fault_addr, top = (uintptr_t)t->stack_lo + t->stack_size;
    uint64_t shown = 0, how = 2;
    if (a < 65536) {
        shown = a;
        how = 0;
    } else if (t->stack_lo && a < top && a + (1u << 20) + t->stack_size > top) {
        shown = top - a;
        how = 1;
    }
    t->flags |= TF_FAULTED;
    trace_put(&e->trace, e->now, SIM_TR_FAULT, c->index, t->id, t->fault_kind,
              shown, how, 0, NULL);
    e->caller = t;
    e->in_request = true;
    if (e->cfg.on_fault)
        e->cfg.on_fault(e, t, t->fault_kind, t->fault_addr, e->cfg.hook_ctx);
    e->in_request = false;
    e->caller = NULL;
    if (t->state == SIM_THREAD_RUNNING)
        thread_mark_dead(e, t, true);
    engine_leave(c, t);
}

/* A kernel entry of `t`, the running thread of the hot CPU c, taken
 * straight through on the engine's stack (request.c's fiber_kcall): the
 * REQ step exactly as engine_request + engine_step_done take it, then the
 * steps the engine loop's fast path would take for c while they stay the
 * earliest: when t continues, its RUN step's bookkeeping
 * (engine_begin_run); when t blocked or left the CPU, the PICK of the next
 * thread and that thread's RUN bookkeeping (a hand-off). Returns the
 * thread to resume (t itself in most syscalls), or NULL when c's next
 * step is left recorded for the engine context. One function for every
 * kernel entry: no call per step. */
static inline SimThread *engine_enter_kcall(SimEngine *e, SimCpu *c,
                                            SimThread *t)
{
    e->now = c->clock;
    e->cur_cpu = c;
    if (__builtin_expect(e->kcall_plain && t->state != SIM_THREAD_DEAD, 1))
        engine_req_enter_as(e, c, t, false);
    else
        engine_request(e, c);
    engine_step_done(e, c);
    if (__builtin_expect(c->next == CPU_RUN && t->state == SIM_THREAD_RUNNING &&
                             !e->nreap && engine_fast_ok(e, c), 1)) {
        e->now = c->clock;
        if (__builtin_expect(e->kcall_plain, 1)) /* the hook may set one */
            engine_begin_run_as(e, c, t, false);
        else
            engine_begin_run(e, c, t);
        return t;
    }
    /* t did not run on: the steps request.c's loop would take. */
    while (!e->nreap && engine_fast_ok(e, c)) {
        e->now = c->clock;
        e->cur_cpu = c;
        if (c->next == CPU_PICK) {
            engine_pick(e, c);
        } else if (c->next == CPU_REQ) {
            engine_request(e, c);
        } else {
            SimThread *to = c->current;
            if (c->next == CPU_RUN && to->state == SIM_THREAD_RUNNING) {
                engine_begin_run(e, c, to);
                return to;
            }
            break;
        }
        engine_step_done(e, c);
    }
    e->cur_cpu = NULL;
    return NULL;
}

#ifdef SIM_FIBER_KCALL
/* fiber_kcall's target for a kernel entry of `arg` (request.c's sim_enter),
 * on the engine's stack. The request is posted first (sim_enter ruled
 * out the canary case; done here rather than on the fiber, whose frame
 * stays small), then the steps through engine_enter_kcall. Returns only to
 * resume the caller itself (most syscalls); otherwise switches straight to
 * the next thread, or to the engine context (which carries on from the
 * same state), abandoning this stack frame. */
void engine_kcall(void *arg)
{
    SimThread *self = arg, *to = NULL;
    SimEngine *e = self->engine;
    SimCpu *c = &e->cpus[self->cpu];
    sim_tls.current = NULL; /* as on the engine context */
    engine_post_request(e, c, self, REQ_ENTER);
    /* When something else comes first, the engine context takes over as
     * if the fiber had switched to it (its context is saved). */
    if (__builtin_expect(engine_fast_ok(e, c), 1)) {
        to = engine_enter_kcall(e, c, self);
        if (to == self)
            return; /* the common case: the caller runs on */
    }
    fiber_resume_asm(to ? to->ctx.sp : e->maestro.sp);
}
#endif

void engine_request(SimEngine *e, SimCpu *c)
{
    SimThread *t = c->current;
    if (t->state == SIM_THREAD_DEAD) { /* killed while it was on the CPU */
        engine_leave(c, t);
        return;
    }
    if (e->cfg.strategy == SIM_STRATEGY_PCT && t->req != REQ_EXIT &&
        t->req != REQ_FAULT)
        choice_kernel_entry(e, t);
    switch ((ReqKind)t->req) {
    case REQ_ENTER:
        engine_req_enter(e, c, t);
        break;
    case REQ_YIELD:
        engine_req_yield(e, c, t);
        break;
    case REQ_PREEMPT:
        c->clock += t->req_ns;
        t->runtime += t->req_ns;
        engine_after_kernel(e, c, t);
        break;
    case REQ_EXIT:
        thread_mark_dead(e, t, false);
        engine_leave(c, t);
        break;
    case REQ_FAULT:
        engine_req_fault(e, c, t);
        break;
    default:
        engine_panic("thread %" PRIu64 " made no request", t->id);
    }
}

static void engine_run(SimEngine *e, SimCpu *c)
{
    SimThread *t = c->current;
    if (t->state != SIM_THREAD_RUNNING) {
        engine_leave(c, t);
        engine_step_done(e, c);
        return;
    }
    engine_begin_run(e, c, t);
    e->engine_switches++;
    fiber_switch_inline(&e->maestro, &t->ctx);
    /* Back on the engine: whichever fiber switched here has completed its
     * step bookkeeping (request.c). */
    sim_tls.current = NULL;
}

void engine_cpu_step(SimEngine *e, SimCpu *c)
{
    SIM_CHECK(c->clock >= e->now, "time went backwards on cpu %d", c->index);
    e->now = c->clock;
    e->cur_cpu = c;
    switch (c->next) {
    case CPU_PICK:
        engine_pick(e, c);
        engine_step_done(e, c);
        break;
    case CPU_REQ:
        engine_request(e, c);
        engine_step_done(e, c);
        break;
    case CPU_RUN:
        engine_run(e, c);
        break;
    case CPU_IDLE:
        engine_panic("idle cpu %d has a step", c->index);
    }
    e->cur_cpu = NULL;
}
