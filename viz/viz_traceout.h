/* viz_traceout.h — trace exports of a watched run: a Chrome/Perfetto
 * trace-event JSON file (per-CPU and per-thread timelines in virtual time,
 * syscalls as slices, handle moves as flow arrows) and a human-readable
 * step listing (time, thread, decoded syscall, result, graph changes).
 * The JSON-lines export is the engine's own sink (viz_recorder_jsonl).
 * Flat header. Read next: viz_perfetto.c, viz_steps.c.
 */
#ifndef CAPSIM_VIZ_TRACEOUT_H
#define CAPSIM_VIZ_TRACEOUT_H

#include <stddef.h>

#include "viz_recorder.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The trace-event JSON text (malloc'ed, free()); *len its length. */
char *viz_perfetto_json(const VizRecorder *rec, size_t *len);
/* The step listing (malloc'ed, free()). */
char *viz_steps_text(const VizRecorder *rec, size_t *len);
/* Written with viz_file_write (viz_file.h). */

#ifdef __cplusplus
}
#endif
#endif
