/* kernel.c — the kernel as a whole: creation, koids, the trace kinds the
 * model emits, the cost model, and simulator-bug reporting.
 *
 * Default costs are round numbers in the range published for Zircon on
 * modern x86-64 (a syscall's entry/exit is the engine's kernel_entry cost;
 * these are the extra work): handle table operations ~50 ns, object
 * creation ~300 ns, copying ~100 ns per KiB, moving a handle ~30 ns, setting
 * up a wait ~100 ns, creating a process ~20 us and a thread ~5 us. They are
 * plain fields of k->costs: scenarios may change them.
 *
 * Read next: syscall.c (the hook), object.c, handle.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "debuglog.h"
#include "job.h"
#include "kernel.h"
#include "resource.h"
#include "process.h"
#include "syscall.h"
#include "thread.h"

void kernel_install_hook(Kernel *k); /* syscall.c */

static void kernel_register_trace_kinds(Kernel *k)
{
    SimEngine *e = k->engine;
    sim_trace_register_kind(e, KTR_OBJECT_CREATE, "object_create", "koid", "type", "creator", NULL);
    sim_trace_register_kind(e, KTR_OBJECT_DESTROY, "object_destroy", "koid", "type", NULL, NULL);
    sim_trace_register_kind(e, KTR_HANDLE_ADD, "handle_add", "process", "koid", "rights", "value");
    sim_trace_register_kind(e, KTR_HANDLE_REMOVE, "handle_remove", "process", "koid", "rights", "value");
    sim_trace_register_kind(e, KTR_HANDLE_SEND, "handle_send", "process", "koid", "rights", "channel");
    sim_trace_register_kind(e, KTR_HANDLE_RECEIVE, "handle_receive", "process", "koid", "rights", "channel");
    sim_trace_register_kind(e, KTR_SIGNAL, "signal", "koid", "old", "new", NULL);
    sim_trace_register_kind(e, KTR_TASK_KILL, "task_kill", "koid", "return_code", NULL, NULL);
    sim_trace_register_kind(e, KTR_POLICY, "policy", "process", "condition", "action", NULL);
    sim_trace_register_kind(e, KTR_FAULT_INJECTED, "fault_injected", NULL, NULL, NULL, NULL);
    sim_trace_register_kind(e, KTR_EXCEPTION, "exception", "koid", "type", NULL, NULL);
    sim_trace_register_kind(e, KTR_NOTE, "note", NULL, NULL, NULL, NULL);
    sim_trace_register_kind(e, KTR_OUTPUT, "output", "process", "stream", "bytes", NULL);
}

Kernel *kernel_new(SimEngine *engine)
{
    Kernel *k = calloc(1, sizeof *k);
    if (!k)
        abort();
    k->engine = engine;
    k->next_koid = ZX_KOID_FIRST;
    k->handle_limit = KERNEL_DEFAULT_HANDLE_LIMIT;
    k->costs = (KernelCosts){
        .handle_op = 50,
        .object_create = 300,
        .per_kib_copy = 100,
        .per_handle_moved = 30,
        .wait_setup = 100,
        .process_create = 20000,
        .thread_create = 5000,
    };
#ifdef CAPSIM_INVARIANTS
    k->check_invariants = true;
#endif
    kernel_register_trace_kinds(k);
    kernel_install_hook(k);
    k->root_job = job_create_root(k);
    kobject_set_name(&k->root_job->base, "root", 4);
    return k;
}

/* Tear down (before the engine goes: the kills need it): kill everything,
 * then drop the root job. An object a caller still holds a reference to
 * stays allocated; drop such references first, the kernel they point to
 * goes here. */
void kernel_free(Kernel *k)
{
    if (!k)
        return;
    /* Outside a run a kill completes at once: every thread dies, every
     * process finishes and closes its handles, and objects whose last
     * reference those were go with them. */
    job_kill(k->root_job, ZX_TASK_RETCODE_SYSCALL_KILL);
    kobject_unref(&k->root_job->base);
    k->root_job = NULL;
    /* The root resource's creation reference is the Kernel's (resource.c). */
    for (KObject *o = k->live_head; o; o = o->live_next) {
        if (o->ops == &resource_ops && ((KResource *)o)->kernel_root) {
            kobject_unref(o);
            break;
        }
    }
    debuglog_free_buffer(k);
    kmem_release_all(&k->kmem);
    free(k);
}

SimTime kernel_now(const Kernel *k)
{
    return sim_now(k->engine);
}

zx_koid_t kernel_next_koid(Kernel *k)
{
    return k->next_koid++;
}

void kernel_panic(const char *file, int line, const char *fmt, ...)
{
    SimThread *t = sim_current();
    SimEngine *e = sim_current_engine();
    fprintf(stderr, "capsim: simulator bug at %s:%d", file, line);
    if (e)
        fprintf(stderr, " (virtual time %lld ns", (long long)sim_now(e));
    if (t)
        fprintf(stderr, ", thread %llu '%s'", (unsigned long long)sim_thread_id(t),
                sim_thread_name(t));
    if (e)
        fprintf(stderr, ")");
    fprintf(stderr, ": ");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}
