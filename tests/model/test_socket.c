/* test_socket.c — covers: socket_create, socket_write, socket_read,
 * socket_set_disposition (plus white-box socket_info and the threshold
 * accessors socket_get_threshold / socket_set_threshold).
 * Each documented error has its own test; the rest check data movement,
 * short writes, datagram rules and every socket signal. */
#include <string.h>

#include "ktest.h"
#include "socket.h"

#define BAD_PTR ((void *)(uintptr_t)8)

static bool reached;

/* Run `fn` as the only thread of one process; it must reach its end. */
static void run_body(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    reached = false;
    KProcess *p = ktest_spawn(t, "body", fn, 0);
    cr_assert_eq(ktest_run(t), SIM_RUN_QUIESCENT);
    cr_assert_eq(ktest_retcode(p), 0);
    cr_assert(reached, "the simulated body did not run to its end");
    ktest_free(t);
}

static zx_signals_t sig(zx_handle_t h)
{
    zx_signals_t s = 0;
    zx_object_wait_one(h, 0, 0, &s);
    return s;
}

static void pair(uint32_t opts, zx_handle_t *a, zx_handle_t *b)
{
    cr_expect_eq(zx_socket_create(opts, a, b), ZX_OK);
}

/* ---- socket_create -------------------------------------------------------- */

static void create_ok(uintptr_t x, uintptr_t y)
{
    zx_handle_t a = 0, b = 0;
    pair(ZX_SOCKET_STREAM, &a, &b);
    cr_expect_neq(a, ZX_HANDLE_INVALID);
    cr_expect_neq(b, ZX_HANDLE_INVALID);
    cr_expect_neq(a, b);
    cr_expect_eq(sig(a) & 0xFFFFFF, ZX_SOCKET_WRITABLE);
    cr_expect_eq(sig(b) & 0xFFFFFF, ZX_SOCKET_WRITABLE);
    zx_handle_t c, d;
    cr_expect_eq(zx_socket_create(ZX_SOCKET_DATAGRAM, &c, &d), ZX_OK);
    reached = true;
}
Test(socket_create, stream_and_datagram_ok) { run_body(create_ok); }

static void create_bad_options(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_socket_create(2u, &a, &b), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_socket_create(ZX_SOCKET_DATAGRAM | (1u << 5), &a, &b),
                 ZX_ERR_INVALID_ARGS);
    reached = true;
}
Test(socket_create, invalid_options) { run_body(create_bad_options); }

static void create_bad_out(uintptr_t x, uintptr_t y)
{
    zx_handle_t a;
    cr_expect_eq(zx_socket_create(0, &a, BAD_PTR), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_socket_create(0, NULL, &a), ZX_ERR_INVALID_ARGS);
    reached = true;
}
Test(socket_create, invalid_out_pointer) { run_body(create_bad_out); }

static void create_denied(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_socket_create(0, &a, &b), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(socket_create, policy_denied)
{
    KTest *t = ktest_new(1, 1);
    t->job->policy.action[ZX_POL_NEW_SOCKET] = ZX_POL_ACTION_DENY;
    reached = false;
    KProcess *p = ktest_spawn(t, "denied", create_denied, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), 0);
    cr_assert(reached);
    ktest_free(t);
}

/* ---- socket_write ---------------------------------------------------------- */

static void write_bad_handle(uintptr_t x, uintptr_t y)
{
    size_t n;
    cr_expect_eq(zx_socket_write(ZX_HANDLE_INVALID, 0, "x", 1, &n), ZX_ERR_BAD_HANDLE);
    reached = true;
}
Test(socket_write, bad_handle) { run_body(write_bad_handle); }

static void write_wrong_type(uintptr_t x, uintptr_t y)
{
    zx_handle_t ev;
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_socket_write(ev, 0, "x", 1, NULL), ZX_ERR_WRONG_TYPE);
    reached = true;
}
Test(socket_write, wrong_type) { run_body(write_wrong_type); }

