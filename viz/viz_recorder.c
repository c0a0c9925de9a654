/* viz_recorder.c — watching a run for graphs and traces.
 *
 * What it models: an observer that changes nothing observable. It wraps
 * the engine's one hook (and the thread-exit and fault callbacks, which
 * share its context) with its own: on every kernel entry it records the
 * request's argument words and what each handle argument named in the
 * caller's table, and which model thread/process the engine thread is;
 * then it calls the kernel's hook unchanged. After the call it takes a
 * snapshot if the syscall is one the schedule asks for. It never emits
 * trace records, so the trace hash of a recorded run equals that of an
 * unrecorded one.
 *
 * Schedules: every N engine events (the run is then driven by sim_step),
 * at virtual times (sim_run_until each time; combined with every-N, at the
 * first event at or past the time), after chosen syscalls, on demand, and
 * always a final one labelled "end".
 *
 * Invariants: syscall records are appended in trace order, so their seqs
 * ascend and lookups are binary searches; snapshots are kept in the order
 * taken. A syscall is kept compactly (VizRecCall: a 24-byte header, then
 * its own argument words and three words per handle argument in one
 * shared array) and expanded into a VizSyscall when read: a run that
 * never ends keeps ~100 bytes a syscall here, not VizSyscall's 344. Left out: snapshots inside a syscall (state is only consistent
 * between kernel operations).
 * Read next: viz_steps.c, viz_perfetto.c.
 */
#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viz_recorder.h"

/* One syscall as kept: its words are r->words[words_at...]: nargs argument
 * words, then per handle argument (in argument order) its koid, its
 * type << 32 | rights and its static type name's address. */
typedef struct VizRecCall {
    uint64_t seq;             /* trace seq of its kernel_enter record */
    uint64_t words_at;
    uint32_t thread;          /* engine thread id (< 2^32: thread.c) */
    uint16_t op;
    uint8_t nargs, nhandles;
} VizRecCall;

#define VIZ_REC_HANDLE_WORDS 3

typedef struct VizRecSnap {
    ExportSnapshot *snap;
    char *label;
} VizRecSnap;

struct VizRecorder {
    Kernel *k;
    SimEngine *e;
    bool attached;
    SimHookFn hook;
    SimThreadExitFn on_exit;
    SimFaultFn on_fault;
    void *ctx;
    GArray *calls;            /* VizRecCall, seq ascending */
    GArray *words;            /* uint64_t: the calls' arguments */
    GHashTable *threads;      /* engine id -> VizThreadInfo* (lookups only) */
    GHashTable *names;        /* koid -> last name seen on a handle argument */
    GPtrArray *snaps;         /* VizRecSnap* */
    uint64_t every;
    GArray *times;            /* int64 ns, ascending */
    guint next_time;
    uint8_t *at_op;           /* per op: snapshot after it */
    size_t nops;
    uint64_t *op_count;       /* calls seen per op (labels) */
    char *jsonl_path;         /* the JSON-lines sink's name, for messages */
};

static void viz_rec_thread_free(gpointer p)
{
    VizThreadInfo *t = p;
    g_free((char *)t->thread_name);
    g_free((char *)t->process_name);
    g_free(t);
}

static void viz_rec_note_thread(VizRecorder *r, SimThread *st)
{
    uint64_t id = sim_thread_id(st);
    VizThreadInfo *known = g_hash_table_lookup(r->threads, &id);
    ExportThreadInfo ti;
    if (!export_thread_info(st, &ti))
        return;
    if (known && known->thread_koid == ti.thread_koid)
        return;
    VizThreadInfo *t = g_new0(VizThreadInfo, 1);
    t->thread = id;
    t->thread_koid = ti.thread_koid;
    t->process_koid = ti.process_koid;
    t->thread_name = g_strdup(ti.thread_name);
    t->process_name = g_strdup(ti.process_name);
    g_hash_table_replace(r->threads, g_memdup2(&id, sizeof id), t);
}

static void viz_rec_note_name(VizRecorder *r, uint64_t koid, const char *name)
{
    const char *known = g_hash_table_lookup(r->names, &koid);
    if (name && *name && (!known || strcmp(known, name)))
        g_hash_table_replace(r->names, g_memdup2(&koid, sizeof koid), g_strdup(name));
}

