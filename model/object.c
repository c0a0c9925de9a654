/* object.c — the common object header: koids, reference and handle counts,
 * the live list, signals and observers.
 *
 * Invariants (checked by invariants.c): an object is on the live list from
 * kobject_init until its refcount reaches zero; refcount >= handle_count;
 * observers are linked on exactly one object; signals only change through
 * kobject_signal, which notifies observers in registration order.
 *
 * Left out: Zircon's per-object locks (one request runs at a time here).
 */
#include <string.h>

#include "handle.h"
#include "kernel.h"
#include "object.h"

void kobject_init(Kernel *k, KObject *o, const KObjectOps *ops,
                  zx_signals_t initial_signals)
{
    memset(o, 0, sizeof *o);
    o->ops = ops;
    o->kernel = k;
    o->koid = kernel_next_koid(k);
    o->refcount = 1;
    o->signals = initial_signals;
    o->live_prev = k->live_tail;
    if (k->live_tail)
        k->live_tail->live_next = o;
    else
        k->live_head = o;
    k->live_tail = o;
    k->live_count++;
    kernel_trace(k, KTR_OBJECT_CREATE, o->koid, ops->type, 0, 0, ops->name);
}


static void kobject_unlink(KObject *o)
{
    Kernel *k = o->kernel;
    if (o->live_prev)
        o->live_prev->live_next = o->live_next;
    else
        k->live_head = o->live_next;
    if (o->live_next)
        o->live_next->live_prev = o->live_prev;
    else
        k->live_tail = o->live_prev;
    k->live_count--;
}

/* kobject_unref (object.h) with refcount <= 1: the last reference goes. */
void kobject_unref_last(KObject *o)
{
    if (o->refcount == 0)
        kernel_panic(__FILE__, __LINE__, "unref of dead %s koid %llu",
                     o->ops->name, (unsigned long long)o->koid);
    if (o == o->kernel->hook_pin) { /* kernel_hook releases it later */
        o->kernel->hook_pin_dropped = true;
        return;
    }
    o->refcount = 0;
    if (o->handle_count != 0 || o->observers_head != NULL)
        kernel_panic(__FILE__, __LINE__,
                     "%s koid %llu freed with %u handles and observers %p",
                     o->ops->name, (unsigned long long)o->koid,
                     o->handle_count, (void *)o->observers_head);
    kobject_unlink(o);
    kernel_trace(o->kernel, KTR_OBJECT_DESTROY, o->koid, o->ops->type, 0, 0,
                 NULL);
    o->ops->destroy(o);
}

/* kobject_handle_removed (object.h) with handle_count <= 1. */
void kobject_zero_handles(KObject *o)
{
    if (o->handle_count == 0)
        kernel_panic(__FILE__, __LINE__, "handle count underflow on koid %llu",
                     (unsigned long long)o->koid);
    o->handle_count = 0;
    if (o->ops->on_zero_handles)
        o->ops->on_zero_handles(o);
}

KObject *kobject_peer(KObject *o)
{
    return o->ops->peer ? o->ops->peer(o) : NULL;
}

zx_koid_t kobject_related_koid(const KObject *o)
{
    return o->ops->related_koid ? o->ops->related_koid(o) : ZX_KOID_INVALID;
}

void kobject_set_name(KObject *o, const char *name, size_t len)
{
    if (len >= ZX_MAX_NAME_LEN)
        len = ZX_MAX_NAME_LEN - 1;
    /* Names end at the first NUL, as in Zircon: what follows it is not
     * kept, so ZX_PROP_NAME reads back zeros after the name. */
    len = strnlen(name, len);
    memset(o->name, 0, sizeof o->name);
    memcpy(o->name, name, len);
}



/* Notify observers of the current state, in registration order. An
 * observer that fires has unlinked itself (and maybe siblings, and maybe
 * freed itself), so after a firing the walk restarts from the head;
 * observers that did not fire just answer false again. */
static void kobject_notify(KObject *o)
{
    KObserver *obs = o->observers_head;
    while (obs) {
        KObserver *next = obs->next;
        if (obs->on_state(obs, o->signals))
            next = o->observers_head;
        obs = next;
    }
}

__attribute__((flatten)) void kobject_signal(KObject *o, zx_signals_t clear,
                                             zx_signals_t set)
{
    zx_signals_t old = o->signals;
    zx_signals_t now = (old & ~clear) | set;
    if (now == old)
        return;
    o->signals = now;
    kernel_trace(o->kernel, KTR_SIGNAL, o->koid, old, now, 0, NULL);
    kobject_notify(o);
}

void kobject_cancel_waits(KObject *o, const Handle *h)
{
    KObserver *obs = o->observers_head;
    while (obs) {
        KObserver *next = obs->next;
        if (obs->handle == h) {
            kobject_observer_unlink(o, obs);
            if (obs->on_cancel)
                obs->on_cancel(obs, o->signals);
            next = o->observers_head; /* on_cancel may unlink siblings */
        }
        obs = next;
    }
}

size_t kobject_observer_count(const KObject *o)
{
    size_t n = 0;
    for (const KObserver *obs = o->observers_head; obs; obs = obs->next)
        n++;
    return n;
}

void kobject_cast_failed(const KObject *o, zx_obj_type_t type,
                         const char *file, int line)
{
    kernel_panic(file, line, "bad downcast of %s to type %u",
                 o ? o->ops->name : "NULL", type);
}
