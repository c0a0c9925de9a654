/* ktest.h — harness for kernel tests written as real C code running on
 * simulated threads through the zx_* API.
 *
 * A test builds a system (engine + kernel), launches one or more processes
 * whose first thread runs a C function, runs the simulation to the end, and
 * then asserts on what happened. Inside simulated threads use Criterion's
 * non-fatal cr_expect*; fatal cr_assert* would longjmp across fiber stacks.
 *
 *   static void body(uintptr_t a, uintptr_t b) { zx_handle_t e; ... cr_expect_eq(...); }
 *   Test(event, create) { KTest *t = ktest_new(1, 1); ktest_spawn(t, "p", body, 0);
 *                         ktest_run(t); ktest_free(t); }
 */
#ifndef CAPSIM_TESTS_KTEST_H
#define CAPSIM_TESTS_KTEST_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "job.h"
#include "kernel.h"
#include "launch.h"
#include "process.h"
#include "sim.h"

typedef struct KTest {
    SimEngine *engine;
    Kernel *kernel;
    KJob *job;            /* a child of the root job that tests launch into */
    SimRunResult result;
    KProcess **spawned;   /* references ktest_free drops */
    size_t nspawned;
} KTest;

KTest *ktest_new(uint64_t seed, int cpus);
/* Launch a process with the standard startup handles running fn(a, 0).
 * The process stays referenced until ktest_free (tests read it after the
 * run); do not unref it yourself. */
KProcess *ktest_spawn(KTest *t, const char *name, ThreadEntryFn fn, uintptr_t a);
/* Launch with a caller-built spec (spec->entry etc. set by the caller);
 * the same ownership. */
KProcess *ktest_spawn_spec(KTest *t, LaunchSpec *spec);
SimRunResult ktest_run(KTest *t);
void ktest_free(KTest *t);
/* Store to an unmapped low address, hidden from the compiler's bounds
 * analysis: the calling simulated thread takes a page fault. */
static inline void ktest_bad_store(uintptr_t address)
{
    volatile uintptr_t laundered = address;
    *(volatile int *)laundered = 1;
}

/* Return code of a dead process (asserts it is dead). */
int64_t ktest_retcode(KProcess *p);

#endif
