/* viz_diff.c — the difference between two snapshots, with causes.
 *
 * What it models: how the capability graph moved between two moments of
 * a run. Edges are matched by a key that survives between snapshots:
 * (kind, source, target, handle value, mapping base), where objects are
 * named by koid and synthetic nodes by what they stand for (an in-flight
 * handle by its endpoint, object and rank in the queue; a directory by its
 * path; a component by its name). A handle that disappears while another
 * handle of the same holder to the same object appears with fewer rights
 * is one ATTENUATED change (zx_handle_replace); with more rights it is
 * AMPLIFIED, which only a fault switch allows.
 *
 * Causes: the trace records kept by the recorder between the two
 * snapshots are indexed by what they touch (handle_add/remove by process,
 * object and value; send/receive by object; object create/destroy by
 * koid; vmar_map calls by process). Each change names the latest matching
 * record and the syscall that was open on its thread then.
 *
 * Invariants: changes come in the order of the later snapshot's edges,
 * then removed ones in the order of the earlier one's: deterministic.
 * Left out: node attribute changes (names, states) other than edges.
 * Read next: viz_perfetto.c.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "viz_diff.h"
#include "viz_style.h"

/* ---- Keys ------------------------------------------------------------------*/

typedef struct VizDiffSide {
    const ExportSnapshot *s;
    GHashTable *node_key;     /* id (int64) -> key string */
    GHashTable *edges;        /* edge key -> ExportEdge* */
    GPtrArray *keys;          /* per edge, its key (owned) */
} VizDiffSide;

static void viz_diff_keys(VizDiffSide *d, const ExportSnapshot *s)
{
    d->s = s;
    d->node_key = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
    d->edges = g_hash_table_new(g_str_hash, g_str_equal);
    d->keys = g_ptr_array_new_with_free_func(g_free);
    GHashTable *rank = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < s->nnodes; i++) {
        const ExportNode *n = &s->nodes[i];
        char *k;
        if (n->kind == EXPORT_NODE_INFLIGHT) {
            char *base = g_strdup_printf("m%" PRIu64 ":%" PRIu64, n->parent, n->object);
            guint r = GPOINTER_TO_UINT(g_hash_table_lookup(rank, base));
            k = g_strdup_printf("%s:%u", base, r);
            g_hash_table_replace(rank, base, GUINT_TO_POINTER(r + 1));
        } else if (n->kind == EXPORT_NODE_OBJECT) {
            k = g_strdup_printf("k%" PRIu64, n->id);
        } else {
            k = g_strdup_printf("%c%s", n->kind == EXPORT_NODE_COMPONENT ? 'c' : 'd', n->name);
        }
        g_hash_table_insert(d->node_key, (gpointer)&n->id, k);
    }
    g_hash_table_destroy(rank);
    for (size_t i = 0; i < s->nedges; i++) {
        const ExportEdge *e = &s->edges[i];
        const char *sk = g_hash_table_lookup(d->node_key, &e->src);
        const char *dk = g_hash_table_lookup(d->node_key, &e->dst);
        char *key = g_strdup_printf("%u|%s|%s|%u|%" PRIu64 "|%s", e->kind, sk ? sk : "?",
                                    dk ? dk : "?", e->value,
                                    e->kind == EXPORT_EDGE_MAPPING ? e->arg0 : 0, e->label);
        g_ptr_array_add(d->keys, key);
        g_hash_table_insert(d->edges, key, (gpointer)e);
    }
}

static void viz_diff_side_free(VizDiffSide *d)
{
    g_hash_table_destroy(d->edges);
    g_hash_table_destroy(d->node_key);
    g_ptr_array_free(d->keys, TRUE);
}

/* ---- Causes --------------------------------------------------------------------*/

typedef struct VizCauses {
    const VizRecorder *rec;
    SimEngine *e;
    GHashTable *last;         /* "kind:a:b[:d]" -> record index + 1 */
    GHashTable *opened;       /* record index + 1 -> enclosing kernel_enter index + 1 */
} VizCauses;

static void viz_causes_note(VizCauses *c, char *key, size_t i)
{
    g_hash_table_replace(c->last, key, GSIZE_TO_POINTER(i + 1));
}

