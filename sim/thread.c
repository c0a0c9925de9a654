/* thread.c — simulated threads: creation, start, death, blocking, waking.
 *
 * Models: the engine's view of a thread (sim.h draws the state machine):
 *   NEW -start-> RUNNABLE -dispatch-> RUNNING -request-> (handled) ...
 *   RUNNING -block (in the hook)-> BLOCKED -wake/timeout-> RUNNABLE
 *   any -kill/exit-> DEAD.  Suspension is orthogonal (a count): a suspended
 *   thread is never on a run queue; if it is RUNNING it leaves the CPU at
 *   its next kernel exit; if BLOCKED it stays blocked and, once woken, waits
 *   off-queue until resumed.
 *
 * Ids come from a counter (1, 2, 3...), never from pointers. SimThread
 * structs live until sim_engine_free (the model may keep pointers to dead
 * threads); a dead thread's fiber stack goes back to the pool at the next
 * safe point (the engine never frees the stack it is running on, nor the
 * stack holding the request being handled).
 *
 * A fault (fault.c) abandons the fiber: the thread can never run app code
 * again. on_fault may block it (e.g. while an exception is delivered); if it
 * is woken later, it dies at dispatch.
 *
 * Read next: request.c (how a thread talks to the engine).
 */
#include "engine.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define THREAD_SLAB 8192
#define THREAD_ALIGN 128
#define THREAD_STRIDE ((sizeof(SimThread) + THREAD_ALIGN - 1) & ~(size_t)(THREAD_ALIGN - 1))

/* Thread structs come from 128-byte aligned slabs: they live until the
 * engine dies anyway, and their first two lines form one aligned pair
 * (engine.h explains the layout). */
static SimThread *thread_slab_alloc(SimEngine *e)
{
    if (!e->slab_left) {
        void *p = NULL;
        if (posix_memalign(&p, THREAD_ALIGN, THREAD_STRIDE * THREAD_SLAB) != 0)
            engine_panic("out of memory for thread structs");
        if (e->nslabs == e->slabs_cap) {
            e->slabs_cap = e->slabs_cap ? e->slabs_cap * 2 : 16;
            e->slabs = g_renew(void *, e->slabs, e->slabs_cap);
        }
        e->slabs[e->nslabs++] = p;
        e->slab_next = p;
        e->slab_left = THREAD_SLAB;
    }
    SimThread *t = (SimThread *)e->slab_next;
    e->slab_next += THREAD_STRIDE;
    e->slab_left--;
    memset(t, 0, sizeof *t);
    return t;
}

static SimThread *thread_alloc(SimEngine *e, SimThreadFn fn, void *arg,
                               const char *name)
{
    /* Trace tags carry the id in 32 bits (trace.h, trace_tag). */
    SIM_CHECK(e->nthreads < UINT32_MAX, "more than 2^32 - 1 threads");
    SimThread *t = thread_slab_alloc(e);
    t->engine = e;
    t->id = e->nthreads + 1;
    t->state = SIM_THREAD_NEW;
    t->prio = SIM_PRIORITY_DEFAULT;
    t->weight = 1;
    t->cpu = -1;
    t->rq_cpu = -1;
    t->fn = fn;
    t->arg = arg;
    t->name = g_strdup(name ? name : "");
    t->deadline = SIM_TIME_INFINITE;
    if (e->nthreads == e->threads_cap) {
        e->threads_cap = e->threads_cap ? e->threads_cap * 2 : 64;
        e->threads = g_renew(SimThread *, e->threads, e->threads_cap);
    }
    e->threads[e->nthreads++] = t;
    e->live++;
    return t;
}

static void thread_created(SimEngine *e, SimThread *t)
{
    e->nfibers++;
    e->stack_gen++;
    t->flags |= TF_FIBER;
    t->min_sp = (uintptr_t)t->stack_lo + t->stack_size;
    fiber_make(&t->ctx, t->stack_lo, t->stack_size, thread_fiber_main, t);
    choice_thread_created(e, t);
    uint64_t creator = e->caller ? e->caller->id
                       : sim_tls.current ? sim_tls.current->id : 0;
    trace_put(&e->trace, e->now, SIM_TR_THREAD_CREATE, engine_trace_cpu(e),
              creator, creator, t->id, 0, 0, t->name);
}

