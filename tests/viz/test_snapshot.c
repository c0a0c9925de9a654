/* test_snapshot.c — snapshot contents for known systems (model/export.h
 * through viz_recorder): nodes and edges of a channel pair with a
 * transferred and an in-flight handle, the job tree, mappings, order and
 * byte-identical JSON exports across runs; the recorder's schedules. */
#include <glib.h>
#include <string.h>
#include <zircon/processargs.h>

#include "viz_graph.h"
#include "viz_json.h"
#include "vtest.h"

static const ExportNode *named(const ExportSnapshot *s, const char *type, const char *name)
{
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].kind == EXPORT_NODE_OBJECT && !strcmp(s->nodes[i].type_name, type) &&
            !strcmp(s->nodes[i].name, name))
            return &s->nodes[i];
    return NULL;
}

Test(snapshot, channel_pair_with_transferred_handles)
{
    VTest *v = vtest_transfer(3);
    cr_expect_eq(v->kt->result, SIM_RUN_DEADLOCK, "both processes park at the end");
    const ExportSnapshot *s = vtest_end(v);
    const ExportNode *sender = named(s, "process", "sender");
    const ExportNode *receiver = named(s, "process", "receiver");
    const ExportNode *vmo = named(s, "vmo", "secret");
    const ExportNode *job = named(s, "job", "tests");
    cr_assert(sender && receiver && vmo && job);
    cr_expect_eq(sender->parent, job->id);
    cr_expect_str_eq(sender->state, "running");
    /* the job tree and threads */
    cr_expect(vtest_edge(s, EXPORT_EDGE_CHILD, job->id, sender->id));
    cr_expect(vtest_edge(s, EXPORT_EDGE_CHILD, job->id, receiver->id));
    cr_expect(vtest_edge(s, EXPORT_EDGE_CHILD, job->parent, job->id));
    cr_expect_geq(vtest_count_edges(s, EXPORT_EDGE_THREAD), 2);
    /* each holds its endpoint; the endpoints are peers */
    const ExportEdge *ha = vtest_edge(s, EXPORT_EDGE_HANDLE, sender->id, v->ep_a);
    const ExportEdge *hb = vtest_edge(s, EXPORT_EDGE_HANDLE, receiver->id, v->ep_b);
    cr_assert(ha && hb);
    cr_expect_eq(ha->rights, ZX_DEFAULT_CHANNEL_RIGHTS);
    cr_expect_eq(ha->value & 3u, 3u, "handle values have both low bits set");
    cr_expect(vtest_edge(s, EXPORT_EDGE_PEER, v->ep_a, v->ep_b));
    /* the VMO moved: the receiver holds it, the sender only maps it */
    cr_expect(vtest_edge(s, EXPORT_EDGE_HANDLE, receiver->id, vmo->id));
    cr_expect_null(vtest_edge(s, EXPORT_EDGE_HANDLE, sender->id, vmo->id));
    const ExportEdge *map = vtest_edge(s, EXPORT_EDGE_MAPPING, sender->id, vmo->id);
    cr_assert(map);
    cr_expect_eq(map->rights, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    cr_expect_eq(map->arg1, 4096u);
    /* the duplicated event is in flight, queued on the receiver's endpoint */
    cr_expect_eq(vtest_count_nodes(s, EXPORT_NODE_INFLIGHT), 1);
    const ExportNode *inf = NULL;
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].kind == EXPORT_NODE_INFLIGHT)
            inf = &s->nodes[i];
    cr_assert(inf);
    const ExportNode *token = export_find_node(s, inf->object);
    cr_assert(token);
    cr_expect_str_eq(token->type_name, "event");
    cr_expect_eq(inf->parent, v->ep_b);
    cr_expect_geq(inf->id, EXPORT_SYNTH_BASE);
    const ExportEdge *ie = vtest_edge(s, EXPORT_EDGE_INFLIGHT, v->ep_b, inf->id);
    cr_assert(ie);
    cr_expect_eq(ie->rights, ZX_RIGHT_WAIT | ZX_RIGHT_TRANSFER);
    cr_expect(vtest_edge(s, EXPORT_EDGE_HANDLE, inf->id, token->id));
    /* the sender still holds the original event */
    cr_expect(vtest_edge(s, EXPORT_EDGE_HANDLE, sender->id, token->id));
    vtest_free(v);
}

