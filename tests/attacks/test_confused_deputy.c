/* test_confused_deputy.c — the tenants session, its logging service and
 * alice, with the path protocol (the deputy is confused) and the handle
 * protocol (it is not).
 *
 * Setup as in the scenario: the package tenants (persistent-storage)
 * installed and launched with the protocol and the two actors' paths;
 * /data seeded with bob's notes and alice's log.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "attack_harness.h"

#define TENANTS_FAR ACTOR_DIR "/tenants.far"

typedef struct CdRun {
    Atk *a;
    KProcess *session;
    uint64_t logger, alice;
    char *session_out, *logger_out, *alice_out;
} CdRun;

static CdRun cd_run(const char *mode)
{
    CdRun r = {.a = atk_new(1, 1, SIM_STRATEGY_FIFO)};
    atk_package(r.a, TENANTS_FAR);
    atk_data_put(r.a, "tenants/bob/notes.txt", "bob: remember the milk\n");
    atk_data_put(r.a, "tenants/alice/app.log", "alice: first boot\n");
    const char *argv[] = {"tenants", mode, ACTOR_DIR "/logger.so", ACTOR_DIR "/tenant.so",
                          NULL};
    r.session = atk_launch(r.a, "tenants", argv);
    atk_run(r.a);
    r.logger = atk_find(r.a, "logger");
    r.alice = atk_find(r.a, "alice");
    cr_assert(r.logger && r.alice, "the session did not start both");
    r.session_out = atk_output(r.a, r.session);
    r.logger_out = atk_output_koid(r.a, r.logger);
    r.alice_out = atk_output_koid(r.a, r.alice);
    return r;
}

static void cd_free(CdRun *r)
{
    free(r->session_out);
    free(r->logger_out);
    free(r->alice_out);
    atk_free(r->a);
}

Test(confused_deputy, by_path_the_logger_writes_bobs_notes_for_alice)
{
    CdRun r = cd_run("--by-path");
    cr_expect_eq(atk_retcode_koid(r.a, r.alice), 1, "%s", r.alice_out);
    cr_expect(strstr(r.alice_out, "ask the logger to append to tenants/bob/notes.txt -> ZX_OK"));
    cr_expect(strstr(r.alice_out, "openat(my dir, \"../bob/notes.txt\"): Invalid argument"));
    cr_expect(strstr(r.logger_out,
                     "appended 15 bytes to /data/tenants/bob/notes.txt, with MY authority"),
              "%s", r.logger_out);
    cr_expect(strstr(r.session_out,
                     "bob's notes now read: \"bob: remember the milk|alice was here|\""),
              "%s", r.session_out);
    cr_expect_eq(atk_retcode_koid(r.a, r.logger), 2, "served both requests");
    cd_free(&r);
}

Test(confused_deputy, by_handle_alice_has_nothing_to_designate_bobs_file_with)
{
    CdRun r = cd_run("--by-handle");
    cr_expect_eq(atk_retcode_koid(r.a, r.alice), 0, "%s", r.alice_out);
    cr_expect(strstr(r.alice_out, "log my own line through my file -> ZX_OK"), "%s",
              r.alice_out);
    cr_expect(strstr(r.alice_out, "openat(my dir, \"../bob/notes.txt\"): Invalid argument"));
    cr_expect(strstr(r.alice_out, "by name -> ZX_ERR_NOT_SUPPORTED"));
    cr_expect(strstr(r.logger_out, "refused a request of kind 1"), "%s", r.logger_out);
    cr_expect(strstr(r.session_out, "bob's notes now read: \"bob: remember the milk|\""),
              "%s", r.session_out);
    cr_expect_eq(atk_retcode_koid(r.a, r.logger), 1, "served alice's own line only");
    cd_free(&r);
}
