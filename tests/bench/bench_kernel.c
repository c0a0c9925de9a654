/* bench_kernel.c — kernel micro-benchmarks through the real zx_* API on
 * simulated threads (wall-clock ns per operation; build with -O2 and
 * invariants off, see run.sh).
 *
 * Modes (1 CPU, FIFO, trace hashing on, no sinks):
 *   syscall N     one process: N x (zx_handle_duplicate + zx_handle_close):
 *                 ns per syscall.
 *   channel N     two processes joined by a channel ping-pong N round trips;
 *                 each side: zx_channel_write, zx_object_wait_one(READABLE),
 *                 zx_channel_read. ns per round trip (2 messages).
 *   event N       two processes hand a token back and forth through an
 *                 eventpair (signal_peer + wait_one + clear): ns per round
 *                 trip, the closest analogue of SimGrid's semaphore
 *                 ping-pong.
 *   ring N P      P processes pass a token around a ring of channels, N
 *                 times round; each keeps its message in a VMO it mapped:
 *                 ns per hop (one write, wait and read).
 *   threads N     one process makes N threads alive at once, each on a
 *                 stack block laid out as the app libc's pthread_create
 *                 lays one out (a VMO mapped at the top of a sub-VMAR with
 *                 a guard page, blocks top-down from the root VMAR's top),
 *                 then lets them end and joins them (wait TERMINATED,
 *                 unmap the block, close): ns per thread, made and joined.
 *                 N up to ~3,900 (one 1 GiB address space).
 *   threads0 N    the same with threads started with stack 0: the kernel
 *                 maps and unmaps each one's block (thread.c).
 *   churn N       N threads made and joined one after another (one alive
 *                 at a time), each on a block as in `threads`: ns per
 *                 thread, the cost when stacks are given back and taken
 *                 again (model/vmo_store.c recycles their memory).
 *   churn0 N      the same with threads started with stack 0.
 *   snapshot N    one process fills a 64 MiB VMO (every page written, not
 *                 mapped), then N x (zx_vmo_create_child SNAPSHOT of all
 *                 of it + zx_handle_close): ns per snapshot.
 *   snapshotw N   the same, and between the two each side writes one word
 *                 (two pages copied on a copy-on-write snapshot).
 *   snapfan N     one process fills a 16 MiB VMO, makes N snapshots of it,
 *                 closes it and reads a word of each snapshot's last page,
 *                 then closes them: ns per snapshot; peak_rss_kib shows
 *                 what the closed VMO's pages cost (kept once in a hidden
 *                 node, model/vmo_cow.c, not copied into each snapshot);
 *                 it also prints the snapshots' committed bytes together.
 * A third argument, off (default), pkey or mprotect, runs any mode in
 * strict memory mode with that mechanism (model/strict_memory.c); the
 * trace hash must not change.
 * Each prints ns_per_op (wall clock) and cpu_ns_per_op (the host process's
 * CPU time, user + system, over the same span: the number to compare on a
 * shared machine).
 * Host time is read only here, to measure; the simulation never sees it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "channel.h"
#include "eventpair.h"
#include "job.h"
#include "kernel.h"
#include "launch.h"
#include "strict_memory.h"

static double t_start, t_end, cpu_start, cpu_end;
static long iterations;

static double host_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Wall time, and the host process's CPU time (user + system: what a
 * shared machine's load does not inflate). */
static void bench_begin(void)
{
    t_start = host_ns(CLOCK_MONOTONIC);
    cpu_start = host_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static void bench_end(void)
{
    t_end = host_ns(CLOCK_MONOTONIC);
    cpu_end = host_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void syscall_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, d;
    zx_event_create(0, &ev);
    bench_begin();
    for (long i = 0; i < iterations; i++) {
        zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &d);
        zx_handle_close(d);
    }
    bench_end();
}

static void channel_side(uintptr_t first, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    uint64_t msg = 0;
    uint32_t actual, ah;
    if (first)
        bench_begin();
    for (long i = 0; i < iterations; i++) {
        if (first)
            zx_channel_write(ch, 0, &msg, sizeof msg, NULL, 0);
        zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL);
        zx_channel_read(ch, 0, &msg, NULL, sizeof msg, 0, &actual, &ah);
        msg++;
        if (!first)
            zx_channel_write(ch, 0, &msg, sizeof msg, NULL, 0);
    }
    if (first)
        bench_end();
}

