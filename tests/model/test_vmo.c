/* test_vmo.c — covers: vmo_create, vmo_read, vmo_write, vmo_get_size,
 * vmo_set_size, vmo_op_range, vmo_create_child, vmo_replace_as_executable.
 * One test per documented error of each, plus the success paths and the
 * semantics: page rounding, zero fill, snapshot copy-on-write as observed,
 * slices sharing pages, child rights, ZX_VMO_ZERO_CHILDREN. */
#include <string.h>

#include "ktest.h"

#define PAGE 4096u

static void run1(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "vmo", fn, 0);
    ktest_run(t);
    cr_expect_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static void run_with_policy(ThreadEntryFn fn, uint32_t condition, uint32_t action)
{
    KTest *t = ktest_new(1, 1);
    zx_policy_basic_v2_t pol = {condition, action, ZX_POL_OVERRIDE_DENY};
    cr_assert_eq(policy_apply_basic(&t->job->policy, ZX_JOB_POL_ABSOLUTE, &pol, 1), ZX_OK);
    ktest_spawn(t, "vmo", fn, 0);
    ktest_run(t);
    ktest_free(t);
}

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

/* ---- vmo_create --------------------------------------------------------- */

static void create_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(1);
    uint64_t size = 0;
    cr_expect_eq(zx_vmo_get_size(v, &size), ZX_OK);
    cr_expect_eq(size, PAGE, "size rounds up to a page");
    char buf[PAGE];
    memset(buf, 0x5a, sizeof buf);
    cr_expect_eq(zx_vmo_read(v, buf, 0, sizeof buf), ZX_OK);
    for (size_t i = 0; i < sizeof buf; i++)
        if (buf[i]) {
            cr_expect_fail("VMO not zero-filled at %zu", i);
            break;
        }
    zx_signals_t seen = 0;
    cr_expect_eq(zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, 0, &seen), ZX_OK);
    zx_handle_t z = new_vmo(0);
    cr_expect_eq(zx_vmo_get_size(z, &size), ZX_OK);
    cr_expect_eq(size, 0);
}
Test(vmo_create, success_rounds_and_zero_fills) { run1(create_ok); }

/* A mapped VMO's host memory is kept for the next VMO of its size when it
 * dies (model/vmo_store.c): the next one must still start zeroed and
 * uncommitted, through a mapping and through vmo_read alike. */
static void create_on_recycled_memory(uintptr_t a, uintptr_t b)
{
    for (int round = 0; round < 3; round++) {
        zx_handle_t v = new_vmo(8 * PAGE);
        zx_info_vmo_t info;
        cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &info, sizeof info, NULL, NULL), ZX_OK);
        cr_expect_eq(info.committed_bytes, 0, "round %d", round);
        zx_vaddr_t addr = 0;
        cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v,
                                 0, 8 * PAGE, &addr), ZX_OK);
        uint32_t x = 1;
        cr_expect_eq(zx_vmo_read(v, &x, 5 * PAGE, sizeof x), ZX_OK);
        cr_expect_eq(x, 0, "round %d: vmo_read sees zero", round);
        volatile uint8_t *p = (volatile uint8_t *)addr;
        for (size_t i = 0; i < 8 * PAGE; i += 512)
            if (p[i] != 0) {
                cr_expect_fail("round %d: byte %zu of the mapping is %d", round, i, p[i]);
                break;
            }
        memset((void *)addr, 0xa5, 8 * PAGE);
        cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), addr, 8 * PAGE), ZX_OK);
        cr_expect_eq(zx_handle_close(v), ZX_OK);
    }
}
Test(vmo_create, recycled_host_memory_starts_zeroed) { run1(create_on_recycled_memory); }

static void create_bad_options(uintptr_t a, uintptr_t b)
{
    zx_handle_t v;
    cr_expect_eq(zx_vmo_create(PAGE, 1u << 7, &v), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE, &v),
                 ZX_ERR_INVALID_ARGS);
}
Test(vmo_create, invalid_args_options) { run1(create_bad_options); }

