/* policy.c — our ports of Zircon's job-policy tests in
 * zircon/system/utest/policy/ (job-policy.cc; not under core/, but the
 * kernel's policy tests). Upstream's mini-process commands become C
 * functions run by a child process in a job with the policy; the child
 * exits with the status its command got, so the test reads that status as
 * the process's return code.
 *
 * Not ported:
 *   EnforceDenyProfile, TestExceptionOnNewProfileAndDeny — profiles are not
 *     modeled (EnforceDenyAny keeps its event and channel checks).
 *   EnforceDenyPagerVmo, EnforceDenyVmoContiguous, EnforceDenyVmoPhysical —
 *     pager, contiguous and physical VMOs are not modeled.
 * Adapted: InvalidCalls* pass POL_CONDITIONS + 1 entries as "too many" (upstream
 * passed 16 when ZX_POL_MAX was 15; the newest generation has 18).
 */
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/policy.h>

#include "coretest.h"

/* The number of policy conditions (ZX_POL_MAX, kernel-internal: one past
 * ZX_POL_NEW_SAMPLER in the newest generation). */
#define POL_CONDITIONS (ZX_POL_NEW_SAMPLER + 1)

/* ---- the child's commands ------------------------------------------------ */

enum { CMD_CREATE_EVENT, CMD_CREATE_CHANNEL, CMD_AMBIENT_EXECUTABLE, CMD_BAD_HANDLE_CLOSED,
       CMD_BAD_HANDLE_TRANSFERRED, CMD_VALIDATE_CLOSED_HANDLE };

static zx_status_t run_command(uintptr_t cmd)
{
    zx_handle_t h = ZX_HANDLE_INVALID, h2, ch[2];
    switch (cmd) {
    case CMD_CREATE_EVENT:
        return zx_event_create(0, &h);
    case CMD_CREATE_CHANNEL:
        return zx_channel_create(0, &h, &h2);
    case CMD_AMBIENT_EXECUTABLE:
        if (zx_vmo_create(CORE_PAGE, 0, &h) != ZX_OK)
            return ZX_ERR_INTERNAL;
        return zx_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, &h2);
    case CMD_BAD_HANDLE_CLOSED:
        zx_event_create(0, &h);
        zx_handle_close(h);
        return zx_object_signal(h, 0, ZX_USER_SIGNAL_0);
    case CMD_BAD_HANDLE_TRANSFERRED:
        zx_event_create(0, &h);
        zx_channel_create(0, &ch[0], &ch[1]);
        zx_channel_write(ch[0], 0, NULL, 0, &h, 1);
        return zx_object_signal(h, 0, ZX_USER_SIGNAL_0);
    case CMD_VALIDATE_CLOSED_HANDLE:
        zx_event_create(0, &h);
        zx_handle_close(h);
        return zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL);
    default:
        return ZX_ERR_NOT_SUPPORTED;
    }
}

/* process_start's arg1 is a handle (none here); the command is arg2. */
static void child_main(uintptr_t no_handle, uintptr_t cmd)
{
    zx_process_exit(run_command(cmd));
}

/* ---- helpers ------------------------------------------------------------- */

static zx_handle_t new_job(void)
{
    zx_handle_t job = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    return job;
}

static zx_handle_t job_with(const zx_policy_basic_v2_t *pol, uint32_t n)
{
    zx_handle_t job = new_job();
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2, pol, n), ZX_OK);
    return job;
}

/* A child in `job` running `cmd`; *debugger (if asked) is its process
 * debugger channel, bound before it starts. */
static zx_handle_t start_child(zx_handle_t job, uintptr_t cmd, zx_handle_t *thread,
                               zx_handle_t *debugger)
{
    zx_handle_t proc, vmar;
    cr_expect_eq(zx_process_create(job, "poltst", 6, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "poltst", 6, 0, thread), ZX_OK);
    if (debugger)
        cr_expect_eq(zx_task_create_exception_channel(proc, ZX_EXCEPTION_CHANNEL_DEBUGGER, debugger),
                     ZX_OK);
    cr_expect_eq(zx_process_start(proc, *thread, (zx_vaddr_t)child_main, 0, ZX_HANDLE_INVALID, cmd),
                 ZX_OK);
    zx_handle_close(vmar);
    return proc;
}

static int64_t retcode(zx_handle_t proc)
{
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_info_process_t info;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect(info.flags & ZX_INFO_PROCESS_FLAG_EXITED);
    return info.return_code;
}

/* upstream's CheckInvokingPolicy: the command gets `want` (a kill shows as
 * ZX_TASK_RETCODE_POLICY_KILL), once with each override flag. */
