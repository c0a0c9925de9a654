/* port.c — port of Zircon's core test port
 * (zircon/system/utest/core/port/): user packets, timeouts, async waits
 * on channels and events (once, repeated, many, cancelled by key, with
 * timestamps), close orders, several waiting threads, and three stress
 * tests (shortened, see below).
 *
 * Not ported: DISABLED_CloseQueueRace — disabled upstream.
 * AsyncWaitInvalidOption used ZX_WAIT_ASYNC_ONCE + 2, which the newest ABI
 * names ZX_WAIT_ASYNC_EDGE; we pass an undefined bit (8) instead.
 * The stress tests drive the same loops on virtual time: WaitSignalCancel
 * keeps its 20000 rounds, SignalCloseWait and CloseWaitRace their 100 ms;
 * random choices come from a fixed-seed generator.
 */
#include <string.h>
#include <zircon/syscalls/port.h>

#include "core_harness.h"

static zx_handle_t make_port(void)
{
    zx_handle_t p = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    return p;
}

CORE_TEST(port, QueueNullPtrReturnsInvalidArgs)
{
    cr_expect_eq(zx_port_queue(make_port(), NULL), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(port, QueueWaitVerifyUserPacket)
{
    zx_handle_t port = make_port();
    zx_port_packet_t in = {.key = 12, .type = ZX_PKT_TYPE_USER + 5, .status = -3};
    for (int i = 0; i < 32; i++)
        in.user.c8[i] = (uint8_t)(i * 7);
    zx_port_packet_t out = {0};
    cr_expect_eq(zx_port_queue(port, &in), ZX_OK);
    cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE, &out), ZX_OK);
    cr_expect_eq(out.key, 12);
    cr_expect_eq(out.type, ZX_PKT_TYPE_USER, "the kernel sets the type");
    cr_expect_eq(out.status, -3);
    cr_expect_eq(memcmp(&in.user, &out.user, sizeof in.user), 0);
}

CORE_TEST(port, PortTimeout)
{
    zx_port_packet_t p;
    cr_expect_eq(zx_port_wait(make_port(), zx_deadline_after(1), &p), ZX_ERR_TIMED_OUT);
}

CORE_TEST(port, QueueAndClose)
{
    zx_handle_t port = make_port();
    zx_port_packet_t in = {.key = 1, .type = ZX_PKT_TYPE_USER};
    cr_expect_eq(zx_port_queue(port, &in), ZX_OK);
    cr_expect_eq(zx_handle_close(port), ZX_OK, "closing with a packet queued");
}

CORE_TEST(port, AsyncWaitChannelTimedOut)
{
    zx_handle_t port = make_port(), a, b;
    zx_port_packet_t out;
    cr_expect_eq(zx_channel_create(0, &a, &b), ZX_OK);
    cr_expect_eq(zx_object_wait_async(b, port, 6567, ZX_CHANNEL_READABLE, 0), ZX_OK);
    cr_expect_eq(zx_port_wait(port, zx_deadline_after(ZX_USEC(200)), &out), ZX_ERR_TIMED_OUT);
}

CORE_TEST(port, AsyncWaitChannel)
{
    zx_handle_t port = make_port(), a, b;
    zx_port_packet_t out = {0};
    cr_expect_eq(zx_channel_create(0, &a, &b), ZX_OK);
    cr_expect_eq(zx_object_wait_async(b, port, 6567, ZX_CHANNEL_READABLE, 0), ZX_OK);
    cr_expect_eq(zx_port_wait(port, zx_deadline_after(ZX_USEC(200)), &out), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_channel_write(a, 0, "here", 4, NULL, 0), ZX_OK);
    cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE, &out), ZX_OK);
    cr_expect_eq(out.key, 6567);
    cr_expect_eq(out.type, ZX_PKT_TYPE_SIGNAL_ONE);
    cr_expect_eq(out.signal.observed, ZX_CHANNEL_WRITABLE | ZX_CHANNEL_READABLE);
    cr_expect_eq(out.signal.trigger, ZX_CHANNEL_READABLE);
    cr_expect_eq(out.signal.count, 1);
    cr_expect_eq(zx_channel_read(b, ZX_CHANNEL_READ_MAY_DISCARD, NULL, NULL, 0, 0, NULL, NULL),
                 ZX_ERR_BUFFER_TOO_SMALL);
    /* a one-shot wait fired once */
    cr_expect_eq(zx_port_wait(port, zx_deadline_after(ZX_USEC(200)), &out), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_wait_async(b, port, 6567, ZX_CHANNEL_READABLE, 0), ZX_OK);
}