SimThread *sim_thread_create(SimEngine *e, SimThreadFn fn, void *arg,
                             const char *name)
{
    bool canary = false;
    void *lo = stack_pool_get(&e->stacks, &canary);
    if (!lo)
        return NULL;
    SimThread *t = thread_alloc(e, fn, arg, name);
    t->stack_lo = lo;
    t->stack_size = e->stacks.stack_size;
    t->stack_guard = e->stacks.guard_size;
    t->flags |= TF_POOL_STACK | (canary ? TF_CANARY : 0);
    thread_created(e, t);
    return t;
}

SimThread *sim_thread_create_on_stack(SimEngine *e, SimThreadFn fn, void *arg,
                                      const char *name, void *stack_base,
                                      size_t stack_size)
{
    if (!stack_base || stack_size < 4096)
        return NULL;
    SimThread *t = thread_alloc(e, fn, arg, name);
    t->stack_lo = stack_base;
    t->stack_size = stack_size;
    thread_created(e, t);
    return t;
}

/* The first code every fiber runs. */
void thread_fiber_main(void *arg)
{
    SimThread *t = arg;
    fiber_started();
    errno = 0;
    sim_tls.in_app = 1;
    t->fn(t->arg);
    sim_thread_exit_self();
}

void thread_set_runnable(SimEngine *e, SimThread *t)
{
    if (t->flags & TF_FAULTED) { /* its fiber is gone: it can only die */
        t->state = SIM_THREAD_RUNNABLE;
        thread_mark_dead(e, t, true);
        return;
    }
    t->state = SIM_THREAD_RUNNABLE;
    if (!t->suspend_count && !sched_make_runnable_one_cpu(e, t))
        sched_make_runnable(e, t);
}

void sim_thread_start(SimThread *t)
{
    SimEngine *e = t->engine;
    SIM_CHECK(t->state == SIM_THREAD_NEW, "thread %" PRIu64 " started twice",
              t->id);
    trace_put_fast(&e->trace, e->now, SIM_TR_THREAD_START,
                   engine_trace_cpu(e), e->caller ? e->caller->id : 0, t->id,
                   0);
    thread_set_runnable(e, t);
}

static void thread_reap(SimEngine *e, SimThread *t)
{
    if (!(t->flags & TF_FIBER) || (t->flags & TF_REAPED))
        return;
    t->flags |= TF_REAPED;
    e->nfibers--;
    e->stack_gen++;
    if (t->flags & TF_POOL_STACK)
        stack_pool_put(&e->stacks, t->stack_lo, t->flags & TF_CANARY,
                       t->min_sp);
    else
        fiber_stack_release(t->stack_lo, t->stack_size);
}

void thread_reap_all(SimEngine *e)
{
    for (size_t i = 0; i < e->nreap; i++)
        thread_reap(e, e->reap[i]);
    e->nreap = 0;
}

void thread_mark_dead(SimEngine *e, SimThread *t, bool killed)
{
    if (t->state == SIM_THREAD_DEAD)
        return;
    sched_remove(e, t);
    if (t->state == SIM_THREAD_BLOCKED) {
        if (t->timeout_id)
            eq_cancel(&e->eq, t->timeout_id);
        t->timeout_id = 0;
        e->nblocked--;
    }
    t->state = SIM_THREAD_DEAD;
    e->live--;
    trace_put_fast(&e->trace, e->now, SIM_TR_THREAD_EXIT, engine_trace_cpu(e),
                   t->id, killed, t->id);
    if (e->cfg.on_thread_exit)
        e->cfg.on_thread_exit(e, t, e->cfg.hook_ctx);
    if (e->nreap == e->reap_cap) {
        e->reap_cap = e->reap_cap ? e->reap_cap * 2 : 16;
        e->reap = g_renew(SimThread *, e->reap, e->reap_cap);
    }
    e->reap[e->nreap++] = t;
}

void sim_thread_kill(SimThread *t)
{
    SimEngine *e = t->engine;
    SIM_CHECK(sim_tls.current != t || !sim_tls.in_app,
              "sim_thread_kill on itself from app code: use "
              "sim_thread_exit_self");
    thread_mark_dead(e, t, true);
    if (!e->running)
        thread_reap_all(e);
}

