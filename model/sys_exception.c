/* sys_exception.c — the exception family: task_create_exception_channel,
 * exception_get_thread, exception_get_process, thread_read_state,
 * thread_write_state, the policy-exception hook sys_policy calls, and the
 * resource-limit one channel and port writes call.
 *
 * task_create_exception_channel, in Zircon's order: options 0 or
 * ZX_EXCEPTION_CHANNEL_DEBUGGER (ZX_ERR_INVALID_ARGS); the caller's
 * ZX_POL_NEW_CHANNEL policy; the handle; INSPECT | DUPLICATE | TRANSFER |
 * MANAGE_THREAD on it (ZX_ERR_ACCESS_DENIED); its type (thread, process or
 * job, else ZX_ERR_WRONG_TYPE; DEBUGGER on a thread is ZX_ERR_INVALID_ARGS;
 * processes and jobs also need ENUMERATE); then ZX_ERR_ALREADY_BOUND or
 * ZX_ERR_BAD_STATE from the bind. The reader's end has rights
 * TRANSFER | WAIT | READ (0x4006).
 *
 * Registers (thread_read_state / thread_write_state, GENERAL_REGS only — FP,
 * vector, debug, single-step and FS/GS answer ZX_ERR_NOT_SUPPORTED): capsim
 * runs app code natively on fibers, so the register file in KThread.regs is
 * simulated. It reads as: pc (rip / pc) = the C entry function the thread's
 * fiber runs, arg0/arg1 (rdi, rsi / x0, x1) = its two arguments, sp (rsp /
 * sp) = the real stack pointer where the thread stopped (at its fault, or
 * where it was suspended: an address in its stack, which
 * process_read_memory reads), everything else 0 until written. Readable
 * and writable only while the thread is suspended or stopped in an
 * exception (ZX_ERR_BAD_STATE otherwise). A pc
 * outside user space (kernel or non-canonical) is ZX_ERR_INVALID_ARGS.
 * Writes are stored and read back; they are honoured in one case only: a
 * thread stopped in an exception raised by a fault, whose handler writes the
 * registers and then closes the exception as HANDLED, restarts on a fresh
 * fiber at pc(arg0, arg1), with its stack below sp (exception.c:
 * exception_restart_stack).
 * Read next: exception.c.
 */
#include <string.h>
#include <zircon/syscalls/debug.h>

#include "exception.h"
#include "process.h"
#include "syscall.h"
#include "thread.h"

#define SYS_EXC_TASK_RIGHTS                                               \
    (ZX_RIGHT_INSPECT | ZX_RIGHT_DUPLICATE | ZX_RIGHT_TRANSFER |         \
     ZX_RIGHT_MANAGE_THREAD)
#define SYS_EXC_CHANNEL_RIGHTS (ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT | ZX_RIGHT_READ)

static zx_status_t sys_exc_channel_type(Handle *h, uint32_t options, uint32_t *type)
{
    bool debugger = options & ZX_EXCEPTION_CHANNEL_DEBUGGER;
    switch (h->object->ops->type) {
    case ZX_OBJ_TYPE_THREAD:
        if (debugger)
            return ZX_ERR_INVALID_ARGS;
        *type = ZX_EXCEPTION_CHANNEL_TYPE_THREAD;
        return ZX_OK;
    case ZX_OBJ_TYPE_PROCESS:
        *type = debugger ? ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER
                         : ZX_EXCEPTION_CHANNEL_TYPE_PROCESS;
        break;
    case ZX_OBJ_TYPE_JOB:
        *type = debugger ? ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER
                         : ZX_EXCEPTION_CHANNEL_TYPE_JOB;
        break;
    default:
        return ZX_ERR_WRONG_TYPE;
    }
    return rights_has(h->rights, ZX_RIGHT_ENUMERATE) ? ZX_OK : ZX_ERR_ACCESS_DENIED;
}

zx_status_t sys_task_create_exception_channel(SysCtx *c, zx_handle_t handle,
                                              uint32_t options, zx_handle_t *out)
{
    if (options & ~ZX_EXCEPTION_CHANNEL_DEBUGGER)
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = sys_policy(c, ZX_POL_NEW_CHANNEL);
    if (s != ZX_OK)
        return s;
    Handle *h;
    if ((s = sys_lookup(c, handle, &h)) != ZX_OK)
        return s;
    if (!rights_has(h->rights, SYS_EXC_TASK_RIGHTS))
        return ZX_ERR_ACCESS_DENIED;
    uint32_t type;
    if ((s = sys_exc_channel_type(h, options, &type)) != ZX_OK)
        return s;
    KObject *reader;
    if ((s = exception_port_bind(h->object, type, h->rights, &reader)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_handle(c, reader, SYS_EXC_CHANNEL_RIGHTS, out);
    kobject_unref(reader); /* on failure the port sees its reader gone */
    return s;
}

/* A handle to the exception's task, with the rights of the handle the
 * channel was made from, limited to what the task's type can carry. */
static zx_status_t sys_exc_task_handle(SysCtx *c, KException *e, KObject *task,
                                       zx_handle_t *out)
{
    zx_rights_t r = e->task_rights & task->ops->possible_rights;
    return sys_make_handle(c, task, r, out);
}

zx_status_t sys_exception_get_thread(SysCtx *c, zx_handle_t handle, zx_handle_t *out)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_EXCEPTION, ZX_RIGHT_NONE, &o);
    if (s != ZX_OK)
        return s;
    KException *e = exception_from(o);
    return sys_exc_task_handle(c, e, &e->thread->base, out);
}