CORE_TEST(port, AsyncWaitCloseOrder)
{
    enum { B, A, P };
    static const int orders[6][3] = {{B, A, P}, {B, P, A}, {A, P, B},
                                     {A, B, P}, {P, A, B}, {P, B, A}};
    for (int o = 0; o < 6; o++) {
        zx_handle_t h[3];
        cr_expect_eq(zx_port_create(0, &h[P]), ZX_OK);
        cr_expect_eq(zx_channel_create(0, &h[A], &h[B]), ZX_OK);
        cr_expect_eq(zx_object_wait_async(h[B], h[P], 1122,
                                          ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0), ZX_OK);
        for (int i = 0; i < 3; i++)
            cr_expect_eq(zx_handle_close(h[orders[o][i]]), ZX_OK, "order %d step %d", o, i);
    }
}

CORE_TEST(port, EventAsyncSignalWaitSingle)
{
    zx_handle_t port = make_port(), ev = core_event();
    for (uint64_t k = 0; k < 7; k++)
        cr_expect_eq(zx_object_wait_async(ev, port, k, ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    uint64_t key_sum = 0;
    for (int i = 0; i < 5; i++) {
        zx_port_packet_t out = {0};
        cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE, &out), ZX_OK);
        key_sum += out.key;
        cr_expect_eq(out.type, ZX_PKT_TYPE_SIGNAL_ONE);
        cr_expect_eq(out.signal.count, 1);
    }
    cr_expect_eq(key_sum, 0 + 1 + 2 + 3 + 4, "packets come in the order the waits were made");
}

CORE_TEST(port, AsyncWaitEventRepeat)
{
    zx_handle_t port = make_port(), ev = core_event();
    uint64_t count[3] = {0};
    for (int i = 0; i < 24; i++) {
        cr_expect_eq(zx_object_wait_async(ev, port, 1122, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_2, 0),
                     ZX_OK);
        zx_signals_t extra = (i % 2) ? 0 : ZX_USER_SIGNAL_2;
        cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED | extra), ZX_OK);
        cr_expect_eq(zx_object_signal(ev, ZX_EVENT_SIGNALED | extra, 0), ZX_OK);
        zx_port_packet_t p = {0};
        cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE_PAST, &p), ZX_OK);
        cr_expect_eq(p.type, ZX_PKT_TYPE_SIGNAL_ONE);
        cr_expect_eq(p.signal.count, 1);
        count[0] += (p.signal.observed & ZX_EVENT_SIGNALED) != 0;
        count[1] += (p.signal.observed & ZX_USER_SIGNAL_2) != 0;
        count[2] += (p.signal.observed & ~(ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_2)) != 0;
    }
    cr_expect_eq(count[0], 24);
    cr_expect_eq(count[1], 12);
    cr_expect_eq(count[2], 0);
}

CORE_STRESS_TEST(port, AsyncWaitEventManyAllProcessed)
{
    enum { EVENTS = 16 * 1024 + 1 }; /* one more than Zircon's packet arena */
    zx_handle_t port = make_port();
    for (int i = 0; i < EVENTS; i++) {
        zx_handle_t ev = core_event();
        cr_expect_eq(zx_object_wait_async(ev, port, 6567, ZX_EVENT_SIGNALED, 0), ZX_OK);
        cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    }
    size_t count = 0;
    zx_port_packet_t p = {0};
    zx_status_t st;
    while ((st = zx_port_wait(port, ZX_TIME_INFINITE_PAST, &p)) == ZX_OK) {
        if (p.key != 6567 || p.type != ZX_PKT_TYPE_SIGNAL_ONE ||
            p.signal.observed != ZX_EVENT_SIGNALED || p.signal.trigger != ZX_EVENT_SIGNALED ||
            p.signal.count != 1)
            cr_expect_fail("packet %zu is not the one expected", count);
        count++;
    }
    cr_expect_eq(st, ZX_ERR_TIMED_OUT);
    cr_expect_eq(count, EVENTS);
}

CORE_TEST(port, AsyncWaitInvalidOption)
{
    cr_expect_eq(zx_object_wait_async(core_event(), make_port(), 0, ZX_EVENT_SIGNALED, 8),
                 ZX_ERR_INVALID_ARGS);
}

