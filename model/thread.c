/* thread.c — threads: a Zircon thread object bound to an engine fiber.
 *
 * The state machine is drawn in thread.h. The model's KThread and the
 * engine's SimThread point at each other (sim_thread_owner / t->fiber) from
 * start until the fiber is gone. A started thread holds a reference on
 * itself (a running thread survives the close of its last handle) and every
 * thread holds one on its process.
 *
 * Ending: the fiber's entry returns, zx_thread_exit, a kill (its process
 * dies), or an unhandled fault. All roads lead to thread_finish, called from
 * the engine's exit callback: TERMINATED asserted, RUNNING/SUSPENDED
 * cleared, the thread leaves its process (which may then die).
 *
 * Faults: thread_on_fiber_fault offers the fault to exception handling
 * (exception.c, weak until it exists); unhandled, the process is killed with
 * ZX_TASK_RETCODE_EXCEPTION_KILL and the simulation goes on.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include "job_limits.h"
#include "kernel.h"
#include "process.h"
#include "sdk/runtime.h"
#include "strict_memory.h"
#include "syscall.h"
#include "thread.h"
#include "thread_stack.h"

/* exception.c: deliver a fault as an exception; returns true if some
 * handler took it (the thread is then parked in BLOCKED_EXCEPTION). */
bool exception_deliver_fault(KThread *t, int sim_fault_kind, uintptr_t addr)
    __attribute__((weak));
/* suspend_token.c: park a starting thread whose task is suspended. */
void suspend_thread_starting(KThread *t) __attribute__((weak));
/* The app layer's gate into app code (model/app/app_call.c). */
void app_call_entry(void (*fn)(uintptr_t, uintptr_t), uintptr_t arg1, uintptr_t arg2)
    __attribute__((weak));
/* exception.c: the thread's exception channel shuts down. */
void exception_task_gone(KObject *task) __attribute__((weak));

static void thread_destroy(KObject *o)
{
    KThread *t = (KThread *)o;
    KProcess *p = t->process;
    if (t->state == THREAD_NEW) /* never started: leave the process now */
        process_thread_exited(p, t);
    if (exception_task_gone)
        exception_task_gone(o);
    free(t);
    kobject_unref(&p->base);
}

static void thread_on_zero_handles(KObject *o)
{
    KThread *t = (KThread *)o;
    /* A NEW thread nobody can start any more is gone for good. */
    (void)t;
}

static zx_koid_t thread_related_koid(const KObject *o)
{
    return ((const KThread *)o)->process->base.koid;
}

static void thread_check(const KObject *o)
{
    const KThread *t = (const KThread *)o;
    bool has_fiber = t->fiber != NULL;
    bool live = t->state != THREAD_NEW && t->state != THREAD_DEAD;
    KCHECK(o->kernel, has_fiber == live || t->state == THREAD_DYING);
    KCHECK(o->kernel, (t->state == THREAD_DEAD) == ((o->signals & ZX_THREAD_TERMINATED) != 0));
    if (has_fiber)
        KCHECK(o->kernel, sim_thread_owner(t->fiber) == t);
}

const KObjectOps thread_ops = {
    .type = ZX_OBJ_TYPE_THREAD,
    .name = "thread",
    .default_rights = ZX_DEFAULT_THREAD_RIGHTS,
    .possible_rights = ZX_DEFAULT_THREAD_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .has_name = true,
    .on_zero_handles = thread_on_zero_handles,
    .destroy = thread_destroy,
    .related_koid = thread_related_koid,
    .check = thread_check,
};

KThread *thread_from(KObject *o)
{
    return KOBJECT_CAST(o, KThread, ZX_OBJ_TYPE_THREAD);
}

KThread *thread_of_fiber(SimThread *st)
{
    return st ? (KThread *)sim_thread_owner(st) : NULL;
}

zx_status_t thread_create(KProcess *p, const char *name, size_t name_len,
                          KThread **out)
{
    if (p->state == PROCESS_DYING || p->state == PROCESS_DEAD)
        return ZX_ERR_BAD_STATE;
    KThread *t = calloc(1, sizeof *t);
    if (!t)
        return ZX_ERR_NO_MEMORY;
    kobject_init(p->base.kernel, &t->base, &thread_ops, 0);
    kobject_set_name(&t->base, name, name_len);
    t->process = p;
    kobject_ref(&p->base);
    t->state = THREAD_NEW;
    process_add_thread(p, t);
    *out = t;
    return ZX_OK;
}

