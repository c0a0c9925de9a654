/* viz_perfetto.c — a watched run as Chrome/Perfetto trace-event JSON.
 *
 * What it models: the run on a timeline, in virtual time (ts in
 * microseconds with nanosecond decimals, so one virtual ns is one ns on
 * screen). Tracks:
 *   - process "CPUs" (pid 0), one thread per virtual CPU: a slice per
 *     stretch a simulated thread ran there, from the engine's switch
 *     records;
 *   - one process per simulated process (pid = its koid), one thread per
 *     engine thread (tid = its engine id): a slice per syscall, from
 *     kernel_enter to kernel_exit (blocking included), with the decoded
 *     arguments and the result as args;
 *   - flow arrows from each handle_send to the handle_receive of the same
 *     object (first in, first out per object), bound to the enclosing
 *     syscall slices: a handle moving between processes is an arrow;
 *   - instant events for kills, exceptions, policy actions and faults.
 * Complete ("X") events are written when a slice ends, so the file is not
 * sorted by time; viewers sort it.
 *
 * Invariants: the text depends only on the trace and the recorder's
 * tables, written with integer formatting only: byte-identical for equal
 * runs. Left out: counters (queue lengths, memory) and async tracks.
 * Read next: viz_steps.c.
 */
#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "viz_codes.h"
#include "viz_traceout.h"

typedef struct VizPf {
    const VizRecorder *rec;
    SimEngine *e;
    GString *out;
    bool first;
    GHashTable *named;        /* pids/tids already described (lookups only) */
    GHashTable *enter;        /* thread -> kernel_enter record index + 1 */
    GHashTable *cpu_run;      /* cpu -> switch record index + 1 */
    GHashTable *sends;        /* object koid -> GQueue of flow ids */
    uint64_t next_flow;
} VizPf;

static void viz_pf_ts(GString *o, int64_t ns)
{
    g_string_append_printf(o, "%" PRId64 ".%03" PRId64, ns / 1000, ns % 1000);
}

/* A JSON string; names and decoded calls come from apps (any bytes), so
 * what is not UTF-8 becomes U+FFFD. */
static void viz_pf_str(GString *o, const char *s)
{
    gchar *valid = s ? g_utf8_make_valid(s, -1) : NULL;
    g_string_append_c(o, '"');
    for (s = valid; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            g_string_append_printf(o, "\\%c", c);
        else if (c < 0x20)
            g_string_append_printf(o, "\\u%04x", c);
        else
            g_string_append_c(o, (char)c);
    }
    g_string_append_c(o, '"');
    g_free(valid);
}

static void viz_pf_begin(VizPf *p)
{
    g_string_append(p->out, p->first ? "\n" : ",\n");
    p->first = false;
}

static uint64_t viz_pf_pid(VizPf *p, uint64_t thread)
{
    VizThreadInfo ti;
    if (!thread || !viz_recorder_thread(p->rec, thread, &ti))
        return 1; /* "engine / unknown" */
    char key[48];
    snprintf(key, sizeof key, "p%" PRIu64, ti.process_koid);
    if (!g_hash_table_contains(p->named, key)) {
        g_hash_table_add(p->named, g_strdup(key));
        viz_pf_begin(p);
        g_string_append_printf(p->out, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%" PRIu64
                                       ",\"args\":{\"name\":", ti.process_koid);
        char name[96];
        snprintf(name, sizeof name, "%s (koid %" PRIu64 ")", ti.process_name, ti.process_koid);
        viz_pf_str(p->out, name);
        g_string_append(p->out, "}}");
    }
    snprintf(key, sizeof key, "t%" PRIu64, thread);
    if (!g_hash_table_contains(p->named, key)) {
        g_hash_table_add(p->named, g_strdup(key));
        viz_pf_begin(p);
        g_string_append_printf(p->out, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%" PRIu64
                                       ",\"tid\":%" PRIu64 ",\"args\":{\"name\":", ti.process_koid, thread);
        char name[96];
        snprintf(name, sizeof name, "%s (thread koid %" PRIu64 ")", ti.thread_name, ti.thread_koid);
        viz_pf_str(p->out, name);
        g_string_append(p->out, "}}");
    }
    return ti.process_koid;
}

