/* vmar.c — our ports of Zircon's core tests in zircon/system/utest/core/vmar/
 * (vmar.cc). Most cases work on the root VMAR of a second process that is
 * created but never started, and look at it through process_read_memory /
 * process_write_memory, as upstream does.
 *
 * Not ported:
 *   RangeOpCommitVmoPages, RangeOpMapRange, RangeOpCommitVmoPages2,
 *   RangeOpDecommitNestedVmar — zx_vmar_op_range is not modeled.
 * Reduced: AlignmentVmarMapTest and AlignmentVmarAllocateTest try the
 * alignments up to 256 MiB (upstream: 4 GiB inside an 8 GiB VMAR; a
 * simulated address space is 1 GiB); ProtectLargeUncomittedTest and
 * UnmapLargeUncommittedTest use a 512 MiB VMO instead of 1 GiB for the
 * same reason.
 */
#include <string.h>

#include "coretest.h"

#define PAGE CORE_PAGE
#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)
#define CAN_RW (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)
#define RWX_MAP (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)
#define RWX_ALLOC (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE)

static zx_handle_t vmo_exec(uint64_t size)
{
    zx_handle_t v = core_vmo(size, 0);
    cr_expect_eq(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &v), ZX_OK);
    return v;
}

static void destroy_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, sub, region;
    uintptr_t addr;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, 1024 * PAGE, &sub, &addr), ZX_OK);
    cr_expect_eq(zx_vmar_destroy(sub), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(sub, CAN_RW, 0, 10 * PAGE, &region, &addr), ZX_ERR_BAD_STATE);
    CORE_CLOSE(sub, vmar, proc);
}
Test(vmar, DestroyTest) { core_run(destroy_body); }

static void basic_allocate_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, r1, r2;
    uintptr_t a1, a2;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, 10 * PAGE, &r1, &a1), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(r1, CAN_RW, 0, PAGE, &r2, &a2), ZX_OK);
    cr_expect_geq(a2, a1);
    cr_expect_leq(a2 + PAGE, a1 + 10 * PAGE);
    CORE_CLOSE(r1, r2, vmar, proc);
}
Test(vmar, BasicAllocateTest) { core_run(basic_allocate_body); }

static void map_in_compact_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, region, vmo = core_vmo(PAGE, 0);
    uintptr_t base, m;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_COMPACT, 0, 10 * PAGE, &region, &base), ZX_OK);
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(zx_vmar_map(region, RW, 0, vmo, 0, PAGE, &m), ZX_OK);
        cr_expect_geq(m, base);
        cr_expect_leq(m + PAGE, base + 10 * PAGE);
    }
    CORE_CLOSE(region, vmar, vmo, proc);
}
Test(vmar, MapInCompactTest) { core_run(map_in_compact_body); }

static void map_in_upper_limit_body(uintptr_t a, uintptr_t b)
{
    const size_t pages = 100, size = pages * PAGE, limit = size / 2;
    zx_handle_t proc, pvmar, parent, vmo = core_vmo(size, 0);
    uintptr_t base, m;
    core_process(&proc, &pvmar);
    cr_expect_eq(zx_vmar_allocate(pvmar, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, size, &parent, &base),
                 ZX_OK);
    const zx_vm_option_t opt = RW | ZX_VM_OFFSET_IS_UPPER_LIMIT;
    cr_expect_eq(zx_vmar_map(parent, opt, size + PAGE, vmo, 0, PAGE, &m), ZX_ERR_INVALID_ARGS,
                 "a limit past the region");
    cr_expect_eq(zx_vmar_map(parent, opt, PAGE, vmo, 0, 2 * PAGE, &m), ZX_ERR_INVALID_ARGS,
                 "a size over the limit");
    cr_expect_eq(zx_vmar_map(parent, opt, PAGE, vmo, 0, size + PAGE, &m), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(parent, opt, size, vmo, 0, size, &m), ZX_OK);
    cr_expect_eq(m, base);
    cr_expect_eq(zx_vmar_unmap(parent, m, size), ZX_OK);
    for (size_t i = 0; i < pages / 2; i++) {
        cr_expect_eq(zx_vmar_map(parent, opt, limit, vmo, 0, PAGE, &m), ZX_OK);
        cr_expect_geq(m, base);
        cr_expect_leq(m + PAGE, base + limit);
    }
    cr_expect_eq(zx_vmar_map(parent, opt, limit, vmo, 0, PAGE, &m), ZX_ERR_NO_MEMORY,
                 "everything under the limit is taken");
    cr_expect_eq(zx_vmar_map(parent, RW, 0, vmo, 0, PAGE, &m), ZX_OK);
    cr_expect_geq(m, base);
    cr_expect_leq(m + PAGE, base + size);
    CORE_CLOSE(parent, pvmar, proc);
}
Test(vmar, MapInUppderLimitTest) { core_run(map_in_upper_limit_body); }

