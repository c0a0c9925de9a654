/* exception.c — exception objects, exception ports and delivery.
 *
 * What it models: Zircon's exception channels. A task (thread, process,
 * job) may have one exception channel of each kind bound (a process and a
 * job also a debugger one); the kernel keeps one end in a KExceptionPort
 * and the creator gets the other. When a thread raises an exception it
 * stops, and one message — a zx_exception_info_t plus one handle to a new
 * exception object (rights 0x80C2) — goes to the first live handler in
 * Zircon's order:
 *
 *   process debugger -> thread -> process -> [debugger again, if it chose
 *   SECOND_CHANCE] -> process's job -> parent job -> ... -> root job
 *
 * When the last handle to the exception object goes (closed, or discarded
 * with an unread message when the handler's channel closes), its state
 * decides: HANDLED resumes the thread, THREAD_EXIT ends it, TRY_NEXT
 * (the default, reset for each handler) moves on; past the root job the
 * process is killed with ZX_TASK_RETCODE_EXCEPTION_KILL. That decision runs
 * from a zero-delay engine timer, never inside the handle close that
 * triggered it (which may be deep inside channel code).
 *
 * Two sources: synthetic exceptions raised inside a syscall (policy
 * errors): the syscall finishes, the engine parks the fiber when it leaves
 * the kernel (sim_thread_suspend) and HANDLED unparks it, so the call's
 * result is what the app then sees. Faults in app code: the engine has
 * abandoned the fiber, so it cannot continue at the faulting instruction;
 * HANDLED is honoured only if the handler rewrote the registers with
 * thread_write_state, which restarts the thread on a fresh fiber at
 * pc(arg0, arg1) (see sys_exception.c); otherwise the instruction would
 * fault again, so the same exception is delivered again from the first
 * handler.
 *
 * Exception states (finished field):  DELIVERING --resolved/abandoned--> FINISHED.
 * Invariants (exception_check): a DELIVERING exception is its thread's
 * pending_exception and the thread is BLOCKED_EXCEPTION (or dying); a
 * FINISHED one is nobody's pending exception.
 *
 * Left out: THREAD_STARTING/EXITING and PROCESS_STARTING debugger
 * exceptions, more than one job debugger channel, zx_thread_raise_exception.
 * Read next: sys_exception.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls/object.h>

#include "channel.h"
#include "exception.h"
#include "job.h"
#include "job_limits.h"
#include "kernel.h"
#include "process.h"
#include "strict_memory.h"
#include "suspend_token.h"
#include "thread.h"
#include "thread_stack.h"

/* ---- Ports ---------------------------------------------------------------- */

static void exception_port_destroy(KObject *o)
{
    KExceptionPort *port = (KExceptionPort *)o;
    KObject *ep = port->endpoint;
    free(port);
    if (ep)
        kobject_unref(ep); /* the reader's end sees PEER_CLOSED */
}

const KObjectOps exception_port_ops = {
    .type = ZX_OBJ_TYPE_NONE,
    .name = "exception_port",
    .destroy = exception_port_destroy,
};

bool exception_port_live(const KObject *o)
{
    if (!o)
        return false;
    const KExceptionPort *port = (const KExceptionPort *)o;
    return port->task && channel_peer(port->endpoint) != NULL;
}

/* The task field a port of `channel_type` lives in. */
static KObject **exception_port_slot(KObject *task, uint32_t channel_type)
{
    bool debugger = channel_type == ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER ||
                    channel_type == ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER;
    switch (task->ops->type) {
    case ZX_OBJ_TYPE_THREAD:
        return debugger ? NULL : &thread_from(task)->exception_channel;
    case ZX_OBJ_TYPE_PROCESS: {
        KProcess *p = process_from(task);
        return debugger ? &p->debugger_channel : &p->exception_channel;
    }
    case ZX_OBJ_TYPE_JOB: {
        KJob *j = job_from(task);
        return debugger ? &j->debugger_channel : &j->exception_channel;
    }
    default:
        return NULL;
    }
}

static void exception_port_unbind(KObject **slot)
{
    KObject *o = *slot;
    if (!o)
        return;
    *slot = NULL;
    ((KExceptionPort *)o)->task = NULL;
    kobject_unref(o);
}

