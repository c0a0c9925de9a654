/* cmd_trace.c — `capsim trace`: trace exports of a run.
 *
 *   capsim trace [SOURCE] --format=jsonl|perfetto|steps [-o FILE]
 *   SOURCE as for `capsim graph` (APP.so ARGS, or --package=...).
 *
 * jsonl: one JSON object per trace record (the engine's own sink, written
 * while the run goes); perfetto: a Chrome/Perfetto trace-event file with a
 * timeline per virtual CPU and per thread, syscalls as slices and handle
 * moves as flow arrows (open it at ui.perfetto.dev or chrome://tracing);
 * steps: a listing of every syscall with its decoded arguments, result and
 * the capability-graph changes it caused. Output to FILE or stdout (jsonl
 * through stdout's own descriptor, so `>> FILE` appends). Exit status:
 * 0, 1 when writing failed (a full disk included), 2 for usage errors (an
 * output that cannot be written, checked before the run, included), 4 and 5
 * for a run stopped at its time or record limit (cmd_graph.c: what was
 * recorded is still written), 127 for an app that could not be loaded. Read next: docs/graphs.md.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "capsim_viz.h"
#include "commands.h"

int cmd_trace(int argc, char **argv)
{
    const char *prog = argv[0];
    gchar *format = NULL, *output = NULL;
    GraphSource *s = graph_source_new();
    GOptionEntry entries[] = {
        {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "required: steps (a listing of every syscall), jsonl or perfetto", "F"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "write to FILE (default stdout)", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- export the trace of a run");
    g_option_context_add_main_entries(ctx, entries, NULL);
    graph_source_add_options(s, ctx);
    GError *err = NULL;
    int rc = 2;
    const char *out = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "%s: %s\n", prog, err->message);
        g_error_free(err);
    } else if (!format) {
        fprintf(stderr, "%s: give --format=steps (a listing to read), jsonl or perfetto\n", prog);
    } else if (strcmp(format, "jsonl") && strcmp(format, "perfetto") && strcmp(format, "steps")) {
        fprintf(stderr, "%s: unknown --format '%s' (jsonl, perfetto or steps)\n", prog, format);
    } else if (!cli_output_or_stdout_ok(prog, "--output", output)) {
        rc = 2;
    } else if ((rc = graph_source_start(s, prog)) == 0) {
        CapsimViz *v = graph_source_viz(s);
        out = output ? output : "-";
        if (!strcmp(format, "jsonl") && capsim_viz_jsonl(v, out) != 0) {
            fprintf(stderr, "%s: %s\n", prog, capsim_viz_error(v));
            rc = 1;
        } else {
            graph_source_run(s);
            if (!strcmp(format, "jsonl"))
                rc = capsim_viz_jsonl_close(v);
            else if (!strcmp(format, "perfetto"))
                rc = capsim_viz_write_perfetto(v, out);
            else if (!strcmp(format, "steps"))
                rc = capsim_viz_write_steps(v, out);
            if (rc != 0) {
                fprintf(stderr, "%s: %s\n", prog, capsim_viz_error(v));
                rc = 1;
            }
            rc = rc ? rc : graph_source_limits(s, prog);
        }
    }
    g_option_context_free(ctx);
    graph_source_free(s);
    g_free(format);
    g_free(output);
    return rc;
}
