/* capsim_script.h — the scripting half of the flat host API: what the
 * `capsim` Python package (and any other driver) needs beyond booting a
 * system and running apps (capsim_host.h).
 *
 *   - kernel switches: fault injection and the kernel's cost model;
 *   - objects the host creates and holds (channels, events, VMOs, jobs with
 *     policies...) and spawning apps with chosen startup handles;
 *   - the component manager: packages, environments, sandbox policy;
 *   - the schedule the engine recorded, for exact replay;
 *   - the trace as records, and running until an event matches;
 *   - capability-graph snapshots, rendering and authority analysis (viz/);
 *   - the Zircon constants, by name.
 *
 * Flat for cffi: opaque pointers, integer ids, plain structs, no GLib, no
 * function-like macros. Status-returning functions return a zx_status_t (0
 * or a negative ZX_ERR_*) and leave a message naming the problem in
 * capsim_last_error(sys); capsim_status_name gives the status's name.
 *
 * The host holds what it creates in a process of its own, "host", in the
 * root job. It never runs: it is the outside world's place in the
 * capability graph. Host handles are values in its table; giving one to a
 * spawned process moves it there (the host keeps nothing of it).
 * Read next: host_objects.c, host_trace.c, host_graph.c.
 */
#ifndef CAPSIM_SCRIPT_H
#define CAPSIM_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "capsim_host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status names and constants (host_constants.c) ------------------------ */
/* "ZX_ERR_BAD_HANDLE"; "ZX_ERR_<n>" style text for unknown values. */
const char *capsim_status_name(int status);
/* Zircon's constants by name (rights, object types, PA_* handle types,
 * ZX_POL_* conditions and actions, signals, statuses...), with the values
 * the C headers give them. Index order is fixed; NULL name past the end. */
size_t capsim_constant_count(void);
const char *capsim_constant(size_t index, int64_t *value);

/* ---- Recording (host_script.c) ---------------------------------------------- */
/* Watch the run with viz's recorder (keeps the trace, decodes every
 * syscall, remembers which process each engine thread was). Call before
 * the first spawn; 0 or -1 (already started). */
int capsim_record(CapsimSystem *sys);

/* ---- Kernel switches (host_script.c) ---------------------------------------- */
typedef struct CapsimFaults {
    int skip_rights_subset;     /* duplicate/replace/get_child may add rights */
    int skip_owner_check;       /* a handle value of another process resolves */
    int no_handle_generation;   /* a closed handle value is reused at once */
    int accept_dotdot;          /* directory servers accept ".." */
    int skip_type_check;        /* handle lookup ignores the object type */
} CapsimFaults;

void capsim_get_faults(CapsimSystem *sys, CapsimFaults *out);
void capsim_set_faults(CapsimSystem *sys, const CapsimFaults *f);

/* Virtual ns per kernel operation, on top of the engine's kernel entry. */
typedef struct CapsimCosts {
    int64_t handle_op;
    int64_t object_create;
    int64_t per_kib_copy;
    int64_t per_handle_moved;
    int64_t wait_setup;
    int64_t process_create;
    int64_t thread_create;
} CapsimCosts;

void capsim_get_costs(CapsimSystem *sys, CapsimCosts *out);
/* ZX_ERR_INVALID_ARGS for a negative cost. */
int capsim_set_costs(CapsimSystem *sys, const CapsimCosts *c);

/* ---- Schedule (host_script.c) ------------------------------------------------
 * Every choice the strategy made so far (none under FIFO), for
 * CapsimConfig.replay. Copies up to max; returns the total. */
size_t capsim_schedule(CapsimSystem *sys, uint32_t *out, size_t max);
uint64_t capsim_preemptions(CapsimSystem *sys);
uint64_t capsim_syscall_count(CapsimSystem *sys);
/* The status of the last failure of a capsim_script.h call (0 if none):
 * for calls that return 0 or NULL on error. */
int capsim_last_status(CapsimSystem *sys);
/* The CapsimRunResult of the last run or step. */
int capsim_last_result(CapsimSystem *sys);