static void create_bad_out(uintptr_t a, uintptr_t b)
{
    cr_expect_eq(zx_vmo_create(PAGE, 0, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create(PAGE, 0, (zx_handle_t *)8), ZX_ERR_INVALID_ARGS);
}
Test(vmo_create, invalid_args_out_pointer) { run1(create_bad_out); }

static void create_too_big(uintptr_t a, uintptr_t b)
{
    zx_handle_t v;
    cr_expect_eq(zx_vmo_create(UINT64_MAX, 0, &v), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_create((uint64_t)1 << 40, 0, &v), ZX_ERR_NO_MEMORY);
}
Test(vmo_create, out_of_range_and_no_memory) { run1(create_too_big); }

static void create_denied(uintptr_t a, uintptr_t b)
{
    zx_handle_t v;
    cr_expect_eq(zx_vmo_create(PAGE, 0, &v), ZX_ERR_ACCESS_DENIED);
}
Test(vmo_create, policy_new_vmo_denied)
{
    run_with_policy(create_denied, ZX_POL_NEW_VMO, ZX_POL_ACTION_DENY);
}

/* ---- vmo_read / vmo_write ----------------------------------------------- */

static void rw_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(3 * PAGE);
    const char msg[] = "hello, zircon";
    cr_expect_eq(zx_vmo_write(v, msg, PAGE - 4, sizeof msg), ZX_OK);
    char got[sizeof msg] = {0};
    cr_expect_eq(zx_vmo_read(v, got, PAGE - 4, sizeof got), ZX_OK);
    cr_expect_str_eq(got, msg);
    cr_expect_eq(zx_vmo_read(v, NULL, 0, 0), ZX_OK, "empty read needs no buffer");
    cr_expect_eq(zx_vmo_read(v, got, 3 * PAGE, 0), ZX_OK);
}
Test(vmo_rw, success_roundtrip) { run1(rw_ok); }

static void rw_bad_handle(uintptr_t a, uintptr_t b)
{
    char buf[8];
    cr_expect_eq(zx_vmo_read(ZX_HANDLE_INVALID, buf, 0, 8), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmo_write(12345, buf, 0, 8), ZX_ERR_BAD_HANDLE);
}
Test(vmo_rw, bad_handle) { run1(rw_bad_handle); }

static void rw_wrong_type(uintptr_t a, uintptr_t b)
{
    char buf[8];
    zx_handle_t e = new_event();
    cr_expect_eq(zx_vmo_read(e, buf, 0, 8), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmo_write(e, buf, 0, 8), ZX_ERR_WRONG_TYPE);
}
Test(vmo_rw, wrong_type) { run1(rw_wrong_type); }

static void rw_denied(uintptr_t a, uintptr_t b)
{
    char buf[8] = {0};
    zx_handle_t v = new_vmo(PAGE);
    zx_handle_t wo = dup_rights(v, ZX_RIGHT_WRITE);
    zx_handle_t ro = dup_rights(v, ZX_RIGHT_READ);
    cr_expect_eq(zx_vmo_read(wo, buf, 0, 8), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_write(ro, buf, 0, 8), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_read(ro, buf, 0, 8), ZX_OK);
}
Test(vmo_rw, access_denied) { run1(rw_denied); }

