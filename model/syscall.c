/* syscall.c — the kernel hook: decode a SyscallRequest, dispatch it to its
 * sys_* handler, and the helpers every handler shares (handle resolution in
 * Zircon's order, policy enforcement, safe copies, blocking).
 *
 * Dispatch comes from the one table <zircon/syscalls/definitions.inc>
 * through syscall_xmacro.h. Handlers not written yet are weak and answer
 * ZX_ERR_NOT_SUPPORTED (tests/model/test_syscall_table.c lists which).
 *
 * After every syscall a test build (CAPSIM_INVARIANTS) walks the object
 * graph (invariants.c).
 */
#include <string.h>

#include "exception.h"
#include "job.h"
#include "kernel.h"
#include "process.h"
#include "strict_memory.h"
#include "syscall.h"
#include "thread.h"

/* Weak declarations so the table links before every family exists. */
#define ZX_SYSCALL_DECL(name, ret, params) ret sys_##name params __attribute__((weak));
#include "syscall_xmacro.h"

static const char *const syscall_names[SYS_COUNT + 1] = {
#define ZX_SYSCALL_OP(name) #name,
#include "syscall_xmacro.h"
    NULL};

const char *syscall_name(uint64_t op)
{
    if (op < SYS_COUNT)
        return syscall_names[op];
    if (op == UINT32_MAX)
        return "runtime";
    return "unknown";
}

bool syscall_implemented(uint64_t op)
{
    switch (op) {
#define ZX_SYSCALL_OP(name) case SYS_##name: return sys_##name != NULL;
#include "syscall_xmacro.h"
    default:
        return false;
    }
}

/* Struct results (zx_string_view_t) travel back in the request's argument
 * area, where the stub reads them. */
static int64_t syscall_widen(SyscallRequest *q, const void *value, size_t size)
{
    memcpy(q->a, value, size);
    return 0;
}

/* Per return type: how a handler's value becomes the int64 result. The
 * table uses six return types; a new one fails to compile here, loudly. */
#define SYSCALL_RET_zx_status_t(call) return call;
#define SYSCALL_RET_uint32_t(call) return (int64_t)(int32_t)call;
#define SYSCALL_RET_uint64_t(call) return (int64_t)call;
#define SYSCALL_RET_zx_instant_mono_t(call) return call;
#define SYSCALL_RET_void(call) { call; return 0; }
#define SYSCALL_RET_zx_string_view_t(call)                                   \
    {                                                                         \
        zx_string_view_t r_ = call;                                           \
        return syscall_widen(q, &r_, sizeof r_);                              \
    }
#define SYSCALL_RET_(ret, call) SYSCALL_RET_##ret(call)

