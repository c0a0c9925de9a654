/* sys_debuglog.c — debuglog_create, debuglog_write, debuglog_read: the ABI
 * side of debuglog.c.
 *
 * create follows the newest kernel's rule: a valid resource handle must be
 * a resource (ZX_ERR_BAD_HANDLE / ZX_ERR_WRONG_TYPE) that grants the
 * debuglog (root or system-debuglog resource; checked through the weak
 * resource_grants_debuglog() hook of resource.c — until that exists any
 * resource object is accepted); ZX_HANDLE_INVALID is allowed only for a
 * write-only log (options 0), else ZX_ERR_BAD_HANDLE (so the old
 * "READABLE without a resource" information leak is closed); options other
 * than ZX_LOG_FLAG_READABLE are ZX_ERR_INVALID_ARGS. The handle carries
 * ZX_DEFAULT_LOG_RIGHTS, plus READ when readable.
 *
 * write truncates to ZX_LOG_RECORD_DATA_MAX, rejects options outside
 * ZX_LOG_FLAGS_MASK before the handle lookup (WRITE), and records severity
 * INFO with the caller's process and thread koids. read rejects options != 0
 * before the lookup (READ), returns the record's byte count as the status,
 * truncated to buffer_size; a bad buffer leaves the record unread.
 * Read next: debuglog.c.
 */
#include "debuglog.h"
#include "process.h"
#include "syscall.h"
#include "thread.h"

/* resource.c: does this resource object grant debuglog access? */
bool resource_grants_debuglog(const KObject *resource) __attribute__((weak));

static zx_status_t sys_debuglog_check_resource(SysCtx *c, zx_handle_t rsrc,
                                               uint32_t options)
{
    if (rsrc == ZX_HANDLE_INVALID)
        return options == 0 ? ZX_OK : ZX_ERR_BAD_HANDLE;
    KObject *r;
    zx_status_t s = sys_get_object(c, rsrc, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE, &r);
    if (s != ZX_OK)
        return s;
    if (resource_grants_debuglog && !resource_grants_debuglog(r))
        return ZX_ERR_WRONG_TYPE;
    return ZX_OK;
}

zx_status_t sys_debuglog_create(SysCtx *c, zx_handle_t resource,
                                uint32_t options, zx_handle_t *out)
{
    zx_status_t s = sys_debuglog_check_resource(c, resource, options);
    if (s != ZX_OK)
        return s;
    if (options & ~ZX_LOG_FLAG_READABLE)
        return ZX_ERR_INVALID_ARGS;
    bool readable = (options & ZX_LOG_FLAG_READABLE) != 0;
    KObject *o;
    if ((s = debuglog_create(c->k, readable, &o)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    zx_rights_t rights = ZX_DEFAULT_LOG_RIGHTS | (readable ? ZX_RIGHT_READ : 0);
    s = sys_make_handle(c, o, rights, out);
    kobject_unref(o);
    return s;
}

zx_status_t sys_debuglog_write(SysCtx *c, zx_handle_t handle, uint32_t options,
                               const void *buffer, size_t buffer_size)
{
    size_t len = buffer_size > ZX_LOG_RECORD_DATA_MAX ? ZX_LOG_RECORD_DATA_MAX
                                                      : buffer_size;
    if (options & ~ZX_LOG_FLAGS_MASK)
        return ZX_ERR_INVALID_ARGS;
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_DEBUGLOG, ZX_RIGHT_WRITE, &o);
    if (s != ZX_OK)
        return s;
    char buf[ZX_LOG_RECORD_DATA_MAX];
    if (!sys_copy_in(c, buf, buffer, len))
        return ZX_ERR_INVALID_ARGS;
    debuglog_append(c->k, ZX_LOG_INFO, (uint8_t)options, buf, len,
                    c->proc->base.koid, c->thread->base.koid);
    return ZX_OK;
}

zx_status_t sys_debuglog_read(SysCtx *c, zx_handle_t handle, uint32_t options,
                              void *buffer, size_t buffer_size)
{
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_DEBUGLOG, ZX_RIGHT_READ, &o);
    if (s != ZX_OK)
        return s;
    _Alignas(zx_log_record_t) char rec[ZX_LOG_RECORD_MAX];
    size_t n;
    if ((s = debuglog_read_peek(o, rec, &n)) != ZX_OK)
        return s;
    size_t to_copy = n < buffer_size ? n : buffer_size;
    if (!sys_copy_out(c, buffer, rec, to_copy))
        return ZX_ERR_INVALID_ARGS;
    debuglog_read_consume(o);
    return (zx_status_t)to_copy;
}
