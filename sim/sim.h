/* sim.h — the capsim engine: virtual time, events, seeded randomness, green
 * threads on virtual CPUs, the scheduler and the trace.
 *
 * The engine knows nothing of kernel objects. It runs opaque threads
 * (fibers) and, whenever one of them enters the kernel with sim_enter(),
 * hands the request to ONE hook installed by the layer above (model/). The
 * hook runs on the engine's own stack, one request at a time, in virtual-time
 * order; it may block the caller, wake others, arm timers and emit trace
 * records. This is SimGrid's simcall/maestro pattern.
 *
 * Time: SimTime is an int64 count of virtual nanoseconds. Events order by
 * (time, sequence number): equal times run first-in first-out.
 *
 * Determinism: one seeded generator (xoshiro256**, seeded through
 * SplitMix64) split into named streams; thread ids from a counter; every
 * choice between equally eligible threads goes through sim_choose(), which a
 * strategy (fifo, random walk, PCT, replay) answers and which is recorded so
 * that a schedule replays exactly. Same seed and inputs, same trace hash.
 *
 * This header is flat (no GLib, no function-like macros) so that cffi can
 * read it. Read next: sim/engine.c, then sim/sched.c.
 */
#ifndef CAPSIM_SIM_H
#define CAPSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t SimTime;
#define SIM_TIME_INFINITE INT64_MAX

typedef struct SimEngine SimEngine;
typedef struct SimThread SimThread;
typedef uint64_t SimTimerId;          /* 0 is never a valid timer id */

/* ---- Randomness ----------------------------------------------------------
 * xoshiro256** (Blackman & Vigna). A stream's state is SplitMix64 expanded
 * from seed XOR a 64-bit FNV-1a hash of the stream's name, so adding a new
 * named consumer never perturbs the others. */
typedef struct SimRng {
    uint64_t s[4];
} SimRng;

typedef enum SimStream {
    SIM_STREAM_SCHED = 0,     /* scheduler choices (random walk, PCT) */
    SIM_STREAM_HANDLES,       /* per-process handle-value secrets */
    SIM_STREAM_CPRNG,         /* zx_cprng_draw */
    SIM_STREAM_FAULTS,        /* fault injection */
    SIM_STREAM_SCENARIO,      /* scripts and scenarios */
    SIM_STREAM_COUNT
} SimStream;

void sim_rng_init(SimRng *rng, uint64_t seed, const char *stream_name);
uint64_t sim_rng_next(SimRng *rng);
/* Uniform in [0, bound), unbiased; bound must be > 0. */
uint64_t sim_rng_below(SimRng *rng, uint64_t bound);
/* Mix len bytes into the state (zx_cprng_add_entropy): every later draw
 * depends on them, and the same bytes mixed into the same state give the
 * same state. len 0 changes nothing. */
void sim_rng_mix(SimRng *rng, const void *bytes, size_t len);
SimRng *sim_stream(SimEngine *e, SimStream which);

/* ---- Cost model ----------------------------------------------------------
 * Virtual nanoseconds charged for engine-level work. Kernel operations
 * charge more through sim_charge() from the hook (model/cost.h).
 * Defaults (sim_config_default), for a modern x86-64 microkernel:
 *   kernel_entry 150 ns (syscall round trip), context_switch 1000 ns,
 *   wakeup 500 ns (charged to the request that wakes), thread_start
 *   5000 ns (first dispatch); time_slice 10 ms (Zircon's legacy slice).
 * sim_yield costs kernel_entry; sim_preempt_point(ns) costs ns. */
typedef struct SimCostModel {
    SimTime kernel_entry;     /* every sim_enter(): trap + return */
    SimTime context_switch;   /* switching a CPU from one thread to another */
    SimTime wakeup;           /* making a blocked thread runnable */
    SimTime thread_start;     /* first dispatch of a new thread */
} SimCostModel;

