/* test_channel.c — covers: channel_create, channel_read, channel_read_etc,
 * channel_write, channel_write_etc, channel_call, channel_call_etc.
 * Black-box through the zx_* API on simulated threads (ktest.h), plus a
 * few white-box checks of channel.c (in-flight walk, invariants, traces). */
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/exception.h>

#include "channel.h"
#include "event.h"
#include "ktest.h"

/* ---- helpers --------------------------------------------------------------- */

static void run_one(const char *name, ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    ktest_spawn(t, name, fn, 0);
    ktest_run(t);
    cr_expect_eq(t->result, SIM_RUN_QUIESCENT, "run ended with threads blocked");
    ktest_free(t);
}

/* Start fn(arg) on a second thread of the calling process. */
static void start_thread(ThreadEntryFn fn, uintptr_t arg)
{
    zx_handle_t th;
    cr_expect_eq(zx_thread_create(zx_process_self(), "helper", 6, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (uintptr_t)fn, 0, arg, 0), ZX_OK);
    zx_handle_close(th);
}

static bool handle_valid(zx_handle_t h)
{
    zx_signals_t s;
    return zx_object_wait_one(h, 0, 0, &s) != ZX_ERR_BAD_HANDLE;
}

static zx_signals_t signals_of(zx_handle_t h)
{
    zx_signals_t s = 0;
    zx_object_wait_one(h, 0, 0, &s);
    return s;
}

/* A channel handle without `drop` rights (channels have no DUPLICATE, so
 * replace the original). */
static zx_handle_t without(zx_handle_t h, zx_rights_t drop)
{
    zx_handle_t out = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_handle_replace(h, ZX_DEFAULT_CHANNEL_RIGHTS & ~drop, &out), ZX_OK);
    return out;
}

/* ---- channel_create -------------------------------------------------------- */

static void create_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, dup;
    cr_expect_eq(zx_channel_create(1, &c0, &c1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_create(0, NULL, &c1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_create(0, &c0, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_neq(c0, c1);
    /* both ends start WRITABLE only; channels cannot be duplicated */
    cr_expect_eq(signals_of(c0), ZX_CHANNEL_WRITABLE);
    cr_expect_eq(signals_of(c1), ZX_CHANNEL_WRITABLE);
    cr_expect_eq(zx_handle_duplicate(c0, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_ERR_ACCESS_DENIED);
}

Test(channel, create)
{
    run_one("create", create_cases);
}

static void create_denied(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_ERR_ACCESS_DENIED);
}

Test(channel, create_policy_denied)
{
    KTest *t = ktest_new(1, 1);
    zx_policy_basic_v2_t deny = {ZX_POL_NEW_CHANNEL, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    cr_assert_eq(policy_apply_basic(&t->job->policy, ZX_JOB_POL_ABSOLUTE, &deny, 1), ZX_OK);
    ktest_spawn(t, "denied", create_denied, 0);
    ktest_run(t);
    ktest_free(t);
}

/* ---- write / read basics ----------------------------------------------------- */

static void roundtrip_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "hello", 5, NULL, 0), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "world!", 6, NULL, 0), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, NULL, 0, NULL, 0), ZX_OK); /* empty message */
    cr_expect_eq(signals_of(c1), ZX_CHANNEL_WRITABLE | ZX_CHANNEL_READABLE);
    cr_expect_eq(signals_of(c0), ZX_CHANNEL_WRITABLE); /* nothing for c0 */
    char buf[16] = {0};
    uint32_t nb = 99, nh = 99;
    cr_expect_eq(zx_channel_read(c1, 0, buf, NULL, sizeof buf, 0, &nb, &nh), ZX_OK);
    cr_expect_eq(nb, 5);
    cr_expect_eq(nh, 0);
    cr_expect_eq(memcmp(buf, "hello", 5), 0);
    cr_expect_eq(zx_channel_read(c1, 0, buf, NULL, sizeof buf, 0, &nb, NULL), ZX_OK);
    cr_expect_eq(nb, 6);
    cr_expect_eq(memcmp(buf, "world!", 6), 0);
    cr_expect_eq(zx_channel_read(c1, 0, NULL, NULL, 0, 0, &nb, NULL), ZX_OK);
    cr_expect_eq(nb, 0);
    /* last message read: READABLE goes away */
    cr_expect_eq(signals_of(c1), ZX_CHANNEL_WRITABLE);
    cr_expect_eq(zx_channel_read(c1, 0, buf, NULL, sizeof buf, 0, &nb, NULL), ZX_ERR_SHOULD_WAIT);
    /* other direction */
    cr_expect_eq(zx_channel_write(c1, 0, "x", 1, NULL, 0), ZX_OK);
    cr_expect_eq(zx_channel_read(c0, 0, buf, NULL, sizeof buf, 0, &nb, NULL), ZX_OK);
    cr_expect_eq(buf[0], 'x');
}

Test(channel, write_read_roundtrip)
{
    run_one("roundtrip", roundtrip_cases);
}

