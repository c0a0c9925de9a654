/* vmo.c — our ports of Zircon's core tests in zircon/system/utest/core/vmo/
 * vmo.cc and vmo-signal.cc (slices and zeroing: vmo_child.c; copy-on-write
 * clones: vmo_clone.c).
 * Each Test(vmo, X) checks what upstream case X checks, written anew for
 * the simulator; tests/CORE_TESTS.md maps every upstream case.
 *
 * Not ported (vmo.cc):
 *   Cache                — zx_vmo_set_cache_policy is not modeled (every
 *                          VMO is ZX_CACHE_POLICY_CACHED).
 *   PhysicalSlice        — needs the root resource, BTIs and physical VMOs.
 *   CacheFlush           — zx_cache_flush is not modeled.
 *   CompressedContiguous — needs BTIs and contiguous VMOs.
 * Partly ported: Info (no uncached or contiguous VMO), CacheOp (the normal
 * VMO only; there are no physical VMOs).
 */
#include <string.h>

#include "coretest.h"

#define PAGE CORE_PAGE
#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)

static uint64_t vmo_size(zx_handle_t v)
{
    uint64_t size = 0x99999999;
    cr_expect_eq(zx_vmo_get_size(v, &size), ZX_OK);
    return size;
}

static uintptr_t map_root(zx_vm_option_t perms, zx_handle_t vmo, uint64_t offset, size_t len)
{
    uintptr_t addr = 0;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), perms, 0, vmo, offset, len, &addr), ZX_OK);
    cr_expect_neq(addr, 0);
    return addr;
}

static void unmap_root(uintptr_t addr, size_t len)
{
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), addr, len), ZX_OK);
}

/* ---- vmo.cc ------------------------------------------------------------- */

static void create_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v[16];
    for (size_t i = 0; i < 16; i++)
        cr_expect_eq(zx_vmo_create(i * PAGE, 0, &v[i]), ZX_OK);
    for (size_t i = 0; i < 16; i++)
        cr_expect_eq(zx_handle_close(v[i]), ZX_OK);
}
Test(vmo, Create) { core_run(create_body); }

static void read_write_bad_len_body(uintptr_t a, uintptr_t b)
{
    const size_t len = 4 * PAGE;
    static char buf[4 * PAGE];
    zx_handle_t v = core_vmo(len, 0);
    for (size_t i = 1; i <= 2; i++) {
        cr_expect_eq(zx_vmo_read(v, buf, 0, SIZE_MAX - PAGE / i), ZX_ERR_OUT_OF_RANGE);
        cr_expect_eq(zx_vmo_write(v, buf, 0, SIZE_MAX - PAGE / i), ZX_ERR_OUT_OF_RANGE);
    }
    cr_expect_eq(zx_vmo_read(v, buf, 0, len), ZX_OK);
    cr_expect_eq(zx_vmo_write(v, buf, 0, len), ZX_OK);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, ReadWriteBadLen) { core_run(read_write_bad_len_body); }

static void read_write_body(uintptr_t a, uintptr_t b)
{
    const size_t len = 4 * PAGE;
    static char buf[4 * PAGE];
    zx_handle_t v = core_vmo(len, 0);
    memset(buf, 0x5a, len);
    cr_expect_eq(zx_vmo_read(v, buf, 0, len), ZX_OK);
    for (size_t i = 0; i < len; i++)
        if (buf[i] != 0) {
            cr_expect_fail("byte %zu of a new VMO is not zero", i);
            break;
        }
    memset(buf, 0x99, len);
    cr_expect_eq(zx_vmo_write(v, buf, 0, len), ZX_OK);
    uintptr_t p = map_root(RW, v, 0, len);
    cr_expect_eq(memcmp(buf, (void *)p, len), 0, "the mapping shows what was written");
    unmap_root(p, len);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, ReadWrite) { core_run(read_write_body); }

