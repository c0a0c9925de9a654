/* default_exception_handler.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/default-exception-handler/: with no user
 * exception handler anywhere, an exception kills the process.
 *
 * Every upstream case applies; none is left out.
 */
#include <zircon/syscalls/policy.h>

#include "coretest.h"

/* No handler on the default job: a channel can still be bound there. */
static void verify_no_handler(void)
{
    zx_handle_t ch;
    cr_expect_eq(zx_task_create_exception_channel(zx_job_default(), 0, &ch), ZX_OK);
    zx_handle_close(ch);
}

static void crash_fn(uintptr_t a, uintptr_t b) { __builtin_trap(); }

static void make_event_fn(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev;
    zx_event_create(0, &ev);
    zx_process_exit(0);
}

static int64_t run_child(zx_handle_t job, ThreadEntryFn fn)
{
    static const char name[] = "unhandled-exception-test";
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(job, name, sizeof name - 1, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, name, sizeof name - 1, 0, &thread), ZX_OK);
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)fn, 0, ZX_HANDLE_INVALID, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_info_process_t info;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect(info.flags & ZX_INFO_PROCESS_FLAG_EXITED);
    CORE_CLOSE(thread, vmar, proc);
    return info.return_code;
}

static void hardware_body(uintptr_t a, uintptr_t b)
{
    verify_no_handler();
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    cr_expect_eq(run_child(job, crash_fn), ZX_TASK_RETCODE_EXCEPTION_KILL);
}
Test(default_exception_handler, UnhandledHardwareException) { core_run(hardware_body); }

static void policy_body(uintptr_t a, uintptr_t b)
{
    verify_no_handler();
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t policy[] = {
        {ZX_POL_NEW_ANY, ZX_POL_ACTION_ALLOW_EXCEPTION, ZX_POL_OVERRIDE_DENY}};
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2, policy, 1), ZX_OK);
    cr_expect_eq(run_child(job, make_event_fn), ZX_TASK_RETCODE_EXCEPTION_KILL,
                 "the policy exception went unhandled");
}
Test(default_exception_handler, UnhandledPolicyException) { core_run(policy_body); }
