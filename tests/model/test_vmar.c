/* test_vmar.c — covers: vmar_allocate, vmar_map, vmar_unmap, vmar_protect,
 * vmar_destroy, process_read_memory, process_write_memory.
 * One test per documented error, plus: mappings are real memory shared with
 * the VMO, partial unmap/protect split mappings, access violations fault the
 * app (process killed with ZX_TASK_RETCODE_EXCEPTION_KILL), addresses are
 * the same on every run, the W^X policy. */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "ktest.h"
#include "thread.h"
#include "vmar.h"

#define PAGE 4096u
#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)

static int64_t run1(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "vmar", fn, 0);
    ktest_run(t);
    int64_t rc = ktest_retcode(p);
    ktest_free(t);
    return rc;
}

#define RUN_OK(fn) cr_expect_eq(run1(fn), 0)
#define RUN_FAULTS(fn) cr_expect_eq(run1(fn), ZX_TASK_RETCODE_EXCEPTION_KILL)

static zx_handle_t new_vmo(uint64_t size)
{
    zx_handle_t v = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_vmo_create(size, 0, &v), ZX_OK);
    return v;
}

static zx_handle_t dup_rights(zx_handle_t h, zx_rights_t r)
{
    zx_handle_t d = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_handle_duplicate(h, r, &d), ZX_OK);
    return d;
}

static zx_handle_t new_event(void)
{
    zx_handle_t e = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_event_create(0, &e), ZX_OK);
    return e;
}

static zx_vaddr_t map(zx_handle_t vmar, uint32_t opts, size_t off, zx_handle_t vmo,
                      uint64_t vmo_off, size_t len)
{
    zx_vaddr_t a = 0;
    cr_expect_eq(zx_vmar_map(vmar, opts, off, vmo, vmo_off, len, &a), ZX_OK);
    return a;
}

static zx_handle_t sub_vmar(zx_handle_t parent, uint32_t opts, size_t off, size_t size,
                            zx_vaddr_t *addr)
{
    zx_handle_t c = ZX_HANDLE_INVALID;
    zx_vaddr_t a = 0;
    cr_expect_eq(zx_vmar_allocate(parent, opts, off, size, &c, &a), ZX_OK);
    if (addr)
        *addr = a;
    return c;
}

#define CAN_RW (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)
#define CAN_ALL (CAN_RW | ZX_VM_CAN_MAP_SPECIFIC)

/* ---- vmar_map: real memory ------------------------------------------------ */

static void map_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(3 * PAGE);
    uint32_t x = 0x1234;
    cr_expect_eq(zx_vmo_write(v, &x, PAGE + 8, 4), ZX_OK);
    zx_vaddr_t m1 = map(zx_vmar_root_self(), RW, 0, v, 0, 3 * PAGE);
    cr_expect_neq(m1, 0);
    cr_expect_eq(m1 % PAGE, 0);
    volatile uint32_t *p = (uint32_t *)m1;
    cr_expect_eq(p[(PAGE + 8) / 4], 0x1234, "mapping shows VMO data");
    p[5] = 77;
    uint32_t y = 0;
    cr_expect_eq(zx_vmo_read(v, &y, 20, 4), ZX_OK);
    cr_expect_eq(y, 77, "stores reach the VMO");
    zx_vaddr_t m2 = map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, PAGE, PAGE);
    cr_expect_eq(((volatile uint32_t *)m2)[2], 0x1234, "offset mapping");
    p[PAGE / 4 + 3] = 99;
    cr_expect_eq(((volatile uint32_t *)m2)[3], 99, "two mappings share pages");
    cr_expect_eq(zx_handle_close(v), ZX_OK);
    p[0] = 5; /* the mapping keeps the VMO alive */
    cr_expect_eq(((volatile uint32_t *)m1)[0], 5);
}
Test(vmar_map, success_real_shared_memory) { RUN_OK(map_ok); }

static void map_snapshot_cow(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE), c;
    volatile uint32_t *p = (uint32_t *)map(zx_vmar_root_self(), RW, 0, v, 0, PAGE);
    p[0] = 1;
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c), ZX_OK);
    volatile uint32_t *q = (uint32_t *)map(zx_vmar_root_self(), RW, 0, c, 0, PAGE);
    cr_expect_eq(q[0], 1);
    p[0] = 2;
    q[1] = 3;
    cr_expect_eq(q[0], 1, "snapshot does not see later parent stores");
    cr_expect_eq(p[1], 0, "parent does not see child stores");
}
Test(vmar_map, snapshot_through_mappings) { RUN_OK(map_snapshot_cow); }

