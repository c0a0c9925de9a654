/* exception.c — our ports of Zircon's exception-channel tests in
 * zircon/system/utest/exception/ (exception.cc; not under core/, but the
 * kernel's exception tests). A Loop is upstream's TestLoop: parent job ->
 * job -> process with a main thread and an aux thread that crashes (a
 * store to address 0) when told to.
 *
 * Not ported:
 *   ThreadLifecycleChannelExceptions, ProcessLifecycleJobChannel,
 *   ProcessLifecycleParentJobChannel, ProcessStartExceptionDoesNotBubbleUp,
 *   LifecycleBlocking, SyntheticExceptionReadWriteRegs — need the
 *   THREAD_STARTING / THREAD_EXITING / PROCESS_STARTING debugger exceptions,
 *   which capsim does not raise (model/exception.c).
 * Adapted (the newest Zircon, which capsim follows, cannot zx_task_kill a
 * thread): SkipClosedExceptionChannel, ThreadDeathWithExceptionInChannel,
 * ThreadDeathWithExceptionReceived, ReadWriteThreadState* and
 * KillThreadAndCloseExceptionRace kill the process instead;
 * TaskDeathClosesThreadExceptionChannel lets the thread exit.
 * Trigger runs without the THREAD_STARTING/EXITING reports and leaves out
 * the x87 divide (a pending x87 exception would stay in the host FPU state
 * that green threads share).
 */
#include <zircon/syscalls/debug.h>

#include "coretest.h"

#define EXC_RIGHTS (ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT | ZX_RIGHT_READ)

typedef struct Loop {
    zx_handle_t parent_job, job, proc, vmar, main_thread, aux;
} Loop;

/* What the aux thread does next: 0 wait, 1 crash, 2 exit. */
static volatile int aux_command;

static void loop_main(uintptr_t a, uintptr_t b)
{
    zx_nanosleep(ZX_TIME_INFINITE);
}

static void loop_aux(uintptr_t a, uintptr_t b)
{
    for (;;) {
        int cmd = aux_command;
        if (cmd == 1) {
            aux_command = 0;
            ktest_bad_store(0);
        }
        if (cmd == 2)
            zx_thread_exit();
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    }
}

static void loop_start(Loop *l)
{
    aux_command = 0;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &l->parent_job), ZX_OK);
    cr_expect_eq(zx_job_create(l->parent_job, 0, &l->job), ZX_OK);
    cr_expect_eq(zx_process_create(l->job, "test-child", 10, 0, &l->proc, &l->vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(l->proc, "main", 4, 0, &l->main_thread), ZX_OK);
    cr_expect_eq(zx_thread_create(l->proc, "aux", 3, 0, &l->aux), ZX_OK);
    cr_expect_eq(zx_process_start(l->proc, l->main_thread, (zx_vaddr_t)loop_main, 0,
                                  ZX_HANDLE_INVALID, 0),
                 ZX_OK);
    cr_expect_eq(zx_thread_start(l->aux, (zx_vaddr_t)loop_aux, 0, 0, 0), ZX_OK);
}

static void loop_crash_aux(void) { aux_command = 1; }

static void loop_stop(Loop *l)
{
    cr_expect_eq(zx_task_kill(l->parent_job), ZX_OK);
    cr_expect_eq(zx_object_wait_one(l->proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    CORE_CLOSE(l->aux, l->main_thread, l->vmar, l->proc, l->job, l->parent_job);
}

static zx_handle_t channel_on(zx_handle_t task, uint32_t options)
{
    zx_handle_t ch = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_task_create_exception_channel(task, options, &ch), ZX_OK);
    return ch;
}

/* Wait for and read one exception; checks its type unless want_type is 0. */
static zx_handle_t read_exc(zx_handle_t ch, uint32_t want_type, zx_exception_info_t *info_out)
{
    zx_exception_info_t info = {0};
    zx_handle_t exc = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(ch, 0, &info, &exc, sizeof info, 1, NULL, NULL), ZX_OK);
    if (want_type)
        cr_expect_eq(info.type, want_type, "exception type %#x, want %#x", info.type, want_type);
    if (info_out)
        *info_out = info;
    return exc;
}

