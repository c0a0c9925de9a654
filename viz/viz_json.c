/* viz_json.c — networkx node-link JSON of a capability-graph snapshot.
 *
 * What it models: the exchange format for notebooks and scripts:
 *   {"directed": true, "multigraph": true,
 *    "graph": {"time_ns", "trace_seq", "faults": [...], "label"},
 *    "nodes": [{"id": koid-or-synthetic, "kind", "type", "type_code",
 *               "name", "parent", "state", ...}],
 *    "links": [{"source", "target", "key", "kind", "rights",
 *               "rights_names", "rights_abbrev", "value", ...}]}
 * which networkx.node_link_graph() turns into a MultiDiGraph (edge keys are
 * the edge's position in the snapshot, unique). Every field is a plain
 * number or string so pandas can tabulate it.
 *
 * Invariants: members are written in a fixed order and nodes/links in
 * snapshot order, so equal snapshots give byte-identical files.
 * Left out: layout positions (they belong to a rendering, not the graph).
 * Read next: viz_diff.c.
 */
#include <errno.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz_file.h"
#include "viz_json.h"
#include "viz_style.h"

static void viz_json_int(JsonBuilder *b, const char *name, int64_t v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

/* Names come from apps (a process is named after its file): any bytes.
 * JSON is UTF-8, so bad bytes become U+FFFD. */
static void viz_json_str(JsonBuilder *b, const char *name, const char *v)
{
    gchar *valid = g_utf8_make_valid(v ? v : "", -1);
    json_builder_set_member_name(b, name);
    json_builder_add_string_value(b, valid);
    g_free(valid);
}

static void viz_json_graph(JsonBuilder *b, const ExportSnapshot *s,
                           const char *label)
{
    static const char *const faults[] = {
        "skip_rights_subset", "skip_owner_check", "no_handle_generation",
        "accept_dotdot", "skip_type_check", "debugging_syscalls"};
    json_builder_set_member_name(b, "graph");
    json_builder_begin_object(b);
    viz_json_str(b, "label", label);
    viz_json_int(b, "time_ns", s->time);
    viz_json_int(b, "trace_seq", (int64_t)s->trace_seq);
    json_builder_set_member_name(b, "faults");
    json_builder_begin_array(b);
    for (size_t i = 0; i < G_N_ELEMENTS(faults); i++)
        if (s->faults & (1u << i))
            json_builder_add_string_value(b, faults[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void viz_json_node(JsonBuilder *b, const ExportNode *n)
{
    json_builder_begin_object(b);
    viz_json_int(b, "id", (int64_t)n->id);
    viz_json_str(b, "kind", export_node_kind_name(n->kind));
    viz_json_str(b, "type", n->type_name);
    viz_json_int(b, "type_code", n->type);
    viz_json_str(b, "name", n->name);
    viz_json_int(b, "parent", (int64_t)n->parent);
    viz_json_str(b, "state", n->state);
    viz_json_int(b, "handle_count", n->handle_count);
    viz_json_int(b, "signals", n->signals);
    if (n->kind == EXPORT_NODE_INFLIGHT)
        viz_json_int(b, "object", (int64_t)n->object);
    if (n->policy_denied)
        viz_json_int(b, "policy_denied", n->policy_denied);
    if (n->max_rights)
        viz_json_int(b, "max_rights", n->max_rights);
    json_builder_end_object(b);
}

static void viz_json_link(JsonBuilder *b, const ExportEdge *e, size_t key)
{
    char names[512], abbrev[160];
    json_builder_begin_object(b);
    viz_json_int(b, "source", (int64_t)e->src);
    viz_json_int(b, "target", (int64_t)e->dst);
    viz_json_int(b, "key", (int64_t)key);
    viz_json_str(b, "kind", export_edge_kind_name(e->kind));
    viz_json_int(b, "rights", e->rights);
    viz_json_str(b, "rights_names", viz_style_rights_names(e->rights, names, sizeof names));
    viz_json_str(b, "rights_abbrev", viz_style_rights_plain(e->rights, abbrev, sizeof abbrev));
    viz_json_int(b, "value", e->value);
    if (e->arg0 || e->arg1) {
        viz_json_int(b, "arg0", (int64_t)e->arg0);
        viz_json_int(b, "arg1", (int64_t)e->arg1);
    }
    if (e->label && e->label[0])
        viz_json_str(b, "label", e->label);
    json_builder_end_object(b);
}

char *viz_json_snapshot(const ExportSnapshot *s, const char *label,
                        bool pretty, size_t *len)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "directed");
    json_builder_add_boolean_value(b, TRUE);
    json_builder_set_member_name(b, "multigraph");
    json_builder_add_boolean_value(b, TRUE);
    viz_json_graph(b, s, label);
    json_builder_set_member_name(b, "nodes");
    json_builder_begin_array(b);
    for (size_t i = 0; i < s->nnodes; i++)
        viz_json_node(b, &s->nodes[i]);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "links");
    json_builder_begin_array(b);
    for (size_t i = 0; i < s->nedges; i++)
        viz_json_link(b, &s->edges[i], i);
    json_builder_end_array(b);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    JsonGenerator *gen = json_generator_new();
    json_generator_set_pretty(gen, pretty);
    json_generator_set_root(gen, root);
    gsize n = 0;
    gchar *text = json_generator_to_data(gen, &n);
    char *out = malloc(n + 2);
    memcpy(out, text, n);
    out[n++] = '\n';
    out[n] = '\0';
    g_free(text);
    g_object_unref(gen);
    json_node_unref(root);
    g_object_unref(b);
    if (len)
        *len = n;
    return out;
}

int viz_json_write_file(const ExportSnapshot *s, const char *label,
                        const char *path, char *err, size_t errlen)
{
    size_t n = 0;
    char *text = viz_json_snapshot(s, label, true, &n);
    int rc = viz_file_write(path, text, n, err, errlen);
    free(text);
    return rc;
}
