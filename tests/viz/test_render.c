/* test_render.c — rendering: DOT text built with libcgraph, SVG (parsed as
 * XML), PNG and PDF (magic numbers) through libgvc, the legend, focus
 * views, the overview of a 10,000+ node graph with sfdp, networkx JSON
 * (read back with networkx when it is installed), format names, and job
 * clusters titled with what their policy denies. Files go to a scratch
 * folder that is removed afterwards (vtest_scratch), never the current
 * directory. */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zircon/syscalls/policy.h>

#include "viz_aggregate.h"
#include "viz_dot.h"
#include "viz_file.h"
#include "viz_json.h"
#include "viz_style.h"
#include "viz_synth.h"
#include "vtest.h"

static char *render(const VizView *v, VizFormat f, size_t *len)
{
    VizDotOptions o;
    viz_dot_options_default(&o);
    char *data = NULL, err[512];
    int rc = viz_dot_render(v, &o, f, &data, len, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(data && *len > 0);
    return data;
}

static VizView *full_view(VTest *v, VizGraph **g)
{
    *g = viz_graph_new(vtest_end(v));
    VizViewOptions o;
    viz_view_options_default(&o);
    return viz_view_full(*g, &o);
}

Test(render, dot_source_has_clusters_styles_and_legend)
{
    VTest *t = vtest_transfer(2);
    VizGraph *g;
    VizView *v = full_view(t, &g);
    size_t len;
    char *dot = render(v, VIZ_FORMAT_DOT, &len);
    cr_expect(strstr(dot, "digraph capsim"), "%.200s", dot);
    cr_expect(strstr(dot, "subgraph cluster_"), "job clusters");
    cr_expect(strstr(dot, "job tests"), "cluster title");
    cr_expect(strstr(dot, "shape=folder") || strstr(dot, "shape=box"));
    cr_expect(strstr(dot, "cylinder"), "VMOs are cylinders");
    cr_expect(strstr(dot, "legend"), "legend node");
    cr_expect(strstr(dot, "MANAGE_THREAD"), "legend explains abbreviations");
    cr_expect(strstr(dot, "in flight"), "in-flight handle node");
    cr_expect(strstr(dot, "map R W"), "mapping edge label");
    free(dot);
    viz_view_free(v);
    viz_graph_free(g);
    vtest_free(t);
}

static bool svg_parses(const char *text, size_t len)
{
    /* A well-formed XML document: parse it with GLib's markup parser. */
    GMarkupParser p = {0};
    GMarkupParseContext *ctx = g_markup_parse_context_new(&p, 0, NULL, NULL);
    const char *start = strstr(text, "<svg");
    bool ok = start && g_markup_parse_context_parse(ctx, start, (gssize)(len - (size_t)(start - text)), NULL) &&
              g_markup_parse_context_end_parse(ctx, NULL);
    g_markup_parse_context_free(ctx);
    return ok;
}

Test(render, svg_png_pdf_are_valid_files, .init = vtest_scratch_init, .fini = vtest_scratch_fini)
{
    VTest *t = vtest_transfer(2);
    VizGraph *g;
    VizView *v = full_view(t, &g);
    size_t len;
    char *svg = render(v, VIZ_FORMAT_SVG, &len);
    cr_expect(svg_parses(svg, len), "SVG parses as XML");
    cr_expect(strstr(svg, "sender"));
    free(svg);
    char *png = render(v, VIZ_FORMAT_PNG, &len);
    cr_expect_geq(len, 8);
    cr_expect_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0, "PNG magic");
    free(png);
    char *pdf = render(v, VIZ_FORMAT_PDF, &len);
    cr_expect_eq(memcmp(pdf, "%PDF-", 5), 0, "PDF magic");
    free(pdf);
    /* and into a file */
    char err[512];
    VizDotOptions o;
    viz_dot_options_default(&o);
    char *path = vtest_scratch("render_test.svg");
    cr_expect_eq(viz_dot_render_file(v, &o, VIZ_FORMAT_SVG, path, err, sizeof err), 0, "%s", err);
    char *back = vtest_read(path, &len);
    cr_expect(back && svg_parses(back, len));
    g_free(back);
    g_free(path);
    cr_expect_eq(viz_dot_render_file(v, &o, VIZ_FORMAT_SVG, "/no/such/dir/x.svg", err, sizeof err), -1);
    cr_expect(strstr(err, "/no/such/dir/x.svg"), "%s", err);
    viz_view_free(v);
    viz_graph_free(g);
    vtest_free(t);
}