static void map_specific(uintptr_t a, uintptr_t b)
{
    zx_vaddr_t base;
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 16 * PAGE, &base);
    zx_handle_t v = new_vmo(2 * PAGE), w = new_vmo(PAGE);
    zx_vaddr_t m = map(sub, RW | ZX_VM_SPECIFIC, 4 * PAGE, v, 0, 2 * PAGE);
    cr_expect_eq(m, base + 4 * PAGE);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(sub, RW | ZX_VM_SPECIFIC, 5 * PAGE, w, 0, PAGE, &o),
                 ZX_ERR_NO_MEMORY, "overlap");
    uint32_t one = 1;
    cr_expect_eq(zx_vmo_write(w, &one, 0, 4), ZX_OK);
    cr_expect_eq(zx_vmar_map(sub, RW | ZX_VM_SPECIFIC_OVERWRITE, 5 * PAGE, w, 0, PAGE, &o), ZX_OK);
    cr_expect_eq(o, base + 5 * PAGE);
    cr_expect_eq(*(volatile uint32_t *)o, 1, "overwrite replaced the pages");
    *(volatile uint32_t *)m = 4; /* first page of the old mapping still there */
    uint32_t y;
    cr_expect_eq(zx_vmo_read(v, &y, 0, 4), ZX_OK);
    cr_expect_eq(y, 4);
    zx_handle_t inner = sub_vmar(sub, CAN_ALL | ZX_VM_SPECIFIC, 8 * PAGE, 2 * PAGE, NULL);
    cr_expect_eq(zx_vmar_map(sub, RW | ZX_VM_SPECIFIC_OVERWRITE, 8 * PAGE, w, 0, PAGE, &o),
                 ZX_ERR_INVALID_ARGS, "may not overwrite a sub-VMAR");
    zx_handle_t nospec = sub_vmar(zx_vmar_root_self(), CAN_RW, 0, 4 * PAGE, NULL);
    cr_expect_eq(zx_vmar_map(nospec, RW | ZX_VM_SPECIFIC, 0, w, 0, PAGE, &o),
                 ZX_ERR_ACCESS_DENIED, "needs CAN_MAP_SPECIFIC");
    (void)inner;
}
Test(vmar_map, specific_and_overwrite) { RUN_OK(map_specific); }

static void map_align(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    zx_vaddr_t m = map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_ALIGN_1MB, 0, v, 0, PAGE);
    cr_expect_eq(m % (1u << 20), 0);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | (5u << ZX_VM_ALIGN_BASE), 0,
                             v, 0, PAGE, &o), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | (33u << ZX_VM_ALIGN_BASE), 0,
                             v, 0, PAGE, &o), ZX_ERR_INVALID_ARGS);
}
Test(vmar_map, alignment) { RUN_OK(map_align); }

static void map_handle_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE), e = new_event();
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(ZX_HANDLE_INVALID, RW, 0, v, 0, PAGE, &o), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, ZX_HANDLE_INVALID, 0, PAGE, &o),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmar_map(e, RW, 0, v, 0, PAGE, &o), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, e, 0, PAGE, &o), ZX_ERR_WRONG_TYPE);
}
Test(vmar_map, bad_handle_wrong_type) { RUN_OK(map_handle_errors); }

static void map_rights(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    zx_vaddr_t o;
    zx_handle_t nomap = dup_rights(v, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, nomap, 0, PAGE, &o),
                 ZX_ERR_ACCESS_DENIED, "MAP right");
    zx_handle_t ro = dup_rights(v, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW, 0, ro, 0, PAGE, &o), ZX_ERR_ACCESS_DENIED,
                 "WRITE on the VMO");
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, v, 0,
                             PAGE, &o), ZX_ERR_ACCESS_DENIED, "EXECUTE on the VMO");
    zx_handle_t rvmar = dup_rights(zx_vmar_root_self(), ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ);
    cr_expect_eq(zx_vmar_map(rvmar, RW, 0, v, 0, PAGE, &o), ZX_ERR_ACCESS_DENIED,
                 "WRITE on the VMAR");
    cr_expect_eq(zx_vmar_map(rvmar, ZX_VM_PERM_READ, 0, v, 0, PAGE, &o), ZX_OK);
    zx_handle_t ronly = sub_vmar(zx_vmar_root_self(), ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, NULL);
    cr_expect_eq(zx_vmar_map(ronly, RW, 0, v, 0, PAGE, &o), ZX_ERR_ACCESS_DENIED,
                 "VMAR without CAN_MAP_WRITE");
}
Test(vmar_map, access_denied) { RUN_OK(map_rights); }

