/* viz_view.h — what a picture shows: a chosen set of nodes and edges with
 * their labels, clusters and highlight colours, built from a snapshot
 * (full, focus, aggregated overview) or by the diff and witness modules.
 * viz_dot.c turns a view into a graphviz graph; nothing here knows about
 * graphviz. Flat header. Read next: viz_view.c.
 */
#ifndef CAPSIM_VIZ_VIEW_H
#define CAPSIM_VIZ_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viz_graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VizViewNode {
    uint64_t id;              /* snapshot id, or synthetic for aggregates */
    char *label;              /* owned */
    const char *type_name;    /* styling key ("process", "aggregate"...) */
    uint32_t kind;            /* ExportNodeKind */
    uint64_t cluster;         /* id of the job cluster it is drawn in (a job:
                                 its own); 0 = top level */
    bool is_job;              /* a job: opens its own cluster */
    uint64_t parent_cluster;  /* jobs: the cluster their cluster nests in */
    char *cluster_label;      /* jobs: cluster title (owned, may be NULL) */
    bool component;           /* jobs: the job of a component */
    const char *color;        /* outline override (static string) or NULL */
    bool dim;                 /* drawn faded (context, removed) */
    size_t count;             /* aggregates: how many nodes it stands for */
} VizViewNode;

typedef struct VizViewEdge {
    uint64_t src, dst;
    uint32_t kind;            /* ExportEdgeKind */
    char *label;              /* owned, may be NULL */
    const char *color;        /* override or NULL */
    const char *style;        /* override or NULL */
    double penwidth;          /* 0 = default */
} VizViewEdge;

typedef struct VizLegendEntry {
    const char *color;
    char *text;               /* owned */
} VizLegendEntry;

typedef struct VizView {
    char *title;              /* owned, may be NULL */
    VizViewNode *nodes;
    size_t nnodes, node_cap;
    VizViewEdge *edges;
    size_t nedges, edge_cap;
    VizLegendEntry *legend;   /* extra legend lines (diff, witness) */
    size_t nlegend;
    bool aggregated;          /* an overview: prefer a scalable layout */
    void *index;              /* id -> node position (private) */
} VizView;

typedef struct VizViewOptions {
    bool show_threads;        /* process -> thread nodes (default on) */
    bool show_vmars;          /* VMAR nodes and edges (default off) */
    bool show_values;         /* handle values on edge labels */
    bool hide_dead;           /* leave out dead tasks and their edges */
    size_t aggregate_above;   /* overview when more nodes; 0 = 1500 */
} VizViewOptions;

void viz_view_options_default(VizViewOptions *o);

VizView *viz_view_new(const char *title);
void viz_view_free(VizView *v);
/* Add a node of the snapshot (label and cluster computed from g); returns
 * its view node (valid until the next add). Adding twice is a no-op. */
VizViewNode *viz_view_add_graph_node(VizView *v, const VizGraph *g, size_t i,
                                     const VizViewOptions *o);
VizViewNode *viz_view_add_node(VizView *v, uint64_t id, const char *type_name,
                               const char *label, uint64_t cluster);
VizViewNode *viz_view_find(VizView *v, uint64_t id);
/* Add an edge of the snapshot with its standard label. */
VizViewEdge *viz_view_add_graph_edge(VizView *v, const VizGraph *g,
                                     const ExportEdge *e,
                                     const VizViewOptions *o);
VizViewEdge *viz_view_add_edge(VizView *v, uint64_t src, uint64_t dst,
                               uint32_t kind, const char *label);
void viz_view_add_legend(VizView *v, const char *color, const char *text);
/* Standard label of a snapshot edge ("default -W", "map R X", a path...). */
char *viz_view_edge_label(const VizGraph *g, const ExportEdge *e, bool values);

/* Every node and edge (aggregating when the graph is larger than
 * o->aggregate_above). */
VizView *viz_view_full(const VizGraph *g, const VizViewOptions *o);
/* `center` and what is within `hops` steps of it along edges (peers and
 * parents both ways), plus the job clusters they sit in. */
VizView *viz_view_focus(const VizGraph *g, size_t center, int hops,
                        const VizViewOptions *o);
/* Used by viz_aggregate.c: hidden by the options? */
bool viz_view_node_hidden(const ExportNode *n, const VizViewOptions *o);

/* Cluster (job id, 0 = top) a snapshot node belongs to: its own job for
 * tasks, the deepest job holding all its holders for objects. */
uint64_t viz_view_cluster_of(const VizGraph *g, size_t i);

#ifdef __cplusplus
}
#endif
#endif
