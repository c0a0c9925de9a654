/* bench_viz.c — capability-graph benchmarks: authority analysis of a
 * 100,000-node graph (target: under 1 second), indexing, the overview of a
 * large graph and its rendering. Synthetic snapshots (viz/viz_synth.h) so
 * no kernel run is measured. Host wall-clock time (this is a benchmark,
 * not a simulation). Usage: bench_viz [nodes] [repeats] [overview.svg]
 * (the third argument also writes the overview picture, for the docs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "viz_aggregate.h"
#include "viz_authority.h"
#include "viz_dot.h"
#include "viz_json.h"
#include "viz_synth.h"

static double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    size_t nodes = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1)
        reps = 1;
    VizSynthSpec spec;
    viz_synth_spec_for(nodes, &spec);
    double t0 = bench_now_ms();
    ExportSnapshot *s = viz_synth_system(&spec);
    double t1 = bench_now_ms();
    VizGraph *g = viz_graph_new(s);
    double t2 = bench_now_ms();
    printf("graph: %zu nodes, %zu edges (%zu jobs x %zu processes, %zu objects each)\n",
           s->nnodes, s->nedges, spec.jobs, spec.procs_per_job, spec.objects_per_proc);
    printf("synthesize: %.1f ms, index: %.1f ms\n", t1 - t0, t2 - t1);
    for (int oneway = 0; oneway < 2; oneway++) {
        ExportSnapshot *s2 = s;
        VizGraph *g2 = g;
        if (oneway) {
            spec.oneway_servers = 1;
            s2 = viz_synth_system(&spec);
            g2 = viz_graph_new(s2);
        }
        double *ms = calloc((size_t)reps, sizeof *ms);
        size_t facts = 0, pools = 0;
        for (int r = 0; r < reps; r++) {
            double a0 = bench_now_ms();
            VizAuthority *a = viz_authority_new(g2, NULL, 0);
            ms[r] = bench_now_ms() - a0;
            facts = viz_authority_nfacts(a);
            pools = viz_authority_npools(a);
            viz_authority_free(a);
        }
        qsort(ms, (size_t)reps, sizeof *ms, bench_cmp);
        printf("authority analysis (%s servers): median %.1f ms, best %.1f ms over %d runs, "
               "%zu facts, %zu flow cycles\n", oneway ? "one-way" : "two-way",
               ms[reps / 2], ms[0], reps, facts, pools);
        free(ms);
        if (oneway) {
            viz_graph_free(g2);
            export_snapshot_free(s2);
        }
    }
    double j0 = bench_now_ms();
    size_t jlen = 0;
    free(viz_json_snapshot(s, NULL, false, &jlen));
    double j1 = bench_now_ms();
    printf("node-link JSON: %.1f ms, %zu bytes\n", j1 - j0, jlen);
    VizViewOptions vo;
    viz_view_options_default(&vo);
    double v0 = bench_now_ms();
    VizView *v = viz_aggregate_build(g, &vo);
    double v1 = bench_now_ms();
    printf("overview: %.1f ms, %zu nodes, %zu edges\n", v1 - v0, v->nnodes, v->nedges);
    VizDotOptions dopt;
    viz_dot_options_default(&dopt);
    char *data = NULL, err[256];
    size_t len = 0;
    double r0 = bench_now_ms();
    if (viz_dot_render(v, &dopt, VIZ_FORMAT_SVG, &data, &len, err, sizeof err) == 0) {
        printf("overview SVG (sfdp): %.1f ms, %zu bytes\n", bench_now_ms() - r0, len);
        FILE *f = argc > 3 ? fopen(argv[3], "w") : NULL;
        if (f) {
            fwrite(data, 1, len, f);
            fclose(f);
        }
    } else
        printf("overview SVG failed: %s\n", err);
    free(data);
    viz_view_free(v);
    viz_graph_free(g);
    export_snapshot_free(s);
    return 0;
}