/* ---- Scheduling strategy -------------------------------------------------*/
typedef enum SimStrategy {
    SIM_STRATEGY_FIFO = 0,    /* deterministic default: run-queue order */
    SIM_STRATEGY_RANDOM,      /* random walk: every choice uniform, seeded */
    SIM_STRATEGY_PCT,         /* probabilistic concurrency testing, depth d */
    SIM_STRATEGY_REPLAY       /* answer choices from a recorded schedule */
} SimStrategy;

typedef enum SimChoiceKind {
    SIM_CHOICE_NEXT_THREAD = 0, /* which runnable thread a CPU runs next */
    SIM_CHOICE_PREEMPT,         /* at a kernel entry: 0 = keep running, 1 = yield */
    SIM_CHOICE_PLACE_CPU,       /* which CPU a woken/started thread joins */
    SIM_CHOICE_STEAL            /* which CPU an idle CPU steals from */
} SimChoiceKind;

/* ---- Requests: the one hook ---------------------------------------------
 * Every request begins with a SimRequest header. The engine traces `op` at
 * kernel entry and `op`, `result` at kernel exit; the rest is the model's. */
typedef struct SimRequest {
    uint32_t op;
    uint32_t flags;
    int64_t result;
} SimRequest;

typedef enum SimHookResult {
    SIM_HOOK_CONTINUE = 0,    /* caller resumes after the charged cost */
    SIM_HOOK_BLOCKED,         /* the hook called sim_thread_block() */
    SIM_HOOK_EXIT             /* the caller must die (sim_thread_kill done);
                               * the engine does not read the request again
                               * (it traces result 0) */
} SimHookResult;

typedef SimHookResult (*SimHookFn)(SimEngine *e, SimThread *caller,
                                   SimRequest *request, void *ctx);
/* Called when a thread's entry function returns or the thread is killed. */
typedef void (*SimThreadExitFn)(SimEngine *e, SimThread *t, void *ctx);
/* Called when a fiber faults (bad access, stack overflow, abort...). The
 * thread no longer runs app code; the model decides what happens (exception
 * delivery, kill). `kind` is a SimFaultKind, `addr` the faulting address.
 * The fiber is abandoned: a thread left RUNNING is killed on return; one
 * the callback blocked (exception pending) is killed when next dispatched. */
typedef void (*SimFaultFn)(SimEngine *e, SimThread *t, int kind,
                           uintptr_t addr, void *ctx);

typedef enum SimFaultKind {
    SIM_FAULT_NONE = 0,
    SIM_FAULT_SEGV,           /* page fault on an unmapped/protected page */
    SIM_FAULT_BUS,
    SIM_FAULT_ILLEGAL,        /* illegal instruction */
    SIM_FAULT_FPE,            /* division by zero etc. */
    SIM_FAULT_STACK_OVERFLOW, /* hit the guard region below its stack */
    SIM_FAULT_ABORT,          /* abort() / SIGABRT */
    SIM_FAULT_BUDGET,         /* ran too long without entering the kernel */
    SIM_FAULT_BREAKPOINT      /* a breakpoint instruction (int3 / brk) */
} SimFaultKind;
/* "page fault", "breakpoint"...: how reports and listings say it; "none"
 * for SIM_FAULT_NONE and values out of range. */
const char *sim_fault_name(int kind);

