/* event_queue.h — the engine's pending events, ordered by (time, seq).
 * Internal to sim/. See event_queue.c for the design. */
#ifndef CAPSIM_EVENT_QUEUE_H
#define CAPSIM_EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t EqId; /* (generation << 32) | (slot + 1); 0 is never valid */

#define EQ_SLOT_BITS 24
#define EQ_MAX_SLOTS (1u << EQ_SLOT_BITS)        /* pending events at once */
#define EQ_SEQ_LIMIT ((uint64_t)1 << (64 - EQ_SLOT_BITS)) /* renumber below */

/* What an event carries; the queue never looks inside. */
typedef struct EqPayload {
    uint32_t kind;
    uint32_t aux;
    void *a;
    void *b;
} EqPayload;

/* 16 bytes: four children fill one 64-byte line. key = seq << 24 | slot,
 * so comparing (time, key) is comparing (time, seq): seqs are unique. */
typedef struct EqEntry {
    int64_t time;
    uint64_t key;
} EqEntry;

typedef struct EqSlot {
    EqPayload payload;
    uint64_t seq;       /* seq of the live entry, 0 when none */
    uint32_t gen;       /* bumped whenever the slot's event ends */
    uint32_t next_free; /* free-list link (slot index + 1, 0 = end) */
} EqSlot;

typedef struct EventQueue {
    EqEntry *mem;       /* allocation; the heap is 64-byte aligned inside */
    EqEntry *heap;      /* heap[0] is the minimum */
    size_t n;           /* entries in the heap, live or stale */
    size_t cap;
    size_t stale;       /* cancelled entries still in the heap */
    EqSlot *slots;
    uint32_t nslots;
    uint32_t slot_cap;
    uint32_t free_head; /* slot index + 1, 0 = none */
} EventQueue;

void eq_init(EventQueue *q);
void eq_free(EventQueue *q);
/* seq must be unique, >= 1 and < EQ_SEQ_LIMIT. */
EqId eq_push(EventQueue *q, int64_t time, uint64_t seq, const EqPayload *p);
bool eq_cancel(EventQueue *q, EqId id);
/* True if `id` names an event still pending. */
bool eq_pending(const EventQueue *q, EqId id);
/* Minimum live entry without removing it; false when empty. Inline (the
 * engine asks before every step); with cancelled entries still in the heap
 * it first drops those at the top (eq_peek_slow). */
bool eq_peek_slow(EventQueue *q, int64_t *time, uint64_t *seq);
static inline bool eq_peek(EventQueue *q, int64_t *time, uint64_t *seq)
{
    if (__builtin_expect(q->stale != 0, 0))
        return eq_peek_slow(q, time, seq);
    if (!q->n)
        return false;
    *time = q->heap[0].time;
    *seq = q->heap[0].key >> EQ_SLOT_BITS;
    return true;
}
/* Remove the minimum live entry; false when empty. *id (if not NULL) gets
 * the id eq_push returned for it. */
bool eq_pop(EventQueue *q, int64_t *time, uint64_t *seq, EqPayload *p,
            EqId *id);
/* Give the pending events new seqs first, first + step, ... in their
 * order, keeping ids valid; returns the next free seq. */
uint64_t eq_renumber(EventQueue *q, uint64_t first, uint64_t step);
static inline size_t eq_size(const EventQueue *q) { return q->n - q->stale; }

#endif
