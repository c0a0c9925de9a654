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
 * Simulated quantities: TASK_RUNTIME's cpu_time is the engine's virtual CPU
 * time and queue_time its time runnable on a run queue, summed over a
 * task's threads, live and dead (thread.c records a thread's when it dies,
 * processes and jobs keep their dead children's); page-fault and lock
 * times are 0. TASK_STATS counts mapped bytes from the VMAR walk and the
 * committed bytes of the mapped VMOs, as private when no other address
 * space maps the VMO, else as shared (scaled: divided by the number of
 * address spaces mapping it). HANDLE_TABLE's size-only
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
#include "sys_info.h"
#include "syscall.h"
#include "thread.h"
#include "timer.h"
#include "vmar.h"
#include "vmo.h"


zx_status_t info_counts(InfoOut *o, size_t actual, size_t avail)
{
    if (!sys_copy_out_opt(o->c, o->actual, &actual, sizeof actual) ||
        !sys_copy_out_opt(o->c, o->avail, &avail, sizeof avail))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

zx_status_t info_single(InfoOut *o, const void *rec, size_t rec_size)
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

zx_status_t info_array(InfoOut *o, const void *recs, size_t rec_size, size_t n)
{
    size_t fit = o->size / rec_size;
    size_t copy = n < fit ? n : fit;
    if (copy && !sys_copy_out(o->c, o->buffer, recs, copy * rec_size))
        return ZX_ERR_INVALID_ARGS;
    return info_counts(o, copy, n);
}


void *info_vec_push(InfoVec *v)
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

zx_status_t info_vec_finish(InfoOut *o, InfoVec *v)
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

/* ---- Dispatch ------------------------------------------------------------ */

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
