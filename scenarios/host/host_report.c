/* host_report.c — a run's report as JSON (capsim_report_json).
 *
 * Models: the outcome of one run, for people and scripts: configuration
 * (seed, cpus, strategy), how the run ended, the trace hash and record
 * count, the virtual time, the first app's return code (exit_code), and for
 * every process in koid order its name, koid, how it ended, its return code
 * (null while running), the fault that ended it, and its stdout and stderr.
 * Threads still blocked at the end are listed (the engine's blocked report).
 *
 * Determinism: only simulated quantities appear (no host time, no paths
 * other than what the caller passed, fault addresses only when below 64 KiB)
 * and every list is in koid order, so the same seed and inputs give the
 * same bytes. Output and names that are not valid UTF-8 are repaired
 * (U+FFFD) so the file is always valid JSON; the seed is written as the
 * unsigned number it is. Read next: scenarios/cli/cmd_run.c.
 */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "capsim_host_internal.h"
#include "viz_file.h"

static const char *host_report_strategy(int s)
{
    switch (s) {
    case CAPSIM_STRATEGY_RANDOM: return "random";
    case CAPSIM_STRATEGY_PCT: return "pct";
    case CAPSIM_STRATEGY_REPLAY: return "replay";
    default: return "fifo";
    }
}

static const char *host_report_result(int r)
{
    switch (r) {
    case CAPSIM_RUN_QUIESCENT: return "quiescent";
    case CAPSIM_RUN_DEADLOCK: return "deadlock";
    case CAPSIM_RUN_TIME_LIMIT: return "time limit";
    case CAPSIM_RUN_STOPPED: return "stopped";
    case CAPSIM_RUN_STEPPED: return "stepped";
    case CAPSIM_RUN_RECORD_LIMIT: return "record limit";
    default: return "error";
    }
}

static void host_report_text(JsonBuilder *b, const char *member, CapsimSystem *sys,
                             uint64_t koid, int streams)
{
    size_t n = capsim_process_output(sys, koid, streams, NULL, 0);
    char *buf = malloc(n + 1);
    if (!buf)
        return;
    capsim_process_output(sys, koid, streams, buf, n + 1);
    gchar *valid = g_utf8_make_valid(buf, (gssize)n);
    json_builder_set_member_name(b, member);
    json_builder_add_string_value(b, valid);
    g_free(valid);
    free(buf);
}

static void host_report_process(JsonBuilder *b, CapsimSystem *sys,
                                const CapsimProcessInfo *pi)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    gchar *name = g_utf8_make_valid(pi->name, -1); /* an app's file name: any bytes */
    json_builder_add_string_value(b, name);
    g_free(name);
    json_builder_set_member_name(b, "koid");
    json_builder_add_int_value(b, (gint64)pi->koid);
    json_builder_set_member_name(b, "ended");
    json_builder_add_string_value(b, capsim_end_name(pi->end));
    json_builder_set_member_name(b, "return_code");
    if (pi->end == CAPSIM_END_RUNNING)
        json_builder_add_null_value(b);
    else
        json_builder_add_int_value(b, pi->return_code);
    json_builder_set_member_name(b, "fault");
    if (pi->fault_kind)
        json_builder_add_string_value(b, capsim_fault_name(pi->fault_kind));
    else
        json_builder_add_null_value(b);
    if (pi->fault_kind && pi->fault_addr_known) {
        json_builder_set_member_name(b, "fault_addr");
        json_builder_add_int_value(b, (gint64)pi->fault_addr);
    }
    host_report_text(b, "stdout", sys, pi->koid, 1);
    host_report_text(b, "stderr", sys, pi->koid, 2);
    json_builder_set_member_name(b, "output_truncated");
    json_builder_add_boolean_value(b, pi->output_truncated != 0);
    json_builder_end_object(b);
}

