/* test_suspend.c — covers: task_suspend, task_suspend_token, thread_read_state,
 * thread_write_state, object_get_info (ZX_INFO_THREAD while suspended),
 * ZX_THREAD_SUSPENDED / ZX_THREAD_RUNNING signals, killing a suspended task. */
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/object.h>

#include "ktest.h"

static volatile uint64_t ticks;

static void child_ticker(uintptr_t a, uintptr_t b)
{
    for (;;) {
        ticks++;
        zx_nanosleep(zx_deadline_after(ZX_USEC(100)));
    }
}

static void make_child(zx_handle_t *proc, zx_handle_t *thread, ThreadEntryFn fn)
{
    zx_handle_t vmar;
    cr_expect_eq(zx_process_create(zx_job_default(), "child", 5, 0, proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(*proc, "t", 1, 0, thread), ZX_OK);
    if (fn)
        cr_expect_eq(zx_process_start(*proc, *thread, (zx_vaddr_t)fn, 0, ZX_HANDLE_INVALID, 0), ZX_OK);
}

static void sleep_us(int64_t us)
{
    zx_nanosleep(zx_deadline_after(ZX_USEC(us)));
}

static void run_one(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "test", fn, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static void suspend_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t tok, ev, proc, thread, ro;
    cr_expect_eq(zx_task_suspend(ZX_HANDLE_INVALID, &tok), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    zx_handle_t evw;
    zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &evw);
    cr_expect_eq(zx_task_suspend(ev, &tok), ZX_ERR_ACCESS_DENIED, "rights before type (no WRITE)");
    cr_expect_eq(zx_task_suspend(zx_job_default(), &tok), ZX_ERR_WRONG_TYPE, "jobs unsupported");
    cr_expect_eq(zx_task_suspend(zx_thread_self(), &tok), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_task_suspend(zx_process_self(), &tok), ZX_ERR_NOT_SUPPORTED);
    make_child(&proc, &thread, child_ticker);
    zx_handle_duplicate(thread, ZX_RIGHT_INSPECT | ZX_RIGHT_READ, &ro);
    cr_expect_eq(zx_task_suspend(ro, &tok), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_task_suspend(thread, (zx_handle_t *)8), ZX_ERR_INVALID_ARGS);
    sleep_us(500);
    uint64_t before = ticks;
    sleep_us(500);
    cr_expect_gt(ticks, before, "the failed suspend left nothing suspended");
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    zx_signals_t seen;
    zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, &seen);
    cr_expect_eq(zx_task_suspend_token(thread, &tok), ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_task_suspend_token(proc, &tok), ZX_ERR_BAD_STATE);
}

Test(suspend, errors) { run_one(suspend_errors); }

static void suspend_thread_cycle(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, tok, tok2;
    make_child(&proc, &thread, child_ticker);
    sleep_us(1000);
    cr_expect_eq(zx_task_suspend(thread, &tok), ZX_OK);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen & ZX_THREAD_RUNNING, 0u);
    zx_info_thread_t ti;
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD, &ti, sizeof ti, NULL, NULL), ZX_OK);
    cr_expect_eq(ti.state, ZX_THREAD_STATE_SUSPENDED);
    zx_info_handle_basic_t tb;
    zx_object_get_info(tok, ZX_INFO_HANDLE_BASIC, &tb, sizeof tb, NULL, NULL);
    cr_expect_eq(tb.type, ZX_OBJ_TYPE_SUSPEND_TOKEN);
    cr_expect_eq(tb.rights, ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS);
    sleep_us(300); /* let an in-flight sleep finish: it parks on the way out */
    uint64_t frozen = ticks;
    sleep_us(2000);
    cr_expect_eq(ticks, frozen, "a suspended thread does not run");
    cr_expect_eq(zx_task_suspend_token(thread, &tok2), ZX_OK, "nested suspend");
    zx_handle_close(tok);
    sleep_us(2000);
    cr_expect_eq(ticks, frozen, "still held by the second token");
    zx_handle_close(tok2);
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_RUNNING, ZX_TIME_INFINITE, &seen), ZX_OK);
    sleep_us(2000);
    cr_expect_gt(ticks, frozen, "resumed when the last token closed");
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
}

