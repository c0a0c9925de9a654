/* vmo_clone.c — our ports of Zircon's core tests in
 * zircon/system/utest/core/vmo/vmo-clone2.cc (part of the `vmo` suite).
 * Upstream asks for ZX_VMO_CHILD_COPY_ON_WRITE, the older name of
 * ZX_VMO_CHILD_SNAPSHOT, which is what we ask for.
 *
 * Not ported:
 *   ForbidContiguousVmo, PinBeforeCreateFailure, PinClonePages — need an
 *   IOMMU, a BTI, contiguous VMOs or pinning; NoPhysical — physical VMOs;
 *   NoSnapshotPager — pager VMOs; Uncached — cache policies. None of these
 *   is modeled.
 * Committed bytes: our snapshots are copy-on-write as Zircon's are, with
 * hidden nodes keeping the pages of a closed VMO its children still share
 * (model/vmo_cow.c), so both the counts upstream states as facts and its
 * own implementation's ("kImpl..." values: which VMO a page shared
 * through a hidden parent is blamed on) are checked as upstream states
 * them: Overflow's middle clone, SmallClones after the original closes,
 * ProgressiveCloneClose and ProgressiveCloneTruncate.
 * Adapted: DropChildrenInParallel closes the parent while a helper thread
 * closes the child, without upstream's spin-wait start line: a spin loop,
 * even one calling zx_nanosleep(0), never let the helper thread run here.
 */
#include "vmo_util.h"

#define SNAP ZX_VMO_CHILD_SNAPSHOT
#define DROP_ROUNDS 10000
#define SNAP_RESIZE (ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE)

static uint64_t num_children(zx_handle_t v)
{
    zx_info_vmo_t info;
    cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &info, sizeof info, NULL, NULL), ZX_OK);
    return info.num_children;
}

static uint64_t vmo_size_of(zx_handle_t v)
{
    uint64_t size = 0;
    cr_expect_eq(zx_vmo_get_size(v, &size), ZX_OK);
    return size;
}

/* Upstream's implementation-dependent blame: at most the VMO's size. */
static void expect_blame_bounded(zx_handle_t v)
{
    cr_expect_leq(committed(v), vmo_size_of(v));
}

static void reset(zx_handle_t *h)
{
    cr_expect_eq(zx_handle_close(*h), ZX_OK);
    *h = ZX_HANDLE_INVALID;
}

static void set_size(zx_handle_t v, uint64_t size)
{
    cr_expect_eq(zx_vmo_set_size(v, size), ZX_OK, "set_size(%#lx)", (unsigned long)size);
}

/* Calls fn with every permutation of 0..count-1 (count <= 4). */
typedef void (*PermFn)(const uint32_t *perm);

static void permute(PermFn fn, uint32_t count, uint32_t *perm, bool *used, uint32_t idx)
{
    if (idx == count) {
        fn(perm);
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (used[i])
            continue;
        used[i] = true;
        perm[idx] = i;
        permute(fn, count, perm, used, idx + 1);
        used[i] = false;
    }
}

static void each_permutation(PermFn fn, uint32_t count)
{
    uint32_t perm[4] = {0};
    bool used[4] = {false};
    permute(fn, count, perm, used, 0);
}

/* ---- basics ---------------------------------------------------------------- */

static void info_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    zx_info_vmo_t orig, after, cl;
    cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &orig, sizeof orig, NULL, NULL), ZX_OK);
    zx_handle_t c = child(v, SNAP, 0, PAGE);
    cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &after, sizeof after, NULL, NULL), ZX_OK);
    cr_expect_eq(zx_object_get_info(c, ZX_INFO_VMO, &cl, sizeof cl, NULL, NULL), ZX_OK);
    cr_expect_eq(orig.koid, after.koid);
    cr_expect_neq(orig.koid, cl.koid);
    cr_expect_eq(cl.parent_koid, orig.koid);
    const uint32_t plain = ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE;
    cr_expect_eq(orig.flags, plain);
    cr_expect_eq(after.flags, plain);
    cr_expect_eq(cl.flags, plain | ZX_INFO_VMO_IS_COW_CLONE);
}
Test(vmo, VmoClone2_Info) { core_run(info_body); }

static void read_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    put32(v, 0xdeadbeef, 0);
    zx_handle_t c = child(v, SNAP, 0, PAGE);
    EXPECT32(v, 0xdeadbeef, 0);
    EXPECT32(c, 0xdeadbeef, 0);
}
Test(vmo, VmoClone2_Read) { core_run(read_body); }

