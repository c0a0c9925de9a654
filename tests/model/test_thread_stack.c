/* test_thread_stack.c — threads' stacks in their process's address space
 * (model/thread_stack.c) and vmar_unmap_handle_close_thread_exit:
 *  - thread_stack_place puts a block at the top of the highest gap that
 *    fits, or nowhere;
 *  - the launcher maps the first thread's stack, "initial-thread", at the
 *    top of the root VMAR over one guard page; another process holding the
 *    process handle reads a local of it with process_read_memory, and
 *    without ZX_RIGHT_READ and ZX_RIGHT_WRITE cannot;
 *  - vmar_unmap_handle_close_thread_exit unmaps the caller's own stack,
 *    closes its own thread handle and ends it while its process goes on;
 *    a failing unmap returns its status and nothing else happens; a handle
 *    that cannot be closed is a trap (ZX_EXCP_UNDEFINED_INSTRUCTION);
 *  - thread_read_state gives a stopped thread's real stack pointer (a
 *    debugger's view): where it was suspended, or where it faulted, with
 *    its locals above it;
 *  - a fault handled with new registers restarts the thread below the sp
 *    written: as read (below the faulted frames), 0 (its stack's top),
 *    another mapping; sp at nothing writable kills the process;
 *  - a thread started with stack 0 runs on a block mapped for it,
 *    "thread-stack:<its koid>", over a guard page: its locals are read
 *    through the process handle with READ and WRITE and not without; the
 *    block is there while the thread lives and gone when it ends; 2000
 *    such threads one after another leave no mapping or VMO behind and
 *    all take the same place; a restart runs on that stack as on others;
 *    overflowing it is that thread's stack overflow, and only its process
 *    dies. */
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/debug.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include <inttypes.h>
#include <stdio.h>

#include "ktest.h"
#include "thread_stack.h"

#define PAGE 4096u
#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)
#define SECRET "hunter2"

Test(thread_stack, place_takes_the_top_of_the_highest_gap_that_fits)
{
    const uintptr_t used[][2] = {{0x10000, 0x20000}, {0x30000, 0x38000}, {0x3c000, 0x40000}};
    cr_expect_eq(thread_stack_place(used, 3, 0, 0x50000, 0x10000), 0x40000, "above all");
    cr_expect_eq(thread_stack_place(used, 3, 0, 0x40000, 0x4000), 0x38000, "between");
    cr_expect_eq(thread_stack_place(used, 3, 0, 0x40000, 0x8000), 0x28000);
    cr_expect_eq(thread_stack_place(used, 3, 0, 0x40000, 0x10000), 0x20000);
    cr_expect_eq(thread_stack_place(used, 3, 0x8000, 0x40000, 0x10000), 0x20000);
    cr_expect_eq(thread_stack_place(used, 3, 0, 0x40000, 0x11000), 0, "nowhere");
    cr_expect_eq(thread_stack_place(NULL, 0, 0x1000, 0x9000, 0x8000), 0x1000, "empty");
    cr_expect_eq(thread_stack_place(NULL, 0, 0, 0x9000, 0x1800), 0x7000, "page-aligned");
}

/* ---- the first thread's stack, seen from outside ------------------------- */

/* Launch fn(arg, 0) with a full-rights handle to `target` as PA_USER0. */
static void spawn_watching(KTest *t, const char *name, ThreadEntryFn fn, uintptr_t arg,
                           KProcess *target)
{
    LaunchSpec spec = {.name = name, .entry = fn, .arg1 = arg, .give = LAUNCH_GIVE_STANDARD};
    spec.extra[0] = (LaunchHandle){PA_HND(PA_USER0, 0), &target->base, ZX_DEFAULT_PROCESS_RIGHTS};
    spec.nextra = 1;
    ktest_spawn_spec(t, &spec);
}

static volatile uintptr_t g_local;     /* the victim's local */
static char g_read[16];
static zx_status_t g_read_status, g_denied_status;
static zx_info_maps_t g_stack_map, g_stack_vmar;

static void victim(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    char secret[16];
    strcpy(secret, SECRET);
    g_local = (uintptr_t)secret;
    zx_nanosleep(zx_deadline_after(ZX_MSEC(1))); /* the reader runs now */
    __asm__ volatile("" ::"r"(secret) : "memory");
}

