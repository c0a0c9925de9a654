/* host_trace.c — the trace as records for scripts, and running until a
 * record matches (capsim_script.h).
 *
 * Models: an observer reading the machine's event log. Records are the
 * engine's kept ones (sim.h: SimTraceRecord) plus the koid of the process
 * whose thread each is stamped with — from the recorder when the system
 * records (capsim_record), else from the live thread (0 once it is gone).
 * Stopping at an event steps the engine one event at a time (sim_step takes
 * the same steps sim_run would, so a run stopped and resumed has the same
 * trace hash as one run straight through) and checks the records each step
 * added, in order.
 *
 * Leaves out: matching on syscall arguments (scripts filter records in
 * Python for that). Read next: host_graph.c.
 */
#include <string.h>

#include "app.h"
#include "host_script_internal.h"
#include "syscall.h"
#include "viz_recorder.h"
#include "viz_traceout.h"

size_t capsim_trace_count(CapsimSystem *sys)
{
    return sim_trace_count(sys->e);
}

size_t capsim_trace_get(CapsimSystem *sys, size_t from, CapsimTraceRecord *out,
                        size_t max)
{
    size_t total = sim_trace_count(sys->e), n = 0;
    for (size_t i = from; i < total && n < max; i++, n++) {
        const SimTraceRecord *r = sim_trace_get(sys->e, i);
        out[n] = (CapsimTraceRecord){
            .time = r->time, .seq = r->seq, .kind = r->kind, .cpu = r->cpu,
            .thread = r->thread,
            .process = host_script_thread_process(sys, r->thread),
            .a = r->a, .b = r->b, .c = r->c, .d = r->d, .text = r->text,
        };
    }
    return n;
}

const char *capsim_trace_kind_name(CapsimSystem *sys, uint32_t kind)
{
    const char *n = sim_trace_kind_name(sys->e, kind);
    return n ? n : "unknown";
}

const char *capsim_trace_call(CapsimSystem *sys, uint64_t seq)
{
    HostScript *s = host_script(sys);
    static char buf[1024]; /* read at once by the caller; not reentrant */
    VizSyscall c;
    if (!s->rec || !viz_recorder_syscall(s->rec, seq, &c))
        return "";
    viz_syscalls_format(c.op, c.args, c.handles, buf, sizeof buf);
    return buf;
}

char *capsim_trace_steps(CapsimSystem *sys)
{
    HostScript *s = host_script(sys);
    return s->rec ? viz_steps_text(s->rec, NULL) : NULL;
}

const char *capsim_syscall_name(uint64_t op)
{
    return syscall_name(op);
}

int capsim_syscall_op(const char *name)
{
    if (!name)
        return -1;
    if (!strncmp(name, "zx_", 3))
        name += 3;
    for (int op = 0; op < SYS_COUNT; op++)
        if (!strcmp(syscall_name((uint64_t)op), name))
            return op;
    return -1;
}

static bool host_trace_is_graph(uint32_t kind)
{
    return kind == KTR_OBJECT_CREATE || kind == KTR_OBJECT_DESTROY ||
           kind == KTR_HANDLE_ADD || kind == KTR_HANDLE_REMOVE ||
           kind == KTR_HANDLE_SEND || kind == KTR_HANDLE_RECEIVE;
}

static bool host_trace_match(CapsimSystem *sys, const CapsimEventSpec *m,
                             const SimTraceRecord *r)
{
    if (m->kind && r->kind != m->kind)
        return false;
    if (m->graph_change && !host_trace_is_graph(r->kind))
        return false;
    bool call = r->kind == SIM_TR_KERNEL_ENTER || r->kind == SIM_TR_KERNEL_EXIT;
    if (m->op >= 0 && (!call || r->a != (uint64_t)m->op))
        return false;
    if (m->match_result && (r->kind != SIM_TR_KERNEL_EXIT || (int64_t)r->b != m->result))
        return false;
    if (m->object && r->a != m->object && r->b != m->object)
        return false;
    if (m->process) {
        /* Model records name their process in `a`; calls by their thread. */
        bool task = r->kind == KTR_HANDLE_ADD || r->kind == KTR_HANDLE_REMOVE ||
                    r->kind == KTR_HANDLE_SEND || r->kind == KTR_HANDLE_RECEIVE ||
                    r->kind == KTR_TASK_KILL || r->kind == KTR_POLICY;
        if (!(task && r->a == m->process) &&
            host_script_thread_process(sys, r->thread) != m->process)
            return false;
    }
    return true;
}

int capsim_run_until_event(CapsimSystem *sys, const CapsimEventSpec *spec,
                           uint64_t max_steps, size_t *index)
{
    HostScript *s = host_script(sys);
    if (!s->rec && !sys->cfg.keep_trace)
        return host_script_fail(sys, CAPSIM_RUN_ERROR,
                                "running until an event needs a kept trace "
                                "(keep_trace or capsim_record)");
    /* Records after an earlier match, of the same step, are still to see
     * if nothing ran since. */
    size_t seen = sim_trace_count(sys->e);
    if (s->scan_mark == seen && s->scan_from < seen)
        seen = s->scan_from;
    int result = CAPSIM_RUN_STEPPED;
    for (uint64_t steps = 0; !max_steps || steps < max_steps; steps++) {
        result = (int)sim_step(sys->e);
        size_t now = sim_trace_count(sys->e);
        for (; seen < now; seen++)
            if (host_trace_match(sys, spec, sim_trace_get(sys->e, seen))) {
                *index = seen;
                result = CAPSIM_RUN_MATCHED;
                goto out;
            }
        if (result != SIM_RUN_STEPPED)
            break;
    }
out:
    s->scan_from = result == CAPSIM_RUN_MATCHED ? *index + 1 : seen;
    s->scan_mark = sim_trace_count(sys->e);
    app_restore_host(sys->k);
    sys->last_result = result == CAPSIM_RUN_MATCHED ? CAPSIM_RUN_STEPPED : result;
    return result;
}

int capsim_finished(CapsimSystem *sys)
{
    return sim_finished(sys->e) || sim_time_limit_reached(sys->e) ||
           sim_record_limit_reached(sys->e);
}
