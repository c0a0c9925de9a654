/* test_system.c — covers: cprng_draw, clock_get_monotonic,
 * system_get_num_cpus, system_get_page_size, system_get_physmem,
 * system_get_version_string, system_get_dcache_line_size. */
#include <string.h>

#include "ktest.h"

static uint8_t drawn[2][64];

static void draw(uintptr_t slot, uintptr_t b)
{
    memset(drawn[slot], 0, sizeof drawn[slot]);
    zx_cprng_draw(drawn[slot], sizeof drawn[slot]);
    uint8_t zero[64] = {0};
    cr_expect_neq(memcmp(drawn[slot], zero, sizeof zero), 0);
    zx_cprng_draw(NULL, 0); /* zero bytes: nothing to do */
}

static void draw_twice(uint64_t seed, int slot)
{
    KTest *t = ktest_new(seed, 1);
    ktest_spawn(t, "draw", draw, (uintptr_t)slot);
    ktest_run(t);
    ktest_free(t);
}

Test(system, cprng_is_seeded)
{
    draw_twice(11, 0);
    draw_twice(11, 1);
    cr_assert_eq(memcmp(drawn[0], drawn[1], 64), 0, "same seed, same bytes");
    draw_twice(12, 1);
    cr_assert_neq(memcmp(drawn[0], drawn[1], 64), 0, "other seed, other bytes");
}

static void overdraw(uintptr_t a, uintptr_t b)
{
    uint8_t big[ZX_CPRNG_DRAW_MAX_LEN + 1];
    zx_cprng_draw(big, sizeof big);
    cr_expect_fail("an oversized draw is fatal to the caller");
}

Test(system, cprng_oversized_draw_kills)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "overdraw", overdraw, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), ZX_TASK_RETCODE_VDSO_KILL);
    ktest_free(t);
}

static void queries(uintptr_t cpus, uintptr_t b)
{
    cr_expect_eq(zx_system_get_num_cpus(), (uint32_t)cpus);
    cr_expect_eq(zx_system_get_page_size(), 4096u);
    cr_expect_gt(zx_system_get_physmem(), 0u);
    cr_expect_eq(zx_system_get_dcache_line_size(), 64u);
    zx_string_view_t v = zx_system_get_version_string();
    cr_expect_eq(strlen(v.c_str), v.length);
    cr_expect_gt(v.length, 0u);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    zx_nanosleep(t0 + 1234);
    cr_expect_geq(zx_clock_get_monotonic() - t0, 1234);
}

Test(system, queries)
{
    KTest *t = ktest_new(1, 3);
    ktest_spawn(t, "queries", queries, 3);
    ktest_run(t);
    ktest_free(t);
}
