/* cmd_run.c — `capsim run`: boot a fresh system, run one app in it to the
 * end, show what every process printed and how it ended.
 *
 *   capsim run [--seed N] [--cpus K] [--strategy fifo|random|pct]
 *              [--budget-ms MS] [--time-limit NS]
 *              [--strict-memory] [--strict-memory-mode M]
 *              [--env NAME=VALUE]... [--trace FILE] [--report FILE]
 *              APP.so [ARGS...]
 *
 * The app gets a job of its own under the root job, the standard startup
 * handles (host API, scenarios/host) and an environment of the --env
 * strings (none by default). While the run goes, each line a process
 * writes is printed prefixed with "[name] " (stdout lines on stdout, stderr
 * lines on stderr, in the order written: run_stream.c); after it, one line
 * per process (koid order) saying how it ended, the virtual time and the
 * trace hash. The exit status is the app's return code (low 8 bits: an
 * exception kill, -1028, shows as 252; a non-zero code whose low 8 bits
 * are 0, such as zx_task_kill's -1024, shows as 1, never as success), 125
 * if it was still running or blocked when the run ended (--time-limit
 * stops the run at a virtual time: an app that would run forever ends a CI
 * job), 127 if it could not be loaded, 2 for a usage error (an output that
 * cannot be written included: --trace and --report are checked before the
 * run), 1 when writing the trace, the report or stdout failed (a full
 * disk), 128 + the signal when SIGTERM or SIGINT stopped the run (the
 * summary says so; the trace holds what ran; no report). A reader of
 * stdout that leaves (`| head`) stops the run the same way, and the
 * program dies of SIGPIPE (141) once the trace is written; any other
 * write error on stdout (a full disk) stops it too, with status 1 and a
 * message naming the failure.
 *
 * --budget-ms (default 10000, 0 = off) is a host-time guard: a thread that
 * runs longer than that without entering the kernel is stopped with an
 * exception (its process dies with ZX_TASK_RETCODE_EXCEPTION_KILL) and the
 * run goes on; the summary says which. The trace and report stay complete.
 *
 * --strict-memory turns strict memory mode on (model/strict_memory.c): a
 * process touching another's VMO mapping faults, with protection keys
 * where the host has them, else mprotect; --strict-memory-mode pkey or
 * mprotect picks one (and turns the mode on). The summary names the
 * mechanism; a run without faults keeps its trace hash.
 * Read next: run_stream.c, scenarios/host/capsim_host.h.
 */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capsim_host.h"
#include "commands.h"
#include "run_stream.h"

typedef struct RunOptions {
    uint64_t seed;
    gchar *seed_text;
    gint cpus;
    gchar *strategy;
    gint pct_depth;
    gint64 budget_ms;
    gint64 time_limit;
    gchar *trace;
    gchar *report;
    gboolean quiet;
    gboolean strict_memory;
    gchar *strict_memory_mode;
    gboolean debugging_syscalls;
    gchar **env;
    gchar **rest;
} RunOptions;

