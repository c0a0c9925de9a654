/* socket.c — port of Zircon's core test socket
 * (zircon/system/utest/core/socket/): stream and datagram sockets, peek,
 * signals, read/write thresholds, dispositions (disabling writes), short
 * writes, zero-size reads, and buffers the kernel cannot read or write.
 * Every upstream case applies.
 */
#include <string.h>
#include <zircon/syscalls/system.h>

#include "core_harness.h"

static const char kMsg1[] = "12345", kMsg2[] = "abcdef", kMsg3[] = "ghijklm";
#define READ_BUF 8

static void make_socket(uint32_t options, zx_handle_t *a, zx_handle_t *b)
{
    cr_expect_eq(zx_socket_create(options, a, b), ZX_OK);
}

static void write_all(zx_handle_t s, const void *data, size_t n)
{
    size_t count = 0;
    cr_expect_eq(zx_socket_write(s, 0, data, n, &count), ZX_OK);
    cr_expect_eq(count, n);
}

static void read_expect(zx_handle_t s, uint32_t options, const void *want, size_t n)
{
    uint8_t buf[8192];
    size_t count = 0;
    cr_expect_eq(zx_socket_read(s, options, buf, n, &count), ZX_OK);
    cr_expect_eq(count, n);
    cr_expect_eq(memcmp(buf, want, n), 0);
}

static zx_info_socket_t socket_info(zx_handle_t s)
{
    zx_info_socket_t info = {0};
    cr_expect_eq(zx_object_get_info(s, ZX_INFO_SOCKET, &info, sizeof info, NULL, NULL), ZX_OK);
    return info;
}

CORE_TEST(socket, EndpointsAreRelated)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    core_expect_peers(a, b);
}

CORE_TEST(socket, EmptySocketShouldWait)
{
    zx_handle_t a, b;
    uint32_t data;
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_read(a, 0, &data, sizeof data, NULL), ZX_ERR_SHOULD_WAIT);
}

static const uint32_t kWords[2] = {0xdeadbeef, 0xc0ffee};

CORE_TEST(socket, WriteReadDataVerify)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    write_all(a, &kWords[0], 4);
    write_all(a, &kWords[1], 4);
    read_expect(b, 0, kWords, sizeof kWords);
    write_all(a, kWords, sizeof kWords);
    read_expect(b, 0, kWords, sizeof kWords);
}

CORE_TEST(socket, PeerClosedError)
{
    zx_handle_t a, b;
    uint32_t data = 0;
    make_socket(0, &a, &b);
    zx_handle_close(b);
    cr_expect_eq(zx_socket_write(a, 0, &data, sizeof data, NULL), ZX_ERR_PEER_CLOSED);
}

CORE_TEST(socket, PeekingLeavesData)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    write_all(a, &kWords[0], 4);
    write_all(a, &kWords[1], 4);
    read_expect(b, ZX_SOCKET_PEEK, kWords, sizeof kWords);
    cr_expect_eq(core_signals(a), ZX_SOCKET_WRITABLE);
    cr_expect_eq(core_signals(b), ZX_SOCKET_WRITABLE | ZX_SOCKET_READABLE);
    read_expect(b, 0, kWords, sizeof kWords);
    cr_expect_eq(core_signals(b), ZX_SOCKET_WRITABLE);
}

CORE_TEST(socket, PeekingIntoEmpty)
{
    zx_handle_t a, b;
    uint32_t data;
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_read(a, ZX_SOCKET_PEEK, &data, sizeof data, NULL), ZX_ERR_SHOULD_WAIT);
}