static void check_policy(const zx_policy_basic_v1_t *v1, uint32_t n, uintptr_t cmd, int64_t want)
{
    const uint32_t flags[2] = {ZX_POL_OVERRIDE_DENY, ZX_POL_OVERRIDE_ALLOW};
    for (int f = 0; f < 2; f++) {
        zx_policy_basic_v2_t pol[3];
        for (uint32_t i = 0; i < n; i++)
            pol[i] = (zx_policy_basic_v2_t){v1[i].condition, v1[i].policy, flags[f]};
        zx_handle_t job = job_with(pol, n), thread;
        zx_handle_t proc = start_child(job, cmd, &thread, NULL);
        int64_t got = retcode(proc);
        cr_expect_eq(got, want, "command %lu, override flag %u: got %ld", (unsigned long)cmd,
                     flags[f], (long)got);
        CORE_CLOSE(thread, proc, job);
    }
}

#define POL(cond, action) ((zx_policy_basic_v1_t){(cond), (action)})

/* ---- setting policy --------------------------------------------------------- */

static void abs_then_rel_body(uintptr_t a, uintptr_t b)
{
    zx_policy_basic_v1_t pol[] = {POL(ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL)};
    zx_handle_t job = new_job();
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC, pol, 1), ZX_OK);
    pol[0].policy = ZX_POL_ACTION_DENY_EXCEPTION;
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC, pol, 1),
                 ZX_ERR_ALREADY_EXISTS, "a contradicting absolute policy");
    pol[0].policy = ZX_POL_ACTION_KILL;
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC, pol, 1), ZX_OK,
                 "the same again");
    pol[0].policy = ZX_POL_ACTION_ALLOW;
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC, pol, 1), ZX_OK,
                 "a contradicting relative policy is a no-op");
    zx_policy_basic_v1_t more[] = {POL(ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_ALLOW_EXCEPTION),
                                   POL(ZX_POL_NEW_FIFO, ZX_POL_ACTION_DENY)};
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC, more, 2), ZX_OK);
}
Test(policy, AbsThenRel) { core_run(abs_then_rel_body); }

static void invalid_calls(uint32_t options, uint32_t flags)
{
    const zx_policy_basic_v2_t good = {ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL, flags};
    zx_handle_t job = new_job();
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, NULL, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, NULL, 5), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &good, 1), ZX_OK);
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &good, 33),
                 ZX_ERR_INVALID_ARGS, "more entries than any policy has");
    zx_handle_close(job);

    job = new_job();
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &good, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &good, 1), ZX_OK);
    zx_handle_close(job);

    job = new_job();
    zx_policy_basic_v2_t many[POL_CONDITIONS + 1];
    for (uint32_t i = 0; i < POL_CONDITIONS + 1; i++)
        many[i] = good;
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, many, POL_CONDITIONS + 1),
                 ZX_ERR_OUT_OF_RANGE, "more entries than conditions");
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, many, 1), ZX_OK);
    zx_handle_close(job);

    job = new_job();
    zx_policy_basic_v2_t bad_cond = {100001u, ZX_POL_ACTION_KILL, flags};
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &bad_cond, 1),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &good, 1), ZX_OK);
    zx_handle_close(job);

    job = new_job();
    zx_policy_basic_v2_t bad_action = {ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL + 1, flags};
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &bad_action, 1),
                 ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_job_set_policy(job, options, ZX_JOB_POL_BASIC_V2, &good, 1), ZX_OK);
    zx_handle_close(job);
}

/* Each InvalidCalls test: one set-policy mode with one override flag
 * (V2 passes ALLOW, V1 behaves as DENY). */
static const uint32_t invalid_call_modes[][2] = {
    {ZX_JOB_POL_ABSOLUTE, ZX_POL_OVERRIDE_ALLOW}, {ZX_JOB_POL_RELATIVE, ZX_POL_OVERRIDE_ALLOW},
    {ZX_JOB_POL_ABSOLUTE, ZX_POL_OVERRIDE_DENY}, {ZX_JOB_POL_RELATIVE, ZX_POL_OVERRIDE_DENY},
};

static void invalid_calls_body(uintptr_t mode, uintptr_t b)
{
    invalid_calls(invalid_call_modes[mode][0], invalid_call_modes[mode][1]);
}
Test(policy, InvalidCallsAbsV2) { core_run_arg(invalid_calls_body, 0); }
Test(policy, InvalidCallsRelV2) { core_run_arg(invalid_calls_body, 1); }
Test(policy, InvalidCallsAbsV1) { core_run_arg(invalid_calls_body, 2); }
Test(policy, InvalidCallsRelV1) { core_run_arg(invalid_calls_body, 3); }

