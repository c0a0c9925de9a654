/* cmd_component.c — `capsim component`: run packaged components in a
 * simulated Fuchsia-like system and show their sandboxes.
 *
 *   capsim component run  --package=A.far [--package=B.far...] [--launch=NAME]
 *                         [--policy=grant-all|allowlist --allowlist=FILE]
 *                         [--data=PATH=TEXT] [--accept-dotdot]
 *                         [--seed=N] [--cpus=K] [--trace=FILE] [-- ARGS...]
 *   capsim component plan --package=A.far [--policy=... --allowlist=FILE]
 *
 * `run` installs the packages, launches one component (the first package
 * unless --launch), runs the simulation until nothing can run, and prints
 * the namespace it was given, what it wrote to stdout/stderr, how it ended
 * and the trace hash. `plan` only shows the namespace a launch would give
 * (or why it would be refused). --data puts a file in /data first (to see
 * whether the component can reach it); --accept-dotdot turns on the
 * kernel's fault switch that lets directory servers resolve "..".
 *
 * Nothing is printed until the inputs proved good (the policy, every
 * package installed, the --data files put): a bad one gives its error on
 * stderr and nothing on stdout. --trace is checked before anything boots,
 * as every command checks its outputs (output_check.c): a path that
 * cannot be written is a usage error, and no file is made.
 *
 * Exit status: 0 when the component ran and returned 0, 1 when it was
 * refused or failed (a package that cannot be read or installed too, or
 * the trace could not be written), 2 for usage errors (an unwritable
 * --trace included). Read next: model/sandbox/component_manager.h.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "commands.h"
#include "component_manager.h"
#include "kernel.h"
#include "process.h"
#include "sim.h"

typedef struct ComponentOpts {
    gchar **packages;
    gchar *launch;
    gchar *policy;
    gchar *allowlist;
    gchar **data;
    gboolean accept_dotdot;
    gboolean debugging_syscalls;
    uint64_t seed;
    gchar *seed_text;
    gint cpus;
    gchar *trace;
    gchar **rest;
} ComponentOpts;

static int component_usage(const char *prog, const char *msg)
{
    fprintf(stderr, "%s: %s\n(see `%s --help`)\n", prog, msg, prog);
    return 2;
}

static bool component_parse(int *argc, char ***argv, ComponentOpts *o, const char *summary)
{
    GOptionEntry entries[] = {
        {"package", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->packages, "install a package archive (repeatable)", "FILE.far"},
        {"launch", 'l', 0, G_OPTION_ARG_STRING, &o->launch, "package to launch (default: the first)", "NAME"},
        {"policy", 0, 0, G_OPTION_ARG_STRING, &o->policy, "grant-all (default) or allowlist", "MODE"},
        {"allowlist", 'a', 0, G_OPTION_ARG_FILENAME, &o->allowlist, "allowlist policy file (JSON)", "FILE"},
        {"data", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &o->data, "put a file in /data first (repeatable)", "PATH=TEXT"},
        {"accept-dotdot", 0, 0, G_OPTION_ARG_NONE, &o->accept_dotdot, "fault switch: directory servers accept '..'", NULL},
        CLI_DEBUGGING_SYSCALLS_OPTION(&o->debugging_syscalls),
        CLI_SEED_OPTION(&o->seed_text),
        {"cpus", 'c', 0, G_OPTION_ARG_INT, &o->cpus, "virtual CPUs, 1..64 (default 2)", "K"},
        {"trace", 't', 0, G_OPTION_ARG_FILENAME, &o->trace, "write the trace as JSON lines", "FILE"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->rest, NULL, "[-- ARGS...]"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new(summary);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    bool ok = g_option_context_parse(ctx, argc, argv, &err);
    if (!ok) {
        fprintf(stderr, "%s: %s\n", (*argv)[0], err->message);
        g_error_free(err);
    }
    g_option_context_free(ctx);
    return ok;
}

static void component_opts_free(ComponentOpts *o)
{
    g_strfreev(o->packages);
    g_free(o->launch);
    g_free(o->policy);
    g_free(o->allowlist);
    g_strfreev(o->data);
    g_free(o->trace);
    g_free(o->seed_text);
    g_strfreev(o->rest);
}

/* The policy the options ask for; NULL (grant-all) or loaded. *bad on error. */
static SandboxPolicy *component_policy(const char *prog, const ComponentOpts *o, bool *bad)
{
    *bad = false;
    const char *mode = o->policy ? o->policy : (o->allowlist ? "allowlist" : "grant-all");
    if (!strcmp(mode, "grant-all")) {
        if (o->allowlist)
            *bad = component_usage(prog, "--allowlist needs --policy=allowlist") != 0;
        return NULL;
    }
    if (strcmp(mode, "allowlist") != 0 || !o->allowlist) {
        *bad = component_usage(prog, "--policy is grant-all or allowlist "
                                     "(allowlist needs --allowlist=FILE)") != 0;
        return NULL;
    }
    char *err = NULL;
    SandboxPolicy *p = sandbox_policy_load_file(o->allowlist, &err);
    if (!p) {
        fprintf(stderr, "%s: %s\n", prog, err);
        free(err);
        *bad = true;
    }
    return p;
}