/* ---- Host objects (host_objects.c) --------------------------------------------
 * Each create returns a status and the new handle value(s) in the host's
 * table, with the type's default rights. */
int capsim_host_channel(CapsimSystem *sys, uint32_t *end0, uint32_t *end1);
int capsim_host_event(CapsimSystem *sys, uint32_t *out);
int capsim_host_eventpair(CapsimSystem *sys, uint32_t *end0, uint32_t *end1);
int capsim_host_socket(CapsimSystem *sys, uint32_t options, uint32_t *end0,
                       uint32_t *end1);
/* A VMO of `size` bytes (0: len rounded up), holding `data`; name may be NULL. */
int capsim_host_vmo(CapsimSystem *sys, uint64_t size, const void *data,
                    size_t len, const char *name, uint32_t *out);
int capsim_host_vmo_read(CapsimSystem *sys, uint32_t vmo, uint64_t offset,
                         void *buf, size_t len);
int capsim_host_vmo_write(CapsimSystem *sys, uint32_t vmo, uint64_t offset,
                          const void *data, size_t len);
/* A job under `parent` (a host job handle; 0 = the root job). */
int capsim_host_job(CapsimSystem *sys, uint32_t parent, const char *name,
                    uint32_t *out);

/* One zx_policy_basic_v2_t entry. */
typedef struct CapsimPolicy {
    uint32_t condition;         /* ZX_POL_* */
    uint32_t action;            /* ZX_POL_ACTION_* */
    uint32_t flags;             /* ZX_POL_OVERRIDE_* */
} CapsimPolicy;

/* zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, entries, n), with
 * Zircon's errors (the job must be empty...). */
int capsim_host_job_set_policy(CapsimSystem *sys, uint32_t job,
                               uint32_t options, const CapsimPolicy *entries,
                               size_t n);
int capsim_host_duplicate(CapsimSystem *sys, uint32_t h, uint32_t rights,
                          uint32_t *out);
int capsim_host_replace(CapsimSystem *sys, uint32_t h, uint32_t rights,
                        uint32_t *out);
int capsim_host_close(CapsimSystem *sys, uint32_t h);
int capsim_host_signal(CapsimSystem *sys, uint32_t h, uint32_t clear,
                       uint32_t set);
/* Write a message through a host channel end; `handles` (host values)
 * move with it, as zx_channel_write (consumed even on failure). */
int capsim_host_write(CapsimSystem *sys, uint32_t channel, const void *bytes,
                      size_t nbytes, const uint32_t *handles, size_t nhandles);
/* Read one message from a host channel end: ZX_ERR_SHOULD_WAIT if none.
 * Received handles join the host's table (values in handles_out). Sizes
 * in/out as zx_channel_read (ZX_ERR_BUFFER_TOO_SMALL leaves it queued). */
int capsim_host_read(CapsimSystem *sys, uint32_t channel, void *bytes,
                     size_t *nbytes, uint32_t *handles_out, size_t *nhandles);
int capsim_host_handle_info(CapsimSystem *sys, uint32_t h, CapsimHandleInfo *out);
/* The host's handles (as capsim_process_handles) and its process koid
 * (0 until the host first created something). */
size_t capsim_host_handles(CapsimSystem *sys, CapsimHandleInfo *out, size_t max);
uint64_t capsim_host_koid(CapsimSystem *sys);
/* Kill a task (process or job) by koid, as zx_task_kill. */
int capsim_task_kill(CapsimSystem *sys, uint64_t koid);

/* ---- Spawning with chosen handles (host_objects.c) -------------------------- */
typedef struct CapsimStartHandle {
    uint32_t handle;            /* a host handle value: moved to the process */
    uint32_t info;              /* PA_HND(type, arg) it is found by */
    uint32_t rights;            /* ZX_RIGHT_SAME_RIGHTS or a subset */
} CapsimStartHandle;

