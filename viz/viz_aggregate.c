/* viz_aggregate.c — the overview of a large capability graph.
 *
 * What it models: a picture of 10,000+ objects that still says something.
 *   1. Jobs keep their own nodes and clusters down to a depth D: the
 *      largest depth at which the jobs so far take at most a quarter of the
 *      node budget. Deeper jobs fold into their ancestor at depth D.
 *   2. Every other node joins the group (representative job, type): all
 *      the channels used inside job "tests" become one node "312 channel",
 *      all its processes one "40 process". A group of one stays a real node
 *      with its real label. Threads and VMARs are left out.
 *   3. Edges are counted per (group, group, kind); a lone edge keeps its
 *      label, a bundle is labelled "x N". Edges inside one group are left
 *      out (they would be loops).
 * With a budget of B nodes the view has at most B/4 jobs plus one group per
 * (job, type) pair actually present, which for realistic systems stays
 * within B; it is meant for a scalable layout engine (sfdp).
 *
 * Invariants: group order is the order of each group's first member in the
 * snapshot and edge order that of each bundle's first edge: deterministic.
 * Aggregate node ids are EXPORT_SYNTH_BASE * 2 + group number.
 * Left out: choosing D per subtree (one D for the whole tree).
 * Read next: viz_dot.c.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zircon/types.h>

#include "viz_aggregate.h"
#include "viz_trees.h"

#define VIZ_AGG_BASE (EXPORT_SYNTH_BASE * 2)

typedef struct VizAggGroup {
    size_t first;             /* snapshot index of the first member */
    size_t count;
    uint64_t rep;             /* representative job id (0 = top) */
} VizAggGroup;

typedef struct VizAgg {
    const VizGraph *g;
    const VizViewOptions *o;
    int *depth;               /* job depth, -1 for non-jobs */
    int D;
    uint64_t *view_id;        /* snapshot index -> view node id (0 = hidden) */
    GArray *groups;           /* VizAggGroup */
} VizAgg;

static void viz_agg_depths(VizAgg *a, size_t budget)
{
    size_t nn = viz_graph_nnodes(a->g);
    int maxd = 0;
    for (size_t i = 0; i < nn; i++) {
        const ExportNode *n = viz_graph_node(a->g, i);
        a->depth[i] = -1;
        if (n->kind == EXPORT_NODE_OBJECT && n->type == ZX_OBJ_TYPE_JOB) {
            size_t p = viz_graph_parent(a->g, i);
            a->depth[i] = p == VIZ_NONE ? 0 : a->depth[p] + 1; /* parents first: koid order */
            if (a->depth[i] > maxd)
                maxd = a->depth[i];
        }
    }
    size_t *per = g_new0(size_t, (size_t)maxd + 1);
    for (size_t i = 0; i < nn; i++)
        if (a->depth[i] >= 0)
            per[a->depth[i]]++;
    size_t sum = 0;
    a->D = 0;
    for (int d = 0; d <= maxd; d++) {
        sum += per[d];
        if (sum > budget / 4)
            break;
        a->D = d;
    }
    g_free(per);
}

/* The job at depth <= D standing for job index j (VIZ_NONE stays). */
static size_t viz_agg_rep(VizAgg *a, size_t j)
{
    while (j != VIZ_NONE && a->depth[j] > a->D)
        j = viz_graph_parent(a->g, j);
    return j;
}

static bool viz_agg_skipped(const ExportNode *n)
{
    return n->kind == EXPORT_NODE_OBJECT &&
           (n->type == ZX_OBJ_TYPE_THREAD || n->type == ZX_OBJ_TYPE_VMAR);
}

