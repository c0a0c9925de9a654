/* bench_apps.c — what a private copy of an app costs, at 1000+ instances.
 *
 *   bench_apps [N [APP.so]]   (default 1000; `meson test --benchmark`)
 *   bench_apps yield P K [LOCALE]
 *                             P app_counter processes yield K times each
 *                             on one CPU: host ns per yield of app code
 *                             (the resume hook's work included); LOCALE:
 *                             the host's own global locale meanwhile
 *
 * For app_counter (globals, no TLS) and app_tls (a TLS module per copy):
 * spawn N instances (each loads its own copy), measure host time and the
 * growth of RSS, VMAs (/proc/self/maps lines), open descriptors and the
 * system's Shmem (the copies' memfds; other processes add noise); then run
 * them (counter instances sleep 1 ms first, so all N are alive together at
 * 0.5 ms: measured again there) to the end and check every copy was
 * unloaded. Host time is used here only to measure, never by the simulation.
 */
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "capsim_host.h"

#define APP(name) APPS_DIR "/" name ".so"

typedef struct BenchMem {
    long shmem_kib;           /* system-wide: the copies' memory files */
    long rss_kib;
    long vmas;
    long fds;
} BenchMem;

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long bench_count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    int c;
    if (!f)
        return -1;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static BenchMem bench_mem(void)
{
    BenchMem m = {0, 0, 0, 0};
    FILE *mi = fopen("/proc/meminfo", "r");
    char line[256];
    while (mi && fgets(line, sizeof line, mi))
        if (sscanf(line, "Shmem: %ld kB", &m.shmem_kib) == 1)
            break;
    if (mi)
        fclose(mi);
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f && fscanf(f, "%ld %ld", &pages, &rss) == 2)
        m.rss_kib = rss * (sysconf(_SC_PAGESIZE) / 1024);
    if (f)
        fclose(f);
    m.vmas = bench_count_lines("/proc/self/maps");
    char cmd[64];
    snprintf(cmd, sizeof cmd, "ls /proc/%d/fd | wc -l", (int)getpid());
    FILE *p = popen(cmd, "r");
    if (p && fscanf(p, "%ld", &m.fds) != 1)
        m.fds = -1;
    if (p)
        pclose(p);
    return m;
}

static void bench_print(const char *what, int n, BenchMem a, BenchMem b)
{
    printf("  %-34s RSS %+8ld KiB (%6.1f KiB/instance), VMAs %+6ld (%4.1f/instance), fds %+ld,\n"
           "  %-34s memory files (Shmem, system-wide) %+ld KiB (%.1f KiB/instance)\n",
           what, b.rss_kib - a.rss_kib, (double)(b.rss_kib - a.rss_kib) / n,
           b.vmas - a.vmas, (double)(b.vmas - a.vmas) / n, b.fds - a.fds, "",
           b.shmem_kib - a.shmem_kib, (double)(b.shmem_kib - a.shmem_kib) / n);
}

static int bench_app(const char *label, const char *path, int n, bool sleep_first)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.cpus = 2;
    CapsimSystem *s = capsim_system_new(&cfg);
    BenchMem m0 = bench_mem();
    double t0 = bench_now();
    for (int i = 0; i < n; i++) {
        const char *av[] = {"bench", "1", "x", "1", NULL};
        if (!capsim_spawn_app(s, path, sleep_first ? 4 : 1, av, NULL)) {
            fprintf(stderr, "bench_apps: %s\n", capsim_last_error(s));
            return 1;
        }
    }
    double t1 = bench_now();
    BenchMem m1 = bench_mem();
    if (sleep_first)
        capsim_run_until(s, 500000);
    BenchMem m2 = bench_mem();
    size_t loaded = app_loaded_copies();
    double t2 = bench_now();
    int r = capsim_run(s);
    double t3 = bench_now();
    printf("%s: %d instances\n", label, n);
    printf("  spawn (load a private copy + launch): %.0f instances/s (%.1f us each)\n",
           n / (t1 - t0), (t1 - t0) * 1e6 / n);
    printf("  whole life (spawn, run, exit, unload): %.0f instances/s\n",
           n / ((t1 - t0) + (t3 - t2) + 1e-9));
    bench_print("after spawning (copies loaded)", n, m0, m1);
    if (sleep_first)
        bench_print("all alive, each blocked in a sleep", n, m0, m2);
    printf("  copies loaded at once: %zu; run %s; copies left after: %zu\n", loaded,
           r == CAPSIM_RUN_QUIESCENT ? "quiescent" : "NOT quiescent", app_loaded_copies());
    capsim_system_free(s);
    return r == CAPSIM_RUN_QUIESCENT ? 0 : 1;
}

static int bench_yield(int procs, int rounds, const char *host_locale)
{
    if (host_locale && !setlocale(LC_ALL, host_locale)) {
        fprintf(stderr, "bench_apps: no locale %s here\n", host_locale);
        return 1;
    }
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.cpus = 1;
    CapsimSystem *s = capsim_system_new(&cfg);
    char k[16];
    snprintf(k, sizeof k, "%d", rounds);
    for (int i = 0; i < procs; i++) {
        const char *av[] = {"bench", k, NULL};
        if (!capsim_spawn_app(s, APP("app_counter"), 2, av, NULL)) {
            fprintf(stderr, "bench_apps: %s\n", capsim_last_error(s));
            return 1;
        }
    }
    double t0 = bench_now();
    int r = capsim_run(s);
    double t1 = bench_now();
    printf("yield procs=%d k=%d host_locale=%s ns_per_yield=%.1f\n", procs, rounds,
           setlocale(LC_ALL, NULL), (t1 - t0) * 1e9 / ((double)procs * rounds));
    capsim_system_free(s);
    return r == CAPSIM_RUN_QUIESCENT ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 3 && !strcmp(argv[1], "yield"))
        return bench_yield(atoi(argv[2]), atoi(argv[3]), argc > 4 ? argv[4] : NULL);
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    if (n < 1)
        n = 1000;
    int rc = bench_app("app_counter (globals)", APP("app_counter"), n, true);
    rc |= bench_app("app_tls (a TLS module per copy)", APP("app_tls"), n, false);
    if (argc > 2) /* any other app, e.g. one built with heavy debug info */
        rc |= bench_app(argv[2], argv[2], n, false);
    return rc;
}
