/* test_app_heap_calls.c — allocations the return-address rule used to
 * give libc's heap now land in the app's own (app_heap_calls.c;
 * model/app/app_call.c, model/app/libc_malloc.c).
 *
 * The app runs as a component with a writable /tmp (isolated-temp) and
 * prints, for each place libcapsim calls app code, whether a block
 * allocated there by a tail call (`return malloc(n);` at -O2) lies in its
 * heap; then the same for libc calls that hand memory to free (asprintf,
 * open_memstream, realpath, getcwd, scandir...), each freed by the app.
 * Before, every one of them was host memory from libc's heap.
 *
 * AddressSanitizer builds load apps without RTLD_DEEPBIND, so ASan's
 * malloc serves them there: skipped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_component.h"
#include "process.h"

#define APP_HEAP_CALLS APPS_DIR "/app_heap_calls.so"

/* The app with argv, as a component with an isolated /tmp: its output
 * (stdout and stderr), after it exited with code 0. */
static char *calls_run(int argc, const char **argv, char hash[33])
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("AddressSanitizer's malloc serves apps in this build");
#endif
    SbTest *t = sbtest_new(5, NULL);
    CmComponent *c = app_component_launch_with_tmp(t, "calls", APP_HEAP_CALLS, argc, argv);
    sbtest_run(t);
    AppProcInfo pi;
    cr_assert(app_proc_info_by_koid(t->kernel, cm_component_process(c)->base.koid, &pi));
    cr_expect_eq(pi.end, APP_END_EXITED, "ended %s", app_end_name(pi.end));
    cr_expect_eq(pi.return_code, 0);
    char *out = sbtest_output(t, c);
    if (hash)
        sim_trace_hash_hex(t->engine, hash);
    sbtest_free(t);
    return out;
}

Test(heap_calls, a_tail_call_from_app_code_that_libcapsim_called_gets_the_app_heap)
{
    const char *argv[] = {"calls", "calls"};
    char *out = calls_run(2, argv, NULL);
    cr_expect_str_eq(out, "constructor: heap\n"
                          "pthread function: heap\n"
                          "thrd function: heap\n"
                          "key destructor: heap\n"
                          "pthread_once routine: heap\n"
                          "zx_thread_start entry: heap\n"
                          "scandir filter: heap\n"
                          "nftw callback: heap\n"
                          "main's return (tail call): heap\n"
                          "atexit handler: heap\n"
                          "destructor: heap\n");
    free(out);
}

Test(heap_calls, a_tail_call_in_an_at_quick_exit_handler_gets_the_app_heap)
{
    const char *argv[] = {"calls", "calls", "quick"};
    char *out = calls_run(3, argv, NULL);
    cr_expect_str_eq(out, "at_quick_exit handler: heap\n");
    free(out);
}

static const char libc_expected[] =
    "asprintf 7 \"forty 2\", asprintf: heap\n"
    "vasprintf \"00042\", vasprintf: heap\n"
    "open_memstream after fflush: \"hello\" 5, heap\n"
    "open_memstream after fclose: 10005 bytes, ends \"6789\", open_memstream: heap\n"
    "open_memstream, written over: \"abXYef\" 4\n"
    "open_memstream, past the end: 9, zeros between: 1\n"
    "realpath \"/tmp/sub\", realpath: heap\n"
    "canonicalize_file_name \"/tmp/sub\", canonicalize_file_name: heap\n"
    "getcwd(NULL, 0) \"/tmp/sub\", getcwd(NULL, 0): heap\n"
    "getcwd(NULL, 64) \"/tmp/sub\", getcwd(NULL, 64): heap\n"
    "get_current_dir_name \"/tmp/sub\", get_current_dir_name: heap\n"
    "strdup: heap\n"
    "strndup: heap\n"
    "wcsdup \"wide copy\", wcsdup: heap\n"
    "tempnam in /tmp: 1, tempnam: heap\n"
    "scandir 2: . file, scandir entry: heap\n"
    "  and: heap\n"
    "scandir list: heap\n"
    "fopen's FILE stays libc's: host\n";

/* The memory is the process's (freed by the app with free, gone with the
 * process); glibc's own FILE stays libc's. The same seed, the same
 * output and trace. */
Test(heap_calls, libc_calls_that_hand_memory_back_use_the_app_heap)
{
    const char *argv[] = {"calls", "libc"};
    char a[33], b[33];
    char *out = calls_run(2, argv, a);
    cr_expect_str_eq(out, libc_expected);
    char *again = calls_run(2, argv, b);
    cr_expect_str_eq(again, out);
    cr_expect_str_eq(a, b, "same seed, same trace");
    free(out);
    free(again);
}
