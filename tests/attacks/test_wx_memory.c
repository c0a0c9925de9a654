/* test_wx_memory.c — the wx_memory scenario's sandbox, run for real under
 * three job policies: none (both ways of running generated code work),
 * VMAR_WX denied (the W+X mapping is refused, the alias pair still runs
 * code), VMAR_WX and AMBIENT_MARK_VMO_EXEC denied (no executable VMO at
 * all). Once through the scenario's launcher, once with the host setting
 * the sandbox job's policy itself.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "attack_harness.h"
#include "process.h"

#define APP ACTOR_DIR "/wx_memory.so"

#if defined(__x86_64__) || defined(__aarch64__)
#define WX_RUNS_CODE 1
#else
#define WX_RUNS_CODE 0
#endif

static void wx_expect(const char *out, bool marked, bool wx, bool alias)
{
    cr_expect(strstr(out, marked ? "without a VMEX resource: ZX_OK"
                                 : "without a VMEX resource: ZX_ERR_ACCESS_DENIED"), "%s", out);
    if (!marked)
        return;
    cr_expect(strstr(out, wx ? "READ|WRITE|EXECUTE: ZX_OK"
                             : "READ|WRITE|EXECUTE: ZX_ERR_ACCESS_DENIED"), "%s", out);
    cr_expect_eq(strstr(out, "it returned 42") != NULL, wx && WX_RUNS_CODE, "%s", out);
    cr_expect(strstr(out, alias ? "READ|EXECUTE there: ZX_OK" : "there: ZX_ERR"), "%s", out);
    cr_expect_eq(strstr(out, "it returned 43") != NULL, alias && WX_RUNS_CODE, "%s", out);
}

static void wx_launcher(const char *variant, int want, bool marked, bool wx, bool alias,
                        size_t policy_records)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    const char *argv[] = {"launcher", variant, NULL};
    KProcess *l = atk_spawn(a, atk_job(a, "scenario", NULL, 0), APP, "launcher", argv,
                            NULL, NULL, 0);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_assert_eq(atk_retcode(a, l), 0);
    AppProcInfo info;
    char *out = atk_output_named(a, "sandbox", &info);
    cr_expect_eq(info.end, APP_END_EXITED, "%s", out);
    cr_expect_eq(info.return_code, want, "%s", out);
    wx_expect(out, marked, wx, alias);
    cr_expect_eq(atk_trace_count(a, KTR_POLICY, NULL), policy_records);
    free(out);
    atk_free(a);
}

Test(wx_memory, vulnerable_both_ways_run_code)
{
    wx_launcher("--variant=vulnerable", 2, true, true, true, 0);
}

Test(wx_memory, wx_only_policy_leaves_the_alias)
{
    wx_launcher("--variant=wx_only", 1, true, false, true, 1);
}

Test(wx_memory, mitigated_no_executable_vmo)
{
    wx_launcher("--variant=mitigated", 0, false, false, false, 1);
}

Test(wx_memory, host_set_policy)
{
    zx_policy_basic_v2_t pol[] = {
        {ZX_POL_VMAR_WX, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY},
        {ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY},
    };
    for (size_t n = 0; n <= 2; n++) {
        Atk *a = atk_new(2, 1, SIM_STRATEGY_FIFO);
        const char *argv[] = {"sandbox", NULL};
        KProcess *p = atk_spawn(a, atk_job(a, "sandbox", pol, n), APP, "sandbox", argv,
                                NULL, NULL, 0);
        cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
        cr_expect_eq(atk_retcode(a, p), 2 - (int64_t)n);
        char *out = atk_output(a, p);
        wx_expect(out, n < 2, n == 0, n < 2);
        free(out);
        atk_free(a);
    }
}
