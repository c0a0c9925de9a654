/* fifo.c — port of Zircon's core test fifo
 * (zircon/system/utest/core/fifo/): creation limits, related koids,
 * signals as the ring fills and drains, order across the wrap, partial
 * writes, peer closed, and buffers the kernel cannot read or write.
 * Every upstream case applies.
 */
#include <zircon/syscalls/system.h>

#include "core_harness.h"

#define ESIZE sizeof(uint64_t)

static void make_fifo(uint32_t count, zx_handle_t *a, zx_handle_t *b)
{
    cr_expect_eq(zx_fifo_create(count, ESIZE, 0, a, b), ZX_OK);
}

CORE_TEST(fifo, InvalidParametersReturnOutOfRange)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_fifo_create(0, 0, 0, &a, &b), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_fifo_create(128, 33, 0, &a, &b), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_fifo_create(0, 0, 1, &a, &b), ZX_ERR_OUT_OF_RANGE);
}

CORE_TEST(fifo, EndpointsAreRelated)
{
    zx_handle_t a, b;
    make_fifo(8, &a, &b);
    cr_expect_eq(core_signals(a), ZX_FIFO_WRITABLE);
    cr_expect_eq(core_signals(b), ZX_FIFO_WRITABLE);
    core_expect_peers(a, b);
}

CORE_TEST(fifo, EmptyQueueReturnsErrShouldWait)
{
    zx_handle_t a, b;
    uint64_t got[8];
    size_t n;
    make_fifo(8, &a, &b);
    cr_expect_eq(zx_fifo_read(a, ESIZE, got, 8, &n), ZX_ERR_SHOULD_WAIT);
}

CORE_TEST(fifo, ReadAndWriteValidatesSizeAndElementCount)
{
    zx_handle_t a, b;
    uint64_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, got[8];
    size_t n;
    make_fifo(8, &a, &b);
    cr_expect_eq(zx_fifo_read(a, ESIZE, got, 0, &n), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_fifo_write(a, ESIZE, data, 0, &n), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_fifo_read(a, ESIZE + 1, got, 8, &n), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_fifo_write(a, ESIZE + 1, data, 8, &n), ZX_ERR_OUT_OF_RANGE);
}

CORE_TEST(fifo, DequeueSignalsWriteable)
{
    zx_handle_t a, b;
    uint64_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, got[8] = {0};
    size_t n = 0;
    make_fifo(8, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, data, 8, &n), ZX_OK);
    cr_expect_eq(n, 8);
    cr_expect_eq(core_signals(b), ZX_FIFO_READABLE | ZX_FIFO_WRITABLE);
    cr_expect_eq(zx_fifo_write(a, ESIZE, data, 8, &n), ZX_ERR_SHOULD_WAIT);
    cr_expect_eq(core_signals(a), 0);
    cr_expect_eq(zx_fifo_read(b, ESIZE, got, 4, &n), ZX_OK);
    cr_expect_eq(n, 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(got[i], (uint64_t)i + 1);
    cr_expect_eq(got[4], 0);
    cr_expect_eq(core_signals(a), ZX_FIFO_WRITABLE);
    cr_expect_eq(zx_fifo_read(b, ESIZE, got, 4, &n), ZX_OK);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(got[i], (uint64_t)i + 5);
    cr_expect_eq(core_signals(b), ZX_FIFO_WRITABLE);
}

CORE_TEST(fifo, FifoOrderIsPreserved)
{
    zx_handle_t a, b;
    uint64_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, got[8] = {0};
    size_t n = 0;
    make_fifo(8, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, data, 8, &n), ZX_OK);
    cr_expect_eq(zx_fifo_read(b, ESIZE, got, 4, &n), ZX_OK);
    uint64_t more[2] = {9, 10};
    cr_expect_eq(zx_fifo_write(a, ESIZE, more, 2, &n), ZX_OK);
    cr_expect_eq(n, 2);
    /* a read across the wrap, asking for more than is queued */
    cr_expect_eq(zx_fifo_read(b, ESIZE, got, 8, &n), ZX_OK);
    cr_expect_eq(n, 6);
    for (int i = 0; i < 6; i++)
        cr_expect_eq(got[i], (uint64_t)i + 5);
    uint64_t wrap[5] = {11, 12, 13, 14, 15};
    cr_expect_eq(zx_fifo_write(a, ESIZE, wrap, 5, &n), ZX_OK);
    cr_expect_eq(n, 5);
}

CORE_TEST(fifo, PartialWriteQueuesElementsThatFit)
{
    zx_handle_t a, b;
    uint64_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    size_t n = 0;
    make_fifo(8, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, data, 5, &n), ZX_OK);
    cr_expect_eq(zx_fifo_write(a, ESIZE, data, 5, &n), ZX_OK);
    cr_expect_eq(n, 3);
}

