/* job.c — our ports of Zircon's core tests in zircon/system/utest/core/job/
 * (jobs.cc). Upstream's mini-process becomes core_start_blocked: a real
 * simulated process whose thread blocks until killed.
 *
 * Every upstream case applies; none is left out.
 */
#include <zircon/syscalls/policy.h>

#include "coretest.h"

static zx_handle_t new_job(zx_handle_t parent)
{
    zx_handle_t j = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_job_create(parent, 0, &j), ZX_OK);
    return j;
}

static zx_info_job_t job_info(zx_handle_t job)
{
    zx_info_job_t info = {0};
    cr_expect_eq(zx_object_get_info(job, ZX_INFO_JOB, &info, sizeof info, NULL, NULL), ZX_OK);
    return info;
}

static void basic_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default()), grandchild = new_job(child), fail;
    zx_info_job_t info = job_info(child);
    cr_expect_not(info.exited);
    cr_expect_eq(info.return_code, 0);
    CORE_CLOSE(child, grandchild);
    cr_expect_eq(zx_job_create(ZX_HANDLE_INVALID, 0, &fail), ZX_ERR_BAD_HANDLE);
}
Test(job, BasicTest) { core_run(basic_body); }

static void create_body(uintptr_t a, uintptr_t b)
{
    static const char name[] = "job-test-p";
    zx_handle_t child = new_job(zx_job_default()), p1, v1, p2, v2;
    cr_expect_eq(zx_process_create(zx_job_default(), name, sizeof name, 0, &p1, &v1), ZX_OK);
    cr_expect_eq(zx_process_create(child, name, sizeof name, 0, &p2, &v2), ZX_OK);
    CORE_CLOSE(child, p1, p2, v1, v2);
}
Test(job, CreateTest) { core_run(create_body); }

static void create_missing_rights_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t parent, child;
    zx_rights_t rights = ZX_DEFAULT_JOB_RIGHTS & ~ZX_RIGHT_WRITE & ~ZX_RIGHT_MANAGE_JOB;
    cr_expect_eq(zx_handle_duplicate(zx_job_default(), rights, &parent), ZX_OK);
    cr_expect_eq(zx_job_create(parent, 0, &child), ZX_ERR_ACCESS_DENIED);
}
Test(job, CreateMissingRightsTest) { core_run(create_missing_rights_body); }

static void policy_invalid_topic_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default());
    uint32_t some_policy = 0;
    cr_expect_eq(zx_job_set_policy(child, ZX_JOB_POL_RELATIVE, 2u, &some_policy, 1),
                 ZX_ERR_INVALID_ARGS);
}
Test(job, PolicyInvalidTopicTest) { core_run(policy_invalid_topic_body); }

static void policy_basic_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default());
    zx_policy_basic_v1_t policy[] = {
        {ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL},
        {ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_ALLOW_EXCEPTION},
        {ZX_POL_NEW_FIFO, ZX_POL_ACTION_DENY},
    };
    cr_expect_eq(zx_job_set_policy(child, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_BASIC_V1, policy, 3),
                 ZX_OK);
}
Test(job, PolicyBasicTest) { core_run(policy_basic_body); }

#define SLACK(amount, mode) ((zx_policy_timer_slack_t){.min_slack = (amount), .default_mode = (mode)})

static zx_status_t set_slack(zx_handle_t job, uint32_t options, const zx_policy_timer_slack_t *p,
                             uint32_t count)
{
    return zx_job_set_policy(job, options, ZX_JOB_POL_TIMER_SLACK, p, count);
}

static void slack_invalid_options_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default());
    zx_policy_timer_slack_t p = SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_LATE);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_ABSOLUTE, &p, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, &p, 1), ZX_OK);
}
Test(job, PolicyTimerSlackInvalidOptionsTest) { core_run(slack_invalid_options_body); }

static void slack_invalid_count_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default());
    zx_policy_timer_slack_t p[2] = {SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_LATE),
                                    SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_LATE)};
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, p, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, p, 2), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, p, 1), ZX_OK);
}
Test(job, PolicyTimerSlackInvalidCountTest) { core_run(slack_invalid_count_body); }

