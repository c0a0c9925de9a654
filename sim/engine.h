/* engine.h — the engine's private structures, shared by the files of sim/.
 * Nothing outside sim/ includes this; the public contract is sim.h.
 * Read engine.c for the design of the main loop. */
#ifndef CAPSIM_ENGINE_H
#define CAPSIM_ENGINE_H

#include <inttypes.h>
#include <signal.h>
#include <time.h>

#include "event_queue.h"
#include "fiber.h"
#include "sim.h"
#include "stack_pool.h"
#include "trace.h"

#define SIM_MAX_CPUS 64
#define SIM_BANDS 32

/* What a thread asked the engine for when it last switched out. */
typedef enum ReqKind {
    REQ_NONE = 0,
    REQ_ENTER,     /* sim_enter: call the hook */
    REQ_YIELD,     /* sim_yield */
    REQ_PREEMPT,   /* sim_preempt_point(req_ns) */
    REQ_EXIT,      /* entry returned or sim_thread_exit_self */
    REQ_FAULT      /* fault.c redirected a faulting fiber here */
} ReqKind;

/* A CPU's next step. IDLE: nothing to do and no step pending.
 * PICK: choose a thread (dispatch). RUN: resume `current` (app code runs
 * until its next request). REQ: handle `current`'s request. */
typedef enum CpuNext { CPU_IDLE = 0, CPU_PICK, CPU_RUN, CPU_REQ } CpuNext;

/* Event payload kinds in the queue. */
enum { EV_TIMER = 1, EV_TIMEOUT, EV_CPU };

/* Thread flags. */
enum {
    TF_POOL_STACK = 1u << 0, /* stack came from the pool */
    TF_CANARY = 1u << 1,     /* pool stack guarded only by a canary zone */
    TF_STARTED = 1u << 2,    /* dispatched at least once */
    TF_FAULTED = 1u << 3,    /* fiber abandoned after a fault */
    TF_QUEUED = 1u << 4,     /* on a run queue */
    TF_REAPED = 1u << 5,     /* fiber resources released */
    TF_FIBER = 1u << 6,      /* has a fiber (stack + context) */
    TF_IN_KERNEL = 1u << 7,  /* blocked inside sim_enter: exit not traced */
    TF_SERVER = 1u << 8      /* serves requests: blocked at the end = idle */
};

typedef struct RunList {
    SimThread *head, *tail;
} RunList;

typedef struct SimCpu {
    int index;
    CpuNext next;
    SimTime clock;          /* this CPU's local virtual time */
    uint64_t step_seq;      /* seq of the pending step (hot or in the heap) */
    SimThread *current;     /* thread on this CPU (RUN/REQ), else NULL */
    SimThread *last;        /* the thread that ran last (switch cost) */
    SimTime slice_end;      /* current's slice runs out at this time */
    uint32_t bitmap;        /* bit b set iff bands[b] is not empty */
    uint32_t nqueued;
    uint32_t band_n[SIM_BANDS];
    RunList bands[SIM_BANDS];
} SimCpu;

/* Layout: a struct is 128-byte aligned and its first two cache lines form
 * one pair (the L2 fetches both halves of such a pair together). With 100k
 * threads in a ring every yield misses on the next thread's lines, so the
 * two lines are packed to hold everything a yield touches: the dispatch line
 * (choosing, dequeuing, tracing and resuming the next thread) and the
 * running line (what the running thread touches when it enters the
 * engine). engine.c asserts the offsets. */
struct SimThread {
    /* Line 1: the dispatch line. */
    FiberCtx ctx;
    SimThread *rq_next, *rq_prev; /* run-queue links (TF_QUEUED) */
    SimTime slice_left;           /* <= 0: a fresh slice at next dispatch */
    SimTime queue_time;           /* time runnable in a queue; while
                                     TF_QUEUED, minus the enqueue time */
    uint64_t id;
    uint32_t weight;
    uint32_t suspend_count;
    uint16_t flags;
    uint8_t state;                /* SimThreadState */
    uint8_t prio;
    uint8_t req;                  /* ReqKind */
    int8_t cpu;                   /* last CPU, -1 if never ran */
    int8_t rq_cpu;                /* CPU whose queue holds it */
    uint8_t fault_kind;
    /* Line 2: the running line. */
    SimEngine *engine;
    SimTime runtime;
    SimTime compute;              /* sim_charge_compute not yet applied */
    void *stack_lo;
    size_t stack_size;
    uintptr_t min_sp;             /* deepest sp seen at a switch-out */
    SimRequest *request;          /* sim_enter argument (on its stack) */
    SimTime req_ns;               /* sim_preempt_point argument */
    /* The rest: blocking, identity, model pointers. */
    uint64_t affinity;            /* 0 = any */
    SimTime blocked_since, deadline;
    EqId timeout_id;
    SimTimeoutFn on_timeout;
    SimDescribeFn describe;
    void *block_ctx;
    SimThreadFn fn;
    void *arg;
    char *name;
    void *owner;
    void *user;                   /* app-side runtime block (SDK) */
    uintptr_t fault_addr;
    uint64_t pct_prio;
    size_t stack_guard;           /* bytes below stack_lo that are its guard */
    uintptr_t fault_sp;           /* the stack pointer at its fault */
};