Test(render, bad_engine_is_an_error_not_a_crash)
{
    VTest *t = vtest_transfer(2);
    VizGraph *g;
    VizView *v = full_view(t, &g);
    VizDotOptions o;
    viz_dot_options_default(&o);
    o.engine = "no-such-engine";
    char *data = NULL, err[512];
    size_t len;
    cr_expect_eq(viz_dot_render(v, &o, VIZ_FORMAT_SVG, &data, &len, err, sizeof err), -1);
    cr_expect(strstr(err, "no-such-engine"), "%s", err);
    viz_view_free(v);
    viz_graph_free(g);
    vtest_free(t);
}

Test(render, focus_keeps_k_hops)
{
    VTest *t = vtest_transfer(2);
    VizGraph *g = viz_graph_new(vtest_end(t));
    char err[256];
    size_t sender = viz_graph_find(g, "process:sender", err, sizeof err);
    cr_assert_neq(sender, VIZ_NONE);
    VizViewOptions o;
    viz_view_options_default(&o);
    VizView *one = viz_view_focus(g, sender, 1, &o);
    VizView *three = viz_view_focus(g, sender, 3, &o);
    cr_expect_lt(one->nnodes, three->nnodes);
    uint64_t receiver = viz_graph_node(g, viz_graph_find(g, "process:receiver", err, sizeof err))->id;
    cr_expect_null(viz_view_find(one, receiver), "the receiver is 3 hops away");
    cr_expect(viz_view_find(three, receiver));
    cr_expect_str_eq(viz_view_find(one, viz_graph_node(g, sender)->id)->color, VIZ_COLOR_FOCUS);
    size_t len;
    free(render(one, VIZ_FORMAT_SVG, &len));
    viz_view_free(one);
    viz_view_free(three);
    viz_graph_free(g);
    vtest_free(t);
}

Test(render, ten_thousand_objects_render_as_an_overview, .timeout = 120)
{
    VizSynthSpec spec;
    viz_synth_spec_for(12000, &spec);
    ExportSnapshot *s = viz_synth_system(&spec);
    cr_assert_geq(s->nnodes, 10000);
    VizGraph *g = viz_graph_new(s);
    VizViewOptions o;
    viz_view_options_default(&o);
    VizView *v = viz_view_full(g, &o);
    cr_expect(v->aggregated);
    cr_expect_leq(v->nnodes, 1500);
    bool counted = false;
    for (size_t i = 0; i < v->nnodes; i++)
        counted |= v->nodes[i].count > 1;
    cr_expect(counted, "aggregate nodes");
    size_t len;
    char *svg = render(v, VIZ_FORMAT_SVG, &len);
    cr_expect(svg_parses(svg, len));
    cr_expect(strstr(svg, " vmo") || strstr(svg, "vmo<"));
    free(svg);
    /* a focus view of one process in the big graph stays small */
    char err[256];
    size_t p = viz_graph_find(g, "process:c3-p4", err, sizeof err);
    cr_assert_neq(p, VIZ_NONE, "%s", err);
    VizView *f = viz_view_focus(g, p, 2, &o);
    cr_expect_lt(f->nnodes, 200);
    free(render(f, VIZ_FORMAT_SVG, &len));
    viz_view_free(f);
    viz_view_free(v);
    viz_graph_free(g);
    export_snapshot_free(s);
}

/* Names and paths come from apps and are drawn as written: graphviz's
 * backslash escapes (\N, \G, \l \r \n...) must not apply to them. A
 * label made only of line-end escapes on a self-loop, beside another
 * labelled edge, made neato (fdp, sfdp) abort the whole process. */
