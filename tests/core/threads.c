/* threads.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/threads/ (threads.cc). Threads of the test's own
 * process run C functions (upstream's thread-functions.cc) started with
 * zx_thread_create/zx_thread_start instead of the zxr_thread runtime.
 *
 * Not ported:
 *   Detach                   — checks the C runtime's zxr_thread_detach.
 *   NonstartedThread, SuspendAfterDeath, KillSuspendedThread — kill threads
 *                              with zx_task_kill; the newest Zircon (which
 *                              capsim follows) refuses thread handles there.
 *   SuspendMultiple          — needs a software breakpoint trap in app code
 *                              and THREAD_STARTING debugger exceptions.
 *   ReadingGeneralRegisterState, ReadingFpRegisterState,
 *   ReadingVectorRegisterState, WritingGeneralRegisterState,
 *   WritingFpRegisterState, WritingVectorRegisterState,
 *   WritingVectorRegisterState_UnsupportedFieldsIgnored,
 *   WriteThreadStateWithInvalidMxcsrIsInvalidArgs, ThreadLocalRegisterState,
 *   WriteReadDebugRegisterState, DebugRegistersValidation, WritingSingleStepState
 *                            — load registers with values in assembly and read
 *                              them back from the CPU; green threads have a
 *                              simulated register file (GENERAL_REGS only;
 *                              the other kinds answer ZX_ERR_NOT_SUPPORTED).
 *   WritingArmFlagsRegister  — arm64 only (the host is x86-64).
 *   X86AcFlagUserCopy        — needs the CPU's AC flag and SMAP.
 * Adapted: SuspendStopsThread, StartSuspendedThread,
 * StartSuspendedAndResumedThread and NoncanonicalRipAddressIRETQ spin with
 * zx_nanosleep(0) between stores (a loop without syscalls never gives the
 * CPU back in a simulator) and end on a flag instead of a thread kill.
 */
#include <string.h>
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/port.h>

#include "coretest.h"

static zx_info_thread_t thread_info(zx_handle_t thread)
{
    zx_info_thread_t info;
    memset(&info, 0, sizeof info);
    cr_expect_eq(zx_object_get_info(thread, ZX_INFO_THREAD, &info, sizeof info, NULL, NULL), ZX_OK);
    return info;
}

/* Poll (1 ms of virtual time apart) until the thread is in `state`. */
static void wait_thread_state(zx_handle_t thread, zx_thread_state_t state)
{
    for (int i = 0; i < 100000; i++) {
        if (thread_info(thread).state == state)
            return;
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    }
    cr_expect_fail("thread never reached state %#x", state);
}

static zx_handle_t suspend_sync(zx_handle_t thread)
{
    zx_handle_t token = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_task_suspend_token(thread, &token), ZX_OK);
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, NULL), ZX_OK);
    return token;
}

static void resume_sync(zx_handle_t thread, zx_handle_t token)
{
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_RUNNING, ZX_TIME_INFINITE, NULL), ZX_OK);
}

static void join(zx_handle_t thread)
{
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_handle_close(thread), ZX_OK);
}

/* ---- thread functions (upstream's thread-functions.cc) ------------------ */

static void sleep_fn(uintptr_t deadline, uintptr_t b)
{
    zx_nanosleep((zx_time_t)deadline);
}

/* Wait for USER_SIGNAL_0 on the event, answer with USER_SIGNAL_1. */
static void wait_fn(uintptr_t event, uintptr_t b)
{
    zx_object_wait_one((zx_handle_t)event, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, NULL);
    zx_object_signal((zx_handle_t)event, 0, ZX_USER_SIGNAL_1);
}

/* Store 1 again and again, yielding between stores, until told to stop
 * (upstream spins until killed; see the note at the top). */
static volatile int stored, stop_storing;

static void store_fn(uintptr_t value, uintptr_t b)
{
    while (!stop_storing) {
        *(volatile int *)value = 1;
        zx_nanosleep(0);
    }
}

static zx_handle_t start_storer(void)
{
    stored = stop_storing = 0;
    return core_thread_start(store_fn, (uintptr_t)&stored, 0);
}

