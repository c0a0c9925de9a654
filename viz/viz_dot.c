/* viz_dot.c — a view becomes a graphviz graph, then DOT text or a picture.
 *
 * What it models: the drawing step. The graph is built with libcgraph:
 * one subgraph "cluster_<koid>" per job in the view, nested like the job
 * tree (a component's job is filled green and titled with the component);
 * one node per view node, styled by type (viz_style.c); one edge per view
 * edge with its label and kind style, or the view's override colours (diff,
 * witness, focus). A legend cluster lists node types, rights abbreviations,
 * edge kinds and any view-specific entries, as one HTML-like table.
 *
 * Rendering runs libgvc in-process. Its plugins (core: svg/dot; layouts:
 * dot, neato/sfdp; pango: png/pdf through cairo) are loaded explicitly from
 * the graphviz plugin directory and handed to gvContextPlugins, so nothing
 * depends on the `dot -c` plugin cache of the machine and nothing shells
 * out. The context is made once per process and kept (see
 * viz_dot_context). Errors from graphviz are captured and returned.
 *
 * Invariants: node names are "n<id>" (ids unique in a view), cluster names
 * "cluster_<id>"; everything is added in view order, and cgraph ids follow
 * creation order (our id discipline, not host addresses), so DOT, SVG and
 * the other outputs are deterministic. Left out: interactive output formats (xdot, json of gvc).
 * Read next: viz_json.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <glib.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz_dot.h"
#include "viz_file.h"
#include "viz_style.h"

#if defined(__SANITIZE_ADDRESS__)
#define VIZ_DOT_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIZ_DOT_LSAN 1
#endif
#endif
#ifdef VIZ_DOT_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#ifndef VIZ_GV_PLUGIN_DIR
#define VIZ_GV_PLUGIN_DIR "/usr/lib/x86_64-linux-gnu/graphviz"
#endif

void viz_dot_options_default(VizDotOptions *o)
{
    memset(o, 0, sizeof *o);
    o->legend = true;
}

static const char *const viz_dot_format_names[] = {"dot", "svg", "png", "pdf", "json"};

bool viz_dot_format_parse(const char *name, VizFormat *out)
{
    for (int f = VIZ_FORMAT_DOT; f <= VIZ_FORMAT_JSON; f++)
        if (!g_ascii_strcasecmp(name, viz_dot_format_names[f])) {
            *out = (VizFormat)f;
            return true;
        }
    if (!g_ascii_strcasecmp(name, "gv")) {
        *out = VIZ_FORMAT_DOT;
        return true;
    }
    return false;
}

bool viz_dot_format_from_path(const char *path, VizFormat *out)
{
    const char *dot = strrchr(path, '.');
    return dot && !strchr(dot, '/') && viz_dot_format_parse(dot + 1, out);
}

const char *viz_dot_format_name(VizFormat f)
{
    return f <= VIZ_FORMAT_JSON ? viz_dot_format_names[f] : "unknown";
}

const char *viz_dot_format_list(bool pictures_only)
{
    static gsize made;
    static char lists[2][64]; /* [0] every format, [1] pictures */
    if (g_once_init_enter(&made)) {
        for (int pictures = 0; pictures < 2; pictures++)
            for (int f = VIZ_FORMAT_DOT; f <= VIZ_FORMAT_JSON; f++) {
                if (pictures && f == VIZ_FORMAT_JSON)
                    continue;
                if (*lists[pictures])
                    g_strlcat(lists[pictures], ", ", sizeof lists[pictures]);
                g_strlcat(lists[pictures], viz_dot_format_names[f], sizeof lists[pictures]);
            }
        g_once_init_leave(&made, 1);
    }
    return lists[pictures_only ? 1 : 0];
}

/* ---- Building the cgraph graph ---------------------------------------------*/

static void viz_dot_set(void *obj, const char *name, const char *value)
{
    agsafeset(obj, (char *)name, (char *)value, (char *)"");
}

/* A label shown as written. graphviz reads backslash escapes in plain
 * labels (\N node name, \G graph name, \l \r \n line ends...), and the
 * texts drawn here — process and object names, namespace paths, directory
 * entries — come from apps: doubling each backslash keeps them literal. A
 * label made only of line-end escapes even made neato, fdp and sfdp abort
 * the whole process (graphviz 2.42, an assertion in xlabels.c). Names may
 * hold any bytes; graphviz reads UTF-8 (and took bytes that are not as
 * Latin-1, swallowing the next character), so those become U+FFFD. */