static void reader(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t p = zx_take_startup_handle(PA_HND(PA_USER0, 0)), weak;
    while (!g_local)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    zx_info_maps_t maps[16];
    size_t n = 0;
    cr_expect_eq(zx_object_get_info(p, ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &n, NULL),
                 ZX_OK);
    for (size_t i = 1; i < n; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING && g_local >= maps[i].base &&
            g_local - maps[i].base < maps[i].size) {
            g_stack_map = maps[i];
            g_stack_vmar = maps[i - 1];
        }
    size_t got = 0;
    g_read_status = zx_process_read_memory(p, g_local, g_read, sizeof SECRET, &got);
    cr_expect_eq(zx_handle_duplicate(p, ZX_RIGHT_INSPECT | ZX_RIGHT_WAIT, &weak), ZX_OK);
    char none[16];
    g_denied_status = zx_process_read_memory(weak, g_local, none, sizeof SECRET, &got);
    zx_handle_close(weak);
    zx_handle_close(p);
}

/* A reader process reads a local of the victim's thread (started by
 * victim_main); the stack holding it must be a default block. */
static void expect_a_readable_local(ThreadEntryFn victim_main)
{
    KTest *t = ktest_new(1, 1);
    g_local = 0;
    memset(g_read, 0, sizeof g_read);
    memset(&g_stack_map, 0, sizeof g_stack_map);
    KProcess *v = ktest_spawn(t, "victim", victim_main, 0);
    spawn_watching(t, "reader", reader, 0, v);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(g_stack_map.size, THREAD_STACK_DEFAULT_SIZE);
    cr_expect_eq(g_stack_vmar.type, ZX_INFO_MAPS_TYPE_VMAR, "its own sub-VMAR");
    cr_expect_eq(g_stack_map.base - g_stack_vmar.base, THREAD_STACK_DEFAULT_GUARD,
                 "a guard page below");
    cr_expect_eq(g_read_status, ZX_OK);
    cr_expect_str_eq(g_read, SECRET);
    cr_expect_eq(g_denied_status, ZX_ERR_ACCESS_DENIED, "no READ and WRITE rights, no read");
    ktest_free(t);
}

Test(thread_stack, the_first_threads_stack_is_process_memory)
{
    expect_a_readable_local(victim);
    cr_expect_str_eq(g_stack_map.name, "initial-thread");
}

/* ---- vmar_unmap_handle_close_thread_exit ---------------------------------- */

/* A stack block as Fuchsia's libc makes one: a sub-VMAR, a guard page, the
 * stack VMO above it. Returns the stack's top; *base and *size the block. */
static uintptr_t make_block(size_t stack, zx_vaddr_t *base, size_t *size)
{
    zx_handle_t vmo, region;
    zx_vaddr_t addr = 0;
    *size = PAGE + stack;
    cr_expect_eq(zx_vmo_create(stack, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(zx_vmar_root_self(),
                                  ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE |
                                      ZX_VM_CAN_MAP_SPECIFIC,
                                  0, *size, &region, base),
                 ZX_OK);
    cr_expect_eq(zx_vmar_map(region, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, stack, &addr), ZX_OK);
    zx_handle_close(region);
    zx_handle_close(vmo);
    return addr + stack;
}

static bool mapped(zx_vaddr_t addr)
{
    zx_info_maps_t maps[32];
    size_t n = 0;
    zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &n, NULL);
    for (size_t i = 0; i < n; i++)
        if (maps[i].type != ZX_INFO_MAPS_TYPE_ASPACE && addr >= maps[i].base &&
            addr - maps[i].base < maps[i].size && maps[i].depth > 1)
            return true;
    return false;
}

#define BOGUS_HANDLE ((zx_handle_t)0x7fffff13) /* never handed out */

static zx_vaddr_t g_block;
static size_t g_block_size;
static zx_status_t g_status;
static int g_after_exit;

static void exiter(uintptr_t self, uintptr_t close_self)
{
    g_status = zx_vmar_unmap_handle_close_thread_exit(zx_vmar_root_self(), g_block, g_block_size,
                                                      close_self ? (zx_handle_t)self
                                                                 : BOGUS_HANDLE);
    g_after_exit = 1; /* reached only if the call returned */
}

