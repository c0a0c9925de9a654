/* syscall.h — the syscall layer: request format, dispatch context, and the
 * helpers every sys_* handler uses.
 *
 * The zx_* stubs an app calls (sdk/syscall_stubs.c) pack their arguments
 * into a SyscallRequest and sim_enter() it. kernel_hook (syscall.c) decodes
 * the op and calls sys_<name>(SysCtx *, args...) — one handler per syscall,
 * declared from the single table <zircon/syscalls/definitions.inc>.
 *
 * Handlers do ABI work only, in Zircon's order: copy arguments in, resolve
 * handles (bad handle -> wrong type -> access denied, with the job's
 * BAD_HANDLE / WRONG_OBJECT policy applied), check policy, call the object,
 * copy results out. Object code never sees handle values or app pointers.
 * A handler that blocks the caller returns SYS_BLOCKED after arranging a
 * wake-up that fills req->hdr.result; one that ends the caller returns
 * SYS_EXITED.
 */
#ifndef CAPSIM_MODEL_SYSCALL_H
#define CAPSIM_MODEL_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/policy.h>

#include "handle.h"
#include "kernel.h"
#include "sim.h"
#include "strict_memory.h"

#define SYSCALL_MAX_ARGS 8

typedef struct SyscallRequest {
    SimRequest hdr;
    uint64_t a[SYSCALL_MAX_ARGS];
    /* Where the zx_* stub was called from (its return address): the
     * kernel never reads it; an asynchronous cancellation stops only calls
     * an app's own code makes (model/app/app_cancel.c). */
    const void *caller;
} SyscallRequest;

/* hdr.flags, set by the engine side for the stub to see on return: the
 * call did not happen, the thread acts on a pending asynchronous
 * cancellation instead (model/app/app_cancel.c). */
#define SYSCALL_FLAG_CANCEL_NOW 1u
/* What the stub then calls (model/app/libc_pthread_cancel.c; weak: the
 * kernel alone never sets the flag). It does not return. */
void libc_pthread_cancel_now(void) __attribute__((weak, noreturn));

/* Syscall numbers, in table order. */
enum {
#define ZX_SYSCALL_OP(name) SYS_##name,
#include "syscall_xmacro.h"
    SYS_COUNT
};

/* Private status values (outside Zircon's documented range). */
#define SYS_BLOCKED ((zx_status_t)-0x7fff0001)
#define SYS_EXITED ((zx_status_t)-0x7fff0002)

typedef struct SysCtx {
    Kernel *k;
    SimThread *st;
    KThread *thread;
    KProcess *proc;
    HandleTable *handles;     /* the caller's table (&proc->handles) */
    SyscallRequest *req;
} SysCtx;

const char *syscall_name(uint64_t op);
/* False while a syscall still answers through its weak placeholder. */
bool syscall_implemented(uint64_t op);

/* ---- Handle resolution (Zircon's order) -------------------------------- */
/* Look up `value` in the caller's table; applies ZX_POL_BAD_HANDLE. On
 * success *out is the Handle. Returns ZX_OK or ZX_ERR_BAD_HANDLE (or the
 * policy's outcome, e.g. SYS_EXITED when the policy kills the caller). */
zx_status_t sys_lookup_slow(SysCtx *c, zx_handle_t value, Handle **out);
/* Same but returns the Handle (for ops that need the handle's rights). */
zx_status_t sys_get_handle_slow(SysCtx *c, zx_handle_t value,
                                zx_obj_type_t type, zx_rights_t rights,
                                Handle **out);

/* The three resolvers below are inline: every handle-taking syscall runs
 * one. The inline part answers the common case (the value names a handle
 * of the right type with the rights); anything else, failures with their
 * policies and fault switches, goes to the *_slow version, which decides
 * the same case the same way. */
static inline zx_status_t sys_lookup(SysCtx *c, zx_handle_t value, Handle **out)
{
    Handle *h = handle_table_get(c->handles, value);
    if (__builtin_expect(h != NULL, 1)) {
        *out = h;
        return ZX_OK;
    }
    return sys_lookup_slow(c, value, out);
}

static inline zx_status_t sys_get_handle(SysCtx *c, zx_handle_t value,
                                         zx_obj_type_t type, zx_rights_t rights,
                                         Handle **out)
{
    Handle *h = handle_table_get(c->handles, value);
    if (__builtin_expect(h != NULL &&
                             (type == ZX_OBJ_TYPE_NONE ||
                              h->object->ops->type == type) &&
                             rights_has(h->rights, rights), 1)) {
        *out = h;
        return ZX_OK;
    }
    return sys_get_handle_slow(c, value, type, rights, out);
}