static void map_args(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(2 * PAGE), r = zx_vmar_root_self();
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(r, ZX_VM_PERM_WRITE, 0, v, 0, PAGE, &o), ZX_ERR_INVALID_ARGS,
                 "write without read");
    cr_expect_eq(zx_vmar_map(r, RW | ZX_VM_CAN_MAP_READ, 0, v, 0, PAGE, &o), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(r, RW, PAGE, v, 0, PAGE, &o), ZX_ERR_INVALID_ARGS,
                 "offset without SPECIFIC");
    cr_expect_eq(zx_vmar_map(r, RW, 0, v, 100, PAGE, &o), ZX_ERR_INVALID_ARGS, "vmo_offset");
    cr_expect_eq(zx_vmar_map(r, RW, 0, v, 0, 0, &o), ZX_ERR_INVALID_ARGS, "len 0");
    cr_expect_eq(zx_vmar_map(r, RW | ZX_VM_MAP_RANGE | ZX_VM_SPECIFIC_OVERWRITE, 0, v, 0, PAGE,
                             &o), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_map(r, RW | ZX_VM_SPECIFIC, (size_t)1 << 40, v, 0, PAGE, &o),
                 ZX_ERR_INVALID_ARGS, "outside the VMAR");
    cr_expect_eq(zx_vmar_map(r, RW, 0, v, UINT64_MAX - PAGE + 1, 2 * PAGE, &o),
                 ZX_ERR_OUT_OF_RANGE, "vmo_offset + len overflows");
    cr_expect_eq(zx_vmar_map(r, RW, 0, v, 0, PAGE, NULL), ZX_ERR_INVALID_ARGS, "bad out");
    cr_expect_eq(zx_vmar_map(r, RW | ZX_VM_MAP_RANGE, 0, v, 0, PAGE, &o), ZX_OK);
}
Test(vmar_map, invalid_args) { RUN_OK(map_args); }

static void map_misc_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t rs, v = new_vmo(PAGE);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE, &rs), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_REQUIRE_NON_RESIZABLE, 0, rs, 0,
                             PAGE, &o), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_REQUIRE_NON_RESIZABLE, 0, v, 0,
                             PAGE, &o), ZX_OK);
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_RW, 0, 2 * PAGE, NULL);
    cr_expect_eq(zx_vmar_map(sub, RW, 0, v, 0, 4 * PAGE, &o), ZX_ERR_INVALID_ARGS, "too big");
    map(sub, RW, 0, v, 0, PAGE);
    map(sub, RW, 0, v, 0, PAGE);
    cr_expect_eq(zx_vmar_map(sub, RW, 0, v, 0, PAGE, &o), ZX_ERR_NO_MEMORY, "full");
    cr_expect_eq(zx_vmar_destroy(sub), ZX_OK);
    cr_expect_eq(zx_vmar_map(sub, RW, 0, v, 0, PAGE, &o), ZX_ERR_BAD_STATE, "destroyed");
}
Test(vmar_map, not_supported_no_memory_bad_state) { RUN_OK(map_misc_errors); }

static void map_wx(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE), x;
    cr_expect_eq(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &x), ZX_OK);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_PERM_EXECUTE, 0, x, 0, PAGE, &o),
                 ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, x, 0,
                             PAGE, &o), ZX_OK);
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), RW | ZX_VM_PERM_EXECUTE, o, PAGE),
                 ZX_ERR_ACCESS_DENIED);
}
Test(vmar_map, policy_vmar_wx_denied)
{
    KTest *t = ktest_new(1, 1);
    zx_policy_basic_v2_t pol = {ZX_POL_VMAR_WX, ZX_POL_ACTION_DENY, ZX_POL_OVERRIDE_DENY};
    cr_assert_eq(policy_apply_basic(&t->job->policy, ZX_JOB_POL_ABSOLUTE, &pol, 1), ZX_OK);
    ktest_spawn(t, "wx", map_wx, 0);
    ktest_run(t);
    ktest_free(t);
}

static void map_wx_allowed(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE), x;
    cr_expect_eq(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &x), ZX_OK);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_PERM_EXECUTE, 0, x, 0, PAGE, &o),
                 ZX_OK);
}
Test(vmar_map, wx_allowed_by_default) { RUN_OK(map_wx_allowed); }

static void fault_write_readonly(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    volatile uint32_t *p = (uint32_t *)map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE);
    cr_expect_eq(p[0], 0);
    p[0] = 1;
    cr_expect_fail("store to a read-only mapping must fault");
}
Test(vmar_map, store_to_readonly_faults) { RUN_FAULTS(fault_write_readonly); }

static void fault_past_vmo_end(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    volatile uint8_t *p = (uint8_t *)map(zx_vmar_root_self(), RW, 0, v, 0, 2 * PAGE);
    p[0] = 1;
    p[PAGE] = 1;
    cr_expect_fail("access past the VMO's end must fault");
}
Test(vmar_map, access_past_vmo_end_faults) { RUN_FAULTS(fault_past_vmo_end); }