Test(render, labels_are_literal_text)
{
    VizView *v = viz_view_new("title \\G");
    viz_view_add_node(v, 1, "process", "server \\N", 0);
    viz_view_add_node(v, 2, "directory", "dir", 0);
    viz_view_add_edge(v, 1, 2, EXPORT_EDGE_SERVES, "serves");
    viz_view_add_edge(v, 1, 1, EXPORT_EDGE_HANDLE, "\\l\\r\\n");
    VizDotOptions o;
    viz_dot_options_default(&o);
    const char *engines[] = {"dot", "neato", "fdp", "sfdp"};
    for (size_t i = 0; i < 4; i++) {
        o.engine = engines[i];
        char *svg = NULL, err[512];
        size_t len;
        cr_assert_eq(viz_dot_render(v, &o, VIZ_FORMAT_SVG, &svg, &len, err, sizeof err), 0,
                     "%s: %s", engines[i], err);
        cr_expect(strstr(svg, "server \\N"), "%s: node label as written", engines[i]);
        cr_expect(strstr(svg, "title \\G"), "%s: title as written", engines[i]);
        cr_expect(strstr(svg, "\\l\\r\\n"), "%s: edge label as written", engines[i]);
        free(svg);
    }
    viz_view_free(v);
}

/* Names an app set may hold any bytes (zx_object_set_property). DOT and
 * the pictures are UTF-8: a byte that is not becomes U+FFFD, in the DOT
 * text as in the SVG, and the rest of the name stays. */
Test(render, names_that_are_not_utf8_are_repaired)
{
    VizView *v = viz_view_new("title");
    viz_view_add_node(v, 1, "event", "ev\xff\xfe" "ent", 0);
    VizDotOptions o;
    viz_dot_options_default(&o);
    const VizFormat formats[] = {VIZ_FORMAT_DOT, VIZ_FORMAT_SVG};
    for (size_t i = 0; i < 2; i++) {
        char *out = NULL, err[512];
        size_t len;
        cr_assert_eq(viz_dot_render(v, &o, formats[i], &out, &len, err, sizeof err), 0, "%s",
                     err);
        cr_expect(g_utf8_validate(out, (gssize)len, NULL), "format %zu: valid UTF-8", i);
        cr_expect(strstr(out, "ev\xef\xbf\xbd\xef\xbf\xbd" "ent"), "format %zu: %s", i, out);
        free(out);
    }
    viz_view_free(v);
}

Test(render, format_names)
{
    VizFormat f;
    cr_expect(viz_dot_format_parse("svg", &f) && f == VIZ_FORMAT_SVG);
    cr_expect(viz_dot_format_parse("PDF", &f) && f == VIZ_FORMAT_PDF);
    cr_expect_not(viz_dot_format_parse("gif", &f));
    cr_expect(viz_dot_format_from_path("out/graph.png", &f) && f == VIZ_FORMAT_PNG);
    cr_expect(viz_dot_format_from_path("x.json", &f) && f == VIZ_FORMAT_JSON);
    cr_expect_not(viz_dot_format_from_path("dir.svg/noext", &f));
}

Test(render, json_node_link_reads_back_in_networkx, .init = vtest_scratch_init,
     .fini = vtest_scratch_fini)
{
    VTest *t = vtest_transfer(2);
    char err[256];
    char *path = vtest_scratch("graph_test.json");
    cr_assert_eq(viz_json_write_file(vtest_end(t), "end", path, err, sizeof err), 0, "%s", err);
    size_t len;
    char *text = vtest_read(path, &len);
    cr_assert(text);
    cr_expect(strstr(text, "\"multigraph\" : true"));
    cr_expect(strstr(text, "\"links\""));
    cr_expect(strstr(text, "\"rights_names\""));
    g_free(text);
    /* networkx (python3-networkx, installed by setup.sh) builds the graph */
    const char *script = "/usr/bin/python3 -c \"import json,sys\n"
                     "try:\n import networkx as nx\nexcept ImportError:\n sys.exit(0)\n"
                     "d=json.load(open(sys.argv[1]))\n"
                     "g=nx.node_link_graph(d, edges='links') if nx.__version__>='3.4' else nx.node_link_graph(d)\n"
                     "assert g.is_multigraph() and g.is_directed()\n"
                     "assert g.number_of_nodes()==len(d['nodes'])>10\n"
                     "assert g.number_of_edges()==len(d['links'])\n"
                     "print('ok')\" ";
    char *quoted = g_shell_quote(path);
    char *py = g_strconcat(script, quoted, NULL);
    int status = system(py);
    cr_expect_eq(status, 0, "networkx read the file");
    g_free(py);
    g_free(quoted);
    g_free(path);
    vtest_free(t);
}

