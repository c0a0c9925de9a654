/* test_vmo_cow.c — covers: vmo_create_child, vmo_read, vmo_write,
 * vmo_set_size, vmo_op_range, for snapshot children, which are
 * copy-on-write (model/vmo_cow.c): which writes are seen where (also
 * across closes, slices and mappings) and what ZX_INFO_VMO's
 * committed_bytes says on each side. Zircon's own cases are ported in tests/core/vmo_clone.c
 * and vmo_child.c; these cover the paths peculiar to how capsim shares
 * pages (a page copied into every VMO still reading it, hidden nodes
 * keeping a closed VMO's pages for the VMOs still reading them, chains
 * relinked when a middle VMO dies, mapping ending the sharing). The
 * invariant walker runs after every syscall in test builds; the
 * white-box cases at the end also count the host pages behind a family. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "ktest.h"
#include "vmo.h"
#include "vmo_internal.h"

#define PAGE 4096u
#define SNAP ZX_VMO_CHILD_SNAPSHOT

static void run1(ThreadEntryFn fn)
{
    KTest *t = ktest_new(1, 1);
    KProcess *p = ktest_spawn(t, "cow", fn, 0);
    ktest_run(t);
    cr_expect_eq(ktest_retcode(p), 0);
    ktest_free(t);
}

static zx_handle_t vmo(uint64_t size, uint32_t options)
{
    zx_handle_t v = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_vmo_create(size, options, &v), ZX_OK);
    return v;
}

static zx_handle_t snap(zx_handle_t v, uint32_t options, uint64_t offset, uint64_t size)
{
    zx_handle_t c = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_vmo_create_child(v, options, offset, size, &c), ZX_OK);
    return c;
}

static uint32_t rd(zx_handle_t v, uint64_t off)
{
    uint32_t x = 0xdeadbeef;
    cr_expect_eq(zx_vmo_read(v, &x, off, 4), ZX_OK);
    return x;
}

static void wr(zx_handle_t v, uint64_t off, uint32_t x)
{
    cr_expect_eq(zx_vmo_write(v, &x, off, 4), ZX_OK);
}

static uint64_t committed(zx_handle_t v)
{
    zx_info_vmo_t info;
    cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &info, sizeof info, NULL, NULL), ZX_OK);
    return info.committed_bytes;
}

/* `pages` pages holding 1, 2, ... in their first word. */
static zx_handle_t tagged(size_t pages, uint32_t options)
{
    zx_handle_t v = vmo(pages * PAGE, options);
    for (size_t i = 0; i < pages; i++)
        wr(v, i * PAGE, (uint32_t)(i + 1));
    return v;
}

static uint32_t *map_rw(zx_handle_t v, size_t len)
{
    zx_vaddr_t addr = 0;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v, 0,
                             len, &addr),
                 ZX_OK);
    return (uint32_t *)addr;
}

/* ---- what a fresh snapshot costs and what a write copies ------------------ */

static void fresh_costs_nothing(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(16, 0);
    zx_handle_t c = snap(p, SNAP, 0, 16 * PAGE);
    cr_expect_eq(committed(p), 16 * PAGE);
    cr_expect_eq(committed(c), 0, "a snapshot shares every page");
    for (unsigned i = 0; i < 16; i++)
        cr_expect_eq(rd(c, i * PAGE), i + 1);
    cr_expect_eq(committed(c), 0, "reading copies nothing");
    wr(c, 5 * PAGE + 8, 99);
    cr_expect_eq(committed(c), PAGE, "the child's write copies one page");
    cr_expect_eq(rd(c, 5 * PAGE), 6, "the copy holds the rest of the page");
    cr_expect_eq(rd(p, 5 * PAGE + 8), 0, "the parent does not see it");
    wr(p, 7 * PAGE, 70);
    cr_expect_eq(committed(c), 2 * PAGE, "the parent's write copies the old page first");
    cr_expect_eq(committed(p), 16 * PAGE);
    cr_expect_eq(rd(c, 7 * PAGE), 8);
    wr(p, 7 * PAGE, 71);
    cr_expect_eq(committed(c), 2 * PAGE, "a page is copied once");
    cr_expect_eq(rd(c, 7 * PAGE), 8);
}
Test(vmo_cow, fresh_snapshot_costs_nothing_writes_copy_one_page) { run1(fresh_costs_nothing); }

/* Every VMO still reading a page gets its own copy before it changes; a
 * child's write also leaves a copy with each older sibling still reading
 * the page, as Zircon forks it through the hidden nodes those siblings
 * hang from (the newer ones share the parent's). */
static void many_children(uintptr_t a, uintptr_t b)
{
    enum { N = 40 };
    zx_handle_t p = tagged(2, 0), c[N];
    for (unsigned i = 0; i < N; i++)
        c[i] = snap(p, SNAP, 0, 2 * PAGE);
    wr(c[3], PAGE, 33);
    for (unsigned i = 0; i < N; i++)
        cr_expect_eq(committed(c[i]), (i <= 3 ? 1 : 0) * PAGE, "child %u", i);
    wr(p, 0, 100);
    for (unsigned i = 0; i < N; i++) {
        cr_expect_eq(rd(c[i], 0), 1, "child %u", i);
        cr_expect_eq(rd(c[i], PAGE), i == 3 ? 33 : 2, "child %u", i);
        cr_expect_eq(committed(c[i]), (i <= 3 ? 2 : 1) * PAGE, "child %u", i);
    }
    cr_expect_eq(rd(p, 0), 100);
    cr_expect_eq(committed(p), 2 * PAGE);
}
Test(vmo_cow, parent_write_copies_into_every_child) { run1(many_children); }

