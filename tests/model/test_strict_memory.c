/* test_strict_memory.c — strict memory mode (model/strict_memory.c), with
 * each mechanism (protection keys where the host has them, mprotect) and
 * without:
 *  - a process reading or writing another's mapping (a thread's stack
 *    included) through a raw address it was given is killed with ZX_TASK_RETCODE_EXCEPTION_KILL, or its
 *    exception channel sees ZX_EXCP_FATAL_PAGE_FAULT; without strict mode
 *    the same program gets the data;
 *  - the kernel still reaches app memory: process_read/write_memory, a
 *    channel read into a mapped buffer, a channel_call reply and a
 *    wait_one result delivered into a blocked waiter's mapping by another
 *    process's syscall; a syscall buffer in another process's mapping is
 *    ZX_ERR_INVALID_ARGS;
 *  - a VMO mapped by two processes works through both mappings; threads on
 *    VMO stacks and on several CPUs keep running;
 *  - more processes than protection keys stay isolated pairwise;
 *  - the trace hash of a fault-free run is the same strict or not.
 * Simulated processes here share the test binary's globals: that is how
 * raw addresses and results travel. */
#include <string.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include "host_isolation.h"
#include "ktest.h"
#include "strict_memory.h"
#include "thread.h"
#include "vmar.h"
#include "vmo.h"

#define PAGE 4096u
#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)
#define SECRET "hunter2"

static const HostIsolation MODES[] = {HOST_ISOLATION_OFF, HOST_ISOLATION_PKEY,
                                      HOST_ISOLATION_MPROTECT};

static KTest *strict_test(HostIsolation mode, int cpus)
{
    KTest *t = ktest_new(1, cpus);
    cr_assert_eq(strict_memory_set(t->kernel, mode), ZX_OK, "mode %s",
                 strict_memory_name(mode));
    t->kernel->debugging_syscalls = true; /* process_write_memory */
    return t;
}

static bool mode_available(HostIsolation mode)
{
    return mode != HOST_ISOLATION_PKEY || host_isolation_pkeys_available();
}

static zx_vaddr_t map_new_vmo(size_t size, zx_handle_t *vmo_out)
{
    zx_handle_t vmo;
    zx_vaddr_t a = 0;
    cr_expect_eq(zx_vmo_create(size, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, vmo, 0, size, &a), ZX_OK);
    if (vmo_out)
        *vmo_out = vmo;
    else
        zx_handle_close(vmo);
    return a;
}

static uintptr_t g_child_map; /* where start_child mapped `vmo` in the child */

/* A child process running fn(arg1 = handle, 0) in this binary (it has no
 * startup handles). A valid `vmo` is mapped into its address space first,
 * by us: a mapping made while the child's memory is closed. */
static zx_handle_t start_child(ThreadEntryFn fn, zx_handle_t handle, zx_handle_t *exc_ch,
                               zx_handle_t vmo)
{
    zx_handle_t proc, vmar, thread;
    cr_expect_eq(zx_process_create(zx_job_default(), "child", 5, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_thread_create(proc, "t", 1, 0, &thread), ZX_OK);
    if (vmo != ZX_HANDLE_INVALID) {
        zx_vaddr_t a = 0;
        cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, PAGE, &a), ZX_OK);
        g_child_map = a;
        zx_handle_close(vmo);
    }
    zx_handle_close(vmar);
    if (exc_ch)
        cr_expect_eq(zx_task_create_exception_channel(proc, 0, exc_ch), ZX_OK);
    cr_expect_eq(zx_process_start(proc, thread, (zx_vaddr_t)fn, 0, handle, 0), ZX_OK);
    return proc;
}

static int64_t wait_retcode(zx_handle_t proc)
{
    zx_info_process_t info;
    cr_expect_eq(zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL),
                 ZX_OK);
    return info.return_code;
}

/* ---- a stray pointer into another process -------------------------------- */

static volatile uintptr_t g_addr;       /* the owner's mapping */
static char g_seen[16];                 /* what the child read there */
static int64_t g_child_rc;
static char g_owner_after[16];          /* the owner's bytes after the child */
static uint32_t g_exc_type;

