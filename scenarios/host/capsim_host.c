/* capsim_host.c — the flat host API (capsim_host.h): systems, spawning apps,
 * running, and questions about processes.
 *
 * Models: a machine booted with nothing but the root job, onto which a
 * launcher (the user, a script, a test) starts apps. Each capsim_spawn_app
 * makes a job under the root job named after the app and launches the app
 * there with the standard startup handles (its default job is that job), or
 * with none at all (capsim_spawn_app_bare). Images are loaded once per path
 * per system. Everything a query reports comes from the app layer's records
 * (model/app/app.h), which outlive the processes, in koid order.
 *
 * After every run the host's own stdio is put back in libc (apps' FILEs are
 * installed while they run). Errors are kept per system as a message that
 * names the file and the problem; capsim_system_new's go to a host-wide
 * slot. Reports are in host_report.c.
 *
 * Invariants: sys->k's app world is attached from creation to free.
 * Leaves out: several systems running at the same time (libc's stdio is
 * process-wide). Read next: host_report.c.
 */
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "capsim_host_internal.h"
#include "job.h"
#include "process.h"
#include "strict_memory.h"

static char host_new_error[512];

static void host_error(CapsimSystem *sys, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void host_error(CapsimSystem *sys, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (sys)
        vsnprintf(sys->error, sizeof sys->error, fmt, ap);
    else
        vsnprintf(host_new_error, sizeof host_new_error, fmt, ap);
    va_end(ap);
}

void capsim_config_default(CapsimConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->cpus = 1;
    cfg->strategy = CAPSIM_STRATEGY_FIFO;
    cfg->pct_depth = 3;
    cfg->output_limit = 1u << 20;
}

static bool host_sim_config(const CapsimConfig *cfg, SimConfig *sc)
{
    sim_config_default(sc);
    if (cfg->cpus < 1 || cfg->cpus > 64) {
        host_error(NULL, "cpus must be 1..64, not %d", cfg->cpus);
        return false;
    }
    static const SimStrategy map[] = {SIM_STRATEGY_FIFO, SIM_STRATEGY_RANDOM,
                                      SIM_STRATEGY_PCT, SIM_STRATEGY_REPLAY};
    if (cfg->strategy < 0 || cfg->strategy > CAPSIM_STRATEGY_REPLAY) {
        host_error(NULL, "unknown strategy %d (fifo 0, random 1, pct 2, replay 3)",
                   cfg->strategy);
        return false;
    }
    sc->seed = cfg->seed;
    sc->cpus = cfg->cpus;
    sc->strategy = map[cfg->strategy];
    if (cfg->pct_depth > 0)
        sc->pct_depth = cfg->pct_depth;
    sc->budget_ns = cfg->budget_ns;
    if (cfg->time_limit_ns < 0) {
        host_error(NULL, "time_limit_ns must be >= 0 (virtual ns; 0 = none), not %lld",
                   (long long)cfg->time_limit_ns);
        return false;
    }
    sc->time_limit = cfg->time_limit_ns;
    sc->record_limit = cfg->record_limit;
    if (cfg->pct_steps)
        sc->pct_steps = cfg->pct_steps;
    SimTime *costs[] = {&sc->cost.kernel_entry, &sc->cost.context_switch,
                        &sc->cost.wakeup, &sc->cost.thread_start};
    int64_t given[] = {cfg->cost_kernel_entry, cfg->cost_context_switch,
                       cfg->cost_wakeup, cfg->cost_thread_start};
    for (size_t i = 0; i < 4; i++) {
        if (given[i] < 0) {
            host_error(NULL, "engine costs must be >= 0 ns, not %lld", (long long)given[i]);
            return false;
        }
        if (given[i])
            *costs[i] = given[i];
    }
    return true;
}

static bool host_strict_memory(Kernel *k, int mode)
{
    static const HostIsolation map[] = {HOST_ISOLATION_OFF, HOST_ISOLATION_OFF,
                                        HOST_ISOLATION_PKEY, HOST_ISOLATION_MPROTECT};
    if (mode < CAPSIM_STRICT_MEMORY_OFF || mode > CAPSIM_STRICT_MEMORY_MPROTECT) {
        host_error(NULL, "unknown strict memory mode %d (off 0, on 1, pkey 2, mprotect 3)",
                   mode);
        return false;
    }
    HostIsolation iso = mode == CAPSIM_STRICT_MEMORY_ON ? strict_memory_best() : map[mode];
    if (strict_memory_set(k, iso) != ZX_OK) {
        host_error(NULL, "strict memory mode pkey: this host has no memory protection keys");
        return false;
    }
    return true;
}

const char *capsim_strict_memory(CapsimSystem *sys)
{
    return strict_memory_name(sys->k->strict_memory);
}

CapsimSystem *capsim_system_new(const CapsimConfig *cfg)
{
    CapsimConfig def;
    if (!cfg) {
        capsim_config_default(&def);
        cfg = &def;
    }
    host_new_error[0] = '\0';
    SimConfig sc;
    if (!host_sim_config(cfg, &sc))
        return NULL;
    CapsimSystem *sys = calloc(1, sizeof *sys);
    if (sys && cfg->strategy == CAPSIM_STRATEGY_REPLAY && cfg->replay_len) {
        if (!cfg->replay || !(sys->replay = malloc(cfg->replay_len * sizeof *sys->replay))) {
            host_error(NULL, "replay: no schedule given");
            free(sys);
            return NULL;
        }
        memcpy(sys->replay, cfg->replay, cfg->replay_len * sizeof *sys->replay);
        sc.replay = sys->replay;
        sc.replay_len = cfg->replay_len;
    }
    if (!sys || !(sys->e = sim_engine_new(&sc))) {
        host_error(NULL, "cannot create the engine");
        if (sys)
            free(sys->replay);
        free(sys);
        return NULL;
    }
    sys->cfg = *cfg;
    sys->cfg.trace_path = NULL;
    sys->cfg.replay = sys->replay;
    if (cfg->trace_path) {
        int rc = sim_trace_open_file(sys->e, cfg->trace_path);
        if (rc != 0) {
            host_error(NULL, "%s: cannot write the trace: %s", cfg->trace_path,
                       g_strerror(-rc));
            sim_engine_free(sys->e);
            free(sys->replay);
            free(sys);
            return NULL;
        }
        sys->trace_file = g_strdup(cfg->trace_path);
    }
    sim_trace_keep(sys->e, cfg->keep_trace != 0);
    sys->k = kernel_new(sys->e);
    if (!host_strict_memory(sys->k, cfg->strict_memory)) {
        kernel_free(sys->k);
        sim_engine_free(sys->e);
        free(sys->replay);
        free(sys);
        return NULL;
    }
    sys->k->debugging_syscalls = cfg->debugging_syscalls != 0;
    app_set_output_limit(sys->k, cfg->output_limit ? cfg->output_limit : 1u << 20);
    sys->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)app_image_release);
    sys->last_result = CAPSIM_RUN_QUIESCENT;
    return sys;
}

