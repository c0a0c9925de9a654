/* handle_close.c — port of Zircon's core test handle-close
 * (zircon/system/utest/core/handle-close/): zx_handle_close_many over
 * valid, invalid and repeated handles. Every upstream case applies.
 */
#include "core_harness.h"

enum { PAIRS = 4, EXTRA = 2 };

static void make_pairs(zx_handle_t ours[PAIRS], zx_handle_t peers[PAIRS])
{
    for (int i = 0; i < PAIRS; i++)
        cr_expect_eq(zx_eventpair_create(0, &ours[i], &peers[i]), ZX_OK);
}

/* Each peer sees its other end closed; then close the peers too. */
static void expect_peers_closed(zx_handle_t peers[PAIRS])
{
    for (int i = 0; i < PAIRS; i++) {
        zx_signals_t s = 0;
        cr_expect_eq(zx_object_wait_one(peers[i], ZX_EVENTPAIR_PEER_CLOSED, 0, &s), ZX_OK);
        cr_expect(s & ZX_EVENTPAIR_PEER_CLOSED);
        cr_expect_eq(zx_handle_close(peers[i]), ZX_OK);
    }
}

CORE_TEST(handle_close, Many)
{
    zx_handle_t ours[PAIRS], peers[PAIRS];
    make_pairs(ours, peers);
    cr_expect_eq(zx_handle_close_many(ours, PAIRS), ZX_OK);
    expect_peers_closed(peers);
}

CORE_TEST(handle_close, ManyInvalidHandlesShouldNotFail)
{
    zx_handle_t ours[PAIRS + EXTRA] = {0}, peers[PAIRS];
    make_pairs(ours, peers);
    /* the last two stay ZX_HANDLE_INVALID, which close_many skips */
    cr_expect_eq(zx_handle_close_many(ours, PAIRS + EXTRA), ZX_OK);
    expect_peers_closed(peers);
}

CORE_TEST(handle_close, ManyDuplicateTest)
{
    zx_handle_t ours[PAIRS + EXTRA], peers[PAIRS];
    make_pairs(ours + EXTRA, peers);
    ours[0] = ours[EXTRA];
    ours[1] = ours[EXTRA + 1];
    /* a value named twice cannot be closed twice: the call reports it,
     * but every handle it names is closed all the same */
    cr_expect_eq(zx_handle_close_many(ours, PAIRS + EXTRA), ZX_ERR_BAD_HANDLE);
    expect_peers_closed(peers);
}
