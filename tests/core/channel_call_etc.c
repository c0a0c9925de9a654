/* channel_call_etc.c — port of Zircon's core test channel-call-etc
 * (zircon/system/utest/core/channel-call-etc/): zx_channel_call_etc
 * against an echo server, handle dispositions that keep or reduce rights,
 * and the errors for raised rights, a wrong type and a bad channel.
 * Every upstream case applies.
 */
#include <string.h>

#include "core_harness.h"

static zx_handle_t make_port(void)
{
    zx_handle_t p = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_port_create(0, &p), ZX_OK);
    return p;
}

CORE_TEST(channel_call_etc, BytesOnlySuccessCase)
{
    zx_handle_t client, th = core_echo_start(&client);
    uint8_t req[512], rep[512];
    for (int i = 0; i < 512; i++)
        req[i] = (uint8_t)i;
    zx_channel_call_etc_args_t args = {.wr_bytes = req, .rd_bytes = rep,
                                       .wr_num_bytes = 512, .rd_num_bytes = 512};
    uint32_t nb = 0, nh = 1;
    cr_expect_eq(zx_channel_call_etc(client, 0, ZX_TIME_INFINITE, &args, &nb, &nh), ZX_OK);
    cr_expect_eq(nb, 512);
    cr_expect_eq(nh, 0);
    /* the first four bytes carry the kernel's txid */
    cr_expect_eq(memcmp(req + 4, rep + 4, 508), 0);
    core_thread_join(th);
}

/* Call with one port per disposition; returns the call's status. */
static zx_status_t call_with_ports(zx_handle_t client, zx_handle_disposition_t *d, uint32_t n,
                                   zx_handle_info_t *got, uint32_t *nh)
{
    uint8_t req[4] = {0}, rep[4];
    zx_channel_call_etc_args_t args = {
        .wr_bytes = req, .wr_handles = d, .rd_bytes = rep, .rd_handles = got,
        .wr_num_bytes = 4, .wr_num_handles = n, .rd_num_bytes = 4, .rd_num_handles = n,
    };
    uint32_t nb = 0;
    zx_status_t st = zx_channel_call_etc(client, 0, ZX_TIME_INFINITE, &args, &nb, nh);
    if (st == ZX_OK)
        cr_expect_eq(nb, 4);
    return st;
}

CORE_TEST(channel_call_etc, HandlesSuccessCase)
{
    zx_handle_t client, th = core_echo_start(&client);
    zx_handle_t p0 = make_port(), p1 = make_port();
    zx_info_handle_basic_t i0 = core_basic_info(p0), i1 = core_basic_info(p1);
    zx_handle_disposition_t d[2] = {
        {ZX_HANDLE_OP_MOVE, p0, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS, ZX_OK},
        {ZX_HANDLE_OP_MOVE, p1, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS, ZX_OK},
    };
    zx_handle_info_t got[2] = {0};
    uint32_t nh = 0;
    cr_expect_eq(call_with_ports(client, d, 2, got, &nh), ZX_OK);
    cr_expect_eq(nh, 2);
    cr_expect_neq(got[0].handle, ZX_HANDLE_INVALID);
    cr_expect_eq(got[0].type, i0.type);
    cr_expect_eq(got[0].rights, i0.rights);
    cr_expect_neq(got[1].handle, ZX_HANDLE_INVALID);
    cr_expect_eq(got[1].type, i1.type);
    cr_expect_eq(got[1].rights, i1.rights);
    core_thread_join(th);
}

CORE_TEST(channel_call_etc, ReducedRightsSuccessCase)
{
    zx_handle_t client, th = core_echo_start(&client);
    zx_handle_disposition_t d = {ZX_HANDLE_OP_MOVE, make_port(), ZX_OBJ_TYPE_PORT,
                                 ZX_RIGHT_TRANSFER, ZX_OK};
    zx_handle_info_t got = {0};
    uint32_t nh = 0;
    cr_expect_eq(call_with_ports(client, &d, 1, &got, &nh), ZX_OK);
    cr_expect_eq(nh, 1);
    cr_expect_neq(got.handle, ZX_HANDLE_INVALID);
    cr_expect_eq(got.type, ZX_OBJ_TYPE_PORT);
    cr_expect_eq(got.rights, ZX_RIGHT_TRANSFER);
    core_thread_join(th);
}

CORE_TEST(channel_call_etc, IncreasedRightsFailureCase)
{
    zx_handle_t client, server;
    cr_expect_eq(zx_channel_create(0, &client, &server), ZX_OK);
    zx_handle_disposition_t d = {ZX_HANDLE_OP_MOVE, make_port(), ZX_OBJ_TYPE_PORT,
                                 ZX_RIGHT_TRANSFER | ZX_RIGHT_MANAGE_PROCESS, ZX_OK};
    zx_handle_info_t got;
    uint32_t nh;
    cr_expect_eq(call_with_ports(client, &d, 1, &got, &nh), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(channel_call_etc, WrongObjectTypeFailureCase)
{
    zx_handle_t client, server;
    cr_expect_eq(zx_channel_create(0, &client, &server), ZX_OK);
    zx_handle_disposition_t d = {ZX_HANDLE_OP_MOVE, make_port(), ZX_OBJ_TYPE_VMO,
                                 ZX_RIGHT_SAME_RIGHTS, ZX_OK};
    zx_handle_info_t got;
    uint32_t nh;
    cr_expect_eq(call_with_ports(client, &d, 1, &got, &nh), ZX_ERR_WRONG_TYPE);
}

CORE_TEST(channel_call_etc, BadChannelFailureCase)
{
    uint8_t req[4] = {0}, rep[4];
    zx_channel_call_etc_args_t args = {.wr_bytes = req, .rd_bytes = rep,
                                       .wr_num_bytes = 4, .rd_num_bytes = 4};
    uint32_t nb, nh;
    cr_expect_eq(zx_channel_call_etc(ZX_HANDLE_INVALID, 0, ZX_TIME_INFINITE, &args, &nb, &nh),
                 ZX_ERR_BAD_HANDLE);
}
