/* event_queue.c — a 4-ary min-heap of (time, seq) keys with lazy cancel.
 *
 * Models: the pending future of the simulation (timers, thread deadlines,
 * CPU steps that are not on the engine's fast path). Keys are compared
 * lexicographically on (virtual time, sequence number); the engine hands out
 * sequence numbers in creation order, so equal times run first-in first-out.
 *
 * Layout: entries are 16 bytes ({time, seq << 24 | slot}) and the payload
 * lives in a slot table, so sifting moves only keys. The heap is 4-ary and
 * offset so that the four children of a node fill exactly one 64-byte
 * cache line: half the depth of a binary heap, one line per level. The
 * minimum child is found with branch-free 128-bit compares (an
 * unpredictable branch per comparison costs more than the compare). With
 * a million pending events every level below the top few misses in cache:
 * the sift-down prefetches the grandchildren's lines one level ahead, and
 * a pop starts the miss on the next minimum's payload slot before its own
 * sift-down (together ~20% off a hold at 1M pending).
 *
 * Cancel is lazy: it clears the slot's seq, bumps its generation and frees
 * the slot; the heap entry stays until it surfaces at the top (then it is
 * discarded) or until stale entries outnumber live ones, when the heap is
 * compacted in O(n) (filter + Floyd heapify). An EqId carries the slot's
 * generation, so a stale id never cancels a later event reusing the slot.
 *
 * Limits: 2^24 events pending at once; seqs below 2^40 (the engine calls
 * eq_renumber long before: it spends two seqs per push, so that takes
 * ~5e11 pushes).
 *
 * Invariants: heap[0..n) satisfies the heap property; an entry is live iff
 * its seq equals its slot's seq; stale == number of non-live entries.
 *
 * Read next: engine.c (the main loop pops from here).
 */
#include "event_queue.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define EQ_SLOT_MASK ((uint64_t)EQ_MAX_SLOTS - 1)

static inline unsigned __int128 eq_k(const EqEntry *e)
{
    return ((unsigned __int128)(uint64_t)e->time << 64) | e->key;
}

static inline bool eq_less(const EqEntry *a, const EqEntry *b)
{
    return eq_k(a) < eq_k(b);
}

void eq_init(EventQueue *q)
{
    memset(q, 0, sizeof *q);
}

void eq_free(EventQueue *q)
{
    free(q->mem);
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
    if (q->nslots == EQ_MAX_SLOTS)
        g_error("capsim: more than %u pending events", EQ_MAX_SLOTS);
    if (q->nslots == q->slot_cap) {
        q->slot_cap = q->slot_cap ? q->slot_cap * 2 : 64;
        q->slots = g_renew(EqSlot, q->slots, q->slot_cap);
    }
    q->slots[q->nslots].gen = 1;
    q->slots[q->nslots].seq = 0;
    return q->nslots++;
}

static void eq_slot_release(EventQueue *q, uint32_t s)
{
    q->slots[s].seq = 0;
    q->slots[s].gen++;
    q->slots[s].next_free = q->free_head;
    q->free_head = s + 1;
}

/* Heap index i lives at mem[i + 3]: children 4i+1..4i+4 start at byte
 * 64 * (i + 1) of a 64-byte aligned block. */
static void eq_grow(EventQueue *q)
{
    size_t ncap = q->cap ? q->cap * 2 : 64;
    EqEntry *m = NULL;
    if (posix_memalign((void **)&m, 64, (ncap + 4) * sizeof *m) != 0)
        g_error("capsim: out of memory for the event queue");
    if (q->n)
        memcpy(m + 3, q->heap, q->n * sizeof *m);
    free(q->mem);
    q->mem = m;
    q->heap = m + 3;
    q->cap = ncap;
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

/* Index of the smallest of h[c..c+k), k in 1..4, without branches on the
 * keys (conditional moves). */
static inline size_t eq_min_child(const EqEntry *h, size_t c, size_t k)
{
    size_t best = c;
    unsigned __int128 bk = eq_k(&h[c]);
    for (size_t j = 1; j < k; j++) {
        unsigned __int128 kj = eq_k(&h[c + j]);
        bool lt = kj < bk;
        best = lt ? c + j : best;
        bk = lt ? kj : bk;
    }
    return best;
}

static void eq_sift_down(EqEntry *h, size_t n, size_t i, EqEntry e)
{
    unsigned __int128 ek = eq_k(&e);
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n)
            break;
        /* Large heaps miss in cache on every level: fetch the four lines
         * of grandchildren (one of them is the next level) while this
         * level is compared, so the misses of two levels overlap. */
        size_t g = 4 * c + 1;
        if (g < n) {
            __builtin_prefetch(&h[g]);
            __builtin_prefetch(&h[g + 4]);
            __builtin_prefetch(&h[g + 8]);
            __builtin_prefetch(&h[g + 12]);
        }
        size_t best = eq_min_child(h, c, n - c >= 4 ? 4 : n - c);
        if (eq_k(&h[best]) >= ek)
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
    q->slots[s].seq = seq;
    if (q->n == q->cap)
        eq_grow(q);
    EqEntry e = { time, (seq << EQ_SLOT_BITS) | s };
    eq_sift_up(q->heap, q->n++, e);
    return ((uint64_t)q->slots[s].gen << 32) | (s + 1);
}