static zx_vaddr_t first_addr;
static void record_addr(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    zx_vaddr_t m = map(zx_vmar_root_self(), RW, 0, v, 0, PAGE);
    if (a)
        cr_expect_eq(m, first_addr, "same address on every run");
    first_addr = m;
}
Test(vmar_map, addresses_deterministic)
{
    for (uintptr_t i = 0; i < 2; i++) {
        KTest *t = ktest_new(7, 2);
        ktest_spawn(t, "addr", record_addr, i);
        ktest_run(t);
        ktest_free(t);
    }
}

/* ---- vmar_allocate ---------------------------------------------------------- */

static void alloc_ok(uintptr_t a, uintptr_t b)
{
    zx_vaddr_t base, cbase;
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 64 * PAGE, &base);
    cr_expect_neq(base, 0);
    zx_handle_t c = sub_vmar(sub, CAN_RW | ZX_VM_SPECIFIC, 8 * PAGE, 4 * PAGE, &cbase);
    cr_expect_eq(cbase, base + 8 * PAGE);
    zx_handle_t v = new_vmo(PAGE);
    zx_vaddr_t m = map(c, RW, 0, v, 0, PAGE);
    cr_expect(m >= cbase && m < cbase + 4 * PAGE, "mapping inside the child");
    *(volatile int *)m = 3;
    zx_handle_t al = sub_vmar(sub, ZX_VM_CAN_MAP_READ | ZX_VM_ALIGN_64KB, 0, PAGE, &cbase);
    cr_expect_eq(cbase % (64 * 1024), 0);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(al, RW, 0, v, 0, PAGE, &o), ZX_ERR_ACCESS_DENIED,
                 "child handle has READ only");
    (void)al;
}
Test(vmar_allocate, success_specific_and_aligned) { RUN_OK(alloc_ok); }

static void alloc_handle_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t c;
    zx_vaddr_t addr;
    cr_expect_eq(zx_vmar_allocate(ZX_HANDLE_INVALID, CAN_RW, 0, PAGE, &c, &addr),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmar_allocate(new_event(), 0, 0, PAGE, &c, &addr), ZX_ERR_WRONG_TYPE);
    zx_handle_t ro = dup_rights(zx_vmar_root_self(), ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ);
    cr_expect_eq(zx_vmar_allocate(ro, CAN_RW, 0, PAGE, &c, &addr), ZX_ERR_ACCESS_DENIED,
                 "CAN_MAP_WRITE needs WRITE on the parent handle");
    cr_expect_eq(zx_vmar_allocate(ro, ZX_VM_CAN_MAP_READ, 0, PAGE, &c, &addr), ZX_OK);
    /* a capability the parent VMAR lacks (its handle's rights follow its
     * capabilities, so the rights check is what fires) */
    zx_handle_t rsub = sub_vmar(zx_vmar_root_self(), ZX_VM_CAN_MAP_READ, 0, 8 * PAGE, NULL);
    cr_expect_eq(zx_vmar_allocate(rsub, CAN_RW, 0, PAGE, &c, &addr), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmar_allocate(rsub, ZX_VM_SPECIFIC, 0, PAGE, &c, &addr),
                 ZX_ERR_ACCESS_DENIED, "SPECIFIC without CAN_MAP_SPECIFIC");
}
Test(vmar_allocate, bad_handle_wrong_type_access_denied) { RUN_OK(alloc_handle_errors); }

static void alloc_args(uintptr_t a, uintptr_t b)
{
    zx_handle_t r = zx_vmar_root_self(), c;
    zx_vaddr_t addr;
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW, 0, 0, &c, &addr), ZX_ERR_INVALID_ARGS, "size 0");
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW, 0, 100, &c, &addr), ZX_ERR_INVALID_ARGS,
                 "unaligned size");
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW, PAGE, PAGE, &c, &addr), ZX_ERR_INVALID_ARGS,
                 "offset without SPECIFIC");
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW | ZX_VM_PERM_READ, 0, PAGE, &c, &addr),
                 ZX_ERR_INVALID_ARGS, "PERM flags");
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW | ZX_VM_SPECIFIC_OVERWRITE, 0, PAGE, &c, &addr),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW | (3u << ZX_VM_ALIGN_BASE), 0, PAGE, &c, &addr),
                 ZX_ERR_INVALID_ARGS, "alignment");
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW | ZX_VM_SPECIFIC, 100, PAGE, &c, &addr),
                 ZX_ERR_INVALID_ARGS, "unaligned offset");
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW | ZX_VM_SPECIFIC, (size_t)1 << 40, PAGE, &c, &addr),
                 ZX_ERR_INVALID_ARGS, "outside");
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW, 0, PAGE, NULL, &addr), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_allocate(r, CAN_RW, 0, PAGE, &c, NULL), ZX_ERR_INVALID_ARGS);
}
Test(vmar_allocate, invalid_args) { RUN_OK(alloc_args); }

