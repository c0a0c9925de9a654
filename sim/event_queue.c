/* event_queue.c — a 4-ary min-heap of (time, seq) keys with lazy cancel.
 *
 * Models: the pending future of the simulation (timers, thread deadlines,
 * CPU steps that are not on the engine's fast path). Keys are compared
 * lexicographically on (virtual time, sequence number); the engine hands out
 * sequence numbers in creation order, so equal times run first-in first-out.
 *
 * Layout: heap entries are small ({time, seq, slot, gen}, 24 bytes) and the
 * payload lives in a slot table, so sifting moves only keys. A 4-ary heap
 * halves the depth of a binary one and touches adjacent children, which
 * matters once the heap no longer fits in cache (1M pending events).
 *
 * Cancel is lazy: it bumps the slot's generation and frees the slot; the
 * heap entry stays until it surfaces at the top (then it is discarded) or
 * until stale entries outnumber live ones, when the heap is compacted in
 * O(n) (filter + Floyd heapify). An EqId carries the slot's generation, so a
 * stale id never cancels a later event that reuses the slot.
 *
 * Invariants: heap[0..n) satisfies the heap property; an entry is live iff
 * its gen equals its slot's gen; stale == number of non-live entries.
 *
 * Read next: engine.c (the main loop pops from here).
 */
#include "event_queue.h"

#include <glib.h>
#include <string.h>

static inline bool eq_less(const EqEntry *a, const EqEntry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void eq_init(EventQueue *q)
{
    memset(q, 0, sizeof *q);
}

void eq_free(EventQueue *q)
{
    g_free(q->heap);
    g_free(q->slots);
    memset(q, 0, sizeof *q);
}

static uint32_t eq_slot_alloc(EventQueue *q)
{
    if (q->free_head) {
        uint32_t s = q->free_head - 1;
        q->free_head = q->slots[s].next_free;
        return s;
    }
    if (q->nslots == q->slot_cap) {
        q->slot_cap = q->slot_cap ? q->slot_cap * 2 : 64;
        q->slots = g_renew(EqSlot, q->slots, q->slot_cap);
    }
    q->slots[q->nslots].gen = 1;
    return q->nslots++;
}

static void eq_slot_release(EventQueue *q, uint32_t s)
{
    q->slots[s].gen++;
    q->slots[s].next_free = q->free_head;
    q->free_head = s + 1;
}

static void eq_sift_up(EqEntry *h, size_t i, EqEntry e)
{
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!eq_less(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static void eq_sift_down(EqEntry *h, size_t n, size_t i, EqEntry e)
{
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n)
            break;
        size_t best = c;
        size_t end = c + 4 < n ? c + 4 : n;
        for (size_t k = c + 1; k < end; k++)
            if (eq_less(&h[k], &h[best]))
                best = k;
        if (!eq_less(&h[best], &e))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

EqId eq_push(EventQueue *q, int64_t time, uint64_t seq, const EqPayload *p)
{
    uint32_t s = eq_slot_alloc(q);
    q->slots[s].payload = *p;
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->heap = g_renew(EqEntry, q->heap, q->cap);
    }
    EqEntry e = { time, seq, s, q->slots[s].gen };
    eq_sift_up(q->heap, q->n++, e);
    return ((uint64_t)q->slots[s].gen << 32) | (s + 1);
}

static void eq_compact(EventQueue *q)
{
    size_t w = 0;
    for (size_t r = 0; r < q->n; r++)
        if (q->heap[r].gen == q->slots[q->heap[r].slot].gen)
            q->heap[w++] = q->heap[r];
    q->n = w;
    q->stale = 0;
    if (w < 2)
        return;
    for (size_t i = (w - 2) / 4 + 1; i-- > 0;)
        eq_sift_down(q->heap, w, i, q->heap[i]);
}

bool eq_pending(const EventQueue *q, EqId id)
{
    uint32_t s = (uint32_t)id - 1;
    return id && s < q->nslots && q->slots[s].gen == (uint32_t)(id >> 32);
}

bool eq_cancel(EventQueue *q, EqId id)
{
    if (!eq_pending(q, id))
        return false;
    eq_slot_release(q, (uint32_t)id - 1);
    q->stale++;
    if (q->stale > 64 && q->stale > q->n / 2)
        eq_compact(q);
    return true;
}

static void eq_remove_top(EventQueue *q)
{
    EqEntry last = q->heap[--q->n];
    if (q->n)
        eq_sift_down(q->heap, q->n, 0, last);
}

/* Drop stale entries sitting at the top. */
static inline void eq_skip_stale(EventQueue *q)
{
    while (q->n && q->heap[0].gen != q->slots[q->heap[0].slot].gen) {
        eq_remove_top(q);
        q->stale--;
    }
}

bool eq_peek(EventQueue *q, int64_t *time, uint64_t *seq)
{
    eq_skip_stale(q);
    if (!q->n)
        return false;
    *time = q->heap[0].time;
    *seq = q->heap[0].seq;
    return true;
}

bool eq_pop(EventQueue *q, int64_t *time, uint64_t *seq, EqPayload *p,
            EqId *id)
{
    eq_skip_stale(q);
    if (!q->n)
        return false;
    EqEntry top = q->heap[0];
    *time = top.time;
    *seq = top.seq;
    *p = q->slots[top.slot].payload;
    if (id)
        *id = ((uint64_t)top.gen << 32) | (top.slot + 1);
    eq_slot_release(q, top.slot);
    eq_remove_top(q);
    return true;
}
