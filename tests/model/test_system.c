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

/* Zircon's zx_cprng_draw takes any length: its vDSO draws in pieces of
 * ZX_CPRNG_DRAW_MAX_LEN. One draw of 1000 bytes is the same bytes as the
 * same seed's draws of 256, 256, 256 and 232. */
#define BIG_DRAW 1000
static uint8_t big_drawn[2][BIG_DRAW];

static void draw_big(uintptr_t pieces, uintptr_t b)
{
    uint8_t *out = big_drawn[pieces];
    memset(out, 0, BIG_DRAW);
    if (!pieces) {
        zx_cprng_draw(out, BIG_DRAW);
        return;
    }
    for (size_t at = 0; at < BIG_DRAW; at += ZX_CPRNG_DRAW_MAX_LEN) {
        size_t n = BIG_DRAW - at < ZX_CPRNG_DRAW_MAX_LEN ? BIG_DRAW - at : ZX_CPRNG_DRAW_MAX_LEN;
        zx_cprng_draw(out + at, n);
    }
}

Test(system, cprng_draw_takes_any_length)
{
    for (uintptr_t pieces = 0; pieces < 2; pieces++) {
        KTest *t = ktest_new(11, 1);
        KProcess *p = ktest_spawn(t, "draw", draw_big, pieces);
        ktest_run(t);
        cr_assert_eq(ktest_retcode(p), 0, "a long draw is no misuse");
        ktest_free(t);
    }
    cr_assert_eq(memcmp(big_drawn[0], big_drawn[1], BIG_DRAW), 0);
    uint8_t zero[BIG_DRAW - ZX_CPRNG_DRAW_MAX_LEN] = {0};
    cr_assert_neq(memcmp(big_drawn[0] + ZX_CPRNG_DRAW_MAX_LEN, zero, sizeof zero), 0);
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
