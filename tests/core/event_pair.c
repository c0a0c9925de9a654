/* event_pair.c — port of Zircon's core test event-pair
 * (zircon/system/utest/core/event-pair/): creation, rights and related
 * koids, signalling one's own end and the peer, peer-closed.
 * Every upstream case applies.
 */
#include "core_harness.h"

static void expect_signals(zx_handle_t h, zx_signals_t want)
{
    zx_signals_t pending = 0xdead;
    cr_expect_eq(zx_object_wait_one(h, 0, 0, &pending), ZX_ERR_TIMED_OUT);
    cr_expect_eq(pending, want, "signals %#x, want %#x", pending, want);
}

CORE_TEST(event_pair, CreateTest)
{
    zx_handle_t h[2] = {ZX_HANDLE_INVALID, ZX_HANDLE_INVALID};
    cr_expect_eq(zx_eventpair_create(0, &h[0], &h[1]), ZX_OK);
    zx_info_handle_basic_t info[2] = {core_basic_info(h[0]), core_basic_info(h[1])};
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(info[i].rights, ZX_RIGHTS_BASIC | ZX_RIGHT_SIGNAL | ZX_RIGHT_SIGNAL_PEER);
        cr_expect_eq(info[i].type, ZX_OBJ_TYPE_EVENTPAIR);
        cr_expect_neq(info[i].koid, 0);
        cr_expect_neq(info[i].related_koid, 0);
    }
    cr_expect_eq(info[0].koid, info[1].related_koid);
    cr_expect_eq(info[1].koid, info[0].related_koid);
    cr_expect_eq(zx_handle_close(h[0]), ZX_OK);
    cr_expect_eq(zx_handle_close(h[1]), ZX_OK);

    /* no option is defined */
    zx_handle_t g[2] = {ZX_HANDLE_INVALID, ZX_HANDLE_INVALID};
    cr_expect_eq(zx_eventpair_create(1, &g[0], &g[1]), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(g[0], ZX_HANDLE_INVALID);
    cr_expect_eq(g[1], ZX_HANDLE_INVALID);
}

CORE_TEST(event_pair, SignalTest)
{
    zx_handle_t h[2];
    cr_expect_eq(zx_eventpair_create(0, &h[0], &h[1]), ZX_OK);
    expect_signals(h[0], 0);
    expect_signals(h[1], 0);
    cr_expect_eq(zx_object_signal(h[0], 0, ZX_USER_SIGNAL_0), ZX_OK);
    expect_signals(h[1], 0);
    expect_signals(h[0], ZX_USER_SIGNAL_0);
    cr_expect_eq(zx_object_signal(h[0], ZX_USER_SIGNAL_0, 0), ZX_OK);
    expect_signals(h[1], 0);
    expect_signals(h[0], 0);
    cr_expect_eq(zx_handle_close(h[0]), ZX_OK);
    expect_signals(h[1], ZX_EVENTPAIR_PEER_CLOSED);
    cr_expect_eq(zx_handle_close(h[1]), ZX_OK);
}

CORE_TEST(event_pair, SignalPeerTest)
{
    zx_handle_t h[2];
    cr_expect_eq(zx_eventpair_create(0, &h[0], &h[1]), ZX_OK);
    cr_expect_eq(zx_object_signal_peer(h[0], 0, ZX_USER_SIGNAL_0), ZX_OK);
    expect_signals(h[0], 0);
    expect_signals(h[1], ZX_USER_SIGNAL_0);
    cr_expect_eq(zx_object_signal_peer(h[1], 0, ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_2), ZX_OK);
    expect_signals(h[0], ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_2);
    expect_signals(h[1], ZX_USER_SIGNAL_0);
    cr_expect_eq(zx_object_signal_peer(h[0], ZX_USER_SIGNAL_0,
                                       ZX_USER_SIGNAL_3 | ZX_USER_SIGNAL_4), ZX_OK);
    expect_signals(h[0], ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_2);
    expect_signals(h[1], ZX_USER_SIGNAL_3 | ZX_USER_SIGNAL_4);
    cr_expect_eq(zx_handle_close(h[0]), ZX_OK);
    /* signals already set stay set; peer-closed joins them */
    expect_signals(h[1], ZX_EVENTPAIR_PEER_CLOSED | ZX_USER_SIGNAL_3 | ZX_USER_SIGNAL_4);
    cr_expect_eq(zx_handle_close(h[1]), ZX_OK);
}

CORE_TEST(event_pair, SignalPeerClosedTest)
{
    zx_handle_t h[2];
    cr_expect_eq(zx_eventpair_create(0, &h[0], &h[1]), ZX_OK);
    cr_expect_eq(zx_handle_close(h[1]), ZX_OK);
    cr_expect_eq(zx_object_signal_peer(h[0], 0, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
    cr_expect_eq(zx_handle_close(h[0]), ZX_OK);
}
