/* sys_info_task.c — object_get_info topics about tasks: PROCESS,
 * PROCESS_THREADS, JOB, JOB_CHILDREN, JOB_PROCESSES, THREAD, THREAD_STATS,
 * THREAD_EXCEPTION_REPORT, TASK_RUNTIME. Shapes and check order are
 * described in sys_info.c. Read next: sys_info_memory.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include "exception.h"
#include "job.h"
#include "process.h"
#include "resource.h"
#include "socket.h"
#include "suspend_token.h"
#include "sys_info.h"
#include "syscall.h"
#include "thread.h"
#include "timer.h"
#include "vmar.h"
#include "vmo.h"


/* ---- Tasks ------------------------------------------------------------- */

/* ZX_INFO_PROCESS as the oldest trees laid it out (topic value 3). */
typedef struct InfoProcessV1 {
    int64_t return_code;
    bool started;
    bool exited;
    bool debugger_attached;
    uint8_t padding1[5];
} InfoProcessV1;

static zx_status_t info_process(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(obj);
    bool exited = p->state == PROCESS_DYING || p->state == PROCESS_DEAD;
    bool debugger = exception_port_live(p->debugger_channel);
    if (topic != ZX_INFO_PROCESS) {
        InfoProcessV1 r = {.return_code = exited ? p->return_code : 0,
                           .started = p->started, .exited = exited,
                           .debugger_attached = debugger};
        return info_single(o, &r, sizeof r);
    }
    zx_info_process_t r;
    memset(&r, 0, sizeof r);
    r.return_code = exited ? p->return_code : 0;
    r.start_time = p->started ? p->start_time : 0;
    r.flags = (p->started ? ZX_INFO_PROCESS_FLAG_STARTED : 0) |
              (exited ? ZX_INFO_PROCESS_FLAG_EXITED : 0) |
              (debugger ? ZX_INFO_PROCESS_FLAG_DEBUGGER_ATTACHED : 0);
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_process_threads(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_ENUMERATE, &obj);
    if (s != ZX_OK)
        return s;
    InfoVec v = {.rec = sizeof(zx_koid_t)};
    for (KThread *t = process_from(obj)->threads_head; t; t = t->sib_next) {
        zx_koid_t *r = info_vec_push(&v);
        if (r)
            *r = t->base.koid;
    }
    return info_vec_finish(o, &v);
}

static zx_status_t info_job_children(InfoOut *o, zx_handle_t handle, bool jobs)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_JOB, ZX_RIGHT_ENUMERATE, &obj);
    if (s != ZX_OK)
        return s;
    KJob *job = job_from(obj);
    InfoVec v = {.rec = sizeof(zx_koid_t)};
    if (jobs) {
        for (KJob *j = job->jobs_head; j; j = j->sib_next) {
            zx_koid_t *r = info_vec_push(&v);
            if (r)
                *r = j->base.koid;
        }
    } else {
        for (KProcess *p = job->procs_head; p; p = p->sib_next) {
            zx_koid_t *r = info_vec_push(&v);
            if (r)
                *r = p->base.koid;
        }
    }
    return info_vec_finish(o, &v);
}

static zx_status_t info_job(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_JOB, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KJob *job = job_from(obj);
    zx_info_job_t r;
    memset(&r, 0, sizeof r);
    r.exited = job->state != JOB_READY;
    r.return_code = r.exited ? job->return_code : 0;
    r.kill_on_oom = job->kill_on_oom;
    r.debugger_attached = exception_port_live(job->debugger_channel);
    return info_single(o, &r, sizeof r);
}

/* Zircon's zx_info_thread_t.state for a model thread. */
static uint32_t info_thread_state(const KThread *t)
{
    bool held = suspend_thread_held(t);
    switch (t->state) {
    case THREAD_NEW:
        return ZX_THREAD_STATE_NEW;
    case THREAD_RUNNING:
    case THREAD_SUSPENDED:
        return held ? ZX_THREAD_STATE_SUSPENDED : ZX_THREAD_STATE_RUNNING;
    case THREAD_BLOCKED:
        if (held)
            return ZX_THREAD_STATE_SUSPENDED;
        return t->blocked_reason ? t->blocked_reason : ZX_THREAD_STATE_BLOCKED;
    case THREAD_BLOCKED_EXCEPTION:
        return ZX_THREAD_STATE_BLOCKED_EXCEPTION;
    case THREAD_DYING:
        return ZX_THREAD_STATE_DYING;
    default:
        return ZX_THREAD_STATE_DEAD;
    }
}

