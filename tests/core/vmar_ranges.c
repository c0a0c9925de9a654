/* vmar_ranges.c — our ports of the range cases of Zircon's core test
 * zircon/system/utest/core/vmar/vmar.cc: unmap and protect across parts of
 * mappings, several mappings, gaps and sub-VMARs; overwriting; partial
 * unmaps seen through process_read/write_memory. Part of the `vmar` suite
 * (the rest and the list of cases not ported are in vmar.c).
 */
#include <string.h>

#include "coretest.h"

#define PAGE CORE_PAGE
#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)
#define RWS (RW | ZX_VM_SPECIFIC)
#define CAN_RW (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)
#define CAN_RWS (CAN_RW | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC)

static void unmap_split_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(4 * PAGE, 0);
    uintptr_t m[3];
    core_process(&proc, &vmar);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &m[i]), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 2 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0b1100, 4), "unmap from the left");
    cr_expect_eq(zx_vmar_unmap(vmar, m[0] + 2 * PAGE, 2 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0, 4));
    cr_expect_eq(zx_vmar_unmap(vmar, m[1] + 2 * PAGE, 2 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[1], 0b0011, 4), "unmap from the right");
    cr_expect_eq(zx_vmar_unmap(vmar, m[1], 2 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[1], 0, 4));
    cr_expect_eq(zx_vmar_unmap(vmar, m[2] + PAGE, 2 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[2], 0b1001, 4), "unmap from the middle");
    cr_expect_eq(zx_vmar_unmap(vmar, m[2], PAGE), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m[2] + 3 * PAGE, PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[2], 0, 4));
    zx_info_vmar_t info;
    cr_expect_eq(zx_object_get_info(vmar, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL), ZX_OK);
    for (int i = 0; i < 3; i++) {
        uintptr_t again;
        cr_expect_eq(zx_vmar_map(vmar, RWS, m[i] - info.base, vmo, 0, 4 * PAGE, &again), ZX_OK);
        cr_expect(core_pages_mapped(proc, again, 0b1111, 4), "the hole can be mapped again");
        cr_expect_eq(zx_vmar_unmap(vmar, again, 4 * PAGE), ZX_OK);
    }
    CORE_CLOSE(vmar, vmo, proc);
}
Test(vmar, UnmapSplitTest) { core_run(unmap_split_body); }

/* Two mappings at slots s0 and s1 (in mapping-size units) of `vmar`. */
static void map_two(zx_handle_t vmar, zx_handle_t vmo, size_t size, size_t s0, size_t s1,
                    uintptr_t *m)
{
    cr_expect_eq(zx_vmar_map(vmar, RWS, s0 * size, vmo, 0, size, &m[0]), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, RWS, s1 * size, vmo, 0, size, &m[1]), ZX_OK);
}

/* A sub-VMAR at slot `slot` holding one page at `page_off`. */
static zx_handle_t sub_with_page(zx_handle_t vmar, zx_handle_t vmo, size_t size, size_t slot,
                                 size_t page_off, uintptr_t *sub_addr, uintptr_t *page_addr)
{
    zx_handle_t sub;
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RWS, slot * size, size, &sub, sub_addr), ZX_OK);
    cr_expect_eq(zx_vmar_map(sub, RWS, page_off, vmo, 0, PAGE, page_addr), ZX_OK);
    return sub;
}

static void expect_destroyed(zx_handle_t sub, zx_handle_t vmo)
{
    uintptr_t m;
    cr_expect_eq(zx_vmar_map(sub, RWS, PAGE, vmo, 0, PAGE, &m), ZX_ERR_BAD_STATE,
                 "the sub-VMAR was destroyed by the unmap");
    zx_handle_close(sub);
}

