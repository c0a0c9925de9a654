/* channel_write_etc.c — port of Zircon's core test channel-write-etc
 * (zircon/system/utest/core/channel-write-etc/): zx_channel_write_etc with
 * MOVE and DUPLICATE dispositions, per-handle results, type and rights
 * checks, and which handles are consumed on failure. Most cases run once
 * per operation: a MOVE handle is gone afterwards (closing it is
 * ZX_ERR_BAD_HANDLE), a DUPLICATE one is still ours (ZX_OK).
 * Every upstream case applies.
 */
#include "core_harness.h"

static const uint32_t kData = 0xbaadcafe;

static zx_status_t after_close(zx_handle_op_t op)
{
    return op == ZX_HANDLE_OP_DUPLICATE ? ZX_OK : ZX_ERR_BAD_HANDLE;
}

static void make_channel(zx_handle_t *a, zx_handle_t *b)
{
    cr_expect_eq(zx_channel_create(0, a, b), ZX_OK);
}

static zx_handle_t make_socket(zx_handle_t *other)
{
    zx_handle_t s, o;
    cr_expect_eq(zx_socket_create(ZX_SOCKET_STREAM, &s, &o), ZX_OK);
    if (other)
        *other = o;
    else
        zx_handle_close(o);
    return s;
}

static zx_handle_disposition_t disp(zx_handle_op_t op, zx_handle_t h, zx_obj_type_t type,
                                    zx_rights_t rights)
{
    return (zx_handle_disposition_t){op, h, type, rights, ZX_OK};
}

static zx_status_t write1(zx_handle_t ch, zx_handle_disposition_t *d, uint32_t n)
{
    return zx_channel_write_etc(ch, 0, &kData, sizeof kData, d, n);
}

static const zx_handle_op_t ops[2] = {ZX_HANDLE_OP_MOVE, ZX_HANDLE_OP_DUPLICATE};

CORE_TEST(channel_write_etc, MultipleHandlesSomeInvalidResultsReportedCorrectly)
{
    zx_handle_t a, b, ca, cb, s1, ev;
    make_channel(&a, &b);
    make_channel(&ca, &cb);
    zx_handle_t s0 = make_socket(&s1);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_handle_disposition_t d[4] = {
        disp(ZX_HANDLE_OP_MOVE, s0, ZX_OBJ_TYPE_PORT, ZX_RIGHT_SAME_RIGHTS),   /* wrong type */
        disp(ZX_HANDLE_OP_MOVE, s1, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS),
        disp(ZX_HANDLE_OP_DUPLICATE, ca, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS), /* no DUPLICATE */
        disp(ZX_HANDLE_OP_MOVE, ev, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS),
    };
    cr_expect_eq(write1(a, d, 4), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(d[0].result, ZX_ERR_WRONG_TYPE);
    cr_expect_eq(d[1].result, ZX_OK);
    cr_expect_eq(d[2].result, ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(d[3].result, ZX_OK);
    cr_expect_eq(zx_handle_close(ca), ZX_OK);
}

CORE_TEST(channel_write_etc, ImproperlyInitalizedResultsArgReportedBackAsOriginallyInitalized)
{
    zx_handle_t a, b, ev;
    make_channel(&a, &b);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_handle_disposition_t d = {ZX_HANDLE_OP_MOVE, ev, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS,
                                 ZX_ERR_WRONG_TYPE};
    cr_expect_eq(write1(a, &d, 1), ZX_OK);
    cr_expect_eq(d.result, ZX_ERR_WRONG_TYPE, "a successful write leaves result untouched");
}

CORE_TEST(channel_write_etc, FailureDoesNotResultInReceivedPacket)
{
    zx_handle_t a, b, ev;
    make_channel(&a, &b);
    cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
    zx_handle_disposition_t d = disp(ZX_HANDLE_OP_MOVE, ev, ZX_OBJ_TYPE_SOCKET,
                                     ZX_RIGHT_SAME_RIGHTS);
    cr_expect_eq(write1(a, &d, 1), ZX_ERR_WRONG_TYPE);
    uint32_t bytes;
    zx_handle_t h;
    cr_expect_eq(zx_channel_read(b, 0, &bytes, &h, sizeof bytes, 1, NULL, NULL),
                 ZX_ERR_SHOULD_WAIT);
}

CORE_TEST(channel_write_etc, SentHandleReferrsToSameObject)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, ev, got;
        make_channel(&a, &b);
        cr_expect_eq(zx_event_create(0, &ev), ZX_OK);
        zx_info_handle_basic_t before = core_basic_info(ev);
        zx_handle_disposition_t d = disp(ops[i], ev, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), ZX_OK);
        cr_expect_eq(zx_handle_close(ev), after_close(ops[i]));
        uint32_t bytes;
        cr_expect_eq(zx_channel_read(b, 0, &bytes, &got, sizeof bytes, 1, NULL, NULL), ZX_OK);
        zx_info_handle_basic_t after = core_basic_info(got);
        cr_expect_eq(after.koid, before.koid);
        cr_expect_eq(after.rights, before.rights);
        cr_expect_eq(after.type, before.type);
    }
}

