/* test_exception.c — covers: task_create_exception_channel,
 * exception_get_thread, exception_get_process, object_get_property /
 * object_set_property (ZX_PROP_EXCEPTION_STATE, ZX_PROP_EXCEPTION_STRATEGY),
 * object_get_info (ZX_INFO_THREAD_EXCEPTION_REPORT), thread_write_state
 * (redirect after a fault), exception delivery order, unhandled-exception
 * kills, policy exceptions (ALLOW_EXCEPTION / DENY_EXCEPTION), task_kill
 * during an exception. */
#include <string.h>
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include "ktest.h"

#define EXC_CHANNEL_RIGHTS (ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT | ZX_RIGHT_READ)

static volatile int redirected_ran;

static void child_crash(uintptr_t a, uintptr_t b)
{
    ktest_bad_store(16);
}

static void child_new_event(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev;
    zx_status_t s = zx_event_create(0, &ev);
    zx_process_exit(s == ZX_OK ? 100 : 200);
}

static void redirect_target(uintptr_t a, uintptr_t b)
{
    redirected_ran = 1;
    zx_process_exit((int64_t)(a + b));
}

/* Create a process + thread in `job` (not started). */
static void make_child(zx_handle_t job, zx_handle_t *proc, zx_handle_t *thread)
{
    zx_handle_t vmar;
    cr_expect_eq(zx_process_create(job, "child", 5, 0, proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(*proc, "t", 1, 0, thread), ZX_OK);
}

static void start_child(zx_handle_t proc, zx_handle_t thread, ThreadEntryFn fn)
{
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)fn, 0, ZX_HANDLE_INVALID, 0), ZX_OK);
}

/* Wait for and read one exception message. */
static zx_handle_t read_exception(zx_handle_t ch, zx_exception_info_t *info)
{
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, &seen), ZX_OK);
    zx_handle_t exc = ZX_HANDLE_INVALID;
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_channel_read(ch, 0, info, &exc, sizeof *info, 1, &nb, &nh), ZX_OK);
    cr_expect_eq(nb, sizeof *info);
    cr_expect_eq(nh, 1u);
    return exc;
}

static int64_t wait_retcode(zx_handle_t proc)
{
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    zx_info_process_t info;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    return info.return_code;
}

static void run_one(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "test", fn, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

/* ---- task_create_exception_channel errors ------------------------------ */

static void create_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, ch, ch2, ev, weak;
    make_child(zx_job_default(), &proc, &thread);
    cr_expect_eq(zx_task_create_exception_channel(proc, 2, &ch), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_task_create_exception_channel(ZX_HANDLE_INVALID, 0, &ch), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_task_create_exception_channel(ev, 0, &ch), ZX_ERR_ACCESS_DENIED,
                 "rights are checked before the type (an event lacks MANAGE_THREAD)");
    cr_expect_eq(zx_task_create_exception_channel(thread, ZX_EXCEPTION_CHANNEL_DEBUGGER, &ch),
                 ZX_ERR_INVALID_ARGS);
    zx_handle_duplicate(proc, ZX_RIGHT_INSPECT | ZX_RIGHT_DUPLICATE | ZX_RIGHT_TRANSFER, &weak);
    cr_expect_eq(zx_task_create_exception_channel(weak, 0, &ch), ZX_ERR_ACCESS_DENIED,
                 "MANAGE_THREAD needed");
    zx_handle_close(weak);
    zx_handle_duplicate(proc, ZX_RIGHT_INSPECT | ZX_RIGHT_DUPLICATE | ZX_RIGHT_TRANSFER |
                                  ZX_RIGHT_MANAGE_THREAD, &weak);
    cr_expect_eq(zx_task_create_exception_channel(weak, 0, &ch), ZX_ERR_ACCESS_DENIED,
                 "ENUMERATE needed for processes");
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, (zx_handle_t *)8), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &ch), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &ch2), ZX_ERR_ALREADY_BOUND);
    zx_info_handle_basic_t info;
    zx_object_get_info(ch, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL);
    cr_expect_eq(info.rights, EXC_CHANNEL_RIGHTS);
    cr_expect_eq(info.type, ZX_OBJ_TYPE_CHANNEL);
    cr_expect_eq(zx_task_create_exception_channel(proc, ZX_EXCEPTION_CHANNEL_DEBUGGER, &ch2), ZX_OK,
                 "debugger channel is a separate kind");
    zx_handle_close(ch);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &ch), ZX_OK, "rebind after close");
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, &seen), ZX_OK,
                 "a dead task's channel closes");
    cr_expect_eq(zx_task_create_exception_channel(thread, 0, &ch2), ZX_ERR_BAD_STATE);
}