static void unmap_multiple_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 4 * PAGE;
    zx_handle_t proc, vmar, vmo = core_vmo(size, 0), sub;
    uintptr_t m[3], sa;
    core_process(&proc, &vmar);
    map_two(vmar, vmo, size, 0, 1, m);
    cr_expect_eq(m[0] + size, m[1]);
    cr_expect_eq(zx_vmar_unmap(vmar, m[0] + 2 * PAGE, 3 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0b11100011, 8), "across two adjacent mappings");
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 2 * PAGE), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m[1] + PAGE, 3 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0, 8));

    map_two(vmar, vmo, size, 0, 2, m);
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 2 * size + PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0b111000000000, 12), "across a gap");
    cr_expect_eq(zx_vmar_unmap(vmar, m[1] + PAGE, 3 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0, 12));

    map_two(vmar, vmo, size, 0, 2, m);
    sub = sub_with_page(vmar, vmo, size, 1, 0, &sa, &m[2]);
    cr_expect_eq(m[0] + size, m[2]);
    cr_expect(core_pages_mapped(proc, m[0], 0b111100011111, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 2 * size + PAGE), ZX_OK, "across a whole sub-VMAR");
    cr_expect(core_pages_mapped(proc, m[0], 0b111000000000, 12));
    expect_destroyed(sub, vmo);
    cr_expect_eq(zx_vmar_unmap(vmar, m[1] + PAGE, 3 * PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0, 12));

    map_two(vmar, vmo, size, 0, 1, m);
    sub = sub_with_page(vmar, vmo, size, 2, 0, &sa, &m[2]);
    cr_expect(core_pages_mapped(proc, m[0], 0b000111111111, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, m[0] + PAGE, 3 * size - 2 * PAGE), ZX_ERR_INVALID_ARGS,
                 "part of a sub-VMAR");
    cr_expect(core_pages_mapped(proc, m[0], 0b000111111111, 12), "nothing was unmapped");
    cr_expect_eq(zx_vmar_unmap(vmar, m[0] + PAGE, 3 * size - PAGE), ZX_OK);
    cr_expect(core_pages_mapped(proc, m[0], 0b000000000001, 12));
    expect_destroyed(sub, vmo);
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], PAGE), ZX_OK);

    map_two(vmar, vmo, size, 1, 2, m);
    sub = sub_with_page(vmar, vmo, size, 0, size - PAGE, &sa, &m[2]);
    cr_expect_eq(sa + size, m[0]);
    cr_expect(core_pages_mapped(proc, sa, 0b111111111000, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, sa + PAGE, 3 * size - PAGE), ZX_ERR_INVALID_ARGS);
    cr_expect(core_pages_mapped(proc, sa, 0b111111111000, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, sa, 3 * size), ZX_OK);
    cr_expect(core_pages_mapped(proc, sa, 0, 12));
    expect_destroyed(sub, vmo);
    CORE_CLOSE(vmar, vmo, proc);
}
Test(vmar, UnmapMultipleTest) { core_run(unmap_multiple_body); }

static void unmap_base_not_mapped_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 4 * PAGE;
    zx_handle_t proc, vmar, vmo = core_vmo(size, 0);
    uintptr_t m;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_vmar_map(vmar, RWS, PAGE, vmo, 0, size, &m), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(vmar, m - PAGE, size + PAGE), ZX_OK, "the range may start in a gap");
    cr_expect_eq(zx_vmar_map(vmar, RWS, 0, vmo, 0, size, &m), ZX_OK);
    for (size_t gap = PAGE; gap < 3 * PAGE; gap += PAGE) {
        cr_expect_eq(zx_vmar_map(vmar, RWS, size + gap, vmo, 0, size, &m), ZX_OK);
        cr_expect_eq(zx_vmar_unmap(vmar, m - PAGE, size + PAGE), ZX_OK);
    }
    CORE_CLOSE(vmar, vmo, proc);
}
Test(vmar, UnmapBaseNotMappedTest) { core_run(unmap_base_not_mapped_body); }

static void expect_tags(zx_handle_t proc, uintptr_t base, const uint8_t *tags, size_t pages)
{
    for (size_t i = 0; i < pages; i++) {
        uint8_t byte = 0;
        size_t n;
        cr_expect_eq(zx_process_read_memory(proc, base + i * PAGE, &byte, 1, &n), ZX_OK);
        cr_expect_eq(byte, tags[i], "page %zu shows VMO %u, want %u", i, byte, tags[i]);
    }
}

