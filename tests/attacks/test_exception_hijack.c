/* test_exception_hijack.c — the exception_hijack scenario's actors, run for
 * real: the launcher starts the victim and the attacker; in the vulnerable
 * variant the attacker's payload runs inside the victim and prints its
 * secret, in the mitigated one the attacker cannot bind the debugger
 * channel and the victim's crash only kills it. Also: the run is
 * deterministic (no host address reaches the trace or the output), and the
 * roles work when the host wires them itself (as a scenario script may).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/errors.h>

#include "attack_harness.h"
#include "job.h"
#include "process.h"
#include "vmo.h"

#define APP ACTOR_DIR "/exception_hijack.so"

static Atk *eh_run_launcher(const char *variant)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    KJob *job = atk_job(a, "scenario", NULL, 0);
    const char *argv[] = {"launcher", variant, NULL};
    KProcess *l = atk_spawn(a, job, APP, "launcher", argv, NULL, NULL, 0);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_assert_eq(atk_end(a, l), APP_END_EXITED);
    cr_assert_eq(atk_retcode(a, l), 0, "launcher failed to set up");
    return a;
}

Test(exception_hijack, vulnerable_payload_runs_in_victim)
{
    Atk *a = eh_run_launcher("--variant=vulnerable");
    AppProcInfo v = atk_info(a, "victim"), at = atk_info(a, "attacker");
    char *vout = atk_output_koid(a, v.koid), *aout = atk_output_koid(a, at.koid);
    cr_expect(strstr(aout, "bind the victim's debugger exception channel: ZX_OK"), "%s", aout);
    cr_expect(strstr(vout, "payload: running in process 'victim'"), "%s", vout);
    cr_expect(strstr(vout, "stole the victim's secret: \"launch-code 0451\""), "%s", vout);
    cr_expect_eq(v.end, APP_END_EXITED);
    cr_expect_eq(v.return_code, 66, "the payload's exit code");
    cr_expect_eq(at.return_code, 0);
    cr_expect_eq(atk_trace_count(a, KTR_NOTE, "thread redirected"), 1);
    free(vout);
    free(aout);
    atk_free(a);
}

Test(exception_hijack, mitigated_bind_refused)
{
    Atk *a = eh_run_launcher("--variant=mitigated");
    AppProcInfo v = atk_info(a, "victim"), at = atk_info(a, "attacker");
    char *vout = atk_output_koid(a, v.koid), *aout = atk_output_koid(a, at.koid);
    cr_expect(strstr(aout, "(MANAGE_THREAD no)"), "%s", aout);
    cr_expect(strstr(aout, "ZX_ERR_ACCESS_DENIED"), "%s", aout);
    cr_expect_eq(at.return_code, 1);
    cr_expect_null(strstr(vout, "stole"), "%s", vout);
    cr_expect_eq(v.end, APP_END_EXCEPTION, "the crash still kills the victim");
    cr_expect_eq(v.return_code, ZX_TASK_RETCODE_EXCEPTION_KILL);
    cr_expect_eq(atk_trace_count(a, KTR_NOTE, "thread redirected"), 0);
    free(vout);
    free(aout);
    atk_free(a);
}

/* Code addresses differ from run to run (ASLR, private copies): neither
 * the trace nor any output may depend on them. */
Test(exception_hijack, deterministic)
{
    char h1[33], h2[33];
    Atk *a = eh_run_launcher("--variant=vulnerable");
    atk_trace_hash(a, h1);
    atk_free(a);
    a = eh_run_launcher("--variant=vulnerable");
    atk_trace_hash(a, h2);
    atk_free(a);
    cr_expect_str_eq(h1, h2);
}

/* The host plays the launcher: victim and attacker wired directly. */
static void eh_wired(zx_rights_t given, int64_t want_attacker, int64_t want_victim)
{
    Atk *a = atk_new(3, 2, SIM_STRATEGY_FIFO);
    KJob *vj = atk_job(a, "victims", NULL, 0), *sj = atk_job(a, "sandbox", NULL, 0);
    KVmo *secret;
    cr_assert_eq(vmo_create(a->kernel, 4096, 0, &secret), ZX_OK);
    cr_assert_eq(vmo_range_ok(secret, 0, 17), ZX_OK);
    memcpy(vmo_bytes(secret, 0), "launch-code 0451", 17);
    KObject *vobj[] = {(KObject *)secret};
    const char *vargv[] = {"victim", NULL}, *aargv[] = {"attacker", NULL};
    KProcess *v = atk_spawn(a, vj, APP, "victim", vargv, vobj, NULL, 1);
    KObject *aobj[] = {&v->base};
    KProcess *at = atk_spawn(a, sj, APP, "attacker", aargv, aobj, &given, 1);
    kobject_unref((KObject *)secret);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_expect_eq(atk_retcode(a, at), want_attacker);
    cr_expect_eq(atk_retcode(a, v), want_victim);
    atk_free(a);
}

Test(exception_hijack, host_wired_roles)
{
    eh_wired(ZX_DEFAULT_PROCESS_RIGHTS, 0, 66);
    eh_wired(ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT, 1, ZX_TASK_RETCODE_EXCEPTION_KILL);
}