static void viz_causes_index(VizCauses *c, uint64_t from, uint64_t to)
{
    size_t n = sim_trace_count(c->e);
    GHashTable *open = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (size_t i = 0; i < n; i++) {
        const SimTraceRecord *r = sim_trace_get(c->e, i);
        if (r->seq >= to)
            break;
        if (r->kind == SIM_TR_KERNEL_ENTER)
            g_hash_table_insert(open, (gpointer)&r->thread, GSIZE_TO_POINTER(i + 1));
        else if (r->kind == SIM_TR_KERNEL_EXIT)
            g_hash_table_remove(open, &r->thread);
        if (r->seq < from)
            continue;
        gpointer enc = g_hash_table_lookup(open, &r->thread);
        if (enc)
            g_hash_table_insert(c->opened, GSIZE_TO_POINTER(i + 1), enc);
        switch (r->kind) {
        case KTR_HANDLE_ADD:
        case KTR_HANDLE_REMOVE:
            viz_causes_note(c, g_strdup_printf("%u:%" PRIu64 ":%" PRIu64 ":%" PRIu64, r->kind, r->a, r->b, r->d), i);
            viz_causes_note(c, g_strdup_printf("%u:%" PRIu64 ":%" PRIu64, r->kind, r->a, r->b), i);
            break;
        case KTR_HANDLE_SEND:
        case KTR_HANDLE_RECEIVE:
            viz_causes_note(c, g_strdup_printf("%u:%" PRIu64, r->kind, r->b), i);
            break;
        case KTR_OBJECT_CREATE:
        case KTR_OBJECT_DESTROY:
        case KTR_TASK_KILL:
            viz_causes_note(c, g_strdup_printf("%u:%" PRIu64, r->kind, r->a), i);
            break;
        case SIM_TR_KERNEL_ENTER: {
            VizThreadInfo ti;
            if (r->text && c->rec && viz_recorder_thread(c->rec, r->thread, &ti))
                viz_causes_note(c, g_strdup_printf("call:%s:%" PRIu64, r->text, ti.process_koid), i);
            break;
        }
        default:
            break;
        }
    }
    g_hash_table_destroy(open);
}

static void viz_causes_describe(VizCauses *c, size_t i, VizChange *ch)
{
    const SimTraceRecord *r = sim_trace_get(c->e, i);
    ch->cause_seq = r->seq;
    gpointer enc = g_hash_table_lookup(c->opened, GSIZE_TO_POINTER(i + 1));
    const SimTraceRecord *call = enc ? sim_trace_get(c->e, GPOINTER_TO_SIZE(enc) - 1) : NULL;
    if (r->kind == SIM_TR_KERNEL_ENTER)
        call = r;
    VizThreadInfo ti;
    char who[96] = "";
    if (c->rec && viz_recorder_thread(c->rec, r->thread, &ti))
        snprintf(who, sizeof who, " (%s)", ti.process_name);
    const char *kind = sim_trace_kind_name(c->e, r->kind);
    if (call && call->text)
        snprintf(ch->cause, sizeof ch->cause, "%" PRId64 " ns, thread %" PRIu64 "%s: zx_%s",
                 r->time, r->thread, who, call->text);
    else
        snprintf(ch->cause, sizeof ch->cause, "%" PRId64 " ns, %s%" PRIu64 "%s: %s", r->time,
                 r->thread ? "thread " : "engine ", r->thread, who, kind ? kind : "?");
}

static bool viz_causes_find(VizCauses *c, char *key, VizChange *ch)
{
    gpointer at = c->last ? g_hash_table_lookup(c->last, key) : NULL;
    g_free(key);
    if (!at)
        return false;
    viz_causes_describe(c, GPOINTER_TO_SIZE(at) - 1, ch);
    return true;
}