/* The thread goes on unhandled and dies with its process. */
static void expect_unhandled(zx_handle_t exc, zx_handle_t thread)
{
    cr_expect_eq(zx_handle_close(exc), ZX_OK);
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
}

static uint32_t exc_prop(zx_handle_t exc, uint32_t prop)
{
    uint32_t v = ~0u;
    cr_expect_eq(zx_object_get_property(exc, prop, &v, sizeof v), ZX_OK);
    return v;
}

static void set_exc_prop(zx_handle_t exc, uint32_t prop, uint32_t v)
{
    cr_expect_eq(zx_object_set_property(exc, prop, &v, sizeof v), ZX_OK);
}

/* Where a test binds its one exception channel: a task of the loop and the
 * create options, with the channel type the crashed thread then reports
 * waiting on. Tests pass the index as core_run_arg's argument. */
enum { ON_THREAD, ON_PROCESS, ON_PROCESS_DEBUGGER, ON_JOB, ON_PARENT_JOB, ON_JOB_DEBUGGER };
static const struct {
    int task; /* 0 the aux thread, 1 the process, 2 the job, 3 the parent job */
    uint32_t options, type;
} bindings[] = {
    [ON_THREAD] = {0, 0, ZX_EXCEPTION_CHANNEL_TYPE_THREAD},
    [ON_PROCESS] = {1, 0, ZX_EXCEPTION_CHANNEL_TYPE_PROCESS},
    [ON_PROCESS_DEBUGGER] = {1, ZX_EXCEPTION_CHANNEL_DEBUGGER, ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER},
    [ON_JOB] = {2, 0, ZX_EXCEPTION_CHANNEL_TYPE_JOB},
    [ON_PARENT_JOB] = {3, 0, ZX_EXCEPTION_CHANNEL_TYPE_JOB},
    [ON_JOB_DEBUGGER] = {2, ZX_EXCEPTION_CHANNEL_DEBUGGER, ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER},
};

static zx_handle_t loop_task(const Loop *l, int task)
{
    const zx_handle_t tasks[4] = {l->aux, l->proc, l->job, l->parent_job};
    return tasks[task];
}

static zx_handle_t bind_channel(const Loop *l, uintptr_t binding)
{
    return channel_on(loop_task(l, bindings[binding].task), bindings[binding].options);
}

/* Start a loop, bind a channel (returned in *ch), crash the aux thread and
 * read its page fault from the channel. */
static zx_handle_t loop_start_crashed(Loop *l, uintptr_t binding, zx_handle_t *ch)
{
    loop_start(l);
    *ch = bind_channel(l, binding);
    loop_crash_aux();
    return read_exc(*ch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
}

/* ---- channel creation ----------------------------------------------------- */

static void create_channel_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch = channel_on(l.aux, 0);
    cr_expect_neq(ch, ZX_HANDLE_INVALID);
    cr_expect_eq(core_handle_rights(ch), EXC_RIGHTS, "the rights the docs promise");
    zx_handle_t ch2;
    cr_expect_eq(zx_task_create_exception_channel(l.aux, ZX_EXCEPTION_CHANNEL_DEBUGGER, &ch2),
                 ZX_ERR_INVALID_ARGS, "threads have no debugger channel");
    loop_stop(&l);
}
Test(exception, CreateExceptionChannel) { core_run(create_channel_body); }
Test(exception, CreateExceptionChannelRights) { core_run(create_channel_body); }
Test(exception, CreateExceptionChannelInvalidArgs) { core_run(create_channel_body); }

static bool debugger_attached(zx_handle_t proc)
{
    zx_info_process_t info;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    return info.flags & ZX_INFO_PROCESS_FLAG_DEBUGGER_ATTACHED;
}

