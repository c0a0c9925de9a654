/* sys_info.c — object_get_info and object_get_child.
 *
 * get_info, per Zircon's sys_object_get_info: each topic resolves the
 * handle with its own type and right (bad handle -> wrong type -> access
 * denied), then answers one of two shapes:
 *   single record: a buffer smaller than the record gives
 *     ZX_ERR_BUFFER_TOO_SMALL, with *actual = 0 and *avail = 1 written
 *     first; otherwise the record, *actual = *avail = 1;
 *   array: as many whole records as fit (never an error), *actual = copied,
 *     *avail = all there are.
 * actual and avail may be NULL; a bad buffer/actual/avail pointer gives
 * ZX_ERR_INVALID_ARGS. ZX_INFO_HANDLE_VALID alone looks the handle up
 * without the ZX_POL_BAD_HANDLE policy. Unknown topics: ZX_ERR_NOT_SUPPORTED.
 * Records list in deterministic order: handle-table slot order, koid order
 * for job and process children, the VMAR walk's pre-order for maps.
 *
 * Simulated quantities: thread runtime is the engine's virtual CPU time;
 * TASK_RUNTIME of a process or job sums its live threads (threads that
 * already exited are not remembered, unlike Zircon); queue, page-fault and
 * lock times are 0. TASK_STATS counts mapped bytes from the VMAR walk and
 * committed bytes of the mapped VMOs as private. HANDLE_TABLE's size-only
 * shortcut (NULL buffer and avail) reports the target's count (Zircon's
 * reports the caller's, a kernel quirk not reproduced).
 *
 * get_child: ENUMERATE and a rights subset (ZX_ERR_ACCESS_DENIED) before the
 * type; a process yields its threads, a job its child jobs and processes
 * (ZX_ERR_NOT_FOUND otherwise); other types ZX_ERR_WRONG_TYPE. The new
 * handle's rights are the requested ones limited to what the child's type
 * may carry (Zircon hands the job's rights to a thread handle verbatim).
 * Read next: vmar.h (the walks behind the maps topics), exception.c.
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
#include "syscall.h"
#include "thread.h"
#include "timer.h"
#include "vmar.h"
#include "vmo.h"

typedef struct InfoOut {
    SysCtx *c;
    void *buffer;
    size_t size;
    size_t *actual, *avail;
} InfoOut;

static zx_status_t info_counts(InfoOut *o, size_t actual, size_t avail)
{
    if (!sys_copy_out_opt(o->c, o->actual, &actual, sizeof actual) ||
        !sys_copy_out_opt(o->c, o->avail, &avail, sizeof avail))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

static zx_status_t info_single(InfoOut *o, const void *rec, size_t rec_size)
{
    size_t actual = 0;
    if (o->size >= rec_size) {
        if (!sys_copy_out(o->c, o->buffer, rec, rec_size))
            return ZX_ERR_INVALID_ARGS;
        actual = 1;
    }
    zx_status_t s = info_counts(o, actual, 1);
    if (s != ZX_OK)
        return s;
    return actual ? ZX_OK : ZX_ERR_BUFFER_TOO_SMALL;
}

static zx_status_t info_array(InfoOut *o, const void *recs, size_t rec_size, size_t n)
{
    size_t fit = o->size / rec_size;
    size_t copy = n < fit ? n : fit;
    if (copy && !sys_copy_out(o->c, o->buffer, recs, copy * rec_size))
        return ZX_ERR_INVALID_ARGS;
    return info_counts(o, copy, n);
}

/* A growable record buffer for array topics. */
typedef struct InfoVec {
    uint8_t *data;
    size_t n, cap, rec;
    bool oom;
} InfoVec;

static void *info_vec_push(InfoVec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        uint8_t *d = realloc(v->data, cap * v->rec);
        if (!d) {
            v->oom = true;
            return NULL;
        }
        v->data = d;
        v->cap = cap;
    }
    void *slot = v->data + v->n++ * v->rec;
    memset(slot, 0, v->rec);
    return slot;
}