/* ---- Configuration ------------------------------------------------------ */
typedef struct SimConfig {
    uint64_t seed;
    int cpus;                 /* 1..64 */
    SimTime time_slice;       /* base slice, scaled by thread weight */
    SimStrategy strategy;
    int pct_depth;            /* PCT: number of priority-change points + 1 */
    uint64_t pct_steps;       /* PCT: expected number of steps (k) */
    const uint32_t *replay;   /* SIM_STRATEGY_REPLAY: recorded choices */
    size_t replay_len;
    size_t stack_size;        /* usable bytes per fiber stack */
    SimCostModel cost;
    SimHookFn hook;
    void *hook_ctx;
    SimThreadExitFn on_thread_exit;
    SimFaultFn on_fault;
    uint64_t budget_ns;       /* host wall-clock guard per dispatch; 0 = off.
                               * The ONLY use of host time in capsim: it
                               * decides WHEN a thread that never enters the
                               * kernel is stopped (SIM_FAULT_BUDGET), so a
                               * run that trips it is reproducible only as
                               * far as the trip itself is. */
    SimTime time_limit;       /* virtual time no run goes past, whoever
                               * runs it (sim_run, sim_run_until, sim_step):
                               * the run stops there with SIM_RUN_TIME_LIMIT
                               * and sim_time_limit_reached says so; 0 = none */
    uint64_t record_limit;    /* records the memory sink (sim_trace_keep)
                               * may hold: once it holds this many, the run
                               * stops at the end of that step with
                               * SIM_RUN_RECORD_LIMIT (its last step's few
                               * records are kept too), every later run or
                               * step returns it at once, and
                               * sim_record_limit_reached says so; 0 = none.
                               * Without the memory sink it never applies. */
} SimConfig;

void sim_config_default(SimConfig *cfg);

SimEngine *sim_engine_new(const SimConfig *cfg);
void sim_engine_free(SimEngine *e);
const SimConfig *sim_engine_config(SimEngine *e);
/* Install (or replace) the hook and callbacks after creation; `ctx` is
 * passed to all three. The model does this in kernel_new(). */
void sim_engine_set_hook(SimEngine *e, SimHookFn hook,
                         SimThreadExitFn on_thread_exit, SimFaultFn on_fault,
                         void *ctx);
/* Resume hook: called on the engine side just before a fiber resumes (after
 * a dispatch or a request), with that thread, for layers that keep host
 * state per simulated thread (the app loader swaps libc's stdio and the
 * app's TLS block, model/app/app_world.c). NULL (the default) costs one
 * predictable branch. It must not switch fibers or call sim_enter. */
typedef void (*SimResumeFn)(SimEngine *e, SimThread *t, void *ctx);
void sim_engine_set_resume_hook(SimEngine *e, SimResumeFn fn, void *ctx);
/* The installed resume hook (NULL if none); *ctx receives its context. */
SimResumeFn sim_engine_resume_hook(SimEngine *e, void **ctx);
/* Memory hook: makes thread t's memory reachable (the model's strict
 * memory mode opens its process's address space, model/strict_memory.c).
 * Called on the engine side before t resumes (before the resume hook) and
 * before the engine or the hook reads or answers t's request, which lives
 * on t's stack. While one is set, a fiber on a stack it was given
 * (sim_thread_create_on_stack) switches out through the engine context
 * only, so that its stack stays reachable until its registers are saved.
 * NULL (the default) costs one predictable branch. Same rules as the
 * resume hook. */
typedef void (*SimMemoryFn)(SimEngine *e, SimThread *t, void *ctx);
void sim_engine_set_memory_hook(SimEngine *e, SimMemoryFn fn, void *ctx);
/* Call fn(ctx) once sim_engine_free has freed every thread and fiber
 * stack (and the engine itself): for what must outlive any frame a fiber
 * left on a stack, as the app layer's code copies of processes still
 * running when it shut down (model/app/app_world.c). Last registered,
 * first called. */
typedef void (*SimAtFreeFn)(void *ctx);
void sim_engine_at_free(SimEngine *e, SimAtFreeFn fn, void *ctx);

/* ---- Threads -------------------------------------------------------------
 * Thread states (the engine's view; the model keeps Zircon's own):
 *
 *   NEW --start--> RUNNABLE <--preempt/yield-- RUNNING
 *                     ^  \------dispatch-------->  |  \
 *                     |                            |   \--exit/kill--> DEAD
 *                     +--------wake---- BLOCKED <--+
 *
 * Suspension is not a state but a count on top of any live one
 * (sim_thread_suspend/resume, sim_thread_suspended): a suspended thread
 * keeps its state and is not dispatched until resumed. */