static void stop_storer(zx_handle_t t)
{
    stop_storing = 1;
    join(t);
}

typedef struct CallArg {
    zx_handle_t channel;
    zx_status_t status;
} CallArg;

static void channel_call_fn(uintptr_t arg, uintptr_t b)
{
    CallArg *ca = (CallArg *)arg;
    char out[9] = "abcdefghi", in[9];
    zx_channel_call_args_t args = {out, NULL, in, NULL, sizeof out, 0, sizeof in, 0};
    uint32_t nb = 0, nh = 0;
    ca->status = zx_channel_call(ca->channel, 0, ZX_TIME_INFINITE, &args, &nb, &nh);
    if (ca->status == ZX_OK && (nb != sizeof in || in[8] != 'j'))
        ca->status = ZX_ERR_INTERNAL;
}

/* Take a packet from port[0], add 5 to its key, queue it on port[1]. */
static void port_fn(uintptr_t ports, uintptr_t b)
{
    zx_handle_t *port = (zx_handle_t *)ports;
    zx_port_packet_t packet;
    if (zx_port_wait(port[0], ZX_TIME_INFINITE, &packet) != ZX_OK)
        return;
    packet.key += 5;
    zx_port_queue(port[1], &packet);
}

/* ---- cases ---------------------------------------------------------------- */

static void basics_body(uintptr_t a, uintptr_t b)
{
    join(core_thread_start(sleep_fn, (uintptr_t)zx_deadline_after(ZX_MSEC(100)), 0));
}
Test(threads, Basics) { core_run(basics_body); }

static void invalid_rights_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t ro, thread;
    cr_expect_eq(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_DESTROY, &ro), ZX_OK);
    cr_expect_eq(zx_thread_create(ro, "test_thread", 11, 0, &thread), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_handle_close(ro), ZX_OK);
}
Test(threads, InvalidRights) { core_run(invalid_rights_body); }

static void empty_name_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t thread;
    cr_expect_eq(zx_thread_create(zx_process_self(), "", 0, 0, &thread), ZX_OK);
    char name[ZX_MAX_NAME_LEN];
    cr_expect_eq(zx_object_get_property(thread, ZX_PROP_NAME, name, sizeof name), ZX_OK);
    cr_expect_str_eq(name, "");
    cr_expect_eq(zx_handle_close(thread), ZX_OK);
}
Test(threads, EmptyNameSucceeds) { core_run(empty_name_body); }

static void long_name_body(uintptr_t a, uintptr_t b)
{
    static const char long_name[] = "0123456789012345678901234567890123456789"
                                    "0123456789012345678901234567890123456789";
    zx_handle_t thread;
    cr_expect_eq(zx_thread_create(zx_process_self(), long_name, sizeof long_name - 1, 0, &thread),
                 ZX_OK);
    char name[ZX_MAX_NAME_LEN];
    cr_expect_eq(zx_object_get_property(thread, ZX_PROP_NAME, name, sizeof name), ZX_OK);
    cr_expect_eq(strncmp(name, long_name, ZX_MAX_NAME_LEN - 1), 0);
    zx_handle_close(thread);
}
Test(threads, LongNameSucceeds) { core_run(long_name_body); }

static void start_on_initial_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(zx_job_default(), "test-proc-thread1", 17, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "test-thread", 11, 0, &thread), ZX_OK);
    cr_expect_eq(zx_thread_start(thread, 1, 1, 1, 1), ZX_ERR_BAD_STATE,
                 "a first thread is started by process_start");
    CORE_CLOSE(thread, vmar, proc);
}
Test(threads, ThreadStartOnInitialThread) { core_run(start_on_initial_body); }

