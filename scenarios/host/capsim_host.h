/* capsim_host.h — the flat C host API: boot a simulated system, run apps in
 * it, look at what happened.
 *
 * For the `capsim` command line, the Python package (cffi reads this file:
 * it is flat — opaque pointers, integer ids, plain structs and enums, no
 * GLib types, no function-like macros) and anything else that drives a
 * simulation from outside. A system is one engine + one kernel: a root job,
 * and one job per spawned app. Processes are named by koid (uint64_t).
 *
 *   CapsimConfig cfg; capsim_config_default(&cfg); cfg.seed = 7;
 *   CapsimSystem *sys = capsim_system_new(&cfg);
 *   uint64_t p = capsim_spawn_app(sys, "hello.so", 0, NULL, NULL);
 *   capsim_run(sys);
 *   printf("%lld\n", (long long)capsim_process_return_code(sys, p));
 *   capsim_system_free(sys);
 *
 * Errors: functions that can fail return 0 / -1 / NULL and leave a message
 * naming the file and the problem in capsim_last_error(sys).
 * Threads: one system is driven from one host thread at a time, and only
 * one system runs at a time (apps share libc's globals). Read next:
 * capsim_host.c, then model/app/app.h.
 */
#ifndef CAPSIM_HOST_H
#define CAPSIM_HOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct CapsimSystem CapsimSystem;

typedef enum CapsimStrategy {
    CAPSIM_STRATEGY_FIFO = 0,   /* deterministic run-queue order */
    CAPSIM_STRATEGY_RANDOM = 1, /* seeded random walk over every choice */
    CAPSIM_STRATEGY_PCT = 2,    /* probabilistic concurrency testing */
    CAPSIM_STRATEGY_REPLAY = 3  /* answer choices from cfg.replay */
} CapsimStrategy;

/* Strict memory mode (model/strict_memory.c, docs/sdk.md): while a process
 * runs, other processes' VMO mappings fault. ON picks protection keys where
 * the host has them, else mprotect; PKEY fails on a host without keys. */
typedef enum CapsimStrictMemory {
    CAPSIM_STRICT_MEMORY_OFF = 0,
    CAPSIM_STRICT_MEMORY_ON = 1,
    CAPSIM_STRICT_MEMORY_PKEY = 2,
    CAPSIM_STRICT_MEMORY_MPROTECT = 3
} CapsimStrictMemory;

typedef struct CapsimConfig {
    uint64_t seed;              /* default 1 */
    int cpus;                   /* 1..64, default 1 */
    int strategy;               /* CapsimStrategy, default FIFO */
    int pct_depth;              /* PCT bug depth d, default 3 */
    uint64_t budget_ns;         /* host-time guard per dispatch; 0 = off */
    const char *trace_path;     /* JSON-lines trace file; NULL = none */
    int keep_trace;             /* keep records in memory (capsim_trace_*) */
    uint64_t output_limit;      /* bytes captured per process, default 1 MiB */
    /* Scheduling and costs for scripts (capsim_script.h); 0 = default. */
    uint64_t pct_steps;         /* PCT: expected kernel entries (k) */
    const uint32_t *replay;     /* REPLAY: recorded choices (copied) */
    size_t replay_len;
    int64_t cost_kernel_entry;  /* engine costs in virtual ns (sim.h) */
    int64_t cost_context_switch;
    int64_t cost_wakeup;
    int64_t cost_thread_start;
    int strict_memory;          /* CapsimStrictMemory, default OFF */
    int debugging_syscalls;     /* Zircon's kernel.enable-debugging-syscalls:
                                   zx_process_write_memory and the cache ops
                                   of vmo_op_range work; default 0 (off) */
    int64_t time_limit_ns;      /* no run goes past this virtual time, however
                                   it is driven (capsim_run, capsim_run_until,
                                   capsim_step, running until an event): it
                                   stops with CAPSIM_RUN_TIME_LIMIT and
                                   capsim_time_limit_reached says so; 0 = none */
    uint64_t record_limit;      /* kept trace records (keep_trace) a run may
                                   hold: once it holds this many, the run
                                   stops at the end of that step with
                                   CAPSIM_RUN_RECORD_LIMIT (the step's few
                                   records are kept too), every later run
                                   returns it at once and
                                   capsim_record_limit_reached says so, so
                                   that the memory an endless run keeps is
                                   bounded; 0 = none */
} CapsimConfig;

typedef enum CapsimRunResult {
    CAPSIM_RUN_QUIESCENT = 0,   /* nothing left to run, nothing blocked but
                                 * idle server threads */
    CAPSIM_RUN_DEADLOCK = 1,    /* nothing can run, other threads blocked */
    CAPSIM_RUN_TIME_LIMIT = 2,  /* reached capsim_run_until's time or the
                                   config's time_limit_ns */
    CAPSIM_RUN_STOPPED = 3,
    CAPSIM_RUN_STEPPED = 4,     /* capsim_step: one event done, more remain */
    CAPSIM_RUN_RECORD_LIMIT = 6, /* the kept trace reached record_limit
                                    (5 is capsim_script.h's MATCHED) */
    CAPSIM_RUN_ERROR = -1
} CapsimRunResult;

