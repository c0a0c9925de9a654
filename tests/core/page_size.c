/* page_size.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/page-size/ (page_size.cc).
 *
 * Every upstream case applies; none is left out.
 */
#include <zircon/limits.h>

#include "coretest.h"

static void not_zero_body(uintptr_t a, uintptr_t b)
{
    cr_expect_neq(zx_system_get_page_size(), 0u);
}
Test(page_size, NotZero) { core_run(not_zero_body); }

static void power_of_two_body(uintptr_t a, uintptr_t b)
{
    uint32_t size = zx_system_get_page_size();
    cr_expect_eq(size, 1u << __builtin_ctz(size));
}
Test(page_size, PowerOfTwo) { core_run(power_of_two_body); }

static void arch_min_body(uintptr_t a, uintptr_t b)
{
    cr_expect_leq(ZX_MIN_PAGE_SIZE, zx_system_get_page_size());
}
Test(page_size, ArchMinPageSize) { core_run(arch_min_body); }

static void arch_max_body(uintptr_t a, uintptr_t b)
{
    cr_expect_geq(ZX_MAX_PAGE_SIZE, zx_system_get_page_size());
}
Test(page_size, ArchMaxPageSize) { core_run(arch_max_body); }

static void only_4k_body(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_system_get_page_size(), 4096u);
}
Test(page_size, Only4K) { core_run(only_4k_body); }
