/* request.c — the fiber side: how a simulated thread enters the engine.
 *
 * Models: the trap into the kernel. sim_enter() stores the request in the
 * thread and switches to the engine context, which handles it (engine.c)
 * and later resumes the thread with request->result set. The engine-level
 * calls (sim_yield, sim_preempt_point) take a fast path when they can: the
 * scheduler work is done without the engine context, and the fiber
 * switches DIRECTLY to the next thread of its CPU (one switch per yield
 * instead of two, and the return-stack predictor stays in step because
 * every thread suspends at the same call site). The fast path is taken
 * only while the CPU's next steps are the globally earliest
 * (engine_fast_ok), never for hooks, exits or faults. On x86-64
 * (SIM_FIBER_YIELD) the scheduler work runs on the engine's stack:
 * fiber_yield_asm saves the fiber, calls request_switch_on_engine there
 * and resumes whatever it returns, so a suspended thread's stack holds
 * only its app frames and one switching frame (two cache lines fewer to
 * bring back per yield) and any stack size takes the fast path.
 * Elsewhere it runs on the fiber's own stack, only with 16 KiB of
 * headroom, so no deep engine code runs on a nearly full app stack.
 * While a memory hook is set (the model's strict memory mode), a fiber on
 * a stack it was given (a VMO mapping of its process) never switches
 * straight to another fiber: the next thread's process is opened before
 * the switch, which would close the stack the switch saves registers on.
 * It goes through the engine context instead.
 *
 * Kernel entries (sim_enter) take the other fast path on x86-64 (fiber.h's
 * SIM_FIBER_KCALL): fiber_kcall saves the fiber's context and calls
 * engine_kcall (engine.c) on the ENGINE's stack, just below the suspended
 * engine context, without switching to it. engine_kcall takes exactly the steps
 * the engine loop would (hook, then dispatches, while they are the
 * earliest); if the caller runs on, it simply returns (no switch at all),
 * else it switches straight to the next thread or to the engine context,
 * which carries on from the same state. Same condition as above
 * (engine_fast_ok), so the trace is the same as through the engine loop:
 * tests/sim/test_kcall.c checks it against sim_step.
 *
 * errno belongs to the app: it is saved in the switching frame and restored
 * when the thread resumes, so every fiber keeps its own. sim_tls.in_app is
 * 1 exactly while app code runs; the signal handler (fault.c) uses it to
 * tell an app fault (contained) from a simulator bug (abort).
 *
 * Invariant: when a fiber switches out, the CPU's next step (CPU_REQ) has
 * been recorded with engine_step_done, so whoever resumes the engine
 * (maestro loop or the next fiber's fast path) finds consistent state.
 *
 * Read next: engine.c (what the engine does with the request).
 */
#include "engine.h"

#include <errno.h>
#include <inttypes.h>

#define REQUEST_FAST_HEADROOM (16 * 1024)
/* The fast yield's prefetch: how far ahead, from how many queued threads. */
#ifndef REQUEST_PREFETCH_AHEAD
#define REQUEST_PREFETCH_AHEAD 4
#endif
#define REQUEST_PREFETCH_MIN_QUEUED 128

static inline SimThread *request_self(const char *what)
{
    SimThread *t = sim_tls.current;
    if (__builtin_expect(!t, 0))
        engine_panic("%s called outside a simulated thread", what);
    return t;
}

/* Complete the RUN step: the request becomes the CPU's next step. */
static inline SimCpu *request_post(SimEngine *e, SimThread *t, ReqKind kind)
{
    SimCpu *c = &e->cpus[t->cpu];
    sim_tls.in_app = 0;
    if (__builtin_expect(t->flags & TF_CANARY, 0) &&
        !stack_pool_canary_ok(t->stack_lo)) {
        t->fault_kind = SIM_FAULT_STACK_OVERFLOW;
        t->fault_addr = (uintptr_t)t->stack_lo - 1;
        kind = REQ_FAULT;
    }
    engine_post_request(e, c, t, kind);
    return c;
}

/* Run CPU c's steps here while they are the earliest and need no engine
 * context. Returns the thread to resume (possibly the caller), or NULL
 * when the engine context must take over. */
static SimThread *request_fast(SimEngine *e, SimCpu *c)
{
    while (engine_fast_ok(e, c)) {
        e->now = c->clock;
        e->cur_cpu = c;
        switch (c->next) {
        case CPU_REQ:
            if (c->current->req != REQ_YIELD && c->current->req != REQ_PREEMPT)
                return NULL;
            engine_request(e, c);
            engine_step_done(e, c);
            break;
        case CPU_PICK:
            engine_pick(e, c);
            engine_step_done(e, c);
            break;
        case CPU_RUN:
            if (c->current->state != SIM_THREAD_RUNNING)
                return NULL;
            return c->current;
        default:
            return NULL;
        }
    }
    return NULL;
}

