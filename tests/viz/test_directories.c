/* test_directories.c — directory trees in capability graphs: what the
 * sandbox layer exports (trees, connections, mount points) and what the
 * authority analysis derives through them.
 *
 * Setup: the component system of docs/sandbox.md (grant-all) with the
 * sb_probe package "reader": its sandbox asks for /dev/class/framebuffer
 * and the echo service only. It prints "parked" and waits forever, so the
 * final snapshot still has its namespace. A second package "other" is
 * installed, never launched: its files sit beside reader's in pkgfs.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <zircon/rights.h>
#include <zircon/types.h>

#include "sbtest.h"
#include "viz_authority.h"
#include "viz_components.h"
#include "viz_policycheck.h"
#include "viz_view.h"

typedef struct DirRun {
    SbTest *t;
    ExportSnapshot *s;
    VizGraph *g;
    VizAuthority *a;
    size_t reader;
} DirRun;

static DirRun dir_run(void)
{
    DirRun r = {.t = sbtest_new(1, NULL)};
    sbtest_package(r.t, "reader",
                   "{\"dev\": [\"class/framebuffer\"], \"services\": [\"fidl.examples.echo.Echo\"]}");
    sbtest_package(r.t, "other", NULL);
    cr_assert_eq(viz_components_watch(r.t->cm), 0);
    const char *ops[] = {"read:/pkg/data/hello", "park", NULL};
    char *err = NULL;
    CmComponent *c = sbtest_launch(r.t, NULL, "reader", ops, &err);
    cr_assert(c, "%s", err ? err : "");
    sbtest_run(r.t);
    char *out = sbtest_output(r.t, c);
    cr_assert(strstr(out, "parked"), "%s", out);
    free(out);
    r.s = export_snapshot(r.t->kernel);
    r.g = viz_graph_new(r.s);
    r.a = viz_authority_new(r.g, NULL, 0);
    char why[256];
    r.reader = viz_graph_find(r.g, "component:reader", why, sizeof why);
    cr_assert_neq(r.reader, VIZ_NONE, "%s", why);
    return r;
}

static void dir_free(DirRun *r)
{
    viz_authority_free(r->a);
    viz_graph_free(r->g);
    export_snapshot_free(r->s);
    viz_components_forget(r->t->cm);
    sbtest_free(r->t);
}

static size_t node(DirRun *r, const char *spec)
{
    char why[256];
    size_t i = viz_graph_find(r->g, spec, why, sizeof why);
    cr_assert_neq(i, VIZ_NONE, "%s", why);
    return i;
}

static const ExportEdge *edge_from(DirRun *r, size_t i, uint32_t kind)
{
    size_t n;
    const uint32_t *es = viz_graph_out(r->g, i, &n);
    for (size_t k = 0; k < n; k++)
        if (viz_graph_edge(r->g, es[k])->kind == kind)
            return viz_graph_edge(r->g, es[k]);
    return NULL;
}

/* Rights the reader could hold `spec` with (0: not at all). */
static uint32_t reach(DirRun *r, const char *spec)
{
    uint32_t f = viz_authority_can(r->a, r->reader, node(r, spec), 0);
    return f == VIZ_NOFACT ? 0 : viz_authority_fact(r->a, f)->rights;
}

Test(directories, trees_connections_and_mounts_are_exported)
{
    DirRun r = dir_run();
    /* pkgfs's tree, named where the system mounts it */
    size_t pkg = node(&r, "/pkgfs/packages/reader/0");
    const ExportNode *hello = viz_graph_node(r.g, node(&r, "/pkgfs/packages/reader/0/data/hello"));
    cr_expect_str_eq(hello->type_name, "file");
    cr_expect_eq(hello->max_rights & ZX_RIGHT_WRITE, 0, "pkgfs is read-only");
    cr_expect_neq(hello->max_rights & ZX_RIGHT_EXECUTE, 0, "pkgfs is executable");
    /* the reader's /pkg entry is a channel whose server speaks for /pkg */
    size_t proc = node(&r, "process:reader");
    size_t n;
    const uint32_t *es = viz_graph_out(r.g, proc, &n);
    const ExportEdge *ns = NULL;
    for (size_t k = 0; k < n; k++) {
        const ExportEdge *e = viz_graph_edge(r.g, es[k]);
        if (e->kind == EXPORT_EDGE_NAMESPACE && !strcmp(e->label, "/pkg"))
            ns = e;
    }
    cr_assert(ns, "no /pkg namespace entry");
    const ExportEdge *conn = edge_from(&r, viz_graph_index(r.g, ns->dst), EXPORT_EDGE_DIR_CONN);
    cr_assert(conn);
    cr_expect_eq(viz_graph_index(r.g, conn->dst), pkg);
    cr_expect_eq(conn->rights, ZX_RIGHT_READ | ZX_RIGHT_EXECUTE | ZX_RIGHT_ENUMERATE);
    /* appmgr's /svc for the reader: one mount point, forwarded to echo's node */
    const ExportEdge *mount = NULL;
    for (size_t i = 0; i < viz_graph_nnodes(r.g) && !mount; i++) {
        const ExportNode *x = viz_graph_node(r.g, i);
        if (!strncmp(x->name, "appmgr/svc#", 11) && strstr(x->name, "/fidl.examples.echo.Echo"))
            mount = edge_from(&r, i, EXPORT_EDGE_DIR_REMOTE);
    }
    cr_assert(mount, "no mount point for the echo service");
    cr_expect_eq(viz_graph_index(r.g, mount->dst), node(&r, "/svc/fidl.examples.echo.Echo"));
    cr_expect_str_eq(viz_graph_node(r.g, viz_graph_index(r.g, mount->dst))->type_name, "service");
    dir_free(&r);
}

