/* trace.c — every observable step of a run, hashed and optionally kept.
 *
 * Models: the run's history. Each record is {virtual time, seq, kind, cpu,
 * thread, a, b, c, d, text}; engine kinds are < 64 (sim.h), the model
 * registers its own (>= 64) with names for its arguments.
 *
 * Hash: every record feeds a 128-bit running hash (trace.h: the record's
 * seven words, kind, cpu and thread packed into one, each folded together
 * with the running state by independent 128-bit multiplies, two when c, d
 * and text are 0; text by CONTENT, never by pointer value), whether or
 * not a sink keeps it. KERNEL_ENTER/EXIT records hash
 * the request's op number, not its name: the name is attached for the
 * sinks only. Same seed and inputs give the same hash at any optimization
 * level, with or without sanitizers. The record number is implicit in the
 * order, so it is not hashed.
 *
 * Sinks: a memory sink (growable array; texts interned in a table the engine
 * owns, so record.text stays valid until sim_engine_free) toggled with
 * sim_trace_keep, bounded by cfg.record_limit (reaching it stops the run:
 * an endless app must not take all the host's memory), and a JSON-lines file sink: one object per record with
 * time, seq, kind name, cpu, thread, the kind's named arguments (a..d when
 * the kind is unregistered) and text, JSON-escaped (bytes that are not
 * UTF-8 become U+FFFD: an app's output or a file name may hold any bytes,
 * and a line must stay JSON). A write that fails (full disk) is remembered
 * and returned by sim_trace_close_file: a lost trace is never silent.
 *
 * Cost: an engine record without text and without sink is two
 * independent 64x64->128 multiplies (trace_put_fast in trace.h), about 20
 * instructions.
 *
 * Leaves out: Perfetto/Chrome export (viz/ reads the JSON lines).
 * Read next: engine.c (who emits what).
 */
#include "engine.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

static const struct {
    uint32_t kind;
    const char *name, *a, *b, *c;
} trace_engine_kinds[] = {
    { SIM_TR_THREAD_CREATE, "thread_create", "creator", "created", NULL },
    { SIM_TR_THREAD_START, "thread_start", "started", NULL, NULL },
    { SIM_TR_THREAD_EXIT, "thread_exit", "killed", "exited", NULL },
    { SIM_TR_SWITCH, "switch", "from", "to", NULL },
    { SIM_TR_KERNEL_ENTER, "kernel_enter", "op", NULL, NULL },
    { SIM_TR_KERNEL_EXIT, "kernel_exit", "op", "result", NULL },
    { SIM_TR_BLOCK, "block", "blocked", "deadline", NULL },
    { SIM_TR_WAKE, "wake", "woken", "timeout", NULL },
    { SIM_TR_TIMER, "timer", "timer", NULL, NULL },
    { SIM_TR_PREEMPT, "preempt", "forced", "preempted", NULL },
    { SIM_TR_FAULT, "fault", "fault_kind", "addr", "addr_kind" },
    { SIM_TR_CHOICE, "choice", "choice_kind", "n", "chosen" },
    { SIM_TR_SUSPEND, "suspend", "suspend", "target", NULL },
};

static void trace_kind_set(Trace *tr, uint32_t kind, const char *name,
                           const char *a, const char *b, const char *c,
                           const char *d);

void trace_init(Trace *tr)
{
    memset(tr, 0, sizeof *tr);
    tr->h.lo = 0x243F6A8885A308D3ull; /* pi digits: arbitrary, fixed */
    tr->h.hi = 0x13198A2E03707344ull;
    static const uint64_t keys[6] = TRACE_KEYS;
    memcpy(tr->key, keys, sizeof keys);
    uint64_t text0 = trace_fold(keys[4], keys[5]); /* text_hash 0 */
    tr->key[6] = trace_fold(keys[2], keys[3]) + text0; /* Z: and c = d = 0 */
    tr->key[7] = text0 - tr->key[6];
    for (size_t i = 0; i < G_N_ELEMENTS(trace_engine_kinds); i++)
        trace_kind_set(tr, trace_engine_kinds[i].kind,
                       trace_engine_kinds[i].name, trace_engine_kinds[i].a,
                       trace_engine_kinds[i].b, trace_engine_kinds[i].c, NULL);
}