CORE_TEST(socket, Signals)
{
    zx_handle_t a, b;
    static char big[128 * 1024];
    size_t chunk = sizeof big / 16, count = 0;
    make_socket(0, &a, &b);
    cr_expect_eq(core_signals(a), ZX_SOCKET_WRITABLE);
    cr_expect_eq(core_signals(b), ZX_SOCKET_WRITABLE);
    memset(big, 0x66, sizeof big);
    write_all(a, big, chunk);
    cr_expect_eq(core_signals(a), ZX_SOCKET_WRITABLE);
    cr_expect_eq(core_signals(b), ZX_SOCKET_READABLE | ZX_SOCKET_WRITABLE);
    cr_expect_eq(zx_socket_read(b, 0, big, sizeof big, &count), ZX_OK);
    cr_expect_eq(count, chunk);
    cr_expect_eq(core_signals(a), ZX_SOCKET_WRITABLE);
    cr_expect_eq(core_signals(b), ZX_SOCKET_WRITABLE);
    cr_expect_eq(zx_object_signal_peer(a, ZX_SOCKET_WRITABLE, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_object_signal_peer(a, 0, ZX_USER_SIGNAL_1), ZX_OK);
    cr_expect_eq(core_signals(a), ZX_SOCKET_WRITABLE);
    cr_expect_eq(core_signals(b), ZX_SOCKET_WRITABLE | ZX_USER_SIGNAL_1);
    zx_handle_close(b);
    cr_expect_eq(core_signals(a), ZX_SOCKET_PEER_CLOSED);
}

static zx_status_t set_threshold(zx_handle_t s, uint32_t prop, size_t v)
{
    return zx_object_set_property(s, prop, &v, sizeof v);
}

static size_t get_threshold(zx_handle_t s, uint32_t prop)
{
    size_t v = 0;
    cr_expect_eq(zx_object_get_property(s, prop, &v, sizeof v), ZX_OK);
    return v;
}

CORE_TEST(socket, SetThreshholdsProp)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    cr_expect_eq(set_threshold(a, ZX_PROP_SOCKET_RX_THRESHOLD, 0), ZX_OK);
    cr_expect_eq(set_threshold(a, ZX_PROP_SOCKET_RX_THRESHOLD, 0xefffffff), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(set_threshold(a, ZX_PROP_SOCKET_TX_THRESHOLD, 0), ZX_OK);
    cr_expect_eq(set_threshold(a, ZX_PROP_SOCKET_TX_THRESHOLD, 0xefffffff), ZX_ERR_INVALID_ARGS);
}

/* local has READ_THRESHOLD set at 101, remote WRITE_THRESHOLD at
 * tx_buf_max - 103; check each end and a duplicate of it. */
static void expect_pair(zx_handle_t h, zx_handle_t dup, zx_signals_t want)
{
    cr_expect_eq(core_signals(h), want);
    cr_expect_eq(core_signals(dup), want);
}

CORE_TEST(socket, SetThreshholdsAndCheckSignals)
{
    enum { RX = 101 };
    static char buf[256 * 1024];
    zx_handle_t local, remote, local2, remote2;
    make_socket(0, &local, &remote);
    cr_expect_eq(set_threshold(local, ZX_PROP_SOCKET_RX_THRESHOLD, RX), ZX_OK);
    cr_expect_eq(get_threshold(local, ZX_PROP_SOCKET_RX_THRESHOLD), RX);
    zx_info_socket_t info = socket_info(remote);
    size_t wt = info.tx_buf_max - (RX + 2);
    cr_expect_eq(set_threshold(remote, ZX_PROP_SOCKET_TX_THRESHOLD, wt), ZX_OK);
    cr_expect_eq(get_threshold(remote, ZX_PROP_SOCKET_TX_THRESHOLD), wt);
    /* thresholds belong to the object: duplicates see them too */
    cr_expect_eq(zx_handle_duplicate(local, ZX_RIGHT_SAME_RIGHTS, &local2), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(remote, ZX_RIGHT_SAME_RIGHTS, &remote2), ZX_OK);
    cr_expect_eq(get_threshold(local2, ZX_PROP_SOCKET_RX_THRESHOLD), RX);
    cr_expect_eq(get_threshold(remote2, ZX_PROP_SOCKET_TX_THRESHOLD), wt);

    const zx_signals_t W = ZX_SOCKET_WRITABLE, R = ZX_SOCKET_READABLE;
    const zx_signals_t RT = ZX_SOCKET_READ_THRESHOLD, WT = ZX_SOCKET_WRITE_THRESHOLD;
    expect_pair(local, local2, W);
    expect_pair(remote, remote2, W | WT);
    write_all(remote, buf, RX - 1);
    expect_pair(local, local2, W | R);
    expect_pair(remote, remote2, W | WT);
    write_all(remote, buf, 1);
    expect_pair(local, local2, W | R | RT);
    expect_pair(remote, remote2, W | WT);

    cr_expect_eq(set_threshold(local, ZX_PROP_SOCKET_RX_THRESHOLD, RX + 50), ZX_OK);
    expect_pair(local, local2, W | R);
    cr_expect_eq(set_threshold(local, ZX_PROP_SOCKET_RX_THRESHOLD, RX), ZX_OK);
    expect_pair(local, local2, W | R | RT);

    cr_expect_eq(set_threshold(remote, ZX_PROP_SOCKET_TX_THRESHOLD, info.tx_buf_max - 10), ZX_OK);
    expect_pair(remote, remote2, W);
    cr_expect_eq(set_threshold(remote, ZX_PROP_SOCKET_TX_THRESHOLD, wt), ZX_OK);
    expect_pair(remote, remote2, W | WT);

    size_t more = wt - (RX + 1);
    cr_expect_leq(more, sizeof buf);
    write_all(remote, buf, more);
    expect_pair(local, local2, W | R | RT);
    expect_pair(remote, remote2, W);

    size_t count = 0;
    cr_expect_eq(zx_socket_read(local, 0, buf, more + 10, &count), ZX_OK);
    cr_expect_eq(count, more + 10);
    expect_pair(local, local2, W | R);
    expect_pair(remote, remote2, W | WT);
}

CORE_TEST(socket, SignalClosedPeer)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    zx_handle_close(b);
    cr_expect_eq(zx_object_signal_peer(a, 0, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
}

CORE_TEST(socket, PeerClosedSetProperty)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    cr_expect_eq(set_threshold(a, ZX_PROP_SOCKET_TX_THRESHOLD, 1), ZX_OK);
    zx_handle_close(b);
    cr_expect_eq(set_threshold(a, ZX_PROP_SOCKET_TX_THRESHOLD, 1), ZX_ERR_PEER_CLOSED);
}

CORE_TEST(socket, BytesOutstanding)
{
    zx_handle_t a, b;
    uint32_t got[2];
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_read(a, 0, got, sizeof got, NULL), ZX_ERR_SHOULD_WAIT);
    write_all(a, &kWords[0], 4);
    write_all(a, &kWords[1], 4);
    cr_expect_eq(socket_info(b).rx_buf_available, sizeof kWords);
    read_expect(b, 0, kWords, sizeof kWords);
    zx_handle_close(b);
    cr_expect_eq(zx_socket_write(a, 0, &kWords[1], 4, NULL), ZX_ERR_PEER_CLOSED);
}