static bool exception_task_dying(KObject *task)
{
    switch (task->ops->type) {
    case ZX_OBJ_TYPE_THREAD: {
        ThreadState s = thread_from(task)->state;
        return s == THREAD_DYING || s == THREAD_DEAD;
    }
    case ZX_OBJ_TYPE_PROCESS: {
        ProcessState s = process_from(task)->state;
        return s == PROCESS_DYING || s == PROCESS_DEAD;
    }
    default:
        return job_from(task)->state != JOB_READY;
    }
}

zx_status_t exception_port_bind(KObject *task, uint32_t channel_type,
                                zx_rights_t task_rights, KObject **user_end)
{
    KObject **slot = exception_port_slot(task, channel_type);
    if (!slot)
        return ZX_ERR_INVALID_ARGS;
    if (exception_port_live(*slot))
        return ZX_ERR_ALREADY_BOUND;
    if (exception_task_dying(task))
        return ZX_ERR_BAD_STATE;
    KExceptionPort *port = calloc(1, sizeof *port);
    if (!port)
        return ZX_ERR_NO_MEMORY;
    KObject *kernel_end, *reader_end;
    if (channel_create(task->kernel, &kernel_end, &reader_end) != ZX_OK) {
        free(port);
        return ZX_ERR_NO_MEMORY;
    }
    exception_port_unbind(slot); /* a stale port whose reader went away */
    kobject_init(task->kernel, &port->base, &exception_port_ops, 0);
    port->endpoint = kernel_end;
    port->task = task;
    port->channel_type = channel_type;
    port->task_rights = task_rights;
    *slot = &port->base;
    *user_end = reader_end;
    return ZX_OK;
}

void exception_task_gone(KObject *task)
{
    switch (task->ops->type) {
    case ZX_OBJ_TYPE_THREAD:
        exception_port_unbind(&thread_from(task)->exception_channel);
        break;
    case ZX_OBJ_TYPE_PROCESS:
        exception_port_unbind(&process_from(task)->debugger_channel);
        exception_port_unbind(&process_from(task)->exception_channel);
        break;
    case ZX_OBJ_TYPE_JOB:
        exception_port_unbind(&job_from(task)->debugger_channel);
        exception_port_unbind(&job_from(task)->exception_channel);
        break;
    default:
        break;
    }
}

/* ---- Exception objects ---------------------------------------------------- */

static void exception_resolve_later(KException *e);

static void exception_on_zero_handles(KObject *o)
{
    KException *e = (KException *)o;
    if (e->sending || e->finished)
        return;
    exception_resolve_later(e);
}

static void exception_destroy(KObject *o)
{
    KException *e = (KException *)o;
    KThread *t = e->thread;
    KProcess *p = e->process;
    free(e);
    kobject_unref(&t->base);
    kobject_unref(&p->base);
}

static void exception_check(const KObject *o)
{
    const KException *e = (const KException *)o;
    const KThread *t = e->thread;
    if (e->finished) {
        KCHECK(o->kernel, t->pending_exception != o);
        return;
    }
    if (t->pending_exception == o)
        KCHECK(o->kernel, t->state == THREAD_BLOCKED_EXCEPTION ||
                              t->state == THREAD_DYING || t->state == THREAD_DEAD);
}

const KObjectOps exception_ops = {
    .type = ZX_OBJ_TYPE_EXCEPTION,
    .name = "exception",
    .default_rights = ZX_DEFAULT_EXCEPTION_RIGHTS,
    .possible_rights = ZX_DEFAULT_EXCEPTION_RIGHTS,
    .waitable = false,
    .on_zero_handles = exception_on_zero_handles,
    .destroy = exception_destroy,
    .check = exception_check,
};

KException *exception_from(KObject *o)
{
    return KOBJECT_CAST(o, KException, ZX_OBJ_TYPE_EXCEPTION);
}

