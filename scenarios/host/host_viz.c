/* host_viz.c — the host API of capsim_viz.h: viz/ behind flat calls.
 *
 * What it models: nothing of its own. A CapsimViz is a VizRecorder on a
 * system's kernel plus the error slot; every call resolves its snapshot
 * index (-1 = last), builds the index/view/analysis it needs, does one
 * thing, and frees what it built (analyses are cheap next to runs). Names
 * typed by people (principals, objects, rights, snapshot labels, formats)
 * are checked here and rejected with a message naming them.
 *
 * Invariants: nothing here changes the simulation; outputs are those of
 * viz/ and so are deterministic.
 * Read next: scenarios/cli/cmd_graph.c.
 */
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "capsim_viz.h"
#include "capsim_host_internal.h"
#include "viz_authority.h"
#include "viz_diff.h"
#include "viz_dot.h"
#include "viz_file.h"
#include "viz_json.h"
#include "viz_policycheck.h"
#include "viz_query.h"
#include "viz_recorder.h"
#include "viz_traceout.h"

struct CapsimViz {
    CapsimSystem *sys;        /* NULL when attached to a bare kernel */
    Kernel *k;
    VizRecorder *rec;
    char error[1024];
};

static void host_viz_fail(CapsimViz *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void host_viz_fail(CapsimViz *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->error, sizeof g->error, fmt, ap);
    va_end(ap);
}

void capsim_render_options_default(CapsimRenderOptions *o)
{
    memset(o, 0, sizeof *o);
    o->hops = CAPSIM_FOCUS_HOPS;
    o->legend = 1;
    o->show_threads = 1;
    o->aggregate_above = 1500;
}

CapsimViz *capsim_viz_attach_kernel(struct Kernel *k)
{
    CapsimViz *g = g_new0(CapsimViz, 1);
    g->k = k;
    g->rec = viz_recorder_attach(k);
    return g;
}

CapsimViz *capsim_viz_attach(CapsimSystem *sys)
{
    CapsimViz *g = capsim_viz_attach_kernel(sys->k);
    g->sys = sys;
    return g;
}

void capsim_viz_free(CapsimViz *g)
{
    if (!g)
        return;
    viz_recorder_free(g->rec);
    g_free(g);
}

const char *capsim_viz_error(CapsimViz *g) { return g->error; }
void capsim_viz_every(CapsimViz *g, uint64_t events) { viz_recorder_every(g->rec, events); }
void capsim_viz_at_time(CapsimViz *g, int64_t ns) { viz_recorder_at_time(g->rec, ns); }
size_t capsim_viz_count(CapsimViz *g) { return viz_recorder_count(g->rec); }

int capsim_viz_at_syscall(CapsimViz *g, const char *name)
{
    return viz_recorder_at_syscall(g->rec, name, g->error, sizeof g->error) ? 0 : -1;
}

int capsim_viz_jsonl(CapsimViz *g, const char *path)
{
    return viz_recorder_jsonl(g->rec, path, g->error, sizeof g->error);
}

int capsim_viz_jsonl_close(CapsimViz *g)
{
    return viz_recorder_jsonl_close(g->rec, g->error, sizeof g->error);
}

int capsim_viz_run(CapsimViz *g)
{
    SimRunResult r = viz_recorder_run(g->rec);
    if (g->sys) {
        app_restore_host(g->k);
        g->sys->last_result = (int)r;
    }
    return (int)r;
}

int capsim_viz_snapshot(CapsimViz *g, const char *label)
{
    viz_recorder_snapshot(g->rec, label);
    return (int)viz_recorder_count(g->rec) - 1;
}

const char *capsim_viz_label(CapsimViz *g, size_t index)
{
    return viz_recorder_label(g->rec, index);
}

int capsim_viz_find(CapsimViz *g, const char *which)
{
    char *end = NULL;
    long v = strtol(which, &end, 10);
    if (*which && end && !*end)
        return v >= 0 && (size_t)v < viz_recorder_count(g->rec) ? (int)v : -1;
    size_t i = viz_recorder_find(g->rec, which);
    return i == VIZ_RECORDER_NONE ? -1 : (int)i;
}

