/* test_policy.c — covers: job_set_policy (basic v1/v2, timer slack, override
 * rules, NEW_ANY), job_set_critical (+RETCODE_NONZERO), policy enforcement
 * (DENY, KILL, BAD_HANDLE), and task lifecycles: process exit codes,
 * TERMINATED signals and return codes for task_kill (syscall kill), policy kill,
 * exception kill and critical-process kill, process_exit, job kill propagation. */
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include "ktest.h"

static void run_one(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "test", fn, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

/* Start fn in a new process of `job`, with arg2 = arg. */
static zx_handle_t spawn_in(zx_handle_t job, ThreadEntryFn fn, uintptr_t arg)
{
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(job, "child", 5, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "t", 1, 0, &thread), ZX_OK);
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)fn, 0, ZX_HANDLE_INVALID, arg), ZX_OK);
    zx_handle_close(thread);
    return proc;
}

static int64_t wait_retcode(zx_handle_t task)
{
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(task, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    zx_info_process_t info;
    cr_expect_eq(zx_object_get_info(task, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect(info.flags & ZX_INFO_PROCESS_FLAG_EXITED);
    return info.return_code;
}

static zx_handle_t job_with(uint32_t cond, uint32_t action)
{
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t pol = {cond, action, ZX_POL_OVERRIDE_DENY};
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2, &pol, 1), ZX_OK);
    return job;
}

/* ---- job_set_policy errors --------------------------------------------- */

static void set_policy_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, ev, ro, busy;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t ok = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_ALLOW};
    cr_expect_eq(zx_job_set_policy(job, 2, ZX_JOB_POL_BASIC_V2, &ok, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, NULL, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, &ok, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, &ok, 33), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, (void *)8, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(job, 0, 7, &ok, 1), ZX_ERR_INVALID_ARGS, "unknown topic");
    cr_expect_eq(zx_job_set_policy(ZX_HANDLE_INVALID, 0, ZX_JOB_POL_BASIC_V2, &ok, 1), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_job_set_policy(ev, 0, ZX_JOB_POL_BASIC_V2, &ok, 1), ZX_ERR_WRONG_TYPE);
    zx_handle_duplicate(job, ZX_RIGHT_INSPECT, &ro);
    cr_expect_eq(zx_job_set_policy(ro, 0, ZX_JOB_POL_BASIC_V2, &ok, 1), ZX_ERR_ACCESS_DENIED);
    zx_policy_basic_v2_t many[20];
    for (int i = 0; i < 20; i++)
        many[i] = ok;
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, many, 20), ZX_ERR_OUT_OF_RANGE);
    zx_policy_basic_v2_t bad_action = {ZX_POL_NEW_EVENT, 5, 0};
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, &bad_action, 1), ZX_ERR_NOT_SUPPORTED);
    zx_policy_basic_v2_t bad_cond = {18, ZX_POL_ACTION_DENY, 0};
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, &bad_cond, 1), ZX_ERR_INVALID_ARGS);
    zx_policy_basic_v2_t bad_flags = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY, 2};
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, &bad_flags, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_create(job, 0, &busy), ZX_OK);
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_BASIC_V2, &ok, 1), ZX_ERR_BAD_STATE,
                 "only empty jobs take policy");
    zx_policy_timer_slack_t slack = {ZX_USEC(10), ZX_TIMER_SLACK_LATE, {0}};
    cr_expect_eq(zx_job_set_policy(busy, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_TIMER_SLACK, &slack, 1),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_policy(busy, 0, ZX_JOB_POL_TIMER_SLACK, &slack, 2), ZX_ERR_INVALID_ARGS);
    slack.min_slack = -1;
    cr_expect_eq(zx_job_set_policy(busy, 0, ZX_JOB_POL_TIMER_SLACK, &slack, 1), ZX_ERR_INVALID_ARGS);
    slack.min_slack = ZX_USEC(10);
    slack.default_mode = 9;
    cr_expect_eq(zx_job_set_policy(busy, 0, ZX_JOB_POL_TIMER_SLACK, &slack, 1), ZX_ERR_INVALID_ARGS);
    slack.default_mode = ZX_TIMER_SLACK_LATE;
    cr_expect_eq(zx_job_set_policy(busy, 0, ZX_JOB_POL_TIMER_SLACK, &slack, 1), ZX_OK);
    cr_expect_eq(zx_job_set_policy(job, 0, ZX_JOB_POL_TIMER_SLACK, &slack, 1), ZX_ERR_BAD_STATE);
}