static void own_stack_body(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t th, watch;
    uintptr_t top = make_block(16 * 1024, &g_block, &g_block_size);
    cr_expect_eq(zx_thread_create(zx_process_self(), "exiter", 6, 0, &th), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(th, ZX_RIGHT_SAME_RIGHTS, &watch), ZX_OK);
    cr_expect(mapped(top - 1));
    cr_expect_eq(zx_thread_start(th, (uintptr_t)exiter, top, th, 1), ZX_OK);
    cr_expect_eq(zx_object_wait_one(watch, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(g_after_exit, 0, "the call returned");
    cr_expect(!mapped(top - 1), "the stack is unmapped");
    cr_expect_eq(zx_handle_close(th), ZX_ERR_BAD_HANDLE, "its handle was closed");
    zx_handle_close(watch);
    /* A failing unmap returns, and closes nothing. */
    zx_handle_t e;
    cr_expect_eq(zx_event_create(0, &e), ZX_OK);
    cr_expect_eq(zx_vmar_unmap_handle_close_thread_exit(ZX_HANDLE_INVALID, g_block, PAGE, e),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmar_unmap_handle_close_thread_exit(zx_vmar_root_self(), g_block + 1, PAGE, e),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_close(e), ZX_OK, "still open");
    zx_process_exit(7);
}

Test(thread_stack, a_thread_unmaps_its_own_stack_closes_its_handle_and_exits)
{
    KTest *t = ktest_new(1, 2);
    g_after_exit = 0;
    KProcess *p = ktest_spawn(t, "p", own_stack_body, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(ktest_retcode(p), 7, "the process went on");
    ktest_free(t);
}

static void bad_close_body(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t th;
    uintptr_t top = make_block(16 * 1024, &g_block, &g_block_size);
    cr_expect_eq(zx_thread_create(zx_process_self(), "exiter", 6, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)exiter, top, th, 0), ZX_OK);
    zx_nanosleep(zx_deadline_after(ZX_MSEC(10)));
    zx_process_exit(0); /* not reached: the trap kills the process first */
}

Test(thread_stack, a_handle_that_cannot_be_closed_is_a_trap)
{
    KTest *t = ktest_new(1, 1);
    g_after_exit = 0;
    KProcess *p = ktest_spawn(t, "p", bad_close_body, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(ktest_retcode(p), ZX_TASK_RETCODE_EXCEPTION_KILL);
    cr_expect_eq(g_after_exit, 0);
    ktest_free(t);
}

/* ---- a debugger's view: the stack pointer of a stopped thread ------------- */

static volatile int g_go;
static volatile uintptr_t g_secret_at;
static zx_info_maps_t g_sp_map;
static uintptr_t g_fault_sp, g_suspended_sp;
static char g_above_sp[16];

static void crasher(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    volatile char secret[16];
    memcpy((char *)secret, SECRET, sizeof SECRET);
    g_secret_at = (uintptr_t)secret;
    while (!g_go)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    ktest_bad_store(16);
}

/* The mapping of p holding addr, into *out (type 0 if none). */
static void find_map(zx_handle_t p, uintptr_t addr, zx_info_maps_t *out)
{
    zx_info_maps_t maps[16];
    size_t n = 0;
    memset(out, 0, sizeof *out);
    zx_object_get_info(p, ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &n, NULL);
    for (size_t i = 0; i < n; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING && addr >= maps[i].base &&
            addr - maps[i].base < maps[i].size)
            *out = maps[i];
}

static uintptr_t read_sp(zx_handle_t thread)
{
    zx_thread_state_general_regs_t regs;
    cr_expect_eq(zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs),
                 ZX_OK);
#if defined(__x86_64__)
    return regs.rsp;
#else
    return regs.sp;
#endif
}

static void debugger(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t p = zx_take_startup_handle(PA_HND(PA_USER0, 0)), ch, thread, token;
    zx_koid_t tids[4];
    size_t n = 0;
    while (!g_secret_at)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    cr_expect_eq(zx_object_get_info(p, ZX_INFO_PROCESS_THREADS, tids, sizeof tids, &n, NULL),
                 ZX_OK);
    cr_expect_eq(zx_object_get_child(p, tids[0], ZX_RIGHT_SAME_RIGHTS, &thread), ZX_OK);
    /* Suspended while it sleeps: its stack pointer is in its stack. */
    cr_expect_eq(zx_task_suspend(thread, &token), ZX_OK);
    cr_expect_eq(zx_object_wait_one(thread, ZX_THREAD_SUSPENDED, ZX_TIME_INFINITE, NULL), ZX_OK);
    g_suspended_sp = read_sp(thread);
    zx_handle_close(token);
    /* Stopped at its fault: the stack pointer of the faulting code, with
     * the thread's locals above it. */
    cr_expect_eq(zx_task_create_exception_channel(p, 0, &ch), ZX_OK);
    g_go = 1;
    zx_exception_info_t info;
    zx_handle_t exc;
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(ch, 0, &info, &exc, sizeof info, 1, &nb, &nh), ZX_OK);
    g_fault_sp = read_sp(thread);
    find_map(p, g_fault_sp, &g_sp_map);
    size_t got = 0;
    if (g_secret_at > g_fault_sp)
        zx_process_read_memory(p, g_secret_at, g_above_sp, sizeof SECRET, &got);
    zx_handle_close(exc); /* unhandled: the crasher's process dies */
    zx_handle_close(ch);
    zx_handle_close(thread);
    zx_handle_close(p);
}

Test(thread_stack, a_stopped_threads_stack_pointer_is_in_its_stack)
{
    KTest *t = ktest_new(1, 1);
    g_go = 0;
    g_secret_at = 0;
    memset(g_above_sp, 0, sizeof g_above_sp);
    KProcess *v = ktest_spawn(t, "crasher", crasher, 0);
    spawn_watching(t, "debugger", debugger, 0, v);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_str_eq(g_sp_map.name, "initial-thread", "the fault's sp is in the stack");
    cr_expect(g_suspended_sp >= g_sp_map.base && g_suspended_sp < g_sp_map.base + g_sp_map.size,
              "the suspended thread's sp too");
    cr_expect_str_eq(g_above_sp, SECRET, "its local, above the sp, read back");
    cr_expect_eq(ktest_retcode(v), ZX_TASK_RETCODE_EXCEPTION_KILL);
    ktest_free(t);
}

/* ---- restart after a fault: the stack below the written sp ---------------- */

enum { SP_AS_READ, SP_ZERO, SP_OTHER_MAPPING, SP_NOWHERE };

static volatile uintptr_t g_alt_lo, g_alt_top, g_landed_at, g_read_sp;
static zx_info_maps_t g_landed_map; /* the mapping the restarted code ran on */

static void landed(uintptr_t code, uintptr_t b)
{
    (void)b;
    volatile int local = 0;
    g_landed_at = (uintptr_t)&local;
    find_map(zx_process_self(), g_landed_at, &g_landed_map);
    zx_process_exit((int64_t)code);
}

static void faults_with_an_alt_stack(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t vmo;
    zx_vaddr_t alt = 0;
    cr_expect_eq(zx_vmo_create(16 * PAGE, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, vmo, 0, 16 * PAGE, &alt), ZX_OK);
    zx_handle_close(vmo);
    g_alt_lo = alt;
    g_alt_top = alt + 16 * PAGE;
    while (!g_go)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    ktest_bad_store(16);
}

static void redirector(uintptr_t mode, uintptr_t b)
{
    (void)b;
    zx_handle_t p = zx_take_startup_handle(PA_HND(PA_USER0, 0)), ch, thread, exc;
    while (!g_alt_top)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    cr_expect_eq(zx_task_create_exception_channel(p, 0, &ch), ZX_OK);
    g_go = 1;
    zx_exception_info_t info;
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_channel_read(ch, 0, &info, &exc, sizeof info, 1, &nb, &nh), ZX_OK);
    cr_expect_eq(zx_exception_get_thread(exc, &thread), ZX_OK);
    zx_thread_state_general_regs_t regs;
    cr_expect_eq(zx_thread_read_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs),
                 ZX_OK);
