/* export.c — a flat snapshot of the kernel for viz/ and the bindings.
 *
 * What it models: the capability graph at one instant. Nodes: every live
 * object on the kernel's live list (koid order) except kernel-internal ones
 * (type NONE, e.g. exception ports), one node per handle travelling inside
 * a channel message, and whatever the sandbox layer adds (directories,
 * services, components). Edges: handles (holder -> object, rights, value),
 * the job tree, process -> thread, peers, in-flight handles, mappings and
 * VMARs of each address space, port bindings, exception channels, and the
 * sandbox's namespace/directory/membership edges.
 *
 * Invariants: nodes sorted by id, edges by (src, kind, dst, value, arg0,
 * arg1, label); synthetic ids are handed out in walk order, which is
 * itself deterministic (koid order, slot order, queue order), so equal
 * seeds give equal snapshots byte for byte. Only values that are the same
 * on every run are copied (slot-relative mapping addresses, never host
 * pointers). The walk only reads: it never changes the kernel or the trace.
 *
 * Left out: VMO parent/child relations, timers' and futexes' waiters,
 * suspend tokens' targets (they are plain objects here).
 * Read next: viz/viz_graph.h (how viz indexes a snapshot).
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include "channel.h"
#include "exception.h"
#include "export.h"
#include "job.h"
#include "kernel.h"
#include "port.h"
#include "process.h"
#include "sdk/fdio_internal.h"
#include "sdk/runtime.h"
#include "syscall.h"
#include "thread.h"
#include "vmar.h"

struct ExportSink {
    Kernel *k;
    GArray *nodes;            /* ExportNode */
    GArray *edges;            /* ExportEdge */
    GStringChunk *pool;
    GHashTable *by_id;        /* id -> node index + 1 (lookups only) */
    uint64_t next_synth;
};

/* ---- Building --------------------------------------------------------------*/

static const char *export_str(ExportSink *s, const char *str)
{
    return g_string_chunk_insert_const(s->pool, str ? str : "");
}

static ExportNode *export_push_node(ExportSink *s, uint64_t id, uint32_t kind)
{
    ExportNode n;
    memset(&n, 0, sizeof n);
    n.id = id;
    n.kind = kind;
    n.type_name = n.name = n.state = export_str(s, "");
    g_array_append_val(s->nodes, n);
    g_hash_table_insert(s->by_id, GSIZE_TO_POINTER((gsize)id),
                        GSIZE_TO_POINTER((gsize)s->nodes->len));
    return &g_array_index(s->nodes, ExportNode, s->nodes->len - 1);
}

static ExportNode *export_node_at(ExportSink *s, uint64_t id)
{
    gsize i = GPOINTER_TO_SIZE(g_hash_table_lookup(s->by_id, GSIZE_TO_POINTER((gsize)id)));
    return i ? &g_array_index(s->nodes, ExportNode, i - 1) : NULL;
}

static void export_push_edge(ExportSink *s, uint32_t kind, uint64_t src,
                             uint64_t dst, uint32_t rights, uint32_t value,
                             uint64_t arg0, uint64_t arg1, const char *label)
{
    ExportEdge e = {
        .kind = kind, .src = src, .dst = dst, .rights = rights,
        .value = value, .arg0 = arg0, .arg1 = arg1,
        .label = export_str(s, label),
    };
    g_array_append_val(s->edges, e);
}

static uint32_t export_policy_denied(const JobPolicy *p)
{
    uint32_t m = 0;
    for (uint32_t c = 0; c < POLICY_CONDITIONS && c < 32; c++) {
        uint8_t a = p->action[c];
        if (a == ZX_POL_ACTION_DENY || a == ZX_POL_ACTION_DENY_EXCEPTION ||
            a == ZX_POL_ACTION_KILL)
            m |= 1u << c;
    }
    return m;
}

static const char *export_task_state(KObject *o)
{
    static const char *const job[] = {"ready", "killing", "dead"};
    static const char *const proc[] = {"initial", "running", "dying", "dead"};
    static const char *const thr[] = {"new", "running", "suspended", "blocked",
                                      "blocked-exception", "dying", "dead"};
    switch (o->ops->type) {
    case ZX_OBJ_TYPE_JOB: return job[job_from(o)->state];
    case ZX_OBJ_TYPE_PROCESS: return proc[process_from(o)->state];
    case ZX_OBJ_TYPE_THREAD: return thr[thread_from(o)->state];
    default: return "";
    }
}