/* A job's cluster says what its policy denies, by Zircon's condition names;
 * all NEW_* conditions at once read NEW_ANY; a job denying nothing says
 * nothing more. */
Test(render, job_clusters_name_what_their_policy_denies)
{
    uint32_t every_new = 0;
    for (uint32_t c = ZX_POL_NEW_VMO; c <= ZX_POL_NEW_SAMPLER; c++)
        if (c != ZX_POL_AMBIENT_MARK_VMO_EXEC)
            every_new |= 1u << c;
    ExportNode nodes[] = {
        {.id = 1024, .type = ZX_OBJ_TYPE_JOB, .type_name = "job", .name = "root", .state = ""},
        {.id = 1025, .type = ZX_OBJ_TYPE_JOB, .type_name = "job", .name = "sandbox", .state = "",
         .parent = 1024, .policy_denied = (1u << ZX_POL_NEW_PROCESS) | (1u << ZX_POL_VMAR_WX)},
        {.id = 1026, .type = ZX_OBJ_TYPE_JOB, .type_name = "job", .name = "jail", .state = "",
         .parent = 1025, .policy_denied = every_new | (1u << ZX_POL_BAD_HANDLE)},
    };
    ExportSnapshot *s = export_snapshot_build(nodes, 3, NULL, 0);
    VizGraph *g = viz_graph_new(s);
    VizViewOptions o;
    viz_view_options_default(&o);
    VizView *v = viz_view_full(g, &o);
    size_t len;
    char *dot = render(v, VIZ_FORMAT_DOT, &len);
    cr_expect(strstr(dot, "\"job root (koid 1024)\""), "%s", dot);
    cr_expect(strstr(dot, "\"job sandbox (koid 1025), denies VMAR_WX, NEW_PROCESS\""), "%s", dot);
    cr_expect(strstr(dot, "\"job jail (koid 1026), denies NEW_ANY, BAD_HANDLE\""), "%s", dot);
    free(dot);
    viz_view_free(v);
    viz_graph_free(g);
    export_snapshot_free(s);
}

/* Output files are written whole or not at all (viz_file.c): a full disk
 * is an error naming the file; a regular file is replaced in one rename
 * (no temporary file left, its mode kept), a symbolic link stays one. */
Test(render, files_are_written_whole_or_not_at_all)
{
    char err[256] = "";
    cr_expect_eq(viz_file_write("/dev/full", "abc", 3, err, sizeof err), -1);
    cr_expect(strstr(err, "/dev/full: cannot write: ") && strstr(err, g_strerror(ENOSPC)), "%s", err);
    cr_expect_eq(viz_file_write("/no/such/dir/x.json", "abc", 3, err, sizeof err), -1);
    cr_expect(strstr(err, "/no/such/dir/x.json: cannot open for writing"), "%s", err);

    gchar *dir = g_dir_make_tmp("capsim-file-XXXXXX", NULL);
    gchar *path = g_build_filename(dir, "out.json", NULL);
    gchar *link = g_build_filename(dir, "link.json", NULL);
    cr_assert_eq(viz_file_write(path, "first", 5, err, sizeof err), 0, "%s", err);
    chmod(path, 0640);
    cr_assert_eq(symlink("out.json", link), 0);
    cr_assert_eq(viz_file_write(link, "second", 6, err, sizeof err), 0, "%s", err);
    gchar *text = NULL;
    cr_assert(g_file_get_contents(path, &text, NULL, NULL));
    cr_expect_str_eq(text, "second");
    g_free(text);
    struct stat st;
    cr_expect(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link stays a link");
    cr_expect(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640, "mode kept: %o", st.st_mode);
    GDir *d = g_dir_open(dir, 0, NULL);
    int entries = 0;
    while (g_dir_read_name(d))
        entries++;
    g_dir_close(d);
    cr_expect_eq(entries, 2, "no temporary file left behind");
    unlink(link);
    unlink(path);
    rmdir(dir);
    g_free(link);
    g_free(path);
    g_free(dir);
}