void thread_free_all(SimEngine *e)
{
    thread_reap_all(e);
    for (size_t i = 0; i < e->nthreads; i++)
        g_free(e->threads[i]->name);
    for (size_t i = 0; i < e->nslabs; i++)
        free(e->slabs[i]);
    g_free(e->slabs);
    g_free(e->threads);
    e->threads = NULL;
    e->nthreads = 0;
}

/* ---- blocking --------------------------------------------------------------*/

/* The timeout event of a thread blocking with a deadline, and its cancel
 * when it wakes first: out of line, so the common wait (no deadline)
 * blocks and wakes without a stack frame for the event queue. */
__attribute__((noinline)) static void thread_arm_timeout(SimEngine *e,
                                                         SimThread *t,
                                                         SimTime deadline)
{
    EqPayload p = { EV_TIMEOUT, 0, t, NULL };
    t->timeout_id = eq_push(&e->eq, deadline < e->now ? e->now : deadline,
                            engine_seq_take(e), &p);
}

__attribute__((noinline)) static void thread_cancel_timeout(SimEngine *e,
                                                            SimThread *t)
{
    eq_cancel(&e->eq, t->timeout_id);
    t->timeout_id = 0;
}

void sim_thread_block(SimThread *t, SimTime deadline, SimTimeoutFn on_timeout,
                      SimDescribeFn describe, void *ctx)
{
    SimEngine *e = t->engine;
    bool caller = e->in_request && e->caller == t;
    SIM_CHECK(caller || t->state == SIM_THREAD_RUNNABLE,
              "sim_thread_block: thread %" PRIu64 " is neither the caller "
              "nor runnable (state %d)", t->id, t->state);
    if (t->flags & TF_QUEUED) /* the caller is on a CPU, not queued */
        sched_remove(e, t);
    t->state = SIM_THREAD_BLOCKED;
    t->blocked_since = e->now;
    t->deadline = deadline;
    t->on_timeout = on_timeout;
    t->describe = describe;
    t->block_ctx = ctx;
    e->nblocked++;
    if (deadline != SIM_TIME_INFINITE)
        thread_arm_timeout(e, t, deadline);
    trace_put_fast(&e->trace, e->now, SIM_TR_BLOCK, engine_trace_cpu(e),
                   t->id, t->id, (uint64_t)deadline);
}

void sim_thread_wake(SimThread *t)
{
    SimEngine *e = t->engine;
    if (t->state != SIM_THREAD_BLOCKED)
        return;
    bool by_timeout = e->timeout_thread == t;
    if (t->timeout_id)
        thread_cancel_timeout(e, t);
    t->deadline = SIM_TIME_INFINITE;
    e->nblocked--;
    trace_put_fast(&e->trace, e->now, SIM_TR_WAKE, engine_trace_cpu(e),
                   e->caller ? e->caller->id : 0, t->id, by_timeout);
    if (e->in_request)
        e->charge += e->cfg.cost.wakeup;
    if (e->in_request && e->caller == t) { /* woken inside its own request */
        t->state = SIM_THREAD_RUNNING;
        return;
    }
    thread_set_runnable(e, t);
}

SimTime sim_thread_deadline(const SimThread *t)
{
    return t->state == SIM_THREAD_BLOCKED ? t->deadline : SIM_TIME_INFINITE;
}

/* ---- suspension ------------------------------------------------------------*/

void sim_thread_suspend(SimThread *t)
{
    SimEngine *e = t->engine;
    if (t->state == SIM_THREAD_DEAD)
        return;
    if (t->suspend_count++ == 0) {
        trace_put_fast(&e->trace, e->now, SIM_TR_SUSPEND, engine_trace_cpu(e),
                       e->caller ? e->caller->id : 0, 1, t->id);
        sched_remove(e, t); /* RUNNABLE stays RUNNABLE, off the queue */
    }
}

void sim_thread_resume(SimThread *t)
{
    SimEngine *e = t->engine;
    if (t->state == SIM_THREAD_DEAD || t->suspend_count == 0)
        return;
    if (--t->suspend_count)
        return;
    trace_put_fast(&e->trace, e->now, SIM_TR_SUSPEND, engine_trace_cpu(e),
                   e->caller ? e->caller->id : 0, 0, t->id);
    bool on_cpu = t->cpu >= 0 && e->cpus[t->cpu].current == t;
    if (t->state == SIM_THREAD_RUNNABLE && !(t->flags & TF_QUEUED) && !on_cpu)
        thread_set_runnable(e, t);
}