typedef enum SimThreadState {
    SIM_THREAD_NEW = 0,
    SIM_THREAD_RUNNABLE,
    SIM_THREAD_RUNNING,
    SIM_THREAD_BLOCKED,
    SIM_THREAD_DEAD
} SimThreadState;

#define SIM_PRIORITY_MIN 0
#define SIM_PRIORITY_DEFAULT 16
#define SIM_PRIORITY_MAX 31

typedef void (*SimThreadFn)(void *arg);

SimThread *sim_thread_create(SimEngine *e, SimThreadFn fn, void *arg,
                             const char *name);
/* A thread whose fiber runs on memory the caller provides (e.g. an app's
 * mapped stack VMO). No guard region is installed by the engine. */
SimThread *sim_thread_create_on_stack(SimEngine *e, SimThreadFn fn, void *arg,
                                      const char *name, void *stack_base,
                                      size_t stack_size);
/* For a thread on a given stack: `bytes` below its base are the caller's
 * guard (left unmapped), so a fault there is that thread's stack overflow
 * (SIM_FAULT_STACK_OVERFLOW) rather than a stray access. */
void sim_thread_set_stack_guard(SimThread *t, size_t bytes);
/* Where t's stack pointer stood when it stopped: at its fault (its fiber
 * abandoned there), else where it last switched out; 0 while it runs, and
 * where the backend does not know (ucontext). A real address on its
 * stack: for a debugger's view of a stopped thread. */
uintptr_t sim_thread_stopped_sp(const SimThread *t);
/* t's stack: [*lo, *lo + *size) and the guard below it; true if it was
 * given (sim_thread_create_on_stack), false if it is the engine's. */
bool sim_thread_stack(const SimThread *t, void **lo, size_t *size, size_t *guard);
void sim_thread_start(SimThread *t);          /* NEW -> RUNNABLE */
/* any -> DEAD, never resumes; on_thread_exit runs before it returns. The
 * SimThread stays valid (state DEAD) until sim_engine_free. */
void sim_thread_kill(SimThread *t);
void sim_thread_suspend(SimThread *t);        /* nestable; takes effect at the next kernel exit */
void sim_thread_resume(SimThread *t);
uint64_t sim_thread_id(const SimThread *t);   /* 1, 2, 3... in creation order */
const char *sim_thread_name(const SimThread *t);
void sim_thread_set_name(SimThread *t, const char *name);
SimThreadState sim_thread_state(const SimThread *t);
bool sim_thread_suspended(const SimThread *t);
int sim_thread_cpu(const SimThread *t);       /* last CPU, -1 if never ran */
void sim_thread_set_priority(SimThread *t, int priority);
int sim_thread_priority(const SimThread *t);
void sim_thread_set_weight(SimThread *t, uint32_t weight); /* slice multiplier, >= 1 */
void sim_thread_set_affinity(SimThread *t, uint64_t cpu_mask); /* 0 = any */
void *sim_thread_owner(const SimThread *t);   /* the model's pointer */
void sim_thread_set_owner(SimThread *t, void *owner);
SimTime sim_thread_runtime(const SimThread *t); /* virtual ns spent on a CPU */
SimTime sim_thread_queue_time(const SimThread *t); /* virtual ns runnable, waiting */
/* The request `t` entered the kernel with (valid while it is blocked in it
 * or while the hook runs for it); NULL if none. */
SimRequest *sim_thread_request(const SimThread *t);
/* An app-side pointer (the SDK's per-thread runtime block): engine-level so
 * app code can reach it without touching model structures. */
void *sim_thread_user(const SimThread *t);
void sim_thread_set_user(SimThread *t, void *user);
SimThread *sim_thread_by_id(SimEngine *e, uint64_t id);
/* The thread whose stack (the engine's, or given at creation) holds
 * `addr`, with the distance from the stack's top in *below_top; NULL if
 * no live fiber's stack does. For reports: host addresses differ between
 * runs, a thread and a depth do not. */