static void debugger_attached_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    cr_expect_not(debugger_attached(l.proc));
    zx_handle_t ch = channel_on(l.proc, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    cr_expect(debugger_attached(l.proc));
    zx_handle_close(ch);
    cr_expect_not(debugger_attached(l.proc), "detached when the channel closes");
    loop_stop(&l);
}
Test(exception, ProcessDebuggerAttached) { core_run(debugger_attached_body); }

/* Without `right`, task may not get an exception channel. */
static void requires_right(zx_handle_t task, zx_rights_t right)
{
    zx_handle_t reduced, ch;
    cr_expect_eq(zx_handle_duplicate(task, core_handle_rights(task) & ~right, &reduced), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(reduced, 0, &ch), ZX_ERR_ACCESS_DENIED,
                 "right %#x", right);
    zx_handle_close(reduced);
}

static const zx_rights_t needed[5] = {ZX_RIGHT_INSPECT, ZX_RIGHT_DUPLICATE, ZX_RIGHT_TRANSFER,
                                      ZX_RIGHT_MANAGE_THREAD, ZX_RIGHT_ENUMERATE};

static void requires_rights_body(uintptr_t which, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t task = which == 0 ? l.aux : which == 1 ? l.proc : l.job;
    for (int i = 0; i < (which == 0 ? 4 : 5); i++)
        requires_right(task, needed[i]);
    loop_stop(&l);
}

Test(exception, ThreadRequiresRights) { core_run_arg(requires_rights_body, 0); }
Test(exception, ProcessRequiresRights) { core_run_arg(requires_rights_body, 1); }
Test(exception, JobRequiresRights) { core_run_arg(requires_rights_body, 2); }

static void second_channel_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch = channel_on(l.aux, 0), ch2 = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_task_create_exception_channel(l.aux, 0, &ch2), ZX_ERR_ALREADY_BOUND);
    cr_expect_eq(ch2, ZX_HANDLE_INVALID);
    zx_handle_close(ch);
    ch2 = channel_on(l.aux, 0);
    cr_expect_neq(ch2, ZX_HANDLE_INVALID, "a closed channel frees the slot");
    loop_stop(&l);
}
Test(exception, CreateSecondExceptionChannel) { core_run(second_channel_body); }
Test(exception, OverwriteClosedExceptionChannel) { core_run(second_channel_body); }

/* ---- receiving -------------------------------------------------------------- */

static void receive_body(uintptr_t binding, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch = bind_channel(&l, binding);
    loop_crash_aux();
    zx_exception_info_t info;
    zx_handle_t exc = read_exc(ch, ZX_EXCP_FATAL_PAGE_FAULT, &info);
    cr_expect_eq(info.tid, core_koid(l.aux));
    cr_expect_eq(info.pid, core_koid(l.proc));
    zx_handle_t t = ZX_HANDLE_INVALID, p = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_exception_get_thread(exc, &t), ZX_OK);
    cr_expect_eq(core_koid(t), info.tid);
    if (bindings[binding].task != 0) { /* a thread channel's exception has no process */
        cr_expect_eq(zx_exception_get_process(exc, &p), ZX_OK);
        cr_expect_eq(core_koid(p), info.pid);
    } else {
        cr_expect_neq(zx_exception_get_process(exc, &p), ZX_OK);
    }
    zx_info_thread_t ti;
    cr_expect_eq(zx_object_get_info(l.aux, ZX_INFO_THREAD, &ti, sizeof ti, NULL, NULL), ZX_OK);
    cr_expect_eq(ti.state, ZX_THREAD_STATE_BLOCKED_EXCEPTION);
    cr_expect_eq(ti.wait_exception_channel_type, bindings[binding].type);
    expect_unhandled(exc, l.aux);
    loop_stop(&l);
}