static void viz_dot_set_text(void *obj, const char *name, const char *text)
{
    if (!strchr(text, '\\') && g_utf8_validate(text, -1, NULL)) {
        viz_dot_set(obj, name, text);
        return;
    }
    gchar *valid = g_utf8_make_valid(text, -1);
    GString *s = g_string_sized_new(strlen(valid) + 8);
    for (const char *c = valid; *c; c++) {
        if (*c == '\\')
            g_string_append_c(s, '\\');
        g_string_append_c(s, *c);
    }
    viz_dot_set(obj, name, s->str);
    g_string_free(s, TRUE);
    g_free(valid);
}

static char *viz_dot_html_escape(const char *s)
{
    GString *o = g_string_new(NULL);
    for (; *s; s++) {
        switch (*s) {
        case '&': g_string_append(o, "&amp;"); break;
        case '<': g_string_append(o, "&lt;"); break;
        case '>': g_string_append(o, "&gt;"); break;
        case '"': g_string_append(o, "&quot;"); break;
        case '\n': g_string_append(o, "<BR/>"); break;
        default: g_string_append_c(o, *s);
        }
    }
    return g_string_free(o, FALSE);
}

typedef struct VizDotBuild {
    Agraph_t *g;
    GHashTable *clusters;     /* job id -> Agraph_t* */
    GHashTable *nodes;        /* view id -> Agnode_t* */
} VizDotBuild;

static Agraph_t *viz_dot_cluster(VizDotBuild *b, uint64_t id)
{
    Agraph_t *c = id ? g_hash_table_lookup(b->clusters, &id) : NULL;
    return c ? c : b->g;
}

static void viz_dot_make_cluster(VizDotBuild *b, const VizViewNode *n)
{
    char name[48];
    snprintf(name, sizeof name, "cluster_%" PRIu64, n->id);
    Agraph_t *sub = agsubg(viz_dot_cluster(b, n->parent_cluster), name, 1);
    viz_dot_set_text(sub, "label", n->cluster_label ? n->cluster_label : "");
    viz_dot_set(sub, "style", n->component ? "filled,rounded" : "rounded");
    viz_dot_set(sub, "fillcolor", n->component ? "#f1f8e9" : "white");
    viz_dot_set(sub, "color", n->dim ? "#bdbdbd" : "#b58900");
    viz_dot_set(sub, "fontname", "Helvetica");
    viz_dot_set(sub, "fontsize", "11");
    g_hash_table_insert(b->clusters, g_memdup2(&n->id, sizeof n->id), sub);
}

static void viz_dot_node(VizDotBuild *b, const VizViewNode *n)
{
    char name[48];
    snprintf(name, sizeof name, "n%" PRIu64, n->id);
    Agnode_t *an = agnode(viz_dot_cluster(b, n->cluster), name, 1);
    VizNodeStyle st = viz_style_for_type_name(n->type_name);
    if (n->kind == EXPORT_NODE_INFLIGHT)
        st.shape = "note";
    viz_dot_set_text(an, "label", n->label ? n->label : "");
    viz_dot_set(an, "shape", st.shape);
    viz_dot_set(an, "style", n->dim ? "filled,dashed" : "filled");
    viz_dot_set(an, "fillcolor", n->dim ? "#fafafa" : st.fill);
    viz_dot_set(an, "color", n->color ? n->color : st.border);
    if (n->color)
        viz_dot_set(an, "penwidth", "2.5");
    if (n->dim)
        viz_dot_set(an, "fontcolor", "#9e9e9e");
    if (n->count > 1)
        viz_dot_set(an, "peripheries", "2");
    g_hash_table_insert(b->nodes, g_memdup2(&n->id, sizeof n->id), an);
}

static void viz_dot_edge(VizDotBuild *b, const VizViewEdge *e)
{
    Agnode_t *t = g_hash_table_lookup(b->nodes, &e->src);
    Agnode_t *h = g_hash_table_lookup(b->nodes, &e->dst);
    if (!t || !h)
        return;
    Agedge_t *ae = agedge(b->g, t, h, NULL, 1);
    VizEdgeStyle st = viz_style_edge(e->kind);
    viz_dot_set(ae, "color", e->color ? e->color : st.color);
    viz_dot_set(ae, "style", e->style ? e->style : st.style);
    viz_dot_set(ae, "arrowhead", st.arrowhead);
    if (e->label)
        viz_dot_set_text(ae, "label", e->label);
    if (e->color)
        viz_dot_set(ae, "fontcolor", e->color);
    if (e->kind == EXPORT_EDGE_PEER || e->kind == EXPORT_EDGE_MEMBER)
        viz_dot_set(ae, "dir", "none");
    /* no constraint=false on peers: graphviz 2.42's dot frees some of its
     * layout twice with it on edges between clusters */
    char pw[16];
    if (e->penwidth > 0) {
        snprintf(pw, sizeof pw, "%.1f", e->penwidth);
        viz_dot_set(ae, "penwidth", pw);
    }
}

