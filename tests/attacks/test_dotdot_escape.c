/* test_dotdot_escape.c — the dotdot_escape component on the component
 * system, with the directory servers' accept_dotdot fault switch on (the
 * escape) and off (the documented refusal).
 *
 * Setup as in the scenario: the package app1 (isolated-persistent-storage)
 * installed and launched; app2's secret seeded in its isolated storage,
 * /data/r/app/app2/secret.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <zircon/rights.h>

#include "attack_harness.h"
#include "viz_authority.h"
#include "viz_recorder.h"

#define APP1_FAR ACTOR_DIR "/app1.far"

typedef struct DdRun {
    Atk *a;
    KProcess *app1;
    char *out;
} DdRun;

static DdRun dd_run(bool accept_dotdot)
{
    DdRun r = {.a = atk_new(1, 1, SIM_STRATEGY_FIFO)};
    r.a->kernel->faults.accept_dotdot = accept_dotdot;
    atk_package(r.a, APP1_FAR);
    atk_data_put(r.a, "r/app/app2/secret", "app2's secret: swordfish\n");
    r.app1 = atk_launch(r.a, "app1", NULL);
    atk_run(r.a);
    r.out = atk_output(r.a, r.app1);
    return r;
}

Test(dotdot_escape, with_the_switch_the_server_climbs_out_of_app1s_storage)
{
    DdRun r = dd_run(true);
    cr_expect_eq(atk_end(r.a, r.app1), APP_END_EXITED, "%s", r.out);
    cr_expect_eq(atk_retcode(r.a, r.app1), 1, "%s", r.out);
    cr_expect(strstr(r.out, "fdio_open_fd_at(/data, \"../app2/secret\") -> ZX_OK"), "%s", r.out);
    cr_expect(strstr(r.out, "read \"app2's secret: swordfish\" (ESCAPED"));
    /* client-side cleaning holds even with the broken server */
    cr_expect(strstr(r.out, "open(\"/data/../app2/secret\"): No such file or directory"));
    cr_expect_gt(atk_trace_count(r.a, KTR_FAULT_INJECTED, "accept_dotdot"), 0);
    free(r.out);
    atk_free(r.a);
}

Test(dotdot_escape, without_it_the_server_refuses_dotdot_with_invalid_args)
{
    DdRun r = dd_run(false);
    cr_expect_eq(atk_end(r.a, r.app1), APP_END_EXITED, "%s", r.out);
    cr_expect_eq(atk_retcode(r.a, r.app1), 0, "%s", r.out);
    cr_expect(strstr(r.out, "wrote /data/mine"), "%s", r.out);
    cr_expect(strstr(r.out, "fdio_open_fd_at(/data, \"../app2/secret\") -> ZX_ERR_INVALID_ARGS"),
              "%s", r.out);
    cr_expect(strstr(r.out, "openat(/data, \"../app2/secret\"): Invalid argument"));
    cr_expect(strstr(r.out, "app2's secret is out of reach"));
    cr_expect_eq(atk_trace_count(r.a, KTR_FAULT_INJECTED, NULL), 0);
    free(r.out);
    atk_free(r.a);
}

/* The analysis on the first snapshot where app1's /data connection is
 * served (before it tries anything): with the switch, a witness that
 * climbs from app1's storage to app2's secret; without it, none in any
 * snapshot of the run. */
static void dd_analysis(bool accept_dotdot)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    a->kernel->faults.accept_dotdot = accept_dotdot;
    atk_package(a, APP1_FAR);
    atk_data_put(a, "r/app/app2/secret", "app2's secret: swordfish\n");
    atk_launch(a, "app1", NULL);
    VizRecorder *rec = viz_recorder_attach(a->kernel);
    char err[256], why[256];
    cr_assert(viz_recorder_at_syscall(rec, "channel_write", err, sizeof err), "%s", err);
    viz_recorder_run(rec);
    app_restore_host(a->kernel);
    bool seen_before = false;
    for (size_t i = 0; i < viz_recorder_count(rec); i++) {
        VizGraph *g = viz_graph_new(viz_recorder_get(rec, i));
        size_t app1 = viz_graph_find(g, "process:app1", why, sizeof why);
        size_t own = viz_graph_find(g, "/data/r/app/app1", why, sizeof why);
        size_t secret = viz_graph_find(g, "/data/r/app/app2/secret", why, sizeof why);
        VizAuthority *an = viz_authority_new(g, NULL, 0);
        bool before = !seen_before && app1 != VIZ_NONE && own != VIZ_NONE &&
                      viz_authority_can(an, app1, own, ZX_RIGHT_WRITE) != VIZ_NOFACT;
        uint32_t f = app1 != VIZ_NONE && secret != VIZ_NONE
                         ? viz_authority_can(an, app1, secret, ZX_RIGHT_READ) : VIZ_NOFACT;
        if (before) {
            seen_before = true;
            cr_expect_eq(f != VIZ_NOFACT, accept_dotdot, "snapshot %zu", i);
            if (f != VIZ_NOFACT) {
                char *w = viz_witness_text(an, f);
                cr_expect(strstr(w, "accept_dotdot fault: process 'app1'"), "%s", w);
                cr_expect(strstr(w, "opens \"app2\" in directory '/data/r/app'"), "%s", w);
                cr_expect(strstr(w, "opens \"secret\" in directory '/data/r/app/app2'"), "%s", w);
                free(w);
            }
        }
        if (!accept_dotdot)
            cr_expect_eq(f, VIZ_NOFACT, "snapshot %zu: a path to app2's secret", i);
        viz_authority_free(an);
        viz_graph_free(g);
    }
    cr_expect(seen_before, "no snapshot with app1's /data served");
    viz_recorder_free(rec);
    atk_free(a);
}

Test(dotdot_escape, the_analysis_finds_the_escape_only_with_the_switch)
{
    dd_analysis(true);
    dd_analysis(false);
}
