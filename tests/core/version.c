/* version.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/version/ (version-test.cc).
 *
 * Not ported:
 *   StdStringView, StdU8StringView, StdString, CXX14StdString — check the
 *   C++ conversions of zx_string_view_t to std::string(_view) and the C++14
 *   helpers; the facts behind them (the same pointer, length and bytes)
 *   are checked in C by ZxStringView.
 */
#include <string.h>

#include "coretest.h"

static void string_view_body(uintptr_t a, uintptr_t b)
{
    zx_string_view_t v = zx_system_get_version_string();
    cr_expect_neq(v.c_str, NULL);
    cr_expect_eq(v.length, strlen(v.c_str), "length matches the NUL-terminated text");
    zx_string_view_t again = zx_system_get_version_string();
    cr_expect_eq(again.c_str, v.c_str, "one string for the life of the system");
    cr_expect_eq(again.length, v.length);
}
Test(version, ZxStringView) { core_run(string_view_body); }
