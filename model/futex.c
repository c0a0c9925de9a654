/* futex.c — futexes: wait queues keyed by (process, address).
 *
 * Zircon's futex identity is the address within the process (its address
 * space): the same address in two processes names two futexes. Each
 * process's table (a GHashTable address -> FutexQueue, used for lookup
 * only, never iterated) lives with its address space (vmar_futex_table).
 * A queue exists exactly while it has waiters; waiters are woken in FIFO
 * order (Zircon wakes by priority; all our threads share one, so FIFO).
 *
 * Owner: futex_wait and futex_requeue may name a thread as the futex's
 * owner (for priority inheritance in Zircon; here only bookkeeping and its
 * error rules). A wake releases ownership; a futex without waiters has no
 * owner. The queue holds a reference on its owner.
 *
 * A waiter ends exactly once: woken (ZX_OK), timed out (ZX_ERR_TIMED_OUT)
 * or abandoned because its thread was killed (nothing written back).
 *
 * Invariants: every waiter's queue pointer is the queue it is linked in;
 * count matches the list; an empty queue does not exist.
 * Left out: zx_futex_wake_single_owner and zx_futex_get_owner (not in the
 * syscall table), priority inheritance itself. Read next: sys_futex.c.
 */
#include <glib.h>
#include <stdio.h>

#include "address_name.h"
#include "futex.h"
#include "process.h"
#include "thread.h"
#include "vmar.h"

typedef struct FutexQueue FutexQueue;
typedef struct FutexWaiter FutexWaiter;

struct FutexWaiter {
    FutexWaiter *prev, *next;
    FutexQueue *q;
    SimThread *st;
    KThread *thread;
};

struct FutexQueue {
    GHashTable *table;         /* the table it lives in */
    uintptr_t key;
    FutexWaiter *head, *tail;
    uint32_t count;
    KThread *owner;            /* holds a reference */
};

static GHashTable *futex_table(KProcess *p, bool create)
{
    void **slot = vmar_futex_table(p);
    if (!slot)
        return NULL;
    if (!*slot && create)
        *slot = g_hash_table_new(g_direct_hash, g_direct_equal);
    return *slot;
}

static FutexQueue *futex_queue(KProcess *p, uintptr_t key, bool create)
{
    GHashTable *t = futex_table(p, create);
    if (!t)
        return NULL;
    FutexQueue *q = g_hash_table_lookup(t, (gpointer)key);
    if (!q && create) {
        q = g_new0(FutexQueue, 1);
        q->table = t;
        q->key = key;
        g_hash_table_insert(t, (gpointer)key, q);
    }
    return q;
}

static void futex_set_owner(FutexQueue *q, KThread *owner)
{
    if (owner)
        kobject_ref(&owner->base);
    KThread *old = q->owner;
    q->owner = owner;
    if (old)
        kobject_unref(&old->base);
}

/* Free q if it has no waiters left. */
static void futex_queue_trim(FutexQueue *q)
{
    if (q->count)
        return;
    futex_set_owner(q, NULL);
    g_hash_table_remove(q->table, (gpointer)q->key);
    g_free(q);
}

static void futex_link(FutexQueue *q, FutexWaiter *w)
{
    w->q = q;
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
    q->count++;
}

static void futex_unlink(FutexWaiter *w)
{
    FutexQueue *q = w->q;
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    w->prev = w->next = NULL;
    q->count--;
}

bool futex_thread_waits_on(KProcess *p, uintptr_t key, const KThread *t)
{
    FutexQueue *q = futex_queue(p, key, false);
    for (FutexWaiter *w = q ? q->head : NULL; w; w = w->next)
        if (w->thread == t)
            return true;
    return false;
}

/* ---- Blocking ------------------------------------------------------------- */

static void futex_leave(FutexWaiter *w)
{
    FutexQueue *q = w->q;
    futex_unlink(w);
    futex_queue_trim(q);
    g_free(w);
}

static void futex_on_timeout(SimEngine *e, SimThread *st, void *ctx)
{
    futex_leave(ctx);
    sys_complete(st, ZX_ERR_TIMED_OUT);
}

static void futex_abandon(void *ctx)
{
    futex_leave(ctx);
}

static void futex_describe(SimThread *st, void *ctx, char *buf, size_t len)
{
    FutexWaiter *w = ctx;
    char where[160];
    address_name(w->thread->base.kernel, w->thread->process, w->q->key,
                 where, sizeof where);
    snprintf(buf, len, "futex_wait on the futex at %s (%u waiters)", where,
             w->q->count);
}

zx_status_t futex_wait(SysCtx *c, uintptr_t key, KThread *owner, SimTime deadline)
{
    if (deadline <= sim_now(c->k->engine))
        return ZX_ERR_TIMED_OUT;
    FutexQueue *q = futex_queue(c->proc, key, true);
    if (!q)
        return ZX_ERR_BAD_STATE;
    FutexWaiter *w = g_new0(FutexWaiter, 1);
    w->st = c->st;
    w->thread = c->thread;
    futex_link(q, w);
    futex_set_owner(q, owner);
    sys_block(c, ZX_THREAD_STATE_BLOCKED_FUTEX, deadline, futex_on_timeout, futex_describe, futex_abandon, w);
    return SYS_BLOCKED;
}

/* Wake up to count waiters of q (q may be freed afterwards by the caller). */
static uint32_t futex_wake_some(FutexQueue *q, uint32_t count)
{
    uint32_t n = 0;
    while (q->head && n < count) {
        FutexWaiter *w = q->head;
        futex_unlink(w);
        SimThread *st = w->st;
        g_free(w);
        sys_complete(st, ZX_OK);
        n++;
    }
    futex_set_owner(q, NULL);
    return n;
}

uint32_t futex_wake(KProcess *p, uintptr_t key, uint32_t count)
{
    FutexQueue *q = futex_queue(p, key, false);
    if (!q)
        return 0;
    uint32_t n = futex_wake_some(q, count);
    futex_queue_trim(q);
    return n;
}

void futex_requeue(KProcess *p, uintptr_t key, uint32_t wake_count,
                   uintptr_t rkey, uint32_t requeue_count, KThread *owner)
{
    FutexQueue *q = futex_queue(p, key, false);
    if (q)
        futex_wake_some(q, wake_count);
    if (q && q->count && requeue_count) {
        FutexQueue *r = futex_queue(p, rkey, true);
        for (uint32_t i = 0; i < requeue_count && q->head; i++) {
            FutexWaiter *w = q->head;
            futex_unlink(w);
            futex_link(r, w);
        }
    }
    if (q)
        futex_queue_trim(q);
    FutexQueue *r = futex_queue(p, rkey, false);
    if (r)
        futex_set_owner(r, owner);
}

zx_koid_t futex_owner_koid(KProcess *p, uintptr_t key)
{
    FutexQueue *q = futex_queue(p, key, false);
    return q && q->owner ? q->owner->base.koid : ZX_KOID_INVALID;
}

uint32_t futex_waiter_count(KProcess *p, uintptr_t key)
{
    FutexQueue *q = futex_queue(p, key, false);
    return q ? q->count : 0;
}

void futex_table_free(void *table)
{
    if (!table)
        return;
    /* Every thread of a dead process is gone, so every queue is too. */
    if (g_hash_table_size(table) != 0)
        kernel_panic(__FILE__, __LINE__, "futex queues left in a dead process");
    g_hash_table_destroy(table);
}