Test(exception, ThreadReceive) { core_run_arg(receive_body, ON_THREAD); }
Test(exception, ProcessReceive) { core_run_arg(receive_body, ON_PROCESS); }
Test(exception, ProcessDebuggerReceive) { core_run_arg(receive_body, ON_PROCESS_DEBUGGER); }
Test(exception, JobReceive) { core_run_arg(receive_body, ON_JOB); }
Test(exception, JobDebuggerReceive) { core_run_arg(receive_body, ON_PARENT_JOB); }

static void resume_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    zx_handle_t ch, exc = loop_start_crashed(&l, ON_THREAD, &ch);
    set_exc_prop(exc, ZX_PROP_EXCEPTION_STATE, ZX_EXCEPTION_STATE_HANDLED);
    zx_handle_close(exc);
    exc = read_exc(ch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    cr_expect_neq(exc, ZX_HANDLE_INVALID, "resumed, it faults again, to the same handler");
    expect_unhandled(exc, l.aux);
    loop_stop(&l);
}
Test(exception, ExceptionResume) { core_run(resume_body); }

static void state_property_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    zx_handle_t ch, exc = loop_start_crashed(&l, ON_THREAD, &ch);
    cr_expect_eq(exc_prop(exc, ZX_PROP_EXCEPTION_STATE), ZX_EXCEPTION_STATE_TRY_NEXT);
    set_exc_prop(exc, ZX_PROP_EXCEPTION_STATE, ZX_EXCEPTION_STATE_HANDLED);
    cr_expect_eq(exc_prop(exc, ZX_PROP_EXCEPTION_STATE), ZX_EXCEPTION_STATE_HANDLED);
    set_exc_prop(exc, ZX_PROP_EXCEPTION_STATE, ZX_EXCEPTION_STATE_TRY_NEXT);
    cr_expect_eq(exc_prop(exc, ZX_PROP_EXCEPTION_STATE), ZX_EXCEPTION_STATE_TRY_NEXT);
    expect_unhandled(exc, l.aux);
    loop_stop(&l);
}
Test(exception, ExceptionStateProperty) { core_run(state_property_body); }

static void state_property_bad_args_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    zx_handle_t ch, exc = loop_start_crashed(&l, ON_THREAD, &ch);
    uint32_t state = ZX_EXCEPTION_STATE_HANDLED;
    cr_expect_eq(zx_object_set_property(l.aux, ZX_PROP_EXCEPTION_STATE, &state, sizeof state),
                 ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_object_get_property(l.aux, ZX_PROP_EXCEPTION_STATE, &state, sizeof state),
                 ZX_ERR_WRONG_TYPE);
    state = ~0u;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state),
                 ZX_ERR_INVALID_ARGS);
    state = ZX_EXCEPTION_STATE_HANDLED;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state - 1),
                 ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(zx_object_get_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state - 1),
                 ZX_ERR_BUFFER_TOO_SMALL);
    expect_unhandled(exc, l.aux);
    loop_stop(&l);
}
Test(exception, ExceptionStatePropertyBadArgs) { core_run(state_property_bad_args_body); }

static void strategy_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    zx_handle_t ch, exc = loop_start_crashed(&l, ON_PROCESS_DEBUGGER, &ch);
    cr_expect_eq(exc_prop(exc, ZX_PROP_EXCEPTION_STRATEGY), ZX_EXCEPTION_STRATEGY_FIRST_CHANCE);
    set_exc_prop(exc, ZX_PROP_EXCEPTION_STRATEGY, ZX_EXCEPTION_STRATEGY_SECOND_CHANCE);
    cr_expect_eq(exc_prop(exc, ZX_PROP_EXCEPTION_STRATEGY), ZX_EXCEPTION_STRATEGY_SECOND_CHANCE);
    set_exc_prop(exc, ZX_PROP_EXCEPTION_STATE, ZX_EXCEPTION_STATE_HANDLED);
    cr_expect_eq(exc_prop(exc, ZX_PROP_EXCEPTION_STRATEGY), ZX_EXCEPTION_STRATEGY_SECOND_CHANCE,
                 "strategy and state are independent");
    set_exc_prop(exc, ZX_PROP_EXCEPTION_STATE, ZX_EXCEPTION_STATE_TRY_NEXT);
    cr_expect_eq(exc_prop(exc, ZX_PROP_EXCEPTION_STRATEGY), ZX_EXCEPTION_STRATEGY_SECOND_CHANCE);
    zx_handle_close(exc);
    zx_handle_close(ch); /* no second chance to give: unhandled */
    cr_expect_eq(zx_object_wait_one(l.aux, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    loop_stop(&l);
}
Test(exception, ExceptionStrategy) { core_run(strategy_body); }

static void strategy_bad_args_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    zx_handle_t ch, exc = loop_start_crashed(&l, ON_THREAD, &ch);
    uint32_t v = ZX_EXCEPTION_STRATEGY_SECOND_CHANCE;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STRATEGY, &v, sizeof v),
                 ZX_ERR_BAD_STATE, "only a process debugger's exception has a strategy");
    expect_unhandled(exc, l.aux);
    loop_stop(&l);
}
Test(exception, ExceptionStrategyBadArgs) { core_run(strategy_bad_args_body); }

