/* viz_aggregate.h — the overview of a large capability graph (10,000+
 * objects): jobs folded to a depth, processes and objects counted per job
 * and type, edges counted. Flat header. Read next: viz_aggregate.c.
 */
#ifndef CAPSIM_VIZ_AGGREGATE_H
#define CAPSIM_VIZ_AGGREGATE_H

#include "viz_view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Build the overview of g within o->aggregate_above nodes (0 = 1500). */
VizView *viz_aggregate_build(const VizGraph *g, const VizViewOptions *o);

#ifdef __cplusplus
}
#endif
#endif
