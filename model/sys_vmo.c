/* sys_vmo.c — the VMO syscalls (ABI work only; vmo.c does the work).
 *
 * Zircon facts reproduced: vmo_create checks ZX_POL_NEW_VMO before its
 * options; resizable VMOs (and resizable children) carry ZX_RIGHT_RESIZE;
 * vmo_set_size needs WRITE, then answers UNAVAILABLE for a non-resizable
 * VMO whatever the rights, then needs RESIZE; vmo_op_range checks the op's
 * right before its range; vmo_create_child needs DUPLICATE|READ and derives
 * the child's rights from the parent handle's (+GET/SET_PROPERTY; NO_WRITE
 * drops WRITE; snapshots gain WRITE and lose EXECUTE); replace_as_executable
 * consumes its source handle in every case once it is found.
 */
#include "syscall.h"
#include "vmo.h"

/* resource.c may say whether a resource is of the VMEX kind. */
bool resource_is_vmex(KObject *o) __attribute__((weak));

static void sys_vmo_charge_copy(SysCtx *c, size_t n)
{
    sys_charge(c, c->k->costs.per_kib_copy * (SimTime)((n + 1023) / 1024));
}

zx_status_t sys_vmo_create(SysCtx *c, uint64_t size, uint32_t options, zx_handle_t *out)
{
    zx_status_t s = sys_policy(c, ZX_POL_NEW_VMO);
    if (s != ZX_OK)
        return s;
    if (options & ~(ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE))
        return ZX_ERR_INVALID_ARGS;
    if ((options & ZX_VMO_RESIZABLE) && (options & ZX_VMO_DISCARDABLE))
        return ZX_ERR_INVALID_ARGS;
    KVmo *v;
    if ((s = vmo_create(c->k, size, options, &v)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    zx_rights_t rights = ZX_DEFAULT_VMO_RIGHTS;
    if (options & ZX_VMO_RESIZABLE)
        rights |= ZX_RIGHT_RESIZE;
    s = sys_make_handle(c, (KObject *)v, rights, out);
    kobject_unref((KObject *)v);
    return s;
}

zx_status_t sys_vmo_read(SysCtx *c, zx_handle_t handle, void *buffer,
                         uint64_t offset, size_t buffer_size)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ, &o);
    if (s != ZX_OK)
        return s;
    KVmo *v = vmo_from(o);
    if ((s = vmo_range_ok(v, offset, buffer_size)) != ZX_OK)
        return s;
    sys_vmo_charge_copy(c, buffer_size);
    for (size_t done = 0; done < buffer_size;) {
        size_t n = buffer_size - done;
        const uint8_t *src = vmo_read_source(v, offset + done, &n);
        if (!sys_copy_out(c, (uint8_t *)buffer + done, src, n))
            return ZX_ERR_INVALID_ARGS;
        done += n;
    }
    return ZX_OK;
}

zx_status_t sys_vmo_write(SysCtx *c, zx_handle_t handle, const void *buffer,
                          uint64_t offset, size_t buffer_size)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, &o);
    if (s != ZX_OK)
        return s;
    KVmo *v = vmo_from(o);
    if ((s = vmo_range_ok(v, offset, buffer_size)) != ZX_OK)
        return s;
    sys_vmo_charge_copy(c, buffer_size);
    if (buffer_size == 0)
        return ZX_OK;
    uint8_t *to = vmo_write_target(v, offset, buffer_size);
    if (!to)
        return ZX_ERR_NO_MEMORY;
    return sys_copy_in(c, to, buffer, buffer_size) ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

zx_status_t sys_vmo_get_size(SysCtx *c, zx_handle_t handle, uint64_t *size)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE, &o);
    if (s != ZX_OK)
        return s;
    uint64_t n = vmo_size(vmo_from(o));
    return sys_copy_out(c, size, &n, sizeof n) ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

zx_status_t sys_vmo_set_size(SysCtx *c, zx_handle_t handle, uint64_t size)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, &h);
    if (s != ZX_OK)
        return s;
    KVmo *v = vmo_from(h->object);
    if (!vmo_is_resizable(v))
        return ZX_ERR_UNAVAILABLE;
    if (!rights_has(h->rights, ZX_RIGHT_RESIZE))
        return ZX_ERR_ACCESS_DENIED;
    return vmo_set_size(v, size);
}

/* The right each op needs (Zircon's RangeOp), or an early status. */
static zx_status_t sys_vmo_op_rights(SysCtx *c, uint32_t op, zx_rights_t have)
{
    switch (op) {
    case ZX_VMO_OP_COMMIT:
    case ZX_VMO_OP_DECOMMIT:
    case ZX_VMO_OP_ZERO:
        return (have & ZX_RIGHT_WRITE) ? ZX_OK : ZX_ERR_ACCESS_DENIED;
    case ZX_VMO_OP_LOCK:
    case ZX_VMO_OP_TRY_LOCK:
    case ZX_VMO_OP_UNLOCK:
        return (have & (ZX_RIGHT_READ | ZX_RIGHT_WRITE)) ? ZX_OK : ZX_ERR_ACCESS_DENIED;
    case ZX_VMO_OP_CACHE_SYNC:
    case ZX_VMO_OP_CACHE_CLEAN:
    case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE:
        return (have & ZX_RIGHT_READ) ? ZX_OK : ZX_ERR_ACCESS_DENIED;
    case ZX_VMO_OP_CACHE_INVALIDATE:
        if (!c->k->debugging_syscalls)
            return ZX_ERR_NOT_SUPPORTED;
        return (have & ZX_RIGHT_WRITE) ? ZX_OK : ZX_ERR_ACCESS_DENIED;
    default:
        return ZX_OK; /* hints need nothing; unknown ops fail in vmo.c */
    }
}

