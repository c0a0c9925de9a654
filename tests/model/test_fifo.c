/* test_fifo.c — covers: fifo_create, fifo_write, fifo_read.
 * One test per documented error of each call, plus partial counts,
 * wrap-around, signals and a blocking reader woken by another thread. */
#include <string.h>

#include "ktest.h"

#define BAD_PTR ((void *)(uintptr_t)8)

static bool reached;

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

/* ---- fifo_create ------------------------------------------------------------ */

static void create_ok(uintptr_t x, uintptr_t y)
{
    zx_handle_t a = 0, b = 0;
    cr_expect_eq(zx_fifo_create(4, 8, 0, &a, &b), ZX_OK);
    cr_expect_neq(a, ZX_HANDLE_INVALID);
    cr_expect_neq(b, ZX_HANDLE_INVALID);
    cr_expect_eq(sig(a) & 0xFFFFFF, ZX_FIFO_WRITABLE);
    cr_expect_eq(sig(b) & 0xFFFFFF, ZX_FIFO_WRITABLE);
    cr_expect_eq(zx_fifo_create(1, ZX_FIFO_MAX_SIZE_BYTES, 0, &a, &b), ZX_OK, "the limit itself");
    cr_expect_eq(zx_fifo_create(ZX_FIFO_MAX_SIZE_BYTES, 1, 0, &a, &b), ZX_OK);
    reached = true;
}
Test(fifo_create, ok) { run_body(create_ok); }

static void create_out_of_range(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_fifo_create(0, 8, 0, &a, &b), ZX_ERR_OUT_OF_RANGE, "count 0");
    cr_expect_eq(zx_fifo_create(4, 0, 0, &a, &b), ZX_ERR_OUT_OF_RANGE, "size 0");
    cr_expect_eq(zx_fifo_create(64, 128, 0, &a, &b), ZX_ERR_OUT_OF_RANGE, "8192 bytes");
    cr_expect_eq(zx_fifo_create(1, ZX_FIFO_MAX_SIZE_BYTES + 1, 0, &a, &b), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_fifo_create((size_t)1 << 62, 4, 0, &a, &b), ZX_ERR_OUT_OF_RANGE,
                 "no overflow in count * size");
    reached = true;
}
Test(fifo_create, out_of_range) { run_body(create_out_of_range); }

static void create_invalid_args(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_fifo_create(4, 4, 1, &a, &b), ZX_ERR_INVALID_ARGS, "options");
    cr_expect_eq(zx_fifo_create(4, 4, 0, &a, BAD_PTR), ZX_ERR_INVALID_ARGS, "bad out1");
    cr_expect_eq(zx_fifo_create(4, 4, 0, NULL, &b), ZX_ERR_INVALID_ARGS, "NULL out0");
    reached = true;
}
Test(fifo_create, invalid_args) { run_body(create_invalid_args); }

