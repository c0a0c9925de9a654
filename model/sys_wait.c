/* sys_wait.c — blocking waits on signals: object_wait_one, object_wait_many
 * and nanosleep.
 *
 * A wait is a record holding one KObserver per waited handle plus the
 * blocked thread. It ends exactly once, by one of: a trigger (ZX_OK), the
 * deadline (ZX_ERR_TIMED_OUT), the close of a waited handle
 * (ZX_ERR_CANCELED, ZX_SIGNAL_HANDLE_CLOSED in that item's observed set), or
 * the thread being killed (abandon: nothing is written back). Results are
 * copied to the app's memory when the wait ends; a bad pointer then turns
 * the result into ZX_ERR_INVALID_ARGS, as Zircon's late copy-out does.
 * Each record holds a reference on every waited object. A record with at
 * most one item (wait_one, nanosleep) lives in the waiting thread itself
 * (KThread.wait_space: a thread waits on one thing at a time), a larger
 * one comes from the kernel's small-object free lists (kmem.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strict_memory.h"
#include "syscall.h"
#include "thread.h"

typedef struct WaitRecord WaitRecord;

typedef struct WaitItem {
    KObserver obs;
    WaitRecord *rec;
    zx_signals_t pending;
    bool closed;
} WaitItem;

struct WaitRecord {
    Kernel *k;
    SimThread *st;
    bool many;
    bool in_thread;           /* in KThread.wait_space, not allocated */
    void *user_out;           /* wait_one: zx_signals_t*; many: zx_wait_item_t* */
    zx_wait_item_t *items_copy;
    size_t n;
    WaitItem item[];
};

static size_t wait_size(size_t n)
{
    return sizeof(WaitRecord) + n * sizeof(WaitItem);
}

_Static_assert(sizeof(WaitRecord) + sizeof(WaitItem) <= THREAD_WAIT_SPACE,
               "a one-item wait record must fit in KThread.wait_space");

/* Unlink, drop the references, free what was allocated. The record is
 * read before the references go: a last reference to the waiting thread
 * would free the space a record in the thread lives in. */
__attribute__((noinline)) static void wait_release_all(WaitRecord *w)
{
    size_t n = w->n;
    KObject *objs[ZX_WAIT_MANY_MAX_ITEMS];
    for (size_t i = 0; i < n; i++) {
        kobject_unobserve(&w->item[i].obs);
        objs[i] = w->item[i].obs.ctx;
    }
    if (w->items_copy)
        free(w->items_copy);
    if (!w->in_thread)
        kmem_free(&w->k->kmem, w, wait_size(n));
    for (size_t i = 0; i < n; i++)
        kobject_unref(objs[i]);
}

static inline void wait_release(WaitRecord *w)
{
    if (w->n == 1 && !w->many) { /* object_wait_one: in the thread */
        KObject *o = w->item[0].obs.ctx;
        kobject_unobserve(&w->item[0].obs);
        kobject_unref(o);
        return;
    }
    wait_release_all(w);
}

/* Snapshot every item's signals, copy results out, wake the thread. */
static void wait_finish(WaitRecord *w, zx_status_t result)
{
    for (size_t i = 0; i < w->n; i++) {
        KObject *o = w->item[i].obs.ctx;
        w->item[i].pending = o->signals | (w->item[i].closed ? ZX_SIGNAL_HANDLE_CLOSED : 0);
    }
    bool copied = true;
    if (w->many) {
        for (size_t i = 0; i < w->n; i++)
            w->items_copy[i].pending = w->item[i].pending;
        copied = strict_memory_thread_copy(w->st, w->user_out, w->items_copy,
                                           w->n * sizeof(zx_wait_item_t));
    } else if (w->user_out && w->n == 1) {
        copied = strict_memory_thread_copy(w->st, w->user_out, &w->item[0].pending,
                                           sizeof(zx_signals_t));
    }
    SimThread *st = w->st;
    wait_release(w);
    sys_complete(st, copied ? result : ZX_ERR_INVALID_ARGS);
}

static bool wait_on_state(KObserver *obs, zx_signals_t signals)
{
    WaitItem *it = (WaitItem *)obs;
    if ((signals & obs->trigger) == 0)
        return false;
    wait_finish(it->rec, ZX_OK); /* unlinks every item, frees the record */
    return true;
}