/* ---- hidden nodes: a closed VMO's pages stay shared ---------------------- */

/* N snapshots of a closed VMO share its pages: nothing is copied, the
 * oldest child is blamed for them (Zircon reattributes each hidden parent
 * to the child it did not reach the closed VMO through), and as children
 * close the pages stay until one reader is left, which then holds them. */
static void close_parent_of_many(uintptr_t a, uintptr_t b)
{
    enum { N = 32, P = 8 };
    zx_handle_t p = tagged(P, 0), c[N];
    for (unsigned i = 0; i < N; i++)
        c[i] = snap(p, SNAP, 0, P * PAGE);
    wr(c[5], 2 * PAGE, 55);
    cr_expect_eq(zx_handle_close(p), ZX_OK);
    uint64_t sum = 0;
    for (unsigned i = 0; i < N; i++)
        sum += committed(c[i]);
    /* P shared pages, c[5]'s own, and the copy of page 2 each of c[0..4]
     * kept when c[5] forked it */
    cr_expect_eq(sum, (P + 1 + 5) * PAGE, "not a copy per child");
    cr_expect_eq(committed(c[0]), P * PAGE, "the oldest child is blamed for the shared pages");
    cr_expect_eq(committed(c[5]), PAGE);
    cr_expect_eq(committed(c[N - 1]), 0);
    /* close all but the last two, newest first, then the last but one */
    for (unsigned i = N - 3; i + 1 > 0; i--) {
        cr_expect_eq(zx_handle_close(c[i]), ZX_OK);
        for (unsigned j = 0; j < P; j++) {
            cr_expect_eq(rd(c[N - 1], j * PAGE), j + 1);
            cr_expect_eq(rd(c[N - 2], j * PAGE), j + 1);
        }
        if (i > 5)
            cr_expect_eq(rd(c[5], 2 * PAGE), 55);
    }
    cr_expect_eq(committed(c[N - 2]) + committed(c[N - 1]), P * PAGE, "one copy for the two");
    cr_expect_eq(committed(c[N - 2]), P * PAGE, "the older of the two");
    cr_expect_eq(zx_handle_close(c[N - 2]), ZX_OK);
    cr_expect_eq(committed(c[N - 1]), P * PAGE, "the last reader holds the pages");
    for (unsigned j = 0; j < P; j++)
        cr_expect_eq(rd(c[N - 1], j * PAGE), j + 1);
    wr(c[N - 1], 0, 9);
    cr_expect_eq(committed(c[N - 1]), P * PAGE, "its own now: the write copies nothing");
}
Test(vmo_cow, closing_a_parent_of_many_keeps_one_copy) { run1(close_parent_of_many); }

/* A page of a hidden node read by one child alone moves into it when it
 * writes it, and a child closing frees the pages only it read. */
static void hidden_pages_move_and_go(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(4, 0);
    zx_handle_t c1 = snap(p, SNAP, 0, 2 * PAGE);     /* pages 0, 1 */
    zx_handle_t c2 = snap(p, SNAP, PAGE, 3 * PAGE);  /* pages 1, 2, 3 */
    cr_expect_eq(zx_handle_close(p), ZX_OK);
    cr_expect_eq(committed(c1), 2 * PAGE, "pages 0 and 1 (c1 the oldest reader)");
    cr_expect_eq(committed(c2), 2 * PAGE, "pages 2 and 3");
    wr(c2, 2 * PAGE, 40); /* page 3: c2's alone, moved */
    cr_expect_eq(committed(c2), 2 * PAGE);
    wr(c2, 0, 20);        /* page 1: c1 still reads it, copied */
    cr_expect_eq(committed(c1), 2 * PAGE);
    cr_expect_eq(committed(c2), 3 * PAGE);
    cr_expect_eq(rd(c1, PAGE), 2);
    cr_expect_eq(rd(c2, PAGE), 3);
    cr_expect_eq(zx_handle_close(c2), ZX_OK);
    cr_expect_eq(committed(c1), 2 * PAGE, "merged: c1 holds what it read");
    cr_expect_eq(rd(c1, 0), 1);
    cr_expect_eq(rd(c1, PAGE), 2);
}
Test(vmo_cow, hidden_pages_move_to_their_only_reader) { run1(hidden_pages_move_and_go); }

/* A VMO shrunk under several snapshots reading what it loses keeps those
 * pages once for them, as a closed one does; while it reads a kept page
 * it is blamed for it, and a page only the snapshots read is blamed on
 * the newest of them (Zircon's attribution ids before any close). It
 * grows back to zeros and writes privately as before. */
