/* viz_witness.c — witness paths: the steps that prove a derived fact.
 *
 * What it models: every fact of the authority analysis names the facts it
 * was derived from (at most two) and the rule used. A witness is that
 * derivation unrolled: premises before conclusions, each step once, from
 * base facts (a handle held now, a mapping, a namespace entry) to the fact
 * asked about. Because the analysis processes facts breadth-first, the
 * first derivation of a fact is a short one.
 *
 * Outputs: one sentence per step (what the rule means in Zircon terms),
 * the numbered list as text, and a view to draw: the nodes the steps talk
 * about, the snapshot's edges between them in grey, and one red edge per
 * step, numbered in order (base facts in black).
 *
 * Invariants: premise ids are smaller than conclusion ids, so the walk
 * terminates; steps come out in ascending fact id, which is a valid
 * proof order. Left out: all alternative derivations (one witness each).
 * Read next: viz_policycheck.c.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz_authority.h"
#include "viz_style.h"

static gint viz_witness_cmp(gconstpointer x, gconstpointer y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

size_t viz_witness_steps(const VizAuthority *a, uint32_t f, uint32_t **out)
{
    GArray *steps = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_array_append_val(stack, f);
    while (stack->len) {
        uint32_t x = g_array_index(stack, uint32_t, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        const VizFact *fx = viz_authority_fact(a, x);
        if (!fx || g_hash_table_contains(seen, GUINT_TO_POINTER(x + 1)))
            continue;
        g_hash_table_add(seen, GUINT_TO_POINTER(x + 1));
        g_array_append_val(steps, x);
        for (int i = 0; i < 2; i++)
            if (fx->prem[i] != VIZ_NOFACT)
                g_array_append_val(stack, fx->prem[i]);
    }
    g_array_sort(steps, viz_witness_cmp);
    size_t n = steps->len;
    *out = malloc((n ? n : 1) * sizeof **out);
    memcpy(*out, steps->data, n * sizeof **out);
    g_array_free(steps, TRUE);
    g_array_free(stack, TRUE);
    g_hash_table_destroy(seen);
    return n;
}

static const char *viz_witness_d(const VizAuthority *a, uint32_t i, char *buf,
                                 size_t len)
{
    if (i == VIZ_NOFACT) {
        snprintf(buf, len, "?");
        return buf;
    }
    viz_graph_describe(viz_authority_graph(a), i, buf, len);
    return buf;
}

/* The subject of a fact: pooled facts hold for a whole flow cycle. */
static const char *viz_witness_subject(const VizAuthority *a, const VizFact *f,
                                       char *buf, size_t len)
{
    viz_witness_d(a, f->subj, buf, len);
    if (f->pooled && f->rule != VIZ_RULE_HANDLE && f->rule != VIZ_RULE_MAPPING &&
        f->rule != VIZ_RULE_NAMESPACE && viz_authority_pool_size(a, f->subj) > 1) {
        size_t at = strlen(buf);
        snprintf(buf + at, len - at, " (and the processes it exchanges handles with)");
    }
    return buf;
}