Test(directories, a_component_reaches_its_namespace_and_nothing_above_it)
{
    DirRun r = dir_run();
    cr_expect(reach(&r, "/pkgfs/packages/reader/0/data/hello") & ZX_RIGHT_READ);
    cr_expect(reach(&r, "/pkgfs/packages/reader/0/bin") & ZX_RIGHT_EXECUTE);
    cr_expect(reach(&r, "/dev/class/framebuffer/000"));
    cr_expect(reach(&r, "/svc/fidl.examples.echo.Echo"));
    /* ancestors, siblings and what the sandbox did not ask for */
    cr_expect_eq(reach(&r, "/pkgfs/packages"), 0);
    cr_expect_eq(reach(&r, "/pkgfs/packages/other/0/data/hello"), 0);
    cr_expect_eq(reach(&r, "/dev/class"), 0);
    cr_expect_eq(reach(&r, "/dev/class/input/000"), 0);
    cr_expect_eq(reach(&r, "/data"), 0);
    cr_expect_eq(reach(&r, "/svc/capsim.Secrets"), 0);
    cr_expect_eq(reach(&r, "job:sys"), 0, "the servers are trusted, not a way out");
    /* the witness names each step through the tree */
    uint32_t f = viz_authority_can(r.a, r.reader, node(&r, "/pkgfs/packages/reader/0/data/hello"), 0);
    char *w = viz_witness_text(r.a, f);
    cr_expect(strstr(w, "a connection to directory '/pkgfs/packages/reader/0'"), "%s", w);
    cr_expect(strstr(w, "opens \"data\" in directory '/pkgfs/packages/reader/0'"), "%s", w);
    cr_expect(strstr(w, "opens \"hello\" in directory '/pkgfs/packages/reader/0/data'"), "%s", w);
    free(w);
    f = viz_authority_can(r.a, r.reader, node(&r, "/svc/fidl.examples.echo.Echo"), 0);
    w = viz_witness_text(r.a, f);
    cr_expect(strstr(w, "a mount point its server forwards to another server"), "%s", w);
    free(w);
    dir_free(&r);
}

Test(directories, read_only_stays_read_only)
{
    DirRun r = dir_run();
    size_t hello = node(&r, "/pkgfs/packages/reader/0/data/hello");
    cr_expect_neq(viz_authority_can(r.a, r.reader, hello, ZX_RIGHT_READ), VIZ_NOFACT);
    cr_expect_eq(viz_authority_can(r.a, r.reader, hello, ZX_RIGHT_WRITE), VIZ_NOFACT);
    cr_expect_eq(viz_authority_can(r.a, r.reader, node(&r, "/pkgfs/packages/reader/0"),
                                   ZX_RIGHT_WRITE), VIZ_NOFACT);
    /* the framebuffer directory was granted R|W: its device keeps W */
    cr_expect_neq(viz_authority_can(r.a, r.reader, node(&r, "/dev/class/framebuffer/000"),
                                    ZX_RIGHT_WRITE), VIZ_NOFACT);
    dir_free(&r);
}

static size_t check(DirRun *r, const char *rules, char **report)
{
    char err[256];
    VizPolicy *p = viz_policycheck_parse(rules, "rules.txt", err, sizeof err);
    cr_assert(p, "%s", err);
    cr_assert_eq(viz_policycheck_bind(p, r->g, err, sizeof err), 0, "%s", err);
    size_t nb;
    const VizBehaviour *b = viz_policycheck_behaviours(p, &nb);
    VizAuthority *a = viz_authority_new(r->g, b, nb);
    VizViolation *v;
    size_t n = viz_policycheck_run(p, a, &v);
    *report = viz_policycheck_report(p, a, v, n);
    free(v);
    viz_authority_free(a);
    viz_policycheck_free(p);
    return n;
}

