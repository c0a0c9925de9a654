/* export.h — the small, flat export API through which viz/ (and the Python
 * bindings) read the kernel's state: a snapshot of nodes and edges.
 *
 * A snapshot is a self-contained copy: arrays of plain structs plus a
 * string pool, valid after the kernel has moved on or been freed. Nodes are
 * sorted by id, edges by (src, kind, dst, value, arg0); object nodes have
 * id == koid, synthetic nodes (handles in flight, directory entries,
 * components) get ids from EXPORT_SYNTH_BASE up in walk order. Nothing in a
 * snapshot depends on host pointers: the same seed gives the same bytes.
 *
 * The sandbox layer contributes directories, namespace paths and
 * components through export_sandbox_visit (weak until it is linked): it
 * calls the export_add_* functions below with the ExportSink it is given.
 *
 * Flat on purpose (cffi reads it): no GLib types, no function-like macros.
 * Read next: export.c, then viz/viz_graph.h.
 */
#ifndef CAPSIM_MODEL_EXPORT_H
#define CAPSIM_MODEL_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct Kernel Kernel;
typedef struct SimThread SimThread;
typedef struct SimEngine SimEngine;
typedef struct SimRequest SimRequest;
typedef struct ExportSink ExportSink;

/* Synthetic node ids start here (koids never get this far). */
#define EXPORT_SYNTH_BASE ((uint64_t)1 << 48)

typedef enum ExportNodeKind {
    EXPORT_NODE_OBJECT = 0,   /* a live kernel object; id is its koid */
    EXPORT_NODE_INFLIGHT,     /* a handle inside a queued channel message */
    EXPORT_NODE_DIRECTORY,    /* a directory (or file) in a served tree */
    EXPORT_NODE_SERVICE,      /* a service entry in a served tree */
    EXPORT_NODE_COMPONENT,    /* a component / sandbox instance */
    EXPORT_NODE_KIND_COUNT
} ExportNodeKind;

typedef enum ExportEdgeKind {
    EXPORT_EDGE_HANDLE = 0,   /* process or in-flight node -> object: rights, value */
    EXPORT_EDGE_CHILD,        /* job -> child job or process */
    EXPORT_EDGE_THREAD,       /* process -> thread */
    EXPORT_EDGE_PEER,         /* lower-koid peer -> higher-koid peer */
    EXPORT_EDGE_INFLIGHT,     /* endpoint it is queued on -> in-flight node */
    EXPORT_EDGE_MAPPING,      /* process -> mapped VMO: rights = perms as R/W/X
                                 rights, arg0 = slot-relative base, arg1 = size */
    EXPORT_EDGE_VMAR,         /* process -> a VMAR of its address space */
    EXPORT_EDGE_PORT_BINDING, /* waited object -> port: arg0 = key, arg1 = signals,
                                 value = 1 when the packet is already queued */
    EXPORT_EDGE_EXCEPTION,    /* task -> kernel end of its exception channel:
                                 value = channel type, rights = task rights */
    EXPORT_EDGE_NAMESPACE,    /* process -> object it reaches at a path: label */
    EXPORT_EDGE_DIR_CHILD,    /* directory -> entry (label = entry name) */
    EXPORT_EDGE_DIR_CONN,     /* client endpoint -> directory/service it opens:
                                 rights = connection rights (R/W/X/ENUMERATE) */
    EXPORT_EDGE_SERVES,       /* server process -> directory/service it serves */
    EXPORT_EDGE_MEMBER,       /* component -> its job or process */
    EXPORT_EDGE_DIR_REMOTE,   /* mount point -> the node its opens are forwarded
                                 to on another server: rights = the forwarding
                                 connection's, label = path on the remote */
    EXPORT_EDGE_KIND_COUNT
} ExportEdgeKind;

/* Kernel fault switches on when the snapshot was taken (KernelFaults). */
enum {
    EXPORT_FAULT_SKIP_RIGHTS_SUBSET = 1u << 0,
    EXPORT_FAULT_SKIP_OWNER_CHECK = 1u << 1,
    EXPORT_FAULT_NO_HANDLE_GENERATION = 1u << 2,
    EXPORT_FAULT_ACCEPT_DOTDOT = 1u << 3,
    EXPORT_FAULT_SKIP_TYPE_CHECK = 1u << 4,
    EXPORT_FAULT_DEBUGGING_SYSCALLS = 1u << 5 /* not a fault: kernel option */
};

typedef struct ExportNode {
    uint64_t id;              /* koid for objects, synthetic otherwise */
    uint32_t kind;            /* ExportNodeKind */
    uint32_t type;            /* zx_obj_type_t (in-flight: its object's type) */
    const char *type_name;    /* "channel", "process", "directory"... */
    const char *name;         /* object name, path, component name ("" if none) */
    uint64_t parent;          /* job of a job/process, process of a thread or
                                 VMAR, endpoint of an in-flight handle, parent
                                 directory; 0 if none */
    uint64_t object;          /* in-flight: the object's koid; else 0 */
    const char *state;        /* "running", "dead"... ("" if stateless) */
    uint32_t handle_count;
    uint32_t signals;
    uint32_t default_rights;  /* of a fresh handle of this type */
    uint32_t possible_rights; /* no handle of this type carries more */
    uint32_t policy_denied;   /* jobs, processes: bit c = ZX_POL condition c
                                 is denied (DENY, DENY_EXCEPTION or KILL) */
    uint32_t max_rights;      /* directories: rights a connection may have */
} ExportNode;

