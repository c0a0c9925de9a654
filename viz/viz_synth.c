/* viz_synth.c — synthetic snapshots of large systems.
 *
 * What it models: a plausible component platform at any size, built
 * directly as an ExportSnapshot (export_snapshot_build) so that analysis
 * and rendering can be measured on 100,000 nodes without running 100,000
 * objects through the kernel. Shape (see viz_synth.h): root job; "system"
 * with the servers; "apps" with one job per component; per process a
 * thread, objects (VMOs, events, ports in rotation) held with default
 * rights, a ring channel to its neighbour in the job and a channel to
 * server (process number mod servers). Rights follow Zircon's defaults
 * except where a careful launcher would attenuate: self-handles and the
 * managers' job handles carry no TRANSFER.
 *
 * Invariants: koids are handed out in creation order like the kernel's
 * (parents before children), handle values are a fixed function of the
 * holder and slot (shaped like Zircon's: low bits 11), so the same spec
 * always gives the same snapshot.
 * Left out: mappings, in-flight handles, namespaces.
 * Read next: tests/bench/bench_viz.c.
 */
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zircon/rights.h>
#include <zircon/types.h>

#include "viz_synth.h"

#define VIZ_SYNTH_CHANNEL_RIGHTS 0xF00Eu

typedef struct VizSynth {
    GArray *nodes, *edges;
    uint64_t koid;
    GStringChunk *names;
} VizSynth;

static uint64_t viz_synth_node(VizSynth *s, uint32_t type, const char *type_name,
                               const char *name, uint64_t parent, uint32_t def)
{
    ExportNode n;
    memset(&n, 0, sizeof n);
    n.id = s->koid++;
    n.kind = EXPORT_NODE_OBJECT;
    n.type = type;
    n.type_name = type_name;
    n.name = g_string_chunk_insert_const(s->names, name);
    n.state = type <= ZX_OBJ_TYPE_THREAD || type == ZX_OBJ_TYPE_JOB ? "running" : "";
    n.parent = parent;
    n.default_rights = def;
    n.possible_rights = def | ZX_RIGHT_EXECUTE;
    n.handle_count = 1;
    g_array_append_val(s->nodes, n);
    return n.id;
}

static void viz_synth_edge(VizSynth *s, uint32_t kind, uint64_t src, uint64_t dst,
                           uint32_t rights, uint32_t slot)
{
    ExportEdge e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.src = src;
    e.dst = dst;
    e.rights = rights;
    e.value = kind == EXPORT_EDGE_HANDLE ? (uint32_t)((src * 2654435761u) ^ (slot << 2)) | 3u : 0;
    e.label = "";
    g_array_append_val(s->edges, e);
}

static uint64_t viz_synth_process(VizSynth *s, uint64_t job, const char *name,
                                  size_t nobj, bool manager)
{
    uint64_t p = viz_synth_node(s, ZX_OBJ_TYPE_PROCESS, "process", name, job, 0x6D3CF);
    viz_synth_edge(s, EXPORT_EDGE_CHILD, job, p, 0, 0);
    uint64_t t = viz_synth_node(s, ZX_OBJ_TYPE_THREAD, "thread", name, p, 0x4D2CF);
    viz_synth_edge(s, EXPORT_EDGE_THREAD, p, t, 0, 0);
    uint32_t slot = 0;
    viz_synth_edge(s, EXPORT_EDGE_HANDLE, p, p, 0x6D3CF & ~ZX_RIGHT_TRANSFER, slot++);
    viz_synth_edge(s, EXPORT_EDGE_HANDLE, p, t, 0x4D2CF & ~ZX_RIGHT_TRANSFER, slot++);
    if (manager)
        viz_synth_edge(s, EXPORT_EDGE_HANDLE, p, job, 0x7DFCF & ~ZX_RIGHT_TRANSFER, slot++);
    static const struct { uint32_t type; const char *name; uint32_t rights; } kinds[] = {
        {ZX_OBJ_TYPE_VMO, "vmo", 0xD0EF},
        {ZX_OBJ_TYPE_EVENT, "event", 0xD003},
        {ZX_OBJ_TYPE_PORT, "port", 0x800F},
    };
    for (size_t i = 0; i < nobj; i++) {
        const size_t k = i % 3;
        uint64_t o = viz_synth_node(s, kinds[k].type, kinds[k].name, "", 0, kinds[k].rights);
        viz_synth_edge(s, EXPORT_EDGE_HANDLE, p, o, kinds[k].rights, slot++);
    }
    return p;
}

