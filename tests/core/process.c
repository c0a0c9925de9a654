/* process.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/process/ (process.cc). Upstream's mini-process
 * becomes core_start_blocked (a simulated process whose threads block
 * until killed) or a C function given to zx_process_start.
 *
 * Not ported:
 *   MiniProcessSanity          — checks upstream's mini-process helper
 *                                itself (vDSO loading, its command loop).
 *   ProcessStartWriteThreadState — points a new thread's TLS register
 *                                (fs_base / tpidr) at memory it then reads;
 *                                green threads share the host's TLS set-up.
 * Adapted: ProcessStartNoHandle enters a C function calling
 * zx_process_exit(arg1) instead of the vDSO's ELF entry;
 * CreateAndKillJobRaceStress's creators sleep 1 ns instead of spinning
 * while no job exists (a loop without syscalls never yields here).
 */
#include <zircon/syscalls/port.h>

#include "coretest.h"

static void long_name_body(uintptr_t a, uintptr_t b)
{
    static const char long_name[] = "0123456789012345678901234567890123456789"
                                    "0123456789012345678901234567890123456789";
    zx_handle_t proc, vmar;
    cr_expect_eq(zx_process_create(zx_job_default(), long_name, sizeof long_name, 0, &proc, &vmar),
                 ZX_OK);
    char name[ZX_MAX_NAME_LEN];
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_NAME, name, sizeof name), ZX_OK);
    cr_expect_eq(strncmp(name, long_name, ZX_MAX_NAME_LEN - 1), 0, "truncated, not refused");
    CORE_CLOSE(vmar, proc);
}
Test(process, LongNameSucceeds) { core_run(long_name_body); }

static void empty_name_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar;
    cr_expect_eq(zx_process_create(zx_job_default(), "", 0, 0, &proc, &vmar), ZX_OK);
    char name[ZX_MAX_NAME_LEN];
    cr_expect_eq(zx_object_get_property(proc, ZX_PROP_NAME, name, sizeof name), ZX_OK);
    cr_expect_str_eq(name, "");
    CORE_CLOSE(vmar, proc);
}
Test(process, EmptyNameSucceeds) { core_run(empty_name_body); }

static void runtime_no_permission_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, dup;
    cr_expect_eq(zx_process_create(zx_job_default(), "", 0, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(proc, core_handle_rights(proc) & ~ZX_RIGHT_INSPECT, &dup), ZX_OK);
    zx_info_task_runtime_t info;
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_TASK_RUNTIME, &info, sizeof info, NULL, NULL),
                 ZX_OK);
    cr_expect_eq(zx_object_get_info(dup, ZX_INFO_TASK_RUNTIME, &info, sizeof info, NULL, NULL),
                 ZX_ERR_ACCESS_DENIED);
}
Test(process, GetRuntimeNoPermission) { core_run(runtime_no_permission_body); }

static void exit_with_arg1(uintptr_t arg1, uintptr_t arg2)
{
    zx_process_exit((int64_t)arg1);
}

static void start_no_handle_body(uintptr_t a, uintptr_t b)
{
    static const char name[] = "test-no-handles";
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(zx_job_default(), name, sizeof name - 1, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, name, sizeof name - 1, 0, &thread), ZX_OK);
    zx_handle_close(vmar);
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)exit_with_arg1, 0, ZX_HANDLE_INVALID, 0),
                 ZX_OK);
    zx_handle_close(thread);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, zx_deadline_after(ZX_SEC(1)), &seen),
                 ZX_OK);
    cr_expect_eq(seen, ZX_TASK_TERMINATED);
    zx_info_process_t info = {0};
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect_eq(info.return_code, (int64_t)ZX_HANDLE_INVALID);
    zx_handle_close(proc);
}
Test(process, ProcessStartNoHandle) { core_run(start_no_handle_body); }

static void start_non_user_entry(uintptr_t entry)
{
    static const char name[] = "test-noncanonical-entry";
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(zx_job_default(), name, sizeof name - 1, 0, &proc, &vmar), ZX_OK);
    zx_handle_close(vmar);
    cr_expect_eq(zx_thread_create(proc, name, sizeof name - 1, 0, &thread), ZX_OK);
    cr_expect_eq(zx_process_start(proc, thread, entry, 0, ZX_HANDLE_INVALID, 0), ZX_ERR_INVALID_ARGS,
                 "entry %#lx", (unsigned long)entry);
    CORE_CLOSE(thread, proc);
}

static void start_non_user_body(uintptr_t a, uintptr_t b)
{
    start_non_user_entry(0x1);
    start_non_user_entry(0xffffff8000000000ull);
#if defined(__x86_64__)
    start_non_user_entry((uintptr_t)1 << 47); /* the lowest non-canonical address */
#endif
}
Test(process, ProcessStartNonUserspaceEntry) { core_run(start_non_user_body); }

static void start_fail_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t e2, proc, thread, other;
    cr_expect_eq(zx_event_create(0, &e2), ZX_OK);
    cr_expect_eq(core_start_blocked(zx_job_default(), &proc, &thread), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "test", 4, 0, &other), ZX_OK);
    cr_expect_eq(zx_process_start(proc, other, 0, 0, e2, 0), ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_handle_close(e2), ZX_ERR_BAD_HANDLE, "the handle was consumed anyway");
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    CORE_CLOSE(proc, thread, other);
}
Test(process, ProcessStartFail) { core_run(start_fail_body); }

/* Closing our last handle to a running process's thread (or to the
 * process) must not kill it. */
