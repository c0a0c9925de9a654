/* vmo_child.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/vmo/ vmo-slice.cc and vmo-zero.cc (part of the
 * `vmo` suite; vmo.c has vmo.cc and vmo-signal.cc).
 *
 * Not ported (vmo-slice.cc):
 *   ChildSliceOfContiguousParentIsContiguous, ParentContiguousVmoStaysPinned-
 *   WithoutHandle, RoundUpSizePhysical, Pin — need BTIs, contiguous VMOs or
 *   pinning, none of which is modeled.
 * Not ported (vmo-zero.cc):
 *   Contiguous — needs a BTI and a contiguous VMO.
 */
#include <string.h>

#include "vmo_util.h"

/* ---- vmo-slice.cc ------------------------------------------------------- */

static void write_through_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(4 * PAGE, 0);
    put32(v, 42, 0);
    put32(v, 42, PAGE);
    zx_handle_t s = child(v, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE);
    EXPECT32(s, 42, 0);
    put32(s, 84, 0);
    put32(s, 84, PAGE);
    EXPECT32(v, 42, 0);
    EXPECT32(v, 84, PAGE);
    EXPECT32(v, 84, 2 * PAGE);
    EXPECT32(v, 0, 3 * PAGE);
}
Test(vmo, VmoSlice_WriteThrough) { core_run(write_through_body); }

static void decommit_parent_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    put32(v, 42, 0);
    zx_handle_t s = child(v, ZX_VMO_CHILD_SLICE, 0, PAGE);
    EXPECT32(s, 42, 0);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_OK);
    EXPECT32(s, 0, 0);
}
Test(vmo, VmoSlice_DecommitParent) { core_run(decommit_parent_body); }

static void nested_slice_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 42, 0);
    zx_handle_t s = child(v, ZX_VMO_CHILD_SLICE, 0, 2 * PAGE);
    zx_handle_t ss = child(s, ZX_VMO_CHILD_SLICE, 0, 2 * PAGE);
    EXPECT32(ss, 42, 0);
    put32(ss, 84, 0);
    put32(ss, 84, PAGE);
    EXPECT32(v, 84, 0);
    EXPECT32(v, 84, PAGE);
}
Test(vmo, VmoSlice_Nested) { core_run(nested_slice_body); }

static void non_slice_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, ZX_VMO_RESIZABLE), s;
    const uint64_t nearly = UINT64_MAX - PAGE + 1;
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, 3 * PAGE, &s), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE, &s), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 2 * PAGE, PAGE, &s), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, UINT64_MAX, &s), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, nearly, &s), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, nearly, PAGE, &s), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, nearly, nearly, &s), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, nearly, UINT64_MAX, &s),
                 ZX_ERR_OUT_OF_RANGE);
}
Test(vmo, VmoSlice_NonSlice) { core_run(non_slice_body); }

static void non_resizable_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, ZX_VMO_RESIZABLE), s;
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &s), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &s),
                 ZX_ERR_INVALID_ARGS);
    zx_handle_close(v);
    v = core_vmo(PAGE, 0);
    cr_expect_eq(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &s),
                 ZX_ERR_INVALID_ARGS);
}
Test(vmo, VmoSlice_NonResizable) { core_run(non_resizable_body); }

static void commit_child_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0), s = child(v, ZX_VMO_CHILD_SLICE, 0, PAGE);
    cr_expect_eq(zx_vmo_op_range(s, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0), ZX_OK);
    put32(s, 42, 0);
    EXPECT32(v, 42, 0);
}
Test(vmo, VmoSlice_CommitChild) { core_run(commit_child_body); }

static void decommit_child_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    put32(v, 42, 0);
    zx_handle_t s = child(v, ZX_VMO_CHILD_SLICE, 0, PAGE);
    cr_expect_eq(zx_vmo_op_range(s, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_OK);
    EXPECT32(v, 0, 0);
}
Test(vmo, VmoSlice_DecommitChild) { core_run(decommit_child_body); }

static void zero_sized_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    zx_handle_t s1 = child(v, ZX_VMO_CHILD_SLICE, 0, 0), s2 = child(v, ZX_VMO_CHILD_SLICE, PAGE, 0);
    uint8_t byte = 42;
    cr_expect_eq(zx_vmo_read(s1, &byte, 0, 1), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_read(s2, &byte, 0, 1), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_write(s1, &byte, 0, 1), ZX_ERR_OUT_OF_RANGE);
    cr_expect_eq(zx_vmo_write(s2, &byte, 0, 1), ZX_ERR_OUT_OF_RANGE);
}
Test(vmo, VmoSlice_ZeroSized) { core_run(zero_sized_body); }

static bool zero_children(zx_handle_t v)
{
    zx_signals_t seen = 0;
    zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, ZX_TIME_INFINITE_PAST, &seen);
    return (seen & ZX_VMO_ZERO_CHILDREN) != 0;
}