/* ---- enforcement ------------------------------------------------------------ */

/* The enforcement tests that set one policy and run one command (or, for
 * EnforceDenyAny, two) under it. */
typedef struct {
    uint32_t condition, action;
    uintptr_t cmd[2];
    int64_t want;
    uint32_t ncmd;
} EnforceCase;

enum {
    DENY_EVENT, DENY_CHANNEL, DENY_AMBIENT_EXEC, ALLOW_AMBIENT_EXEC, DENY_ANY, KILL_EVENT, ALLOW_ANY
};

static const EnforceCase enforce_cases[] = {
    [DENY_EVENT] = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY, {CMD_CREATE_EVENT},
                    ZX_ERR_ACCESS_DENIED, 1},
    [DENY_CHANNEL] = {ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_DENY, {CMD_CREATE_CHANNEL},
                      ZX_ERR_ACCESS_DENIED, 1},
    [DENY_AMBIENT_EXEC] = {ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_ACTION_DENY,
                           {CMD_AMBIENT_EXECUTABLE}, ZX_ERR_ACCESS_DENIED, 1},
    [ALLOW_AMBIENT_EXEC] = {ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_ACTION_ALLOW,
                            {CMD_AMBIENT_EXECUTABLE}, ZX_OK, 1},
    [DENY_ANY] = {ZX_POL_NEW_ANY, ZX_POL_ACTION_DENY, {CMD_CREATE_EVENT, CMD_CREATE_CHANNEL},
                  ZX_ERR_ACCESS_DENIED, 2},
    [KILL_EVENT] = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_KILL, {CMD_CREATE_EVENT},
                    ZX_TASK_RETCODE_POLICY_KILL, 1},
    [ALLOW_ANY] = {ZX_POL_NEW_ANY, ZX_POL_ACTION_ALLOW, {CMD_CREATE_EVENT}, ZX_OK, 1},
};

static void enforce_body(uintptr_t which, uintptr_t b)
{
    const EnforceCase *c = &enforce_cases[which];
    zx_policy_basic_v1_t p[] = {POL(c->condition, c->action)};
    for (uint32_t i = 0; i < c->ncmd; i++)
        check_policy(p, 1, c->cmd[i], c->want);
}
Test(policy, EnforceDenyEvent) { core_run_arg(enforce_body, DENY_EVENT); }
Test(policy, EnforceDenyChannel) { core_run_arg(enforce_body, DENY_CHANNEL); }
Test(policy, EnforceDenyAmbientExecutable) { core_run_arg(enforce_body, DENY_AMBIENT_EXEC); }
Test(policy, TestAllowAmbientExecutable) { core_run_arg(enforce_body, ALLOW_AMBIENT_EXEC); }
Test(policy, EnforceDenyAny) { core_run_arg(enforce_body, DENY_ANY); }
Test(policy, EnforceKillEvent) { core_run_arg(enforce_body, KILL_EVENT); }
Test(policy, EnforceAllowAny) { core_run_arg(enforce_body, ALLOW_ANY); }

static void deny_but_event_body(uintptr_t a, uintptr_t b)
{
    zx_policy_basic_v1_t p[] = {POL(ZX_POL_NEW_ANY, ZX_POL_ACTION_DENY),
                                POL(ZX_POL_NEW_EVENT, ZX_POL_ACTION_ALLOW)};
    check_policy(p, 2, CMD_CREATE_EVENT, ZX_OK);
    check_policy(p, 2, CMD_CREATE_CHANNEL, ZX_ERR_ACCESS_DENIED);
}
Test(policy, EnforceDenyButEvent) { core_run(deny_but_event_body); }

/* upstream's CheckInvokingPolicyWithException: the command raises a
 * ZX_EXCP_POLICY_ERROR that the process debugger sees, with the thread
 * stopped after the call (its return register holds the call's status),
 * and resumes with that status once the exception is HANDLED. */