static void iovec_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    zx_channel_iovec_t v[3] = {{"abc", 3, 0}, {NULL, 0, 0}, {"defg", 4, 0}};
    cr_expect_eq(zx_channel_write(c0, ZX_CHANNEL_WRITE_USE_IOVEC, v, 3, NULL, 0), ZX_OK);
    char buf[8] = {0};
    uint32_t nb = 0;
    cr_expect_eq(zx_channel_read(c1, 0, buf, NULL, sizeof buf, 0, &nb, NULL), ZX_OK);
    cr_expect_eq(nb, 7);
    cr_expect_eq(memcmp(buf, "abcdefg", 7), 0);
    zx_channel_iovec_t bad = {"abc", 3, 1}; /* reserved must be 0 */
    cr_expect_eq(zx_channel_write(c0, ZX_CHANNEL_WRITE_USE_IOVEC, &bad, 1, NULL, 0), ZX_ERR_INVALID_ARGS);
    zx_channel_iovec_t null_buf = {NULL, 3, 0};
    cr_expect_eq(zx_channel_write(c0, ZX_CHANNEL_WRITE_USE_IOVEC, &null_buf, 1, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_write(c0, ZX_CHANNEL_WRITE_USE_IOVEC, v, ZX_CHANNEL_MAX_MSG_IOVECS + 1, NULL, 0),
                 ZX_ERR_OUT_OF_RANGE);
    static char big[40000];
    zx_channel_iovec_t two[2] = {{big, sizeof big, 0}, {big, sizeof big, 0}};
    cr_expect_eq(zx_channel_write(c0, ZX_CHANNEL_WRITE_USE_IOVEC, two, 2, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(signals_of(c1) & ZX_CHANNEL_READABLE, 0);
}

Test(channel, write_iovec)
{
    run_one("iovec", iovec_cases);
}

/* ---- channel_write errors ------------------------------------------------------ */

static void write_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    static char big[ZX_CHANNEL_MAX_MSG_BYTES + 1];
    zx_handle_t many[ZX_CHANNEL_MAX_MSG_HANDLES + 1] = {0};
    cr_expect_eq(zx_channel_write(ZX_HANDLE_INVALID, 0, "a", 1, NULL, 0), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_channel_write(ev, 0, "a", 1, NULL, 0), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_channel_write(c0, 4, "a", 1, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_write(c0, 0, big, sizeof big, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_channel_write(c0, 0, big, ZX_CHANNEL_MAX_MSG_BYTES, NULL, 0), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "a", 1, many, ZX_CHANNEL_MAX_MSG_HANDLES + 1),
                 ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_channel_write(c0, 0, NULL, 4, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_write(c0, 0, "a", 1, NULL, 1), ZX_ERR_INVALID_ARGS);
    zx_handle_t ro = without(c0, ZX_RIGHT_WRITE);
    cr_expect_eq(zx_channel_write(ro, 0, "a", 1, NULL, 0), ZX_ERR_ACCESS_DENIED);
    /* only the one good message arrived */
    uint32_t nb = 0;
    cr_expect_eq(zx_channel_read(c1, ZX_CHANNEL_READ_MAY_DISCARD, NULL, NULL, 0, 0, &nb, NULL),
                 ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(nb, ZX_CHANNEL_MAX_MSG_BYTES);
    cr_expect_eq(zx_channel_read(c1, 0, NULL, NULL, 0, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(zx_handle_close(c1), ZX_OK);
    zx_handle_t c2, c3;
    cr_expect_eq(zx_channel_create(0, &c2, &c3), ZX_OK);
    cr_expect_eq(zx_handle_close(c3), ZX_OK);
    cr_expect_eq(zx_channel_write(c2, 0, "a", 1, NULL, 0), ZX_ERR_PEER_CLOSED);
}

Test(channel, write_errors)
{
    run_one("write_errors", write_error_cases);
}

/* Handles leave the sender whether the write succeeds or fails. */
static void consume_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, e1, e2, e3, e4, notx;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &e1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &e2), ZX_OK);
    cr_expect_eq(zx_event_create(0, &e3), ZX_OK);
    cr_expect_eq(zx_event_create(0, &e4), ZX_OK);
    /* bad channel handle: the event is consumed anyway */
    cr_expect_eq(zx_channel_write(ZX_HANDLE_INVALID, 0, "a", 1, &e1, 1), ZX_ERR_BAD_HANDLE);
    cr_expect_not(handle_valid(e1));
    /* bad options: consumed */
    cr_expect_eq(zx_channel_write(c0, 8, "a", 1, &e2, 1), ZX_ERR_INVALID_ARGS);
    cr_expect_not(handle_valid(e2));
    /* one entry lacks TRANSFER: every entry is consumed, nothing is sent */
    cr_expect_eq(zx_handle_duplicate(e3, ZX_RIGHT_WAIT, &notx), ZX_OK);
    zx_handle_t arr[2] = {e3, notx};
    cr_expect_eq(zx_channel_write(c0, 0, "a", 1, arr, 2), ZX_ERR_ACCESS_DENIED);
    cr_expect_not(handle_valid(e3));
    cr_expect_not(handle_valid(notx));
    cr_expect_eq(zx_channel_read(c1, 0, NULL, NULL, 0, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
    /* a handle repeated in the array: the second lookup fails */
    zx_handle_t twice[2] = {e4, e4};
    cr_expect_eq(zx_channel_write(c0, 0, "a", 1, twice, 2), ZX_ERR_BAD_HANDLE);
    cr_expect_not(handle_valid(e4));
    cr_expect_eq(zx_channel_read(c1, 0, NULL, NULL, 0, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
    /* peer closed: consumed */
    zx_handle_t e5;
    cr_expect_eq(zx_event_create(0, &e5), ZX_OK);
    cr_expect_eq(zx_handle_close(c1), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "a", 1, &e5, 1), ZX_ERR_PEER_CLOSED);
    cr_expect_not(handle_valid(e5));
}

Test(channel, write_consumes_handles_on_failure)
{
    run_one("consume", consume_cases);
}

static void self_send_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "a", 1, &c0, 1), ZX_ERR_NOT_SUPPORTED);
    /* the endpoint's own handle was in the array: it is gone too */
    cr_expect_not(handle_valid(c0));
    cr_expect_eq(signals_of(c1) & ZX_CHANNEL_PEER_CLOSED, ZX_CHANNEL_PEER_CLOSED);
    /* the peer endpoint can travel through the other one */
    zx_handle_t d0, d1;
    cr_expect_eq(zx_channel_create(0, &d0, &d1), ZX_OK);
    cr_expect_eq(zx_channel_write(d0, 0, "a", 1, &d1, 1), ZX_OK);
    cr_expect_not(handle_valid(d1));
}

Test(channel, write_self_not_supported)
{
    run_one("self", self_send_cases);
}

static void transfer_right_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev, notx;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_handle_replace(ev, ZX_DEFAULT_EVENT_RIGHTS & ~ZX_RIGHT_TRANSFER, &notx), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, NULL, 0, &notx, 1), ZX_ERR_ACCESS_DENIED);
    cr_expect_not(handle_valid(notx));
}

