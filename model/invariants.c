/* invariants.c — the whole-graph checker a test build runs after every
 * syscall (CAPSIM_INVARIANTS, meson option `invariants`).
 *
 * Checks, over the live list in koid order:
 *   - refcount >= handle_count >= 0 on every object, type check() passes;
 *   - every observer is linked on the object it names;
 *   - every Handle is in exactly one place: one process table (owner set,
 *     slot points back) or one in-flight message (owner NULL); the handles
 *     counted that way per object equal its handle_count, and their total
 *     equals the kernel's arena count;
 *   - no handle carries rights outside its type's possible rights;
 *   - a thread the model calls BLOCKED is blocked in the engine, on exactly
 *     one wait (the engine keeps one wait per thread).
 * Cost: O(objects + handles) per call. Above 4096 live objects the walk runs
 * on every 64th syscall only, so large runs stay usable in test builds.
 */
#include <glib.h>

#include "kernel.h"
#include "process.h"
#include "thread.h"

/* channel.c reports handles travelling inside messages (weak until then). */
void channel_visit_inflight(Kernel *k, void (*fn)(Handle *h, void *ctx),
                            void *ctx) __attribute__((weak));

typedef struct InvWalk {
    Kernel *k;
    GHashTable *counts; /* KObject* -> count (lookup only; never iterated) */
    size_t total;
} InvWalk;

static void inv_count_handle(InvWalk *w, Handle *h)
{
    KCHECK(w->k, (h->rights & ~h->object->ops->possible_rights) == 0 ||
                     w->k->faults.skip_rights_subset);
    gpointer n = g_hash_table_lookup(w->counts, h->object);
    g_hash_table_insert(w->counts, h->object, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(n) + 1));
    w->total++;
}

static void inv_inflight(Handle *h, void *ctx)
{
    InvWalk *w = ctx;
    KCHECK(w->k, h->owner == NULL);
    inv_count_handle(w, h);
}

static void inv_process_table(InvWalk *w, KProcess *p)
{
    uint32_t cursor = 0, n = 0;
    for (Handle *h; (h = handle_table_next(&p->handles, &cursor));) {
        KCHECK(w->k, h->owner == p);
        KCHECK(w->k, p->handles.slots[h->slot].handle == h);
        inv_count_handle(w, h);
        n++;
    }
    KCHECK(w->k, n == p->handles.count);
}

static void inv_thread(Kernel *k, KThread *t)
{
    if (t->state == THREAD_BLOCKED) {
        KCHECK(k, t->fiber != NULL);
        KCHECK(k, sim_thread_state(t->fiber) == SIM_THREAD_BLOCKED);
    }
}

void kernel_check_invariants(Kernel *k)
{
    if (k->live_count > 4096 && (k->syscalls & 63) != 0)
        return;
    InvWalk w = {.k = k, .counts = g_hash_table_new(g_direct_hash, g_direct_equal)};
    for (KObject *o = k->live_head; o; o = o->live_next) {
        KCHECK(k, o->refcount >= o->handle_count && o->refcount > 0);
        KCHECK(k, !o->live_next || o->live_next->koid > o->koid);
        for (KObserver *obs = o->observers_head; obs; obs = obs->next)
            KCHECK(k, obs->object == o);
        if (o->ops->check)
            o->ops->check(o);
        if (o->ops->type == ZX_OBJ_TYPE_PROCESS)
            inv_process_table(&w, (KProcess *)o);
        else if (o->ops->type == ZX_OBJ_TYPE_THREAD)
            inv_thread(k, (KThread *)o);
    }
    if (channel_visit_inflight)
        channel_visit_inflight(k, inv_inflight, &w);
    for (KObject *o = k->live_head; o; o = o->live_next) {
        size_t n = GPOINTER_TO_SIZE(g_hash_table_lookup(w.counts, o));
        if (n != o->handle_count)
            kernel_panic(__FILE__, __LINE__,
                         "%s koid %llu: handle_count %u but %zu handles found",
                         o->ops->name, (unsigned long long)o->koid,
                         o->handle_count, n);
    }
    KCHECK(k, w.total == k->handle_count);
    g_hash_table_destroy(w.counts);
}
