/* viz_view.c — choosing what a capability picture shows.
 *
 * What it models: a view is the list of nodes and edges to draw, each with
 * its final label, the job cluster it sits in, and optional highlight
 * colours. Two builders live here,
 *   - full: every node and edge (threads and VMARs optional);
 *   - focus: one principal and what lies within k hops — along out-edges
 *     (what it holds, maps, serves) and in-edges other than the job tree
 *     (who else holds the same objects), peers both ways — plus the job
 *     clusters those nodes sit in, drawn faded as context;
 * and, above a size, full hands over to viz_aggregate.c (the overview).
 * The diff and witness modules use the add_* functions directly.
 *
 * Clusters: a task sits in its job's cluster (a job in its own); an object
 * in the deepest job that contains all of its holders (so a channel both
 * ends of which are used inside one job is drawn inside it); objects held
 * across unrelated jobs sit at the top level. A served directory tree is a
 * cluster of its own inside its server's job (viz_trees.c), a large one
 * folded to what something points into.
 *
 * Invariants: node ids are unique in a view; every edge's ends are nodes
 * of the view; every non-zero cluster id is a job node (or a tree root)
 * of the view. All
 * orders follow the snapshot (ids ascending), so views are deterministic.
 * Left out: layout hints (graphviz decides). Read next: viz_dot.c.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls/policy.h>
#include <zircon/types.h>

#include "policy.h"
#include "viz_aggregate.h"
#include "viz_codes.h"
#include "viz_style.h"
#include "viz_trees.h"
#include "viz_view.h"

/* Ids of "+N entries" nodes of folded trees (never snapshot ids). */
#define VIZ_VIEW_FOLD_BASE (EXPORT_SYNTH_BASE * 3)

void viz_view_options_default(VizViewOptions *o)
{
    memset(o, 0, sizeof *o);
    o->show_threads = true;
    o->aggregate_above = 1500;
}

VizView *viz_view_new(const char *title)
{
    VizView *v = g_new0(VizView, 1);
    v->title = title ? g_strdup(title) : NULL;
    v->index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    return v;
}

void viz_view_free(VizView *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nnodes; i++) {
        g_free(v->nodes[i].label);
        g_free(v->nodes[i].cluster_label);
    }
    for (size_t i = 0; i < v->nedges; i++)
        g_free(v->edges[i].label);
    for (size_t i = 0; i < v->nlegend; i++)
        g_free(v->legend[i].text);
    g_free(v->nodes);
    g_free(v->edges);
    g_free(v->legend);
    g_free(v->title);
    g_hash_table_destroy(v->index);
    g_free(v);
}

VizViewNode *viz_view_find(VizView *v, uint64_t id)
{
    gpointer at = g_hash_table_lookup(v->index, &id);
    return at ? &v->nodes[GPOINTER_TO_SIZE(at) - 1] : NULL;
}

VizViewNode *viz_view_add_node(VizView *v, uint64_t id, const char *type_name,
                               const char *label, uint64_t cluster)
{
    if (v->nnodes == v->node_cap) {
        v->node_cap = v->node_cap ? v->node_cap * 2 : 64;
        v->nodes = g_renew(VizViewNode, v->nodes, v->node_cap);
    }
    VizViewNode *n = &v->nodes[v->nnodes++];
    memset(n, 0, sizeof *n);
    g_hash_table_insert(v->index, g_memdup2(&id, sizeof id), GSIZE_TO_POINTER(v->nnodes));
    n->id = id;
    n->type_name = type_name;
    n->label = g_strdup(label);
    n->cluster = cluster;
    return n;
}

VizViewEdge *viz_view_add_edge(VizView *v, uint64_t src, uint64_t dst,
                               uint32_t kind, const char *label)
{
    if (v->nedges == v->edge_cap) {
        v->edge_cap = v->edge_cap ? v->edge_cap * 2 : 64;
        v->edges = g_renew(VizViewEdge, v->edges, v->edge_cap);
    }
    VizViewEdge *e = &v->edges[v->nedges++];
    memset(e, 0, sizeof *e);
    e->src = src;
    e->dst = dst;
    e->kind = kind;
    e->label = label ? g_strdup(label) : NULL;
    return e;
}

