/* job.c — jobs: the tree of tasks, policy holder, unit of killing.
 *
 * State machine (state field of KJob):
 *
 *   READY --job_kill--> KILLING --last child gone--> DEAD
 *     |                                               ^
 *     +------ job_kill with no children --------------+
 *
 * READY accepts child jobs and processes. KILLING has its return code fixed,
 * refuses new children (ZX_ERR_BAD_STATE) and waits for its children, which
 * it killed depth first (child jobs, then processes). DEAD asserts
 * ZX_JOB_TERMINATED and leaves its parent (which may then finish dying).
 *
 * References: a child (job or process) holds a reference on its parent job;
 * the parent's child lists are weak. So a READY job lives while it has
 * handles or children; when the last of both goes it is destroyed and
 * leaves its parent. Closing a job's handles never kills it.
 *
 * job_check asserts each state's facts. Read next: process.c.
 */
#include <glib.h>
#include <stdlib.h>
#include <zircon/syscalls/object.h>

#include "job.h"
#include "kernel.h"
#include "process.h"

static void job_unlink_from_parent(KJob *job);
/* exception.c: the job's exception channels shut down. */
void exception_task_gone(KObject *task) __attribute__((weak));

static void job_destroy(KObject *o)
{
    KJob *job = (KJob *)o;
    KJob *parent = job->parent;
    if (exception_task_gone)
        exception_task_gone(o);
    job_unlink_from_parent(job);
    free(job);
    if (parent)
        kobject_unref(&parent->base);
}

static zx_koid_t job_related_koid(const KObject *o)
{
    const KJob *job = (const KJob *)o;
    return job->parent ? job->parent->base.koid : ZX_KOID_INVALID;
}

static void job_check(const KObject *o)
{
    const KJob *job = (const KJob *)o;
    uint32_t nj = 0, np = 0;
    for (const KJob *c = job->jobs_head; c; c = c->sib_next) {
        KCHECK(o->kernel, c->parent == job);
        nj++;
    }
    for (const KProcess *p = job->procs_head; p; p = p->sib_next) {
        KCHECK(o->kernel, p->job == job);
        np++;
    }
    KCHECK(o->kernel, nj == job->child_jobs && np == job->child_processes);
    KCHECK(o->kernel, ((o->signals & ZX_JOB_NO_JOBS) != 0) == (nj == 0));
    KCHECK(o->kernel, ((o->signals & ZX_JOB_NO_PROCESSES) != 0) == (np == 0));
    KCHECK(o->kernel, (job->state == JOB_DEAD) == ((o->signals & ZX_JOB_TERMINATED) != 0));
    if (job->state == JOB_DEAD)
        KCHECK(o->kernel, nj == 0 && np == 0);
}

const KObjectOps job_ops = {
    .type = ZX_OBJ_TYPE_JOB,
    .name = "job",
    .default_rights = ZX_DEFAULT_JOB_RIGHTS,
    .possible_rights = ZX_DEFAULT_JOB_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .has_name = true,
    .destroy = job_destroy,
    .related_koid = job_related_koid,
    .check = job_check,
};

KJob *job_from(KObject *o)
{
    return KOBJECT_CAST(o, KJob, ZX_OBJ_TYPE_JOB);
}

static KJob *job_alloc(Kernel *k, KJob *parent)
{
    KJob *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    kobject_init(k, &job->base, &job_ops, ZX_JOB_NO_JOBS | ZX_JOB_NO_PROCESSES);
    job->parent = parent;
    job->state = JOB_READY;
    return job;
}

KJob *job_create_root(Kernel *k)
{
    KJob *job = job_alloc(k, NULL);
    if (!job)
        abort();
    job->max_height = JOB_ROOT_MAX_HEIGHT;
    policy_init_root(&job->policy);
    /* The initial reference is the kernel's: the root job never dies of
     * having no handles. */
    return job;
}

zx_status_t job_create(KJob *parent, KJob **out)
{
    if (parent->state != JOB_READY)
        return ZX_ERR_BAD_STATE;
    if (parent->max_height == 0)
        return ZX_ERR_OUT_OF_RANGE;
    KJob *job = job_alloc(parent->base.kernel, parent);
    if (!job)
        return ZX_ERR_NO_MEMORY;
    kobject_ref(&parent->base);
    job->max_height = parent->max_height - 1;
    job->policy = parent->policy;
    job->quota_chain = parent->quota_chain; /* job_limits.c */
    job->sib_prev = parent->jobs_tail;
    if (parent->jobs_tail)
        parent->jobs_tail->sib_next = job;
    else
        parent->jobs_head = job;
    parent->jobs_tail = job;
    if (parent->child_jobs++ == 0)
        kobject_signal(&parent->base, ZX_JOB_NO_JOBS, 0);
    /* The creator's reference becomes the caller's first handle's. */
    *out = job;
    return ZX_OK;
}