Test(exception, create_channel_errors) { run_one(create_errors); }

static void create_denied_by_policy(uintptr_t a, uintptr_t b)
{
    zx_handle_t job = (zx_handle_t)a, proc, thread;
    make_child(job, &proc, &thread);
    zx_handle_t ch;
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &ch), ZX_ERR_ACCESS_DENIED);
    zx_process_exit(0);
}

static void policy_parent(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, proc, thread, jdup;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t pol = {ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V2, &pol, 1), ZX_OK);
    make_child(job, &proc, &thread);
    zx_handle_duplicate(job, ZX_RIGHT_SAME_RIGHTS, &jdup);
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)create_denied_by_policy, 0, jdup, 0),
                 ZX_OK);
    cr_expect_eq(wait_retcode(proc), 0);
}

/* The handle arrives as arg1: create_denied_by_policy reads it from a. */
Test(exception, create_channel_counts_as_new_channel) { run_one(policy_parent); }

/* ---- Fault delivery ----------------------------------------------------- */

static void crash_try_next(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, ch;
    make_child(zx_job_default(), &proc, &thread);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &ch), ZX_OK);
    start_child(proc, thread, child_crash);
    zx_exception_info_t info;
    zx_handle_t exc = read_exception(ch, &info);
    zx_info_handle_basic_t pb, tb, eb;
    zx_object_get_info(proc, ZX_INFO_HANDLE_BASIC, &pb, sizeof pb, NULL, NULL);
    zx_object_get_info(thread, ZX_INFO_HANDLE_BASIC, &tb, sizeof tb, NULL, NULL);
    cr_expect_eq(info.pid, pb.koid);
    cr_expect_eq(info.tid, tb.koid);
    cr_expect_eq(info.type, ZX_EXCP_FATAL_PAGE_FAULT);
    zx_object_get_info(exc, ZX_INFO_HANDLE_BASIC, &eb, sizeof eb, NULL, NULL);
    cr_expect_eq(eb.type, ZX_OBJ_TYPE_EXCEPTION);
    cr_expect_eq(eb.rights, ZX_DEFAULT_EXCEPTION_RIGHTS);
    zx_handle_t dup;
    cr_expect_eq(zx_handle_duplicate(exc, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_ERR_ACCESS_DENIED);
    /* The thread reports the exception while it waits. */
    zx_info_thread_t ti;
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD, &ti, sizeof ti, NULL, NULL), ZX_OK);
    cr_expect_eq(ti.state, ZX_THREAD_STATE_BLOCKED_EXCEPTION);
    cr_expect_eq(ti.wait_exception_channel_type, ZX_EXCEPTION_CHANNEL_TYPE_PROCESS);
    zx_exception_report_t rep;
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD_EXCEPTION_REPORT, &rep, sizeof rep,
                                    NULL, NULL), ZX_OK);
    cr_expect_eq(rep.header.type, ZX_EXCP_FATAL_PAGE_FAULT);
    /* Task handles from the exception. */
    zx_handle_t th, ph;
    cr_expect_eq(zx_exception_get_thread(exc, &th), ZX_OK);
    cr_expect_eq(zx_exception_get_process(exc, &ph), ZX_OK);
    zx_info_handle_basic_t b2;
    zx_object_get_info(ph, ZX_INFO_HANDLE_BASIC, &b2, sizeof b2, NULL, NULL);
    cr_expect_eq(b2.koid, pb.koid);
    cr_expect_eq(b2.rights, pb.rights);
    cr_expect_eq(zx_exception_get_thread(thread, &th), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_exception_get_thread(ZX_HANDLE_INVALID, &th), ZX_ERR_BAD_HANDLE);
    uint32_t state = 99;
    cr_expect_eq(zx_object_get_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state), ZX_OK);
    cr_expect_eq(state, ZX_EXCEPTION_STATE_TRY_NEXT);
    cr_expect_eq(zx_object_get_property(exc, ZX_PROP_EXCEPTION_STATE, &state, 2),
                 ZX_ERR_BUFFER_TOO_SMALL);
    state = 7;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state),
                 ZX_ERR_INVALID_ARGS);
    uint32_t strategy = ZX_EXCEPTION_STRATEGY_SECOND_CHANCE;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STRATEGY, &strategy, sizeof strategy),
                 ZX_ERR_BAD_STATE, "strategy is for debuggers");
    cr_expect_eq(zx_object_set_property(proc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state),
                 ZX_ERR_WRONG_TYPE);
    zx_handle_close(exc); /* TRY_NEXT: nobody else -> killed */
    cr_expect_eq(wait_retcode(proc), ZX_TASK_RETCODE_EXCEPTION_KILL);
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD_EXCEPTION_REPORT, &rep, sizeof rep,
                                    NULL, NULL), ZX_ERR_BAD_STATE);
}