void viz_view_add_legend(VizView *v, const char *color, const char *text)
{
    v->legend = g_renew(VizLegendEntry, v->legend, v->nlegend + 1);
    v->legend[v->nlegend].color = color;
    v->legend[v->nlegend].text = g_strdup(text);
    v->nlegend++;
}

/* ---- Clusters -------------------------------------------------------------*/

static size_t viz_view_job_of(const VizGraph *g, size_t i)
{
    const ExportNode *n = viz_graph_node(g, i);
    if (n->kind != EXPORT_NODE_OBJECT)
        return VIZ_NONE;
    switch (n->type) {
    case ZX_OBJ_TYPE_JOB: return i;
    case ZX_OBJ_TYPE_PROCESS: return viz_graph_parent(g, i);
    case ZX_OBJ_TYPE_THREAD:
    case ZX_OBJ_TYPE_VMAR: {
        size_t p = viz_graph_parent(g, i);
        return p == VIZ_NONE ? VIZ_NONE : viz_graph_parent(g, p);
    }
    default: return VIZ_NONE;
    }
}

static int viz_view_depth(const VizGraph *g, size_t job)
{
    int d = 0;
    for (size_t p = viz_graph_parent(g, job); p != VIZ_NONE && d < 4096; p = viz_graph_parent(g, p))
        d++;
    return d;
}

static size_t viz_view_lca(const VizGraph *g, size_t a, size_t b)
{
    if (a == VIZ_NONE || b == VIZ_NONE)
        return VIZ_NONE;
    int da = viz_view_depth(g, a), db = viz_view_depth(g, b);
    for (; da > db; da--)
        a = viz_graph_parent(g, a);
    for (; db > da; db--)
        b = viz_graph_parent(g, b);
    while (a != b && a != VIZ_NONE && b != VIZ_NONE) {
        a = viz_graph_parent(g, a);
        b = viz_graph_parent(g, b);
    }
    return a == b ? a : VIZ_NONE;
}

uint64_t viz_view_cluster_of(const VizGraph *g, size_t i)
{
    const ExportNode *n = viz_graph_node(g, i);
    if (viz_tree_is_entry(g, i))   /* each tree is a cluster of its own */
        return viz_graph_node(g, viz_tree_root(g, i))->id;
    size_t job = viz_view_job_of(g, i);
    if (job == VIZ_NONE && n->kind == EXPORT_NODE_INFLIGHT) {
        size_t ep = viz_graph_parent(g, i);
        return ep == VIZ_NONE ? 0 : viz_view_cluster_of(g, ep);
    }
    if (job == VIZ_NONE && n->kind == EXPORT_NODE_OBJECT) {
        size_t cnt, lca = VIZ_NONE;
        bool any = false;
        const uint32_t *in = viz_graph_in(g, i, &cnt);
        for (size_t k = 0; k < cnt; k++) {
            const ExportEdge *e = viz_graph_edge(g, in[k]);
            if (e->kind != EXPORT_EDGE_HANDLE && e->kind != EXPORT_EDGE_MAPPING)
                continue;
            size_t holder = viz_graph_index(g, e->src);
            size_t hj = holder == VIZ_NONE ? VIZ_NONE : viz_view_job_of(g, holder);
            lca = any ? viz_view_lca(g, lca, hj) : hj;
            any = true;
        }
        job = lca;
    }
    return job == VIZ_NONE ? 0 : viz_graph_node(g, job)->id;
}

/* ---- Labels -----------------------------------------------------------------*/

static char *viz_view_node_label(const ExportNode *n)
{
    const char *dead = (!strcmp(n->state, "dead") || !strcmp(n->state, "dying"))
                           ? " (dead)" : "";
    switch (n->kind) {
    case EXPORT_NODE_INFLIGHT:
        return g_strdup_printf("in flight: %s %" PRIu64, n->type_name, n->object);
    case EXPORT_NODE_DIRECTORY:
    case EXPORT_NODE_SERVICE:
        return g_strdup(n->name);
    case EXPORT_NODE_COMPONENT:
        return g_strdup_printf("component\n%s", n->name);
    default:
        if (n->name[0])
            return g_strdup_printf("%s\n%s %" PRIu64 "%s", n->name, n->type_name, n->id, dead);
        return g_strdup_printf("%s %" PRIu64 "%s", n->type_name, n->id, dead);
    }
}