Test(channel, write_needs_transfer_right)
{
    run_one("transfer", transfer_right_cases);
}

/* ---- transfer semantics --------------------------------------------------------- */

static void move_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev, got;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_object_signal(ev, 0, ZX_USER_SIGNAL_1), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "m", 1, &ev, 1), ZX_OK);
    cr_expect_not(handle_valid(ev));
    uint32_t nb = 0, nh = 0;
    char buf[4];
    cr_expect_eq(zx_channel_read(c1, 0, buf, &got, sizeof buf, 1, &nb, &nh), ZX_OK);
    cr_expect_eq(nh, 1);
    cr_expect(handle_valid(got));
    cr_expect_eq(signals_of(got), ZX_USER_SIGNAL_1); /* the same object */
    /* same rights as sent */
    zx_handle_t dup;
    cr_expect_eq(zx_handle_duplicate(got, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_OK);
}

Test(channel, handles_move_with_same_rights)
{
    run_one("move", move_cases);
}

static void read_etc_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev, e0, e1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_eventpair_create(0, &e0, &e1), ZX_OK);
    zx_handle_t arr[2] = {ev, e1};
    cr_expect_eq(zx_channel_write(c0, 0, "ab", 2, arr, 2), ZX_OK);
    zx_handle_info_t info[2];
    memset(info, 0xff, sizeof info);
    uint32_t nb = 0, nh = 0;
    char buf[2];
    cr_expect_eq(zx_channel_read_etc(c1, 0, buf, info, 2, 2, &nb, &nh), ZX_OK);
    cr_expect_eq(nh, 2);
    cr_expect_eq(info[0].type, ZX_OBJ_TYPE_EVENT);
    cr_expect_eq(info[0].rights, ZX_DEFAULT_EVENT_RIGHTS);
    cr_expect_eq(info[0].unused, 0);
    cr_expect_eq(info[1].type, ZX_OBJ_TYPE_EVENTPAIR);
    cr_expect_eq(info[1].rights, ZX_DEFAULT_EVENTPAIR_RIGHTS);
    cr_expect(handle_valid(info[0].handle));
    cr_expect_eq(zx_object_signal_peer(info[1].handle, 0, ZX_USER_SIGNAL_0), ZX_OK);
    cr_expect_eq(signals_of(e0) & ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_0);
}

Test(channel, read_etc_reports_type_and_rights)
{
    run_one("read_etc", read_etc_cases);
}

/* ---- channel_read errors --------------------------------------------------------- */