static void export_object_node(ExportSink *s, KObject *o)
{
    ExportNode *n = export_push_node(s, o->koid, EXPORT_NODE_OBJECT);
    n->type = o->ops->type;
    n->type_name = export_str(s, o->ops->name);
    n->name = export_str(s, o->name);
    n->state = export_str(s, export_task_state(o));
    n->handle_count = o->handle_count;
    n->signals = o->signals;
    n->default_rights = o->ops->default_rights;
    n->possible_rights = o->ops->possible_rights;
    if (o->ops->type == ZX_OBJ_TYPE_JOB) {
        KJob *j = job_from(o);
        n->parent = j->parent ? j->parent->base.koid : 0;
        n->policy_denied = export_policy_denied(&j->policy);
    } else if (o->ops->type == ZX_OBJ_TYPE_PROCESS) {
        KProcess *p = process_from(o);
        n->parent = p->job ? p->job->base.koid : 0;
        n->policy_denied = export_policy_denied(&p->policy);
    } else if (o->ops->type == ZX_OBJ_TYPE_THREAD) {
        n->parent = thread_from(o)->process->base.koid;
    }
}

/* ---- Per-object edges ------------------------------------------------------*/

typedef struct ExportInflight {
    ExportSink *s;
    KObject *ep;
} ExportInflight;

static void export_inflight_one(Handle *h, uint32_t msg, void *ctx)
{
    ExportInflight *w = ctx;
    ExportSink *s = w->s;
    uint64_t id = s->next_synth++;
    ExportNode *n = export_push_node(s, id, EXPORT_NODE_INFLIGHT);
    n->type = h->object->ops->type;
    n->type_name = export_str(s, h->object->ops->name);
    n->name = export_str(s, h->object->name);
    n->parent = w->ep->koid;
    n->object = h->object->koid;
    n->default_rights = h->object->ops->default_rights;
    n->possible_rights = h->object->ops->possible_rights;
    export_push_edge(s, EXPORT_EDGE_INFLIGHT, w->ep->koid, id, h->rights, 0,
                     msg, 0, NULL);
    export_push_edge(s, EXPORT_EDGE_HANDLE, id, h->object->koid, h->rights, 0,
                     0, 0, NULL);
}

static void export_port_binding(zx_koid_t object, uint64_t key,
                                zx_signals_t signals, bool queued, void *ctx)
{
    ExportInflight *w = ctx;
    export_push_edge(w->s, EXPORT_EDGE_PORT_BINDING, object, w->ep->koid, 0,
                     queued ? 1 : 0, key, signals, NULL);
}

static void export_exception_edge(ExportSink *s, KObject *task, KObject *port)
{
    if (!port)
        return;
    KExceptionPort *ep = (KExceptionPort *)port;
    if (!ep->endpoint || !ep->task)
        return;
    export_push_edge(s, EXPORT_EDGE_EXCEPTION, task->koid, ep->endpoint->koid,
                     ep->task_rights, ep->channel_type, 0, 0, NULL);
}

static void export_map_visit(const VmarVisit *v, void *ctx)
{
    ExportInflight *w = ctx;
    if (v->type == ZX_INFO_MAPS_TYPE_VMAR && v->object) {
        export_push_edge(w->s, EXPORT_EDGE_VMAR, w->ep->koid, v->object->koid,
                         0, 0, v->rel_base, v->size, NULL);
        ExportNode *n = export_node_at(w->s, v->object->koid);
        if (n)
            n->parent = w->ep->koid;
    } else if (v->type == ZX_INFO_MAPS_TYPE_MAPPING && v->object) {
        uint32_t r = 0;
        if (v->perms & ZX_VM_PERM_READ)
            r |= ZX_RIGHT_READ;
        if (v->perms & ZX_VM_PERM_WRITE)
            r |= ZX_RIGHT_WRITE;
        if (v->perms & ZX_VM_PERM_EXECUTE)
            r |= ZX_RIGHT_EXECUTE;
        export_push_edge(w->s, EXPORT_EDGE_MAPPING, w->ep->koid,
                         v->object->koid, r, 0, v->rel_base, v->size, v->name);
    }
}