static void read_write_range_body(uintptr_t a, uintptr_t b)
{
    const size_t len = 4 * PAGE;
    static char buf[8 * PAGE];
    zx_handle_t v = core_vmo(len, 0);
    cr_expect_eq(zx_vmo_read(v, buf, 0, sizeof buf), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_read(v, buf, len, 0), ZX_OK);
    cr_expect_eq(zx_vmo_read(v, buf, len + 1, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_write(v, buf, 0, sizeof buf), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_write(v, buf, len, 0), ZX_OK);
    cr_expect_eq(zx_vmo_write(v, buf, len + 1, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_read(v, buf, UINT64_MAX - len / 2, len), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_write(v, buf, UINT64_MAX - len / 2, len), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, ReadWriteRange) { core_run(read_write_range_body); }

static void map_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(4 * PAGE, 0);
    uintptr_t p0 = map_root(ZX_VM_PERM_READ, v, 0, PAGE);
    uintptr_t p2 = UINTPTR_MAX; /* an out value, not an input */
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &p2), ZX_OK);
    cr_expect_neq(p2, 0);
    uintptr_t fixed;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC, UINTPTR_MAX,
                             v, 0, PAGE, &fixed),
                 ZX_ERR_INVALID_ARGS, "a specific offset far out of range");
    cr_expect_eq(zx_handle_close(v), ZX_OK);
    unmap_root(p0, PAGE);
    unmap_root(p2, PAGE);
}
Test(vmo, Map) { core_run(map_body); }

static void map_read_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    uintptr_t p = map_root(RW, v, 0, PAGE);
    cr_expect_eq(zx_vmo_read(v, (void *)p, PAGE, PAGE), ZX_OK,
                 "reading a VMO into its own mapping");
}
Test(vmo, MapRead) { core_run(map_read_body); }

#define PARALLEL_PAGES 1024u

static void parallel_reader(uintptr_t vmo, uintptr_t dest)
{
    cr_expect_eq(zx_vmo_read((zx_handle_t)vmo, (void *)dest, PAGE * (PARALLEL_PAGES / 2),
                             PAGE * (PARALLEL_PAGES / 2)),
                 ZX_OK);
}

static void parallel_read_body(uintptr_t a, uintptr_t b)
{
    const size_t half = PAGE * (PARALLEL_PAGES / 2);
    zx_handle_t v1 = core_vmo(PAGE * PARALLEL_PAGES, 0), v2 = core_vmo(PAGE * PARALLEL_PAGES, 0);
    uintptr_t p1 = map_root(RW, v1, 0, half), p2 = map_root(RW, v2, 0, half);
    zx_handle_t t = core_thread_start(parallel_reader, v1, p2);
    parallel_reader(v2, p1);
    core_thread_join(t);
}
Test(vmo, ParallelRead) { core_run(parallel_read_body); }

static void read_only_map_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    uintptr_t p = map_root(ZX_VM_PERM_READ, v, 0, PAGE);
    cr_expect_not(probe_for_write((void *)p), "a read-only mapping takes no stores");
    unmap_root(p, PAGE);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, ReadOnlyMap) { core_run(read_only_map_body); }

static void no_perm_map_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    uintptr_t p = map_root(ZX_VM_PERM_READ, v, 0, PAGE);
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), 0, p, PAGE), ZX_OK);
    cr_expect_not(probe_for_read((void *)p));
    cr_expect_not(probe_for_write((void *)p));
    unmap_root(p, PAGE);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, NoPermMap) { core_run(no_perm_map_body); }

static void no_perm_protect_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    uintptr_t p = map_root(0, v, 0, PAGE);
    cr_expect_not(probe_for_write((void *)p));
    cr_expect_not(probe_for_read((void *)p));
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, p, PAGE), ZX_OK);
    cr_expect_not(probe_for_write((void *)p));
    cr_expect(probe_for_read((void *)p), "readable after protect(READ)");
    unmap_root(p, PAGE);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, NoPermProtect) { core_run(no_perm_protect_body); }