static void thread_fiber_main(void *arg)
{
    KThread *t = arg;
    if (app_call_entry)
        app_call_entry(t->entry, t->arg1, t->arg2);
    else
        t->entry(t->arg1, t->arg2);
    /* Returning from the entry ends the thread (the engine calls
     * thread_on_fiber_exit). */
}

void thread_attach_runtime(KThread *t)
{
    KProcess *p = t->process;
    if (!p->runtime || t->user_tls || !t->fiber)
        return;
    /* App-side per-thread block: the launcher fills thread_self for a
     * process's first thread, libc's pthread_create for its threads
     * (their own handle, as Fuchsia's libc keeps it); threads made with
     * bare zx_thread_create start without one. */
    CapsimThreadRuntime *tr = calloc(1, sizeof *tr);
    if (tr) {
        tr->proc = p->runtime;
        tr->thread_koid = t->base.koid;
        t->user_tls = tr;
        sim_thread_set_user(t->fiber, tr);
    }
}

zx_status_t thread_start(KThread *t, ThreadEntryFn entry, uintptr_t stack_top,
                         uintptr_t arg1, uintptr_t arg2)
{
    if (t->state != THREAD_NEW)
        return ZX_ERR_BAD_STATE;
    KProcess *p = t->process;
    if (p->state == PROCESS_DYING || p->state == PROCESS_DEAD)
        return ZX_ERR_BAD_STATE;
    Kernel *k = t->base.kernel;
    KVmar *block = NULL;
    if (stack_top == 0) {
        /* Zircon would start the thread with sp 0, to fault at its first
         * push; capsim gives it a stack block of its own, as the launcher
         * gives a first thread, gone when the thread ends. */
        char name[ZX_MAX_NAME_LEN];
        snprintf(name, sizeof name, "thread-stack:%" PRIu64, t->base.koid);
        zx_status_t s = thread_stack_map(p, name, THREAD_STACK_DEFAULT_SIZE,
                                         THREAD_STACK_DEFAULT_GUARD, &stack_top, &block);
        if (s != ZX_OK)
            return s;
    }
    /* The top of a stack in the process's memory; the fiber runs on
     * [mapping base, stack_top). No writable mapping there: refuse (Zircon
     * would start the thread and let it fault at once). */
    uintptr_t lo;
    size_t guard;
    thread_stack_find(p, stack_top, &lo, &guard);
    SimThread *st = NULL;
    if (lo) {
        strict_memory_enter(p); /* the fiber's first frame goes there */
        st = sim_thread_create_on_stack(k->engine, thread_fiber_main, t, t->base.name,
                                        (void *)lo, stack_top - lo);
        if (st)
            sim_thread_set_stack_guard(st, guard);
    }
    if (!st) {
        if (block)
            thread_stack_unmap(block);
        return lo ? ZX_ERR_NO_MEMORY : ZX_ERR_INVALID_ARGS;
    }
    t->stack_block = block;
    t->fiber = st;
    sim_thread_set_server(st, p->server);
    t->entry = entry;
    t->arg1 = arg1;
    t->arg2 = arg2;
    t->state = THREAD_RUNNING;
    sim_thread_set_owner(st, t);
    thread_attach_runtime(t);
    kobject_ref(&t->base); /* the running thread's self reference */
    if (p->state == PROCESS_INITIAL) {
        p->state = PROCESS_RUNNING;
        p->started = true;
        p->start_time = sim_now(k->engine);
    }
    kobject_signal(&t->base, 0, ZX_THREAD_RUNNING);
    job_limits_thread_starting(t); /* capsim's per-job CPU mask */
    if (suspend_thread_starting)
        suspend_thread_starting(t);
    sim_thread_start(st);
    return ZX_OK;
}

