/* channel_iovec.c — port of Zircon's core test channel-iovec
 * (zircon/system/utest/core/channel-iovec/): ZX_CHANNEL_WRITE_USE_IOVEC
 * for zx_channel_write(_etc) and zx_channel_call(_etc): gathering, limits
 * on count and total size, reserved fields and null buffers.
 * Every upstream case applies.
 */
#include <string.h>

#include "core_harness.h"

#define MAX_VECS 9000
static zx_channel_iovec_t vecs[MAX_VECS];
static char inputs[ZX_CHANNEL_MAX_MSG_BYTES * 2];
static char output[ZX_CHANNEL_MAX_MSG_BYTES];

/* n iovecs of `each` bytes over `inputs`, iovec i filled with a value
 * that differs from its neighbours. */
static void fill_vecs(size_t n, size_t each)
{
    for (size_t i = 0; i < n; i++) {
        memset(inputs + i * each, (char)(i + i / 256), each);
        vecs[i] = (zx_channel_iovec_t){.buffer = inputs + i * each, .capacity = (uint32_t)each};
    }
}

CORE_TEST(channel_iovec, WriteZeroIovecs)
{
    zx_handle_t r, w;
    cr_expect_eq(zx_channel_create(0, &r, &w), ZX_OK);
    cr_expect_eq(zx_channel_write(w, ZX_CHANNEL_WRITE_USE_IOVEC, NULL, 0, NULL, 0), ZX_OK);
    uint32_t nb = 1, nh = 1;
    cr_expect_eq(zx_channel_read(r, 0, NULL, NULL, 0, 0, &nb, &nh), ZX_OK);
    cr_expect_eq(nb, 0);
    cr_expect_eq(nh, 0);
}

static void write_read(size_t n, size_t each)
{
    zx_handle_t r, w;
    cr_expect_eq(zx_channel_create(0, &r, &w), ZX_OK);
    fill_vecs(n, each);
    cr_expect_eq(zx_channel_write(w, ZX_CHANNEL_WRITE_USE_IOVEC, vecs, (uint32_t)n, NULL, 0),
                 ZX_OK);
    uint32_t nb = 0, nh = 1;
    cr_expect_eq(zx_channel_read(r, 0, output, NULL, sizeof output, 0, &nb, &nh), ZX_OK);
    cr_expect_eq(nb, n * each);
    cr_expect_eq(nh, 0);
    cr_expect_eq(memcmp(output, inputs, n * each), 0);
}

CORE_TEST(channel_iovec, WriteFewLargeIovecs) { write_read(3, 8000); }

CORE_TEST(channel_iovec, WriteManySmallIovecs) { write_read(1000, 10); }

static void expect_one_event(zx_handle_t r)
{
    char out[8];
    zx_handle_t h = ZX_HANDLE_INVALID;
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_channel_read(r, 0, out, &h, sizeof out, 1, &nb, &nh), ZX_OK);
    cr_expect_eq(nb, 8);
    cr_expect_eq(nh, 1);
    cr_expect(core_handle_valid(h));
}

