/* test_handle_exhaustion.c — the handle_exhaustion scenario and capsim's
 * per-job handle quota (model/job_limits.c).
 *
 * Scenario (real actors, arena lowered to 4096 handles): vulnerable — the
 * hog fills the arena and the bystander's four calls fail with
 * ZX_ERR_NO_MEMORY in its 1 ms rounds for about the hog's 20 ms hold, then
 * work again; policy — a job denying new objects stops a hog that creates
 * events but not one that duplicates a handle; mitigated — a quota of 1000
 * on the hog's job stops it there and the bystander never notices. Quota
 * rules (C functions on simulated threads): the count covers the job's
 * whole subtree (new child jobs inherit it), every way a handle enters a
 * table is refused past it, startup handles count, and lifting a quota
 * lifts it below too. Host API: capsim_set_handle_limit,
 * capsim_process_job, capsim_job_set_handle_quota, capsim_job_handles and
 * their errors.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "attack_harness.h"
#include "capsim_host.h"
#include "capsim_script.h"
#include "job.h"
#include "job_limits.h"
#include "launch.h"
#include "process.h"

#define APP ACTOR_DIR "/handle_exhaustion.so"
#define ARENA 4096u

typedef struct HeRun {
    Atk *a;
    KProcess *hog, *bystander;
    char *hog_out, *by_out;
} HeRun;

static HeRun he_run(const char *method, const zx_policy_basic_v2_t *pol, size_t npol,
                    uint64_t quota)
{
    HeRun r;
    r.a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    r.a->kernel->handle_limit = ARENA;
    const char *bargv[] = {"bystander", NULL}, *hargv[] = {"hog", method, NULL};
    r.bystander = atk_spawn(r.a, atk_job(r.a, "bystander", NULL, 0), APP, "bystander", bargv,
                            NULL, NULL, 0);
    KJob *hj = atk_job(r.a, "hog", pol, npol);
    if (quota)
        cr_assert_eq(job_limits_set_handle_quota(hj, quota), ZX_OK);
    r.hog = atk_spawn(r.a, hj, APP, "hog", hargv, NULL, NULL, 0);
    cr_assert_eq(atk_run(r.a), SIM_RUN_QUIESCENT);
    r.hog_out = atk_output(r.a, r.hog);
    r.by_out = atk_output(r.a, r.bystander);
    cr_expect_eq(atk_retcode(r.a, r.hog), 0, "%s", r.hog_out);
    cr_expect(strstr(r.by_out, "of 40 rounds had a failing call"), "%s", r.by_out);
    return r;
}

static void he_free(HeRun *r)
{
    free(r->hog_out);
    free(r->by_out);
    atk_free(r->a);
}

/* The number the hog printed after "made ". */
static unsigned he_made(const char *out)
{
    const char *p = strstr(out, "made ");
    cr_assert_not_null(p, "%s", out);
    return (unsigned)strtoul(p + 5, NULL, 10);
}

/* The bystander's calls failed while the hog held the arena (about the
 * hog's 20 ms hold, in 1 ms rounds), and worked again after. */
static void he_expect_hurt(HeRun *r)
{
    int64_t failed = atk_retcode(r->a, r->bystander);
    cr_expect(failed >= 15 && failed <= 25, "%lld rounds failed: %s", (long long)failed,
              r->by_out);
    cr_expect(strstr(r->by_out, ": ZX_ERR_NO_MEMORY"), "%s", r->by_out);
    cr_expect(strstr(r->by_out, "my calls work again"), "%s", r->by_out);
}

static const zx_policy_basic_v2_t he_deny_new = {ZX_POL_NEW_ANY, ZX_POL_ACTION_DENY,
                                                 ZX_POL_OVERRIDE_DENY};

Test(handle_exhaustion, vulnerable_arena_full_for_everyone)
{
    HeRun r = he_run("--method=create", NULL, 0, 0);
    cr_expect(strstr(r.hog_out, "by creating events, then ZX_ERR_NO_MEMORY"), "%s", r.hog_out);
    cr_expect_gt(he_made(r.hog_out), ARENA - 32, "%s", r.hog_out);
    he_expect_hurt(&r);
    cr_expect_eq(atk_trace_count(r.a, KTR_NOTE, "job handle quota reached"), 0);
    he_free(&r);
}

