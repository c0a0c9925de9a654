/* viz_diff.h — what changed between two snapshots of one run: edges added,
 * removed, attenuated (a handle to the same object with fewer rights) or
 * amplified (more rights: only with a fault switch), each labelled with the
 * trace event that caused it. Flat header. Read next: viz_diff.c.
 */
#ifndef CAPSIM_VIZ_DIFF_H
#define CAPSIM_VIZ_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "export.h"
#include "viz_recorder.h"
#include "viz_view.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum VizChangeKind {
    VIZ_CHANGE_ADDED = 0,
    VIZ_CHANGE_REMOVED,
    VIZ_CHANGE_ATTENUATED,
    VIZ_CHANGE_AMPLIFIED
} VizChangeKind;

typedef struct VizChange {
    uint32_t kind;            /* VizChangeKind */
    ExportEdge before;        /* in the first snapshot (not ADDED) */
    ExportEdge after;         /* in the second snapshot (not REMOVED) */
    uint64_t cause_seq;       /* trace record that caused it, UINT64_MAX if unknown */
    char cause[200];          /* "1200 ns, thread 3 (sender): zx_channel_write" */
} VizChange;

typedef struct VizDiff {
    const ExportSnapshot *a, *b;
    VizChange *changes;       /* sorted like edges of b (removed: of a) */
    size_t n;
} VizDiff;

/* Compare snapshots a (earlier) and b (later) of the run `rec` watched
 * (NULL: no causes). Edge labels (paths) in the result point into a and b. */
VizDiff *viz_diff_new(const ExportSnapshot *a, const ExportSnapshot *b,
                      const VizRecorder *rec);
void viz_diff_free(VizDiff *d);
const char *viz_diff_kind_name(uint32_t kind);
/* The changes as text, one per line (malloc'ed). */
char *viz_diff_text(const VizDiff *d);
/* A view of b with the changes drawn in colour (removed edges and nodes
 * from a, faded red), unchanged edges grey, and a legend. */
VizView *viz_diff_view(const VizDiff *d, const VizViewOptions *o);

#ifdef __cplusplus
}
#endif
#endif
