/* job_limits.h — capsim's per-job resource limits, two extensions Zircon
 * does not have: a handle quota and a CPU mask, each set on a job and
 * binding on every process below it. See job_limits.c for the rules and
 * docs/scenarios/handle_exhaustion.md, docs/scenarios/covert_channel.md
 * for the scenarios that need them. Set from the host only (capsim_host.h:
 * capsim_job_set_handle_quota, capsim_job_set_cpu_mask): no syscall
 * reaches them, so simulated code cannot lift its own limits.
 */
#ifndef CAPSIM_MODEL_JOB_LIMITS_H
#define CAPSIM_MODEL_JOB_LIMITS_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "job.h"
#include "process.h"

typedef struct KThread KThread;

/* ---- Handle quota ---------------------------------------------------------
 * quota 0 = none (the default). A handle may enter the table of a process
 * only while every ancestor-or-self job of that process with a quota holds
 * fewer handles than its quota, counting the tables of all processes in the
 * job's subtree. Errors: ZX_ERR_BAD_STATE (the job is not READY). A quota
 * below the current count is accepted: nothing is taken away, new handles
 * are refused until the count falls below it. */
zx_status_t job_limits_set_handle_quota(KJob *job, uint64_t quota);
uint64_t job_limits_handle_quota(const KJob *job);
/* Handles in the tables of the processes of job's subtree, now. */
uint64_t job_limits_handles_held(const KJob *job);
/* process_add_handle's question: may one more handle enter p's table?
 * Traces a KTR_NOTE when the answer is no. Inline: every handle insertion
 * asks, and without a quota above p the answer is one load away. */
bool job_limits_handle_allowed_slow(KProcess *p);
static inline bool job_limits_handle_allowed(KProcess *p)
{
    return !p->job->quota_chain || job_limits_handle_allowed_slow(p);
}

/* ---- CPU mask -------------------------------------------------------------
 * Bit i = virtual CPU i; 0 = no restriction (the default). A job's
 * effective mask is the intersection of the non-zero masks from it up to
 * the root; its threads run only on CPUs of that mask (applied when a
 * thread starts, and to live threads when a mask is set). Errors:
 * ZX_ERR_INVALID_ARGS (the mask names no CPU of the engine, or would leave
 * the job or one of its descendants with an empty intersection),
 * ZX_ERR_BAD_STATE (the job is not READY). */
zx_status_t job_limits_set_cpu_mask(KJob *job, uint64_t mask);
uint64_t job_limits_cpu_mask(const KJob *job);        /* own mask */
uint64_t job_limits_effective_cpu_mask(const KJob *job);
/* thread_start's hook: pin t's fiber to its job's effective mask. */
void job_limits_thread_starting(KThread *t);

#endif
