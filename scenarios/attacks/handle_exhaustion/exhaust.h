/* exhaust.h — the actors of the handle_exhaustion scenario (one app,
 * handle_exhaustion.so; the role is --role=NAME or the process name):
 *
 *   hog.c        makes handles until the kernel refuses, holds them for
 *                EXHAUST_HOLD, then exits (which frees them);
 *   bystander.c  an unrelated process doing a round of ordinary calls that
 *                need new handles every EXHAUST_PERIOD.
 *
 * There is no launcher: the interesting knobs — the kernel's handle arena
 * (capsim_set_handle_limit) and capsim's per-job handle quota
 * (capsim_job_set_handle_quota) — belong to the host, so the scenario
 * script (or a test) starts both actors in jobs of its own. Zircon's full
 * arena is 256 Ki handles: lower it (the scenario uses 4096) or a run takes
 * minutes in builds that check invariants after every syscall.
 * Read next: hog.c.
 */
#ifndef CAPSIM_ATTACK_EXHAUST_H
#define CAPSIM_ATTACK_EXHAUST_H

#include <zircon/types.h>

#define EXHAUST_HOLD ZX_MSEC(20)    /* the hog holds its handles this long */
#define EXHAUST_PERIOD ZX_MSEC(1)   /* the bystander's rhythm */
#define EXHAUST_ROUNDS 40

int exhaust_hog_main(int argc, char **argv);
int exhaust_bystander_main(int argc, char **argv);

#endif