static void shrink_under_many(uintptr_t a, uintptr_t b)
{
    enum { N = 6, P = 4 };
    zx_handle_t p = tagged(P, ZX_VMO_RESIZABLE), c[N];
    for (unsigned i = 0; i < N; i++)
        c[i] = snap(p, SNAP, 0, P * PAGE);
    cr_expect_eq(zx_vmo_set_size(p, PAGE), ZX_OK);
    uint64_t sum = 0;
    for (unsigned i = 0; i < N; i++) {
        sum += committed(c[i]);
        for (unsigned j = 0; j < P; j++)
            cr_expect_eq(rd(c[i], j * PAGE), j + 1, "child %u page %u", i, j);
    }
    cr_expect_eq(sum, (P - 1) * PAGE, "pages 1-3 once, not once per child");
    cr_expect_eq(committed(c[N - 1]), (P - 1) * PAGE, "the newest child");
    cr_expect_eq(committed(p), PAGE, "page 0: still the parent's");
    cr_expect_eq(zx_vmo_set_size(p, P * PAGE), ZX_OK);
    cr_expect_eq(rd(p, PAGE), 0, "grown back: zero");
    wr(p, 0, 10);
    wr(p, PAGE, 11);
    cr_expect_eq(rd(c[0], 0), 1);
    cr_expect_eq(rd(c[0], PAGE), 2);
    cr_expect_eq(rd(p, 0), 10);
    cr_expect_eq(committed(p), 2 * PAGE);
    cr_expect_eq(committed(c[0]), PAGE, "page 0 now the oldest child's");
    cr_expect_eq(zx_handle_close(p), ZX_OK);
    sum = 0;
    for (unsigned i = 0; i < N; i++)
        sum += committed(c[i]);
    /* the parent's write of page 0 left each child its own copy (Zircon
     * forks it through every child's hidden parent); pages 1-3 stay once */
    cr_expect_eq(sum, (N + P - 1) * PAGE);
    cr_expect_eq(committed(c[0]), P * PAGE, "after the close: the oldest child");
    for (unsigned i = 1; i < N; i++)
        cr_expect_eq(zx_handle_close(c[i]), ZX_OK);
    for (unsigned j = 0; j < P; j++)
        cr_expect_eq(rd(c[0], j * PAGE), j + 1);
    cr_expect_eq(committed(c[0]), P * PAGE);
}
Test(vmo_cow, shrinking_under_many_keeps_one_copy) { run1(shrink_under_many); }

/* The child's ZX_INFO_VMO after its parent closed: still a copy-on-write
 * clone, still naming the parent it was made of (Zircon's parent_koid is
 * the parent's at creation), still counting its own children. */
static void info_after_parent_close(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(2, 0);
    zx_handle_t c1 = snap(p, SNAP, 0, 2 * PAGE), c2 = snap(p, SNAP, 0, 2 * PAGE);
    zx_handle_t g = snap(c1, SNAP, 0, PAGE);
    zx_info_vmo_t pi, ci;
    cr_assert_eq(zx_object_get_info(p, ZX_INFO_VMO, &pi, sizeof pi, NULL, NULL), ZX_OK);
    cr_expect_eq(zx_handle_close(p), ZX_OK);
    cr_assert_eq(zx_object_get_info(c2, ZX_INFO_VMO, &ci, sizeof ci, NULL, NULL), ZX_OK);
    cr_expect_eq(ci.parent_koid, pi.koid);
    cr_expect(ci.flags & ZX_INFO_VMO_IS_COW_CLONE);
    cr_expect_eq(ci.num_children, 0);
    cr_assert_eq(zx_object_get_info(c1, ZX_INFO_VMO, &ci, sizeof ci, NULL, NULL), ZX_OK);
    cr_expect_eq(ci.num_children, 1);
    zx_signals_t sig = 0;
    cr_expect_eq(zx_object_wait_one(c1, ZX_VMO_ZERO_CHILDREN, 0, &sig), ZX_ERR_TIMED_OUT);
    cr_expect_eq(zx_handle_close(g), ZX_OK);
    cr_expect_eq(zx_object_wait_one(c1, ZX_VMO_ZERO_CHILDREN, 0, &sig), ZX_OK);
    cr_expect_eq(rd(c1, PAGE), 2);
    /* a middle VMO's children move up to its parent (Zircon re-homes
     * them), which keeps counting them while their pages sit in a hidden
     * node between them */
    zx_handle_t r = tagged(2, 0);
    zx_handle_t m = snap(r, SNAP, 0, 2 * PAGE);
    wr(m, 0, 7);
    zx_handle_t k1 = snap(m, SNAP, 0, 2 * PAGE), k2 = snap(m, SNAP, 0, 2 * PAGE);
    cr_expect_eq(zx_handle_close(m), ZX_OK);
    cr_assert_eq(zx_object_get_info(r, ZX_INFO_VMO, &ci, sizeof ci, NULL, NULL), ZX_OK);
    cr_expect_eq(ci.num_children, 2);
    cr_expect_eq(rd(k2, 0), 7);
    cr_expect_eq(rd(k2, PAGE), 2);
    cr_expect_eq(committed(k1), PAGE, "m's page, kept in the hidden node");
    cr_expect_eq(zx_handle_close(k1), ZX_OK);
    cr_expect_eq(zx_object_wait_one(r, ZX_VMO_ZERO_CHILDREN, 0, &sig), ZX_ERR_TIMED_OUT);
    cr_expect_eq(committed(k2), PAGE);
    cr_expect_eq(zx_handle_close(k2), ZX_OK);
    cr_expect_eq(zx_object_wait_one(r, ZX_VMO_ZERO_CHILDREN, 0, &sig), ZX_OK);
}
Test(vmo_cow, info_and_signals_after_the_parent_closes) { run1(info_after_parent_close); }

