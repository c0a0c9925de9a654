/* test_event.c — event_create, eventpair_create, object_signal,
 * object_signal_peer: errors, allowed bits, peer closing. */
#include "ktest.h"

static void event_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev, ro;
    cr_expect_eq(zx_event_create(1, &ev), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_event_create(0, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_3), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, 0, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_3);
    cr_expect_eq(zx_object_signal(ev, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, 0, &seen), ZX_ERR_TIMED_OUT);
    cr_expect_eq(seen, ZX_USER_SIGNAL_3);
    /* kernel-owned bits cannot be set by users */
    cr_expect_eq(zx_object_signal(ev, 0, ZX_CHANNEL_READABLE), ZX_ERR_INVALID_ARGS);
    /* events lack SIGNAL_PEER: the rights check comes first */
    cr_expect_eq(zx_object_signal_peer(ev, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_WAIT, &ro), ZX_OK);
    cr_expect_eq(zx_object_signal(ro, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_object_signal(ZX_HANDLE_INVALID, 0, 0), ZX_ERR_BAD_HANDLE);
}

Test(event, create_and_signal)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "event", event_cases, 0);
    ktest_run(t);
    ktest_free(t);
}

static void pair_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t e0, e1;
    cr_expect_eq(zx_eventpair_create(2, &e0, &e1), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_eventpair_create(0, &e0, &e1), ZX_OK);
    cr_expect_eq(zx_object_signal_peer(e0, 0, ZX_EVENTPAIR_SIGNALED), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(e1, ZX_EVENTPAIR_SIGNALED, 0, &seen), ZX_OK);
    cr_expect_eq(zx_object_wait_one(e0, ZX_EVENTPAIR_SIGNALED, 0, &seen), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_signal_peer(e0, 0, ZX_EVENTPAIR_PEER_CLOSED), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_close(e1), ZX_OK);
    cr_expect_eq(zx_object_wait_one(e0, ZX_EVENTPAIR_PEER_CLOSED, 0, &seen), ZX_OK);
    cr_expect_eq(zx_object_signal_peer(e0, 0, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
}

Test(event, eventpair)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "pair", pair_cases, 0);
    ktest_run(t);
    ktest_free(t);
}

static void denied_event(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_ERR_ACCESS_DENIED);
}

Test(event, policy_denies_creation)
{
    KTest *t = ktest_new(1, 1);
    zx_policy_basic_v2_t deny = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    cr_assert_eq(policy_apply_basic(&t->job->policy, ZX_JOB_POL_ABSOLUTE, &deny, 1), ZX_OK);
    ktest_spawn(t, "denied", denied_event, 0);
    ktest_run(t);
    ktest_free(t);
}

static void killed_event(uintptr_t a, uintptr_t b)
{
    zx_handle_t ev;
    zx_event_create(0, &ev);
    cr_expect_fail("a KILL policy must not return to the caller");
}

Test(event, policy_kill)
{
    KTest *t = ktest_new(1, 1);
    zx_policy_basic_v2_t kill = {ZX_POL_NEW_EVENT, ZX_POL_ACTION_KILL, ZX_POL_OVERRIDE_DENY};
    cr_assert_eq(policy_apply_basic(&t->job->policy, ZX_JOB_POL_ABSOLUTE, &kill, 1), ZX_OK);
    KProcess *p = ktest_spawn(t, "killed", killed_event, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), ZX_TASK_RETCODE_POLICY_KILL);
    ktest_free(t);
}
