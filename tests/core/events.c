/* events.c — port of Zircon's event tests (zircon/system/utest/events/,
 * beside the core tests): threads ping-ponging on events with wait_many,
 * user signals, timeouts, cancellation by close, reset, and wait_many's
 * failures. Every upstream case applies.
 */
#include "core_harness.h"

static zx_handle_t ev[3];

/* Wait for `signal` on ev[which] or for quit (ev[0]); true on quit. */
static bool wait_or_quit(int which, zx_signals_t signal)
{
    zx_wait_item_t items[2] = {{.handle = ev[which], .waitfor = signal},
                               {.handle = ev[0], .waitfor = ZX_EVENT_SIGNALED}};
    if (zx_object_wait_many(items, 2, ZX_TIME_INFINITE) != ZX_OK)
        return true;
    return (items[1].pending & ZX_EVENT_SIGNALED) != 0;
}

/* Set `signal` on ev[which]: plain signalling, or user signals replacing
 * all others when `user`. */
static void raise_signal(int which, zx_signals_t signal, bool user)
{
    cr_expect_eq(zx_object_signal(ev[which], user ? ZX_USER_SIGNAL_ALL : 0, signal), ZX_OK);
}

static bool user_mode;

static zx_signals_t sig1(void) { return user_mode ? ZX_USER_SIGNAL_1 : ZX_EVENT_SIGNALED; }
static zx_signals_t sig2(void) { return user_mode ? ZX_USER_SIGNAL_2 : ZX_EVENT_SIGNALED; }

static void leader(uintptr_t a, uintptr_t b)
{
    do {
        zx_nanosleep(zx_deadline_after(ZX_MSEC(200)));
        raise_signal(1, sig1(), user_mode);
    } while (!wait_or_quit(2, sig2()));
}

static void worker(uintptr_t a, uintptr_t b)
{
    while (!wait_or_quit(1, sig1())) {
        zx_nanosleep(zx_deadline_after(ZX_MSEC(100)));
        raise_signal(2, sig2(), user_mode);
    }
}

static void ping_pong(bool user)
{
    user_mode = user;
    for (int i = 0; i < 3; i++)
        cr_expect_eq(zx_event_create(0, &ev[i]), ZX_OK);
    zx_handle_t th[4];
    th[3] = core_thread_start(leader, 0);
    for (int i = 0; i < 3; i++)
        th[i] = core_thread_start(worker, 0);
    zx_nanosleep(zx_deadline_after(ZX_MSEC(400)));
    cr_expect_eq(zx_object_signal(ev[0], 0, ZX_EVENT_SIGNALED), ZX_OK);
    for (int i = 0; i < 4; i++)
        core_thread_join(th[i]);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(zx_handle_close(ev[i]), ZX_OK);
}

CORE_TEST(events, BasicTest) { ping_pong(false); }

CORE_TEST(events, UserSignalsTest) { ping_pong(true); }

static void close_later(uintptr_t h, uintptr_t unused)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(200)));
    cr_expect_eq(zx_handle_close((zx_handle_t)h), ZX_OK);
}

CORE_TEST(events, WaitSignalsTest)
{
    zx_handle_t e[3];
    for (int i = 0; i < 3; i++)
        cr_expect_eq(zx_event_create(0, &e[i]), ZX_OK);
    zx_wait_item_t items[3];
    for (int i = 0; i < 3; i++)
        items[i] = (zx_wait_item_t){.handle = e[i], .waitfor = ZX_EVENT_SIGNALED};
    zx_signals_t pending = 0xdead;
    const zx_time_t deadlines[2] = {zx_deadline_after(1), 0};
    for (int d = 0; d < 2; d++) {
        cr_expect_eq(zx_object_wait_one(e[0], ZX_EVENT_SIGNALED, deadlines[d], &pending),
                     ZX_ERR_TIMED_OUT);
        cr_expect_eq(pending, 0);
        cr_expect_eq(zx_object_wait_many(items, 3, d == 0 ? zx_deadline_after(1) : 0),
                     ZX_ERR_TIMED_OUT);
        for (int i = 0; i < 3; i++)
            cr_expect_eq(items[i].pending, 0);
    }
    cr_expect_eq(zx_object_signal(e[0], 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_object_wait_one(e[0], ZX_EVENT_SIGNALED, zx_deadline_after(1), &pending),
                 ZX_OK);
    cr_expect_eq(pending, ZX_EVENT_SIGNALED);
    cr_expect_eq(zx_object_wait_many(items, 3, zx_deadline_after(1)), ZX_OK);
    cr_expect_eq(items[0].pending, ZX_EVENT_SIGNALED);
    cr_expect_eq(zx_object_wait_one(e[0], ZX_EVENT_SIGNALED, 0, &pending), ZX_OK);
    cr_expect_eq(pending, ZX_EVENT_SIGNALED);
    cr_expect_eq(zx_object_signal(e[0], ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_object_signal(e[2], 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_object_wait_many(items, 3, zx_deadline_after(1)), ZX_OK);
    cr_expect_eq(items[2].pending, ZX_EVENT_SIGNALED);

    zx_handle_t th = core_thread_start(close_later, e[1]);
    cr_expect_eq(zx_object_wait_one(e[1], ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, NULL),
                 ZX_ERR_CANCELED);
    core_thread_join(th);
    cr_expect_eq(zx_handle_close(e[0]), ZX_OK);
    cr_expect_eq(zx_handle_close(e[2]), ZX_OK);
}

CORE_TEST(events, ResetTest)
{
    zx_handle_t e;
    cr_expect_eq(zx_event_create(0, &e), ZX_OK);
    cr_expect_eq(zx_object_signal(e, 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_object_signal(e, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(e, ZX_EVENT_SIGNALED, zx_deadline_after(1), NULL),
                 ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_handle_close(e), ZX_OK);
}

CORE_TEST(events, WaitManyFailuresTest)
{
    cr_expect_eq(zx_object_wait_many(NULL, 0, zx_deadline_after(1)), ZX_ERR_TIMED_OUT);
    zx_handle_t e;
    cr_expect_eq(zx_event_create(0, &e), ZX_OK);
    zx_wait_item_t items[2] = {{.handle = e, .waitfor = ZX_EVENT_SIGNALED},
                               {.handle = ZX_HANDLE_INVALID, .waitfor = ZX_EVENT_SIGNALED}};
    cr_expect_eq(zx_object_wait_many(items, 2, ZX_TIME_INFINITE), ZX_ERR_BAD_HANDLE);
    /* the failed wait left nothing behind on the event */
    cr_expect_eq(zx_object_signal(e, 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_handle_close(e), ZX_OK);
}
