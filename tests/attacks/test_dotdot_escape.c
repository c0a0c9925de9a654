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

#include "attack_harness.h"

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
