/* test_task.c — job_create, process_create, process_start, process_exit,
 * thread_create, thread_start, thread_exit, task_kill: lifecycles, return
 * codes, TERMINATED signals, kill propagation, fault containment. */
#include <stdlib.h>

#include "ktest.h"

static void exits_42(uintptr_t a, uintptr_t b)
{
    zx_process_exit(42);
}

Test(task, process_exit_code)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "exit42", exits_42, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), 42);
    cr_assert(p->base.signals & ZX_PROCESS_TERMINATED);
    ktest_free(t);
}

static void child_main(uintptr_t arg1, uintptr_t arg2)
{
    /* arg1 is the handle value process_start moved into this process */
    cr_expect_neq((zx_handle_t)arg1, ZX_HANDLE_INVALID);
    cr_expect_eq(zx_object_signal((zx_handle_t)arg1, 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(arg2, 77);
    zx_process_exit(5);
}

static void parent_main(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, proc, vmar, thread, ev, ev2, out;
    cr_expect_eq(zx_job_create(zx_job_default(), 1, &job), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    cr_expect_eq(zx_process_create(job, NULL, 0, 0, &proc, &vmar), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_create(job, "child", 5, 1, &proc, &vmar), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_create(ZX_HANDLE_INVALID, "child", 5, 0, &proc, &vmar), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_process_create(ev, "child", 5, 0, &proc, &vmar), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_process_create(job, "child", 5, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "main", 4, 0, &thread), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, NULL, 0, 0, &out), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &ev2), ZX_OK);
    cr_expect_eq(zx_thread_start(thread, (zx_vaddr_t)child_main, 0, 0, 0), ZX_ERR_BAD_STATE,
                 "thread_start before process_start");
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)child_main, 0, ev2, 77), ZX_OK);
    cr_expect_eq(zx_handle_close(ev2), ZX_ERR_BAD_HANDLE, "arg1 moved to the child");
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)child_main, 0, ZX_HANDLE_INVALID, 0),
                 ZX_ERR_BAD_STATE);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(zx_task_kill(thread), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_task_kill(proc), ZX_OK, "killing a dead task succeeds");
}

Test(task, create_and_start_child)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "parent", parent_main, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static void spins_in_kernel(uintptr_t a, uintptr_t b)
{
    for (;;)
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
}

static void job_killer(uintptr_t a, uintptr_t b)
{
    zx_handle_t job = zx_job_default();
    zx_nanosleep(zx_deadline_after(ZX_MSEC(5)));
    cr_expect_eq(zx_task_kill(job), ZX_OK);
    cr_expect_fail("killing one's own job does not return");
}

Test(task, job_kill_propagates)
{
    KTest *t = ktest_new(1, 2);
    KProcess *a = ktest_spawn(t, "victim", spins_in_kernel, 0);
    KProcess *b = ktest_spawn(t, "killer", job_killer, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(a), ZX_TASK_RETCODE_SYSCALL_KILL);
    cr_assert_eq(ktest_retcode(b), ZX_TASK_RETCODE_SYSCALL_KILL);
    cr_assert_eq(t->job->state, JOB_DEAD);
    cr_assert(t->job->base.signals & ZX_JOB_TERMINATED);
    ktest_free(t);
}

static void crashes(uintptr_t a, uintptr_t b)
{
    ktest_bad_store(16);
    cr_expect_fail("unreachable after a fault");
}

static void survives(uintptr_t a, uintptr_t b)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(2)));
    zx_process_exit(9);
}

Test(task, crash_is_contained)
{
    KTest *t = ktest_new(1, 1);
    KProcess *bad = ktest_spawn(t, "crasher", crashes, 0);
    KProcess *good = ktest_spawn(t, "survivor", survives, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(bad), ZX_TASK_RETCODE_EXCEPTION_KILL);
    cr_assert_eq(ktest_retcode(good), 9);
    ktest_free(t);
}

static void aborts(uintptr_t a, uintptr_t b)
{
    abort();
}

Test(task, abort_is_contained)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "aborter", aborts, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), ZX_TASK_RETCODE_EXCEPTION_KILL);
    ktest_free(t);
}

static void thread_exits(uintptr_t a, uintptr_t b)
{
    zx_thread_exit();
}

Test(task, last_thread_exit_ends_process_with_zero)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "texit", thread_exits, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

/* A thread running on a stack the app mapped from a VMO ends its process:
 * the process's death unmaps that stack while the kernel is still handling
 * the call, so the kernel must not touch the request (which lives on that
 * stack) afterwards. The simulation goes on and the code is 7. */
static void exits_from_vmo_stack(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    zx_process_exit(7);
}

static void starts_vmo_stack_thread(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    const size_t size = 64 * 1024;
    zx_handle_t vmo, thread;
    zx_vaddr_t stack = 0;
    cr_expect_eq(zx_vmo_create(size, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0,
                             vmo, 0, size, &stack), ZX_OK);
    cr_expect_eq(zx_thread_create(zx_process_self(), "on-vmo-stack", 12, 0, &thread), ZX_OK);
    cr_expect_eq(zx_thread_start(thread, (zx_vaddr_t)exits_from_vmo_stack, stack + size,
                                 0, 0), ZX_OK);
    zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_process_exit(1); /* not reached: the other thread ended the process */
}

Test(task, process_exit_from_a_vmo_stack)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "vmo-stack", starts_vmo_stack_thread, 0);
    KProcess *q = ktest_spawn(t, "bystander", exits_42, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(ktest_retcode(p), 7);
    cr_expect_eq(ktest_retcode(q), 42);
    ktest_free(t);
}