#if defined(__x86_64__)
    uint64_t *sp = &regs.rsp, *pc = &regs.rip, *arg0 = &regs.rdi;
#else
    uint64_t *sp = &regs.sp, *pc = &regs.pc, *arg0 = &regs.r[0];
#endif
    g_read_sp = *sp;
    *pc = (uintptr_t)landed;
    *arg0 = 42;
    *sp = mode == SP_ZERO ? 0 : mode == SP_OTHER_MAPPING ? g_alt_top : mode == SP_NOWHERE ? 4096 : *sp;
    cr_expect_eq(zx_thread_write_state(thread, ZX_THREAD_STATE_GENERAL_REGS, &regs, sizeof regs),
                 ZX_OK);
    uint32_t handled = ZX_EXCEPTION_STATE_HANDLED;
    cr_expect_eq(zx_object_set_property(exc, ZX_PROP_EXCEPTION_STATE, &handled, sizeof handled),
                 ZX_OK);
    zx_handle_close(exc);
    zx_handle_close(ch);
    zx_handle_close(thread);
    zx_handle_close(p);
}

/* The same fault in a second thread, started with stack 0. */
static void faults_on_a_stack_0_thread(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t th = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_thread_create(zx_process_self(), "zero", 4, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)faults_with_an_alt_stack, 0, 0, 0), ZX_OK);
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
}

