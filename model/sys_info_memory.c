/* sys_info_memory.c — object_get_info topics about memory, streams and
 * resources: VMO, VMAR, VMAR_MAPS, PROCESS_MAPS, PROCESS_VMOS, TASK_STATS,
 * SOCKET, TIMER, RESOURCE. Records come from the accessors in vmo.h,
 * vmar.h (walks in address order), socket.h, timer.h and resource.h.
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


/* ---- Memory, streams, resources ----------------------------------------- */
typedef struct InfoMem {
    size_t mapped, private_bytes, shared, scaled_shared;
} InfoMem;

/* A mapping's committed bytes are private if its VMO is mapped in this
 * address space only, else shared (and scaled by the number of address
 * spaces sharing it), as Zircon's TASK_STATS counts them. */
static void info_stats_visit(const VmarVisit *v, void *ctx)
{
    InfoMem *m = ctx;
    if (v->type != ZX_INFO_MAPS_TYPE_MAPPING)
        return;
    m->mapped += v->size;
    zx_info_vmo_t vi;
    vmo_info(v->object, &vi);
    size_t committed = vi.committed_bytes < v->size ? vi.committed_bytes : v->size;
    if (vi.share_count > 1) {
        m->shared += committed;
        m->scaled_shared += committed / vi.share_count;
    } else {
        m->private_bytes += committed;
    }
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
    r.mem_private_bytes = m.private_bytes;
    r.mem_shared_bytes = m.shared;
    r.mem_scaled_shared_bytes = m.scaled_shared;
    if (topic == ZX_INFO_TASK_STATS_V1)
        return info_single(o, &r, sizeof(zx_info_task_stats_v1_t));
    return info_single(o, &r, sizeof r);
}


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

zx_status_t info_memory_topic(InfoOut *o, zx_handle_t handle, uint32_t topic)
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
    case ZX_INFO_SOCKET:
        return info_socket(o, handle);
    case ZX_INFO_TIMER:
        return info_timer(o, handle);
    case ZX_INFO_RESOURCE:
        return info_resource(o, handle);
    default:
        return ZX_ERR_NOT_SUPPORTED;
    }
}