/* a: write through the clone (1) or the parent (0); b: by mapping (1). */
static void write_body(uintptr_t clone_write, uintptr_t mapped)
{
    const uint32_t old = 0xdeadbeef, new = 0xc0ffee;
    zx_handle_t v = core_vmo(PAGE, 0);
    uint32_t *vp = mapped ? (uint32_t *)map_rw(v, PAGE) : NULL;
    if (mapped)
        *vp = old;
    else
        put32(v, old, 0);
    zx_handle_t c = child(v, SNAP, 0, PAGE);
    uint32_t *cp = mapped ? (uint32_t *)map_rw(c, PAGE) : NULL;
    if (mapped) {
        *(clone_write ? cp : vp) = new;
        cr_expect_eq(*vp, clone_write ? old : new);
        cr_expect_eq(*cp, clone_write ? new : old);
        zx_vmar_unmap(zx_vmar_root_self(), (uintptr_t)vp, PAGE);
        zx_vmar_unmap(zx_vmar_root_self(), (uintptr_t)cp, PAGE);
    } else {
        put32(clone_write ? c : v, new, 0);
        EXPECT32(v, clone_write ? old : new, 0);
        EXPECT32(c, clone_write ? new : old, 0);
    }
}
Test(vmo, VmoClone2_CloneVmoWrite) { core_run_arg(write_body, 1); }
Test(vmo, VmoClone2_ParentVmoWrite) { core_run_arg(write_body, 0); }

static void clone_vmar_write_body(uintptr_t a, uintptr_t b) { write_body(1, 1); }
static void parent_vmar_write_body(uintptr_t a, uintptr_t b) { write_body(0, 1); }
Test(vmo, VmoClone2_CloneVmarWrite) { core_run(clone_vmar_write_body); }
Test(vmo, VmoClone2_ParentVmarWrite) { core_run(parent_vmar_write_body); }

static void close_body(uintptr_t close_orig, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    put32(v, 0xdeadbeef, 0);
    zx_handle_t c = child(v, SNAP, 0, PAGE);
    reset(close_orig ? &v : &c);
    EXPECT32(close_orig ? c : v, 0xdeadbeef, 0);
}
Test(vmo, VmoClone2_CloseOriginal) { core_run_arg(close_body, 1); }
Test(vmo, VmoClone2_CloseClone) { core_run_arg(close_body, 0); }

/* ---- committed pages ----------------------------------------------------- */

static void obj_mem_accounting_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(2 * PAGE, 0);
    put32(v, 1, 0);
    put32(v, 1, PAGE);
    cr_expect_eq(committed(v), 2 * PAGE);
    zx_handle_t c = child(v, SNAP, 0, 2 * PAGE);
    cr_expect_eq(committed(v), 2 * PAGE);
    cr_expect_eq(committed(c), 0);
    put32(v, 2, 0);
    cr_expect_eq(committed(v), 2 * PAGE);
    cr_expect_eq(committed(c), PAGE);
    put32(c, 2, PAGE);
    cr_expect_eq(committed(v), 2 * PAGE);
    cr_expect_eq(committed(c), 2 * PAGE);
    put32(v, 2, PAGE);
    put32(c, 2, 0);
    cr_expect_eq(committed(v), 2 * PAGE);
    cr_expect_eq(committed(c), 2 * PAGE);
    EXPECT32(v, 2, 0);
    EXPECT32(c, 2, PAGE);
}
Test(vmo, VmoClone2_ObjMemAccounting) { core_run(obj_mem_accounting_body); }

static void zero_page_write_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t vmos[4];
    vmos[0] = core_vmo(PAGE, 0);
    vmos[1] = child(vmos[0], SNAP, 0, PAGE);
    vmos[2] = child(vmos[0], SNAP, 0, PAGE);
    vmos[3] = child(vmos[1], SNAP, 0, PAGE);
    for (unsigned i = 0; i < 4; i++) {
        put32(vmos[i], i + 1, 0);
        for (unsigned j = 0; j < 4; j++) {
            EXPECT32(vmos[j], j <= i ? j + 1 : 0, 0);
            cr_expect_eq(committed(vmos[j]), (j <= i ? 1u : 0u) * PAGE);
        }
    }
}
Test(vmo, VmoClone2_ZeroPageWrite) { core_run(zero_page_write_body); }