static void stray_reader(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    memcpy(g_seen, (const void *)g_addr, sizeof SECRET);
    zx_process_exit(0);
}

static void stray_writer(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    memcpy((void *)g_addr, "changed", sizeof SECRET);
    zx_process_exit(0);
}

#define STRAY_WATCH 1u    /* stray_owner's flags: watch the exception channel */
#define STRAY_ON_STACK 2u /* the secret is a local of the owner's thread */

static void stray_owner(uintptr_t child_fn, uintptr_t flags)
{
    bool watch = flags & STRAY_WATCH;
    char local[16];
    zx_vaddr_t a = flags & STRAY_ON_STACK ? (zx_vaddr_t)local : map_new_vmo(PAGE, NULL);
    memcpy((void *)a, SECRET, sizeof SECRET);
    g_addr = a;
    zx_handle_t ch = ZX_HANDLE_INVALID;
    zx_handle_t proc = start_child((ThreadEntryFn)child_fn, ZX_HANDLE_INVALID,
                                   watch ? &ch : NULL, ZX_HANDLE_INVALID);
    if (watch) {
        zx_exception_info_t info;
        zx_handle_t exc = ZX_HANDLE_INVALID;
        uint32_t nb = 0, nh = 0;
        if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                               ZX_TIME_INFINITE, NULL) == ZX_OK &&
            zx_channel_read(ch, 0, &info, &exc, sizeof info, 1, &nb, &nh) == ZX_OK) {
            g_exc_type = info.type;
            zx_handle_close(exc); /* unhandled: the process is killed */
        }
    }
    g_child_rc = wait_retcode(proc);
    memcpy(g_owner_after, (const void *)a, sizeof SECRET);
    zx_process_exit(0);
}