SimThread *sim_stack_owner(SimEngine *e, const void *addr, size_t *below_top);
/* A server thread waits for requests from others. A run that ends with
 * nothing left to do and only server threads blocked is idle (QUIESCENT),
 * not deadlocked; any other thread blocked still makes it a DEADLOCK.
 * Launchers mark the threads of server processes (model/launch.h). The
 * mark is not traced: it changes how a run's end is named, not the run. */
void sim_thread_set_server(SimThread *t, bool server);
bool sim_thread_server(const SimThread *t);

/* ---- From a fiber (app side) --------------------------------------------*/
SimThread *sim_current(void);                 /* NULL on the engine stack */
/* True only while app code runs on a simulated thread: false on the host,
 * on the engine's stack and in a kernel hook, even one serving the current
 * thread (where sim_current() is that thread). What a libc interposer asks
 * before it simulates a call instead of forwarding it to libc. */
bool sim_in_app_code(void);
SimEngine *sim_current_engine(void);
/* Enter the kernel with a request: switches to the engine, which calls the
 * hook; returns request->result when this thread is resumed. */
int64_t sim_enter(SimRequest *request);
/* Charge virtual compute time to the calling thread; applied at its next
 * kernel entry (or preemption point). */
void sim_charge_compute(SimTime ns);
/* Give up the CPU: back of the run queue at the same priority. */
void sim_yield(void);
/* A preemption point inside app code (instrumented builds): advances the
 * thread's time by `ns` and lets the strategy preempt here. */
void sim_preempt_point(SimTime ns);
/* End the calling thread now (as if its entry function returned). */
void sim_thread_exit_self(void) __attribute__((noreturn));

/* ---- From the hook or timer callbacks (engine side) ----------------------*/
SimTime sim_now(SimEngine *e);
/* Add virtual time to the current kernel operation's cost. */
void sim_charge(SimEngine *e, SimTime ns);

typedef void (*SimTimeoutFn)(SimEngine *e, SimThread *t, void *ctx);
/* Writes a one-line description of what a blocked thread waits on. */
typedef void (*SimDescribeFn)(SimThread *t, void *ctx, char *buf, size_t len);

/* Block `t` (the caller of the current request, or any runnable thread).
 * At `deadline` (unless SIM_TIME_INFINITE) the engine calls on_timeout,
 * which must wake the thread. `describe` feeds deadlock reports. */
void sim_thread_block(SimThread *t, SimTime deadline, SimTimeoutFn on_timeout,
                      SimDescribeFn describe, void *ctx);
/* BLOCKED -> RUNNABLE; cancels the deadline timer. No-op if not blocked. */
void sim_thread_wake(SimThread *t);
SimTime sim_thread_deadline(const SimThread *t);

typedef void (*SimTimerFn)(SimEngine *e, void *ctx);
SimTimerId sim_timer_add(SimEngine *e, SimTime at, SimTimerFn fn, void *ctx);
bool sim_timer_cancel(SimEngine *e, SimTimerId id);

/* Copy n bytes like memcpy, but return false instead of crashing when
 * either side faults (unmapped, protected): for syscall handlers copying
 * from/to app pointers (a bad pointer must become ZX_ERR_INVALID_ARGS, never
 * a host crash). Cheap (a few ns over memcpy). Not async-signal-safe; do not
 * nest. May be called from the hook or from a fiber. */
bool sim_safe_copy(void *dst, const void *src, size_t n);
/* sim_safe_copy for kernel code (hooks, timer callbacks, model code called
 * on an engine's behalf): it skips the check that this host thread's fault
 * handling is set up, which creating an engine and starting a run on a
 * host thread both ensure. Only while some engine exists. */
bool sim_kernel_copy(void *dst, const void *src, size_t n);

