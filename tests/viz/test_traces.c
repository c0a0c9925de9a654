/* test_traces.c — diffs between snapshots with their causes, the
 * Perfetto/Chrome trace-event export, the step listing and the JSON-lines
 * sink: contents for a known run and byte-identical output across runs. */
#include <glib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include "viz_codes.h"
#include "viz_diff.h"
#include "viz_syscalls.h"
#include "viz_dot.h"
#include "viz_traceout.h"
#include "vtest.h"

/* The transfer system with a snapshot after each channel write. */
static VTest *transfer_with_writes(uint64_t seed)
{
    VTest *v = vtest_transfer_build(seed, true);
    char err[256];
    cr_assert(viz_recorder_at_syscall(v->rec, "channel_write", err, sizeof err));
    vtest_run(v);
    cr_assert_eq(viz_recorder_count(v->rec), 3);
    return v;
}

static const VizChange *change_on(const VizDiff *d, uint32_t kind, uint32_t edge_kind,
                                  const char *type)
{
    for (size_t i = 0; i < d->n; i++) {
        const VizChange *c = &d->changes[i];
        const ExportEdge *e = c->kind == VIZ_CHANGE_REMOVED ? &c->before : &c->after;
        const ExportSnapshot *s = c->kind == VIZ_CHANGE_REMOVED ? d->a : d->b;
        const ExportNode *dst = export_find_node(s, e->dst);
        if (c->kind == kind && e->kind == edge_kind && dst && !strcmp(dst->type_name, type))
            return c;
    }
    return NULL;
}

Test(traces, diff_names_the_causing_syscall)
{
    VTest *v = transfer_with_writes(6);
    const ExportSnapshot *first = viz_recorder_get(v->rec, 0), *end = vtest_end(v);
    VizDiff *d = viz_diff_new(first, end, v->rec);
    cr_assert_gt(d->n, 0);
    /* the receiver read the VMO: a handle edge appeared, caused by its read */
    const VizChange *got = change_on(d, VIZ_CHANGE_ADDED, EXPORT_EDGE_HANDLE, "vmo");
    cr_assert(got, "%s", viz_diff_text(d));
    cr_expect(strstr(got->cause, "zx_channel_read"), "%s", got->cause);
    cr_expect(strstr(got->cause, "receiver"), "%s", got->cause);
    cr_expect_neq(got->cause_seq, UINT64_MAX);
    cr_expect_gt(got->cause_seq, first->trace_seq);
    /* the VMO left the queue: its in-flight node went away */
    cr_expect(change_on(d, VIZ_CHANGE_REMOVED, EXPORT_EDGE_INFLIGHT, "inflight") ||
              change_on(d, VIZ_CHANGE_REMOVED, EXPORT_EDGE_HANDLE, "vmo"));
    char *text = viz_diff_text(d);
    cr_expect(strstr(text, "added"), "%s", text);
    free(text);
    VizViewOptions o;
    viz_view_options_default(&o);
    VizView *view = viz_diff_view(d, &o);
    VizDotOptions dopt;
    viz_dot_options_default(&dopt);
    char *dot = NULL, err[256];
    size_t len;
    cr_assert_eq(viz_dot_render(view, &dopt, VIZ_FORMAT_DOT, &dot, &len, err, sizeof err), 0, "%s", err);
    cr_expect(strstr(dot, "zx_channel_read"), "causes are edge labels");
    cr_expect(strstr(dot, "#1a9641"), "added edges in green");
    free(dot);
    viz_view_free(view);
    viz_diff_free(d);
    vtest_free(v);
}

Test(traces, diff_of_equal_snapshots_is_empty)
{
    VTest *v = vtest_transfer(6);
    VizDiff *d = viz_diff_new(vtest_end(v), vtest_end(v), v->rec);
    cr_expect_eq(d->n, 0);
    char *text = viz_diff_text(d);
    cr_expect_str_eq(text, "no changes\n");
    free(text);
    viz_diff_free(d);
    vtest_free(v);
}

Test(traces, attenuation_is_one_change)
{
    /* The same snapshot with one handle's rights reduced. */
    VTest *v = vtest_transfer(6);
    const ExportSnapshot *a = vtest_end(v);
    ExportSnapshot *b = export_snapshot_copy(a);
    size_t k = 0;
    while (k < b->nedges && !(b->edges[k].kind == EXPORT_EDGE_HANDLE && (b->edges[k].rights & ZX_RIGHT_WRITE)))
        k++;
    cr_assert_lt(k, b->nedges);
    b->edges[k].rights &= ~ZX_RIGHT_WRITE;
    b->edges[k].value ^= 0x100;
    VizDiff *d = viz_diff_new(a, b, NULL);
    cr_expect_eq(d->n, 1);
    cr_expect_eq(d->changes[0].kind, VIZ_CHANGE_ATTENUATED);
    cr_expect_str_eq(d->changes[0].cause, "between the snapshots");
    viz_diff_free(d);
    export_snapshot_free(b);
    vtest_free(v);
}

