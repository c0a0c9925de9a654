/* bad_syscall.c — port of Zircon's core test bad-syscall
 * (zircon/system/utest/core/bad-syscall/): buffers the kernel cannot read
 * or write give errors, not crashes.
 *
 * Not ported:
 *   SyscallNumTest — issues raw syscall instructions with bad numbers; our
 *     apps call the zx_* functions and never trap into a kernel by number.
 *   PciCfgPioRw — needs the root resource and PCI config space.
 * KERNEL_ASPACE_BASE is x86-64 Zircon's 0xffffff8000000000.
 */
#include "core_harness.h"

#define UNMAPPED ((void *)4096)
#define KERNEL_ASPACE_BASE 0xffffff8000000000ull

CORE_TEST(bad_syscall, InvalidMappedAddressFails)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_channel_create(0, &a, &b), ZX_OK);
    cr_expect_neq(zx_channel_write(a, 0, UNMAPPED, 1, NULL, 0), ZX_OK);
}

CORE_TEST(bad_syscall, KernelMappedAddressChannelWriteFails)
{
    zx_handle_t a, b;
    cr_expect_eq(zx_channel_create(0, &a, &b), ZX_OK);
    cr_expect_neq(zx_channel_write(a, 0, (void *)(KERNEL_ASPACE_BASE - 1), 5, NULL, 0), ZX_OK,
                  "a read crossing into kernel space");
    cr_expect_neq(zx_channel_write(a, 0, (void *)KERNEL_ASPACE_BASE, 1, NULL, 0), ZX_OK,
                  "a read of kernel space");
}

CORE_TEST(bad_syscall, NormalMappedAddressChannelWriteSucceeds)
{
    zx_handle_t a, b;
    void *local = UNMAPPED;
    cr_expect_eq(zx_channel_create(0, &a, &b), ZX_OK);
    cr_expect_eq(zx_channel_write(a, 0, &local, sizeof local, NULL, 0), ZX_OK);
}

CORE_TEST(bad_syscall, ChannelReadHandle)
{
    zx_handle_t a, b, proc;
    cr_expect_eq(zx_channel_create(0, &a, &b), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &proc), ZX_OK);
    cr_expect_eq(zx_channel_write(a, 0, NULL, 0, &proc, 1), ZX_OK);
    uint32_t nb, nh;
    cr_expect_eq(zx_channel_read(b, 0, NULL, (zx_handle_t *)UNMAPPED, 0, 1, &nb, &nh),
                 ZX_ERR_INVALID_ARGS);
}
