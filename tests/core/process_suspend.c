/* process_suspend.c — our ports of the suspend, runtime and remaining cases
 * of Zircon's core test zircon/system/utest/core/process/process.cc (part
 * of the `process` suite; process.c has the rest and the list of cases not
 * ported).
 *
 * A TestProc is upstream's TestProcess: a process with up to four threads
 * that block until killed; the first starts the process.
 */
#include <zircon/syscalls/port.h>

#include "coretest.h"

typedef struct TestProc {
    zx_handle_t proc, vmar, threads[4];
    int nthreads;
} TestProc;

static void tp_create(TestProc *tp)
{
    *tp = (TestProc){0};
    cr_expect_eq(zx_process_create(zx_job_default(), "test_process", 12, 0, &tp->proc, &tp->vmar),
                 ZX_OK);
}

static void tp_thread(TestProc *tp)
{
    cr_expect_eq(zx_thread_create(tp->proc, "test_thread", 11, 0, &tp->threads[tp->nthreads++]),
                 ZX_OK);
}

static void blocked(uintptr_t a, uintptr_t b)
{
    zx_nanosleep(ZX_TIME_INFINITE);
}

static void tp_start(TestProc *tp)
{
    cr_expect_eq(zx_process_start(tp->proc, tp->threads[0], (zx_vaddr_t)blocked, 0,
                                  ZX_HANDLE_INVALID, 0),
                 ZX_OK);
    for (int i = 1; i < tp->nthreads; i++)
        cr_expect_eq(core_start_blocked_thread(tp->threads[i]), ZX_OK);
}

/* Wait for `signal` on thread i: forever when expecting ZX_OK, 250 ms
 * (virtual) when expecting ZX_ERR_TIMED_OUT. */
static bool tp_wait(TestProc *tp, int i, zx_signals_t signal, zx_status_t want)
{
    zx_time_t deadline = want == ZX_ERR_TIMED_OUT ? zx_deadline_after(ZX_MSEC(250)) : ZX_TIME_INFINITE;
    return zx_object_wait_one(tp->threads[i], signal, deadline, NULL) == want;
}

static void tp_stop(TestProc *tp)
{
    cr_expect_eq(zx_task_kill(tp->proc), ZX_OK);
    CORE_CLOSE(tp->proc, tp->vmar);
    if (tp->nthreads)
        cr_expect_eq(zx_handle_close_many(tp->threads, tp->nthreads), ZX_OK);
}

static zx_handle_t suspend(zx_handle_t task)
{
    zx_handle_t token = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_task_suspend(task, &token), ZX_OK);
    return token;
}

/* Suspend the process with threads already running; all threads stop and
 * resume with the token. */
static void suspend_threads(int n)
{
    TestProc tp;
    tp_create(&tp);
    for (int i = 0; i < n; i++)
        tp_thread(&tp);
    tp_start(&tp);
    zx_handle_t token = suspend(tp.proc);
    for (int i = 0; i < n; i++)
        cr_expect(tp_wait(&tp, i, ZX_THREAD_SUSPENDED, ZX_OK), "thread %d suspends", i);
    zx_handle_close(token);
    for (int i = 0; i < n; i++)
        cr_expect(tp_wait(&tp, i, ZX_THREAD_RUNNING, ZX_OK), "thread %d resumes", i);
    tp_stop(&tp);
}

static void suspend_body(uintptr_t a, uintptr_t b) { suspend_threads(1); }
Test(process, Suspend) { core_run(suspend_body); }

static void suspend_self_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t token;
    cr_expect_eq(zx_task_suspend(zx_process_self(), &token), ZX_ERR_NOT_SUPPORTED);
}
Test(process, SuspendSelf) { core_run(suspend_self_body); }

static void suspend_multiple_body(uintptr_t a, uintptr_t b) { suspend_threads(3); }
Test(process, SuspendMultipleThreads) { core_run(suspend_multiple_body); }

/* Suspend before the thread exists (or before it starts). */
static void suspend_early(bool before_create)
{
    TestProc tp;
    tp_create(&tp);
    zx_handle_t token = ZX_HANDLE_INVALID;
    if (before_create)
        token = suspend(tp.proc);
    tp_thread(&tp);
    if (!before_create)
        token = suspend(tp.proc);
    tp_start(&tp);
    cr_expect(tp_wait(&tp, 0, ZX_THREAD_SUSPENDED, ZX_OK));
    zx_handle_close(token);
    cr_expect(tp_wait(&tp, 0, ZX_THREAD_RUNNING, ZX_OK));
    tp_stop(&tp);
}

static void before_creating_body(uintptr_t a, uintptr_t b) { suspend_early(true); }
Test(process, SuspendBeforeCreatingThreads) { core_run(before_creating_body); }

static void before_starting_body(uintptr_t a, uintptr_t b) { suspend_early(false); }
Test(process, SuspendBeforeStartingThreads) { core_run(before_starting_body); }

/* Two tokens on one running thread (from the process or the thread, in
 * either order): it runs again only when both are gone. */