static inline bool eq_live(const EventQueue *q, const EqEntry *e)
{
    return q->slots[e->key & EQ_SLOT_MASK].seq == e->key >> EQ_SLOT_BITS;
}

static void eq_heapify(EventQueue *q)
{
    if (q->n < 2)
        return;
    for (size_t i = (q->n - 2) / 4 + 1; i-- > 0;)
        eq_sift_down(q->heap, q->n, i, q->heap[i]);
}

static void eq_compact(EventQueue *q)
{
    size_t w = 0;
    for (size_t r = 0; r < q->n; r++)
        if (eq_live(q, &q->heap[r]))
            q->heap[w++] = q->heap[r];
    q->n = w;
    q->stale = 0;
    eq_heapify(q);
}

bool eq_pending(const EventQueue *q, EqId id)
{
    uint32_t s = (uint32_t)id - 1;
    return id && s < q->nslots && q->slots[s].seq &&
           q->slots[s].gen == (uint32_t)(id >> 32);
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
    while (q->stale && q->n && !eq_live(q, &q->heap[0])) {
        eq_remove_top(q);
        q->stale--;
    }
}

bool eq_peek_slow(EventQueue *q, int64_t *time, uint64_t *seq)
{
    eq_skip_stale(q);
    if (!q->n)
        return false;
    *time = q->heap[0].time;
    *seq = q->heap[0].key >> EQ_SLOT_BITS;
    return true;
}

bool eq_pop(EventQueue *q, int64_t *time, uint64_t *seq, EqPayload *p,
            EqId *id)
{
    eq_skip_stale(q);
    if (!q->n)
        return false;
    EqEntry top = q->heap[0];
    uint32_t s = (uint32_t)(top.key & EQ_SLOT_MASK);
    /* The next pop will most likely read the slot of the smallest of the
     * root's children (one line, read first by the sift-down anyway):
     * start that miss now, so it overlaps the whole sift-down and whatever
     * the caller does before popping again. */
    if (q->n > 2) {
        size_t c = eq_min_child(q->heap, 1, q->n - 1 >= 4 ? 4 : q->n - 1);
        __builtin_prefetch(&q->slots[q->heap[c].key & EQ_SLOT_MASK]);
    }
    *time = top.time;
    *seq = top.key >> EQ_SLOT_BITS;
    *p = q->slots[s].payload;
    if (id)
        *id = ((uint64_t)q->slots[s].gen << 32) | (s + 1);
    eq_slot_release(q, s);
    eq_remove_top(q);
    return true;
}

static int eq_cmp_entries(const void *a, const void *b)
{
    unsigned __int128 x = eq_k(a), y = eq_k(b);
    return x < y ? -1 : x > y;
}

uint64_t eq_renumber(EventQueue *q, uint64_t first, uint64_t step)
{
    eq_compact(q);
    qsort(q->heap, q->n, sizeof *q->heap, eq_cmp_entries);
    uint64_t seq = first;
    for (size_t i = 0; i < q->n; i++, seq += step) {
        uint32_t s = (uint32_t)(q->heap[i].key & EQ_SLOT_MASK);
        q->slots[s].seq = seq;
        q->heap[i].key = (seq << EQ_SLOT_BITS) | s;
    }
    return seq; /* a sorted array is a heap */
}
