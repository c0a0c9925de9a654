/* sys_timer.c — timer_create, timer_set, timer_cancel: the ABI side of
 * timer.c.
 *
 * Order as in Zircon: create rejects any clock but ZX_CLOCK_MONOTONIC, then
 * applies ZX_POL_NEW_TIMER, then checks the slack-mode options (all three
 * ZX_ERR_INVALID_ARGS / policy outcomes). set rejects negative slack
 * (ZX_ERR_OUT_OF_RANGE) before looking at the handle, which needs WRITE;
 * the effective slack is the larger of the requested one and the job's
 * timer-slack policy minimum. cancel needs WRITE.
 *
 * Left out: ZX_CLOCK_BOOT timers (newest kernels accept them; capsim has no
 * suspend, so boot and monotonic time would be the same anyway).
 * Read next: timer.c.
 */
#include "process.h"
#include "syscall.h"
#include "timer.h"

zx_status_t sys_timer_create(SysCtx *c, uint32_t options, zx_clock_t clock_id,
                             zx_handle_t *out)
{
    if (clock_id != ZX_CLOCK_MONOTONIC)
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = sys_policy(c, ZX_POL_NEW_TIMER);
    if (s != ZX_OK)
        return s;
    if (!timer_options_valid(options))
        return ZX_ERR_INVALID_ARGS;
    KObject *o;
    if ((s = timer_new(c->k, options, clock_id, &o)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_handle(c, o, ZX_DEFAULT_TIMER_RIGHTS, out);
    kobject_unref(o);
    return s;
}

zx_status_t sys_timer_set(SysCtx *c, zx_handle_t handle, zx_time_t deadline,
                          zx_duration_t slack)
{
    if (slack < 0)
        return ZX_ERR_OUT_OF_RANGE;
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_TIMER, ZX_RIGHT_WRITE, &o);
    if (s != ZX_OK)
        return s;
    zx_duration_t policy_slack = c->proc->policy.slack_min;
    timer_set(o, deadline, slack > policy_slack ? slack : policy_slack);
    return ZX_OK;
}

zx_status_t sys_timer_cancel(SysCtx *c, zx_handle_t handle)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_TIMER, ZX_RIGHT_WRITE, &o);
    if (s != ZX_OK)
        return s;
    timer_cancel(o);
    return ZX_OK;
}
