/* test_image_memory.c — a process's loaded image is part of its memory
 * (model/app/app_image_memory.c, model/sys_vmar.c), with
 * app_image_memory.c.
 *
 * With debugging syscalls on (Zircon's kernel.enable-debugging-syscalls,
 * set on the kernel here) the monitor reads the victim's secret from a
 * global, sets the flag the victim then acts on (it ends with 7), is
 * refused without READ and WRITE, gets short counts across the end of the
 * victim's last segment and NO_MEMORY past it, reads the victim's code,
 * constants and RELRO data but may not write them, sees its own copy's globals apart from
 * the victim's and shared with a process started in its copy; a dead
 * process's memory is BAD_STATE. The output is compared whole, twice, with
 * the same trace hash. Without debugging syscalls every write is
 * NOT_SUPPORTED and the victim ends with 0. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "app_run.h"
#include "capsim_host_internal.h"
#include "kernel.h"

#define APP APPS_DIR "/app_image_memory.so"

typedef struct ImageRun {
    char *out;
    int64_t code;
    char hash[33];
} ImageRun;

static ImageRun image_run(bool debugging)
{
    CapsimSystem *s = app_run_system();
    s->k->debugging_syscalls = debugging;
    const char *argv[] = {APP, NULL};
    uint64_t p = capsim_spawn_app(s, APP, 1, argv, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    size_t n = capsim_process_output(s, p, 3, NULL, 0);
    ImageRun r = {.out = malloc(n + 1), .code = capsim_process_return_code(s, p)};
    capsim_process_output(s, p, 3, r.out, n + 1);
    capsim_trace_hash(s, r.hash);
    capsim_system_free(s);
    return r;
}

static const char expected[] =
    "read the victim's secret: ZX_OK, 32 bytes: SECRET=swordfish\n"
    "my own secret is another global: 1, it says 'the monitor's own'\n"
    "read my own through my handle: ZX_OK, the monitor's own\n"
    "without WRITE: read ZX_ERR_ACCESS_DENIED, write ZX_ERR_ACCESS_DENIED\n"
    "a read across the end of its last segment: ZX_OK, 8 of 64 bytes\n"
    "a read past it: ZX_ERR_NO_MEMORY\n"
    "its code reads as mine: ZX_OK, 1\n"
    "its constants read: ZX_OK, constant words\n"
    "write the victim's flag: ZX_OK, 4 bytes\n"
    "a write across its end: ZX_OK, 4 of 8 bytes\n"
    "a write into its constants: ZX_ERR_ACCESS_DENIED, into its code: ZX_ERR_ACCESS_DENIED, "
    "into its RELRO: ZX_ERR_ACCESS_DENIED\n"
    "its RELRO reads: ZX_OK, pointing at its constants 1\n"
    "the victim ended with 7\n"
    "its memory once it ended: ZX_ERR_BAD_STATE\n"
    "a process started in my copy shares my globals: mine 42, through its handle ZX_OK 42\n"
    "once it ended: ZX_ERR_BAD_STATE\n";

Test(image_memory, a_debugger_reads_and_patches_another_processs_globals)
{
    ImageRun a = image_run(true), b = image_run(true);
    cr_expect_eq(a.code, 0);
    cr_expect_str_eq(a.out, expected);
    cr_expect_str_eq(b.out, a.out);
    cr_expect_str_eq(b.hash, a.hash, "same seed, same trace");
    free(a.out);
    free(b.out);
}

Test(image_memory, without_debugging_syscalls_nothing_is_written)
{
    ImageRun r = image_run(false);
    cr_expect_eq(r.code, 0);
    cr_expect(strstr(r.out, "read the victim's secret: ZX_OK, 32 bytes: SECRET=swordfish\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "write the victim's flag: ZX_ERR_NOT_SUPPORTED, 0 bytes\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "the victim ended with 0\n"), "%s", r.out);
    free(r.out);
}