/* How a process ended (same order as the app layer's AppEnd). */
typedef enum CapsimEnd {
    CAPSIM_END_RUNNING = 0,
    CAPSIM_END_EXITED = 1,      /* main returned, exit(), zx_process_exit */
    CAPSIM_END_KILLED = 2,      /* zx_task_kill on it or its job */
    CAPSIM_END_POLICY = 3,      /* a job policy killed it */
    CAPSIM_END_EXCEPTION = 4,   /* unhandled fault / abort / budget */
    CAPSIM_END_CRITICAL = 5,    /* killed because a critical process died */
    CAPSIM_END_OTHER = 6
} CapsimEnd;

/* One process, as capsim_process_info reports it. */
typedef struct CapsimProcessInfo {
    uint64_t koid;
    char name[32];
    int end;                    /* CapsimEnd */
    int64_t return_code;        /* meaningful once end != RUNNING */
    int fault_kind;             /* SimFaultKind of its last fault, 0 if none */
    uint64_t fault_addr;        /* when deterministic (< 64 KiB), else 0 */
    uint64_t output_bytes;
    int output_truncated;
    int fault_addr_known;       /* 1: fault_addr is the address a page fault or
                                   bus error touched (< 64 KiB; 0 is NULL) */
} CapsimProcessInfo;

/* One handle of a live process (koid order of objects is not implied:
 * handle-table order). */
typedef struct CapsimHandleInfo {
    uint32_t value;
    uint32_t type;              /* ZX_OBJ_TYPE_* */
    uint32_t rights;
    uint64_t koid;
} CapsimHandleInfo;

void capsim_config_default(CapsimConfig *cfg);
/* NULL on a bad configuration: capsim_last_error(NULL) says why. */
CapsimSystem *capsim_system_new(const CapsimConfig *cfg);
void capsim_system_free(CapsimSystem *sys);
/* The last error of sys ("" if none); with NULL, of capsim_system_new. */
const char *capsim_last_error(CapsimSystem *sys);
/* Private copies of apps loaded in this host process now, every system
 * together: one per process running an app's code. A freed system leaves
 * none behind, even of processes still running when it was freed. */
size_t capsim_loaded_app_copies(void);

/* Start an app (shared object at `path`, or a built-in program when `path`
 * names one registered with app_builtin_register) in a new job under the
 * root job, with the standard startup handles (self process, thread, root
 * VMAR, default job = its own job). argv[0] is conventionally the name;
 * argc == 0 gives argv = {name}. name NULL: the file's base name. Returns
 * the process koid, 0 on error. */
uint64_t capsim_spawn_app(CapsimSystem *sys, const char *path, int argc,
                          const char *const *argv, const char *name);
/* The same without any startup handle: a process that really has nothing. */
uint64_t capsim_spawn_app_bare(CapsimSystem *sys, const char *path, int argc,
                               const char *const *argv, const char *name);
/* Both, plus an environment (NULL-terminated "NAME=value" strings; NULL =
 * none): standard_handles 1 gives the standard startup handles, 0 none. */
uint64_t capsim_spawn_app_ex(CapsimSystem *sys, const char *path, int argc,
                             const char *const *argv, const char *const *envp,
                             const char *name, int standard_handles);

int capsim_run(CapsimSystem *sys);                 /* CapsimRunResult */
int capsim_run_until(CapsimSystem *sys, int64_t ns);
int capsim_step(CapsimSystem *sys);
int64_t capsim_system_now(CapsimSystem *sys);      /* virtual ns */
/* 1 once a run stopped at cfg.time_limit_ns with work left (every later
 * run returns CAPSIM_RUN_TIME_LIMIT at once), else 0. */
int capsim_time_limit_reached(CapsimSystem *sys);
/* 1 once a run stopped at cfg.record_limit with work left (every later
 * run returns CAPSIM_RUN_RECORD_LIMIT at once), else 0. */
int capsim_record_limit_reached(CapsimSystem *sys);
/* Virtual time of the next thing the engine will process, -1 when nothing
 * is left: a host running in slices (capsim_run_until) skips idle time. */
int64_t capsim_next_event_time(CapsimSystem *sys);
/* Threads still blocked when the run ended, one line each (server threads
 * marked "(server)"); returns how many are not servers. */
size_t capsim_blocked_report(CapsimSystem *sys, char *buf, size_t len);
/* The same lines whole, however many threads are blocked ("" if none).
 * malloc'd; release with capsim_free. */
char *capsim_blocked_text(CapsimSystem *sys);
/* The end in one line: "quiescent", "quiescent: 12 server threads idle",
 * "deadlock: 1 thread blocked, 12 server threads idle", "running"...
 * Returns the length it needed. */