static void map_specific_overwrite_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 4 * PAGE;
    zx_handle_t proc, vmar, vmo = core_vmo(2 * size, 0), vmo2 = core_vmo(2 * size, 0), sub;
    uintptr_t m0, m1, sa;
    core_process(&proc, &vmar);
    for (size_t i = 0; i < 4; i++) {
        uint8_t one = 1, two = 2;
        cr_expect_eq(zx_vmo_write(vmo, &one, i * PAGE, 1), ZX_OK);
        cr_expect_eq(zx_vmo_write(vmo2, &two, i * PAGE, 1), ZX_OK);
    }
    cr_expect_eq(zx_vmar_map(vmar, RWS, PAGE, vmo, 0, size, &m0), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, RWS, PAGE, vmo2, 0, size, &m1), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, PAGE, vmo2, 0, size, &m1), ZX_OK);
    cr_expect_eq(m0, m1);
    expect_tags(proc, m1, (const uint8_t[]){2, 2, 2, 2}, 4);
    cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, 2 * PAGE, vmo, 0, 2 * PAGE, &m0),
                 ZX_OK);
    cr_expect_eq(m0, m1 + PAGE);
    expect_tags(proc, m1, (const uint8_t[]){2, 1, 1, 2}, 4);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_SPECIFIC, PAGE + size, size, &sub, &sa), ZX_OK);
    cr_expect_eq(sa, m1 + size);
    cr_expect_eq(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, PAGE, vmo2, 0, 2 * size, &m0),
                 ZX_ERR_INVALID_ARGS, "a sub-VMAR cannot be overwritten");
    cr_expect_eq(zx_vmar_unmap(vmar, m1, 2 * size), ZX_OK);
    CORE_CLOSE(sub, vmar, vmo, vmo2, proc);
}
Test(vmar, MapSpecificOverwriteTest) { core_run(map_specific_overwrite_body); }

static void protect_split_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar, vmo = core_vmo(4 * PAGE, 0);
    uintptr_t m;
    core_process(&proc, &vmar);
    const size_t offs[3] = {0, 2 * PAGE, PAGE};
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &m), ZX_OK);
        cr_expect_eq(zx_vmar_protect(vmar, ZX_VM_PERM_READ, m + offs[i], 2 * PAGE), ZX_OK);
        cr_expect(core_pages_mapped(proc, m, 0b1111, 4));
        cr_expect_eq(zx_vmar_unmap(vmar, m, 4 * PAGE), ZX_OK, "unmap after a split");
        cr_expect(core_pages_mapped(proc, m, 0, 4));
    }
    CORE_CLOSE(vmar, vmo, proc);
}
Test(vmar, ProtectSplitTest) { core_run(protect_split_body); }

/* Three 4-page slots from `base`: a protect over the middle of them. */
static zx_status_t protect_middle(zx_handle_t vmar, uintptr_t base, size_t size)
{
    return zx_vmar_protect(vmar, ZX_VM_PERM_READ, base + PAGE, 3 * size - 2 * PAGE);
}

static void protect_multiple_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 4 * PAGE;
    zx_handle_t proc, vmar, vmo = core_vmo(size, 0), ro, sub;
    uintptr_t m[3], sa;
    core_process(&proc, &vmar);
    cr_expect_eq(zx_handle_duplicate(vmo, ZX_RIGHT_MAP | ZX_RIGHT_READ, &ro), ZX_OK);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(zx_vmar_map(vmar, RWS, i * size, vmo, 0, size, &m[i]), ZX_OK);
    cr_expect_eq(protect_middle(vmar, m[0], size), ZX_OK, "across three mappings");
    cr_expect(core_pages_mapped(proc, m[0], 0xfff, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 3 * size), ZX_OK);

    cr_expect_eq(zx_vmar_map(vmar, RWS, 0, vmo, 0, size, &m[0]), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, size, ro, 0, size, &m[1]), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, RWS, 2 * size, vmo, 0, size, &m[2]), ZX_OK);
    cr_expect_eq(zx_vmar_protect(vmar, RW, m[0] + PAGE, 3 * size - 2 * PAGE), ZX_ERR_ACCESS_DENIED,
                 "the middle mapping came from a read-only handle");
    cr_expect(core_pages_mapped(proc, m[0], 0xfff, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 3 * size), ZX_OK);

    cr_expect_eq(zx_vmar_map(vmar, RWS, 0, vmo, 0, size, &m[0]), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, RWS, 2 * size, vmo, 0, size, &m[2]), ZX_OK);
    cr_expect_eq(protect_middle(vmar, m[0], size), ZX_ERR_NOT_FOUND, "across a gap");
    cr_expect(core_pages_mapped(proc, m[0], 0xf0f, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 3 * size), ZX_OK);

    cr_expect_eq(zx_vmar_map(vmar, RWS, 0, vmo, 0, size, &m[0]), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_SPECIFIC, size, size, &sub, &sa), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, RWS, 2 * size, vmo, 0, size, &m[2]), ZX_OK);
    cr_expect_eq(protect_middle(vmar, m[0], size), ZX_ERR_INVALID_ARGS, "across an empty sub-VMAR");
    cr_expect(core_pages_mapped(proc, m[0], 0xf0f, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 3 * size), ZX_OK);
    zx_handle_close(sub);

    cr_expect_eq(zx_vmar_map(vmar, RWS, 0, vmo, 0, size, &m[0]), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(vmar, CAN_RWS, size, size, &sub, &sa), ZX_OK);
    cr_expect_eq(zx_vmar_map(sub, RWS, 0, vmo, 0, size, &m[1]), ZX_OK);
    cr_expect_eq(zx_vmar_map(vmar, RWS, 2 * size, vmo, 0, size, &m[2]), ZX_OK);
    cr_expect_eq(protect_middle(vmar, m[0], size), ZX_ERR_INVALID_ARGS, "across a full sub-VMAR");
    cr_expect(core_pages_mapped(proc, m[0], 0xfff, 12));
    cr_expect_eq(zx_vmar_unmap(vmar, m[0], 3 * size), ZX_OK);
    CORE_CLOSE(sub, vmo, ro, vmar, proc);
}
Test(vmar, ProtectMultipleTest) { core_run(protect_multiple_body); }

