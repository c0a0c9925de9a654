/* viz_graph.h — an index over one snapshot (model/export.h): node lookup
 * by id, out- and in-edge lists, and finding nodes from the names people
 * type ("process:client", "job:root", "koid:12", "/svc/fuchsia.Echo").
 * Every list is in snapshot order (ids ascending), so every walk over a
 * VizGraph is deterministic. Flat header. Read next: viz_graph.c.
 */
#ifndef CAPSIM_VIZ_GRAPH_H
#define CAPSIM_VIZ_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIZ_NONE ((size_t)-1)

typedef struct VizGraph VizGraph;

/* Index `s` (not copied: it must outlive the graph). NULL on no memory. */
VizGraph *viz_graph_new(const ExportSnapshot *s);
void viz_graph_free(VizGraph *g);
const ExportSnapshot *viz_graph_snapshot(const VizGraph *g);
size_t viz_graph_nnodes(const VizGraph *g);
const ExportNode *viz_graph_node(const VizGraph *g, size_t i);
const ExportEdge *viz_graph_edge(const VizGraph *g, size_t i);
/* Index of the node with `id`, VIZ_NONE if absent. */
size_t viz_graph_index(const VizGraph *g, uint64_t id);
/* Node index of edge e's source / target (VIZ_NONE if not a node). */
size_t viz_graph_edge_src(const VizGraph *g, size_t e);
size_t viz_graph_edge_dst(const VizGraph *g, size_t e);
/* Edge indices leaving / entering node i, in snapshot edge order. */
const uint32_t *viz_graph_out(const VizGraph *g, size_t i, size_t *n);
const uint32_t *viz_graph_in(const VizGraph *g, size_t i, size_t *n);
/* Index of node i's parent (job, process, endpoint...), VIZ_NONE if none. */
size_t viz_graph_parent(const VizGraph *g, size_t i);
/* True if job index `anc` is `job` or one of its ancestors. */
bool viz_graph_job_contains(const VizGraph *g, size_t anc, size_t job);

/* Find a node from a spec:
 *   "koid:N" or "N"          the object with that koid
 *   "TYPE:NAME"              lowest-koid node of that type name with that
 *                            name ("process:client", "job:root" (the root
 *                            job), "component:echo", "channel:ep")
 *   "/path"                  directory or service with that path
 *   "NAME"                   the lowest-koid process so named, else job,
 *                            else component
 * Returns VIZ_NONE and writes why into err (naming the spec) otherwise. */
size_t viz_graph_find(const VizGraph *g, const char *spec, char *err,
                      size_t errlen);
/* A short human name: "process 'client' (koid 5)". */
void viz_graph_describe(const VizGraph *g, size_t i, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
