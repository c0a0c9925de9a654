/* test_clone_all_spawn.c — the viewer component spawning its helper with
 * everything it holds (--clone-all) and with least privilege.
 *
 * Setup as in the scenario: the package viewer (framebuffer +
 * isolated-persistent-storage) installed and launched with the mode and
 * the helper's path; its storage seeded with /data/passwords and the photo
 * the helper is meant to work on (/data/thumbs/photo.txt).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "attack_harness.h"

#define VIEWER_FAR ACTOR_DIR "/viewer.far"
#define HELPER_SO ACTOR_DIR "/helper.so"

typedef struct CaRun {
    Atk *a;
    KProcess *viewer;
    uint64_t helper, payload;
    char *viewer_out, *helper_out;
} CaRun;

static CaRun ca_run(const char *mode)
{
    CaRun r = {.a = atk_new(1, 1, SIM_STRATEGY_FIFO)};
    atk_package(r.a, VIEWER_FAR);
    atk_data_put(r.a, "r/app/viewer/passwords", "viewer account token: 7f3a-c0ffee\n");
    atk_data_put(r.a, "r/app/viewer/thumbs/photo.txt", "a photo of a cat\n");
    const char *argv[] = {"viewer", mode, HELPER_SO, NULL};
    r.viewer = atk_launch(r.a, "viewer", argv);
    atk_run(r.a);
    r.helper = atk_find(r.a, "helper");
    r.payload = atk_find(r.a, "payload");
    r.viewer_out = atk_output(r.a, r.viewer);
    r.helper_out = r.helper ? atk_output_koid(r.a, r.helper) : strdup("");
    return r;
}

static void ca_free(CaRun *r)
{
    free(r->viewer_out);
    free(r->helper_out);
    atk_free(r->a);
}

Test(clone_all_spawn, clone_all_hands_the_helper_the_screen_the_secret_and_the_job)
{
    CaRun r = ca_run("--clone-all");
    cr_assert_neq(r.helper, 0, "no helper: %s", r.viewer_out);
    cr_expect_eq(atk_retcode_koid(r.a, r.helper), 7, "%s", r.helper_out);
    cr_expect(strstr(r.helper_out, "made a thumbnail"), "%s", r.helper_out);
    cr_expect(strstr(r.helper_out, "read /data/passwords: \"viewer account token: 7f3a-c0ffee\""));
    cr_expect(strstr(r.helper_out, "framebuffer: ZX_OK"));
    cr_expect(strstr(r.helper_out, "start a process of my own: ZX_OK"));
    cr_expect(strstr(r.helper_out, "/dev /pkg /svc /work"), "%s", r.helper_out);
    cr_assert_neq(r.payload, 0, "the payload ran");
    cr_expect_eq(atk_end_koid(r.a, r.payload), APP_END_EXITED);
    cr_expect(strstr(r.viewer_out, "the helper exited with 7"), "%s", r.viewer_out);
    ca_free(&r);
}

Test(clone_all_spawn, least_privilege_leaves_the_helper_its_job_and_nothing_more)
{
    CaRun r = ca_run("--least-privilege");
    cr_assert_neq(r.helper, 0, "no helper: %s", r.viewer_out);
    cr_expect_eq(atk_retcode_koid(r.a, r.helper), 0, "%s", r.helper_out);
    cr_expect(strstr(r.helper_out, "made a thumbnail"), "%s", r.helper_out);
    cr_expect(strstr(r.helper_out, "my namespace holds: /pkg /work\n"), "%s", r.helper_out);
    cr_expect(strstr(r.helper_out, "open /data/passwords: No such file or directory"));
    cr_expect(strstr(r.helper_out,
                     "open /dev/class/framebuffer/000: No such file or directory"));
    cr_expect(strstr(r.helper_out, "start a process of my own: ZX_ERR_ACCESS_DENIED"));
    cr_expect_eq(r.payload, 0, "no payload process ever existed");
    cr_expect_gt(atk_trace_count(r.a, KTR_POLICY, NULL), 0, "the job policy said no");
    cr_expect(strstr(r.viewer_out, "the helper exited with 0"), "%s", r.viewer_out);
    ca_free(&r);
}