static void not_killed_by_close(bool close_thread)
{
    zx_handle_t proc, thread;
    cr_expect_eq(core_start_blocked(zx_job_default(), &proc, &thread), ZX_OK);
    zx_handle_t watched = close_thread ? proc : thread;
    cr_expect_eq(zx_handle_close(close_thread ? thread : proc), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(watched, ZX_TASK_TERMINATED, zx_deadline_after(ZX_MSEC(1)), &seen),
                 ZX_ERR_TIMED_OUT);
    cr_expect_not(seen & ZX_TASK_TERMINATED);
    cr_expect_eq(zx_task_kill(close_thread ? proc : zx_job_default()), ZX_OK);
}

static void not_killed_thread_body(uintptr_t a, uintptr_t b) { not_killed_by_close(true); }
Test(process, ProcessNotKilledViaThreadClose) { core_run(not_killed_thread_body); }

static void not_killed_process_body(uintptr_t a, uintptr_t b)
{
    /* The blocked process lives in a child job so the cleanup kill spares us. */
    zx_handle_t job;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    zx_handle_t proc, thread;
    cr_expect_eq(core_start_blocked(job, &proc, &thread), ZX_OK);
    cr_expect_eq(zx_handle_close(proc), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(thread, ZX_TASK_TERMINATED, zx_deadline_after(ZX_MSEC(1)), &seen),
                 ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_task_kill(job), ZX_OK);
    CORE_CLOSE(thread, job);
}
Test(process, ProcessNotKilledViaProcessClose) { core_run(not_killed_process_body); }

static zx_status_t dup_send(zx_handle_t channel, zx_handle_t h)
{
    zx_handle_t dup;
    zx_status_t s = zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &dup);
    return s != ZX_OK ? s : zx_channel_write(channel, 0, NULL, 0, &dup, 1);
}

static void blocked_with_channel(uintptr_t channel, uintptr_t b)
{
    zx_nanosleep(ZX_TIME_INFINITE);
}

static void kill_cycle_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t ch[2], job, proc[2], vmar[2], thread[2];
    cr_expect_eq(zx_channel_create(0, &ch[0], &ch[1]), ZX_OK);
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(zx_process_create(job, "ttp", 3, 0, &proc[i], &vmar[i]), ZX_OK);
        cr_expect_eq(zx_thread_create(proc[i], "th", 2, 0, &thread[i]), ZX_OK);
    }
    cr_expect_eq(dup_send(ch[0], proc[1]), ZX_OK);
    cr_expect_eq(dup_send(ch[0], thread[1]), ZX_OK);
    cr_expect_eq(dup_send(ch[1], proc[0]), ZX_OK);
    cr_expect_eq(dup_send(ch[1], thread[0]), ZX_OK);
    for (int i = 0; i < 2; i++)
        cr_expect_eq(zx_process_start(proc[i], thread[i], (zx_vaddr_t)blocked_with_channel, 0, ch[i], 0),
                     ZX_OK, "each process holds one end, full of the other's handles");
    CORE_CLOSE(vmar[1], vmar[0], proc[0], proc[1]);
    const zx_duration_t timeout = ZX_MSEC(250);
    cr_expect_eq(zx_object_wait_one(thread[0], ZX_TASK_TERMINATED, zx_deadline_after(timeout), NULL),
                 ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_wait_one(thread[1], ZX_TASK_TERMINATED, zx_deadline_after(timeout), NULL),
                 ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_handle_close(thread[0]), ZX_OK);
    cr_expect_eq(zx_object_wait_one(thread[1], ZX_TASK_TERMINATED, zx_deadline_after(timeout), NULL),
                 ZX_ERR_TIMED_OUT, "the cycle keeps both alive");
    cr_expect_eq(zx_task_kill(job), ZX_OK, "only the job can end it");
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(thread[1], ZX_TASK_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect(seen & ZX_TASK_TERMINATED);
    CORE_CLOSE(thread[1], job);
}
Test(process, KillChannelHandleCycle) { core_run(kill_cycle_body); }

static zx_info_process_t process_info(zx_handle_t proc)
{
    zx_info_process_t info = {0};
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL), ZX_OK);
    return info;
}

static void info_reflects_state_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t job, proc, vmar, thread;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    cr_expect_eq(zx_process_create(job, "ttp", 3, 0, &proc, &vmar), ZX_OK);
    zx_handle_close(job);
    cr_expect_eq(zx_thread_create(proc, "th", 2, 0, &thread), ZX_OK);
    zx_info_process_t info = process_info(proc);
    cr_expect_not(info.flags & ZX_INFO_PROCESS_FLAG_STARTED);
    cr_expect_not(info.flags & ZX_INFO_PROCESS_FLAG_EXITED);
    cr_expect_eq(info.return_code, 0);
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)blocked_with_channel, 0,
                                  ZX_HANDLE_INVALID, 0),
                 ZX_OK);
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, zx_deadline_after(ZX_MSEC(250)), NULL),
                 ZX_ERR_TIMED_OUT);
    info = process_info(proc);
    cr_expect(info.flags & ZX_INFO_PROCESS_FLAG_STARTED);
    cr_expect_not(info.flags & ZX_INFO_PROCESS_FLAG_EXITED);
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_TASK_TERMINATED);
    info = process_info(proc);
    cr_expect(info.flags & ZX_INFO_PROCESS_FLAG_STARTED);
    cr_expect(info.flags & ZX_INFO_PROCESS_FLAG_EXITED);
    cr_expect_eq(info.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
}
Test(process, InfoReflectsProcessState) { core_run(info_reflects_state_body); }