static void write_no_right(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b, ro;
    pair(0, &a, &b);
    cr_expect_eq(zx_handle_duplicate(a, ZX_RIGHT_READ | ZX_RIGHT_WAIT, &ro), ZX_OK);
    cr_expect_eq(zx_socket_write(ro, 0, "x", 1, NULL), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(socket_write, access_denied) { run_body(write_no_right); }

static void write_bad_args(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    size_t n = 77;
    pair(0, &a, &b);
    cr_expect_eq(zx_socket_write(a, 1u, "x", 1, &n), ZX_ERR_INVALID_ARGS, "options");
    cr_expect_eq(zx_socket_write(a, 0, NULL, 4, &n), ZX_ERR_INVALID_ARGS, "NULL data");
    cr_expect_eq(zx_socket_write(a, 0, BAD_PTR, 4, &n), ZX_ERR_INVALID_ARGS, "bad data");
    cr_expect_eq(sig(b) & ZX_SOCKET_READABLE, 0, "nothing was written");
    cr_expect_eq(n, 77);
    reached = true;
}
Test(socket_write, invalid_args) { run_body(write_bad_args); }

static void write_peer_closed(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    pair(0, &a, &b);
    cr_expect_eq(zx_handle_close(b), ZX_OK);
    cr_expect_eq(zx_socket_write(a, 0, "x", 1, NULL), ZX_ERR_PEER_CLOSED);
    zx_signals_t s = sig(a);
    cr_expect(s & ZX_SOCKET_PEER_CLOSED);
    cr_expect_eq(s & ZX_SOCKET_WRITABLE, 0);
    reached = true;
}
Test(socket_write, peer_closed) { run_body(write_peer_closed); }

static void write_disabled(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    pair(0, &a, &b);
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0), ZX_OK);
    cr_expect_eq(zx_socket_write(a, 0, "x", 1, NULL), ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_socket_write(a, 0, NULL, 0, NULL), ZX_ERR_BAD_STATE,
                 "the state check comes before the zero-size shortcut");
    reached = true;
}
Test(socket_write, write_disabled_bad_state) { run_body(write_disabled); }

static void write_zero(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    size_t n = 99;
    pair(0, &a, &b);
    cr_expect_eq(zx_socket_write(a, 0, NULL, 0, &n), ZX_OK);
    cr_expect_eq(n, 0);
    cr_expect_eq(sig(b) & ZX_SOCKET_READABLE, 0);
    reached = true;
}
Test(socket_write, zero_bytes_ok) { run_body(write_zero); }

static char big[SOCKET_BUF_MAX + 4096];

static void write_short(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    size_t n = 0;
    pair(ZX_SOCKET_STREAM, &a, &b);
    memset(big, 'q', sizeof big);
    cr_expect_eq(zx_socket_write(a, 0, big, 1000, &n), ZX_OK);
    cr_expect_eq(n, 1000);
    cr_expect_eq(zx_socket_write(a, 0, big, sizeof big, &n), ZX_OK);
    cr_expect_eq(n, SOCKET_BUF_MAX - 1000, "a short write fills the buffer");
    cr_expect_eq(sig(a) & ZX_SOCKET_WRITABLE, 0, "full: writer not WRITABLE");
    cr_expect_eq(zx_socket_write(a, 0, "x", 1, &n), ZX_ERR_SHOULD_WAIT);
    char buf[10];
    cr_expect_eq(zx_socket_read(b, 0, buf, sizeof buf, &n), ZX_OK);
    cr_expect_eq(n, 10);
    cr_expect(sig(a) & ZX_SOCKET_WRITABLE, "room again: WRITABLE");
    cr_expect_eq(zx_socket_write(a, 0, big, 100, &n), ZX_OK);
    cr_expect_eq(n, 10);
    reached = true;
}
Test(socket_write, stream_short_write_and_should_wait) { run_body(write_short); }