zx_status_t sys_exception_get_process(SysCtx *c, zx_handle_t handle, zx_handle_t *out)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_EXCEPTION, ZX_RIGHT_NONE, &o);
    if (s != ZX_OK)
        return s;
    KException *e = exception_from(o);
    if (e->channel_type == ZX_EXCEPTION_CHANNEL_TYPE_THREAD)
        return ZX_ERR_ACCESS_DENIED;
    return sys_exc_task_handle(c, e, &e->process->base, out);
}

void exception_raise_policy(SysCtx *c, uint32_t condition)
{
    uint32_t code = condition;
    if (condition == ZX_POL_NEW_IOB)
        code = ZX_EXCP_POLICY_CODE_NEW_IOB;
    else if (condition == ZX_POL_NEW_SAMPLER)
        code = ZX_EXCP_POLICY_CODE_NEW_SAMPLER;
    /* Unhandled, exception.c kills the process once the call is done. */
    (void)exception_raise_synthetic(c->thread, ZX_EXCP_POLICY_ERROR, code, 0);
}

/* Resource-limit policy exceptions (CHANNEL_FULL_WRITE from sys_channel.c,
 * PORT_TOO_MANY_PACKETS from sys_port.c): raised on the caller whatever its
 * job's policy, fatal unless a handler resumes it. */
void exception_raise_policy_code(SysCtx *c, uint32_t code)
{
    (void)exception_raise_synthetic(c->thread, ZX_EXCP_POLICY_ERROR, code, 0);
}

/* ---- Register state ------------------------------------------------------ */

/* Shared checks: handle, kind, size, thread state. */
static zx_status_t sys_regs_thread(SysCtx *c, zx_handle_t handle, zx_rights_t right,
                                   uint32_t kind, size_t size, KThread **out)
{
    KObject *o;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_THREAD, right, &o);
    if (s != ZX_OK)
        return s;
    if (size > 4096)
        return ZX_ERR_INVALID_ARGS;
    switch (kind) {
    case ZX_THREAD_STATE_GENERAL_REGS:
        break;
    case ZX_THREAD_STATE_FP_REGS:
    case ZX_THREAD_STATE_VECTOR_REGS:
    case ZX_THREAD_STATE_DEBUG_REGS:
    case ZX_THREAD_STATE_SINGLE_STEP:
    case ZX_THREAD_X86_REGISTER_FS:
    case ZX_THREAD_X86_REGISTER_GS:
        return ZX_ERR_NOT_SUPPORTED;
    default:
        return ZX_ERR_INVALID_ARGS;
    }
    if (size < sizeof(zx_thread_state_general_regs_t))
        return ZX_ERR_BUFFER_TOO_SMALL;
    KThread *t = thread_from(o);
    bool alive = t->state != THREAD_NEW && t->state != THREAD_DYING && t->state != THREAD_DEAD;
    bool stopped = t->suspend_count > 0 || exception_thread_in_exception(t);
    if (!alive || !stopped)
        return ZX_ERR_BAD_STATE;
    *out = t;
    return ZX_OK;
}

zx_status_t sys_thread_read_state(SysCtx *c, zx_handle_t handle, uint32_t kind,
                                  void *buffer, size_t buffer_size)
{
    KThread *t;
    zx_status_t s = sys_regs_thread(c, handle, ZX_RIGHT_READ, kind, buffer_size, &t);
    if (s != ZX_OK)
        return s;
    thread_regs_fill_defaults(t);
    /* The stack pointer is the real one, where the thread stopped (its
     * fault, or where it was suspended), unless a handler wrote one. */
    zx_thread_state_general_regs_t regs = t->regs;
    if (!EXC_REG_SP(regs))
        EXC_REG_SP(regs) = sim_thread_stopped_sp(t->fiber);
    if (!sys_copy_out(c, buffer, &regs, sizeof regs))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

zx_status_t sys_thread_write_state(SysCtx *c, zx_handle_t handle, uint32_t kind,
                                   const void *buffer, size_t buffer_size)
{
    KThread *t;
    zx_status_t s = sys_regs_thread(c, handle, ZX_RIGHT_WRITE, kind, buffer_size, &t);
    if (s != ZX_OK)
        return s;
    zx_thread_state_general_regs_t regs;
    if (!sys_copy_in(c, &regs, buffer, sizeof regs))
        return ZX_ERR_INVALID_ARGS;
    if (!sys_user_pc(EXC_REG_PC(regs)))
        return ZX_ERR_INVALID_ARGS;
    t->regs = regs;
    exception_thread_regs_written(t);
    return ZX_OK;
}
