/* test_syscall_table.c — every syscall in <zircon/syscalls/definitions.inc>
 * has a handler (no weak placeholder left), and the numbering, names and
 * dispatch agree. tests/SYSCALLS.md maps each syscall to its tests. */
#include <string.h>

#include "ktest.h"
#include "syscall.h"


Test(syscall_table, every_syscall_has_a_handler)
{
    int missing = 0;
    for (uint64_t op = 0; op < SYS_COUNT; op++) {
        if (!syscall_implemented(op)) {
            cr_log_error("no handler for zx_%s", syscall_name(op));
            missing++;
        }
    }
    cr_assert_eq(missing, 0, "%d syscalls have no handler", missing);
}

Test(syscall_table, names_follow_the_table)
{
    cr_assert_str_eq(syscall_name(SYS_handle_close), "handle_close");
    cr_assert_str_eq(syscall_name(SYS_channel_write_etc), "channel_write_etc");
    cr_assert_str_eq(syscall_name(SYS_COUNT), "unknown");
    for (uint64_t a = 0; a < SYS_COUNT; a++)
        for (uint64_t b = a + 1; b < SYS_COUNT; b++)
            cr_assert(strcmp(syscall_name(a), syscall_name(b)) != 0);
}

static void bad_op(uintptr_t a, uintptr_t b)
{
    SyscallRequest q = {.hdr.op = SYS_COUNT + 5};
    cr_expect_eq(sim_enter(&q.hdr), ZX_ERR_BAD_SYSCALL);
}

Test(syscall_table, unknown_op_is_bad_syscall)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, "bad", bad_op, 0);
    ktest_run(t);
    ktest_free(t);
}
