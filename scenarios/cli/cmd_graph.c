/* cmd_graph.c — `capsim graph`: run an app (or a packaged component) with
 * a recorder watching, then draw its capability graph.
 *
 *   capsim graph [SOURCE] [--list] [--snapshot=WHICH] [--diff=A:B]
 *                [--focus=SPEC] [--hops=K] [--format=F] [--engine=E]
 *                [--values] [--no-threads] [--no-legend] [-o FILE]
 *   SOURCE:  [--seed=N] [--cpus=K] [SCHEDULE] APP.so [ARGS...]
 *        or  [--seed=N] [--cpus=K] [SCHEDULE] --package=A.far [--package=...]
 *            [--launch=NAME] [-- ARGS]
 *   SCHEDULE: [--at-syscall=NAME]... [--at-time=NS]... [--every=N]
 *            [--time-limit=NS] (the run stops there: an app that never ends)
 *
 * Snapshots are taken at the scheduled moments and always at the end
 * ("end"). --list prints them; --snapshot picks one to draw ("end", a
 * label, #N); --diff=A:B draws the changes between two, each labelled
 * with the event that caused it; --focus draws one principal and what is
 * within --hops of it. The format comes from --format or the output's
 * extension (dot, svg, png, pdf, json = networkx node-link; none: svg; another:
 * an error, found before the run). Exit status:
 * 0, 1 when drawing or writing failed, 2 for usage errors (an output that
 * cannot be written or whose format is unknown, checked before the run; a
 * snapshot or a --focus principal that the run does not have), 127 when
 * the app could not be loaded.
 *
 * The "SOURCE" part (graph_source_*) is shared with cmd_analyze.c and
 * cmd_trace.c (declared in commands.h). Read next: cmd_analyze.c,
 * scenarios/host/capsim_viz.h.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "capsim_host.h"
#include "capsim_viz.h"
#include "commands.h"
#include "component_manager.h"
#include "kernel.h"
#include "viz_components.h"
#include "viz_dot.h"

/* ---- The shared source: an app or a component, watched ---------------------*/

struct GraphSource {
    uint64_t seed;
    gchar *seed_text;
    gint cpus;
    gboolean debugging_syscalls;
    gchar **at_syscall;
    gchar **at_time;
    gint64 every;
    gint64 time_limit;        /* virtual ns, 0 = none */
    const char *prog;         /* for graph_source_run's note */
    gchar **packages;
    gchar *launch;
    gchar **rest;             /* APP.so ARGS... */
    CapsimSystem *sys;        /* app mode */
    SimEngine *e;             /* component mode */
    Kernel *k;
    CmSystem *cm;
    CapsimViz *viz;
};

static int graph_source_schedule(GraphSource *s, const char *prog);

GraphSource *graph_source_new(void)
{
    GraphSource *s = g_new0(GraphSource, 1);
    s->seed = 1;
    s->cpus = 1;
    return s;
}

