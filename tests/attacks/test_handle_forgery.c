/* test_handle_forgery.c — the handle_forgery actors on a kernel without the
 * owner check (switch on), on a correct kernel, and on a correct kernel
 * whose job policy kills a process at its first bad handle.
 *
 * Wiring as in the scenario: vault and forger in jobs of their own, one
 * channel between them. Several seeds: the per-process mixers (and so every
 * value) change with the seed, the outcome must not.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls/object.h>

#include "attack_harness.h"
#include "process.h"

#define ACTOR(n) ACTOR_DIR "/" n ".so"

typedef enum HfMode { HF_BROKEN_KERNEL, HF_CORRECT, HF_KILL_POLICY } HfMode;

typedef struct HfRun {
    Atk *a;
    KProcess *vault, *forger;
    char *vault_out, *forger_out;
} HfRun;

static HfRun hf_run(uint64_t seed, HfMode mode)
{
    HfRun r = {.a = atk_new(seed, 1, SIM_STRATEGY_FIFO)};
    r.a->kernel->faults.skip_owner_check = mode == HF_BROKEN_KERNEL;
    zx_policy_basic_v2_t kill = {ZX_POL_BAD_HANDLE, ZX_POL_ACTION_KILL, ZX_POL_OVERRIDE_DENY};
    KObject *c0, *c1;
    atk_channel(r.a, &c0, &c1);
    r.vault = atk_spawn(r.a, atk_job(r.a, "vault", NULL, 0), ACTOR("vault"), "vault", NULL,
                        &c0, NULL, 1);
    r.forger = atk_spawn(r.a, atk_job(r.a, "forger", &kill, mode == HF_KILL_POLICY),
                         ACTOR("forger"), "forger", NULL, &c1, NULL, 1);
    cr_assert_eq(atk_run(r.a), SIM_RUN_QUIESCENT);
    r.vault_out = atk_output(r.a, r.vault);
    r.forger_out = atk_output(r.a, r.forger);
    return r;
}

static void hf_free(HfRun *r)
{
    free(r->vault_out);
    free(r->forger_out);
    atk_free(r->a);
}

Test(handle_forgery, without_the_owner_check_guessed_values_reach_the_secret)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        HfRun r = hf_run(seed, HF_BROKEN_KERNEL);
        cr_expect_eq(atk_retcode(r.a, r.forger), 1, "seed %lu: %s", (unsigned long)seed,
                     r.forger_out);
        cr_expect(strstr(r.forger_out, "read through it: 'the vault's secret: hunter2'"));
        char want[96];
        snprintf(want, sizeof want, "names a process (koid %lu): stole a handle to it",
                 (unsigned long)r.vault->base.koid);
        cr_expect(strstr(r.forger_out, want), "the vault's own process: %s", r.forger_out);
        cr_expect(strstr(r.forger_out, "secret STOLEN"));
        cr_expect_gt(atk_trace_count(r.a, KTR_FAULT_INJECTED, "skip_owner_check"), 0);
        cr_expect_eq(atk_end(r.a, r.vault), APP_END_EXITED, "%s", r.vault_out);
        hf_free(&r);
    }
}

Test(handle_forgery, with_the_owner_check_every_guess_is_a_bad_handle)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        HfRun r = hf_run(seed, HF_CORRECT);
        cr_expect_eq(atk_retcode(r.a, r.forger), 0, "seed %lu: %s", (unsigned long)seed,
                     r.forger_out);
        cr_expect(strstr(r.forger_out, "guess 0 -> ZX_ERR_BAD_HANDLE"));
        cr_expect(strstr(r.forger_out, "0 of 64 guesses named a handle; secret safe"));
        cr_expect_eq(atk_trace_count(r.a, KTR_FAULT_INJECTED, NULL), 0);
        cr_expect_eq(atk_end(r.a, r.vault), APP_END_EXITED);
        hf_free(&r);
    }
}

Test(handle_forgery, kill_on_bad_handle_policy_ends_the_forger_at_its_first_guess)
{
    HfRun r = hf_run(1, HF_KILL_POLICY);
    cr_expect_eq(atk_end(r.a, r.forger), APP_END_POLICY, "%s", r.forger_out);
    cr_expect_eq(atk_retcode(r.a, r.forger), ZX_TASK_RETCODE_POLICY_KILL);
    cr_expect(strstr(r.forger_out, "session token"), "%s", r.forger_out);
    cr_expect_null(strstr(r.forger_out, "guess"), "it never saw the result of a guess");
    cr_expect_eq(atk_trace_count(r.a, KTR_POLICY, NULL), 1, "one bad handle, one kill");
    cr_expect_eq(atk_end(r.a, r.vault), APP_END_EXITED, "the vault sees it hang up");
    hf_free(&r);
}