/* The common FIFO yield, specialised: REQ(yield) -> PICK -> RUN of the next
 * thread in the same band, exactly as engine_req_yield + engine_pick +
 * request_fast would do it, taken only when nothing else can interfere
 * (FIFO, empty heap, the three steps within the run's limit, not
 * suspended, a started peer at the head of the band and nothing higher). test_sched's fast_path_same_trace
 * checks that it leaves the same trace as the general path. */
SIM_HOT_INLINE SimThread *request_fast_yield(SimEngine *e, SimCpu *c,
                                          SimThread *t)
{
    /* Its REQ, PICK and RUN steps end at `done`: a run with a limit
     * (sim_run_until's slices, a time limit) takes the shortcut while all
     * three lie within it, as the general steps would each check. */
    SimTime done = c->clock + e->cfg.cost.kernel_entry + e->cfg.cost.context_switch;
    if (e->cfg.strategy != SIM_STRATEGY_FIFO || eq_size(&e->eq) ||
        done > e->limit || done < c->clock || t->suspend_count || e->hot != c ||
        (c->bitmap >> t->prio) != 1)
        return NULL;
    RunList *l = &c->bands[t->prio];
    SimThread *n = l->head;
    if ((n->flags & (TF_FAULTED | TF_STARTED)) != TF_STARTED)
        return NULL;
    /* REQ step: the yield; t joins the back of the band at the step's
     * time. PICK step: n leaves the head at the dispatch's time. */
    e->now = c->clock;
    c->clock += e->cfg.cost.kernel_entry;
    t->runtime += e->cfg.cost.kernel_entry;
    t->slice_left = 0;
    t->state = SIM_THREAD_RUNNABLE;
    sched_link(e, c, t, false);
    e->now = c->clock;
    sched_unlink(e, c, n);
    /* With many threads queued (100k in a ring) every dispatch misses in
     * cache and TLB. Walk ahead in the ring (the structs on the way were
     * warmed by earlier yields) and warm the thread dispatched
     * REQUEST_PREFETCH_AHEAD yields from now: its stack top (the switch
     * frame and the frames a resume pops), its running line, and the
     * dispatch line of the one after it. Few queued threads stay in cache
     * anyway: no walk then (the walk is serial loads). */
    if (c->nqueued >= REQUEST_PREFETCH_MIN_QUEUED) {
        SimThread *b = l->head;
        for (int k = 1; k < REQUEST_PREFETCH_AHEAD && b->rq_next; k++)
            b = b->rq_next;
        uintptr_t bsp = fiber_saved_sp(&b->ctx);
        for (int i = 0; i < 4; i++) /* the switching frame and above */
            __builtin_prefetch((const void *)(bsp + 64 * i));
        __builtin_prefetch(&b->engine);
        __builtin_prefetch(b->rq_next);
    }
    /* PICK step: dispatch n (e->now is the PICK time, set above). */
    e->cur_cpu = c;
    trace_put_fast(&e->trace, e->now, SIM_TR_SWITCH, c->index, n->id, t->id,
                   n->id);
    c->clock += e->cfg.cost.context_switch;
    c->current = c->last = n;
    n->state = SIM_THREAD_RUNNING;
    n->cpu = (int8_t)c->index;
    if (n->slice_left <= 0)
        n->slice_left = sched_slice(e, n);
    c->slice_end = c->clock + n->slice_left;
    c->next = CPU_RUN;
    c->step_seq = e->seq - 1; /* as engine_step_done would */
    e->now = c->clock; /* RUN step */
    return n;
}

/* The thread to resume after t's posted yield or preemption point: the
 * FIFO yield's shortcut, else the general fast steps; NULL when the engine
 * context must take over. Both switches (request_switch on the fiber's
 * stack, request_switch_on_engine on the engine's) decide this way. */
SIM_HOT_INLINE SimThread *request_fast_next(SimEngine *e, SimCpu *c,
                                            SimThread *t)
{
    SimThread *to = t->req == REQ_YIELD ? request_fast_yield(e, c, t) : NULL;
    return to ? to : request_fast(e, c);
}

/* Out of line: sim_enter's fast path stays small enough to be inlined
 * into the syscall stubs (with LTO). */
__attribute__((noinline)) static void request_switch(SimThread *t,
                                                     ReqKind kind)
{
    SimEngine *e = t->engine;
    int *errno_loc = sim_tls.errno_loc; /* see sim_enter */
    int saved_errno = *errno_loc;
    engine_note_sp(t, (uintptr_t)__builtin_frame_address(0));
    SimCpu *c = request_post(e, t, kind);
    kind = (ReqKind)t->req; /* a corrupted canary turned it into a fault */
    SimThread *to = NULL;
#ifdef SIM_FIBER_KCALL
    if (kind == REQ_ENTER && e->fast && !e->nreap && engine_fast_ok(e, c)) {
        fiber_kcall(&t->ctx.sp, e->maestro.sp, engine_kcall, t);
        sim_tls.in_app = 1;
        *errno_loc = saved_errno;
        return;
    }
#endif
    if ((kind == REQ_YIELD || kind == REQ_PREEMPT) && e->fast &&
        engine_direct_switch_ok(e, t) &&
        (uintptr_t)__builtin_frame_address(0) - (uintptr_t)t->stack_lo >=
            REQUEST_FAST_HEADROOM)
        to = request_fast_next(e, c, t);
    if (to) {
        engine_begin_run(e, c, to);
        if (to != t)
            fiber_switch_inline(&t->ctx, &to->ctx);
    } else {
        fiber_switch_inline(&t->ctx, &e->maestro);
    }
    sim_tls.in_app = 1;
    *errno_loc = saved_errno;
}