static void split_page_closure_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(1);
    zx_handle_t c1 = child(v, SNAP, 0, PAGE);
    zx_handle_t c2 = child(c1, SNAP, 0, PAGE);
    put32(c1, 3, 0);
    put32(c2, 4, 0);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c1), PAGE);
    cr_expect_eq(committed(c2), PAGE);
    reset(&v);
    EXPECT32(c1, 3, 0);
    EXPECT32(c2, 4, 0);
    cr_expect_eq(committed(c1), PAGE);
    cr_expect_eq(committed(c2), PAGE);
    reset(&c1);
    EXPECT32(c2, 4, 0);
    cr_expect_eq(committed(c2), PAGE);
}
Test(vmo, VmoClone2_SplitPageClosure) { core_run(split_page_closure_body); }

static void offset_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(3);
    zx_handle_t c = child(v, SNAP, PAGE, 3 * PAGE);
    EXPECT32(c, 2, 0);
    EXPECT32(c, 3, PAGE);
    EXPECT32(c, 0, 2 * PAGE);
    put32(c, 4, PAGE);
    reset(&v);
    EXPECT32(c, 2, 0);
    EXPECT32(c, 4, PAGE);
    EXPECT32(c, 0, 2 * PAGE);
    cr_expect_eq(committed(c), 2 * PAGE);
}
Test(vmo, VmoClone2_Offset) { core_run(offset_body); }

static void offset_test2_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(4);
    zx_handle_t oc = child(v, SNAP, PAGE, 3 * PAGE);
    zx_handle_t c1 = child(oc, SNAP, 0, 2 * PAGE);
    zx_handle_t c2 = child(oc, SNAP, 2 * PAGE, PAGE);
    EXPECT32(c1, 2, 0);
    EXPECT32(c1, 3, PAGE);
    EXPECT32(c2, 4, 0);
    put32(oc, 4, PAGE);
    reset(&oc);
    EXPECT32(c1, 2, 0);
    EXPECT32(c1, 3, PAGE);
    EXPECT32(c2, 4, 0);
    cr_expect_eq(committed(v), 4 * PAGE);
    cr_expect_eq(committed(c1), PAGE);
    cr_expect_eq(committed(c2), 0);
    reset(&c1);
    cr_expect_eq(committed(v), 4 * PAGE);
    cr_expect_eq(committed(c2), 0);
    EXPECT32(c2, 4, 0);
}
Test(vmo, VmoClone2_OffsetTest2) { core_run(offset_test2_body); }

static void offset_progressive_write_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(2);
    zx_handle_t c = child(v, SNAP, PAGE, 2 * PAGE);
    EXPECT32(c, 2, 0);
    put32(c, 3, 0);
    EXPECT32(c, 3, 0);
    EXPECT32(v, 1, 0);
    EXPECT32(v, 2, PAGE);
    zx_handle_t c2 = child(c, SNAP, PAGE, PAGE);
    put32(c, 4, 0);
    cr_expect_eq(committed(v), 2 * PAGE);
    cr_expect_eq(committed(c), PAGE);
    cr_expect_eq(committed(c2), 0);
    reset(&v);
    EXPECT32(c, 4, 0);
    reset(&c2);
    EXPECT32(c, 4, 0);
    cr_expect_eq(committed(c), PAGE);
}
Test(vmo, VmoClone2_OffsetProgressiveWrite) { core_run(offset_progressive_write_body); }

/* Overflow (tagged parent) and OutOfBounds (clone past the parent's end). */
static void overflow_body(uintptr_t out_of_bounds, uintptr_t b)
{
    const uint32_t first = out_of_bounds ? 0 : 1;
    zx_handle_t v = tagged_vmo(1);
    zx_handle_t c = child(v, SNAP, out_of_bounds ? 2 * PAGE : 0, 2 * PAGE);
    EXPECT32(c, first, 0);
    EXPECT32(c, 0, PAGE);
    put32(c, 2, PAGE);
    zx_handle_t c2 = child(c, SNAP, 0, 3 * PAGE);
    EXPECT32(c2, first, 0);
    EXPECT32(c2, 2, PAGE);
    EXPECT32(c2, 0, 2 * PAGE);
    put32(c2, 3, 2 * PAGE);
    EXPECT32(c2, 3, 2 * PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), PAGE);
    cr_expect_eq(committed(c2), PAGE);
    if (out_of_bounds)
        return;
    put32(c2, 4, 0);
    put32(c2, 5, PAGE);
    EXPECT32(v, 1, 0);
    EXPECT32(c, 1, 0);
    EXPECT32(c, 2, PAGE);
    EXPECT32(c2, 4, 0);
    EXPECT32(c2, 5, PAGE);
    EXPECT32(c2, 3, 2 * PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c), 2 * PAGE, "upstream's kImplCost2: c kept the page c2 forked");
    cr_expect_eq(committed(c2), 3 * PAGE);
    reset(&c);
    EXPECT32(v, 1, 0);
    EXPECT32(c2, 4, 0);
    EXPECT32(c2, 5, PAGE);
    EXPECT32(c2, 3, 2 * PAGE);
    cr_expect_eq(committed(v), PAGE);
    cr_expect_eq(committed(c2), 3 * PAGE);
}
Test(vmo, VmoClone2_Overflow) { core_run_arg(overflow_body, 0); }
Test(vmo, VmoClone2_OutOfBounds) { core_run_arg(overflow_body, 1); }