static void zero_children_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    cr_expect(zero_children(v));
    zx_handle_t s = child(v, ZX_VMO_CHILD_SLICE, 0, PAGE);
    cr_expect_not(zero_children(v), "cleared as soon as the child exists");
    zx_handle_close(s);
    cr_expect(zero_children(v));
}
Test(vmo, VmoSlice_ZeroChildren) { core_run(zero_children_body); }

static void zero_children_grandchild_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    cr_expect(zero_children(v));
    zx_handle_t s = child(v, ZX_VMO_CHILD_SLICE, 0, PAGE);
    cr_expect_not(zero_children(v));
    zx_handle_t gs = child(s, ZX_VMO_CHILD_SLICE, 0, PAGE);
    cr_expect_not(zero_children(v));
    zx_handle_close(s);
    cr_expect_not(zero_children(v), "the grandchild still counts");
    zx_handle_close(gs);
    cr_expect(zero_children(v));
}
Test(vmo, VmoSlice_ZeroChildrenGrandchildClosedLast) { core_run(zero_children_grandchild_body); }

static void cow_through_slices_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0), cow2;
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0), ZX_OK);
    zx_handle_t cow = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    zx_handle_t s = child(cow, ZX_VMO_CHILD_SLICE, 0, PAGE);
    zx_status_t st = zx_vmo_create_child(s, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &cow2);
    if (st == ZX_OK) {
        uint8_t byte = 0;
        cr_expect_eq(zx_vmo_write(cow2, &byte, 0, 1), ZX_OK);
    } else {
        cr_expect_eq(st, ZX_ERR_NOT_SUPPORTED);
    }
}
Test(vmo, VmoSlice_CowPageSourceThroughSlices) { core_run(cow_through_slices_body); }

static void round_up_size_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    uint8_t byte = 42;
    cr_expect_eq(zx_vmo_write(v, &byte, PAGE - 64, 1), ZX_OK);
    zx_handle_t s = child(v, ZX_VMO_CHILD_SLICE, 0, 42);
    byte = 0;
    cr_expect_eq(zx_vmo_read(s, &byte, PAGE - 64, 1), ZX_OK, "the size rounds up to a page");
    cr_expect_eq(byte, 42);
}
Test(vmo, VmoSlice_RoundUpSize) { core_run(round_up_size_body); }

static void not_cow_type_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0), s = child(v, ZX_VMO_CHILD_SLICE, 0, PAGE);
    zx_info_vmo_t info;
    cr_expect_eq(zx_object_get_info(s, ZX_INFO_VMO, &info, sizeof info, NULL, NULL), ZX_OK);
    cr_expect_eq(info.flags & ZX_INFO_VMO_IS_COW_CLONE, 0u);
}
Test(vmo, VmoSlice_NotCoWType) { core_run(not_cow_type_body); }

static void deep_hierarchy_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    for (int i = 0; i < 1000; i++) {
        zx_handle_t next = child(v, ZX_VMO_CHILD_SLICE, 0, PAGE);
        zx_handle_close(v);
        v = next;
    }
    cr_expect_eq(zx_handle_close(v), ZX_OK);
}
Test(vmo, VmoSlice_DeepHierarchy) { core_run(deep_hierarchy_body); }

/* ---- vmo-zero.cc -------------------------------------------------------- */

static void unaligned_sub_page_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    uint8_t *p = map_rw(v, PAGE);
    memset(p, 0xff, PAGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 42, 91, NULL, 0), ZX_OK);
    cr_expect(all_equal(p, 42, 0xff));
    cr_expect(all_equal(p + 42, 91, 0));
    cr_expect(all_equal(p + 42 + 91, PAGE - 42 - 91, 0xff));
}
Test(vmo, VmoZero_UnalignedSubPage) { core_run(unaligned_sub_page_body); }

static void unaligned_committed_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    uint8_t *p = map_rw(v, 2 * PAGE);
    memset(p, 0xff, 2 * PAGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, PAGE / 2, PAGE, NULL, 0), ZX_OK);
    cr_expect(all_equal(p, PAGE / 2, 0xff));
    cr_expect(all_equal(p + PAGE / 2, PAGE, 0));
    cr_expect(all_equal(p + PAGE + PAGE / 2, PAGE / 2, 0xff));
}
Test(vmo, VmoZero_UnalignedCommitted) { core_run(unaligned_committed_body); }

static void unaligned_uncommitted_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    cr_expect_eq(committed(v), 0u);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, PAGE / 2, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v), 0u, "zeroing zero pages commits nothing");
}
Test(vmo, VmoZero_UnalignedUnCommitted) { core_run(unaligned_uncommitted_body); }

static void decommit_middle_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(3 * PAGE, 0);
    uint8_t *p = map_rw(v, 3 * PAGE);
    memset(p, 0xff, 3 * PAGE);
    cr_expect_eq(committed(v), 3 * PAGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, PAGE / 2, 2 * PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v), 2 * PAGE, "the fully zeroed middle page is decommitted");
}
Test(vmo, VmoZero_DecommitMiddle) { core_run(decommit_middle_body); }