typedef struct CapsimSpawn {
    const char *path;           /* app .so, or a built-in's name */
    const char *name;           /* NULL: the file's base name */
    int argc;
    const char *const *argv;    /* argc == 0: {name} */
    const char *const *envp;    /* NULL-terminated or NULL */
    uint32_t job;               /* host job handle to run in (kept by the
                                   host); 0 = a new job under the root job */
    int standard;               /* give PA_PROC_SELF, _THREAD_SELF, _VMAR_ROOT,
                                   _JOB_DEFAULT (the process's job) */
    uint32_t job_rights;        /* rights of PA_JOB_DEFAULT; 0 = Zircon's default */
    const CapsimStartHandle *handles;
    size_t nhandles;
    int server;                 /* it serves requests: blocked waiting for
                                   them at the end, it is idle, not a
                                   deadlock (sim_thread_set_server) */
} CapsimSpawn;

/* Validate everything first (bad handle, rights not a subset, bad app:
 * nothing moves), then launch. Returns the process koid, 0 on error. */
uint64_t capsim_host_spawn(CapsimSystem *sys, const CapsimSpawn *spec);
/* The koid of the job a process runs in, 0 if unknown. */
uint64_t capsim_process_job(CapsimSystem *sys, uint64_t process);

/* ---- Objects by koid (host_objects.c) ---------------------------------------- */
typedef struct CapsimObjectInfo {
    uint64_t koid;
    uint32_t type;              /* ZX_OBJ_TYPE_* */
    char type_name[16];
    char name[32];
    uint64_t parent;            /* job of a job/process, process of a thread */
    uint32_t handle_count;
    uint32_t signals;
    int state;                  /* task state (model enum), -1 otherwise */
} CapsimObjectInfo;

/* ZX_ERR_NOT_FOUND once the object is gone. */
int capsim_object_info(CapsimSystem *sys, uint64_t koid, CapsimObjectInfo *out);

/* ---- Components (host_component.c) -------------------------------------------
 * A Fuchsia-like system of components on this kernel (model/sandbox):
 * policy_json NULL = grant-all, else an allowlist (docs/sandbox.md).
 * Once per system. */
int capsim_components_start(CapsimSystem *sys, const char *policy_json,
                            const char *policy_name, int bare_root_env,
                            const CapsimPolicy *job_policy, size_t njob_policy);
/* Install an archive; the installed name into name_out (len bytes). */
int capsim_component_add_package(CapsimSystem *sys, const char *path,
                                 char *name_out, size_t len);
int capsim_component_data_put(CapsimSystem *sys, const char *path,
                              const void *data, size_t len);
/* A nested environment; returns its index (root = 0), -1 on error. */
int capsim_component_env(CapsimSystem *sys, int parent, const char *name,
                         int inherit);
/* Launch a package in env (0 = root). Returns the launch's index (>= 0)
 * even when the policy refuses it (capsim_component_info says why); -1 on
 * other errors. */
int capsim_component_launch(CapsimSystem *sys, int env, const char *package,
                            int argc, const char *const *argv);

typedef struct CapsimComponentInfo {
    uint64_t process;           /* koid, 0 if refused */
    uint64_t job;
    const char *package;
    const char *refusal;        /* NULL if launched */
    size_t ns_count;
    const char *notes;
} CapsimComponentInfo;

size_t capsim_component_count(CapsimSystem *sys);
int capsim_component_info(CapsimSystem *sys, size_t i, CapsimComponentInfo *out);
/* Namespace entry j of launch i: path and why. NULL past the end. */
const char *capsim_component_ns(CapsimSystem *sys, size_t i, size_t j,
                                const char **why);
/* What a launch would give (one "<path> <request>" line per entry), or
 * NULL with the refusal in capsim_last_error. capsim_free it. */
char *capsim_component_plan(CapsimSystem *sys, int env, const char *package);

/* ---- Trace (host_trace.c) ------------------------------------------------------
 * Kept records (CapsimConfig.keep_trace or capsim_record). `process` is
 * the koid of the process whose thread the record is stamped with, when
 * known (0 otherwise). */
typedef struct CapsimTraceRecord {
    int64_t time;
    uint64_t seq;
    uint32_t kind;
    int32_t cpu;
    uint64_t thread;
    uint64_t process;
    uint64_t a, b, c, d;
    const char *text;           /* may be NULL */
} CapsimTraceRecord;