/* The architectural part of the report: what a real CPU would have said. */
static void exception_fill_arch(zx_exception_report_t *r, uint32_t type,
                                uintptr_t addr)
{
#if defined(__x86_64__)
    uint64_t vector = 13; /* #GP */
    if (type == ZX_EXCP_FATAL_PAGE_FAULT)
        vector = 14;
    else if (type == ZX_EXCP_UNDEFINED_INSTRUCTION)
        vector = 6;
    else if (type == ZX_EXCP_SW_BREAKPOINT)
        vector = 3;
    if (ZX_EXCP_IS_ARCH(type)) {
        r->context.arch.u.x86_64.vector = vector;
        r->context.arch.u.x86_64.cr2 = addr;
    }
#elif defined(__aarch64__)
    if (ZX_EXCP_IS_ARCH(type))
        r->context.arch.u.arm_64.far = addr;
#else
    (void)r;
    (void)type;
    (void)addr;
#endif
}

static KException *exception_new(KThread *t, uint32_t type, uint32_t code,
                                 uint32_t data, uintptr_t addr)
{
    KException *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    kobject_init(t->base.kernel, &e->base, &exception_ops, 0);
    e->thread = t;
    e->process = t->process;
    kobject_ref(&t->base);
    kobject_ref(&t->process->base);
    e->report.header.size = sizeof e->report;
    e->report.header.type = type;
    e->report.context.synth_code = code;
    e->report.context.synth_data = data;
    exception_fill_arch(&e->report, type, addr);
    e->state = ZX_EXCEPTION_STATE_TRY_NEXT;
    e->stage = EXC_STAGE_DEBUGGER;
    e->next_job = t->process->job;
    return e;
}

/* The next live port in handler order, advancing the cursor past it. */
static KExceptionPort *exception_next_port(KException *e)
{
    KProcess *p = e->process;
    while (e->stage != EXC_STAGE_DONE) {
        KObject *port = NULL;
        switch (e->stage) {
        case EXC_STAGE_DEBUGGER:
            port = p->debugger_channel;
            e->stage = EXC_STAGE_THREAD;
            break;
        case EXC_STAGE_THREAD:
            port = e->thread->exception_channel;
            e->stage = EXC_STAGE_PROCESS;
            break;
        case EXC_STAGE_PROCESS:
            port = p->exception_channel;
            e->stage = e->second_chance ? EXC_STAGE_DEBUGGER_SECOND : EXC_STAGE_JOBS;
            break;
        case EXC_STAGE_DEBUGGER_SECOND:
            port = p->debugger_channel;
            e->stage = EXC_STAGE_JOBS;
            break;
        default:
            if (!e->next_job) {
                e->stage = EXC_STAGE_DONE;
                break;
            }
            port = e->next_job->exception_channel;
            e->next_job = e->next_job->parent;
            break;
        }
        if (exception_port_live(port))
            return (KExceptionPort *)port;
    }
    return NULL;
}

/* Write the exception message to one handler. False if it cannot take it. */
static bool exception_send(KException *e, KExceptionPort *port)
{
    Kernel *k = e->base.kernel;
    Handle *h = handle_new(k, &e->base, ZX_DEFAULT_EXCEPTION_RIGHTS);
    if (!h)
        return false;
    e->state = ZX_EXCEPTION_STATE_TRY_NEXT;
    e->channel_type = port->channel_type;
    e->task_rights = port->task_rights;
    zx_exception_info_t info;
    memset(&info, 0, sizeof info);
    info.pid = e->process->base.koid;
    info.tid = e->thread->base.koid;
    info.type = e->report.header.type;
    e->sending = true;
    zx_status_t s = channel_write_msg(port->endpoint, &info, sizeof info, &h, 1);
    if (s != ZX_OK) {
        handle_destroy(k, h);
        e->channel_type = ZX_EXCEPTION_CHANNEL_TYPE_NONE;
    }
    e->sending = false;
    if (s == ZX_OK)
        kernel_trace(k, KTR_EXCEPTION, e->thread->base.koid,
                     e->report.header.type, port->channel_type,
                     port->base.koid, "delivered");
    return s == ZX_OK;
}

static bool exception_advance(KException *e)
{
    KExceptionPort *port;
    while ((port = exception_next_port(e)))
        if (exception_send(e, port))
            return true;
    e->channel_type = ZX_EXCEPTION_CHANNEL_TYPE_NONE;
    return false;
}