static void content_parent_child_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 1, 0);
    zx_handle_t c = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    put32(c, 2, 0);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    EXPECT32(c, 0, 0);
    EXPECT32(v, 1, 0);
}
Test(vmo, VmoZero_ContentInParentAndChild) { core_run(content_parent_child_body); }

static void empty_cow_children_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 1, 0);
    zx_handle_t c = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 0u);
    EXPECT32(c, 1, 0);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    EXPECT32(c, 0, 0);
    EXPECT32(v, 1, 0);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 0u);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    EXPECT32(v, 0, 0);
    cr_expect_eq(committed(v), 0u);
    cr_expect_eq(committed(c), 0u);
}
Test(vmo, VmoZero_EmptyCowChildren) { core_run(empty_cow_children_body); }

static void merge_zero_children_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 1, 0);
    zx_handle_t c = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 0u);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v), 0u);
    EXPECT32(c, 1, 0);
    cr_expect_eq(committed(c), PAGE, "the child keeps its page");
    zx_handle_close(c);
    cr_expect_eq(committed(v), 0u, "nothing moves back to the parent");
}
Test(vmo, VmoZero_MergeZeroChildren) { core_run(merge_zero_children_body); }

static void allocate_after_merge_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(2);
    zx_handle_t c = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    EXPECT32(c, 1, 0);
    EXPECT32(c, 2, PAGE);
    cr_expect_eq(committed(v) + committed(c), 2 * PAGE);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v) + committed(c), 2 * PAGE);
    zx_handle_close(v);
    cr_expect_eq(committed(c), PAGE);
    EXPECT32(c, 0, 0);
    EXPECT32(c, 2, PAGE);
}
Test(vmo, VmoZero_AllocateAfterMerge) { core_run(allocate_after_merge_body); }

static void allocate_after_merge_hidden_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(3);
    zx_handle_t c1 = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    cr_expect_eq(committed(v) + committed(c1), 3 * PAGE);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v) + committed(c1), 3 * PAGE);
    zx_handle_t c2 = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    cr_expect_eq(zx_vmo_op_range(c1, ZX_VMO_OP_ZERO, PAGE, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v) + committed(c1) + committed(c2), 3 * PAGE);
    EXPECT32(c2, 0, 0);
    EXPECT32(c2, 2, PAGE);
    EXPECT32(c2, 3, 2 * PAGE);
    EXPECT32(c1, 1, 0);
    EXPECT32(c1, 0, PAGE);
    EXPECT32(c1, 3, 2 * PAGE);
    zx_handle_close(c1);
    EXPECT32(v, 0, 0);
    EXPECT32(v, 2, PAGE);
    EXPECT32(v, 3, 2 * PAGE);
    EXPECT32(c2, 0, 0);
    EXPECT32(c2, 2, PAGE);
    EXPECT32(c2, 3, 2 * PAGE);
    cr_expect_eq(committed(v) + committed(c2), 2 * PAGE);
    put32(v, 1, 64);
    EXPECT32(v, 0, 0);
    cr_expect_eq(committed(v) + committed(c2), 3 * PAGE);
    put32(c2, 5, PAGE + 64);
    EXPECT32(c2, 2, PAGE);
    EXPECT32(v, 0, PAGE + 64);
    EXPECT32(v, 2, PAGE);
    cr_expect_eq(committed(v) + committed(c2), 4 * PAGE);
}
Test(vmo, VmoZero_AllocateAfterMergeHiddenChild) { core_run(allocate_after_merge_hidden_body); }

static void write_cow_parent_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 1, 0);
    zx_handle_t c = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 0u);
    EXPECT32(v, 1, 0);
    put32(v, 2, 0);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), PAGE);
    EXPECT32(c, 1, 0);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    EXPECT32(c, 0, 0);
    EXPECT32(v, 2, 0);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 0u);
    zx_handle_close(v);
    EXPECT32(c, 0, 0);
    cr_expect_eq(committed(c), 0u);
}
Test(vmo, VmoZero_WriteCowParent) { core_run(write_cow_parent_body); }

static void child_zero_then_write_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 1, 0);
    zx_handle_t c = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 0u);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 0u);
    put32(c, 1, 0);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), PAGE);
    zx_handle_close(v);
    cr_expect_eq(committed(c), PAGE);
}
Test(vmo, VmoZero_ChildZeroThenWrite) { core_run(child_zero_then_write_body); }

static void nested_zero_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 1, 0);
    zx_handle_t c1 = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    zx_handle_t c2 = child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c1), 0u);
    cr_expect_eq(committed(c2), 0u);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(v), 0u);
    cr_expect_eq(committed(c1), PAGE);
    cr_expect_eq(committed(c2), PAGE);
    EXPECT32(c1, 1, 0);
    EXPECT32(c2, 1, 0);
}
Test(vmo, VmoZero_Nested) { core_run(nested_zero_body); }

static void zero_lengths_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, 0, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 10, 0, NULL, 0), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, PAGE, 0, NULL, 0), ZX_OK);
}
Test(vmo, VmoZero_ZeroLengths) { core_run(zero_lengths_body); }
