/* host_graph.c — capability graphs behind capsim_script.h: a snapshot of
 * the kernel now, indexed (viz_graph), flattened for the bindings, drawn
 * (viz_view + viz_dot), analysed on first use (viz_authority), checked
 * against rules (viz_policycheck) and compared (viz_diff).
 *
 * (Rewritten by the viz engineer from capsim_script.h after overwriting
 * the scripting engineer's version of this file by mistake; the messages
 * are the original ones.)
 *
 * Invariants: a CapsimGraph owns its snapshot, so it stays valid while the
 * system runs on; node indices are snapshot order (ids ascending); facts
 * are the analysis' ids, valid for witness queries on the same graph.
 * Read next: viz/viz_authority.h, docs/graphs.md.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_script_internal.h"
#include "viz_authority.h"
#include "viz_diff.h"
#include "viz_dot.h"
#include "viz_json.h"
#include "viz_policycheck.h"

struct CapsimGraph {
    CapsimSystem *sys;
    ExportSnapshot *snap;
    VizGraph *g;
    VizAuthority *a;           /* built on first use */
};

CapsimGraph *capsim_graph_snapshot(CapsimSystem *sys)
{
    CapsimGraph *g = calloc(1, sizeof *g);
    if (!g || !(g->snap = export_snapshot(sys->k))) {
        free(g);
        host_script_fail(sys, -1, "out of memory for a snapshot");
        return NULL;
    }
    g->sys = sys;
    g->g = viz_graph_new(g->snap);
    return g;
}

void capsim_graph_free(CapsimGraph *g)
{
    if (!g)
        return;
    viz_authority_free(g->a);
    viz_graph_free(g->g);
    export_snapshot_free(g->snap);
    free(g);
}

int64_t capsim_graph_time(const CapsimGraph *g) { return g->snap->time; }
uint64_t capsim_graph_trace_seq(const CapsimGraph *g) { return g->snap->trace_seq; }
size_t capsim_graph_node_count(const CapsimGraph *g) { return g->snap->nnodes; }
size_t capsim_graph_edge_count(const CapsimGraph *g) { return g->snap->nedges; }

int capsim_graph_node(const CapsimGraph *g, size_t i, CapsimNode *out)
{
    if (i >= g->snap->nnodes)
        return -1;
    const ExportNode *n = &g->snap->nodes[i];
    *out = (CapsimNode){
        .id = n->id, .kind = n->kind, .type = n->type,
        .kind_name = export_node_kind_name(n->kind), .type_name = n->type_name,
        .name = n->name, .parent = n->parent, .object = n->object, .state = n->state,
        .handle_count = n->handle_count, .signals = n->signals,
        .policy_denied = n->policy_denied,
    };
    return 0;
}

int capsim_graph_edge(const CapsimGraph *g, size_t i, CapsimEdge *out)
{
    if (i >= g->snap->nedges)
        return -1;
    const ExportEdge *e = &g->snap->edges[i];
    *out = (CapsimEdge){
        .kind = e->kind, .kind_name = export_edge_kind_name(e->kind), .src = e->src,
        .dst = e->dst, .rights = e->rights, .value = e->value, .arg0 = e->arg0,
        .arg1 = e->arg1, .label = e->label,
    };
    return 0;
}

int64_t capsim_graph_find(CapsimGraph *g, const char *spec, char *err, size_t errlen)
{
    size_t i = viz_graph_find(g->g, spec, err, errlen);
    return i == VIZ_NONE ? -1 : (int64_t)i;
}

char *capsim_graph_json(CapsimGraph *g, const char *label)
{
    return viz_json_snapshot(g->snap, label, true, NULL);
}

/* ---- Pictures ----------------------------------------------------------------*/

const char *capsim_graph_format(const char *name)
{
    VizFormat f;
    return name && viz_dot_format_parse(name, &f) ? viz_dot_format_name(f) : NULL;
}

const char *capsim_graph_formats(int pictures_only)
{
    return viz_dot_format_list(pictures_only != 0);
}

static char *host_graph_draw(VizView *v, const char *format, const char *title, size_t *len,
                             char *err, size_t errlen)
{
    VizFormat f;
    if (!format || !viz_dot_format_parse(format, &f) || f == VIZ_FORMAT_JSON) {
        snprintf(err, errlen, "unknown picture format '%s' (known: %s)",
                 format ? format : "(none)", viz_dot_format_list(true));
        viz_view_free(v);
        return NULL;
    }
    if (title) {
        g_free(v->title);
        v->title = g_strdup(title);
    }
    VizDotOptions o;
    viz_dot_options_default(&o);
    char *data = NULL;
    size_t n = 0;
    if (viz_dot_render(v, &o, f, &data, &n, err, errlen) != 0)
        data = NULL;
    viz_view_free(v);
    if (len)
        *len = data ? n : 0;
    return data;
}

char *capsim_graph_render(CapsimGraph *g, const char *format, int64_t focus, int hops,
                          const char *title, size_t *len, char *err, size_t errlen)
{
    VizViewOptions o;
    viz_view_options_default(&o);
    if (focus >= 0 && (size_t)focus >= g->snap->nnodes) {
        snprintf(err, errlen, "no node %lld to focus on", (long long)focus);
        return NULL;
    }
    VizView *v = focus < 0 ? viz_view_full(g->g, &o) : viz_view_focus(g->g, (size_t)focus, hops, &o);
    if (!v) {
        snprintf(err, errlen, "out of memory for the view");
        return NULL;
    }
    return host_graph_draw(v, format, title, len, err, errlen);
}

/* ---- Analysis -------------------------------------------------------------------*/