CORE_TEST(port, ChannelAsyncWaitOnExistingStateIsNotified)
{
    zx_handle_t a, b, port = make_port();
    cr_expect_eq(zx_channel_create(0, &a, &b), ZX_OK);
    for (int i = 0; i < 5; i++)
        cr_expect_eq(zx_channel_write(a, 0, "123456", 6, NULL, 0), ZX_OK);
    zx_handle_close(a);
    cr_expect_eq(zx_object_wait_async(b, port, 65667,
                                      ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0), ZX_OK);
    zx_port_packet_t p = {0};
    cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE_PAST, &p), ZX_OK);
    cr_expect_eq(p.signal.count, 1);
    cr_expect_eq(p.signal.trigger, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED);
    cr_expect_eq(p.signal.observed, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED);
    cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE_PAST, &p), ZX_ERR_TIMED_OUT);
}

/* Drain the port without blocking; return how many packets, summing keys. */
static int drain(zx_handle_t port, uint64_t *key_sum)
{
    int n = 0;
    zx_port_packet_t p;
    while (zx_port_wait(port, ZX_TIME_INFINITE_PAST, &p) == ZX_OK) {
        n++;
        *key_sum += p.key;
        cr_expect_eq(p.signal.trigger, ZX_EVENT_SIGNALED);
        cr_expect_eq(p.signal.observed, ZX_EVENT_SIGNALED);
    }
    return n;
}

CORE_TEST(port, CancelEventKey)
{
    zx_handle_t port = make_port(), ev = core_event();
    const uint64_t keys[4] = {128, 13, 7, 13};
    for (int i = 0; i < 4; i++)
        cr_expect_eq(zx_object_wait_async(ev, port, keys[i], ZX_EVENT_SIGNALED, 0), ZX_OK);
    cr_expect_eq(zx_port_cancel(port, ev, 13), ZX_OK, "cancels both waits with key 13");
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
        cr_expect_eq(zx_object_signal(ev, ZX_EVENT_SIGNALED, 0), ZX_OK);
    }
    uint64_t key_sum = 0;
    int n = drain(port, &key_sum);
    cr_expect_eq(zx_port_cancel(port, ev, 128), ZX_ERR_NOT_FOUND, "already delivered");
    cr_expect_eq(n, 2);
    cr_expect_eq(key_sum, keys[0] + keys[2]);
}

CORE_TEST(port, CancelEventKeyAfter)
{
    zx_handle_t port = make_port(), ev[3];
    const uint64_t keys[3] = {128, 3, 3};
    for (int i = 0; i < 3; i++) {
        ev[i] = core_event();
        cr_expect_eq(zx_object_wait_async(ev[i], port, keys[i], ZX_EVENT_SIGNALED, 0), ZX_OK);
    }
    cr_expect_eq(zx_object_signal(ev[0], 0, ZX_EVENT_SIGNALED), ZX_OK);
    cr_expect_eq(zx_object_signal(ev[1], 0, ZX_EVENT_SIGNALED), ZX_OK);
    /* one packet already queued, one wait not yet fired */
    cr_expect_eq(zx_port_cancel(port, ev[1], 3), ZX_OK);
    cr_expect_eq(zx_port_cancel(port, ev[2], 3), ZX_OK);
    cr_expect_eq(zx_object_signal(ev[2], 0, ZX_EVENT_SIGNALED), ZX_OK);
    uint64_t key_sum = 0;
    cr_expect_eq(drain(port, &key_sum), 1);
    cr_expect_eq(key_sum, keys[0]);
}

static zx_handle_t shared_port;
static zx_status_t waiter_status[3];

static void port_waiter(uintptr_t i, uintptr_t unused)
{
    zx_port_packet_t p;
    waiter_status[i] = zx_port_wait(shared_port, ZX_TIME_INFINITE, &p);
}

CORE_TEST(port, ThreadEvents)
{
    zx_handle_t ev = core_event(), th[3];
    shared_port = make_port();
    for (uintptr_t i = 0; i < 3; i++) {
        waiter_status[i] = ZX_ERR_INTERNAL;
        cr_expect_eq(zx_object_wait_async(ev, shared_port, 500 + i, ZX_EVENT_SIGNALED, 0), ZX_OK);
        th[i] = core_thread_start(port_waiter, i);
    }
    cr_expect_eq(zx_object_signal(ev, 0, ZX_EVENT_SIGNALED), ZX_OK);
    for (int i = 0; i < 3; i++) {
        core_thread_join(th[i]);
        cr_expect_eq(waiter_status[i], ZX_OK, "waiter %d got a packet", i);
    }
}

