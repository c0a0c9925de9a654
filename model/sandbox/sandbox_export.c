/* sandbox_export.c — the sandbox layer's part of a capability-graph
 * snapshot (export_sandbox_visit, declared weak in model/export.h).
 *
 * What it models: what the directory servers hold, as the analysis needs
 * it. For every running process that serves directories (memfs, pkgfs,
 * devmgr, appmgr, the service providers: each IoServer joins its process's
 * list when made), in koid order:
 *   - every tree one of its connections speaks for, node by node (a
 *     directory node per directory, file, mount point or service), named
 *     by the path where the system mounts the tree ("/data/r/app/app1",
 *     "/svc/capsim.Secrets"; appmgr's per-component /svc trees are
 *     "appmgr/svc#N" so that they never shadow the providers' nodes), with
 *     the rights a connection to it may have (R, W unless the tree is
 *     read-only, X for directories and on executable trees, ENUMERATE for
 *     directories), and served_by edges from the server to each root and
 *     service;
 *   - every open connection: the client's endpoint (the peer of the
 *     channel end the server holds) -> the node, with its fuchsia.io rights
 *     as Zircon rights (READABLE -> READ (+ ENUMERATE on a directory),
 *     WRITABLE -> WRITE, EXECUTABLE -> EXECUTE);
 *   - every mount point (a remote node) -> the node its opens reach on the
 *     other server, found through the channel the mount forwards on.
 * Namespace entries (process -> its connection, with the path) and
 * components are added by export.c and viz/viz_components.c.
 *
 * Invariants: reads only (engine side, no syscalls, no trace records);
 * synthetic ids come in walk order (process koid, server creation, loop
 * slot, names sorted bytewise), hash tables are for lookups only, so the
 * same run gives the same snapshot byte for byte.
 * Left out: Opens still queued in a channel (pipelined and not yet served)
 * are not connections yet; connections handed to a service's own protocol
 * (drivers, providers) are not directory connections; ADMIN has no Zircon
 * counterpart and is dropped. Read next: viz/viz_authority.c (dir rules).
 */
#include <glib.h>
#include <lib/fdio/io.h>
#include <string.h>
#include <zircon/rights.h>

#include "export.h"
#include "handle.h"
#include "io_server.h"
#include "kernel.h"
#include "process.h"
#include "vnode.h"

typedef struct SbxEnd {
    uint64_t id;              /* the node's graph id */
    Vnode *node;
    uint32_t rights;          /* fuchsia.io rights of the connection */
} SbxEnd;

typedef struct SbxRemote {
    Vnode *node;
    uint64_t id;
    KProcess *server;         /* holds the channel the mount forwards on */
} SbxRemote;

typedef struct SbxExport {
    ExportSink *sink;
    KProcess *proc;
    IoServer *srv;
    GHashTable *ids;          /* Vnode* -> graph id (lookups only) */
    GHashTable *ends;         /* server-end koid -> SbxEnd* (lookups only) */
    GArray *remotes;          /* SbxRemote, walk order */
} SbxExport;

static uint32_t sbx_rights(const Vnode *n, uint32_t io)
{
    uint32_t r = 0;
    if (io & FIO_OPEN_RIGHT_READABLE)
        r |= ZX_RIGHT_READ | (n->kind == VNODE_DIR ? ZX_RIGHT_ENUMERATE : 0);
    if (io & FIO_OPEN_RIGHT_WRITABLE)
        r |= ZX_RIGHT_WRITE;
    if (io & FIO_OPEN_RIGHT_EXECUTABLE)
        r |= ZX_RIGHT_EXECUTE;
    return r;
}

/* What a connection to n may carry at most (fuchsia.io rights). */
static uint32_t sbx_max(const Vnode *n)
{
    uint32_t io = FIO_OPEN_RIGHT_READABLE;
    if (!n->tree->readonly)
        io |= FIO_OPEN_RIGHT_WRITABLE;
    if (n->kind != VNODE_FILE || n->tree->executable)
        io |= FIO_OPEN_RIGHT_EXECUTABLE;
    return sbx_rights(n, io) | (n->kind == VNODE_REMOTE ? ZX_RIGHT_ENUMERATE : 0);
}

static const char *sbx_type(const Vnode *n)
{
    static const char *const names[] = {"directory", "file", "service", "mount"};
    return names[n->kind];
}

