/* libc_time.h — the virtual clocks of apps (libc_time.c), for the other
 * interposers: the timed waits of pthreads and semaphores take absolute
 * times on those clocks. */
#ifndef CAPSIM_APP_LIBC_TIME_H
#define CAPSIM_APP_LIBC_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <zircon/types.h>

/* Clock `clk` of an app reads zx_clock_get_monotonic() + *offset: the
 * monotonic clocks 0, the realtime ones the boot date. False for the
 * CPU-time clocks and unknown ones. */
bool libc_time_clock_offset(clockid_t clk, int64_t *offset);

/* The zx deadline at which clock `clk` reads `at`: 0, or EINVAL (NULL, a
 * tv_nsec outside [0, 1e9), a clock without an offset). A time before
 * boot (a negative tv_sec included) is a deadline already passed; one
 * too far to count in int64 ns is ZX_TIME_INFINITE. */
int libc_time_deadline(clockid_t clk, const struct timespec *at,
                       zx_instant_mono_t *deadline);

#endif