void trace_free(Trace *tr)
{
    if (tr->file)
        fclose(tr->file);
    for (size_t i = 0; i < tr->nkinds; i++) {
        g_free(tr->kinds[i].name);
        for (int j = 0; j < 4; j++)
            g_free(tr->kinds[i].args[j]);
    }
    g_free(tr->kinds);
    for (size_t i = 0; i < tr->intern_cap; i++)
        g_free((char *)tr->intern[i].text);
    g_free(tr->intern);
    g_free(tr->ops);
    g_free(tr->recs);
    memset(tr, 0, sizeof *tr);
}

/* ---- texts ---------------------------------------------------------------*/

static uint64_t trace_text_hash(const char *s)
{
    uint64_t h = 0x9AE16A3B2F90404Full;
    size_t n = strlen(s);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w ^ ((uint64_t)n << 56)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
}

static void trace_intern_grow(Trace *tr)
{
    size_t ncap = tr->intern_cap ? tr->intern_cap * 2 : 256;
    TraceText *nt = g_new0(TraceText, ncap);
    for (size_t i = 0; i < tr->intern_cap; i++) {
        if (!tr->intern[i].text)
            continue;
        size_t j = tr->intern[i].hash & (ncap - 1);
        while (nt[j].text)
            j = (j + 1) & (ncap - 1);
        nt[j] = tr->intern[i];
    }
    g_free(tr->intern);
    tr->intern = nt;
    tr->intern_cap = ncap;
}

/* The interned copy of `s` (content-equal strings share one copy). */
static const TraceText *trace_intern(Trace *tr, const char *s, uint64_t h)
{
    if (2 * (tr->intern_n + 1) > tr->intern_cap)
        trace_intern_grow(tr);
    size_t j = h & (tr->intern_cap - 1);
    while (tr->intern[j].text) {
        if (tr->intern[j].hash == h && strcmp(tr->intern[j].text, s) == 0)
            return &tr->intern[j];
        j = (j + 1) & (tr->intern_cap - 1);
    }
    tr->intern[j].text = g_strdup(s);
    tr->intern[j].hash = h;
    tr->intern_n++;
    return &tr->intern[j];
}

const TraceText *trace_op_text(Trace *tr, uint64_t op)
{
    if (!tr->op_names)
        return NULL;
    if (op < 4096) {
        if (op >= tr->nops) {
            size_t n = op + 1 > 64 ? (op + 1) * 2 : 64;
            if (n > 4096)
                n = 4096;
            tr->ops = g_renew(TraceText, tr->ops, n);
            memset(tr->ops + tr->nops, 0, (n - tr->nops) * sizeof *tr->ops);
            tr->nops = n;
        }
        if (tr->ops[op].text)
            return &tr->ops[op];
    }
    const char *name = tr->op_names(op);
    if (!name)
        return NULL;
    const TraceText *t = trace_intern(tr, name, trace_text_hash(name));
    if (op < 4096)
        tr->ops[op] = *t;
    return t;
}

/* ---- records ---------------------------------------------------------------*/

static void trace_put_hashed(Trace *tr, SimTime time, uint32_t kind,
                             int32_t cpu, uint64_t thread, uint64_t a,
                             uint64_t b, uint64_t c, uint64_t d,
                             const char *text, uint64_t text_hash)
{
    trace_mix(tr, (uint64_t)time, trace_tag(kind, cpu, thread), a, b, c, d,
              text_hash);
    if (tr->sink) {
        SimTraceRecord r = { time, tr->total, kind, cpu, thread,
                             a, b, c, d, text };
        trace_sink_record(tr, &r);
    }
    tr->total++;
}

void trace_put(Trace *tr, SimTime time, uint32_t kind, int32_t cpu,
               uint64_t thread, uint64_t a, uint64_t b, uint64_t c,
               uint64_t d, const char *text)
{
    uint64_t th = 0;
    if (text) {
        th = trace_text_hash(text);
        if (tr->sink)
            text = trace_intern(tr, text, th)->text;
    }
    trace_put_hashed(tr, time, kind, cpu, thread, a, b, c, d, text, th);
}

/* With a sink: the op's name goes to the sink as text, but the hash covers
 * the op number only (as trace_put_op's fast path does). */
void trace_put_op_slow(Trace *tr, SimTime time, uint32_t kind, int32_t cpu,
                       uint64_t thread, uint64_t op, uint64_t b)
{
    const TraceText *t = trace_op_text(tr, op);
    trace_put_hashed(tr, time, kind, cpu, thread, op, b, 0, 0,
                     t ? t->text : NULL, 0);
}