static void viz_agg_group_nodes(VizAgg *a, VizView *v, GHashTable *by_key)
{
    size_t nn = viz_graph_nnodes(a->g);
    size_t *group_of = g_new(size_t, nn ? nn : 1);
    for (size_t i = 0; i < nn; i++) {
        const ExportNode *n = viz_graph_node(a->g, i);
        group_of[i] = VIZ_NONE;
        if (viz_agg_skipped(n) || viz_view_node_hidden(n, a->o))
            continue;
        if (a->depth[i] >= 0 && a->depth[i] <= a->D) {
            a->view_id[i] = n->id;
            continue;
        }
        /* tree entries group with their server's job */
        size_t sj = viz_tree_is_entry(a->g, i)
                        ? viz_tree_server_job(a->g, viz_tree_root(a->g, i)) : VIZ_NONE;
        uint64_t cl = viz_tree_is_entry(a->g, i)
                          ? (sj == VIZ_NONE ? 0 : viz_graph_node(a->g, sj)->id)
                          : viz_view_cluster_of(a->g, i);
        size_t rj = cl ? viz_agg_rep(a, viz_graph_index(a->g, cl)) : VIZ_NONE;
        uint64_t rep = rj == VIZ_NONE ? 0 : viz_graph_node(a->g, rj)->id;
        char *key = g_strdup_printf("%" PRIu64 "/%s/%u", rep, n->type_name, n->kind);
        gpointer at = g_hash_table_lookup(by_key, key);
        if (!at) {
            VizAggGroup grp = {i, 0, rep};
            g_array_append_val(a->groups, grp);
            at = GSIZE_TO_POINTER(a->groups->len);
            g_hash_table_insert(by_key, key, at);
        } else {
            g_free(key);
        }
        group_of[i] = GPOINTER_TO_SIZE(at) - 1;
        g_array_index(a->groups, VizAggGroup, group_of[i]).count++;
    }
    /* Nodes in snapshot order: real jobs, singletons, aggregates. */
    for (size_t i = 0; i < nn; i++) {
        if (a->view_id[i]) {
            viz_view_add_graph_node(v, a->g, i, a->o);
            continue;
        }
        if (group_of[i] == VIZ_NONE)
            continue;
        VizAggGroup *grp = &g_array_index(a->groups, VizAggGroup, group_of[i]);
        if (grp->count == 1) {
            a->view_id[i] = viz_graph_node(a->g, i)->id;
            viz_view_add_graph_node(v, a->g, i, a->o)->cluster = grp->rep;
            continue;
        }
        uint64_t id = VIZ_AGG_BASE + group_of[i];
        a->view_id[i] = id;
        if (grp->first == i) {
            const ExportNode *n = viz_graph_node(a->g, i);
            char *label = g_strdup_printf("%zu %s", grp->count, n->type_name);
            VizViewNode *vn = viz_view_add_node(v, id, n->type_name, label, grp->rep);
            vn->kind = n->kind;
            vn->count = grp->count;
            g_free(label);
        }
    }
    g_free(group_of);
}

typedef struct VizAggBundle {
    size_t view_edge;
    size_t count;
    const ExportEdge *first;
} VizAggBundle;

static void viz_agg_edges(VizAgg *a, VizView *v)
{
    const ExportSnapshot *s = viz_graph_snapshot(a->g);
    GHashTable *bundles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GPtrArray *order = g_ptr_array_new();
    for (size_t k = 0; k < s->nedges; k++) {
        const ExportEdge *e = &s->edges[k];
        size_t si = viz_graph_index(a->g, e->src), di = viz_graph_index(a->g, e->dst);
        if (si == VIZ_NONE || di == VIZ_NONE)
            continue;
        uint64_t vs = a->view_id[si], vd = a->view_id[di];
        if (!vs || !vd || vs == vd)
            continue;
        char *key = g_strdup_printf("%" PRIu64 ":%" PRIu64 ":%u", vs, vd, e->kind);
        VizAggBundle *b = g_hash_table_lookup(bundles, key);
        if (b) {
            b->count++;
            g_free(key);
            continue;
        }
        b = g_new0(VizAggBundle, 1);
        b->count = 1;
        b->first = e;
        b->view_edge = v->nedges;
        viz_view_add_edge(v, vs, vd, e->kind, NULL);
        g_hash_table_insert(bundles, key, b);
        g_ptr_array_add(order, b);
    }
    for (guint k = 0; k < order->len; k++) {
        VizAggBundle *b = order->pdata[k];
        VizViewEdge *ve = &v->edges[b->view_edge];
        ve->label = b->count == 1 ? viz_view_edge_label(a->g, b->first, false)
                                  : g_strdup_printf("x %zu", b->count);
        if (b->count > 1)
            ve->penwidth = b->count > 100 ? 3.0 : b->count > 10 ? 2.0 : 1.5;
    }
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(bundles);
}

VizView *viz_aggregate_build(const VizGraph *g, const VizViewOptions *o)
{
    size_t nn = viz_graph_nnodes(g);
    size_t budget = o->aggregate_above ? o->aggregate_above : 1500;
    VizAgg a = {
        .g = g, .o = o,
        .depth = g_new(int, nn ? nn : 1),
        .view_id = g_new0(uint64_t, nn ? nn : 1),
        .groups = g_array_new(FALSE, FALSE, sizeof(VizAggGroup)),
    };
    viz_agg_depths(&a, budget);
    char *title = g_strdup_printf("overview of %zu nodes: jobs to depth %d, "
                                  "processes and objects counted per job and type",
                                  nn, a.D);
    VizView *v = viz_view_new(title);
    g_free(title);
    v->aggregated = true;
    GHashTable *by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    viz_agg_group_nodes(&a, v, by_key);
    g_hash_table_destroy(by_key);
    viz_agg_edges(&a, v);
    g_free(a.depth);
    g_free(a.view_id);
    g_array_free(a.groups, TRUE);
    return v;
}
