/* timer.h — timers: one-shot deadlines that assert ZX_TIMER_SIGNALED.
 * See timer.c for the states; syscalls in sys_timer.c. */
#ifndef CAPSIM_MODEL_TIMER_H
#define CAPSIM_MODEL_TIMER_H

#include <stdbool.h>
#include <zircon/syscalls/object.h>

#include "object.h"

extern const KObjectOps timer_ops;

/* options: ZX_TIMER_SLACK_CENTER / _EARLY / _LATE. */
bool timer_options_valid(uint32_t options);
zx_status_t timer_new(Kernel *k, uint32_t options, zx_clock_t clock_id,
                         KObject **out);
/* Disarm, clear SIGNALED, then arm for `deadline` (signal at once if it is
 * 0 or not in the future). `slack` is the effective slack (>= 0). */
void timer_set(KObject *o, zx_time_t deadline, zx_duration_t slack);
/* Disarm and clear SIGNALED; harmless when not armed. */
void timer_cancel(KObject *o);
/* ZX_INFO_TIMER. */
void timer_info(KObject *o, zx_info_timer_t *info);

#endif