static VizAuthority *host_graph_authority(CapsimGraph *g)
{
    if (!g->a)
        g->a = viz_authority_new(g->g, NULL, 0);
    return g->a;
}

/* Flatten facts ids[0..n) into out (up to max); returns n. */
static int64_t host_graph_facts(CapsimGraph *g, const uint32_t *ids, size_t n, CapsimFact *out,
                                size_t max)
{
    static const char *const kinds[] = {"hold", "control", "flow", "create"};
    for (size_t i = 0; i < n && i < max && out; i++) {
        const VizFact *f = viz_authority_fact(g->a, ids[i]);
        out[i] = (CapsimFact){
            .index = ids[i], .kind = f->kind, .kind_name = f->kind < 4 ? kinds[f->kind] : "unknown",
            .rule = viz_authority_rule_name(f->rule), .subject = viz_graph_node(g->g, f->subj)->id,
            .object = viz_graph_node(g->g, f->obj)->id, .rights = f->rights,
        };
    }
    return (int64_t)n;
}

int64_t capsim_graph_reach(CapsimGraph *g, int64_t principal, CapsimFact *out, size_t max)
{
    if (principal < 0 || (size_t)principal >= g->snap->nnodes)
        return -1;
    uint32_t *ids;
    size_t n = viz_authority_reach(host_graph_authority(g), (size_t)principal, &ids);
    int64_t r = host_graph_facts(g, ids, n, out, max);
    free(ids);
    return r;
}

int64_t capsim_graph_can(CapsimGraph *g, int64_t principal, int64_t object, uint32_t rights)
{
    if (principal < 0 || object < 0 || (size_t)principal >= g->snap->nnodes ||
        (size_t)object >= g->snap->nnodes)
        return -1;
    uint32_t f = viz_authority_can(host_graph_authority(g), (size_t)principal, (size_t)object, rights);
    return f == VIZ_NOFACT ? -1 : (int64_t)f;
}

int64_t capsim_graph_who_can(CapsimGraph *g, int64_t object, uint32_t rights, CapsimFact *out,
                             size_t max)
{
    if (object < 0 || (size_t)object >= g->snap->nnodes)
        return -1;
    uint32_t *ids;
    size_t n = viz_authority_who_can(host_graph_authority(g), (size_t)object, rights, &ids);
    int64_t r = host_graph_facts(g, ids, n, out, max);
    free(ids);
    return r;
}

int64_t capsim_graph_witness(CapsimGraph *g, uint32_t fact, CapsimFact *out, size_t max)
{
    VizAuthority *a = host_graph_authority(g);
    if (fact >= viz_authority_nfacts(a))
        return -1;
    uint32_t *ids;
    size_t n = viz_witness_steps(a, fact, &ids);
    int64_t r = host_graph_facts(g, ids, n, out, max);
    free(ids);
    return r;
}

char *capsim_graph_witness_text(CapsimGraph *g, uint32_t fact)
{
    VizAuthority *a = host_graph_authority(g);
    return fact < viz_authority_nfacts(a) ? viz_witness_text(a, fact) : NULL;
}

char *capsim_graph_witness_render(CapsimGraph *g, uint32_t fact, const char *format, size_t *len,
                                  char *err, size_t errlen)
{
    VizAuthority *a = host_graph_authority(g);
    if (fact >= viz_authority_nfacts(a)) {
        snprintf(err, errlen, "no fact %u", fact);
        return NULL;
    }
    return host_graph_draw(viz_witness_view(a, fact, NULL), format, NULL, len, err, errlen);
}

int64_t capsim_graph_check(CapsimGraph *g, const char *rules, const char *name, char **report,
                           char *err, size_t errlen)
{
    VizPolicy *p = viz_policycheck_parse(rules ? rules : "", name ? name : "rules", err, errlen);
    if (!p)
        return -1;
    if (viz_policycheck_bind(p, g->g, err, errlen) != 0) {
        viz_policycheck_free(p);
        return -1;
    }
    size_t nb;
    const VizBehaviour *b = viz_policycheck_behaviours(p, &nb);
    VizAuthority *a = viz_authority_new(g->g, b, nb);
    VizViolation *v;
    size_t n = viz_policycheck_run(p, a, &v);
    if (report)
        *report = viz_policycheck_report(p, a, v, n);
    free(v);
    viz_authority_free(a);
    viz_policycheck_free(p);
    return (int64_t)n;
}

/* ---- Differences ---------------------------------------------------------------*/

char *capsim_graph_diff_text(CapsimSystem *sys, const CapsimGraph *before,
                             const CapsimGraph *after, size_t *nchanges)
{
    VizDiff *d = viz_diff_new(before->snap, after->snap, sys ? host_script(sys)->rec : NULL);
    if (!d) {
        host_script_fail(sys, -1, "out of memory for the diff");
        return NULL;
    }
    char *t = viz_diff_text(d);
    if (nchanges)
        *nchanges = d->n;
    viz_diff_free(d);
    return t;
}

char *capsim_graph_diff_render(CapsimSystem *sys, const CapsimGraph *before,
                               const CapsimGraph *after, const char *format, size_t *len,
                               char *err, size_t errlen)
{
    VizDiff *d = viz_diff_new(before->snap, after->snap, sys ? host_script(sys)->rec : NULL);
    if (!d) {
        snprintf(err, errlen, "out of memory for the diff");
        return NULL;
    }
    VizViewOptions o;
    viz_view_options_default(&o);
    char *out = host_graph_draw(viz_diff_view(d, &o), format, NULL, len, err, errlen);
    viz_diff_free(d);
    return out;
}
