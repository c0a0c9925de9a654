/* fault.h — signals, safe copies, the budget watchdog. Internal to sim/;
 * the engine-facing entry points are declared in engine.h (fault_*), the
 * public one (sim_safe_copy) in sim.h. See fault.c for the design. */
#ifndef CAPSIM_FAULT_H
#define CAPSIM_FAULT_H
#include "engine.h"

/* The signal used for the budget watchdog tick. */
#define FAULT_BUDGET_SIGNAL SIGVTALRM

/* Set by engine_panic before abort() so the SIGABRT it raises is not
 * reported a second time. */
void fault_set_dying(void);

#endif