static void write_datagram_rules(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    size_t n = 5;
    pair(ZX_SOCKET_DATAGRAM, &a, &b);
    cr_expect_eq(zx_socket_write(a, 0, big, SOCKET_BUF_MAX + 1, &n), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_socket_write(a, 0, big, 200000, &n), ZX_OK);
    cr_expect_eq(n, 200000);
    cr_expect_eq(zx_socket_write(a, 0, big, 100000, &n), ZX_ERR_SHOULD_WAIT,
                 "datagrams are all or nothing");
    cr_expect(sig(a) & ZX_SOCKET_WRITABLE, "not full yet");
    cr_expect_eq(zx_socket_write(a, 0, big, SOCKET_BUF_MAX - 200000, &n), ZX_OK);
    cr_expect_eq(zx_socket_write(a, 0, big, SOCKET_BUF_MAX + 1, &n), ZX_ERR_SHOULD_WAIT,
                 "a full buffer answers SHOULD_WAIT before the size check");
    reached = true;
}
Test(socket_write, datagram_out_of_range_and_all_or_nothing) { run_body(write_datagram_rules); }

/* ---- socket_read ------------------------------------------------------------- */

static void read_bad_handle(uintptr_t x, uintptr_t y)
{
    char c;
    cr_expect_eq(zx_socket_read(ZX_HANDLE_INVALID, 0, &c, 1, NULL), ZX_ERR_BAD_HANDLE);
    reached = true;
}
Test(socket_read, bad_handle) { run_body(read_bad_handle); }

static void read_wrong_type(uintptr_t x, uintptr_t y)
{
    zx_handle_t ev;
    char c;
    zx_event_create(0, &ev);
    cr_expect_eq(zx_socket_read(ev, 0, &c, 1, NULL), ZX_ERR_WRONG_TYPE);
    reached = true;
}
Test(socket_read, wrong_type) { run_body(read_wrong_type); }

static void read_no_right(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b, wo;
    char c;
    pair(0, &a, &b);
    zx_socket_write(a, 0, "x", 1, NULL);
    cr_expect_eq(zx_handle_duplicate(b, ZX_RIGHT_WRITE, &wo), ZX_OK);
    cr_expect_eq(zx_socket_read(wo, 0, &c, 1, NULL), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(socket_read, access_denied) { run_body(read_no_right); }

static void read_bad_args(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    char c[4];
    size_t n;
    pair(0, &a, &b);
    zx_socket_write(a, 0, "abcd", 4, NULL);
    cr_expect_eq(zx_socket_read(b, 1u, c, 4, &n), ZX_ERR_INVALID_ARGS, "options");
    cr_expect_eq(zx_socket_read(b, 0, NULL, 4, &n), ZX_ERR_INVALID_ARGS, "NULL buffer");
    cr_expect_eq(zx_socket_read(b, 0, BAD_PTR, 4, &n), ZX_ERR_INVALID_ARGS, "bad buffer");
    cr_expect_eq(zx_socket_read(b, 0, c, 4, &n), ZX_OK, "nothing was consumed");
    cr_expect_eq(n, 4);
    cr_expect_eq(memcmp(c, "abcd", 4), 0);
    reached = true;
}
Test(socket_read, invalid_args) { run_body(read_bad_args); }

static void read_should_wait(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    char c;
    pair(0, &a, &b);
    cr_expect_eq(zx_socket_read(b, 0, &c, 1, NULL), ZX_ERR_SHOULD_WAIT);
    reached = true;
}
Test(socket_read, empty_should_wait) { run_body(read_should_wait); }

static void read_peer_closed(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    char c[8];
    size_t n;
    pair(0, &a, &b);
    zx_socket_write(a, 0, "hi", 2, NULL);
    zx_handle_close(a);
    cr_expect(sig(b) & ZX_SOCKET_PEER_CLOSED);
    cr_expect_eq(zx_socket_read(b, 0, c, sizeof c, &n), ZX_OK, "data outlives the writer");
    cr_expect_eq(n, 2);
    cr_expect_eq(zx_socket_read(b, 0, c, sizeof c, &n), ZX_ERR_PEER_CLOSED);
    reached = true;
}
Test(socket_read, peer_closed_after_drain) { run_body(read_peer_closed); }

static void read_peer_disabled(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    char c[8];
    size_t n;
    pair(0, &a, &b);
    zx_socket_write(a, 0, "xyz", 3, NULL);
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0), ZX_OK);
    cr_expect_eq(zx_socket_read(b, 0, c, sizeof c, &n), ZX_OK);
    cr_expect_eq(n, 3);
    cr_expect_eq(zx_socket_read(b, 0, c, sizeof c, &n), ZX_ERR_BAD_STATE,
                 "no more data can ever arrive");
    reached = true;
}
Test(socket_read, peer_write_disabled_bad_state) { run_body(read_peer_disabled); }

