/* handle_transfer.c — port of Zircon's core test handle-transfer
 * (zircon/system/utest/core/handle-transfer/): a channel endpoint sent
 * through another channel keeps its queued messages in order, and taking a
 * handle out of the calling process cancels a wait pending on it.
 * Every upstream case applies.
 */
#include "core_harness.h"

CORE_TEST(handle_transfer, OverChannelThenRead)
{
    zx_handle_t a_client, a_remote, b_client, b_remote;
    cr_expect_eq(zx_channel_create(0, &a_client, &a_remote), ZX_OK);
    cr_expect_eq(zx_channel_create(0, &b_client, &b_remote), ZX_OK);
    const char msg[3] = {0, 1, 2};
    cr_expect_eq(zx_channel_write(a_client, 0, &msg[0], 1, NULL, 0), ZX_OK);
    cr_expect_eq(zx_channel_write(b_client, 0, NULL, 0, &a_remote, 1), ZX_OK);
    cr_expect_eq(zx_channel_write(a_client, 0, &msg[1], 1, NULL, 0), ZX_OK);

    zx_handle_t moved = ZX_HANDLE_INVALID;
    uint32_t nbytes = 0, nhandles = 0;
    cr_expect_eq(zx_channel_read(b_remote, 0, NULL, &moved, 0, 1, &nbytes, &nhandles), ZX_OK);
    cr_expect_eq(nhandles, 1);
    cr_expect(core_handle_valid(moved));
    cr_expect_eq(zx_channel_write(a_client, 0, &msg[2], 1, NULL, 0), ZX_OK);

    for (int i = 0; i < 3; i++) {
        char got = -1;
        nhandles = 0;
        cr_expect_eq(zx_channel_read(moved, 0, &got, NULL, 1, 0, NULL, &nhandles), ZX_OK);
        cr_expect_eq(nhandles, 0);
        cr_expect_eq(got, msg[i]);
    }
}

static zx_status_t waiter_result = ZX_ERR_INTERNAL;

static void wait_peer_closed(uintptr_t ch, uintptr_t unused)
{
    waiter_result = zx_object_wait_one((zx_handle_t)ch, ZX_CHANNEL_PEER_CLOSED,
                                       ZX_TIME_INFINITE, NULL);
}

CORE_TEST(handle_transfer, CancelsWait)
{
    zx_handle_t a0, a1, b0, b1;
    cr_expect_eq(zx_channel_create(0, &a0, &a1), ZX_OK);
    cr_expect_eq(zx_channel_create(0, &b0, &b1), ZX_OK);
    zx_handle_t th = core_thread_start(wait_peer_closed, a0);
    cr_expect_eq(core_wait_thread_state(th, ZX_THREAD_STATE_BLOCKED_WAIT_ONE), ZX_OK);

    /* while in flight the handle is out of our table, the wait goes on */
    cr_expect_eq(zx_channel_write(b0, 0, NULL, 0, &a0, 1), ZX_OK);
    zx_info_thread_t info;
    cr_expect_eq(zx_object_get_info(th, ZX_INFO_THREAD, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect_eq(info.state, ZX_THREAD_STATE_BLOCKED_WAIT_ONE);

    /* reading it back gives a new handle; the wait on the old one ends */
    zx_handle_t back = ZX_HANDLE_INVALID;
    uint32_t nhandles = 0;
    cr_expect_eq(zx_channel_read(b1, 0, NULL, &back, 0, 1, NULL, &nhandles), ZX_OK);
    cr_expect_eq(nhandles, 1);
    core_thread_join(th);
    cr_expect_eq(waiter_result, ZX_ERR_CANCELED);
}