static void two_tokens(zx_handle_t first_task_is_thread, bool second_is_thread)
{
    TestProc tp;
    tp_create(&tp);
    tp_thread(&tp);
    tp_start(&tp);
    zx_handle_t t1 = suspend(first_task_is_thread ? tp.threads[0] : tp.proc);
    cr_expect(tp_wait(&tp, 0, ZX_THREAD_SUSPENDED, ZX_OK));
    zx_handle_t t2 = suspend(second_is_thread ? tp.threads[0] : tp.proc);
    zx_handle_close(t1);
    cr_expect(tp_wait(&tp, 0, ZX_THREAD_RUNNING, ZX_ERR_TIMED_OUT), "the other token still holds");
    zx_handle_close(t2);
    cr_expect(tp_wait(&tp, 0, ZX_THREAD_RUNNING, ZX_OK));
    tp_stop(&tp);
}

static void process_then_thread_body(uintptr_t a, uintptr_t b) { two_tokens(false, true); }
Test(process, SuspendProcessThenThread) { core_run(process_then_thread_body); }

static void thread_then_process_body(uintptr_t a, uintptr_t b) { two_tokens(true, false); }
Test(process, SuspendThreadThenProcess) { core_run(thread_then_process_body); }

static void suspend_twice_body(uintptr_t a, uintptr_t b) { two_tokens(false, false); }
Test(process, SuspendTwice) { core_run(suspend_twice_body); }

/* Start tp's process whose thread two suspend tokens hold: it stays
 * suspended until both are closed, `first` and then `second`. */
static void start_and_release(TestProc *tp, zx_handle_t first, zx_handle_t second)
{
    tp_start(tp);
    cr_expect(tp_wait(tp, 0, ZX_THREAD_SUSPENDED, ZX_OK));
    zx_handle_close(first);
    cr_expect(tp_wait(tp, 0, ZX_THREAD_RUNNING, ZX_ERR_TIMED_OUT));
    zx_handle_close(second);
    cr_expect(tp_wait(tp, 0, ZX_THREAD_RUNNING, ZX_OK));
    tp_stop(tp);
}

static void both_before_start_body(uintptr_t a, uintptr_t b)
{
    TestProc tp;
    tp_create(&tp);
    zx_handle_t pt = suspend(tp.proc);
    tp_thread(&tp);
    zx_handle_t tt = suspend(tp.threads[0]);
    start_and_release(&tp, pt, tt);
}
Test(process, SuspendThreadAndProcessBeforeStartingProcess) { core_run(both_before_start_body); }

static void twice_before_creating_body(uintptr_t a, uintptr_t b)
{
    TestProc tp;
    tp_create(&tp);
    zx_handle_t t1 = suspend(tp.proc), t2 = suspend(tp.proc);
    tp_thread(&tp);
    start_and_release(&tp, t1, t2);
}
Test(process, SuspendTwiceBeforeCreatingThreads) { core_run(twice_before_creating_body); }

static void exit_thread(uintptr_t a, uintptr_t b)
{
    zx_thread_exit();
}

static void dying_thread_body(uintptr_t a, uintptr_t b)
{
    TestProc tp;
    tp_create(&tp);
    for (int i = 0; i < 3; i++)
        tp_thread(&tp);
    cr_expect_eq(zx_process_start(tp.proc, tp.threads[0], (zx_vaddr_t)exit_thread, 0,
                                  ZX_HANDLE_INVALID, 0),
                 ZX_OK, "thread 0 exits as soon as it runs");
    for (int i = 1; i < 3; i++)
        cr_expect_eq(core_start_blocked_thread(tp.threads[i]), ZX_OK);
    zx_handle_t token = suspend(tp.proc);
    for (int i = 1; i < 3; i++)
        cr_expect(tp_wait(&tp, i, ZX_THREAD_SUSPENDED, ZX_OK));
    zx_handle_close(token);
    for (int i = 1; i < 3; i++)
        cr_expect(tp_wait(&tp, i, ZX_THREAD_RUNNING, ZX_OK));
    tp_stop(&tp);
}
Test(process, SuspendWithDyingThread) { core_run(dying_thread_body); }

static zx_info_task_runtime_t runtime(zx_handle_t task)
{
    zx_info_task_runtime_t info = {0};
    cr_expect_eq(zx_object_get_info(task, ZX_INFO_TASK_RUNTIME, &info, sizeof info, NULL, NULL),
                 ZX_OK);
    return info;
}