static void read_stream_peek(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    char c[16] = {0};
    size_t n;
    pair(ZX_SOCKET_STREAM, &a, &b);
    zx_socket_write(a, 0, "hello", 5, NULL);
    zx_socket_write(a, 0, "world", 5, NULL);
    cr_expect(sig(b) & ZX_SOCKET_READABLE);
    cr_expect_eq(zx_socket_read(b, ZX_SOCKET_PEEK, c, 7, &n), ZX_OK);
    cr_expect_eq(n, 7);
    cr_expect_eq(memcmp(c, "hellowo", 7), 0, "streams have no boundaries");
    cr_expect_eq(zx_socket_read(b, 0, c, 3, &n), ZX_OK);
    cr_expect_eq(memcmp(c, "hel", 3), 0, "peek left the data in place");
    cr_expect_eq(zx_socket_read(b, 0, c, sizeof c, NULL), ZX_OK, "actual may be NULL");
    cr_expect_eq(memcmp(c, "loworld", 7), 0);
    cr_expect_eq(sig(b) & ZX_SOCKET_READABLE, 0, "drained: READABLE cleared");
    reached = true;
}
Test(socket_read, stream_read_and_peek) { run_body(read_stream_peek); }

static void read_datagram(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    char c[16] = {0};
    size_t n = 9;
    pair(ZX_SOCKET_DATAGRAM, &a, &b);
    zx_socket_write(a, 0, "first", 5, NULL);
    zx_socket_write(a, 0, "second", 6, NULL);
    cr_expect_eq(zx_socket_read(b, 0, c, 0, &n), ZX_OK);
    cr_expect_eq(n, 0, "a zero-size read consumes nothing");
    cr_expect_eq(zx_socket_read(b, ZX_SOCKET_PEEK, c, sizeof c, &n), ZX_OK);
    cr_expect_eq(n, 5, "one datagram at a time");
    cr_expect_eq(zx_socket_read(b, 0, c, 3, &n), ZX_OK);
    cr_expect_eq(n, 3);
    cr_expect_eq(memcmp(c, "fir", 3), 0);
    cr_expect_eq(zx_socket_read(b, 0, c, sizeof c, &n), ZX_OK);
    cr_expect_eq(n, 6, "the truncated rest of the first datagram was discarded");
    cr_expect_eq(memcmp(c, "second", 6), 0);
    cr_expect_eq(zx_socket_read(b, 0, c, sizeof c, &n), ZX_ERR_SHOULD_WAIT);
    reached = true;
}
Test(socket_read, datagram_boundaries_and_truncation) { run_body(read_datagram); }

/* A reader thread blocks on READABLE; a writer thread wakes it later. */
static void late_writer(uintptr_t h, uintptr_t y)
{
    zx_nanosleep(zx_deadline_after(ZX_MSEC(2)));
    cr_expect_eq(zx_socket_write((zx_handle_t)h, 0, "ping", 4, NULL), ZX_OK);
}