static void slack_invalid_policy_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default());
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, NULL, 1), ZX_ERR_INVALID_ARGS);
    zx_policy_timer_slack_t p = SLACK(-ZX_MSEC(10), ZX_TIMER_SLACK_LATE);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, &p, 1), ZX_ERR_INVALID_ARGS, "negative");
    p = SLACK(ZX_MSEC(10), 3);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, &p, 1), ZX_ERR_INVALID_ARGS, "bad mode");
    p = SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_LATE);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, &p, 1), ZX_OK);
}
Test(job, PolicyTimerSlackInvalidPolicyTest) { core_run(slack_invalid_policy_body); }

static void slack_non_empty_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default()), grandchild = new_job(child);
    zx_policy_timer_slack_t p = SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_LATE);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, &p, 1), ZX_ERR_BAD_STATE,
                 "a job with a child job is not empty");
    zx_handle_close(grandchild);
    cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, &p, 1), ZX_OK);
}
Test(job, PolicyTimerSlackNonEmptyTest) { core_run(slack_non_empty_body); }

static void slack_valid_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default());
    const zx_policy_timer_slack_t ps[] = {
        SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_CENTER), SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_EARLY),
        SLACK(ZX_MSEC(10), ZX_TIMER_SLACK_LATE),   SLACK(ZX_SEC(10), ZX_TIMER_SLACK_LATE),
        SLACK(ZX_USEC(5), ZX_TIMER_SLACK_CENTER),
    };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        cr_expect_eq(set_slack(child, ZX_JOB_POL_RELATIVE, &ps[i], 1), ZX_OK, "policy %zu", i);
}
Test(job, PolicyTimerSlackValid) { core_run(slack_valid_body); }

static void kill_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default()), grandchild = new_job(child), proc, thread;
    cr_expect_eq(core_start_blocked(child, &proc, &thread), ZX_OK);
    cr_expect_eq(zx_task_kill(child), ZX_OK);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_TASK_TERMINATED);
    cr_expect_eq(zx_object_wait_one(child, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_TASK_TERMINATED | ZX_JOB_NO_PROCESSES | ZX_JOB_NO_JOBS);
    zx_info_job_t info = job_info(child);
    cr_expect(info.exited);
    cr_expect_eq(info.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    info = job_info(grandchild);
    cr_expect(info.exited);
    cr_expect_eq(info.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    zx_info_process_t pinfo;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &pinfo, sizeof pinfo, NULL, NULL), ZX_OK);
    cr_expect(pinfo.flags & ZX_INFO_PROCESS_FLAG_EXITED);
    cr_expect_eq(pinfo.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
    zx_handle_t j2;
    cr_expect_eq(zx_job_create(child, 0, &j2), ZX_ERR_BAD_STATE, "a killed job takes no children");
    CORE_CLOSE(thread, proc);
    cr_expect_eq(core_start_blocked(child, &proc, &thread), ZX_ERR_BAD_STATE);
    CORE_CLOSE(child, grandchild);
}
Test(job, KillTest) { core_run(kill_body); }

static void kill_no_child_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default()), j, proc, thread;
    cr_expect_eq(zx_task_kill(child), ZX_OK);
    cr_expect_eq(zx_job_create(child, 0, &j), ZX_ERR_BAD_STATE);
    cr_expect_eq(core_start_blocked(child, &proc, &thread), ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_handle_close(child), ZX_OK);
}
Test(job, KillJobNoChildTest) { core_run(kill_no_child_body); }

static size_t child_count(zx_handle_t job, zx_koid_t *first)
{
    zx_koid_t koids[1] = {ZX_KOID_INVALID};
    size_t actual = 0;
    cr_expect_eq(zx_object_get_info(job, ZX_INFO_JOB_CHILDREN, koids, sizeof koids, &actual, NULL),
                 ZX_OK);
    *first = koids[0];
    return actual;
}

