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

static double t_start, t_end;
static long iterations;

static double host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
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
    t_start = host_ns();
    for (long i = 0; i < iterations; i++) {
        zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &d);
        zx_handle_close(d);
    }
    t_end = host_ns();
}

static void channel_side(uintptr_t first, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    uint64_t msg = 0;
    uint32_t actual, ah;
    if (first)
        t_start = host_ns();
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
        t_end = host_ns();
}

static void event_side(uintptr_t first, uintptr_t b)
{
    zx_handle_t ep = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    if (first)
        t_start = host_ns();
    for (long i = 0; i < iterations; i++) {
        if (first)
            zx_object_signal_peer(ep, 0, ZX_EVENTPAIR_SIGNALED);
        zx_object_wait_one(ep, ZX_EVENTPAIR_SIGNALED, ZX_TIME_INFINITE, NULL);
        zx_object_signal(ep, ZX_EVENTPAIR_SIGNALED, 0);
        if (!first)
            zx_object_signal_peer(ep, 0, ZX_EVENTPAIR_SIGNALED);
    }
    if (first)
        t_end = host_ns();
}

static void launch(Kernel *k, KJob *job, const char *name, ThreadEntryFn fn,
                   uintptr_t arg, KObject *extra)
{
    LaunchSpec s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.entry = fn;
    s.arg1 = arg;
    if (extra) {
        s.extra[0] = (LaunchHandle){PA_HND(PA_USER0, 0), extra,
                                    extra->ops->default_rights};
        s.nextra = 1;
    }
    KProcess *p;
    if (launch_process(k, job, &s, &p) != ZX_OK) {
        fprintf(stderr, "bench_kernel: launch failed\n");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_kernel syscall|channel|event N\n");
        return 2;
    }
    iterations = atol(argv[2]);
    SimConfig cfg;
    sim_config_default(&cfg);
    SimEngine *e = sim_engine_new(&cfg);
    Kernel *k = kernel_new(e);
    k->check_invariants = false;
    KJob *job;
    job_create(k->root_job, &job);
    KObject *a = NULL, *b = NULL;
    const char *mode = argv[1];
    double per = 1;
    if (!strcmp(mode, "syscall")) {
        launch(k, job, "dup-close", syscall_body, 0, NULL);
        per = 2.0 * (double)iterations;
    } else if (!strcmp(mode, "channel")) {
        channel_create(k, &a, &b);
        launch(k, job, "ping", channel_side, 1, a);
        launch(k, job, "pong", channel_side, 0, b);
        per = (double)iterations;
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
    printf("%s n=%ld ns_per_op=%.1f peak_rss_kib=%ld trace=%s\n", mode, iterations,
           (t_end - t_start) / per, peak_rss_kib(), hash);
    return 0;
}