static void rw_range(uintptr_t a, uintptr_t b)
{
    char buf[16];
    zx_handle_t v = new_vmo(PAGE);
    cr_expect_eq(zx_vmo_read(v, buf, PAGE - 8, 16), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_write(v, buf, PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_read(v, buf, UINT64_MAX - 4, 16), ZX_ERR_OUT_OF_RANGE);
}
Test(vmo_rw, out_of_range) { run1(rw_range); }

static void rw_bad_buffer(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    cr_expect_eq(zx_vmo_read(v, (void *)16, 0, 8), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_write(v, (const void *)16, 0, 8), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_read(v, NULL, 0, 8), ZX_ERR_INVALID_ARGS);
}
Test(vmo_rw, invalid_args_buffer) { run1(rw_bad_buffer); }

/* ---- vmo_get_size / vmo_set_size ----------------------------------------- */

static void get_size_errors(uintptr_t a, uintptr_t b)
{
    uint64_t size;
    zx_handle_t v = new_vmo(2 * PAGE);
    cr_expect_eq(zx_vmo_get_size(ZX_HANDLE_INVALID, &size), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmo_get_size(new_event(), &size), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmo_get_size(v, NULL), ZX_ERR_INVALID_ARGS);
    zx_handle_t none = dup_rights(v, ZX_RIGHT_NONE);
    cr_expect_eq(zx_vmo_get_size(none, &size), ZX_OK, "no right needed");
    cr_expect_eq(size, 2 * PAGE);
}
Test(vmo_get_size, errors_and_no_rights) { run1(get_size_errors); }

static void set_size_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v;
    cr_expect_eq(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE, &v), ZX_OK);
    uint32_t x = 0xfeedface, y = 0;
    cr_expect_eq(zx_vmo_write(v, &x, 100, 4), ZX_OK);
    cr_expect_eq(zx_vmo_set_size(v, 3 * PAGE + 1), ZX_OK);
    uint64_t size;
    cr_expect_eq(zx_vmo_get_size(v, &size), ZX_OK);
    cr_expect_eq(size, 4 * PAGE);
    cr_expect_eq(zx_vmo_read(v, &y, 100, 4), ZX_OK);
    cr_expect_eq(y, x, "data survives growth");
    cr_expect_eq(zx_vmo_read(v, &y, 3 * PAGE + 8, 4), ZX_OK);
    cr_expect_eq(y, 0, "new pages are zero");
    cr_expect_eq(zx_vmo_set_size(v, 102), ZX_OK);
    cr_expect_eq(zx_vmo_read(v, &y, 100, 4), ZX_OK);
    cr_expect_eq(y, 0xface, "bytes past the new size are zeroed (little endian)");
    cr_expect_eq(zx_vmo_read(v, &y, PAGE, 4), ZX_ERR_OUT_OF_RANGE);
}
Test(vmo_set_size, success_grow_shrink) { run1(set_size_ok); }

static void set_size_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t fixed = new_vmo(PAGE), rs;
    cr_expect_eq(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE, &rs), ZX_OK);
    cr_expect_eq(zx_vmo_set_size(ZX_HANDLE_INVALID, PAGE), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmo_set_size(new_event(), PAGE), ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmo_set_size(dup_rights(rs, ZX_RIGHT_READ | ZX_RIGHT_RESIZE), PAGE),
                 ZX_ERR_ACCESS_DENIED, "WRITE needed");
    cr_expect_eq(zx_vmo_set_size(fixed, 2 * PAGE), ZX_ERR_UNAVAILABLE);
    cr_expect_eq(zx_vmo_set_size(dup_rights(fixed, ZX_RIGHT_WRITE), 2 * PAGE),
                 ZX_ERR_UNAVAILABLE, "checked regardless of RESIZE");
    cr_expect_eq(zx_vmo_set_size(dup_rights(rs, ZX_RIGHT_WRITE), 2 * PAGE),
                 ZX_ERR_ACCESS_DENIED, "RESIZE needed on resizable VMOs");
    cr_expect_eq(zx_vmo_set_size(rs, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
}
Test(vmo_set_size, errors) { run1(set_size_errors); }

/* ---- vmo_op_range --------------------------------------------------------- */

static void op_range_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(4 * PAGE);
    char ones[4 * PAGE], got[4 * PAGE];
    memset(ones, 1, sizeof ones);
    cr_expect_eq(zx_vmo_write(v, ones, 0, sizeof ones), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 10, 20, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 2 * PAGE, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_read(v, got, 0, sizeof got), ZX_OK);
    cr_expect_eq(got[9], 1);
    cr_expect_eq(got[10], 0);
    cr_expect_eq(got[29], 0);
    cr_expect_eq(got[30], 1);
    cr_expect_eq(got[2 * PAGE - 1], 1);
    cr_expect_eq(got[2 * PAGE], 0);
    cr_expect_eq(got[3 * PAGE - 1], 0);
    cr_expect_eq(got[3 * PAGE], 1);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 0, 4 * PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_SYNC, 0, 16, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_CLEAN, 0, 16, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, 16, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DONT_NEED, 0, PAGE, NULL, 0), ZX_OK);
    /* DECOMMIT trims to the VMO */
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 3 * PAGE, 8 * PAGE, NULL, 0), ZX_OK);
}
Test(vmo_op_range, success_zero_decommit_commit_cache) { run1(op_range_ok); }