static void read_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    char buf[8];
    cr_expect_eq(zx_channel_read(ZX_HANDLE_INVALID, 0, buf, NULL, 8, 0, NULL, NULL), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_channel_read(ev, 0, buf, NULL, 8, 0, NULL, NULL), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_channel_read(c1, 2, buf, NULL, 8, 0, NULL, NULL), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_channel_read(c1, 0, buf, NULL, 8, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(zx_channel_write(c0, 0, "12345", 5, NULL, 0), ZX_OK);
    /* bad actual pointer */
    cr_expect_eq(zx_channel_read(c1, 0, buf, NULL, 8, 0, (uint32_t *)1, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_write(c0, 0, "12345", 5, NULL, 0), ZX_OK);
    /* bad bytes buffer: INVALID_ARGS and the message is gone */
    cr_expect_eq(zx_channel_read(c1, 0, NULL, NULL, 8, 0, NULL, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_read(c1, 0, buf, NULL, 8, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
    zx_handle_t wo = without(c1, ZX_RIGHT_READ);
    cr_expect_eq(zx_channel_read(wo, 0, buf, NULL, 8, 0, NULL, NULL), ZX_ERR_ACCESS_DENIED);
    /* messages stay readable after the peer closes; then PEER_CLOSED */
    cr_expect_eq(zx_channel_write(c0, 0, "z", 1, NULL, 0), ZX_OK);
    cr_expect_eq(zx_handle_close(c0), ZX_OK);
    zx_signals_t s = signals_of(wo);
    cr_expect_eq(s, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED); /* WRITABLE gone */
    zx_handle_t c2, c3;
    cr_expect_eq(zx_channel_create(0, &c2, &c3), ZX_OK);
    cr_expect_eq(zx_handle_close(c2), ZX_OK);
    cr_expect_eq(zx_channel_read(c3, 0, buf, NULL, 8, 0, NULL, NULL), ZX_ERR_PEER_CLOSED);
}

Test(channel, read_errors)
{
    run_one("read_errors", read_error_cases);
}

static void too_small_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, e0, e1, got;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_eventpair_create(0, &e0, &e1), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "123456", 6, &e1, 1), ZX_OK);
    char buf[8];
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_channel_read(c1, 0, buf, &got, 4, 1, &nb, &nh), ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(nb, 6);
    cr_expect_eq(nh, 1);
    nb = nh = 0;
    cr_expect_eq(zx_channel_read(c1, 0, buf, &got, 8, 0, &nb, &nh), ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(nb, 6);
    cr_expect_eq(nh, 1);
    /* still queued; the in-flight end keeps the pair open */
    cr_expect_eq(signals_of(c1) & ZX_CHANNEL_READABLE, ZX_CHANNEL_READABLE);
    cr_expect_eq(signals_of(e0) & ZX_EVENTPAIR_PEER_CLOSED, 0);
    /* MAY_DISCARD drops it and closes its handles */
    cr_expect_eq(zx_channel_read(c1, ZX_CHANNEL_READ_MAY_DISCARD, buf, &got, 4, 1, &nb, &nh),
                 ZX_ERR_BUFFER_TOO_SMALL);
    cr_expect_eq(signals_of(c1) & ZX_CHANNEL_READABLE, 0);
    cr_expect_eq(signals_of(e0) & ZX_EVENTPAIR_PEER_CLOSED, ZX_EVENTPAIR_PEER_CLOSED);
}

Test(channel, read_buffer_too_small)
{
    run_one("too_small", too_small_cases);
}

/* Closing an endpoint with unread messages closes their handles; until
 * then in-flight handles keep their objects alive. */
static void close_unread_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, e0, e1, d0, d1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_eventpair_create(0, &e0, &e1), ZX_OK);
    cr_expect_eq(zx_channel_create(0, &d0, &d1), ZX_OK);
    cr_expect_eq(zx_channel_write(c0, 0, "a", 1, &e1, 1), ZX_OK);
    /* a channel endpoint in flight inside another channel */
    cr_expect_eq(zx_channel_write(c0, 0, "b", 1, &d1, 1), ZX_OK);
    cr_expect_eq(zx_handle_close(c0), ZX_OK); /* writer gone: messages stay */
    cr_expect_eq(signals_of(e0) & ZX_EVENTPAIR_PEER_CLOSED, 0);
    cr_expect_eq(signals_of(d0) & ZX_CHANNEL_PEER_CLOSED, 0);
    cr_expect_eq(zx_handle_close(c1), ZX_OK); /* reader gone: handles closed */
    cr_expect_eq(signals_of(e0) & ZX_EVENTPAIR_PEER_CLOSED, ZX_EVENTPAIR_PEER_CLOSED);
    cr_expect_eq(signals_of(d0) & ZX_CHANNEL_PEER_CLOSED, ZX_CHANNEL_PEER_CLOSED);
}

Test(channel, close_with_unread_messages)
{
    run_one("close_unread", close_unread_cases);
}

/* ---- channel_write_etc ------------------------------------------------------------ */

static void write_etc_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev, got;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    /* DUPLICATE keeps the source, with reduced rights on the copy */
    zx_handle_disposition_t d = {ZX_HANDLE_OP_DUPLICATE, ev, ZX_OBJ_TYPE_EVENT,
                                 ZX_RIGHT_WAIT | ZX_RIGHT_TRANSFER, ZX_OK};
    cr_expect_eq(zx_channel_write_etc(c0, 0, "d", 1, &d, 1), ZX_OK);
    cr_expect(handle_valid(ev));
    zx_handle_info_t info;
    cr_expect_eq(zx_channel_read_etc(c1, 0, NULL, &info, 1, 1, NULL, NULL),
                 ZX_ERR_INVALID_ARGS); /* NULL bytes buffer for a 1-byte message */
    cr_expect_eq(zx_channel_write_etc(c0, 0, "d", 1, &d, 1), ZX_OK);
    char buf[1];
    cr_expect_eq(zx_channel_read_etc(c1, 0, buf, &info, 1, 1, NULL, NULL), ZX_OK);
    cr_expect_eq(info.rights, ZX_RIGHT_WAIT | ZX_RIGHT_TRANSFER);
    /* MOVE with SAME_RIGHTS */
    d = (zx_handle_disposition_t){ZX_HANDLE_OP_MOVE, ev, ZX_OBJ_TYPE_NONE,
                                  ZX_RIGHT_SAME_RIGHTS, ZX_OK};
    cr_expect_eq(zx_channel_write_etc(c0, 0, "m", 1, &d, 1), ZX_OK);
    cr_expect_not(handle_valid(ev));
    cr_expect_eq(zx_channel_read(c1, 0, buf, &got, 1, 1, NULL, NULL), ZX_OK);
    cr_expect(handle_valid(got));
}

