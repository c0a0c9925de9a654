/* sys_property.c — the properties object_get_property / set_property do
 * not handle themselves (sys_object.c keeps ZX_PROP_NAME and calls these
 * two hooks for everything else, after the GET/SET_PROPERTY right check).
 *
 * Zircon's order per property: value_size (ZX_ERR_BUFFER_TOO_SMALL), then
 * the object's type (ZX_ERR_WRONG_TYPE), then the copy (ZX_ERR_INVALID_ARGS),
 * then the value. An unknown property, or one that only has the other
 * direction, is ZX_ERR_INVALID_ARGS (Zircon's switch default).
 *
 *   PROCESS_DEBUG_ADDR       get/set; set 0 -> INVALID_ARGS; settable only
 *                            while 0 or ZX_PROCESS_DEBUG_ADDR_BREAK_ON_SET,
 *                            then ACCESS_DENIED (write-once)
 *   PROCESS_VDSO_BASE_ADDRESS get; capsim maps no vDSO: always 0
 *   PROCESS_BREAK_ON_LOAD    get/set; stored only (no dynamic loader traps)
 *   PROCESS_HW_TRACE_CONTEXT_ID  NOT_SUPPORTED (no debugging syscalls)
 *   REGISTER_FS / _GS (x86)  set on the caller's own thread only; capsim
 *                            cannot move a fiber's TLS base: NOT_SUPPORTED
 *   JOB_KILL_ON_OOM          set: 0 or 1 (else INVALID_ARGS); no size check,
 *                            as in Zircon (a size_t is read)
 *   EXCEPTION_STATE          get/set: TRY_NEXT, HANDLED, THREAD_EXIT
 *   EXCEPTION_STRATEGY       get/set; set needs a debugger channel's
 *                            exception (BAD_STATE otherwise)
 *   SOCKET_RX/TX_THRESHOLD   socket.c's accessors
 *   VMO_CONTENT_SIZE         vmo.c's accessors
 * Read next: sys_object.c, exception.c.
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "exception.h"
#include "job.h"
#include "process.h"
#include "socket.h"
#include "syscall.h"
#include "thread.h"
#include "vmo.h"

/* Size and type gate shared by every typed property. */
static zx_status_t sys_prop_gate(Handle *h, size_t size, size_t need, zx_obj_type_t type)
{
    if (size < need)
        return ZX_ERR_BUFFER_TOO_SMALL;
    if (h->object->ops->type != type)
        return ZX_ERR_WRONG_TYPE;
    return ZX_OK;
}