char *viz_view_edge_label(const VizGraph *g, const ExportEdge *e, bool values)
{
    char r[160];
    size_t di = viz_graph_index(g, e->dst);
    uint32_t def = di == VIZ_NONE ? 0 : viz_graph_node(g, di)->default_rights;
    switch (e->kind) {
    case EXPORT_EDGE_HANDLE:
        viz_style_rights(e->rights, def, r, sizeof r);
        if (values && e->value)
            return g_strdup_printf("%s\n0x%x", r, e->value);
        return g_strdup(r);
    case EXPORT_EDGE_INFLIGHT:
        return g_strdup_printf("msg %" PRIu64, e->arg0);
    case EXPORT_EDGE_MAPPING:
        return g_strdup_printf("map %s", viz_style_rights_plain(e->rights, r, sizeof r));
    case EXPORT_EDGE_PORT_BINDING:
        return g_strdup_printf("wait key=%" PRIu64 "%s", e->arg0, e->value ? " (queued)" : "");
    case EXPORT_EDGE_EXCEPTION:
        return g_strdup(e->value == 1 ? "debugger exceptions" : "exceptions");
    case EXPORT_EDGE_NAMESPACE:
    case EXPORT_EDGE_DIR_CHILD:
        return g_strdup(e->label);
    case EXPORT_EDGE_DIR_CONN:
        return g_strdup_printf("open %s", viz_style_rights_plain(e->rights, r, sizeof r));
    case EXPORT_EDGE_SERVES:
        return g_strdup("serves");
    case EXPORT_EDGE_DIR_REMOTE:
        return g_strdup_printf("forwards %s", viz_style_rights_plain(e->rights, r, sizeof r));
    default:
        return NULL;
    }
}

bool viz_view_node_hidden(const ExportNode *n, const VizViewOptions *o)
{
    if (n->kind != EXPORT_NODE_OBJECT)
        return false;
    if (!o->show_threads && n->type == ZX_OBJ_TYPE_THREAD)
        return true;
    if (!o->show_vmars && n->type == ZX_OBJ_TYPE_VMAR)
        return true;
    if (o->hide_dead && n->type <= ZX_OBJ_TYPE_THREAD && !strcmp(n->state, "dead"))
        return true;
    return false;
}

/* A job's cluster title: "job sandbox (koid 1030)", and what its policy
 * denies, by Zircon's condition names ("..., denies NEW_PROCESS, VMAR_WX");
 * every NEW_* condition denied at once reads NEW_ANY, as it was likely set. */
static char *viz_view_job_title(const ExportNode *n)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "job %s (koid %" PRIu64 ")", n->name[0] ? n->name : "", n->id);
    uint32_t new_any = 0;   /* the conditions NEW_ANY fans out to (the model's list) */
    for (uint32_t c = 0; c < POLICY_CONDITIONS && c < 32; c++)
        if (policy_is_new_condition(c))
            new_any |= 1u << c;
    uint32_t left = n->policy_denied;
    const char *sep = ", denies ";
    if ((left & new_any) == new_any) {
        g_string_append_printf(s, "%sNEW_ANY", sep);
        left &= ~(new_any | (1u << ZX_POL_NEW_ANY));
        sep = ", ";
    }
    for (uint32_t c = 0; c < 32; c++) {
        const char *name = (left & (1u << c)) ? viz_codes_policy_condition(c) : NULL;
        if (name) {
            g_string_append_printf(s, "%s%s", sep, name);
            sep = ", ";
        }
    }
    return g_string_free(s, FALSE);
}