static void resize_body(uintptr_t a, uintptr_t b)
{
    size_t len = 4 * PAGE;
    zx_handle_t v = core_vmo(len, ZX_VMO_RESIZABLE);
    cr_expect_eq(vmo_size(v), len);
    len += PAGE;
    cr_expect_eq(zx_vmo_set_size(v, len), ZX_OK);
    cr_expect_eq(vmo_size(v), len);
    cr_expect_eq(zx_vmo_set_size(v, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_set_size(v, len + 1), ZX_OK);
    len += PAGE;
    cr_expect_eq(vmo_size(v), len, "rounded up to a page");
    uintptr_t p = map_root(ZX_VM_PERM_READ, v, 0, len), p2;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_REQUIRE_NON_RESIZABLE,
                             0, v, 0, len, &p2),
                 ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_vmo_set_size(v, len), ZX_OK, "resize while mapped");
    unmap_root(p, len);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, Resize) { core_run(resize_body); }

static void no_resize_body(uintptr_t a, uintptr_t b)
{
    const size_t len = 4 * PAGE;
    zx_handle_t v = core_vmo(len, 0);
    cr_expect_eq(zx_vmo_set_size(v, len + PAGE), ZX_ERR_UNAVAILABLE);
    cr_expect_eq(zx_vmo_set_size(v, len - PAGE), ZX_ERR_UNAVAILABLE);
    cr_expect_eq(vmo_size(v), len);
    uintptr_t p = map_root(RW | ZX_VM_REQUIRE_NON_RESIZABLE, v, 0, len);
    unmap_root(p, len);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, NoResize) { core_run(no_resize_body); }

static void info_body(uintptr_t a, uintptr_t b)
{
    zx_info_vmo_t info;
    zx_handle_t v = core_vmo(4 * PAGE, 0);
    cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &info, sizeof info, NULL, NULL), ZX_OK);
    zx_handle_close(v);
    cr_expect_eq(info.size_bytes, 4 * PAGE);
    cr_expect_eq(info.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
    cr_expect_eq(info.cache_policy, ZX_CACHE_POLICY_CACHED);
    v = core_vmo(8 * PAGE, ZX_VMO_RESIZABLE);
    cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &info, sizeof info, NULL, NULL), ZX_OK);
    zx_handle_close(v);
    cr_expect_eq(info.size_bytes, 8 * PAGE);
    cr_expect_eq(info.flags,
                 ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_RESIZABLE);
}
Test(vmo, Info) { core_run(info_body); }

static void size_align_body(uintptr_t a, uintptr_t b)
{
    for (uint64_t s = 0; s < 4 * PAGE; s++) {
        zx_handle_t v = core_vmo(s, 0);
        if (vmo_size(v) != (s + PAGE - 1) / PAGE * PAGE)
            cr_expect_fail("vmo_create(%lu) did not round up to a page", (unsigned long)s);
        zx_handle_close(v);
    }
}
Test(vmo, SizeAlign) { core_run(size_align_body); }

static void resize_align_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(0, ZX_VMO_RESIZABLE);
    for (uint64_t s = 0; s < 4 * PAGE; s++) {
        cr_expect_eq(zx_vmo_set_size(v, s), ZX_OK);
        if (vmo_size(v) != (s + PAGE - 1) / PAGE * PAGE)
            cr_expect_fail("vmo_set_size(%lu) did not round up to a page", (unsigned long)s);
    }
    zx_handle_close(v);
}
Test(vmo, ResizeAlign) { core_run(resize_align_body); }

/* Map with `flags` and expect `want` (unmapping again on success). */
static void rights_map(zx_handle_t v, size_t len, zx_vm_option_t flags, zx_status_t want)
{
    uintptr_t p;
    zx_status_t s = zx_vmar_map(zx_vmar_root_self(), flags, 0, v, 0, len, &p);
    cr_expect_eq(s, want, "map flags %#x: got %d, want %d", flags, s, want);
    if (s == ZX_OK)
        unmap_root(p, len);
}

/* The rights of each kind of child, derived from the parent's (vmo.cc's
 * ChildPermsTestHelper). */
