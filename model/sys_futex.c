/* sys_futex.c — futex_wait, futex_wake, futex_requeue and
 * futex_wake_handle_close_thread_exit (ABI work only; the queues are
 * futex.c's).
 *
 * Zircon's order for wait and requeue: pointer checks (NULL or misaligned
 * -> INVALID_ARGS; requeue: both, and equal pointers -> INVALID_ARGS); the
 * owner handle is resolved next but its error is reported only after the
 * value check (copy fault -> INVALID_ARGS, mismatch -> BAD_STATE); then
 * BAD_HANDLE (with the BAD_HANDLE policy) / WRONG_TYPE / INVALID_ARGS
 * (owner in another process or never started); then the waiter-as-owner
 * rules. Futexes take no rights; the owner handle needs none either. An
 * owner thread that is dying or dead counts as "no owner".
 */
#include "futex.h"
#include "process.h"
#include "thread.h"

static bool futex_ptr_ok(const zx_futex_t *p)
{
    return p != NULL && ((uintptr_t)p % sizeof(zx_futex_t)) == 0;
}

/* Resolve a proposed owner; no policy here (reported later). */
static zx_status_t futex_owner_resolve(SysCtx *c, zx_handle_t value, KThread **out)
{
    *out = NULL;
    if (value == ZX_HANDLE_INVALID)
        return ZX_OK;
    Handle *h = handle_table_get(&c->proc->handles, value);
    if (!h)
        return ZX_ERR_BAD_HANDLE;
    if (h->object->ops->type != ZX_OBJ_TYPE_THREAD)
        return ZX_ERR_WRONG_TYPE;
    KThread *t = thread_from(h->object);
    if (t->process != c->proc || t->state == THREAD_NEW)
        return ZX_ERR_INVALID_ARGS;
    if (t->state != THREAD_DYING && t->state != THREAD_DEAD)
        *out = t;
    return ZX_OK;
}

/* The value check, then the deferred owner error. */
static zx_status_t futex_check_value(SysCtx *c, const zx_futex_t *ptr,
                                     int32_t expected, zx_status_t owner_status)
{
    int32_t v;
    if (!sys_copy_in(c, &v, ptr, sizeof v))
        return ZX_ERR_INVALID_ARGS;
    if (v != expected)
        return ZX_ERR_BAD_STATE;
    if (owner_status == ZX_ERR_BAD_HANDLE && sys_policy(c, ZX_POL_BAD_HANDLE) == SYS_EXITED)
        return SYS_EXITED;
    return owner_status;
}

zx_status_t sys_futex_wait(SysCtx *c, const zx_futex_t *value_ptr,
                           int32_t current_value, zx_handle_t new_futex_owner,
                           zx_instant_mono_t deadline)
{
    if (!futex_ptr_ok(value_ptr))
        return ZX_ERR_INVALID_ARGS;
    KThread *owner;
    zx_status_t os = futex_owner_resolve(c, new_futex_owner, &owner);
    zx_status_t s = futex_check_value(c, value_ptr, current_value, os);
    if (s != ZX_OK)
        return s;
    uintptr_t key = (uintptr_t)value_ptr;
    if (owner == c->thread)
        return ZX_ERR_INVALID_ARGS;
    if (owner && futex_thread_waits_on(c->proc, key, owner))
        return ZX_ERR_INVALID_ARGS;
    sys_charge(c, c->k->costs.wait_setup);
    return futex_wait(c, key, owner, deadline);
}

zx_status_t sys_futex_wake(SysCtx *c, const zx_futex_t *value_ptr, uint32_t wake_count)
{
    if (!futex_ptr_ok(value_ptr))
        return ZX_ERR_INVALID_ARGS;
    futex_wake(c->proc, (uintptr_t)value_ptr, wake_count);
    return ZX_OK;
}

/* A joinable thread's last call: store new_value, wake the joiners, close
 * a handle (typically its own thread's), exit. After the store others may
 * reuse its stack, so nothing of it is read again. Any step failing is a
 * trap on Zircon; here the thread's process dies as if that trap went
 * unhandled (ZX_TASK_RETCODE_EXCEPTION_KILL): the call cannot return to
 * a stack that may be gone, and a handler could only resume it there. */
void sys_futex_wake_handle_close_thread_exit(SysCtx *c, const zx_futex_t *value_ptr,
                                             uint32_t wake_count, int32_t new_value,
                                             zx_handle_t close_handle)
{
    if (!futex_ptr_ok(value_ptr) ||
        !sys_copy_out(c, (zx_futex_t *)value_ptr, &new_value, sizeof new_value) ||
        sys_futex_wake(c, value_ptr, wake_count) != ZX_OK ||
        sys_handle_close(c, close_handle) != ZX_OK) {
        process_kill(c->proc, ZX_TASK_RETCODE_EXCEPTION_KILL);
        return;
    }
    thread_kill(c->thread);
}

zx_status_t sys_futex_requeue(SysCtx *c, const zx_futex_t *value_ptr,
                              uint32_t wake_count, int32_t current_value,
                              const zx_futex_t *requeue_ptr, uint32_t requeue_count,
                              zx_handle_t new_requeue_owner)
{
    if (!futex_ptr_ok(value_ptr) || !futex_ptr_ok(requeue_ptr) || value_ptr == requeue_ptr)
        return ZX_ERR_INVALID_ARGS;
    KThread *owner;
    zx_status_t os = futex_owner_resolve(c, new_requeue_owner, &owner);
    zx_status_t s = futex_check_value(c, value_ptr, current_value, os);
    if (s != ZX_OK)
        return s;
    uintptr_t key = (uintptr_t)value_ptr, rkey = (uintptr_t)requeue_ptr;
    if (owner && (futex_thread_waits_on(c->proc, key, owner) ||
                  futex_thread_waits_on(c->proc, rkey, owner)))
        return ZX_ERR_INVALID_ARGS;
    futex_requeue(c->proc, key, wake_count, rkey, requeue_count, owner);
    return ZX_OK;
}
