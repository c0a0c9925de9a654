/* viz_graph.c — the index every viz/ module walks a snapshot through.
 *
 * What it models: nothing new; it makes a snapshot (sorted node and edge
 * arrays) navigable. Out- and in-edges are kept in compressed rows (one
 * offsets array, one edge-index array), built in two passes over the
 * edges, so the lists come out in edge order (deterministic) and a 100,000-
 * node graph indexes in a few milliseconds.
 *
 * Invariants: out_off[i]..out_off[i+1] are exactly the edges whose src is
 * node i; edges naming an id that is not a node are ignored (a snapshot
 * from export.c never has any). parent[i] is the index of node i's
 * `parent` id or VIZ_NONE.
 *
 * Left out: mutation. A graph is rebuilt when a new snapshot is taken.
 * Read next: viz_view.c (what gets drawn), viz_authority.c (the analysis).
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/types.h>

#include "viz_graph.h"

struct VizGraph {
    const ExportSnapshot *s;
    uint32_t *out_off, *out_edges;
    uint32_t *in_off, *in_edges;
    uint32_t *edge_src, *edge_dst; /* node index of each edge's ends (UINT32_MAX: none) */
    size_t *parent;
    size_t root_job;
};

static void viz_graph_rows(VizGraph *g, bool out)
{
    const ExportSnapshot *s = g->s;
    uint32_t *off = g_new0(uint32_t, s->nnodes + 1);
    uint32_t *edges = g_new(uint32_t, s->nedges ? s->nedges : 1);
    uint32_t *ends = g_new(uint32_t, s->nedges ? s->nedges : 1);
    for (size_t e = 0; e < s->nedges; e++) {
        size_t i = viz_graph_index(g, out ? s->edges[e].src : s->edges[e].dst);
        ends[e] = i == VIZ_NONE ? UINT32_MAX : (uint32_t)i;
        if (i != VIZ_NONE)
            off[i + 1]++;
    }
    for (size_t i = 0; i < s->nnodes; i++)
        off[i + 1] += off[i];
    uint32_t *fill = g_memdup2(off, (s->nnodes + 1) * sizeof *off);
    for (size_t e = 0; e < s->nedges; e++)
        if (ends[e] != UINT32_MAX)
            edges[fill[ends[e]]++] = (uint32_t)e;
    g_free(fill);
    if (out) {
        g->out_off = off;
        g->out_edges = edges;
        g->edge_src = ends;
    } else {
        g->in_off = off;
        g->in_edges = edges;
        g->edge_dst = ends;
    }
}

VizGraph *viz_graph_new(const ExportSnapshot *s)
{
    VizGraph *g = g_new0(VizGraph, 1);
    g->s = s;
    g->root_job = VIZ_NONE;
    viz_graph_rows(g, true);
    viz_graph_rows(g, false);
    g->parent = g_new(size_t, s->nnodes ? s->nnodes : 1);
    for (size_t i = 0; i < s->nnodes; i++) {
        const ExportNode *n = &s->nodes[i];
        g->parent[i] = n->parent ? viz_graph_index(g, n->parent) : VIZ_NONE;
        if (g->root_job == VIZ_NONE && n->kind == EXPORT_NODE_OBJECT &&
            n->type == ZX_OBJ_TYPE_JOB && !n->parent)
            g->root_job = i;
    }
    return g;
}

void viz_graph_free(VizGraph *g)
{
    if (!g)
        return;
    g_free(g->out_off);
    g_free(g->out_edges);
    g_free(g->in_off);
    g_free(g->in_edges);
    g_free(g->edge_src);
    g_free(g->edge_dst);
    g_free(g->parent);
    g_free(g);
}

const ExportSnapshot *viz_graph_snapshot(const VizGraph *g) { return g->s; }
size_t viz_graph_nnodes(const VizGraph *g) { return g->s->nnodes; }
const ExportNode *viz_graph_node(const VizGraph *g, size_t i) { return &g->s->nodes[i]; }
const ExportEdge *viz_graph_edge(const VizGraph *g, size_t i) { return &g->s->edges[i]; }
size_t viz_graph_parent(const VizGraph *g, size_t i) { return g->parent[i]; }

size_t viz_graph_index(const VizGraph *g, uint64_t id)
{
    const ExportNode *n = export_find_node(g->s, id);
    return n ? (size_t)(n - g->s->nodes) : VIZ_NONE;
}

size_t viz_graph_edge_src(const VizGraph *g, size_t e)
{
    return g->edge_src[e] == UINT32_MAX ? VIZ_NONE : g->edge_src[e];
}