/* Map a fresh VMO of `size` bytes read-write in the root VMAR and store to
 * its first, middle and last bytes, so only those pages are committed. */
static uintptr_t map_demand_paged(size_t size)
{
    zx_handle_t vmo = core_vmo(size, 0);
    uintptr_t m = 0;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, vmo, 0, size, &m), ZX_OK);
    zx_handle_close(vmo);
    volatile uint8_t *p = (uint8_t *)m;
    p[0] = 5;
    p[size / 2] = 6;
    p[size - 1] = 7;
    return m;
}

static void protect_over_demand_paged_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 100 * PAGE;
    uintptr_t m = map_demand_paged(size);
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, m, size), ZX_OK);
    const size_t at[4] = {0, size / 4, size / 2, size - 1};
    for (int i = 0; i < 4; i++)
        cr_expect_not(probe_for_write((void *)(m + at[i])), "offset %zu is read-only now", at[i]);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), m, size), ZX_OK);
}
Test(vmar, ProtectOverDemandPagedTest) { core_run(protect_over_demand_paged_body); }

#define LARGE_SIZE ((size_t)512 << 20)

/* Map a large VMO, touch three pages, apply `op` from a misaligned point
 * to the end, and check which parts still take stores. */
static void large_uncommitted(bool unmap)
{
    uintptr_t m = map_demand_paged(LARGE_SIZE);
    uintptr_t base = (m + 512 * PAGE - 1) / (512 * PAGE) * (512 * PAGE) + PAGE;
    if (unmap)
        cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), base, m + LARGE_SIZE - base), ZX_OK);
    else
        cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, base, m + LARGE_SIZE - base),
                     ZX_OK);
    cr_expect(probe_for_write((void *)m), "the start keeps its permissions");
    const size_t at[3] = {LARGE_SIZE / 4, LARGE_SIZE / 2, LARGE_SIZE - 1};
    for (int i = 0; i < 3; i++)
        cr_expect_not(probe_for_write((void *)(m + at[i])));
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), m, LARGE_SIZE), ZX_OK);
}

static void protect_large_body(uintptr_t a, uintptr_t b) { large_uncommitted(false); }
Test(vmar, ProtectLargeUncomittedTest) { core_run(protect_large_body); }

static void unmap_large_body(uintptr_t a, uintptr_t b) { large_uncommitted(true); }
Test(vmar, UnmapLargeUncommittedTest) { core_run(unmap_large_body); }

/* Map two pages of a fresh VMO, unmap the second, and check what
 * process_read_memory (or _write_) reaches. */
static void partial_unmap(bool write)
{
    zx_handle_t vmo = core_vmo(2 * PAGE, 0);
    uintptr_t m;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, vmo, 0, 2 * PAGE, &m), ZX_OK);
    zx_handle_close(vmo);
    memset((void *)m, 0, 2 * PAGE);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), m + PAGE, PAGE), ZX_OK);
    static char buf[2 * PAGE];
    size_t n = 0;
    zx_handle_t self = zx_process_self();