/* Ring member: receive on PA_USER0 0, send on PA_USER0 1; `first` starts. */
static void ring_side(uintptr_t first, uintptr_t b)
{
    zx_handle_t in = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t out = zx_take_startup_handle(PA_HND(PA_USER0, 1));
    zx_handle_t vmo;
    zx_vaddr_t addr = 0;
    zx_vmo_create(4096, 0, &vmo);
    zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, 4096,
                &addr);
    uint64_t *msg = (uint64_t *)addr;
    uint32_t actual, ah;
    if (first)
        bench_begin();
    for (long i = 0; i < iterations; i++) {
        if (first)
            zx_channel_write(out, 0, msg, sizeof *msg, NULL, 0);
        zx_object_wait_one(in, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL);
        zx_channel_read(in, 0, msg, NULL, sizeof *msg, 0, &actual, &ah);
        (*msg)++;
        if (!first)
            zx_channel_write(out, 0, msg, sizeof *msg, NULL, 0);
    }
    if (first)
        bench_end();
}

static void event_side(uintptr_t first, uintptr_t b)
{
    zx_handle_t ep = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    if (first)
        bench_begin();
    for (long i = 0; i < iterations; i++) {
        if (first)
            zx_object_signal_peer(ep, 0, ZX_EVENTPAIR_SIGNALED);
        zx_object_wait_one(ep, ZX_EVENTPAIR_SIGNALED, ZX_TIME_INFINITE, NULL);
        zx_object_signal(ep, ZX_EVENTPAIR_SIGNALED, 0);
        if (!first)
            zx_object_signal_peer(ep, 0, ZX_EVENTPAIR_SIGNALED);
    }
    if (first)
        bench_end();
}

/* threads N: the blocks are placed as libc_pthread.c places them. */
#define BENCH_STACK ((uint64_t)256 << 10)
#define BENCH_PAGE ((uint64_t)4096)
#define BENCH_BLOCK (BENCH_PAGE + BENCH_STACK + BENCH_PAGE) /* guard, stack, record */

static volatile uint32_t threads_go;
static bool threads_stack0;

static void threads_waiter(uintptr_t a, uintptr_t b)
{
    while (!threads_go)
        zx_futex_wait((const zx_futex_t *)&threads_go, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
}

static bool threads_make_one(uintptr_t *floor, uintptr_t root_base, zx_handle_t *thread,
                             uintptr_t *block)
{
    if (threads_stack0) {
        *block = 0;
        return zx_thread_create(zx_process_self(), "t", 1, 0, thread) == ZX_OK &&
               zx_thread_start(*thread, (uintptr_t)threads_waiter, 0, 0, 0) == ZX_OK;
    }
    zx_handle_t vmo, region;
    zx_vaddr_t base = 0, addr = 0;
    if (zx_vmo_create(BENCH_STACK + BENCH_PAGE, 0, &vmo) != ZX_OK)
        return false;
    zx_status_t st = zx_vmar_allocate(zx_vmar_root_self(),
                                      ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE |
                                          ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC,
                                      *floor - BENCH_BLOCK - root_base, BENCH_BLOCK, &region,
                                      &base);
    if (st == ZX_OK) {
        st = zx_vmar_map(region, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC,
                         BENCH_PAGE, vmo, 0, BENCH_STACK + BENCH_PAGE, &addr);
        zx_handle_close(region);
    }
    zx_handle_close(vmo);
    if (st == ZX_OK)
        st = zx_thread_create(zx_process_self(), "t", 1, 0, thread);
    if (st == ZX_OK)
        st = zx_thread_start(*thread, (uintptr_t)threads_waiter, addr + BENCH_STACK, 0, 0);
    if (st != ZX_OK)
        return false;
    *floor = base;
    *block = base;
    return true;
}

static void threads_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t *threads = calloc((size_t)iterations, sizeof *threads);
    uintptr_t *blocks = calloc((size_t)iterations, sizeof *blocks);
    zx_info_vmar_t root;
    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof root, NULL, NULL);
    /* Below the initial thread's block, which sits at the very top. */
    uintptr_t floor = root.base + root.len - BENCH_BLOCK;
    long made = 0;
    bench_begin();
    while (made < iterations && threads_make_one(&floor, root.base, &threads[made], &blocks[made]))
        made++;
    threads_go = 1;
    zx_futex_wake((const zx_futex_t *)&threads_go, UINT32_MAX);
    for (long i = 0; i < made; i++) {
        zx_object_wait_one(threads[i], ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
        if (blocks[i])
            zx_vmar_unmap(zx_vmar_root_self(), blocks[i], BENCH_BLOCK);
        zx_handle_close(threads[i]);
    }
    bench_end();
    if (made != iterations)
        fprintf(stderr, "bench_kernel: made only %ld threads\n", made);
    free(threads);
    free(blocks);
}

