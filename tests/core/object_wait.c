/* object_wait.c — port of Zircon's core test object-wait
 * (zircon/system/utest/core/object-wait/): zx_object_wait_one and
 * zx_object_wait_many on events, already signalled, timing out, and
 * signalled by another thread while blocked. Every upstream case applies.
 */
#include "core_harness.h"

CORE_TEST(object_wait, WaitForEventSignaled)
{
    zx_handle_t ev = core_event();
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_EVENT_SIGNALED);
}

CORE_TEST(object_wait, WaitForEventTimeout)
{
    zx_handle_t ev = core_event();
    zx_signals_t seen = 0xdead;
    zx_instant_mono_t before = zx_clock_get_monotonic();
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, zx_deadline_after(ZX_MSEC(1)), &seen),
                 ZX_ERR_TIMED_OUT);
    cr_expect_eq(seen, 0);
    cr_expect_geq(zx_clock_get_monotonic() - before, ZX_MSEC(1));
}

CORE_TEST(object_wait, WaitForEventTimeoutPreSignalClear)
{
    zx_handle_t ev = core_event();
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_object_signal(ev, ZX_EVENT_SIGNALED, 0), ZX_OK);
    zx_signals_t seen = 0xdead;
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, zx_deadline_after(ZX_MSEC(1)), &seen),
                 ZX_ERR_TIMED_OUT);
    cr_expect_eq(seen, 0);
}

static zx_handle_t main_thread;
static zx_handle_t shared_events[8];
static const zx_signals_t to_signal[8] = {0, ZX_EVENT_SIGNALED, 0, 0, 0, 0, ZX_EVENT_SIGNALED, 0};

static void signal_when_blocked_one(uintptr_t ev, uintptr_t unused)
{
    cr_expect_eq(core_wait_thread_state(main_thread, ZX_THREAD_STATE_BLOCKED_WAIT_ONE), ZX_OK);
    cr_expect_eq(zx_object_signal((zx_handle_t)ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
}

CORE_TEST(object_wait, WaitForEventThenSignal)
{
    zx_handle_t ev = core_event();
    main_thread = zx_thread_self();
    zx_handle_t th = core_thread_start(signal_when_blocked_one, ev);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_EVENT_SIGNALED);
    core_thread_join(th);
}

static void fill_items(zx_wait_item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        items[i] = (zx_wait_item_t){.handle = core_event(), .waitfor = ZX_EVENT_SIGNALED};
}

static void close_items(zx_wait_item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(zx_handle_close(items[i].handle), ZX_OK);
}

CORE_TEST(object_wait, TooManyObjects)
{
    zx_wait_item_t items[ZX_WAIT_MANY_MAX_ITEMS + 1];
    fill_items(items, ZX_WAIT_MANY_MAX_ITEMS + 1);
    cr_expect_eq(zx_object_wait_many(items, ZX_WAIT_MANY_MAX_ITEMS + 1, ZX_TIME_INFINITE),
                 ZX_ERR_OUT_OF_RANGE);
    close_items(items, ZX_WAIT_MANY_MAX_ITEMS + 1);
}

CORE_TEST(object_wait, InvalidHandle)
{
    zx_wait_item_t items[3];
    fill_items(items, 3);
    cr_expect_eq(zx_handle_close(items[1].handle), ZX_OK);
    cr_expect_eq(zx_object_wait_many(items, 3, ZX_TIME_INFINITE), ZX_ERR_BAD_HANDLE);
    items[1].handle = core_event();
    close_items(items, 3);
}

CORE_TEST(object_wait, WaitForEventsSignaled)
{
    static const zx_signals_t some[8] = {0, 0, ZX_EVENT_SIGNALED, 0, 0, ZX_EVENT_SIGNALED, 0, 0};
    zx_wait_item_t items[8];
    fill_items(items, 8);
    for (int i = 0; i < 8; i++)
        if (some[i])
            cr_expect_eq(zx_object_signal(items[i].handle, 0, some[i]), ZX_OK);
    cr_expect_eq(zx_object_wait_many(items, 8, ZX_TIME_INFINITE), ZX_OK);
    for (int i = 0; i < 8; i++)
        cr_expect_eq(items[i].pending, some[i], "item %d", i);
    close_items(items, 8);
}

static void signal_when_blocked_many(uintptr_t unused1, uintptr_t unused2)
{
    cr_expect_eq(core_wait_thread_state(main_thread, ZX_THREAD_STATE_BLOCKED_WAIT_MANY), ZX_OK);
    for (int i = 0; i < 8; i++)
        if (to_signal[i])
            cr_expect_eq(zx_object_signal(shared_events[i], 0, to_signal[i]), ZX_OK);
}

CORE_TEST(object_wait, WaitForEventsThenSignal)
{
    zx_wait_item_t items[8];
    fill_items(items, 8);
    for (int i = 0; i < 8; i++)
        shared_events[i] = items[i].handle;
    main_thread = zx_thread_self();
    zx_handle_t th = core_thread_start(signal_when_blocked_many, 0);
    cr_expect_eq(zx_object_wait_many(items, 8, ZX_TIME_INFINITE), ZX_OK);
    core_thread_join(th);
    int signalled = 0;
    for (int i = 0; i < 8; i++)
        signalled += items[i].pending == ZX_EVENT_SIGNALED;
    cr_expect_gt(signalled, 0);
    close_items(items, 8);
}