/* The --data options, checked before anything boots: each is PATH=TEXT,
 * and no path repeats or is the directory of another (the pipelined writes
 * would silently lose one of them). 0, or 2 for a usage error. */
static int component_check_data(const char *prog, const ComponentOpts *o)
{
    for (size_t i = 0; o->data && o->data[i]; i++) {
        const char *eq = strchr(o->data[i], '=');
        if (!eq || eq == o->data[i])
            return component_usage(prog, "--data wants PATH=TEXT");
        size_t len = (size_t)(eq - o->data[i]);
        for (size_t j = 0; j < i; j++) {
            const char *other = o->data[j];
            size_t olen = (size_t)(strchr(other, '=') - other);
            size_t n = len < olen ? len : olen;
            bool clash = !strncmp(o->data[i], other, n) &&
                         (len == olen || (len > olen ? o->data[i] : other)[n] == '/');
            if (clash) {
                char *msg = g_strdup_printf("--data %.*s and --data %.*s: %s", (int)olen, other,
                                            (int)len, o->data[i],
                                            len == olen ? "the same file twice"
                                                        : "a file cannot also be a directory");
                component_usage(prog, msg);
                g_free(msg);
                return 2;
            }
        }
    }
    return 0;
}

/* Install every package; the name to launch in *launch (malloc'd), the
 * lines saying what was installed in `installed` (printed once all of it
 * worked: a bad package prints nothing but its error). */
static bool component_install(const char *prog, CmSystem *cm, const ComponentOpts *o,
                              char **launch, GString *installed)
{
    *launch = o->launch ? strdup(o->launch) : NULL;
    for (size_t i = 0; o->packages && o->packages[i]; i++) {
        char *err = NULL;
        char *name = cm_add_package_file(cm, o->packages[i], &err);
        if (!name) {
            fprintf(stderr, "%s: %s\n", prog, err);
            free(err);
            return false;
        }
        g_string_append_printf(installed, "  package %s from %s\n", name, o->packages[i]);
        if (!*launch)
            *launch = name;
        else
            free(name);
    }
    for (size_t i = 0; o->data && o->data[i]; i++) {
        char *eq = strchr(o->data[i], '=');   /* component_check_data: present */
        char *err = NULL;
        *eq = '\0';
        bool ok = cm_data_put(cm, o->data[i], eq + 1, strlen(eq + 1), &err);
        *eq = '=';
        if (!ok) {
            fprintf(stderr, "%s: %s\n", prog, err);
            free(err);
            return false;
        }
    }
    return true;
}

static void component_print_ns(const CmComponent *c)
{
    printf("  namespace of %s:\n", cm_component_package(c));
    for (size_t i = 0; i < cm_component_ns_count(c); i++)
        printf("    %-26s from %s\n", cm_component_ns_path(c, i), cm_component_ns_why(c, i));
    if (cm_component_notes(c)[0])
        printf("    (granted, gives nothing: %s)\n", cm_component_notes(c));
}

static void component_print_output(KProcess *p)
{
    size_t n = app_output(p, NULL, 0);
    char *buf = calloc(1, n + 1);
    app_output(p, buf, n + 1);
    printf("  output:\n");
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        printf("    %s\n", line);
    free(buf);
}

void component_print_end(SimEngine *e)
{
    char end[256];
    sim_end_summary(e, end, sizeof end);
    printf("  run: %s\n", end);
    if (!strncmp(end, "deadlock", 8)) {
        char *blocked = sim_blocked_text(e);
        cli_print_blocked(blocked);
        g_free(blocked);
    }
}

void cli_print_fault(const char *name, bool addr_known, uint64_t addr)
{
    printf(" (%s", name);
    if (addr_known) /* what a null pointer reaches */
        printf(" at address 0x%llx%s", (unsigned long long)addr,
               addr < 4096 ? ": a null pointer" : "");
    printf(")");
}