Test(traces, perfetto_json_has_tracks_slices_and_flows)
{
    VTest *v = vtest_transfer(6);
    size_t len;
    char *json = viz_perfetto_json(v->rec, &len);
    JsonParser *p = json_parser_new();
    GError *err = NULL;
    cr_assert(json_parser_load_from_data(p, json, (gssize)len, &err), "%s", err ? err->message : "");
    JsonArray *ev = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "traceEvents");
    size_t slices = 0, flows_s = 0, flows_f = 0, cpu = 0, names = 0;
    bool write_seen = false;
    for (guint i = 0; i < json_array_get_length(ev); i++) {
        JsonObject *e = json_array_get_object_element(ev, i);
        const char *ph = json_object_get_string_member(e, "ph");
        if (!strcmp(ph, "X") && json_object_get_int_member(e, "pid") == 0)
            cpu++;
        else if (!strcmp(ph, "X")) {
            slices++;
            write_seen |= !strcmp(json_object_get_string_member(e, "name"), "zx_channel_write");
        } else if (!strcmp(ph, "s"))
            flows_s++;
        else if (!strcmp(ph, "f"))
            flows_f++;
        else if (!strcmp(ph, "M"))
            names++;
    }
    cr_expect_gt(cpu, 0, "per-CPU slices");
    cr_expect_gt(slices, 5, "syscall slices");
    cr_expect(write_seen);
    cr_expect_eq(flows_s, 2, "two handles sent");
    cr_expect_eq(flows_f, 1, "one received");
    cr_expect_geq(names, 4, "process and thread names");
    cr_expect(strstr(json, "\"call\":\"zx_channel_write(handle=0x"), "decoded arguments");
    g_object_unref(p);
    free(json);
    vtest_free(v);
}

Test(traces, step_listing_decodes_calls_and_changes)
{
    VTest *v = vtest_transfer(6);
    char *text = viz_steps_text(v->rec, NULL);
    cr_expect(strstr(text, "zx_vmo_create(size=4096, options=0x0, out=ptr) -> ZX_OK"), "%.2000s", text);
    cr_expect(strstr(text, "zx_channel_write(handle=0x"), "%.2000s", text);
    cr_expect(strstr(text, "[channel "), "handles decoded with their object");
    cr_expect(strstr(text, "sent into channel"), "graph changes");
    cr_expect(strstr(text, "received from channel"));
    cr_expect(strstr(text, "(blocked until"), "the receiver blocked in its wait");
    cr_expect(strstr(text, "still blocked at the end"), "parked threads");
    free(text);
    vtest_free(v);
}

Test(traces, step_listing_names_objects_and_processes)
{
    VTest *v = vtest_transfer(6);
    char *text = viz_steps_text(v->rec, NULL), want[96];
    snprintf(want, sizeof want, "in process %" PRIu64 " 'sender'", v->p[0]->base.koid);
    cr_expect(strstr(text, want), "processes named: %.3000s", text);
    cr_expect(strstr(text, "'secret' [") && strstr(text, "> vmo "), "the sent VMO named: %.3000s",
              text);
    free(text);
    vtest_free(v);
}

static const char *event_text(SimTraceRecord r, char *buf, size_t len)
{
    if (!viz_codes_event(&r, NULL, NULL, buf, len))
        return NULL;
    return buf;
}

