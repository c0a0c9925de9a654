/* sys_event.c — event_create and eventpair_create. Options must be 0
 * (a nonzero value is ZX_ERR_INVALID_ARGS for an event but
 * ZX_ERR_NOT_SUPPORTED for an event pair, as Zircon documents them);
 * creation is subject to ZX_POL_NEW_EVENT / ZX_POL_NEW_EVENTPAIR. */
#include "event.h"
#include "eventpair.h"
#include "syscall.h"

zx_status_t sys_event_create(SysCtx *c, uint32_t options, zx_handle_t *out)
{
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = sys_policy(c, ZX_POL_NEW_EVENT);
    if (s != ZX_OK)
        return s;
    KObject *o;
    if ((s = event_create(c->k, &o)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_handle(c, o, ZX_DEFAULT_EVENT_RIGHTS, out);
    kobject_unref(o);
    return s;
}

zx_status_t sys_eventpair_create(SysCtx *c, uint32_t options, zx_handle_t *out0,
                                 zx_handle_t *out1)
{
    if (options != 0)
        return ZX_ERR_NOT_SUPPORTED;
    zx_status_t s = sys_policy(c, ZX_POL_NEW_EVENTPAIR);
    if (s != ZX_OK)
        return s;
    KObject *a, *b;
    if ((s = eventpair_create(c->k, &a, &b)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_pair(c, a, b, ZX_DEFAULT_EVENTPAIR_RIGHTS, out0, out1);
    kobject_unref(a);
    kobject_unref(b);
    return s;
}