static void op_range_rights(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    zx_handle_t ro = dup_rights(v, ZX_RIGHT_READ), wo = dup_rights(v, ZX_RIGHT_WRITE);
    cr_expect_eq(zx_vmo_op_range(ro, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_op_range(ro, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_op_range(ro, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_op_range(wo, ZX_VMO_OP_CACHE_SYNC, 0, PAGE, NULL, 0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_op_range(wo, ZX_VMO_OP_CACHE_CLEAN, 0, PAGE, NULL, 0), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_op_range(ro, ZX_VMO_OP_ZERO, PAGE * 9, PAGE, NULL, 0),
                 ZX_ERR_ACCESS_DENIED, "the right is checked before the range");
    cr_expect_eq(zx_vmo_op_range(ZX_HANDLE_INVALID, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmo_op_range(new_event(), ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0),
                 ZX_ERR_WRONG_TYPE);
}
Test(vmo_op_range, access_denied_bad_handle_wrong_type) { run1(op_range_rights); }

static void op_range_args(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(2 * PAGE);
    cr_expect_eq(zx_vmo_op_range(v, 5, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS, "retired op");
    cr_expect_eq(zx_vmo_op_range(v, 99, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_SYNC, 0, 0, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 10, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, PAGE, 2 * PAGE, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, 2 * PAGE + 1, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 3 * PAGE, PAGE, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_SYNC, PAGE, UINT64_MAX, NULL, 0),
                 ZX_ERR_OUT_OF_RANGE);
}
Test(vmo_op_range, invalid_args_and_out_of_range) { run1(op_range_args); }

static void op_range_unsupported(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    zx_vmo_lock_state_t st;
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE, NULL, 0),
                 ZX_ERR_NOT_SUPPORTED, "debugging syscalls are off");
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_LOCK, 0, PAGE, &st, sizeof st),
                 ZX_ERR_NOT_SUPPORTED, "not discardable");
    zx_handle_t d;
    cr_expect_eq(zx_vmo_create(PAGE, ZX_VMO_DISCARDABLE, &d), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(d, ZX_VMO_OP_UNLOCK, 0, PAGE, NULL, 0), ZX_ERR_BAD_STATE);
    cr_expect_eq(zx_vmo_op_range(d, ZX_VMO_OP_LOCK, 0, PAGE, &st, 4), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_op_range(d, ZX_VMO_OP_LOCK, 0, PAGE, &st, sizeof st), ZX_OK);
    cr_expect_eq(st.size, PAGE);
    cr_expect_eq(zx_vmo_op_range(d, ZX_VMO_OP_UNLOCK, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(d, ZX_VMO_OP_UNLOCK, 0, PAGE, NULL, 0), ZX_ERR_BAD_STATE);
}
Test(vmo_op_range, not_supported_and_lock) { run1(op_range_unsupported); }

static void op_range_invalidate(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(dup_rights(v, ZX_RIGHT_READ), ZX_VMO_OP_CACHE_INVALIDATE,
                                 0, PAGE, NULL, 0), ZX_ERR_ACCESS_DENIED);
}
Test(vmo_op_range, cache_invalidate_with_debugging_syscalls)
{
    KTest *t = ktest_new(1, 1);
    t->kernel->debugging_syscalls = true;
    ktest_spawn(t, "vmo", op_range_invalidate, 0);
    ktest_run(t);
    ktest_free(t);
}

/* ---- vmo_create_child ----------------------------------------------------- */

static uint32_t rd32(zx_handle_t v, uint64_t off)
{
    uint32_t x = 0xdeadbeef;
    cr_expect_eq(zx_vmo_read(v, &x, off, 4), ZX_OK);
    return x;
}

static void wr32(zx_handle_t v, uint64_t off, uint32_t x)
{
    cr_expect_eq(zx_vmo_write(v, &x, off, 4), ZX_OK);
}

static void child_snapshot(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = new_vmo(2 * PAGE), c;
    wr32(p, 0, 1);
    wr32(p, PAGE, 2);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE, &c), ZX_OK);
    cr_expect_eq(rd32(c, 0), 1, "child sees the parent's data at creation");
    cr_expect_eq(rd32(c, 2 * PAGE), 0, "beyond the parent reads zero");
    wr32(p, 0, 10);
    cr_expect_eq(rd32(c, 0), 1, "later parent writes are not seen");
    wr32(c, PAGE, 20);
    cr_expect_eq(rd32(p, PAGE), 2, "child writes are not seen by the parent");
    zx_handle_t c2;
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, PAGE, PAGE, &c2),
                 ZX_OK);
    cr_expect_eq(rd32(c2, 0), 2, "offset child");
    wr32(c2, 0, 30);
    cr_expect_eq(rd32(p, PAGE), 2);
}
Test(vmo_create_child, snapshot_copy_on_write) { run1(child_snapshot); }

