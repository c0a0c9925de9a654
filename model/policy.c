/* policy.c — job policy tables: applying zx_job_set_policy entries and
 * timer slack. Enforcement lives in syscall.c (sys_policy), which reads the
 * calling process's copy.
 *
 * Invariant: every action < ZX_POL_ACTION_MAX, every override is ALLOW or
 * DENY, slack_min >= 0.
 */
#include <string.h>

#include "policy.h"

void policy_init_root(JobPolicy *p)
{
    memset(p, 0, sizeof *p);
    for (uint32_t i = 0; i < POLICY_CONDITIONS; i++) {
        p->action[i] = ZX_POL_ACTION_ALLOW;
        p->override[i] = ZX_POL_OVERRIDE_ALLOW;
    }
    p->slack_min = 0;
    p->slack_mode = ZX_TIMER_SLACK_CENTER;
}

bool policy_is_new_condition(uint32_t condition)
{
    switch (condition) {
    case ZX_POL_NEW_VMO:
    case ZX_POL_NEW_CHANNEL:
    case ZX_POL_NEW_EVENT:
    case ZX_POL_NEW_EVENTPAIR:
    case ZX_POL_NEW_PORT:
    case ZX_POL_NEW_SOCKET:
    case ZX_POL_NEW_FIFO:
    case ZX_POL_NEW_TIMER:
    case ZX_POL_NEW_PROCESS:
    case ZX_POL_NEW_PROFILE:
    case ZX_POL_NEW_PAGER:
    case ZX_POL_NEW_IOB:
    case ZX_POL_NEW_SAMPLER:
        return true;
    default:
        return false;
    }
}

/* Set one condition in `next`; false if the job's policy before this call
 * (`old`) locks it to something else. Entries of one call are each checked
 * against `old`, not against each other, and a later entry for the same
 * condition wins: [NEW_ANY: DENY, NEW_CHANNEL: ALLOW] means "deny every
 * new object but channels", as in Zircon. */
static bool policy_set_one(const JobPolicy *old, JobPolicy *next, uint32_t cond,
                           uint32_t action, uint32_t override)
{
    if (old->override[cond] == ZX_POL_OVERRIDE_DENY &&
        (old->action[cond] != action || override != ZX_POL_OVERRIDE_DENY))
        return false;
    next->action[cond] = (uint8_t)action;
    next->override[cond] = (uint8_t)override;
    return true;
}

static bool policy_condition_valid(uint32_t condition)
{
    return condition < POLICY_CONDITIONS; /* newest table: 0..NEW_SAMPLER */
}

zx_status_t policy_apply_basic(JobPolicy *p, uint32_t options,
                               const zx_policy_basic_v2_t *entries,
                               uint32_t count)
{
    if (count > POLICY_CONDITIONS)
        return ZX_ERR_OUT_OF_RANGE;
    JobPolicy next = *p;
    for (uint32_t i = 0; i < count; i++) {
        const zx_policy_basic_v2_t *e = &entries[i];
        if (e->action >= POLICY_ACTIONS)
            return ZX_ERR_NOT_SUPPORTED;
        if (e->flags > ZX_POL_OVERRIDE_DENY || !policy_condition_valid(e->condition))
            return ZX_ERR_INVALID_ARGS;
        bool ok = true;
        if (e->condition == ZX_POL_NEW_ANY) {
            for (uint32_t c = 0; c < POLICY_CONDITIONS; c++)
                if (policy_is_new_condition(c))
                    ok = policy_set_one(p, &next, c, e->action, e->flags) && ok;
            next.action[ZX_POL_NEW_ANY] = (uint8_t)e->action;
            next.override[ZX_POL_NEW_ANY] = (uint8_t)e->flags;
        } else {
            ok = policy_set_one(p, &next, e->condition, e->action, e->flags);
        }
        if (!ok && options == ZX_JOB_POL_ABSOLUTE)
            return ZX_ERR_ALREADY_EXISTS;
    }
    *p = next;
    return ZX_OK;
}

zx_status_t policy_apply_slack(JobPolicy *p, const JobPolicy *parent,
                               uint32_t options,
                               const zx_policy_timer_slack_t *slack,
                               uint32_t count)
{
    if (options != ZX_JOB_POL_RELATIVE || count != 1)
        return ZX_ERR_INVALID_ARGS;
    if (slack->min_slack < 0)
        return ZX_ERR_INVALID_ARGS;
    if (slack->default_mode != ZX_TIMER_SLACK_CENTER &&
        slack->default_mode != ZX_TIMER_SLACK_EARLY &&
        slack->default_mode != ZX_TIMER_SLACK_LATE)
        return ZX_ERR_INVALID_ARGS;
    int64_t floor = parent ? parent->slack_min : 0;
    p->slack_min = slack->min_slack > floor ? slack->min_slack : floor;
    p->slack_mode = slack->default_mode;
    return ZX_OK;
}

int64_t policy_slack_deadline(const JobPolicy *p, int64_t deadline)
{
    if (p->slack_min == 0 || deadline == INT64_MAX)
        return deadline;
    switch (p->slack_mode) {
    case ZX_TIMER_SLACK_LATE:
        return deadline > INT64_MAX - p->slack_min ? INT64_MAX : deadline + p->slack_min;
    case ZX_TIMER_SLACK_EARLY:
        return deadline - p->slack_min;
    default:
        /* CENTER: anywhere in [d - s/2, d + s/2]; the simulator picks the
         * deadline itself, which is deterministic and inside the window. */
        return deadline;
    }
}
