/* test_vmar_children.c — covers: vmar_children.c, the index of a VMAR's
 * children. Against a plain sorted array holding the same regions, under
 * seeded random inserts, removals and shrinks: the list order, lookups by
 * address, first overlaps, and the lowest-fit (with alignment and an upper
 * bound) and highest-fit searches answer exactly what a walk of the array
 * answers (the walks vmar.c and thread_stack_place did before the index),
 * and the tree stays consistent. Also the edge cases: an empty VMAR, holes
 * at either end, a full VMAR. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "thread_stack.h"
#include "vmar_children.h"

#define PAGE 4096u
#define LO ((uintptr_t)0x10000000)
#define PAGES 512u
#define HI (LO + (uintptr_t)PAGES * PAGE)

typedef struct Model {
    VmarChildren c;
    VmRegion *sorted[PAGES];
    size_t n;
} Model;

static uint64_t rng_state = 12345;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33) % n;
}

static void model_sort(Model *m)
{
    m->n = 0;
    for (VmRegion *r = m->c.head; r; r = r->next)
        m->sorted[m->n++] = r;
}

/* The walk vmar_find_spot did over the list. */
static bool walk_lowest(const Model *m, uint64_t size, uint64_t align, uintptr_t end,
                        uintptr_t *out)
{
    uintptr_t gap = LO;
    for (size_t i = 0;; i++) {
        const VmRegion *r = i < m->n ? m->sorted[i] : NULL;
        uintptr_t gap_end = r && r->base < end ? r->base : end;
        uintptr_t cand = (gap + align - 1) & ~(uintptr_t)(align - 1);
        if (cand >= gap && cand <= gap_end && gap_end - cand >= size) {
            *out = cand;
            return true;
        }
        if (!r || r->base >= end)
            return false;
        gap = r->base + r->size;
    }
}

static uintptr_t walk_highest(const Model *m, uint64_t size)
{
    uintptr_t used[PAGES][2];
    for (size_t i = 0; i < m->n; i++) {
        used[i][0] = m->sorted[i]->base;
        used[i][1] = m->sorted[i]->base + m->sorted[i]->size;
    }
    return thread_stack_place((const uintptr_t(*)[2])used, m->n, LO, HI, size);
}

static const VmRegion *walk_at(const Model *m, uintptr_t a)
{
    for (size_t i = 0; i < m->n; i++)
        if (a - m->sorted[i]->base < m->sorted[i]->size)
            return m->sorted[i];
    return NULL;
}

static const VmRegion *walk_overlap(const Model *m, uintptr_t base, uint64_t size)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->sorted[i]->base < base + size && base < m->sorted[i]->base + m->sorted[i]->size)
            return m->sorted[i];
    return NULL;
}

static void model_insert(Model *m, uintptr_t base, uint64_t size)
{
    VmRegion *r = calloc(1, sizeof *r);
    r->base = base;
    r->size = size;
    vmar_children_insert(&m->c, r);
    model_sort(m);
}

static void model_remove(Model *m, size_t i)
{
    VmRegion *r = m->sorted[i];
    vmar_children_remove(&m->c, r);
    free(r);
    model_sort(m);
}

static void model_free(Model *m)
{
    while (m->c.head)
        model_remove(m, 0);
}

/* Every query the index answers, against the walks. */
static void compare_all(const Model *m)
{
    cr_assert(vmar_children_consistent(&m->c));
    for (uint32_t q = 0; q < 8; q++) {
        uint64_t size = (uint64_t)(1 + rnd(16)) * PAGE;
        uint64_t align = (uint64_t)PAGE << rnd(4);
        uintptr_t end = q & 1 ? HI : LO + (uintptr_t)rnd(PAGES + 1) * PAGE;
        uintptr_t a = 0, b = 0;
        bool fa = vmar_children_lowest_fit(&m->c, LO, end, size, align, &a);
        bool fb = walk_lowest(m, size, align, end, &b);
        cr_assert_eq(fa, fb, "lowest fit of %lu", (unsigned long)size);
        if (fa)
            cr_assert_eq(a, b);
        uintptr_t h = 0;
        bool fh = vmar_children_highest_fit(&m->c, LO, HI, size, PAGE, &h);
        cr_assert_eq(fh ? h : 0, walk_highest(m, size), "highest fit of %lu",
                     (unsigned long)size);
        uintptr_t addr = LO - PAGE + (uintptr_t)rnd(PAGES + 2) * PAGE + rnd(PAGE);
        cr_assert_eq(vmar_children_at(&m->c, addr), walk_at(m, addr));
        cr_assert_eq(vmar_children_first_overlap(&m->c, addr, size), walk_overlap(m, addr, size));
    }
}