static void stray_run(HostIsolation mode, ThreadEntryFn child, unsigned flags)
{
    memset(g_seen, 0, sizeof g_seen);
    g_child_rc = 1;
    g_exc_type = 0;
    KTest *t = strict_test(mode, 1);
    LaunchSpec spec = {.name = "owner", .entry = stray_owner, .arg1 = (uintptr_t)child,
                       .arg2 = flags, .give = LAUNCH_GIVE_STANDARD};
    KProcess *p = ktest_spawn_spec(t, &spec);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

Test(strict_memory, stray_read_is_a_page_fault_only_in_strict_mode)
{
    for (size_t i = 0; i < 3; i++) {
        HostIsolation m = MODES[i];
        if (!mode_available(m))
            continue;
        stray_run(m, stray_reader, 0);
        if (m == HOST_ISOLATION_OFF) {
            cr_expect_eq(g_child_rc, 0);
            cr_expect_str_eq(g_seen, SECRET, "without strict mode the data is read");
        } else {
            cr_expect_eq(g_child_rc, ZX_TASK_RETCODE_EXCEPTION_KILL, "%s",
                         strict_memory_name(m));
            cr_expect_str_eq(g_seen, "", "%s: nothing was read", strict_memory_name(m));
        }
    }
}

/* A thread's stack is process memory (model/thread_stack.c): a local of
 * the owner's is closed to the child like any mapping. */
Test(strict_memory, stray_read_of_a_stack_is_a_page_fault_only_in_strict_mode)
{
    for (size_t i = 0; i < 3; i++) {
        HostIsolation m = MODES[i];
        if (!mode_available(m))
            continue;
        stray_run(m, stray_reader, STRAY_ON_STACK);
        bool strict = m != HOST_ISOLATION_OFF;
        cr_expect_eq(g_child_rc, strict ? ZX_TASK_RETCODE_EXCEPTION_KILL : 0, "%s",
                     strict_memory_name(m));
        cr_expect_str_eq(g_seen, strict ? "" : SECRET, "%s", strict_memory_name(m));
    }
}

Test(strict_memory, stray_write_is_a_page_fault_only_in_strict_mode)
{
    for (size_t i = 0; i < 3; i++) {
        HostIsolation m = MODES[i];
        if (!mode_available(m))
            continue;
        stray_run(m, stray_writer, 0);
        bool strict = m != HOST_ISOLATION_OFF;
        cr_expect_eq(g_child_rc, strict ? ZX_TASK_RETCODE_EXCEPTION_KILL : 0, "%s",
                     strict_memory_name(m));
        cr_expect_str_eq(g_owner_after, strict ? SECRET : "changed", "%s",
                         strict_memory_name(m));
    }
}

Test(strict_memory, exception_channel_sees_the_page_fault)
{
    for (size_t i = 1; i < 3; i++) {
        if (!mode_available(MODES[i]))
            continue;
        stray_run(MODES[i], stray_reader, STRAY_WATCH);
        cr_expect_eq(g_exc_type, ZX_EXCP_FATAL_PAGE_FAULT, "%s",
                     strict_memory_name(MODES[i]));
        cr_expect_eq(g_child_rc, ZX_TASK_RETCODE_EXCEPTION_KILL);
    }
}

/* ---- the kernel reaches app memory ---------------------------------------- */

typedef struct KernelCopies {
    int read_memory, write_memory, channel_read, call_reply, wait_result;
    zx_status_t foreign_buffer; /* a syscall buffer in the owner's mapping */
    int64_t child_rc;
    char owner_after[16];
} KernelCopies;
static KernelCopies g_kc;
static bool g_kc_probe; /* try a buffer in the owner's mapping (differs strict or not) */

static void copies_child(uintptr_t ch, uintptr_t b)
{
    (void)b;
    uintptr_t addr = 0;
    zx_handle_t owner = ZX_HANDLE_INVALID;
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_channel_read(ch, 0, &addr, &owner, sizeof addr, 1, &nb, &nh), ZX_OK);
    char buf[16] = {0};
    size_t actual = 0;
    g_kc.read_memory = zx_process_read_memory(owner, addr, buf, sizeof SECRET, &actual) ==
                           ZX_OK && !strcmp(buf, SECRET);
    g_kc.write_memory = zx_process_write_memory(owner, addr, "changed", sizeof SECRET,
                                                &actual) == ZX_OK;
    /* A buffer in the owner's mapping is not ours. */
    g_kc.foreign_buffer = zx_channel_read(ch, 0, g_kc_probe ? (void *)(addr + 64) : buf,
                                          NULL, 8, 0, &nb, &nh);
    char *mine = (char *)g_child_map;
    g_kc.channel_read = zx_channel_read(ch, 0, mine, NULL, 64, 0, &nb, &nh) == ZX_OK &&
                        !memcmp(mine, "ping", 4);
    /* The reply is copied into `mine` by the owner's channel_write. */
    zx_channel_call_args_t args = {.wr_bytes = "....call", .wr_num_bytes = 8,
                                   .rd_bytes = mine + 64, .rd_num_bytes = 64};
    uint32_t *counts = (uint32_t *)(mine + 256);
    g_kc.call_reply = zx_channel_call(ch, 0, ZX_TIME_INFINITE, &args, &counts[0],
                                      &counts[1]) == ZX_OK &&
                      counts[0] == 8 && !memcmp(mine + 68, "pong", 4);
    /* The observed signals are written by the owner's handle_close. */
    zx_signals_t *seen = (zx_signals_t *)(mine + 128);
    cr_expect_eq(zx_channel_write(ch, 0, "ready", 5, NULL, 0), ZX_OK);
    g_kc.wait_result = zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE,
                                          seen) == ZX_OK &&
                       (*seen & ZX_CHANNEL_PEER_CLOSED);
    zx_process_exit(0);
}