static void task_runtime_body(uintptr_t a, uintptr_t b)
{
    TestProc tp;
    tp_create(&tp);
    tp_thread(&tp);
    zx_info_task_runtime_t info = runtime(tp.proc);
    cr_expect_eq(info.cpu_time, 0);
    cr_expect_eq(info.queue_time, 0);
    tp_start(&tp);
    tp_wait(&tp, 0, ZX_THREAD_RUNNING, ZX_OK);
    for (int tries = 0; (info.cpu_time == 0 || info.queue_time == 0) && tries < 1000; tries++) {
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
        info = runtime(tp.proc);
    }
    cr_expect_gt(info.cpu_time, 0);
    cr_expect_gt(info.queue_time, 0);
    cr_expect_eq(zx_task_kill(tp.proc), ZX_OK);
    cr_expect_eq(zx_object_wait_one(tp.proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    info = runtime(tp.proc);
    cr_expect_gt(info.cpu_time, 0, "a dead process keeps its runtime");
    cr_expect_gt(info.queue_time, 0);
    zx_info_task_runtime_t again = runtime(tp.proc);
    cr_expect_eq(again.cpu_time, info.cpu_time);
    cr_expect_eq(again.queue_time, info.queue_time);
    CORE_CLOSE(tp.proc, tp.vmar, tp.threads[0]);
}
Test(process, GetTaskRuntime) { core_run(task_runtime_body); }

/* CreateAndKillJobRaceStress: one thread creates and kills jobs, four
 * create processes in whichever job exists. */
static volatile int race_running;
static volatile zx_handle_t race_job;
static volatile zx_status_t race_status;

static void race_killer(uintptr_t a, uintptr_t b)
{
    while (race_running) {
        zx_handle_t job;
        zx_status_t s = zx_job_create(zx_job_default(), 0, &job);
        if (s != ZX_OK) {
            race_status = s;
            return;
        }
        race_job = job;
        zx_nanosleep(zx_deadline_after(ZX_MSEC(10)));
        s = zx_task_kill(job);
        zx_handle_close(job);
        race_job = ZX_HANDLE_INVALID;
        if (s != ZX_OK) {
            race_status = s;
            return;
        }
    }
}

static void race_creator(uintptr_t a, uintptr_t b)
{
    while (race_running) {
        zx_handle_t job = race_job, proc = ZX_HANDLE_INVALID, vmar = ZX_HANDLE_INVALID;
        if (job == ZX_HANDLE_INVALID) {
            zx_nanosleep(zx_deadline_after(1));
            continue;
        }
        zx_status_t s = zx_process_create(job, "create-and-kill", 15, 0, &proc, &vmar);
        if (s != ZX_OK && s != ZX_ERR_BAD_HANDLE && s != ZX_ERR_BAD_STATE)
            race_status = s;
        zx_handle_close(proc);
        zx_handle_close(vmar);
    }
}

static void race_body(uintptr_t a, uintptr_t b)
{
    race_running = 1;
    race_status = ZX_OK;
    race_job = ZX_HANDLE_INVALID;
    zx_handle_t killer = core_thread_start(race_killer, 0, 0), creators[4];
    for (int i = 0; i < 4; i++)
        creators[i] = core_thread_start(race_creator, 0, 0);
    zx_nanosleep(zx_deadline_after(ZX_SEC(1)));
    race_running = 0;
    for (int i = 0; i < 4; i++)
        core_thread_join(creators[i]);
    core_thread_join(killer);
    cr_expect_eq(race_status, ZX_OK);
}
Test(process, CreateAndKillJobRaceStress) { core_run(race_body); }

static void wait_async_cancel_loop(uintptr_t self, uintptr_t b)
{
    zx_handle_t port;
    cr_expect_eq(zx_port_create(0, &port), ZX_OK);
    for (;;) {
        zx_object_wait_async((zx_handle_t)self, port, 0, ZX_TASK_TERMINATED, 0);
        zx_port_cancel(port, (zx_handle_t)self, 0);
    }
}

static void wait_async_cancel_self_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, thread;
    core_start_with_self("test_process", "test_thread", wait_async_cancel_loop, &proc, &vmar,
                         &thread);
    zx_info_vmo_t vmo;
    size_t actual, avail;
    for (int i = 0; i < 10000; i++)
        if (zx_object_get_info(proc, ZX_INFO_PROCESS_VMOS, &vmo, sizeof vmo, &actual, &avail) != ZX_OK) {
            cr_expect_fail("ZX_INFO_PROCESS_VMOS failed at iteration %d", i);
            break;
        }
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
}
Test(process, ProcessWaitAsyncCancelSelf) { core_run(wait_async_cancel_self_body); }

static void forbid_destroy_root_vmar_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar;
    cr_expect_eq(zx_process_create(zx_job_default(), "test_process", 12, 0, &proc, &vmar), ZX_OK);
    zx_status_t s = zx_vmar_destroy(vmar);
    cr_expect(s == ZX_OK || s == ZX_ERR_NOT_SUPPORTED, "destroy answered %d", s);
    zx_info_maps_t map;
    size_t actual, avail;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS_MAPS, &map, sizeof map, &actual, &avail),
                 ZX_OK);
}
Test(process, ForbidDestroyRootVmar) { core_run(forbid_destroy_root_vmar_body); }

static void hw_trace_context_id_body(uintptr_t a, uintptr_t b)
{
    /* The simulator answers as Zircon does where the hardware has no trace
     * context (upstream's "unsupported" branch); the property is read-only. */
    uintptr_t id = 0;
    cr_expect_eq(zx_object_get_property(zx_process_self(), ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID, &id,
                                        sizeof id),
                 ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_object_set_property(zx_process_self(), ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID, &id,
                                        sizeof id),
                 ZX_ERR_INVALID_ARGS);
}
Test(process, ProcessHwTraceContextIdProperty) { core_run(hw_trace_context_id_body); }