Test(snapshot, sorted_by_id_and_edges_ordered)
{
    VTest *v = vtest_transfer(3);
    const ExportSnapshot *s = vtest_end(v);
    for (size_t i = 1; i < s->nnodes; i++)
        cr_expect_lt(s->nodes[i - 1].id, s->nodes[i].id);
    for (size_t i = 1; i < s->nedges; i++) {
        const ExportEdge *a = &s->edges[i - 1], *b = &s->edges[i];
        cr_expect(a->src < b->src || (a->src == b->src && a->kind <= b->kind));
    }
    /* every edge names nodes of the snapshot */
    for (size_t i = 0; i < s->nedges; i++) {
        cr_expect(export_find_node(s, s->edges[i].src), "edge %zu src", i);
        cr_expect(export_find_node(s, s->edges[i].dst), "edge %zu dst", i);
    }
    vtest_free(v);
}

static char *json_of(uint64_t seed)
{
    VTest *v = vtest_transfer(seed);
    char *j = viz_json_snapshot(vtest_end(v), "end", true, NULL);
    vtest_free(v);
    return j;
}

Test(snapshot, json_byte_identical_across_runs)
{
    char *a = json_of(11), *b = json_of(11), *c = json_of(12);
    cr_expect_str_eq(a, b);
    /* handle values come from the seed: another seed differs */
    cr_expect_str_neq(a, c);
    free(a);
    free(b);
    free(c);
}

Test(snapshot, after_chosen_syscalls)
{
    VTest *v = vtest_transfer_build(5, true);
    char err[256];
    cr_expect_not(viz_recorder_at_syscall(v->rec, "no_such_call", err, sizeof err));
    cr_expect(strstr(err, "no_such_call"));
    cr_assert(viz_recorder_at_syscall(v->rec, "zx_channel_write", err, sizeof err));
    vtest_run(v);
    cr_expect_eq(viz_recorder_count(v->rec), 3); /* two writes and the end */
    cr_expect(g_str_has_prefix(viz_recorder_label(v->rec, 0), "after zx_channel_write #1"));
    cr_expect(g_str_has_prefix(viz_recorder_label(v->rec, 1), "after zx_channel_write #2"));
    cr_expect_str_eq(viz_recorder_label(v->rec, 2), "end");
    /* right after the first write the VMO travels in the receiver's queue */
    const ExportSnapshot *first = viz_recorder_get(v->rec, 0);
    cr_expect_eq(vtest_count_nodes(first, EXPORT_NODE_INFLIGHT), 1);
    bool vmo_in_flight = false;
    for (size_t i = 0; i < first->nnodes; i++)
        if (first->nodes[i].kind == EXPORT_NODE_INFLIGHT && !strcmp(first->nodes[i].type_name, "vmo"))
            vmo_in_flight = first->nodes[i].parent == v->ep_b;
    cr_expect(vmo_in_flight);
    cr_expect_lt(first->trace_seq, vtest_end(v)->trace_seq);
    vtest_free(v);
}

Test(snapshot, every_n_events_and_times)
{
    VTest *v = vtest_transfer_build(5, true);
    viz_recorder_every(v->rec, 10);
    viz_recorder_at_time(v->rec, 1);
    viz_recorder_at_time(v->rec, (int64_t)1 << 50); /* never reached */
    vtest_run(v);
    size_t n = viz_recorder_count(v->rec), events = 0;
    cr_expect_geq(n, 3);
    for (size_t i = 0; i < n; i++)
        events += g_str_has_prefix(viz_recorder_label(v->rec, i), "event ");
    cr_expect_geq(events, 2);
    cr_expect_neq(viz_recorder_find(v->rec, "t=1 ns"), VIZ_RECORDER_NONE);
    cr_expect_eq(viz_recorder_find(v->rec, "t=1125899906842624 ns"), VIZ_RECORDER_NONE);
    cr_expect_neq(viz_recorder_find(v->rec, "#0"), VIZ_RECORDER_NONE);
    cr_expect_eq(viz_recorder_find(v->rec, "#999"), VIZ_RECORDER_NONE);
    vtest_free(v);
}

Test(snapshot, times_without_stepping)
{
    VTest *v = vtest_transfer_build(5, true);
    viz_recorder_at_time(v->rec, 2000);
    vtest_run(v);
    size_t i = viz_recorder_find(v->rec, "t=2000 ns");
    cr_assert_neq(i, VIZ_RECORDER_NONE);
    cr_expect_eq(viz_recorder_get(v->rec, i)->time, 2000);
    vtest_free(v);
}

/* Watching a run changes nothing in it: same trace hash as unwatched. */
Test(snapshot, recorder_does_not_perturb_the_run)
{
    VTest *watched = vtest_transfer_build(9, true), *plain = vtest_transfer_build(9, false);
    viz_recorder_at_syscall(watched->rec, "channel_write", NULL, 0);
    vtest_run(watched);
    vtest_run(plain);
    char h1[33], h2[33];
    sim_trace_hash_hex(watched->kt->engine, h1);
    sim_trace_hash_hex(plain->kt->engine, h2);
    cr_expect_str_eq(h1, h2);
    vtest_free(watched);
    vtest_free(plain);
}