static void allocate_oob_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, r1, r2;
    uintptr_t a1, a2;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, &r1, &a1),
                 ZX_OK);
    cr_expect_eq(zx_vmar_allocate(r1, CAN_RW | ZX_VM_SPECIFIC, 10 * PAGE, PAGE, &r2, &a2),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(r1, CAN_RW | ZX_VM_SPECIFIC, 9 * PAGE, 2 * PAGE, &r2, &a2),
                 ZX_ERR_INVALID_ARGS);
    CORE_CLOSE(r1, vmar, proc);
}
Test(vmar, AllocateOobTest) { core_run(allocate_oob_body); }

static void allocate_unsatisfiable_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, r1, r2, r3;
    uintptr_t a1, a2, a3;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, &r1, &a1),
                 ZX_OK);
    cr_expect_eq(zx_vmar_allocate(r1, CAN_RW, 0, 11 * PAGE, &r2, &a2), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(r1, CAN_RW, 0, 10 * PAGE, &r2, &a2), ZX_OK);
    cr_expect_eq(a2, a1);
    cr_expect_eq(zx_vmar_allocate(r1, CAN_RW, 0, PAGE, &r3, &a3), ZX_ERR_NO_MEMORY);
    CORE_CLOSE(r2, r1, vmar, proc);
}
Test(vmar, AllocateUnsatisfiableTest) { core_run(allocate_unsatisfiable_body); }

static void destroyed_vmar_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(PAGE, 0), region[3];
    uintptr_t ra[3], ma[2];
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, 10 * PAGE, &region[0], &ra[0]), ZX_OK);
    cr_expect_eq(zx_vmar_map(region[0], RW, 0, vmo, 0, PAGE, &ma[0]), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(region[0], CAN_RW, 0, PAGE, &region[1], &ra[1]), ZX_OK);
    cr_expect_eq(zx_vmar_map(region[1], RW, 0, vmo, 0, PAGE, &ma[1]), ZX_OK);
    uint8_t byte = 5;
    size_t n;
    cr_expect_eq(zx_process_write_memory(proc, ma[0], &byte, 1, &n), ZX_OK);
    cr_expect_eq(n, 1u);
    byte = 0;
    cr_expect_eq(zx_process_read_memory(proc, ma[1], &byte, 1, &n), ZX_OK);
    cr_expect_eq(byte, 5, "both mappings show the same VMO");
    cr_expect_eq(zx_vmar_destroy(region[0]), ZX_OK);
    for (int i = 0; i < 2; i++) {
        zx_handle_t unused;
        cr_expect_eq(zx_object_get_info(region[i], ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL), ZX_OK);
        cr_expect_eq(zx_process_read_memory(proc, ma[i], &byte, 1, &n), ZX_ERR_NO_MEMORY);
        cr_expect_eq(zx_vmar_destroy(region[i]), ZX_ERR_BAD_STATE);
        cr_expect_eq(zx_vmar_allocate(region[i], CAN_RW, 0, PAGE, &unused, &ra[2]), ZX_ERR_BAD_STATE);
        cr_expect_eq(zx_vmar_unmap(region[i], ma[i], PAGE), ZX_ERR_BAD_STATE);
        cr_expect_eq(zx_vmar_protect(region[i], ZX_VM_PERM_READ, ma[i], PAGE), ZX_ERR_BAD_STATE);
        cr_expect_eq(zx_vmar_map(region[i], ZX_VM_PERM_READ, 0, vmo, 0, PAGE, &ma[i]),
                     ZX_ERR_BAD_STATE);
    }
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, PAGE, &region[2], &ra[2]), ZX_OK,
                 "the parent still works");
    core_close(region, 3);
    CORE_CLOSE(vmo, vmar, proc);
}
Test(vmar, DestroyedVmarTest) { core_run(destroyed_vmar_body); }