static void close_with_exception_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch = channel_on(l.aux, 0), pch = channel_on(l.proc, 0);
    loop_crash_aux();
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_handle_close(ch);
    zx_handle_t exc = read_exc(pch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    cr_expect_neq(exc, ZX_HANDLE_INVALID, "the unread exception went on to the next handler");
    expect_unhandled(exc, l.aux);
    loop_stop(&l);
}
Test(exception, CloseChannelWithException) { core_run(close_with_exception_body); }

static void close_without_exception_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch = channel_on(l.aux, 0), pch = channel_on(l.proc, 0);
    loop_crash_aux();
    zx_handle_t exc = read_exc(ch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    zx_handle_close(ch);
    cr_expect_eq(zx_object_wait_one(pch, ZX_CHANNEL_READABLE, zx_deadline_after(ZX_MSEC(50)), NULL),
                 ZX_ERR_TIMED_OUT, "the read exception object keeps the thread");
    zx_handle_close(exc);
    exc = read_exc(pch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    expect_unhandled(exc, l.aux);
    loop_stop(&l);
}
Test(exception, CloseChannelWithoutException) { core_run(close_without_exception_body); }

static void skip_closed_body(uintptr_t a, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t jch = channel_on(l.job, 0), pch = channel_on(l.proc, 0);
    zx_handle_close(channel_on(l.aux, 0));
    loop_crash_aux();
    zx_handle_t exc = read_exc(pch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    cr_expect_eq(zx_object_wait_one(jch, ZX_CHANNEL_READABLE, zx_deadline_after(ZX_MSEC(50)), NULL),
                 ZX_ERR_TIMED_OUT);
    zx_handle_close(exc);
    exc = read_exc(jch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    cr_expect_eq(zx_task_kill(l.proc), ZX_OK);
    zx_handle_close(exc);
    loop_stop(&l);
}
Test(exception, SkipClosedExceptionChannel) { core_run(skip_closed_body); }

/* ---- task death ------------------------------------------------------------- */

static void death_closes_body(uintptr_t binding, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch = bind_channel(&l, binding);
    if (bindings[binding].task == 0)
        aux_command = 2; /* the thread exits */
    else
        cr_expect_eq(zx_task_kill(loop_task(&l, bindings[binding].task)), ZX_OK);
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, NULL), ZX_OK);
    loop_stop(&l);
}

Test(exception, TaskDeathClosesThreadExceptionChannel)
{
    core_run_arg(death_closes_body, ON_THREAD);
}
Test(exception, TaskDeathClosesProcessExceptionChannel)
{
    core_run_arg(death_closes_body, ON_PROCESS);
}
Test(exception, TaskDeathClosesProcessDebugExceptionChannel)
{
    core_run_arg(death_closes_body, ON_PROCESS_DEBUGGER);
}
Test(exception, TaskDeathClosesJobExceptionChannel) { core_run_arg(death_closes_body, ON_JOB); }
Test(exception, TaskDeathClosesJobDebugExceptionChannel)
{
    core_run_arg(death_closes_body, ON_JOB_DEBUGGER);
}

/* The crashed thread dies (its process killed) with its exception still in
 * the channel, or already read out. */
static void death_with_exception_body(uintptr_t read_first, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch = channel_on(l.aux, 0), exc = ZX_HANDLE_INVALID;
    loop_crash_aux();
    if (read_first)
        exc = read_exc(ch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    else
        cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_task_kill(l.proc), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq((seen & ZX_CHANNEL_READABLE) != 0, !read_first,
                 "an unread exception stays in the channel");
    if (!read_first)
        exc = read_exc(ch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
    uint32_t state = ZX_EXCEPTION_STATE_HANDLED;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state), ZX_OK,
                 "the exception object still works");
    cr_expect_eq(zx_object_get_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state), ZX_OK);
    zx_handle_close(exc);
    loop_stop(&l);
}