Test(vmar_children, matches_a_walk_under_random_churn)
{
    Model m;
    memset(&m, 0, sizeof m);
    for (int step = 0; step < 4000; step++) {
        uint32_t op = rnd(10);
        if (op < 5) {
            /* A free run of pages at a random place. */
            uint64_t size = (uint64_t)(1 + rnd(8)) * PAGE;
            uintptr_t base = LO + (uintptr_t)rnd(PAGES) * PAGE;
            if (base + size <= HI && !walk_overlap(&m, base, size))
                model_insert(&m, base, size);
        } else if (op < 8 && m.n > 0) {
            model_remove(&m, rnd((uint32_t)m.n));
        } else if (m.n > 0) {
            VmRegion *r = m.sorted[rnd((uint32_t)m.n)];
            if (r->size > PAGE)
                vmar_children_shrink(&m.c, r, r->size - PAGE);
        }
        compare_all(&m);
    }
    model_free(&m);
}

Test(vmar_children, empty_full_and_the_ends)
{
    Model m;
    memset(&m, 0, sizeof m);
    uintptr_t a = 0;
    cr_assert(vmar_children_lowest_fit(&m.c, LO, HI, PAGE, PAGE, &a));
    cr_assert_eq(a, LO);
    cr_assert(vmar_children_highest_fit(&m.c, LO, HI, 2 * PAGE, PAGE, &a));
    cr_assert_eq(a, HI - 2 * PAGE);
    cr_assert_not(vmar_children_lowest_fit(&m.c, LO, HI, HI - LO + PAGE, PAGE, &a));
    cr_assert_null(vmar_children_at(&m.c, LO));
    /* One region in the middle: the holes on both sides are found. */
    model_insert(&m, LO + PAGE, HI - LO - 3 * PAGE);
    cr_assert(vmar_children_lowest_fit(&m.c, LO, HI, PAGE, PAGE, &a));
    cr_assert_eq(a, LO);
    cr_assert(vmar_children_lowest_fit(&m.c, LO, HI, 2 * PAGE, PAGE, &a));
    cr_assert_eq(a, HI - 2 * PAGE);
    cr_assert(vmar_children_highest_fit(&m.c, LO, HI, PAGE, PAGE, &a));
    cr_assert_eq(a, HI - PAGE);
    cr_assert_not(vmar_children_highest_fit(&m.c, LO, HI, 3 * PAGE, PAGE, &a));
    /* Full. */
    model_insert(&m, LO, PAGE);
    model_insert(&m, HI - 2 * PAGE, 2 * PAGE);
    cr_assert_not(vmar_children_lowest_fit(&m.c, LO, HI, PAGE, PAGE, &a));
    cr_assert_not(vmar_children_highest_fit(&m.c, LO, HI, PAGE, PAGE, &a));
    cr_assert_eq(vmar_children_at(&m.c, HI - 1), m.sorted[2]);
    cr_assert(vmar_children_consistent(&m.c));
    model_free(&m);
    cr_assert_null(m.c.root);
}

static size_t tree_depth(const VmRegion *t)
{
    if (!t)
        return 0;
    size_t l = tree_depth(t->left), r = tree_depth(t->right);
    return 1 + (l > r ? l : r);
}

/* Descending inserts (stacks go top-down) keep the tree
 * shallow: a list-shaped tree would recurse 20,000 deep. */
Test(vmar_children, sorted_inserts_stay_shallow)
{
    enum { N = 20000 };
    VmarChildren c;
    memset(&c, 0, sizeof c);
    VmRegion *rs = calloc(N, sizeof *rs);
    for (size_t i = 0; i < N; i++) {
        rs[i].base = LO + (uintptr_t)(N - i) * 2 * PAGE;
        rs[i].size = PAGE;
        vmar_children_insert(&c, &rs[i]);
    }
    cr_assert_lt(tree_depth(c.root), 100);
    cr_assert(vmar_children_consistent(&c));
    uintptr_t a = 0;
    cr_assert(vmar_children_lowest_fit(&c, LO, LO + (uintptr_t)(N + 2) * 2 * PAGE, 2 * PAGE,
                                       PAGE, &a));
    cr_assert_eq(a, LO);
    for (size_t i = 0; i < N; i++)
        vmar_children_remove(&c, &rs[i]);
    cr_assert_null(c.root);
    free(rs);
}