static void small_clone_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(3);
    zx_handle_t c = child(v, SNAP, PAGE, PAGE);
    EXPECT32(c, 2, 0);
    put32(v, 4, 0);
    put32(v, 5, 2 * PAGE);
    cr_expect_eq(committed(v), 3 * PAGE);
    cr_expect_eq(committed(c), 0);
    reset(&v);
    EXPECT32(c, 2, 0);
    cr_expect_eq(committed(c), PAGE);
}
Test(vmo, VmoClone2_SmallClone) { core_run(small_clone_body); }

static void small_clone_child_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(3);
    zx_handle_t c = child(v, SNAP, PAGE, PAGE);
    EXPECT32(c, 2, 0);
    zx_handle_t c2 = child(c, SNAP, 0, 2 * PAGE);
    EXPECT32(c2, 2, 0);
    EXPECT32(c2, 0, PAGE);
}
Test(vmo, VmoClone2_SmallCloneChild) { core_run(small_clone_child_body); }

static void small_clones_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(3);
    zx_handle_t c = child(v, SNAP, 0, 2 * PAGE);
    put32(c, 4, PAGE);
    zx_handle_t c2 = child(v, SNAP, 0, PAGE);
    cr_expect_eq(committed(v), 3 * PAGE);
    cr_expect_eq(committed(c), PAGE);
    cr_expect_eq(committed(c2), 0);
    reset(&v);
    cr_expect_eq(committed(c), 2 * PAGE);
    cr_expect_eq(committed(c2), 0, "upstream's kImplClone2Cost: the shared page is c's");
    EXPECT32(c, 1, 0);
    EXPECT32(c, 4, PAGE);
    EXPECT32(c2, 1, 0);
}
Test(vmo, VmoClone2_SmallClones) { core_run(small_clones_body); }

/* ---- disjoint clones --------------------------------------------------------- */

/* One clone per page of a 4-page tagged VMO, two of them through an
 * intermediate clone of pages 1-2. */
static void disjoint_leaves(zx_handle_t *vmo, zx_handle_t *mid, zx_handle_t leaves[4])
{
    *vmo = tagged_vmo(4);
    *mid = child(*vmo, SNAP, PAGE, 2 * PAGE);
    leaves[0] = child(*vmo, SNAP, 0, PAGE);
    leaves[1] = child(*mid, SNAP, 0, PAGE);
    leaves[2] = child(*mid, SNAP, PAGE, PAGE);
    leaves[3] = child(*vmo, SNAP, 3 * PAGE, PAGE);
}

static void disjoint_clones_body(uintptr_t early_close, uintptr_t b)
{
    zx_handle_t v, mid, leaves[4];
    disjoint_leaves(&v, &mid, leaves);
    if (early_close) {
        reset(&v);
        reset(&mid);
    }
    for (unsigned i = 0; i < 4; i++) {
        EXPECT32(leaves[i], i + 1, 0);
        put32(leaves[i], i + 5, 0);
    }
    if (!early_close) {
        reset(&v);
        reset(&mid);
    }
    for (unsigned i = 0; i < 4; i++) {
        EXPECT32(leaves[i], i + 5, 0);
        cr_expect_eq(committed(leaves[i]), PAGE);
    }
}
Test(vmo, VmoClone2_DisjointCloneEarlyClose) { core_run_arg(disjoint_clones_body, 1); }
Test(vmo, VmoClone2_DisjointCloneLateClose) { core_run_arg(disjoint_clones_body, 0); }