static void viz_dot_legend_rows(GString *h, const VizView *v)
{
    size_t nt, nr;
    const char *const *types = viz_style_legend_types(&nt);
    const VizRightAbbrev *ab = viz_style_abbrevs(&nr);
    g_string_append(h, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">"
                       "<TR><TD COLSPAN=\"4\"><B>legend</B></TD></TR>");
    for (size_t i = 0; i < nt; i += 2) {
        g_string_append(h, "<TR>");
        for (size_t j = i; j < i + 2; j++) {
            if (j >= nt) {
                g_string_append(h, "<TD></TD><TD></TD>");
                continue;
            }
            VizNodeStyle st = viz_style_for_type_name(types[j]);
            g_string_append_printf(h, "<TD BGCOLOR=\"%s\"> </TD><TD ALIGN=\"LEFT\">%s (%s)</TD>",
                                   st.fill, types[j], st.shape);
        }
        g_string_append(h, "</TR>");
    }
    g_string_append(h, "<TR><TD COLSPAN=\"4\"><B>rights on handle edges</B> "
                       "(default = the type's default rights; -X = dropped)</TD></TR>");
    for (size_t i = 0; i < nr; i += 2) {
        g_string_append(h, "<TR>");
        for (size_t j = i; j < i + 2; j++)
            if (j < nr)
                g_string_append_printf(h, "<TD>%s</TD><TD ALIGN=\"LEFT\">%s</TD>",
                                       ab[j].abbrev, ab[j].name);
            else
                g_string_append(h, "<TD></TD><TD></TD>");
        g_string_append(h, "</TR>");
    }
    g_string_append(h, "<TR><TD COLSPAN=\"4\" ALIGN=\"LEFT\">black: handle; grey: job tree and "
                       "threads; dotted green: peers; dashed purple: mappings; "
                       "bold blue: namespace paths; bold red-purple: exception channels</TD></TR>");
    for (size_t i = 0; i < v->nlegend; i++) {
        char *t = viz_dot_html_escape(v->legend[i].text);
        g_string_append_printf(h, "<TR><TD BGCOLOR=\"%s\"> </TD><TD COLSPAN=\"3\" ALIGN=\"LEFT\">%s</TD></TR>",
                               v->legend[i].color, t);
        g_free(t);
    }
    g_string_append(h, "</TABLE>");
}

static void viz_dot_legend(VizDotBuild *b, const VizView *v)
{
    Agraph_t *sub = agsubg(b->g, (char *)"cluster_legend", 1);
    viz_dot_set(sub, "label", "");
    viz_dot_set(sub, "style", "invis");
    Agnode_t *n = agnode(sub, (char *)"legend", 1);
    GString *h = g_string_new(NULL);
    viz_dot_legend_rows(h, v);
    char *html = agstrdup_html(b->g, h->str);
    agsafeset(n, (char *)"label", html, (char *)"");
    agstrfree(b->g, html);
    g_string_free(h, TRUE);
    viz_dot_set(n, "shape", "plaintext");
    viz_dot_set(n, "fontsize", "9");
}

/* ---- Deterministic object ids ------------------------------------------
 * cgraph's default id discipline makes a named object's id the address of
 * its interned name, and orders subgraphs (clusters) by id: output order
 * would follow the host's allocator. Ours numbers names in creation order
 * (even ids, as cgraph expects for named objects; odd for anonymous). */

typedef struct VizDotIds {
    Agraph_t *g;
    GHashTable *by_name;      /* name -> id */
    GPtrArray *names;         /* (id / 2 - 1) -> name (cgraph's refstrings,
                                 which agwrite inspects: never plain copies) */
    IDTYPE next_anon;
} VizDotIds;

static void *viz_dot_id_open(Agraph_t *g, Agdisc_t *d)
{
    VizDotIds *ids = g_new0(VizDotIds, 1);
    ids->g = g;
    ids->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    ids->names = g_ptr_array_new();
    ids->next_anon = 1;
    return ids;
}

static long viz_dot_id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    VizDotIds *ids = state;
    if (!str) {
        *id = ids->next_anon;
        ids->next_anon += 2;
        return 1;
    }
    gpointer found = g_hash_table_lookup(ids->by_name, str);
    if (found) {
        *id = (IDTYPE)GPOINTER_TO_SIZE(found);
        return 1;
    }
    if (!createflag)
        return 0;
    char *copy = agstrdup(ids->g, str);
    g_ptr_array_add(ids->names, copy);
    *id = (IDTYPE)(2 * ids->names->len);
    g_hash_table_insert(ids->by_name, copy, GSIZE_TO_POINTER((gsize)*id));
    return 1;
}