static void export_namespace_entry(ExportSink *s, KProcess *p, zx_handle_t value,
                                   const char *path)
{
    Handle *h = handle_table_get(&p->handles, value);
    if (h)
        export_push_edge(s, EXPORT_EDGE_NAMESPACE, p->base.koid, h->object->koid,
                         h->rights, value, 0, 0, path);
}

/* Namespace entries: fdio's installed namespace once the process has used
 * fdio (it took the PA_NS_DIR handles then), otherwise the PA_NS_DIR
 * startup handles still waiting, labelled from the processargs name table
 * ("ns#N" if the table has no such entry). */
static void export_runtime_namespace(ExportSink *s, KProcess *p)
{
    CapsimProcessRuntime *rt = p->runtime;
    if (!rt)
        return;
    FdioProcess *fp = rt->fdio;
    for (size_t i = 0; fp && fp->ns && i < fp->ns->count; i++)
        export_namespace_entry(s, p, fp->ns->dirs[i], fp->ns->paths[i]);
    for (size_t i = 0; i < rt->nstartup && i < CAPSIM_MAX_STARTUP_HANDLES; i++) {
        if (PA_HND_TYPE(rt->startup[i].info) != PA_NS_DIR)
            continue;
        char label[256];
        uint32_t arg = PA_HND_ARG(rt->startup[i].info);
        if (arg < rt->nnames && rt->names && rt->names[arg])
            snprintf(label, sizeof label, "%s", rt->names[arg]);
        else
            snprintf(label, sizeof label, "ns#%u", arg);
        export_namespace_entry(s, p, rt->startup[i].handle, label);
    }
}

static void export_process_edges(ExportSink *s, KProcess *p)
{
    uint32_t cursor = 0;
    for (Handle *h; (h = handle_table_next(&p->handles, &cursor));)
        export_push_edge(s, EXPORT_EDGE_HANDLE, p->base.koid, h->object->koid,
                         h->rights, handle_table_value(&p->handles, h), 0, 0,
                         NULL);
    for (KThread *t = p->threads_head; t; t = t->sib_next)
        export_push_edge(s, EXPORT_EDGE_THREAD, p->base.koid, t->base.koid, 0,
                         0, 0, 0, NULL);
    ExportInflight w = {s, &p->base};
    if (p->root_vmar)
        vmar_visit_process(p, export_map_visit, &w);
    export_exception_edge(s, &p->base, p->exception_channel);
    export_exception_edge(s, &p->base, p->debugger_channel);
    export_runtime_namespace(s, p);
}

static void export_object_edges(ExportSink *s, KObject *o)
{
    ExportInflight w = {s, o};
    switch (o->ops->type) {
    case ZX_OBJ_TYPE_JOB: {
        KJob *j = job_from(o);
        for (KJob *c = j->jobs_head; c; c = c->sib_next)
            export_push_edge(s, EXPORT_EDGE_CHILD, o->koid, c->base.koid, 0, 0, 0, 0, NULL);
        for (KProcess *c = j->procs_head; c; c = c->sib_next)
            export_push_edge(s, EXPORT_EDGE_CHILD, o->koid, c->base.koid, 0, 0, 0, 0, NULL);
        export_exception_edge(s, o, j->exception_channel);
        export_exception_edge(s, o, j->debugger_channel);
        break;
    }
    case ZX_OBJ_TYPE_PROCESS:
        export_process_edges(s, process_from(o));
        break;
    case ZX_OBJ_TYPE_THREAD:
        export_exception_edge(s, o, thread_from(o)->exception_channel);
        break;
    case ZX_OBJ_TYPE_CHANNEL:
        channel_visit_queued(o, export_inflight_one, &w);
        break;
    case ZX_OBJ_TYPE_PORT:
        port_visit_bindings(o, export_port_binding, &w);
        break;
    default:
        break;
    }
    if (o->ops->peer) {
        KObject *peer = o->ops->peer(o);
        if (peer && peer->koid > o->koid)
            export_push_edge(s, EXPORT_EDGE_PEER, o->koid, peer->koid, 0, 0, 0, 0, NULL);
    }
}