VizViewNode *viz_view_add_graph_node(VizView *v, const VizGraph *g, size_t i,
                                     const VizViewOptions *o)
{
    const ExportNode *n = viz_graph_node(g, i);
    VizViewNode *vn = viz_view_find(v, n->id);
    if (vn)
        return vn;
    char *label = viz_view_node_label(n);
    vn = viz_view_add_node(v, n->id, n->type_name, label, viz_view_cluster_of(g, i));
    g_free(label);
    vn->kind = n->kind;
    if (n->kind == EXPORT_NODE_OBJECT && n->type == ZX_OBJ_TYPE_JOB) {
        vn->is_job = true;
        size_t p = viz_graph_parent(g, i);
        vn->parent_cluster = p == VIZ_NONE ? 0 : viz_graph_node(g, p)->id;
        vn->cluster_label = viz_view_job_title(n);
    } else if (viz_tree_is_entry(g, i) && viz_tree_root(g, i) == i) {
        vn->is_job = true;   /* opens the tree's cluster, inside its server's job */
        size_t job = viz_tree_server_job(g, i);
        vn->parent_cluster = job == VIZ_NONE ? 0 : viz_graph_node(g, job)->id;
        vn->cluster_label = g_strdup_printf("tree %s", n->name);
    }
    return vn;
}

VizViewEdge *viz_view_add_graph_edge(VizView *v, const VizGraph *g,
                                     const ExportEdge *e,
                                     const VizViewOptions *o)
{
    char *label = viz_view_edge_label(g, e, o && o->show_values);
    VizViewEdge *ve = viz_view_add_edge(v, e->src, e->dst, e->kind, label);
    g_free(label);
    return ve;
}

/* Components name the job they run in: mark that job's cluster. */
static void viz_view_mark_components(VizView *v, const VizGraph *g)
{
    const ExportSnapshot *s = viz_graph_snapshot(g);
    for (size_t k = 0; k < s->nedges; k++) {
        const ExportEdge *e = &s->edges[k];
        if (e->kind != EXPORT_EDGE_MEMBER)
            continue;
        VizViewNode *job = viz_view_find(v, e->dst);
        const ExportNode *c = export_find_node(s, e->src);
        VizViewNode *cn = viz_view_find(v, e->src);
        if (!job || !job->is_job || !c)
            continue;
        job->component = true;
        g_free(job->cluster_label);
        job->cluster_label = g_strdup_printf("component %s (job %" PRIu64 ")", c->name, job->id);
        if (cn)
            cn->cluster = job->id;
    }
}

/* Make sure every cluster a node names is a job node of the view (adding
 * the missing jobs, faded, with their own ancestors). */
static void viz_view_close_clusters(VizView *v, const VizGraph *g,
                                    const VizViewOptions *o)
{
    for (size_t k = 0; k < v->nnodes; k++) {
        uint64_t want[2] = {v->nodes[k].cluster, v->nodes[k].is_job ? v->nodes[k].parent_cluster : 0};
        for (int w = 0; w < 2; w++) {
            if (!want[w] || viz_view_find(v, want[w]))
                continue;
            size_t ji = viz_graph_index(g, want[w]);
            if (ji == VIZ_NONE)
                continue;
            viz_view_add_graph_node(v, g, ji, o)->dim = true;
        }
    }
}

static bool viz_view_edge_shown(VizView *v, const ExportEdge *e)
{
    return viz_view_find(v, e->src) && viz_view_find(v, e->dst);
}

/* One node per kept tree entry with folded entries below it: "+N entries",
 * joined to it like a child. */
static void viz_view_add_folds(VizView *v, const VizGraph *g, const size_t *folded)
{
    size_t nn = viz_graph_nnodes(g);
    size_t *count = g_new0(size_t, nn ? nn : 1);
    for (size_t i = 0; i < nn; i++)
        if (folded[i] != VIZ_NONE)
            count[folded[i]]++;
    for (size_t p = 0; p < nn; p++) {
        if (!count[p] || !viz_view_find(v, viz_graph_node(g, p)->id))
            continue;
        uint64_t id = VIZ_VIEW_FOLD_BASE + p;
        char *label = g_strdup_printf("+%zu entries", count[p]);
        VizViewNode *vn = viz_view_add_node(v, id, "aggregate", label, viz_view_cluster_of(g, p));
        vn->kind = EXPORT_NODE_DIRECTORY;
        vn->count = count[p];
        g_free(label);
        viz_view_add_edge(v, viz_graph_node(g, p)->id, id, EXPORT_EDGE_DIR_CHILD, NULL);
    }
    g_free(count);
}

