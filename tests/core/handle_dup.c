/* handle_dup.c — port of Zircon's core test handle-dup
 * (zircon/system/utest/core/handle-dup/): zx_handle_replace and
 * zx_handle_duplicate, including failure with a bad output pointer.
 * Every upstream case applies.
 */
#include "core_harness.h"

CORE_TEST(handle_dup, ReplaceSuccessOrigInvalid)
{
    zx_handle_t orig, repl = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_event_create(0, &orig), ZX_OK);
    cr_expect_eq(zx_handle_replace(orig, ZX_RIGHTS_BASIC, &repl), ZX_OK);
    cr_expect_not(core_handle_valid(orig));
    cr_expect(core_handle_valid(repl));
}

CORE_TEST(handle_dup, ReplaceFailureBothInvalid)
{
    zx_handle_t orig, repl = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_event_create(0, &orig), ZX_OK);
    /* events never carry EXECUTE: asking for it fails, and replace still
     * consumes the original */
    cr_expect_eq(zx_handle_replace(orig, ZX_RIGHT_EXECUTE, &repl), ZX_ERR_INVALID_ARGS);
    cr_expect_not(core_handle_valid(orig));
    cr_expect_eq(repl, ZX_HANDLE_INVALID);
}

CORE_TEST(handle_dup, Replace)
{
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    /* the new handle cannot be copied out: an error, not a crash */
    cr_expect_eq(zx_handle_replace(ev, 0, NULL), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(handle_dup, Duplicate)
{
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(ev, 0, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect(core_handle_valid(ev));
}