static zx_status_t info_vec_finish(InfoOut *o, InfoVec *v)
{
    zx_status_t s = v->oom ? ZX_ERR_NO_MEMORY : info_array(o, v->data, v->rec, v->n);
    free(v->data);
    return s;
}

/* ---- Handles ----------------------------------------------------------- */

static zx_status_t info_handle_basic(InfoOut *o, zx_handle_t handle)
{
    Handle *h;
    zx_status_t s = sys_lookup(o->c, handle, &h);
    if (s != ZX_OK)
        return s;
    zx_info_handle_basic_t r;
    memset(&r, 0, sizeof r);
    r.koid = h->object->koid;
    r.rights = h->rights;
    r.type = h->object->ops->type;
    r.related_koid = kobject_related_koid(h->object);
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_handle_count(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    zx_info_handle_count_t r = {.handle_count = obj->handle_count};
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_handle_stats(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(obj);
    zx_info_process_handle_stats_t r;
    memset(&r, 0, sizeof r);
    uint32_t cursor = 0;
    for (Handle *h; (h = handle_table_next(&p->handles, &cursor));)
        if (h->object->ops->type < ZX_OBJ_TYPE_UPPER_BOUND)
            r.handle_count[h->object->ops->type]++;
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_handle_table(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_PROCESS,
                                   ZX_RIGHT_INSPECT | ZX_RIGHT_MANAGE_PROCESS |
                                       ZX_RIGHT_MANAGE_THREAD, &obj);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(obj);
    if (!o->buffer && !o->avail && o->actual)
        return info_counts(o, p->handles.count, p->handles.count);
    InfoVec v = {.rec = sizeof(zx_info_handle_extended_t)};
    uint32_t cursor = 0;
    for (Handle *h; (h = handle_table_next(&p->handles, &cursor));) {
        zx_info_handle_extended_t *r = info_vec_push(&v);
        if (!r)
            break;
        r->type = h->object->ops->type;
        r->handle_value = handle_table_value(&p->handles, h);
        r->rights = h->rights;
        r->koid = h->object->koid;
        r->related_koid = kobject_related_koid(h->object);
    }
    return info_vec_finish(o, &v);
}

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

static SimTime info_process_runtime(const KProcess *p)
{
    SimTime sum = 0;
    for (const KThread *t = p->threads_head; t; t = t->sib_next)
        if (t->fiber)
            sum += sim_thread_runtime(t->fiber);
    return sum;
}

static SimTime info_job_runtime(const KJob *job)
{
    SimTime sum = 0;
    for (const KJob *j = job->jobs_head; j; j = j->sib_next)
        sum += info_job_runtime(j);
    for (const KProcess *p = job->procs_head; p; p = p->sib_next)
        sum += info_process_runtime(p);
    return sum;
}

static zx_status_t info_task_runtime(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    zx_info_task_runtime_t r;
    memset(&r, 0, sizeof r);
    switch (obj->ops->type) {
    case ZX_OBJ_TYPE_THREAD: {
        KThread *t = thread_from(obj);
        r.cpu_time = t->fiber ? sim_thread_runtime(t->fiber) : 0;
        break;
    }
    case ZX_OBJ_TYPE_PROCESS:
        r.cpu_time = info_process_runtime(process_from(obj));
        break;
    case ZX_OBJ_TYPE_JOB:
        r.cpu_time = info_job_runtime(job_from(obj));
        break;
    default:
        return ZX_ERR_WRONG_TYPE;
    }
    if (topic == ZX_INFO_TASK_RUNTIME_V1)
        return info_single(o, &r, sizeof(zx_info_task_runtime_v1_t));
    return info_single(o, &r, sizeof r);
}

typedef struct InfoMem {
    size_t mapped, committed;
} InfoMem;

static void info_stats_visit(const VmarVisit *v, void *ctx)
{
    InfoMem *m = ctx;
    if (v->type != ZX_INFO_MAPS_TYPE_MAPPING)
        return;
    m->mapped += v->size;
    zx_info_vmo_t vi;
    vmo_info(v->object, &vi);
    m->committed += vi.committed_bytes < v->size ? vi.committed_bytes : v->size;
}

static zx_status_t info_task_stats(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(obj);
    if (p->state == PROCESS_DEAD)
        return ZX_ERR_BAD_STATE;
    InfoMem m = {0};
    if ((s = vmar_visit_process(p, info_stats_visit, &m)) != ZX_OK)
        return s;
    zx_info_task_stats_t r;
    memset(&r, 0, sizeof r);
    r.mem_mapped_bytes = m.mapped;
    r.mem_private_bytes = m.committed;
    if (topic == ZX_INFO_TASK_STATS_V1)
        return info_single(o, &r, sizeof(zx_info_task_stats_v1_t));
    return info_single(o, &r, sizeof r);
}

/* ---- Memory, streams, resources ----------------------------------------- */

/* Size of each ZX_INFO_VMO / PROCESS_VMOS record version. */
static size_t info_vmo_rec_size(uint32_t version)
{
    switch (version) {
    case 0: return sizeof(zx_info_vmo_v1_t);
    case 1: return sizeof(zx_info_vmo_v2_t);
    case 2: return sizeof(zx_info_vmo_v3_t);
    default: return sizeof(zx_info_vmo_t);
    }
}

static zx_status_t info_vmo(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    Handle *h;
    zx_status_t s = sys_get_handle(o->c, handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE, &h);
    if (s != ZX_OK)
        return s;
    zx_info_vmo_t r;
    vmo_info(h->object, &r);
    r.handle_rights = h->rights;
    r.flags |= ZX_INFO_VMO_VIA_HANDLE;
    return info_single(o, &r, info_vmo_rec_size(topic >> 28));
}

static zx_status_t info_vmar(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    zx_info_vmar_t r;
    vmar_info(obj, &r);
    return info_single(o, &r, sizeof r);
}

/* One zx_info_maps_t of the requested version per visited node. */
typedef struct InfoMapsWalk {
    InfoVec vec;
    uint32_t version;   /* 0 = v1, 1 = v2, 2 = current */
} InfoMapsWalk;

static void info_maps_visit(const VmarVisit *v, void *ctx)
{
    InfoMapsWalk *w = ctx;
    zx_info_maps_t *r = info_vec_push(&w->vec);
    if (!r)
        return;
    if (v->name)
        strncpy(r->name, v->name, sizeof r->name - 1);
    r->base = v->base;
    r->size = v->size;
    r->depth = v->depth;
    r->type = v->type;
    if (v->type != ZX_INFO_MAPS_TYPE_MAPPING)
        return;
    zx_info_vmo_t vi;
    vmo_info(v->object, &vi);
    r->u.mapping.mmu_flags = v->perms;
    r->u.mapping.vmo_koid = v->object->koid;
    r->u.mapping.vmo_offset = v->vmo_offset;
    size_t committed = vi.committed_bytes < v->size ? vi.committed_bytes : v->size;
    if (w->version == 2) {
        r->u.mapping.committed_bytes = committed;
        r->u.mapping.populated_bytes = committed;
        r->u.mapping.committed_private_bytes = committed;
        r->u.mapping.populated_private_bytes = committed;
        r->u.mapping.committed_scaled_bytes = committed;
        r->u.mapping.populated_scaled_bytes = committed;
    } else {
        /* v1/v2 count pages: committed_pages, then (v2) populated_pages. */
        r->u.mapping.committed_bytes = committed / VMO_PAGE_SIZE;
        r->u.mapping.populated_bytes = w->version == 1 ? committed / VMO_PAGE_SIZE : 0;
    }
}

static zx_status_t info_maps_finish(InfoOut *o, InfoMapsWalk *w)
{
    if (w->version == 2)
        return info_vec_finish(o, &w->vec);
    /* Older records are prefixes of zx_info_maps_t: repack them. */
    size_t rec = w->version == 0 ? sizeof(zx_info_maps_v1_t) : sizeof(zx_info_maps_v2_t);
    for (size_t i = 0; i < w->vec.n; i++)
        memmove(w->vec.data + i * rec, w->vec.data + i * w->vec.rec, rec);
    w->vec.rec = rec;
    return info_vec_finish(o, &w->vec);
}

static zx_status_t info_process_maps(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(obj);
    if (p == o->c->proc)
        return ZX_ERR_ACCESS_DENIED; /* Zircon refuses self-inspection */
    InfoMapsWalk w = {.vec = {.rec = sizeof(zx_info_maps_t)}, .version = topic >> 28};
    if ((s = vmar_visit_process(p, info_maps_visit, &w)) != ZX_OK) {
        free(w.vec.data);
        return s;
    }
    return info_maps_finish(o, &w);
}

static zx_status_t info_vmar_maps(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    InfoMapsWalk w = {.vec = {.rec = sizeof(zx_info_maps_t)}, .version = 2};
    vmar_visit_vmar(obj, info_maps_visit, &w);
    return info_maps_finish(o, &w);
}

static void info_vmos_visit(const VmarVisit *v, void *ctx)
{
    if (v->type != ZX_INFO_MAPS_TYPE_MAPPING)
        return;
    zx_info_vmo_t *r = info_vec_push(ctx);
    if (!r)
        return;
    vmo_info(v->object, r);
    r->flags |= ZX_INFO_VMO_VIA_MAPPING;
}

/* VMOs reachable from a process: through its handles (slot order), then
 * through its mappings (walk order); a VMO may appear more than once. */
static zx_status_t info_process_vmos(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(obj);
    if (p->state != PROCESS_RUNNING)
        return ZX_ERR_BAD_STATE;
    InfoVec v = {.rec = sizeof(zx_info_vmo_t)};
    uint32_t cursor = 0;
    for (Handle *h; (h = handle_table_next(&p->handles, &cursor));) {
        if (h->object->ops->type != ZX_OBJ_TYPE_VMO)
            continue;
        zx_info_vmo_t *r = info_vec_push(&v);
        if (!r)
            break;
        vmo_info(h->object, r);
        r->handle_rights = h->rights;
        r->flags |= ZX_INFO_VMO_VIA_HANDLE;
    }
    if ((s = vmar_visit_process(p, info_vmos_visit, &v)) != ZX_OK) {
        free(v.data);
        return s;
    }
    size_t rec = info_vmo_rec_size(topic >> 28);
    for (size_t i = 0; i < v.n; i++)
        memmove(v.data + i * rec, v.data + i * v.rec, rec);
    v.rec = rec;
    return info_vec_finish(o, &v);
}

static zx_status_t info_socket(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_SOCKET, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    zx_info_socket_t r;
    socket_info(obj, &r);
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_timer(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_TIMER, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    zx_info_timer_t r;
    timer_info(obj, &r);
    return info_single(o, &r, sizeof r);
}

static zx_status_t info_resource(InfoOut *o, zx_handle_t handle)
{
    KObject *obj;
    zx_status_t s = sys_get_object(o->c, handle, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_INSPECT, &obj);
    if (s != ZX_OK)
        return s;
    zx_info_resource_t r;
    resource_info(resource_from(obj), &r);
    return info_single(o, &r, sizeof r);
}

/* ---- Dispatch ------------------------------------------------------------ */

static zx_status_t info_memory_topic(InfoOut *o, zx_handle_t handle, uint32_t topic)
{
    switch (topic) {
    case ZX_INFO_VMO_V1:
    case ZX_INFO_VMO_V2:
    case ZX_INFO_VMO_V3:
    case ZX_INFO_VMO:
        return info_vmo(o, handle, topic);
    case ZX_INFO_VMAR:
        return info_vmar(o, handle);
    case ZX_INFO_VMAR_MAPS:
        return info_vmar_maps(o, handle);
    case ZX_INFO_PROCESS_MAPS_V1:
    case ZX_INFO_PROCESS_MAPS_V2:
    case ZX_INFO_PROCESS_MAPS:
        return info_process_maps(o, handle, topic);
    case ZX_INFO_PROCESS_VMOS_V1:
    case ZX_INFO_PROCESS_VMOS_V2:
    case ZX_INFO_PROCESS_VMOS_V3:
    case ZX_INFO_PROCESS_VMOS:
        return info_process_vmos(o, handle, topic);
    case ZX_INFO_TASK_STATS_V1:
    case ZX_INFO_TASK_STATS:
        return info_task_stats(o, handle, topic);
    default:
        return ZX_ERR_NOT_SUPPORTED;
    }
}

static zx_status_t info_task_topic(InfoOut *o, zx_handle_t handle, uint32_t topic)
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

zx_status_t sys_object_get_info(SysCtx *c, zx_handle_t handle, uint32_t topic,
                                void *buffer, size_t buffer_size, size_t *actual,
                                size_t *avail)
{
    InfoOut o = {.c = c, .buffer = buffer, .size = buffer_size,
                 .actual = actual, .avail = avail};
    switch (topic) {
    case ZX_INFO_HANDLE_VALID:
        /* Exempt from ZX_POL_BAD_HANDLE: look the value up directly. */
        return handle_table_get(&c->proc->handles, handle) ? ZX_OK : ZX_ERR_BAD_HANDLE;
    case ZX_INFO_HANDLE_BASIC:
        return info_handle_basic(&o, handle);
    case ZX_INFO_HANDLE_COUNT:
        return info_handle_count(&o, handle);
    case ZX_INFO_PROCESS_HANDLE_STATS:
        return info_handle_stats(&o, handle);
    case ZX_INFO_HANDLE_TABLE:
        return info_handle_table(&o, handle);
    case ZX_INFO_SOCKET:
        return info_socket(&o, handle);
    case ZX_INFO_TIMER:
        return info_timer(&o, handle);
    case ZX_INFO_RESOURCE:
        return info_resource(&o, handle);
    default:
        return info_task_topic(&o, handle, topic);
    }
}

/* ---- object_get_child ----------------------------------------------------- */

static KObject *info_find_child(KObject *parent, zx_koid_t koid)
{
    if (parent->ops->type == ZX_OBJ_TYPE_PROCESS) {
        for (KThread *t = process_from(parent)->threads_head; t; t = t->sib_next)
            if (t->base.koid == koid)
                return &t->base;
        return NULL;
    }
    KJob *job = job_from(parent);
    for (KJob *j = job->jobs_head; j; j = j->sib_next)
        if (j->base.koid == koid)
            return &j->base;
    for (KProcess *p = job->procs_head; p; p = p->sib_next)
        if (p->base.koid == koid)
            return &p->base;
    return NULL;
}

zx_status_t sys_object_get_child(SysCtx *c, zx_handle_t handle, uint64_t koid,
                                 zx_rights_t rights, zx_handle_t *out)
{
    Handle *h;
    zx_status_t s = sys_lookup(c, handle, &h);
    if (s != ZX_OK)
        return s;
    if (!rights_has(h->rights, ZX_RIGHT_ENUMERATE))
        return ZX_ERR_ACCESS_DENIED;
    zx_rights_t r;
    if (!sys_derive_rights(c, h->rights, rights, &r))
        return ZX_ERR_ACCESS_DENIED;
    zx_obj_type_t type = h->object->ops->type;
    if (type != ZX_OBJ_TYPE_PROCESS && type != ZX_OBJ_TYPE_JOB)
        return ZX_ERR_WRONG_TYPE;
    KObject *child = info_find_child(h->object, koid);
    if (!child)
        return ZX_ERR_NOT_FOUND;
    sys_charge(c, c->k->costs.handle_op);
    return sys_make_handle(c, child, r & child->ops->possible_rights, out);
}
