/* test_rights_amplification.c — the rights_amplification actors on a
 * broken kernel (rights-subset switch on) and on a correct one.
 *
 * Wiring as in the scenario: the owner and the attacker in jobs of their
 * own, one channel between them; the attacker's job denies
 * ZX_POL_AMBIENT_MARK_VMO_EXEC (what a sandbox's job does).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "attack_harness.h"

#define ACTOR(n) ACTOR_DIR "/" n ".so"

typedef struct RaRun {
    Atk *a;
    KProcess *owner, *attacker;
    char *owner_out, *attacker_out;
} RaRun;

static RaRun ra_run(bool broken_kernel)
{
    RaRun r = {.a = atk_new(1, 1, SIM_STRATEGY_FIFO)};
    r.a->kernel->faults.skip_rights_subset = broken_kernel;
    zx_policy_basic_v2_t no_exec = {ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_ACTION_DENY,
                                    ZX_POL_OVERRIDE_DENY};
    KObject *c0, *c1;
    atk_channel(r.a, &c0, &c1);
    r.owner = atk_spawn(r.a, atk_job(r.a, "owner", NULL, 0), ACTOR("owner"), "owner",
                        NULL, &c0, NULL, 1);
    r.attacker = atk_spawn(r.a, atk_job(r.a, "attacker", &no_exec, 1), ACTOR("attacker"),
                           "attacker", NULL, &c1, NULL, 1);
    cr_assert_eq(atk_run(r.a), SIM_RUN_QUIESCENT);
    r.owner_out = atk_output(r.a, r.owner);
    r.attacker_out = atk_output(r.a, r.attacker);
    return r;
}

static void ra_free(RaRun *r)
{
    free(r->owner_out);
    free(r->attacker_out);
    atk_free(r->a);
}

Test(rights_amplification, broken_kernel_lets_the_attacker_gain_write_execute_destroy)
{
    RaRun r = ra_run(true);
    cr_expect_eq(atk_end(r.a, r.attacker), APP_END_EXITED, "%s", r.attacker_out);
    cr_expect_eq(atk_retcode(r.a, r.attacker), 15, "%s", r.attacker_out);
    cr_expect(strstr(r.attacker_out, "wrote 'mode=pwned' into the owner's config"));
    cr_expect(strstr(r.attacker_out, "map it READ|EXECUTE -> ZX_OK"));
    cr_expect(strstr(r.attacker_out, "task_kill(owner) -> ZX_OK"));
    cr_expect(strstr(r.owner_out, "my config reads 'mode=pwned' (TAMPERED)"), "%s",
              r.owner_out);
    cr_expect_eq(atk_end(r.a, r.owner), APP_END_KILLED, "%s", r.owner_out);
    /* every amplification is a traced fault injection */
    cr_expect_geq(atk_trace_count(r.a, KTR_FAULT_INJECTED, "skip_rights_subset"), 4);
    ra_free(&r);
}

Test(rights_amplification, correct_kernel_refuses_every_call_with_the_documented_code)
{
    RaRun r = ra_run(false);
    cr_expect_eq(atk_retcode(r.a, r.attacker), 0, "%s", r.attacker_out);
    cr_expect(strstr(r.attacker_out,
                     "duplicate(read-only view, READ|WRITE|MAP) -> ZX_ERR_INVALID_ARGS"),
              "%s", r.attacker_out);
    cr_expect(strstr(r.attacker_out,
                     "replace(copy of view, READ|WRITE|MAP) -> ZX_ERR_INVALID_ARGS"));
    cr_expect(strstr(r.attacker_out,
                     "vmo_replace_as_executable(copy, no VMEX) -> ZX_ERR_ACCESS_DENIED"));
    cr_expect(strstr(r.attacker_out,
                     "get_child(monitor, owner, default process rights) -> ZX_ERR_ACCESS_DENIED"));
    cr_expect(strstr(r.attacker_out, "gained nothing"));
    /* rights are spelled by name, as graphs spell them */
    cr_expect(strstr(r.attacker_out,
                     "got a config view (rights DUPLICATE|TRANSFER|READ|MAP|GET_PROPERTY|WAIT|"
                     "INSPECT) and a job monitor (rights TRANSFER|ENUMERATE|WAIT|INSPECT)"),
              "%s", r.attacker_out);
    cr_expect(strstr(r.owner_out, "my config reads 'mode=safe'\n"), "%s", r.owner_out);
    cr_expect_eq(atk_end(r.a, r.owner), APP_END_EXITED);
    cr_expect_eq(atk_retcode(r.a, r.owner), 0);
    cr_expect_eq(atk_trace_count(r.a, KTR_FAULT_INJECTED, NULL), 0);
    ra_free(&r);
}

Test(rights_amplification, same_seed_same_trace)
{
    char h1[33], h2[33];
    RaRun r1 = ra_run(true);
    atk_trace_hash(r1.a, h1);
    ra_free(&r1);
    RaRun r2 = ra_run(true);
    atk_trace_hash(r2.a, h2);
    ra_free(&r2);
    cr_expect_str_eq(h1, h2);
}
