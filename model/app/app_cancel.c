/* app_cancel.c — pthread cancellation, the engine side: the request that
 * pthread_cancel makes, and the stop at a kernel entry.
 *
 * Models: nothing of Zircon (Fuchsia's libc has no pthread_cancel); what
 * POSIX asks of a libc, for green threads that only ever stop in the
 * kernel. The app side (libc_pthread_cancel.c) keeps each thread's
 * cancellation state in its runtime block (sdk/runtime.h: host memory,
 * so this file reads and sets it without touching app memory) and acts on
 * a request itself: only the thread can run its cleanup handlers.
 *
 *   APP_OP_PTHREAD_CANCEL  the request, traced as "pthread_cancel" (kernel
 *                          enter and exit, result 0 or ZX_ERR_BAD_STATE for
 *                          a thread that has ended or is no thread of the
 *                          caller's process). a[0]: the target's thread
 *                          handle, or ZX_HANDLE_INVALID and a[1] its koid
 *                          (a thread pthread_create did not make; not its
 *                          runtime block's address, which a thread started
 *                          after it ended may have).
 *                          Marks the request; when the target is blocked in
 *                          the blocking call of a cancellation point
 *                          (cancel_waiting), or is asynchronous and blocked
 *                          in a call its app made, its call is ended at
 *                          once (thread_interrupt_wait) with
 *                          ZX_ERR_CANCELED, and the libc code around the
 *                          call (or the stub) acts.
 *   app_cancel_at_entry    every kernel entry of an app thread: a thread
 *                          with an enabled pending request entering the
 *                          blocking call of a cancellation point does not
 *                          make it (ZX_ERR_CANCELED; the request came
 *                          between its check and the call), and an
 *                          asynchronous one does not make any call its app
 *                          makes: the request is flagged
 *                          SYSCALL_FLAG_CANCEL_NOW and the stub ends the
 *                          thread. Let through: the calls libc makes itself
 *                          (the stub's caller, SyscallRequest.caller, is no
 *                          app code: a mutex's wake or malloc's mapping cut
 *                          in half would break libc's state), the calls
 *                          that end a thread, and the app layer's own
 *                          requests (made without a stub: pthread_cancel
 *                          acts after its request itself).
 *
 * Deterministic: requests are served in the engine's order, the target is
 * found by handle or by koid, never by an address. Read next: libc_pthread_cancel.c.
 */
#include <zircon/errors.h>

#include "app_world.h"
#include "sdk/runtime.h"
#include "syscall.h"
#include "thread.h"

/* The target of a request from `self`: by handle, or the thread of its
 * process with koid `koid`. NULL if none. */
static KThread *app_cancel_target(KThread *self, zx_handle_t handle, zx_koid_t koid)
{
    KProcess *p = self->process;
    if (handle != ZX_HANDLE_INVALID) {
        Handle *h = handle_table_get(&p->handles, handle);
        if (!h || h->object->ops->type != ZX_OBJ_TYPE_THREAD)
            return NULL;
        KThread *t = (KThread *)h->object;
        return t->process == p ? t : NULL;
    }
    for (KThread *t = p->threads_head; koid && t; t = t->sib_next)
        if (t->base.koid == koid)
            return t;
    return NULL;
}

/* Would the thread act on its request in this call? */
static bool app_cancel_due(const CapsimThreadRuntime *tr)
{
    return tr->cancel_requested && !tr->cancel_disabled && !tr->cancel_acting &&
           (tr->cancel_async || tr->cancel_waiting);
}

/* Was the call made by the app's own code? libc's calls (a mutex's wake,
 * malloc's mapping, a file server's round trip) must not be cut in half:
 * the thread would die holding or owing something of libc's. */
static bool app_cancel_app_call(const SyscallRequest *q)
{
    return q->hdr.op < APP_OP_FIRST && app_world_caller_in_copy(q->caller);
}

/* Is t blocked in a call its app made itself? */
static bool app_cancel_blocked_in_app_call(KThread *t)
{
    return t->state == THREAD_BLOCKED && t->fiber &&
           app_cancel_app_call(sys_pending_request(t->fiber));
}

int64_t app_cancel_handle(SimThread *caller, SimRequest *req)
{
    KThread *self = thread_of_fiber(caller);
    SyscallRequest *q = (SyscallRequest *)req;
    if (!self)
        return ZX_ERR_BAD_STATE;
    KThread *t = app_cancel_target(self, (zx_handle_t)q->a[0], (zx_koid_t)q->a[1]);
    if (!t || t->state == THREAD_DYING || t->state == THREAD_DEAD || !t->user_tls)
        return ZX_ERR_BAD_STATE;
    CapsimThreadRuntime *tr = t->user_tls;
    tr->cancel_requested = 1;
    if (t == self || !app_cancel_due(tr))
        return ZX_OK; /* the thread acts at its next cancellation point */
    if (!tr->cancel_waiting && !app_cancel_blocked_in_app_call(t))
        return ZX_OK; /* asynchronous, in libc's own call: let it finish */
    if (thread_interrupt_wait(t, ZX_ERR_CANCELED)) {
        if (tr->cancel_waiting)
            tr->cancel_interrupted = 1;
        else /* asynchronous, in a call of its app's: the stub acts */
            sys_pending_request(t->fiber)->hdr.flags |= SYSCALL_FLAG_CANCEL_NOW;
    }
    return ZX_OK;
}

/* The calls that end the calling thread or its process: never stopped. */
static bool app_cancel_ending_call(uint32_t op)
{
    return op == SYS_thread_exit || op == SYS_process_exit ||
           op == SYS_futex_wake_handle_close_thread_exit ||
           op == SYS_vmar_unmap_handle_close_thread_exit;
}

bool app_cancel_at_entry(SimThread *caller, SimRequest *req)
{
    CapsimThreadRuntime *tr = sim_thread_user(caller);
    if (__builtin_expect(!tr || !tr->cancel_requested, 1))
        return false;
    if (!app_cancel_due(tr) || app_cancel_ending_call(req->op) || req->op >= APP_OP_FIRST)
        return false; /* the SDK's own requests are no stubs: not stopped */
    if (!tr->cancel_waiting && !app_cancel_app_call((const SyscallRequest *)req))
        return false; /* asynchronous, in libc's own call: it is made */
    req->result = ZX_ERR_CANCELED;
    if (tr->cancel_waiting)
        tr->cancel_interrupted = 1;
    else
        req->flags |= SYSCALL_FLAG_CANCEL_NOW;
    return true;
}
