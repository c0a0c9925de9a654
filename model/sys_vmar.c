/* sys_vmar.c — the VMAR syscalls and process_read_memory /
 * process_write_memory (ABI work only; vmar.c does the work).
 *
 * Rights, as Zircon: vmar_allocate needs READ/WRITE/EXECUTE on the parent
 * for each CAN_MAP_* asked; vmar_map needs MAP on the VMO and, per PERM_*,
 * the matching right on both handles (the rights both had become the
 * mapping's ceiling for later vmar_protect); vmar_protect needs the rights
 * matching its PERM_*; vmar_destroy needs OP_CHILDREN; vmar_unmap none,
 * nor does vmar_unmap_handle_close_thread_exit (a thread's last call).
 * Writable+executable requests go through ZX_POL_VMAR_WX. Write without
 * read is not expressible (INVALID_ARGS). process_write_memory exists only
 * with Kernel.debugging_syscalls (else NOT_SUPPORTED), as on Zircon.
 * Both reach the VMO mappings of the target's address space and, past
 * them, its loaded app image (Kernel.image_memory), whose read-only
 * pieces are not written (ACCESS_DENIED).
 */
#include "exception.h"
#include "process.h"
#include "syscall.h"
#include "thread.h"
#include "vmar.h"

#define SYS_MEMORY_MAX_BLOCK ((size_t)64 << 20) /* Zircon's debug copy limit */

static bool sys_vmar_valid_perms(uint32_t options)
{
    return !((options & ZX_VM_PERM_WRITE) && !(options & ZX_VM_PERM_READ));
}

static zx_rights_t sys_vmar_rights_for(uint32_t perms_or_can, bool can)
{
    uint32_t r = can ? ZX_VM_CAN_MAP_READ : ZX_VM_PERM_READ;
    uint32_t w = can ? ZX_VM_CAN_MAP_WRITE : ZX_VM_PERM_WRITE;
    uint32_t x = can ? ZX_VM_CAN_MAP_EXECUTE : ZX_VM_PERM_EXECUTE;
    return ((perms_or_can & r) ? ZX_RIGHT_READ : 0) |
           ((perms_or_can & w) ? ZX_RIGHT_WRITE : 0) |
           ((perms_or_can & x) ? ZX_RIGHT_EXECUTE : 0);
}

static zx_status_t sys_vmar_wx(SysCtx *c, uint32_t options)
{
    if ((options & ZX_VM_PERM_WRITE) && (options & ZX_VM_PERM_EXECUTE))
        return sys_policy(c, ZX_POL_VMAR_WX);
    return ZX_OK;
}