/* ---- Ordering --------------------------------------------------------------*/

static int export_cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int export_node_cmp(const void *a, const void *b)
{
    return export_cmp_u64(((const ExportNode *)a)->id, ((const ExportNode *)b)->id);
}

static int export_edge_cmp(const void *pa, const void *pb)
{
    const ExportEdge *a = pa, *b = pb;
    int c;
    if ((c = export_cmp_u64(a->src, b->src)) || (c = export_cmp_u64(a->kind, b->kind)) ||
        (c = export_cmp_u64(a->dst, b->dst)) || (c = export_cmp_u64(a->value, b->value)) ||
        (c = export_cmp_u64(a->arg0, b->arg0)) || (c = export_cmp_u64(a->arg1, b->arg1)) ||
        (c = export_cmp_u64(a->rights, b->rights)))
        return c;
    return strcmp(a->label, b->label);
}

/* A namespace entry the sandbox named replaces the "ns#N" placeholder for
 * the same (process, target). Edges are sorted, so entries with equal
 * (src, kind, dst) form one run. */
static void export_drop_placeholders(ExportSink *s)
{
    ExportEdge *e = (ExportEdge *)(void *)s->edges->data;
    size_t n = s->edges->len, out = 0;
    for (size_t i = 0; i < n;) {
        size_t end = i + 1;
        while (end < n && e[end].src == e[i].src && e[end].kind == e[i].kind &&
               e[end].dst == e[i].dst)
            end++;
        bool named = false;
        for (size_t j = i; j < end; j++)
            named |= e[j].kind == EXPORT_EDGE_NAMESPACE && !g_str_has_prefix(e[j].label, "ns#");
        for (size_t j = i; j < end; j++)
            if (!(named && g_str_has_prefix(e[j].label, "ns#")))
                e[out++] = e[j];
        i = end;
    }
    g_array_set_size(s->edges, out);
}

static uint32_t export_faults(const Kernel *k)
{
    uint32_t f = 0;
    if (k->faults.skip_rights_subset) f |= EXPORT_FAULT_SKIP_RIGHTS_SUBSET;
    if (k->faults.skip_owner_check) f |= EXPORT_FAULT_SKIP_OWNER_CHECK;
    if (k->faults.no_handle_generation) f |= EXPORT_FAULT_NO_HANDLE_GENERATION;
    if (k->faults.accept_dotdot) f |= EXPORT_FAULT_ACCEPT_DOTDOT;
    if (k->faults.skip_type_check) f |= EXPORT_FAULT_SKIP_TYPE_CHECK;
    if (k->debugging_syscalls) f |= EXPORT_FAULT_DEBUGGING_SYSCALLS;
    return f;
}

static ExportSnapshot *export_finish(ExportSink *s)
{
    ExportSnapshot *snap = calloc(1, sizeof *snap);
    if (!snap)
        return NULL;
    g_array_sort(s->nodes, export_node_cmp);
    g_array_sort(s->edges, export_edge_cmp);
    bool namespaces = false;
    for (guint i = 0; i < s->edges->len && !namespaces; i++)
        namespaces = g_array_index(s->edges, ExportEdge, i).kind == EXPORT_EDGE_NAMESPACE;
    if (namespaces)
        export_drop_placeholders(s);
    snap->nnodes = s->nodes->len;
    snap->nodes = (ExportNode *)(void *)g_array_free(s->nodes, FALSE);
    snap->nedges = s->edges->len;
    snap->edges = (ExportEdge *)(void *)g_array_free(s->edges, FALSE);
    snap->pool = s->pool;
    g_hash_table_destroy(s->by_id);
    return snap;
}

/* Contributors by kernel (compared by identity only, never ordered): one
 * per live system with components, so a script may keep many open. */
#define EXPORT_MAX_CONTRIBUTORS 64
static struct {
    Kernel *k;
    ExportContributeFn fn;
    void *ctx;
} export_contributors[EXPORT_MAX_CONTRIBUTORS];