Test(suspend, thread_suspend_and_resume) { run_one(suspend_thread_cycle); }

static void suspend_process_then_kill(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, tok;
    make_child(&proc, &thread, child_ticker);
    sleep_us(500);
    cr_expect_eq(zx_task_suspend(proc, &tok), ZX_OK);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, &seen), ZX_OK);
    sleep_us(300);
    uint64_t frozen = ticks;
    sleep_us(2000);
    cr_expect_eq(ticks, frozen);
    cr_expect_eq(zx_task_kill(proc), ZX_OK, "killing a suspended task works");
    cr_expect_eq(zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    zx_handle_close(tok);
}

Test(suspend, process_suspend_and_kill) { run_one(suspend_process_then_kill); }

static void suspend_before_start(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, tok;
    make_child(&proc, &thread, NULL);
    uint64_t start = ticks;
    cr_expect_eq(zx_task_suspend(proc, &tok), ZX_OK, "suspending an unstarted process");
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)child_ticker, 0, ZX_HANDLE_INVALID, 0),
                 ZX_OK);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, &seen), ZX_OK);
    sleep_us(2000);
    cr_expect_eq(ticks, start, "starts suspended, runs no code");
    zx_handle_close(tok);
    sleep_us(2000);
    cr_expect_gt(ticks, start);
    zx_task_kill(proc);
}

Test(suspend, suspended_before_start) { run_one(suspend_before_start); }

static void regs(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, thread, tok, ro;
    zx_thread_state_general_regs_t r;
    make_child(&proc, &thread, child_ticker);
    sleep_us(500);
    cr_expect_eq(zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &r, sizeof r),
                 ZX_ERR_BAD_STATE, "running threads have no readable state");
    cr_expect_eq(zx_thread_write_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &r, sizeof r),
                 ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_task_suspend(thread, &tok), ZX_OK);
    zx_signals_t seen;
    zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, &seen);
    cr_expect_eq(zx_thread_read_state(ZX_HANDLE_INVALID, 0, &r, sizeof r), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_thread_read_state(proc, 0, &r, sizeof r), ZX_ERR_WRONG_TYPE);
    zx_handle_duplicate(thread, ZX_RIGHT_INSPECT, &ro);
    cr_expect_eq(zx_thread_read_state(ro, 0, &r, sizeof r), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_thread_write_state(ro, 0, &r, sizeof r), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_thread_read_state(thread, 3, &r, sizeof r), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_thread_read_state(thread, ZX_THREAD_STATE_FP_REGS, &r, sizeof r),
                 ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_thread_read_state(thread, 0, &r, 8), ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(zx_thread_read_state(thread, 0, (void *)8, sizeof r), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_thread_read_state(thread, 0, &r, sizeof r), ZX_OK);
#if defined(__x86_64__)
    cr_expect_eq(r.rip, (uint64_t)(uintptr_t)child_ticker);
    r.r12 = 0x1234;
#elif defined(__aarch64__)
    cr_expect_eq(r.pc, (uint64_t)(uintptr_t)child_ticker);
    r.r[12] = 0x1234;
#endif
    cr_expect_eq(zx_thread_write_state(thread, 0, &r, sizeof r), ZX_OK);
    zx_thread_state_general_regs_t r2;
    cr_expect_eq(zx_thread_read_state(thread, 0, &r2, sizeof r2), ZX_OK);
#if defined(__x86_64__)
    cr_expect_eq(r2.r12, 0x1234u, "writes read back");
#elif defined(__aarch64__)
    cr_expect_eq(r2.r[12], 0x1234u, "writes read back");
#endif
    cr_expect_eq(zx_thread_write_state(thread, 0, (const void *)8, sizeof r), ZX_ERR_INVALID_ARGS);
    zx_handle_close(tok);
    zx_task_kill(proc);
}

Test(suspend, read_and_write_state) { run_one(regs); }