CORE_TEST(fifo, IndividualReadsPreserveOrder)
{
    zx_handle_t a, b;
    uint64_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    size_t n = 0;
    make_fifo(8, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, data, 8, &n), ZX_OK);
    for (int i = 0; i < 8; i++) {
        uint64_t one = 0;
        cr_expect_eq(zx_fifo_read(b, ESIZE, &one, 1, &n), ZX_OK);
        cr_expect_eq(n, 1);
        cr_expect_eq(one, data[i]);
    }
}

CORE_TEST(fifo, EndpointCloseSignalsPeerClosed)
{
    zx_handle_t a, b;
    uint64_t one = 19, got[8];
    size_t n = 0;
    make_fifo(8, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, &one, 1, &n), ZX_OK);
    cr_expect_eq(zx_handle_close(a), ZX_OK);
    /* what was written before the close can still be read */
    cr_expect_eq(core_signals(b), ZX_FIFO_READABLE | ZX_FIFO_PEER_CLOSED);
    cr_expect_eq(zx_fifo_read(b, ESIZE, got, 8, &n), ZX_OK);
    cr_expect_eq(n, 1);
    cr_expect_eq(core_signals(b), ZX_FIFO_PEER_CLOSED);
    cr_expect_eq(zx_fifo_read(b, ESIZE, got, 8, &n), ZX_ERR_PEER_CLOSED);
    cr_expect_eq(zx_object_signal_peer(b, 0, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
}

CORE_TEST(fifo, NonPowerOfTwoCountSupported)
{
    zx_handle_t a, b;
    uint64_t data[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, got[9];
    size_t n = 0;
    make_fifo(10, &a, &b);
    for (int round = 0; round < 2; round++) {
        cr_expect_eq(zx_fifo_write(a, ESIZE, data, 9, &n), ZX_OK);
        cr_expect_eq(n, 9);
        cr_expect_eq(zx_fifo_read(b, ESIZE, got, 9, &n), ZX_OK);
        cr_expect_eq(n, 9);
        cr_expect_eq(got[8], 9);
    }
}

CORE_TEST(fifo, ReadNullBuffer)
{
    zx_handle_t a, b;
    uint64_t one = 1;
    size_t n;
    make_fifo(4, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, &one, 1, &n), ZX_OK);
    cr_expect_eq(zx_fifo_read(b, ESIZE, NULL, 1, &n), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(fifo, WriteNullBuffer)
{
    zx_handle_t a, b;
    size_t n;
    make_fifo(4, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, NULL, 1, &n), ZX_ERR_INVALID_ARGS);
}

/* One page of a fresh VMO mapped with `perms` in our root VMAR. */
static uintptr_t map_page(zx_vm_option_t perms)
{
    size_t page = zx_system_get_page_size();
    zx_handle_t vmo;
    zx_vaddr_t addr = 0;
    cr_expect_eq(zx_vmo_create(page, 0, &vmo), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), perms, 0, vmo, 0, page, &addr), ZX_OK);
    zx_handle_close(vmo);
    return addr;
}

CORE_TEST(fifo, ReadBadBuffer)
{
    void *buffer = (void *)map_page(0); /* mapped, but neither readable nor writable */
    zx_handle_t a, b;
    uint64_t one = 1;
    size_t n;
    make_fifo(4, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, &one, 1, &n), ZX_OK);
    cr_expect_eq(zx_fifo_read(b, ESIZE, buffer, 1, &n), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(fifo, WriteBadBuffer)
{
    void *buffer = (void *)map_page(0);
    zx_handle_t a, b;
    size_t n;
    make_fifo(4, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, buffer, 1, &n), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(fifo, ReadPartialBadBuffer)
{
    /* room for one element before the end of the mapping, not two */
    uintptr_t addr = map_page(ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
    void *buffer = (void *)(addr + zx_system_get_page_size() - ESIZE);
    zx_handle_t a, b;
    uint64_t two[2] = {1, 2};
    size_t n;
    make_fifo(4, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, two, 2, &n), ZX_OK);
    cr_expect_eq(zx_fifo_read(b, ESIZE, buffer, 2, &n), ZX_ERR_INVALID_ARGS);
}

CORE_TEST(fifo, WritePartialBadBuffer)
{
    uintptr_t addr = map_page(ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
    void *buffer = (void *)(addr + zx_system_get_page_size() - ESIZE);
    zx_handle_t a, b;
    size_t n;
    make_fifo(4, &a, &b);
    cr_expect_eq(zx_fifo_write(a, ESIZE, buffer, 2, &n), ZX_ERR_INVALID_ARGS);
}