typedef struct ChoiceState {
    uint32_t *sched;              /* recorded choices (n > 1) */
    size_t nsched, cap;
    size_t replay_pos;
    uint64_t preemptions;
    uint64_t steps;               /* PCT: kernel entries so far */
    uint64_t *pct_change;         /* PCT: sorted change points */
    int npct_change;
    int pct_next;
    uint64_t *scores;             /* scratch for PCT candidates */
    size_t nscores;
} ChoiceState;

struct SimEngine {
    SimConfig cfg;
    SimRng streams[SIM_STREAM_COUNT];
    SimTime now;
    uint64_t seq;                 /* next push's seq (even, see engine.c) */
    EventQueue eq;
    SimCpu *cpus;
    int ncpus;
    uint64_t all_mask;
    uint64_t idle_mask;           /* CPUs in CPU_IDLE */
    SimCpu *hot;                  /* CPU whose pending step is not in eq */

    SimThread **threads;          /* by id - 1 */
    size_t nthreads, threads_cap;
    void **slabs;                 /* thread structs, 64-byte aligned */
    size_t nslabs, slabs_cap;
    uint8_t *slab_next;
    size_t slab_left;
    size_t live;                  /* threads not dead */
    size_t nblocked;
    size_t nfibers;               /* fibers with a stack */
    StackPool stacks;
    SimThread **reap;             /* dead threads whose fiber must go */
    size_t nreap, reap_cap;
    uint64_t stack_gen;           /* stacks handed out or given back */
    SimThread **stack_index;      /* stack_owner.c: by stack address */
    size_t stack_index_len;
    uint64_t stack_index_gen;     /* stack_gen when it was built */

    FiberCtx maestro;             /* the engine's own context */
    FiberCtx scratch;             /* where abandoned contexts are saved */
    uint8_t *emergency;           /* small stack for fault trampolines */
    size_t emergency_size;
    sigset_t app_mask;            /* signal mask restored after app faults */
    timer_t budget_timer;         /* budget watchdog (fault.c) */
    bool budget_timer_ok;

    /* The request being handled (hook running). */
    SimThread *caller;
    SimCpu *cur_cpu;              /* CPU of the step being processed */
    SimTime charge;
    bool in_request;
    SimThread *timeout_thread;    /* on_timeout running for it */

    /* Run control. */
    bool running;
    bool stop;
    bool stepping;
    bool fast;                    /* fiber-side fast path allowed */
    bool kcall_plain;             /* no memory or resume hook, not PCT:
                                   * engine_kcall checks nothing else */
    SimTime limit;
    bool time_limit_hit;          /* a run stopped at cfg.time_limit */
    uint64_t dispatches;          /* RUN steps so far (budget watchdog) */
    uint64_t engine_switches;     /* RUN steps that left the engine
                                     context (the others: fast paths) */
    SimResumeFn resume_fn;        /* sim_engine_set_resume_hook */
    void *resume_ctx;
    SimMemoryFn memory_fn;        /* sim_engine_set_memory_hook */
    void *memory_ctx;
    struct SimAtFree *at_free;    /* sim_engine_at_free, last registered first */

    ChoiceState choice;
    Trace trace;
};

/* Per host thread state read by the signal handler (fault.c). */
typedef struct SimTls {
    SimThread *current;           /* fiber running, NULL on the engine */
    SimEngine *engine;            /* engine inside sim_run, else NULL */
    volatile int in_app;          /* 1 while app code runs on `current` */
    volatile int copy_active;     /* sim_safe_copy in progress */
    void *copy_jmp[5];            /* __builtin_setjmp buffer */
    uint64_t budget_seen;
    int budget_ticks;
    int *errno_loc;               /* &errno of this host thread (sim_run) */
} SimTls;