static void map_over_destroyed_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(PAGE, 0), vmo2 = core_vmo(PAGE, 0), region[2];
    uintptr_t ra[2], m, m2;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, &region[0],
                                  &ra[0]),
                 ZX_OK);
    cr_expect_eq(zx_vmar_allocate(region[0], CAN_RW, 0, PAGE, &region[1], &ra[1]), ZX_OK);
    cr_expect_eq(zx_vmar_map(region[1], RW, 0, vmo, 0, PAGE, &m), ZX_OK);
    uint8_t byte = 5;
    size_t n;
    cr_expect_eq(zx_vmo_write(vmo, &byte, 0, 1), ZX_OK);
    byte = 0;
    cr_expect_eq(zx_process_read_memory(proc, m, &byte, 1, &n), ZX_OK);
    cr_expect_eq(byte, 5);
    cr_expect_eq(zx_vmar_destroy(region[1]), ZX_OK);
    cr_expect_eq(zx_process_read_memory(proc, m, &byte, 1, &n), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_vmar_map(region[0], RW | ZX_VM_SPECIFIC, m - ra[0], vmo2, 0, PAGE, &m2), ZX_OK);
    cr_expect_eq(m2, m);
    cr_expect_eq(zx_process_read_memory(proc, m, &byte, 1, &n), ZX_OK);
    cr_expect_eq(byte, 0, "the new mapping, not the old one");
    core_close(region, 2);
    CORE_CLOSE(vmo, vmo2, vmar, proc);
}
Test(vmar, MapOverDestroyedTest) { core_run(map_over_destroyed_body); }

/* A sub-VMAR of the root aligned to its own size (upstream's
 * MakeManualAlignedVmar). */
static zx_status_t aligned_vmar(size_t size, zx_handle_t *out)
{
    zx_info_vmar_t info;
    zx_status_t s = zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &info, sizeof info, NULL,
                                       NULL);
    if (s != ZX_OK)
        return s;
    uintptr_t addr;
    for (size_t start = (info.base + size - 1) / size * size; start + size <= info.base + info.len;
         start += size) {
        s = zx_vmar_allocate(zx_vmar_root_self(),
                             CAN_RW | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC,
                             start - info.base, size, out, &addr);
        if (s == ZX_OK)
            return s;
    }
    return ZX_ERR_NO_MEMORY;
}

#define ALIGN_VMAR_SIZE ((size_t)512 << 20)
#define ALIGN_MAX_LOG2 28

static void alignment_map_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 2 * PAGE;
    zx_handle_t vmo = core_vmo(size, 0), vmar;
    cr_assert_eq(aligned_vmar(ALIGN_VMAR_SIZE, &vmar), ZX_OK);
    uintptr_t m;
    cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 4096, vmo, 0, size, &m),
                 ZX_ERR_INVALID_ARGS, "a specific address off the alignment");
    cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 65536, vmo, 0, size, &m),
                 ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m, 65536), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, RW | (9u << ZX_VM_ALIGN_BASE), 0, vmo, 0, size, &m),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW | (33u << ZX_VM_ALIGN_BASE), 0, vmo, 0, size, &m),
                 ZX_ERR_INVALID_ARGS);
    for (uint32_t bits = 10; bits <= ALIGN_MAX_LOG2; bits++) {
        m = 0;
        cr_expect_eq(zx_vmar_map(vmar, RW | (bits << ZX_VM_ALIGN_BASE), 0, vmo, 0, size, &m), ZX_OK);
        cr_expect_neq(m, 0);
        cr_expect_geq(__builtin_ctzll(m), (int)bits, "alignment 2^%u", bits);
        ((volatile uint64_t *)m)[1] = 0x1234321;
        cr_expect_eq(zx_vmar_unmap(vmar, m, size), ZX_OK);
    }
    cr_expect_eq(zx_vmar_destroy(vmar), ZX_OK);
    CORE_CLOSE(vmar, vmo);
}
Test(vmar, AlignmentVmarMapTest) { core_run(alignment_map_body); }