int export_set_contributor(Kernel *k, ExportContributeFn fn, void *ctx)
{
    for (size_t i = 0; i < EXPORT_MAX_CONTRIBUTORS; i++)
        if (export_contributors[i].k == k) {
            export_contributors[i].fn = fn;
            export_contributors[i].ctx = ctx;
            if (!fn)
                export_contributors[i].k = NULL;
            return 0;
        }
    for (size_t i = 0; fn && i < EXPORT_MAX_CONTRIBUTORS; i++)
        if (!export_contributors[i].k) {
            export_contributors[i].k = k;
            export_contributors[i].fn = fn;
            export_contributors[i].ctx = ctx;
            return 0;
        }
    return fn ? -1 : 0;
}

ExportSnapshot *export_snapshot(Kernel *k)
{
    ExportSink s = {
        .k = k,
        .nodes = g_array_new(FALSE, FALSE, sizeof(ExportNode)),
        .edges = g_array_new(FALSE, FALSE, sizeof(ExportEdge)),
        .pool = g_string_chunk_new(4096),
        .by_id = g_hash_table_new(g_direct_hash, g_direct_equal),
        .next_synth = EXPORT_SYNTH_BASE,
    };
    for (KObject *o = k->live_head; o; o = o->live_next)
        if (o->ops->type != ZX_OBJ_TYPE_NONE)
            export_object_node(&s, o);
    for (KObject *o = k->live_head; o; o = o->live_next)
        if (o->ops->type != ZX_OBJ_TYPE_NONE)
            export_object_edges(&s, o);
    if (export_sandbox_visit)
        export_sandbox_visit(k, &s);
    for (size_t i = 0; i < EXPORT_MAX_CONTRIBUTORS; i++)
        if (export_contributors[i].k == k && export_contributors[i].fn)
            export_contributors[i].fn(k, &s, export_contributors[i].ctx);
    ExportSnapshot *snap = export_finish(&s);
    if (snap) {
        snap->time = kernel_now(k);
        snap->trace_seq = sim_trace_total(k->engine);
        snap->faults = export_faults(k);
    }
    return snap;
}

void export_snapshot_free(ExportSnapshot *s)
{
    if (!s)
        return;
    g_free(s->nodes);
    g_free(s->edges);
    if (s->pool)
        g_string_chunk_free(s->pool);
    free(s);
}

ExportSnapshot *export_snapshot_copy(const ExportSnapshot *src)
{
    ExportSnapshot *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    *d = *src;
    GStringChunk *pool = g_string_chunk_new(4096);
    d->pool = pool;
    d->nodes = g_memdup2(src->nodes, src->nnodes * sizeof *src->nodes);
    d->edges = g_memdup2(src->edges, src->nedges * sizeof *src->edges);
    for (size_t i = 0; i < d->nnodes; i++) {
        ExportNode *n = &d->nodes[i];
        n->type_name = g_string_chunk_insert_const(pool, n->type_name ? n->type_name : "");
        n->name = g_string_chunk_insert_const(pool, n->name ? n->name : "");
        n->state = g_string_chunk_insert_const(pool, n->state ? n->state : "");
    }
    for (size_t i = 0; i < d->nedges; i++)
        d->edges[i].label = g_string_chunk_insert_const(pool, d->edges[i].label ? d->edges[i].label : "");
    return d;
}

ExportSnapshot *export_snapshot_build(const ExportNode *nodes, size_t nnodes,
                                      const ExportEdge *edges, size_t nedges)
{
    ExportSnapshot src = {
        .nodes = (ExportNode *)nodes, .nnodes = nnodes,
        .edges = (ExportEdge *)edges, .nedges = nedges,
    };
    ExportSnapshot *d = export_snapshot_copy(&src);
    if (d) {
        qsort(d->nodes, d->nnodes, sizeof *d->nodes, export_node_cmp);
        qsort(d->edges, d->nedges, sizeof *d->edges, export_edge_cmp);
    }
    return d;
}

const ExportNode *export_find_node(const ExportSnapshot *s, uint64_t id)
{
    size_t lo = 0, hi = s->nnodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->nodes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nnodes && s->nodes[lo].id == id ? &s->nodes[lo] : NULL;
}

const char *export_node_kind_name(uint32_t kind)
{
    static const char *const names[EXPORT_NODE_KIND_COUNT] = {
        "object", "inflight", "directory", "service", "component"};
    return kind < EXPORT_NODE_KIND_COUNT ? names[kind] : "unknown";
}