static void check_policy_exception(const zx_policy_basic_v1_t *v1, uintptr_t cmd, zx_status_t want)
{
    const uint32_t flags[2] = {ZX_POL_OVERRIDE_DENY, ZX_POL_OVERRIDE_ALLOW};
    for (int f = 0; f < 2; f++) {
        zx_policy_basic_v2_t pol = {v1->condition, v1->policy, flags[f]};
        zx_handle_t job = job_with(&pol, 1), thread, debugger;
        zx_handle_t proc = start_child(job, cmd, &thread, &debugger);
        zx_exception_info_t info;
        zx_handle_t exc = ZX_HANDLE_INVALID;
        cr_expect_eq(zx_object_wait_one(debugger, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
        cr_expect_eq(zx_channel_read(debugger, 0, &info, &exc, sizeof info, 1, NULL, NULL), ZX_OK);
        cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, zx_deadline_after(ZX_MSEC(1)), NULL),
                     ZX_ERR_TIMED_OUT, "the child waits on its exception");
        cr_expect_eq(info.type, ZX_EXCP_POLICY_ERROR);
        cr_expect_eq(info.tid, core_koid(thread));
        cr_expect_eq(info.pid, core_koid(proc));
        zx_handle_t et, ep;
        cr_expect_eq(zx_exception_get_thread(exc, &et), ZX_OK);
        cr_expect_eq(zx_exception_get_process(exc, &ep), ZX_OK);
        cr_expect_eq(core_koid(et), info.tid);
        cr_expect_eq(core_koid(ep), info.pid);
        zx_thread_state_general_regs_t regs;
        cr_expect_eq(zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs),
                     ZX_OK);
#if defined(__x86_64__)
        cr_expect_eq(regs.rax, (uint64_t)(int64_t)want, "the syscall's result register");
#elif defined(__aarch64__)
        cr_expect_eq(regs.r[0], (uint64_t)(int64_t)want, "the syscall's result register");
#endif
        uint32_t state = ZX_EXCEPTION_STATE_HANDLED;
        cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &state, sizeof state), ZX_OK);
        zx_handle_close(exc);
        cr_expect_eq(retcode(proc), want, "the call's status once resumed");
        CORE_CLOSE(et, ep, debugger, thread, proc, job);
    }
}

static void exc_event_deny_body(uintptr_t a, uintptr_t b)
{
    zx_policy_basic_v1_t p = POL(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY_EXCEPTION);
    check_policy_exception(&p, CMD_CREATE_EVENT, ZX_ERR_ACCESS_DENIED);
}
Test(policy, TestExceptionOnNewEventAndDeny) { core_run(exc_event_deny_body); }

static void exc_event_allow_body(uintptr_t a, uintptr_t b)
{
    zx_policy_basic_v1_t p = POL(ZX_POL_NEW_EVENT, ZX_POL_ACTION_ALLOW_EXCEPTION);
    check_policy_exception(&p, CMD_CREATE_EVENT, ZX_OK);
}
Test(policy, TestExceptionOnNewEventButAllow) { core_run(exc_event_allow_body); }

static void error_on_bad_handle_body(uintptr_t a, uintptr_t b)
{
    const uint32_t actions[2] = {ZX_POL_ACTION_ALLOW, ZX_POL_ACTION_DENY};
    for (int i = 0; i < 2; i++) {
        zx_policy_basic_v1_t p[] = {POL(ZX_POL_BAD_HANDLE, actions[i])};
        check_policy(p, 1, CMD_BAD_HANDLE_CLOSED, ZX_ERR_BAD_HANDLE);
        check_policy(p, 1, CMD_BAD_HANDLE_TRANSFERRED, ZX_ERR_BAD_HANDLE);
    }
}
Test(policy, TestErrorOnBadHandle) { core_run(error_on_bad_handle_body); }

static void exception_on_bad_handle_body(uintptr_t a, uintptr_t b)
{
    const uint32_t actions[2] = {ZX_POL_ACTION_ALLOW_EXCEPTION, ZX_POL_ACTION_DENY_EXCEPTION};
    for (int i = 0; i < 2; i++) {
        zx_policy_basic_v1_t p = POL(ZX_POL_BAD_HANDLE, actions[i]);
        check_policy_exception(&p, CMD_BAD_HANDLE_CLOSED, ZX_ERR_BAD_HANDLE);
        check_policy_exception(&p, CMD_BAD_HANDLE_TRANSFERRED, ZX_ERR_BAD_HANDLE);
    }
}
Test(policy, TestExceptionOnBadHandle) { core_run(exception_on_bad_handle_body); }

static void get_info_on_bad_handle_body(uintptr_t a, uintptr_t b)
{
    zx_policy_basic_v1_t p[] = {POL(ZX_POL_BAD_HANDLE, ZX_POL_ACTION_DENY_EXCEPTION)};
    check_policy(p, 1, CMD_VALIDATE_CLOSED_HANDLE, ZX_ERR_BAD_HANDLE);
}
Test(policy, TestGetInfoOnBadHandle) { core_run(get_info_on_bad_handle_body); }
