/* object_child.c — port of Zircon's core test object-child
 * (zircon/system/utest/core/object-child/). Every upstream case applies.
 */
#include "core_harness.h"

CORE_TEST(object_child, InvalidHandleReturnsBadHandle)
{
    zx_info_handle_basic_t self = core_basic_info(zx_process_self());
    zx_handle_t out = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_object_get_child(ZX_HANDLE_INVALID, self.koid, ZX_RIGHT_SAME_RIGHTS, &out),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(out, ZX_HANDLE_INVALID);
}