Test(channel, write_etc_duplicate_and_move)
{
    run_one("write_etc", write_etc_cases);
}

static void write_etc_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev1, ev2, ev3, ev4, ev5, nodup;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev2), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev3), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev4), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev5), ZX_OK);
    cr_expect_eq(zx_handle_replace(ev5, ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT, &nodup), ZX_OK);
    zx_handle_disposition_t d[6] = {
        {ZX_HANDLE_OP_MOVE, ev1, ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_SAME_RIGHTS, ZX_OK}, /* WRONG_TYPE */
        {7, ev2, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS, ZX_OK},                    /* bad op */
        {ZX_HANDLE_OP_MOVE, ev3, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SIGNAL_PEER, ZX_OK},    /* not subset */
        {ZX_HANDLE_OP_DUPLICATE, ev4, ZX_OBJ_TYPE_EVENT, ZX_RIGHT_SAME_RIGHTS, ZX_OK}, /* fine */
        {ZX_HANDLE_OP_DUPLICATE, nodup, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS, ZX_OK}, /* no DUP */
        {ZX_HANDLE_OP_MOVE, 0x7ffffff3u, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS, ZX_OK}, /* bad */
    };
    cr_expect_eq(zx_channel_write_etc(c0, 0, "x", 1, d, 6), ZX_ERR_WRONG_TYPE); /* first */
    cr_expect_eq(d[0].result, ZX_ERR_WRONG_TYPE);
    cr_expect_eq(d[1].result, ZX_ERR_INVALID_ARGS);
    cr_expect_eq(d[2].result, ZX_ERR_INVALID_ARGS);
    cr_expect_eq(d[3].result, ZX_OK);
    cr_expect_eq(d[4].result, ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(d[5].result, ZX_ERR_BAD_HANDLE);
    /* MOVE entries (also failing ones, also a bad op) are consumed;
     * DUPLICATE entries never are */
    cr_expect_not(handle_valid(ev1));
    cr_expect_not(handle_valid(ev2));
    cr_expect_not(handle_valid(ev3));
    cr_expect(handle_valid(ev4));
    cr_expect(handle_valid(nodup));
    cr_expect_eq(zx_channel_read(c1, 0, NULL, NULL, 0, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
    /* the channel itself, as a DUPLICATE entry */
    zx_handle_disposition_t self = {ZX_HANDLE_OP_DUPLICATE, c0, ZX_OBJ_TYPE_NONE,
                                    ZX_RIGHT_SAME_RIGHTS, ZX_OK};
    cr_expect_eq(zx_channel_write_etc(c0, 0, "x", 1, &self, 1), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(self.result, ZX_ERR_NOT_SUPPORTED);
    cr_expect(handle_valid(c0));
}

Test(channel, write_etc_per_entry_errors)
{
    run_one("write_etc_errors", write_etc_error_cases);
}

/* ---- queue limit ---------------------------------------------------------------- */

static void full_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    int ok = 0;
    for (uint32_t i = 0; i < CHANNEL_MAX_PENDING; i++)
        ok += zx_channel_write(c0, 0, &i, sizeof i, NULL, 0) == ZX_OK;
    cr_expect_eq(ok, CHANNEL_MAX_PENDING);
    /* No exception machinery linked: the write is refused instead of the
     * CHANNEL_FULL_WRITE policy exception Zircon raises. */
    zx_status_t s = zx_channel_write(c0, 0, "x", 1, NULL, 0);
    cr_expect_eq(s, ZX_ERR_SHOULD_WAIT);
    /* reading one makes room again */
    uint32_t v;
    cr_expect_eq(zx_channel_read(c1, 0, &v, NULL, sizeof v, 0, NULL, NULL), ZX_OK);
    cr_expect_eq(v, 0);
    cr_expect_eq(zx_channel_write(c0, 0, "x", 1, NULL, 0), ZX_OK);
}

void exception_raise_policy_code(void *c, uint32_t code) __attribute__((weak));

Test(channel, queue_limit)
{
    if (exception_raise_policy_code)
        cr_skip_test("exception machinery present: the writer takes CHANNEL_FULL_WRITE");
    run_one("full", full_cases);
}

/* ---- channel_call ----------------------------------------------------------------- */

/* Server thread: echo each request with the same txid, appending "!". */
static void echo_server(uintptr_t ch, uintptr_t b)
{
    for (;;) {
        zx_signals_t s;
        if (zx_object_wait_one((zx_handle_t)ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                               ZX_TIME_INFINITE, &s) != ZX_OK)
            return;
        char buf[64];
        zx_handle_t hs[4];
        uint32_t nb, nh;
        if (zx_channel_read((zx_handle_t)ch, 0, buf, hs, sizeof buf - 1, 4, &nb, &nh) != ZX_OK)
            return;
        uint32_t txid;
        memcpy(&txid, buf, 4);
        cr_expect_geq(txid, 0x80000000u);
        buf[nb] = '!';
        if (buf[4] == 'B') { /* ask for a reply bigger than the caller's buffer */
            static char big[100];
            memcpy(big, buf, 4);
            zx_channel_write((zx_handle_t)ch, 0, big, sizeof big, NULL, 0);
        } else if (buf[4] == 'C') { /* close without replying */
            zx_handle_close((zx_handle_t)ch);
            return;
        } else if (buf[4] != 'S') { /* 'S': stay silent */
            zx_channel_write((zx_handle_t)ch, 0, buf, nb + 1, hs, nh);
        }
    }
}

static void call_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev, got;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    start_thread(echo_server, c1);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    char req[8] = "\0\0\0\0hi", rep[16] = {0};
    zx_channel_call_args_t args = {req, &ev, rep, &got, 6, 1, sizeof rep, 1};
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_OK);
    cr_expect_eq(nb, 7);
    cr_expect_eq(nh, 1);
    cr_expect_eq(memcmp(rep + 4, "hi!", 3), 0);
    cr_expect_not(handle_valid(ev)); /* went out */
    cr_expect(handle_valid(got));    /* and came back under a new value */
    /* the reply went straight to us: READABLE never raised on c0 */
    cr_expect_eq(signals_of(c0) & ZX_CHANNEL_READABLE, 0);
    /* two calls get different kernel txids */
    uint32_t t1, t2;
    args = (zx_channel_call_args_t){req, NULL, rep, NULL, 6, 0, sizeof rep, 0};
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_OK);
    memcpy(&t1, rep, 4);
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_OK);
    memcpy(&t2, rep, 4);
    cr_expect_neq(t1, t2);
    cr_expect_geq(t1, 0x80000000u);
    /* reply too big: BUFFER_TOO_SMALL */
    char breq[5] = "\0\0\0\0B";
    args = (zx_channel_call_args_t){breq, NULL, rep, NULL, 5, 0, sizeof rep, 0};
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_BUFFER_TOO_SMALL);
    /* no reply: TIMED_OUT at the deadline */
    char sreq[5] = "\0\0\0\0S";
    args = (zx_channel_call_args_t){sreq, NULL, rep, NULL, 5, 0, sizeof rep, 0};
    zx_instant_mono_t before = zx_clock_get_monotonic();
    cr_expect_eq(zx_channel_call(c0, 0, zx_deadline_after(ZX_MSEC(5)), &args, &nb, &nh),
                 ZX_ERR_TIMED_OUT);
    cr_expect_geq(zx_clock_get_monotonic() - before, ZX_MSEC(5));
    /* the server closes while we wait: PEER_CLOSED */
    char creq[5] = "\0\0\0\0C";
    args = (zx_channel_call_args_t){creq, NULL, rep, NULL, 5, 0, sizeof rep, 0};
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_PEER_CLOSED);
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_PEER_CLOSED);
}

