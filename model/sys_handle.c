/* sys_handle.c — the handle family: close, close_many, duplicate, replace.
 *
 * Zircon's facts reproduced: closing ZX_HANDLE_INVALID succeeds; close_many
 * closes every valid entry and reports ZX_ERR_BAD_HANDLE if any entry was
 * invalid or repeated; duplicate needs ZX_RIGHT_DUPLICATE and checks, in
 * order, handle, right, rights subset; replace needs no right and always
 * consumes the source, even when the requested rights are refused.
 */
#include "syscall.h"

zx_status_t sys_handle_close(SysCtx *c, zx_handle_t handle)
{
    if (handle == ZX_HANDLE_INVALID)
        return ZX_OK;
    Handle *h;
    zx_status_t s = sys_lookup(c, handle, &h);
    if (s != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.handle_op);
    sys_close_handle(c, h);
    return ZX_OK;
}

zx_status_t sys_handle_close_many(SysCtx *c, const zx_handle_t *handles,
                                  size_t num_handles)
{
    if (num_handles == 0)
        return ZX_OK;
    if (num_handles > c->k->handle_limit)
        return ZX_ERR_OUT_OF_RANGE;
    zx_status_t result = ZX_OK;
    for (size_t i = 0; i < num_handles; i++) {
        zx_handle_t v;
        if (!sys_copy_in(c, &v, &handles[i], sizeof v))
            return ZX_ERR_INVALID_ARGS;
        if (v == ZX_HANDLE_INVALID)
            continue;
        Handle *h;
        zx_status_t s = sys_lookup(c, v, &h);
        if (s == SYS_EXITED)
            return s;
        if (s != ZX_OK) {
            result = ZX_ERR_BAD_HANDLE;
            continue;
        }
        sys_charge(c, c->k->costs.handle_op);
        sys_close_handle(c, h);
    }
    return result;
}

zx_status_t sys_handle_duplicate(SysCtx *c, zx_handle_t handle,
                                 zx_rights_t rights, zx_handle_t *out)
{
    Handle *h;
    zx_status_t s = sys_lookup(c, handle, &h);
    if (s != ZX_OK)
        return s;
    if (!rights_has(h->rights, ZX_RIGHT_DUPLICATE))
        return ZX_ERR_ACCESS_DENIED;
    zx_rights_t r;
    if (!sys_derive_rights(c, h->rights, rights, &r))
        return ZX_ERR_INVALID_ARGS;
    sys_charge(c, c->k->costs.handle_op);
    return sys_make_handle(c, h->object, r, out);
}

zx_status_t sys_handle_replace(SysCtx *c, zx_handle_t handle,
                               zx_rights_t rights, zx_handle_t *out)
{
    Handle *h;
    zx_status_t s = sys_lookup(c, handle, &h);
    if (s != ZX_OK)
        return s;
    zx_rights_t r;
    bool ok = sys_derive_rights(c, h->rights, rights, &r);
    KObject *o = h->object;
    kobject_ref(o); /* keep it alive across the close of the source */
    sys_charge(c, c->k->costs.handle_op);
    /* Make the new handle before dropping the source, so an object kept
     * alive only by this handle never sees zero handles in between. */
    zx_status_t result = ZX_ERR_INVALID_ARGS;
    if (ok)
        result = sys_make_handle(c, o, r, out);
    sys_close_handle(c, h);
    kobject_unref(o);
    return result;
}
