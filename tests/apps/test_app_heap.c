/* test_app_heap.c — an app's malloc heap (app_heap.c; model/app/app_heap.c,
 * model/app/libc_malloc.c).
 *
 * The app's output is compared whole: blocks at fixed offsets of its root
 * VMAR, in VMOs named as Fuchsia's allocator names them, readable through
 * its process handle, Fuchsia's answers to the family's edge cases. Two
 * runs give the same output and trace hash (with libc's heap, a printed
 * pointer changed both from run to run). Each misuse ends only the
 * misusing process, with the heap's report on its stderr, while another
 * process of the same system runs to its end; an overflow far past a
 * block leaves the allocator unharmed (with libc's heap the same app
 * crashed the simulator).
 *
 * AddressSanitizer builds load apps without RTLD_DEEPBIND (ASan refuses
 * it), so ASan's malloc, first in the global scope, is every app's there:
 * these tests are skipped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_run.h"

#define APP_HEAP APPS_DIR "/app_heap.so"

static const char expected[] =
    "blocks in the root vmar: 1\n"
    "a at 0, b at 0x20, c at 0x10000\n"
    "mapped as scudo:primary\n"
    "usable size of 24: 32\n"
    "freed block given again: 1\n"
    "zx_process_read_memory of a block: 0\n"
    "read back: a secret in the heap (21 bytes)\n"
    "large block at 0x100000, mapped as scudo:secondary\n"
    "usable size of 100000: 102400\n"
    "large block unmapped by free: 1\n"
    "calloc zeroed (reused memory too): 1\n"
    "calloc overflowing: NULL ENOMEM\n"
    "realloc keeps the bytes: 1\n"
    "realloc to 0 frees: NULL 0\n"
    "malloc(0): a block\n"
    "malloc too much: NULL ENOMEM\n"
    "posix_memalign 256: 0\n"
    "aligned to 256: 1\n"
    "posix_memalign 24: 22\n"
    "aligned_alloc 3: NULL EINVAL\n"
    "aligned_alloc 64 KiB: 1\n"
    "valloc is page aligned: 1\n"
    "reallocarray overflowing: NULL ENOMEM\n"
    "strdup at 0x30010: duplicated\n"
    "strndup: truncated\n"
    "getline: 11\n"
    "line at 0x60000: first line\n"
    "getdelim: 3\n"
    "getline at the end: 4\n"
    "getline at EOF: -1 0\n"
    "getline without a stream: -1 EINVAL\n";

static AppRun heap_run(const char *mode)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("AddressSanitizer's malloc serves apps in this build");
#endif
    return app_run_beside_counter(APP_HEAP, mode);
}

Test(app_heap, blocks_live_in_the_address_space_the_same_every_run)
{
    app_run_expect_the_same_twice(heap_run, expected);
}

static void expect_misuse(const char *mode, const char *report)
{
    AppRun r = heap_run(mode);
    cr_expect_eq(r.end, CAPSIM_END_EXCEPTION, "%s: end %d", mode, r.end);
    cr_expect_str_eq(r.err, report, "%s", mode);
    cr_expect_str_eq(r.out, "", "%s: the misuse went unnoticed", mode);
    cr_expect_eq(r.other_end, CAPSIM_END_EXITED, "%s: the other process ended %d", mode, r.other_end);
    app_run_free(&r);
}

Test(app_heap, a_misuse_ends_the_process_with_the_heaps_report)
{
    expect_misuse("double", "heap: free(0x200000000000): double free, or never allocated\n");
    expect_misuse("middle", "heap: free(0x200000000008): not the start of a block\n");
    expect_misuse("foreign", "heap: free(0x200000100000): no heap allocated this address\n");
    expect_misuse("realloc",
                  "heap: realloc(0x200000000000): double free, or never allocated\n");
}

/* A local's address (fixed, but where in the frame depends on the
 * compiler): the report names a stack address and what it is. The stack
 * is process memory at the top of the address space (the first process's
 * slot starts at 0x200000000000 and is 1 GiB long). */
Test(app_heap, freeing_a_local_is_reported_like_any_foreign_address)
{
    AppRun r = heap_run("stack");
    cr_expect_eq(r.end, CAPSIM_END_EXCEPTION);
    cr_expect(strncmp(r.err, "heap: free(0x20003fe", 20) == 0, "%s", r.err);
    cr_expect(strstr(r.err, "): no heap allocated this address\n") != NULL, "%s", r.err);
    cr_expect_str_eq(r.out, "");
    cr_expect_eq(r.other_end, CAPSIM_END_EXITED);
    app_run_free(&r);
}

Test(app_heap, an_overflow_cannot_reach_the_allocator)
{
    AppRun r = heap_run("overflow");
    cr_expect_eq(r.end, CAPSIM_END_EXITED);
    cr_expect_str_eq(r.out, "overflowed, still allocating: 1\n");
    cr_expect_eq(r.other_end, CAPSIM_END_EXITED);
    app_run_free(&r);
}

/* A region whose every block is freed goes back to the VMAR once it has
 * stayed empty for 1 ms of virtual time (one empty region is kept, the
 * spare): after freeing everything and a while, the process is down to
 * one region in ZX_INFO_PROCESS_MAPS and its committed bytes; allocating
 * again maps the others anew, the same way. Before, the five regions
 * stayed mapped and committed for the process's whole life. */
Test(app_heap, emptied_regions_go_back_to_the_vmar_but_one)
{
    AppRun r = heap_run("shrink");
    cr_expect_eq(r.end, CAPSIM_END_EXITED);
    cr_expect_str_eq(r.out, "at the start: 0 regions, 0 KiB committed\n"
                            "20000 blocks of 200 bytes: 5 regions, 4384 KiB committed\n"
                            "all freed: 5 regions, 4384 KiB committed\n"
                            "2 ms later, one more malloc and free: 1 regions, 1024 KiB committed\n"
                            "20000 blocks of 200 bytes: 5 regions, 4384 KiB committed\n"
                            "all freed: 5 regions, 4384 KiB committed\n"
                            "2 ms later, one more malloc and free: 1 regions, 1024 KiB committed\n");
    cr_expect_str_eq(r.err, "");
    app_run_free(&r);
}