CORE_TEST(socket, SetDispositionHandleWithoutRight)
{
    zx_handle_t a, b, weak;
    make_socket(0, &a, &b);
    zx_rights_t r = core_basic_info(a).rights;
    cr_expect(r & ZX_RIGHT_MANAGE_SOCKET);
    cr_expect_eq(zx_handle_duplicate(a, r ^ ZX_RIGHT_MANAGE_SOCKET, &weak), ZX_OK);
    cr_expect_eq(zx_socket_set_disposition(weak, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0),
                 ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_socket_set_disposition(weak, 0, ZX_SOCKET_DISPOSITION_WRITE_DISABLED),
                 ZX_ERR_ACCESS_DENIED);
}

CORE_TEST(socket, SetDispositionInvalidArgs)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    const uint32_t both = ZX_SOCKET_DISPOSITION_WRITE_DISABLED | ZX_SOCKET_DISPOSITION_WRITE_ENABLED;
    const uint32_t junk = 1337 & ~both;
    cr_expect_eq(zx_socket_set_disposition(a, both, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_socket_set_disposition(a, 0, both), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_socket_set_disposition(a, junk, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_socket_set_disposition(a, 0, junk), ZX_ERR_INVALID_ARGS);
}

/* Disable writes on one or both ends, watch the signals, then re-enable. */
static void disable_write(bool local_off, bool remote_off)
{
    zx_handle_t local, remote;
    make_socket(0, &local, &remote);
    zx_signals_t ls = ZX_SOCKET_WRITABLE, rs = ZX_SOCKET_WRITABLE;
    if (local_off) {
        write_all(local, kMsg1, 5);
        rs |= ZX_SOCKET_READABLE;
    }
    if (remote_off) {
        write_all(remote, kMsg2, 6);
        ls |= ZX_SOCKET_READABLE;
    }
    cr_expect_eq(core_signals(local), ls);
    cr_expect_eq(core_signals(remote), rs);
    if (local_off) {
        ls = (ls | ZX_SOCKET_WRITE_DISABLED) & ~ZX_SOCKET_WRITABLE;
        rs |= ZX_SOCKET_PEER_WRITE_DISABLED;
    }
    if (remote_off) {
        rs = (rs | ZX_SOCKET_WRITE_DISABLED) & ~ZX_SOCKET_WRITABLE;
        ls |= ZX_SOCKET_PEER_WRITE_DISABLED;
    }
    cr_expect_eq(zx_socket_set_disposition(local,
                                           local_off ? ZX_SOCKET_DISPOSITION_WRITE_DISABLED : 0,
                                           remote_off ? ZX_SOCKET_DISPOSITION_WRITE_DISABLED : 0),
                 ZX_OK);
    cr_expect_eq(core_signals(local), ls);
    cr_expect_eq(core_signals(remote), rs);

    /* a disabled end cannot write, nor re-enable while data is buffered */
    if (local_off) {
        cr_expect_eq(zx_socket_write(local, 0, kMsg1, 5, NULL), ZX_ERR_BAD_STATE);
        cr_expect_eq(zx_socket_set_disposition(local, ZX_SOCKET_DISPOSITION_WRITE_ENABLED, 0),
                     ZX_ERR_BAD_STATE);
    } else {
        write_all(local, kMsg1, 5);
        rs |= ZX_SOCKET_READABLE;
    }
    cr_expect_eq(core_signals(remote), rs);
    if (remote_off) {
        cr_expect_eq(zx_socket_write(remote, 0, kMsg2, 6, NULL), ZX_ERR_BAD_STATE);
        cr_expect_eq(zx_socket_set_disposition(remote, ZX_SOCKET_DISPOSITION_WRITE_ENABLED, 0),
                     ZX_ERR_BAD_STATE);
    } else {
        write_all(remote, kMsg2, 6);
        ls |= ZX_SOCKET_READABLE;
    }
    cr_expect_eq(core_signals(local), ls);

    /* drained: an end whose peer cannot write reads BAD_STATE, else SHOULD_WAIT */
    char buf[READ_BUF];
    read_expect(local, 0, kMsg2, 6);
    ls &= ~ZX_SOCKET_READABLE;
    cr_expect_eq(zx_socket_read(local, 0, buf, 1, NULL),
                 remote_off ? ZX_ERR_BAD_STATE : ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(core_signals(local), ls);
    read_expect(remote, 0, kMsg1, 5);
    rs &= ~ZX_SOCKET_READABLE;
    cr_expect_eq(zx_socket_read(remote, 0, buf, 1, NULL),
                 local_off ? ZX_ERR_BAD_STATE : ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(core_signals(remote), rs);

    cr_expect_eq(zx_socket_set_disposition(local, ZX_SOCKET_DISPOSITION_WRITE_ENABLED,
                                           ZX_SOCKET_DISPOSITION_WRITE_ENABLED), ZX_OK);
    cr_expect_eq(core_signals(local), ZX_SOCKET_WRITABLE);
    cr_expect_eq(core_signals(remote), ZX_SOCKET_WRITABLE);
    write_all(local, kMsg2, 6);
    write_all(remote, kMsg3, 7);
    cr_expect_eq(core_signals(local), ZX_SOCKET_WRITABLE | ZX_SOCKET_READABLE);
    cr_expect_eq(core_signals(remote), ZX_SOCKET_WRITABLE | ZX_SOCKET_READABLE);
    read_expect(local, 0, kMsg3, 7);
    read_expect(remote, 0, kMsg2, 6);
    cr_expect_eq(core_signals(local), ZX_SOCKET_WRITABLE);
    cr_expect_eq(core_signals(remote), ZX_SOCKET_WRITABLE);
}

CORE_TEST(socket, DisableWriteLocal) { disable_write(true, false); }

CORE_TEST(socket, DisableWritePeer) { disable_write(false, true); }

CORE_TEST(socket, DisableWriteBoth) { disable_write(true, true); }

CORE_TEST(socket, SetDispositionOfClosedPeerWithBufferedData)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    write_all(b, kMsg1, 5);
    cr_expect_eq(zx_socket_set_disposition(a, 0, ZX_SOCKET_DISPOSITION_WRITE_DISABLED), ZX_OK);
    cr_expect_eq(zx_socket_set_disposition(a, 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED),
                 ZX_ERR_BAD_STATE, "data is still buffered");
    zx_handle_close(b);
    cr_expect_eq(zx_socket_set_disposition(a, 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED),
                 ZX_ERR_BAD_STATE, "still buffered after the peer closed");
}

CORE_TEST(socket, ShortWrite)
{
    static char buf[1024 * 1024];
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    size_t size = socket_info(a).rx_buf_max + 1, written = ~(size_t)0;
    cr_expect_leq(size, sizeof buf);
    cr_expect_eq(zx_socket_write(a, 0, buf, size, &written), ZX_OK);
    cr_expect_lt(written, size);
}

CORE_TEST(socket, Datagram)
{
    zx_handle_t a, b;
    static uint8_t big[4096]; /* larger than one of Zircon's mbuf payloads */
    make_socket(ZX_SOCKET_DATAGRAM, &a, &b);
    write_all(a, kMsg1, 5);
    write_all(a, kMsg2, 6);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)i;
    write_all(a, big, sizeof big);
    cr_expect_eq(socket_info(b).rx_buf_available, 5);
    read_expect(b, 0, kMsg1, 4); /* the rest of the datagram is dropped */
    cr_expect_eq(socket_info(b).rx_buf_available, 6);
    read_expect(b, 0, kMsg2, 6);
    cr_expect_eq(socket_info(b).rx_buf_available, sizeof big);
    read_expect(b, 0, big, sizeof big);
    cr_expect_eq(socket_info(b).rx_buf_available, 0);
}

CORE_TEST(socket, DatagramPeek)
{
    zx_handle_t a, b;
    make_socket(ZX_SOCKET_DATAGRAM, &a, &b);
    write_all(a, kMsg1, 5);
    write_all(a, kMsg2, 6);
    read_expect(b, ZX_SOCKET_PEEK, kMsg1, 4);
    read_expect(b, ZX_SOCKET_PEEK, kMsg1, 5);
    read_expect(b, 0, kMsg1, 5);
    read_expect(b, ZX_SOCKET_PEEK, kMsg2, 6);
}

CORE_TEST(socket, DatagramPeekEmpty)
{
    zx_handle_t a, b;
    char c;
    make_socket(ZX_SOCKET_DATAGRAM, &a, &b);
    cr_expect_eq(zx_socket_read(a, ZX_SOCKET_PEEK, &c, 1, NULL), ZX_ERR_SHOULD_WAIT);
}

CORE_TEST(socket, DatagramNoShortWrite)
{
    static char buf[2 * 1024 * 1024];
    zx_handle_t a, b;
    make_socket(ZX_SOCKET_DATAGRAM, &a, &b);
    size_t max = socket_info(b).tx_buf_max;
    cr_expect_gt(max, 0);
    size_t size = max * 2, written = ~(size_t)0;
    cr_expect_leq(size, sizeof buf);
    cr_expect_eq(zx_socket_write(a, 0, buf, size, &written), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(written, ~(size_t)0, "a failed write leaves actual alone");
}

CORE_TEST(socket, ZeroSize)
{
    zx_handle_t a, b;
    char c;
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_read(a, 0, &c, 0, NULL), ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(zx_socket_write(a, 0, "a", 1, NULL), ZX_OK);
    cr_expect_eq(zx_socket_read(b, 0, &c, 0, NULL), ZX_OK);
    cr_expect_eq(zx_socket_read(b, 0, &c, 0, NULL), ZX_OK);
    zx_handle_close(a);
    zx_handle_close(b);
    make_socket(ZX_SOCKET_DATAGRAM, &a, &b);
    cr_expect_eq(zx_socket_read(a, 0, &c, 0, NULL), ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(zx_socket_write(b, 0, "a", 1, NULL), ZX_OK);
    cr_expect_eq(zx_socket_read(a, 0, &c, 0, NULL), ZX_OK);
    cr_expect_eq(zx_socket_read(a, 0, &c, 0, NULL), ZX_OK);
}

CORE_TEST(socket, ReadIntoNullBuffer)
{
    zx_handle_t a, b;
    size_t n;
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_write(a, 0, "A", 1, NULL), ZX_OK);
    cr_expect_eq(zx_socket_read(b, 0, NULL, 1, &n), ZX_ERR_INVALID_ARGS);
}

/* `size` bytes of a fresh VMO mapped with `perms` in our root VMAR. */
static void *map_vmo(size_t size, zx_vm_option_t perms)
{
    zx_handle_t vmo;
    zx_vaddr_t addr = 0;
    cr_expect_eq(zx_vmo_create(size, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), perms, 0, vmo, 0, size, &addr), ZX_OK);
    zx_handle_close(vmo);
    return (void *)addr;
}

CORE_TEST(socket, ReadIntoBadBuffer)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_write(a, 0, "A", 1, NULL), ZX_OK);
    void *buffer = map_vmo(4096, 0); /* mapped but not writable */
    size_t actual = 99;
    cr_expect_eq(zx_socket_read(b, 0, buffer, 1, &actual), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(actual, 99);
}