static void viz_rec_take(VizRecorder *r, char *label)
{
    VizRecSnap *s = g_new0(VizRecSnap, 1);
    s->snap = export_snapshot(r->k);
    s->label = label;
    g_ptr_array_add(r->snaps, s);
}

/* Append `c` in its compact form (only the signature's arguments). */
static void viz_rec_keep_call(VizRecorder *r, const VizSyscall *c, const VizSyscallSig *sig)
{
    VizRecCall k = {.seq = c->seq, .words_at = r->words->len,
                    .thread = (uint32_t)c->thread, .op = (uint16_t)c->op,
                    .nargs = (uint8_t)(sig ? sig->nargs : 0)};
    g_array_append_vals(r->words, c->args, k.nargs);
    for (int i = 0; i < k.nargs; i++) {
        if (!viz_syscalls_arg_is_handle(sig, i))
            continue;
        const VizHandleArg *h = &c->handles[i];
        uint64_t w[VIZ_REC_HANDLE_WORDS] = {h->koid, (uint64_t)h->type << 32 | h->rights,
                                            (uint64_t)(uintptr_t)h->type_name};
        g_array_append_vals(r->words, w, VIZ_REC_HANDLE_WORDS);
        k.nhandles++;
    }
    g_array_append_val(r->calls, k);
}

static SimHookResult viz_rec_hook(SimEngine *e, SimThread *caller,
                                  SimRequest *req, void *ctx)
{
    VizRecorder *r = ctx;
    viz_rec_note_thread(r, caller);
    VizSyscall call;
    memset(&call, 0, sizeof call);
    call.seq = sim_trace_total(e) - 1; /* the kernel_enter just emitted */
    call.thread = sim_thread_id(caller);
    call.op = req->op;
    if (export_request_args(req, call.args)) {
        const VizSyscallSig *sig = viz_syscalls_get(req->op);
        for (int i = 0; sig && i < sig->nargs; i++) {
            const char *name = NULL;
            if (viz_syscalls_arg_is_handle(sig, i) &&
                export_resolve_handle(caller, (uint32_t)call.args[i], &call.handles[i].koid,
                                      &call.handles[i].type, &call.handles[i].type_name,
                                      &call.handles[i].rights, &name))
                viz_rec_note_name(r, call.handles[i].koid, name);
        }
        viz_rec_keep_call(r, &call, sig);
    }
    /* From here req is not read: it lives on the caller's stack, which is
     * gone if the hook ended the caller's process. */
    SimHookResult res = r->hook ? r->hook(e, caller, req, r->ctx) : SIM_HOOK_CONTINUE;
    if (call.op < r->nops) {
        r->op_count[call.op]++;
        if (r->at_op[call.op]) {
            const VizSyscallSig *sig = viz_syscalls_get(call.op);
            viz_rec_take(r, g_strdup_printf("after zx_%s #%" PRIu64 " (thread %" PRIu64
                                            ", %" PRId64 " ns)",
                                            sig ? sig->name : "?", r->op_count[call.op],
                                            call.thread, sim_now(e)));
        }
    }
    return res;
}

static void viz_rec_exit(SimEngine *e, SimThread *t, void *ctx)
{
    VizRecorder *r = ctx;
    viz_rec_note_thread(r, t);
    if (r->on_exit)
        r->on_exit(e, t, r->ctx);
}

static void viz_rec_fault(SimEngine *e, SimThread *t, int kind, uintptr_t addr,
                          void *ctx)
{
    VizRecorder *r = ctx;
    viz_rec_note_thread(r, t);
    if (r->on_fault)
        r->on_fault(e, t, kind, addr, r->ctx);
}

VizRecorder *viz_recorder_attach(Kernel *k)
{
    VizRecorder *r = g_new0(VizRecorder, 1);
    r->k = k;
    r->e = export_engine(k);
    const SimConfig *cfg = sim_engine_config(r->e);
    r->hook = cfg->hook;
    r->on_exit = cfg->on_thread_exit;
    r->on_fault = cfg->on_fault;
    r->ctx = cfg->hook_ctx;
    r->calls = g_array_new(FALSE, FALSE, sizeof(VizRecCall));
    r->words = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    r->threads = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, viz_rec_thread_free);
    r->names = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    r->snaps = g_ptr_array_new();
    r->times = g_array_new(FALSE, FALSE, sizeof(int64_t));
    r->nops = viz_syscalls_count();
    r->at_op = g_new0(uint8_t, r->nops);
    r->op_count = g_new0(uint64_t, r->nops);
    sim_trace_keep(r->e, true);
    sim_engine_set_hook(r->e, viz_rec_hook, viz_rec_exit, viz_rec_fault, r);
    r->attached = true;
    return r;
}