static const char *viz_pf_thread_name(VizPf *p, uint64_t thread, char *buf, size_t len)
{
    VizThreadInfo ti;
    if (viz_recorder_thread(p->rec, thread, &ti))
        snprintf(buf, len, "%s/%s", ti.process_name, ti.thread_name);
    else
        snprintf(buf, len, "thread %" PRIu64, thread);
    return buf;
}

static void viz_pf_cpu(VizPf *p, const SimTraceRecord *r, size_t i, bool close_only)
{
    gpointer at = g_hash_table_lookup(p->cpu_run, GINT_TO_POINTER(r->cpu + 1));
    if (at) {
        const SimTraceRecord *s = sim_trace_get(p->e, GPOINTER_TO_SIZE(at) - 1);
        char name[96];
        viz_pf_begin(p);
        g_string_append_printf(p->out, "{\"ph\":\"X\",\"pid\":0,\"tid\":%d,\"ts\":", r->cpu + 1);
        viz_pf_ts(p->out, s->time);
        g_string_append(p->out, ",\"dur\":");
        viz_pf_ts(p->out, r->time - s->time);
        g_string_append(p->out, ",\"name\":");
        viz_pf_str(p->out, viz_pf_thread_name(p, s->b, name, sizeof name));
        g_string_append(p->out, "}");
        g_hash_table_remove(p->cpu_run, GINT_TO_POINTER(r->cpu + 1));
    }
    if (!close_only && r->b)
        g_hash_table_insert(p->cpu_run, GINT_TO_POINTER(r->cpu + 1), GSIZE_TO_POINTER(i + 1));
}

static void viz_pf_syscall(VizPf *p, const SimTraceRecord *x)
{
    gpointer at = g_hash_table_lookup(p->enter, &x->thread);
    if (!at)
        return;
    const SimTraceRecord *en = sim_trace_get(p->e, GPOINTER_TO_SIZE(at) - 1);
    uint64_t pid = viz_pf_pid(p, x->thread);
    viz_pf_begin(p);
    g_string_append_printf(p->out, "{\"ph\":\"X\",\"cat\":\"syscall\",\"pid\":%" PRIu64 ",\"tid\":%" PRIu64
                                   ",\"ts\":", pid, x->thread);
    viz_pf_ts(p->out, en->time);
    g_string_append(p->out, ",\"dur\":");
    viz_pf_ts(p->out, x->time - en->time);
    char name[64];
    snprintf(name, sizeof name, "zx_%s", en->text ? en->text : "?");
    g_string_append(p->out, ",\"name\":");
    viz_pf_str(p->out, name);
    g_string_append(p->out, ",\"args\":{\"result\":");
    char num[32];
    viz_pf_str(p->out, viz_syscalls_result(x->a, (int64_t)x->b, num, sizeof num));
    VizSyscall call;
    if (viz_recorder_syscall(p->rec, en->seq, &call)) {
        char text[1024];
        viz_syscalls_format(call.op, call.args, call.handles, text, sizeof text);
        g_string_append(p->out, ",\"call\":");
        viz_pf_str(p->out, text);
    }
    g_string_append(p->out, "}}");
    g_hash_table_remove(p->enter, &x->thread);
}

static void viz_pf_flow(VizPf *p, const SimTraceRecord *r, bool send)
{
    GQueue *q = g_hash_table_lookup(p->sends, &r->b);
    uint64_t id;
    if (send) {
        if (!q) {
            q = g_queue_new();
            g_hash_table_insert(p->sends, g_memdup2(&r->b, sizeof r->b), q);
        }
        id = ++p->next_flow;
        g_queue_push_tail(q, GSIZE_TO_POINTER((gsize)id));
    } else {
        if (!q || g_queue_is_empty(q))
            return;
        id = GPOINTER_TO_SIZE(g_queue_pop_head(q));
    }
    uint64_t pid = viz_pf_pid(p, r->thread);
    viz_pf_begin(p);
    g_string_append_printf(p->out, "{\"ph\":\"%s\",\"cat\":\"handle\",\"id\":%" PRIu64 ",\"pid\":%" PRIu64
                                   ",\"tid\":%" PRIu64 ",\"ts\":", send ? "s" : "f", id, pid, r->thread);
    viz_pf_ts(p->out, r->time);
    g_string_append_printf(p->out, ",\"name\":\"handle to koid %" PRIu64 "\"%s}", r->b,
                           send ? "" : ",\"bp\":\"e\"");
}