/* The thread stops waiting: detach and drop the thread's reference. */
static void exception_finish(KException *e)
{
    KThread *t = e->thread;
    e->finished = true;
    e->channel_type = ZX_EXCEPTION_CHANNEL_TYPE_NONE;
    if (t->pending_exception == &e->base) {
        t->pending_exception = NULL;
        t->wait_abandon = NULL;
        t->wait_ctx = NULL;
        if (t->state == THREAD_BLOCKED_EXCEPTION)
            t->state = suspend_thread_held(t) ? THREAD_SUSPENDED : THREAD_RUNNING;
        kobject_unref(&e->base);
    }
}

static void exception_abandon(void *ctx)
{
    KException *e = ctx;
    exception_finish(e); /* the thread is being killed: nothing more */
}

static void exception_fiber_main(void *arg)
{
    KThread *t = arg;
    t->entry(t->arg1, t->arg2);
}


/* The new fiber of a restarted thread, its stack as sp says: below sp on
 * the thread's own stack (all of it for sp 0), or below sp in another
 * writable mapping of its process. A thread on an engine stack (none of a
 * process's threads is: stack 0 gets a block in its process, thread.c)
 * would get a fresh one (sp is not honoured there: that stack goes with
 * its fiber).
 * NULL if sp points at nothing writable (the thread would fault at once)
 * or no fiber could be made. */
static SimThread *exception_restart_stack(KThread *t, uintptr_t sp)
{
    Kernel *k = t->base.kernel;
    void *own;
    size_t own_size, guard = 0;
    bool given = sim_thread_stack(t->fiber, &own, &own_size, &guard);
    uintptr_t lo = 0, top = 0, o = (uintptr_t)own;
    bool on_own = sp > o && sp <= o + own_size;
    if (given && (sp == 0 || on_own)) {
        lo = o;
        top = sp ? sp : o + own_size;
    } else if (sp && !on_own) {
        thread_stack_find(t->process, sp, &lo, &guard);
        if (!lo)
            return NULL;
        top = sp;
    }
    if (!lo)
        return sim_thread_create(k->engine, exception_fiber_main, t, t->base.name);
    strict_memory_enter(t->process); /* the fiber's first frame goes there */
    SimThread *st = sim_thread_create_on_stack(k->engine, exception_fiber_main, t,
                                               t->base.name, (void *)lo, top - lo);
    if (st)
        sim_thread_set_stack_guard(st, guard);
    return st;
}

/* A handled fault whose registers were rewritten: the old fiber is gone
 * for good; run pc(arg0, arg1) on a fresh one, on the stack sp says
 * (exception_restart_stack). False if no new fiber could be made. */
static bool exception_restart_fiber(KThread *t)
{
    uintptr_t pc = (uintptr_t)EXC_REG_PC(t->regs);
    if (pc == 0)
        return false;
    SimThread *st = exception_restart_stack(t, (uintptr_t)EXC_REG_SP(t->regs));
    if (!st)
        return false;
    Kernel *k = t->base.kernel;
    SimThread *old = t->fiber;
    sim_thread_set_owner(old, NULL);
    sim_thread_set_user(old, NULL);
    sim_thread_kill(old); /* no owner: its exit callback does nothing */
    t->fiber = st;
    sim_thread_set_server(st, t->process->server);
    t->entry = (ThreadEntryFn)pc;
    t->arg1 = (uintptr_t)EXC_REG_ARG0(t->regs);
    t->arg2 = (uintptr_t)EXC_REG_ARG1(t->regs);
    sim_thread_set_owner(st, t);
    if (t->user_tls)
        sim_thread_set_user(st, t->user_tls);
    if (suspend_thread_held(t))
        sim_thread_suspend(st);
    job_limits_thread_starting(t); /* a new fiber: pin it like the old one */
    /* pc is a host code address (differs run to run): not traced. */
    kernel_trace(k, KTR_NOTE, t->base.koid, 0, 0, 0, "exception: thread redirected");
    sim_thread_start(st);
    return true;
}