inline int64_t sim_enter(SimRequest *request)
{
    SimThread *t = request_self("sim_enter");
    t->request = request;
#ifdef SIM_FIBER_KCALL
    /* The common kernel entry, specialised: the kcall of request_switch
     * without its yield paths; engine_kcall does request_post's
     * bookkeeping on the engine's stack (this function's frame is small,
     * every syscall pays for it). */
    SimEngine *e = t->engine;
    if (__builtin_expect(e->fast && !e->nreap && !(t->flags & TF_CANARY), 1)) {
        /* errno through the location sim_run cached: every fiber runs on
         * this host thread, and __errno_location is a call */
        int *errno_loc = sim_tls.errno_loc;
        sim_tls.in_app = 0;
        int saved_errno = *errno_loc;
        engine_note_sp(t, (uintptr_t)__builtin_frame_address(0));
        fiber_kcall(&t->ctx.sp, e->maestro.sp, engine_kcall, t);
        sim_tls.in_app = 1;
        *errno_loc = saved_errno;
        return request->result;
    }
#endif
    request_switch(t, REQ_ENTER);
    return request->result;
}

#ifdef SIM_FIBER_YIELD
/* fiber_yield_asm's target, on the engine's stack with t's context saved
 * (its errno with it): post t's yield or preemption point (t->req) and
 * take the same fast paths as request_switch, with nothing of this on
 * the app's stack. Returns the saved stack pointer to resume: the next
 * thread's, t's own when it runs on, or the engine context's. */
static void *request_switch_on_engine(void *thread)
{
    SimThread *t = thread;
    SimEngine *e = sim_tls.engine;
    engine_note_sp(t, fiber_saved_sp(&t->ctx));
    SimCpu *c = request_post(e, t, (ReqKind)t->req);
    SimThread *to = NULL;
    if (__builtin_expect(t->req != REQ_FAULT && e->fast &&
                             engine_direct_switch_ok(e, t), 1))
        to = request_fast_next(e, c, t);
    if (!to)
        return e->maestro.sp;
    engine_begin_run(e, c, to);
    return to->ctx.sp;
}

/* The switch is the last thing the call does and the engine's part runs
 * on its own stack, so a suspended thread's stack holds its app frames
 * and one switching frame, nothing else, whatever the stack's size. */
static inline void request_switch_via_engine(SimThread *t, ReqKind kind)
{
    t->req = (uint8_t)kind;
    fiber_yield_asm(&t->ctx.sp, sim_tls.engine->maestro.sp,
                    request_switch_on_engine, t, sim_tls.errno_loc,
                    &sim_tls.in_app);
}
#else
#define request_switch_via_engine request_switch
#endif

void sim_yield(void)
{
    request_switch_via_engine(request_self("sim_yield"), REQ_YIELD);
}

void sim_preempt_point(SimTime ns)
{
    SimThread *t = request_self("sim_preempt_point");
    t->req_ns = ns > 0 ? ns : 0;
    request_switch_via_engine(t, REQ_PREEMPT);
}

void sim_charge_compute(SimTime ns)
{
    SimThread *t = sim_tls.current;
    if (t && ns > 0)
        t->compute += ns;
    else if (!t && sim_tls.engine)
        sim_charge(sim_tls.engine, ns);
}

void sim_thread_exit_self(void)
{
    SimThread *t = request_self("sim_thread_exit_self");
    SimEngine *e = t->engine;
    engine_note_sp(t, (uintptr_t)__builtin_frame_address(0));
    request_post(e, t, REQ_EXIT);
    fiber_switch_final(&t->ctx, &e->maestro);
}

/* Entered from fault.c's signal handler by rewriting the faulting context:
 * we run on the engine's emergency stack with the app's registers gone. */
void request_fault_entry(void)
{
    SimThread *t = sim_tls.current;
    SimEngine *e = t->engine;
    request_post(e, t, REQ_FAULT);
    t->req = REQ_FAULT;
    fiber_switch_final(&e->scratch, &e->maestro);
}

SimThread *sim_current(void)
{
    return sim_tls.in_app || sim_tls.current ? sim_tls.current : NULL;
}

bool sim_in_app_code(void)
{
    return sim_tls.in_app && sim_tls.current;
}

SimEngine *sim_current_engine(void)
{
    return sim_tls.engine;
}
