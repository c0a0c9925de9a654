/* test_sandbox_overgrant.c — the sandbox_overgrant package on the component
 * system, under grant-all (the over-grant) and under an allowlist that does
 * not list the feature "shell" (the refusal).
 *
 * Setup as in the scenario: photoframe.far installed (meta/sandbox: dev
 * class/framebuffer + class/input, features shell, persistent-storage,
 * hub); another tenant's secret seeded at /data/r/app/wallet/keys. The
 * harness's own component system is grant-all; the allowlist variant
 * builds its own with cm_new and a policy from sandbox_policy_load_bytes.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "attack_harness.h"

#define PHOTOFRAME_FAR ACTOR_DIR "/photoframe.far"
#define WALLET_KEYS "wallet keys: 5eed-ca11-ab1e"

static const char og_allowlist[] =
    "{\"packages\": {\"photoframe\": {"
    "\"dev\": [\"class/framebuffer\", \"class/input\"],"
    "\"features\": [\"isolated-persistent-storage\", \"hub\"]}}}";

/* The namespace entry `path` of c, and which request put it there (NULL). */
static const char *og_ns_why(const CmComponent *c, const char *path)
{
    for (size_t i = 0; i < cm_component_ns_count(c); i++)
        if (!strcmp(cm_component_ns_path(c, i), path))
            return cm_component_ns_why(c, i);
    return NULL;
}

Test(sandbox_overgrant, grant_all_gives_dev_data_boot_and_the_hub)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    atk_package(a, PHOTOFRAME_FAR);
    atk_data_put(a, "r/app/wallet/keys", WALLET_KEYS "\n");
    KProcess *p = atk_launch(a, "photoframe", NULL);
    CmSystem *cm = atk_components(a);
    const CmComponent *c = cm_component_at(cm, cm_component_count(cm) - 1);
    const char *paths[] = {"/boot", "/data", "/dev", "/hub", "/pkgfs", "/system", "/tmp"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        cr_expect_str_eq(og_ns_why(c, paths[i]) ? og_ns_why(c, paths[i]) : "(none)",
                         "features:shell", "%s", paths[i]);
    atk_run(a);
    char *out = atk_output(a, p);
    cr_expect_eq(atk_end(a, p), APP_END_EXITED, "%s", out);
    cr_expect_eq(atk_retcode(a, p), 1, "%s", out);
    cr_expect(strstr(out, "ls /dev/class: framebuffer input"), "%s", out);
    cr_expect(strstr(out, "ls /boot: config"), "%s", out);
    cr_expect(strstr(out, "ls /data: r"), "%s", out);
    cr_expect(strstr(out, "ls /hub: "), "%s", out);
    cr_expect(strstr(out, "\"" WALLET_KEYS "\" (ANOTHER TENANT'S SECRET)"), "%s", out);
    cr_expect_gt(atk_trace_count(a, KTR_NOTE, "ns_entry photoframe /dev"), 0);
    cr_expect_eq(atk_trace_count(a, KTR_NOTE, "component_refused"), 0);
    free(out);
    atk_free(a);
}

Test(sandbox_overgrant, an_allowlist_without_shell_refuses_the_launch)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    char *err = NULL;
    SandboxPolicy *pol = sandbox_policy_load_bytes("overgrant.json", og_allowlist,
                                                   strlen(og_allowlist), &err);
    cr_assert_not_null(pol, "%s", err);
    CmConfig cfg = {.policy = pol};
    CmSystem *cm = cm_new(a->kernel, &cfg, &err);
    cr_assert_not_null(cm, "%s", err);
    char *name = cm_add_package_file(cm, PHOTOFRAME_FAR, &err);
    cr_assert_not_null(name, "%s", err);
    free(name);
    cr_assert(cm_data_put(cm, "r/app/wallet/keys", WALLET_KEYS "\n",
                          strlen(WALLET_KEYS) + 1, &err), "%s", err);
    size_t before = atk_trace_count(a, KTR_HANDLE_ADD, NULL);
    const char *argv[] = {"photoframe", NULL};
    err = NULL;
    CmComponent *got = cm_launch(cm, NULL, "photoframe", 1, argv, &err);
    cr_expect_null(got);
    cr_assert_not_null(err);
    cr_expect_str_eq(err, "package 'photoframe': sandbox request features:shell is not in "
                          "the allowlist overgrant.json");
    const CmComponent *c = cm_component_at(cm, cm_component_count(cm) - 1);
    cr_expect_str_eq(cm_component_refusal(c), err);
    cr_expect_null(cm_component_process(c));
    cr_expect_null(cm_component_job(c));
    cr_expect_eq(cm_component_ns_count(c), 0);
    cr_expect_eq(atk_trace_count(a, KTR_NOTE, "component_refused photoframe"), 1);
    cr_expect_eq(atk_trace_count(a, KTR_NOTE, "ns_entry photoframe"), 0);
    cr_expect_eq(atk_trace_count(a, KTR_HANDLE_ADD, NULL), before, "handles were made for it");
    atk_run(a);
    cr_expect_eq(atk_find(a, "photoframe"), 0);
    free(err);
    cm_shutdown(cm);
    sim_run(a->engine);
    cm_free(cm);
    atk_free(a);
    sandbox_policy_free(pol);
}