zx_status_t sys_vmar_allocate(SysCtx *c, zx_handle_t parent_vmar, zx_vm_option_t options,
                              size_t offset, size_t size, zx_handle_t *child_vmar,
                              zx_vaddr_t *child_addr)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, parent_vmar, ZX_OBJ_TYPE_VMAR,
                                   sys_vmar_rights_for(options, true), &o);
    if (s != ZX_OK)
        return s;
    KVmar *child;
    if ((s = vmar_allocate(vmar_from(o), options, offset, size, &child)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    zx_info_vmar_t info;
    vmar_info((KObject *)child, &info);
    zx_vaddr_t addr = info.base;
    /* Both outputs or neither: the address first (no side effect if it
     * cannot be written), then the handle. */
    if (!sys_copy_out(c, child_addr, &addr, sizeof addr))
        s = ZX_ERR_INVALID_ARGS;
    else
        s = sys_make_handle(c, (KObject *)child, vmar_rights_for(options), child_vmar);
    if (s != ZX_OK)
        vmar_destroy(child);
    kobject_unref((KObject *)child);
    return s;
}

/* vmar_map's checks on the handles and options, in Zircon's order; on
 * success *can_map is the ceiling both handles allow. */
static zx_status_t sys_vmar_map_check(SysCtx *c, const Handle *vh, const Handle *oh,
                                      uint32_t *options, uint32_t *can_map)
{
    if (!(oh->rights & ZX_RIGHT_MAP))
        return ZX_ERR_ACCESS_DENIED;
    if (!sys_vmar_valid_perms(*options))
        return ZX_ERR_INVALID_ARGS;
    bool map_range = *options & ZX_VM_MAP_RANGE;
    *options &= ~ZX_VM_MAP_RANGE; /* our mappings are always populated */
    if (map_range && (*options & ZX_VM_SPECIFIC_OVERWRITE))
        return ZX_ERR_INVALID_ARGS;
    if (*options & VMAR_CAN_RWX)
        return ZX_ERR_INVALID_ARGS;
    zx_rights_t both = vh->rights & oh->rights;
    *can_map = ((both & ZX_RIGHT_READ) ? ZX_VM_CAN_MAP_READ : 0) |
               ((both & ZX_RIGHT_WRITE) ? ZX_VM_CAN_MAP_WRITE : 0) |
               ((both & ZX_RIGHT_EXECUTE) ? ZX_VM_CAN_MAP_EXECUTE : 0);
    zx_rights_t need = sys_vmar_rights_for(*options, false);
    if (!rights_has(both, need))
        return ZX_ERR_ACCESS_DENIED;
    return sys_vmar_wx(c, *options);
}

zx_status_t sys_vmar_map(SysCtx *c, zx_handle_t handle, zx_vm_option_t options,
                         size_t vmar_offset, zx_handle_t vmo, uint64_t vmo_offset,
                         size_t len, zx_vaddr_t *mapped_addr)
{
    Handle *vh, *oh;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE, &vh);
    if (s == ZX_OK)
        s = sys_get_handle(c, vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE, &oh);
    uint32_t can_map;
    if (s == ZX_OK)
        s = sys_vmar_map_check(c, vh, oh, &options, &can_map);
    if (s != ZX_OK)
        return s;
    KVmar *v = vmar_from(vh->object);
    uintptr_t addr;
    s = vmar_map(v, options, vmar_offset, vmo_from(oh->object), vmo_offset, len,
                 can_map, &addr);
    if (s != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    zx_vaddr_t out = addr;
    if (!sys_copy_out(c, mapped_addr, &out, sizeof out)) {
        vmar_unmap(v, addr, len);
        return ZX_ERR_INVALID_ARGS;
    }
    return ZX_OK;
}

zx_status_t sys_vmar_unmap(SysCtx *c, zx_handle_t handle, zx_vaddr_t addr, size_t len)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE, &o);
    if (s != ZX_OK)
        return s;
    return vmar_unmap(vmar_from(o), addr, len);
}

/* A dying thread's last call (Fuchsia's libc ends a detached thread with
 * it): unmap, typically the caller's own stack, close a handle, typically
 * its own thread's, and exit. An unmap that fails returns its status, and
 * nothing else happens; a handle that cannot be closed is a trap, as if by
 * __builtin_trap(). Unlike Zircon, that handle is checked before the unmap
 * and the trap leaves the memory mapped: the trapped thread lives on (in
 * its exception), and a syscall whose caller lives on is answered through
 * its stack. After a success the caller's stack may be gone: the hook sees
 * the caller dying and never reads its request again. */
zx_status_t sys_vmar_unmap_handle_close_thread_exit(SysCtx *c, zx_handle_t vmar_handle,
                                                    zx_vaddr_t addr, size_t size,
                                                    zx_handle_t close_handle)
{
    if (close_handle != ZX_HANDLE_INVALID && !handle_table_get(c->handles, close_handle)) {
        exception_raise_trap(c->thread);
        return ZX_OK;
    }
    zx_status_t s = sys_vmar_unmap(c, vmar_handle, addr, size);
    if (s != ZX_OK)
        return s;
    sys_handle_close(c, close_handle);
    thread_kill(c->thread);
    return ZX_OK;
}

zx_status_t sys_vmar_protect(SysCtx *c, zx_handle_t handle, zx_vm_option_t options,
                             zx_vaddr_t addr, size_t len)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_VMAR,
                                   sys_vmar_rights_for(options, false), &o);
    if (s != ZX_OK)
        return s;
    if (!sys_vmar_valid_perms(options) || (options & ~VMAR_PERM_RWX))
        return ZX_ERR_INVALID_ARGS;
    if ((s = sys_vmar_wx(c, options)) != ZX_OK)
        return s;
    return vmar_protect(vmar_from(o), addr, len, options);
}

