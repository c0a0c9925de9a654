/* viz_steps.c — a watched run as a human-readable step listing.
 *
 * What it models: what a teacher reads out: for every syscall, when it
 * entered the kernel, which thread of which process made it, the call with
 * its arguments decoded (handles with what they named), the result, and
 * the changes to the capability graph it caused, one per line:
 *
 *        1200 ns  t3 sender      zx_channel_write(handle=0x2b3 [channel 12],
 *                                  ...) -> ZX_OK
 *                                  - handle 0x5e1 to vmo 20 'secret' [R W M T D] left process 5 'sender'
 *                                  > vmo 20 'secret' [R W M T D] sent into channel 12
 *
 * A call is listed when it returns (a call that blocked shows both times);
 * changes are attributed to the call open on the thread that emitted them
 * (a reply delivered by another thread's call shows under that call).
 * Records made outside any call (timers, thread exits, the host's notes)
 * are listed as "engine" lines. Calls still blocked at the end are listed
 * last. Kills, job-policy actions, exceptions and faults read as
 * viz_codes.c words them ("! job policy of process 9 'child': NEW_PROCESS
 * -> DENY"), notes as "= text", what a process printed as "| stdout: text"
 * (or stderr) where it printed it.
 *
 * Objects are named as the pictures name them: type, koid and, where the
 * object has one, its name. Names come from what the processes' threads
 * were called when they ran, what objects were called when last passed to
 * a syscall, the recorder's snapshots (earliest first) and, for the rest,
 * the objects alive when the listing is made.
 *
 * Invariants: the text depends only on the trace and the recorder's tables
 * (koid -> type names come from object_create records) and the kernel's
 * state when it is made: byte-identical for equal runs listed at the same
 * point. Left out: the engine's scheduling records (see the Perfetto
 * export for those).
 * Read next: docs/graphs.md.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscall.h"
#include "viz_codes.h"
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
    GHashTable *names;        /* koid -> object name (owned) */
} VizSteps;

static void viz_steps_learn(VizSteps *s, uint64_t koid, const char *name)
{
    if (koid && name && *name && !g_hash_table_contains(s->names, &koid))
        g_hash_table_insert(s->names, g_memdup2(&koid, sizeof koid), g_strdup(name));
}

static void viz_steps_learn_snapshot(VizSteps *s, const ExportSnapshot *snap)
{
    for (size_t i = 0; snap && i < snap->nnodes; i++)
        if (snap->nodes[i].kind == EXPORT_NODE_OBJECT)
            viz_steps_learn(s, snap->nodes[i].id, snap->nodes[i].name);
}

/* Every name the listing can know (see the top of the file). */
static void viz_steps_learn_names(VizSteps *s)
{
    for (size_t i = 0, n = sim_trace_count(s->e); i < n; i++) {
        VizThreadInfo ti;
        const SimTraceRecord *r = sim_trace_get(s->e, i);
        if (r->thread && viz_recorder_thread(s->rec, r->thread, &ti)) {
            viz_steps_learn(s, ti.process_koid, ti.process_name);
            viz_steps_learn(s, ti.thread_koid, ti.thread_name);
        }
    }
    for (size_t i = 0, n = sim_trace_count(s->e); i < n; i++) {
        const SimTraceRecord *r = sim_trace_get(s->e, i);
        if (r->kind == KTR_OBJECT_CREATE)
            viz_steps_learn(s, r->a, viz_recorder_name(s->rec, r->a));
    }
    for (size_t i = 0; i < viz_recorder_count(s->rec); i++)
        viz_steps_learn_snapshot(s, viz_recorder_get(s->rec, i));
    Kernel *k = viz_recorder_kernel(s->rec);
    ExportSnapshot *now = k ? export_snapshot(k) : NULL;
    viz_steps_learn_snapshot(s, now);
    if (now)
        export_snapshot_free(now);
}