/* Back to the first handler, as a fresh raise of the same exception. */
static void exception_rewind(KException *e)
{
    e->stage = EXC_STAGE_DEBUGGER;
    e->next_job = e->process->job;
    e->second_chance = false;
    e->state = ZX_EXCEPTION_STATE_TRY_NEXT;
}

static void exception_resolve(KException *e)
{
    KThread *t = e->thread;
    if (e->finished)
        return;
    if (e->state == ZX_EXCEPTION_STATE_THREAD_EXIT) {
        exception_finish(e);
        thread_kill(t);
        return;
    }
    if (e->state == ZX_EXCEPTION_STATE_HANDLED && e->synthetic) {
        exception_finish(e);
        sim_thread_resume(t->fiber);
        return;
    }
    if (e->state == ZX_EXCEPTION_STATE_HANDLED && e->regs_written) {
        exception_finish(e);
        if (!exception_restart_fiber(t))
            process_kill(t->process, ZX_TASK_RETCODE_EXCEPTION_KILL);
        return;
    }
    if (e->state == ZX_EXCEPTION_STATE_HANDLED) {
        /* A fault resumed as it was: the instruction runs again and faults
         * again, so the same exception starts over from the first handler
         * (the fiber cannot resume mid-instruction, so this is modeled,
         * not executed: a handler that fixed the cause, e.g. mapped the
         * page, still sees the fault again). */
        exception_rewind(e);
        kernel_trace(e->base.kernel, KTR_EXCEPTION, t->base.koid,
                     e->report.header.type, 0, 0, "faulted again");
    }
    if (exception_advance(e))
        return;
    kernel_trace(e->base.kernel, KTR_EXCEPTION, t->base.koid,
                 e->report.header.type, 0, 0, "unhandled");
    exception_finish(e);
    process_kill(t->process, ZX_TASK_RETCODE_EXCEPTION_KILL);
}

static void exception_resolve_timer(SimEngine *eng, void *ctx)
{
    KException *e = ctx;
    exception_resolve(e);
    kobject_unref(&e->base);
}

static void exception_resolve_later(KException *e)
{
    SimEngine *eng = e->base.kernel->engine;
    kobject_ref(&e->base);
    sim_timer_add(eng, sim_now(eng), exception_resolve_timer, e);
}

/* Park t on e: the thread's reference on e is the pending_exception one. */
static void exception_park(KThread *t, KException *e)
{
    t->pending_exception = &e->base; /* takes over the creation reference */
    t->state = THREAD_BLOCKED_EXCEPTION;
    t->wait_abandon = exception_abandon;
    t->wait_ctx = e;
}

zx_status_t exception_raise_synthetic(KThread *t, uint32_t type,
                                      uint32_t synth_code, uint32_t synth_data)
{
    if (t->pending_exception || !t->fiber)
        return ZX_ERR_BAD_STATE;
    KException *e = exception_new(t, type, synth_code, synth_data, 0);
    if (!e)
        return ZX_ERR_NO_MEMORY;
    e->synthetic = true;
    kernel_trace(t->base.kernel, KTR_EXCEPTION, t->base.koid, type, synth_code,
                 0, "raised");
    bool taken = exception_advance(e);
    exception_park(t, e);
    sim_thread_suspend(t->fiber); /* takes effect when it leaves the kernel */
    /* Unhandled: the process dies, but not under the running syscall's
     * feet (it still adds handles to the table); a zero-delay timer does
     * it once the thread is parked. */
    if (!taken)
        exception_resolve_later(e);
    return taken ? ZX_OK : ZX_ERR_NOT_FOUND;
}

static void exception_no_timeout(SimEngine *eng, SimThread *st, void *ctx)
{
}

static void exception_describe(SimThread *st, void *ctx, char *buf, size_t len)
{
    KException *e = ctx;
    snprintf(buf, len, "stopped in exception 0x%x (handler channel type %u)",
             e->report.header.type, e->channel_type);
}