Test(policy, set_policy_errors) { run_one(set_policy_errors); }

/* ---- Enforcement ----------------------------------------------------- */

static void child_try_objects(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, c0, c1, ep0, ep1;
    int64_t code = 0;
    if (zx_event_create(0, &ev) == ZX_OK)
        code |= 1;
    if (zx_channel_create(0, &c0, &c1) == ZX_OK)
        code |= 2;
    if (zx_eventpair_create(0, &ep0, &ep1) == ZX_OK)
        code |= 4;
    zx_process_exit(code);
}

static void deny_new_event(uintptr_t a, uintptr_t b)
{
    zx_handle_t job = job_with(ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY);
    cr_expect_eq(wait_retcode(spawn_in(job, child_try_objects, 0)), 2 | 4,
                 "events denied, channels and eventpairs allowed");
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK, "the caller's own policy is unchanged");
}

Test(policy, deny_new_event) { run_one(deny_new_event); }

static void new_any_except_channel(uintptr_t a, uintptr_t b)
{
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_basic_v2_t pol[2] = {
        {ZX_POL_NEW_ANY, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_ALLOW},
        {ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_ALLOW, ZX_POL_OVERRIDE_ALLOW},
    };
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2, pol, 2), ZX_OK);
    cr_expect_eq(wait_retcode(spawn_in(job, child_try_objects, 0)), 2);
}

Test(policy, new_any_then_refine) { run_one(new_any_except_channel); }

static void override_rules(uintptr_t a, uintptr_t b)
{
    zx_handle_t parent, child, child2;
    /* V1 entries are locked (override DENY). */
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &parent), ZX_OK);
    zx_policy_basic_v1_t v1 = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY};
    cr_expect_eq(zx_job_set_policy(parent, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V1, &v1, 1), ZX_OK);
    cr_expect_eq(zx_job_create(parent, 0, &child), ZX_OK);
    cr_expect_eq(zx_job_create(parent, 0, &child2), ZX_OK);
    zx_policy_basic_v2_t loosen = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_ALLOW, ZX_POL_OVERRIDE_ALLOW};
    cr_expect_eq(zx_job_set_policy(child, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2, &loosen, 1),
                 ZX_ERR_ALREADY_EXISTS);
    cr_expect_eq(zx_job_set_policy(child, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V2, &loosen, 1),
                 ZX_OK, "RELATIVE skips the locked entry");
    cr_expect_eq(wait_retcode(spawn_in(child, child_try_objects, 0)) & 1, 0, "still denied");
    zx_policy_basic_v2_t same = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    cr_expect_eq(zx_job_set_policy(child2, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2, &same, 1),
                 ZX_OK, "restating a locked entry is a no-op");
    /* ABSOLUTE failures commit nothing. */
    zx_handle_t child3;
    cr_expect_eq(zx_job_create(parent, 0, &child3), ZX_OK);
    zx_policy_basic_v2_t two[2] = {
        {ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_ALLOW},
        {ZX_POL_NEW_EVENT, ZX_POL_ACTION_ALLOW, ZX_POL_OVERRIDE_ALLOW},
    };
    cr_expect_eq(zx_job_set_policy(child3, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2, two, 2),
                 ZX_ERR_ALREADY_EXISTS);
    cr_expect_eq(wait_retcode(spawn_in(child3, child_try_objects, 0)), 2 | 4,
                 "the channel entry was not committed");
}

