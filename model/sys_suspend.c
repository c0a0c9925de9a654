/* sys_suspend.c — task_suspend and task_suspend_token (same behaviour).
 *
 * Zircon's order: handle lookup with WRITE (ZX_ERR_BAD_HANDLE, then
 * ZX_ERR_ACCESS_DENIED — the right is checked before the type, as the
 * kernel looks the handle up as a generic dispatcher), then the type: a
 * thread or a process (ZX_ERR_WRONG_TYPE; jobs are not supported), then the
 * caller's own thread or process (ZX_ERR_NOT_SUPPORTED), then the task's
 * state (ZX_ERR_BAD_STATE when dying or dead). A bad token pointer gives
 * ZX_ERR_INVALID_ARGS and leaves nothing suspended (the token is closed at
 * once, which releases its hold). The token has rights TRANSFER | INSPECT.
 * Read next: suspend_token.c.
 */
#include "suspend_token.h"
#include "process.h"
#include "syscall.h"
#include "thread.h"

zx_status_t sys_task_suspend_token(SysCtx *c, zx_handle_t handle, zx_handle_t *token)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_WRITE, &h);
    if (s != ZX_OK)
        return s;
    KObject *task = h->object;
    zx_obj_type_t type = task->ops->type;
    if (type != ZX_OBJ_TYPE_THREAD && type != ZX_OBJ_TYPE_PROCESS)
        return ZX_ERR_WRONG_TYPE;
    if (task == &c->thread->base || task == &c->proc->base)
        return ZX_ERR_NOT_SUPPORTED;
    KSuspendToken *tok;
    if ((s = suspend_token_create(task, &tok)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_handle(c, &tok->base, ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS, token);
    kobject_unref(&tok->base); /* on failure this releases the hold */
    return s;
}

zx_status_t sys_task_suspend(SysCtx *c, zx_handle_t handle, zx_handle_t *token)
{
    return sys_task_suspend_token(c, handle, token);
}