static void disjoint_close_order(const uint32_t *perm)
{
    zx_handle_t v, mid, leaves[4];
    disjoint_leaves(&v, &mid, leaves);
    reset(&v);
    reset(&mid);
    for (unsigned i = 0; i < 4; i++)
        EXPECT32(leaves[i], i + 1, 0);
    bool closed[4] = {false};
    for (unsigned i = 0; i < 4; i++) {
        reset(&leaves[perm[i]]);
        closed[perm[i]] = true;
        for (unsigned j = 0; j < 4; j++) {
            if (closed[j])
                continue;
            EXPECT32(leaves[j], j + 1, 0);
            cr_expect_eq(committed(leaves[j]), PAGE);
        }
    }
}

static void disjoint_test2_body(uintptr_t a, uintptr_t b)
{
    each_permutation(disjoint_close_order, 4);
}
Test(vmo, VmoClone2_DisjointCloneTest2) { core_run(disjoint_test2_body); }

static void disjoint_progressive_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(6);
    zx_handle_t main_clone = child(v, SNAP, PAGE, 5 * PAGE);
    put32(main_clone, 7, 3 * PAGE);
    zx_handle_t c1 = child(main_clone, SNAP, PAGE, 4 * PAGE);
    zx_handle_t c2 = child(main_clone, SNAP, 4 * PAGE, PAGE);
    zx_handle_t c3 = child(main_clone, SNAP, 2 * PAGE, PAGE);
    zx_handle_t c4 = child(main_clone, SNAP, 10 * PAGE, PAGE);
    reset(&main_clone);
    reset(&c1);
    reset(&c3);
    reset(&c4);
    reset(&c2);
    zx_handle_t last = child(v, SNAP, 0, 6 * PAGE);
    for (unsigned i = 0; i < 6; i++) {
        EXPECT32(v, i + 1, i * PAGE);
        EXPECT32(last, i + 1, i * PAGE);
    }
    put32(v, 8, 4 * PAGE);
    for (unsigned i = 0; i < 6; i++) {
        EXPECT32(v, i == 4 ? 8 : i + 1, i * PAGE);
        EXPECT32(last, i + 1, i * PAGE);
    }
}
Test(vmo, VmoClone2_DisjointCloneProgressive) { core_run(disjoint_progressive_body); }

/* ---- resizing ------------------------------------------------------------------ */

static void resize_body(uintptr_t resize_child, uintptr_t b)
{
    zx_handle_t v = tagged_vmo_opts(4, ZX_VMO_RESIZABLE);
    zx_handle_t c = child(v, SNAP_RESIZE, 0, 4 * PAGE);
    put32(v, 5, PAGE);
    put32(c, 5, 2 * PAGE);
    cr_expect_eq(committed(v), 4 * PAGE);
    cr_expect_eq(committed(c), 2 * PAGE);
    zx_handle_t target = resize_child ? c : v, other = resize_child ? v : c;
    set_size(target, PAGE);
    const unsigned written = resize_child ? 1 : 2;
    for (unsigned i = 0; i < 4; i++)
        EXPECT32(other, i == written ? 5 : i + 1, i * PAGE);
    EXPECT32(target, 1, 0);
    cr_expect_eq(committed(v), (resize_child ? 4 : 1) * PAGE);
    cr_expect_eq(committed(c), (resize_child ? 0 : 3) * PAGE);
    set_size(target, 2 * PAGE);
    EXPECT32(target, 0, PAGE);
    put32(other, 6, 3 * PAGE);
    cr_expect_eq(committed(v), (resize_child ? 4 : 1) * PAGE);
    cr_expect_eq(committed(c), (resize_child ? 0 : 3) * PAGE);
    reset(resize_child ? &v : &c);
    EXPECT32(target, 1, 0);
    cr_expect_eq(committed(target), PAGE);
}
Test(vmo, VmoClone2_ResizeChild) { core_run_arg(resize_body, 1); }
Test(vmo, VmoClone2_ResizeOriginal) { core_run_arg(resize_body, 0); }

static void resize_grow_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo(2);
    zx_handle_t c = child(v, SNAP_RESIZE, 0, PAGE);
    EXPECT32(c, 1, 0);
    set_size(c, 2 * PAGE);
    EXPECT32(c, 0, PAGE);
    put32(v, 3, PAGE);
    EXPECT32(c, 0, PAGE);
    cr_expect_eq(committed(v), 2 * PAGE);
    cr_expect_eq(committed(c), 0);
}
Test(vmo, VmoClone2_ResizeGrow) { core_run(resize_grow_body); }

static void resize_offset_child_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo_opts(3, ZX_VMO_RESIZABLE);
    zx_handle_t c = child(v, SNAP, PAGE, PAGE);
    set_size(v, 0);
    EXPECT32(c, 2, 0);
    cr_expect_eq(committed(v), 0);
    cr_expect_eq(committed(c), PAGE);
}
Test(vmo, VmoClone2_ResizeOffsetChild) { core_run(resize_offset_child_body); }

