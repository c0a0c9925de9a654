/* trace.h — the engine's trace: records, the running hash, the sinks.
 * Internal to sim/. See trace.c for the design. */
#ifndef CAPSIM_TRACE_H
#define CAPSIM_TRACE_H

#include <stdio.h>

#include "sim.h"

typedef struct TraceKindInfo {
    char *name;
    char *args[4];
} TraceKindInfo;

typedef struct TraceText {
    const char *text; /* interned copy, owned by the trace */
    uint64_t hash;
} TraceText;

typedef struct Trace {
    SimTraceHash h;            /* running lanes (finalized by sim_trace_hash) */
    uint64_t total;            /* records emitted */
    bool sink;                 /* keep || file: take the slow path */
    bool keep;
    SimTraceRecord *recs;      /* memory sink */
    size_t nrecs, cap;
    FILE *file;                /* JSON-lines sink */
    TraceKindInfo *kinds;      /* indexed by kind */
    size_t nkinds;
    TraceText *intern;         /* open addressing, power-of-two size */
    size_t intern_cap, intern_n;
    SimOpNameFn op_names;
    TraceText *ops;            /* cached op names, indexed by op */
    size_t nops;
} Trace;

void trace_init(Trace *tr);
void trace_free(Trace *tr);
/* Hash (and, with a sink, store) one record. `text` is hashed by content. */
void trace_put(Trace *tr, SimTime time, uint32_t kind, int32_t cpu,
               uint64_t thread, uint64_t a, uint64_t b, uint64_t c,
               uint64_t d, const char *text);
/* The text for request op `op` (NULL without op names); cached. */
const TraceText *trace_op_text(Trace *tr, uint64_t op);
void trace_put_op_slow(Trace *tr, SimTime time, uint32_t kind, int32_t cpu,
                       uint64_t thread, uint64_t op, uint64_t b);

void trace_sink_record(Trace *tr, const SimTraceRecord *r);

/* Multiply-xorshift, two lanes with independent odd constants. Each lane
 * first folds the record's words with a sum of products (independent
 * multiplies pipeline well), then mixes the sum into the running state. */
static inline void trace_mix(SimTraceHash *h, uint64_t w0, uint64_t w1,
                             uint64_t w2, uint64_t w3, uint64_t w4,
                             uint64_t w5, uint64_t w6, uint64_t w7)
{
    uint64_t m1 = w0 * 0x9E3779B97F4A7C15ull + w1 * 0xC2B2AE3D27D4EB4Full +
                  w2 * 0x165667B19E3779F9ull + w3 * 0xD6E8FEB86659FD93ull +
                  w4 * 0xA0761D6478BD642Full + w5 * 0xE7037ED1A0B428DBull +
                  w6 * 0x8EBC6AF09C88C6E3ull + w7 * 0x589965CC75374CC3ull;
    uint64_t m2 = w0 * 0xFF51AFD7ED558CCDull + w1 * 0xC4CEB9FE1A85EC53ull +
                  w2 * 0x94D049BB133111EBull + w3 * 0xBF58476D1CE4E5B9ull +
                  w4 * 0x2545F4914F6CDD1Dull + w5 * 0x27BB2EE687B0B0FDull +
                  w6 * 0x1D8E4E27C47D124Full + w7 * 0x9FB21C651E98DF25ull;
    uint64_t lo = (h->lo ^ m1) * 0x5851F42D4C957F2Dull;
    uint64_t hi = (h->hi ^ m2) * 0x14057B7EF767814Full;
    h->lo = lo ^ (lo >> 29);
    h->hi = hi ^ (hi >> 32);
}

/* The common case: a record without text. Inline: every switch emits one. */
static inline void trace_put_fast(Trace *tr, SimTime time, uint32_t kind,
                                  int32_t cpu, uint64_t thread, uint64_t a,
                                  uint64_t b)
{
    if (__builtin_expect(tr->sink, 0)) {
        trace_put(tr, time, kind, cpu, thread, a, b, 0, 0, NULL);
        return;
    }
    trace_mix(&tr->h, (uint64_t)time, kind | ((uint64_t)(uint32_t)cpu << 32),
              thread, a, b, 0, 0, 0);
    tr->total++;
}

/* KERNEL_ENTER/EXIT: a = op, b, text = the op's name (hashed by content,
 * from the per-op cache). Inline: every sim_enter emits two. */
static inline void trace_put_op(Trace *tr, SimTime time, uint32_t kind,
                                int32_t cpu, uint64_t thread, uint64_t op,
                                uint64_t b)
{
    uint64_t th = 0;
    if (tr->op_names) {
        if (__builtin_expect(op >= tr->nops || !tr->ops[op].text, 0)) {
            trace_put_op_slow(tr, time, kind, cpu, thread, op, b);
            return;
        }
        th = tr->ops[op].hash;
    }
    if (__builtin_expect(tr->sink, 0)) {
        trace_put_op_slow(tr, time, kind, cpu, thread, op, b);
        return;
    }
    trace_mix(&tr->h, (uint64_t)time, kind | ((uint64_t)(uint32_t)cpu << 32),
              thread, op, b, 0, 0, th);
    tr->total++;
}

#endif