/* churn N: one thread at a time, each block in the same place. */
static void churn_body(uintptr_t a, uintptr_t b)
{
    zx_info_vmar_t root;
    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof root, NULL, NULL);
    uintptr_t top = root.base + root.len - BENCH_BLOCK;
    threads_go = 1;
    bench_begin();
    for (long i = 0; i < iterations; i++) {
        uintptr_t floor = top, block = 0;
        zx_handle_t t;
        if (!threads_make_one(&floor, root.base, &t, &block)) {
            fprintf(stderr, "bench_kernel: made only %ld threads\n", i);
            break;
        }
        zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
        if (block)
            zx_vmar_unmap(zx_vmar_root_self(), block, BENCH_BLOCK);
        zx_handle_close(t);
    }
    bench_end();
}

#define BENCH_SNAP_SIZE ((uint64_t)64 << 20)
static bool snapshot_write;

/* A VMO of `size` bytes, every page written through zx_vmo_write. */
static bool bench_filled_vmo(uint64_t size, zx_handle_t *v)
{
    static uint8_t chunk[64 << 10];
    memset(chunk, 0x5a, sizeof chunk);
    if (zx_vmo_create(size, 0, v) != ZX_OK)
        return false;
    for (uint64_t off = 0; off < size; off += sizeof chunk)
        zx_vmo_write(*v, chunk, off, sizeof chunk);
    return true;
}

static void snapshot_body(uintptr_t a, uintptr_t b)
{
    const uint64_t pages = BENCH_SNAP_SIZE / BENCH_PAGE;
    zx_handle_t v, c;
    if (!bench_filled_vmo(BENCH_SNAP_SIZE, &v))
        return;
    bench_begin();
    for (long i = 0; i < iterations; i++) {
        if (zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, BENCH_SNAP_SIZE, &c) != ZX_OK) {
            fprintf(stderr, "bench_kernel: snapshot failed\n");
            break;
        }
        if (snapshot_write) {
            uint32_t x = (uint32_t)i;
            zx_vmo_write(c, &x, (uint64_t)i % pages * BENCH_PAGE, sizeof x);
            zx_vmo_write(v, &x, (uint64_t)(i + 1) % pages * BENCH_PAGE, sizeof x);
        }
        zx_handle_close(c);
    }
    bench_end();
}

#define BENCH_FAN_SIZE ((uint64_t)16 << 20)
#define BENCH_FAN_MAX 4096

static void snapfan_body(uintptr_t a, uintptr_t b)
{
    static zx_handle_t kids[BENCH_FAN_MAX];
    long n = iterations < BENCH_FAN_MAX ? iterations : BENCH_FAN_MAX;
    zx_handle_t v;
    if (!bench_filled_vmo(BENCH_FAN_SIZE, &v))
        return;
    bench_begin();
    for (long i = 0; i < n; i++)
        if (zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, BENCH_FAN_SIZE, &kids[i]) != ZX_OK) {
            fprintf(stderr, "bench_kernel: snapshot failed\n");
            return;
        }
    zx_handle_close(v);
    uint64_t committed = 0;
    for (long i = 0; i < n; i++) {
        uint32_t x;
        zx_info_vmo_t info;
        zx_vmo_read(kids[i], &x, BENCH_FAN_SIZE - sizeof x, sizeof x);
        if (zx_object_get_info(kids[i], ZX_INFO_VMO, &info, sizeof info, NULL, NULL) == ZX_OK)
            committed += info.committed_bytes;
    }
    for (long i = 0; i < n; i++)
        zx_handle_close(kids[i]);
    bench_end();
    printf("snapfan: %ld snapshots of a closed %llu MiB VMO hold %llu MiB committed\n", n,
           (unsigned long long)(BENCH_FAN_SIZE >> 20), (unsigned long long)(committed >> 20));
}

static void launch2(Kernel *k, KJob *job, const char *name, ThreadEntryFn fn,
                    uintptr_t arg, KObject *extra, KObject *extra2)
{
    LaunchSpec s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.entry = fn;
    s.arg1 = arg;
    s.give = LAUNCH_GIVE_STANDARD;
    KObject *x[2] = {extra, extra2};
    for (uint32_t i = 0; i < 2 && x[i]; i++)
        s.extra[s.nextra++] = (LaunchHandle){PA_HND(PA_USER0, i), x[i],
                                             x[i]->ops->default_rights};
    KProcess *p;
    if (launch_process(k, job, &s, &p) != ZX_OK) {
        fprintf(stderr, "bench_kernel: launch failed\n");
        exit(1);
    }
}

static void launch(Kernel *k, KJob *job, const char *name, ThreadEntryFn fn,
                   uintptr_t arg, KObject *extra)
{
    launch2(k, job, name, fn, arg, extra, NULL);
}