/* SimFaultKind -> what Zircon would report for the same crash. */
static uint32_t exception_fault_type(int kind, uint32_t *code)
{
    *code = 0;
    switch (kind) {
    case SIM_FAULT_SEGV:
    case SIM_FAULT_STACK_OVERFLOW:
        *code = (uint32_t)ZX_ERR_NOT_FOUND; /* no mapping at the address */
        return ZX_EXCP_FATAL_PAGE_FAULT;
    case SIM_FAULT_ILLEGAL:
        return ZX_EXCP_UNDEFINED_INSTRUCTION;
    case SIM_FAULT_ABORT:
        /* Fuchsia's abort() is __builtin_trap(): ud2 on x86-64, brk on arm64. */
#if defined(__aarch64__)
        return ZX_EXCP_SW_BREAKPOINT;
#else
        return ZX_EXCP_UNDEFINED_INSTRUCTION;
#endif
    case SIM_FAULT_BREAKPOINT:
        return ZX_EXCP_SW_BREAKPOINT;
    case SIM_FAULT_BUS:
        /* Only mappings that reach past their VMO's end raise SIGBUS here;
         * Zircon reports such an access as a page fault. */
        *code = (uint32_t)ZX_ERR_OUT_OF_RANGE;
        return ZX_EXCP_FATAL_PAGE_FAULT;
    case SIM_FAULT_FPE:
    case SIM_FAULT_BUDGET:
    default:
        return ZX_EXCP_GENERAL;
    }
}

zx_status_t exception_raise_trap(KThread *t)
{
    uint32_t code;
    uint32_t type = exception_fault_type(SIM_FAULT_ABORT, &code);
    return exception_raise_synthetic(t, type, code, 0);
}

bool exception_deliver_fault(KThread *t, int sim_fault_kind, uintptr_t addr)
{
    if (t->pending_exception || t->state == THREAD_DYING || t->state == THREAD_DEAD)
        return false;
    uint32_t code;
    uint32_t type = exception_fault_type(sim_fault_kind, &code);
    KException *e = exception_new(t, type, code, 0, addr);
    if (!e)
        return false;
    if (!exception_advance(e)) {
        e->finished = true;
        kobject_unref(&e->base);
        return false;
    }
    exception_park(t, e);
    /* The engine kills a faulted fiber left running: block it instead. */
    sim_thread_block(t->fiber, SIM_TIME_INFINITE, exception_no_timeout,
                     exception_describe, e);
    return true;
}

/* ---- Accessors -------------------------------------------------------------- */

bool exception_thread_in_exception(const KThread *t)
{
    return t->pending_exception != NULL;
}

zx_status_t exception_thread_report(const KThread *t, zx_exception_report_t *out)
{
    if (!t->pending_exception)
        return ZX_ERR_BAD_STATE;
    *out = ((const KException *)t->pending_exception)->report;
    return ZX_OK;
}

uint32_t exception_thread_channel_type(const KThread *t)
{
    if (!t->pending_exception)
        return ZX_EXCEPTION_CHANNEL_TYPE_NONE;
    return ((const KException *)t->pending_exception)->channel_type;
}

zx_status_t exception_set_state(KException *e, uint32_t state)
{
    if (state != ZX_EXCEPTION_STATE_TRY_NEXT && state != ZX_EXCEPTION_STATE_HANDLED &&
        state != ZX_EXCEPTION_STATE_THREAD_EXIT)
        return ZX_ERR_INVALID_ARGS;
    e->state = state; /* after a kill: accepted, without effect */
    return ZX_OK;
}

zx_status_t exception_set_strategy(KException *e, uint32_t strategy)
{
    if (e->channel_type != ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER)
        return ZX_ERR_BAD_STATE;
    if (strategy != ZX_EXCEPTION_STRATEGY_FIRST_CHANCE &&
        strategy != ZX_EXCEPTION_STRATEGY_SECOND_CHANCE)
        return ZX_ERR_INVALID_ARGS;
    e->second_chance = strategy == ZX_EXCEPTION_STRATEGY_SECOND_CHANCE;
    return ZX_OK;
}

void exception_syscall_returned(KThread *t, int64_t status)
{
    KException *e = (KException *)t->pending_exception;
    if (!e || !e->synthetic || e->finished)
        return;
    thread_regs_fill_defaults(t);
    EXC_REG_RET(t->regs) = (uint64_t)status;
}

void exception_thread_regs_written(KThread *t)
{
    if (t->pending_exception)
        ((KException *)t->pending_exception)->regs_written = true;
}