static void child_rights(zx_handle_t v)
{
    const zx_rights_t pr = core_handle_rights(v), props = ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
    zx_handle_t c;
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c), ZX_OK);
    cr_expect_eq(core_handle_rights(c), (pr | props | ZX_RIGHT_WRITE) & ~ZX_RIGHT_EXECUTE);
    zx_handle_close(c);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE,
                                     0, PAGE, &c),
                 ZX_OK);
    cr_expect_eq(core_handle_rights(c), (pr | props) & ~ZX_RIGHT_WRITE);
    zx_handle_close(c);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &c), ZX_OK);
    cr_expect_eq(core_handle_rights(c), pr | props);
    zx_handle_close(c);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_NO_WRITE, 0, PAGE, &c),
                 ZX_OK);
    cr_expect_eq(core_handle_rights(c), (pr | props) & ~ZX_RIGHT_WRITE);
    zx_handle_close(c);
}

#define PR ZX_VM_PERM_READ
#define PW ZX_VM_PERM_WRITE
#define PX ZX_VM_PERM_EXECUTE
#define DENIED ZX_ERR_ACCESS_DENIED
#define BADARG ZX_ERR_INVALID_ARGS

/* One duplicate of the executable VMO: its rights and the result of
 * mapping it 0, R, W, RW, RWX, RX. */
typedef struct RightsCase {
    zx_rights_t rights;
    bool check_children;
    zx_status_t want[6];
} RightsCase;

static const RightsCase rights_cases[] = {
    {ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE | ZX_RIGHT_DUPLICATE, true,
     {DENIED, DENIED, DENIED, DENIED, DENIED, DENIED}},
    {ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE, true,
     {ZX_OK, ZX_OK, BADARG, DENIED, DENIED, DENIED}},
    {ZX_RIGHT_WRITE | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE, false,
     {ZX_OK, DENIED, BADARG, DENIED, DENIED, DENIED}},
    {ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE, true,
     {ZX_OK, ZX_OK, BADARG, ZX_OK, DENIED, DENIED}},
    {ZX_RIGHT_READ | ZX_RIGHT_EXECUTE | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE, true,
     {ZX_OK, ZX_OK, BADARG, DENIED, DENIED, ZX_OK}},
    {ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE, true,
     {ZX_OK, ZX_OK, BADARG, ZX_OK, ZX_OK, ZX_OK}},
};

static const zx_vm_option_t rights_perms[6] = {0, PR, PW, PR | PW, PR | PW | PX, PR | PX};

static void rights_body(uintptr_t a, uintptr_t b)
{
    static const zx_rights_t expected = ZX_RIGHT_DUPLICATE | ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT |
                                        ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_MAP |
                                        ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
    const size_t len = 4 * PAGE;
    char buf[16];
    zx_handle_t v = core_vmo(len, 0), v2;
    cr_expect_eq(core_handle_rights(v) & expected, expected);
    cr_expect_eq(zx_vmo_read(v, buf, 0, 0), ZX_OK);
    cr_expect_eq(zx_vmo_write(v, buf, 0, 0), ZX_OK);
    const zx_rights_t dups[3] = {ZX_RIGHT_READ, ZX_RIGHT_WRITE, 0};
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(zx_handle_duplicate(v, dups[i], &v2), ZX_OK);
        cr_expect_eq(zx_vmo_read(v2, buf, 0, 0), dups[i] & ZX_RIGHT_READ ? ZX_OK : DENIED);
        cr_expect_eq(zx_vmo_write(v2, buf, 0, 0), dups[i] & ZX_RIGHT_WRITE ? ZX_OK : DENIED);
        zx_handle_close(v2);
    }
    cr_expect_eq(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &v), ZX_OK);
    cr_expect_eq(core_handle_rights(v) & (expected | ZX_RIGHT_EXECUTE), expected | ZX_RIGHT_EXECUTE);
    child_rights(v);
    const zx_status_t full[6] = {ZX_OK, ZX_OK, BADARG, ZX_OK, ZX_OK, ZX_OK};
    for (int m = 0; m < 6; m++)
        rights_map(v, len, rights_perms[m], full[m]);
    for (size_t i = 0; i < sizeof rights_cases / sizeof rights_cases[0]; i++) {
        const RightsCase *rc = &rights_cases[i];
        cr_expect_eq(zx_handle_duplicate(v, rc->rights, &v2), ZX_OK);
        if (rc->check_children)
            child_rights(v2);
        for (int m = 0; m < 6; m++)
            rights_map(v2, len, rights_perms[m], rc->want[m]);
        zx_handle_close(v2);
    }
    const char name[] = "test vmo";
    char got[ZX_MAX_NAME_LEN];
    cr_expect_eq(zx_object_set_property(v, ZX_PROP_NAME, name, sizeof name), ZX_OK);
    cr_expect_eq(zx_object_get_property(v, ZX_PROP_NAME, got, sizeof got), ZX_OK);
    cr_expect_str_eq(got, name);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
    zx_handle_t port, port_none;
    cr_expect_eq(zx_port_create(0, &port), ZX_OK);
    cr_expect_eq(zx_handle_duplicate(port, 0, &port_none), ZX_OK);
    cr_expect_eq(zx_vmo_read(port_none, buf, 0, 0), ZX_ERR_WRONG_TYPE,
                 "wrong type is reported before missing rights");
}
Test(vmo, Rights) { core_run(rights_body); }