/* Fill the simulated registers that were never written. */
void thread_regs_fill_defaults(KThread *t)
{
    zx_thread_state_general_regs_t *r = &t->regs;
#if defined(__x86_64__)
    if (r->rip == 0) {
        r->rip = (uintptr_t)t->entry;
        r->rdi = t->arg1;
        r->rsi = t->arg2;
    }
#elif defined(__aarch64__)
    if (r->pc == 0) {
        r->pc = (uintptr_t)t->entry;
        r->r[0] = t->arg1;
        r->r[1] = t->arg2;
    }
#else
    if (r->pc == 0) {
        r->pc = (uintptr_t)t->entry;
        r->a0 = t->arg1;
        r->a1 = t->arg2;
    }
#endif
}

TaskRuntime thread_runtime(const KThread *t)
{
    if (!t->fiber)
        return t->final_runtime;
    return (TaskRuntime){sim_thread_runtime(t->fiber), sim_thread_queue_time(t->fiber)};
}

static void thread_finish(KThread *t)
{
    if (t->state == THREAD_DEAD)
        return;
    bool started = t->fiber != NULL || t->state != THREAD_NEW;
    t->state = THREAD_DEAD;
    if (t->fiber) {
        t->final_runtime = thread_runtime(t);
        task_runtime_add(&t->process->dead_threads, t->final_runtime);
        sim_thread_set_owner(t->fiber, NULL);
        sim_thread_set_user(t->fiber, NULL);
    }
    t->fiber = NULL;
    if (t->stack_block) {
        thread_stack_unmap(t->stack_block);
        t->stack_block = NULL;
    }
    capsim_thread_runtime_free(t->user_tls);
    t->user_tls = NULL;
    kobject_signal(&t->base, ZX_THREAD_RUNNING | ZX_THREAD_SUSPENDED,
                   ZX_THREAD_TERMINATED);
    if (exception_task_gone)
        exception_task_gone(&t->base);
    process_thread_exited(t->process, t);
    if (started)
        kobject_unref(&t->base); /* drop the running self reference */
}

void thread_kill(KThread *t)
{
    switch (t->state) {
    case THREAD_DEAD:
    case THREAD_DYING:
        return;
    case THREAD_NEW:
        kobject_ref(&t->base);
        t->state = THREAD_DEAD;
        kobject_signal(&t->base, 0, ZX_THREAD_TERMINATED);
        process_thread_exited(t->process, t);
        kobject_unref(&t->base);
        return;
    default:
        if (t->wait_abandon) {
            void (*abandon)(void *) = t->wait_abandon;
            t->wait_abandon = NULL;
            abandon(t->wait_ctx);
        }
        t->state = THREAD_DYING;
        /* The engine calls thread_on_fiber_exit, now or when it can. */
        sim_thread_kill(t->fiber);
        return;
    }
}

bool thread_interrupt_wait(KThread *t, zx_status_t status)
{
    if (t->state != THREAD_BLOCKED || !t->wait_abandon || !t->fiber)
        return false;
    void (*abandon)(void *) = t->wait_abandon;
    t->wait_abandon = NULL;
    abandon(t->wait_ctx);
    sys_complete(t->fiber, status);
    return true;
}

void thread_on_fiber_exit(SimEngine *e, SimThread *st, void *ctx)
{
    KThread *t = thread_of_fiber(st);
    if (!t)
        return;
    Kernel *k = ctx;
    if (k->check_invariants && !k->in_syscall) {
        thread_finish(t);
        kernel_check_invariants(k);
        return;
    }
    thread_finish(t);
}

void thread_on_fiber_fault(SimEngine *e, SimThread *st, int kind,
                           uintptr_t addr, void *ctx)
{
    KThread *t = thread_of_fiber(st);
    if (!t)
        return;
    /* Not the address: the engine's fault record just before holds it in
     * the form that does not move with the host's address randomization
     * (engine.c, engine_req_fault); the raw one would put where the host's
     * loader put the app's copy into the trace hash. */
    kernel_trace(t->base.kernel, KTR_EXCEPTION, t->base.koid, (uint64_t)kind,
                 0, 0, NULL);
    if (exception_deliver_fault && exception_deliver_fault(t, kind, addr))
        return;
    process_kill(t->process, ZX_TASK_RETCODE_EXCEPTION_KILL);
}