/* Kill (or just close) a job's only child and watch it leave the tree. */
static void leaves_tree(bool kill)
{
    zx_handle_t parent = new_job(zx_job_default()), child = new_job(parent);
    zx_koid_t first;
    cr_expect_eq(child_count(parent, &first), 1u);
    cr_expect_eq(first, core_koid(child));
    if (kill) {
        cr_expect_eq(zx_task_kill(child), ZX_OK);
        cr_expect_eq(zx_object_wait_one(child, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    } else {
        cr_expect_eq(zx_handle_close(child), ZX_OK);
    }
    cr_expect_eq(child_count(parent, &first), 0u);
    CORE_CLOSE(parent);
    if (kill)
        CORE_CLOSE(child);
}

static void kill_removes_body(uintptr_t a, uintptr_t b) { leaves_tree(true); }
Test(job, KillJobRemovesFromTree) { core_run(kill_removes_body); }

static void close_removes_body(uintptr_t a, uintptr_t b) { leaves_tree(false); }
Test(job, CloseJobRemovesFromTree) { core_run(close_removes_body); }

static void kill_chain_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t jobs[5], parent = zx_job_default();
    for (int i = 0; i < 5; i++) {
        zx_handle_t proc, thread;
        jobs[i] = parent = new_job(parent);
        cr_expect_eq(core_start_blocked(jobs[i], &proc, &thread), ZX_OK);
        CORE_CLOSE(proc, thread);
    }
    cr_expect_eq(zx_task_kill(jobs[0]), ZX_OK);
    zx_wait_item_t items[5] = {{jobs[0], ZX_TASK_TERMINATED, 0}};
    for (int i = 1; i < 5; i++)
        items[i] = (zx_wait_item_t){jobs[i], 0, 0};
    cr_expect_eq(zx_object_wait_many(items, 5, ZX_TIME_INFINITE), ZX_OK);
    for (int i = 0; i < 5; i++)
        cr_expect_eq(items[i].pending, ZX_TASK_TERMINATED | ZX_JOB_NO_PROCESSES | ZX_JOB_NO_JOBS,
                     "job %d is dead once the top one is", i);
    cr_expect_eq(zx_handle_close_many(jobs, 5), ZX_OK);
}
Test(job, KillJobChain) { core_run(kill_chain_body); }

static void oom_kill_bit_body(uintptr_t a, uintptr_t b)
{
    size_t oom = 1;
    cr_expect_eq(zx_object_set_property(zx_job_default(), ZX_PROP_JOB_KILL_ON_OOM, &oom, sizeof oom),
                 ZX_OK);
    oom = 0;
    cr_expect_eq(zx_object_set_property(zx_job_default(), ZX_PROP_JOB_KILL_ON_OOM, &oom, sizeof oom),
                 ZX_OK);
    oom = 2;
    cr_expect_eq(zx_object_set_property(zx_job_default(), ZX_PROP_JOB_KILL_ON_OOM, &oom, sizeof oom),
                 ZX_ERR_INVALID_ARGS);
}
Test(job, SetJobOomKillBit) { core_run(oom_kill_bit_body); }

static void wait_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child = new_job(zx_job_default()), proc, thread;
    cr_expect_eq(core_start_blocked(child, &proc, &thread), ZX_OK);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(child, ZX_JOB_NO_JOBS, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_JOB_NO_JOBS);
    zx_nanosleep(zx_deadline_after(ZX_MSEC(5)));
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    cr_expect_eq(zx_object_wait_one(child, ZX_JOB_NO_PROCESSES, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_JOB_NO_PROCESSES | ZX_JOB_NO_JOBS);
    CORE_CLOSE(thread, proc, child);
}
Test(job, WaitTest) { core_run(wait_body); }

static void info_task_stats_fails_body(uintptr_t a, uintptr_t b)
{
    zx_info_task_stats_t info;
    cr_expect_neq(zx_object_get_info(zx_job_default(), ZX_INFO_TASK_STATS, &info, sizeof info,
                                     NULL, NULL),
                  ZX_OK, "jobs have no task stats");
}
Test(job, InfoTaskStatsFails) { core_run(info_task_stats_fails_body); }

static void max_height_body(uintptr_t a, uintptr_t b)
{
    enum { MAX_JOBS = 128 };
    zx_handle_t handles[MAX_JOBS], parent = zx_job_default(), child;
    int n = 0;
    while (zx_job_create(parent, 0, &child) == ZX_OK) {
        if (n == MAX_JOBS) {
            cr_expect_fail("no job height limit within %d levels", MAX_JOBS);
            zx_handle_close(child);
            break;
        }
        handles[n++] = parent = child;
    }
    cr_expect_eq(zx_job_create(parent, 0, &child), ZX_ERR_OUT_OF_RANGE);
    zx_handle_t proc, vmar;
    cr_expect_eq(zx_process_create(parent, "test", 4, 0, &proc, &vmar), ZX_OK,
                 "the deepest job still takes processes");
    CORE_CLOSE(vmar, proc);
    while (n > 0)
        cr_expect_eq(zx_handle_close(handles[--n]), ZX_OK);
}
Test(job, MaxHeightSmoke) { core_run(max_height_body); }