static void create_denied(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_fifo_create(4, 4, 0, &a, &b), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(fifo_create, policy_denied)
{
    KTest *t = ktest_new(1, 1);
    t->job->policy.action[ZX_POL_NEW_FIFO] = ZX_POL_ACTION_DENY;
    reached = false;
    KProcess *p = ktest_spawn(t, "denied", create_denied, 0);
    ktest_run(t);
    cr_assert_eq(ktest_retcode(p), 0);
    cr_assert(reached);
    ktest_free(t);
}

/* ---- fifo_write ---------------------------------------------------------------- */

static void write_handle_errors(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b, ev, ro;
    uint32_t v = 1;
    cr_expect_eq(zx_fifo_write(ZX_HANDLE_INVALID, 4, &v, 1, NULL), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_fifo_write(ev, 4, &v, 1, NULL), ZX_ERR_WRONG_TYPE);
    zx_fifo_create(4, 4, 0, &a, &b);
    cr_expect_eq(zx_handle_duplicate(a, ZX_RIGHT_READ, &ro), ZX_OK);
    cr_expect_eq(zx_fifo_write(ro, 4, &v, 1, NULL), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(fifo_write, bad_handle_wrong_type_access_denied) { run_body(write_handle_errors); }

static void write_out_of_range(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    uint32_t v[2] = {1, 2};
    zx_fifo_create(4, 4, 0, &a, &b);
    cr_expect_eq(zx_fifo_write(a, 8, v, 1, NULL), ZX_ERR_OUT_OF_RANGE, "wrong elem size");
    cr_expect_eq(zx_fifo_write(a, 4, v, 0, NULL), ZX_ERR_OUT_OF_RANGE, "zero count");
    cr_expect_eq(sig(b) & ZX_FIFO_READABLE, 0);
    reached = true;
}
Test(fifo_write, out_of_range) { run_body(write_out_of_range); }

static void write_invalid_args(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    zx_fifo_create(4, 4, 0, &a, &b);
    cr_expect_eq(zx_fifo_write(a, 4, NULL, 1, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_fifo_write(a, 4, BAD_PTR, 2, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(sig(b) & ZX_FIFO_READABLE, 0, "nothing was queued");
    reached = true;
}
Test(fifo_write, invalid_args) { run_body(write_invalid_args); }

static void write_peer_closed(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    uint32_t v = 1;
    zx_fifo_create(4, 4, 0, &a, &b);
    zx_handle_close(b);
    cr_expect_eq(zx_fifo_write(a, 4, &v, 1, NULL), ZX_ERR_PEER_CLOSED);
    cr_expect_eq(zx_fifo_write(a, 99, &v, 0, NULL), ZX_ERR_PEER_CLOSED,
                 "the peer check comes before the size checks");
    zx_signals_t s = sig(a);
    cr_expect(s & ZX_FIFO_PEER_CLOSED);
    cr_expect_eq(s & ZX_FIFO_WRITABLE, 0);
    reached = true;
}
Test(fifo_write, peer_closed) { run_body(write_peer_closed); }

static void write_partial_and_full(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    uint32_t v[6] = {10, 11, 12, 13, 14, 15};
    size_t n = 0;
    zx_fifo_create(4, 4, 0, &a, &b);
    cr_expect_eq(zx_fifo_write(a, 4, v, 3, &n), ZX_OK);
    cr_expect_eq(n, 3);
    cr_expect(sig(b) & ZX_FIFO_READABLE);
    cr_expect(sig(a) & ZX_FIFO_WRITABLE, "one slot left");
    cr_expect_eq(zx_fifo_write(a, 4, v + 3, 3, &n), ZX_OK);
    cr_expect_eq(n, 1, "partial: only the free slots");
    cr_expect_eq(sig(a) & ZX_FIFO_WRITABLE, 0, "full");
    cr_expect_eq(zx_fifo_write(a, 4, v, 1, &n), ZX_ERR_SHOULD_WAIT);
    cr_expect(sig(b) & ZX_FIFO_WRITABLE, "the other direction is independent");
    reached = true;
}
Test(fifo_write, partial_count_and_should_wait) { run_body(write_partial_and_full); }

/* ---- fifo_read ------------------------------------------------------------------ */

static void read_handle_errors(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b, ev, wo;
    uint32_t v;
    cr_expect_eq(zx_fifo_read(ZX_HANDLE_INVALID, 4, &v, 1, NULL), ZX_ERR_BAD_HANDLE);
    zx_event_create(0, &ev);
    cr_expect_eq(zx_fifo_read(ev, 4, &v, 1, NULL), ZX_ERR_WRONG_TYPE);
    zx_fifo_create(4, 4, 0, &a, &b);
    cr_expect_eq(zx_handle_duplicate(b, ZX_RIGHT_WRITE, &wo), ZX_OK);
    cr_expect_eq(zx_fifo_read(wo, 4, &v, 1, NULL), ZX_ERR_ACCESS_DENIED);
    reached = true;
}
Test(fifo_read, bad_handle_wrong_type_access_denied) { run_body(read_handle_errors); }

static void read_out_of_range(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    uint32_t v = 5;
    zx_fifo_create(4, 4, 0, &a, &b);
    zx_fifo_write(a, 4, &v, 1, NULL);
    cr_expect_eq(zx_fifo_read(b, 2, &v, 1, NULL), ZX_ERR_OUT_OF_RANGE, "wrong elem size");
    cr_expect_eq(zx_fifo_read(b, 4, &v, 0, NULL), ZX_ERR_OUT_OF_RANGE, "zero count");
    zx_handle_t c, d;
    zx_fifo_create(4, 4, 0, &c, &d);
    cr_expect_eq(zx_fifo_read(d, 8, &v, 1, NULL), ZX_ERR_OUT_OF_RANGE,
                 "size checks come before the empty check");
    reached = true;
}
Test(fifo_read, out_of_range) { run_body(read_out_of_range); }

static void read_invalid_args(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    uint32_t v = 7;
    size_t n;
    zx_fifo_create(4, 4, 0, &a, &b);
    zx_fifo_write(a, 4, &v, 1, NULL);
    cr_expect_eq(zx_fifo_read(b, 4, NULL, 1, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_fifo_read(b, 4, BAD_PTR, 1, NULL), ZX_ERR_INVALID_ARGS);
    v = 0;
    cr_expect_eq(zx_fifo_read(b, 4, &v, 1, &n), ZX_OK, "the element is still there");
    cr_expect_eq(v, 7);
    reached = true;
}
Test(fifo_read, invalid_args) { run_body(read_invalid_args); }

static void read_should_wait_and_peer_closed(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    uint32_t v = 3, out[4];
    size_t n;
    zx_fifo_create(4, 4, 0, &a, &b);
    cr_expect_eq(zx_fifo_read(b, 4, out, 4, &n), ZX_ERR_SHOULD_WAIT);
    zx_fifo_write(a, 4, &v, 1, NULL);
    zx_handle_close(a);
    cr_expect(sig(b) & ZX_FIFO_PEER_CLOSED);
    cr_expect_eq(zx_fifo_read(b, 4, out, 4, &n), ZX_OK, "queued elements outlive the writer");
    cr_expect_eq(n, 1);
    cr_expect_eq(out[0], 3);
    cr_expect_eq(zx_fifo_read(b, 4, out, 4, &n), ZX_ERR_PEER_CLOSED);
    reached = true;
}
Test(fifo_read, should_wait_then_peer_closed) { run_body(read_should_wait_and_peer_closed); }

static void read_order_and_wrap(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b;
    uint64_t in[4] = {1, 2, 3, 4}, out[8] = {0};
    size_t n;
    zx_fifo_create(4, 8, 0, &a, &b);
    for (int round = 0; round < 3; round++) {
        cr_expect_eq(zx_fifo_write(a, 8, in, 3, &n), ZX_OK);
        cr_expect_eq(n, 3);
        cr_expect_eq(zx_fifo_read(b, 8, out, 2, &n), ZX_OK);
        cr_expect_eq(n, 2, "partial: asked for 2");
        cr_expect_eq(out[0], 1);
        cr_expect_eq(out[1], 2);
        cr_expect_eq(zx_fifo_read(b, 8, out, 8, NULL), ZX_OK);
        cr_expect_eq(out[0], 3, "FIFO order across the ring's wrap");
        cr_expect_eq(sig(b) & ZX_FIFO_READABLE, 0);
    }
    /* Full, then one read makes the writer WRITABLE again. */
    zx_fifo_write(a, 8, in, 4, NULL);
    cr_expect_eq(sig(a) & ZX_FIFO_WRITABLE, 0);
    zx_fifo_read(b, 8, out, 1, NULL);
    cr_expect(sig(a) & ZX_FIFO_WRITABLE);
    reached = true;
}
Test(fifo_read, order_partial_and_signals) { run_body(read_order_and_wrap); }

static void late_writer(uintptr_t h, uintptr_t y)
{
    zx_nanosleep(zx_deadline_after(ZX_USEC(500)));
    uint32_t v = 42;
    cr_expect_eq(zx_fifo_write((zx_handle_t)h, 4, &v, 1, NULL), ZX_OK);
}

static void blocking_reader(uintptr_t x, uintptr_t y)
{
    zx_handle_t a, b, th;
    zx_fifo_create(2, 4, 0, &a, &b);
    cr_expect_eq(zx_thread_create(zx_process_self(), "w", 1, 0, &th), ZX_OK);
    cr_expect_eq(zx_thread_start(th, (zx_vaddr_t)late_writer, 0, a, 0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(b, ZX_FIFO_READABLE, ZX_TIME_INFINITE, NULL), ZX_OK);
    cr_expect_geq(zx_clock_get_monotonic(), ZX_USEC(500));
    uint32_t v = 0;
    cr_expect_eq(zx_fifo_read(b, 4, &v, 1, NULL), ZX_OK);
    cr_expect_eq(v, 42);
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    reached = true;
}
Test(fifo_read, wait_readable_across_threads) { run_body(blocking_reader); }