Test(channel, call_roundtrip_and_outcomes)
{
    run_one("call", call_cases);
}

/* A reply taken by a waiting zx_channel_call is consumed within the
 * write; the write's copy charge must still be the reply's size. Replies
 * above the kernel's free-list sizes go back to malloc at once, so a
 * charge read from the consumed message would be garbage. */
static zx_duration_mono_t reply_write_ns[2];

static void sized_reply_server(uintptr_t ch, uintptr_t b)
{
    static char reply[2048];
    for (int i = 0; i < 2; i++) {
        zx_signals_t s;
        char req[8];
        uint32_t nb, nh, len;
        if (zx_object_wait_one((zx_handle_t)ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE,
                               &s) != ZX_OK ||
            zx_channel_read((zx_handle_t)ch, 0, req, NULL, sizeof req, 0, &nb, &nh) != ZX_OK)
            return;
        memcpy(reply, req, 4); /* the txid */
        memcpy(&len, req + 4, 4);
        zx_instant_mono_t t0 = zx_clock_get_monotonic();
        cr_expect_eq(zx_channel_write((zx_handle_t)ch, 0, reply, len, NULL, 0), ZX_OK);
        reply_write_ns[i] = zx_clock_get_monotonic() - t0;
    }
}

static const uint32_t reply_lens[2] = {600, 1000};

