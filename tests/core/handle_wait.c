/* handle_wait.c — port of Zircon's core test handle-wait
 * (zircon/system/utest/core/handle-wait/): two worker threads answer
 * messages over channels; closing the handle a worker waits on cancels
 * its wait even though a duplicate keeps the event alive.
 * Every upstream case applies.
 */
#include "core_harness.h"

enum message { MSG_EXIT, MSG_EXITED, MSG_WAIT_EVENT, MSG_WAIT_EVENT_SIGNALED,
               MSG_WAIT_EVENT_CANCELED, MSG_PING, MSG_PONG, MSG_READ_CANCELED };

static zx_handle_t event_handle;
static volatile int in_wait_event;

static void send_msg(zx_handle_t ch, enum message m)
{
    uint64_t data = m;
    cr_expect_eq(zx_channel_write(ch, 0, &data, sizeof data, NULL, 0), ZX_OK);
}

static enum message recv_msg(zx_handle_t ch)
{
    zx_signals_t pending = 0;
    zx_status_t st = zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                        ZX_TIME_INFINITE, &pending);
    if (st == ZX_ERR_CANCELED)
        return MSG_READ_CANCELED;
    cr_expect_eq(st, ZX_OK);
    cr_expect(pending & ZX_CHANNEL_READABLE, "peer closed while reading a message");
    uint64_t data = MSG_EXIT;
    uint32_t n = 0;
    cr_expect_eq(zx_channel_read(ch, 0, &data, NULL, sizeof data, 0, &n, NULL), ZX_OK);
    cr_expect_eq(n, sizeof data);
    return (enum message)data;
}

static void worker(uintptr_t ch, uintptr_t unused)
{
    for (;;) {
        enum message m = recv_msg((zx_handle_t)ch);
        if (m == MSG_EXIT || m == MSG_READ_CANCELED)
            break;
        if (m == MSG_PING) {
            send_msg(ch, MSG_PONG);
        } else if (m == MSG_WAIT_EVENT) {
            in_wait_event = 1;
            zx_signals_t pending = 0;
            zx_status_t st = zx_object_wait_one(event_handle, ZX_EVENT_SIGNALED,
                                                ZX_TIME_INFINITE, &pending);
            in_wait_event = 0;
            send_msg(ch, st == ZX_ERR_CANCELED ? MSG_WAIT_EVENT_CANCELED
                                               : MSG_WAIT_EVENT_SIGNALED);
        }
    }
    send_msg(ch, MSG_EXITED);
}

CORE_TEST(handle_wait, HandleWaitTest)
{
    zx_handle_t c1[2], c2[2];
    cr_expect_eq(zx_channel_create(0, &c1[0], &c1[1]), ZX_OK);
    cr_expect_eq(zx_channel_create(0, &c2[0], &c2[1]), ZX_OK);
    zx_handle_t t1 = core_thread_start(worker, c1[1]);
    zx_handle_t t2 = core_thread_start(worker, c2[1]);
    cr_expect_eq(zx_event_create(0, &event_handle), ZX_OK);

    send_msg(c1[0], MSG_PING);
    cr_expect_eq(recv_msg(c1[0]), MSG_PONG);
    send_msg(c1[0], MSG_WAIT_EVENT);
    send_msg(c2[0], MSG_PING);
    cr_expect_eq(recv_msg(c2[0]), MSG_PONG);

    while (!in_wait_event)
        zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    cr_expect_eq(core_wait_thread_state(t1, ZX_THREAD_STATE_BLOCKED_WAIT_ONE), ZX_OK);
    zx_handle_t dup = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_handle_duplicate(event_handle, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_OK);
    cr_expect_eq(zx_handle_close(event_handle), ZX_OK);
    cr_expect_eq(recv_msg(c1[0]), MSG_WAIT_EVENT_CANCELED);

    send_msg(c1[0], MSG_EXIT);
    send_msg(c2[0], MSG_EXIT);
    cr_expect_eq(recv_msg(c1[0]), MSG_EXITED);
    cr_expect_eq(recv_msg(c2[0]), MSG_EXITED);
    core_thread_join(t1);
    core_thread_join(t2);
    cr_expect_eq(zx_handle_close(dup), ZX_OK);
}