static void alignment_allocate_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 16 * PAGE;
    zx_handle_t vmar, child;
    cr_assert_eq(aligned_vmar(ALIGN_VMAR_SIZE, &vmar), ZX_OK);
    uintptr_t addr;
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 4096, size,
                                  &child, &addr),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 65536, size,
                                  &child, &addr),
                 ZX_OK);
    cr_expect_eq(zx_vmar_destroy(child), ZX_OK);
    zx_handle_close(child);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | (9u << ZX_VM_ALIGN_BASE), 0, size, &child, &addr),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | (33u << ZX_VM_ALIGN_BASE), 0, size, &child, &addr),
                 ZX_ERR_INVALID_ARGS);
    for (uint32_t bits = 10; bits <= ALIGN_MAX_LOG2; bits++) {
        addr = 0;
        cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | (bits << ZX_VM_ALIGN_BASE), 0, size, &child,
                                      &addr),
                     ZX_OK);
        cr_expect_geq(__builtin_ctzll(addr), (int)bits, "alignment 2^%u", bits);
        cr_expect_eq(zx_vmar_destroy(child), ZX_OK);
        zx_handle_close(child);
    }
    cr_expect_eq(zx_vmar_destroy(vmar), ZX_OK);
    zx_handle_close(vmar);
}
Test(vmar, AlignmentVmarAllocateTest) { core_run(alignment_allocate_body); }

static void map_range_offset_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(4 * PAGE, 0);
    uintptr_t m;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_MAP_RANGE, 0, vmo, 0x2000, 0x1000, &m), ZX_OK);
}
Test(vmar, VmarMapRangeOffsetTest) { core_run(map_range_offset_body); }

static void overmapping_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(PAGE, 0), vmo2 = core_vmo(4 * PAGE, 0), region[3];
    uintptr_t ra[3], m0, m1;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, &region[0],
                                  &ra[0]),
                 ZX_OK);
    cr_expect_eq(zx_vmar_map(region[0], RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, 2 * PAGE, &m0), ZX_OK);
    const size_t lens[3] = {2 * PAGE, PAGE, 4 * PAGE};
    for (int i = 0; i < 3; i++)
        cr_expect_eq(zx_vmar_map(region[0], RW | ZX_VM_SPECIFIC, m0 - ra[0], vmo2, 0, lens[i], &m1),
                     ZX_ERR_NO_MEMORY, "over a mapping, %zu bytes", lens[i]);
    cr_expect_eq(zx_vmar_allocate(region[0], CAN_RW | ZX_VM_SPECIFIC, m0 - ra[0], PAGE, &region[1],
                                  &ra[1]),
                 ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_vmar_unmap(region[0], m0, 2 * PAGE), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(region[0], CAN_RW | ZX_VM_SPECIFIC, PAGE, 2 * PAGE, &region[1],
                                  &ra[1]),
                 ZX_OK);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(zx_vmar_map(region[0], RW | ZX_VM_SPECIFIC, ra[1] - ra[0], vmo2, 0, lens[i],
                                 &m1),
                     ZX_ERR_NO_MEMORY, "over a region, %zu bytes", lens[i]);
    cr_expect_eq(zx_vmar_allocate(region[0], CAN_RW | ZX_VM_SPECIFIC, ra[1] - ra[0], PAGE,
                                  &region[2], &ra[2]),
                 ZX_ERR_NO_MEMORY);
    CORE_CLOSE(vmo, vmo2, region[0], region[1], vmar, proc);
}
Test(vmar, OvermappingTest) { core_run(overmapping_body); }

/* vmar.cc's InvalidArgsTest, first half: wrong types, offset/flag
 * combinations, bad out pointers, misalignment. */