CORE_TEST(channel_write_etc, InvalidOpArgShouldFail)
{
    const zx_handle_op_t bad[2] = {0xffffffffu, 2};
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, s = make_socket(NULL);
        make_channel(&a, &b);
        zx_handle_disposition_t d = disp(bad[i], s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), ZX_ERR_INVALID_ARGS);
        cr_expect_eq(zx_handle_close(s), ZX_ERR_BAD_HANDLE, "op %#x", bad[i]);
    }
}

CORE_TEST(channel_write_etc, HandleArgNotAChannelHandleShouldFail)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t s1, s0 = make_socket(&s1);
        zx_handle_disposition_t d = disp(ops[i], s1, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(s0, &d, 1), ZX_ERR_WRONG_TYPE);
        cr_expect_eq(zx_handle_close(s0), ZX_OK);
        cr_expect_eq(zx_handle_close(s1), after_close(ops[i]));
    }
}

CORE_TEST(channel_write_etc, ChannelHandleNotValidShouldFail)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, s = make_socket(NULL);
        make_channel(&a, &b);
        cr_expect_eq(zx_handle_close(a), ZX_OK);
        zx_handle_disposition_t d = disp(ops[i], s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), ZX_ERR_BAD_HANDLE);
        cr_expect_eq(zx_handle_close(s), after_close(ops[i]));
    }
}

CORE_TEST(channel_write_etc, ChannelHandleWithoutWriteRightShouldFail)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, ro, s = make_socket(NULL);
        make_channel(&a, &b);
        cr_expect_eq(zx_handle_replace(a, core_basic_info(a).rights & ~ZX_RIGHT_WRITE, &ro),
                     ZX_OK);
        zx_handle_disposition_t d = disp(ops[i], s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(ro, &d, 1), ZX_ERR_ACCESS_DENIED);
        cr_expect_eq(zx_handle_close(s), after_close(ops[i]));
    }
}

CORE_TEST(channel_write_etc, HandleWithoutTransferRightShouldFail)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, fixed, s = make_socket(NULL);
        make_channel(&a, &b);
        cr_expect_eq(zx_handle_replace(s, core_basic_info(s).rights & ~ZX_RIGHT_TRANSFER, &fixed),
                     ZX_OK);
        zx_handle_disposition_t d = disp(ops[i], fixed, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), ZX_ERR_ACCESS_DENIED);
        cr_expect_eq(zx_handle_close(fixed), after_close(ops[i]));
    }
}

CORE_TEST(channel_write_etc, InvalidHandleInTransferredHandlesShouldFail)
{
    zx_handle_t closed = make_socket(NULL);
    cr_expect_eq(zx_handle_close(closed), ZX_OK);
    const zx_handle_t bad[3] = {closed, ZX_HANDLE_INVALID, 0xffffffffu};
    for (int i = 0; i < 3; i++) {
        zx_handle_t a, b;
        make_channel(&a, &b);
        zx_handle_disposition_t d = disp(ZX_HANDLE_OP_DUPLICATE, bad[i], ZX_OBJ_TYPE_NONE,
                                         ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), ZX_ERR_BAD_HANDLE, "case %d", i);
    }
}

CORE_TEST(channel_write_etc, RepeatedHandlesWithOpMoveHandlesShouldFail)
{
    zx_handle_t a, b, s = make_socket(NULL);
    make_channel(&a, &b);
    zx_handle_disposition_t d[2] = {
        disp(ZX_HANDLE_OP_MOVE, s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS),
        disp(ZX_HANDLE_OP_MOVE, s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS),
    };
    cr_expect_eq(write1(a, d, 2), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_close(s), ZX_ERR_BAD_HANDLE);
}

CORE_TEST(channel_write_etc, DuplicateHandlesInTransferredHandlesShouldSucceed)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, dup, s = make_socket(NULL);
        make_channel(&a, &b);
        cr_expect_eq(zx_handle_duplicate(s, ZX_RIGHT_SAME_RIGHTS, &dup), ZX_OK);
        zx_handle_disposition_t d[2] = {
            disp(ops[i], s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS),
            disp(ops[i], dup, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS),
        };
        cr_expect_eq(write1(a, d, 2), ZX_OK);
        cr_expect_eq(zx_handle_close(s), after_close(ops[i]));
        cr_expect_eq(zx_handle_close(dup), after_close(ops[i]));
    }
}

