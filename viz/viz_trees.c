/* viz_trees.c — directory trees in pictures.
 *
 * What it models: how a served tree (sandbox layer, export_add_directory)
 * is drawn. Each tree is a cluster of its own, nested in the cluster of
 * the job its server runs in (the SERVES edge of its root), titled with
 * the server. A large tree (a pkgfs full of packages) would drown the
 * picture, so past VIZ_TREE_FOLD_ABOVE entries only what matters is kept:
 * the root and its entries, and every entry a connection, mount point or
 * namespace path points at, with the directories leading to it; every
 * other entry is counted under its nearest kept ancestor ("+N entries").
 *
 * Invariants: parents come before children in a snapshot (ids are handed
 * out depth first), so one pass in index order sees a parent's verdict
 * before its children's. Left out: folding by depth per tree.
 * Read next: viz_view.c.
 */
#include <glib.h>
#include <string.h>

#include "viz_trees.h"

bool viz_tree_is_entry(const VizGraph *g, size_t i)
{
    uint32_t kind = viz_graph_node(g, i)->kind;
    return kind == EXPORT_NODE_DIRECTORY || kind == EXPORT_NODE_SERVICE;
}

size_t viz_tree_root(const VizGraph *g, size_t i)
{
    for (size_t depth = 0; depth < 4096; depth++) {
        size_t p = viz_graph_parent(g, i);
        if (p == VIZ_NONE || !viz_tree_is_entry(g, p))
            return i;
        i = p;
    }
    return i;
}

size_t viz_tree_server_job(const VizGraph *g, size_t root)
{
    size_t n;
    const uint32_t *in = viz_graph_in(g, root, &n);
    for (size_t k = 0; k < n; k++) {
        const ExportEdge *e = viz_graph_edge(g, in[k]);
        size_t server = viz_graph_index(g, e->src);
        if (e->kind == EXPORT_EDGE_SERVES && server != VIZ_NONE)
            return viz_graph_parent(g, server);
    }
    return VIZ_NONE;
}

static int viz_tree_depth(const VizGraph *g, size_t i)
{
    int d = 0;
    for (size_t p = viz_graph_parent(g, i); p != VIZ_NONE && viz_tree_is_entry(g, p) && d < 4096;
         p = viz_graph_parent(g, p))
        d++;
    return d;
}

static bool viz_tree_pointed_at(const VizGraph *g, size_t i)
{
    size_t n;
    const uint32_t *in = viz_graph_in(g, i, &n);
    for (size_t k = 0; k < n; k++) {
        uint32_t kind = viz_graph_edge(g, in[k])->kind;
        if (kind == EXPORT_EDGE_DIR_CONN || kind == EXPORT_EDGE_DIR_REMOTE ||
            kind == EXPORT_EDGE_NAMESPACE)
            return true;
    }
    return false;
}

size_t viz_tree_fold(const VizGraph *g, size_t *folded)
{
    size_t nn = viz_graph_nnodes(g), nfolded = 0;
    size_t *size = g_new0(size_t, nn ? nn : 1);
    uint8_t *keep = g_new0(uint8_t, nn ? nn : 1);
    for (size_t i = 0; i < nn; i++) {
        folded[i] = VIZ_NONE;
        if (viz_tree_is_entry(g, i))
            size[viz_tree_root(g, i)]++;
    }
    for (size_t i = 0; i < nn; i++)
        if (viz_tree_is_entry(g, i) &&
            (size[viz_tree_root(g, i)] <= VIZ_TREE_FOLD_ABOVE || viz_tree_depth(g, i) <= 1 ||
             viz_tree_pointed_at(g, i)))
            for (size_t p = i; p != VIZ_NONE && viz_tree_is_entry(g, p) && !keep[p];
                 p = viz_graph_parent(g, p))
                keep[p] = 1;
    for (size_t i = 0; i < nn; i++) {
        if (!viz_tree_is_entry(g, i) || keep[i])
            continue;
        size_t p = viz_graph_parent(g, i);
        folded[i] = keep[p] ? p : folded[p];
        nfolded++;
    }
    g_free(size);
    g_free(keep);
    return nfolded;
}
