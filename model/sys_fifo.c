/* sys_fifo.c — fifo_create, fifo_write, fifo_read: the ABI side of fifo.c.
 *
 * Order as in Zircon: create checks the NEW_FIFO policy, then the sizes
 * (ZX_ERR_OUT_OF_RANGE), then options (ZX_ERR_INVALID_ARGS). write resolves
 * the handle (WRITE), then peer closed, sizes, full; read resolves the
 * handle (READ), then sizes, empty. Element data moves through a bounce
 * buffer of at most ZX_FIFO_MAX_SIZE_BYTES, so a bad app pointer gives
 * ZX_ERR_INVALID_ARGS and leaves both queues untouched. The third argument
 * of fifo_read is an element count, whatever its name says.
 *
 * Left out: nothing blocks here; callers wait on READABLE / WRITABLE.
 * Read next: fifo.c.
 */
#include <stdint.h>

#include "fifo.h"
#include "syscall.h"

zx_status_t sys_fifo_create(SysCtx *c, size_t elem_count, size_t elem_size,
                            uint32_t options, zx_handle_t *out0,
                            zx_handle_t *out1)
{
    zx_status_t s = sys_policy(c, ZX_POL_NEW_FIFO);
    if (s != ZX_OK)
        return s;
    if ((s = fifo_check_sizes(elem_count, elem_size)) != ZX_OK)
        return s;
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    KObject *a, *b;
    if ((s = fifo_create(c->k, elem_count, elem_size, &a, &b)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_pair(c, a, b, ZX_DEFAULT_FIFO_RIGHTS, out0, out1);
    kobject_unref(a);
    kobject_unref(b);
    return s;
}

zx_status_t sys_fifo_write(SysCtx *c, zx_handle_t handle, size_t elem_size,
                           const void *data, size_t count, size_t *actual_count)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_FIFO, ZX_RIGHT_WRITE, &o);
    if (s != ZX_OK)
        return s;
    size_t n;
    if ((s = fifo_write_check(o, elem_size, count, &n)) != ZX_OK)
        return s;
    uint8_t tmp[ZX_FIFO_MAX_SIZE_BYTES];
    if (!sys_copy_in(c, tmp, data, n * elem_size))
        return ZX_ERR_INVALID_ARGS;
    fifo_write_commit(o, tmp, n);
    if (!sys_copy_out_opt(c, actual_count, &n, sizeof n))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

zx_status_t sys_fifo_read(SysCtx *c, zx_handle_t handle, size_t elem_size,
                          void *data, size_t data_size, size_t *actual_count)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_FIFO, ZX_RIGHT_READ, &o);
    if (s != ZX_OK)
        return s;
    uint8_t tmp[ZX_FIFO_MAX_SIZE_BYTES];
    size_t n;
    if ((s = fifo_read_peek(o, elem_size, data_size, tmp, &n)) != ZX_OK)
        return s;
    if (!sys_copy_out(c, data, tmp, n * elem_size))
        return ZX_ERR_INVALID_ARGS;
    fifo_read_consume(o, n);
    if (!sys_copy_out_opt(c, actual_count, &n, sizeof n))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}