static void resize_disjoint_order(const uint32_t *perm)
{
    zx_handle_t v = tagged_vmo_opts(3, ZX_VMO_RESIZABLE), clones[3];
    for (unsigned i = 0; i < 3; i++) {
        clones[i] = child(v, SNAP_RESIZE, i * PAGE, PAGE);
        EXPECT32(clones[i], i + 1, 0);
        cr_expect_eq(committed(clones[i]), 0);
    }
    cr_expect_eq(committed(v), 3 * PAGE);
    set_size(clones[perm[0]], 0);
    set_size(clones[perm[1]], 0);
    set_size(v, 0);
    EXPECT32(clones[perm[2]], perm[2] + 1, 0);
    cr_expect_eq(committed(v), 0);
    cr_expect_eq(committed(clones[perm[0]]), 0);
    cr_expect_eq(committed(clones[perm[1]]), 0);
    cr_expect_eq(committed(clones[perm[2]]), PAGE);
    set_size(clones[perm[2]], 0);
    cr_expect_eq(committed(clones[perm[2]]), 0);
    zx_handle_t all[4] = {v, clones[0], clones[1], clones[2]};
    core_close(all, 4);
}

static void resize_disjoint_body(uintptr_t a, uintptr_t b)
{
    each_permutation(resize_disjoint_order, 3);
}
Test(vmo, VmoClone2_ResizeDisjointChild) { core_run(resize_disjoint_body); }

static void resize_multiple_progressive_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo_opts(3, ZX_VMO_RESIZABLE);
    zx_handle_t c = child(v, SNAP_RESIZE, 0, 2 * PAGE);
    put32(v, 4, 0);
    put32(c, 5, PAGE);
    zx_handle_t c2 = child(v, SNAP, 0, PAGE);
    set_size(c, 0);
    EXPECT32(v, 4, 0);
    EXPECT32(v, 2, PAGE);
    EXPECT32(v, 3, 2 * PAGE);
    EXPECT32(c2, 4, 0);
    cr_expect_eq(committed(v), 3 * PAGE);
    cr_expect_eq(committed(c), 0);
    cr_expect_eq(committed(c2), 0);
    set_size(v, 0);
    EXPECT32(c2, 4, 0);
    cr_expect_eq(committed(v), 0);
    cr_expect_eq(committed(c), 0);
    cr_expect_eq(committed(c2), PAGE);
}
Test(vmo, VmoClone2_ResizeMultipleProgressive) { core_run(resize_multiple_progressive_body); }

static void resize_over_sibling_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = tagged_vmo_opts(4, ZX_VMO_RESIZABLE);
    zx_handle_t intermediate = child(v, SNAP, 0, 4 * PAGE);
    zx_handle_t sibling = child(v, SNAP_RESIZE, 2 * PAGE, PAGE);
    set_size(v, PAGE);
    set_size(v, 4 * PAGE);
    EXPECT32(v, 1, 0);
    for (unsigned i = 1; i < 4; i++)
        EXPECT32(v, 0, i * PAGE);
    for (unsigned i = 1; i < 4; i++)
        put32(v, i + 1, i * PAGE);
    EXPECT32(intermediate, 3, 2 * PAGE);
    EXPECT32(sibling, 3, 0);
}
Test(vmo, VmoClone2_ResizeOverSiblingRange) { core_run(resize_over_sibling_body); }

/* ---- children ------------------------------------------------------------------ */

static void children_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    zx_signals_t o;
    cr_expect_eq(zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, 0, &o), ZX_OK);
    zx_handle_t c = child(v, SNAP, 0, PAGE);
    cr_expect_eq(zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, 0, &o), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_object_wait_one(c, ZX_VMO_ZERO_CHILDREN, 0, &o), ZX_OK);
    reset(&c);
    cr_expect_eq(zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, 0, &o), ZX_OK);
}
Test(vmo, VmoClone2_Children) { core_run(children_body); }