void capsim_system_free(CapsimSystem *sys)
{
    if (!sys)
        return;
    app_shutdown(sys->k);
    host_script_free(sys);
    sim_trace_close_file(sys->e);
    g_free(sys->trace_file);
    kernel_free(sys->k);
    sim_engine_free(sys->e);
    g_hash_table_destroy(sys->images);
    free(sys->replay);
    free(sys);
}

int capsim_trace_close(CapsimSystem *sys)
{
    if (!sys->trace_file)
        return 0;
    int rc = sim_trace_close_file(sys->e);
    if (rc < 0)
        snprintf(sys->error, sizeof sys->error, "%s: cannot write the trace: %s",
                 sys->trace_file, g_strerror(-rc));
    g_free(sys->trace_file);
    sys->trace_file = NULL;
    return rc < 0 ? -1 : 0;
}

const char *capsim_last_error(CapsimSystem *sys)
{
    return sys ? sys->error : host_new_error;
}

size_t capsim_loaded_app_copies(void)
{
    return app_loaded_copies();
}

static AppImage *host_image(CapsimSystem *sys, const char *path)
{
    AppImage *img = g_hash_table_lookup(sys->images, path);
    if (img)
        return img;
    if (!(img = app_image_builtin(path))) {
        char *err = NULL;
        img = app_image_load_file(path, &err);
        if (!img) {
            host_error(sys, "%s", err ? err : "cannot load the app");
            free(err);
            return NULL;
        }
    }
    g_hash_table_insert(sys->images, g_strdup(path), img);
    return img;
}