static void child_slice(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = new_vmo(4 * PAGE), s;
    wr32(p, 2 * PAGE, 7);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SLICE, 2 * PAGE, 2 * PAGE, &s), ZX_OK);
    cr_expect_eq(rd32(s, 0), 7);
    wr32(s, 4, 8);
    cr_expect_eq(rd32(p, 2 * PAGE + 4), 8, "slices share pages");
    wr32(p, 2 * PAGE + 8, 9);
    cr_expect_eq(rd32(s, 8), 9);
    uint64_t size;
    cr_expect_eq(zx_vmo_get_size(s, &size), ZX_OK);
    cr_expect_eq(size, 2 * PAGE);
    uint32_t x;
    cr_expect_eq(zx_vmo_read(s, &x, 2 * PAGE, 4), ZX_ERR_OUT_OF_RANGE, "slice bounds");
    zx_handle_t ss;
    cr_expect_eq(zx_vmo_create_child(s, ZX_VMO_CHILD_SLICE, PAGE, PAGE, &ss), ZX_OK);
    wr32(ss, 0, 11);
    cr_expect_eq(rd32(p, 3 * PAGE), 11, "slice of a slice");
}
Test(vmo_create_child, slice_shares_pages) { run1(child_slice); }

/* Offsets add up along a family: a child whose range would wrap once
 * projected onto the first VMO is refused, as is growing into the wrap. */
static void child_root_offset_wraps(uintptr_t a, uintptr_t b)
{
    zx_handle_t v, c1, c2;
    cr_assert_eq(zx_vmo_create(0, 0, &v), ZX_OK);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, UINT64_MAX - 2 * PAGE + 1, 0, &c1),
                 ZX_OK);
    cr_expect_eq(zx_vmo_create_child(c1, ZX_VMO_CHILD_SNAPSHOT, 2 * PAGE, 0, &c2),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(c1, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, PAGE, 0,
                                     &c2),
                 ZX_OK);
    cr_expect_eq(zx_vmo_set_size(c2, PAGE), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_set_size(c2, 0), ZX_OK);
}
Test(vmo_create_child, root_offset_must_not_wrap) { run1(child_root_offset_wraps); }