#define ACCESS(addr, len)                                                          \
    (write ? zx_process_write_memory(self, (addr), buf, (len), &n)                 \
           : zx_process_read_memory(self, (addr), buf, (len), &n))
    cr_expect_eq(ACCESS(m, PAGE), ZX_OK);
    cr_expect_eq(n, PAGE);
    cr_expect_eq(ACCESS(m + PAGE, PAGE), ZX_ERR_NO_MEMORY);
    cr_expect_eq(ACCESS(m, 2 * PAGE), ZX_OK, "a short transfer");
    cr_expect_eq(n, PAGE);
    cr_expect_eq(ACCESS(m + PAGE - 1, 2), ZX_OK);
    cr_expect_eq(n, 1u);
#undef ACCESS
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), m, PAGE), ZX_OK);
}

static void partial_read_body(uintptr_t a, uintptr_t b) { partial_unmap(false); }
Test(vmar, PartialUnmapAndRead) { core_run(partial_read_body); }

static void partial_write_body(uintptr_t a, uintptr_t b) { partial_unmap(true); }
Test(vmar, PartialUnmapAndWrite) { core_run(partial_write_body); }

static void partial_unmap_offset_body(uintptr_t a, uintptr_t b)
{
    const size_t off = 0x1000, vmo_size = 10 * PAGE, len = vmo_size - off;
    zx_handle_t vmo = core_vmo(vmo_size, 0), self = zx_process_self();
    uintptr_t m;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, vmo, off, len, &m), ZX_OK);
    zx_handle_close(vmo);
    memset((void *)m, 0, len);
    static char buf[10 * PAGE];
    size_t n;
    cr_expect_eq(zx_process_write_memory(self, m, buf, len, &n), ZX_OK);
    cr_expect_eq(n, len);
    cr_expect_eq(zx_process_read_memory(self, m, buf, len, &n), ZX_OK);
    cr_expect_eq(n, len);
    cr_expect_eq(zx_process_write_memory(self, m + len - 1, buf, 1, &n), ZX_OK);
    cr_expect_eq(zx_process_read_memory(self, m + len - 1, buf, 1, &n), ZX_OK);
    cr_expect_eq(zx_process_write_memory(self, m + len, buf, 1, &n), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_process_read_memory(self, m + len, buf, 1, &n), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_process_write_memory(self, m + len - 1, buf, 2, &n), ZX_OK);
    cr_expect_eq(n, 1u);
    cr_expect_eq(zx_process_read_memory(self, m + len - 1, buf, 2, &n), ZX_OK);
    cr_expect_eq(n, 1u);
}
Test(vmar, PartialUnmapWithVmarOffset) { core_run(partial_unmap_offset_body); }

static void allow_faults_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t vmo = core_vmo(PAGE, ZX_VMO_RESIZABLE);
    uintptr_t m;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, PAGE, &m),
                 ZX_OK);
    zx_handle_close(vmo);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), m, PAGE), ZX_OK);
}
Test(vmar, AllowFaultsTest) { core_run(allow_faults_body); }

static volatile int reader_running;

static void concurrent_reader(uintptr_t addr, uintptr_t unused)
{
    while (reader_running) {
        uint64_t data;
        size_t n;
        zx_process_read_memory(zx_process_self(), addr, &data, sizeof data, &n);
    }
}

static void concurrent_unmap_read_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t child;
    uintptr_t addr;
    cr_expect_eq(zx_vmar_allocate(zx_vmar_root_self(), ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ, 0,
                                  4 * PAGE, &child, &addr),
                 ZX_OK);
    reader_running = 1;
    zx_handle_t t = core_thread_start(concurrent_reader, addr, 0);
    for (int i = 0; i < 1000; i++) {
        zx_handle_t vmo = core_vmo(PAGE, 0);
        uintptr_t m;
        cr_expect_eq(zx_vmar_map(child, ZX_VM_SPECIFIC | ZX_VM_PERM_READ, 0, vmo, 0, PAGE, &m), ZX_OK);
        cr_expect_eq(zx_vmar_unmap(child, addr, PAGE), ZX_OK);
        zx_handle_close(vmo);
    }
    reader_running = 0;
    core_thread_join(t);
}
Test(vmar, ConcurrentUnmapReadMemory) { core_run(concurrent_unmap_read_body); }
