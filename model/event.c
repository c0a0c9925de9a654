/* event.c — events: the smallest kernel object. Its state is its signals;
 * a user may set ZX_EVENT_SIGNALED and the user signals (ZX_EVENT_SIGNAL_MASK
 * bits). No peer, no name. Read next: eventpair.c, then channel.c.
 */
#include <stdlib.h>

#include "event.h"
#include "kernel.h"

static void event_destroy(KObject *o)
{
    free(o);
}

const KObjectOps event_ops = {
    .type = ZX_OBJ_TYPE_EVENT,
    .name = "event",
    .default_rights = ZX_DEFAULT_EVENT_RIGHTS,
    .possible_rights = ZX_DEFAULT_EVENT_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED,
    .waitable = true,
    .destroy = event_destroy,
};

zx_status_t event_create(Kernel *k, KObject **out)
{
    KObject *o = malloc(sizeof *o);
    if (!o)
        return ZX_ERR_NO_MEMORY;
    kobject_init(k, o, &event_ops, 0);
    *out = o;
    return ZX_OK;
}