/* object_wait_one's trigger: wait_finish for its record (one item, in the
 * thread, no array to copy), straight through. */
static bool wait_one_on_state(KObserver *obs, zx_signals_t signals)
{
    WaitItem *it = (WaitItem *)obs;
    if ((signals & obs->trigger) == 0)
        return false;
    WaitRecord *w = it->rec;
    SimThread *st = w->st;
    KObject *o = obs->ctx;
    it->pending = signals;
    bool copied = !w->user_out ||
                  strict_memory_thread_copy(st, w->user_out, &it->pending,
                                            sizeof it->pending);
    kobject_unobserve(obs);
    kobject_unref(o); /* last: it may free the thread holding the record */
    sys_complete(st, copied ? ZX_OK : ZX_ERR_INVALID_ARGS);
    return true;
}

static void wait_on_cancel(KObserver *obs, zx_signals_t signals)
{
    WaitItem *it = (WaitItem *)obs;
    it->closed = true;
    wait_finish(it->rec, ZX_ERR_CANCELED);
}

static void wait_on_timeout(SimEngine *e, SimThread *st, void *ctx)
{
    WaitRecord *w = ctx;
    bool sleep = w->n == 0 && !w->many; /* nanosleep */
    wait_finish(w, sleep ? ZX_OK : ZX_ERR_TIMED_OUT);
}

static void wait_abandon(void *ctx)
{
    wait_release(ctx);
}

static void wait_describe(SimThread *st, void *ctx, char *buf, size_t len)
{
    WaitRecord *w = ctx;
    if (w->n == 0) {
        snprintf(buf, len, "nanosleep");
        return;
    }
    KObject *o = w->item[0].obs.ctx;
    int n = snprintf(buf, len, "%s on %s koid %llu",
                     w->many ? "object_wait_many" : "object_wait_one",
                     o->ops->name, (unsigned long long)o->koid);
    /* A waited-on thread is named as the report's own lines name it, so a
     * reader can tell which of them a join waits for. */
    KThread *target = o->ops->type == ZX_OBJ_TYPE_THREAD ? thread_from(o) : NULL;
    if (target && target->fiber && n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - n, " = thread %llu '%s'",
                      (unsigned long long)sim_thread_id(target->fiber),
                      sim_thread_name(target->fiber));
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - n, " (signals 0x%x)%s", w->item[0].obs.trigger,
                 w->n > 1 ? " and more" : "");
}

/* A record for n items; its items are armed by wait_arm_item. */
static WaitRecord *wait_new(SysCtx *c, size_t n)
{
    WaitRecord *w;
    bool in_thread = n <= 1;
    if (in_thread) {
        w = (WaitRecord *)c->thread->wait_space;
    } else if (!(w = kmem_alloc(&c->k->kmem, wait_size(n)))) {
        return NULL;
    }
    w->k = c->k;
    w->st = c->st;
    w->many = false;
    w->in_thread = in_thread;
    w->user_out = NULL;
    w->items_copy = NULL;
    w->n = n;
    return w;
}

static void wait_arm_item(WaitRecord *w, size_t i, Handle *h, zx_signals_t trigger)
{
    WaitItem *it = &w->item[i];
    it->rec = w;
    it->pending = 0;
    it->closed = false;
    it->obs.handle = h;
    it->obs.trigger = trigger;
    it->obs.on_state = wait_on_state;
    it->obs.on_cancel = wait_on_cancel;
    it->obs.ctx = h->object;
    kobject_ref(h->object);
}

/* Resolve a handle for waiting: lookup, WAIT right, then waitability. */
static zx_status_t wait_resolve(SysCtx *c, zx_handle_t value, Handle **out)
{
    zx_status_t s = sys_get_handle(c, value, ZX_OBJ_TYPE_NONE, ZX_RIGHT_WAIT, out);
    if (s != ZX_OK)
        return s;
    if (!(*out)->object->ops->waitable)
        return ZX_ERR_NOT_SUPPORTED;
    return ZX_OK;
}

