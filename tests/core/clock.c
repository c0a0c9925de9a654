/* clock.c — port of Zircon's core test clock
 * (zircon/system/utest/core/clock/): the monotonic clock only advances,
 * and zx_deadline_after agrees with reading it and adding the offset.
 * Every upstream case applies.
 */
#include "core_harness.h"

CORE_TEST(clock, ClockMonotonic)
{
    zx_nanosleep(zx_deadline_after(1)); /* our clock reads 0 at boot */
    zx_time_t previous = zx_clock_get_monotonic();
    for (int i = 0; i < 100; i++) {
        zx_time_t now = zx_clock_get_monotonic();
        cr_expect_gt(now, 0);
        cr_expect_geq(now, previous);
        cr_expect_eq(zx_nanosleep(now + ZX_MSEC(1)), ZX_OK);
        cr_expect_geq(zx_clock_get_monotonic(), now + ZX_MSEC(1), "slept the whole millisecond");
        previous = now;
    }
}

CORE_TEST(clock, DeadlineAfter)
{
    const zx_duration_t offsets[2] = {ZX_MSEC(0), ZX_MSEC(20)};
    for (int i = 0; i < 2; i++) {
        zx_time_t before = zx_time_add_duration(zx_clock_get_monotonic(), offsets[i]);
        zx_time_t deadline = zx_deadline_after(offsets[i]);
        zx_time_t after = zx_time_add_duration(zx_clock_get_monotonic(), offsets[i]);
        cr_expect_geq(deadline, before);
        cr_expect_leq(deadline, after);
    }
}