static void zero_pc_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, thread, channel;
    cr_expect_eq(zx_process_create(zx_job_default(), "test-proc-thread2", 17, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "test-thread", 11, 0, &thread), ZX_OK);
    cr_expect_eq(zx_task_create_exception_channel(proc, 0, &channel), ZX_OK);
    cr_expect_eq(zx_process_start(proc, thread, 0, 0, thread, 0), ZX_OK, "pc 0 is accepted");
    cr_expect_eq(zx_object_wait_one(channel, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK,
                 "and faults");
    zx_exception_info_t info;
    zx_handle_t exc = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_channel_read(channel, 0, &info, &exc, sizeof info, 1, NULL, NULL), ZX_OK);
    cr_expect_eq(info.type, ZX_EXCP_FATAL_PAGE_FAULT);
    zx_handle_close(exc);
    zx_signals_t seen;
    cr_expect_eq(zx_object_wait_one(proc, ZX_TASK_TERMINATED, ZX_TIME_INFINITE, &seen), ZX_OK);
    CORE_CLOSE(channel, proc, vmar);
}
Test(threads, ThreadStartWithZeroInstructionPointer) { core_run(zero_pc_body); }

static void info_task_stats_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t t = core_thread_start(sleep_fn, (uintptr_t)zx_deadline_after(ZX_MSEC(100)), 0);
    cr_expect_eq(zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_info_task_stats_t info;
    cr_expect_neq(zx_object_get_info(t, ZX_INFO_TASK_STATS, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect_eq(zx_handle_close(t), ZX_OK);
}
Test(threads, InfoTaskStatsFails) { core_run(info_task_stats_body); }

typedef struct Worker {
    zx_handle_t started, should_stop;
} Worker;

static void worker_fn(uintptr_t arg, uintptr_t b)
{
    Worker *w = (Worker *)arg;
    zx_object_signal(w->started, 0, ZX_USER_SIGNAL_0);
    zx_object_wait_one(w->should_stop, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, NULL);
}

static void last_cpu_body(uintptr_t a, uintptr_t b)
{
    Worker w;
    cr_expect_eq(zx_event_create(0, &w.started), ZX_OK);
    cr_expect_eq(zx_event_create(0, &w.should_stop), ZX_OK);
    zx_handle_t t;
    cr_expect_eq(zx_thread_create(zx_process_self(), "test_thread", 11, 0, &t), ZX_OK);
    zx_info_thread_stats_t info;
    cr_expect_eq(zx_object_get_info(t, ZX_INFO_THREAD_STATS, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect_eq(info.last_scheduled_cpu, ZX_INFO_INVALID_CPU, "never ran yet");
    cr_expect_eq(zx_thread_start(t, (zx_vaddr_t)worker_fn, 0, (uintptr_t)&w, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(w.started, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_object_get_info(t, ZX_INFO_THREAD_STATS, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect_neq(info.last_scheduled_cpu, ZX_INFO_INVALID_CPU);
    cr_expect_lt(info.last_scheduled_cpu, ZX_CPU_SET_MAX_CPUS);
    cr_expect_eq(zx_object_signal(w.should_stop, 0, ZX_USER_SIGNAL_0), ZX_OK);
    join(t);
}
Test(threads, GetLastScheduledCpu) { core_run(last_cpu_body); }

static bool cpu_bit(const zx_cpu_set_t *set, uint32_t i)
{
    return (set->mask[i / ZX_CPU_SET_BITS_PER_WORD] >> (i % ZX_CPU_SET_BITS_PER_WORD)) & 1;
}

static void get_affinity_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t t;
    cr_expect_eq(zx_thread_create(zx_process_self(), "test_thread", 11, 0, &t), ZX_OK);
    zx_info_thread_t info = thread_info(t);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ZX_CPU_SET_MAX_CPUS; i++)
        n += cpu_bit(&info.cpu_affinity_mask, i);
    cr_expect_gt(n, 0u, "runnable on at least one CPU");
    for (uint32_t i = 0; i < ZX_CPU_SET_MAX_CPUS; i++)
        cr_expect_eq(cpu_bit(&info.cpu_affinity_mask, i), i < n, "CPUs 0..n-1, bit %u", i);
    zx_handle_close(t);
}
Test(threads, GetAffinity) { core_run(get_affinity_body); }

static void resume_suspended_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t event;
    cr_expect_eq(zx_event_create(0, &event), ZX_OK);
    zx_handle_t t = core_thread_start(wait_fn, event, 0), token;
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    cr_expect_eq(zx_task_suspend_token(t, &token), ZX_OK);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    token = suspend_sync(t);
    zx_info_thread_t info = thread_info(t);
    cr_expect_eq(info.state, ZX_THREAD_STATE_SUSPENDED);
    cr_expect_eq(info.wait_exception_channel_type, ZX_EXCEPTION_CHANNEL_TYPE_NONE);
    resume_sync(t, token);
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    token = suspend_sync(t);
    cr_expect_eq(zx_object_signal(event, 0, ZX_USER_SIGNAL_0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(event, ZX_USER_SIGNAL_1, zx_deadline_after(ZX_MSEC(100)), NULL),
                 ZX_ERR_TIMED_OUT, "a suspended thread does not act on the signal");
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    cr_expect_eq(zx_object_wait_one(event, ZX_USER_SIGNAL_1, ZX_TIME_INFINITE, NULL), ZX_OK);
    join(t);
    zx_handle_close(event);
}
Test(threads, ResumeSuspended) { core_run(resume_suspended_body); }

static void suspend_sleeping_body(uintptr_t a, uintptr_t b)
{
    const zx_time_t deadline = zx_deadline_after(ZX_MSEC(100));
    zx_handle_t t = core_thread_start(sleep_fn, (uintptr_t)deadline, 0), token;
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_SLEEPING);
    cr_expect_eq(zx_task_suspend_token(t, &token), ZX_OK);
    cr_expect_eq(zx_object_wait_one(t, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    cr_expect_eq(zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_geq(zx_clock_get_monotonic(), deadline, "the sleep still lasted its full time");
    zx_handle_close(t);
}
Test(threads, SuspendSleeping) { core_run(suspend_sleeping_body); }

static void suspend_channel_call_body(uintptr_t a, uintptr_t b)
{
    CallArg arg = {ZX_HANDLE_INVALID, ZX_ERR_BAD_STATE};
    zx_handle_t channel;
    cr_expect_eq(zx_channel_create(0, &arg.channel, &channel), ZX_OK);
    zx_handle_t t = core_thread_start(channel_call_fn, (uintptr_t)&arg, 0);
    cr_expect_eq(zx_object_wait_one(channel, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_handle_t token = suspend_sync(t);
    uint8_t buf[9];
    uint32_t n = 0;
    cr_expect_eq(zx_channel_read(channel, 0, buf, NULL, sizeof buf, 0, &n, NULL), ZX_OK);
    cr_expect_eq(n, sizeof buf);
    cr_expect_eq(memcmp(buf + sizeof(zx_txid_t), "abcdefghi" + sizeof(zx_txid_t),
                        sizeof buf - sizeof(zx_txid_t)),
                 0);
    buf[8] = 'j';
    cr_expect_eq(zx_channel_write(channel, 0, buf, sizeof buf, NULL, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(arg.channel, ZX_CHANNEL_READABLE, 0, NULL), ZX_ERR_TIMED_OUT,
                 "the reply is reserved for the suspended caller");
    cr_expect_eq(zx_channel_read(arg.channel, 0, buf, NULL, sizeof buf, 0, &n, NULL),
                 ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    cr_expect_eq(zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(arg.status, ZX_OK);
    CORE_CLOSE(channel, t);
}
Test(threads, SuspendChannelCall) { core_run(suspend_channel_call_body); }

static void suspend_port_call_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t port[2];
    cr_expect_eq(zx_port_create(0, &port[0]), ZX_OK);
    cr_expect_eq(zx_port_create(0, &port[1]), ZX_OK);
    zx_handle_t t = core_thread_start(port_fn, (uintptr_t)port, 0), token;
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_PORT);
    cr_expect_eq(zx_task_suspend_token(t, &token), ZX_OK);
    zx_port_packet_t p1 = {.key = 100, .type = ZX_PKT_TYPE_USER};
    zx_port_packet_t p2 = {.key = 300, .type = ZX_PKT_TYPE_USER};
    cr_expect_eq(zx_port_queue(port[0], &p1), ZX_OK);
    cr_expect_eq(zx_port_queue(port[0], &p2), ZX_OK);
    zx_port_packet_t packet;
    cr_expect_eq(zx_port_wait(port[1], zx_deadline_after(ZX_MSEC(100)), &packet), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    cr_expect_eq(zx_port_wait(port[1], ZX_TIME_INFINITE, &packet), ZX_OK);
    cr_expect_eq(packet.key, 105u, "the thread got the first packet");
    cr_expect_eq(zx_port_wait(port[0], ZX_TIME_INFINITE, &packet), ZX_OK);
    cr_expect_eq(packet.key, 300u, "and only that one");
    join(t);
    CORE_CLOSE(port[0], port[1]);
}
Test(threads, SuspendPortCall) { core_run(suspend_port_call_body); }

static void suspend_stops_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t t = start_storer(), token;
    while (stored != 1)
        zx_nanosleep(0);
    cr_expect_eq(zx_task_suspend_token(t, &token), ZX_OK);
    for (int i = 0; stored != 2 && i < 1000; i++) {
        stored = 2;
        zx_nanosleep(zx_deadline_after(ZX_MSEC(50)));
    }
    cr_expect_eq(stored, 2, "a suspended thread stores nothing");
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    while (stored != 1)
        zx_nanosleep(0);
    stop_storer(t);
}
Test(threads, SuspendStopsThread) { core_run(suspend_stops_body); }

static void suspend_self_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t token;
    cr_expect_eq(zx_task_suspend(zx_thread_self(), &token), ZX_ERR_NOT_SUPPORTED);
}
Test(threads, SuspendSelf) { core_run(suspend_self_body); }

/* Suspend (and maybe resume) a thread before it starts. */
static void start_suspended(bool resume_first)
{
    stored = stop_storing = 0;
    zx_handle_t t, token;
    cr_expect_eq(zx_thread_create(zx_process_self(), "test_thread", 11, 0, &t), ZX_OK);
    cr_expect_eq(zx_task_suspend(t, &token), ZX_OK);
    if (resume_first)
        cr_expect_eq(zx_handle_close(token), ZX_OK);
    cr_expect_eq(zx_thread_start(t, (zx_vaddr_t)store_fn, 0, (uintptr_t)&stored, 0), ZX_OK);
    if (!resume_first) {
        cr_expect_eq(zx_object_wait_one(t, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, NULL), ZX_OK);
        zx_nanosleep(zx_deadline_after(ZX_MSEC(10)));
        cr_expect_eq(stored, 0, "it did not run at all");
        cr_expect_eq(zx_handle_close(token), ZX_OK);
    }
    cr_expect_eq(zx_object_wait_one(t, ZX_THREAD_RUNNING, ZX_TIME_INFINITE, NULL), ZX_OK);
    while (stored != 1)
        zx_nanosleep(0);
    stop_storer(t);
}

static void start_suspended_body(uintptr_t a, uintptr_t b) { start_suspended(false); }
Test(threads, StartSuspendedThread) { core_run(start_suspended_body); }

static void start_resumed_body(uintptr_t a, uintptr_t b) { start_suspended(true); }
Test(threads, StartSuspendedAndResumedThread) { core_run(start_resumed_body); }

static void port_signal(zx_handle_t port, zx_handle_t thread, zx_time_t deadline,
                        zx_signals_t mask, zx_port_packet_t *packet)
{
    cr_expect_eq(zx_object_wait_async(thread, port, 0, mask, ZX_WAIT_ASYNC_ONCE), ZX_OK);
    cr_expect_eq(zx_port_wait(port, deadline, packet), ZX_OK);
    cr_expect_eq(packet->type, ZX_PKT_TYPE_SIGNAL_ONE);
}

static void wait_async_delivery_body(uintptr_t a, uintptr_t b)
{
    const zx_signals_t run_susp = ZX_THREAD_RUNNING | ZX_THREAD_SUSPENDED;
    zx_handle_t event, port;
    cr_expect_eq(zx_event_create(0, &event), ZX_OK);
    zx_handle_t t = core_thread_start(wait_fn, event, 0);
    cr_expect_eq(zx_port_create(0, &port), ZX_OK);
    zx_port_packet_t packet;
    port_signal(port, t, 0, run_susp, &packet);
    cr_expect_eq(packet.signal.observed & run_susp, ZX_THREAD_RUNNING);
    cr_expect_eq(zx_object_wait_async(t, port, 0, ZX_THREAD_SUSPENDED, ZX_WAIT_ASYNC_ONCE), ZX_OK);
    cr_expect_eq(zx_port_wait(port, 0, &packet), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_port_cancel(port, t, 0), ZX_OK);
    zx_handle_t token = suspend_sync(t);
    cr_expect_eq(thread_info(t).state, ZX_THREAD_STATE_SUSPENDED);
    resume_sync(t, token);
    zx_thread_state_t st = thread_info(t).state;
    cr_expect(st == ZX_THREAD_STATE_RUNNING || st == ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    port_signal(port, t, 0, run_susp, &packet);
    cr_expect_eq(packet.signal.observed & run_susp, ZX_THREAD_RUNNING);
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    cr_expect_eq(zx_task_suspend_token(t, &token), ZX_OK);
    port_signal(port, t, zx_deadline_after(ZX_MSEC(100)), ZX_THREAD_SUSPENDED, &packet);
    cr_expect_eq(packet.signal.observed & run_susp, ZX_THREAD_SUSPENDED);
    cr_expect_eq(thread_info(t).state, ZX_THREAD_STATE_SUSPENDED);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    port_signal(port, t, zx_deadline_after(ZX_MSEC(100)), ZX_THREAD_RUNNING, &packet);
    cr_expect_eq(packet.signal.observed & run_susp, ZX_THREAD_RUNNING);
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    cr_expect_eq(zx_object_signal(event, 0, ZX_USER_SIGNAL_0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(event, ZX_USER_SIGNAL_1, ZX_TIME_INFINITE, NULL), ZX_OK);
    join(t);
    CORE_CLOSE(port, event);
}
Test(threads, SuspendSingleWaitAsyncSignalDelivery) { core_run(wait_async_delivery_body); }
Test(threads, SuspendRepeatingWaitAsyncSignalDelivery) { core_run(wait_async_delivery_body); }

/* NoncanonicalRipAddressSyscall / ...IRETQ: a suspended thread's pc may be
 * set to a canonical user address but not to a non-canonical or kernel
 * one. (Every suspension here is at a syscall, so both cases check the
 * same thing.) */
static void rip_checks(zx_handle_t t)
{
#if defined(__x86_64__)
    zx_thread_state_general_regs_t regs, mod;
    cr_expect_eq(zx_thread_read_state(t, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs), ZX_OK);
    const uintptr_t noncanonical = (uintptr_t)1 << 47;
    mod = regs;
    mod.rip = noncanonical;
    cr_expect_eq(zx_thread_write_state(t, ZX_THREAD_STATE_GENERAL_REGS, &mod, sizeof mod),
                 ZX_ERR_INVALID_ARGS);
    mod.rip = noncanonical - 1;
    cr_expect_eq(zx_thread_write_state(t, ZX_THREAD_STATE_GENERAL_REGS, &mod, sizeof mod), ZX_OK);
    mod.rip = 0xffffff8000000000ull;
    cr_expect_eq(zx_thread_write_state(t, ZX_THREAD_STATE_GENERAL_REGS, &mod, sizeof mod),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_thread_write_state(t, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs), ZX_OK);
#else
    (void)t;
#endif
}

static void noncanonical_rip_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t event;
    cr_expect_eq(zx_event_create(0, &event), ZX_OK);
    zx_handle_t t = core_thread_start(wait_fn, event, 0);
    wait_thread_state(t, ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    zx_handle_t token = suspend_sync(t);
    rip_checks(t);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    cr_expect_eq(zx_object_signal(event, 0, ZX_USER_SIGNAL_0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(event, ZX_USER_SIGNAL_1, ZX_TIME_INFINITE, NULL), ZX_OK);
    join(t);
    zx_handle_close(event);
}
Test(threads, NoncanonicalRipAddressSyscall) { core_run(noncanonical_rip_body); }

static void noncanonical_iretq_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t t = start_storer();
    while (stored != 1)
        zx_nanosleep(0);
    zx_handle_t token = suspend_sync(t);
    rip_checks(t);
    cr_expect_eq(zx_handle_close(token), ZX_OK);
    stop_storer(t);
}
Test(threads, NoncanonicalRipAddressIRETQ) { core_run(noncanonical_iretq_body); }