void cli_print_blocked(const char *lines)
{
    printf("  still blocked:\n");
    for (const char *line = lines; *line;) {
        size_t n = strcspn(line, "\n");
        printf("    %.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
}

/* How the component's process ended, as `capsim run` says it: "exited",
 * "exception (page fault)", "killed by policy"... and its return code. */
static void component_print_ended(KProcess *p, const char *launch)
{
    AppProcInfo info;
    if (p->state != PROCESS_DEAD) {
        printf("  %s still running\n", launch);
        return;
    }
    bool known = app_proc_info_by_koid(p->base.kernel, p->base.koid, &info);
    printf("  %s %s", launch, known ? app_end_name(info.end) : "ended");
    if (known && info.end == APP_END_EXCEPTION && info.fault_kind)
        cli_print_fault(app_fault_name(info.fault_kind), info.fault_addr_known, info.fault_addr);
    printf(", return code %lld\n", (long long)p->return_code);
}

/* Launch (or plan) `launch` on a started system; the exit status. */
static int component_launch(SimEngine *e, CmSystem *cm, const ComponentOpts *o,
                            const char *launch, bool run)
{
    int argc;
    const char *argv[64] = {launch};
    for (argc = 1; o->rest && o->rest[argc - 1] && argc < 63; argc++)
        argv[argc] = o->rest[argc - 1];
    char *err = NULL;
    int rc = 1;
    if (!run) {
        char *plan = cm_plan(cm, NULL, launch, &err);
        if (plan) {
            printf("  namespace %s would get:\n", launch);
            for (char *line = strtok(plan, "\n"); line; line = strtok(NULL, "\n"))
                printf("    %s\n", line);
            rc = 0;
        } else {
            printf("  would be refused: %s\n", err);
        }
        free(plan);
        free(err);
        return rc;
    }
    CmComponent *c = cm_launch(cm, NULL, launch, argc, argv, &err);
    if (!c) {
        printf("  refused: %s\n", err);
        free(err);
        return 1;
    }
    component_print_ns(c);
    sim_run(e);
    KProcess *p = cm_component_process(c);
    component_print_output(p);
    component_print_ended(p, launch);
    component_print_end(e);
    return p->state == PROCESS_DEAD && p->return_code == 0 ? 0 : 1;
}

static int component_go(const char *prog, ComponentOpts *o, bool run)
{
    bool bad = false;
    SandboxPolicy *policy = component_policy(prog, o, &bad);
    if (bad)
        return 2;
    SimConfig sc;
    sim_config_default(&sc);
    sc.seed = o->seed;
    sc.cpus = o->cpus;
    SimEngine *e = sim_engine_new(&sc);
    Kernel *k = kernel_new(e);
    k->faults.accept_dotdot = o->accept_dotdot;
    k->debugging_syscalls = o->debugging_syscalls;
    int trace_rc = o->trace ? sim_trace_open_file(e, o->trace) : 0;
    if (trace_rc != 0) {   /* as `capsim run`: no run whose trace would be lost */
        fprintf(stderr, "%s: %s: cannot write the trace: %s\n", prog, o->trace,
                g_strerror(-trace_rc));
        kernel_free(k);
        sim_engine_free(e);
        sandbox_policy_free(policy);
        return 1;
    }
    CmConfig cfg = {.policy = policy};
    char *err = NULL, *launch = NULL;
    CmSystem *cm = cm_new(k, &cfg, &err);
    GString *installed = g_string_new(NULL);
    int rc = 1;
    bool ready = false;   /* the inputs are good: something to report */
    if (!cm)
        fprintf(stderr, "%s: %s\n", prog, err);
    else if (!component_install(prog, cm, o, &launch, installed))
        ;
    else if (!launch)
        rc = component_usage(prog, "give at least one --package");
    else
        ready = true;
    if (ready) {
        printf("capsim component: policy %s, seed %" PRIu64 ", %d virtual CPUs\n%s",
               sandbox_policy_name(policy), o->seed, o->cpus, installed->str);
        rc = component_launch(e, cm, o, launch, run);
    }
    g_string_free(installed, TRUE);
    if (cm) {
        cm_shutdown(cm);
        sim_run(e);
    }
    if (ready) {
        char hash[33];
        sim_trace_hash_hex(e, hash);
        printf("trace hash %s\n", hash);
    }
    free(err);
    free(launch);
    cm_free(cm);
    sandbox_policy_free(policy);
    app_shutdown(k);
    int lost = sim_trace_close_file(e);
    if (lost < 0) {   /* a full disk: the trace is not what the run made */
        fprintf(stderr, "%s: %s: cannot write the trace: %s\n", prog, o->trace, g_strerror(-lost));
        rc = 1;
    }
    kernel_free(k);
    sim_engine_free(e);
    return rc;
}

int cmd_component(int argc, char **argv)
{
    const char *prog = argv[0];
    if (argc < 2 || (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "plan") != 0)) {
        fprintf(stderr, "usage: %s run|plan --package=FILE.far [options] [-- ARGS...]\n"
                        "`%s run --help` lists the options.\n", prog, prog);
        return 2;
    }
    bool run = strcmp(argv[1], "run") == 0;
    char name[96];
    snprintf(name, sizeof name, "%s %s", prog, argv[1]);
    argv[1] = name;
    argc--;
    argv++;
    ComponentOpts o = {.seed = 1, .cpus = 2};
    int rc;
    if (!component_parse(&argc, &argv, &o, run ? "- launch a packaged component"
                                              : "- show the namespace a component would get"))
        rc = 2;
    else if (!cli_seed_parse(argv[0], o.seed_text, &o.seed))
        rc = 2;
    else if (o.cpus < 1 || o.cpus > 64)
        rc = component_usage(argv[0], "--cpus must be 1..64");
    else if ((rc = component_check_data(argv[0], &o)) != 0)
        ;
    else if (!cli_output_ok(argv[0], "--trace", o.trace))
        rc = 2;
    else
        rc = component_go(argv[0], &o, run);
    component_opts_free(&o);
    return rc;
}