static void many_children_body(uintptr_t reverse, uintptr_t b)
{
    enum { N = 5 };
    zx_handle_t v = core_vmo(PAGE, 0), clones[N];
    for (unsigned i = 0; i < N; i++) {
        clones[i] = child(v, SNAP, 0, PAGE);
        cr_expect_eq(num_children(v), i + 1);
    }
    for (unsigned k = 0; k < N; k++) {
        unsigned i = reverse ? N - 1 - k : k;
        reset(&clones[i]);
        cr_expect_eq(num_children(v), N - (k + 1));
    }
    zx_signals_t o;
    cr_expect_eq(zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, 0, &o), ZX_OK);
}
Test(vmo, VmoClone2_ManyChildren) { core_run_arg(many_children_body, 0); }
Test(vmo, VmoClone2_ManyChildrenRevClose) { core_run_arg(many_children_body, 1); }

static void many_clone_mapping_order(const uint32_t *perm)
{
    const uint32_t old = 0xdeadbeef, new = 0xc0ffee;
    zx_handle_t vmos[4];
    vmos[0] = core_vmo(PAGE, 0);
    put32(vmos[0], old, 0);
    vmos[1] = child(vmos[0], SNAP, 0, PAGE);
    vmos[2] = child(vmos[0], SNAP, 0, PAGE);
    vmos[3] = child(vmos[1], SNAP, 0, PAGE);
    uint32_t *maps[4];
    for (unsigned i = 0; i < 4; i++) {
        maps[i] = (uint32_t *)map_rw(vmos[i], PAGE);
        cr_expect_eq(*maps[i], old);
    }
    bool written[4] = {false};
    for (unsigned i = 0; i < 4; i++) {
        *maps[perm[i]] = new;
        written[perm[i]] = true;
        for (unsigned j = 0; j < 4; j++)
            cr_expect_eq(*maps[j], written[j] ? new : old, "mapping %u after %u writes", j, i + 1);
    }
    for (unsigned i = 0; i < 4; i++)
        zx_vmar_unmap(zx_vmar_root_self(), (uintptr_t)maps[i], PAGE);
    core_close(vmos, 4);
}

static void many_clone_mapping_body(uintptr_t a, uintptr_t b)
{
    each_permutation(many_clone_mapping_order, 4);
}
Test(vmo, VmoClone2_ManyCloneMapping) { core_run(many_clone_mapping_body); }

static void many_clone_offset_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(PAGE, 0);
    put32(v, 1, 0);
    zx_handle_t c1 = child(v, SNAP, 0, PAGE);
    zx_handle_t c2 = child(c1, SNAP, PAGE, PAGE);
    put32(c1, 1, 0);
    reset(&c1);
    EXPECT32(v, 1, 0);
    EXPECT32(c2, 0, 0);
}
Test(vmo, VmoClone2_ManyCloneOffset) { core_run(many_clone_offset_body); }

static void many_clone_mapping_offset_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t vmos[4];
    vmos[0] = core_vmo(2 * PAGE, 0);
    put32(vmos[0], 1, 0);
    vmos[1] = child(vmos[0], SNAP, 0, 2 * PAGE);
    vmos[2] = child(vmos[0], SNAP, PAGE, PAGE);
    vmos[3] = child(vmos[0], SNAP, 0, 2 * PAGE);
    uint32_t *maps[4];
    for (unsigned i = 0; i < 4; i++) {
        maps[i] = (uint32_t *)map_rw(vmos[i], PAGE);
        if (i != 2)
            cr_expect_eq(*maps[i], 1);
    }
    put32(vmos[3], 2, 0);
    put32(vmos[1], 3, 0);
    cr_expect_eq(*maps[1], 3);
    cr_expect_eq(*maps[3], 2);
    cr_expect_eq(*maps[0], 1);
    for (unsigned i = 0; i < 4; i++)
        cr_expect_eq(committed(vmos[i]), (i != 2) * PAGE, "vmo %u", i);
}
Test(vmo, VmoClone2_ManyCloneMappingOffset) { core_run(many_clone_mapping_offset_body); }