Test(policy, override_rules) { run_one(override_rules); }

static void kill_action(uintptr_t a, uintptr_t b)
{
    zx_handle_t job = job_with(ZX_POL_NEW_EVENT, ZX_POL_ACTION_KILL);
    cr_expect_eq(wait_retcode(spawn_in(job, child_try_objects, 0)), ZX_TASK_RETCODE_POLICY_KILL);
}

Test(policy, kill_action) { run_one(kill_action); }

static void child_bad_handle(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_handle_close((zx_handle_t)0x1234567b), ZX_ERR_BAD_HANDLE);
    zx_process_exit(3);
}

static void bad_handle_policy(uintptr_t a, uintptr_t b)
{
    zx_handle_t deny = job_with(ZX_POL_BAD_HANDLE, ZX_POL_ACTION_DENY);
    cr_expect_eq(wait_retcode(spawn_in(deny, child_bad_handle, 0)), 3,
                 "DENY still answers BAD_HANDLE");
    zx_handle_t kill = job_with(ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL);
    cr_expect_eq(wait_retcode(spawn_in(kill, child_bad_handle, 0)), ZX_TASK_RETCODE_POLICY_KILL);
}

Test(policy, bad_handle_policy) { run_one(bad_handle_policy); }

static void timer_slack_applies(uintptr_t a, uintptr_t b)
{
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_policy_timer_slack_t slack = {ZX_MSEC(5), ZX_TIMER_SLACK_LATE, {0}};
    cr_expect_eq(zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_TIMER_SLACK, &slack, 1), ZX_OK);
    zx_handle_t proc = spawn_in(job, child_try_objects, 0);
    wait_retcode(proc);
}

Test(policy, timer_slack_accepted) { run_one(timer_slack_applies); }

Test(policy, timer_slack_late_delays_sleep)
{
    KTest *t = ktest_new(1, 1);
    zx_policy_timer_slack_t slack = {ZX_MSEC(5), ZX_TIMER_SLACK_LATE, {0}};
    cr_assert_eq(policy_apply_slack(&t->job->policy, NULL, 0, &slack, 1), ZX_OK);
    cr_assert_eq(policy_slack_deadline(&t->job->policy, 1000), 1000 + ZX_MSEC(5));
    ktest_free(t);
}

/* ---- job_set_critical ----------------------------------------------- */

static void child_exit_arg(uintptr_t a, uintptr_t b)
{
    zx_nanosleep(zx_deadline_after(ZX_USEC(200)));
    zx_process_exit((int64_t)b);
}

static void child_forever(uintptr_t a, uintptr_t b)
{
    for (;;)
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
}

static int64_t job_retcode(zx_handle_t job)
{
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(job, ZX_JOB_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    zx_info_job_t info;
    cr_expect_eq(zx_object_get_info(job, ZX_INFO_JOB, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect(info.exited);
    return info.return_code;
}

static void critical_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t top, job, other, proc, ev, ro, pro;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &top), ZX_OK);
    cr_expect_eq(zx_job_create(top, 0, &job), ZX_OK);
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &other), ZX_OK);
    proc = spawn_in(job, child_forever, 0);
    cr_expect_eq(zx_job_set_critical(job, 2, proc), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_set_critical(ZX_HANDLE_INVALID, 0, proc), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_job_set_critical(job, 0, ZX_HANDLE_INVALID), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_job_set_critical(ev, 0, proc), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_job_set_critical(job, 0, ev), ZX_ERR_WRONG_TYPE);
    zx_handle_duplicate(job, ZX_RIGHT_INSPECT, &ro);
    cr_expect_eq(zx_job_set_critical(ro, 0, proc), ZX_ERR_ACCESS_DENIED, "job needs DESTROY");
    zx_handle_duplicate(proc, ZX_RIGHT_INSPECT, &pro);
    cr_expect_eq(zx_job_set_critical(job, 0, pro), ZX_ERR_ACCESS_DENIED, "process needs WAIT");
    cr_expect_eq(zx_job_set_critical(other, 0, proc), ZX_ERR_INVALID_ARGS, "not an ancestor");
    cr_expect_eq(zx_job_set_critical(top, 0, proc), ZX_OK, "an ancestor is fine");
    cr_expect_eq(zx_job_set_critical(job, 0, proc), ZX_ERR_ALREADY_BOUND);
    zx_task_kill(job);
    cr_expect_eq(job_retcode(top), ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL,
                 "the critical process's death took down the ancestor");
}