/* "vmo 20 'secret'"; `type` when the trace never said what koid is. */
static void viz_steps_object(void *ctx, uint64_t koid, const char *type, char *buf, size_t len)
{
    VizSteps *s = ctx;
    const char *known = g_hash_table_lookup(s->types, &koid);
    const char *name = g_hash_table_lookup(s->names, &koid);
    if (name)
        snprintf(buf, len, "%s %" PRIu64 " '%s'", known ? known : type, koid, name);
    else
        snprintf(buf, len, "%s %" PRIu64, known ? known : type, koid);
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

/* What a process wrote, where it wrote it, so that its prints read among
 * its calls: "| stdout: text" for one chunk as written, its final newline
 * left out and any other shown as \n (one listing line per chunk). */
static void viz_steps_output(const SimTraceRecord *r, GString *o)
{
    g_string_append_printf(o, "| %s: ", r->b == 2 ? "stderr" : "stdout");
    const char *t = r->text ? r->text : "";
    size_t n = strlen(t);
    if (n && t[n - 1] == '\n')
        n--;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\n')
            g_string_append(o, "\\n");
        else
            g_string_append_c(o, t[i]);
    }
}

/* One graph change or event as text; false for records that are neither. */
static bool viz_steps_change(VizSteps *s, const SimTraceRecord *r, GString *o)
{
    char rights[160], what[256], where[256], line[600];
    switch (r->kind) {
    case KTR_HANDLE_ADD:
    case KTR_HANDLE_REMOVE:
        viz_style_rights_plain((uint32_t)r->c, rights, sizeof rights);
        viz_steps_object(s, r->b, "object", what, sizeof what);
        viz_steps_object(s, r->a, "process", where, sizeof where);
        /* a dying process's table is emptied without values */
        g_string_append_printf(o, "%c handle ", r->kind == KTR_HANDLE_ADD ? '+' : '-');
        if (r->d)
            g_string_append_printf(o, "0x%" PRIx64 " ", r->d);
        g_string_append_printf(o, "to %s [%s] %s %s", what, rights,
                               r->kind == KTR_HANDLE_ADD ? "in" : "left", where);
        return true;
    case KTR_HANDLE_SEND:
    case KTR_HANDLE_RECEIVE:
        viz_style_rights_plain((uint32_t)r->c, rights, sizeof rights);
        viz_steps_object(s, r->b, "object", what, sizeof what);
        viz_steps_object(s, r->d, "channel", where, sizeof where);
        g_string_append_printf(o, "%c %s [%s] %s %s", r->kind == KTR_HANDLE_SEND ? '>' : '<', what,
                               rights, r->kind == KTR_HANDLE_SEND ? "sent into" : "received from",
                               where);
        return true;
    case KTR_OBJECT_CREATE:
        viz_steps_object(s, r->a, r->text ? r->text : "object", what, sizeof what);
        g_string_append_printf(o, "* created %s", what);
        return true;
    case KTR_OBJECT_DESTROY:
        viz_steps_object(s, r->a, "object", what, sizeof what);
        g_string_append_printf(o, "x destroyed %s", what);
        return true;
    case KTR_OUTPUT:
        viz_steps_output(r, o);
        return true;
    default:
        if (!viz_codes_event(r, viz_steps_object, s, line, sizeof line))
            return false;
        g_string_append(o, line);
        return true;
    }
}

static void viz_steps_print_call(VizSteps *s, VizStepCall *c, const SimTraceRecord *exit)
{
    const SimTraceRecord *en = sim_trace_get(s->e, c->enter);
    char who[64], call[1024];
    VizSyscall sc;
    if (viz_recorder_syscall(s->rec, en->seq, &sc))
        viz_syscalls_format(sc.op, sc.args, sc.handles, call, sizeof call);
    else
        snprintf(call, sizeof call, "%s%s(...)", en->a < SYS_COUNT ? "zx_" : "",
                 en->text ? en->text : "?"); /* the SDK's own requests: no zx_ */
    g_string_append_printf(s->out, "%12" PRId64 " ns  %s %s", en->time,
                           viz_steps_who(s, en->thread, who, sizeof who), call);
    if (exit) {
        char num[32];
        g_string_append_printf(s->out, " -> %s",
                               viz_syscalls_result(exit->a, (int64_t)exit->b, num, sizeof num));
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
        .names = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free),
    };
    viz_steps_learn_names(&s);
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
    g_hash_table_destroy(s.names);
    if (len)
        *len = s.out->len;
    char *out = malloc(s.out->len + 1);
    memcpy(out, s.out->str, s.out->len + 1);
    g_string_free(s.out, TRUE);
    return out;
}