extern __thread SimTls sim_tls __attribute__((tls_model("initial-exec")));

/* engine.c */
void engine_panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
#define engine_panic(...) engine_panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define SIM_CHECK(cond, ...) \
    do { if (__builtin_expect(!(cond), 0)) engine_panic(__VA_ARGS__); } while (0)
uint64_t engine_seq_take(SimEngine *e);
void engine_kick_cpu(SimEngine *e, SimCpu *c);
void engine_update_fast(SimEngine *e);
void engine_pick(SimEngine *e, SimCpu *c);
void engine_request(SimEngine *e, SimCpu *c);
void engine_kcall(void *thread); /* fiber_kcall's target (SIM_FIBER_KCALL) */
void engine_cpu_step(SimEngine *e, SimCpu *c);

/* thread.c */
void thread_reap_all(SimEngine *e);
void thread_free_all(SimEngine *e);
void thread_mark_dead(SimEngine *e, SimThread *t, bool killed);
void thread_set_runnable(SimEngine *e, SimThread *t);
void thread_fiber_main(void *arg);

/* request.c */
void request_fault_entry(void) __attribute__((noreturn));

/* sched.c */
void sched_enqueue(SimEngine *e, SimCpu *c, SimThread *t, bool front);
void sched_remove(SimEngine *e, SimThread *t);
SimThread *sched_next(SimEngine *e, SimCpu *c);
void sched_make_runnable(SimEngine *e, SimThread *t);
bool sched_preempt_at_exit(SimEngine *e, SimCpu *c, SimThread *t);
bool sched_yield_has_peer(const SimCpu *c, const SimThread *t);
SimTime sched_slice(const SimEngine *e, const SimThread *t);

/* choice.c */
void choice_init(SimEngine *e);
void choice_free(SimEngine *e);
uint32_t choice_make(SimEngine *e, SimChoiceKind kind, uint32_t n,
                     uint32_t current, const uint64_t *scores);
void choice_thread_created(SimEngine *e, SimThread *t);
void choice_kernel_entry(SimEngine *e, SimThread *t);

/* fault.c */
void fault_engine_init(SimEngine *e);
void fault_engine_free(SimEngine *e);
void fault_run_begin(SimEngine *e);
void fault_run_end(SimEngine *e);

/* rng.c */
const char *rng_stream_name(SimStream which);

/* trace emission with the engine's stamp (cpu, thread of the step). */
SIM_HOT_INLINE int32_t engine_trace_cpu(const SimEngine *e)
{
    return e->cur_cpu ? e->cur_cpu->index : -1;
}

/* The per-step helpers below are inline: every kernel entry runs each of
 * them at least once (engine.c and request.c). */

/* A step of `c` finished: its next step (if any) becomes the hot one. */
SIM_HOT_INLINE void engine_step_done(SimEngine *e, SimCpu *c)
{
    if (c->next == CPU_IDLE) {
        if (e->hot == c)
            e->hot = NULL;
        return;
    }
    c->step_seq = e->seq - 1;
    e->hot = c;
}

/* Complete t's RUN step on its CPU c: the compute charged since it last
 * entered goes on the clocks, and its request (kind) becomes c's next
 * step. request.c (on the fiber) and engine_kcall (on the engine's stack)
 * both post this way. */
SIM_HOT_INLINE void engine_post_request(SimEngine *e, SimCpu *c, SimThread *t,
                                        ReqKind kind)
{
    t->req = (uint8_t)kind;
    c->clock += t->compute;
    t->runtime += t->compute;
    t->compute = 0;
    c->next = CPU_REQ;
    engine_step_done(e, c);
}

/* May the hot CPU `c` take its next step without consulting the heap? */
SIM_HOT_INLINE bool engine_fast_ok(SimEngine *e, SimCpu *c)
{
    if (!e->fast || e->hot != c || c->clock > e->limit)
        return false;
    int64_t ht;
    uint64_t hs;
    if (!eq_peek(&e->eq, &ht, &hs))
        return true;
    return c->clock < ht || (c->clock == ht && c->step_seq < hs);
}

/* Make t's memory (its stack, its request) reachable: the memory hook. */
SIM_HOT_INLINE void engine_reach(SimEngine *e, SimThread *t)
{
    if (__builtin_expect(e->memory_fn != NULL, 0))
        e->memory_fn(e, t, e->memory_ctx);
}

