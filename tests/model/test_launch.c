/* test_launch.c — startup handles in the processargs style:
 * zx_take_startup_handle, zx_process_self, zx_thread_self,
 * zx_vmar_root_self, zx_job_default; a process launched with nothing. */
#include <string.h>
#include <zircon/processargs.h>

#include "event.h"
#include "ktest.h"

static void has_standard(uintptr_t a, uintptr_t b)
{
    cr_expect_neq(zx_process_self(), ZX_HANDLE_INVALID);
    cr_expect_neq(zx_thread_self(), ZX_HANDLE_INVALID);
    cr_expect_neq(zx_job_default(), ZX_HANDLE_INVALID);
    zx_handle_t extra = zx_take_startup_handle(PA_HND(PA_USER0, 3));
    cr_expect_neq(extra, ZX_HANDLE_INVALID);
    cr_expect_eq(zx_take_startup_handle(PA_HND(PA_USER0, 3)), ZX_HANDLE_INVALID, "taken once");
    cr_expect_eq(zx_object_signal(extra, 0, ZX_EVENT_SIGNALED), ZX_ERR_ACCESS_DENIED,
                 "extra handle came with only WAIT");
    cr_expect_eq(zx_object_wait_one(extra, ZX_EVENT_SIGNALED, 0, NULL), ZX_ERR_TIMED_OUT);
}

Test(launch, standard_and_extra_handles)
{
    KTest *t = ktest_new(1, 1);
    KObject *ev;
    cr_assert_eq(event_create(t->kernel, &ev), ZX_OK);
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = "std";
    spec.entry = has_standard;
    spec.give = LAUNCH_GIVE_STANDARD;
    spec.extra[0] = (LaunchHandle){PA_HND(PA_USER0, 3), ev, ZX_RIGHT_WAIT};
    spec.nextra = 1;
    KProcess *p = ktest_spawn_spec(t, &spec);
    uint32_t expected = 4u + (p->root_vmar ? 1u : 0u); /* self, thread, job, extra, vmar */
    cr_assert_eq(p->handles.count, expected);
    kobject_unref(ev);
    ktest_run(t);
    ktest_free(t);
}

static void has_nothing(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_process_self(), ZX_HANDLE_INVALID);
    cr_expect_eq(zx_job_default(), ZX_HANDLE_INVALID);
    cr_expect_eq(zx_thread_self(), ZX_HANDLE_INVALID);
    zx_handle_t proc, vmar;
    cr_expect_eq(zx_process_create(zx_job_default(), "x", 1, 0, &proc, &vmar), ZX_ERR_BAD_HANDLE);
    zx_handle_t guess;
    for (guess = 3; guess < 4096; guess += 4)
        cr_expect_eq(zx_handle_close(guess), ZX_ERR_BAD_HANDLE);
}

Test(launch, launched_with_nothing)
{
    KTest *t = ktest_new(1, 1);
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = "empty";
    spec.entry = has_nothing;
    KProcess *p = ktest_spawn_spec(t, &spec);
    cr_assert_eq(p->handles.count, 0u);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), 0);
    ktest_free(t);
}