static void alloc_no_memory_bad_state(uintptr_t a, uintptr_t b)
{
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 4 * PAGE, NULL), c;
    zx_vaddr_t addr;
    sub_vmar(sub, CAN_RW | ZX_VM_SPECIFIC, PAGE, PAGE, NULL);
    cr_expect_eq(zx_vmar_allocate(sub, CAN_RW | ZX_VM_SPECIFIC, 0, 2 * PAGE, &c, &addr),
                 ZX_ERR_NO_MEMORY, "overlap");
    cr_expect_eq(zx_vmar_allocate(sub, CAN_RW, 0, 3 * PAGE, &c, &addr), ZX_ERR_NO_MEMORY,
                 "no gap big enough");
    cr_expect_eq(zx_vmar_allocate(sub, CAN_RW, 0, 2 * PAGE, &c, &addr), ZX_OK);
    cr_expect_eq(zx_vmar_destroy(sub), ZX_OK);
    cr_expect_eq(zx_vmar_allocate(sub, CAN_RW, 0, PAGE, &c, &addr), ZX_ERR_BAD_STATE);
}
Test(vmar_allocate, no_memory_and_bad_state) { RUN_OK(alloc_no_memory_bad_state); }

/* ---- vmar_unmap ------------------------------------------------------------- */

static void unmap_split(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(3 * PAGE);
    zx_vaddr_t m = map(zx_vmar_root_self(), RW, 0, v, 0, 3 * PAGE);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), m + PAGE, PAGE), ZX_OK);
    volatile uint8_t *p = (uint8_t *)m;
    p[0] = 1;
    p[2 * PAGE] = 3; /* the tail keeps its offset in the VMO */
    uint8_t got[3 * PAGE];
    cr_expect_eq(zx_vmo_read(v, got, 0, sizeof got), ZX_OK);
    cr_expect_eq(got[0], 1);
    cr_expect_eq(got[2 * PAGE], 3);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), m + PAGE, PAGE), ZX_OK, "a hole is fine");
    zx_vaddr_t again = map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE);
    cr_expect_eq(again, m + PAGE, "lowest fit reuses the hole");
}
Test(vmar_unmap, success_splits) { RUN_OK(unmap_split); }

static void unmap_then_touch(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    volatile uint8_t *p = (uint8_t *)map(zx_vmar_root_self(), RW, 0, v, 0, PAGE);
    p[0] = 1;
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)p, PAGE), ZX_OK);
    p[0] = 2;
    cr_expect_fail("touching unmapped memory must fault");
}
Test(vmar_unmap, touching_unmapped_faults) { RUN_FAULTS(unmap_then_touch); }

static void unmap_errors(uintptr_t a, uintptr_t b)
{
    zx_vaddr_t base;
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 8 * PAGE, &base);
    zx_handle_t inner = sub_vmar(sub, CAN_ALL | ZX_VM_SPECIFIC, 2 * PAGE, 2 * PAGE, NULL);
    cr_expect_eq(zx_vmar_unmap(ZX_HANDLE_INVALID, base, PAGE), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmar_unmap(new_event(), base, PAGE), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmar_unmap(sub, base + 1, PAGE), ZX_ERR_INVALID_ARGS, "unaligned");
    cr_expect_eq(zx_vmar_unmap(sub, base, 0), ZX_ERR_INVALID_ARGS, "len 0");
    cr_expect_eq(zx_vmar_unmap(sub, base + 6 * PAGE, 4 * PAGE), ZX_ERR_INVALID_ARGS, "outside");
    cr_expect_eq(zx_vmar_unmap(sub, base + 3 * PAGE, 2 * PAGE), ZX_ERR_INVALID_ARGS,
                 "partial sub-VMAR");
    cr_expect_eq(zx_vmar_unmap(sub, base, 8 * PAGE), ZX_OK, "whole sub-VMAR goes");
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(inner, ZX_VM_PERM_READ, 0, new_vmo(PAGE), 0, PAGE, &o),
                 ZX_ERR_BAD_STATE, "destroyed by the unmap");
    cr_expect_eq(zx_vmar_destroy(sub), ZX_OK);
    cr_expect_eq(zx_vmar_unmap(sub, base, PAGE), ZX_ERR_BAD_STATE);
}
Test(vmar_unmap, errors) { RUN_OK(unmap_errors); }