static void commit_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 16384;
    zx_handle_t v = core_vmo(size, 0);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 0, size, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, size, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 0, size, NULL, 0), ZX_OK);
    uintptr_t p = map_root(RW, v, 0, size);
    uintptr_t p2 = map_root(RW, v, PAGE, size);
    uintptr_t p3 = map_root(RW, v, size * 2, size); /* beyond the VMO's end */
    volatile uint32_t *u = (volatile uint32_t *)(p + PAGE), *alias = (volatile uint32_t *)p2;
    *u = 99;
    cr_expect_eq(*u, 99u);
    cr_expect_eq(*alias, 99u, "both mappings show one page");
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(*u, 99u, "decommitting page 0 leaves page 1");
    cr_expect_eq(*alias, 99u);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, PAGE, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(*u, 0u, "a decommitted page reads as zero");
    cr_expect_eq(*alias, 0u);
    unmap_root(p, size);
    unmap_root(p2, size);
    unmap_root(p3, size);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, Commit) { core_run(commit_body); }

static void zero_page_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 4 * PAGE;
    zx_handle_t v = core_vmo(size, 0);
    uintptr_t p[3];
    for (int i = 0; i < 3; i++)
        p[i] = map_root(RW, v, 0, size);
    volatile uint32_t *v0 = (uint32_t *)p[0], *v1 = (uint32_t *)p[1], *v2 = (uint32_t *)p[2];
    cr_expect_eq(*v0, 0u);
    *v1 = 99;
    cr_expect_eq(*v1, 99u);
    cr_expect_eq(*v2, 99u);
    cr_expect_eq(*v0, 99u, "a read-faulted zero page is replaced");
    volatile uint32_t *second = (uint32_t *)(p[0] + PAGE);
    cr_expect_eq(*second, 0u);
    uint32_t val = 100;
    cr_expect_eq(zx_vmo_write(v, &val, PAGE, sizeof val), ZX_OK);
    cr_expect_eq(*second, 100u);
    volatile uint32_t *third = (uint32_t *)(p[0] + 2 * PAGE);
    cr_expect_eq(*third, 0u);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 2 * PAGE, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_write(v, &val, 2 * PAGE, sizeof val), ZX_OK);
    cr_expect_eq(*third, 100u);
    for (int i = 0; i < 3; i++)
        unmap_root(p[i], size);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, ZeroPage) { core_run(zero_page_body); }