zx_status_t sys_vmo_op_range(SysCtx *c, zx_handle_t handle, uint32_t op,
                             uint64_t offset, uint64_t size, void *buffer,
                             size_t buffer_size)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE, &h);
    if (s == ZX_OK)
        s = sys_vmo_op_rights(c, op, h->rights);
    if (s != ZX_OK)
        return s;
    KVmo *v = vmo_from(h->object);
    zx_vmo_lock_state_t lock;
    if ((s = vmo_op_range(v, op, offset, size, &lock)) != ZX_OK)
        return s;
    if (op == ZX_VMO_OP_LOCK &&
        (buffer_size < sizeof lock || !sys_copy_out(c, buffer, &lock, sizeof lock))) {
        vmo_op_range(v, ZX_VMO_OP_UNLOCK, offset, size, NULL); /* undo */
        return ZX_ERR_INVALID_ARGS;
    }
    return ZX_OK;
}

static zx_rights_t sys_vmo_child_rights(zx_rights_t in, uint32_t options, bool no_write)
{
    zx_rights_t r = in | ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
    if (no_write) {
        r &= ~ZX_RIGHT_WRITE;
    } else if (options & (ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE)) {
        r &= ~ZX_RIGHT_EXECUTE;
        r |= ZX_RIGHT_WRITE;
    }
    if (options & ZX_VMO_CHILD_RESIZABLE)
        r |= ZX_RIGHT_RESIZE;
    else
        r &= ~ZX_RIGHT_RESIZE;
    return r;
}

zx_status_t sys_vmo_create_child(SysCtx *c, zx_handle_t handle, uint32_t options,
                                 uint64_t offset, uint64_t size, zx_handle_t *out)
{
    bool no_write = options & ZX_VMO_CHILD_NO_WRITE;
    options &= ~ZX_VMO_CHILD_NO_WRITE;
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_VMO,
                                   ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ, &h);
    if (s != ZX_OK)
        return s;
    if (no_write && (options & ZX_VMO_CHILD_RESIZABLE))
        return ZX_ERR_INVALID_ARGS;
    KVmo *child;
    s = vmo_create_child(vmo_from(h->object), options, offset, size,
                         (h->rights & ZX_RIGHT_GET_PROPERTY) != 0, &child);
    if (s != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    zx_rights_t rights = sys_vmo_child_rights(h->rights, options, no_write);
    s = sys_make_handle(c, (KObject *)child, rights, out);
    kobject_unref((KObject *)child);
    return s;
}

/* Authority to mark executable: a VMEX resource, or the ambient policy.
 * The rights-subset fault switch removes the policy's refusal too: gaining
 * EXECUTE without authority is the same bug class as gaining a right. */
static zx_status_t sys_vmo_vmex(SysCtx *c, zx_handle_t vmex)
{
    if (vmex == ZX_HANDLE_INVALID) {
        zx_status_t s = sys_policy(c, ZX_POL_AMBIENT_MARK_VMO_EXEC);
        if (s == ZX_ERR_ACCESS_DENIED && c->k->faults.skip_rights_subset) {
            kernel_trace(c->k, KTR_FAULT_INJECTED, ZX_POL_AMBIENT_MARK_VMO_EXEC,
                         0, 0, 0, "skip_rights_subset");
            return ZX_OK;
        }
        return s;
    }
    KObject *r;
    zx_status_t s = sys_get_object(c, vmex, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE, &r);
    if (s != ZX_OK)
        return s;
    if (resource_is_vmex && !resource_is_vmex(r))
        return ZX_ERR_WRONG_TYPE;
    return ZX_OK;
}

zx_status_t sys_vmo_replace_as_executable(SysCtx *c, zx_handle_t handle,
                                          zx_handle_t vmex, zx_handle_t *out)
{
    zx_status_t vs = sys_vmo_vmex(c, vmex);
    if (vs == SYS_EXITED)
        return vs;
    Handle *h;
    zx_status_t s = sys_lookup(c, handle, &h);
    if (s != ZX_OK)
        return s;
    KObject *o = h->object;
    zx_rights_t rights = h->rights | ZX_RIGHT_EXECUTE;
    kobject_ref(o); /* across the close of the source */
    if (vs == ZX_OK && o->ops->type != ZX_OBJ_TYPE_VMO)
        vs = ZX_ERR_BAD_HANDLE;
    if (vs == ZX_OK)
        vs = sys_make_handle(c, o, rights, out);
    sys_close_handle(c, h);
    kobject_unref(o);
    return vs;
}
