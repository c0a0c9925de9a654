/* debuglog.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/debuglog/ (debuglog.cc). The root resource comes
 * from the harness, as upstream's get_root_resource().
 *
 * Every upstream case applies; none is left out.
 */
#include <string.h>
#include <zircon/syscalls/log.h>

#include "coretest.h"

static void write_read_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t log = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_debuglog_create(core_root_resource(), ZX_LOG_FLAG_READABLE, &log), ZX_OK);
    static const char msg[] = "Debuglog test message.\n";
    cr_expect_eq(zx_debuglog_write(log, 0, msg, sizeof msg), ZX_OK);
    static char buf[10240];
    const size_t read_len = 3;
    cr_expect_eq(zx_debuglog_read(log, 0, buf, read_len), (zx_status_t)read_len,
                 "a read returns the bytes it copied");
    static const char zeros[10];
    cr_expect_eq(memcmp(buf + read_len, zeros, sizeof zeros), 0, "nothing past the buffer size");
    cr_expect_eq(zx_handle_close(log), ZX_OK);
}
Test(debuglog, WriteRead) { core_run(write_read_body); }

static void invalid_options_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t log = 0;
    cr_expect_eq(zx_debuglog_create(core_root_resource(), 1, &log), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(log, 0u, "no handle on failure");
    cr_expect_eq(zx_debuglog_create(core_root_resource(), 1 | ZX_LOG_FLAG_READABLE, &log),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(log, 0u);
}
Test(debuglog, InvalidOptions) { core_run(invalid_options_body); }