/* ---- vmar_protect ----------------------------------------------------------- */

static void protect_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(3 * PAGE);
    volatile uint8_t *p = (uint8_t *)map(zx_vmar_root_self(), RW, 0, v, 0, 3 * PAGE);
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, (zx_vaddr_t)p + PAGE, PAGE),
                 ZX_OK);
    p[0] = 1;
    p[2 * PAGE] = 1;
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), RW, (zx_vaddr_t)p, 3 * PAGE), ZX_OK);
    p[PAGE] = 2;
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), 0, (zx_vaddr_t)p, PAGE), ZX_OK,
                 "no access at all is allowed");
}
Test(vmar_protect, success_split_and_restore) { RUN_OK(protect_ok); }

static void protect_then_store(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    volatile uint8_t *p = (uint8_t *)map(zx_vmar_root_self(), RW, 0, v, 0, PAGE);
    p[0] = 1;
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, (zx_vaddr_t)p, PAGE), ZX_OK);
    cr_expect_eq(p[0], 1);
    p[0] = 2;
    cr_expect_fail("store after protect(READ) must fault");
}
Test(vmar_protect, store_after_readonly_faults) { RUN_FAULTS(protect_then_store); }

static void protect_errors(uintptr_t a, uintptr_t b)
{
    zx_vaddr_t base;
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 16 * PAGE, &base);
    zx_handle_t v = new_vmo(PAGE);
    zx_handle_t ro = dup_rights(v, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    zx_vaddr_t m = map(sub, RW | ZX_VM_SPECIFIC, 0, v, 0, PAGE);
    zx_vaddr_t r = map(sub, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, PAGE, ro, 0, PAGE);
    sub_vmar(sub, CAN_RW | ZX_VM_SPECIFIC, 4 * PAGE, PAGE, NULL);
    cr_expect_eq(zx_vmar_protect(ZX_HANDLE_INVALID, RW, m, PAGE), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmar_protect(new_event(), RW, m, PAGE), ZX_ERR_WRONG_TYPE);
    zx_handle_t rsub = dup_rights(sub, ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ);
    cr_expect_eq(zx_vmar_protect(rsub, RW, m, PAGE), ZX_ERR_ACCESS_DENIED, "VMAR handle right");
    cr_expect_eq(zx_vmar_protect(sub, RW, r, PAGE), ZX_ERR_ACCESS_DENIED,
                 "the VMO handle used to map was read-only");
    cr_expect_eq(zx_vmar_protect(sub, ZX_VM_PERM_WRITE, m, PAGE), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_protect(sub, RW | ZX_VM_SPECIFIC, m, PAGE), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmar_protect(sub, RW, m + 8, PAGE), ZX_ERR_INVALID_ARGS, "unaligned");
    cr_expect_eq(zx_vmar_protect(sub, RW, m, 0), ZX_ERR_INVALID_ARGS, "len 0");
    cr_expect_eq(zx_vmar_protect(sub, ZX_VM_PERM_READ, m, 3 * PAGE), ZX_ERR_NOT_FOUND, "hole");
    cr_expect_eq(zx_vmar_protect(sub, ZX_VM_PERM_READ, base + 4 * PAGE, PAGE),
                 ZX_ERR_INVALID_ARGS, "sub-VMAR");
    cr_expect_eq(zx_vmar_protect(sub, ZX_VM_PERM_READ, m, 2 * PAGE), ZX_OK);
    cr_expect_eq(zx_vmar_destroy(sub), ZX_OK);
    cr_expect_eq(zx_vmar_protect(sub, ZX_VM_PERM_READ, m, PAGE), ZX_ERR_BAD_STATE);
}
Test(vmar_protect, errors) { RUN_OK(protect_errors); }

/* ---- vmar_destroy ------------------------------------------------------------ */

static void destroy_ok(uintptr_t a, uintptr_t b)
{
    zx_vaddr_t base, ibase;
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 8 * PAGE, &base);
    zx_handle_t inner = sub_vmar(sub, CAN_ALL, 0, 2 * PAGE, &ibase);
    zx_handle_t v = new_vmo(PAGE);
    map(inner, RW, 0, v, 0, PAGE);
    cr_expect_eq(zx_vmar_destroy(sub), ZX_OK);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(inner, RW, 0, v, 0, PAGE, &o), ZX_ERR_BAD_STATE, "descendants die");
    cr_expect_eq(zx_vmar_destroy(sub), ZX_ERR_BAD_STATE, "twice");
    zx_handle_t again = sub_vmar(zx_vmar_root_self(), CAN_ALL | ZX_VM_SPECIFIC,
                                 base - (base & ~((zx_vaddr_t)0x3fffffff)) , 8 * PAGE, NULL);
    (void)again; /* the range is free again (root starts at its slot base) */
}
Test(vmar_destroy, success_and_bad_state) { RUN_OK(destroy_ok); }

