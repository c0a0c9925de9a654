/* sys_policy.c — job_set_policy and job_set_critical.
 *
 * job_set_policy, in the newest kernel's order: options RELATIVE or
 * ABSOLUTE (ZX_ERR_INVALID_ARGS); for the basic topics a non-NULL array of
 * 1..32 entries copied in (ZX_ERR_INVALID_ARGS); the job handle with
 * SET_POLICY; the job must have no children (ZX_ERR_BAD_STATE); then the
 * table rules in policy.c (count > ZX_POL_MAX: ZX_ERR_OUT_OF_RANGE, action
 * out of range: ZX_ERR_NOT_SUPPORTED, bad override or condition:
 * ZX_ERR_INVALID_ARGS, a locked entry under ABSOLUTE: ZX_ERR_ALREADY_EXISTS).
 * V1 entries become V2 entries with override DENY. The timer-slack topic
 * takes exactly one zx_policy_timer_slack_t with RELATIVE. An unknown topic
 * is ZX_ERR_INVALID_ARGS. Processes keep the copy they took at creation.
 *
 * job_set_critical: options 0 or ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO
 * (ZX_ERR_INVALID_ARGS); the job with DESTROY; the process with WAIT; a
 * process already critical (ZX_ERR_ALREADY_BOUND); the job must be the
 * process's job or an ancestor (ZX_ERR_INVALID_ARGS). The kill itself
 * happens in process.c when the process dies.
 * Read next: policy.c.
 */
#include "job.h"
#include "policy.h"
#include "process.h"
#include "syscall.h"

#define SYS_POLICY_MAX_ENTRIES 32u

/* Copy and widen the entries of a basic-policy topic to V2. */
static zx_status_t sys_policy_copy_basic(SysCtx *c, uint32_t topic, const void *policy,
                                         uint32_t count, zx_policy_basic_v2_t *out)
{
    if (topic == ZX_JOB_POL_BASIC_V2) {
        if (!sys_copy_in(c, out, policy, count * sizeof *out))
            return ZX_ERR_INVALID_ARGS;
        return ZX_OK;
    }
    zx_policy_basic_v1_t v1[SYS_POLICY_MAX_ENTRIES];
    if (!sys_copy_in(c, v1, policy, count * sizeof v1[0]))
        return ZX_ERR_INVALID_ARGS;
    for (uint32_t i = 0; i < count; i++) {
        out[i].condition = v1[i].condition;
        out[i].action = v1[i].policy;
        out[i].flags = ZX_POL_OVERRIDE_DENY;
    }
    return ZX_OK;
}

static zx_status_t sys_policy_get_empty_job(SysCtx *c, zx_handle_t handle, KJob **out)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_JOB, ZX_RIGHT_SET_POLICY, &o);
    if (s != ZX_OK)
        return s;
    KJob *job = job_from(o);
    if (job->child_jobs || job->child_processes)
        return ZX_ERR_BAD_STATE;
    *out = job;
    return ZX_OK;
}

static zx_status_t sys_policy_slack(SysCtx *c, zx_handle_t handle, uint32_t options,
                                    const void *policy, uint32_t count)
{
    if (options != ZX_JOB_POL_RELATIVE || count != 1 || policy == NULL)
        return ZX_ERR_INVALID_ARGS;
    zx_policy_timer_slack_t slack;
    if (!sys_copy_in(c, &slack, policy, sizeof slack))
        return ZX_ERR_INVALID_ARGS;
    KJob *job;
    zx_status_t s = sys_policy_get_empty_job(c, handle, &job);
    if (s != ZX_OK)
        return s;
    const JobPolicy *parent = job->parent ? &job->parent->policy : NULL;
    return policy_apply_slack(&job->policy, parent, options, &slack, 1);
}

zx_status_t sys_job_set_policy(SysCtx *c, zx_handle_t handle, uint32_t options,
                               uint32_t topic, const void *policy, uint32_t policy_size)
{
    if (options != ZX_JOB_POL_RELATIVE && options != ZX_JOB_POL_ABSOLUTE)
        return ZX_ERR_INVALID_ARGS;
    if (topic == ZX_JOB_POL_TIMER_SLACK)
        return sys_policy_slack(c, handle, options, policy, policy_size);
    if (topic != ZX_JOB_POL_BASIC_V1 && topic != ZX_JOB_POL_BASIC_V2)
        return ZX_ERR_INVALID_ARGS;
    if (policy == NULL || policy_size == 0 || policy_size > SYS_POLICY_MAX_ENTRIES)
        return ZX_ERR_INVALID_ARGS;
    zx_policy_basic_v2_t entries[SYS_POLICY_MAX_ENTRIES];
    zx_status_t s = sys_policy_copy_basic(c, topic, policy, policy_size, entries);
    if (s != ZX_OK)
        return s;
    KJob *job;
    if ((s = sys_policy_get_empty_job(c, handle, &job)) != ZX_OK)
        return s;
    return policy_apply_basic(&job->policy, options, entries, policy_size);
}

zx_status_t sys_job_set_critical(SysCtx *c, zx_handle_t job, uint32_t options,
                                 zx_handle_t process)
{
    if (options & ~ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO)
        return ZX_ERR_INVALID_ARGS;
    KObject *jo, *po;
    zx_status_t s = sys_get_object(c, job, ZX_OBJ_TYPE_JOB, ZX_RIGHT_DESTROY, &jo);
    if (s != ZX_OK)
        return s;
    s = sys_get_object(c, process, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_WAIT, &po);
    if (s != ZX_OK)
        return s;
    KJob *j = job_from(jo);
    KProcess *p = process_from(po);
    if (p->critical_to)
        return ZX_ERR_ALREADY_BOUND;
    if (!job_is_ancestor_of(j, p->job))
        return ZX_ERR_INVALID_ARGS;
    p->critical_to = j;
    p->critical_nonzero_only = (options & ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO) != 0;
    return ZX_OK;
}