/* Lookup + type check (ZX_OBJ_TYPE_NONE = any type) + rights check. */
static inline zx_status_t sys_get_object(SysCtx *c, zx_handle_t value,
                                         zx_obj_type_t type, zx_rights_t rights,
                                         KObject **out)
{
    Handle *h;
    zx_status_t s = sys_get_handle(c, value, type, rights, &h);
    if (s == ZX_OK)
        *out = h->object;
    return s;
}
/* Add a new handle for `o` to the caller's table and write its value to the
 * app pointer `out`. The Handle is created here. On failure nothing is left
 * behind: returns ZX_ERR_NO_MEMORY (arena full) or ZX_ERR_INVALID_ARGS (bad
 * out pointer — caller should validate earlier when Zircon does). */
zx_status_t sys_make_handle(SysCtx *c, KObject *o, zx_rights_t rights,
                            zx_handle_t *out);
/* Two handles for a freshly created pair, both or neither: on any failure
 * nothing is left in the caller's table. */
zx_status_t sys_make_pair(SysCtx *c, KObject *a, KObject *b, zx_rights_t rights,
                          zx_handle_t *out0, zx_handle_t *out1);
/* Install an existing (unowned) Handle into the caller's table. */
zx_handle_t sys_install_handle(SysCtx *c, Handle *h);
/* Remove and destroy a handle of the caller. */
void sys_close_handle(SysCtx *c, Handle *h);
/* Derive rights for duplicate/replace/...; honours the rights-subset fault
 * switch. Returns false if `requested` is not allowed. */
bool sys_derive_rights(SysCtx *c, zx_rights_t source, zx_rights_t requested,
                       zx_rights_t *out);

/* ---- Policy ------------------------------------------------------------- */
/* Evaluate the caller's job policy for `condition` (ZX_POL_*). Returns
 * ZX_OK (allowed), ZX_ERR_ACCESS_DENIED (deny), or SYS_EXITED (kill). An
 * EXCEPTION action raises ZX_EXCP_POLICY_ERROR on the caller first. */
zx_status_t sys_policy(SysCtx *c, uint32_t condition);

/* ---- App memory ----------------------------------------------------------
 * Copies that never crash the simulator: a bad pointer gives false. NULL is
 * always bad (except where a syscall allows NULL; check before calling). */
static inline bool sys_copy_in(SysCtx *c, void *dst, const void *user_src,
                               size_t n)
{
    return n == 0 ||
           (user_src != NULL && strict_memory_user_copy(c->proc, dst, user_src, n));
}
static inline bool sys_copy_out(SysCtx *c, void *user_dst, const void *src,
                                size_t n)
{
    return n == 0 ||
           (user_dst != NULL && strict_memory_user_copy(c->proc, user_dst, src, n));
}
/* Write a result value to an app pointer that may be NULL (optional out). */
static inline bool sys_copy_out_opt(SysCtx *c, void *user_dst,
                                    const void *src, size_t n)
{
    return user_dst == NULL || sys_copy_out(c, user_dst, src, n);
}

/* ---- Blocking ------------------------------------------------------------
 * A handler that must wait calls sys_block: the caller is blocked until
 * `deadline` (adjusted here by the timer-slack policy); on_timeout runs
 * then. `abandon` tears the wait down if the thread is killed while
 * blocked. All three get `ctx`. `reason` is the ZX_THREAD_STATE_BLOCKED_*
 * that ZX_INFO_THREAD reports while the thread waits. */
void sys_block(SysCtx *c, uint32_t reason, SimTime deadline, SimTimeoutFn on_timeout,
               SimDescribeFn describe, void (*abandon)(void *ctx), void *ctx);
/* Complete a blocked request: store the result and wake the thread. */
void sys_complete(SimThread *st, zx_status_t result);
SyscallRequest *sys_pending_request(SimThread *st);

/* Charge virtual time for the current operation. */
static inline void sys_charge(SysCtx *c, SimTime ns)
{
    sim_charge(c->k->engine, ns);
}

/* Handlers: declared from the table. */
#define ZX_SYSCALL_DECL(name, ret, params) ret sys_##name params;
#include "syscall_xmacro.h"

/* A pc a user thread may be given (thread_write_state): below the top of
 * the host's user address space, so not kernel or non-canonical. */
bool sys_user_pc(zx_vaddr_t pc);

#endif
