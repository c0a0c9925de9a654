/* process.c — processes: handle table, threads, place in the job tree.
 *
 * State machine (state field of KProcess):
 *
 *   INITIAL --first thread starts--> RUNNING --exit/kill/exception--> DYING
 *      |                                |                               |
 *      |  last handle closed or killed  | last thread exits (code 0)    | last thread gone
 *      +-------------------------------> DEAD <-------------------------+
 *
 * The return code is fixed by the first of exit/kill/policy kill/exception.
 * On DEAD: every handle in its table is closed, the address space goes,
 * ZX_PROCESS_TERMINATED is asserted, it leaves its job, and if it was
 * critical to a job, that job is killed.
 *
 * References: the process holds one on its job; each of its threads holds
 * one on it; the job's list is weak. A started process therefore lives while
 * it has threads, whatever happens to its handles.
 *
 * Left out: Zircon's shared-address-space processes. Read next: thread.c.
 */
#include <stdlib.h>
#include <zircon/syscalls/object.h>

#include "job.h"
#include "job_limits.h"
#include "kernel.h"
#include "launch.h"
#include "process.h"
#include "thread.h"

/* Address-space hooks provided by vmar.c (weak until it exists). */
void vmar_process_created(KProcess *p) __attribute__((weak));
void vmar_process_dead(KProcess *p) __attribute__((weak));
/* exception.c: the process's exception channels shut down. */
void exception_task_gone(KObject *task) __attribute__((weak));

static void process_finish(KProcess *p);

static void process_on_zero_handles(KObject *o)
{
    KProcess *p = (KProcess *)o;
    if (p->state == PROCESS_INITIAL) {
        kobject_ref(o);
        process_finish(p);
        kobject_unref(o);
    }
}

static void process_destroy(KObject *o)
{
    KProcess *p = (KProcess *)o;
    KJob *job = p->job;
    launch_release(p); /* a runtime block nobody released yet */
    job_remove_process(job, p);
    handle_table_free(&p->handles);
    free(p);
    kobject_unref(&job->base);
}

static zx_koid_t process_related_koid(const KObject *o)
{
    return ((const KProcess *)o)->job->base.koid;
}

static void process_check(const KObject *o)
{
    const KProcess *p = (const KProcess *)o;
    uint32_t n = 0;
    for (const KThread *t = p->threads_head; t; t = t->sib_next) {
        KCHECK(o->kernel, t->process == p);
        n++;
    }
    KCHECK(o->kernel, n == p->thread_count);
    KCHECK(o->kernel, (p->state == PROCESS_DEAD) == ((o->signals & ZX_PROCESS_TERMINATED) != 0));
    if (p->state == PROCESS_DEAD)
        KCHECK(o->kernel, p->handles.count == 0 && n == 0);
}

const KObjectOps process_ops = {
    .type = ZX_OBJ_TYPE_PROCESS,
    .name = "process",
    .default_rights = ZX_DEFAULT_PROCESS_RIGHTS,
    .possible_rights = ZX_DEFAULT_PROCESS_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .has_name = true,
    .on_zero_handles = process_on_zero_handles,
    .destroy = process_destroy,
    .related_koid = process_related_koid,
    .check = process_check,
};

TaskRuntime process_runtime(const KProcess *p)
{
    TaskRuntime sum = p->dead_threads;
    for (const KThread *t = p->threads_head; t; t = t->sib_next)
        if (t->fiber)
            task_runtime_add(&sum, thread_runtime(t));
    return sum;
}

KProcess *process_from(KObject *o)
{
    return KOBJECT_CAST(o, KProcess, ZX_OBJ_TYPE_PROCESS);
}