/* The snapshot at `index` (-1 = last), or NULL with a message. */
static const ExportSnapshot *host_viz_snap(CapsimViz *g, int index)
{
    size_t n = viz_recorder_count(g->rec);
    if (index < 0)
        index = (int)n - 1;
    if (index < 0 || (size_t)index >= n) {
        host_viz_fail(g, "no snapshot #%d (there %s %zu)", index, n == 1 ? "is" : "are", n);
        return NULL;
    }
    return viz_recorder_get(g->rec, (size_t)index);
}

/* viz_graph_find in snapshot `snapshot`, whose graph is `gr`; when the
 * node is not there, the error also says which snapshots of the run have
 * it (a process that exited before the end is in the earlier ones). */
static size_t host_viz_find(CapsimViz *g, int snapshot, const VizGraph *gr, const char *spec)
{
    size_t i = viz_graph_find(gr, spec, g->error, sizeof g->error);
    if (i != VIZ_NONE)
        return i;
    size_t n = viz_recorder_count(g->rec), self = snapshot < 0 ? n - 1 : (size_t)snapshot;
    GString *in = g_string_new(NULL);
    for (size_t k = 0; k < n; k++) {
        char ignored[8];
        VizGraph *other = k == self ? NULL : viz_graph_new(viz_recorder_get(g->rec, k));
        if (other && viz_graph_find(other, spec, ignored, sizeof ignored) != VIZ_NONE)
            g_string_append_printf(in, "%s#%zu", in->len ? ", " : "", k);
        viz_graph_free(other);
    }
    if (in->len) {
        size_t at = strlen(g->error);
        snprintf(g->error + at, sizeof g->error - at, " '%s'; it is in snapshot%s %s (--list "
                 "shows them, --snapshot picks one)", viz_recorder_label(g->rec, self),
                 strchr(in->str, ',') ? "s" : "", in->str);
    }
    g_string_free(in, TRUE);
    return VIZ_NONE;
}

int capsim_viz_find_principal(CapsimViz *g, int snapshot, const char *spec)
{
    const ExportSnapshot *s = host_viz_snap(g, snapshot);
    if (!s)
        return -1;
    VizGraph *gr = viz_graph_new(s);
    size_t i = host_viz_find(g, snapshot, gr, spec);
    viz_graph_free(gr);
    return i == VIZ_NONE ? -1 : 0;
}

size_t capsim_viz_nodes(CapsimViz *g, int snapshot)
{
    const ExportSnapshot *s = host_viz_snap(g, snapshot);
    return s ? s->nnodes : 0;
}

size_t capsim_viz_edges(CapsimViz *g, int snapshot)
{
    const ExportSnapshot *s = host_viz_snap(g, snapshot);
    return s ? s->nedges : 0;
}

/* ---- Rendering -------------------------------------------------------------*/

/* The format o->format names, else the extension of path; false with the
 * reason in error when neither names one. */
static bool host_viz_format_of(const CapsimRenderOptions *o, const char *path, VizFormat *f,
                               char *error, size_t len)
{
    if (o && o->format) {
        if (viz_dot_format_parse(o->format, f))
            return true;
        snprintf(error, len, "unknown format '%s' (known: %s)", o->format,
                 viz_dot_format_list(false));
        return false;
    }
    if (!path) {
        *f = VIZ_FORMAT_SVG;
        return true;
    }
    if (viz_dot_format_from_path(path, f))
        return true;
    /* No extension (or stdout): SVG. An extension that names no format is
     * a mistake (graph.jpg), not a request for SVG under that name. */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot && dot != base) {
        snprintf(error, len, "%s: cannot tell the format from the extension '%s' (known: "
                 "%s): give --format", path, dot, viz_dot_format_list(false));
        return false;
    }
    *f = VIZ_FORMAT_SVG;
    return true;
}

static bool host_viz_format(CapsimViz *g, const CapsimRenderOptions *o,
                              const char *path, VizFormat *f)
{
    return host_viz_format_of(o, path, f, g->error, sizeof g->error);
}

int capsim_render_format_check(const CapsimRenderOptions *o, const char *path, char *error,
                               size_t len)
{
    VizFormat f;
    return host_viz_format_of(o, path, &f, error, len) ? 0 : -1;
}