static void viz_pf_instant(VizPf *p, const SimTraceRecord *r)
{
    uint64_t pid = viz_pf_pid(p, r->thread);
    const char *kind = sim_trace_kind_name(p->e, r->kind);
    char name[400];
    if (!viz_codes_event(r, NULL, NULL, name, sizeof name))
        snprintf(name, sizeof name, "%s a=%" PRIu64 " b=%" PRIu64 "%s%s", kind ? kind : "event",
                 r->a, r->b, r->text ? " " : "", r->text ? r->text : "");
    viz_pf_begin(p);
    g_string_append_printf(p->out, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%" PRIu64 ",\"tid\":%" PRIu64 ",\"ts\":",
                           pid, r->thread);
    viz_pf_ts(p->out, r->time);
    g_string_append(p->out, ",\"name\":");
    viz_pf_str(p->out, name);
    g_string_append(p->out, "}");
}

static void viz_pf_record(VizPf *p, const SimTraceRecord *r, size_t i)
{
    switch (r->kind) {
    case SIM_TR_SWITCH:
        if (r->cpu >= 0)
            viz_pf_cpu(p, r, i, false);
        break;
    case SIM_TR_KERNEL_ENTER:
        g_hash_table_insert(p->enter, g_memdup2(&r->thread, sizeof r->thread), GSIZE_TO_POINTER(i + 1));
        break;
    case SIM_TR_KERNEL_EXIT:
        viz_pf_syscall(p, r);
        break;
    case KTR_HANDLE_SEND:
    case KTR_HANDLE_RECEIVE:
        viz_pf_flow(p, r, r->kind == KTR_HANDLE_SEND);
        break;
    case KTR_TASK_KILL:
    case KTR_EXCEPTION:
    case KTR_POLICY:
    case KTR_FAULT_INJECTED:
    case SIM_TR_FAULT:
        viz_pf_instant(p, r);
        break;
    default:
        break;
    }
}

static void viz_pf_queue_free(gpointer q)
{
    g_queue_free(q);
}

char *viz_perfetto_json(const VizRecorder *rec, size_t *len)
{
    VizPf p = {
        .rec = rec, .e = viz_recorder_engine(rec), .out = g_string_new("{\"displayTimeUnit\":\"ns\",\"traceEvents\":["),
        .first = true,
        .named = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
        .enter = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
        .cpu_run = g_hash_table_new(g_direct_hash, g_direct_equal),
        .sends = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, viz_pf_queue_free),
    };
    viz_pf_begin(&p);
    g_string_append(p.out, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"args\":{\"name\":\"CPUs\"}}");
    viz_pf_begin(&p);
    g_string_append(p.out, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":{\"name\":\"engine\"}}");
    size_t n = sim_trace_count(p.e);
    int maxcpu = -1;
    for (size_t i = 0; i < n; i++) {
        const SimTraceRecord *r = sim_trace_get(p.e, i);
        if (r->cpu > maxcpu)
            maxcpu = r->cpu;
        viz_pf_record(&p, r, i);
    }
    int64_t end = n ? sim_trace_get(p.e, n - 1)->time : 0;
    for (int c = 0; c <= maxcpu; c++) {
        SimTraceRecord closing = {.time = end, .cpu = c, .kind = SIM_TR_SWITCH};
        viz_pf_cpu(&p, &closing, 0, true);
        viz_pf_begin(&p);
        g_string_append_printf(p.out, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":0,\"tid\":%d,"
                                      "\"args\":{\"name\":\"cpu %d\"}}", c + 1, c);
    }
    g_string_append(p.out, "\n]}\n");
    g_hash_table_destroy(p.named);
    g_hash_table_destroy(p.enter);
    g_hash_table_destroy(p.cpu_run);
    g_hash_table_destroy(p.sends);
    if (len)
        *len = p.out->len;
    char *out = malloc(p.out->len + 1);
    memcpy(out, p.out->str, p.out->len + 1);
    g_string_free(p.out, TRUE);
    return out;
}