static void viz_diff_cause(VizCauses *c, VizChange *ch)
{
    ch->cause_seq = UINT64_MAX;
    snprintf(ch->cause, sizeof ch->cause, "between the snapshots");
    if (!c->last)
        return;
    bool added = ch->kind != VIZ_CHANGE_REMOVED;
    const ExportEdge *e = added ? &ch->after : &ch->before;
    uint32_t hk = added ? KTR_HANDLE_ADD : KTR_HANDLE_REMOVE;
    switch (e->kind) {
    case EXPORT_EDGE_HANDLE:
        if (viz_causes_find(c, g_strdup_printf("%u:%" PRIu64 ":%" PRIu64 ":%u", hk, e->src, e->dst, e->value), ch) ||
            viz_causes_find(c, g_strdup_printf("%u:%" PRIu64 ":%" PRIu64, hk, e->src, e->dst), ch) ||
            viz_causes_find(c, g_strdup_printf("%u:%" PRIu64, added ? KTR_HANDLE_SEND : KTR_HANDLE_RECEIVE, e->dst), ch))
            return;
        break;
    case EXPORT_EDGE_INFLIGHT:
        break; /* the in-flight node's own handle edge carries the cause */
    case EXPORT_EDGE_MAPPING:
        if (viz_causes_find(c, g_strdup_printf("call:%s:%" PRIu64, added ? "vmar_map" : "vmar_unmap", e->src), ch))
            return;
        break;
    default:
        break;
    }
    if (viz_causes_find(c, g_strdup_printf("%u:%" PRIu64, added ? KTR_OBJECT_CREATE : KTR_OBJECT_DESTROY, e->dst), ch))
        return;
    if (!added && !viz_causes_find(c, g_strdup_printf("%u:%" PRIu64, KTR_TASK_KILL, e->dst), ch))
        viz_causes_find(c, g_strdup_printf("%u:%" PRIu64, KTR_TASK_KILL, e->src), ch);
}

/* ---- Building ------------------------------------------------------------------*/

static void viz_diff_push(GArray *out, uint32_t kind, const ExportEdge *before,
                          const ExportEdge *after, VizCauses *c)
{
    VizChange ch;
    memset(&ch, 0, sizeof ch);
    ch.kind = kind;
    if (before)
        ch.before = *before;
    if (after)
        ch.after = *after;
    viz_diff_cause(c, &ch);
    g_array_append_val(out, ch);
}

/* A removed handle of the same holder to the same object, for pairing. */
static const ExportEdge *viz_diff_partner(VizDiffSide *sa, VizDiffSide *sb,
                                          const ExportEdge *e, GHashTable *used)
{
    for (size_t i = 0; i < sa->s->nedges; i++) {
        const ExportEdge *x = &sa->s->edges[i];
        if (x->kind != EXPORT_EDGE_HANDLE || x->src != e->src || x->dst != e->dst ||
            x->rights == e->rights || g_hash_table_contains(used, x) ||
            g_hash_table_contains(sb->edges, g_ptr_array_index(sa->keys, i)))
            continue;
        bool sub = (e->rights & x->rights) == e->rights, sup = (e->rights & x->rights) == x->rights;
        if (sub || sup)
            return x;
    }
    return NULL;
}

VizDiff *viz_diff_new(const ExportSnapshot *a, const ExportSnapshot *b,
                      const VizRecorder *rec)
{
    VizDiffSide sa, sb;
    viz_diff_keys(&sa, a);
    viz_diff_keys(&sb, b);
    VizCauses c = {.rec = rec};
    if (rec) {
        c.e = viz_recorder_engine(rec);
        c.last = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        c.opened = g_hash_table_new(g_direct_hash, g_direct_equal);
        viz_causes_index(&c, a->trace_seq, b->trace_seq);
    }
    GArray *out = g_array_new(FALSE, FALSE, sizeof(VizChange));
    GHashTable *used = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < b->nedges; i++) {
        if (g_hash_table_contains(sa.edges, g_ptr_array_index(sb.keys, i)))
            continue;
        const ExportEdge *e = &b->edges[i];
        const ExportEdge *old = e->kind == EXPORT_EDGE_HANDLE ? viz_diff_partner(&sa, &sb, e, used) : NULL;
        if (old) {
            g_hash_table_add(used, (gpointer)old);
            bool fewer = (e->rights & old->rights) == e->rights;
            viz_diff_push(out, fewer ? VIZ_CHANGE_ATTENUATED : VIZ_CHANGE_AMPLIFIED, old, e, &c);
        } else {
            viz_diff_push(out, VIZ_CHANGE_ADDED, NULL, e, &c);
        }
    }
    for (size_t i = 0; i < a->nedges; i++)
        if (!g_hash_table_contains(sb.edges, g_ptr_array_index(sa.keys, i)) &&
            !g_hash_table_contains(used, &a->edges[i]))
            viz_diff_push(out, VIZ_CHANGE_REMOVED, &a->edges[i], NULL, &c);
    g_hash_table_destroy(used);
    if (c.last) {
        g_hash_table_destroy(c.last);
        g_hash_table_destroy(c.opened);
    }
    viz_diff_side_free(&sa);
    viz_diff_side_free(&sb);
    VizDiff *d = g_new0(VizDiff, 1);
    d->a = a;
    d->b = b;
    d->n = out->len;
    d->changes = (VizChange *)(void *)g_array_free(out, FALSE);
    return d;
}

