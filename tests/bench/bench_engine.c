/* bench_engine.c — engine micro-benchmarks (wall-clock ns per operation).
 *
 * Modes (all single CPU, FIFO, trace hashing on, no sinks):
 *   yield N K [STACK_KIB [SLICE_NS]]
 *                N threads yield K times each in a ring. Timed inside the
 *                run like SimGrid's sgbench: thread 1 stamps the host clock
 *                at the start of its round 2 and of round K, which covers
 *                (K-2)*N yields (creation, start and exit excluded). With
 *                STACK_KIB, stacks of that size (SimConfig.stack_size)
 *                instead of the default 256 KiB (0: the default): with 100k
 *                threads the spacing of the stacks sets most of the cost.
 *                With SLICE_NS, the run goes in sim_run_until slices of
 *                that much virtual time, as `capsim run` runs apps.
 *   wake N       two threads ping-pong N round trips through a tiny hook
 *                (wake the peer, block self): ns per hand-off, i.e. per
 *                "signal a blocked waiter -> it runs".
 *   hold Q N     event-queue hold (pop-min + push at t + U[1, 2^20]) with
 *                Q pending events, N operations: the queue alone.
 *   timers Q N   the same through the engine: Q timers that re-arm
 *                themselves, N firings (sim_timer_add + dispatch).
 *   copy N       sim_safe_copy of 16 bytes vs memcpy, N times: the overhead
 *                a syscall pays to read an app pointer safely.
 *   mem N        N threads that yield once and then block forever: RSS
 *                growth per idle thread (/proc/self/statm), plus peak RSS.
 * Every mode prints one line: mode, parameters, ns/op (or bytes), peak RSS.
 * Host time is used here only to measure; the engine never reads it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "event_queue.h"
#include "sim.h"

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

static long cur_rss_kib(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static SimEngine *bench_engine_sized(SimHookFn hook, size_t stack_size)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.hook = hook;
    if (stack_size)
        cfg.stack_size = stack_size;
    return sim_engine_new(&cfg);
}

static SimEngine *bench_engine(SimHookFn hook)
{
    return bench_engine_sized(hook, 0);
}

/* ---- yield ---------------------------------------------------------------*/

static long yield_k;
static double yield_t0, yield_t1;
static long yield_maps;