static int64_t syscall_dispatch(SysCtx *c)
{
    SyscallRequest *q = c->req;
    switch (q->hdr.op) {
#define SYSCALL_CALL_0(name, ret, ctxargs) SYSCALL_RET_(ret, sys_##name ctxargs)
#define SYSCALL_CALL_1(name, ret, ctxargs)                                    \
    sys_##name ctxargs;                                                       \
    return SYS_EXITED;
#define ZX_SYSCALL_CASE(name, ret, ctxargs, noret)                            \
    case SYS_##name:                                                          \
        if (!sys_##name)                                                      \
            return ZX_ERR_NOT_SUPPORTED;                                      \
        SYSCALL_CALL_##noret(name, ret, ctxargs)
#include "syscall_xmacro.h"
#undef SYSCALL_CALL_0
#undef SYSCALL_CALL_1
    default:
        return ZX_ERR_BAD_SYSCALL;
    }
}

/* A request from an engine thread that belongs to no process. */
__attribute__((noinline)) static SimHookResult kernel_hook_bare(Kernel *k,
                                                                SimRequest *req)
{
    if (k->check_invariants)
        kernel_check_invariants(k);
    req->result = ZX_ERR_BAD_STATE;
    return SIM_HOOK_CONTINUE;
}

static SimHookResult kernel_hook(SimEngine *e, SimThread *st, SimRequest *req,
                                 void *ctx)
{
    Kernel *k = ctx;
    KThread *t = sim_thread_owner(st); /* thread_of_fiber, one call less */
    k->syscalls++;
    if (__builtin_expect(t == NULL, 0))
        return kernel_hook_bare(k, req);
    SysCtx c = {
        .k = k,
        .st = st,
        .thread = t,
        .proc = t->process,
        .handles = &t->process->handles,
        .req = (SyscallRequest *)req,
    };
    /* The call may end the caller's process and free its objects: the
     * thread stays until we have looked at its state (a release of its
     * last reference meanwhile is deferred to here, see hook_pin). */
    k->hook_pin = &t->base;
    k->in_syscall = true;
    int64_t r = syscall_dispatch(&c);
    k->in_syscall = false;
    if (r != SYS_BLOCKED && r != SYS_EXITED && t->pending_exception)
        exception_syscall_returned(t, r);
    strict_memory_enter(t->process); /* req is on the caller's stack */
    bool dying = t->state == THREAD_DYING || t->state == THREAD_DEAD;
    k->hook_pin = NULL;
    if (__builtin_expect(k->hook_pin_dropped, 0)) {
        k->hook_pin_dropped = false;
        kobject_unref_last(&t->base);
    }
    if (k->check_invariants)
        kernel_check_invariants(k);
    if (r == SYS_BLOCKED && !dying)
        return SIM_HOOK_BLOCKED; /* sys_complete stores the result later */
    if (r == SYS_EXITED || dying)
        return SIM_HOOK_EXIT; /* never touch req: its stack may be unmapped */
    req->result = r;
    return SIM_HOOK_CONTINUE;
}

void kernel_install_hook(Kernel *k)
{
    sim_engine_set_hook(k->engine, kernel_hook, thread_on_fiber_exit,
                        thread_on_fiber_fault, k);
    sim_trace_set_op_names(k->engine, syscall_name);
}

/* ---- Handle resolution -------------------------------------------------- */

/* The owner-check fault switch: resolve a value in any process's table. */
static Handle *sys_lookup_any_process(SysCtx *c, zx_handle_t value)
{
    for (KObject *o = c->k->live_head; o; o = o->live_next) {
        if (o->ops->type != ZX_OBJ_TYPE_PROCESS)
            continue;
        KProcess *p = (KProcess *)o;
        Handle *h = handle_table_get(&p->handles, value);
        if (h) {
            kernel_trace(c->k, KTR_FAULT_INJECTED, p->base.koid, value, 0, 0,
                         "skip_owner_check");
            return h;
        }
    }
    return NULL;
}

zx_status_t sys_lookup_slow(SysCtx *c, zx_handle_t value, Handle **out)
{
    Handle *h = handle_table_get(&c->proc->handles, value);
    if (!h && c->k->faults.skip_owner_check)
        h = sys_lookup_any_process(c, value);
    if (!h) {
        zx_status_t p = sys_policy(c, ZX_POL_BAD_HANDLE);
        return p == SYS_EXITED ? SYS_EXITED : ZX_ERR_BAD_HANDLE;
    }
    *out = h;
    return ZX_OK;
}

zx_status_t sys_get_handle_slow(SysCtx *c, zx_handle_t value,
                                zx_obj_type_t type, zx_rights_t rights,
                                Handle **out)
{
    Handle *h;
    zx_status_t s = sys_lookup(c, value, &h);
    if (s != ZX_OK)
        return s;
    if (type != ZX_OBJ_TYPE_NONE && h->object->ops->type != type) {
        if (c->k->faults.skip_type_check) {
            kernel_trace(c->k, KTR_FAULT_INJECTED, h->object->koid, type, 0, 0,
                         "skip_type_check");
        } else {
            zx_status_t p = sys_policy(c, ZX_POL_WRONG_OBJECT);
            return p == SYS_EXITED ? SYS_EXITED : ZX_ERR_WRONG_TYPE;
        }
    }
    if (!rights_has(h->rights, rights))
        return ZX_ERR_ACCESS_DENIED;
    *out = h;
    return ZX_OK;
}

zx_handle_t sys_install_handle(SysCtx *c, Handle *h)
{
    zx_handle_t v = process_add_handle(c->proc, h);
    return v;
}

zx_status_t sys_make_handle(SysCtx *c, KObject *o, zx_rights_t rights,
                            zx_handle_t *out)
{
    Handle *h = handle_new(c->k, o, rights);
    if (!h)
        return ZX_ERR_NO_MEMORY;
    zx_handle_t v = sys_install_handle(c, h);
    if (v == ZX_HANDLE_INVALID) {
        handle_destroy(c->k, h);
        return ZX_ERR_NO_MEMORY;
    }
    if (!sys_copy_out(c, out, &v, sizeof v)) {
        sys_close_handle(c, h);
        return ZX_ERR_INVALID_ARGS;
    }
    return ZX_OK;
}

zx_status_t sys_make_pair(SysCtx *c, KObject *a, KObject *b, zx_rights_t rights,
                          zx_handle_t *out0, zx_handle_t *out1)
{
    Handle *ha = handle_new(c->k, a, rights);
    Handle *hb = ha ? handle_new(c->k, b, rights) : NULL;
    if (!hb) {
        if (ha)
            handle_destroy(c->k, ha);
        return ZX_ERR_NO_MEMORY;
    }
    zx_handle_t va = sys_install_handle(c, ha);
    zx_handle_t vb = va ? sys_install_handle(c, hb) : ZX_HANDLE_INVALID;
    if (!vb || !sys_copy_out(c, out0, &va, sizeof va) ||
        !sys_copy_out(c, out1, &vb, sizeof vb)) {
        zx_status_t s = vb ? ZX_ERR_INVALID_ARGS : ZX_ERR_NO_MEMORY;
        if (va)
            sys_close_handle(c, ha);
        else
            handle_destroy(c->k, ha);
        if (vb)
            sys_close_handle(c, hb);
        else
            handle_destroy(c->k, hb);
        return s;
    }
    return ZX_OK;
}

void sys_close_handle(SysCtx *c, Handle *h)
{
    KProcess *owner = h->owner;
    zx_handle_t v = handle_table_value(&owner->handles, h);
    kernel_trace(c->k, KTR_HANDLE_REMOVE, owner->base.koid, h->object->koid,
                 h->rights, v, NULL);
    handle_table_take(&owner->handles, h);
    handle_destroy(c->k, h);
}

bool sys_derive_rights(SysCtx *c, zx_rights_t source, zx_rights_t requested,
                       zx_rights_t *out)
{
    if (rights_derive(source, requested, out))
        return true;
    if (c->k->faults.skip_rights_subset) {
        kernel_trace(c->k, KTR_FAULT_INJECTED, source, requested, 0, 0,
                     "skip_rights_subset");
        *out = requested;
        return true;
    }
    return false;
}

/* ---- Policy -------------------------------------------------------------- */

void exception_raise_policy(SysCtx *c, uint32_t condition) __attribute__((weak));

zx_status_t sys_policy(SysCtx *c, uint32_t condition)
{
    uint32_t action = c->proc->policy.action[condition];
    if (action != ZX_POL_ACTION_ALLOW)
        kernel_trace(c->k, KTR_POLICY, c->proc->base.koid, condition, action,
                     0, NULL);
    switch (action) {
    case ZX_POL_ACTION_ALLOW:
        return ZX_OK;
    case ZX_POL_ACTION_DENY:
        return ZX_ERR_ACCESS_DENIED;
    case ZX_POL_ACTION_ALLOW_EXCEPTION:
        if (exception_raise_policy)
            exception_raise_policy(c, condition);
        return ZX_OK;
    case ZX_POL_ACTION_DENY_EXCEPTION:
        if (exception_raise_policy)
            exception_raise_policy(c, condition);
        return ZX_ERR_ACCESS_DENIED;
    case ZX_POL_ACTION_KILL:
    default:
        process_kill(c->proc, ZX_TASK_RETCODE_POLICY_KILL);
        return SYS_EXITED;
    }
}

/* ---- Blocking ------------------------------------------------------------ */

void sys_block(SysCtx *c, uint32_t reason, SimTime deadline, SimTimeoutFn on_timeout,
               SimDescribeFn describe, void (*abandon)(void *ctx), void *ctx)
{
    c->thread->blocked_reason = reason;
    if (deadline != SIM_TIME_INFINITE)
        deadline = policy_slack_deadline(&c->proc->policy, deadline);
    c->thread->state = THREAD_BLOCKED;
    c->thread->wait_abandon = abandon;
    c->thread->wait_ctx = ctx;
    sim_thread_block(c->st, deadline, on_timeout, describe, ctx);
}

SyscallRequest *sys_pending_request(SimThread *st)
{
    strict_memory_enter_thread(st); /* the request is on st's stack */
    return (SyscallRequest *)sim_thread_request(st);
}

/* Declared inline (an external definition all the same): with LTO the
 * wake-ups that end a wait take it without a call. */
inline void sys_complete(SimThread *st, zx_status_t result)
{
    KThread *t = thread_of_fiber(st);
    SyscallRequest *q = sys_pending_request(st);
    q->hdr.result = result;
    if (t) {
        t->wait_abandon = NULL;
        t->wait_ctx = NULL;
        if (t->state == THREAD_BLOCKED)
            t->state = THREAD_RUNNING;
    }
    sim_thread_wake(st);
}
