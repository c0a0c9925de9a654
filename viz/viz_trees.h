/* viz_trees.h — directory trees in pictures: which tree a directory node
 * belongs to, which job its server runs in (so the tree is drawn as a
 * cluster beside its server), and folding the parts of a large tree that
 * nothing points into. Flat header. Read next: viz_trees.c.
 */
#ifndef CAPSIM_VIZ_TREES_H
#define CAPSIM_VIZ_TREES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viz_graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Is node i a directory, file, mount or service of a served tree? */
bool viz_tree_is_entry(const VizGraph *g, size_t i);
/* Index of the root of the tree holding entry i. */
size_t viz_tree_root(const VizGraph *g, size_t i);
/* Index of the job the tree's server runs in (VIZ_NONE if unknown). */
size_t viz_tree_server_job(const VizGraph *g, size_t root);

/* Trees with more than VIZ_TREE_FOLD_ABOVE entries keep their root, its
 * entries and every entry something points at
 * (a connection, a mount, a namespace path) with its ancestors; the rest
 * is folded. folded[i] (n nodes) is then the index of the kept entry it
 * is counted under, VIZ_NONE for kept nodes. Returns how many folded. */
#define VIZ_TREE_FOLD_ABOVE 40
size_t viz_tree_fold(const VizGraph *g, size_t *folded);

#ifdef __cplusplus
}
#endif
#endif