VizView *viz_view_full(const VizGraph *g, const VizViewOptions *o)
{
    if (viz_graph_nnodes(g) > (o->aggregate_above ? o->aggregate_above : 1500))
        return viz_aggregate_build(g, o);
    VizView *v = viz_view_new(NULL);
    GHashTable *in = g_hash_table_new(g_int64_hash, g_int64_equal);
    size_t *folded = g_new(size_t, viz_graph_nnodes(g) ? viz_graph_nnodes(g) : 1);
    viz_tree_fold(g, folded);
    for (size_t i = 0; i < viz_graph_nnodes(g); i++) {
        const ExportNode *n = viz_graph_node(g, i);
        if (viz_view_node_hidden(n, o) || folded[i] != VIZ_NONE)
            continue;
        viz_view_add_graph_node(v, g, i, o);
        g_hash_table_add(in, (gpointer)&n->id);
    }
    const ExportSnapshot *s = viz_graph_snapshot(g);
    for (size_t k = 0; k < s->nedges; k++) {
        const ExportEdge *e = &s->edges[k];
        if (g_hash_table_contains(in, &e->src) && g_hash_table_contains(in, &e->dst))
            viz_view_add_graph_edge(v, g, e, o);
    }
    g_hash_table_destroy(in);
    viz_view_add_folds(v, g, folded);
    g_free(folded);
    viz_view_close_clusters(v, g, o);
    viz_view_mark_components(v, g);
    return v;
}

/* ---- Focus -------------------------------------------------------------------*/

static bool viz_view_focus_follows_in(uint32_t kind)
{
    return kind != EXPORT_EDGE_CHILD && kind != EXPORT_EDGE_THREAD &&
           kind != EXPORT_EDGE_VMAR && kind != EXPORT_EDGE_DIR_CHILD;
}

VizView *viz_view_focus(const VizGraph *g, size_t center, int hops,
                        const VizViewOptions *o)
{
    size_t nn = viz_graph_nnodes(g);
    int *dist = g_new(int, nn ? nn : 1);
    for (size_t i = 0; i < nn; i++)
        dist[i] = -1;
    size_t *queue = g_new(size_t, nn ? nn : 1), qh = 0, qt = 0;
    dist[center] = 0;
    queue[qt++] = center;
    while (qh < qt) {
        size_t i = queue[qh++];
        if (dist[i] >= hops)
            continue;
        for (int dir = 0; dir < 2; dir++) {
            size_t cnt;
            const uint32_t *es = dir ? viz_graph_in(g, i, &cnt) : viz_graph_out(g, i, &cnt);
            for (size_t k = 0; k < cnt; k++) {
                const ExportEdge *e = viz_graph_edge(g, es[k]);
                if (dir && !viz_view_focus_follows_in(e->kind))
                    continue;
                size_t j = viz_graph_index(g, dir ? e->src : e->dst);
                if (j == VIZ_NONE || dist[j] >= 0 || viz_view_node_hidden(viz_graph_node(g, j), o))
                    continue;
                dist[j] = dist[i] + 1;
                queue[qt++] = j;
            }
        }
    }
    char desc[160];
    viz_graph_describe(g, center, desc, sizeof desc);
    char *title = g_strdup_printf("focus: %s, %d hop%s", desc, hops, hops == 1 ? "" : "s");
    VizView *v = viz_view_new(title);
    g_free(title);
    for (size_t i = 0; i < nn; i++)
        if (dist[i] >= 0) {
            VizViewNode *vn = viz_view_add_graph_node(v, g, i, o);
            if (i == center)
                vn->color = VIZ_COLOR_FOCUS;
        }
    const ExportSnapshot *s = viz_graph_snapshot(g);
    for (size_t k = 0; k < s->nedges; k++)
        if (viz_view_edge_shown(v, &s->edges[k]))
            viz_view_add_graph_edge(v, g, &s->edges[k], o);
    viz_view_close_clusters(v, g, o);
    viz_view_mark_components(v, g);
    g_free(dist);
    g_free(queue);
    return v;
}