int viz_recorder_jsonl(VizRecorder *r, const char *path, char *err,
                       size_t errlen)
{
    /* "-" writes through the very descriptor of stdout (not a reopening of
     * /dev/stdout, which would truncate a file that `>>` appends to). */
    int fd = strcmp(path, "-") ? -1 : dup(STDOUT_FILENO);
    int rc = strcmp(path, "-") ? sim_trace_open_file(r->e, path)
             : fd < 0 ? -errno : sim_trace_open_fd(r->e, fd);
    if (rc < 0) {
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "%s: cannot open for writing: %s", path, g_strerror(-rc));
        return -1;
    }
    g_free(r->jsonl_path);
    r->jsonl_path = g_strdup(strcmp(path, "-") ? path : "stdout");
    return 0;
}

int viz_recorder_jsonl_close(VizRecorder *r, char *err, size_t errlen)
{
    if (!r->jsonl_path)
        return 0;
    int rc = sim_trace_close_file(r->e);
    if (rc < 0)
        snprintf(err, errlen, "%s: cannot write the trace: %s", r->jsonl_path, g_strerror(-rc));
    g_free(r->jsonl_path);
    r->jsonl_path = NULL;
    return rc < 0 ? -1 : 0;
}

/* Give the hook back only if it is still ours: a layer that wrapped us
 * later (the app world) restores ours when it goes, and then nothing runs
 * the engine again before it is freed. */
void viz_recorder_detach(VizRecorder *r)
{
    if (!r->attached)
        return;
    const SimConfig *cfg = sim_engine_config(r->e);
    if (cfg->hook == viz_rec_hook && cfg->hook_ctx == r)
        sim_engine_set_hook(r->e, r->hook, r->on_exit, r->on_fault, r->ctx);
    r->attached = false;
}

void viz_recorder_free(VizRecorder *r)
{
    if (!r)
        return;
    viz_recorder_detach(r);
    for (guint i = 0; i < r->snaps->len; i++) {
        VizRecSnap *s = r->snaps->pdata[i];
        export_snapshot_free(s->snap);
        g_free(s->label);
        g_free(s);
    }
    g_ptr_array_free(r->snaps, TRUE);
    g_array_free(r->calls, TRUE);
    g_array_free(r->words, TRUE);
    g_array_free(r->times, TRUE);
    g_hash_table_destroy(r->threads);
    g_hash_table_destroy(r->names);
    g_free(r->jsonl_path);
    g_free(r->at_op);
    g_free(r->op_count);
    g_free(r);
}

/* ---- Schedule ------------------------------------------------------------------*/

void viz_recorder_every(VizRecorder *r, uint64_t n)
{
    r->every = n;
}

