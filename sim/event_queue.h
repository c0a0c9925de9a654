/* event_queue.h — the engine's pending events, ordered by (time, seq).
 * Internal to sim/. See event_queue.c for the design. */
#ifndef CAPSIM_EVENT_QUEUE_H
#define CAPSIM_EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t EqId; /* (generation << 32) | (slot + 1); 0 is never valid */

/* What an event carries; the queue never looks inside. */
typedef struct EqPayload {
    uint32_t kind;
    uint32_t aux;
    void *a;
    void *b;
} EqPayload;

typedef struct EqEntry {
    int64_t time;
    uint64_t seq;
    uint32_t slot;
    uint32_t gen;
} EqEntry;

typedef struct EqSlot {
    EqPayload payload;
    uint32_t gen;       /* bumped whenever the slot's event ends */
    uint32_t next_free; /* free-list link (slot index + 1, 0 = end) */
} EqSlot;

typedef struct EventQueue {
    EqEntry *heap;      /* 4-ary min-heap, entry 0 is the minimum */
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
EqId eq_push(EventQueue *q, int64_t time, uint64_t seq, const EqPayload *p);
bool eq_cancel(EventQueue *q, EqId id);
/* True if `id` names an event still pending. */
bool eq_pending(const EventQueue *q, EqId id);
/* Minimum live entry without removing it; false when empty. */
bool eq_peek(EventQueue *q, int64_t *time, uint64_t *seq);
/* Remove the minimum live entry; false when empty. *id (if not NULL) gets
 * the id eq_push returned for it. */
bool eq_pop(EventQueue *q, int64_t *time, uint64_t *seq, EqPayload *p,
            EqId *id);
static inline size_t eq_size(const EventQueue *q) { return q->n - q->stale; }

#endif