CORE_TEST(channel_write_etc, HandleDoesNotMatchTypeShouldFail)
{
    for (zx_obj_type_t type = 0; type < 256; type++) {
        if (type == ZX_OBJ_TYPE_SOCKET || type == ZX_OBJ_TYPE_NONE)
            continue;
        for (int i = 0; i < 2; i++) {
            zx_handle_t a, b, s = make_socket(NULL);
            make_channel(&a, &b);
            zx_handle_disposition_t d = disp(ops[i], s, type, ZX_RIGHT_SAME_RIGHTS);
            cr_expect_eq(write1(a, &d, 1), ZX_ERR_WRONG_TYPE, "type %u", type);
            cr_expect_eq(zx_handle_close(s), after_close(ops[i]), "type %u", type);
            zx_handle_close(a);
            zx_handle_close(b);
        }
    }
}

CORE_TEST(channel_write_etc, OptionsArgNonZeroShouldFail)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, s = make_socket(NULL);
        make_channel(&a, &b);
        zx_handle_disposition_t d = disp(ops[i], s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(zx_channel_write_etc(a, 1, &kData, sizeof kData, &d, 1),
                     ZX_ERR_INVALID_ARGS);
        cr_expect_eq(zx_handle_close(s), after_close(ops[i]));
    }
}

CORE_TEST(channel_write_etc, ChannelHandleInTransferredHandlesShouldFail)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b;
        make_channel(&a, &b);
        zx_handle_disposition_t d = disp(ops[i], a, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), ZX_ERR_NOT_SUPPORTED);
        cr_expect_eq(zx_handle_close(a), after_close(ops[i]));
        cr_expect_eq(zx_handle_close(b), ZX_OK);
    }
}

CORE_TEST(channel_write_etc, OppositeChannelEndClosedShouldFail)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, s = make_socket(NULL);
        make_channel(&a, &b);
        zx_handle_close(b);
        zx_handle_disposition_t d = disp(ops[i], s, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), ZX_ERR_PEER_CLOSED);
        cr_expect_eq(zx_handle_close(s), after_close(ops[i]));
    }
}