/* Run a restart with `mode` of a fault in `faulter`; the faulting
 * process's return code. */
static int64_t restart_run_of(ThreadEntryFn faulter, uintptr_t mode, zx_info_maps_t *landed_in)
{
    KTest *t = ktest_new(1, 1);
    g_go = 0;
    g_alt_lo = g_alt_top = g_landed_at = g_read_sp = 0;
    KProcess *v = ktest_spawn(t, "faulter", faulter, 0);
    spawn_watching(t, "redirector", redirector, mode, v);
    memset(&g_landed_map, 0, sizeof g_landed_map);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    *landed_in = g_landed_map;
    int64_t rc = ktest_retcode(v);
    ktest_free(t);
    return rc;
}

static int64_t restart_run(uintptr_t mode, zx_info_maps_t *landed_in)
{
    return restart_run_of(faults_with_an_alt_stack, mode, landed_in);
}

Test(thread_stack, a_restart_runs_below_the_written_stack_pointer)
{
    zx_info_maps_t in;
    cr_expect_eq(restart_run(SP_AS_READ, &in), 42);
    cr_expect(g_landed_at < g_read_sp && g_read_sp - g_landed_at < PAGE,
              "sp as read: just below the faulted frames (%#lx, sp %#lx)",
              (unsigned long)g_landed_at, (unsigned long)g_read_sp);
    cr_expect_str_eq(in.name, "initial-thread", "on its own stack");
    cr_expect_eq(restart_run(SP_ZERO, &in), 42);
    cr_expect_str_eq(in.name, "initial-thread", "sp 0: its own stack, from the top");
    cr_expect(g_landed_at > in.base + in.size - PAGE);
    cr_expect_eq(restart_run(SP_OTHER_MAPPING, &in), 42);
    cr_expect(g_landed_at >= g_alt_lo && g_landed_at < g_alt_top, "on the other mapping");
    cr_expect_eq(restart_run(SP_NOWHERE, &in), ZX_TASK_RETCODE_EXCEPTION_KILL,
                 "sp at nothing writable: it would fault at once");
    cr_expect_eq(g_landed_at, 0);
}

/* ---- threads started with stack 0 ---------------------------------------- */

static zx_koid_t koid_of(zx_handle_t h)
{
    zx_info_handle_basic_t info;
    cr_expect_eq(zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL),
                 ZX_OK);
    return info.koid;
}

static bool named_for(const zx_info_maps_t *m, zx_koid_t thread)
{
    char want[ZX_MAX_NAME_LEN];
    snprintf(want, sizeof want, "thread-stack:%" PRIu64, thread);
    return strcmp(m->name, want) == 0;
}

static zx_handle_t start0(ThreadEntryFn fn, uintptr_t arg)
{
    zx_handle_t th = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_thread_create(zx_process_self(), "zero", 4, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)fn, 0, arg, 0), ZX_OK);
    return th;
}

static zx_koid_t g_victim_thread;

/* The victim's second thread, started with stack 0, keeps the secret. */
static void victim0(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t th = start0(victim, 0);
    g_victim_thread = koid_of(th);
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_handle_close(th);
}

Test(thread_stack, a_stack_0_threads_locals_are_process_memory)
{
    expect_a_readable_local(victim0);
    cr_expect(named_for(&g_stack_map, g_victim_thread), "named %s", g_stack_map.name);
}

static zx_info_maps_t g_own_map;
static zx_koid_t g_own_koid;

static void note_own_stack(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    volatile int local = 0;
    find_map(zx_process_self(), (uintptr_t)&local, &g_own_map);
}

static size_t count_maps(size_t *vmos)
{
    static zx_info_maps_t maps[64];
    static zx_info_vmo_t infos[64];
    size_t n = 0, avail = 0;
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps,
                                    &n, &avail),
                 ZX_OK);
    cr_expect_eq(n, avail);
    cr_expect_eq(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_VMOS, infos, sizeof infos,
                                    vmos, &avail),
                 ZX_OK);
    return n;
}

static KTest *g_kt;

static size_t live_vmos(void)
{
    size_t n = 0;
    for (KObject *o = g_kt->kernel->live_head; o; o = o->live_next)
        n += o->ops->type == ZX_OBJ_TYPE_VMO;
    return n;
}