CORE_TEST(channel_iovec, WriteWithHandle)
{
    zx_handle_t r, w, ev;
    char in[8] = {0};
    zx_channel_iovec_t v = {.buffer = in, .capacity = sizeof in};
    cr_expect_eq(zx_channel_create(0, &r, &w), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    cr_expect_eq(zx_channel_write(w, ZX_CHANNEL_WRITE_USE_IOVEC, &v, 1, &ev, 1), ZX_OK);
    expect_one_event(r);
}

CORE_TEST(channel_iovec, WriteEtcWithHandle)
{
    zx_handle_t r, w, ev;
    char in[8] = {0};
    zx_channel_iovec_t v = {.buffer = in, .capacity = sizeof in};
    cr_expect_eq(zx_channel_create(0, &r, &w), ZX_OK);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_handle_disposition_t d = {ZX_HANDLE_OP_MOVE, ev, ZX_OBJ_TYPE_EVENT, ZX_RIGHT_SAME_RIGHTS,
                                 ZX_OK};
    cr_expect_eq(zx_channel_write_etc(w, ZX_CHANNEL_WRITE_USE_IOVEC, &v, 1, &d, 1), ZX_OK);
    expect_one_event(r);
}

static void write_out_of_range(size_t n, size_t each)
{
    zx_handle_t r, w;
    cr_expect_eq(zx_channel_create(0, &r, &w), ZX_OK);
    fill_vecs(n, each);
    cr_expect_eq(zx_channel_write(w, ZX_CHANNEL_WRITE_USE_IOVEC, vecs, (uint32_t)n, NULL, 0),
                 ZX_ERR_OUT_OF_RANGE);
}

CORE_TEST(channel_iovec, WriteTooManyIovecs) { write_out_of_range(9000, 1); }

CORE_TEST(channel_iovec, WriteTooManyBytes) { write_out_of_range(1000, 100); }

CORE_TEST(channel_iovec, WriteNonZeroReservedIovec)
{
    zx_handle_t r, w;
    char buf[256];
    zx_channel_iovec_t v = {.buffer = buf, .capacity = sizeof buf, .reserved = 1};
    cr_expect_eq(zx_channel_create(0, &r, &w), ZX_OK);
    cr_expect_eq(zx_channel_write(w, ZX_CHANNEL_WRITE_USE_IOVEC, &v, 1, NULL, 0),
                 ZX_ERR_INVALID_ARGS);
}

CORE_TEST(channel_iovec, WriteNullBufferNonnullSize)
{
    zx_handle_t r, w;
    zx_channel_iovec_t v = {.buffer = NULL, .capacity = 8};
    cr_expect_eq(zx_channel_create(0, &r, &w), ZX_OK);
    cr_expect_eq(zx_channel_write(w, ZX_CHANNEL_WRITE_USE_IOVEC, &v, 1, NULL, 0),
                 ZX_ERR_INVALID_ARGS);
}

/* zx_channel_call with `v` as the request's iovecs; no server. */
static zx_status_t call_no_server(zx_channel_iovec_t *v, uint32_t n)
{
    zx_handle_t c, s;
    cr_expect_eq(zx_channel_create(0, &c, &s), ZX_OK);
    zx_channel_call_args_t args = {.wr_bytes = v, .wr_num_bytes = n};
    uint32_t nb, nh;
    return zx_channel_call(c, ZX_CHANNEL_WRITE_USE_IOVEC, ZX_TIME_INFINITE, &args, &nb, &nh);
}

CORE_TEST(channel_iovec, CallIovecBytesLessThanTxidSize)
{
    char in[3];
    zx_channel_iovec_t v = {.buffer = in, .capacity = sizeof in};
    cr_expect_eq(call_no_server(&v, 1), ZX_ERR_INVALID_ARGS);
}

static void call_iovecs(size_t n, size_t each)
{
    zx_handle_t client, th = core_echo_start(&client);
    fill_vecs(n, each);
    zx_channel_call_args_t args = {.wr_bytes = vecs, .rd_bytes = output,
                                   .wr_num_bytes = (uint32_t)n,
                                   .rd_num_bytes = (uint32_t)(n * each)};
    uint32_t nb = 0, nh = 1;
    cr_expect_eq(zx_channel_call(client, ZX_CHANNEL_WRITE_USE_IOVEC, ZX_TIME_INFINITE, &args,
                                 &nb, &nh), ZX_OK);
    cr_expect_eq(nb, n * each);
    cr_expect_eq(nh, 0);
    cr_expect_eq(memcmp(output + 4, inputs + 4, n * each - 4), 0);
    core_thread_join(th);
}

CORE_TEST(channel_iovec, CallFewLargeIovecs) { call_iovecs(3, 8000); }

CORE_TEST(channel_iovec, CallManySmallIovecs) { call_iovecs(1000, 10); }

CORE_TEST(channel_iovec, CallWithHandle)
{
    zx_handle_t client, th = core_echo_start(&client), ev, got = ZX_HANDLE_INVALID;
    char in[8] = {0}, out[8];
    zx_channel_iovec_t v = {.buffer = in, .capacity = sizeof in};
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_channel_call_args_t args = {.wr_bytes = &v, .wr_handles = &ev, .rd_bytes = out,
                                   .rd_handles = &got, .wr_num_bytes = 1, .wr_num_handles = 1,
                                   .rd_num_bytes = 8, .rd_num_handles = 1};
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_channel_call(client, ZX_CHANNEL_WRITE_USE_IOVEC, ZX_TIME_INFINITE, &args,
                                 &nb, &nh), ZX_OK);
    cr_expect_eq(nb, 8);
    cr_expect_eq(memcmp(in + 4, out + 4, 4), 0);
    cr_expect_eq(nh, 1);
    cr_expect(core_handle_valid(got));
    core_thread_join(th);
}

