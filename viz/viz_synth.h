/* viz_synth.h — synthetic capability-graph snapshots of a chosen size, for
 * benchmarks, rendering tests and demonstrations of large systems (no
 * kernel run needed). Flat header. Read next: viz_synth.c.
 */
#ifndef CAPSIM_VIZ_SYNTH_H
#define CAPSIM_VIZ_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VizSynthSpec {
    size_t jobs;              /* component jobs under "apps" */
    size_t procs_per_job;
    size_t objects_per_proc;  /* VMOs, events, ports with TRANSFER */
    size_t servers;           /* server processes in job "system" */
    int oneway_servers;       /* servers only read their channels (no WRITE):
                                 flows go client -> server, never back */
} VizSynthSpec;

/* A system shaped like a component platform: root job -> "system" job of
 * servers and "apps" job -> component jobs of processes. Each process has
 * a thread, a non-transferable handle to itself, its own objects, a
 * channel to its ring neighbour in the job and one to a server; the first
 * process of each job manages it (job handle without TRANSFER). */
ExportSnapshot *viz_synth_system(const VizSynthSpec *spec);
/* A spec giving about `nodes` nodes (jobs of 20 processes, 14 objects). */
void viz_synth_spec_for(size_t nodes, VizSynthSpec *out);

#ifdef __cplusplus
}
#endif
#endif