Test(policy, set_critical_errors) { run_one(critical_errors); }

static void critical_kills_job(uintptr_t a, uintptr_t b)
{
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_handle_t bystander = spawn_in(job, child_forever, 0);
    zx_handle_t crit = spawn_in(job, child_exit_arg, 7);
    cr_expect_eq(zx_job_set_critical(job, 0, crit), ZX_OK);
    cr_expect_eq(wait_retcode(crit), 7);
    cr_expect_eq(job_retcode(job), ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL);
    cr_expect_eq(wait_retcode(bystander), ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL);
}

Test(policy, critical_process_kills_job) { run_one(critical_kills_job); }

static void critical_nonzero(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, job2;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_handle_t ok = spawn_in(job, child_exit_arg, 0);
    cr_expect_eq(zx_job_set_critical(job, ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO, ok), ZX_OK);
    cr_expect_eq(wait_retcode(ok), 0);
    zx_info_job_t info;
    zx_object_get_info(job, ZX_INFO_JOB, &info, sizeof info, NULL, NULL);
    cr_expect(!info.exited, "exit code 0 spares the job");
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job2), ZX_OK);
    zx_handle_t bad = spawn_in(job2, child_exit_arg, 1);
    cr_expect_eq(zx_job_set_critical(job2, ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO, bad), ZX_OK);
    cr_expect_eq(job_retcode(job2), ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL);
}

Test(policy, critical_retcode_nonzero) { run_one(critical_nonzero); }

/* ---- Lifecycles ------------------------------------------------------ */

static void child_crash(uintptr_t a, uintptr_t b)
{
    ktest_bad_store(24);
}

static void lifecycle_codes(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, sub;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    cr_expect_eq(zx_job_create(job, 0, &sub), ZX_OK);
    zx_handle_t p1 = spawn_in(job, child_forever, 0);
    zx_handle_t p2 = spawn_in(sub, child_forever, 0);
    zx_info_process_t pi;
    zx_object_get_info(p1, ZX_INFO_PROCESS, &pi, sizeof pi, NULL, NULL);
    cr_expect(pi.flags & ZX_INFO_PROCESS_FLAG_STARTED);
    cr_expect(!(pi.flags & ZX_INFO_PROCESS_FLAG_EXITED));
    cr_expect_eq(zx_task_kill(job), ZX_OK);
    cr_expect_eq(wait_retcode(p1), ZX_TASK_RETCODE_SYSCALL_KILL);
    cr_expect_eq(wait_retcode(p2), ZX_TASK_RETCODE_SYSCALL_KILL, "kill reaches grandchildren");
    cr_expect_eq(job_retcode(sub), ZX_TASK_RETCODE_SYSCALL_KILL);
    cr_expect_eq(job_retcode(job), ZX_TASK_RETCODE_SYSCALL_KILL);
    zx_handle_t proc, vmar;
    cr_expect_eq(zx_process_create(job, "late", 4, 0, &proc, &vmar), ZX_ERR_BAD_STATE);
    zx_handle_t crash = spawn_in(zx_job_default(), child_crash, 0);
    cr_expect_eq(wait_retcode(crash), ZX_TASK_RETCODE_EXCEPTION_KILL);
    zx_handle_t normal = spawn_in(zx_job_default(), child_exit_arg, 12);
    cr_expect_eq(wait_retcode(normal), 12);
}

Test(policy, lifecycle_return_codes) { run_one(lifecycle_codes); }