Test(traces, kernel_events_read_in_words)
{
    char b[256];
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = KTR_POLICY, .a = 9, .b = ZX_POL_NEW_PROCESS,
                                                 .c = ZX_POL_ACTION_DENY}, b, sizeof b),
                     "! job policy of process 9: NEW_PROCESS -> DENY");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = KTR_TASK_KILL, .a = 9,
                                                 .b = (uint64_t)ZX_TASK_RETCODE_POLICY_KILL}, b, sizeof b),
                     "! killed task 9 (return code -1026, ZX_TASK_RETCODE_POLICY_KILL)");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = KTR_TASK_KILL, .a = 9, .b = 3}, b, sizeof b),
                     "! task 9 ends (return code 3)", "an exit is no kill");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = KTR_EXCEPTION, .a = 5, .b = ZX_EXCP_POLICY_ERROR,
                                                 .c = ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE,
                                                 .text = "raised"}, b, sizeof b),
                     "! exception ZX_EXCP_POLICY_ERROR (CHANNEL_FULL_WRITE) on thread 5: raised");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = KTR_EXCEPTION, .a = 5,
                                                 .b = ZX_EXCP_FATAL_PAGE_FAULT, .text = "unhandled"},
                                b, sizeof b),
                     "! exception ZX_EXCP_FATAL_PAGE_FAULT on thread 5: unhandled");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = KTR_EXCEPTION, .a = 5, .b = SIM_FAULT_BREAKPOINT},
                                b, sizeof b),
                     "! thread 5 faulted: breakpoint");
    /* where a fault touched, as the engine traces it (sim.h, SIM_TR_FAULT) */
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = SIM_TR_FAULT, .thread = 1,
                                                 .a = SIM_FAULT_SEGV, .b = 8, .c = 0}, b, sizeof b),
                     "! engine thread 1 faulted: page fault at address 0x8 (a null pointer)");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = SIM_TR_FAULT, .thread = 1,
                                                 .a = SIM_FAULT_SEGV, .b = 0, .c = 0}, b, sizeof b),
                     "! engine thread 1 faulted: page fault at address 0x0 (a null pointer)");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = SIM_TR_FAULT, .thread = 1,
                                                 .a = SIM_FAULT_STACK_OVERFLOW, .b = 266240,
                                                 .c = 1}, b, sizeof b),
                     "! engine thread 1 faulted: stack overflow 266240 bytes below the top of "
                     "its stack");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = SIM_TR_FAULT, .thread = 1,
                                                 .a = SIM_FAULT_SEGV, .b = 0, .c = 2}, b, sizeof b),
                     "! engine thread 1 faulted: page fault", "an address that moves is not shown");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = SIM_TR_FAULT, .thread = 1,
                                                 .a = SIM_FAULT_ABORT}, b, sizeof b),
                     "! engine thread 1 faulted: abort", "an abort touches no address");
    cr_expect_str_eq(event_text((SimTraceRecord){.kind = KTR_NOTE, .text = "component_launch x"}, b,
                                sizeof b),
                     "= component_launch x");
    cr_expect_null(event_text((SimTraceRecord){.kind = KTR_HANDLE_ADD}, b, sizeof b));
}

Test(traces, results_that_are_not_statuses_read_as_numbers)
{
    char b[32];
    int clock = viz_syscalls_find("clock_get_monotonic"), pages = viz_syscalls_find("zx_system_get_page_size");
    int write = viz_syscalls_find("channel_write");
    cr_assert(clock >= 0 && pages >= 0 && write >= 0);
    cr_expect_str_eq(viz_syscalls_result((uint64_t)clock, 6000, b, sizeof b), "6000",
                     "a time, not (UNKNOWN)");
    cr_expect_str_eq(viz_syscalls_result((uint64_t)pages, 4096, b, sizeof b), "4096");
    cr_expect_str_eq(viz_syscalls_result((uint64_t)write, ZX_ERR_ACCESS_DENIED, b, sizeof b),
                     "ZX_ERR_ACCESS_DENIED");
    cr_expect_str_eq(viz_syscalls_result(100000, 0, b, sizeof b), "ZX_OK", "an unknown op: a status");
    cr_expect_str_eq(viz_syscalls_result((uint64_t)viz_syscalls_find("process_exit"), 0, b, sizeof b),
                     "ZX_OK", "a call that returns nothing reads as before");
}

/* A wait's signals by the names Zircon gives them for the object waited on. */
static const char *wait_text(const char *type, uint64_t signals, char *b, size_t len)
{
    uint64_t args[8] = {0x1b3, signals, (uint64_t)ZX_TIME_INFINITE, 0};
    VizHandleArg h[8] = {{.koid = 12, .type_name = type}};
    viz_syscalls_format((uint64_t)viz_syscalls_find("object_wait_one"), args, h, b, len);
    return b;
}

