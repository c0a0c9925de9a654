/* vmar_children.c — a VMAR's children in address order, indexed so that
 * every operation on one child costs O(log n), not O(n).
 *
 * Two views of the same nodes: a doubly linked list in address order
 * (walks: info topics, graphs, unmapping a range, protect) and a treap
 * keyed by base address (lookups: which child holds an address, which is
 * the first to overlap a range, where a new child fits). A process with
 * thousands of threads has thousands of stack blocks in its root VMAR;
 * with the list alone each thread's allocate, map, lookup and unmap walked
 * all of them.
 *
 * Each tree node summarizes its subtree: the lowest base, the highest end
 * and the widest hole between two consecutive regions inside it. Holes
 * narrower than a request are skipped a whole subtree at a time, so the
 * first-fit (lowest address) and top-down (highest hole) searches return
 * exactly what a walk of the list would, visiting O(log n) nodes unless
 * alignment rejects many wide-enough holes.
 *
 * Priorities come from a per-VMAR counter mixed by splitmix64: the tree's
 * shape depends only on the order of insertions, never on addresses or
 * pointers, and nothing observable depends on the shape.
 *
 * Invariants (vmar_children_consistent, from vmar_check): an in-order walk
 * of the tree is the list; keys increase; a parent's priority is at least
 * its children's; every summary is right.
 *
 * Read next: vmar.c (what the children are).
 */
#include <stddef.h>

#include "vmar_children.h"

static uint64_t vmar_children_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t vmar_children_max(uint64_t a, uint64_t b) { return a > b ? a : b; }

static uintptr_t vmar_region_end(const VmRegion *r) { return r->base + r->size; }

/* Recompute n's summary from its children's. */
static void vmar_children_pull(VmRegion *n)
{
    uint64_t gap = 0;
    n->sub_first = n->base;
    n->sub_end = vmar_region_end(n);
    if (n->left) {
        n->sub_first = n->left->sub_first;
        gap = vmar_children_max(n->left->sub_gap, n->base - n->left->sub_end);
    }
    if (n->right) {
        n->sub_end = n->right->sub_end;
        gap = vmar_children_max(gap, n->right->sub_gap);
        gap = vmar_children_max(gap, n->right->sub_first - vmar_region_end(n));
    }
    n->sub_gap = gap;
}

/* ---- The tree --------------------------------------------------------------- */

/* Nodes of t below `key` to *lo, the rest to *hi. */
static void vmar_children_split(VmRegion *t, uintptr_t key, VmRegion **lo, VmRegion **hi)
{
    if (!t) {
        *lo = *hi = NULL;
    } else if (t->base < key) {
        vmar_children_split(t->right, key, &t->right, hi);
        vmar_children_pull(t);
        *lo = t;
    } else {
        vmar_children_split(t->left, key, lo, &t->left);
        vmar_children_pull(t);
        *hi = t;
    }
}

/* Every node of a lies below every node of b. */
static VmRegion *vmar_children_merge(VmRegion *a, VmRegion *b)
{
    if (!a || !b)
        return a ? a : b;
    if (a->prio >= b->prio) {
        a->right = vmar_children_merge(a->right, b);
        vmar_children_pull(a);
        return a;
    }
    b->left = vmar_children_merge(a, b->left);
    vmar_children_pull(b);
    return b;
}

static VmRegion *vmar_children_tree_insert(VmRegion *t, VmRegion *n)
{
    if (!t || n->prio > t->prio) {
        vmar_children_split(t, n->base, &n->left, &n->right);
        vmar_children_pull(n);
        return n;
    }
    if (n->base < t->base)
        t->left = vmar_children_tree_insert(t->left, n);
    else
        t->right = vmar_children_tree_insert(t->right, n);
    vmar_children_pull(t);
    return t;
}

static VmRegion *vmar_children_tree_remove(VmRegion *t, VmRegion *n)
{
    if (t == n)
        return vmar_children_merge(n->left, n->right);
    if (n->base < t->base)
        t->left = vmar_children_tree_remove(t->left, n);
    else
        t->right = vmar_children_tree_remove(t->right, n);
    vmar_children_pull(t);
    return t;
}

/* Recompute the summaries on the path from the root to n. */
static void vmar_children_refresh(VmRegion *t, const VmRegion *n)
{
    if (t != n)
        vmar_children_refresh(n->base < t->base ? t->left : t->right, n);
    vmar_children_pull(t);
}

/* The child with the greatest base <= addr, or NULL. */
static VmRegion *vmar_children_floor(const VmarChildren *c, uintptr_t addr)
{
    VmRegion *best = NULL;
    for (VmRegion *t = c->root; t;) {
        if (t->base <= addr) {
            best = t;
            t = t->right;
        } else {
            t = t->left;
        }
    }
    return best;
}

/* ---- Linking ------------------------------------------------------------------ */

void vmar_children_insert(VmarChildren *c, VmRegion *r)
{
    VmRegion *after = r->base > 0 ? vmar_children_floor(c, r->base - 1) : NULL;
    r->prev = after;
    r->next = after ? after->next : c->head;
    if (r->next)
        r->next->prev = r;
    else
        c->tail = r;
    if (after)
        after->next = r;
    else
        c->head = r;
    r->left = r->right = NULL;
    r->prio = vmar_children_mix(++c->inserted);
    c->root = vmar_children_tree_insert(c->root, r);
}