Test(exception, fault_delivered_then_try_next_kills) { run_one(crash_try_next); }

static void crash_unhandled(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread;
    make_child(zx_job_default(), &proc, &thread);
    start_child(proc, thread, child_crash);
    cr_expect_eq(wait_retcode(proc), ZX_TASK_RETCODE_EXCEPTION_KILL);
}

Test(exception, no_handler_kills) { run_one(crash_unhandled); }

static void crash_state(uintptr_t a, uintptr_t b)
{
    uint32_t want = (uint32_t)a;
    zx_handle_t proc, thread, ch;
    make_child(zx_job_default(), &proc, &thread);
    cr_expect_eq(zx_task_create_exception_channel(thread, 0, &ch), ZX_OK);
    start_child(proc, thread, child_crash);
    zx_exception_info_t info;
    zx_handle_t exc = read_exception(ch, &info);
    zx_handle_t ph;
    cr_expect_eq(zx_exception_get_process(exc, &ph), ZX_ERR_ACCESS_DENIED,
                 "thread channels do not reveal the process");
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &want, sizeof want), ZX_OK);
    zx_handle_close(exc);
    if (want == ZX_EXCEPTION_STATE_HANDLED) {
        /* Resumed unchanged, the faulting store runs again: same fault,
         * same handler. Closing the channel then lets it go unhandled. */
        zx_exception_info_t again;
        exc = read_exception(ch, &again);
        cr_expect_eq(again.type, info.type, "the same fault again");
        cr_expect_eq(again.tid, info.tid);
        zx_handle_close(exc);
        zx_handle_close(ch);
    }
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    int64_t code = wait_retcode(proc);
    if (want == ZX_EXCEPTION_STATE_THREAD_EXIT)
        cr_expect_eq(code, 0, "the last thread exited normally");
    else
        cr_expect_eq(code, ZX_TASK_RETCODE_EXCEPTION_KILL, "unhandled the second time");
}

static void run_arg(ThreadEntryFn fn, uintptr_t arg)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "test", fn, arg);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

Test(exception, thread_exit_state) { run_arg(crash_state, ZX_EXCEPTION_STATE_THREAD_EXIT); }
Test(exception, handled_fault_without_new_state) { run_arg(crash_state, ZX_EXCEPTION_STATE_HANDLED); }

static void crash_redirect(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, ch;
    make_child(zx_job_default(), &proc, &thread);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &ch), ZX_OK);
    start_child(proc, thread, child_crash);
    zx_exception_info_t info;
    zx_handle_t exc = read_exception(ch, &info);
    zx_thread_state_general_regs_t regs;
    cr_expect_eq(zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs), ZX_OK);