static void job_maybe_finish(KJob *job);

static void job_unlink_from_parent(KJob *job)
{
    KJob *parent = job->parent;
    if (!parent || (job->sib_prev == NULL && parent->jobs_head != job))
        return; /* not linked */
    task_runtime_add(&parent->dead_children, job_runtime(job));
    if (job->sib_prev)
        job->sib_prev->sib_next = job->sib_next;
    else
        parent->jobs_head = job->sib_next;
    if (job->sib_next)
        job->sib_next->sib_prev = job->sib_prev;
    else
        parent->jobs_tail = job->sib_prev;
    job->sib_prev = job->sib_next = NULL;
    if (--parent->child_jobs == 0)
        kobject_signal(&parent->base, 0, ZX_JOB_NO_JOBS);
    job_maybe_finish(parent);
}

static void job_maybe_finish(KJob *job)
{
    if (job->state != JOB_KILLING || job->child_jobs || job->child_processes)
        return;
    job->state = JOB_DEAD;
    kobject_ref(&job->base); /* signalling may drop the last handle */
    if (exception_task_gone)
        exception_task_gone(&job->base);
    kobject_signal(&job->base, 0, ZX_JOB_TERMINATED);
    job_unlink_from_parent(job);
    kobject_unref(&job->base);
}

void job_kill(KJob *job, int64_t code)
{
    if (job->state != JOB_READY)
        return;
    job->state = JOB_KILLING;
    job->return_code = code;
    kernel_trace(job->base.kernel, KTR_TASK_KILL, job->base.koid,
                 (uint64_t)code, 0, 0, NULL);
    kobject_ref(&job->base);
    /* Children first, depth first. A dying child unlinks itself, so take a
     * referenced snapshot of each list before killing anything. */
    KObject **kids = g_new(KObject *, job->child_jobs + job->child_processes + 1);
    size_t n = 0;
    for (KJob *c = job->jobs_head; c; c = c->sib_next)
        kobject_ref(kids[n++] = &c->base);
    size_t njobs = n;
    for (KProcess *p = job->procs_head; p; p = p->sib_next)
        kobject_ref(kids[n++] = &p->base);
    for (size_t i = 0; i < n; i++) {
        if (i < njobs)
            job_kill((KJob *)kids[i], code);
        else
            process_kill((KProcess *)kids[i], code);
    }
    for (size_t i = 0; i < n; i++)
        kobject_unref(kids[i]);
    g_free(kids);
    job_maybe_finish(job);
    kobject_unref(&job->base);
}

bool job_is_ancestor_of(const KJob *ancestor, const KJob *job)
{
    for (const KJob *j = job; j; j = j->parent)
        if (j == ancestor)
            return true;
    return false;
}

void job_add_process(KJob *job, KProcess *p)
{
    p->sib_prev = job->procs_tail;
    p->sib_next = NULL;
    if (job->procs_tail)
        job->procs_tail->sib_next = p;
    else
        job->procs_head = p;
    job->procs_tail = p;
    if (job->child_processes++ == 0)
        kobject_signal(&job->base, ZX_JOB_NO_PROCESSES, 0);
}

TaskRuntime job_runtime(const KJob *job)
{
    TaskRuntime sum = job->dead_children;
    for (const KJob *j = job->jobs_head; j; j = j->sib_next)
        task_runtime_add(&sum, job_runtime(j));
    for (const KProcess *p = job->procs_head; p; p = p->sib_next)
        task_runtime_add(&sum, process_runtime(p));
    return sum;
}

void job_remove_process(KJob *job, KProcess *p)
{
    if (p->sib_prev == NULL && job->procs_head != p)
        return; /* not linked */
    task_runtime_add(&job->dead_children, process_runtime(p));
    if (p->sib_prev)
        p->sib_prev->sib_next = p->sib_next;
    else
        job->procs_head = p->sib_next;
    if (p->sib_next)
        p->sib_next->sib_prev = p->sib_prev;
    else
        job->procs_tail = p->sib_prev;
    p->sib_prev = p->sib_next = NULL;
    if (--job->child_processes == 0)
        kobject_signal(&job->base, 0, ZX_JOB_NO_PROCESSES);
    job_maybe_finish(job);
}