size_t capsim_trace_count(CapsimSystem *sys);
/* Copy records [from, from + max) (fewer at the end); returns how many. */
size_t capsim_trace_get(CapsimSystem *sys, size_t from, CapsimTraceRecord *out,
                        size_t max);
const char *capsim_trace_kind_name(CapsimSystem *sys, uint32_t kind);
/* The decoded call of a kernel_enter record (needs capsim_record):
 * "zx_channel_write(handle=0x... [channel 12], ...)"; "" if unknown. */
const char *capsim_trace_call(CapsimSystem *sys, uint64_t seq);
/* The step listing of the run so far (needs capsim_record): every syscall
 * with its decoded call, result and the graph changes it made, as `capsim
 * trace --format=steps` writes it (docs/graphs.md). Malloc'd; NULL if the
 * system does not record. */
char *capsim_trace_steps(CapsimSystem *sys);
const char *capsim_syscall_name(uint64_t op);
int capsim_syscall_op(const char *name);     /* -1 if unknown */

/* What to stop at. Zero fields match anything. */
typedef struct CapsimEventSpec {
    uint32_t kind;              /* a trace kind (e.g. SIM_TR_KERNEL_EXIT = 6);
                                   0 = any */
    int64_t op;                 /* syscall op (kernel enter/exit); -1 = any */
    uint64_t process;           /* koid of the process; 0 = any */
    int match_result;           /* 1: kernel exit result must equal `result` */
    int64_t result;
    int graph_change;           /* 1: any object or handle record */
    uint64_t object;            /* koid in the record's a or b; 0 = any */
} CapsimEventSpec;

/* Step until a new kept record matches `spec` (or the run ends, or
 * max_steps engine events pass; 0 = no limit). Returns CAPSIM_RUN_MATCHED
 * with the record's index in *index, or the CapsimRunResult that ended
 * the run. Needs a kept trace. */
#define CAPSIM_RUN_MATCHED 5
int capsim_run_until_event(CapsimSystem *sys, const CapsimEventSpec *spec,
                           uint64_t max_steps, size_t *index);
/* True when the engine has nothing left to do (no event, nothing runnable),
 * or when the run reached cfg.time_limit_ns or cfg.record_limit. */
int capsim_finished(CapsimSystem *sys);

/* ---- Capability graphs (host_graph.c) ----------------------------------------
 * A snapshot of the kernel now, indexed and analysed on demand. */
typedef struct CapsimGraph CapsimGraph;

CapsimGraph *capsim_graph_snapshot(CapsimSystem *sys);
void capsim_graph_free(CapsimGraph *g);
/* When it was taken: the engine's virtual time (a syscall's effects are
 * stamped with its entry, its kernel_exit record with when its caller
 * resumes) and the number of trace records before it (exact where times
 * are not: record seq < trace_seq happened before the snapshot). */
int64_t capsim_graph_time(const CapsimGraph *g);
uint64_t capsim_graph_trace_seq(const CapsimGraph *g);

/* Nodes and edges, in snapshot order (export.h's ExportNode/ExportEdge,
 * flattened; strings live as long as the graph). */
typedef struct CapsimNode {
    uint64_t id;
    uint32_t kind;              /* ExportNodeKind */
    uint32_t type;
    const char *kind_name;      /* "object", "inflight", "directory"... */
    const char *type_name;
    const char *name;
    uint64_t parent;
    uint64_t object;
    const char *state;
    uint32_t handle_count;
    uint32_t signals;
    uint32_t policy_denied;
} CapsimNode;

typedef struct CapsimEdge {
    uint32_t kind;              /* ExportEdgeKind */
    const char *kind_name;      /* "handle", "child", "peer"... */
    uint64_t src, dst;
    uint32_t rights;
    uint32_t value;
    uint64_t arg0, arg1;
    const char *label;
} CapsimEdge;

size_t capsim_graph_node_count(const CapsimGraph *g);
size_t capsim_graph_edge_count(const CapsimGraph *g);
int capsim_graph_node(const CapsimGraph *g, size_t i, CapsimNode *out);
int capsim_graph_edge(const CapsimGraph *g, size_t i, CapsimEdge *out);
/* Node index from a spec ("process:client", "koid:12", "/svc/x", "client");
 * -1 with the reason in err. */