typedef struct ExportEdge {
    uint32_t kind;            /* ExportEdgeKind */
    uint64_t src, dst;        /* node ids */
    uint32_t rights;
    uint32_t value;           /* handle value (deterministic per seed) */
    uint64_t arg0, arg1;      /* kind-specific, see ExportEdgeKind */
    const char *label;        /* path or entry name ("" if none) */
} ExportEdge;

typedef struct ExportSnapshot {
    int64_t time;             /* virtual ns when taken */
    uint64_t trace_seq;       /* trace records emitted before it */
    uint32_t faults;          /* EXPORT_FAULT_* */
    ExportNode *nodes;
    size_t nnodes;
    ExportEdge *edges;
    size_t nedges;
    void *pool;               /* owns every string above */
} ExportSnapshot;

/* Take a snapshot of the whole kernel. Never fails except out of memory
 * (NULL). Free with export_snapshot_free. */
ExportSnapshot *export_snapshot(Kernel *k);
void export_snapshot_free(ExportSnapshot *s);
/* A snapshot made by hand (tools, tests, synthetic benchmarks): copies the
 * arrays and strings, sorts nodes by id and edges like export_snapshot. */
ExportSnapshot *export_snapshot_build(const ExportNode *nodes, size_t nnodes,
                                      const ExportEdge *edges, size_t nedges);
/* Deep copy (for keeping a snapshot beside a modified one). */
ExportSnapshot *export_snapshot_copy(const ExportSnapshot *s);
/* The node with `id`, or NULL (binary search). */
const ExportNode *export_find_node(const ExportSnapshot *s, uint64_t id);
const char *export_node_kind_name(uint32_t kind);
const char *export_edge_kind_name(uint32_t kind);

/* ---- Contributions from the sandbox layer -------------------------------
 * Implemented by the sandbox layer (weak here): called once per snapshot
 * after the kernel walk, to add directory trees, namespace entries and
 * components. Ids returned by export_add_* are synthetic node ids. */
void export_sandbox_visit(Kernel *k, ExportSink *sink) __attribute__((weak));
/* A node of a served tree: `type` names it ("directory", "file", "mount",
 * "service"; a service is an EXPORT_NODE_SERVICE node), `path` is its
 * node name, `name` the entry name its parent's DIR_CHILD edge carries. */
uint64_t export_add_directory(ExportSink *s, uint64_t parent, const char *name,
                              const char *path, const char *type,
                              uint32_t max_rights);
/* `server`: koid of the process serving it (0 = unknown). */
void export_add_served_by(ExportSink *s, uint64_t dir, uint64_t server);
/* Client endpoint (koid) -> directory it opens, with connection rights. */
void export_add_connection(ExportSink *s, uint64_t endpoint, uint64_t dir,
                           uint32_t rights);
/* Mount point -> the node (on another server) its opens reach. */
void export_add_remote(ExportSink *s, uint64_t mount, uint64_t target,
                       uint32_t rights, const char *remote_path);
/* Process -> object (koid or directory id) it finds at `path`. */
void export_add_namespace(ExportSink *s, uint64_t process, uint64_t target,
                          const char *path);
uint64_t export_add_component(ExportSink *s, const char *name, const char *url);
void export_add_member(ExportSink *s, uint64_t component, uint64_t task);
/* A host-side contributor (e.g. whoever launched components on k) called
 * for every snapshot of k after the sandbox visit; fn NULL removes it.
 * At most 64 kernels at once; returns 0, or -1 when the table is full. */
typedef void (*ExportContributeFn)(Kernel *k, ExportSink *sink, void *ctx);
int export_set_contributor(Kernel *k, ExportContributeFn fn, void *ctx);

/* ---- Live queries for recorders (engine stack only) ---------------------*/
typedef struct ExportThreadInfo {
    uint64_t thread_koid, process_koid;
    const char *thread_name, *process_name; /* valid until the next call */
} ExportThreadInfo;
/* What model thread runs on engine thread `st`; false if none. */
bool export_thread_info(SimThread *st, ExportThreadInfo *out);
/* A syscall request's raw argument words (8) and op; false if `r` is not
 * a syscall request. */
bool export_request_args(const SimRequest *r, uint64_t out[8]);
/* Resolve a handle value in the process running on `st`: koid, type (code
 * and static name), rights and name of its object ("" if none; valid until
 * the object is renamed or destroyed: copy it). False if it names nothing. */
bool export_resolve_handle(SimThread *st, uint32_t value, uint64_t *koid,
                           uint32_t *type, const char **type_name,
                           uint32_t *rights, const char **name);
/* The kernel's trace record count, for stamping; its engine. */
uint64_t export_trace_seq(Kernel *k);
SimEngine *export_engine(Kernel *k);

#ifdef __cplusplus
}
#endif
#endif