static long viz_dot_id_alloc(void *state, int objtype, IDTYPE id)
{
    return 1;
}

static void viz_dot_id_free(void *state, int objtype, IDTYPE id)
{
}

static char *viz_dot_id_print(void *state, int objtype, IDTYPE id)
{
    VizDotIds *ids = state;
    if (id % 2 || id == 0 || id / 2 > ids->names->len)
        return NULL;
    return g_ptr_array_index(ids->names, id / 2 - 1);
}

static void viz_dot_id_close(void *state)
{
    VizDotIds *ids = state;
    g_hash_table_destroy(ids->by_name);
    g_ptr_array_free(ids->names, TRUE);
    g_free(ids);
}

static void viz_dot_id_register(void *state, int objtype, void *obj)
{
}

static Agiddisc_t viz_dot_id_disc = {
    viz_dot_id_open, viz_dot_id_map, viz_dot_id_alloc, viz_dot_id_free,
    viz_dot_id_print, viz_dot_id_close, viz_dot_id_register,
};
static Agdisc_t viz_dot_disc = {&AgMemDisc, &viz_dot_id_disc, &AgIoDisc};

static Agraph_t *viz_dot_build(const VizView *v, const VizDotOptions *o)
{
    VizDotBuild b = {
        .g = agopen((char *)"capsim", Agdirected, &viz_dot_disc),
        .clusters = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
        .nodes = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
    };
    viz_dot_set(b.g, "fontname", "Helvetica");
    viz_dot_set_text(b.g, "label", v->title ? v->title : "");
    viz_dot_set(b.g, "labelloc", "t");
    agattr(b.g, AGNODE, (char *)"fontname", (char *)"Helvetica");
    agattr(b.g, AGNODE, (char *)"fontsize", (char *)"10");
    agattr(b.g, AGEDGE, (char *)"fontname", (char *)"Helvetica");
    agattr(b.g, AGEDGE, (char *)"fontsize", (char *)"9");
    if (v->aggregated) {
        viz_dot_set(b.g, "overlap", "prism");
        viz_dot_set(b.g, "outputorder", "edgesfirst");
    }
    /* Clusters first, parents before children (context jobs may have been
     * added to the view after the jobs below them). */
    bool *made = g_new0(bool, v->nnodes ? v->nnodes : 1);
    for (bool progress = true; progress;) {
        progress = false;
        for (size_t i = 0; i < v->nnodes; i++) {
            const VizViewNode *n = &v->nodes[i];
            if (!n->is_job || made[i])
                continue;
            const VizViewNode *parent = n->parent_cluster ? viz_view_find((VizView *)v, n->parent_cluster) : NULL;
            if (parent && parent->is_job && !g_hash_table_contains(b.clusters, &parent->id))
                continue;
            viz_dot_make_cluster(&b, n);
            made[i] = progress = true;
        }
    }
    g_free(made);
    for (size_t i = 0; i < v->nnodes; i++)
        viz_dot_node(&b, &v->nodes[i]);
    for (size_t i = 0; i < v->nedges; i++)
        viz_dot_edge(&b, &v->edges[i]);
    if (!o || o->legend)
        viz_dot_legend(&b, v);
    g_hash_table_destroy(b.clusters);
    g_hash_table_destroy(b.nodes);
    return b.g;
}

/* ---- Rendering ----------------------------------------------------------------*/

static char viz_dot_errbuf[512];

static int viz_dot_collect_error(char *msg)
{
    size_t at = strlen(viz_dot_errbuf);
    if (at < sizeof viz_dot_errbuf - 1)
        snprintf(viz_dot_errbuf + at, sizeof viz_dot_errbuf - at, "%s", msg);
    return 0;
}

/* One context for the whole process: the pango plugin keeps pointers into
 * the context's font table between renders, so freeing a context and
 * making another would leave it reading freed memory. */