static int run_parse(int *argc, char ***argv, RunOptions *o)
{
    GOptionEntry entries[] = {
        CLI_SEED_OPTION(&o->seed_text),
        {"cpus", 'c', 0, G_OPTION_ARG_INT, &o->cpus, "virtual CPUs, 1..64 (default 1)", "K"},
        {"strategy", 0, 0, G_OPTION_ARG_STRING, &o->strategy, "scheduling strategy: fifo (default), random, pct", "S"},
        {"pct-depth", 0, 0, G_OPTION_ARG_INT, &o->pct_depth, "PCT bug depth (default 3)", "D"},
        {"budget-ms", 0, 0, G_OPTION_ARG_INT64, &o->budget_ms, "stop a thread that runs longer than MS ms of host time without a syscall (default " G_STRINGIFY(CLI_BUDGET_MS) ", 0 = off)", "MS"},
        {"time-limit", 0, 0, G_OPTION_ARG_INT64, &o->time_limit, "stop the run at virtual time NS (default 0: run to the end); the app, still running, gives exit status 125", "NS"},
        {"trace", 't', 0, G_OPTION_ARG_FILENAME, &o->trace, "write the trace as JSON lines to FILE", "FILE"},
        {"report", 'r', 0, G_OPTION_ARG_FILENAME, &o->report, "write a JSON report to FILE", "FILE"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "print only the apps' output", NULL},
        {"strict-memory", 0, 0, G_OPTION_ARG_NONE, &o->strict_memory, "fault a process that touches another process's VMO mapping", NULL},
        {"strict-memory-mode", 0, 0, G_OPTION_ARG_STRING, &o->strict_memory_mode, "how: pkey (protection keys) or mprotect; implies --strict-memory (default: pkey where the host has it)", "M"},
        CLI_DEBUGGING_SYSCALLS_OPTION(&o->debugging_syscalls),
        {"env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &o->env, "put NAME=VALUE in the app's environment (repeatable; default: none)", "NAME=VALUE"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->rest, NULL, "APP.so [ARGS...]"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- run an app in a fresh simulated system");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_strict_posix(ctx, TRUE); /* options after APP are the app's */
    GError *err = NULL;
    bool ok = g_option_context_parse(ctx, argc, argv, &err);
    g_option_context_free(ctx);
    if (!ok) {
        fprintf(stderr, "%s: %s\n", (*argv)[0], err->message);
        g_error_free(err);
        return 2;
    }
    return 0;
}

static int run_config(const char *prog, const RunOptions *o, CapsimConfig *cfg)
{
    capsim_config_default(cfg);
    cfg->seed = o->seed;
    if (!cli_seed_parse(prog, o->seed_text, &cfg->seed))
        return 2;
    cfg->cpus = o->cpus;
    cfg->pct_depth = o->pct_depth;
    if (o->budget_ms < 0) {
        fprintf(stderr, "%s: --budget-ms must be >= 0\n", prog);
        return 2;
    }
    cfg->budget_ns = (uint64_t)o->budget_ms * 1000000u;
    if (o->time_limit < 0) {
        fprintf(stderr, "%s: --time-limit must be >= 0 (virtual ns; 0 = none)\n", prog);
        return 2;
    }
    cfg->time_limit_ns = o->time_limit;
    if (!cli_output_ok(prog, "--trace", o->trace) || !cli_output_ok(prog, "--report", o->report))
        return 2;
    cfg->trace_path = o->trace;
    cfg->strict_memory = o->strict_memory ? CAPSIM_STRICT_MEMORY_ON : CAPSIM_STRICT_MEMORY_OFF;
    cfg->debugging_syscalls = o->debugging_syscalls;
    if (o->strict_memory_mode && !strcmp(o->strict_memory_mode, "pkey"))
        cfg->strict_memory = CAPSIM_STRICT_MEMORY_PKEY;
    else if (o->strict_memory_mode && !strcmp(o->strict_memory_mode, "mprotect"))
        cfg->strict_memory = CAPSIM_STRICT_MEMORY_MPROTECT;
    else if (o->strict_memory_mode) {
        fprintf(stderr, "%s: unknown --strict-memory-mode '%s' (pkey or mprotect)\n", prog,
                o->strict_memory_mode);
        return 2;
    }
    if (!o->strategy || !strcmp(o->strategy, "fifo"))
        cfg->strategy = CAPSIM_STRATEGY_FIFO;
    else if (!strcmp(o->strategy, "random"))
        cfg->strategy = CAPSIM_STRATEGY_RANDOM;
    else if (!strcmp(o->strategy, "pct"))
        cfg->strategy = CAPSIM_STRATEGY_PCT;
    else {
        fprintf(stderr, "%s: unknown --strategy '%s' (fifo, random or pct)\n", prog, o->strategy);
        return 2;
    }
    if (o->cpus < 1 || o->cpus > 64) {
        fprintf(stderr, "%s: --cpus must be 1..64, not %d\n", prog, o->cpus);
        return 2;
    }
    for (gchar **e = o->env; e && *e; e++) {
        if ((*e)[0] == '=' || !strchr(*e, '=')) {
            fprintf(stderr, "%s: --env wants NAME=VALUE, not '%s'\n", prog, *e);
            return 2;
        }
    }
    if (!o->rest || !o->rest[0]) {
        fprintf(stderr, "%s: no app given (usage: capsim run [OPTIONS] APP.so [ARGS...])\n", prog);
        return 2;
    }
    return 0;
}

static void run_print_summary(CapsimSystem *sys, const CapsimConfig *cfg, int result,
                              int signo)
{
    static const char *const strategies[] = {"fifo", "random", "pct"};
    printf("capsim run: seed %llu, %d virtual CPU%s, strategy %s\n",
           (unsigned long long)cfg->seed, cfg->cpus, cfg->cpus == 1 ? "" : "s",
           strategies[cfg->strategy]);
    for (size_t i = 0; i < capsim_process_count(sys); i++) {
        CapsimProcessInfo pi;
        if (capsim_process_info(sys, capsim_process_koid(sys, i), &pi) != 0)
            continue;
        printf("  %-16s koid %-6llu %s", pi.name, (unsigned long long)pi.koid,
               capsim_end_name(pi.end));
        if (pi.end == CAPSIM_END_EXCEPTION && pi.fault_kind)
            cli_print_fault(capsim_fault_name(pi.fault_kind), pi.fault_addr_known,
                            pi.fault_addr);
        if (pi.end != CAPSIM_END_RUNNING)
            printf(", return code %lld", (long long)pi.return_code);
        printf("\n");
    }
    if (cfg->strict_memory)
        printf("  strict memory: on (%s)\n", capsim_strict_memory(sys));
    if (cfg->debugging_syscalls)
        printf("  debugging syscalls: on\n");
    if (capsim_budget_tripped(sys))
        printf("  budget: a thread ran longer than %llu ms of host time without entering "
               "the kernel and was stopped (exception, process killed)\n",
               (unsigned long long)(cfg->budget_ns / 1000000u));
    if (signo) {
        printf("  interrupted: %s stopped the run at virtual time %lld ns\n",
               signo == SIGINT ? "SIGINT" : "SIGTERM", (long long)capsim_system_now(sys));
        if (!cfg->time_limit_ns) /* an app that waits or sleeps forever */
            printf("  (--time-limit NS stops a run that does not end at virtual time NS, "
                   "the same every run)\n");
    }
    else if (result == CAPSIM_RUN_TIME_LIMIT)
        printf("  time limit: stopped at virtual time %lld ns (--time-limit)\n",
               (long long)capsim_system_now(sys));
    if (result == CAPSIM_RUN_DEADLOCK) {
        char *blocked = capsim_blocked_text(sys);
        cli_print_blocked(blocked);
        capsim_free(blocked);
    }
    char hash[33], end[128];
    capsim_trace_hash(sys, hash);
    capsim_end_summary(sys, end, sizeof end);
    printf("virtual time %lld ns, %llu trace records, run: %s\n",
           (long long)capsim_system_now(sys), (unsigned long long)capsim_trace_records(sys),
           end);
    printf("trace hash %s\n", hash);
}

static int run_exit_status(CapsimSystem *sys, uint64_t app)
{
    CapsimProcessInfo pi;
    if (capsim_process_info(sys, app, &pi) != 0 || pi.end == CAPSIM_END_RUNNING)
        return 125;
    int low = (int)(pi.return_code & 0xff);
    return low == 0 && pi.return_code != 0 ? 1 : low; /* a kill is no success */
}

/* A reader of stdout that left (`| head`) ends this program as SIGPIPE
 * ends any: after the files are written. */
static void run_die_of_sigpipe(void)
{
    signal(SIGPIPE, SIG_DFL);
    raise(SIGPIPE);
}

/* Run the app (its output printed as it goes), write the files, print how
 * it ended; the exit status. */
static int run_app(CapsimSystem *sys, uint64_t app, const RunOptions *o,
                   const CapsimConfig *cfg, const char *prog)
{
    RunStream *stream = run_stream_new(sys);
    int signo = 0;
    int result = run_stream_run(stream, &signo);
    /* The files first: a reader of stdout that leaves early (`| head`)
     * must not take them along. An interrupted run has no report: it did
     * not end; its trace holds what ran. */
    bool written = capsim_trace_close(sys) == 0;
    if (!written)
        fprintf(stderr, "%s: %s\n", prog, capsim_last_error(sys));
    bool stopped = run_stream_stopped(stream);
    if (o->report && stopped) {
        fprintf(stderr, "%s: %s: no report written to %s\n", prog,
                signo == SIGPIPE ? "stdout closed, run stopped"
                : signo          ? "interrupted"
                                 : "stdout failed, run stopped",
                o->report);
    } else if (o->report && capsim_write_report(sys, o->report) != 0) {
        fprintf(stderr, "%s: %s\n", prog, capsim_last_error(sys));
        written = false;
    }
    run_stream_finish(stream);
    if (!o->quiet && !run_stream_stdout_errno(stream))
        run_print_summary(sys, cfg, result, signo);
    int lost = run_stream_stdout_errno(stream);
    if (!lost && fflush(stdout) != 0)
        lost = errno ? errno : EIO;
    run_stream_free(stream);
    if (lost == EPIPE)
        run_die_of_sigpipe();
    if (lost && stopped) {
        fprintf(stderr, "%s: stdout: cannot write: %s; the run was stopped at virtual time "
                "%lld ns\n", prog, g_strerror(lost), (long long)capsim_system_now(sys));
        written = false;
    } else if (lost) {
        fprintf(stderr, "%s: stdout: cannot write: %s\n", prog, g_strerror(lost));
        written = false;
    }
    if (signo)
        return 128 + signo;
    return written ? run_exit_status(sys, app) : 1;
}

int cmd_run(int argc, char **argv)
{
    RunOptions o = {.seed = 1, .cpus = 1, .pct_depth = 3, .budget_ms = CLI_BUDGET_MS};
    const char *prog = argv[0];
    CapsimConfig cfg;
    int rc = run_parse(&argc, &argv, &o);
    if (rc == 0)
        rc = run_config(prog, &o, &cfg);
    CapsimSystem *sys = rc == 0 ? capsim_system_new(&cfg) : NULL;
    if (rc == 0 && !sys) {
        fprintf(stderr, "%s: %s\n", prog, capsim_last_error(NULL));
        rc = 1;
    }
    uint64_t app = 0;
    if (sys) {
        int n = (int)g_strv_length(o.rest);
        app = capsim_spawn_app_ex(sys, o.rest[0], n, (const char *const *)o.rest,
                                  (const char *const *)o.env, NULL, 1);
        if (!app) {
            fprintf(stderr, "%s: %s\n", prog, capsim_last_error(sys));
            rc = 127;
        }
    }
    if (app)
        rc = run_app(sys, app, &o, &cfg, prog);
    capsim_system_free(sys);
    g_free(o.strategy);
    g_free(o.seed_text);
    g_free(o.trace);
    g_free(o.report);
    g_free(o.strict_memory_mode);
    g_strfreev(o.env);
    g_strfreev(o.rest);
    return rc;
}
