/* cprng.c — port of Zircon's cprng test (zircon/system/utest/cprng/,
 * beside the core tests).
 *
 * zx_cprng_add_entropy mixes its bytes into the seeded "cprng" stream
 * (model/sys_system.c); the upstream cases check its two errors.
 */
#include "core_harness.h"

CORE_TEST(cprng, DrawSuccess)
{
    uint8_t buf[ZX_CPRNG_DRAW_MAX_LEN] = {0};
    zx_cprng_draw(buf, sizeof buf);
    int zeros = 0;
    for (size_t i = 0; i < sizeof buf; i++)
        zeros += buf[i] == 0;
    cr_expect_leq(zeros, 16, "the buffer was not written");
}

CORE_TEST(cprng, AddEntropyBadBuffer)
{
    uint8_t buf[ZX_CPRNG_ADD_ENTROPY_MAX_LEN];
    cr_expect_eq(zx_cprng_add_entropy((void *)4, sizeof buf), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(cprng, AddEntropyBufferTooLarge)
{
    uint8_t buf[ZX_CPRNG_ADD_ENTROPY_MAX_LEN + 1] = {0};
    cr_expect_eq(zx_cprng_add_entropy(buf, sizeof buf), ZX_ERR_INVALID_ARGS);
}