static void blocking_reader(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b, th;
    pair(0, &a, &b);
    cr_expect_eq(zx_thread_create(zx_process_self(), "w", 1, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (zx_vaddr_t)late_writer, 0, a, 0), ZX_OK);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(b, ZX_SOCKET_READABLE, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect(seen & ZX_SOCKET_READABLE);
    cr_expect_geq(zx_clock_get_monotonic(), ZX_MSEC(2));
    char c[4];
    size_t n;
    cr_expect_eq(zx_socket_read(b, 0, c, 4, &n), ZX_OK);
    cr_expect_eq(memcmp(c, "ping", 4), 0);
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    reached = true;
}
Test(socket_read, wait_readable_across_threads) { run_body(blocking_reader); }

/* ---- socket_set_disposition ------------------------------------------------ */

static void disp_bad_handle(uintptr_t x, uintptr_t y)
{
    cr_expect_eq(zx_socket_set_disposition(ZX_HANDLE_INVALID,
                                           ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0),
                 ZX_ERR_BAD_HANDLE);
    reached = true;
}
Test(socket_set_disposition, bad_handle) { run_body(disp_bad_handle); }

static void disp_wrong_type(uintptr_t x, uintptr_t y)
{
    zx_handle_t ev;
    zx_event_create(0, &ev);
    cr_expect_eq(zx_socket_set_disposition(ev, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0),
                 ZX_ERR_WRONG_TYPE);
    reached = true;
}
Test(socket_set_disposition, wrong_type) { run_body(disp_wrong_type); }

static void disp_no_right(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b, d;
    pair(0, &a, &b);
    cr_expect_eq(zx_handle_duplicate(a, ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_WAIT, &d), ZX_OK);
    cr_expect_eq(zx_socket_set_disposition(d, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0),
                 ZX_ERR_ACCESS_DENIED, "needs MANAGE_SOCKET");
    reached = true;
}
Test(socket_set_disposition, access_denied) { run_body(disp_no_right); }

static void disp_invalid(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    pair(0, &a, &b);
    uint32_t both = ZX_SOCKET_DISPOSITION_WRITE_DISABLED | ZX_SOCKET_DISPOSITION_WRITE_ENABLED;
    cr_expect_eq(zx_socket_set_disposition(a, both, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_socket_set_disposition(a, 0, both), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_socket_set_disposition(a, 1u << 7, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(sig(a) & ZX_SOCKET_WRITE_DISABLED, 0, "nothing changed");
    cr_expect_eq(zx_socket_set_disposition(a, 0, 0), ZX_OK, "no-op");
    reached = true;
}
Test(socket_set_disposition, invalid_args) { run_body(disp_invalid); }

static void disp_signals(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    pair(0, &a, &b);
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0), ZX_OK);
    zx_signals_t sa = sig(a), sb = sig(b);
    cr_expect(sa & ZX_SOCKET_WRITE_DISABLED);
    cr_expect_eq(sa & ZX_SOCKET_WRITABLE, 0);
    cr_expect(sb & ZX_SOCKET_PEER_WRITE_DISABLED);
    cr_expect(sb & ZX_SOCKET_WRITABLE, "the other direction still works");
    cr_expect_eq(zx_socket_write(b, 0, "ok", 2, NULL), ZX_OK);
    /* Disable the peer's writes from this end. */
    cr_expect_eq(zx_socket_set_disposition(a, 0, ZX_SOCKET_DISPOSITION_WRITE_DISABLED), ZX_OK);
    cr_expect(sig(b) & ZX_SOCKET_WRITE_DISABLED);
    cr_expect(sig(a) & ZX_SOCKET_PEER_WRITE_DISABLED);
    cr_expect_eq(zx_socket_write(b, 0, "no", 2, NULL), ZX_ERR_BAD_STATE);
    /* Re-enable this end: nothing of ours is unread, so it is allowed. */
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_ENABLED, 0), ZX_OK);
    sa = sig(a);
    cr_expect_eq(sa & ZX_SOCKET_WRITE_DISABLED, 0);
    cr_expect(sa & ZX_SOCKET_WRITABLE);
    cr_expect_eq(sig(b) & ZX_SOCKET_PEER_WRITE_DISABLED, 0);
    reached = true;
}
Test(socket_set_disposition, signals_both_ends) { run_body(disp_signals); }