#if defined(__x86_64__)
    cr_expect_eq(regs.rip, (uint64_t)(uintptr_t)child_crash);
    regs.rip = (uintptr_t)redirect_target;
    regs.rdi = 40;
    regs.rsi = 2;
#elif defined(__aarch64__)
    cr_expect_eq(regs.pc, (uint64_t)(uintptr_t)child_crash);
    regs.pc = (uintptr_t)redirect_target;
    regs.r[0] = 40;
    regs.r[1] = 2;
#endif
    cr_expect_eq(zx_thread_write_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs), ZX_OK);
    uint32_t handled = ZX_EXCEPTION_STATE_HANDLED;
    zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &handled, sizeof handled);
    zx_handle_close(exc);
    cr_expect_eq(wait_retcode(proc), 42);
    cr_expect_eq(redirected_ran, 1);
}

Test(exception, handled_fault_with_new_registers_redirects) { run_one(crash_redirect); }

/* ---- Handler order ------------------------------------------------------ */

static void order_chain(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, proc, thread, cdbg, cthr, cproc, cjob, cparent;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    make_child(job, &proc, &thread);
    cr_expect_eq(zx_task_create_exception_channel(zx_job_default(), 0, &cparent), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(job, 0, &cjob), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &cproc), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(thread, 0, &cthr), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(proc, ZX_EXCEPTION_CHANNEL_DEBUGGER, &cdbg), ZX_OK);
    zx_info_process_t pi;
    zx_object_get_info(proc, ZX_INFO_PROCESS, &pi, sizeof pi, NULL, NULL);
    cr_expect(pi.flags & ZX_INFO_PROCESS_FLAG_DEBUGGER_ATTACHED);
    start_child(proc, thread, child_crash);
    zx_handle_t order[] = {cdbg, cthr, cproc, cjob, cparent};
    uint32_t types[] = {ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER, ZX_EXCEPTION_CHANNEL_TYPE_THREAD,
                        ZX_EXCEPTION_CHANNEL_TYPE_PROCESS, ZX_EXCEPTION_CHANNEL_TYPE_JOB,
                        ZX_EXCEPTION_CHANNEL_TYPE_JOB};
    for (int i = 0; i < 5; i++) {
        zx_exception_info_t info;
        zx_handle_t exc = read_exception(order[i], &info);
        cr_expect_eq(info.type, ZX_EXCP_FATAL_PAGE_FAULT);
        zx_info_thread_t ti;
        zx_object_get_info(thread, ZX_INFO_THREAD, &ti, sizeof ti, NULL, NULL);
        cr_expect_eq(ti.wait_exception_channel_type, types[i], "handler %d", i);
        for (int j = i + 1; j < 5; j++) {
            zx_signals_t seen = 0;
            zx_object_wait_one(order[j], ZX_CHANNEL_READABLE, 0, &seen);
            cr_expect_eq(seen & ZX_CHANNEL_READABLE, 0u, "handler %d early", j);
        }
        zx_handle_close(exc); /* TRY_NEXT */
    }
    cr_expect_eq(wait_retcode(proc), ZX_TASK_RETCODE_EXCEPTION_KILL);
}

Test(exception, handler_order_debugger_thread_process_jobs) { run_one(order_chain); }

static void unread_moves_on(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, cthr, cproc;
    make_child(zx_job_default(), &proc, &thread);
    cr_expect_eq(zx_task_create_exception_channel(thread, 0, &cthr), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &cproc), ZX_OK);
    start_child(proc, thread, child_crash);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(cthr, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, &seen), ZX_OK);
    zx_handle_close(cthr); /* message unread: the next handler gets it */
    zx_exception_info_t info;
    zx_handle_t exc = read_exception(cproc, &info);
    cr_expect_eq(info.type, ZX_EXCP_FATAL_PAGE_FAULT);
    /* Kill during the exception: the thread stops waiting at once. */
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    cr_expect_eq(wait_retcode(proc), ZX_TASK_RETCODE_SYSCALL_KILL);
    zx_handle_t th;
    cr_expect_eq(zx_exception_get_thread(exc, &th), ZX_OK, "still valid after the kill");
    uint32_t handled = ZX_EXCEPTION_STATE_HANDLED;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &handled, sizeof handled),
                 ZX_OK, "accepted, without effect");
    zx_handle_close(exc);
}