CORE_TEST(port, Timestamp)
{
    zx_handle_t port = make_port(), ev[2] = {core_event(), core_event()};
    zx_port_packet_t p[2];
    for (int round = 0; round < 2; round++) {
        int ts = round == 0 ? 0 : 1; /* which event asks for a timestamp */
        cr_expect_eq(zx_object_wait_async(ev[ts], port, 1, ZX_EVENT_SIGNALED,
                                          ZX_WAIT_ASYNC_TIMESTAMP), ZX_OK);
        cr_expect_eq(zx_object_wait_async(ev[1 - ts], port, 2, ZX_EVENT_SIGNALED, 0), ZX_OK);
        if (ts == 1)
            cr_expect_eq(zx_object_signal(ev[0], 0, ZX_EVENT_SIGNALED), ZX_OK);
        zx_time_t before = zx_clock_get_monotonic();
        cr_expect_eq(zx_object_signal(ev[ts], 0, ZX_EVENT_SIGNALED), ZX_OK);
        zx_time_t after = zx_clock_get_monotonic();
        if (ts == 0)
            cr_expect_eq(zx_object_signal(ev[1], 0, ZX_EVENT_SIGNALED), ZX_OK);
        cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE, &p[0]), ZX_OK);
        cr_expect_eq(zx_port_wait(port, ZX_TIME_INFINITE, &p[1]), ZX_OK);
        zx_port_packet_t *stamped = p[0].key == 1 ? &p[0] : &p[1];
        zx_port_packet_t *plain = p[0].key == 1 ? &p[1] : &p[0];
        cr_expect_eq(stamped->signal.trigger, ZX_EVENT_SIGNALED);
        cr_expect_eq(plain->signal.trigger, ZX_EVENT_SIGNALED);
        cr_expect_leq(before, stamped->signal.timestamp);
        cr_expect_geq(after, stamped->signal.timestamp);
        cr_expect_eq(plain->signal.timestamp, 0);
        cr_expect_eq(zx_object_signal(ev[0], ZX_EVENT_SIGNALED, 0), ZX_OK);
        cr_expect_eq(zx_object_signal(ev[1], ZX_EVENT_SIGNALED, 0), ZX_OK);
    }
}

/* ---- stress ---------------------------------------------------------------- */

static struct {
    zx_handle_t port, event;
    volatile bool keep_running;
    zx_status_t status[8];
} st;

static void cancel_waiter(uintptr_t unused1, uintptr_t unused2)
{
    for (uint32_t n = 20000; --n;) {
        if ((st.status[0] = zx_object_wait_async(st.event, st.port, 919, ZX_EVENT_SIGNALED, 0)) !=
            ZX_OK)
            break;
        if ((st.status[0] = zx_object_wait_one(st.event, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE,
                                               NULL)) != ZX_OK)
            break;
        if ((st.status[0] = zx_port_cancel(st.port, st.event, 919)) != ZX_OK)
            break;
    }
}

static void cancel_signaler(uintptr_t unused1, uintptr_t unused2)
{
    static const uint32_t naps[6] = {0, 10, 2, 0, 15, 0};
    for (uint64_t n = 0; st.keep_running; n++) {
        if (zx_object_signal(st.event, 0, ZX_EVENT_SIGNALED) != ZX_OK)
            return;
        if (naps[n % 6])
            zx_nanosleep(zx_deadline_after(naps[n % 6]));
        if (zx_object_signal(st.event, ZX_EVENT_SIGNALED, 0) != ZX_OK)
            return;
    }
}

CORE_STRESS_TEST(port, WaitSignalCancel)
{
    st.port = make_port();
    st.event = core_event();
    st.keep_running = true;
    st.status[0] = ZX_ERR_INTERNAL;
    zx_handle_t w = core_thread_start(cancel_waiter, 0);
    zx_handle_t s = core_thread_start(cancel_signaler, 0);
    core_thread_join(w);
    st.keep_running = false;
    core_thread_join(s);
    cr_expect_eq(st.status[0], ZX_OK);
}

static uint32_t lcg_next(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 16;
}