/* P processes in a ring: process i reads ends[2i+1]... the channel from
 * i-1 and writes the channel to i+1. */
static void launch_ring(Kernel *k, KJob *job, long procs)
{
    KObject **send = calloc((size_t)procs, sizeof *send);
    KObject **recv = calloc((size_t)procs, sizeof *recv);
    for (long i = 0; i < procs; i++) /* channel i: from i to i+1 */
        channel_create(k, &send[i], &recv[(i + 1) % procs]);
    for (long i = 0; i < procs; i++) {
        launch2(k, job, "ring", ring_side, i == 0, recv[i], send[i]);
        kobject_unref(recv[i]);
        kobject_unref(send[i]);
    }
    free(send);
    free(recv);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_kernel syscall|channel|event N [off|pkey|mprotect]\n"
                        "       bench_kernel ring N P [off|pkey|mprotect]\n"
                        "       bench_kernel threads|threads0|churn|churn0 N [off|pkey|mprotect]\n"
                        "       bench_kernel snapshot|snapshotw|snapfan N [off|pkey|mprotect]\n");
        return 2;
    }
    const char *mode = argv[1];
    bool ring = !strcmp(mode, "ring");
    long procs = ring && argc > 3 ? atol(argv[3]) : 2;
    const char *strict = argc > 3 + ring ? argv[3 + ring] : "off";
    iterations = atol(argv[2]);
    SimConfig cfg;
    sim_config_default(&cfg);
    SimEngine *e = sim_engine_new(&cfg);
    Kernel *k = kernel_new(e);
    k->check_invariants = false;
    HostIsolation iso = !strcmp(strict, "pkey")       ? HOST_ISOLATION_PKEY
                        : !strcmp(strict, "mprotect") ? HOST_ISOLATION_MPROTECT
                                                      : HOST_ISOLATION_OFF;
    if (procs < 2 || strict_memory_set(k, iso) != ZX_OK) {
        fprintf(stderr, "bench_kernel: bad ring size or strict memory mode '%s'\n", strict);
        return 2;
    }
    KJob *job;
    job_create(k->root_job, &job);
    KObject *a = NULL, *b = NULL;
    double per = 1;
    if (!strcmp(mode, "syscall")) {
        launch(k, job, "dup-close", syscall_body, 0, NULL);
        per = 2.0 * (double)iterations;
    } else if (!strcmp(mode, "channel")) {
        channel_create(k, &a, &b);
        launch(k, job, "ping", channel_side, 1, a);
        launch(k, job, "pong", channel_side, 0, b);
        per = (double)iterations;
    } else if (ring) {
        launch_ring(k, job, procs);
        per = (double)iterations * (double)procs;
    } else if (!strcmp(mode, "threads") || !strcmp(mode, "threads0")) {
        threads_stack0 = !strcmp(mode, "threads0");
        launch(k, job, "threads", threads_body, 0, NULL);
        per = (double)iterations;
    } else if (!strcmp(mode, "churn") || !strcmp(mode, "churn0")) {
        threads_stack0 = !strcmp(mode, "churn0");
        launch(k, job, "churn", churn_body, 0, NULL);
        per = (double)iterations;
    } else if (!strcmp(mode, "snapshot") || !strcmp(mode, "snapshotw")) {
        snapshot_write = !strcmp(mode, "snapshotw");
        launch(k, job, "snapshot", snapshot_body, 0, NULL);
        per = (double)iterations;
    } else if (!strcmp(mode, "snapfan")) {
        launch(k, job, "snapfan", snapfan_body, 0, NULL);
        per = (double)(iterations < BENCH_FAN_MAX ? iterations : BENCH_FAN_MAX);
    } else if (!strcmp(mode, "event")) {
        eventpair_create(k, &a, &b);
        launch(k, job, "ping", event_side, 1, a);
        launch(k, job, "pong", event_side, 0, b);
        per = (double)iterations;
    } else {
        fprintf(stderr, "bench_kernel: unknown mode '%s'\n", mode);
        return 2;
    }
    if (a) {
        kobject_unref(a);
        kobject_unref(b);
    }
    sim_run(e);
    char hash[33];
    sim_trace_hash_hex(e, hash);
    printf("%s n=%ld procs=%ld strict=%s ns_per_op=%.1f cpu_ns_per_op=%.1f peak_rss_kib=%ld "
           "trace=%s\n",
           mode, iterations, procs, strict_memory_name(k->strict_memory), (t_end - t_start) / per,
           (cpu_end - cpu_start) / per, peak_rss_kib(), hash);
    return 0;
}