CORE_TEST(socket, WriteFromNullBuffer)
{
    zx_handle_t a, b;
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_write(a, 0, NULL, 1, NULL), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(socket, WriteFromBadBuffer)
{
    zx_handle_t a, b;
    size_t n;
    make_socket(0, &a, &b);
    cr_expect_eq(zx_socket_write(b, 0, map_vmo(4096, 0), 1, &n), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(socket, WriteFromPartialBadBuffer)
{
    zx_handle_t a, b;
    size_t n;
    make_socket(0, &a, &b);
    void *buffer = map_vmo(16 * 1024, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
    cr_expect_not(core_signals(a) & ZX_SOCKET_READABLE);
    cr_expect(core_signals(b) & ZX_SOCKET_WRITABLE);
    cr_expect_eq(zx_socket_write(b, 0, buffer, 32 * 1024, &n), ZX_ERR_INVALID_ARGS);
    bool readable = (core_signals(a) & ZX_SOCKET_READABLE) != 0;
    cr_expect_eq(readable, zx_socket_read(a, 0, buffer, 1, &n) == ZX_OK,
                 "READABLE agrees with what can be read");
}

CORE_TEST(socket, ReadToPartialBadBuffer)
{
    zx_handle_t a, b;
    size_t n;
    make_socket(0, &a, &b);
    void *buffer = map_vmo(16 * 1024, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
    while (zx_socket_write(b, 0, buffer, 16 * 1024, &n) == ZX_OK)
        ;
    cr_expect(core_signals(a) & ZX_SOCKET_READABLE);
    cr_expect_not(core_signals(b) & ZX_SOCKET_WRITABLE);
    cr_expect_eq(zx_socket_read(a, 0, buffer, 32 * 1024, &n), ZX_ERR_INVALID_ARGS);
    bool writable = (core_signals(b) & ZX_SOCKET_WRITABLE) != 0;
    cr_expect_eq(writable, zx_socket_write(b, 0, buffer, 1, &n) == ZX_OK,
                 "WRITABLE agrees with what can be written");
    while (zx_socket_read(a, 0, buffer, 16 * 1024, &n) == ZX_OK)
        ;
    cr_expect(core_signals(b) & ZX_SOCKET_WRITABLE);
}