static void copies_owner(uintptr_t a0, uintptr_t b0)
{
    (void)a0, (void)b0;
    zx_vaddr_t a = map_new_vmo(PAGE, NULL);
    memcpy((void *)a, SECRET, sizeof SECRET);
    zx_handle_t mine, theirs, self;
    cr_expect_eq(zx_channel_create(0, &mine, &theirs), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &self), ZX_OK);
    cr_expect_eq(zx_channel_write(mine, 0, &a, sizeof a, &self, 1), ZX_OK);
    cr_expect_eq(zx_channel_write(mine, 0, "stay", 4, NULL, 0), ZX_OK);
    cr_expect_eq(zx_channel_write(mine, 0, "ping", 4, NULL, 0), ZX_OK);
    zx_handle_t buf;
    cr_expect_eq(zx_vmo_create(PAGE, 0, &buf), ZX_OK);
    zx_handle_t proc = start_child(copies_child, theirs, NULL, buf);
    char req[16];
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_object_wait_one(mine, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(mine, 0, req, NULL, sizeof req, 0, &nb, &nh), ZX_OK);
    memcpy(req + 4, "pong", 4);
    cr_expect_eq(zx_channel_write(mine, 0, req, 8, NULL, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(mine, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(mine, 0, req, NULL, sizeof req, 0, &nb, &nh), ZX_OK);
    zx_handle_close(mine); /* the child is blocked waiting for this */
    g_kc.child_rc = wait_retcode(proc);
    memcpy(g_kc.owner_after, (const void *)a, sizeof SECRET);
    zx_process_exit(0);
}

static SimTraceHash copies_run(HostIsolation mode, bool probe)
{
    memset(&g_kc, 0, sizeof g_kc);
    g_kc_probe = probe;
    KTest *t = strict_test(mode, 1);
    KProcess *p = ktest_spawn(t, "owner", copies_owner, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    SimTraceHash h = sim_trace_hash(t->engine);
    ktest_free(t);
    return h;
}

Test(strict_memory, kernel_copies_reach_each_process)
{
    for (size_t i = 0; i < 3; i++) {
        HostIsolation m = MODES[i];
        if (!mode_available(m))
            continue;
        copies_run(m, true);
        const char *n = strict_memory_name(m);
        cr_expect_eq(g_kc.child_rc, 0, "%s", n);
        cr_expect(g_kc.read_memory, "%s: process_read_memory", n);
        cr_expect(g_kc.write_memory, "%s: process_write_memory", n);
        cr_expect_str_eq(g_kc.owner_after, "changed", "%s", n);
        cr_expect(g_kc.channel_read, "%s: channel_read into a mapping", n);
        cr_expect(g_kc.call_reply, "%s: channel_call reply into a mapping", n);
        cr_expect(g_kc.wait_result, "%s: wait_one result into a mapping", n);
        if (m == HOST_ISOLATION_OFF)
            cr_expect_eq(g_kc.foreign_buffer, ZX_OK, "one address space for all");
        else
            cr_expect_eq(g_kc.foreign_buffer, ZX_ERR_INVALID_ARGS, "%s", n);
    }
}

Test(strict_memory, same_trace_hash_strict_or_not)
{
    SimTraceHash off = copies_run(HOST_ISOLATION_OFF, false);
    for (size_t i = 1; i < 3; i++) {
        if (!mode_available(MODES[i]))
            continue;
        SimTraceHash h = copies_run(MODES[i], false);
        cr_expect(!memcmp(&h, &off, sizeof h), "%s changed the trace",
                  strict_memory_name(MODES[i]));
    }
}

/* ---- a VMO mapped by two processes ---------------------------------------- */

static char g_child_saw[16];

static void shared_child(uintptr_t a0, uintptr_t b)
{
    (void)a0, (void)b;
    char *a = (char *)g_child_map;
    memcpy(g_child_saw, (const void *)a, sizeof SECRET);
    memcpy((char *)a + 64, "reply", 6);
    zx_process_exit(0);
}

static void shared_owner(uintptr_t a0, uintptr_t b0)
{
    (void)a0, (void)b0;
    zx_handle_t vmo, dup;
    zx_vaddr_t a = map_new_vmo(PAGE, &vmo);
    g_addr = a;
    memcpy((void *)a, SECRET, sizeof SECRET);
    cr_expect_eq(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_OK);
    g_child_rc = wait_retcode(start_child(shared_child, ZX_HANDLE_INVALID, NULL, dup));
    memcpy(g_owner_after, (const char *)a + 64, 6);
    zx_process_exit(0);
}

Test(strict_memory, shared_vmo_works_through_each_mapping)
{
    for (size_t i = 1; i < 3; i++) {
        if (!mode_available(MODES[i]))
            continue;
        KTest *t = strict_test(MODES[i], 1);
        KProcess *p = ktest_spawn(t, "owner", shared_owner, 0);
        cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
        cr_assert_eq(ktest_retcode(p), 0);
        ktest_free(t);
        cr_expect_eq(g_child_rc, 0);
        cr_expect_neq(g_child_map, g_addr, "two mappings, two addresses");
        cr_expect_str_eq(g_child_saw, SECRET);
        cr_expect_str_eq(g_owner_after, "reply");
    }
}

/* ---- threads: VMO stacks, several CPUs ------------------------------------- */

#define ROUNDS 40
#define WORKERS 4
#define STACK (64 * 1024)
static int g_worker_rounds[2][WORKERS];

/* Bump this worker's counter in its process's mapping, yielding between
 * rounds (an engine-level yield and a syscall) so that threads of both
 * processes interleave on both CPUs. */
static void worker(uintptr_t data, uintptr_t k)
{
    volatile int *counter = (volatile int *)data;
    for (int r = 0; r < ROUNDS; r++) {
        counter[k]++;
        sim_yield();
        zx_handle_t dup;
        if (zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &dup) == ZX_OK)
            zx_handle_close(dup);
    }
    g_worker_rounds[counter[WORKERS]][k] = counter[k];
    zx_thread_exit();
}

static void workers_main(uintptr_t index, uintptr_t b)
{
    (void)b;
    volatile int *data = (volatile int *)map_new_vmo(PAGE, NULL);
    zx_vaddr_t stack = map_new_vmo(STACK, NULL);
    data[WORKERS] = (int)index;
    zx_handle_t threads[WORKERS];
    for (uintptr_t k = 0; k < WORKERS; k++) {
        cr_expect_eq(zx_thread_create(zx_process_self(), "w", 1, 0, &threads[k]), ZX_OK);
        uintptr_t top = k == WORKERS - 1 ? stack + STACK : 0; /* the last on a VMO stack */
        cr_expect_eq(zx_thread_start(threads[k], (zx_vaddr_t)worker, top, (uintptr_t)data, k),
                     ZX_OK);
    }
    for (int k = 0; k < WORKERS; k++)
        cr_expect_eq(zx_object_wait_one(threads[k], ZX_THREAD_TERMINATED, ZX_TIME_INFINITE,
                                        NULL), ZX_OK);
    zx_process_exit(0);
}

Test(strict_memory, threads_on_vmo_stacks_and_several_cpus_share_access)
{
    for (size_t run = 2; run < 6; run++) {
        size_t i = run % 2 + 1;
        if (!mode_available(MODES[i]))
            continue;
        memset(g_worker_rounds, 0, sizeof g_worker_rounds);
        KTest *t = strict_test(MODES[i], (int)run / 2); /* 1 CPU: direct yields */
        KProcess *a = ktest_spawn(t, "a", workers_main, 0);
        KProcess *b = ktest_spawn(t, "b", workers_main, 1);
        cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
        cr_expect_eq(ktest_retcode(a), 0, "%s", strict_memory_name(MODES[i]));
        cr_expect_eq(ktest_retcode(b), 0, "%s", strict_memory_name(MODES[i]));
        ktest_free(t);
        for (int p = 0; p < 2; p++)
            for (int k = 0; k < WORKERS; k++)
                cr_expect_eq(g_worker_rounds[p][k], ROUNDS, "%s: process %d worker %d",
                             strict_memory_name(MODES[i]), p, k);
    }
}

/* ---- more processes than keys ------------------------------------------------ */

#define MANY 20
static volatile uintptr_t g_many_addr[MANY];
static int g_many_own_ok[MANY];
static int g_many_neighbour[MANY];

/* Check our own data across many switches, read the neighbour's through
 * its raw address, then stay alive until every one has tried. */
static void many_member(uintptr_t i, uintptr_t b)
{
    (void)b;
    volatile int *mine = (volatile int *)map_new_vmo(PAGE, NULL);
    *mine = 1000 + (int)i;
    g_many_addr[i] = (uintptr_t)mine;
    for (int r = 0; r < ROUNDS; r++) {
        sim_yield();
        g_many_own_ok[i] += *mine == 1000 + (int)i;
        (*mine)++;
        (*mine)--;
    }
    g_many_neighbour[i] = *(volatile int *)g_many_addr[(i + 1) % MANY];
    for (int r = 0; r < ROUNDS; r++)
        sim_yield();
    zx_process_exit(0);
}

Test(strict_memory, more_processes_than_keys_stay_isolated)
{
    for (size_t m = 0; m < 3; m++) {
        if (!mode_available(MODES[m]))
            continue;
        const char *n = strict_memory_name(MODES[m]);
        memset(g_many_own_ok, 0, sizeof g_many_own_ok);
        memset(g_many_neighbour, 0, sizeof g_many_neighbour);
        KTest *t = strict_test(MODES[m], 1);
        KProcess *p[MANY];
        for (uintptr_t i = 0; i < MANY; i++)
            p[i] = ktest_spawn(t, "member", many_member, i);
        cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
        for (int i = 0; i < MANY; i++) {
            cr_expect_eq(g_many_own_ok[i], ROUNDS, "%s: member %d lost its own memory", n, i);
            if (MODES[m] == HOST_ISOLATION_OFF) {
                cr_expect_eq(ktest_retcode(p[i]), 0);
                cr_expect_eq(g_many_neighbour[i], 1000 + (i + 1) % MANY);
            } else {
                cr_expect_eq(ktest_retcode(p[i]), ZX_TASK_RETCODE_EXCEPTION_KILL,
                             "%s: member %d", n, i);
                cr_expect_eq(g_many_neighbour[i], 0);
            }
        }
        ktest_free(t);
    }
}

/* Every ordered pair, from the host side: with process i open, only i's
 * mapping is reachable — twice, in two orders, so keys get lent, taken
 * back and lent again; and a dead process's key is reused. */
Test(strict_memory, pairwise_isolation_of_many_address_spaces)
{
    for (size_t m = 1; m < 3; m++) {
        if (!mode_available(MODES[m]))
            continue;
        const char *n = strict_memory_name(MODES[m]);
        KTest *t = strict_test(MODES[m], 1);
        KProcess *p[MANY];
        uint8_t *addr[MANY];
        for (int i = 0; i < MANY; i++) {
            cr_assert_eq(process_create(t->job, "p", 1, &p[i]), ZX_OK);
            KVmo *vmo;
            uintptr_t a;
            cr_assert_eq(vmo_create(t->kernel, PAGE, 0, &vmo), ZX_OK);
            cr_assert_eq(vmar_map(p[i]->root_vmar, RW, 0, vmo, 0, PAGE, RW, &a), ZX_OK);
            *vmo_bytes(vmo, 0) = (uint8_t)(i + 1); /* the kernel's own view */
            kobject_unref((KObject *)vmo);
            addr[i] = (uint8_t *)a;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < MANY; k++) {
                int i = pass ? MANY - 1 - k : k;
                strict_memory_enter(p[i]);
                for (int j = 0; j < MANY; j++) {
                    uint8_t v = 0;
                    bool ok = sim_safe_copy(&v, addr[j], 1);
                    cr_expect_eq(ok, i == j, "%s: %d open, reach %d", n, i, j);
                    if (i == j)
                        cr_expect_eq(v, i + 1);
                }
            }
        }
        process_kill(p[0], 0);
        KProcess *q;
        cr_assert_eq(process_create(t->job, "q", 1, &q), ZX_OK);
        strict_memory_enter(q);
        for (int j = 1; j < MANY; j++)
            cr_expect_not(sim_safe_copy(&(uint8_t){0}, addr[j], 1), "%s: %d", n, j);
        ktest_free(t);
    }
}

/* ---- configuration ----------------------------------------------------------- */

Test(strict_memory, set_only_before_the_first_process)
{
    KTest *t = ktest_new(1, 1);
    cr_expect_eq(strict_memory_set(t->kernel, (HostIsolation)7), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(strict_memory_set(t->kernel, HOST_ISOLATION_MPROTECT), ZX_OK);
    cr_expect_eq(strict_memory_set(t->kernel, HOST_ISOLATION_OFF), ZX_OK);
    ktest_spawn(t, "p", stray_reader, 0);
    cr_expect_eq(strict_memory_set(t->kernel, HOST_ISOLATION_MPROTECT), ZX_ERR_BAD_STATE);
    cr_expect_eq(t->kernel->strict_memory, HOST_ISOLATION_OFF);
    ktest_free(t);
}