size_t capsim_end_summary(CapsimSystem *sys, char *buf, size_t len);
/* Server threads (directory servers, drivers, services) blocked waiting for
 * requests: idle, they do not make a run a deadlock. */
size_t capsim_idle_servers(CapsimSystem *sys);

/* Processes seen so far (spawned, their children...), in koid order. */
size_t capsim_process_count(CapsimSystem *sys);
uint64_t capsim_process_koid(CapsimSystem *sys, size_t index);
int capsim_process_info(CapsimSystem *sys, uint64_t koid, CapsimProcessInfo *out);
int capsim_process_end(CapsimSystem *sys, uint64_t koid);       /* CapsimEnd, -1 unknown */
int64_t capsim_process_return_code(CapsimSystem *sys, uint64_t koid);
const char *capsim_end_name(int end);
const char *capsim_fault_name(int fault_kind);
/* Captured output; streams: 1 stdout, 2 stderr, 3 both (in write order).
 * Copies at most len - 1 bytes, NUL-terminated; returns the total size. */
size_t capsim_process_output(CapsimSystem *sys, uint64_t koid, int streams,
                             char *buf, size_t len);
/* Handles of a live process: fills up to max, returns how many it has
 * (0 for a dead or unknown process). */
size_t capsim_process_handles(CapsimSystem *sys, uint64_t koid,
                              CapsimHandleInfo *out, size_t max);

/* Every output chunk of every process, in the order written. */
size_t capsim_output_count(CapsimSystem *sys);
int capsim_output_chunk(CapsimSystem *sys, size_t index, uint64_t *koid,
                        int *stream, const char **data, size_t *len);

/* 32 hex digits + NUL into buf (>= 33 bytes). */
void capsim_trace_hash(CapsimSystem *sys, char *buf);
uint64_t capsim_trace_records(CapsimSystem *sys);
/* Finish the JSON-lines trace file of cfg.trace_path (flush, close; the
 * system goes on without it): 0, or -1 when a write to it failed (a full
 * disk), capsim_last_error naming the file and why. 0 without a file. */
int capsim_trace_close(CapsimSystem *sys);
/* Whether a budget stop happened (some thread ran too long). */
int capsim_budget_tripped(CapsimSystem *sys);
/* The strict memory mechanism in use: "off", "pkey" or "mprotect". */
const char *capsim_strict_memory(CapsimSystem *sys);

/* The run's report as JSON: seed, cpus, strategy, result, trace_hash,
 * exit_code (first spawned app's return code), virtual_time_ns, and per
 * process name, koid, return_code, ended, fault, stdout, stderr (every key
 * and its type: docs/automation.md). malloc'd; release with capsim_free.
 * The same seed and inputs give the same bytes. */
char *capsim_report_json(CapsimSystem *sys);
int capsim_write_report(CapsimSystem *sys, const char *path); /* 0 or -1 */
void capsim_free(void *p);

/* ---- Resource limits (host_limits.c) ----------------------------------------
 * Knobs of the system's builder, out of reach of simulated code. Status
 * functions return 0 or a negative ZX_ERR_* with a message in
 * capsim_last_error. Jobs are named by koid (capsim_process_job gives a
 * process's job).
 * The kernel-wide handle arena (Zircon's 256 Ki handles): lower it to make
 * exhaustion scenarios fast. ZX_ERR_OUT_OF_RANGE outside 1..262144,
 * ZX_ERR_BAD_STATE below the handles that already exist. */
int capsim_set_handle_limit(CapsimSystem *sys, uint64_t limit);
uint64_t capsim_handle_limit(CapsimSystem *sys);
uint64_t capsim_handle_count(CapsimSystem *sys);     /* handles alive now */
/* capsim extensions (model/job_limits.c, docs/scenarios/handle_exhaustion.md
 * and covert_channel.md). Handle quota: handles held in the tables of the
 * processes of the job's subtree may not exceed `quota` (0 = none); past
 * it, calls that would add a handle fail with ZX_ERR_NO_MEMORY. */
int capsim_job_set_handle_quota(CapsimSystem *sys, uint64_t job, uint64_t quota);
/* Handles held below the job now; -1 if no such live job. */
int64_t capsim_job_handles(CapsimSystem *sys, uint64_t job);
/* CPU mask: bit i = virtual CPU i (0 = any). The job's threads run only on
 * CPUs of the intersection of its and its ancestors' masks; applies to
 * live threads at once. ZX_ERR_INVALID_ARGS if that leaves a job with no
 * CPU of the system. */
int capsim_job_set_cpu_mask(CapsimSystem *sys, uint64_t job, uint64_t mask);
/* The effective mask (0 = any CPU). */
uint64_t capsim_job_cpu_mask(CapsimSystem *sys, uint64_t job);

#ifdef __cplusplus
}
#endif
#endif