CORE_TEST(channel_iovec, CallEtcWithHandle)
{
    zx_handle_t client, th = core_echo_start(&client), ev;
    char in[8] = {0}, out[8];
    zx_channel_iovec_t v = {.buffer = in, .capacity = sizeof in};
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_handle_disposition_t d = {ZX_HANDLE_OP_MOVE, ev, ZX_OBJ_TYPE_EVENT, ZX_RIGHT_SAME_RIGHTS,
                                 ZX_OK};
    zx_handle_info_t got = {0};
    zx_channel_call_etc_args_t args = {.wr_bytes = &v, .wr_handles = &d, .rd_bytes = out,
                                       .rd_handles = &got, .wr_num_bytes = 1,
                                       .wr_num_handles = 1, .rd_num_bytes = 8,
                                       .rd_num_handles = 1};
    uint32_t nb = 0, nh = 0;
    cr_expect_eq(zx_channel_call_etc(client, ZX_CHANNEL_WRITE_USE_IOVEC, ZX_TIME_INFINITE, &args,
                                     &nb, &nh), ZX_OK);
    cr_expect_eq(nb, 8);
    cr_expect_eq(memcmp(in + 4, out + 4, 4), 0);
    cr_expect_eq(nh, 1);
    cr_expect_neq(got.handle, ZX_HANDLE_INVALID);
    cr_expect_eq(got.type, ZX_OBJ_TYPE_EVENT);
    core_thread_join(th);
}

static void call_out_of_range(size_t n, size_t each)
{
    zx_handle_t c, s;
    cr_expect_eq(zx_channel_create(0, &c, &s), ZX_OK);
    fill_vecs(n, each);
    zx_channel_call_etc_args_t args = {.wr_bytes = vecs, .wr_num_bytes = (uint32_t)n};
    uint32_t nb, nh;
    cr_expect_eq(zx_channel_call_etc(c, ZX_CHANNEL_WRITE_USE_IOVEC, ZX_TIME_INFINITE, &args,
                                     &nb, &nh), ZX_ERR_OUT_OF_RANGE);
}

CORE_TEST(channel_iovec, CallTooManyIovecs) { call_out_of_range(9000, 1); }

CORE_TEST(channel_iovec, CallTooManyBytes) { call_out_of_range(1000, 100); }

CORE_TEST(channel_iovec, CallNonZeroReservedIovec)
{
    char buf[256];
    zx_channel_iovec_t v = {.buffer = buf, .capacity = sizeof buf, .reserved = 1};
    cr_expect_eq(call_no_server(&v, 1), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(channel_iovec, CallNullBufferNonnullSize)
{
    zx_channel_iovec_t v = {.buffer = NULL, .capacity = 8};
    cr_expect_eq(call_no_server(&v, 1), ZX_ERR_INVALID_ARGS);
}