Test(handle_exhaustion, policy_stops_creating_not_duplicating)
{
    HeRun r = he_run("--method=create", &he_deny_new, 1, 0);
    cr_expect(strstr(r.hog_out, "made 0 handles by creating events, then ZX_ERR_ACCESS_DENIED"),
              "%s", r.hog_out);
    cr_expect_eq(atk_retcode(r.a, r.bystander), 0, "%s", r.by_out);
    he_free(&r);
    r = he_run("--method=duplicate", &he_deny_new, 1, 0);
    cr_expect(strstr(r.hog_out, "by duplicating my process handle, then ZX_ERR_NO_MEMORY"),
              "%s", r.hog_out);
    he_expect_hurt(&r);
    he_free(&r);
}

Test(handle_exhaustion, mitigated_quota_contains_the_hog)
{
    const char *methods[] = {"--method=create", "--method=duplicate"};
    for (int i = 0; i < 2; i++) {
        HeRun r = he_run(methods[i], NULL, 0, 1000);
        /* The hog's 4 startup handles count against its quota too. */
        cr_expect_eq(he_made(r.hog_out), 996, "%s", r.hog_out);
        cr_expect(strstr(r.hog_out, "then ZX_ERR_NO_MEMORY"), "%s", r.hog_out);
        cr_expect_eq(atk_retcode(r.a, r.bystander), 0, "%s", r.by_out);
        cr_expect_eq(atk_trace_count(r.a, KTR_NOTE, "job handle quota reached"), 1);
        he_free(&r);
    }
}

/* ---- The quota's rules, with C functions on simulated threads ------------- */

static void he_rules_body(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    /* 4 startup handles + 2 events = the quota of 6 (set by the test). */
    zx_handle_t e1, e2, e3, c0, c1;
    cr_expect_eq(zx_event_create(0, &e1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &e2), ZX_OK);
    cr_expect_eq(zx_event_create(0, &e3), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_handle_duplicate(e1, ZX_RIGHT_SAME_RIGHTS, &e3), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_ERR_NO_MEMORY, "both ends or neither");
    /* Replace makes the new handle before dropping the source: refused at
     * the quota, and (as in Zircon) the source is consumed anyway. */
    cr_expect_eq(zx_handle_replace(e2, ZX_RIGHT_SAME_RIGHTS, &e3), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_handle_close(e2), ZX_ERR_BAD_HANDLE, "replace consumed it");
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_ERR_NO_MEMORY,
                 "one slot free, a channel needs two: neither end is left");
    cr_expect_eq(zx_event_create(0, &e2), ZX_OK, "the one free slot");
    cr_expect_eq(zx_event_create(0, &e3), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_handle_close(e1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &e3), ZX_OK, "room again after a close");
    zx_process_exit(0);
}

/* A child process in a child job counts against the parent job's quota. */
static void he_subtree_body(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    zx_handle_t job, proc, vmar, ev;
    cr_expect_eq(zx_job_create(zx_job_default(), 0, &job), ZX_OK);
    cr_expect_eq(zx_process_create(job, "child", 5, 0, &proc, &vmar), ZX_OK);
    /* 4 startup + job + proc + vmar = 7 = the quota: full. */
    cr_expect_eq(zx_event_create(0, &ev), ZX_ERR_NO_MEMORY);
    zx_process_exit(0);
}

static void he_launch_fn(ThreadEntryFn fn, uint64_t quota, uint64_t held_after)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    KJob *j = atk_job(a, "quota", NULL, 0);
    cr_assert_eq(job_limits_set_handle_quota(j, quota), ZX_OK);
    cr_expect_eq(job_limits_handle_quota(j), quota);
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = "p";
    spec.entry = fn;
    spec.give = LAUNCH_GIVE_STANDARD;
    KProcess *p = NULL;
    cr_assert_eq(launch_process(a->kernel, j, &spec, &p), ZX_OK);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    cr_expect_eq(p->return_code, 0);
    cr_expect_eq(job_limits_handles_held(j), held_after);
    kobject_unref(&p->base);
    atk_free(a);
}