/* ---- Running -------------------------------------------------------------*/
typedef enum SimRunResult {
    SIM_RUN_QUIESCENT = 0,    /* nothing left to run; nothing blocked but
                               * idle server threads */
    SIM_RUN_DEADLOCK,         /* nothing can run, but threads other than
                               * servers are blocked (or left suspended) */
    SIM_RUN_TIME_LIMIT,       /* reached the until-time */
    SIM_RUN_STOPPED,          /* sim_stop() was called */
    SIM_RUN_STEPPED,          /* sim_step(): one event done, more remain */
    SIM_RUN_RECORD_LIMIT = 6  /* the kept trace reached cfg.record_limit
                               * (6: the host's 5 is its "matched") */
} SimRunResult;

SimRunResult sim_run(SimEngine *e);
SimRunResult sim_run_until(SimEngine *e, SimTime limit);
SimRunResult sim_step(SimEngine *e);
void sim_stop(SimEngine *e);
bool sim_finished(SimEngine *e);
/* Whether a run stopped at cfg.time_limit with work left: every later run
 * or step returns SIM_RUN_TIME_LIMIT at once. */
bool sim_time_limit_reached(SimEngine *e);
/* Whether a run stopped at cfg.record_limit with work left: every later
 * run or step returns SIM_RUN_RECORD_LIMIT at once. */
bool sim_record_limit_reached(SimEngine *e);
/* Virtual time of the next thing to process (a CPU step, a timer, a
 * deadline), SIM_TIME_INFINITE when nothing is left: a host that runs in
 * slices (sim_run_until) skips idle stretches with it. */
SimTime sim_next_time(SimEngine *e);

/* Threads still blocked, in thread-id order, one line each:
 * "thread 7 'worker' blocked since 1200 ns on <describe()>, until <deadline|forever>"
 * (server threads: "thread 3 'pkgfs' (server) blocked since ...").
 * Returns the number of blocked threads that are not servers; writes at
 * most len bytes. Threads left suspended while runnable are listed too
 * ("suspended (runnable), never resumed") but not counted; they also make
 * a run end in DEADLOCK. */
size_t sim_blocked_report(SimEngine *e, char *buf, size_t len);
/* The same lines whole, however many (g_free it). */
char *sim_blocked_text(SimEngine *e);
/* Server threads blocked right now (at the end of a run: idle servers). */
size_t sim_idle_servers(SimEngine *e);
/* One line naming the state the engine is in, for the end of a run:
 * "quiescent", "quiescent: 12 server threads idle", "deadlock: 1 thread
 * blocked, 12 server threads idle" (also ", 1 thread left suspended"),
 * "time limit" once cfg.time_limit stopped it, "record limit" once
 * cfg.record_limit did, or "running" while
 * something is still to be processed. Writes at most len
 * bytes (NUL included); returns the length it needed. */
size_t sim_end_summary(SimEngine *e, char *buf, size_t len);
size_t sim_thread_count(SimEngine *e);        /* not yet dead */
size_t sim_live_fibers(SimEngine *e);

/* ---- Choice point ----------------------------------------------------------
 * Every choice between equally eligible alternatives. Returns an index in
 * [0, n). With n <= 1 no choice is recorded. `current` is the default
 * (what FIFO would choose). */
uint32_t sim_choose(SimEngine *e, SimChoiceKind kind, uint32_t n,
                    uint32_t current);
/* The choices made so far (for replay): pointer valid until the next run.
 * FIFO records nothing (its schedule is empty; replaying an empty schedule
 * is FIFO). A CHOICE trace record is emitted only for non-default answers,
 * so a replay yields the same trace hash as the run that recorded it. */
const uint32_t *sim_schedule(SimEngine *e, size_t *len);
/* Number of preemptions (non-default PREEMPT choices) made so far. */
uint64_t sim_preemptions(SimEngine *e);

/* ---- Trace -----------------------------------------------------------------
 * One fixed-size record per event. Engine kinds are below 64; the model
 * registers its own kinds (>= 64) with names for the exporters. Every record
 * feeds a 128-bit running hash (sim/trace.h), so the hash covers the whole
 * trace whether or not a sink keeps it. Kernel entry/exit records carry the
 * op's name as text for the sinks, but only the op number is hashed. */