static void child_zero_children(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = new_vmo(PAGE), c1, c2;
    zx_signals_t seen;
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c1), ZX_OK);
    cr_expect_eq(zx_object_wait_one(p, ZX_VMO_ZERO_CHILDREN, 0, &seen), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SLICE, 0, PAGE, &c2), ZX_OK);
    cr_expect_eq(zx_handle_close(c1), ZX_OK);
    cr_expect_eq(zx_object_wait_one(p, ZX_VMO_ZERO_CHILDREN, 0, &seen), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_handle_close(c2), ZX_OK);
    cr_expect_eq(zx_object_wait_one(p, ZX_VMO_ZERO_CHILDREN, 0, &seen), ZX_OK);
    /* a child kept alive by a mapping still counts */
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c1), ZX_OK);
    zx_vaddr_t addr;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, c1, 0, PAGE, &addr), ZX_OK);
    cr_expect_eq(zx_handle_close(c1), ZX_OK);
    cr_expect_eq(zx_object_wait_one(p, ZX_VMO_ZERO_CHILDREN, 0, &seen), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), addr, PAGE), ZX_OK);
    cr_expect_eq(zx_object_wait_one(p, ZX_VMO_ZERO_CHILDREN, 0, &seen), ZX_OK);
}
Test(vmo_create_child, zero_children_signal) { run1(child_zero_children); }

static void child_rights(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = new_vmo(PAGE), c;
    zx_handle_t ro = dup_rights(p, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_MAP);
    cr_expect_eq(zx_vmo_create_child(ro, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c), ZX_OK);
    wr32(c, 0, 5); /* a snapshot of a read-only handle is writable */
    cr_expect_eq(zx_vmo_create_child(ro, ZX_VMO_CHILD_SLICE, 0, PAGE, &c), ZX_OK);
    uint32_t x = 1;
    cr_expect_eq(zx_vmo_write(c, &x, 0, 4), ZX_ERR_ACCESS_DENIED, "a slice keeps the rights");
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE, 0, PAGE, &c),
                 ZX_OK);
    cr_expect_eq(zx_vmo_write(c, &x, 0, 4), ZX_ERR_ACCESS_DENIED, "NO_WRITE");
    /* executable parent: snapshot loses EXECUTE, slice keeps it */
    zx_handle_t px;
    cr_expect_eq(zx_vmo_replace_as_executable(dup_rights(p, ZX_RIGHT_SAME_RIGHTS),
                                              ZX_HANDLE_INVALID, &px), ZX_OK);
    zx_vaddr_t addr;
    cr_expect_eq(zx_vmo_create_child(px, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, c, 0,
                             PAGE, &addr), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_create_child(px, ZX_VMO_CHILD_SLICE, 0, PAGE, &c), ZX_OK);
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, c, 0,
                             PAGE, &addr), ZX_OK);
    /* resizable child gets RESIZE */
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &c),
                 ZX_OK);
    cr_expect_eq(zx_vmo_set_size(c, 3 * PAGE), ZX_OK);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c), ZX_OK);
    cr_expect_eq(zx_vmo_set_size(c, 3 * PAGE), ZX_ERR_UNAVAILABLE);
}
Test(vmo_create_child, child_rights) { run1(child_rights); }

