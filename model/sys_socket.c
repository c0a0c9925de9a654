/* sys_socket.c — socket_create, socket_write, socket_read and
 * socket_set_disposition: the ABI side of socket.c.
 *
 * Check order follows Zircon's syscall layer: pointer/option checks that
 * need no handle first, then the handle (bad handle -> wrong type -> rights:
 * WRITE for write, READ for read, MANAGE_SOCKET for set_disposition), then
 * the object's own checks. Data goes through a kernel bounce buffer: the
 * object says how much it will take (write) or give (read), the app memory
 * is copied, and only then is the object changed, so a bad app pointer
 * gives ZX_ERR_INVALID_ARGS with nothing changed. `actual` may be NULL; a
 * bad non-NULL `actual` is reported after the data moved, as in Zircon.
 *
 * Left out: none of the four calls blocks; zx_socket_shutdown is retired.
 * Read next: socket.c.
 */
#include <glib.h>

#include "socket.h"
#include "syscall.h"

zx_status_t sys_socket_create(SysCtx *c, uint32_t options, zx_handle_t *out0,
                              zx_handle_t *out1)
{
    zx_status_t s = sys_policy(c, ZX_POL_NEW_SOCKET);
    if (s != ZX_OK)
        return s;
    if (!socket_options_valid(options))
        return ZX_ERR_INVALID_ARGS;
    KObject *a, *b;
    if ((s = socket_create(c->k, options, &a, &b)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_pair(c, a, b, ZX_DEFAULT_SOCKET_RIGHTS, out0, out1);
    kobject_unref(a);
    kobject_unref(b);
    return s;
}

static void sys_socket_charge_copy(SysCtx *c, size_t n)
{
    sys_charge(c, (SimTime)((n * (uint64_t)c->k->costs.per_kib_copy) / 1024u));
}

zx_status_t sys_socket_write(SysCtx *c, zx_handle_t handle, uint32_t options,
                             const void *buffer, size_t buffer_size,
                             size_t *actual)
{
    if (buffer_size > 0 && buffer == NULL)
        return ZX_ERR_INVALID_ARGS;
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_SOCKET, ZX_RIGHT_WRITE, &o);
    if (s != ZX_OK)
        return s;
    size_t n;
    if ((s = socket_write_check(o, buffer_size, &n)) != ZX_OK)
        return s;
    if (n > 0) {
        void *tmp = g_malloc(n);
        if (!sys_copy_in(c, tmp, buffer, n)) {
            g_free(tmp);
            return ZX_ERR_INVALID_ARGS;
        }
        socket_write_commit(o, tmp, n);
        g_free(tmp);
        sys_socket_charge_copy(c, n);
    }
    if (!sys_copy_out_opt(c, actual, &n, sizeof n))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

zx_status_t sys_socket_read(SysCtx *c, zx_handle_t handle, uint32_t options,
                            void *buffer, size_t buffer_size, size_t *actual)
{
    if (buffer_size > 0 && buffer == NULL)
        return ZX_ERR_INVALID_ARGS;
    if (options & ~ZX_SOCKET_PEEK)
        return ZX_ERR_INVALID_ARGS;
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_SOCKET, ZX_RIGHT_READ, &o);
    if (s != ZX_OK)
        return s;
    /* Never more than a full buffer can come back. */
    void *tmp = g_malloc(MAX(MIN(buffer_size, SOCKET_BUF_MAX), 1));
    size_t n;
    s = socket_read_peek(o, tmp, buffer_size, &n);
    if (s == ZX_OK && !sys_copy_out(c, buffer, tmp, n))
        s = ZX_ERR_INVALID_ARGS;
    g_free(tmp);
    if (s != ZX_OK)
        return s;
    if (!(options & ZX_SOCKET_PEEK))
        socket_read_consume(o, buffer_size);
    sys_socket_charge_copy(c, n);
    if (!sys_copy_out_opt(c, actual, &n, sizeof n))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

zx_status_t sys_socket_set_disposition(SysCtx *c, zx_handle_t handle,
                                       uint32_t disposition,
                                       uint32_t disposition_peer)
{
    SocketDisposition self, peer;
    if (!socket_disposition_parse(disposition, &self) ||
        !socket_disposition_parse(disposition_peer, &peer))
        return ZX_ERR_INVALID_ARGS;
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_SOCKET,
                                   ZX_RIGHT_MANAGE_SOCKET, &o);
    if (s != ZX_OK)
        return s;
    return socket_set_disposition(o, self, peer);
}