zx_status_t sys_object_wait_one(SysCtx *c, zx_handle_t handle,
                                zx_signals_t signals, zx_instant_mono_t deadline,
                                zx_signals_t *observed)
{
    Handle *h;
    zx_status_t s = wait_resolve(c, handle, &h);
    if (s != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.wait_setup);
    zx_signals_t now_sig = h->object->signals;
    if ((now_sig & signals) != 0 || deadline <= sim_now(c->k->engine)) {
        if (!sys_copy_out_opt(c, observed, &now_sig, sizeof now_sig))
            return ZX_ERR_INVALID_ARGS;
        return (now_sig & signals) ? ZX_OK : ZX_ERR_TIMED_OUT;
    }
    WaitRecord *w = wait_new(c, 1);
    if (!w)
        return ZX_ERR_NO_MEMORY;
    w->user_out = observed;
    wait_arm_item(w, 0, h, signals);
    w->item[0].obs.on_state = wait_one_on_state;
    kobject_observe(h->object, &w->item[0].obs);
    sys_block(c, ZX_THREAD_STATE_BLOCKED_WAIT_ONE, deadline, wait_on_timeout, wait_describe,
              wait_abandon, w);
    return SYS_BLOCKED;
}

zx_status_t sys_object_wait_many(SysCtx *c, zx_wait_item_t *items,
                                 size_t num_items, zx_instant_mono_t deadline)
{
    if (num_items > ZX_WAIT_MANY_MAX_ITEMS)
        return ZX_ERR_OUT_OF_RANGE;
    zx_wait_item_t copy[ZX_WAIT_MANY_MAX_ITEMS];
    if (num_items && !sys_copy_in(c, copy, items, num_items * sizeof copy[0]))
        return ZX_ERR_INVALID_ARGS;
    Handle *hs[ZX_WAIT_MANY_MAX_ITEMS];
    bool any = false;
    for (size_t i = 0; i < num_items; i++) {
        zx_status_t s = wait_resolve(c, copy[i].handle, &hs[i]);
        if (s != ZX_OK)
            return s;
        if (hs[i]->object->signals & copy[i].waitfor)
            any = true;
    }
    sys_charge(c, c->k->costs.wait_setup * (SimTime)(num_items ? num_items : 1));
    if (any || deadline <= sim_now(c->k->engine)) {
        for (size_t i = 0; i < num_items; i++)
            copy[i].pending = hs[i]->object->signals;
        if (num_items && !sys_copy_out(c, items, copy, num_items * sizeof copy[0]))
            return ZX_ERR_INVALID_ARGS;
        return any ? ZX_OK : ZX_ERR_TIMED_OUT;
    }
    WaitRecord *w = wait_new(c, num_items);
    if (!w)
        return ZX_ERR_NO_MEMORY;
    w->many = true;
    w->user_out = items;
    w->items_copy = malloc((num_items ? num_items : 1) * sizeof copy[0]);
    if (!w->items_copy) {
        if (!w->in_thread)
            kmem_free(&c->k->kmem, w, wait_size(num_items));
        return ZX_ERR_NO_MEMORY;
    }
    memcpy(w->items_copy, copy, num_items * sizeof copy[0]);
    for (size_t i = 0; i < num_items; i++) {
        wait_arm_item(w, i, hs[i], copy[i].waitfor);
        kobject_observe(hs[i]->object, &w->item[i].obs);
    }
    sys_block(c, ZX_THREAD_STATE_BLOCKED_WAIT_MANY, deadline, wait_on_timeout, wait_describe,
              wait_abandon, w);
    return SYS_BLOCKED;
}

/* A deadline <= 0 yields: the caller sleeps until now, so it wakes at the
 * back of its run queue behind every thread that was ready. A later
 * deadline already passed returns at once. */
zx_status_t sys_nanosleep(SysCtx *c, zx_instant_mono_t deadline)
{
    zx_instant_mono_t now = sim_now(c->k->engine);
    if (deadline <= 0)
        deadline = now;
    else if (deadline <= now)
        return ZX_OK;
    WaitRecord *w = wait_new(c, 0);
    if (!w)
        return ZX_ERR_NO_MEMORY;
    sys_block(c, ZX_THREAD_STATE_BLOCKED_SLEEPING, deadline, wait_on_timeout, wait_describe,
              wait_abandon, w);
    return SYS_BLOCKED;
}