static void destroy_errors(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_vmar_destroy(ZX_HANDLE_INVALID), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmar_destroy(new_event()), ZX_ERR_WRONG_TYPE);
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, PAGE, NULL);
    cr_expect_eq(zx_vmar_destroy(dup_rights(sub, ZX_RIGHTS_BASIC & ~ZX_RIGHT_WAIT)),
                 ZX_ERR_ACCESS_DENIED, "OP_CHILDREN needed");
    cr_expect_eq(zx_vmar_destroy(zx_vmar_root_self()), ZX_ERR_NOT_SUPPORTED, "root");
}
Test(vmar_destroy, errors) { RUN_OK(destroy_errors); }

static void destroy_then_touch(uintptr_t a, uintptr_t b)
{
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 4 * PAGE, NULL);
    volatile uint8_t *p = (uint8_t *)map(sub, RW, 0, new_vmo(PAGE), 0, PAGE);
    p[0] = 1;
    cr_expect_eq(zx_vmar_destroy(sub), ZX_OK);
    p[0] = 2;
    cr_expect_fail("memory of a destroyed VMAR must fault");
}
Test(vmar_destroy, touching_destroyed_faults) { RUN_FAULTS(destroy_then_touch); }

/* ---- process_read_memory / process_write_memory ----------------------------- */

static void read_memory_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(2 * PAGE);
    volatile char *p = (char *)map(zx_vmar_root_self(), RW, 0, v, 0, 2 * PAGE);
    memcpy((char *)p + 2 * PAGE - 4, "abcd", 4);
    char buf[16] = {0};
    size_t actual = 0;
    cr_expect_eq(zx_process_read_memory(zx_process_self(), (zx_vaddr_t)p + 2 * PAGE - 4, buf,
                                        sizeof buf, &actual), ZX_OK);
    cr_expect_eq(actual, 4, "stops at the mapping's end");
    cr_expect_eq(memcmp(buf, "abcd", 4), 0);
    cr_expect_eq(zx_vmar_protect(zx_vmar_root_self(), 0, (zx_vaddr_t)p, PAGE), ZX_OK);
    cr_expect_eq(zx_process_read_memory(zx_process_self(), (zx_vaddr_t)p, buf, 4, &actual),
                 ZX_OK, "reads through the VMO, whatever the protection");
}
Test(process_read_memory, success_short_read) { RUN_OK(read_memory_ok); }

static void read_memory_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t self = zx_process_self();
    zx_vaddr_t m = map(zx_vmar_root_self(), RW, 0, new_vmo(PAGE), 0, PAGE);
    char buf[8];
    size_t actual;
    cr_expect_eq(zx_process_read_memory(self, m, NULL, 8, &actual), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_read_memory(self, m, buf, 0, &actual), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_read_memory(self, m, buf, (size_t)65 << 20, &actual),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_read_memory(ZX_HANDLE_INVALID, m, buf, 8, &actual), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_process_read_memory(new_event(), m, buf, 8, &actual), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_process_read_memory(dup_rights(self, ZX_RIGHT_READ), m, buf, 8, &actual),
                 ZX_ERR_ACCESS_DENIED, "READ and WRITE needed");
    cr_expect_eq(zx_process_read_memory(self, m + 16 * PAGE, buf, 8, &actual), ZX_ERR_NO_MEMORY);
    cr_expect_eq(zx_process_read_memory(self, m, buf, 8, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_write_memory(self, m, buf, 8, &actual), ZX_ERR_NOT_SUPPORTED,
                 "debugging syscalls are off");
}
Test(process_read_memory, errors) { RUN_OK(read_memory_errors); }