static void host_viz_view_options(const CapsimRenderOptions *o, VizViewOptions *vo,
                                    VizDotOptions *dopt)
{
    CapsimRenderOptions def;
    if (!o) {
        capsim_render_options_default(&def);
        o = &def;
    }
    viz_view_options_default(vo);
    vo->show_threads = o->show_threads != 0;
    vo->show_vmars = o->show_vmars != 0;
    vo->show_values = o->show_values != 0;
    if (o->aggregate_above > 0)
        vo->aggregate_above = (size_t)o->aggregate_above;
    viz_dot_options_default(dopt);
    dopt->engine = o->engine;
    dopt->legend = o->legend != 0;
}

static int host_viz_draw(CapsimViz *g, VizView *v, const CapsimRenderOptions *o,
                           VizFormat f, const char *path)
{
    VizViewOptions vo;
    VizDotOptions dopt;
    host_viz_view_options(o, &vo, &dopt);
    int rc = viz_dot_render_file(v, &dopt, f, path, g->error, sizeof g->error);
    viz_view_free(v);
    return rc;
}

int capsim_viz_render(CapsimViz *g, int snapshot, const CapsimRenderOptions *o,
                        const char *path)
{
    const ExportSnapshot *s = host_viz_snap(g, snapshot);
    VizFormat f;
    if (!s || !host_viz_format(g, o, path, &f))
        return -1;
    if (f == VIZ_FORMAT_JSON)
        return viz_json_write_file(s, viz_recorder_label(g->rec, snapshot < 0 ? viz_recorder_count(g->rec) - 1
                                                                            : (size_t)snapshot),
                                   path, g->error, sizeof g->error);
    VizViewOptions vo;
    VizDotOptions dopt;
    host_viz_view_options(o, &vo, &dopt);
    VizGraph *gr = viz_graph_new(s);
    VizView *v;
    if (o && o->focus) {
        size_t c = host_viz_find(g, snapshot, gr, o->focus);
        if (c == VIZ_NONE) {
            viz_graph_free(gr);
            return -1;
        }
        v = viz_view_focus(gr, c, o->hops > 0 ? o->hops : CAPSIM_FOCUS_HOPS, &vo);
    } else {
        v = viz_view_full(gr, &vo);
    }
    int rc = host_viz_draw(g, v, o, f, path);
    viz_graph_free(gr);
    return rc;
}

int capsim_viz_render_diff(CapsimViz *g, int from, int to,
                             const CapsimRenderOptions *o, const char *path)
{
    const ExportSnapshot *a = host_viz_snap(g, from), *b = a ? host_viz_snap(g, to) : NULL;
    VizFormat f;
    if (!a || !b || !host_viz_format(g, o, path, &f))
        return -1;
    if (f == VIZ_FORMAT_JSON) {
        host_viz_fail(g, "%s: a diff is drawn, not exported: use dot, svg, png or pdf", path);
        return -1;
    }
    VizDiff *d = viz_diff_new(a, b, g->rec);
    VizViewOptions vo;
    VizDotOptions dopt;
    host_viz_view_options(o, &vo, &dopt);
    int rc = host_viz_draw(g, viz_diff_view(d, &vo), o, f, path);
    viz_diff_free(d);
    return rc;
}

char *capsim_viz_diff_text(CapsimViz *g, int from, int to)
{
    const ExportSnapshot *a = host_viz_snap(g, from), *b = a ? host_viz_snap(g, to) : NULL;
    if (!a || !b)
        return NULL;
    VizDiff *d = viz_diff_new(a, b, g->rec);
    char *t = viz_diff_text(d);
    viz_diff_free(d);
    return t;
}

/* ---- Analysis -----------------------------------------------------------------*/

typedef struct HostAnalysis {
    VizGraph *gr;
    VizPolicy *policy;
    VizAuthority *a;
} HostAnalysis;

static void host_analysis_free(HostAnalysis *h)
{
    viz_authority_free(h->a);
    viz_policycheck_free(h->policy);
    viz_graph_free(h->gr);
}

