/* capsim_viz.h — watching a whole run for capability graphs, authority
 * analysis and trace exports, for the command line (capsim graph, analyze,
 * trace) and the Python package. (capsim_script.h's capsim_graph_* work on
 * one snapshot at a time; this keeps a recorder over the run.)
 *
 * Flat (cffi reads it): opaque pointers, plain structs, no GLib types, no
 * function-like macros. Attach a CapsimViz to a system before running
 * it; it keeps the trace, records every syscall's arguments, and takes
 * snapshots of the capability graph (at the end, every N events, at
 * virtual times, after chosen syscalls, or on demand). Snapshots are then
 * rendered (DOT, SVG, PNG, PDF, networkx JSON), compared, and analysed.
 *
 *   CapsimViz *g = capsim_viz_attach(sys);
 *   capsim_viz_at_syscall(g, "channel_write");
 *   capsim_viz_run(g);
 *   capsim_viz_render(g, -1, NULL, "end.svg");      // -1: the last one
 *   char *r = capsim_viz_reach(g, -1, "process:client", 1);
 *
 * Errors: -1 / NULL and a message naming the file or the name that was
 * wrong in capsim_viz_error(g). Strings returned are malloc'ed: release
 * with capsim_free (capsim_host.h). Read next: host_viz.c, docs/graphs.md.
 */
#ifndef CAPSIM_VIZ_H
#define CAPSIM_VIZ_H

#include <stddef.h>
#include <stdint.h>

#include "capsim_host.h"
#include "capsim_script.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct CapsimViz CapsimViz;
struct Kernel;

typedef struct CapsimRenderOptions {
    const char *format;       /* dot, svg, png, pdf, json; NULL: from the
                                 file name's extension, else svg */
    const char *engine;       /* dot, sfdp, neato, fdp; NULL: automatic */
    const char *focus;        /* principal to centre on (see below); NULL: all */
    int hops;                 /* focus radius, default CAPSIM_FOCUS_HOPS */
    int legend;               /* draw the legend (default 1) */
    int show_values;          /* handle values on edges */
    int show_threads;         /* thread nodes (default 1) */
    int show_vmars;           /* VMAR nodes */
    int aggregate_above;      /* overview above this many nodes (1500) */
} CapsimRenderOptions;

void capsim_render_options_default(CapsimRenderOptions *o);

/* Watch `sys` (attach before capsim_viz_run / capsim_run). */
CapsimViz *capsim_viz_attach(CapsimSystem *sys);
/* The same for a kernel driven by other host code (component launcher). */
CapsimViz *capsim_viz_attach_kernel(struct Kernel *k);
void capsim_viz_free(CapsimViz *g);
const char *capsim_viz_error(CapsimViz *g);

/* Schedule snapshots. at_syscall takes "channel_write" or
 * "zx_channel_write" (-1 if no such syscall). */
void capsim_viz_every(CapsimViz *g, uint64_t events);
void capsim_viz_at_time(CapsimViz *g, int64_t ns);
int capsim_viz_at_syscall(CapsimViz *g, const char *name);
/* Also write the trace as JSON lines (the engine's sink) while running;
 * "-" is stdout (appending where stdout appends). */
int capsim_viz_jsonl(CapsimViz *g, const char *path);
/* Finish that file: 0, or -1 (capsim_viz_error) when writing it failed. */
int capsim_viz_jsonl_close(CapsimViz *g);
/* Run to the end honouring the schedule, then snapshot "end".
 * Returns a CapsimRunResult. */
int capsim_viz_run(CapsimViz *g);
/* A snapshot now; returns its index. */
int capsim_viz_snapshot(CapsimViz *g, const char *label);

size_t capsim_viz_count(CapsimViz *g);
const char *capsim_viz_label(CapsimViz *g, size_t index);
/* Index of a snapshot from "end", a label, "#N", or a number; -1 if none.
 * Everywhere a snapshot index is taken, -1 means the last one. */
int capsim_viz_find(CapsimViz *g, const char *which);
/* 0 when snapshot `snapshot` has the node `spec` names (process:NAME,
 * koid:N...: what --focus and the analyses take), else -1 and
 * capsim_viz_error says so, with the snapshots that do have it. */
int capsim_viz_find_principal(CapsimViz *g, int snapshot, const char *spec);
/* 0 when o->format, else the extension of `path`, names a format a
 * picture can be rendered in (no extension, or NULL: SVG); else -1 with
 * the reason in error: to check before a run what rendering would refuse. */
int capsim_render_format_check(const CapsimRenderOptions *o, const char *path, char *error,
                               size_t len);
/* Nodes and edges of a snapshot (0 if the index is bad). */
size_t capsim_viz_nodes(CapsimViz *g, int snapshot);
size_t capsim_viz_edges(CapsimViz *g, int snapshot);

/* Render a snapshot, the changes between two, or the witness path of
 * "could `principal` hold `object` with `rights`" to a file. */
int capsim_viz_render(CapsimViz *g, int snapshot,
                        const CapsimRenderOptions *o, const char *path);
int capsim_viz_render_diff(CapsimViz *g, int from, int to,
                             const CapsimRenderOptions *o, const char *path);
char *capsim_viz_diff_text(CapsimViz *g, int from, int to);

/* Authority analysis. Principals and objects are named like
 * "process:client", "job:root", "component:echo", "koid:12", "/svc/x" or a
 * bare process/job name; rights like "W|T" or "WRITE,TRANSFER". `rules`
 * is a rules file (docs/graphs.md) or NULL; its "assume" lines apply. */
char *capsim_viz_reach(CapsimViz *g, int snapshot, const char *principal,
                         int witnesses, const char *rules);
char *capsim_viz_who_can(CapsimViz *g, int snapshot, const char *object,
                           const char *rights, int witnesses,
                           const char *rules);
/* Policy check: the report; *violations gets their number (-1 on error). */
char *capsim_viz_check(CapsimViz *g, int snapshot, const char *rules,
                         int *violations);
int capsim_viz_render_witness(CapsimViz *g, int snapshot,
                                const char *principal, const char *object,
                                const char *rights, const char *rules,
                                const CapsimRenderOptions *o,
                                const char *path);

/* Trace exports of the watched run. */
int capsim_viz_write_perfetto(CapsimViz *g, const char *path);
int capsim_viz_write_steps(CapsimViz *g, const char *path);

#ifdef __cplusplus
}
#endif
#endif