static void stack0_lifecycle(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    size_t vmos_before, vmos_after;
    size_t maps_before = count_maps(&vmos_before), live_before = live_vmos();
    zx_handle_t th = start0(note_own_stack, 0);
    g_own_koid = koid_of(th);
    cr_expect_eq(zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect(named_for(&g_own_map, g_own_koid), "ran on %s", g_own_map.name);
    cr_expect(!mapped(g_own_map.base), "its stack went with it");
    zx_handle_close(th);
    uintptr_t first = g_own_map.base;
    /* 2000 more, one after another: nothing left behind, no walk down. */
    for (int i = 0; i < 2000; i++) {
        th = start0(note_own_stack, 0);
        zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
        zx_handle_close(th);
        if (g_own_map.base != first)
            break;
    }
    cr_expect_eq(g_own_map.base, first, "every one in the same place");
    cr_expect_eq(count_maps(&vmos_after), maps_before, "no mapping left");
    cr_expect_eq(vmos_after, vmos_before, "no VMO left in the process");
    cr_expect_eq(live_vmos(), live_before, "no VMO left in the kernel");
}

/* A thread that lives while its parent looks. */
static volatile int g_stop;

static void lingerer(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    volatile int local = 0;
    find_map(zx_process_self(), (uintptr_t)&local, &g_own_map);
    while (!g_stop)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
}

static void stack0_while_alive(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_t th = start0(lingerer, 0);
    zx_koid_t koid = koid_of(th);
    for (int i = 0; i < 1000 && !g_own_map.base; i++)
        zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    cr_expect(mapped(g_own_map.base), "mapped while it lives");
    cr_expect(named_for(&g_own_map, koid), "named %s", g_own_map.name);
    g_stop = 1;
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    cr_expect(!mapped(g_own_map.base), "unmapped once it ended");
    zx_handle_close(th);
    zx_process_exit(5);
}

Test(thread_stack, a_stack_0_threads_block_lives_as_long_as_the_thread)
{
    KTest *t = g_kt = ktest_new(1, 1);
    memset(&g_own_map, 0, sizeof g_own_map);
    g_stop = 0;
    KProcess *p = ktest_spawn(t, "p", stack0_while_alive, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(ktest_retcode(p), 5);
    ktest_free(t);
}

Test(thread_stack, stack_0_threads_in_sequence_leave_nothing_behind)
{
    KTest *t = g_kt = ktest_new(1, 1);
    memset(&g_own_map, 0, sizeof g_own_map);
    KProcess *p = ktest_spawn(t, "p", stack0_lifecycle, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

/* A blocked stack-0 thread's block goes with its process. */
static void blocks_forever(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_nanosleep(ZX_TIME_INFINITE);
}

static void dies_with_a_stack0_thread(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    zx_handle_close(start0(blocks_forever, 0));
    zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
    zx_process_exit(3);
}

Test(thread_stack, a_stack_0_threads_block_goes_with_its_process)
{
    KTest *t = g_kt = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "p", dies_with_a_stack0_thread, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_expect_eq(ktest_retcode(p), 3);
    size_t vmos = 0;
    for (KObject *o = t->kernel->live_head; o; o = o->live_next)
        vmos += o->ops->type == ZX_OBJ_TYPE_VMO || o->ops->type == ZX_OBJ_TYPE_VMAR;
    cr_expect_eq(vmos, 0, "no VMO or VMAR outlives the process");
    ktest_free(t);
}

Test(thread_stack, a_stack_0_thread_restarts_on_its_own_stack)
{
    zx_info_maps_t in;
    cr_expect_eq(restart_run_of(faults_on_a_stack_0_thread, SP_AS_READ, &in), 42);
    cr_expect(g_landed_at < g_read_sp && g_read_sp - g_landed_at < PAGE,
              "sp as read: just below the faulted frames");
    cr_expect(strncmp(in.name, "thread-stack:", 13) == 0, "on its own stack, not %s", in.name);
    cr_expect_eq(restart_run_of(faults_on_a_stack_0_thread, SP_ZERO, &in), 42);
    cr_expect(strncmp(in.name, "thread-stack:", 13) == 0, "sp 0: its own stack, not %s",
              in.name);
    cr_expect(g_landed_at > in.base + in.size - PAGE, "from the top");
    cr_expect_eq(restart_run_of(faults_on_a_stack_0_thread, SP_OTHER_MAPPING, &in), 42);
    cr_expect(g_landed_at >= g_alt_lo && g_landed_at < g_alt_top, "on the other mapping");
}
