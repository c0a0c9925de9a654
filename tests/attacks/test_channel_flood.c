/* test_channel_flood.c — the channel_flood scenario's actors, run for real.
 * Vulnerable: the fire-and-forget producer's write 3501 to a stalled
 * collector raises ZX_EXCP_POLICY_ERROR / CHANNEL_FULL_WRITE and the
 * producer dies of it (the message itself was queued: the collector later
 * reads 3501 events). Mitigated: the windowed producer waits out the stall
 * and sends all 4000. Both: the unrelated ping/pong pair completes every
 * round trip. Also: the same limit, wired by the host without the launcher.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls/exception.h>

#include "attack_harness.h"
#include "process.h"

#define APP ACTOR_DIR "/channel_flood.so"

/* Policy exceptions raised with synth code CHANNEL_FULL_WRITE. */
static size_t cf_full_write_exceptions(Atk *a)
{
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(a->engine); i++) {
        const SimTraceRecord *r = sim_trace_get(a->engine, i);
        if (r->kind == KTR_EXCEPTION && r->b == ZX_EXCP_POLICY_ERROR &&
            r->c == ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE)
            n++;
    }
    return n;
}

static void cf_expect_bystanders(Atk *a)
{
    AppProcInfo info;
    char *ping = atk_output_named(a, "ping", &info);
    cr_expect_eq(info.return_code, 0, "%s", ping);
    cr_expect(strstr(ping, "100/100 round trips"), "%s", ping);
    free(ping);
    char *pong = atk_output_named(a, "pong", &info);
    cr_expect_eq(info.return_code, 0, "%s", pong);
    free(pong);
}

static Atk *cf_run(const char *variant)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    const char *argv[] = {"launcher", variant, NULL};
    KProcess *l = atk_spawn(a, atk_job(a, "scenario", NULL, 0), APP, "launcher", argv,
                            NULL, NULL, 0);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_assert_eq(atk_retcode(a, l), 0);
    return a;
}

Test(channel_flood, vulnerable_writer_past_the_limit_dies)
{
    Atk *a = cf_run("--variant=vulnerable");
    AppProcInfo info;
    char *out = atk_output_named(a, "producer", &info);
    cr_expect_eq(info.end, APP_END_EXCEPTION, "%s", out);
    cr_expect_eq(info.return_code, ZX_TASK_RETCODE_EXCEPTION_KILL);
    cr_expect(strstr(out, "writing event 3501"), "%s", out);
    cr_expect_null(strstr(out, "all 4000 events sent"), "%s", out);
    cr_expect_eq(cf_full_write_exceptions(a), 1);
    free(out);
    out = atk_output_named(a, "collector", &info);
    cr_expect(strstr(out, "received 3501 events, sent 0 acks"), "%s", out);
    free(out);
    cf_expect_bystanders(a);
    atk_free(a);
}

Test(channel_flood, mitigated_window_waits_out_the_stall)
{
    Atk *a = cf_run("--variant=mitigated");
    AppProcInfo info;
    char *out = atk_output_named(a, "producer", &info);
    cr_expect_eq(info.end, APP_END_EXITED, "%s", out);
    cr_expect_eq(info.return_code, 0);
    cr_expect(strstr(out, "all 4000 events sent (at most 64 unacknowledged)"), "%s", out);
    cr_expect_eq(cf_full_write_exceptions(a), 0);
    free(out);
    out = atk_output_named(a, "collector", &info);
    cr_expect(strstr(out, "received 4000 events"), "%s", out);
    free(out);
    cf_expect_bystanders(a);
    atk_free(a);
}

/* Host wiring: a producer and a collector in jobs of their own. */
Test(channel_flood, host_wired)
{
    Atk *a = atk_new(5, 2, SIM_STRATEGY_FIFO);
    KObject *c0, *c1;
    atk_channel(a, &c0, &c1);
    const char *cargv[] = {"collector", NULL}, *pargv[] = {"producer", "--window=0", NULL};
    KProcess *col = atk_spawn(a, atk_job(a, "collector", NULL, 0), APP, "collector", cargv,
                              &c0, NULL, 1);
    KProcess *prod = atk_spawn(a, atk_job(a, "producer", NULL, 0), APP, "producer", pargv,
                               &c1, NULL, 1);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_expect_eq(atk_end(a, prod), APP_END_EXCEPTION);
    cr_expect_eq(atk_retcode(a, col), 0);
    cr_expect_eq(cf_full_write_exceptions(a), 1);
    atk_free(a);
}