static void disp_reenable_refused(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    char c[8];
    pair(0, &a, &b);
    zx_socket_write(a, 0, "left", 4, NULL);
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0), ZX_OK);
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_ENABLED, 0),
                 ZX_ERR_BAD_STATE, "written data still unread");
    cr_expect_eq(zx_socket_set_disposition(b, 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED),
                 ZX_ERR_BAD_STATE, "same rule from the peer's side");
    cr_expect(sig(a) & ZX_SOCKET_WRITE_DISABLED, "refusal changed nothing");
    zx_socket_read(b, 0, c, sizeof c, NULL);
    cr_expect_eq(zx_socket_set_disposition(b, 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED), ZX_OK);
    cr_expect(sig(a) & ZX_SOCKET_WRITABLE);
    cr_expect_eq(zx_socket_write(a, 0, "more", 4, NULL), ZX_OK);
    reached = true;
}
Test(socket_set_disposition, reenable_bad_state_until_read) { run_body(disp_reenable_refused); }

static void disp_peer_closed(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    pair(0, &a, &b);
    zx_handle_close(b);
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_DISABLED,
                                           ZX_SOCKET_DISPOSITION_WRITE_DISABLED), ZX_OK);
    zx_signals_t s = sig(a);
    cr_expect(s & ZX_SOCKET_WRITE_DISABLED);
    cr_expect(s & ZX_SOCKET_PEER_CLOSED);
    cr_expect_eq(zx_socket_set_disposition(a, ZX_SOCKET_DISPOSITION_WRITE_ENABLED, 0), ZX_OK);
    cr_expect_eq(sig(a) & ZX_SOCKET_WRITABLE, 0, "no peer: never WRITABLE");
    reached = true;
}
Test(socket_set_disposition, peer_closed) { run_body(disp_peer_closed); }

/* ---- White box: info and thresholds ------------------------------------- */

Test(socket_object, info_and_thresholds)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    SimEngine *e = sim_engine_new(&cfg);
    Kernel *k = kernel_new(e);
    KObject *a, *b;
    cr_assert_eq(socket_create(k, ZX_SOCKET_DATAGRAM, &a, &b), ZX_OK);
    size_t n;
    cr_assert_eq(socket_write_check(a, 10, &n), ZX_OK);
    socket_write_commit(a, "0123456789", n);
    cr_assert_eq(socket_write_check(a, 5, &n), ZX_OK);
    socket_write_commit(a, "abcde", n);
    zx_info_socket_t info;
    socket_info(b, &info);
    cr_expect_eq(info.options, ZX_SOCKET_DATAGRAM);
    cr_expect_eq(info.rx_buf_max, SOCKET_BUF_MAX);
    cr_expect_eq(info.rx_buf_size, 15);
    cr_expect_eq(info.rx_buf_available, 10, "next datagram's size");
    socket_info(a, &info);
    cr_expect_eq(info.tx_buf_size, 15);

    cr_expect_eq(socket_set_threshold(b, false, SOCKET_BUF_MAX + 1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(socket_set_threshold(b, false, 12), ZX_OK);
    cr_expect_eq(socket_get_threshold(b, false), 12);
    cr_expect(b->signals & ZX_SOCKET_READ_THRESHOLD, "15 >= 12");
    char buf[16];
    cr_assert_eq(socket_read_peek(b, buf, sizeof buf, &n), ZX_OK);
    socket_read_consume(b, sizeof buf);
    cr_expect_eq(b->signals & ZX_SOCKET_READ_THRESHOLD, 0, "5 < 12");

    cr_expect_eq(socket_set_threshold(a, true, SOCKET_BUF_MAX - 4), ZX_OK);
    cr_expect_eq(a->signals & ZX_SOCKET_WRITE_THRESHOLD, 0, "only MAX-5 free");
    cr_assert_eq(socket_read_peek(b, buf, sizeof buf, &n), ZX_OK);
    socket_read_consume(b, sizeof buf);
    cr_expect(a->signals & ZX_SOCKET_WRITE_THRESHOLD, "all free again");
    cr_expect_eq(socket_set_threshold(a, true, 0), ZX_OK);
    cr_expect_eq(a->signals & ZX_SOCKET_WRITE_THRESHOLD, 0, "0 disables");
    kernel_free(k);
    sim_engine_free(e);
}
