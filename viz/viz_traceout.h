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
/* Write either to `path` ("-" = stdout): 0, or -1 with a message. */
int viz_traceout_write(const char *text, size_t len, const char *path,
                       char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