/* "dir/hello.so" -> "hello" */
static void host_default_name(const char *path, char *out, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, len, "%s", base);
    size_t n = strlen(out);
    if (n > 3 && strcmp(out + n - 3, ".so") == 0)
        out[n - 3] = '\0';
}

uint64_t capsim_spawn_app_ex(CapsimSystem *sys, const char *path, int argc,
                             const char *const *argv, const char *const *envp,
                             const char *name, int standard_handles)
{
    if (!path) {
        host_error(sys, "no app given");
        return 0;
    }
    AppImage *img = host_image(sys, path);
    if (!img)
        return 0;
    char defname[ZX_MAX_NAME_LEN];
    host_default_name(path, defname, sizeof defname);
    if (!name || !*name)
        name = defname;
    KJob *job;
    if (job_create(sys->k->root_job, &job) != ZX_OK) {
        host_error(sys, "%s: cannot create a job for it", path);
        return 0;
    }
    kobject_set_name(&job->base, name, strlen(name));
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = name;
    spec.give = standard_handles ? LAUNCH_GIVE_STANDARD : 0;
    spec.default_job = job;
    spec.argc = argv ? argc : 0;
    spec.argv = (char **)argv;
    spec.envp = (char **)envp;
    KProcess *p = NULL;
    zx_status_t st = app_launch(sys->k, job, img, &spec, &p);
    kobject_unref(&job->base);
    if (st != ZX_OK) {
        host_error(sys, "%s: cannot launch it (status %d)", path, st);
        return 0;
    }
    uint64_t koid = p->base.koid;
    kobject_unref(&p->base);
    if (!sys->first_app)
        sys->first_app = koid;
    return koid;
}

uint64_t capsim_spawn_app(CapsimSystem *sys, const char *path, int argc,
                          const char *const *argv, const char *name)
{
    return capsim_spawn_app_ex(sys, path, argc, argv, NULL, name, 1);
}

uint64_t capsim_spawn_app_bare(CapsimSystem *sys, const char *path, int argc,
                               const char *const *argv, const char *name)
{
    return capsim_spawn_app_ex(sys, path, argc, argv, NULL, name, 0);
}

static int host_result(CapsimSystem *sys, SimRunResult r)
{
    app_restore_host(sys->k);
    sys->last_result = (int)r;
    return (int)r;
}

int capsim_run(CapsimSystem *sys)
{
    return host_result(sys, sim_run(sys->e));
}

int capsim_run_until(CapsimSystem *sys, int64_t ns)
{
    return host_result(sys, sim_run_until(sys->e, ns));
}

int capsim_step(CapsimSystem *sys)
{
    return host_result(sys, sim_step(sys->e));
}

int64_t capsim_system_now(CapsimSystem *sys)
{
    return sim_now(sys->e);
}

int capsim_time_limit_reached(CapsimSystem *sys)
{
    return sim_time_limit_reached(sys->e);
}

int capsim_record_limit_reached(CapsimSystem *sys)
{
    return sim_record_limit_reached(sys->e);
}

int64_t capsim_next_event_time(CapsimSystem *sys)
{
    SimTime t = sim_next_time(sys->e);
    return t == SIM_TIME_INFINITE ? -1 : t;
}

char *capsim_blocked_text(CapsimSystem *sys)
{
    char *text = sim_blocked_text(sys->e);
    char *copy = strdup(text); /* capsim_free is free() */
    g_free(text);
    return copy;
}

size_t capsim_blocked_report(CapsimSystem *sys, char *buf, size_t len)
{
    return sim_blocked_report(sys->e, buf, len);
}

size_t capsim_end_summary(CapsimSystem *sys, char *buf, size_t len)
{
    return sim_end_summary(sys->e, buf, len);
}

size_t capsim_idle_servers(CapsimSystem *sys)
{
    return sim_idle_servers(sys->e);
}