static void call_reply_charge_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    start_thread(sized_reply_server, c1);
    static char rep[2048];
    for (int i = 0; i < 2; i++) {
        char req[8] = {0};
        memcpy(req + 4, &reply_lens[i], 4);
        zx_channel_call_args_t args = {req, NULL, rep, NULL, sizeof req, 0, sizeof rep, 0};
        uint32_t nb = 0, nh = 0;
        cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_OK);
        cr_expect_eq(nb, reply_lens[i]);
    }
}

Test(channel, call_reply_charged_by_its_size)
{
    KTest *t = ktest_new(1, 1);
    SimTime per_kib = t->kernel->costs.per_kib_copy;
    reply_write_ns[0] = reply_write_ns[1] = -1;
    ktest_spawn(t, "call", call_reply_charge_cases, 0);
    ktest_run(t);
    ktest_free(t);
    /* the two writes differ only in their copy charge */
    cr_assert_geq(reply_write_ns[0], 0);
    cr_assert_eq(reply_write_ns[1] - reply_write_ns[0],
                 per_kib * reply_lens[1] / 1024 - per_kib * reply_lens[0] / 1024);
}

static void call_error_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1, ev, ev2;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev2), ZX_OK);
    char req[8] = {0}, rep[8];
    uint32_t nb, nh;
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, NULL, &nb, &nh), ZX_ERR_INVALID_ARGS);
    /* fewer than 4 bytes: INVALID_ARGS, handles consumed */
    zx_channel_call_args_t args = {req, &ev, rep, NULL, 3, 1, sizeof rep, 0};
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_INVALID_ARGS);
    cr_expect_not(handle_valid(ev));
    args = (zx_channel_call_args_t){req, NULL, rep, NULL, 4, 0, sizeof rep, 0};
    cr_expect_eq(zx_channel_call(c0, 1, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_call(ZX_HANDLE_INVALID, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_channel_call(ev2, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_WRONG_TYPE);
    args.wr_num_bytes = ZX_CHANNEL_MAX_MSG_BYTES + 1;
    cr_expect_eq(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_OUT_OF_RANGE);
    args.wr_num_bytes = 4;
    zx_handle_t wo = without(c0, ZX_RIGHT_READ);
    cr_expect_eq(zx_channel_call(wo, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_ACCESS_DENIED);
    /* a past deadline: the request is written, the wait times out at once */
    zx_handle_t rw;
    cr_expect_eq(zx_channel_create(0, &rw, &c0), ZX_OK);
    cr_expect_eq(zx_channel_call(rw, 0, 0, &args, &nb, &nh), ZX_ERR_TIMED_OUT);
    cr_expect_eq(signals_of(c0) & ZX_CHANNEL_READABLE, ZX_CHANNEL_READABLE);
    cr_expect_eq(zx_handle_close(c0), ZX_OK);
    cr_expect_eq(zx_channel_call(rw, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_ERR_PEER_CLOSED);
}

Test(channel, call_errors)
{
    run_one("call_errors", call_error_cases);
}

/* Closing the caller's own handle while a call waits: CANCELED. */
static zx_status_t cancel_result = 1;

static void cancel_caller(uintptr_t ch, uintptr_t b)
{
    char req[4] = {0}, rep[4];
    uint32_t nb, nh;
    zx_channel_call_args_t args = {req, NULL, rep, NULL, 4, 0, 4, 0};
    cancel_result = zx_channel_call((zx_handle_t)ch, 0, ZX_TIME_INFINITE, &args, &nb, &nh);
}

static void cancel_cases(uintptr_t a, uintptr_t b)
{
    zx_handle_t c0, c1;
    cr_expect_eq(zx_channel_create(0, &c0, &c1), ZX_OK);
    start_thread(cancel_caller, c0);
    cr_expect_eq(zx_object_wait_one(c1, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_eq(zx_handle_close(c0), ZX_OK);
    cr_expect_eq(zx_nanosleep(zx_deadline_after(ZX_MSEC(1))), ZX_OK);
    cr_expect_eq(cancel_result, ZX_ERR_CANCELED);
}

Test(channel, call_canceled_by_close)
{
    run_one("cancel", cancel_cases);
    cr_expect_eq(cancel_result, ZX_ERR_CANCELED);
}

/* ---- two processes ---------------------------------------------------------------- */

static zx_handle_t received_value;

static void receiver(uintptr_t a, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    cr_expect_neq(ch, ZX_HANDLE_INVALID);
    cr_expect_eq(zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    zx_handle_info_t info;
    cr_expect_eq(zx_channel_read_etc(ch, 0, NULL, &info, 0, 1, NULL, NULL), ZX_OK);
    received_value = info.handle;
    cr_expect_eq(info.type, ZX_OBJ_TYPE_EVENT);
    cr_expect_eq(zx_object_signal(info.handle, 0, ZX_USER_SIGNAL_2), ZX_OK);
}

static void sender(uintptr_t a, uintptr_t b)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t ev, keep;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &keep), ZX_OK);
    cr_expect_eq(zx_channel_write(ch, 0, NULL, 0, &ev, 1), ZX_OK);
    cr_expect_eq(zx_object_wait_one(keep, ZX_USER_SIGNAL_2, ZX_TIME_INFINITE, NULL), ZX_OK);
}

static bool trace_has(SimEngine *e, uint32_t kind, zx_koid_t proc, zx_koid_t chan)
{
    for (size_t i = 0; i < sim_trace_count(e); i++) {
        const SimTraceRecord *r = sim_trace_get(e, i);
        if (r->kind == kind && r->a == proc && r->d == chan)
            return true;
    }
    return false;
}

Test(channel, transfer_between_processes)
{
    KTest *t = ktest_new(7, 2);
    sim_trace_keep(t->engine, true);
    KObject *a, *b;
    cr_assert_eq(channel_create(t->kernel, &a, &b), ZX_OK);
    LaunchSpec s1 = {.name = "sender", .entry = sender, .give = LAUNCH_GIVE_STANDARD};
    s1.extra[0] = (LaunchHandle){PA_HND(PA_USER0, 0), a, ZX_DEFAULT_CHANNEL_RIGHTS};
    s1.nextra = 1;
    LaunchSpec s2 = {.name = "receiver", .entry = receiver, .give = LAUNCH_GIVE_STANDARD};
    s2.extra[0] = (LaunchHandle){PA_HND(PA_USER0, 0), b, ZX_DEFAULT_CHANNEL_RIGHTS};
    s2.nextra = 1;
    KProcess *p1 = ktest_spawn_spec(t, &s1);
    KProcess *p2 = ktest_spawn_spec(t, &s2);
    /* Once both processes have exited their handles were the last
     * references: the endpoints are freed during the run, so keep only
     * their koids. */
    zx_koid_t a_koid = a->koid, b_koid = b->koid;
    kobject_unref(a);
    kobject_unref(b);
    ktest_run(t);
    cr_expect_eq(t->result, SIM_RUN_QUIESCENT);
    cr_expect_neq(received_value, ZX_HANDLE_INVALID);
    cr_expect(trace_has(t->engine, KTR_HANDLE_SEND, p1->base.koid, a_koid));
    cr_expect(trace_has(t->engine, KTR_HANDLE_RECEIVE, p2->base.koid, b_koid));
    ktest_free(t);
}

/* ---- white box: kernel writers, in-flight walk, invariants ------------------------ */

static void count_inflight(Handle *h, void *ctx)
{
    (*(int *)ctx)++;
}

Test(channel, kernel_write_and_inflight_walk)
{
    KTest *t = ktest_new(1, 1);
    Kernel *k = t->kernel;
    KObject *a, *b, *ev;
    cr_assert_eq(channel_create(k, &a, &b), ZX_OK);
    cr_assert_eq(event_create(k, &ev), ZX_OK);
    Handle *ha = handle_new(k, a, ZX_DEFAULT_CHANNEL_RIGHTS);
    Handle *hb = handle_new(k, b, ZX_DEFAULT_CHANNEL_RIGHTS);
    Handle *he = handle_new(k, ev, ZX_DEFAULT_EVENT_RIGHTS);
    cr_assert_eq(channel_write_msg(a, "abc", 3, &he, 1), ZX_OK);
    cr_expect_eq(channel_queued(b), 1);
    cr_expect_eq(b->signals, ZX_CHANNEL_WRITABLE | ZX_CHANNEL_READABLE);
    cr_expect_eq(channel_peer(a), b);
    int n = 0;
    channel_visit_inflight(k, count_inflight, &n);
    cr_expect_eq(n, 1);
    channel_ops.check(a);
    channel_ops.check(b);
    /* the in-flight handle keeps the event alive after our ref goes */
    kobject_unref(ev);
    cr_expect_eq(ev->handle_count, 1);
    /* queue limit for kernel writers */
    for (uint32_t i = 1; i < CHANNEL_MAX_PENDING; i++)
        cr_assert_eq(channel_write_msg(a, &i, sizeof i, NULL, 0), ZX_OK);
    cr_expect_eq(channel_write_msg(a, "x", 1, NULL, 0), ZX_ERR_SHOULD_WAIT);
    /* closing b's handle discards its queue (and the event with it) */
    handle_destroy(k, hb);
    cr_expect_eq(channel_queued(b), 0);
    cr_expect_eq(a->signals, ZX_CHANNEL_PEER_CLOSED);
    cr_expect_eq(channel_peer(a), NULL);
    cr_expect_eq(channel_write_msg(a, "x", 1, NULL, 0), ZX_ERR_PEER_CLOSED);
    n = 0;
    channel_visit_inflight(k, count_inflight, &n);
    cr_expect_eq(n, 0);
    channel_ops.check(a);
    channel_ops.check(b);
    handle_destroy(k, ha);
    kobject_unref(a);
    kobject_unref(b);
    ktest_free(t);
}
