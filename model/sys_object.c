/* sys_object.c — generic object syscalls: object_signal,
 * object_signal_peer, and the ZX_PROP_NAME property (other properties and
 * get_info topics live with their families in sys_info.c / sys_property.c).
 *
 * Zircon's order for signal: handle -> SIGNAL right -> bits allowed for the
 * type (ZX_ERR_INVALID_ARGS). Non-waitable objects cannot be signalled
 * (ZX_ERR_NOT_SUPPORTED). Peer variant: SIGNAL_PEER, a peered type, a live
 * peer (ZX_ERR_PEER_CLOSED).
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "syscall.h"

zx_status_t sys_object_signal(SysCtx *c, zx_handle_t handle, uint32_t clear_mask,
                              uint32_t set_mask)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SIGNAL, &h);
    if (s != ZX_OK)
        return s;
    const KObjectOps *ops = h->object->ops;
    if (!ops->waitable)
        return ZX_ERR_NOT_SUPPORTED;
    if (((clear_mask | set_mask) & ~ops->user_signals) != 0)
        return ZX_ERR_INVALID_ARGS;
    kobject_signal(h->object, clear_mask, set_mask);
    return ZX_OK;
}

zx_status_t sys_object_signal_peer(SysCtx *c, zx_handle_t handle,
                                   uint32_t clear_mask, uint32_t set_mask)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SIGNAL_PEER, &h);
    if (s != ZX_OK)
        return s;
    const KObjectOps *ops = h->object->ops;
    if (!ops->peer)
        return ZX_ERR_NOT_SUPPORTED;
    if (((clear_mask | set_mask) & ~ops->user_signals) != 0)
        return ZX_ERR_INVALID_ARGS;
    KObject *peer = kobject_peer(h->object);
    if (!peer)
        return ZX_ERR_PEER_CLOSED;
    kobject_signal(peer, clear_mask, set_mask);
    return ZX_OK;
}

/* Properties handled here: ZX_PROP_NAME on named types. Others are offered
 * to the families through weak handlers (NULL until written). */
zx_status_t sys_property_get_other(SysCtx *c, Handle *h, uint32_t property,
                                   void *value, size_t size) __attribute__((weak));
zx_status_t sys_property_set_other(SysCtx *c, Handle *h, uint32_t property,
                                   const void *value, size_t size) __attribute__((weak));

zx_status_t sys_object_get_property(SysCtx *c, zx_handle_t handle, uint32_t property,
                                    void *value, size_t value_size)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_GET_PROPERTY, &h);
    if (s != ZX_OK)
        return s;
    if (property == ZX_PROP_NAME) {
        if (!h->object->ops->has_name)
            return ZX_ERR_WRONG_TYPE;
        if (value_size < ZX_MAX_NAME_LEN)
            return ZX_ERR_BUFFER_TOO_SMALL;
        if (!sys_copy_out(c, value, h->object->name, ZX_MAX_NAME_LEN))
            return ZX_ERR_INVALID_ARGS;
        return ZX_OK;
    }
    if (sys_property_get_other)
        return sys_property_get_other(c, h, property, value, value_size);
    return ZX_ERR_INVALID_ARGS;
}

zx_status_t sys_object_set_property(SysCtx *c, zx_handle_t handle, uint32_t property,
                                    const void *value, size_t value_size)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SET_PROPERTY, &h);
    if (s != ZX_OK)
        return s;
    if (property == ZX_PROP_NAME) {
        if (!h->object->ops->has_name)
            return ZX_ERR_WRONG_TYPE;
        char name[ZX_MAX_NAME_LEN] = {0};
        size_t n = value_size < ZX_MAX_NAME_LEN - 1 ? value_size : ZX_MAX_NAME_LEN - 1;
        if (!sys_copy_in(c, name, value, n))
            return ZX_ERR_INVALID_ARGS;
        kobject_set_name(h->object, name, n);
        return ZX_OK;
    }
    if (sys_property_set_other)
        return sys_property_set_other(c, h, property, value, value_size);
    return ZX_ERR_INVALID_ARGS;
}
