/* cmd_demo.c — `capsim demo`: a small multi-process simulation that shows
 * the engine and the kernel at work and prints its trace hash.
 *
 * Story: a "ticker" process and two "worker" processes share event pairs
 * (handed out at launch as startup handles, PA_USER0). Each worker waits for
 * its tick, does some virtual compute, and signals back; the ticker runs a
 * fixed number of rounds and exits. On two virtual CPUs the workers overlap
 * in virtual time; the run is deterministic for a given seed.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "commands.h"
#include "eventpair.h"
#include "job.h"
#include "kernel.h"
#include "launch.h"
#include "process.h"

#define DEMO_ROUNDS 5

static void demo_worker(uintptr_t a, uintptr_t b)
{
    zx_handle_t tick = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    for (int i = 0; i < DEMO_ROUNDS; i++) {
        zx_signals_t seen = 0;
        if (zx_object_wait_one(tick, ZX_EVENTPAIR_SIGNALED | ZX_EVENTPAIR_PEER_CLOSED,
                               ZX_TIME_INFINITE, &seen) != ZX_OK ||
            (seen & ZX_EVENTPAIR_PEER_CLOSED))
            zx_process_exit(1);
        zx_object_signal(tick, ZX_EVENTPAIR_SIGNALED, 0);
        sim_charge_compute(ZX_USEC(200) * (zx_duration_mono_t)(a + 1));
        zx_object_signal_peer(tick, 0, ZX_EVENTPAIR_SIGNALED);
    }
    zx_process_exit(0);
}

static void demo_ticker(uintptr_t a, uintptr_t b)
{
    zx_handle_t w[2] = {zx_take_startup_handle(PA_HND(PA_USER0, 0)),
                        zx_take_startup_handle(PA_HND(PA_USER0, 1))};
    for (int round = 0; round < DEMO_ROUNDS; round++) {
        for (int i = 0; i < 2; i++)
            zx_object_signal_peer(w[i], 0, ZX_EVENTPAIR_SIGNALED);
        for (int i = 0; i < 2; i++) {
            zx_object_wait_one(w[i], ZX_EVENTPAIR_SIGNALED, ZX_TIME_INFINITE, NULL);
            zx_object_signal(w[i], ZX_EVENTPAIR_SIGNALED, 0);
        }
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    }
    zx_process_exit(0);
}

static KProcess *demo_launch(Kernel *k, KJob *job, const char *name,
                             ThreadEntryFn fn, uintptr_t arg, KObject **ends,
                             size_t nends)
{
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = name;
    spec.entry = fn;
    spec.arg1 = arg;
    spec.give = LAUNCH_GIVE_STANDARD;
    for (size_t i = 0; i < nends; i++)
        spec.extra[spec.nextra++] = (LaunchHandle){PA_HND(PA_USER0, i), ends[i],
                                                   ZX_DEFAULT_EVENTPAIR_RIGHTS};
    KProcess *p = NULL;
    if (launch_process(k, job, &spec, &p) != ZX_OK) {
        fprintf(stderr, "capsim demo: cannot launch %s\n", name);
        return NULL;
    }
    return p;
}

int cmd_demo(int argc, char **argv)
{
    gint64 seed = 1;
    gint cpus = 2;
    gchar *trace_path = NULL;
    GOptionEntry entries[] = {
        {"trace", 't', 0, G_OPTION_ARG_FILENAME, &trace_path, "write the trace as JSON lines to FILE", "FILE"},
        {"seed", 's', 0, G_OPTION_ARG_INT64, &seed, "seed of the run (default 1)", "N"},
        {"cpus", 'c', 0, G_OPTION_ARG_INT, &cpus, "virtual CPUs, 1..64 (default 2)", "K"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- run the demonstration simulation");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "%s: %s\n", argv[0], err->message);
        g_error_free(err);
        g_option_context_free(ctx);
        return 2;
    }
    g_option_context_free(ctx);
    if (cpus < 1 || cpus > 64) {
        fprintf(stderr, "%s: --cpus must be 1..64, not %d\n", argv[0], cpus);
        return 2;
    }
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.seed = (uint64_t)seed;
    cfg.cpus = cpus;
    SimEngine *e = sim_engine_new(&cfg);
    if (trace_path) {
        int rc = sim_trace_open_file(e, trace_path);
        if (rc != 0) {
            fprintf(stderr, "%s: cannot write trace '%s': %s\n", argv[0], trace_path,
                    g_strerror(-rc));
            return 1;
        }
    }
    Kernel *k = kernel_new(e);
    KJob *job;
    job_create(k->root_job, &job);
    kobject_set_name(&job->base, "demo", 4);
    KObject *a0, *a1, *b0, *b1;
    eventpair_create(k, &a0, &a1);
    eventpair_create(k, &b0, &b1);
    KObject *ticker_ends[2] = {a0, b0};
    KProcess *procs[3] = {
        demo_launch(k, job, "ticker", demo_ticker, 0, ticker_ends, 2),
        demo_launch(k, job, "worker-1", demo_worker, 0, &a1, 1),
        demo_launch(k, job, "worker-2", demo_worker, 1, &b1, 1),
    };
    kobject_unref(a0); kobject_unref(a1); kobject_unref(b0); kobject_unref(b1);
    SimRunResult r = sim_run(e);
    printf("capsim demo: seed %lld, %d virtual CPUs\n", (long long)seed, cpus);
    for (int i = 0; i < 3; i++) {
        if (!procs[i])
            return 1;
        printf("  %-9s koid %-5llu %s, return code %lld\n", procs[i]->base.name,
               (unsigned long long)procs[i]->base.koid,
               procs[i]->state == PROCESS_DEAD ? "exited" : "still running",
               (long long)procs[i]->return_code);
    }
    char hash[33];
    sim_trace_hash_hex(e, hash);
    printf("  virtual time %lld ns, %llu trace records, %llu syscalls, run: %s\n",
           (long long)sim_now(e), (unsigned long long)sim_trace_total(e),
           (unsigned long long)k->syscalls,
           r == SIM_RUN_QUIESCENT ? "quiescent" : "ended with blocked threads");
    printf("trace hash %s\n", hash);
    if (trace_path)
        sim_trace_close_file(e);
    g_free(trace_path);
    return r == SIM_RUN_QUIESCENT ? 0 : 1;
}