/* The entry name of a directory node (the last part of its path). */
static const char *viz_witness_entry(const VizAuthority *a, uint32_t node)
{
    const char *path = viz_graph_node(viz_authority_graph(a), node)->name;
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void viz_witness_hold_sentence(const VizAuthority *a, const VizFact *f,
                                      const char *s, const char *o,
                                      const char *v, const char *r,
                                      char *buf, size_t len)
{
    const ExportSnapshot *snap = viz_graph_snapshot(viz_authority_graph(a));
    switch (f->rule) {
    case VIZ_RULE_HANDLE:
        snprintf(buf, len, "%s holds handle 0x%" PRIx32 " to %s with %s", s,
                 f->edge != VIZ_NOFACT ? snap->edges[f->edge].value : 0, o, r);
        break;
    case VIZ_RULE_MAPPING:
        snprintf(buf, len, "%s maps %s into its address space with %s", s, o, r);
        break;
    case VIZ_RULE_NAMESPACE:
        snprintf(buf, len, "%s has %s in its namespace (rights %s)", s, o, r);
        break;
    case VIZ_RULE_TRANSFER:
        snprintf(buf, len, "so %s can be sent a handle to %s with %s (TRANSFER) through %s", s, o, r, v);
        break;
    case VIZ_RULE_INFLIGHT:
        snprintf(buf, len, "%s reads %s, where a queued message carries a handle to %s with %s",
                 s, v, o, r);
        break;
    case VIZ_RULE_GET_CHILD:
        snprintf(buf, len, "%s enumerates %s: zx_object_get_child gives it %s with %s", s, v, o, r);
        break;
    case VIZ_RULE_VIA_CONTROL:
        snprintf(buf, len, "%s controls %s, which holds %s with %s: it can use it as its own",
                 s, v, o, r);
        break;
    case VIZ_RULE_DIR_OPEN:
        snprintf(buf, len, "%s can send open requests on %s, a connection to %s (rights %s)",
                 s, v, o, r);
        break;
    case VIZ_RULE_DIR_CHILD:
        snprintf(buf, len, "%s opens \"%s\" in %s: it reaches %s with %s", s,
                 viz_witness_entry(a, f->obj), v, o, r);
        break;
    case VIZ_RULE_DIR_REMOTE:
        snprintf(buf, len, "%s opens %s, a mount point its server forwards to another "
                 "server: it reaches %s with %s", s, v, o, r);
        break;
    case VIZ_RULE_DIR_DOTDOT:
        snprintf(buf, len, "accept_dotdot fault: %s opens \"..\" from %s and reaches %s with %s",
                 s, v, o, r);
        break;
    case VIZ_RULE_RIGHTS_FAULT:
        snprintf(buf, len, "skip_rights_subset fault: %s replaces its handle to %s asking "
                 "for more rights: it gets %s", s, o, r);
        break;
    case VIZ_RULE_OWNER_FAULT:
        snprintf(buf, len, "skip_owner_check fault: %s uses the handle %s holds to %s (%s)",
                 s, v, o, r);
        break;
    case VIZ_RULE_SHARE:
        snprintf(buf, len, "%s gets the handles %s can send it or that it controls, so it "
                 "reaches %s with %s too", s, v, o, r);
        break;
    default:
        snprintf(buf, len, "%s could hold %s with %s (%s)", s, o, r,
                 viz_authority_rule_name(f->rule));
    }
}

static void viz_witness_control_sentence(const VizAuthority *a, const VizFact *f,
                                         const char *s, const char *o,
                                         const char *v, char *buf, size_t len)
{
    switch (f->rule) {
    case VIZ_RULE_THREAD_INJECT:
        snprintf(buf, len, "%s holds %s with MANAGE_THREAD: it can create and start a thread "
                 "there running code of its choice, so it controls it", s, o);
        break;
    case VIZ_RULE_WRITE_MEMORY:
        snprintf(buf, len, "%s holds %s with WRITE and debugging syscalls are on: "
                 "zx_process_write_memory rewrites its code, so it controls it", s, o);
        break;
    case VIZ_RULE_THREAD_STATE:
        snprintf(buf, len, "%s holds %s with WRITE: zx_thread_write_state redirects it, "
                 "so it controls %s", s, v, o);
        break;
    case VIZ_RULE_EXCEPTION:
        snprintf(buf, len, "%s reads the exception channel through %s (made with WRITE on the "
                 "task): on an exception it can redirect a thread of %s", s, v, o);
        break;
    case VIZ_RULE_SHARED_CODE:
        snprintf(buf, len, "%s can write %s, which %s maps executable: it can change its code",
                 s, v, o);
        break;
    case VIZ_RULE_VMAR_MAP:
        snprintf(buf, len, "%s holds %s of %s with WRITE and EXECUTE: it can map code there",
                 s, v, o);
        break;
    case VIZ_RULE_TRANSITIVE:
        snprintf(buf, len, "%s controls %s, which controls %s", s, v, o);
        break;
    case VIZ_RULE_SHARE:
        snprintf(buf, len, "%s gets the handles %s can send it, so it controls %s too", s, v, o);
        break;
    default:
        snprintf(buf, len, "%s controls %s (%s)", s, o, viz_authority_rule_name(f->rule));
    }
}

void viz_witness_sentence(const VizAuthority *a, uint32_t id, char *buf,
                          size_t len)
{
    const VizFact *f = viz_authority_fact(a, id);
    char s[160], o[160], v[160], r[256];
    if (!f) {
        snprintf(buf, len, "(no such fact)");
        return;
    }
    viz_witness_subject(a, f, s, sizeof s);
    viz_witness_d(a, f->obj, o, sizeof o);
    viz_witness_d(a, f->via, v, sizeof v);
    viz_style_rights_plain(f->rights, r, sizeof r);
    switch (f->kind) {
    case VIZ_FACT_HOLD:
        viz_witness_hold_sentence(a, f, s, o, v, r, buf, len);
        break;
    case VIZ_FACT_CONTROL:
        viz_witness_control_sentence(a, f, s, o, v, buf, len);
        break;
    case VIZ_FACT_FLOW:
        if (f->rule == VIZ_RULE_VIA_CONTROL)
            snprintf(buf, len, "%s controls %s, so what %s can send on, %s has too", o, v, v, o);
        else if (f->rule == VIZ_RULE_SERVICE_FLOW)
            snprintf(buf, len, "%s and the server of %s can exchange channels: %s can send "
                     "handles to %s", s, v, s, o);
        else
            snprintf(buf, len, "%s can write %s and %s can read its peer: %s can send "
                     "handles to %s", s, v, o, s, o);
        break;
    case VIZ_FACT_CREATE:
        snprintf(buf, len, "%s can create %s%s%s in %s (%s%s)", s,
                 (f->rights & VIZ_CREATE_PROCESS) ? "processes" : "",
                 (f->rights & VIZ_CREATE_PROCESS) && (f->rights & VIZ_CREATE_JOB) ? " and " : "",
                 (f->rights & VIZ_CREATE_JOB) ? "child jobs" : "", o,
                 f->rule == VIZ_RULE_VIA_CONTROL ? "acting as " : "",
                 f->rule == VIZ_RULE_VIA_CONTROL ? v : "NEW_PROCESS is checked against its own policy");
        break;
    default:
        snprintf(buf, len, "(unknown fact kind)");
    }
}

char *viz_witness_text(const VizAuthority *a, uint32_t f)
{
    uint32_t *steps;
    size_t n = viz_witness_steps(a, f, &steps);
    GString *t = g_string_new(NULL);
    char line[1024];
    for (size_t i = 0; i < n; i++) {
        viz_witness_sentence(a, steps[i], line, sizeof line);
        g_string_append_printf(t, "  %zu. %s\n", i + 1, line);
    }
    free(steps);
    char *out = strdup(t->str);
    g_string_free(t, TRUE);
    return out;
}

/* ---- Drawing ----------------------------------------------------------------------*/

static void viz_witness_add(VizView *v, const VizGraph *g, uint32_t i,
                            const VizViewOptions *o)
{
    if (i != VIZ_NOFACT && i < viz_graph_nnodes(g))
        viz_view_add_graph_node(v, g, i, o);
}

VizView *viz_witness_view(const VizAuthority *a, uint32_t f, const char *title)
{
    const VizGraph *g = viz_authority_graph(a);
    VizViewOptions o;
    viz_view_options_default(&o);
    o.show_threads = false;
    uint32_t *steps;
    size_t n = viz_witness_steps(a, f, &steps);
    VizView *v = viz_view_new(title);
    for (size_t i = 0; i < n; i++) {
        const VizFact *x = viz_authority_fact(a, steps[i]);
        viz_witness_add(v, g, x->subj, &o);
        viz_witness_add(v, g, x->obj, &o);
        viz_witness_add(v, g, x->via, &o);
    }
    const ExportSnapshot *s = viz_graph_snapshot(g);
    for (size_t k = 0; k < s->nedges; k++) {
        const ExportEdge *e = &s->edges[k];
        if (e->kind == EXPORT_EDGE_HANDLE || !viz_view_find(v, e->src) || !viz_view_find(v, e->dst))
            continue;
        viz_view_add_graph_edge(v, g, e, &o)->color = "#bdbdbd";
    }
    for (size_t i = 0; i < n; i++) {
        const VizFact *x = viz_authority_fact(a, steps[i]);
        char r[160], label[200];
        viz_style_rights_plain(x->rights, r, sizeof r);
        if (x->kind == VIZ_FACT_HOLD)
            snprintf(label, sizeof label, "%zu. %s %s", i + 1, viz_authority_rule_name(x->rule), r);
        else
            snprintf(label, sizeof label, "%zu. %s", i + 1, x->kind == VIZ_FACT_FLOW ? "can send to"
                     : x->kind == VIZ_FACT_CONTROL ? "controls" : "can create in");
        VizViewEdge *e = viz_view_add_edge(v, viz_graph_node(g, x->subj)->id,
                                           viz_graph_node(g, x->obj)->id,
                                           EXPORT_EDGE_HANDLE, label);
        bool base = x->prem[0] == VIZ_NOFACT && x->prem[1] == VIZ_NOFACT;
        e->color = base ? "#000000" : VIZ_COLOR_WITNESS;
        e->style = x->kind == VIZ_FACT_FLOW ? "dashed" : x->kind == VIZ_FACT_CONTROL ? "bold" : "solid";
        e->penwidth = base ? 1.0 : 2.0;
    }
    char line[1024];
    for (size_t i = 0; i < n; i++) {
        viz_witness_sentence(a, steps[i], line, sizeof line);
        char *t = g_strdup_printf("%zu. %s", i + 1, line);
        viz_view_add_legend(v, i + 1 == n ? VIZ_COLOR_WITNESS : "#ffffff", t);
        g_free(t);
    }
    free(steps);
    return v;
}