static gint viz_rec_cmp_time(gconstpointer a, gconstpointer b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

void viz_recorder_at_time(VizRecorder *r, int64_t t)
{
    g_array_append_val(r->times, t);
    g_array_sort(r->times, viz_rec_cmp_time);
}

bool viz_recorder_at_syscall(VizRecorder *r, const char *name, char *err,
                             size_t errlen)
{
    int op = viz_syscalls_find(name);
    if (op < 0) {
        snprintf(err, errlen, "'%s' is not a syscall capsim models "
                 "(names as in zx_channel_write, with or without zx_)", name);
        return false;
    }
    r->at_op[op] = 1;
    return true;
}

const ExportSnapshot *viz_recorder_snapshot(VizRecorder *r, const char *label)
{
    viz_rec_take(r, g_strdup(label ? label : "snapshot"));
    return ((VizRecSnap *)r->snaps->pdata[r->snaps->len - 1])->snap;
}

/* Snapshots for every scheduled time at or before now. */
static void viz_rec_due_times(VizRecorder *r)
{
    while (r->next_time < r->times->len &&
           g_array_index(r->times, int64_t, r->next_time) <= sim_now(r->e)) {
        int64_t t = g_array_index(r->times, int64_t, r->next_time++);
        viz_rec_take(r, g_strdup_printf("t=%" PRId64 " ns", t));
    }
}

static SimRunResult viz_rec_run_stepping(VizRecorder *r)
{
    uint64_t steps = 0;
    for (;;) {
        SimRunResult res = sim_step(r->e);
        if (res != SIM_RUN_STEPPED)
            return res;
        steps++;
        viz_rec_due_times(r);
        if (steps % r->every == 0)
            viz_rec_take(r, g_strdup_printf("event %" PRIu64 " (%" PRId64 " ns)", steps,
                                            sim_now(r->e)));
    }
}

SimRunResult viz_recorder_run(VizRecorder *r)
{
    SimRunResult res;
    if (r->every) {
        res = viz_rec_run_stepping(r);
    } else {
        for (;;) {
            if (r->next_time >= r->times->len) {
                res = sim_run(r->e);
                break;
            }
            int64_t t = g_array_index(r->times, int64_t, r->next_time);
            res = sim_run_until(r->e, t);
            if (res != SIM_RUN_TIME_LIMIT)
                break;
            viz_rec_due_times(r);
        }
    }
    viz_rec_take(r, g_strdup("end"));
    return res;
}

/* ---- Reading -------------------------------------------------------------------*/

size_t viz_recorder_count(const VizRecorder *r) { return r->snaps->len; }
SimEngine *viz_recorder_engine(const VizRecorder *r) { return r->e; }
Kernel *viz_recorder_kernel(const VizRecorder *r) { return r->k; }

const char *viz_recorder_name(const VizRecorder *r, uint64_t koid)
{
    return g_hash_table_lookup(r->names, &koid);
}
size_t viz_recorder_nsyscalls(const VizRecorder *r) { return r->calls->len; }

const ExportSnapshot *viz_recorder_get(const VizRecorder *r, size_t i)
{
    return i < r->snaps->len ? ((VizRecSnap *)r->snaps->pdata[i])->snap : NULL;
}

const char *viz_recorder_label(const VizRecorder *r, size_t i)
{
    return i < r->snaps->len ? ((VizRecSnap *)r->snaps->pdata[i])->label : NULL;
}

size_t viz_recorder_find(const VizRecorder *r, const char *label)
{
    if (label[0] == '#') {
        char *end = NULL;
        unsigned long long i = strtoull(label + 1, &end, 10);
        return (*end || i >= r->snaps->len) ? VIZ_RECORDER_NONE : (size_t)i;
    }
    for (guint i = 0; i < r->snaps->len; i++)
        if (!strcmp(((VizRecSnap *)r->snaps->pdata[i])->label, label))
            return i;
    return VIZ_RECORDER_NONE;
}

bool viz_recorder_syscall(const VizRecorder *r, uint64_t seq, VizSyscall *out)
{
    size_t lo = 0, hi = r->calls->len;
    const VizRecCall *c = (const VizRecCall *)(const void *)r->calls->data;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= r->calls->len || c[lo].seq != seq)
        return false;
    const VizRecCall *k = &c[lo];
    const uint64_t *w = &g_array_index(r->words, uint64_t, k->words_at);
    const VizSyscallSig *sig = viz_syscalls_get(k->op);
    memset(out, 0, sizeof *out);
    out->seq = k->seq;
    out->thread = k->thread;
    out->op = k->op;
    memcpy(out->args, w, k->nargs * sizeof *w);
    w += k->nargs;
    for (int i = 0; i < k->nargs; i++) {
        if (!viz_syscalls_arg_is_handle(sig, i))
            continue;
        VizHandleArg *h = &out->handles[i];
        h->koid = w[0];
        h->type = (uint32_t)(w[1] >> 32);
        h->rights = (uint32_t)w[1];
        h->type_name = (const char *)(uintptr_t)w[2];
        w += VIZ_REC_HANDLE_WORDS;
    }
    return true;
}

bool viz_recorder_thread(const VizRecorder *r, uint64_t thread,
                         VizThreadInfo *out)
{
    VizThreadInfo *t = g_hash_table_lookup(r->threads, &thread);
    if (!t)
        return false;
    *out = *t;
    return true;
}