static zx_status_t info_thread(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KThread *t = thread_from(obj);
    zx_info_thread_t r;
    memset(&r, 0, sizeof r);
    r.state = info_thread_state(t);
    r.wait_exception_channel_type = exception_thread_channel_type(t);
    int cpus = sim_engine_config(o->c->k->engine)->cpus;
    for (int i = 0; i < cpus && i < ZX_CPU_SET_MAX_CPUS; i++)
        r.cpu_affinity_mask.mask[i / ZX_CPU_SET_BITS_PER_WORD] |=
            (uint64_t)1 << (i % ZX_CPU_SET_BITS_PER_WORD);
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_thread_stats(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KThread *t = thread_from(obj);
    if (t->state == THREAD_DEAD)
        return ZX_ERR_BAD_STATE;
    zx_info_thread_stats_t r;
    memset(&r, 0, sizeof r);
    r.last_scheduled_cpu = ZX_INFO_INVALID_CPU;
    if (t->fiber) {
        r.total_runtime = sim_thread_runtime(t->fiber);
        int cpu = sim_thread_cpu(t->fiber);
        if (cpu >= 0)
            r.last_scheduled_cpu = (uint32_t)cpu;
    }
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_exception_report(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    zx_exception_report_t r;
    if ((s = exception_thread_report(thread_from(obj), &r)) != ZX_OK)
        return s;
    if (topic == ZX_INFO_THREAD_EXCEPTION_REPORT)
        return info_single(o, &r, sizeof r);
    zx_exception_report_v1_t v1;
    memset(&v1, 0, sizeof v1);
    v1.header = r.header;
    v1.header.size = sizeof v1;
    memcpy(&v1.context, &r.context, sizeof v1.context);
    return info_single(o, &v1, sizeof v1);
}

static zx_status_t info_task_runtime(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    TaskRuntime t;
    switch (obj->ops->type) {
    case ZX_OBJ_TYPE_THREAD:
        t = thread_runtime(thread_from(obj));
        break;
    case ZX_OBJ_TYPE_PROCESS:
        t = process_runtime(process_from(obj));
        break;
    case ZX_OBJ_TYPE_JOB:
        t = job_runtime(job_from(obj));
        break;
    default:
        return ZX_ERR_WRONG_TYPE;
    }
    zx_info_task_runtime_t r;
    memset(&r, 0, sizeof r);
    r.cpu_time = t.cpu_time;
    r.queue_time = t.queue_time;
    if (topic == ZX_INFO_TASK_RUNTIME_V1)
        return info_single(o, &r, sizeof(zx_info_task_runtime_v1_t));
    return info_single(o, &r, sizeof r);
}

zx_status_t info_task_topic(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    switch (topic) {
    case ZX_INFO_PROCESS:
    case 3u: /* the oldest ZX_INFO_PROCESS */
        return info_process(o, handle, topic);
    case ZX_INFO_PROCESS_THREADS:
        return info_process_threads(o, handle);
    case ZX_INFO_JOB_CHILDREN:
        return info_job_children(o, handle, true);
    case ZX_INFO_JOB_PROCESSES:
        return info_job_children(o, handle, false);
    case ZX_INFO_JOB:
        return info_job(o, handle);
    case ZX_INFO_THREAD:
        return info_thread(o, handle);
    case ZX_INFO_THREAD_STATS:
        return info_thread_stats(o, handle);
    case ZX_INFO_THREAD_EXCEPTION_REPORT_V1:
    case ZX_INFO_THREAD_EXCEPTION_REPORT:
        return info_exception_report(o, handle, topic);
    case ZX_INFO_TASK_RUNTIME_V1:
    case ZX_INFO_TASK_RUNTIME:
        return info_task_runtime(o, handle, topic);
    default:
        return info_memory_topic(o, handle, topic);
    }
}