static void port_drainer(uintptr_t i, uintptr_t unused)
{
    for (;;) {
        zx_port_packet_t p = {0};
        zx_status_t s = zx_port_wait(st.port, ZX_TIME_INFINITE, &p);
        if (s != ZX_OK || p.type == ZX_PKT_TYPE_USER) {
            st.status[4 + i] = s;
            return;
        }
    }
}

static void signal_close(uintptr_t i, uintptr_t unused)
{
    uint32_t seed = 4 + (uint32_t)i;
    zx_handle_t ev = ZX_HANDLE_INVALID;
    st.status[i] = ZX_OK;
    while (st.keep_running) {
        if (ev == ZX_HANDLE_INVALID) {
            if ((st.status[i] = zx_event_create(0, &ev)) != ZX_OK ||
                (st.status[i] = zx_object_wait_async(ev, st.port, 0, ZX_EVENT_SIGNALED, 0)) !=
                    ZX_OK)
                return;
        }
        switch (lcg_next(&seed) % 3) {
        case 0:
            zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
            break;
        case 1:
            if ((st.status[i] = zx_object_signal(ev, 0, ZX_EVENT_SIGNALED)) != ZX_OK)
                return;
            break;
        default:
            if ((st.status[i] = zx_object_signal(ev, 0, ZX_EVENT_SIGNALED)) != ZX_OK)
                return;
            zx_handle_close(ev);
            ev = ZX_HANDLE_INVALID;
        }
    }
}

CORE_STRESS_TEST(port, SignalCloseWait)
{
    st.port = make_port();
    st.keep_running = true;
    zx_handle_t sig[4], dr[4];
    for (uintptr_t i = 0; i < 4; i++)
        sig[i] = core_thread_start(signal_close, i);
    for (uintptr_t i = 0; i < 4; i++) {
        st.status[4 + i] = ZX_ERR_INTERNAL;
        dr[i] = core_thread_start(port_drainer, i);
    }
    zx_nanosleep(zx_deadline_after(ZX_MSEC(100)));
    st.keep_running = false;
    for (int i = 0; i < 4; i++) {
        zx_port_packet_t quit = {.type = ZX_PKT_TYPE_USER};
        zx_status_t s;
        while ((s = zx_port_queue(st.port, &quit)) == ZX_ERR_SHOULD_WAIT)
            zx_nanosleep(zx_deadline_after(ZX_USEC(10)));
        cr_expect_eq(s, ZX_OK);
    }
    for (int i = 0; i < 4; i++) {
        core_thread_join(dr[i]);
        cr_expect_eq(st.status[4 + i], ZX_OK, "drainer %d", i);
    }
    for (int i = 0; i < 4; i++) {
        core_thread_join(sig[i]);
        cr_expect_eq(st.status[i], ZX_OK, "signaller %d", i);
    }
}

static volatile zx_handle_t racing_port;

static void wait_async_loop(uintptr_t i, uintptr_t unused)
{
    st.status[i] = ZX_OK;
    while (st.keep_running) {
        zx_status_t s = zx_object_wait_async(st.event, racing_port, 0, ZX_EVENT_SIGNALED, 0);
        if (s != ZX_OK && s != ZX_ERR_BAD_HANDLE) {
            st.status[i] = s;
            return;
        }
    }
}

static void create_port_loop(uintptr_t unused1, uintptr_t unused2)
{
    st.status[4] = ZX_OK;
    while (st.keep_running) {
        zx_handle_t p;
        if ((st.status[4] = zx_port_create(0, &p)) != ZX_OK)
            return;
        racing_port = p;
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
        st.status[4] = zx_handle_close(p);
        racing_port = ZX_HANDLE_INVALID;
        if (st.status[4] != ZX_OK)
            return;
    }
}

CORE_STRESS_TEST(port, CloseWaitRace)
{
    st.event = core_event();
    st.keep_running = true;
    racing_port = ZX_HANDLE_INVALID;
    zx_handle_t w[4];
    for (uintptr_t i = 0; i < 4; i++)
        w[i] = core_thread_start(wait_async_loop, i);
    zx_handle_t c = core_thread_start(create_port_loop, 0);
    zx_nanosleep(zx_deadline_after(ZX_MSEC(100)));
    st.keep_running = false;
    for (int i = 0; i < 4; i++) {
        core_thread_join(w[i]);
        cr_expect_eq(st.status[i], ZX_OK, "waiter %d", i);
    }
    core_thread_join(c);
    cr_expect_eq(st.status[4], ZX_OK);
}
