/* host_limits.c — the host API's resource limits (capsim_host.h, "Resource
 * limits"): the kernel-wide handle arena's size, and capsim's two per-job
 * extensions (model/job_limits.c): a handle quota and a CPU mask.
 *
 * What it models: the knobs a system's builder (not its programs) turns.
 * No syscall reaches them, so code running inside the simulation cannot
 * lift its own limits; scenarios set them before or while running. Jobs are
 * named by koid (capsim_process_job gives a process's). Errors come back as
 * Zircon statuses with a message in capsim_last_error naming the job and
 * the problem. Read next: model/job_limits.c, docs/scenarios/
 * handle_exhaustion.md and docs/scenarios/covert_channel.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <zircon/errors.h>
#include <zircon/types.h>

#include "capsim_host_internal.h"
#include "job.h"
#include "job_limits.h"

static int host_limits_fail(CapsimSystem *sys, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int host_limits_fail(CapsimSystem *sys, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sys->error, sizeof sys->error, fmt, ap);
    va_end(ap);
    return status;
}

/* The live job with `koid`, NULL if none (the live list is in koid order). */
static KJob *host_limits_job(CapsimSystem *sys, uint64_t koid)
{
    for (KObject *o = sys->k->live_head; o && o->koid <= koid; o = o->live_next)
        if (o->koid == koid && o->ops->type == ZX_OBJ_TYPE_JOB)
            return (KJob *)o;
    return NULL;
}

int capsim_set_handle_limit(CapsimSystem *sys, uint64_t limit)
{
    if (limit == 0 || limit > KERNEL_DEFAULT_HANDLE_LIMIT)
        return host_limits_fail(sys, ZX_ERR_OUT_OF_RANGE,
                                "handle limit %llu: must be 1..%u",
                                (unsigned long long)limit, KERNEL_DEFAULT_HANDLE_LIMIT);
    if (limit < sys->k->handle_count)
        return host_limits_fail(sys, ZX_ERR_BAD_STATE,
                                "handle limit %llu: %zu handles already exist",
                                (unsigned long long)limit, sys->k->handle_count);
    sys->k->handle_limit = limit;
    return ZX_OK;
}

uint64_t capsim_handle_limit(CapsimSystem *sys)
{
    return sys->k->handle_limit;
}

uint64_t capsim_handle_count(CapsimSystem *sys)
{
    return sys->k->handle_count;
}

int capsim_job_set_handle_quota(CapsimSystem *sys, uint64_t job, uint64_t quota)
{
    KJob *j = host_limits_job(sys, job);
    if (!j)
        return host_limits_fail(sys, ZX_ERR_NOT_FOUND, "handle quota: no live job with koid %llu",
                                (unsigned long long)job);
    zx_status_t s = job_limits_set_handle_quota(j, quota);
    if (s != ZX_OK)
        return host_limits_fail(sys, s, "handle quota: job %llu is dying or dead",
                                (unsigned long long)job);
    return ZX_OK;
}

int64_t capsim_job_handles(CapsimSystem *sys, uint64_t job)
{
    KJob *j = host_limits_job(sys, job);
    if (!j)
        return host_limits_fail(sys, -1, "job handles: no live job with koid %llu",
                                (unsigned long long)job);
    return (int64_t)job_limits_handles_held(j);
}

int capsim_job_set_cpu_mask(CapsimSystem *sys, uint64_t job, uint64_t mask)
{
    KJob *j = host_limits_job(sys, job);
    if (!j)
        return host_limits_fail(sys, ZX_ERR_NOT_FOUND, "cpu mask: no live job with koid %llu",
                                (unsigned long long)job);
    zx_status_t s = job_limits_set_cpu_mask(j, mask);
    if (s == ZX_ERR_INVALID_ARGS)
        return host_limits_fail(sys, s,
                                "cpu mask %#llx for job %llu: names no CPU of this system (%d "
                                "CPUs) or leaves the job or a job below it with none",
                                (unsigned long long)mask, (unsigned long long)job,
                                sys->cfg.cpus);
    if (s != ZX_OK)
        return host_limits_fail(sys, s, "cpu mask: job %llu is dying or dead",
                                (unsigned long long)job);
    return ZX_OK;
}

uint64_t capsim_job_cpu_mask(CapsimSystem *sys, uint64_t job)
{
    KJob *j = host_limits_job(sys, job);
    return j ? job_limits_effective_cpu_mask(j) : 0;
}