/* ---- kinds -----------------------------------------------------------------*/

static void trace_kind_set(Trace *tr, uint32_t kind, const char *name,
                           const char *a, const char *b, const char *c,
                           const char *d)
{
    SIM_CHECK(kind < (1u << 16), "trace kind %u too large", kind);
    if (kind >= tr->nkinds) {
        size_t n = kind + 1 > 128 ? kind + 1 : 128;
        tr->kinds = g_renew(TraceKindInfo, tr->kinds, n);
        memset(tr->kinds + tr->nkinds, 0, (n - tr->nkinds) * sizeof *tr->kinds);
        tr->nkinds = n;
    }
    TraceKindInfo *k = &tr->kinds[kind];
    g_free(k->name);
    k->name = g_strdup(name);
    const char *args[4] = { a, b, c, d };
    for (int i = 0; i < 4; i++) {
        g_free(k->args[i]);
        k->args[i] = g_strdup(args[i]);
    }
}

/* ---- sinks -----------------------------------------------------------------*/

static void trace_json_string(FILE *f, const char *s)
{
    gchar *valid = NULL;
    if (!g_utf8_validate(s, -1, NULL))
        s = valid = g_utf8_make_valid(s, -1);
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
    g_free(valid);
}

static void trace_json_record(Trace *tr, const SimTraceRecord *r)
{
    static const char *const plain[4] = { "a", "b", "c", "d" };
    FILE *f = tr->file;
    const TraceKindInfo *k = r->kind < tr->nkinds && tr->kinds[r->kind].name
                                 ? &tr->kinds[r->kind] : NULL;
    fprintf(f, "{\"time\":%" PRId64 ",\"seq\":%" PRIu64 ",\"kind\":", r->time,
            r->seq);
    if (k) {
        trace_json_string(f, k->name);
    } else {
        fprintf(f, "\"kind_%u\"", r->kind);
    }
    fprintf(f, ",\"cpu\":%d,\"thread\":%" PRIu64, r->cpu, r->thread);
    const uint64_t v[4] = { r->a, r->b, r->c, r->d };
    for (int i = 0; i < 4; i++) {
        const char *name = k ? k->args[i] : plain[i];
        if (!name)
            continue;
        fputc(',', f);
        trace_json_string(f, name);
        fprintf(f, ":%" PRId64, (int64_t)v[i]);
    }
    if (r->text) {
        fputs(",\"text\":", f);
        trace_json_string(f, r->text);
    }
    if (fputs("}\n", f) == EOF && !tr->file_error)
        tr->file_error = errno ? errno : EIO;
}

/* The memory sink is full (cfg.record_limit): stop the run at the end of
 * this step, as sim_stop does; loop.c turns the stop into
 * SIM_RUN_RECORD_LIMIT and refuses later runs. */
static void trace_keep_full(Trace *tr)
{
    tr->keep_full = true;
    sim_stop((SimEngine *)((char *)tr - offsetof(SimEngine, trace)));
}

void trace_sink_record(Trace *tr, const SimTraceRecord *r)
{
    if (tr->keep) {
        if (tr->nrecs == tr->cap) {
            tr->cap = tr->cap ? tr->cap * 2 : 1024;
            tr->recs = g_renew(SimTraceRecord, tr->recs, tr->cap);
        }
        tr->recs[tr->nrecs++] = *r;
        if (tr->keep_limit && tr->nrecs >= tr->keep_limit && !tr->keep_full)
            trace_keep_full(tr);
    }
    if (tr->file)
        trace_json_record(tr, r);
}

/* ---- public API ------------------------------------------------------------*/

static inline uint64_t trace_current_thread(const SimEngine *e)
{
    if (e->caller)
        return e->caller->id;
    if (e->cur_cpu && e->cur_cpu->current)
        return e->cur_cpu->current->id;
    return 0;
}

/* A record with text, with a sink attached, or with a bad kind. */
__attribute__((noinline)) static void trace_emit_slow(SimEngine *e,
                                                      uint32_t kind,
                                                      uint64_t a, uint64_t b,
                                                      uint64_t c, uint64_t d,
                                                      const char *text)
{
    SIM_CHECK(kind < (1u << 16), "trace kind %u too large", kind);
    trace_put(&e->trace, e->now, kind, engine_trace_cpu(e),
              trace_current_thread(e), a, b, c, d, text);
}