/* A grandchild reads through its parent to the root; writes anywhere in
 * the chain stay where they were made. */
static void chain(uintptr_t a, uintptr_t b)
{
    zx_handle_t r = tagged(3, 0);
    zx_handle_t m = snap(r, SNAP, PAGE, 2 * PAGE); /* r's pages 1, 2 */
    zx_handle_t g = snap(m, SNAP, 0, 3 * PAGE);    /* m's pages and a zero page */
    cr_expect_eq(rd(g, 0), 2);
    cr_expect_eq(rd(g, PAGE), 3);
    cr_expect_eq(rd(g, 2 * PAGE), 0, "past m's end");
    wr(r, PAGE, 20);
    wr(m, PAGE, 30);
    cr_expect_eq(rd(m, 0), 2, "m kept r's old page");
    cr_expect_eq(rd(g, 0), 2);
    cr_expect_eq(rd(g, PAGE), 3, "g kept m's old page");
    cr_expect_eq(committed(r), 3 * PAGE);
    cr_expect_eq(committed(m), 2 * PAGE, "m: a copy of r's page, its own written page");
    cr_expect_eq(committed(g), PAGE, "g: m's old page 1");
    /* closing the middle: g reads what m owned as its own, the rest
     * through r, and r's later writes still do not reach it */
    wr(r, 2 * PAGE, 40);
    cr_expect_eq(zx_handle_close(m), ZX_OK);
    cr_expect_eq(rd(g, 0), 2);
    cr_expect_eq(rd(g, PAGE), 3);
    cr_expect_eq(rd(g, 2 * PAGE), 0);
    cr_expect_eq(committed(g), 2 * PAGE, "m's pages g still read moved into g");
    wr(r, PAGE, 50);
    cr_expect_eq(rd(g, 0), 2);
    cr_expect_eq(zx_handle_close(r), ZX_OK);
    cr_expect_eq(rd(g, 0), 2);
    cr_expect_eq(rd(g, PAGE), 3);
    cr_expect_eq(committed(g), 2 * PAGE);
}
Test(vmo_cow, chain_relinks_when_the_middle_closes) { run1(chain); }

/* Zircon's vmo_op_range.md and vmo_create_child.md: DECOMMIT works only on
 * VMOs without copy-on-write children, and on slices of those; a snapshot
 * and a VMO with one refuse it, changing nothing. ZERO still works. */