Test(traces, signals_read_as_the_objects_names)
{
    char b[256];
    cr_expect_str_eq(wait_text("channel", 0x5, b, sizeof b),
                     "zx_object_wait_one(handle=0x1b3 [channel 12], signals=ZX_CHANNEL_READABLE|"
                     "ZX_CHANNEL_PEER_CLOSED, deadline=infinite, observed=NULL)");
    cr_expect(strstr(wait_text("process", 0x8, b, sizeof b), "signals=ZX_PROCESS_TERMINATED,"), "%s", b);
    cr_expect(strstr(wait_text("event", 0x01000008, b, sizeof b),
                     "signals=ZX_EVENT_SIGNALED|ZX_USER_SIGNAL_0,"), "%s", b);
    cr_expect(strstr(wait_text("channel", 0x101, b, sizeof b), "signals=ZX_CHANNEL_READABLE|0x100,"),
              "a bit without a name stays hex: %s", b);
    cr_expect(strstr(wait_text("port", 0x1, b, sizeof b), "signals=0x1,"), "%s", b);
}

static char *export_all(uint64_t seed)
{
    VTest *v = vtest_transfer(seed);
    char *a = viz_perfetto_json(v->rec, NULL), *b = viz_steps_text(v->rec, NULL);
    char *both = g_strconcat(a, b, NULL);
    free(a);
    free(b);
    vtest_free(v);
    return both;
}

Test(traces, exports_are_byte_identical_across_runs)
{
    char *x = export_all(21), *y = export_all(21), *z = export_all(22);
    cr_expect_str_eq(x, y);
    cr_expect_str_neq(x, z, "handle values differ with the seed");
    g_free(x);
    g_free(y);
    g_free(z);
}

Test(traces, jsonl_sink_through_the_recorder, .init = vtest_scratch_init,
     .fini = vtest_scratch_fini)
{
    VTest *v = vtest_transfer_build(6, true);
    char err[256];
    cr_expect_eq(viz_recorder_jsonl(v->rec, "/no/such/dir/t.jsonl", err, sizeof err), -1);
    cr_expect(strstr(err, "/no/such/dir/t.jsonl"), "%s", err);
    char *path = vtest_scratch("trace_test.jsonl");
    cr_assert_eq(viz_recorder_jsonl(v->rec, path, err, sizeof err), 0, "%s", err);
    vtest_run(v);
    sim_trace_close_file(viz_recorder_engine(v->rec));
    size_t len;
    char *text = vtest_read(path, &len);
    g_free(path);
    cr_assert(text);
    cr_expect(strstr(text, "\"kind\":\"handle_send\""));
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    cr_expect_gt(lines, 20);
    cr_expect_leq(lines, sim_trace_total(viz_recorder_engine(v->rec)));
    g_free(text);
    vtest_free(v);
}

static const char *call_text(const char *name, uint64_t a0, uint64_t a1, uint64_t a2,
                             char *buf, size_t len)
{
    uint64_t args[8] = {a0, a1, a2};
    viz_syscalls_format((uint64_t)viz_syscalls_find(name), args, NULL, buf, len);
    return buf;
}

/* A number that picks one of a header's named values reads as that name;
 * one no header names stays a number. */
Test(traces, step_listing_spells_topics_properties_and_policy_options)
{
    char b[256];
    cr_expect_str_eq(call_text("object_get_info", 0, ZX_INFO_PROCESS, 0, b, sizeof b),
                     "zx_object_get_info(handle=ZX_HANDLE_INVALID, topic=ZX_INFO_PROCESS, "
                     "buffer=NULL, buffer_size=0, actual=NULL, avail=NULL)");
    cr_expect(strstr(call_text("object_get_info", 0, ZX_INFO_PROCESS_MAPS_V1, 0, b, sizeof b),
                     "topic=ZX_INFO_PROCESS_MAPS_V1,"), "%s", b);
    cr_expect(strstr(call_text("object_get_info", 0, 9999, 0, b, sizeof b), "topic=9999,"),
              "%s", b);
    cr_expect(strstr(call_text("object_set_property", 0, ZX_PROP_NAME, 0, b, sizeof b),
                     "property=ZX_PROP_NAME,"), "%s", b);
    cr_expect(strstr(call_text("object_get_property", 0, ZX_PROP_EXCEPTION_STRATEGY, 0, b,
                               sizeof b), "property=ZX_PROP_EXCEPTION_STRATEGY,"), "%s", b);
    cr_expect(strstr(call_text("job_set_policy", 0, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V2,
                               b, sizeof b),
                     "options=ZX_JOB_POL_ABSOLUTE, topic=ZX_JOB_POL_BASIC_V2,"), "%s", b);
    cr_expect(strstr(call_text("vmo_create", 4096, 0, 0, b, sizeof b), "options=0x0"),
              "other options stay hex: %s", b);
}