Test(exception, ThreadDeathWithExceptionInChannel)
{
    core_run_arg(death_with_exception_body, false);
}
Test(exception, ThreadDeathWithExceptionReceived)
{
    core_run_arg(death_with_exception_body, true);
}

/* ---- handler order -------------------------------------------------------- */

/* Channels 0..4: process debugger, thread, process, job, parent job. */
static void order_channels(Loop *l, zx_handle_t ch[5])
{
    ch[0] = channel_on(l->proc, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    ch[1] = channel_on(l->aux, 0);
    ch[2] = channel_on(l->proc, 0);
    ch[3] = channel_on(l->job, 0);
    ch[4] = channel_on(l->parent_job, 0);
}

/* 0: plain order; 1: second chance; 2: second chance, debugger gone. */
static void channel_order_body(uintptr_t variant, uintptr_t b)
{
    Loop l;
    loop_start(&l);
    zx_handle_t ch[5];
    order_channels(&l, ch);
    loop_crash_aux();
    static const int orders[3][5] = {{0, 1, 2, 3, 4}, {1, 2, 0, 3, 4}, {1, 2, 3, 4, -1}};
    if (variant > 0) {
        zx_handle_t exc = read_exc(ch[0], ZX_EXCP_FATAL_PAGE_FAULT, NULL);
        set_exc_prop(exc, ZX_PROP_EXCEPTION_STRATEGY, ZX_EXCEPTION_STRATEGY_SECOND_CHANCE);
        zx_handle_close(exc);
        if (variant == 2)
            zx_handle_close(ch[0]);
    }
    for (int i = 0; i < 5 && orders[variant][i] >= 0; i++)
        zx_handle_close(read_exc(ch[orders[variant][i]], ZX_EXCP_FATAL_PAGE_FAULT, NULL));
    cr_expect_eq(zx_object_wait_one(l.aux, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    loop_stop(&l);
}

Test(exception, ExceptionChannelOrder) { core_run_arg(channel_order_body, 0); }
Test(exception, ExceptionChannelOrderWithSecondChanceDebugging)
{
    core_run_arg(channel_order_body, 1);
}
Test(exception, DebugChannelClosedBeforeSecondChance) { core_run_arg(channel_order_body, 2); }

static void lifecycle_debug_only_body(uintptr_t a, uintptr_t b)
{
    /* Normal handlers never see lifecycle exceptions: through a whole
     * start-to-exit run, none of them gets a message. */
    zx_handle_t ch[4];
    Loop l;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &l.parent_job), ZX_OK);
    cr_expect_eq(zx_job_create(l.parent_job, 0, &l.job), ZX_OK);
    ch[0] = channel_on(l.parent_job, 0);
    ch[1] = channel_on(l.job, 0);
    cr_expect_eq(zx_process_create(l.job, "test-child", 10, 0, &l.proc, &l.vmar), ZX_OK);
    ch[2] = channel_on(l.proc, 0);
    cr_expect_eq(zx_thread_create(l.proc, "main", 4, 0, &l.main_thread), ZX_OK);
    cr_expect_eq(zx_thread_create(l.proc, "aux", 3, 0, &l.aux), ZX_OK);
    aux_command = 2;
    cr_expect_eq(zx_process_start(l.proc, l.main_thread, (zx_vaddr_t)loop_aux, 0, ZX_HANDLE_INVALID,
                                  0),
                 ZX_OK);
    ch[3] = channel_on(l.aux, 0);
    cr_expect_eq(zx_thread_start(l.aux, (zx_vaddr_t)loop_aux, 0, 0, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(l.proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    CORE_CLOSE(l.aux, l.main_thread, l.vmar, l.proc, l.job, l.parent_job);
    for (int i = 0; i < 4; i++) {
        zx_signals_t seen = 0;
        cr_expect_eq(zx_object_wait_one(ch[i], ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, &seen),
                     ZX_OK);
        cr_expect_not(seen & ZX_CHANNEL_READABLE, "channel %d got a message", i);
    }
}
Test(exception, LifecycleExceptionsToDebugHandlersOnly) { core_run(lifecycle_debug_only_body); }

/* ---- registers during an exception --------------------------------------- */

static void regs_body(uintptr_t binding, uintptr_t b)
{
    Loop l;
    zx_handle_t ch, exc = loop_start_crashed(&l, binding, &ch);
    zx_thread_state_general_regs_t regs;
    cr_expect_eq(zx_thread_read_state(l.aux, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs), ZX_OK);
    cr_expect_eq(zx_thread_write_state(l.aux, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs), ZX_OK);
    cr_expect_eq(zx_task_kill(l.proc), ZX_OK);
    zx_handle_close(exc);
    loop_stop(&l);
}

Test(exception, ReadWriteThreadStateFromThreadChannel) { core_run_arg(regs_body, ON_THREAD); }
Test(exception, ReadWriteThreadStateFromProcessChannel) { core_run_arg(regs_body, ON_PROCESS); }
Test(exception, ReadWriteThreadStateFromProcessDebugChannel)
{
    core_run_arg(regs_body, ON_PROCESS_DEBUGGER);
}
Test(exception, ReadWriteThreadStateFromJobChannel) { core_run_arg(regs_body, ON_JOB); }
Test(exception, ReadWriteThreadStateFromParentJobChannel)
{
    core_run_arg(regs_body, ON_PARENT_JOB);
}

/* ---- child processes ------------------------------------------------------ */

static zx_handle_t start_child(ThreadEntryFn fn, zx_handle_t *debugger)
{
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(zx_job_default(), "test-child", 10, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "main", 4, 0, &thread), ZX_OK);
    if (debugger)
        *debugger = channel_on(proc, ZX_EXCEPTION_CHANNEL_DEBUGGER);
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)fn, 0, ZX_HANDLE_INVALID, 0), ZX_OK);
    CORE_CLOSE(thread, vmar);
    return proc;
}