static void invalid_args_flags(zx_handle_t proc, zx_handle_t vmar, zx_handle_t vmo)
{
    zx_handle_t region;
    uintptr_t ra, m;
    cr_expect_eq(zx_vmar_destroy(vmo), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_allocate(vmo, CAN_RW, 0, 10 * PAGE, &region, &ra), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_map(vmo, RW, 0, vmo, 0, 4 * PAGE, &m), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, proc, 0, 4 * PAGE, &m), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_unmap(vmo, 0, 0), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_protect(vmo, ZX_VM_PERM_READ, 0, 0), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, PAGE, 10 * PAGE, &region, &ra), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW, PAGE, vmo, 0, 4 * PAGE, &m), ZX_ERR_INVALID_ARGS);
    const zx_vm_option_t both[2] = {ZX_VM_SPECIFIC, ZX_VM_SPECIFIC_OVERWRITE};
    for (int i = 0; i < 2; i++) {
        zx_vm_option_t o = both[i] | ZX_VM_OFFSET_IS_UPPER_LIMIT;
        cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | o, PAGE, 10 * PAGE, &region, &ra),
                     ZX_ERR_INVALID_ARGS);
        cr_expect_eq(zx_vmar_map(vmar, RW | o, PAGE, vmo, 0, 4 * PAGE, &m), ZX_ERR_INVALID_ARGS);
    }
    cr_expect_eq(zx_vmar_allocate(vmar, ZX_VM_CAN_MAP_READ | ZX_VM_PERM_READ, PAGE, 10 * PAGE,
                                  &region, &ra),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_MAP_RANGE,
                             PAGE, vmo, 0, 4 * PAGE, &m),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, 10 * PAGE, &region, (uintptr_t *)1),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, 10 * PAGE, (zx_handle_t *)1, &ra),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, (uintptr_t *)1), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, PAGE - 1, &region, &ra), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, PAGE - 1, PAGE, &region,
                                  &ra),
                 ZX_ERR_INVALID_ARGS);
    for (int i = 0; i < 2; i++) {
        zx_vm_option_t range = i ? ZX_VM_MAP_RANGE : 0;
        cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | range, PAGE - 1, vmo, 0, 4 * PAGE, &m),
                     ZX_ERR_INVALID_ARGS);
        cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | range, PAGE, vmo, PAGE - 1, 3 * PAGE,
                                 &m),
                     ZX_ERR_INVALID_ARGS);
        cr_expect_eq(zx_vmar_map(vmar, RW | range, 0, vmo, PAGE - 1, 3 * PAGE, &m),
                     ZX_ERR_INVALID_ARGS);
    }
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &m), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m + 1, PAGE), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_protect(vmar, ZX_VM_PERM_READ, m + 1, PAGE), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_unmap(vmar, m, 4 * PAGE), ZX_OK);
}

/* Second half: overflowing offsets, zero and wrapping sizes, stray bits. */
static void invalid_args_sizes(zx_handle_t vmar, zx_handle_t vmo)
{
    zx_handle_t region;
    uintptr_t ra, m;
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, UINT64_MAX + 1 - PAGE, PAGE, &m), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, UINT64_MAX + 1 - 2 * PAGE, PAGE, &m), ZX_OK,
                 "a mapping past the VMO's end is allowed");
    cr_expect_eq(zx_vmar_unmap(vmar, m, PAGE), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, 0, &region, &ra), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, 0, &m), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &m), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_protect(vmar, ZX_VM_PERM_READ, m, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_unmap(vmar, m, 4 * PAGE), ZX_OK);
    const size_t bad = SIZE_MAX - PAGE + 2; /* rounds up to 0 */
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, bad, &region, &ra), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, bad, &m), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, vmo, 0, bad, &m),
                 ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, 4 * PAGE, &m), ZX_OK);
    for (int i = -1; i < 2; i++) {
        cr_expect_eq(zx_vmar_protect(vmar, ZX_VM_PERM_READ, m + PAGE * i, bad), ZX_ERR_INVALID_ARGS);
        cr_expect_eq(zx_vmar_unmap(vmar, m + PAGE * i, bad), ZX_ERR_INVALID_ARGS);
    }
    cr_expect_eq(zx_vmar_unmap(vmar, m, 4 * PAGE), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(vmar, ZX_VM_PERM_READ | CAN_RW, 0, 4 * PAGE, &region, &ra),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(vmar, ZX_VM_CAN_MAP_READ | (1u << 31), 0, 4 * PAGE, &region, &ra),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_CAN_MAP_EXECUTE, 0, vmo, 0, 4 * PAGE, &m),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW | (1u << 31), 0, vmo, 0, 4 * PAGE, &m), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &m), ZX_OK);
    cr_expect_eq(zx_vmar_protect(vmar, ZX_VM_PERM_READ | ZX_VM_CAN_MAP_WRITE, m, 4 * PAGE),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_protect(vmar, ZX_VM_PERM_READ | (1u << 31), m, 4 * PAGE),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_unmap(vmar, m, 4 * PAGE), ZX_OK);
}