int64_t capsim_graph_find(CapsimGraph *g, const char *spec, char *err,
                          size_t errlen);

/* networkx node-link JSON (malloc'd; capsim_free). */
char *capsim_graph_json(CapsimGraph *g, const char *label);
/* The focus radius when none is given: what a principal holds, who else
 * holds the same objects, and what those holders hold (the path of a
 * leak through a shared holder). The one default of capsim_graph_render's
 * callers, capsim_render_options_default (`capsim graph --hops`) and the
 * Python package (Graph.render's hops). */
#define CAPSIM_FOCUS_HOPS 2

/* Output formats: the name capsim_graph_render and the CLI know `name` by
 * ("svg"; "gv" is "dot"; any case), NULL if none; and the list of them
 * for messages ("dot, svg, png, pdf, json"; without json, which is not a
 * picture but capsim_graph_json's text, when pictures_only). Static. */
const char *capsim_graph_format(const char *name);
const char *capsim_graph_formats(int pictures_only);
/* Render "svg", "png", "pdf" or "dot": the whole graph (focus < 0) or what
 * lies within `hops` of node index `focus`. Bytes malloc'd (capsim_free),
 * NULL with the reason in err. */
char *capsim_graph_render(CapsimGraph *g, const char *format, int64_t focus,
                          int hops, const char *title, size_t *len, char *err,
                          size_t errlen);

/* Authority analysis (built on first use). A fact, flattened. */
typedef struct CapsimFact {
    uint32_t index;             /* for witness queries */
    uint32_t kind;              /* VizFactKind: 0 hold, 1 control, 2 flow, 3 create */
    const char *kind_name;
    const char *rule;           /* how it was derived ("handle", "transfer"...) */
    uint64_t subject, object;   /* node ids */
    uint32_t rights;
} CapsimFact;

/* Facts about what node index `principal` (process, job, component) can
 * come to hold, control, flow to or create in. Copies up to max; returns
 * the total; -1 if principal is out of range. */
int64_t capsim_graph_reach(CapsimGraph *g, int64_t principal, CapsimFact *out,
                           size_t max);
/* The fact proving principal may hold node `object` with `rights`, or -1. */
int64_t capsim_graph_can(CapsimGraph *g, int64_t principal, int64_t object,
                         uint32_t rights);
/* Processes that could hold node `object` with `rights` (facts, koid
 * order); as capsim_graph_reach. */
int64_t capsim_graph_who_can(CapsimGraph *g, int64_t object, uint32_t rights,
                             CapsimFact *out, size_t max);
/* The witness of a fact: the steps (facts) proving it, premises first;
 * as capsim_graph_reach. */
int64_t capsim_graph_witness(CapsimGraph *g, uint32_t fact, CapsimFact *out,
                             size_t max);
/* The witness as numbered text (malloc'd) and as a picture. */
char *capsim_graph_witness_text(CapsimGraph *g, uint32_t fact);
char *capsim_graph_witness_render(CapsimGraph *g, uint32_t fact,
                                  const char *format, size_t *len, char *err,
                                  size_t errlen);
/* Check policy rules (viz_policycheck's text format). Returns the number
 * of violations and their report (malloc'd) in *report; -1 with the
 * reason (naming `name` and the line) in err. */
int64_t capsim_graph_check(CapsimGraph *g, const char *rules, const char *name,
                           char **report, char *err, size_t errlen);

/* What changed from `before` to `after` (two graphs of system sys): one
 * line per change, naming the trace event behind it when sys records;
 * the number of changes in *nchanges. malloc'd; NULL on no memory. */
char *capsim_graph_diff_text(CapsimSystem *sys, const CapsimGraph *before,
                             const CapsimGraph *after, size_t *nchanges);
/* The same drawn over `after` (changes in colour). */
char *capsim_graph_diff_render(CapsimSystem *sys, const CapsimGraph *before,
                               const CapsimGraph *after, const char *format,
                               size_t *len, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