static void host_report_blocked(JsonBuilder *b, CapsimSystem *sys)
{
    char *text = sim_blocked_text(sys->e);
    json_builder_set_member_name(b, "blocked");
    json_builder_begin_array(b);
    gchar **lines = g_strsplit(text, "\n", -1);
    for (gchar **l = lines; *l; l++)
        if (**l)
            json_builder_add_string_value(b, *l);
    g_strfreev(lines);
    g_free(text);
    json_builder_end_array(b);
}

static void host_report_header(JsonBuilder *b, CapsimSystem *sys)
{
    char hash[33];
    capsim_trace_hash(sys, hash);
    json_builder_set_member_name(b, "seed");
    json_builder_add_int_value(b, 0); /* its digits go in after (host_report_seed) */
    json_builder_set_member_name(b, "cpus");
    json_builder_add_int_value(b, sys->cfg.cpus);
    json_builder_set_member_name(b, "strategy");
    json_builder_add_string_value(b, host_report_strategy(sys->cfg.strategy));
    json_builder_set_member_name(b, "result");
    json_builder_add_string_value(b, host_report_result(sys->last_result));
    json_builder_set_member_name(b, "idle_servers");
    json_builder_add_int_value(b, (gint64)capsim_idle_servers(sys));
    json_builder_set_member_name(b, "trace_hash");
    json_builder_add_string_value(b, hash);
    json_builder_set_member_name(b, "trace_records");
    json_builder_add_int_value(b, (gint64)capsim_trace_records(sys));
    json_builder_set_member_name(b, "virtual_time_ns");
    json_builder_add_int_value(b, capsim_system_now(sys));
    json_builder_set_member_name(b, "budget_exceeded");
    json_builder_add_boolean_value(b, capsim_budget_tripped(sys) != 0);
    json_builder_set_member_name(b, "exit_code");
    CapsimProcessInfo first;
    if (sys->first_app && capsim_process_info(sys, sys->first_app, &first) == 0 &&
        first.end != CAPSIM_END_RUNNING)
        json_builder_add_int_value(b, first.return_code);
    else
        json_builder_add_null_value(b);
}

/* json-glib writes signed 64-bit integers only, and a seed is any
 * unsigned one: the header's placeholder, the first member written, gets
 * the seed's own digits, so seeds of 2^63 and more are not negative. */
static char *host_report_seed(const char *text, uint64_t seed)
{
    static const char placeholder[] = "\"seed\" : 0,";
    const char *at = strstr(text, placeholder);
    if (!at)
        return g_strdup(text);
    return g_strdup_printf("%.*s\"seed\" : %" G_GUINT64_FORMAT ",%s", (int)(at - text), text,
                           (guint64)seed, at + strlen(placeholder));
}

char *capsim_report_json(CapsimSystem *sys)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    host_report_header(b, sys);
    json_builder_set_member_name(b, "processes");
    json_builder_begin_array(b);
    for (size_t i = 0; i < capsim_process_count(sys); i++) {
        CapsimProcessInfo pi;
        if (capsim_process_info(sys, capsim_process_koid(sys, i), &pi) == 0)
            host_report_process(b, sys, &pi);
    }
    json_builder_end_array(b);
    host_report_blocked(b, sys);
    json_builder_end_object(b);
    JsonGenerator *g = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(g, root);
    json_generator_set_pretty(g, TRUE);
    gchar *generated = json_generator_to_data(g, NULL);
    gchar *text = host_report_seed(generated, sys->cfg.seed);
    g_free(generated);
    char *out = malloc(strlen(text) + 2);
    if (out)
        snprintf(out, strlen(text) + 2, "%s\n", text);
    g_free(text);
    json_node_unref(root);
    g_object_unref(g);
    g_object_unref(b);
    return out;
}

int capsim_write_report(CapsimSystem *sys, const char *path)
{
    char *json = capsim_report_json(sys);
    char why[900] = "out of memory";
    int rc = json ? viz_file_write(path, json, strlen(json), why, sizeof why) : -1;
    free(json);
    if (rc != 0)
        snprintf(sys->error, sizeof sys->error, "%s (the report)", why);
    return rc;
}

void capsim_free(void *p)
{
    free(p);
}