static int64_t wait_retcode(zx_handle_t proc)
{
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_info_process_t info;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    return info.return_code;
}

static void trigger_page_fault(uintptr_t a, uintptr_t b) { ktest_bad_store(0); }
static void trigger_undefined(uintptr_t a, uintptr_t b) { __builtin_trap(); }
static void trigger_unsupported(uintptr_t a, uintptr_t b) { zx_process_exit(0); }
#if defined(__x86_64__)
static void trigger_sw_bkpt(uintptr_t a, uintptr_t b) { __asm__ volatile("int3"); }
static void trigger_int_divide(uintptr_t a, uintptr_t b)
{
    uint32_t result;
    __asm__ volatile("idivb %1" : "=a"(result) : "r"((uint8_t)0), "a"((uint16_t)1));
}
static void trigger_sse_divide(uintptr_t a, uintptr_t b)
{
    uint32_t mxcsr = 0; /* unmask every SSE exception */
    double x = 1, y = 0;
    __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
    __asm__ volatile("divsd %1, %0" : "+x"(x) : "x"(y));
}
#elif defined(__aarch64__)
static void trigger_sw_bkpt(uintptr_t a, uintptr_t b) { __asm__ volatile("brk 0"); }
#endif

static const struct {
    uint32_t type; /* 0: the trigger is unsupported, the child exits normally */
    ThreadEntryFn fn;
} triggers[] = {
    {0, trigger_unsupported}, /* "general" */
    {ZX_EXCP_FATAL_PAGE_FAULT, trigger_page_fault},
    {ZX_EXCP_UNDEFINED_INSTRUCTION, trigger_undefined},
    {ZX_EXCP_SW_BREAKPOINT, trigger_sw_bkpt},
    {0, trigger_unsupported}, /* "hw-bkpt" */
#if defined(__x86_64__)
    {ZX_EXCP_GENERAL, trigger_int_divide},
    {ZX_EXCP_GENERAL, trigger_sse_divide},
#endif
};