/* ProgressiveCloneClose / ProgressiveCloneTruncate. */
static void progressive_clone_body(uintptr_t close, uintptr_t b)
{
    enum { N = 6 };
    zx_handle_t vmos[N];
    vmos[0] = tagged_vmo_opts(N, ZX_VMO_RESIZABLE);
    cr_expect_eq(committed(vmos[0]), N * PAGE);
    for (unsigned i = 1; i < N; i++) {
        vmos[i] = child(vmos[0], SNAP_RESIZE, 0, N * PAGE);
        put32(vmos[i], N + 2, i * PAGE);
    }
    for (unsigned i = 0; i < N; i++) {
        cr_expect_eq(committed(vmos[i]), (N - i) * PAGE, "upstream's count, vmo %u", i);
        for (unsigned j = 0; j < N; j++)
            EXPECT32(vmos[i], (i != 0 && j == i) ? N + 2 : j + 1, j * PAGE);
    }
    if (close)
        reset(&vmos[0]);
    else
        set_size(vmos[0], 0);
    uint64_t observed = 0;
    for (unsigned i = 1; i < N; i++) {
        expect_blame_bounded(vmos[i]);
        observed += committed(vmos[i]);
        for (unsigned j = 0; j < N; j++)
            EXPECT32(vmos[i], j == i ? N + 2 : j + 1, j * PAGE);
    }
    cr_expect_eq(observed, (N * (N + 1) / 2 - 1) * PAGE, "upstream's kImplRemainingPages");
    for (unsigned i = 1; i < N - 2; i++) {
        if (close)
            reset(&vmos[i]);
        else
            set_size(vmos[i], 0);
    }
    for (unsigned i = N - 2; i < N; i++)
        for (unsigned j = 0; j < N; j++)
            EXPECT32(vmos[i], j == i ? N + 2 : j + 1, j * PAGE);
}
Test(vmo, VmoClone2_ProgressiveCloneClose) { core_run_arg(progressive_clone_body, 1); }
Test(vmo, VmoClone2_ProgressiveCloneTruncate) { core_run_arg(progressive_clone_body, 0); }

/* ---- regressions ------------------------------------------------------------------ */

static void parent_start_limit_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t r = core_vmo(0x3000, 0);
    zx_handle_t m = child(r, SNAP, 0x1000, 0x2000);
    zx_handle_t c = child(m, SNAP, 0, 0x1000);
    zx_handle_t s = child(r, SNAP, 0x2000, 0x1000);
    reset(&r);
    zx_handle_t h = child(m, SNAP, 0x1000, 0x1000);
    reset(&m);
    zx_handle_t hc = child(h, SNAP, 0, 0x1000);
    reset(&c);
    EXPECT32(s, 0, 0);
    EXPECT32(h, 0, 0);
    EXPECT32(hc, 0, 0);
}
Test(vmo, VmoClone2_ParentStartLimitRegression) { core_run(parent_start_limit_body); }

static void drop_child(uintptr_t handle, uintptr_t b)
{
    cr_expect_eq(zx_handle_close((zx_handle_t)handle), ZX_OK);
}

/* Upstream spins both threads up to a common start line; here the helper
 * thread is started and the parent closed at once, so the two closes
 * interleave as the scheduler lets them. */
static void drop_children_parallel_body(uintptr_t a, uintptr_t b)
{
    for (int i = 0; i < DROP_ROUNDS; i++) {
        zx_handle_t v = core_vmo(PAGE, 0);
        zx_handle_t t = core_thread_start(drop_child, child(v, SNAP, 0, PAGE), 0);
        reset(&v);
        core_thread_join(t);
    }
}
Test(vmo, VmoClone2_DropChildrenInParallel) { core_run(drop_children_parallel_body); }

static void no_accumulated_overflow_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(0, 0), c1, c2;
    cr_expect_eq(zx_vmo_create_child(v, SNAP, 0xffffffffffff8000, 0, &c1), ZX_OK);
    cr_expect_eq(zx_vmo_create_child(c1, SNAP, 0x8000, 0, &c2), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(zx_vmo_create_child(c1, SNAP_RESIZE, 0x4000, 0, &c2), ZX_OK);
    cr_expect_eq(zx_vmo_set_size(c2, 0x8000), ZX_ERR_INVALID_ARGS);
}
Test(vmo, VmoClone2_NoAccumulatedOverflow) { core_run(no_accumulated_overflow_body); }

static void marker_clears_split_bits_body(uintptr_t a, uintptr_t b)
{
    zx_handle_t v = core_vmo(3 * PAGE, 0);
    uint64_t val = 42;
    cr_expect_eq(zx_vmo_write(v, &val, PAGE, sizeof val), ZX_OK);
    zx_handle_t c = child(v, SNAP, 0, 3 * PAGE);
    cr_expect_eq(zx_vmo_write(c, &val, PAGE, sizeof val), ZX_OK);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, PAGE, PAGE, NULL, 0), ZX_OK);
    reset(&c);
    c = child(v, SNAP, 0, 3 * PAGE);
    cr_expect_eq(zx_vmo_write(c, &val, PAGE, sizeof val), ZX_OK);
    EXPECT32(v, 42, PAGE);
}
Test(vmo, VmoClone2_MarkerClearsSplitBits) { core_run(marker_clears_split_bits_body); }