static void sbx_node(SbxExport *x, Vnode *n, uint64_t parent, GString *path)
{
    uint64_t id = export_add_directory(x->sink, parent, n->name ? n->name : "", path->str,
                                       sbx_type(n), sbx_max(n));
    g_hash_table_insert(x->ids, n, g_memdup2(&id, sizeof id));
    if (!parent || n->kind == VNODE_SERVICE)
        export_add_served_by(x->sink, id, x->proc->base.koid);
    if (n->kind == VNODE_REMOTE && n->remote != ZX_HANDLE_INVALID) {
        SbxRemote r = {n, id, x->proc};
        g_array_append_val(x->remotes, r);
    }
    size_t len = path->len;
    for (size_t i = 0; i < n->nkids; i++) {
        if (len && path->str[len - 1] != '/')
            g_string_append_c(path, '/');
        g_string_append(path, n->kids[i]->name);
        sbx_node(x, n->kids[i], id, path);
        g_string_truncate(path, len);
    }
}

static void sbx_tree(SbxExport *x, VnodeTree *t)
{
    if (g_hash_table_contains(x->ids, t->root))
        return;
    const IoServerConfig *c = &x->srv->cfg;
    GString *path = g_string_new(t->graph_name[0] ? t->graph_name
                                 : c->path ? c->path : c->name ? c->name : "?");
    sbx_node(x, t->root, 0, path);
    g_string_free(path, TRUE);
}

static void sbx_connection(void *ctx, Vnode *node, uint32_t rights, uint32_t flags,
                           zx_handle_t channel)
{
    SbxExport *x = ctx;
    (void)flags;
    sbx_tree(x, node->tree);
    const uint64_t *id = g_hash_table_lookup(x->ids, node);
    Handle *h = handle_table_get(&x->proc->handles, channel);
    if (!id || !h)
        return;   /* an unlinked node, or a handle already gone */
    SbxEnd *end = g_new(SbxEnd, 1);
    *end = (SbxEnd){*id, node, rights};
    g_hash_table_insert(x->ends, g_memdup2(&h->object->koid, sizeof(uint64_t)), end);
    KObject *peer = h->object->ops->peer ? h->object->ops->peer(h->object) : NULL;
    if (peer)
        export_add_connection(x->sink, peer->koid, *id, sbx_rights(node, rights));
}

/* The node `path` names below `from` (NULL or "." = itself), or NULL. */
static Vnode *sbx_walk(Vnode *from, const char *path)
{
    const char *p = path ? path : ".";
    if (!strcmp(p, "."))
        return from;
    while (from && *p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        from = from->kind == VNODE_DIR ? vnode_lookup(from, p, len) : NULL;
        p += len + (slash ? 1 : 0);
    }
    return from;
}

static void sbx_remotes(SbxExport *x)
{
    for (guint i = 0; i < x->remotes->len; i++) {
        SbxRemote *r = &g_array_index(x->remotes, SbxRemote, i);
        Handle *h = handle_table_get(&r->server->handles, r->node->remote);
        KObject *peer = h && h->object->ops->peer ? h->object->ops->peer(h->object) : NULL;
        const SbxEnd *end = peer ? g_hash_table_lookup(x->ends, &peer->koid) : NULL;
        Vnode *target = end ? sbx_walk(end->node, r->node->remote_path) : NULL;
        const uint64_t *tid = target ? g_hash_table_lookup(x->ids, target) : NULL;
        if (tid)
            export_add_remote(x->sink, r->id, *tid, sbx_rights(target, end->rights),
                              r->node->remote_path ? r->node->remote_path : ".");
    }
}

void export_sandbox_visit(Kernel *k, ExportSink *sink)
{
    SbxExport x = {
        .sink = sink,
        .ids = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
        .ends = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free),
        .remotes = g_array_new(FALSE, FALSE, sizeof(SbxRemote)),
    };
    for (KObject *o = k->live_head; o; o = o->live_next) {
        if (o->ops->type != ZX_OBJ_TYPE_PROCESS)
            continue;
        x.proc = process_from(o);
        if (x.proc->state != PROCESS_RUNNING || !x.proc->runtime)
            continue;
        for (x.srv = io_server_first(x.proc->runtime); x.srv; x.srv = x.srv->next)
            io_server_visit(x.srv, sbx_connection, &x);
    }
    sbx_remotes(&x);
    g_hash_table_destroy(x.ids);
    g_hash_table_destroy(x.ends);
    g_array_free(x.remotes, TRUE);
}
