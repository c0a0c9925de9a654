/* job_limits.c — capsim's per-job handle quota and CPU mask.
 *
 * What it models: two resource controls a capability system needs and
 * Zircon (as modeled) does not offer. Zircon has one kernel-wide handle
 * arena (Kernel.handle_limit): a process that fills it makes every other
 * process's next handle-creating call fail, and job policy can deny new
 * objects but not new handles (zx_handle_duplicate makes handles without
 * objects). And Zircon lets any thread run on any CPU unless the thread
 * itself asks for a profile, so two domains share CPUs and can signal each
 * other through contention. Both extensions hang off the job tree, the
 * unit of confinement:
 *
 *  - handle quota (KJob.handle_quota): a handle enters a process table
 *    (process_add_handle: creation, duplication, channel read, startup
 *    handles, process_start's argument) only if every ancestor-or-self job
 *    with a quota holds fewer handles than its quota; refused, the syscall
 *    sees ZX_ERR_NO_MEMORY, exactly as when the arena is full. The count is
 *    the sum of the handle tables of the subtree's processes, recomputed on
 *    each insertion under a quota: O(processes below the quota'd job).
 *    Without a quota above a process the cost is one load (KJob.quota_chain,
 *    inherited at job_create, recomputed for a subtree when a quota
 *    changes).
 *  - CPU mask (KJob.cpu_mask): a thread runs on the CPUs of the
 *    intersection of the non-zero masks of its job and the job's
 *    ancestors; a mask is refused if it would leave any job of the subtree
 *    with no CPU (an empty mask would mean "anywhere" to the engine).
 *
 * Invariants: quota 0 means none; quota_chain == (a quota on the job or an
 * ancestor); a job's effective mask is never empty within the engine's
 * CPUs once any mask applies to it.
 * Left out: handles travelling inside channel messages are in no table and
 * are not counted (a process can park handles in messages: quota, not
 * accounting); kernel-held references; CPU masks on single threads
 * (Zircon's profiles). Read next: job.h, process.c (process_add_handle),
 * thread.c (thread_start), scenarios/host/host_limits.c.
 */
#include <stdio.h>

#include "job.h"
#include "job_limits.h"
#include "kernel.h"
#include "process.h"
#include "thread.h"

/* ---- Handle quota --------------------------------------------------------- */

/* Recompute quota_chain below (and at) job after its quota changed. */
static void job_limits_chain(KJob *job, bool above)
{
    job->quota_chain = above || job->handle_quota != 0;
    for (KJob *c = job->jobs_head; c; c = c->sib_next)
        job_limits_chain(c, job->quota_chain);
}

zx_status_t job_limits_set_handle_quota(KJob *job, uint64_t quota)
{
    if (job->state != JOB_READY)
        return ZX_ERR_BAD_STATE;
    job->handle_quota = quota;
    job_limits_chain(job, job->parent && job->parent->quota_chain);
    char note[64];
    snprintf(note, sizeof note, "job handle quota set to %llu",
             (unsigned long long)quota);
    kernel_trace(job->base.kernel, KTR_NOTE, job->base.koid, quota, 0, 0, note);
    return ZX_OK;
}

uint64_t job_limits_handle_quota(const KJob *job)
{
    return job->handle_quota;
}

uint64_t job_limits_handles_held(const KJob *job)
{
    uint64_t n = 0;
    for (const KProcess *p = job->procs_head; p; p = p->sib_next)
        n += p->handles.count;
    for (const KJob *c = job->jobs_head; c; c = c->sib_next)
        n += job_limits_handles_held(c);
    return n;
}

bool job_limits_handle_allowed_slow(KProcess *p)
{
    for (KJob *j = p->job; j; j = j->parent) {
        if (j->handle_quota == 0 || job_limits_handles_held(j) < j->handle_quota)
            continue;
        kernel_trace(p->base.kernel, KTR_NOTE, p->base.koid, j->base.koid,
                     j->handle_quota, 0, "job handle quota reached");
        return false;
    }
    return true;
}

/* ---- CPU mask --------------------------------------------------------------- */

static uint64_t job_limits_all_cpus(const KJob *job)
{
    int n = sim_engine_config(job->base.kernel->engine)->cpus;
    return n >= 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1;
}

uint64_t job_limits_cpu_mask(const KJob *job)
{
    return job->cpu_mask;
}

uint64_t job_limits_effective_cpu_mask(const KJob *job)
{
    uint64_t m = 0;
    for (const KJob *j = job; j; j = j->parent)
        if (j->cpu_mask)
            m = m ? (m & j->cpu_mask) : j->cpu_mask;
    return m;
}

/* Would every job of the subtree keep a CPU if `job`'s mask were `mask`?
 * `above` is the effective mask of job's parent; `bound` says whether any
 * mask applies at all (an empty intersection is not "no restriction"). */
static bool job_limits_mask_ok(const KJob *job, uint64_t above, bool bound,
                               uint64_t mask, uint64_t all)
{
    uint64_t eff = above;
    if (mask) {
        eff = bound ? (eff & mask) : mask;
        bound = true;
    }
    if (bound && (eff & all) == 0)
        return false;
    for (const KJob *c = job->jobs_head; c; c = c->sib_next)
        if (!job_limits_mask_ok(c, eff, bound, c->cpu_mask, all))
            return false;
    return true;
}

static void job_limits_pin(KThread *t)
{
    uint64_t m = job_limits_effective_cpu_mask(t->process->job);
    sim_thread_set_affinity(t->fiber, m & job_limits_all_cpus(t->process->job));
}

/* Re-pin the live threads of the subtree (koid order within a process). */
static void job_limits_repin(KJob *job)
{
    for (KProcess *p = job->procs_head; p; p = p->sib_next)
        for (KThread *t = p->threads_head; t; t = t->sib_next)
            if (t->fiber)
                job_limits_pin(t);
    for (KJob *c = job->jobs_head; c; c = c->sib_next)
        job_limits_repin(c);
}

zx_status_t job_limits_set_cpu_mask(KJob *job, uint64_t mask)
{
    if (job->state != JOB_READY)
        return ZX_ERR_BAD_STATE;
    uint64_t all = job_limits_all_cpus(job);
    if (mask && (mask & all) == 0)
        return ZX_ERR_INVALID_ARGS;
    uint64_t above = job->parent ? job_limits_effective_cpu_mask(job->parent) : 0;
    if (!job_limits_mask_ok(job, above, above != 0, mask, all))
        return ZX_ERR_INVALID_ARGS;
    job->cpu_mask = mask;
    char note[64];
    snprintf(note, sizeof note, "job cpu mask set to %#llx", (unsigned long long)mask);
    kernel_trace(job->base.kernel, KTR_NOTE, job->base.koid, mask, 0, 0, note);
    job_limits_repin(job);
    return ZX_OK;
}

void job_limits_thread_starting(KThread *t)
{
    /* Fibers start with no affinity: only a masked job has work to do. */
    if (t->fiber && job_limits_effective_cpu_mask(t->process->job))
        job_limits_pin(t);
}