size_t viz_graph_edge_dst(const VizGraph *g, size_t e)
{
    return g->edge_dst[e] == UINT32_MAX ? VIZ_NONE : g->edge_dst[e];
}

const uint32_t *viz_graph_out(const VizGraph *g, size_t i, size_t *n)
{
    *n = g->out_off[i + 1] - g->out_off[i];
    return g->out_edges + g->out_off[i];
}

const uint32_t *viz_graph_in(const VizGraph *g, size_t i, size_t *n)
{
    *n = g->in_off[i + 1] - g->in_off[i];
    return g->in_edges + g->in_off[i];
}

bool viz_graph_job_contains(const VizGraph *g, size_t anc, size_t job)
{
    for (size_t depth = 0; job != VIZ_NONE && depth < 4096; depth++) {
        if (job == anc)
            return true;
        job = g->parent[job];
    }
    return false;
}

/* ---- Finding nodes by name ---------------------------------------------------*/

static bool viz_graph_parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return false;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end)
        return false;
    *out = v;
    return true;
}

static size_t viz_graph_by_name(const VizGraph *g, const char *type,
                                const char *name)
{
    for (size_t i = 0; i < g->s->nnodes; i++) {
        const ExportNode *n = &g->s->nodes[i];
        if (n->kind == EXPORT_NODE_INFLIGHT)
            continue;
        bool type_ok = type ? strcmp(n->type_name, type) == 0
                            : (n->kind == EXPORT_NODE_COMPONENT ||
                               (n->kind == EXPORT_NODE_OBJECT &&
                                (n->type == ZX_OBJ_TYPE_PROCESS || n->type == ZX_OBJ_TYPE_JOB)));
        if (type_ok && strcmp(n->name, name) == 0)
            return i;
    }
    return VIZ_NONE;
}

size_t viz_graph_find(const VizGraph *g, const char *spec, char *err,
                      size_t errlen)
{
    uint64_t koid;
    size_t i = VIZ_NONE;
    const char *colon = strchr(spec, ':');
    if (viz_graph_parse_u64(spec, &koid) ||
        (g_str_has_prefix(spec, "koid:") && viz_graph_parse_u64(spec + 5, &koid))) {
        i = viz_graph_index(g, koid);
        if (i == VIZ_NONE)
            snprintf(err, errlen, "'%s': no object with koid %" PRIu64 " in the snapshot", spec, koid);
        return i;
    }
    if (spec[0] == '/') {
        for (size_t j = 0; j < g->s->nnodes && i == VIZ_NONE; j++) {
            const ExportNode *n = &g->s->nodes[j];
            if ((n->kind == EXPORT_NODE_DIRECTORY || n->kind == EXPORT_NODE_SERVICE) &&
                strcmp(n->name, spec) == 0)
                i = j;
        }
        if (i == VIZ_NONE)
            snprintf(err, errlen, "'%s': no directory or service with that path", spec);
        return i;
    }
    if (colon) {
        char *type = g_strndup(spec, (gsize)(colon - spec));
        if (!strcmp(type, "job") && !strcmp(colon + 1, "root") && g->root_job != VIZ_NONE)
            i = g->root_job;
        else
            i = viz_graph_by_name(g, type, colon + 1);
        if (i == VIZ_NONE)
            snprintf(err, errlen, "'%s': no %s named '%s' in the snapshot", spec, type, colon + 1);
        g_free(type);
        return i;
    }
    /* a bare name: a process so named, else a job, else a component */
    i = viz_graph_by_name(g, "process", spec);
    if (i == VIZ_NONE)
        i = viz_graph_by_name(g, "job", spec);
    if (i == VIZ_NONE)
        i = viz_graph_by_name(g, "component", spec);
    if (i == VIZ_NONE)
        snprintf(err, errlen, "'%s': no process, job or component with that name "
                 "(try TYPE:NAME or koid:N)", spec);
    return i;
}

void viz_graph_describe(const VizGraph *g, size_t i, char *buf, size_t len)
{
    const ExportNode *n = &g->s->nodes[i];
    if (n->kind == EXPORT_NODE_OBJECT)
        snprintf(buf, len, "%s '%s' (koid %" PRIu64 ")", n->type_name, n->name, n->id);
    else if (n->kind == EXPORT_NODE_INFLIGHT)
        snprintf(buf, len, "in-flight %s handle (koid %" PRIu64 ")", n->type_name, n->object);
    else
        snprintf(buf, len, "%s '%s'", n->type_name, n->name);
}