void viz_diff_free(VizDiff *d)
{
    if (!d)
        return;
    g_free(d->changes);
    g_free(d);
}

const char *viz_diff_kind_name(uint32_t kind)
{
    static const char *const names[] = {"added", "removed", "attenuated", "amplified"};
    return kind < 4 ? names[kind] : "?";
}

static void viz_diff_node(const ExportSnapshot *s, uint64_t id, char *buf, size_t len)
{
    const ExportNode *n = export_find_node(s, id);
    if (!n)
        snprintf(buf, len, "%" PRIu64, id);
    else if (n->kind == EXPORT_NODE_INFLIGHT)
        snprintf(buf, len, "in-flight %s %" PRIu64, n->type_name, n->object);
    else if (n->name[0])
        snprintf(buf, len, "%s %" PRIu64 " '%s'", n->type_name, n->id, n->name);
    else
        snprintf(buf, len, "%s %" PRIu64, n->type_name, n->id);
}

char *viz_diff_text(const VizDiff *d)
{
    GString *t = g_string_new(NULL);
    for (size_t i = 0; i < d->n; i++) {
        const VizChange *c = &d->changes[i];
        const ExportEdge *e = c->kind == VIZ_CHANGE_REMOVED ? &c->before : &c->after;
        const ExportSnapshot *s = c->kind == VIZ_CHANGE_REMOVED ? d->a : d->b;
        char src[160], dst[160], r1[160], r2[160];
        viz_diff_node(s, e->src, src, sizeof src);
        viz_diff_node(s, e->dst, dst, sizeof dst);
        g_string_append_printf(t, "%-10s %s %s -> %s", viz_diff_kind_name(c->kind),
                               export_edge_kind_name(e->kind), src, dst);
        if (c->kind == VIZ_CHANGE_ATTENUATED || c->kind == VIZ_CHANGE_AMPLIFIED)
            g_string_append_printf(t, " [%s] -> [%s]",
                                   viz_style_rights_plain(c->before.rights, r1, sizeof r1),
                                   viz_style_rights_plain(c->after.rights, r2, sizeof r2));
        else if (e->kind == EXPORT_EDGE_HANDLE || e->kind == EXPORT_EDGE_MAPPING)
            g_string_append_printf(t, " [%s]", viz_style_rights_plain(e->rights, r1, sizeof r1));
        g_string_append_printf(t, "  (%s)\n", c->cause);
    }
    if (!d->n)
        g_string_append(t, "no changes\n");
    char *out = strdup(t->str);
    g_string_free(t, TRUE);
    return out;
}

/* ---- Drawing ---------------------------------------------------------------------*/

static const char *viz_diff_color(uint32_t kind)
{
    static const char *const colors[] = {VIZ_COLOR_ADDED, VIZ_COLOR_REMOVED,
                                         VIZ_COLOR_ATTENUATED, VIZ_COLOR_AMPLIFIED};
    return kind < 4 ? colors[kind] : "#000000";
}