static void invalid_args_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(4 * PAGE, 0);
    core_process(&proc, &vmar);
    invalid_args_flags(proc, vmar, vmo);
    invalid_args_sizes(vmar, vmo);
    CORE_CLOSE(vmo, vmar, proc);
}
Test(vmar, InvalidArgsTest) { core_run(invalid_args_body); }

static void unaligned_len_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(4 * PAGE, 0);
    uintptr_t m;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 4 * PAGE, &m), ZX_OK);
    cr_expect_eq(zx_vmar_protect(vmar, RW, m, 4 * PAGE - 1), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m, 4 * PAGE - 1), ZX_OK);
    cr_expect(core_pages_mapped(proc, m + 3 * PAGE, 0, 1), "the last page went too");
    CORE_CLOSE(vmo, vmar, proc);
}
Test(vmar, UnalignedLenTest) { core_run(unaligned_len_body); }

static void unaligned_len_map_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(4 * PAGE, 0);
    uintptr_t m;
    core_process(&proc, &vmar);
    for (int i = 0; i < 2; i++) {
        zx_vm_option_t range = i ? ZX_VM_MAP_RANGE : 0;
        cr_expect_eq(zx_vmar_map(vmar, ZX_VM_PERM_READ | range, 0, vmo, 0, 4 * PAGE - 1, &m), ZX_OK);
        cr_expect(core_pages_mapped(proc, m + 3 * PAGE, 1, 1), "the length rounds up");
        cr_expect_eq(zx_vmar_unmap(vmar, m, 4 * PAGE - 1), ZX_OK);
        cr_expect(core_pages_mapped(proc, m + 3 * PAGE, 0, 1));
    }
    CORE_CLOSE(vmo, vmar, proc);
}
Test(vmar, UnalignedLenMapTest) { core_run(unaligned_len_map_body); }

static const zx_rights_t drop_rights[3] = {
    ZX_RIGHT_READ, ZX_RIGHT_READ | ZX_RIGHT_WRITE, ZX_RIGHT_READ | ZX_RIGHT_EXECUTE};
static const zx_vm_option_t drop_perms[3] = {
    ZX_VM_PERM_READ, RW, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE};

static void rights_drop_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = vmo_exec(PAGE), h, region;
    uintptr_t m, ra;
    core_process(&proc, &vmar);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(zx_handle_duplicate(vmar, drop_rights[i], &h), ZX_OK);
        cr_expect_eq(zx_vmar_map(h, RWX_MAP, 0, vmo, 0, PAGE, &m), ZX_ERR_ACCESS_DENIED);
        cr_expect_eq(zx_vmar_map(h, drop_perms[i], 0, vmo, 0, PAGE, &m), ZX_OK);
        cr_expect_eq(zx_vmar_protect(h, RWX_MAP, m, PAGE), ZX_ERR_ACCESS_DENIED);
        cr_expect_eq(zx_vmar_unmap(h, m, PAGE), ZX_OK);
        cr_expect_eq(zx_vmar_allocate(h, RWX_ALLOC, 0, 10 * PAGE, &region, &ra),
                     ZX_ERR_ACCESS_DENIED);
        zx_handle_close(h);
    }
    CORE_CLOSE(vmo, vmar, proc);
}
Test(vmar, RightsDropTest) { core_run(rights_drop_body); }