zx_status_t process_create(KJob *job, const char *name, size_t name_len,
                           KProcess **out)
{
    if (job->state != JOB_READY)
        return ZX_ERR_BAD_STATE;
    KProcess *p = calloc(1, sizeof *p);
    if (!p)
        return ZX_ERR_NO_MEMORY;
    Kernel *k = job->base.kernel;
    kobject_init(k, &p->base, &process_ops, 0);
    kobject_set_name(&p->base, name, name_len);
    uint32_t mixer = (uint32_t)sim_rng_next(sim_stream(k->engine, SIM_STREAM_HANDLES));
    handle_table_init(&p->handles, mixer);
    p->handles.reuse_generation = !k->faults.no_handle_generation;
    p->job = job;
    kobject_ref(&job->base);
    p->policy = job->policy;
    p->state = PROCESS_INITIAL;
    job_add_process(job, p);
    if (vmar_process_created)
        vmar_process_created(p);
    *out = p;
    return ZX_OK;
}

zx_handle_t process_add_handle(KProcess *p, Handle *h)
{
    if (!job_limits_handle_allowed(p)) /* capsim's per-job handle quota */
        return ZX_HANDLE_INVALID;
    zx_handle_t v = handle_table_add(&p->handles, p, h);
    if (v != ZX_HANDLE_INVALID)
        kernel_trace(p->base.kernel, KTR_HANDLE_ADD, p->base.koid,
                     h->object->koid, h->rights, v, NULL);
    return v;
}

void process_add_thread(KProcess *p, KThread *t)
{
    t->sib_prev = p->threads_tail;
    t->sib_next = NULL;
    if (p->threads_tail)
        p->threads_tail->sib_next = t;
    else
        p->threads_head = t;
    p->threads_tail = t;
    p->thread_count++;
}

static void process_close_one(Handle *h, void *ctx)
{
    KProcess *p = ctx;
    kernel_trace(p->base.kernel, KTR_HANDLE_REMOVE, p->base.koid,
                 h->object->koid, h->rights, 0, NULL);
    handle_destroy(p->base.kernel, h);
}

static void process_finish(KProcess *p)
{
    if (p->state == PROCESS_DEAD)
        return;
    p->state = PROCESS_DEAD;
    kobject_ref(&p->base);
    if (exception_task_gone)
        exception_task_gone(&p->base);
    handle_table_drain(&p->handles, process_close_one, p);
    if (vmar_process_dead)
        vmar_process_dead(p);
    kobject_signal(&p->base, 0, ZX_PROCESS_TERMINATED);
    KJob *job = p->job;
    kobject_ref(&job->base);
    job_remove_process(job, p);
    KJob *critical = p->critical_to;
    if (critical && !(p->critical_nonzero_only && p->return_code == 0))
        job_kill(critical, ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL);
    kobject_unref(&job->base);
    kobject_unref(&p->base);
}

void process_kill(KProcess *p, int64_t code)
{
    if (p->state == PROCESS_DYING || p->state == PROCESS_DEAD)
        return;
    p->return_code = code;
    kernel_trace(p->base.kernel, KTR_TASK_KILL, p->base.koid, (uint64_t)code,
                 0, 0, NULL);
    kobject_ref(&p->base);
    p->state = PROCESS_DYING;
    for (KThread *t = p->threads_head; t;) {
        KThread *next = t->sib_next;
        kobject_ref(&t->base);
        thread_kill(t);
        next = t->sib_next ? t->sib_next : next;
        kobject_unref(&t->base);
        t = next;
    }
    if (p->thread_count == 0)
        process_finish(p);
    kobject_unref(&p->base);
}

void process_thread_exited(KProcess *p, KThread *t)
{
    if (t->sib_prev)
        t->sib_prev->sib_next = t->sib_next;
    else
        p->threads_head = t->sib_next;
    if (t->sib_next)
        t->sib_next->sib_prev = t->sib_prev;
    else
        p->threads_tail = t->sib_prev;
    t->sib_prev = t->sib_next = NULL;
    p->thread_count--;
    if (p->thread_count == 0 && p->state != PROCESS_INITIAL)
        process_finish(p); /* RUNNING: last thread exited, code stays 0 */
}
