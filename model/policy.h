/* policy.h — job policy: per-condition (action, override) tables and timer
 * slack, inherited down the job tree and copied into each process.
 *
 * Rules (Zircon's job_set_policy): settable only on an empty job; an entry
 * whose override is DENY can only be "set" to itself; NEW_ANY fans out to
 * every NEW_* condition; the whole call is computed on a copy and committed
 * only if every entry passes. Enforcement (sys_policy in syscall.c) uses the
 * CALLING process's copy. Read next: job.c, sys_job.c.
 */
#ifndef CAPSIM_MODEL_POLICY_H
#define CAPSIM_MODEL_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/syscalls/policy.h>
#include <zircon/types.h>

#define POLICY_CONDITIONS 18u /* ZX_POL_MAX of the newest generation */
#define POLICY_ACTIONS 5u     /* ZX_POL_ACTION_MAX */

typedef struct JobPolicy {
    uint8_t action[POLICY_CONDITIONS];   /* ZX_POL_ACTION_* */
    uint8_t override[POLICY_CONDITIONS]; /* ZX_POL_OVERRIDE_* */
    int64_t slack_min;                   /* ns */
    uint32_t slack_mode;                 /* ZX_TIMER_SLACK_* */
} JobPolicy;

/* The root job's policy: everything allowed, every override ALLOW. */
void policy_init_root(JobPolicy *p);
/* True for the ZX_POL_NEW_* conditions NEW_ANY fans out to. */
bool policy_is_new_condition(uint32_t condition);
/* Apply `count` basic-policy entries (converted to v2) to *p. Returns ZX_OK
 * or the documented error; *p is unchanged unless ZX_OK. */
zx_status_t policy_apply_basic(JobPolicy *p, uint32_t options,
                               const zx_policy_basic_v2_t *entries,
                               uint32_t count);
zx_status_t policy_apply_slack(JobPolicy *p, const JobPolicy *parent,
                               uint32_t options,
                               const zx_policy_timer_slack_t *slack,
                               uint32_t count);
/* Deadline adjusted by the timer-slack policy. */
int64_t policy_slack_deadline(const JobPolicy *p, int64_t deadline);

#endif
