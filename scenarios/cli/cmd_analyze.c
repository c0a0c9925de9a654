/* cmd_analyze.c — `capsim analyze`: authority analysis of a run.
 *
 *   capsim analyze [SOURCE] [--snapshot=WHICH] [--rules=FILE] [--witness]
 *                  --reach=PRINCIPAL
 *                | --who-can=OBJECT [--rights=R]
 *                | --check=RULES
 *                [--draw=FILE --object=OBJECT [--rights=R]]
 *   SOURCE as for `capsim graph` (APP.so ARGS, or --package=...).
 *
 * --reach lists what a principal (process:NAME, job:NAME, component:NAME,
 * koid:N) holds now and could come to hold, control or create; --who-can
 * lists the processes that could hold an object with at least R; --check
 * runs a rules file (deny ... reach/control ..., assume ...) and prints
 * each violation with its witness path. --witness prints the path under
 * every fact; --draw draws the path of "PRINCIPAL could hold OBJECT".
 * --rules applies a rules file's behaviour declarations (assume lines).
 * Exit status: 0, 1 when --check found violations (or drawing failed),
 * 2 for usage errors (unknown names, bad rules files, a --draw file that
 * cannot be written, checked before the run), 4 and 5 for a run stopped
 * at its time or record limit (cmd_graph.c), 127 for an app that could
 * not be loaded. Read next: cmd_trace.c, docs/graphs.md.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsim_viz.h"
#include "commands.h"

typedef struct AnalyzeOpts {
    gchar *snapshot, *rules, *reach, *who_can, *rights, *check, *draw, *object;
    gboolean witness;
} AnalyzeOpts;

static int analyze_print(const char *prog, CapsimViz *v, char *text)
{
    if (!text) {
        fprintf(stderr, "%s: %s\n", prog, capsim_viz_error(v));
        return 2;
    }
    fputs(text, stdout);
    free(text);
    return 0;
}

static int analyze_go(GraphSource *s, const AnalyzeOpts *o, const char *prog)
{
    int which = graph_source_snapshot(s, prog, o->snapshot);
    if (which < 0)
        return 2;
    CapsimViz *v = graph_source_viz(s);
    int rc = 0;
    if (o->reach)
        rc = analyze_print(prog, v, capsim_viz_reach(v, which, o->reach, o->witness, o->rules));
    else if (o->who_can)
        rc = analyze_print(prog, v, capsim_viz_who_can(v, which, o->who_can, o->rights ? o->rights : "",
                                                       o->witness, o->rules));
    if (rc == 0 && o->check) {
        int n = 0;
        rc = analyze_print(prog, v, capsim_viz_check(v, which, o->check, &n));
        if (rc == 0 && n > 0)
            rc = 1;
    }
    if (o->draw) {
        if (capsim_viz_render_witness(v, which, o->reach, o->object, o->rights ? o->rights : "",
                                      o->rules, NULL, o->draw) != 0) {
            fprintf(stderr, "%s: %s\n", prog, capsim_viz_error(v));
            return rc ? rc : 1;
        }
    }
    return rc;
}

int cmd_analyze(int argc, char **argv)
{
    const char *prog = argv[0];
    AnalyzeOpts o = {0};
    GraphSource *s = graph_source_new();
    GOptionEntry entries[] = {
        {"snapshot", 0, 0, G_OPTION_ARG_STRING, &o.snapshot, "which snapshot: end (default), a label, #N", "WHICH"},
        {"reach", 0, 0, G_OPTION_ARG_STRING, &o.reach, "what PRINCIPAL holds and could come to hold", "PRINCIPAL"},
        {"who-can", 0, 0, G_OPTION_ARG_STRING, &o.who_can, "which processes could hold OBJECT", "OBJECT"},
        {"rights", 0, 0, G_OPTION_ARG_STRING, &o.rights, "with at least these rights (W|T, WRITE,...)", "R"},
        {"check", 0, 0, G_OPTION_ARG_FILENAME, &o.check, "check the rules in FILE; exit 1 on violations", "FILE"},
        {"rules", 0, 0, G_OPTION_ARG_FILENAME, &o.rules, "behaviour declarations (assume lines) from FILE", "FILE"},
        {"witness", 'w', 0, G_OPTION_ARG_NONE, &o.witness, "print the witness path of every fact", NULL},
        {"draw", 0, 0, G_OPTION_ARG_FILENAME, &o.draw, "draw the path PRINCIPAL -> OBJECT to FILE", "FILE"},
        {"object", 0, 0, G_OPTION_ARG_STRING, &o.object, "the object --draw draws the path to", "OBJECT"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- authority analysis of a run");
    g_option_context_add_main_entries(ctx, entries, NULL);
    graph_source_add_options(s, ctx);
    GError *err = NULL;
    int rc = 2;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "%s: %s\n", prog, err->message);
        g_error_free(err);
    } else if (!o.reach && !o.who_can && !o.check) {
        fprintf(stderr, "%s: give --reach, --who-can or --check (see --help)\n", prog);
    } else if (o.draw && (!o.reach || !o.object)) {
        fprintf(stderr, "%s: --draw needs --reach=PRINCIPAL and --object=OBJECT\n", prog);
    } else if (!cli_output_ok(prog, "--draw", o.draw)) {
        rc = 2;
    } else if ((rc = graph_source_start(s, prog)) == 0) {
        graph_source_run(s);
        rc = analyze_go(s, &o, prog);
        rc = rc ? rc : graph_source_limits(s, prog);
    }
    g_option_context_free(ctx);
    graph_source_free(s);
    g_free(o.snapshot);
    g_free(o.rules);
    g_free(o.reach);
    g_free(o.who_can);
    g_free(o.rights);
    g_free(o.check);
    g_free(o.draw);
    g_free(o.object);
    return rc;
}
