/* viz_steps.c — a watched run as a human-readable step listing.
 *
 * What it models: what a teacher reads out: for every syscall, when it
 * entered the kernel, which thread of which process made it, the call with
 * its arguments decoded (handles with what they named), the result, and
 * the changes to the capability graph it caused, one per line:
 *
 *        1200 ns  t3 sender      zx_channel_write(handle=0x2b3 [channel 12],
 *                                  ...) -> ZX_OK
 *                                  - handle 0x5e1 to vmo 20 [R W M T D] left process 5
 *                                  > vmo 20 [R W M T D] sent into channel 12
 *
 * A call is listed when it returns (a call that blocked shows both times);
 * changes are attributed to the call open on the thread that emitted them
 * (a reply delivered by another thread's call shows under that call).
 * Records made outside any call (timers, thread exits) are listed as
 * "engine" lines. Calls still blocked at the end are listed last.
 *
 * Invariants: the text depends only on the trace and the recorder's tables
 * (koid -> type names come from object_create records): byte-identical for
 * equal runs. Left out: the engine's scheduling records (see the Perfetto
 * export for those).
 * Read next: docs/graphs.md.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "viz_style.h"
#include "viz_traceout.h"

typedef struct VizStepCall {
    size_t enter;             /* record index */
    bool blocked;
    GString *changes;
} VizStepCall;

typedef struct VizSteps {
    const VizRecorder *rec;
    SimEngine *e;
    GString *out;
    GHashTable *open;         /* thread -> VizStepCall* */
    GHashTable *types;        /* koid -> type name (static strings) */
} VizSteps;

static const char *viz_steps_type(VizSteps *s, uint64_t koid)
{
    const char *t = g_hash_table_lookup(s->types, &koid);
    return t ? t : "object";
}

static const char *viz_steps_who(VizSteps *s, uint64_t thread, char *buf, size_t len)
{
    VizThreadInfo ti;
    if (thread && viz_recorder_thread(s->rec, thread, &ti))
        snprintf(buf, len, "t%-3" PRIu64 " %-12s", thread, ti.process_name);
    else if (thread)
        snprintf(buf, len, "t%-3" PRIu64 " %-12s", thread, "?");
    else
        snprintf(buf, len, "%-17s", "engine");
    return buf;
}

/* One graph change as text; false for records that are not changes. */
static bool viz_steps_change(VizSteps *s, const SimTraceRecord *r, GString *o)
{
    char rights[160];
    switch (r->kind) {
    case KTR_HANDLE_ADD:
    case KTR_HANDLE_REMOVE:
        viz_style_rights_plain((uint32_t)r->c, rights, sizeof rights);
        g_string_append_printf(o, "%c handle 0x%" PRIx64 " to %s %" PRIu64 " [%s] %s process %" PRIu64,
                               r->kind == KTR_HANDLE_ADD ? '+' : '-', r->d,
                               viz_steps_type(s, r->b), r->b, rights,
                               r->kind == KTR_HANDLE_ADD ? "in" : "left", r->a);
        return true;
    case KTR_HANDLE_SEND:
    case KTR_HANDLE_RECEIVE:
        viz_style_rights_plain((uint32_t)r->c, rights, sizeof rights);
        g_string_append_printf(o, "%c %s %" PRIu64 " [%s] %s channel %" PRIu64,
                               r->kind == KTR_HANDLE_SEND ? '>' : '<', viz_steps_type(s, r->b), r->b,
                               rights, r->kind == KTR_HANDLE_SEND ? "sent into" : "received from", r->d);
        return true;
    case KTR_OBJECT_CREATE:
        g_string_append_printf(o, "* created %s %" PRIu64, r->text ? r->text : "object", r->a);
        return true;
    case KTR_OBJECT_DESTROY:
        g_string_append_printf(o, "x destroyed %s %" PRIu64, viz_steps_type(s, r->a), r->a);
        return true;
    case KTR_TASK_KILL:
        g_string_append_printf(o, "! killed %s %" PRIu64 " (return code %" PRId64 ")",
                               viz_steps_type(s, r->a), r->a, (int64_t)r->b);
        return true;
    case KTR_POLICY:
        g_string_append_printf(o, "! job policy: process %" PRIu64 " condition %" PRIu64 " action %" PRIu64,
                               r->a, r->b, r->c);
        return true;
    case KTR_EXCEPTION:
        g_string_append_printf(o, "! exception type 0x%" PRIx64 " on thread %" PRIu64, r->b, r->a);
        return true;
    case KTR_FAULT_INJECTED:
        g_string_append_printf(o, "! fault switch used: %s", r->text ? r->text : "?");
        return true;
    case SIM_TR_FAULT:
        g_string_append_printf(o, "! fault (kind %" PRIu64 ") in thread %" PRIu64, r->a, r->thread);
        return true;
    default:
        return false;
    }
}