void vmar_children_remove(VmarChildren *c, VmRegion *r)
{
    c->root = vmar_children_tree_remove(c->root, r);
    if (r->prev)
        r->prev->next = r->next;
    else
        c->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    else
        c->tail = r->prev;
    r->prev = r->next = r->left = r->right = NULL;
}

void vmar_children_shrink(VmarChildren *c, VmRegion *r, uint64_t size)
{
    r->size = size;
    vmar_children_refresh(c->root, r);
}

/* ---- Lookups ------------------------------------------------------------------ */

VmRegion *vmar_children_at(const VmarChildren *c, uintptr_t addr)
{
    VmRegion *r = vmar_children_floor(c, addr);
    return r && addr - r->base < r->size ? r : NULL;
}

VmRegion *vmar_children_first_overlap(const VmarChildren *c, uintptr_t base, uint64_t size)
{
    VmRegion *r = vmar_children_floor(c, base);
    if (!r || vmar_region_end(r) <= base)
        r = r ? r->next : c->head;
    return r && r->base < base + size ? r : NULL;
}

/* ---- Finding room ------------------------------------------------------------- */

typedef struct VmarFit {
    uint64_t size, align, page;
    uintptr_t lo, end;            /* lowest_fit: bounds */
    uintptr_t at;                 /* out */
} VmarFit;

/* Does the hole [gap, gap_end) hold the request below q->end? */
static bool vmar_children_hole_fits(VmarFit *q, uintptr_t gap, uintptr_t gap_end)
{
    if (gap_end > q->end)
        gap_end = q->end;
    uintptr_t cand = (gap + q->align - 1) & ~(uintptr_t)(q->align - 1);
    if (cand >= gap && cand <= gap_end && gap_end - cand >= q->size) {
        q->at = cand;
        return true;
    }
    return false;
}

/* The lowest fit among the holes before each node of t, the first of
 * them starting at `floor` (the end of the node before t's nodes). */
static bool vmar_children_lowest(const VmRegion *t, uintptr_t floor, VmarFit *q)
{
    if (!t || floor >= q->end)
        return false;
    if (t->sub_first - floor < q->size && t->sub_gap < q->size)
        return false; /* no hole here is wide enough */
    if (vmar_children_lowest(t->left, floor, q))
        return true;
    if (vmar_children_hole_fits(q, t->left ? t->left->sub_end : floor, t->base))
        return true;
    return vmar_children_lowest(t->right, vmar_region_end(t), q);
}

bool vmar_children_lowest_fit(const VmarChildren *c, uintptr_t lo, uintptr_t end,
                              uint64_t size, uint64_t align, uintptr_t *out)
{
    VmarFit q = {.size = size, .align = align, .lo = lo, .end = end};
    if (vmar_children_lowest(c->root, lo, &q) ||
        vmar_children_hole_fits(&q, c->root ? c->root->sub_end : lo, end)) {
        *out = q.at;
        return true;
    }
    return false;
}

/* The highest hole after a node of t holding the request, the last of
 * them ending at `ceil` (the base of the node after t's nodes). */
static bool vmar_children_highest(const VmRegion *t, uintptr_t ceil, VmarFit *q)
{
    if (!t)
        return false;
    if (ceil - t->sub_end < q->size && t->sub_gap < q->size)
        return false;
    if (vmar_children_highest(t->right, ceil, q))
        return true;
    uintptr_t top = t->right ? t->right->sub_first : ceil;
    if (top - vmar_region_end(t) >= q->size) {
        q->at = (top - q->size) & ~(uintptr_t)(q->page - 1);
        return true;
    }
    return vmar_children_highest(t->left, t->base, q);
}

bool vmar_children_highest_fit(const VmarChildren *c, uintptr_t lo, uintptr_t hi,
                               uint64_t size, uint64_t page, uintptr_t *out)
{
    VmarFit q = {.size = size, .page = page};
    if (vmar_children_highest(c->root, hi, &q)) {
        *out = q.at;
        return true;
    }
    uintptr_t top = c->root ? c->root->sub_first : hi;
    if (top > lo && top - lo >= size) {
        *out = (top - size) & ~(uintptr_t)(page - 1);
        return true;
    }
    return false;
}

/* ---- Invariants ------------------------------------------------------------- */

/* In-order walk of t against the list from *cursor. */
static bool vmar_children_walk(const VmRegion *t, const VmRegion **cursor)
{
    if (!t)
        return true;
    if (!vmar_children_walk(t->left, cursor) || *cursor != t)
        return false;
    *cursor = t->next;
    if (!vmar_children_walk(t->right, cursor))
        return false;
    if ((t->left && (t->left->prio > t->prio || t->left->sub_end > t->base)) ||
        (t->right && (t->right->prio > t->prio || t->right->sub_first < vmar_region_end(t))))
        return false;
    VmRegion copy = *t;
    vmar_children_pull(&copy);
    return copy.sub_first == t->sub_first && copy.sub_end == t->sub_end &&
           copy.sub_gap == t->sub_gap;
}

bool vmar_children_consistent(const VmarChildren *c)
{
    const VmRegion *cursor = c->head;
    return vmar_children_walk(c->root, &cursor) && cursor == NULL &&
           (c->head == NULL) == (c->root == NULL);
}