static void child_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = new_vmo(2 * PAGE), c, rs;
    cr_expect_eq(zx_vmo_create_child(ZX_HANDLE_INVALID, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
                 ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_vmo_create_child(new_event(), ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
                 ZX_ERR_WRONG_TYPE);
    cr_expect_eq(zx_vmo_create_child(dup_rights(p, ZX_RIGHT_READ), ZX_VMO_CHILD_SNAPSHOT, 0,
                                     PAGE, &c), ZX_ERR_ACCESS_DENIED, "DUPLICATE needed");
    cr_expect_eq(zx_vmo_create_child(dup_rights(p, ZX_RIGHT_DUPLICATE), ZX_VMO_CHILD_SNAPSHOT, 0,
                                     PAGE, &c), ZX_ERR_ACCESS_DENIED, "READ needed");
    cr_expect_eq(zx_vmo_create_child(p, 0, 0, PAGE, &c), ZX_ERR_INVALID_ARGS, "no kind");
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT |
                                     ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PAGE, &c),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT | (1u << 9), 0, PAGE, &c),
                 ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE |
                                     ZX_VMO_CHILD_NO_WRITE, 0, PAGE, &c), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 100, PAGE, &c),
                 ZX_ERR_INVALID_ARGS, "unaligned offset");
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE, &c),
                 ZX_ERR_INVALID_ARGS, "slice past the parent");
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, PAGE, UINT64_MAX - 10, &c),
                 ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, NULL),
                 ZX_ERR_INVALID_ARGS, "bad out");
    cr_expect_eq(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE, &rs), ZX_OK);
    cr_expect_eq(zx_vmo_create_child(rs, ZX_VMO_CHILD_SLICE, 0, PAGE, &c), ZX_ERR_NOT_SUPPORTED);
    zx_handle_t d;
    cr_expect_eq(zx_vmo_create(PAGE, ZX_VMO_DISCARDABLE, &d), ZX_OK);
    cr_expect_eq(zx_vmo_create_child(d, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c), ZX_ERR_NOT_SUPPORTED);
}
Test(vmo_create_child, errors) { run1(child_errors); }

/* ---- vmo_replace_as_executable -------------------------------------------- */

static void repexec_ok(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE), x;
    zx_vaddr_t addr;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, v, 0,
                             PAGE, &addr), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &x), ZX_OK);
    cr_expect_eq(zx_handle_close(v), ZX_ERR_BAD_HANDLE, "source consumed");
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, x, 0,
                             PAGE, &addr), ZX_OK);
}
Test(vmo_replace_as_executable, success_adds_execute) { run1(repexec_ok); }

static void repexec_errors(uintptr_t a, uintptr_t b)
{
    zx_handle_t x;
    cr_expect_eq(zx_vmo_replace_as_executable(ZX_HANDLE_INVALID, ZX_HANDLE_INVALID, &x),
                 ZX_ERR_BAD_HANDLE);
    zx_handle_t e = new_event();
    cr_expect_eq(zx_vmo_replace_as_executable(e, ZX_HANDLE_INVALID, &x), ZX_ERR_BAD_HANDLE,
                 "not a VMO");
    cr_expect_eq(zx_handle_close(e), ZX_ERR_BAD_HANDLE, "consumed even so");
    zx_handle_t v = new_vmo(PAGE);
    cr_expect_eq(zx_vmo_replace_as_executable(v, new_event(), &x), ZX_ERR_WRONG_TYPE,
                 "vmex must be a resource");
    cr_expect_eq(zx_handle_close(v), ZX_ERR_BAD_HANDLE, "consumed on a bad vmex");
    v = new_vmo(PAGE);
    cr_expect_eq(zx_vmo_replace_as_executable(v, 0x7777, &x), ZX_ERR_BAD_HANDLE);
    cr_expect_eq(zx_handle_close(v), ZX_ERR_BAD_HANDLE);
    v = new_vmo(PAGE);
    cr_expect_eq(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, NULL), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_handle_close(v), ZX_ERR_BAD_HANDLE);
}
Test(vmo_replace_as_executable, errors_consume_source) { run1(repexec_errors); }

static void repexec_denied(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = new_vmo(PAGE), x;
    cr_expect_eq(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &x), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(zx_handle_close(v), ZX_ERR_BAD_HANDLE, "consumed on denial");
}
Test(vmo_replace_as_executable, ambient_policy_denied)
{
    run_with_policy(repexec_denied, ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_ACTION_DENY);
}