static GVC_t *viz_dot_context(char *err, size_t errlen)
{
    static const char *const plugins[] = {"core", "dot_layout", "neato_layout", "pango"};
    static lt_symlist_t syms[5];
    static bool loaded;
    static GVC_t *gvc;
    if (gvc)
        return gvc;
    if (!loaded) {
        size_t n = 0;
        for (size_t i = 0; i < 4; i++) {
            char path[512], sym[96];
            snprintf(path, sizeof path, "%s/libgvplugin_%s.so.6", VIZ_GV_PLUGIN_DIR, plugins[i]);
            void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
            if (!h) {
                snprintf(path, sizeof path, "%s/libgvplugin_%s.so", VIZ_GV_PLUGIN_DIR, plugins[i]);
                h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
            }
            if (!h) {
                snprintf(err, errlen, "graphviz plugin %s not found in %s (install libgraphviz-dev)",
                         plugins[i], VIZ_GV_PLUGIN_DIR);
                return NULL;
            }
            snprintf(sym, sizeof sym, "gvplugin_%s_LTX_library", plugins[i]);
            syms[n].name = g_intern_string(sym);
            syms[n].address = dlsym(h, sym);
            if (!syms[n].address) {
                snprintf(err, errlen, "graphviz plugin %s has no symbol %s", path, sym);
                return NULL;
            }
            n++;
        }
        loaded = true;
    }
    gvc = gvContextPlugins(syms, 0);
    return gvc;
}

static const char *viz_dot_engine(const VizView *v, const VizDotOptions *o)
{
    if (o && o->engine)
        return o->engine;
    return (v->aggregated || v->nnodes > 300) ? "sfdp" : "dot";
}

static int viz_dot_write_source(Agraph_t *g, char **data, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return -1;
    agwrite(g, f);
    fclose(f);
    *data = buf;
    *len = n;
    return 0;
}

/* Lay g out with `engine` and render it: graphviz's buffer of *n bytes
 * (gvFreeRenderData frees it), or NULL and err. graphviz 2.43 leaks inside
 * these calls (the dot layout's cluster skeletons, parts of HTML-like
 * labels, the text of each bold span through pango): in AddressSanitizer
 * builds LeakSanitizer ignores what is allocated while they run, and only
 * that. A stack filter (tests/lsan.supp) cannot tell those apart: the
 * libraries keep no frame pointers, so ASan's fast unwinder records two
 * frames, the same as for a leak of ours through GLib; and its slow
 * unwinder cannot run on a simulated thread. */
static char *viz_dot_draw(GVC_t *gvc, Agraph_t *g, const char *engine, VizFormat f,
                          unsigned int *n, char *err, size_t errlen)
{
    char *out = NULL;
#ifdef VIZ_DOT_LSAN
    __lsan_disable();
#endif
    if (gvLayout(gvc, g, engine) != 0) {
        snprintf(err, errlen, "graphviz layout '%s' failed: %s", engine,
                 viz_dot_errbuf[0] ? viz_dot_errbuf : "unknown engine?");
    } else {
        if (gvRenderData(gvc, g, viz_dot_format_name(f), &out, n) != 0 || !out) {
            snprintf(err, errlen, "graphviz could not render %s: %s",
                     viz_dot_format_name(f), viz_dot_errbuf);
            out = NULL;
        }
        gvFreeLayout(gvc, g);
    }
#ifdef VIZ_DOT_LSAN
    __lsan_enable();
#endif
    return out;
}

int viz_dot_render(const VizView *v, const VizDotOptions *o, VizFormat f,
                   char **data, size_t *len, char *err, size_t errlen)
{
    if (f == VIZ_FORMAT_JSON || f > VIZ_FORMAT_JSON) {
        snprintf(err, errlen, "format %s is not a picture", viz_dot_format_name(f));
        return -1;
    }
    viz_dot_errbuf[0] = '\0';
    agusererrf old = agseterrf(viz_dot_collect_error);
    Agraph_t *g = viz_dot_build(v, o);
    int rc = 0;
    if (f == VIZ_FORMAT_DOT) {
        rc = viz_dot_write_source(g, data, len);
        if (rc)
            snprintf(err, errlen, "out of memory writing DOT");
    } else {
        GVC_t *gvc = viz_dot_context(err, errlen);
        unsigned int n = 0;
        char *out = gvc ? viz_dot_draw(gvc, g, viz_dot_engine(v, o), f, &n, err, errlen)
                        : NULL;
        if (!out) {
            rc = -1;
        } else {
            *data = malloc(n ? n : 1);
            memcpy(*data, out, n);
            *len = n;
            gvFreeRenderData(out);
        }
    }
    agclose(g);
    agseterrf(old);
    return rc;
}

int viz_dot_render_file(const VizView *v, const VizDotOptions *o,
                        VizFormat f, const char *path, char *err,
                        size_t errlen)
{
    char *data = NULL;
    size_t len = 0;
    if (viz_dot_render(v, o, f, &data, &len, err, errlen) != 0)
        return -1;
    int rc = viz_file_write(path, data, len, err, errlen);
    free(data);
    return rc;
}