static void viz_steps_print_call(VizSteps *s, VizStepCall *c, const SimTraceRecord *exit)
{
    const SimTraceRecord *en = sim_trace_get(s->e, c->enter);
    char who[64], call[1024];
    const VizSyscall *sc = viz_recorder_syscall(s->rec, en->seq);
    if (sc)
        viz_syscalls_format(sc->op, sc->args, sc->handles, call, sizeof call);
    else
        snprintf(call, sizeof call, "zx_%s(...)", en->text ? en->text : "?");
    g_string_append_printf(s->out, "%12" PRId64 " ns  %s %s", en->time,
                           viz_steps_who(s, en->thread, who, sizeof who), call);
    if (exit) {
        g_string_append_printf(s->out, " -> %s", viz_syscalls_status((int64_t)exit->b));
        if (c->blocked)
            g_string_append_printf(s->out, " (blocked until %" PRId64 " ns)", exit->time);
    } else {
        g_string_append(s->out, " ... still blocked at the end");
    }
    g_string_append_c(s->out, '\n');
    g_string_append(s->out, c->changes->str);
}

static void viz_steps_call_free(gpointer p)
{
    VizStepCall *c = p;
    g_string_free(c->changes, TRUE);
    g_free(c);
}

static void viz_steps_record(VizSteps *s, const SimTraceRecord *r, size_t i)
{
    if (r->kind == KTR_OBJECT_CREATE && r->text)
        g_hash_table_insert(s->types, g_memdup2(&r->a, sizeof r->a), (gpointer)g_intern_string(r->text));
    if (r->kind == SIM_TR_KERNEL_ENTER) {
        VizStepCall *c = g_new0(VizStepCall, 1);
        c->enter = i;
        c->changes = g_string_new(NULL);
        g_hash_table_replace(s->open, g_memdup2(&r->thread, sizeof r->thread), c);
        return;
    }
    VizStepCall *c = g_hash_table_lookup(s->open, &r->thread);
    if (r->kind == SIM_TR_BLOCK && c) {
        c->blocked = true;
        return;
    }
    if (r->kind == SIM_TR_KERNEL_EXIT) {
        if (c) {
            viz_steps_print_call(s, c, r);
            g_hash_table_remove(s->open, &r->thread);
        }
        return;
    }
    GString *line = g_string_new(NULL);
    if (viz_steps_change(s, r, line)) {
        if (c) {
            g_string_append_printf(c->changes, "%36s%s\n", "", line->str);
        } else {
            char who[64];
            g_string_append_printf(s->out, "%12" PRId64 " ns  %s %s\n", r->time,
                                   viz_steps_who(s, r->thread, who, sizeof who), line->str);
        }
    }
    g_string_free(line, TRUE);
}

char *viz_steps_text(const VizRecorder *rec, size_t *len)
{
    VizSteps s = {
        .rec = rec, .e = viz_recorder_engine(rec), .out = g_string_new(NULL),
        .open = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, viz_steps_call_free),
        .types = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
    };
    size_t n = sim_trace_count(s.e);
    for (size_t i = 0; i < n; i++)
        viz_steps_record(&s, sim_trace_get(s.e, i), i);
    /* calls still open, in thread order (thread ids are small counters) */
    for (uint64_t t = 0, left = g_hash_table_size(s.open); left; t++) {
        VizStepCall *c = g_hash_table_lookup(s.open, &t);
        if (c) {
            viz_steps_print_call(&s, c, NULL);
            left--;
        }
    }
    g_hash_table_destroy(s.open);
    g_hash_table_destroy(s.types);
    if (len)
        *len = s.out->len;
    char *out = malloc(s.out->len + 1);
    memcpy(out, s.out->str, s.out->len + 1);
    g_string_free(s.out, TRUE);
    return out;
}