static void decommit_refused_in_a_family(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = vmo(2 * PAGE, 0);
    wr(p, 0, 5);
    zx_handle_t slice = snap(p, ZX_VMO_CHILD_SLICE, 0, PAGE);
    cr_expect_eq(zx_vmo_op_range(slice, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_OK);
    wr(p, 0, 5);
    zx_handle_t c = snap(p, SNAP, 0, 2 * PAGE);
    wr(c, 0, 6);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_vmo_op_range(p, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(zx_vmo_op_range(slice, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0),
                 ZX_ERR_NOT_SUPPORTED, "a slice of a VMO with a snapshot");
    zx_handle_t cs = snap(c, ZX_VMO_CHILD_SLICE, 0, PAGE);
    cr_expect_eq(zx_vmo_op_range(cs, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    cr_expect_eq(rd(c, 0), 6);
    cr_expect_eq(rd(p, 0), 5);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(rd(c, 0), 0);
    zx_handle_close(cs);
    zx_handle_close(c);
    cr_expect_eq(zx_vmo_op_range(p, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_OK,
                 "its snapshot gone, the VMO decommits again");
    cr_expect_eq(rd(p, 0), 0);
}
Test(vmo_cow, decommit_refused_by_snapshots_and_their_parents) { run1(decommit_refused_in_a_family); }

/* A grandchild whose range reaches past its parent's, with the parent
 * closed while the grandparent lives: the part past the parent's end
 * stays zero even where the grandparent has data. */
static void chain_limit(uintptr_t a, uintptr_t b)
{
    zx_handle_t r = tagged(4, 0);
    zx_handle_t m = snap(r, SNAP, 0, PAGE);
    zx_handle_t g = snap(m, SNAP, 0, 3 * PAGE);
    cr_expect_eq(zx_handle_close(m), ZX_OK);
    cr_expect_eq(rd(g, 0), 1);
    cr_expect_eq(rd(g, PAGE), 0, "m had one page: r's second page is not g's");
    wr(r, 0, 9);
    cr_expect_eq(rd(g, 0), 1);
    cr_expect_eq(committed(g), PAGE);
}
Test(vmo_cow, relinked_child_keeps_its_parents_limit) { run1(chain_limit); }

/* ---- closing ----------------------------------------------------------------- */

static void close_parent(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(4, 0);
    zx_handle_t c = snap(p, SNAP, PAGE, 4 * PAGE); /* p's pages 1-3, then a zero page */
    wr(c, 0, 7);
    cr_expect_eq(zx_handle_close(p), ZX_OK);
    cr_expect_eq(rd(c, 0), 7);
    cr_expect_eq(rd(c, PAGE), 3);
    cr_expect_eq(rd(c, 2 * PAGE), 4);
    cr_expect_eq(rd(c, 3 * PAGE), 0);
    cr_expect_eq(committed(c), 3 * PAGE, "what it wrote and what it still read");
    wr(c, 3 * PAGE, 1);
    cr_expect_eq(committed(c), 4 * PAGE);
}
Test(vmo_cow, closing_the_parent_hands_over_its_pages) { run1(close_parent); }

static void close_child(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(2, 0);
    zx_handle_t c = snap(p, SNAP, 0, 2 * PAGE);
    wr(p, 0, 5); /* c gets the old page */
    cr_expect_eq(zx_handle_close(c), ZX_OK);
    cr_expect_eq(rd(p, 0), 5);
    cr_expect_eq(rd(p, PAGE), 2);
    cr_expect_eq(committed(p), 2 * PAGE);
}
Test(vmo_cow, closing_the_child_leaves_the_parent) { run1(close_child); }

/* ---- sizes ---------------------------------------------------------------------- */

static void shrink_parent(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(3, ZX_VMO_RESIZABLE);
    zx_handle_t c = snap(p, SNAP, 0, 3 * PAGE);
    cr_expect_eq(zx_vmo_set_size(p, PAGE), ZX_OK);
    cr_expect_eq(committed(c), 2 * PAGE, "the child copied the pages the parent lost");
    cr_expect_eq(committed(p), PAGE);
    cr_expect_eq(zx_vmo_set_size(p, 3 * PAGE), ZX_OK);
    cr_expect_eq(rd(p, PAGE), 0, "grown back: zero");
    wr(p, 2 * PAGE, 9);
    for (unsigned i = 0; i < 3; i++)
        cr_expect_eq(rd(c, i * PAGE), i + 1);
    cr_expect_eq(committed(c), 2 * PAGE, "the grown pages are not the child's business");
}
Test(vmo_cow, shrinking_the_parent_copies_what_it_loses) { run1(shrink_parent); }

static void shrink_child(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(3, 0);
    zx_handle_t c = snap(p, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, 3 * PAGE);
    wr(c, 2 * PAGE + 4, 1);
    cr_expect_eq(zx_vmo_set_size(c, PAGE + 100), ZX_OK);
    cr_expect_eq(committed(c), PAGE, "its page 2 went; page 1 was copied to clear its tail");
    cr_expect_eq(rd(c, PAGE), 2, "below the new size: the parent's bytes");
    uint8_t tail[8];
    cr_expect_eq(zx_vmo_read(c, tail, PAGE + 100, sizeof tail), ZX_OK);
    static const uint8_t zeros[8];
    cr_expect_eq(memcmp(tail, zeros, sizeof tail), 0, "past the size in the last page: zero");
    cr_expect_eq(rd(p, PAGE + 100), 0, "the parent's own byte there (untouched) is zero too");
    cr_expect_eq(zx_vmo_set_size(c, 3 * PAGE), ZX_OK);
    cr_expect_eq(rd(c, 2 * PAGE), 0, "grown back: zero, not the parent's page");
    cr_expect_eq(rd(p, 2 * PAGE), 3);
}
Test(vmo_cow, shrinking_the_child_forgets_the_parent_past_the_end) { run1(shrink_child); }

/* A snapshot shrunk to nothing and grown again has a store to copy into. */
static void child_to_zero_and_back(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(2, 0);
    zx_handle_t c = snap(p, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, 2 * PAGE);
    zx_handle_t g = snap(c, SNAP, 0, 2 * PAGE);
    cr_expect_eq(zx_vmo_set_size(c, 0), ZX_OK);
    cr_expect_eq(zx_vmo_set_size(c, 2 * PAGE), ZX_OK);
    cr_expect_eq(rd(g, 0), 1, "g copied c's pages before they went");
    wr(c, 0, 5);
    cr_expect_eq(rd(c, 0), 5);
    cr_expect_eq(rd(g, 0), 1);
}
Test(vmo_cow, child_resized_to_zero_and_back) { run1(child_to_zero_and_back); }

/* ---- range operations and the content size ---------------------------------------- */

static void zero_and_commit(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(4, 0);
    zx_handle_t c = snap(p, SNAP, 0, 4 * PAGE);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(rd(c, 0), 0);
    cr_expect_eq(committed(c), 0, "a zeroed page is the child's, committing nothing");
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, PAGE + 8, 8, NULL, 0), ZX_OK);
    cr_expect_eq(rd(c, PAGE), 2, "a partial zero copies the page, then clears the bytes");
    cr_expect_eq(committed(c), PAGE);
    cr_expect_eq(zx_vmo_op_range(c, ZX_VMO_OP_COMMIT, 2 * PAGE, 2 * PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(c), 3 * PAGE, "COMMIT copies the parent's pages into the child");
    wr(p, 2 * PAGE, 30);
    cr_expect_eq(rd(c, 2 * PAGE), 3);
    cr_expect_eq(committed(c), 3 * PAGE, "already the child's: nothing more to copy");
    cr_expect_eq(zx_vmo_op_range(p, ZX_VMO_OP_COMMIT, 0, 4 * PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(committed(c), 3 * PAGE, "committing the parent changes nothing it shares");
    cr_expect_eq(zx_vmo_op_range(p, ZX_VMO_OP_ZERO, 0, 4 * PAGE, NULL, 0), ZX_OK);
    cr_expect_eq(rd(c, 3 * PAGE), 4, "the parent's zero is a write: the child kept the page");
    cr_expect_eq(committed(p), 0);
}
Test(vmo_cow, zero_and_commit_on_both_sides) { run1(zero_and_commit); }

static void content_size(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(2, 0);
    zx_handle_t c = snap(p, SNAP, 0, 2 * PAGE);
    uint64_t size = 2;
    cr_expect_eq(zx_object_set_property(p, ZX_PROP_VMO_CONTENT_SIZE, &size, sizeof size), ZX_OK);
    cr_expect_eq(rd(p, 0), 1, "the low bytes stay");
    cr_expect_eq(rd(p, PAGE), 0, "past the content size: zeroed");
    cr_expect_eq(rd(c, PAGE), 2, "not in the child");
}
Test(vmo_cow, content_size_zeroing_is_a_write) { run1(content_size); }

/* ---- slices ----------------------------------------------------------------------------- */

static void of_slice(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(4, 0), s = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_vmo_create_child(p, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE, &s), ZX_OK);
    zx_handle_t c = snap(s, SNAP, 0, 3 * PAGE);
    cr_expect_eq(rd(c, 0), 2);
    cr_expect_eq(rd(c, PAGE), 3);
    cr_expect_eq(rd(c, 2 * PAGE), 0, "past the slice: zero, though the parent has a page there");
    wr(s, 0, 20);
    wr(p, 2 * PAGE, 30);
    cr_expect_eq(rd(c, 0), 2, "a write through the slice is a write to the parent");
    cr_expect_eq(rd(c, PAGE), 3);
    cr_expect_eq(committed(c), 2 * PAGE);
}
Test(vmo_cow, snapshot_of_a_slice_reads_the_window) { run1(of_slice); }

/* ---- mappings ---------------------------------------------------------------------------- */

static void map_parent_later(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(2, 0);
    zx_handle_t c = snap(p, SNAP, 0, 2 * PAGE);
    cr_expect_eq(committed(c), 0);
    uint32_t *m = map_rw(p, 2 * PAGE);
    cr_expect_eq(committed(c), 2 * PAGE, "mapping the parent ends the sharing");
    m[0] = 10; /* not seen by the kernel */
    m[PAGE / 4] = 20;
    cr_expect_eq(rd(c, 0), 1);
    cr_expect_eq(rd(c, PAGE), 2);
    cr_expect_eq(rd(p, 0), 10);
}
Test(vmo_cow, mapping_the_parent_copies_into_the_child) { run1(map_parent_later); }

static void map_child(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(3, 0);
    zx_handle_t c = snap(p, SNAP, PAGE, 2 * PAGE);
    uint32_t *m = map_rw(c, 2 * PAGE);
    cr_expect_eq(m[0], 2, "the mapping shows what the child reads");
    cr_expect_eq(m[PAGE / 4], 3);
    m[0] = 7;
    wr(p, 2 * PAGE, 8);
    cr_expect_eq(rd(p, PAGE), 2);
    cr_expect_eq(m[PAGE / 4], 3);
    cr_expect_eq(rd(c, 0), 7);
    /* a snapshot of a mapped VMO is a copy of its committed pages */
    zx_handle_t g = snap(c, SNAP, 0, 2 * PAGE);
    cr_expect_eq(committed(g), 2 * PAGE);
    m[0] = 70;
    cr_expect_eq(rd(g, 0), 7);
    zx_handle_t sparse = vmo(64 * PAGE, 0);
    map_rw(sparse, 64 * PAGE)[PAGE / 4 * 9] = 1;
    cr_expect_eq(committed(snap(sparse, SNAP, 0, 64 * PAGE)), PAGE, "sparse stays sparse");
}
Test(vmo_cow, mapping_the_child_and_snapshots_of_mapped_vmos) { run1(map_child); }

/* Unmapped again, a VMO shares pages with its new snapshots. */
static void unmapped_again(uintptr_t a, uintptr_t b)
{
    zx_handle_t p = tagged(2, 0);
    uint32_t *m = map_rw(p, 2 * PAGE);
    cr_expect_eq(zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)m, 2 * PAGE), ZX_OK);
    zx_handle_t c = snap(p, SNAP, 0, 2 * PAGE);
    cr_expect_eq(committed(c), 0);
    wr(p, 0, 3);
    cr_expect_eq(rd(c, 0), 1);
    cr_expect_eq(committed(c), PAGE);
}
Test(vmo_cow, unmapped_vmos_share_again) { run1(unmapped_again); }

/* ---- size -------------------------------------------------------------------------------- */

/* A snapshot of a large, sparsely written VMO is as cheap as a small one
 * and stays sparse when the parent goes, alone or with a sibling (then
 * in a hidden node). */
static void large_sparse(uintptr_t a, uintptr_t b)
{
    const uint64_t size = (uint64_t)1 << 30;
    zx_handle_t p = vmo(size, 0);
    for (uint64_t off = 0; off < size; off += size / 8)
        wr(p, off, (uint32_t)(off / PAGE) + 1);
    zx_handle_t c = snap(p, SNAP, 0, size);
    cr_expect_eq(committed(c), 0);
    zx_handle_t s = snap(p, SNAP, 0, size);
    cr_expect_eq(zx_handle_close(p), ZX_OK);
    cr_expect_eq(committed(c), 8 * PAGE, "only the pages that held something");
    cr_expect_eq(committed(s), 0, "shared with the older sibling, blamed on it");
    wr(s, size / 2, 5);
    cr_expect_eq(committed(s), PAGE);
    cr_expect_eq(zx_handle_close(s), ZX_OK);
    cr_expect_eq(committed(c), 8 * PAGE);
    for (uint64_t off = 0; off < size; off += size / 8)
        cr_expect_eq(rd(c, off), (uint32_t)(off / PAGE) + 1);
    cr_expect_eq(rd(c, PAGE), 0);
}
Test(vmo_cow, large_sparse_snapshot) { run1(large_sparse); }

/* ---- the kernel-side copies (the host API's) ------------------------------ */

Test(vmo_cow, kernel_side_reads_commit_nothing)
{
    KTest *t = ktest_new(1, 1);
    KVmo *p = NULL, *c = NULL;
    cr_assert_eq(vmo_create(t->kernel, 4 * PAGE, 0, &p), ZX_OK);
    uint32_t x = 42, y = 0;
    cr_assert_eq(vmo_write_bytes(p, 2 * PAGE, &x, sizeof x), ZX_OK);
    cr_assert_eq(vmo_create_child(p, SNAP, 0, 4 * PAGE, false, &c), ZX_OK);
    vmo_read_bytes(c, 2 * PAGE, &y, sizeof y);
    cr_expect_eq(y, 42);
    zx_info_vmo_t info;
    vmo_info((KObject *)c, &info);
    cr_expect_eq(info.committed_bytes, 0, "reading a snapshot copies nothing");
    x = 7;
    cr_assert_eq(vmo_write_bytes(c, PAGE + PAGE - 2, &x, sizeof x), ZX_OK);
    vmo_info((KObject *)c, &info);
    cr_expect_eq(info.committed_bytes, 2 * PAGE, "a write across a page boundary copies both");
    vmo_read_bytes(p, 2 * PAGE, &y, sizeof y);
    cr_expect_eq(y, 42, "the parent keeps its bytes");
    kobject_unref((KObject *)c);
    kobject_unref((KObject *)p);
    ktest_free(t);
}

/* ---- white-box: contents, blame and host pages through every close order ---- */

/* Host pages behind the family of `live`: each live VMO's store and each
 * hidden node's above them, counted once. */
static uint64_t family_host_bytes(KVmo **live, size_t n)
{
    const KVmo *seen[64];
    size_t nseen = 0;
    uint64_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        for (const KVmo *v = live[i]; v; v = v->cow.src) {
            if (v != live[i] && !v->cow.hidden)
                continue; /* a live one: counted as such */
            bool dup = false;
            for (size_t j = 0; j < nseen && !dup; j++)
                dup = seen[j] == v;
            if (dup)
                continue;
            cr_assert_lt(nseen, 64u);
            seen[nseen++] = v;
            for (uint64_t off = 0; v->store.data && off < v->size; off += PAGE) {
                unsigned char vec = 0;
                if (mincore(v->store.data + off, PAGE, &vec) == 0 && (vec & 1))
                    bytes += PAGE;
            }
        }
    return bytes;
}

enum { FAM = 5, FAM_PAGES = 4 };

typedef struct Family {
    KTest *t;
    KVmo *v[FAM];
    uint32_t expect[FAM][FAM_PAGES];
} Family;

static uint32_t family_read(KVmo *v, unsigned page)
{
    uint32_t x = 0xdeadbeef;
    vmo_read_bytes(v, page * PAGE, &x, sizeof x);
    return x;
}

static void family_write(Family *f, unsigned i, unsigned page, uint32_t x)
{
    cr_assert_eq(vmo_write_bytes(f->v[i], page * PAGE, &x, sizeof x), ZX_OK);
    f->expect[i][page] = x;
}

static void family_snap(Family *f, unsigned i, unsigned of, unsigned first, unsigned pages)
{
    cr_assert_eq(vmo_create_child(f->v[of], SNAP, first * PAGE, pages * PAGE, false, &f->v[i]),
                 ZX_OK);
    for (unsigned p = 0; p < FAM_PAGES; p++)
        f->expect[i][p] = p < pages && first + p < FAM_PAGES ? f->expect[of][first + p] : 0;
}

/* Every live VMO reads what it should; blame adds up to the host pages
 * (no page counted twice or lost), which is no more than the pages the
 * live VMOs can see. */
static void family_check(Family *f, const char *when)
{
    kernel_check_invariants(f->t->kernel);
    KVmo *live[FAM];
    size_t n = 0;
    uint64_t blamed = 0;
    for (unsigned i = 0; i < FAM; i++) {
        if (!f->v[i])
            continue;
        live[n++] = f->v[i];
        for (unsigned p = 0; p < FAM_PAGES && p * PAGE < vmo_size(f->v[i]); p++)
            cr_expect_eq(family_read(f->v[i], p), f->expect[i][p], "%s: vmo %u page %u", when, i,
                         p);
        zx_info_vmo_t info;
        vmo_info((KObject *)f->v[i], &info);
        cr_expect_leq(info.committed_bytes, vmo_size(f->v[i]), "%s: vmo %u", when, i);
        blamed += info.committed_bytes;
    }
    cr_expect_eq(blamed, family_host_bytes(live, n), "%s: blame matches host pages", when);
    cr_expect_leq(blamed, (uint64_t)n * FAM_PAGES * PAGE, "%s", when);
}

/* r, a = r[1..4), b = a's snapshot past a's end, c = r, d = b's, with
 * writes on every side, r shrunk and grown again; then the five closed in
 * all 120 orders. */
static void family_build(Family *f)
{
    memset(f, 0, sizeof *f);
    f->t = ktest_new(1, 1);
    cr_assert_eq(vmo_create(f->t->kernel, FAM_PAGES * PAGE, ZX_VMO_RESIZABLE, &f->v[0]), ZX_OK);
    for (unsigned p = 0; p < FAM_PAGES; p++)
        family_write(f, 0, p, p + 1);
    family_snap(f, 1, 0, 1, 3);
    family_write(f, 1, 0, 20);
    family_snap(f, 2, 1, 0, 4);
    family_write(f, 0, 2, 30);
    family_snap(f, 3, 0, 0, 4);
    family_write(f, 2, 3, 40);
    family_snap(f, 4, 2, 1, 3);
    family_write(f, 3, 1, 50);
    family_write(f, 4, 0, 60);
    family_check(f, "built");
    /* r shrinks under a and c (a hidden node keeps its pages 1-3 for
     * them), grows back to zeros and writes one of them */
    cr_assert_eq(vmo_set_size(f->v[0], PAGE), ZX_OK);
    cr_assert_eq(vmo_set_size(f->v[0], FAM_PAGES * PAGE), ZX_OK);
    for (unsigned p = 1; p < FAM_PAGES; p++)
        f->expect[0][p] = 0;
    family_write(f, 0, 3, 70);
    family_check(f, "shrunk");
}

Test(vmo_cow, every_close_order_keeps_contents_and_blame)
{
    unsigned perm[FAM] = {0, 1, 2, 3, 4}, count = 0;
    for (;;) {
        Family f;
        family_build(&f);
        for (unsigned k = 0; k < FAM; k++) {
            char when[64];
            snprintf(when, sizeof when, "order %u%u%u%u%u step %u", perm[0], perm[1], perm[2],
                     perm[3], perm[4], k);
            kobject_unref((KObject *)f.v[perm[k]]);
            f.v[perm[k]] = NULL;
            family_check(&f, when);
            /* the survivors still write privately */
            for (unsigned i = 0; i < FAM; i++)
                if (f.v[i] && k == 1)
                    family_write(&f, i, 0, 100 + i);
        }
        ktest_free(f.t);
        count++;
        /* next permutation (lexicographic) */
        int i = FAM - 2;
        while (i >= 0 && perm[i] > perm[i + 1])
            i--;
        if (i < 0)
            break;
        int j = FAM - 1;
        while (perm[j] < perm[i])
            j--;
        unsigned tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
        for (int lo = i + 1, hi = FAM - 1; lo < hi; lo++, hi--) {
            tmp = perm[lo];
            perm[lo] = perm[hi];
            perm[hi] = tmp;
        }
    }
    cr_expect_eq(count, 120u);
}

/* Host memory behind N snapshots of a closed VMO: the parent's pages
 * once, not once per child. */
Test(vmo_cow, host_pages_after_parent_close_do_not_grow_with_children)
{
    enum { N = 48, P = 32 };
    KTest *t = ktest_new(1, 1);
    KVmo *p = NULL, *c[N];
    cr_assert_eq(vmo_create(t->kernel, P * PAGE, 0, &p), ZX_OK);
    for (unsigned i = 0; i < P; i++) {
        uint32_t x = i + 1;
        cr_assert_eq(vmo_write_bytes(p, i * PAGE, &x, sizeof x), ZX_OK);
    }
    for (unsigned i = 0; i < N; i++)
        cr_assert_eq(vmo_create_child(p, SNAP, 0, P * PAGE, false, &c[i]), ZX_OK);
    kobject_unref((KObject *)p);
    kernel_check_invariants(t->kernel);
    cr_expect_eq(family_host_bytes(c, N), (uint64_t)P * PAGE);
    for (unsigned i = 0; i < N; i++)
        cr_expect_eq(family_read(c[i], P - 1), P);
    for (unsigned i = 0; i < N; i++) {
        kobject_unref((KObject *)c[i]);
        c[i] = NULL;
        if (i + 1 < N)
            cr_expect_eq(family_host_bytes(c + i + 1, N - i - 1), (uint64_t)P * PAGE);
    }
    ktest_free(t);
}