void graph_source_add_options(GraphSource *s, GOptionContext *ctx)
{
    GOptionEntry entries[] = {
        CLI_SEED_OPTION(&s->seed_text),
        {"cpus", 'c', 0, G_OPTION_ARG_INT, &s->cpus, "virtual CPUs, 1..64 (default 1)", "K"},
        CLI_DEBUGGING_SYSCALLS_OPTION(&s->debugging_syscalls),
        {"package", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &s->packages,
         "run a packaged component instead of an app (repeatable)", "FILE.far"},
        {"launch", 'l', 0, G_OPTION_ARG_STRING, &s->launch, "package to launch (default: the first)", "NAME"},
        {"at-syscall", 0, 0, G_OPTION_ARG_STRING_ARRAY, &s->at_syscall, "snapshot after every call of NAME (repeatable)", "NAME"},
        {"at-time", 0, 0, G_OPTION_ARG_STRING_ARRAY, &s->at_time, "snapshot at virtual time NS (repeatable)", "NS"},
        {"every", 0, 0, G_OPTION_ARG_INT64, &s->every, "snapshot every N engine events", "N"},
        {"time-limit", 0, 0, G_OPTION_ARG_INT64, &s->time_limit, "stop the run at virtual time NS (default 0: run to the end), for an app that never ends", "NS"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &s->rest, NULL, "APP.so [ARGS...]"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_strict_posix(ctx, TRUE);
}

static int graph_source_components(GraphSource *s, const char *prog)
{
    SimConfig sc;
    sim_config_default(&sc);
    sc.seed = s->seed;
    sc.cpus = s->cpus;
    sc.time_limit = s->time_limit;
    s->e = sim_engine_new(&sc);
    s->k = kernel_new(s->e);
    s->k->debugging_syscalls = s->debugging_syscalls;
    s->viz = capsim_viz_attach_kernel(s->k); /* before anything is launched */
    CmConfig cfg = {0};
    char *err = NULL;
    s->cm = cm_new(s->k, &cfg, &err);
    if (!s->cm) {
        fprintf(stderr, "%s: %s\n", prog, err);
        free(err);
        return 1;
    }
    viz_components_watch(s->cm);
    char *first = NULL;
    for (size_t i = 0; s->packages[i]; i++) {
        char *name = cm_add_package_file(s->cm, s->packages[i], &err);
        if (!name) {
            fprintf(stderr, "%s: %s\n", prog, err);
            free(err);
            free(first);
            return 1;
        }
        if (!first)
            first = name;
        else
            free(name);
    }
    const char *launch = s->launch ? s->launch : first;
    int argc = 1;
    const char *argv[64] = {launch};
    for (; s->rest && s->rest[argc - 1] && argc < 63; argc++)
        argv[argc] = s->rest[argc - 1];
    CmComponent *c = cm_launch(s->cm, NULL, launch, argc, argv, &err);
    free(first);
    if (!c) {
        fprintf(stderr, "%s: launch refused: %s\n", prog, err);
        free(err);
        return 1;
    }
    return 0;
}

int graph_source_start(GraphSource *s, const char *prog)
{
    if (!cli_seed_parse(prog, s->seed_text, &s->seed))
        return 2;
    if (s->cpus < 1 || s->cpus > 64) {
        fprintf(stderr, "%s: --cpus must be 1..64\n", prog);
        return 2;
    }
    if (s->time_limit < 0) {
        fprintf(stderr, "%s: --time-limit must be >= 0 (virtual ns; 0: none)\n", prog);
        return 2;
    }
    s->prog = prog;
    if (s->packages) {
        int rc = graph_source_components(s, prog);
        return rc ? rc : graph_source_schedule(s, prog);
    }
    if (!s->rest || !s->rest[0]) {
        fprintf(stderr, "%s: give APP.so [ARGS...] or --package=FILE.far (see --help)\n", prog);
        return 2;
    }
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = s->seed;
    cfg.cpus = s->cpus;
    cfg.debugging_syscalls = s->debugging_syscalls;
    cfg.time_limit_ns = s->time_limit;
    cfg.keep_trace = 1; /* from the first record: the recorder and jsonl want all */
    s->sys = capsim_system_new(&cfg);
    if (!s->sys) {
        fprintf(stderr, "%s: %s\n", prog, capsim_last_error(NULL));
        return 2;
    }
    s->viz = capsim_viz_attach(s->sys);
    int argc = 0;
    while (s->rest[argc])
        argc++;
    if (graph_source_schedule(s, prog) != 0)
        return 2;
    if (!capsim_spawn_app(s->sys, s->rest[0], argc, (const char *const *)s->rest, NULL)) {
        fprintf(stderr, "%s: %s\n", prog, capsim_last_error(s->sys));
        return 127;
    }
    return 0;
}

/* The snapshot schedule from the options (after start); 0 or 2. */
static int graph_source_schedule(GraphSource *s, const char *prog)
{
    CapsimViz *v = s->viz;
    for (size_t i = 0; s->at_syscall && s->at_syscall[i]; i++)
        if (capsim_viz_at_syscall(v, s->at_syscall[i]) != 0) {
            fprintf(stderr, "%s: %s\n", prog, capsim_viz_error(v));
            return 2;
        }
    for (size_t i = 0; s->at_time && s->at_time[i]; i++) {
        char *end = NULL;
        long long t = strtoll(s->at_time[i], &end, 10);
        if (!*s->at_time[i] || *end || t < 0) {
            fprintf(stderr, "%s: --at-time wants virtual nanoseconds, not '%s'\n", prog, s->at_time[i]);
            return 2;
        }
        capsim_viz_at_time(v, t);
    }
    if (s->every < 0) {
        fprintf(stderr, "%s: --every must be >= 0\n", prog);
        return 2;
    }
    capsim_viz_every(v, (uint64_t)s->every);
    return 0;
}

CapsimViz *graph_source_viz(GraphSource *s)
{
    return s->viz;
}

int graph_source_run(GraphSource *s)
{
    int rc = capsim_viz_run(s->viz);
    bool limited = s->sys ? capsim_time_limit_reached(s->sys) : sim_time_limit_reached(s->e);
    if (limited)
        fprintf(stderr, "%s: the run stopped at its time limit, virtual time %lld ns "
                "(--time-limit): the output shows it up to there\n",
                s->prog, (long long)s->time_limit);
    return rc;
}

/* Order matters: the app layer wraps the recorder's hook, so in component
 * mode the recorder goes after app_shutdown (and after the last run); in
 * app mode capsim_system_free does both, after the recorder let go. */
void graph_source_free(GraphSource *s)
{
    if (!s)
        return;
    if (s->cm) {
        viz_components_forget(s->cm);
        cm_shutdown(s->cm);
        sim_run(s->e);
    }
    if (s->k) {
        sim_trace_close_file(s->e);
        app_shutdown(s->k);
    }
    capsim_viz_free(s->viz);
    if (s->sys)
        capsim_system_free(s->sys);
    if (s->k) {
        cm_free(s->cm);
        kernel_free(s->k);
        sim_engine_free(s->e);
    }
    g_strfreev(s->packages);
    g_free(s->launch);
    g_free(s->seed_text);
    g_strfreev(s->rest);
    g_strfreev(s->at_syscall);
    g_strfreev(s->at_time);
    g_free(s);
}

/* The snapshot index WHICH names ("end", a label, #N, N), or -1 with a message. */
int graph_source_snapshot(GraphSource *s, const char *prog, const char *which)
{
    int i = capsim_viz_find(s->viz, which ? which : "end");
    if (i < 0)
        fprintf(stderr, "%s: no snapshot '%s' (--list shows them)\n", prog, which ? which : "end");
    return i;
}

/* ---- capsim graph -----------------------------------------------------------------*/

typedef struct GraphOpts {
    gboolean list;
    gchar *snapshot;
    gchar *diff;
    gchar *focus;
    gint hops;
    gchar *format;
    gchar *engine;
    gboolean values, no_threads, no_legend;
    gchar *output;
} GraphOpts;

static void graph_list(CapsimViz *v)
{
    for (size_t i = 0; i < capsim_viz_count(v); i++)
        printf("#%zu  %-48s %6zu nodes %6zu edges\n", i, capsim_viz_label(v, i),
               capsim_viz_nodes(v, (int)i), capsim_viz_edges(v, (int)i));
}

static void graph_render_options(const GraphOpts *o, CapsimRenderOptions *ro)
{
    capsim_render_options_default(ro);
    ro->format = o->format;
    ro->engine = o->engine;
    ro->focus = o->focus;
    ro->hops = o->hops;
    ro->show_values = o->values;
    ro->show_threads = !o->no_threads;
    ro->legend = !o->no_legend;
}

/* Before the run: the picture's format (--format, else -o's extension). */
static bool graph_format_ok(const GraphOpts *o, const char *prog)
{
    CapsimRenderOptions ro;
    graph_render_options(o, &ro);
    char why[512];
    if (capsim_render_format_check(&ro, o->output ? o->output : "-", why, sizeof why) == 0)
        return true;
    fprintf(stderr, "%s: %s\n", prog, why);
    return false;
}

/* The snapshot drawn must hold the --focus principal: a name that is not
 * there is a usage error (2), as in `capsim analyze`. */
static bool graph_focus_ok(GraphSource *s, const GraphOpts *o, int snapshot, const char *prog)
{
    if (!o->focus || capsim_viz_find_principal(s->viz, snapshot, o->focus) == 0)
        return true;
    fprintf(stderr, "%s: --focus %s\n", prog, capsim_viz_error(s->viz));
    return false;
}

static int graph_draw(GraphSource *s, const GraphOpts *o, const char *prog)
{
    CapsimRenderOptions ro;
    graph_render_options(o, &ro);
    const char *out = o->output ? o->output : "-";
    int rc;
    if (o->diff) {
        char **ab = g_strsplit(o->diff, ":", 2);
        int a = ab[0] && ab[1] ? graph_source_snapshot(s, prog, ab[0]) : -1;
        int b = a >= 0 ? graph_source_snapshot(s, prog, ab[1]) : -1;
        if (b < 0) {
            g_strfreev(ab);
            fprintf(stderr, "%s: --diff wants FROM:TO snapshots, e.g. '#0:end'\n", prog);
            return 2;
        }
        if (a > b) { /* snapshots are numbered in the order they were taken */
            fprintf(stderr, "%s: --diff=%s: '%s' was taken after '%s'; the earlier one "
                            "comes first (--diff='%s:%s')\n",
                    prog, o->diff, ab[0], ab[1], ab[1], ab[0]);
            g_strfreev(ab);
            return 2;
        }
        g_strfreev(ab);
        char *text = capsim_viz_diff_text(s->viz, a, b);
        fprintf(stderr, "%s", text ? text : "");
        free(text);
        rc = capsim_viz_render_diff(s->viz, a, b, &ro, out);
    } else {
        int i = graph_source_snapshot(s, prog, o->snapshot);
        if (i < 0 || !graph_focus_ok(s, o, i, prog))
            return 2;
        rc = capsim_viz_render(s->viz, i, &ro, out);
    }
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", prog, capsim_viz_error(s->viz));
    return rc ? 1 : 0;
}

int cmd_graph(int argc, char **argv)
{
    const char *prog = argv[0];
    GraphOpts o = {.hops = CAPSIM_FOCUS_HOPS};
    GraphSource *s = graph_source_new();
    gchar *format_help = g_strdup_printf("%s (default: from -o, else svg)",
                                         viz_dot_format_list(false));
    GOptionEntry entries[] = {
        {"list", 0, 0, G_OPTION_ARG_NONE, &o.list, "list the snapshots taken", NULL},
        {"snapshot", 0, 0, G_OPTION_ARG_STRING, &o.snapshot, "which snapshot to draw: end (default), a label, #N", "WHICH"},
        {"diff", 0, 0, G_OPTION_ARG_STRING, &o.diff, "draw the changes between two snapshots", "A:B"},
        {"focus", 0, 0, G_OPTION_ARG_STRING, &o.focus, "draw one principal and its neighbourhood (process:NAME, koid:N...)", "SPEC"},
        {"hops", 0, 0, G_OPTION_ARG_INT, &o.hops, "focus radius (default " G_STRINGIFY(CAPSIM_FOCUS_HOPS) ")", "K"},
        {"format", 'f', 0, G_OPTION_ARG_STRING, &o.format, format_help, "F"},
        {"engine", 0, 0, G_OPTION_ARG_STRING, &o.engine, "graphviz layout: dot, sfdp, neato, fdp", "E"},
        {"values", 0, 0, G_OPTION_ARG_NONE, &o.values, "show handle values on edges", NULL},
        {"no-threads", 0, 0, G_OPTION_ARG_NONE, &o.no_threads, "leave threads out", NULL},
        {"no-legend", 0, 0, G_OPTION_ARG_NONE, &o.no_legend, "leave the legend out", NULL},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, "write to FILE (default stdout)", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- draw the capability graph of a run");
    g_option_context_add_main_entries(ctx, entries, NULL);
    graph_source_add_options(s, ctx);
    GError *err = NULL;
    int rc = 2;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "%s: %s\n", prog, err->message);
        g_error_free(err);
    } else if (o.hops < 1) {
        fprintf(stderr, "%s: --hops=%d: the focus radius is 1 or more (1: what the principal "
                        "holds and who else holds it)\n", prog, o.hops);
    } else if (!cli_output_ok(prog, "--output", o.output) ||
               (!(o.list && !o.output) && !graph_format_ok(&o, prog))) {
        rc = 2;
    } else if ((rc = graph_source_start(s, prog)) == 0) {
        graph_source_run(s);
        if (o.list)
            graph_list(s->viz);
        rc = (o.list && !o.output) ? 0 : graph_draw(s, &o, prog);
    }
    g_option_context_free(ctx);
    graph_source_free(s);
    g_free(o.snapshot);
    g_free(o.diff);
    g_free(o.focus);
    g_free(o.format);
    g_free(o.engine);
    g_free(o.output);
    g_free(format_help);
    return rc;
}