static void cache_op_one(zx_handle_t v, uint32_t op, uint64_t size)
{
    static const uint64_t ok[][2] = {{0, 1}, {0, 1}, {1, 1}, {0, 0x8000}, {1, 0x7fff},
                                     {0x5200, 1}, {0x5200, 0x800}, {0x5200, 0x1000},
                                     {0x5200, 0x1200}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cr_expect_eq(zx_vmo_op_range(v, op, ok[i][0], ok[i][1], NULL, 0), ZX_OK,
                     "op %u at %#lx+%#lx", op, (unsigned long)ok[i][0], (unsigned long)ok[i][1]);
    cr_expect_eq(zx_vmo_op_range(v, op, 0, 0, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_op_range(v, op, 1, size, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, op, size, 1, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, op, size + 1, 1, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, op, UINT64_MAX - 1, 1, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, op, UINT64_MAX, 1, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, op, UINT64_MAX, UINT64_MAX, NULL, 0), ZX_ERR_OUT_OF_RANGE);
}

static void cache_op_body(uintptr_t a, uintptr_t b)
{
    const uint64_t size = 0x8000;
    zx_handle_t v = core_vmo(size, 0);
    cache_op_one(v, ZX_VMO_OP_CACHE_SYNC, size);
    cache_op_one(v, ZX_VMO_OP_CACHE_CLEAN, size);
    cache_op_one(v, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, size);
    cache_op_one(v, ZX_VMO_OP_CACHE_INVALIDATE, size);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, CacheOp) { core_run(cache_op_body); }

static void decommit_misaligned_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0x10, 0x100, NULL, 0), ZX_ERR_INVALID_ARGS,
                 "unaligned decommit of nothing committed");
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 0x10, 0x100, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0x10, 0x100, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, DecommitMisaligned) { core_run(decommit_misaligned_body); }

static void resize_hazard_body(uintptr_t a, uintptr_t b)
{
    const size_t size = 2 * PAGE;
    zx_handle_t v = core_vmo(size, ZX_VMO_RESIZABLE);
    uintptr_t p = map_root(RW, v, 0, size);
    int *ints = (int *)p;
    cr_expect_eq(ints[1], 0);
    cr_expect_eq(zx_vmo_set_size(v, 0), ZX_OK);
    cr_expect_not(probe_for_read(&ints[1]), "the pages went with the shrink");
    cr_expect_not(probe_for_write(&ints[1]));
    cr_expect_eq(zx_handle_close(v), ZX_OK);
    unmap_root(p, size);
}
Test(vmo, ResizeHazard) { core_run(resize_hazard_body); }

/* ---- vmo-signal.cc ------------------------------------------------------ */

static void signal_sanity_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(v, ZX_USER_SIGNAL_0, zx_deadline_after(2), &seen),
                 ZX_ERR_TIMED_OUT);
    cr_expect_eq(seen, ZX_VMO_ZERO_CHILDREN, "the initial signal set");
    cr_expect_eq(zx_object_signal(v, 0, ZX_USER_SIGNAL_0), ZX_OK);
    cr_expect_eq(zx_object_wait_one(v, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, &seen), ZX_OK);
    cr_expect_eq(seen, ZX_USER_SIGNAL_0 | ZX_VMO_ZERO_CHILDREN);
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, VmoSignal_SignalSanity) { core_run(signal_sanity_body); }

static bool has_no_children(zx_handle_t v)
{
    return zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, ZX_TIME_INFINITE, NULL) == ZX_OK;
}

static bool has_children(zx_handle_t v)
{
    return zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, zx_deadline_after(2), NULL) ==
           ZX_ERR_TIMED_OUT;
}

static void child_signal_clone_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0), c, c2;
    for (int i = 0; i < 10; i++) {
        cr_expect(has_no_children(v));
        cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
                     ZX_OK);
        cr_expect(has_no_children(c));
        cr_expect(has_children(v));
        cr_expect_eq(zx_vmo_create_child(c, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c2),
                     ZX_OK);
        cr_expect(has_no_children(c2));
        cr_expect(has_children(c));
        cr_expect(has_children(v));
        cr_expect_eq(zx_handle_close(c), ZX_OK);
        cr_expect(has_children(v), "the grandchild still counts once its parent is gone");
        cr_expect(has_no_children(c2));
        cr_expect_eq(zx_handle_close(c2), ZX_OK);
    }
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, VmoSignal_ChildSignalClone) { core_run(child_signal_clone_body); }

static void child_signal_map_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0), c;
    for (int i = 0; i < 10; i++) {
        cr_expect(has_no_children(v));
        cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
                     ZX_OK);
        uintptr_t p = map_root(RW, c, 0, PAGE);
        cr_expect(has_children(v));
        cr_expect_eq(zx_handle_close(c), ZX_OK);
        cr_expect(has_children(v), "a mapping keeps the child alive");
        unmap_root(p, PAGE);
    }
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, VmoSignal_ChildSignalMap) { core_run(child_signal_map_body); }