static zx_status_t sys_prop_out(SysCtx *c, void *value, const void *v, size_t n)
{
    return sys_copy_out(c, value, v, n) ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

static zx_status_t sys_prop_get_process(SysCtx *c, Handle *h, uint32_t property,
                                        void *value, size_t size)
{
    zx_status_t s = sys_prop_gate(h, size, sizeof(uintptr_t), ZX_OBJ_TYPE_PROCESS);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(h->object);
    uintptr_t v = 0;
    if (property == ZX_PROP_PROCESS_DEBUG_ADDR)
        v = (uintptr_t)p->debug_addr;
    else if (property == ZX_PROP_PROCESS_BREAK_ON_LOAD)
        v = (uintptr_t)p->break_on_load;
    return sys_prop_out(c, value, &v, sizeof v);
}

static zx_status_t sys_prop_get_exception(SysCtx *c, Handle *h, uint32_t property,
                                          void *value, size_t size)
{
    zx_status_t s = sys_prop_gate(h, size, sizeof(uint32_t), ZX_OBJ_TYPE_EXCEPTION);
    if (s != ZX_OK)
        return s;
    KException *e = exception_from(h->object);
    uint32_t v = property == ZX_PROP_EXCEPTION_STATE
                     ? e->state
                     : (e->second_chance ? ZX_EXCEPTION_STRATEGY_SECOND_CHANCE
                                         : ZX_EXCEPTION_STRATEGY_FIRST_CHANCE);
    return sys_prop_out(c, value, &v, sizeof v);
}

zx_status_t sys_property_get_other(SysCtx *c, Handle *h, uint32_t property,
                                   void *value, size_t size)
{
    zx_status_t s;
    switch (property) {
    case ZX_PROP_PROCESS_DEBUG_ADDR:
    case ZX_PROP_PROCESS_BREAK_ON_LOAD:
    case ZX_PROP_PROCESS_VDSO_BASE_ADDRESS:
        return sys_prop_get_process(c, h, property, value, size);
    case ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID:
        return ZX_ERR_NOT_SUPPORTED;
    case ZX_PROP_EXCEPTION_STATE:
    case ZX_PROP_EXCEPTION_STRATEGY:
        return sys_prop_get_exception(c, h, property, value, size);
    case ZX_PROP_SOCKET_RX_THRESHOLD:
    case ZX_PROP_SOCKET_TX_THRESHOLD: {
        if ((s = sys_prop_gate(h, size, sizeof(size_t), ZX_OBJ_TYPE_SOCKET)) != ZX_OK)
            return s;
        size_t v = socket_get_threshold(h->object, property == ZX_PROP_SOCKET_TX_THRESHOLD);
        return sys_prop_out(c, value, &v, sizeof v);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
        if ((s = sys_prop_gate(h, size, sizeof(uint64_t), ZX_OBJ_TYPE_VMO)) != ZX_OK)
            return s;
        uint64_t v = vmo_content_size(vmo_from(h->object));
        return sys_prop_out(c, value, &v, sizeof v);
    }
    default:
        return ZX_ERR_INVALID_ARGS;
    }
}

static zx_status_t sys_prop_set_process(SysCtx *c, Handle *h, uint32_t property,
                                        const void *value, size_t size)
{
    zx_status_t s = sys_prop_gate(h, size, sizeof(uintptr_t), ZX_OBJ_TYPE_PROCESS);
    if (s != ZX_OK)
        return s;
    uintptr_t v;
    if (!sys_copy_in(c, &v, value, sizeof v))
        return ZX_ERR_INVALID_ARGS;
    KProcess *p = process_from(h->object);
    if (property == ZX_PROP_PROCESS_BREAK_ON_LOAD) {
        p->break_on_load = v;
        return ZX_OK;
    }
    if (v == 0)
        return ZX_ERR_INVALID_ARGS;
    if (p->debug_addr != 0 && p->debug_addr != ZX_PROCESS_DEBUG_ADDR_BREAK_ON_SET)
        return ZX_ERR_ACCESS_DENIED;
    p->debug_addr = v;
    p->debug_addr_set = true;
    return ZX_OK;
}

static zx_status_t sys_prop_set_exception(SysCtx *c, Handle *h, uint32_t property,
                                          const void *value, size_t size)
{
    zx_status_t s = sys_prop_gate(h, size, sizeof(uint32_t), ZX_OBJ_TYPE_EXCEPTION);
    if (s != ZX_OK)
        return s;
    KException *e = exception_from(h->object);
    uint32_t v;
    if (property == ZX_PROP_EXCEPTION_STRATEGY &&
        e->channel_type != ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER)
        return ZX_ERR_BAD_STATE;
    if (!sys_copy_in(c, &v, value, sizeof v))
        return ZX_ERR_INVALID_ARGS;
    if (property == ZX_PROP_EXCEPTION_STATE)
        return exception_set_state(e, v);
    return exception_set_strategy(e, v);
}

static zx_status_t sys_prop_set_kill_on_oom(SysCtx *c, Handle *h, const void *value)
{
    if (h->object->ops->type != ZX_OBJ_TYPE_JOB)
        return ZX_ERR_WRONG_TYPE;
    size_t v;
    if (!sys_copy_in(c, &v, value, sizeof v))
        return ZX_ERR_INVALID_ARGS;
    if (v > 1)
        return ZX_ERR_INVALID_ARGS;
    job_from(h->object)->kill_on_oom = v == 1;
    return ZX_OK;
}

#if defined(__x86_64__)
/* Zircon checks the size, that the base is a canonical user address, that
 * the handle is a thread and that it is the caller. A simulated thread
 * shares the host's segment registers, so a valid request is refused. */
static zx_status_t sys_prop_set_fs_gs(SysCtx *c, Handle *h, const void *value, size_t size)
{
    if (size < sizeof(uintptr_t))
        return ZX_ERR_BUFFER_TOO_SMALL;
    uintptr_t base;
    if (!sys_copy_in(c, &base, value, sizeof base))
        return ZX_ERR_INVALID_ARGS;
    if ((base >> 47) != 0) /* non-canonical, or in the kernel's half */
        return ZX_ERR_INVALID_ARGS;
    if (h->object->ops->type != ZX_OBJ_TYPE_THREAD)
        return ZX_ERR_WRONG_TYPE;
    if (h->object != &c->thread->base)
        return ZX_ERR_ACCESS_DENIED;
    return ZX_ERR_NOT_SUPPORTED;
}
#endif

zx_status_t sys_property_set_other(SysCtx *c, Handle *h, uint32_t property,
                                   const void *value, size_t size)
{
    zx_status_t s;
    switch (property) {
#if defined(__x86_64__)
    case ZX_PROP_REGISTER_FS:
    case ZX_PROP_REGISTER_GS:
        return sys_prop_set_fs_gs(c, h, value, size);
#endif
    case ZX_PROP_PROCESS_DEBUG_ADDR:
    case ZX_PROP_PROCESS_BREAK_ON_LOAD:
        return sys_prop_set_process(c, h, property, value, size);
    case ZX_PROP_JOB_KILL_ON_OOM:
        return sys_prop_set_kill_on_oom(c, h, value);
    case ZX_PROP_EXCEPTION_STATE:
    case ZX_PROP_EXCEPTION_STRATEGY:
        return sys_prop_set_exception(c, h, property, value, size);
    case ZX_PROP_SOCKET_RX_THRESHOLD:
    case ZX_PROP_SOCKET_TX_THRESHOLD: {
        if ((s = sys_prop_gate(h, size, sizeof(size_t), ZX_OBJ_TYPE_SOCKET)) != ZX_OK)
            return s;
        size_t v;
        if (!sys_copy_in(c, &v, value, sizeof v))
            return ZX_ERR_INVALID_ARGS;
        return socket_set_threshold(h->object, property == ZX_PROP_SOCKET_TX_THRESHOLD, v);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
        if ((s = sys_prop_gate(h, size, sizeof(uint64_t), ZX_OBJ_TYPE_VMO)) != ZX_OK)
            return s;
        uint64_t v;
        if (!sys_copy_in(c, &v, value, sizeof v))
            return ZX_ERR_INVALID_ARGS;
        KVmo *vmo = vmo_from(h->object);
        if (v > vmo_size(vmo))
            return ZX_ERR_OUT_OF_RANGE;
        vmo_set_content_size(vmo, v);
        return ZX_OK;
    }
    default:
        return ZX_ERR_INVALID_ARGS;
    }
}