zx_status_t sys_vmar_destroy(SysCtx *c, zx_handle_t handle)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_OP_CHILDREN, &o);
    if (s != ZX_OK)
        return s;
    return vmar_destroy(vmar_from(o));
}

/* ---- Debugger access to another process's memory ----------------------- */

/* Where a debugger's copy goes: the kernel's view of the target's bytes
 * at vaddr, how many from there (bounded by len and the end of the
 * mapping or image piece holding vaddr), and whether they may be written. */
typedef struct SysMemorySpan {
    uint8_t *bytes;
    size_t n;
    bool writable;
} SysMemorySpan;

/* The span at vaddr in the process behind `handle`, after the handle
 * checks: a VMO mapping of its address space (written through whatever
 * the mapping's permissions, as Zircon does), else its loaded image
 * (Kernel.image_memory: outside the address space, see
 * model/app/app_image_memory.c). */
static zx_status_t sys_memory_target(SysCtx *c, zx_handle_t handle, zx_rights_t rights,
                                     zx_vaddr_t vaddr, size_t len, SysMemorySpan *out)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_PROCESS, rights, &o);
    if (s != ZX_OK)
        return s;
    KProcess *p = process_from(o);
    KVmo *vmo;
    uint64_t off;
    s = vmar_process_memory(p, vaddr, len, &vmo, &off, &out->n);
    if (s == ZX_OK) {
        out->bytes = vmo_bytes(vmo, off);
        out->writable = true;
        return ZX_OK;
    }
    uintptr_t end;
    if (s != ZX_ERR_NO_MEMORY || !c->k->image_memory ||
        !c->k->image_memory(c->k, p, vaddr, &end, &out->writable))
        return s;
    out->bytes = (uint8_t *)vaddr;
    out->n = end - vaddr < len ? (size_t)(end - vaddr) : len;
    return ZX_OK;
}

zx_status_t sys_process_read_memory(SysCtx *c, zx_handle_t handle, zx_vaddr_t vaddr,
                                    void *buffer, size_t buffer_size, size_t *actual)
{
    if (!buffer || buffer_size == 0 || buffer_size > SYS_MEMORY_MAX_BLOCK)
        return ZX_ERR_INVALID_ARGS;
    SysMemorySpan m;
    zx_status_t s = sys_memory_target(c, handle, ZX_RIGHT_READ | ZX_RIGHT_WRITE, vaddr,
                                      buffer_size, &m);
    if (s != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.per_kib_copy * (SimTime)((m.n + 1023) / 1024));
    if (!sys_copy_out(c, buffer, m.bytes, m.n) || !sys_copy_out(c, actual, &m.n, sizeof m.n))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

/* A piece the host keeps read-only (an image's code, constants, RELRO) is
 * ZX_ERR_ACCESS_DENIED, Zircon's status for a protected area (its vDSO). */
zx_status_t sys_process_write_memory(SysCtx *c, zx_handle_t handle, zx_vaddr_t vaddr,
                                     const void *buffer, size_t buffer_size, size_t *actual)
{
    if (!c->k->debugging_syscalls)
        return ZX_ERR_NOT_SUPPORTED;
    if (!buffer || buffer_size == 0 || buffer_size > SYS_MEMORY_MAX_BLOCK)
        return ZX_ERR_INVALID_ARGS;
    SysMemorySpan m;
    zx_status_t s = sys_memory_target(c, handle, ZX_RIGHT_WRITE, vaddr, buffer_size, &m);
    if (s != ZX_OK)
        return s;
    if (!m.writable)
        return ZX_ERR_ACCESS_DENIED;
    sys_charge(c, c->k->costs.per_kib_copy * (SimTime)((m.n + 1023) / 1024));
    if (!sys_copy_in(c, m.bytes, buffer, m.n) || !sys_copy_out(c, actual, &m.n, sizeof m.n))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}
