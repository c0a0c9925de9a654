/* test_thread_stacks.c — an app's thread stacks (app_thread_stacks.c;
 * model/thread_stack.c, model/app/libc_pthread.c).
 *
 * The app's output is compared whole: the first thread's stack is the
 * launcher's "initial-thread" VMO at the top of the address space with a
 * guard page below, a pthread's stack is a "pthread_t:0x..." VMO named
 * after its record, which sits in the page above the stack; a pthread
 * attribute's stack and guard sizes are honoured; blocks go with a join
 * and with a detached thread's end; a blocked thread's local is read
 * through the process handle. Two runs give the same output and hash. An
 * endless recursion on a small pthread stack ends its process with a stack
 * overflow while another process runs on; so does one on a thread started
 * with stack 0, whose block ("thread-stack:<koid>") goes when it ends. A deadlock on a mutex that is a
 * local is reported with the stack that holds it. A joined thread's place
 * is the next one's; 500 threads live at once with a soft limit of 64
 * descriptors.
 *
 * AddressSanitizer builds cannot run apps' pthreads (libc_pthread.c):
 * skipped there. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "app_run.h"
#include "sim.h"

#define APP APPS_DIR "/app_thread_stacks.so"

static const char expected[] =
    "main thread: mapped 1, named initial-thread, 256 KiB, guard 4 KiB, at the top 1\n"
    "its offset: 0x3fec0000\n"
    "default thread: mapped 1, named after its pthread_t 1, the thread too 1, stack 256 KiB, guard 4 KiB, "
    "record above the stack 1\n"
    "blocks left after the join: 0\n"
    "the next thread took its place: 1\n"
    "64 KiB thread: mapped 1, named after its pthread_t 1, the thread too 1, stack 64 KiB, guard 16 KiB, "
    "record above the stack 1\n"
    "no guard: mapped 1, named after its pthread_t 1, the thread too 1, stack 64 KiB, guard 0 KiB, "
    "record above the stack 1\n"
    "a stack from the attribute: ENOTSUP\n"
    "a C11 thread's stack is named thrd_t: 1\n"
    "a thread started with stack 0: mapped 1, named after its koid 1, 256 KiB, guard 4 KiB; "
    "blocks left after it ended: 0\n"
    "a blocked thread's local: in pthread_t:, read 0: on the stack\n"
    "blocks left after a detached thread ended: 0\n";

static AppRun stack_run(const char *mode)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("apps cannot make pthreads in AddressSanitizer builds");
#endif
    return app_run_beside_counter(APP, mode);
}

Test(thread_stacks, live_in_the_address_space_the_same_every_run)
{
    app_run_expect_the_same_twice(stack_run, expected);
}

Test(thread_stacks, an_overflow_into_the_guard_is_the_threads_stack_overflow)
{
    AppRun r = stack_run("overflow");
    cr_expect_eq(r.end, CAPSIM_END_EXCEPTION, "ended %s", capsim_end_name(r.end));
    cr_expect_eq(r.info.fault_kind, SIM_FAULT_STACK_OVERFLOW, "fault %d", r.info.fault_kind);
    cr_expect_str_eq(r.out, "", "the overflow went unnoticed");
    cr_expect_eq(r.other_end, CAPSIM_END_EXITED);
    app_run_free(&r);
}

Test(thread_stacks, an_overflow_of_a_stack_0_threads_block_is_its_stack_overflow)
{
    AppRun r = app_run_beside_counter(APP, "overflow0");
    cr_expect_eq(r.end, CAPSIM_END_EXCEPTION, "ended %s", capsim_end_name(r.end));
    cr_expect_eq(r.info.fault_kind, SIM_FAULT_STACK_OVERFLOW, "fault %d", r.info.fault_kind);
    cr_expect_str_eq(r.out, "", "the overflow went unnoticed");
    cr_expect_eq(r.other_end, CAPSIM_END_EXITED);
    app_run_free(&r);
}

/* A futex word on a thread's stack is named by the stack in the report,
 * the same every run (address_name.c). */
Test(thread_stacks, a_word_on_a_stack_is_named_by_its_thread_in_the_report)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    const char *argv[] = {APP, "deadlock", NULL};
    cr_assert(capsim_spawn_app(s, APP, 2, argv, NULL), "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_DEADLOCK);
    char report[512];
    capsim_blocked_report(s, report, sizeof report);
    cr_expect(strstr(report, "the stack of thread ") != NULL, "%s", report);
    cr_expect(strstr(report, "\"app_thread_stacks\", ") != NULL, "%s", report);
    cr_expect(strstr(report, " bytes below its top") != NULL, "%s", report);
    capsim_system_free(s);
}

/* Every stack is a VMO with a host descriptor behind it: a shell's soft
 * limit (often 1024, here 64) must not cap the threads of a run. */
Test(thread_stacks, more_threads_than_the_soft_descriptor_limit)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("apps cannot make pthreads in AddressSanitizer builds");
#endif
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max < 1024)
        cr_skip_test("the hard limit on descriptors is %lu", (unsigned long)rl.rlim_max);
    rl.rlim_cur = 64;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    const char *argv[] = {APP, "many", "500", NULL};
    uint64_t p = capsim_spawn_app(s, APP, 3, argv, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = app_run_output(s, p, 1);
    cr_expect_str_eq(out, "made 500 threads\n");
    free(out);
    capsim_system_free(s);
}