static void viz_synth_channel(VizSynth *s, uint64_t a, uint64_t b, uint32_t b_rights)
{
    uint64_t e0 = viz_synth_node(s, ZX_OBJ_TYPE_CHANNEL, "channel", "", 0, VIZ_SYNTH_CHANNEL_RIGHTS);
    uint64_t e1 = viz_synth_node(s, ZX_OBJ_TYPE_CHANNEL, "channel", "", 0, VIZ_SYNTH_CHANNEL_RIGHTS);
    viz_synth_edge(s, EXPORT_EDGE_PEER, e0, e1, 0, 0);
    viz_synth_edge(s, EXPORT_EDGE_HANDLE, a, e0, VIZ_SYNTH_CHANNEL_RIGHTS, 100 + (uint32_t)e0);
    viz_synth_edge(s, EXPORT_EDGE_HANDLE, b, e1, b_rights, 100 + (uint32_t)e1);
}

ExportSnapshot *viz_synth_system(const VizSynthSpec *spec)
{
    VizSynth s = {
        .nodes = g_array_new(FALSE, FALSE, sizeof(ExportNode)),
        .edges = g_array_new(FALSE, FALSE, sizeof(ExportEdge)),
        .koid = 1,
        .names = g_string_chunk_new(4096),
    };
    char name[64];
    uint64_t root = viz_synth_node(&s, ZX_OBJ_TYPE_JOB, "job", "root", 0, 0x7DFCF);
    uint64_t sys = viz_synth_node(&s, ZX_OBJ_TYPE_JOB, "job", "system", root, 0x7DFCF);
    uint64_t apps = viz_synth_node(&s, ZX_OBJ_TYPE_JOB, "job", "apps", root, 0x7DFCF);
    viz_synth_edge(&s, EXPORT_EDGE_CHILD, root, sys, 0, 0);
    viz_synth_edge(&s, EXPORT_EDGE_CHILD, root, apps, 0, 0);
    uint64_t *servers = g_new(uint64_t, spec->servers ? spec->servers : 1);
    for (size_t i = 0; i < spec->servers; i++) {
        snprintf(name, sizeof name, "server%zu", i);
        servers[i] = viz_synth_process(&s, sys, name, 1, i == 0);
    }
    size_t n = 0;
    for (size_t j = 0; j < spec->jobs; j++) {
        snprintf(name, sizeof name, "component%zu", j);
        uint64_t job = viz_synth_node(&s, ZX_OBJ_TYPE_JOB, "job", name, apps, 0x7DFCF);
        viz_synth_edge(&s, EXPORT_EDGE_CHILD, apps, job, 0, 0);
        uint64_t first = 0, prev = 0;
        for (size_t i = 0; i < spec->procs_per_job; i++, n++) {
            snprintf(name, sizeof name, "c%zu-p%zu", j, i);
            uint64_t p = viz_synth_process(&s, job, name, spec->objects_per_proc, i == 0);
            if (prev)
                viz_synth_channel(&s, prev, p, VIZ_SYNTH_CHANNEL_RIGHTS);
            else
                first = p;
            if (spec->servers)
                viz_synth_channel(&s, p, servers[n % spec->servers],
                                  spec->oneway_servers ? VIZ_SYNTH_CHANNEL_RIGHTS & ~ZX_RIGHT_WRITE
                                                       : VIZ_SYNTH_CHANNEL_RIGHTS);
            prev = p;
        }
        if (prev && prev != first && spec->procs_per_job > 2)
            viz_synth_channel(&s, prev, first, VIZ_SYNTH_CHANNEL_RIGHTS);
    }
    ExportSnapshot *snap = export_snapshot_build((ExportNode *)(void *)s.nodes->data,
                                                 s.nodes->len,
                                                 (ExportEdge *)(void *)s.edges->data,
                                                 s.edges->len);
    g_free(servers);
    g_array_free(s.nodes, TRUE);
    g_array_free(s.edges, TRUE);
    g_string_chunk_free(s.names);
    return snap;
}

void viz_synth_spec_for(size_t nodes, VizSynthSpec *out)
{
    /* per process: process, thread, objects, ~3 channel endpoints */
    out->procs_per_job = 20;
    out->objects_per_proc = 14;
    out->servers = 50;
    out->oneway_servers = 0;
    size_t per_job = out->procs_per_job * (2 + out->objects_per_proc + 3) + 1;
    out->jobs = nodes / per_job ? nodes / per_job : 1;
}