Test(exception, closed_channel_passes_on_and_kill_during_exception) { run_one(unread_moves_on); }

static void second_chance(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, cdbg, cproc;
    make_child(zx_job_default(), &proc, &thread);
    cr_expect_eq(zx_task_create_exception_channel(proc, ZX_EXCEPTION_CHANNEL_DEBUGGER, &cdbg), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &cproc), ZX_OK);
    start_child(proc, thread, child_crash);
    zx_exception_info_t info;
    zx_handle_t exc = read_exception(cdbg, &info);
    uint32_t v = ZX_EXCEPTION_STRATEGY_SECOND_CHANCE;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STRATEGY, &v, sizeof v), ZX_OK);
    v = 5;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STRATEGY, &v, sizeof v),
                 ZX_ERR_INVALID_ARGS);
    zx_object_get_property(exc, ZX_PROP_EXCEPTION_STRATEGY, &v, sizeof v);
    cr_expect_eq(v, ZX_EXCEPTION_STRATEGY_SECOND_CHANCE);
    zx_handle_close(exc);
    exc = read_exception(cproc, &info);
    zx_handle_close(exc);
    exc = read_exception(cdbg, &info); /* second chance */
    zx_handle_close(exc);
    cr_expect_eq(wait_retcode(proc), ZX_TASK_RETCODE_EXCEPTION_KILL);
}

Test(exception, debugger_second_chance) { run_one(second_chance); }

/* ---- Policy exceptions -------------------------------------------------- */

static void policy_exception(uintptr_t a, uintptr_t b)
{
    uint32_t action = (uint32_t)a;
    zx_handle_t job, proc, thread, cjob;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t pol = {ZX_POL_NEW_EVENT, action, ZX_POL_OVERRIDE_DENY};
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V2, &pol, 1), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(job, 0, &cjob), ZX_OK);
    make_child(job, &proc, &thread);
    start_child(proc, thread, child_new_event);
    zx_exception_info_t info;
    zx_handle_t exc = read_exception(cjob, &info);
    cr_expect_eq(info.type, ZX_EXCP_POLICY_ERROR);
    zx_exception_report_t rep;
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD_EXCEPTION_REPORT, &rep, sizeof rep,
                                    NULL, NULL), ZX_OK);
    cr_expect_eq(rep.context.synth_code, ZX_EXCP_POLICY_CODE_NEW_EVENT);
    uint32_t handled = ZX_EXCEPTION_STATE_HANDLED;
    zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &handled, sizeof handled);
    zx_handle_close(exc);
    int64_t want = action == ZX_POL_ACTION_ALLOW_EXCEPTION ? 100 : 200;
    cr_expect_eq(wait_retcode(proc), want, "the syscall completes after HANDLED");
}

Test(exception, policy_allow_exception) { run_arg(policy_exception, ZX_POL_ACTION_ALLOW_EXCEPTION); }
Test(exception, policy_deny_exception) { run_arg(policy_exception, ZX_POL_ACTION_DENY_EXCEPTION); }

static void policy_exception_unhandled(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, proc, thread;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t pol = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_ALLOW_EXCEPTION, ZX_POL_OVERRIDE_DENY};
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V2, &pol, 1), ZX_OK);
    make_child(job, &proc, &thread);
    start_child(proc, thread, child_new_event);
    cr_expect_eq(wait_retcode(proc), ZX_TASK_RETCODE_EXCEPTION_KILL);
}

Test(exception, policy_exception_unhandled_kills) { run_one(policy_exception_unhandled); }