/* May `t` switch straight to another fiber from its own stack? Not while a
 * memory hook may close the memory of a stack the fiber was given. */
SIM_HOT_INLINE bool engine_direct_switch_ok(const SimEngine *e, const SimThread *t)
{
    return e->memory_fn == NULL || (t->flags & TF_POOL_STACK);
}

/* Bookkeeping shared by every path that resumes `t` on `c`. `hooks`
 * false: the caller knows no memory or resume hook is set (kcall_plain). */
SIM_HOT_INLINE void engine_begin_run_as(SimEngine *e, SimCpu *c, SimThread *t,
                                        bool hooks)
{
    if (hooks)
        engine_reach(e, t);
    e->dispatches++;
    e->cur_cpu = c;
    sim_tls.current = t;
    if (__builtin_expect(t->flags & TF_IN_KERNEL, 0)) {
        t->flags &= ~TF_IN_KERNEL;
        trace_put_op(&e->trace, e->now, SIM_TR_KERNEL_EXIT, c->index, t->id,
                     t->request->op, (uint64_t)t->request->result);
    }
    if (hooks && __builtin_expect(e->resume_fn != NULL, 0))
        e->resume_fn(e, t, e->resume_ctx);
}

SIM_HOT_INLINE void engine_begin_run(SimEngine *e, SimCpu *c, SimThread *t)
{
    engine_begin_run_as(e, c, t, true);
}

/* A thread switching out notes how deep its stack went (approximately: the
 * frame of the switching code); the pool releases the deep pages of a
 * stack that went far (stack_pool_put). Noted here rather than at the
 * dispatch so that a dispatch touches only the dispatch line. */
SIM_HOT_INLINE void engine_note_sp(SimThread *t, uintptr_t sp)
{
    if (sp < t->min_sp)
        t->min_sp = sp;
}

/* Run-queue links, inline: sched.c and request.c's fast yield share them,
 * so a queued thread's bookkeeping (band counts, bitmap, queue time) is
 * kept in one place. Put `t` on CPU c's queue (back, or front). */
SIM_HOT_INLINE void sched_link(SimEngine *e, SimCpu *c, SimThread *t,
                              bool front)
{
    RunList *l = &c->bands[t->prio];
    SIM_CHECK(!(t->flags & TF_QUEUED), "thread %" PRIu64 " queued twice", t->id);
    if (front) {
        t->rq_prev = NULL;
        t->rq_next = l->head;
        if (l->head)
            l->head->rq_prev = t;
        else
            l->tail = t;
        l->head = t;
    } else {
        t->rq_next = NULL;
        t->rq_prev = l->tail;
        if (l->tail)
            l->tail->rq_next = t;
        else
            l->head = t;
        l->tail = t;
    }
    c->band_n[t->prio]++;
    c->bitmap |= 1u << t->prio;
    c->nqueued++;
    t->flags |= TF_QUEUED;
    t->rq_cpu = (int8_t)c->index;
    t->queue_time -= e->now; /* sched_unlink adds the dequeue time */
}

/* Take queued `t` off CPU c's run queue (c is t's rq_cpu). */
SIM_HOT_INLINE void sched_unlink(SimEngine *e, SimCpu *c, SimThread *t)
{
    RunList *l = &c->bands[t->prio];
    if (t->rq_prev)
        t->rq_prev->rq_next = t->rq_next;
    else
        l->head = t->rq_next;
    if (t->rq_next)
        t->rq_next->rq_prev = t->rq_prev;
    else
        l->tail = t->rq_prev;
    t->rq_next = t->rq_prev = NULL;
    if (--c->band_n[t->prio] == 0)
        c->bitmap &= ~(1u << t->prio);
    c->nqueued--;
    t->flags &= ~TF_QUEUED;
    t->rq_cpu = -1;
    t->queue_time += e->now;
}

/* sched_make_runnable's answer with one CPU (sched_place's answer; no
 * other CPU to kick), inline where threads are woken. False with more. */
SIM_HOT_INLINE bool sched_make_runnable_one_cpu(SimEngine *e, SimThread *t)
{
    if (e->ncpus != 1)
        return false;
    SimCpu *c0 = &e->cpus[0];
    sched_link(e, c0, t, false);
    if (c0->next == CPU_IDLE)
        engine_kick_cpu(e, c0);
    return true;
}

#endif
