/* core_harness.h — the small harness behind tests/core/, our ports of
 * Zircon's core tests (zircon/system/utest/core/).
 *
 * Each upstream case becomes one Criterion test written with CORE_TEST:
 * its body runs as the first thread of a fresh simulated process (one CPU,
 * seed 1), through the zx_* API only. The run must end with every thread
 * finished. Inside the body use non-fatal cr_expect*; a fatal cr_assert*
 * would longjmp across fiber stacks (see tests/model/ktest.h).
 *
 *   CORE_TEST(event_pair, SignalPeer) { zx_handle_t h[2]; ... }
 *
 * The helpers stand in for the C++ wrappers and std::thread of upstream.
 */
#ifndef CAPSIM_TESTS_CORE_HARNESS_H
#define CAPSIM_TESTS_CORE_HARNESS_H

#include <zircon/syscalls/object.h>

#include "ktest.h"

/* Run body as the only thread of a new process; expect a quiescent end.
 * With walk_each_call the kernel walks its whole object graph for
 * invariants after every syscall (the test-build default); without it,
 * once at the end of the run. */
void core_run(const char *name, ThreadEntryFn body, bool walk_each_call);

#define CORE_TEST_WITH(suite, name, walk)                                \
    static void suite##_##name##_body(uintptr_t arg1, uintptr_t arg2);  \
    Test(suite, name) { core_run(#name, suite##_##name##_body, walk); }  \
    static void suite##_##name##_body(uintptr_t arg1, uintptr_t arg2)
#define CORE_TEST(suite, name) CORE_TEST_WITH(suite, name, true)
/* For stress cases that make tens of thousands of objects or calls, where
 * a walk after every call would be quadratic. */
#define CORE_STRESS_TEST(suite, name) CORE_TEST_WITH(suite, name, false)

/* Start fn(arg, 0) on a new thread of the calling process; returns its
 * handle, which core_thread_join waits on and closes. */
zx_handle_t core_thread_start(ThreadEntryFn fn, uintptr_t arg);
void core_thread_join(zx_handle_t thread);
/* Poll (1 ms virtual naps) until thread is in state; its get_info status. */
zx_status_t core_wait_thread_state(zx_handle_t thread, zx_thread_state_t state);

/* The signals h asserts now (0xffffffff if h cannot be waited on). */
zx_signals_t core_signals(zx_handle_t h);
/* Whether h names a handle in the calling process. */
bool core_handle_valid(zx_handle_t h);
zx_info_handle_basic_t core_basic_info(zx_handle_t h);
/* Two endpoints of one peered object: nonzero koids, each the other's
 * related_koid. */
void core_expect_peers(zx_handle_t a, zx_handle_t b);
/* A new event (expects success). */
zx_handle_t core_event(void);
/* A new channel whose other end is served by a thread that reads one
 * message and writes it back; returns that thread for core_thread_join. */
zx_handle_t core_echo_start(zx_handle_t *client);

#endif
