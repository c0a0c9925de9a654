/* job.h — jobs: the tree that groups processes, carries policy and is the
 * unit of killing. See job.c for the state machine. */
#ifndef CAPSIM_MODEL_JOB_H
#define CAPSIM_MODEL_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "object.h"
#include "policy.h"

typedef struct KProcess KProcess;

#define JOB_ROOT_MAX_HEIGHT 32u

typedef enum JobState {
    JOB_READY = 0,   /* accepts children */
    JOB_KILLING,     /* return code fixed; children dying; no new children */
    JOB_DEAD         /* no children left; TERMINATED asserted */
} JobState;

typedef struct KJob KJob;

struct KJob {
    KObject base;
    KJob *parent;                    /* holds a reference; NULL for root */
    KJob *jobs_head, *jobs_tail;     /* child jobs, creation (koid) order */
    KJob *sib_prev, *sib_next;       /* links in parent's child-job list */
    KProcess *procs_head, *procs_tail; /* child processes, koid order */
    uint32_t child_jobs, child_processes;
    uint32_t max_height;
    JobState state;
    int64_t return_code;
    bool kill_on_oom;
    JobPolicy policy;
    KObject *exception_channel;      /* job exception channel endpoint */
    KObject *debugger_channel;       /* job debugger exception channel */
    /* capsim extensions (job_limits.c), 0 = none: */
    uint64_t handle_quota;           /* max handles held below this job */
    uint64_t cpu_mask;               /* virtual CPUs its threads may use */
    bool quota_chain;                /* this job or an ancestor has a quota */
    TaskRuntime dead_children;       /* time used by processes/jobs gone */
};

extern const KObjectOps job_ops;

KJob *job_create_root(Kernel *k);
/* Create a child; errors: ZX_ERR_BAD_STATE (parent killing/dead),
 * ZX_ERR_OUT_OF_RANGE (height exhausted), ZX_ERR_NO_MEMORY. */
zx_status_t job_create(KJob *parent, KJob **out);
/* Kill the job tree with `code` (children first, depth first). */
void job_kill(KJob *job, int64_t code);
bool job_is_ancestor_of(const KJob *ancestor, const KJob *job);
/* Called by process.c / job.c when a child leaves. */
void job_add_process(KJob *job, KProcess *p);
void job_remove_process(KJob *job, KProcess *p);
KJob *job_from(KObject *o);
/* Time used by every process below it, live and gone. */
TaskRuntime job_runtime(const KJob *job);

#endif