typedef enum SimTraceKind {  /* arguments as the JSON lines name them */
    SIM_TR_THREAD_CREATE = 1, /* a creator (thread id, 0 = engine), b created */
    SIM_TR_THREAD_START,      /* a started */
    SIM_TR_THREAD_EXIT,       /* a killed (1 if killed), b exited */
    SIM_TR_SWITCH,            /* a from (0 idle), b to */
    SIM_TR_KERNEL_ENTER,      /* a op (request op; its name is the text) */
    SIM_TR_KERNEL_EXIT,       /* a op, b result */
    SIM_TR_BLOCK,             /* a blocked, b deadline */
    SIM_TR_WAKE,              /* a woken, b timeout (1 if by timeout) */
    SIM_TR_TIMER,             /* a timer (id) */
    SIM_TR_PREEMPT,           /* a forced (1 if by the strategy), b preempted */
    SIM_TR_FAULT,             /* a fault_kind (SimFaultKind), b addr, c
                               * addr_kind: 0 the address (below 64 KiB), 1
                               * bytes below the stack's top, 2 not shown (0) */
    SIM_TR_CHOICE,            /* a choice_kind, b n, c chosen */
    SIM_TR_SUSPEND,           /* a suspend (1 suspend, 0 resume), b target */
    SIM_TR_MODEL_FIRST = 64
} SimTraceKind;

typedef struct SimTraceRecord {
    SimTime time;
    uint64_t seq;             /* record number, from 0 */
    uint32_t kind;
    int32_t cpu;              /* -1 when not on a CPU */
    uint64_t thread;          /* thread id, 0 for the engine */
    uint64_t a, b, c, d;
    const char *text;         /* interned, may be NULL; hashed by content */
} SimTraceRecord;

typedef struct SimTraceHash {
    uint64_t hi, lo;
} SimTraceHash;

void sim_trace_emit(SimEngine *e, uint32_t kind, uint64_t a, uint64_t b,
                    uint64_t c, uint64_t d, const char *text);
/* Register a kind's name and argument names (NULL for unused args). */
void sim_trace_register_kind(SimEngine *e, uint32_t kind, const char *name,
                             const char *arg_a, const char *arg_b,
                             const char *arg_c, const char *arg_d);
const char *sim_trace_kind_name(SimEngine *e, uint32_t kind);
void sim_trace_keep(SimEngine *e, bool keep);    /* memory sink on/off */
size_t sim_trace_count(SimEngine *e);            /* records kept */
const SimTraceRecord *sim_trace_get(SimEngine *e, size_t i);
uint64_t sim_trace_total(SimEngine *e);          /* records emitted */
/* JSON-lines file sink; returns 0 or -errno. The file starts with the
 * records kept so far (all of them when the memory sink was on from the
 * start), then gets every record as it is emitted. Texts that are not
 * valid UTF-8 are written with U+FFFD in place of the bad bytes, so every
 * line is valid JSON (the hash still covers the bytes as they were). */
int sim_trace_open_file(SimEngine *e, const char *path);
/* The same sink on a descriptor already open (e.g. a dup of stdout, so
 * that `>>` appends); 0 or -errno. The trace owns `fd` and closes it. */
int sim_trace_open_fd(SimEngine *e, int fd);
/* Flush and close the sink: 0, or -errno of the first write that failed
 * (a full disk, /dev/full...), so that no caller reports a trace it lost.
 * 0 when there was no sink. */
int sim_trace_close_file(SimEngine *e);
SimTraceHash sim_trace_hash(SimEngine *e);
/* 32 hex digits + NUL into buf (>= 33 bytes). */
void sim_trace_hash_hex(SimEngine *e, char *buf);
/* Hook for the model to describe request ops in the trace (op -> name). */
typedef const char *(*SimOpNameFn)(uint64_t op);
void sim_trace_set_op_names(SimEngine *e, SimOpNameFn fn);

#ifdef __cplusplus
}
#endif
#endif