CORE_TEST(channel_write_etc, HandleCountBoundaryChecks)
{
    const uint32_t counts[3] = {0, ZX_CHANNEL_MAX_MSG_HANDLES, ZX_CHANNEL_MAX_MSG_HANDLES + 1};
    const zx_status_t want[3] = {ZX_OK, ZX_OK, ZX_ERR_OUT_OF_RANGE};
    for (int i = 0; i < 2; i++) {
        for (int c = 0; c < 3; c++) {
            zx_handle_t a, b, evs[ZX_CHANNEL_MAX_MSG_HANDLES + 1];
            zx_handle_disposition_t d[ZX_CHANNEL_MAX_MSG_HANDLES + 1];
            make_channel(&a, &b);
            for (uint32_t j = 0; j < counts[c]; j++) {
                cr_expect_eq(zx_event_create(0, &evs[j]), ZX_OK);
                d[j] = disp(ops[i], evs[j], ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
            }
            cr_expect_eq(write1(a, d, counts[c]), want[c], "%u handles", counts[c]);
            for (uint32_t j = 0; j < counts[c]; j++)
                cr_expect_eq(zx_handle_close(evs[j]), after_close(ops[i]));
            zx_handle_close(a);
            zx_handle_close(b);
        }
    }
}

CORE_TEST(channel_write_etc, HandleCountAndDataCountBothZeroShouldSucceed)
{
    zx_handle_t a, b;
    make_channel(&a, &b);
    cr_expect_eq(zx_channel_write_etc(a, 0, NULL, 0, NULL, 0), ZX_OK);
}

CORE_TEST(channel_write_etc, MaximumNumberHandlesWithZeroCountArrayArgShouldSucceed)
{
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, evs[ZX_CHANNEL_MAX_MSG_HANDLES];
        zx_handle_disposition_t d[ZX_CHANNEL_MAX_MSG_HANDLES];
        make_channel(&a, &b);
        for (uint32_t j = 0; j < ZX_CHANNEL_MAX_MSG_HANDLES; j++) {
            cr_expect_eq(zx_event_create(0, &evs[j]), ZX_OK);
            d[j] = disp(ops[i], evs[j], ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        }
        /* a count of zero touches none of them, even for MOVE */
        cr_expect_eq(write1(a, d, 0), ZX_OK);
        for (uint32_t j = 0; j < ZX_CHANNEL_MAX_MSG_HANDLES; j++)
            cr_expect_eq(zx_handle_close(evs[j]), ZX_OK);
    }
}

CORE_TEST(channel_write_etc, ByteCountIsMaxShouldSucceed)
{
    static uint8_t bytes[ZX_CHANNEL_MAX_MSG_BYTES];
    zx_handle_t a, b;
    make_channel(&a, &b);
    cr_expect_eq(zx_channel_write_etc(a, 0, bytes, sizeof bytes, NULL, 0), ZX_OK);
}

CORE_TEST(channel_write_etc, ByteCountIsMaxPlusOneShouldFail)
{
    static uint8_t bytes[ZX_CHANNEL_MAX_MSG_BYTES + 1];
    zx_handle_t a, b;
    make_channel(&a, &b);
    cr_expect_eq(zx_channel_write_etc(a, 0, bytes, sizeof bytes, NULL, 0), ZX_ERR_OUT_OF_RANGE);
}

CORE_TEST(channel_write_etc, NullptrArgWhenSizeNonZeroShouldFail)
{
    zx_handle_t a, b;
    make_channel(&a, &b);
    cr_expect_eq(zx_channel_write_etc(a, 0, NULL, 10, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_channel_write_etc(a, 0, NULL, 0, NULL, 10), ZX_ERR_INVALID_ARGS);
}

/* Send a socket with `rights`; return the rights the receiver got. */
static zx_rights_t send_with_rights(zx_handle_op_t op, zx_rights_t rights, zx_rights_t *orig)
{
    zx_handle_t a, b, got = ZX_HANDLE_INVALID, s = make_socket(NULL);
    make_channel(&a, &b);
    zx_rights_t before = core_basic_info(s).rights;
    zx_handle_disposition_t d = disp(op, s, ZX_OBJ_TYPE_NONE, rights);
    cr_expect_eq(write1(a, &d, 1), ZX_OK);
    if (orig)
        *orig = op == ZX_HANDLE_OP_DUPLICATE ? core_basic_info(s).rights : before;
    cr_expect_eq(zx_handle_close(s), after_close(op));
    uint32_t bytes;
    cr_expect_eq(zx_channel_read(b, 0, &bytes, &got, sizeof bytes, 1, NULL, NULL), ZX_OK);
    zx_info_handle_basic_t info = core_basic_info(got);
    cr_expect_eq(info.type, ZX_OBJ_TYPE_SOCKET);
    cr_expect_eq(zx_handle_close(got), ZX_OK);
    return info.rights;
}

static zx_rights_t socket_rights(void)
{
    zx_handle_t s = make_socket(NULL);
    zx_rights_t r = core_basic_info(s).rights;
    zx_handle_close(s);
    return r;
}

CORE_TEST(channel_write_etc, RemoveAllHandleRightsShouldSucceed)
{
    for (int i = 0; i < 2; i++)
        cr_expect_eq(send_with_rights(ops[i], ZX_RIGHT_NONE, NULL), ZX_RIGHT_NONE);
}

CORE_TEST(channel_write_etc, RemovingSomeHandleRightsShouldSucceed)
{
    zx_rights_t all = socket_rights(), orig = 0;
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(send_with_rights(ops[i], all & ~ZX_RIGHT_WRITE, &orig), all & ~ZX_RIGHT_WRITE);
        cr_expect_eq(orig, all, "a DUPLICATE leaves the sender's rights alone");
    }
}

CORE_TEST(channel_write_etc, SameHandleRightsBitsShouldSucceed)
{
    zx_rights_t all = socket_rights();
    for (int i = 0; i < 2; i++)
        cr_expect_eq(send_with_rights(ops[i], all, NULL), all);
}

CORE_TEST(channel_write_etc, SameHandleRightsFlagShouldSucceed)
{
    zx_rights_t all = socket_rights();
    for (int i = 0; i < 2; i++)
        cr_expect_eq(send_with_rights(ops[i], ZX_RIGHT_SAME_RIGHTS, NULL), all);
}

CORE_TEST(channel_write_etc, HandleWithoutDuplicateRightsMoveOpSucceedsDuplicateOpFails)
{
    const zx_status_t want[2] = {ZX_OK, ZX_ERR_ACCESS_DENIED};
    for (int i = 0; i < 2; i++) {
        zx_handle_t a, b, nodup, s = make_socket(NULL);
        make_channel(&a, &b);
        cr_expect_eq(zx_handle_duplicate(s, core_basic_info(s).rights & ~ZX_RIGHT_DUPLICATE,
                                         &nodup), ZX_OK);
        zx_handle_disposition_t d = disp(ops[i], nodup, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SAME_RIGHTS);
        cr_expect_eq(write1(a, &d, 1), want[i]);
        cr_expect_eq(zx_handle_close(nodup), after_close(ops[i]));
        cr_expect_eq(zx_handle_close(s), ZX_OK);
    }
}