static void trigger_body(uintptr_t a, uintptr_t b)
{
    for (size_t i = 0; i < sizeof triggers / sizeof triggers[0]; i++) {
        zx_handle_t debugger, proc = start_child(triggers[i].fn, &debugger);
        if (triggers[i].type) {
            zx_exception_info_t info;
            zx_handle_t exc = read_exc(debugger, triggers[i].type, &info);
            cr_expect_eq(info.pid, core_koid(proc), "trigger %zu", i);
            cr_expect_eq(zx_task_kill(proc), ZX_OK); /* before it could go unhandled */
            zx_handle_close(exc);
        }
        int64_t code = wait_retcode(proc);
        cr_expect_eq(code, triggers[i].type ? ZX_TASK_RETCODE_SYSCALL_KILL : 0, "trigger %zu", i);
        CORE_CLOSE(debugger, proc);
    }
}
Test(exception, Trigger) { core_run(trigger_body); }

static void exit_closing_handle_child(uintptr_t a, uintptr_t b)
{
    zx_handle_t self = (zx_handle_t)a, ch;
    zx_task_create_exception_channel(self, 0, &ch);
    zx_process_exit(0);
}

static void exit_closing_handle_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, thread;
    core_start_with_self("exit-closing", "main", exit_closing_handle_child, &proc, &vmar, &thread);
    cr_expect_eq(wait_retcode(proc), 0, "exiting with its own exception channel open is fine");
    CORE_CLOSE(thread, vmar, proc);
}
Test(exception, ExitClosingExcpHandle) { core_run(exit_closing_handle_body); }

static void crash_thread_fn(uintptr_t a, uintptr_t b) { ktest_bad_store(0); }

static void kill_and_close_race_body(uintptr_t a, uintptr_t b)
{
    zx_time_t end = zx_deadline_after(ZX_SEC(1));
    int rounds = 0;
    while (zx_clock_get_monotonic() < end && rounds++ < 200) {
        zx_handle_t proc, vmar, thread, ch;
        cr_expect_eq(zx_process_create(zx_job_default(), "crasher", 7, 0, &proc, &vmar), ZX_OK);
        cr_expect_eq(zx_thread_create(proc, "crasher", 7, 0, &thread), ZX_OK);
        ch = channel_on(thread, 0);
        cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)crash_thread_fn, 0, ZX_HANDLE_INVALID,
                                      0),
                     ZX_OK);
        zx_handle_t exc = read_exc(ch, ZX_EXCP_FATAL_PAGE_FAULT, NULL);
        cr_expect_eq(zx_task_kill(proc), ZX_OK);
        zx_handle_close(exc);
        cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
        cr_expect_eq(wait_retcode(proc), ZX_TASK_RETCODE_SYSCALL_KILL,
                     "the closed exception did not go on after the kill");
        CORE_CLOSE(ch, thread, vmar, proc);
    }
}
Test(exception, KillThreadAndCloseExceptionRace) { core_run(kill_and_close_race_body); }
