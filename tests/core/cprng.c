/* cprng.c — port of Zircon's cprng test (zircon/system/utest/cprng/,
 * beside the core tests).
 *
 * Not ported: AddEntropyBadBuffer, AddEntropyBufferTooLarge — they call
 * zx_cprng_add_entropy, which we do not model (our CPRNG is a seeded
 * stream of the engine's one generator; nothing can be mixed into it).
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
