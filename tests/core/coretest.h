/* coretest.h — harness shared by the ports of Zircon's core tests
 * (tests/core/<upstream-dir>.c). Builds on tests/model/ktest.h.
 *
 * core_run(fn) runs fn in a fresh simulated process (standard startup
 * handles, in a child job of the root job) and expects it to exit with 0.
 * The kernel's debugging syscalls are on, as in the boot Zircon's core
 * tests run under (kernel.enable-debugging-syscalls=true), and the process
 * holds the root resource, which core_root_resource() returns (upstream's
 * get_root_resource()).
 *
 * probe_for_read / probe_for_write answer whether a load or store at an
 * address would fault, without killing the caller: the access runs on a
 * helper thread of the same process whose thread exception channel we
 * hold; a fault there is answered with ZX_EXCEPTION_STATE_THREAD_EXIT.
 *
 * Inside simulated threads use cr_expect*, never cr_assert* (see ktest.h).
 */
#ifndef CAPSIM_TESTS_CORE_CORETEST_H
#define CAPSIM_TESTS_CORE_CORETEST_H

#include <stdbool.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>

#include "ktest.h"

#define CORE_PAGE ((size_t)4096)

void core_run(ThreadEntryFn fn);
/* core_run, with fn's first argument set to `arg`. */
void core_run_arg(ThreadEntryFn fn, uintptr_t arg);
zx_handle_t core_root_resource(void);

bool probe_for_read(const void *addr);
bool probe_for_write(void *addr);

/* Start fn(a, b) on a new thread of the calling process; returns the
 * thread handle. core_thread_join waits for it to end and closes it. */
zx_handle_t core_thread_start(ThreadEntryFn fn, uintptr_t a, uintptr_t b);
void core_thread_join(zx_handle_t thread);

/* A new VMO of `size` bytes / a second, unstarted process in the default
 * job with its root VMAR (expectations fail if the calls do). */
zx_handle_t core_vmo(uint64_t size, uint32_t options);
void core_process(zx_handle_t *proc, zx_handle_t *vmar);
/* Create a process named `name` in the default job with one thread named
 * `thread_name`, and start it at fn with a handle to the process itself
 * as fn's second argument. */
void core_start_with_self(const char *name, const char *thread_name, ThreadEntryFn fn,
                          zx_handle_t *proc, zx_handle_t *vmar, zx_handle_t *thread);
/* Bit i of `bitmap` says whether page i from `base` must be readable
 * through zx_process_read_memory; true if every page matches. */
bool core_pages_mapped(zx_handle_t proc, uintptr_t base, uint64_t bitmap, size_t pages);
/* Close n handles, expecting each close to succeed. */
void core_close(const zx_handle_t *h, size_t n);
#define CORE_CLOSE(...)                                                         \
    core_close((zx_handle_t[]){__VA_ARGS__},                                   \
               sizeof((zx_handle_t[]){__VA_ARGS__}) / sizeof(zx_handle_t))

/* Upstream's start_mini_process, minus its command channel: a process in
 * `job` whose one thread blocks until the process is killed. The status
 * is the first failing call's (ZX_ERR_BAD_STATE in a dying job). */
zx_status_t core_start_blocked(zx_handle_t job, zx_handle_t *proc, zx_handle_t *thread);
/* Start an extra thread of `proc` that blocks too. */
zx_status_t core_start_blocked_thread(zx_handle_t thread);

/* Rights of a handle, from ZX_INFO_HANDLE_BASIC (0 and a failed expectation
 * if the query fails). */
zx_rights_t core_handle_rights(zx_handle_t h);
/* Koid of a handle's object. */
zx_koid_t core_koid(zx_handle_t h);

#endif