Test(directories, service_rules_answer_through_directories)
{
    DirRun r = dir_run();
    char *report;
    cr_expect_eq(check(&r, "deny component:reader reach /svc/capsim.Secrets\n", &report), 0,
                 "%s", report);
    free(report);
    cr_expect_eq(check(&r, "deny component:reader reach /svc/fidl.examples.echo.Echo\n", &report),
                 1);
    cr_expect(strstr(report, "VIOLATION of rules.txt:1"), "%s", report);
    cr_expect(strstr(report, "fidl.examples.echo.Echo"), "%s", report);
    cr_expect(strstr(report, "mount point"), "%s", report);
    free(report);
    /* without the default trust in the system's programs, the analysis is
     * as pessimistic as Take-Grant: the reader could get anything */
    cr_expect_eq(check(&r, "assume job:root untrusted\n"
                           "deny component:reader reach /svc/capsim.Secrets\n", &report), 1,
                 "%s", report);
    free(report);
    dir_free(&r);
}

Test(directories, trees_are_clusters_beside_their_servers)
{
    DirRun r = dir_run();
    VizViewOptions o;
    viz_view_options_default(&o);
    VizView *v = viz_view_full(r.g, &o);
    const ExportNode *root = viz_graph_node(r.g, node(&r, "/pkgfs"));
    VizViewNode *vn = viz_view_find(v, root->id);
    cr_assert(vn);
    cr_expect(vn->is_job, "a tree root opens a cluster");
    cr_expect_str_eq(vn->cluster_label, "tree /pkgfs");
    cr_expect_eq(vn->parent_cluster, viz_graph_node(r.g, node(&r, "job:sys"))->id);
    VizViewNode *hello = viz_view_find(v, viz_graph_node(r.g, node(&r,
                                       "/pkgfs/packages/reader/0/data/hello"))->id);
    cr_assert(hello);
    cr_expect_eq(hello->cluster, root->id);
    viz_view_free(v);
    dir_free(&r);
}

/* A synthetic tree of 1 + 3 + 3*20 entries; a connection into one leaf. */
Test(directories, large_trees_fold_what_nothing_points_into)
{
    ExportNode nodes[80];
    ExportEdge edges[80];
    size_t nn = 0, ne = 0;
    char names[80][48];
    memset(nodes, 0, sizeof nodes);
    memset(edges, 0, sizeof edges);
    uint64_t base = EXPORT_SYNTH_BASE;
    nodes[nn++] = (ExportNode){.id = 1, .kind = EXPORT_NODE_OBJECT, .type = ZX_OBJ_TYPE_CHANNEL,
                               .type_name = "channel", .name = "", .state = ""};
    nodes[nn++] = (ExportNode){.id = base, .kind = EXPORT_NODE_DIRECTORY,
                               .type_name = "directory", .name = "/big", .state = ""};
    for (int d = 0; d < 3; d++) {
        uint64_t dir = base + 1 + (uint64_t)d * 21;
        snprintf(names[nn], sizeof names[nn], "/big/d%d", d);
        nodes[nn++] = (ExportNode){.id = dir, .kind = EXPORT_NODE_DIRECTORY, .parent = base,
                                   .type_name = "directory", .name = names[nn - 1], .state = ""};
        for (int f = 0; f < 20; f++) {
            snprintf(names[nn], sizeof names[nn], "/big/d%d/f%d", d, f);
            nodes[nn++] = (ExportNode){.id = dir + 1 + (uint64_t)f, .kind = EXPORT_NODE_DIRECTORY,
                                       .parent = dir, .type_name = "file",
                                       .name = names[nn - 1], .state = ""};
        }
    }
    for (size_t i = 2; i < nn; i++)
        edges[ne++] = (ExportEdge){.kind = EXPORT_EDGE_DIR_CHILD, .src = nodes[i].parent,
                                   .dst = nodes[i].id, .label = ""};
    edges[ne++] = (ExportEdge){.kind = EXPORT_EDGE_DIR_CONN, .src = 1, .dst = base + 1 + 21 + 5,
                               .label = ""};
    ExportSnapshot *s = export_snapshot_build(nodes, nn, edges, ne);
    VizGraph *g = viz_graph_new(s);
    VizViewOptions o;
    viz_view_options_default(&o);
    VizView *v = viz_view_full(g, &o);
    /* root, d0..d2 and the connected leaf /big/d1/f4 stay; 59 leaves fold */
    cr_expect(viz_view_find(v, base + 1 + 21 + 5), "the connected leaf is kept");
    cr_expect_null(viz_view_find(v, base + 1 + 21 + 6));
    size_t folded = 0, aggregates = 0;
    for (size_t i = 0; i < v->nnodes; i++)
        if (v->nodes[i].count) {
            aggregates++;
            folded += v->nodes[i].count;
        }
    cr_expect_eq(aggregates, 3);
    cr_expect_eq(folded, 59);
    viz_view_free(v);
    viz_graph_free(g);
    export_snapshot_free(s);
}