static long maps_lines(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    long n = 0;
    int c;
    if (!f)
        return -1;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void yield_thread(void *arg)
{
    bool first = arg != NULL;
    for (long i = 0; i < yield_k; i++) {
        if (first && i == 1)
            yield_t0 = host_ns();
        if (first && i == yield_k - 1) {
            yield_t1 = host_ns();
            yield_maps = maps_lines(); /* all threads alive */
        }
        sim_yield();
    }
}

static void bench_yield(long n, long k, long stack_kib, long slice_ns)
{
    yield_k = k;
    SimEngine *e = bench_engine_sized(NULL, (size_t)stack_kib * 1024);
    for (long i = 0; i < n; i++) {
        SimThread *t = sim_thread_create(e, yield_thread, i ? NULL : (void *)1,
                                         "y");
        if (!t) {
            fprintf(stderr, "create failed at %ld\n", i);
            exit(1);
        }
        sim_thread_start(t);
    }
    if (slice_ns > 0)
        for (SimTime until = slice_ns; !sim_finished(e); until += slice_ns)
            sim_run_until(e, until);
    else
        sim_run(e);
    double per = (yield_t1 - yield_t0) / ((double)(k - 2) * n);
    char hex[33];
    sim_trace_hash_hex(e, hex);
    printf("yield threads=%ld k=%ld stack_kib=%zu slice_ns=%ld ns_per_yield=%.1f "
           "peak_rss_kib=%ld maps_lines=%ld hash=%s\n", n, k,
           sim_engine_config(e)->stack_size / 1024, slice_ns, per, peak_rss_kib(),
           yield_maps, hex);
    sim_engine_free(e);
}

/* ---- wake ----------------------------------------------------------------*/

static SimThread *pp[2];
static long pp_rounds;

static SimHookResult pp_hook(SimEngine *e, SimThread *caller, SimRequest *r,
                             void *ctx)
{
    SimThread *peer = pp[r->op];
    r->result = 0;
    sim_thread_wake(peer); /* no-op if the peer is not blocked */
    if (r->flags) {        /* last call: do not wait */
        return SIM_HOOK_CONTINUE;
    }
    sim_thread_block(caller, SIM_TIME_INFINITE, NULL, NULL, NULL);
    return SIM_HOOK_BLOCKED;
}

static double pp_t0, pp_t1;

static void pp_thread(void *arg)
{
    int me = (int)(intptr_t)arg;
    SimRequest r = { (uint32_t)me, 0, 0 };
    for (long i = 0; i < pp_rounds; i++) {
        if (me == 0 && i == 10)
            pp_t0 = host_ns();
        r.flags = me == 1 && i == pp_rounds - 1;
        sim_enter(&r);
    }
    if (me == 0)
        pp_t1 = host_ns();
}

static void bench_wake(long rounds)
{
    pp_rounds = rounds;
    SimEngine *e = bench_engine(pp_hook);
    pp[1] = sim_thread_create(e, pp_thread, (void *)0, "ping");
    pp[0] = sim_thread_create(e, pp_thread, (void *)1, "pong");
    sim_thread_start(pp[1]);
    sim_thread_start(pp[0]);
    sim_run(e);
    double per = (pp_t1 - pp_t0) / (2.0 * (rounds - 10));
    printf("wake rounds=%ld ns_per_handoff=%.1f peak_rss_kib=%ld\n", rounds,
           per, peak_rss_kib());
    sim_engine_free(e);
}

/* ---- event queue ---------------------------------------------------------*/

static void bench_hold(long q, long n)
{
    EventQueue eq;
    eq_init(&eq);
    SimRng r;
    sim_rng_init(&r, 1, "bench");
    uint64_t seq = 1;
    EqPayload p = { 1, 0, NULL, NULL };
    for (long i = 0; i < q; i++)
        eq_push(&eq, (int64_t)(sim_rng_next(&r) >> 44), seq++, &p);
    double t0 = host_ns();
    int64_t t;
    uint64_t s;
    for (long i = 0; i < n; i++) {
        eq_pop(&eq, &t, &s, &p, NULL);
        eq_push(&eq, t + 1 + (int64_t)(sim_rng_next(&r) >> 44), seq++, &p);
    }
    double per = (host_ns() - t0) / n;
    printf("hold pending=%ld ops=%ld ns_per_hold=%.1f peak_rss_kib=%ld\n", q,
           n, per, peak_rss_kib());
    eq_free(&eq);
}

static long timers_left;
static SimRng timer_rng;

static void timer_fire(SimEngine *e, void *ctx)
{
    if (timers_left-- > 0)
        sim_timer_add(e, sim_now(e) + 1 + (int64_t)(sim_rng_next(&timer_rng) >> 44),
                      timer_fire, ctx);
}

static void bench_timers(long q, long n)
{
    SimEngine *e = bench_engine(NULL);
    sim_rng_init(&timer_rng, 1, "bench");
    for (long i = 0; i < q; i++)
        sim_timer_add(e, (int64_t)(sim_rng_next(&timer_rng) >> 44), timer_fire,
                      NULL);
    timers_left = n;
    double t0 = host_ns();
    sim_run(e);
    double per = (host_ns() - t0) / (double)(n + q);
    printf("timers pending=%ld ops=%ld ns_per_timer=%.1f peak_rss_kib=%ld\n",
           q, n, per, peak_rss_kib());
    sim_engine_free(e);
}

/* ---- memory --------------------------------------------------------------*/

static SimHookResult park_hook(SimEngine *e, SimThread *caller, SimRequest *r,
                               void *ctx)
{
    sim_thread_block(caller, SIM_TIME_INFINITE, NULL, NULL, NULL);
    return SIM_HOOK_BLOCKED;
}

static void park_thread(void *arg)
{
    SimRequest r = { 1, 0, 0 };
    sim_yield();
    sim_enter(&r);
}

static void bench_mem(long n)
{
    SimEngine *e = bench_engine(park_hook);
    long before = cur_rss_kib();
    for (long i = 0; i < n; i++)
        sim_thread_start(sim_thread_create(e, park_thread, NULL, "idle"));
    sim_run(e);
    long after = cur_rss_kib();
    printf("mem threads=%ld bytes_per_idle_thread=%.0f rss_kib=%ld "
           "peak_rss_kib=%ld\n", n, (after - before) * 1024.0 / n, after,
           peak_rss_kib());
    sim_engine_free(e);
}

static void bench_copy(long n)
{
    char src[64] = "0123456789abcdef", dst[64];
    volatile size_t len = 16;
    double t0 = host_ns();
    for (long i = 0; i < n; i++) {
        memcpy(dst, src, len);
        __asm__ volatile("" : : "r"(dst) : "memory");
    }
    double t1 = host_ns();
    long ok = 0;
    for (long i = 0; i < n; i++) {
        ok += sim_safe_copy(dst, src, len);
        __asm__ volatile("" : : "r"(dst) : "memory");
    }
    double t2 = host_ns();
    printf("copy n=%ld memcpy_ns=%.2f safe_copy_ns=%.2f overhead_ns=%.2f ok=%ld\n",
           n, (t1 - t0) / n, (t2 - t1) / n, ((t2 - t1) - (t1 - t0)) / n, ok);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s yield N K [STACK_KIB [SLICE_NS]] | wake N | hold Q N | "
                        "timers Q N | copy N | mem N\n", argv[0]);
        return 2;
    }
    long a = argc > 2 ? atol(argv[2]) : 0, b = argc > 3 ? atol(argv[3]) : 0;
    if (!strcmp(argv[1], "yield"))
        bench_yield(a ? a : 10, b ? b : 1000000, argc > 4 ? atol(argv[4]) : 0,
                    argc > 5 ? atol(argv[5]) : 0);
    else if (!strcmp(argv[1], "wake"))
        bench_wake(a ? a : 1000000);
    else if (!strcmp(argv[1], "hold"))
        bench_hold(a ? a : 1000000, b ? b : 5000000);
    else if (!strcmp(argv[1], "timers"))
        bench_timers(a ? a : 1000000, b ? b : 5000000);
    else if (!strcmp(argv[1], "copy"))
        bench_copy(a ? a : 20000000);
    else if (!strcmp(argv[1], "mem"))
        bench_mem(a ? a : 100000);
    else
        return 2;
    return 0;
}