static void viz_diff_change_edge(VizView *v, const VizGraph *g, const VizChange *c,
                                 const VizViewOptions *o)
{
    const ExportEdge *e = c->kind == VIZ_CHANGE_REMOVED ? &c->before : &c->after;
    if (!viz_view_find(v, e->src) || !viz_view_find(v, e->dst))
        return;
    char *base = viz_view_edge_label(g, e, o->show_values);
    char sign = c->kind == VIZ_CHANGE_ADDED ? '+' : c->kind == VIZ_CHANGE_REMOVED ? '-' : '~';
    char *label = g_strdup_printf("%c %s\n%s", sign, base ? base : export_edge_kind_name(e->kind),
                                  c->cause);
    VizViewEdge *ve = viz_view_add_edge(v, e->src, e->dst, e->kind, label);
    ve->color = viz_diff_color(c->kind);
    ve->penwidth = 2.0;
    if (c->kind == VIZ_CHANGE_REMOVED)
        ve->style = "dashed";
    g_free(base);
    g_free(label);
}

static bool viz_diff_same(const ExportEdge *x, const ExportEdge *y)
{
    return x->kind == y->kind && x->src == y->src && x->dst == y->dst && x->value == y->value &&
           x->rights == y->rights && x->arg0 == y->arg0 && x->arg1 == y->arg1 && x->label == y->label;
}

static bool viz_diff_touches(const VizDiff *d, uint64_t id)
{
    for (size_t i = 0; i < d->n; i++) {
        const VizChange *c = &d->changes[i];
        const ExportEdge *e = c->kind == VIZ_CHANGE_REMOVED ? &c->before : &c->after;
        if (e->src == id || e->dst == id)
            return true;
    }
    return false;
}

VizView *viz_diff_view(const VizDiff *d, const VizViewOptions *o)
{
    VizGraph *ga = viz_graph_new(d->a), *gb = viz_graph_new(d->b);
    bool big = d->b->nnodes > (o->aggregate_above ? o->aggregate_above : 1500);
    char *title = g_strdup_printf("changes from %" PRId64 " ns to %" PRId64 " ns: %zu", d->a->time,
                                  d->b->time, d->n);
    VizView *v = viz_view_new(title);
    g_free(title);
    for (size_t i = 0; i < d->b->nnodes; i++)
        if (!viz_view_node_hidden(&d->b->nodes[i], o) && (!big || viz_diff_touches(d, d->b->nodes[i].id)))
            viz_view_add_graph_node(v, gb, i, o);
    for (size_t i = 0; i < d->n; i++) {
        const VizChange *c = &d->changes[i];
        if (c->kind != VIZ_CHANGE_REMOVED)
            continue;
        uint64_t ends[2] = {c->before.src, c->before.dst};
        for (int k = 0; k < 2; k++) {
            size_t ai = viz_graph_index(ga, ends[k]);
            if (ai == VIZ_NONE || viz_view_find(v, ends[k]))
                continue;
            VizViewNode *n = viz_view_add_graph_node(v, ga, ai, o);
            n->dim = true;
            n->color = VIZ_COLOR_REMOVED;
        }
    }
    GHashTable *changed = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < d->n; i++)
        if (d->changes[i].kind != VIZ_CHANGE_REMOVED)
            for (size_t k = 0; k < d->b->nedges; k++)
                if (viz_diff_same(&d->b->edges[k], &d->changes[i].after))
                    g_hash_table_add(changed, &d->b->edges[k]);
    for (size_t k = 0; k < d->b->nedges; k++) {
        const ExportEdge *e = &d->b->edges[k];
        if (g_hash_table_contains(changed, e) || !viz_view_find(v, e->src) || !viz_view_find(v, e->dst))
            continue;
        viz_view_add_graph_edge(v, gb, e, o)->color = "#9e9e9e";
    }
    g_hash_table_destroy(changed);
    for (size_t i = 0; i < d->n; i++)
        viz_diff_change_edge(v, d->changes[i].kind == VIZ_CHANGE_REMOVED ? ga : gb, &d->changes[i], o);
    viz_view_add_legend(v, VIZ_COLOR_ADDED, "+ added edge (label: the event that caused it)");
    viz_view_add_legend(v, VIZ_COLOR_REMOVED, "- removed edge / node (dashed, faded)");
    viz_view_add_legend(v, VIZ_COLOR_ATTENUATED, "~ attenuated: same object, fewer rights");
    viz_view_add_legend(v, VIZ_COLOR_AMPLIFIED, "~ amplified: more rights (needs a fault switch)");
    viz_graph_free(ga);
    viz_graph_free(gb);
    return v;
}