const char *export_edge_kind_name(uint32_t kind)
{
    static const char *const names[EXPORT_EDGE_KIND_COUNT] = {
        "handle", "child", "thread", "peer", "inflight", "mapping", "vmar",
        "port_binding", "exception", "namespace", "dir_child", "dir_conn",
        "serves", "member", "dir_remote"};
    return kind < EXPORT_EDGE_KIND_COUNT ? names[kind] : "unknown";
}

/* ---- Sandbox contributions ---------------------------------------------------*/

uint64_t export_add_directory(ExportSink *s, uint64_t parent, const char *name,
                              const char *path, const char *type,
                              uint32_t max_rights)
{
    uint64_t id = s->next_synth++;
    bool service = type && !strcmp(type, "service");
    ExportNode *n = export_push_node(s, id, service ? EXPORT_NODE_SERVICE
                                                    : EXPORT_NODE_DIRECTORY);
    n->type_name = export_str(s, type ? type : "directory");
    n->name = export_str(s, path ? path : name);
    n->parent = parent;
    n->max_rights = max_rights;
    if (parent)
        export_push_edge(s, EXPORT_EDGE_DIR_CHILD, parent, id, max_rights, 0,
                         0, 0, name);
    return id;
}

void export_add_served_by(ExportSink *s, uint64_t dir, uint64_t server)
{
    if (server)
        export_push_edge(s, EXPORT_EDGE_SERVES, server, dir, 0, 0, 0, 0, NULL);
}

void export_add_connection(ExportSink *s, uint64_t endpoint, uint64_t dir,
                           uint32_t rights)
{
    export_push_edge(s, EXPORT_EDGE_DIR_CONN, endpoint, dir, rights, 0, 0, 0, NULL);
}

void export_add_remote(ExportSink *s, uint64_t mount, uint64_t target,
                       uint32_t rights, const char *remote_path)
{
    export_push_edge(s, EXPORT_EDGE_DIR_REMOTE, mount, target, rights, 0, 0, 0, remote_path);
}

void export_add_namespace(ExportSink *s, uint64_t process, uint64_t target,
                          const char *path)
{
    export_push_edge(s, EXPORT_EDGE_NAMESPACE, process, target, 0, 0, 0, 0, path);
}

uint64_t export_add_component(ExportSink *s, const char *name, const char *url)
{
    uint64_t id = s->next_synth++;
    ExportNode *n = export_push_node(s, id, EXPORT_NODE_COMPONENT);
    n->type_name = export_str(s, "component");
    n->name = export_str(s, name);
    n->state = export_str(s, url);
    return id;
}

void export_add_member(ExportSink *s, uint64_t component, uint64_t task)
{
    export_push_edge(s, EXPORT_EDGE_MEMBER, component, task, 0, 0, 0, 0, NULL);
}

/* ---- Live queries -------------------------------------------------------------*/

bool export_thread_info(SimThread *st, ExportThreadInfo *out)
{
    KThread *t = thread_of_fiber(st);
    if (!t || !t->process)
        return false;
    out->thread_koid = t->base.koid;
    out->process_koid = t->process->base.koid;
    out->thread_name = t->base.name;
    out->process_name = t->process->base.name;
    return true;
}

bool export_request_args(const SimRequest *r, uint64_t out[8])
{
    if (!r || r->op >= SYS_COUNT)
        return false;
    memcpy(out, ((const SyscallRequest *)r)->a, 8 * sizeof out[0]);
    return true;
}

bool export_resolve_handle(SimThread *st, uint32_t value, uint64_t *koid,
                           uint32_t *type, const char **type_name,
                           uint32_t *rights, const char **name)
{
    KThread *t = thread_of_fiber(st);
    if (!t || !t->process || value == ZX_HANDLE_INVALID)
        return false;
    Handle *h = handle_table_get(&t->process->handles, value);
    if (!h)
        return false;
    *koid = h->object->koid;
    *type = h->object->ops->type;
    *type_name = h->object->ops->name;
    *rights = h->rights;
    *name = h->object->name;
    return true;
}

uint64_t export_trace_seq(Kernel *k)
{
    return sim_trace_total(k->engine);
}

SimEngine *export_engine(Kernel *k)
{
    return k->engine;
}