/* Index, bind the rules file (if any), analyse. */
static bool host_analyse(CapsimViz *g, int snapshot, const char *rules, HostAnalysis *h)
{
    memset(h, 0, sizeof *h);
    const ExportSnapshot *s = host_viz_snap(g, snapshot);
    if (!s)
        return false;
    h->gr = viz_graph_new(s);
    if (rules) {
        h->policy = viz_policycheck_load(rules, g->error, sizeof g->error);
        if (!h->policy || viz_policycheck_bind(h->policy, h->gr, g->error, sizeof g->error) != 0) {
            host_analysis_free(h);
            return false;
        }
    }
    size_t nb = 0;
    const VizBehaviour *b = h->policy ? viz_policycheck_behaviours(h->policy, &nb) : NULL;
    h->a = viz_authority_new(h->gr, b, nb);
    return true;
}

char *capsim_viz_reach(CapsimViz *g, int snapshot, const char *principal,
                         int witnesses, const char *rules)
{
    HostAnalysis h;
    if (!host_analyse(g, snapshot, rules, &h))
        return NULL;
    char *out = NULL;
    size_t p = host_viz_find(g, snapshot, h.gr, principal);
    if (p != VIZ_NONE)
        out = viz_query_reach(h.a, p, witnesses != 0);
    host_analysis_free(&h);
    return out;
}

char *capsim_viz_who_can(CapsimViz *g, int snapshot, const char *object,
                           const char *rights, int witnesses, const char *rules)
{
    uint32_t r;
    if (!viz_query_rights(rights, &r)) {
        host_viz_fail(g, "unknown rights '%s' (use abbreviations like W|T or names like WRITE)", rights);
        return NULL;
    }
    HostAnalysis h;
    if (!host_analyse(g, snapshot, rules, &h))
        return NULL;
    char *out = NULL;
    size_t o = host_viz_find(g, snapshot, h.gr, object);
    if (o != VIZ_NONE)
        out = viz_query_who_can(h.a, o, r, witnesses != 0);
    host_analysis_free(&h);
    return out;
}

char *capsim_viz_check(CapsimViz *g, int snapshot, const char *rules, int *violations)
{
    *violations = -1;
    HostAnalysis h;
    if (!rules) {
        host_viz_fail(g, "a policy check needs a rules file");
        return NULL;
    }
    if (!host_analyse(g, snapshot, rules, &h))
        return NULL;
    VizViolation *v;
    size_t n = viz_policycheck_run(h.policy, h.a, &v);
    char *out = viz_policycheck_report(h.policy, h.a, v, n);
    *violations = (int)n;
    free(v);
    host_analysis_free(&h);
    return out;
}

int capsim_viz_render_witness(CapsimViz *g, int snapshot, const char *principal,
                                const char *object, const char *rights, const char *rules,
                                const CapsimRenderOptions *o, const char *path)
{
    uint32_t r;
    VizFormat f;
    if (!viz_query_rights(rights, &r)) {
        host_viz_fail(g, "unknown rights '%s'", rights);
        return -1;
    }
    HostAnalysis h;
    if (!host_viz_format(g, o, path, &f) || !host_analyse(g, snapshot, rules, &h))
        return -1;
    int rc = -1;
    size_t p = host_viz_find(g, snapshot, h.gr, principal);
    size_t t = p == VIZ_NONE ? VIZ_NONE : host_viz_find(g, snapshot, h.gr, object);
    if (t != VIZ_NONE) {
        uint32_t fact = viz_authority_can(h.a, p, t, r);
        if (fact == VIZ_NOFACT) {
            host_viz_fail(g, "%s cannot reach %s%s%s: there is no path to draw", principal, object,
                            r ? " with " : "", r ? rights : "");
        } else {
            char title[512];
            snprintf(title, sizeof title, "how %s can reach %s", principal, object);
            rc = host_viz_draw(g, viz_witness_view(h.a, fact, title), o, f, path);
        }
    }
    host_analysis_free(&h);
    return rc;
}

/* ---- Traces ---------------------------------------------------------------------*/

int capsim_viz_write_perfetto(CapsimViz *g, const char *path)
{
    size_t len;
    char *t = viz_perfetto_json(g->rec, &len);
    int rc = viz_file_write(path, t, len, g->error, sizeof g->error);
    free(t);
    return rc;
}

int capsim_viz_write_steps(CapsimViz *g, const char *path)
{
    size_t len;
    char *t = viz_steps_text(g->rec, &len);
    int rc = viz_file_write(path, t, len, g->error, sizeof g->error);
    free(t);
    return rc;
}