Test(handle_exhaustion, quota_rules)
{
    he_launch_fn(he_rules_body, 6, 0);
    he_launch_fn(he_subtree_body, 7, 0);
}

/* No quota anywhere above: a few events more than any quota above held. */
static void he_unlimited_body(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    for (int i = 0; i < 10; i++) {
        zx_handle_t e;
        cr_expect_eq(zx_event_create(0, &e), ZX_OK);
    }
    zx_process_exit(0);
}

Test(handle_exhaustion, quota_below_count_and_startup)
{
    Atk *a = atk_new(1, 1, SIM_STRATEGY_FIFO);
    KJob *j = atk_job(a, "quota", NULL, 0);
    cr_assert_eq(job_limits_set_handle_quota(j, 2), ZX_OK);
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = "p";
    spec.entry = he_rules_body;
    spec.give = LAUNCH_GIVE_STANDARD;
    KProcess *p = NULL;
    cr_expect_eq(launch_process(a->kernel, j, &spec, &p), ZX_ERR_NO_MEMORY,
                 "startup handles count: 4 do not fit in a quota of 2");
    cr_expect_eq(job_limits_handles_held(j), 0, "nothing left behind");
    /* Lifting the quota lifts it for the jobs below too. */
    KJob *child;
    cr_assert_eq(job_create(j, &child), ZX_OK);
    cr_expect(child->quota_chain, "a new job inherits its parent's quota chain");
    cr_assert_eq(job_limits_set_handle_quota(j, 0), ZX_OK);
    cr_expect(!child->quota_chain && !j->quota_chain);
    spec.entry = he_unlimited_body;
    cr_expect_eq(launch_process(a->kernel, child, &spec, &p), ZX_OK);
    cr_assert_eq(atk_run(a), SIM_RUN_QUIESCENT);
    kobject_unref(&p->base);
    kobject_unref(&child->base);
    atk_free(a);
}

/* ---- Host API --------------------------------------------------------------- */

Test(handle_exhaustion, host_api)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    CapsimSystem *sys = capsim_system_new(&cfg);
    cr_assert_not_null(sys);
    cr_expect_eq(capsim_set_handle_limit(sys, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect(strstr(capsim_last_error(sys), "must be 1.."), "%s", capsim_last_error(sys));
    cr_expect_eq(capsim_set_handle_limit(sys, ARENA), ZX_OK);
    cr_expect_eq(capsim_handle_limit(sys), ARENA);
    const char *bargv[] = {"bystander"}, *hargv[] = {"hog", "--method=duplicate"};
    uint64_t by = capsim_spawn_app(sys, APP, 1, bargv, "bystander");
    uint64_t hog = capsim_spawn_app(sys, APP, 2, hargv, "hog");
    cr_assert(by && hog, "%s", capsim_last_error(sys));
    uint64_t job = capsim_process_job(sys, hog);
    cr_assert_neq(job, 0);
    cr_expect_eq(capsim_set_handle_limit(sys, 2), ZX_ERR_BAD_STATE, "handles exist already");
    cr_expect_eq(capsim_job_set_handle_quota(sys, 999999, 5), ZX_ERR_NOT_FOUND);
    cr_expect(strstr(capsim_last_error(sys), "no live job with koid 999999"), "%s",
              capsim_last_error(sys));
    cr_expect_eq(capsim_job_set_handle_quota(sys, hog, 5), ZX_ERR_NOT_FOUND, "a process");
    cr_expect_eq(capsim_job_set_handle_quota(sys, job, 500), ZX_OK);
    cr_expect_eq(capsim_job_handles(sys, job), 4, "the hog's startup handles");
    cr_expect_eq(capsim_run_until(sys, 15000000), CAPSIM_RUN_TIME_LIMIT);
    cr_expect_eq(capsim_job_handles(sys, job), 500, "stopped at its quota");
    cr_expect_lt(capsim_handle_count(sys), ARENA);
    cr_expect_eq(capsim_run(sys), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_return_code(sys, by), 0, "the bystander never noticed");
    capsim_system_free(sys);
}
