/* trace.h — the engine's trace: records, the running hash, the sinks.
 * Internal to sim/. See trace.c for the design. */
#ifndef CAPSIM_TRACE_H
#define CAPSIM_TRACE_H

#include <stdio.h>

#include "sim.h"

/* For the per-record and per-step helpers here and in engine.h: every
 * kernel entry runs them, and with link-time optimization the inliner's
 * growth limits would otherwise decide, call site by call site, which of
 * them stay inline. */
#define SIM_HOT_INLINE __attribute__((always_inline)) static inline

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
    uint64_t key[8];           /* trace_mix's constants (trace_init) */
    uint64_t total;            /* records emitted */
    bool sink;                 /* keep || file: take the slow path */
    bool keep;
    SimTraceRecord *recs;      /* memory sink */
    size_t nrecs, cap;
    uint64_t keep_limit;       /* cfg.record_limit (0: none) */
    bool keep_full;            /* the memory sink reached keep_limit */
    FILE *file;                /* JSON-lines sink */
    int file_error;            /* errno of its first failed write, or 0 */
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

/* The record hash. A record is seven words: time; its tag (kind, cpu + 1
 * and thread packed into one word, trace_tag); a, b, c, d; and the text's
 * content hash (0 without text). The running state is two 64-bit lanes
 * (lo, hi); each record replaces them with "folded multiplies" (the
 * 128-bit product of two words, high half XOR low half: wyhash's
 * primitive) of the state mixed with the record's words:
 *   lo' = fold(lo ^ time, hi ^ tag)
 *   hi' = fold(lo ^ a ^ k0, hi ^ b ^ k1) + rest
 *   rest = fold(c ^ k2, d ^ k3) + fold(text_hash ^ k4, k5) - Z
 * with odd keys k0..k5 (k0, k1 keep the two products' operands apart)
 * and Z the value of the two folds for c = d = text_hash = 0, so that
 * rest is 0 for the records that have none of them (every
 * KERNEL_ENTER/EXIT, SWITCH, BLOCK and WAKE): two independent multiplies
 * per such record, three for a record without text (key[7] holds the
 * text fold minus Z). Every word of a record enters one multiply with the
 * whole state, and the next record mixes both lanes again; sim_trace_hash
 * finalizes both lanes. unsigned __int128 arithmetic is exact at every
 * optimization level, with or without sanitizers. */
SIM_HOT_INLINE uint64_t trace_fold(uint64_t x, uint64_t y)
{
    unsigned __int128 p = (unsigned __int128)x * y;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* The constants live in the Trace (TRACE_KEYS, copied by trace_init, then
 * key[6] = Z and key[7]) so that each is one memory operand instead of a
 * 10-byte immediate load. */
#define TRACE_KEYS                                                            \
    { 0x165667B19E3779F9ull, 0xD6E8FEB86659FD93ull, 0xA0761D6478BD642Full,     \
      0xE7037ED1A0B428DBull, 0x8EBC6AF09C88C6E3ull, 0x589965CC75374CC3ull }

/* One word for kind (< 2^16, trace_kind_set and sim_trace_emit check it),
 * cpu + 1 (0..SIM_MAX_CPUS; 0 = no CPU) and thread (an id < 2^32,
 * thread.c checks it): injective, so no two records share a tag. */
SIM_HOT_INLINE uint64_t trace_tag(uint32_t kind, int32_t cpu, uint64_t thread)
{
    return kind | (uint64_t)(uint32_t)(cpu + 1) << 16 | thread << 32;
}

/* The two lanes' update; `rest` is hi's part from c, d and the text. */
SIM_HOT_INLINE void trace_absorb(Trace *tr, uint64_t time, uint64_t tag,
                                 uint64_t a, uint64_t b, uint64_t rest)
{
    const uint64_t *k = tr->key;
    uint64_t lo = tr->h.lo, hi = tr->h.hi;
    tr->h.lo = trace_fold(lo ^ time, hi ^ tag);
    tr->h.hi = trace_fold(lo ^ a ^ k[0], hi ^ b ^ k[1]) + rest;
}

SIM_HOT_INLINE void trace_mix(Trace *tr, uint64_t time, uint64_t tag,
                              uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                              uint64_t text_hash)
{
    const uint64_t *k = tr->key;
    trace_absorb(tr, time, tag, a, b,
                 trace_fold(c ^ k[2], d ^ k[3]) +
                     trace_fold(text_hash ^ k[4], k[5]) - k[6]);
}

/* trace_mix for a record without text. */
SIM_HOT_INLINE void trace_mix6(Trace *tr, uint64_t time, uint64_t tag,
                               uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    const uint64_t *k = tr->key;
    trace_absorb(tr, time, tag, a, b, trace_fold(c ^ k[2], d ^ k[3]) + k[7]);
}

/* trace_mix for a record whose c, d and text are 0: rest is 0. */
SIM_HOT_INLINE void trace_mix4(Trace *tr, uint64_t time, uint64_t tag,
                               uint64_t a, uint64_t b)
{
    trace_absorb(tr, time, tag, a, b, 0);
}

/* The common case: a record without text. Inline: every switch emits one. */
SIM_HOT_INLINE void trace_put_fast(Trace *tr, SimTime time, uint32_t kind,
                                  int32_t cpu, uint64_t thread, uint64_t a,
                                  uint64_t b)
{
    if (__builtin_expect(tr->sink, 0)) {
        trace_put(tr, time, kind, cpu, thread, a, b, 0, 0, NULL);
        return;
    }
    trace_mix4(tr, (uint64_t)time, trace_tag(kind, cpu, thread), a, b);
    tr->total++;
}

/* KERNEL_ENTER/EXIT: a = op, b. The op NUMBER identifies the request, so
 * only it is hashed; the op's name (from the model's SimOpNameFn, cached)
 * is attached as the record's text for the sinks only. Inline: every
 * sim_enter emits two. */
SIM_HOT_INLINE void trace_put_op(Trace *tr, SimTime time, uint32_t kind,
                                int32_t cpu, uint64_t thread, uint64_t op,
                                uint64_t b)
{
    if (__builtin_expect(tr->sink, 0)) {
        trace_put_op_slow(tr, time, kind, cpu, thread, op, b);
        return;
    }
    trace_mix4(tr, (uint64_t)time, trace_tag(kind, cpu, thread), op, b);
    tr->total++;
}

#endif