static void protect_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = vmo_exec(PAGE), h;
    uintptr_t m;
    core_process(&proc, &vmar);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(zx_handle_duplicate(vmo, drop_rights[i] | ZX_RIGHT_MAP, &h), ZX_OK);
        cr_expect_eq(zx_vmar_map(vmar, RWX_MAP, 0, h, 0, PAGE, &m), ZX_ERR_ACCESS_DENIED);
        cr_expect_eq(zx_vmar_map(vmar, drop_perms[i], 0, h, 0, PAGE, &m), ZX_OK);
        cr_expect_eq(zx_vmar_protect(vmar, RWX_MAP, m, PAGE), ZX_ERR_ACCESS_DENIED,
                     "protect cannot exceed the VMO handle's rights");
        zx_handle_close(h);
        cr_expect_eq(zx_vmar_protect(vmar, RWX_MAP, m, PAGE), ZX_ERR_ACCESS_DENIED,
                     "not even once that handle is closed");
        cr_expect_eq(zx_vmar_unmap(vmar, m, PAGE), ZX_OK);
    }
    CORE_CLOSE(vmo, vmar, proc);
}
Test(vmar, ProtectTest) { core_run(protect_body); }

static void nested_region_perms_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = vmo_exec(PAGE), r0, r1;
    uintptr_t a0, a1, m;
    core_process(&proc, &vmar);
    const zx_vm_option_t alloc_bit[3] = {ZX_VM_CAN_MAP_READ, ZX_VM_CAN_MAP_WRITE,
                                         ZX_VM_CAN_MAP_EXECUTE};
    const zx_vm_option_t map_bit[3] = {ZX_VM_PERM_READ, ZX_VM_PERM_WRITE, ZX_VM_PERM_EXECUTE};
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(zx_vmar_allocate(vmar, RWX_ALLOC ^ alloc_bit[i], 0, 10 * PAGE, &r0, &a0), ZX_OK);
        cr_expect_eq(zx_vmar_allocate(r0, RWX_ALLOC, 0, PAGE, &r1, &a1), ZX_ERR_ACCESS_DENIED);
        cr_expect_eq(zx_vmar_map(r0, RWX_MAP, 0, vmo, 0, PAGE, &m), ZX_ERR_ACCESS_DENIED);
        if (map_bit[i] != ZX_VM_PERM_READ) {
            cr_expect_eq(zx_vmar_map(r0, RWX_MAP ^ map_bit[i], 0, vmo, 0, PAGE, &m), ZX_OK);
            cr_expect_eq(zx_vmar_unmap(r0, m, PAGE), ZX_OK);
        }
        cr_expect_eq(zx_vmar_allocate(r0, RWX_ALLOC ^ alloc_bit[i], 0, PAGE, &r1, &a1), ZX_OK);
        cr_expect_eq(zx_vmar_destroy(r1), ZX_OK);
        zx_handle_close(r1);
        cr_expect_eq(zx_vmar_destroy(r0), ZX_OK);
        zx_handle_close(r0);
    }
    cr_expect_eq(zx_vmar_allocate(vmar, RWX_ALLOC, 0, 10 * PAGE, &r0, &a0), ZX_OK);
    cr_expect_eq(zx_vmar_map(r0, ZX_VM_SPECIFIC | ZX_VM_PERM_READ, PAGE, vmo, 0, PAGE, &m),
                 ZX_ERR_ACCESS_DENIED, "SPECIFIC needs CAN_MAP_SPECIFIC");
    cr_expect_eq(zx_vmar_map(r0, ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_PERM_READ, PAGE, vmo, 0, PAGE, &m),
                 ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmar_destroy(r0), ZX_OK);
    CORE_CLOSE(r0, vmar, vmo, proc);
}
Test(vmar, NestedRegionPermsTest) { core_run(nested_region_perms_body); }

static void object_info_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, region;
    uintptr_t ra;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW, 0, 10 * PAGE, &region, &ra), ZX_OK);
    zx_info_vmar_t info;
    cr_expect_eq(zx_object_get_info(region, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect_eq(info.base, ra);
    cr_expect_eq(info.len, 10 * PAGE);
    CORE_CLOSE(region, vmar, proc);
}
Test(vmar, ObjectInfoTest) { core_run(object_info_body); }