static void write_memory_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t self = zx_process_self(), v = new_vmo(PAGE);
    zx_vaddr_t m = map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE);
    size_t actual = 0;
    cr_expect_eq(zx_process_write_memory(self, m + 8, "xyz", 3, &actual), ZX_OK);
    cr_expect_eq(actual, 3);
    cr_expect_eq(memcmp((const char *)m + 8, "xyz", 3), 0, "even into a read-only mapping");
    char buf[8];
    cr_expect_eq(zx_process_write_memory(self, m, NULL, 3, &actual), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_write_memory(self, m, buf, 0, &actual), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_process_write_memory(ZX_HANDLE_INVALID, m, buf, 3, &actual),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_process_write_memory(new_event(), m, buf, 3, &actual), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_process_write_memory(dup_rights(self, ZX_RIGHT_READ), m, buf, 3, &actual),
                 ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_process_write_memory(self, m + 16 * PAGE, buf, 3, &actual), ZX_ERR_NO_MEMORY);
}
Test(process_write_memory, success_and_errors_with_debugging)
{
    KTest *t = ktest_new(1, 1);
    t->kernel->debugging_syscalls = true;
    KProcess *p = ktest_spawn(t, "wm", write_memory_ok, 0);
    ktest_run(t);
    cr_expect_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static void memory_dead_process(uintptr_t a, uintptr_t b)
{
    zx_handle_t proc, vmar;
    const char name[] = "victim";
    cr_expect_eq(zx_process_create(zx_job_default(), name, sizeof name - 1, 0, &proc, &vmar), ZX_OK);
    cr_expect_eq(zx_task_kill(proc), ZX_OK);
    char buf[8];
    size_t actual;
    cr_expect_eq(zx_process_read_memory(proc, 0x10000, buf, 8, &actual), ZX_ERR_BAD_STATE);
    zx_vaddr_t o;
    cr_expect_eq(zx_vmar_map(vmar, ZX_VM_PERM_READ, 0, new_vmo(PAGE), 0, PAGE, &o),
                 ZX_ERR_BAD_STATE, "a dead process's root VMAR");
}
Test(process_read_memory, bad_state_when_dead) { RUN_OK(memory_dead_process); }

/* ---- White-box: the walk object_get_info uses -------------------------------- */

typedef struct VisitLog {
    int n;
    VmarVisit v[8];
} VisitLog;

static void log_visit(const VmarVisit *v, void *ctx)
{
    VisitLog *log = ctx;
    if (log->n < 8)
        log->v[log->n] = *v;
    log->n++;
}

static void visit_maps(uintptr_t a, uintptr_t b)
{
    zx_vaddr_t sbase;
    zx_handle_t sub = sub_vmar(zx_vmar_root_self(), CAN_ALL, 0, 8 * PAGE, &sbase);
    zx_handle_t v = new_vmo(PAGE);
    zx_vaddr_t m2 = map(sub, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 2 * PAGE, v, 0, PAGE);
    zx_vaddr_t m1 = map(sub, RW | ZX_VM_SPECIFIC, 0, v, 0, PAGE);
    KProcess *p = thread_of_fiber(sim_current())->process;
    VisitLog log = {0};
    cr_expect_eq(vmar_visit_process(p, log_visit, &log), ZX_OK);
    cr_expect_eq(log.n, 7, "aspace, root, sub, two mappings, the stack's VMAR and mapping");
    cr_expect_eq(log.v[0].type, ZX_INFO_MAPS_TYPE_ASPACE);
    cr_expect_eq(log.v[1].type, ZX_INFO_MAPS_TYPE_VMAR);
    cr_expect_eq(log.v[1].depth, 1);
    cr_expect_eq(log.v[1].rel_base, 0, "root starts at the slot base");
    cr_expect_eq(log.v[2].base, sbase);
    cr_expect_eq(log.v[3].base, m1, "address order, not creation order");
    cr_expect_eq(log.v[3].depth, 3);
    cr_expect_eq(log.v[3].perms, RW);
    cr_expect_eq(log.v[4].base, m2);
    cr_expect_eq(log.v[4].rel_base, m2 - log.v[0].base);
    /* The first thread's stack, as the launcher maps it: at the top of the
     * root VMAR, one guard page, then the stack VMO. */
    cr_expect_eq(log.v[5].type, ZX_INFO_MAPS_TYPE_VMAR);
    cr_expect_eq(log.v[5].depth, 2);
    cr_expect_eq(log.v[5].base + log.v[5].size, log.v[1].base + log.v[1].size);
    cr_expect_eq(log.v[6].type, ZX_INFO_MAPS_TYPE_MAPPING);
    cr_expect_str_eq(log.v[6].name, "initial-thread");
    cr_expect_eq(log.v[6].base, log.v[5].base + PAGE, "a guard page below");
    cr_expect_eq(log.v[6].size, 256 * 1024u);
    cr_expect_eq(log.v[6].perms, RW);
    int local;
    cr_expect((uintptr_t)&local - log.v[6].base < log.v[6].size, "this code runs on it");
    zx_info_vmar_t info;
    vmar_info(log.v[2].object, &info);
    cr_expect_eq(info.base, sbase);
    cr_expect_eq(info.len, 8 * PAGE);
    zx_info_vmo_t vi;
    vmo_info(log.v[3].object, &vi);
    cr_expect_eq(vi.num_mappings, 2);
    cr_expect_eq(vi.size_bytes, PAGE);
}
Test(vmar_info, visit_in_address_order) { RUN_OK(visit_maps); }