/* The common model record (no text, no sink) calls nothing, so with LTO
 * it can be inlined where the model emits it. */
void sim_trace_emit(SimEngine *e, uint32_t kind, uint64_t a, uint64_t b,
                    uint64_t c, uint64_t d, const char *text)
{
    Trace *tr = &e->trace;
    if (__builtin_expect(text != NULL || tr->sink || kind >= (1u << 16), 0)) {
        trace_emit_slow(e, kind, a, b, c, d, text);
        return;
    }
    trace_mix6(tr, (uint64_t)e->now,
               trace_tag(kind, engine_trace_cpu(e), trace_current_thread(e)),
               a, b, c, d);
    tr->total++;
}

void sim_trace_register_kind(SimEngine *e, uint32_t kind, const char *name,
                             const char *arg_a, const char *arg_b,
                             const char *arg_c, const char *arg_d)
{
    trace_kind_set(&e->trace, kind, name, arg_a, arg_b, arg_c, arg_d);
}

const char *sim_trace_kind_name(SimEngine *e, uint32_t kind)
{
    Trace *tr = &e->trace;
    return kind < tr->nkinds ? tr->kinds[kind].name : NULL;
}

void sim_trace_keep(SimEngine *e, bool keep)
{
    e->trace.keep = keep;
    e->trace.sink = keep || e->trace.file;
}

size_t sim_trace_count(SimEngine *e)
{
    return e->trace.nrecs;
}

const SimTraceRecord *sim_trace_get(SimEngine *e, size_t i)
{
    return i < e->trace.nrecs ? &e->trace.recs[i] : NULL;
}

uint64_t sim_trace_total(SimEngine *e)
{
    return e->trace.total;
}

static void trace_attach_file(SimEngine *e, FILE *f);

int sim_trace_open_file(SimEngine *e, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    trace_attach_file(e, f);
    return 0;
}

int sim_trace_open_fd(SimEngine *e, int fd)
{
    FILE *f = fdopen(fd, "w");
    if (!f)
        return -errno;
    trace_attach_file(e, f);
    return 0;
}

static void trace_attach_file(SimEngine *e, FILE *f)
{
    sim_trace_close_file(e);
    e->trace.file = f;
    e->trace.file_error = 0;
    e->trace.sink = true;
    /* A file opened after the run began starts with what was kept, so it
     * holds the whole trace (set-up included), as the memory sink does. */
    for (size_t i = 0; i < e->trace.nrecs; i++)
        trace_json_record(&e->trace, &e->trace.recs[i]);
}

int sim_trace_close_file(SimEngine *e)
{
    Trace *tr = &e->trace;
    int err = tr->file_error;
    if (tr->file) {
        errno = 0;
        bool flushed = fflush(tr->file) == 0 && !ferror(tr->file);
        if (!flushed && !err)
            err = errno ? errno : EIO;
        if (fclose(tr->file) != 0 && !err)
            err = errno ? errno : EIO;
    }
    tr->file = NULL;
    tr->file_error = 0;
    tr->sink = tr->keep;
    return -err;
}

SimTraceHash sim_trace_hash(SimEngine *e)
{
    /* Finalize a copy: fold in the record count, then avalanche each lane. */
    SimTraceHash h = e->trace.h;
    uint64_t lo = h.lo ^ e->trace.total, hi = h.hi ^ (e->trace.total << 1);
    lo = (lo ^ (lo >> 33)) * 0xFF51AFD7ED558CCDull;
    lo = (lo ^ (lo >> 33)) * 0xC4CEB9FE1A85EC53ull;
    hi = (hi ^ (hi >> 30)) * 0xBF58476D1CE4E5B9ull;
    hi = (hi ^ (hi >> 27)) * 0x94D049BB133111EBull;
    h.lo = lo ^ (lo >> 33);
    h.hi = hi ^ (hi >> 31);
    return h;
}

void sim_trace_hash_hex(SimEngine *e, char *buf)
{
    SimTraceHash h = sim_trace_hash(e);
    snprintf(buf, 33, "%016" PRIx64 "%016" PRIx64, h.hi, h.lo);
}

void sim_trace_set_op_names(SimEngine *e, SimOpNameFn fn)
{
    Trace *tr = &e->trace;
    tr->op_names = fn;
    if (tr->ops)
        memset(tr->ops, 0, tr->nops * sizeof *tr->ops);
}
