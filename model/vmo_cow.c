/* vmo_cow.c — pages a snapshot child shares with the VMO it was made of,
 * copied on first write.
 *
 * Models: ZX_VMO_CHILD_SNAPSHOT (and SNAPSHOT_AT_LEAST_ON_WRITE, which
 * Zircon lets behave as a snapshot). A new snapshot costs a bitmap, not a
 * copy: it reads its parent's pages until one side writes. A page is
 * copied when it is about to differ: when the child writes it (the child
 * takes a copy first), and when the VMO it reads through writes it (each
 * VMO still reading the page through it takes a copy of the old contents
 * first). So each side sees only its own writes, as on Zircon, and
 * committed_bytes counts what each VMO holds: a fresh snapshot 0, a page
 * written on either side one page in the child. A page that reads zero
 * is "copied" by marking it owned, committing nothing.
 *
 * State (VmoCow in vmo_internal.h): a VMO whose `src` is set owns the
 * pages its bitmap marks; any other page i below `limit` reads as page
 * offset+i of src (which may read it through its own src), and past
 * `limit` as zero. Each src lists the VMOs reading through it (deps),
 * oldest first. Only owners take part (a snapshot of a slice reads the
 * slice's owner), and the kernel sees every write of such a page, since
 * all go through vmo_write, op_range, set_size or the property: writes
 * through a mapping do not, so a VMO whose pages are mapped (host_maps)
 * shares nothing — mapping it first copies what it reads through its src
 * and gives its deps their copies (vmo_cow_detach), and a snapshot of a
 * mapped VMO is copied at once (vmo.c). When a VMO dies, its deps take
 * the pages it owned and read the rest through its src; when it shrinks,
 * they take the pages it loses.
 *
 * Invariants (vmo_cow_check): src is an owner, unmapped, and lists us;
 * offset + limit lies inside src; limit <= our size; a page we do not
 * own was never written in our store (so committed bytes are ours alone);
 * a mapped VMO has no src and no deps.
 *
 * Left out: Zircon's hidden parent nodes. When a VMO dies, each of its
 * deps takes its own copy of the pages it still reads there, where Zircon
 * keeps one page shared by all of them; attribution then differs from
 * Zircon's in cases its tests call implementation-dependent.
 *
 * Read next: vmo.c (where each operation asks for this), vmo_store.c.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "vmo_cow.h"

#define PAGE VMO_PAGE_SIZE

static size_t vmo_cow_words(uint64_t size)
{
    return (size_t)((size / PAGE + 63) / 64);
}

static bool vmo_cow_bit(const KVmo *v, uint64_t off)
{
    uint64_t p = off / PAGE;
    return (v->cow.owned[p / 64] >> (p % 64)) & 1;
}

static void vmo_cow_set(KVmo *v, uint64_t off)
{
    uint64_t p = off / PAGE;
    v->cow.owned[p / 64] |= (uint64_t)1 << (p % 64);
}

static bool vmo_cow_owns(const KVmo *v, uint64_t off)
{
    return !v->cow.src || vmo_cow_bit(v, off);
}

/* The first page in [off, end) v does not own; end if none. */
static uint64_t vmo_cow_next_unowned(const KVmo *v, uint64_t off, uint64_t end)
{
    while (off < end) {
        uint64_t p = off / PAGE;
        uint64_t free_bits = ~v->cow.owned[p / 64] >> (p % 64);
        if (free_bits) {
            off += (uint64_t)__builtin_ctzll(free_bits) * PAGE;
            break;
        }
        off = (p / 64 + 1) * 64 * PAGE;
    }
    return off < end ? off : end;
}

/* ---- The list of deps ------------------------------------------------------ */

static void vmo_cow_link(KVmo *src, KVmo *d)
{
    d->cow.src = src;
    d->cow.dep_next = NULL;
    d->cow.dep_prev = src->cow.dep_tail;
    if (src->cow.dep_tail)
        src->cow.dep_tail->cow.dep_next = d;
    else
        src->cow.dep_head = d;
    src->cow.dep_tail = d;
}

static void vmo_cow_unlink(KVmo *d)
{
    KVmo *src = d->cow.src;
    if (d->cow.dep_prev)
        d->cow.dep_prev->cow.dep_next = d->cow.dep_next;
    else
        src->cow.dep_head = d->cow.dep_next;
    if (d->cow.dep_next)
        d->cow.dep_next->cow.dep_prev = d->cow.dep_prev;
    else
        src->cow.dep_tail = d->cow.dep_prev;
    d->cow.dep_prev = d->cow.dep_next = NULL;
    d->cow.src = NULL;
}

/* d reads nothing through anything any more: every page is its own. */
static void vmo_cow_drop_src(KVmo *d)
{
    vmo_cow_unlink(d);
    free(d->cow.owned);
    d->cow.owned = NULL;
    d->cow.offset = d->cow.limit = 0;
}

zx_status_t vmo_cow_attach(KVmo *child, KVmo *src, uint64_t offset, uint64_t limit)
{
    child->cow.owned = calloc(vmo_cow_words(child->size) + 1, sizeof *child->cow.owned);
    if (!child->cow.owned)
        return ZX_ERR_NO_MEMORY;
    child->cow.offset = offset;
    child->cow.limit = limit;
    vmo_cow_link(src, child);
    return ZX_OK;
}

/* ---- Reading and copying pages -------------------------------------------- */

/* The owner whose store holds what v reads at *off, with *off moved
 * there; NULL if the page reads zero for want of any. */
static KVmo *vmo_cow_holder(KVmo *v, uint64_t *off)
{
    uint64_t o = *off;
    while (!vmo_cow_owns(v, o)) {
        if (o >= v->cow.limit)
            return NULL;
        o += v->cow.offset;
        v = v->cow.src;
    }
    *off = o;
    return v;
}

static const uint8_t *vmo_cow_source(KVmo *v, uint64_t off, VmoResidency *r)
{
    KVmo *h = vmo_cow_holder(v, &off);
    if (!h)
        return NULL;
    bool committed = r ? vmo_residency_test(r, &h->store, h->size, off)
                       : vmo_store_resident(&h->store, off);
    return committed ? h->store.data + off : NULL;
}

const uint8_t *vmo_cow_page(KVmo *v, uint64_t off)
{
    return vmo_cow_source(v, off, NULL);
}

/* v takes its own copy of the page it reads at `off` through its src. */
static void vmo_cow_fork(KVmo *v, uint64_t off, VmoResidency *r)
{
    const uint8_t *from = vmo_cow_source(v, off, r);
    if (from) {
        uint8_t *to = vmo_store_view(&v->store, v->size);
        if (!to)
            kernel_panic(__FILE__, __LINE__, "host out of address space for a VMO copy");
        memcpy(to + off, from, PAGE);
        vmo_residency_forget(r, &v->store);
    }
    vmo_cow_set(v, off);
}

/* v takes copies of every page of [lo, hi) it does not own. */
static void vmo_cow_fork_range(KVmo *v, uint64_t lo, uint64_t hi, VmoResidency *r)
{
    for (uint64_t off = vmo_cow_next_unowned(v, lo, hi); off < hi;
         off = vmo_cow_next_unowned(v, off + PAGE, hi))
        vmo_cow_fork(v, off, r);
}

/* [start, end) of v, page-aligned, inside v. */
static void vmo_cow_pages(const KVmo *v, uint64_t off, uint64_t len, uint64_t *start,
                          uint64_t *end)
{
    *start = off & ~(PAGE - 1);
    *end = vmo_round_up(off + len);
    if (*end > v->size)
        *end = v->size;
}

void vmo_cow_shield(KVmo *v, uint64_t off, uint64_t len)
{
    if (len == 0 || !v->cow.dep_head)
        return;
    uint64_t start, end;
    vmo_cow_pages(v, off, len, &start, &end);
    VmoResidency r;
    vmo_residency_init(&r);
    for (KVmo *d = v->cow.dep_head; d; d = d->cow.dep_next) {
        /* d's pages [lo, hi) read our [start, end) */
        uint64_t lo = start > d->cow.offset ? start - d->cow.offset : 0;
        uint64_t hi = end > d->cow.offset ? end - d->cow.offset : 0;
        if (hi > d->cow.limit)
            hi = d->cow.limit;
        vmo_cow_fork_range(d, lo, hi, &r);
    }
}

void vmo_cow_own(KVmo *v, uint64_t off, uint64_t len)
{
    if (len == 0 || !v->cow.src)
        return;
    uint64_t start, end;
    vmo_cow_pages(v, off, len, &start, &end);
    VmoResidency r;
    vmo_residency_init(&r);
    vmo_cow_fork_range(v, start, end, &r);
}

void vmo_cow_own_zero(KVmo *v, uint64_t off, uint64_t len)
{
    if (!v->cow.src)
        return;
    for (uint64_t at = off; at < off + len; at += PAGE)
        vmo_cow_set(v, at);
}

/* ---- Size changes ----------------------------------------------------------- */

void vmo_cow_shrink(KVmo *v, uint64_t size)
{
    vmo_cow_shield(v, size, v->size - size);
    for (KVmo *d = v->cow.dep_head, *next; d; d = next) {
        next = d->cow.dep_next;
        uint64_t room = size > d->cow.offset ? size - d->cow.offset : 0;
        if (d->cow.limit > room)
            d->cow.limit = room;
        if (d->cow.limit == 0)
            vmo_cow_drop_src(d); /* reads nothing through us any more */
    }
    if (!v->cow.src)
        return;
    if (v->cow.limit > size)
        v->cow.limit = size;
    if (v->cow.limit == 0) {
        vmo_cow_drop_src(v);
        return;
    }
    /* Pages that grow back are new: unowned past the limit, they read zero. */
    uint64_t p = size / PAGE;
    size_t words = vmo_cow_words(v->size);
    if (p % 64 && p / 64 < words)
        v->cow.owned[p / 64] &= ((uint64_t)1 << (p % 64)) - 1;
    for (size_t w = (size_t)((p + 63) / 64); w < words; w++)
        v->cow.owned[w] = 0;
}

zx_status_t vmo_cow_grow(KVmo *v, uint64_t size)
{
    if (!v->cow.src)
        return ZX_OK;
    size_t old = vmo_cow_words(v->size) + 1, words = vmo_cow_words(size) + 1;
    if (words <= old)
        return ZX_OK;
    uint64_t *grown = realloc(v->cow.owned, words * sizeof *grown);
    if (!grown)
        return ZX_ERR_NO_MEMORY;
    memset(grown + old, 0, (words - old) * sizeof *grown);
    v->cow.owned = grown;
    return ZX_OK;
}

/* ---- Mapping and dying ---------------------------------------------------------- */

void vmo_cow_detach(KVmo *v)
{
    VmoResidency r;
    if (v->cow.src) {
        vmo_residency_init(&r);
        vmo_cow_fork_range(v, 0, v->size, &r);
        vmo_cow_drop_src(v);
    }
    while (v->cow.dep_head) {
        KVmo *d = v->cow.dep_head;
        vmo_residency_init(&r);
        vmo_cow_fork_range(d, 0, d->cow.limit, &r);
        vmo_cow_drop_src(d);
    }
}

void vmo_cow_release(KVmo *v)
{
    while (v->cow.dep_head) {
        KVmo *d = v->cow.dep_head;
        uint64_t offset = d->cow.offset, limit = d->cow.limit;
        VmoResidency r;
        vmo_residency_init(&r);
        for (uint64_t off = vmo_cow_next_unowned(d, 0, limit); off < limit;
             off = vmo_cow_next_unowned(d, off + PAGE, limit))
            if (vmo_cow_owns(v, offset + off))
                vmo_cow_fork(d, off, &r);
        /* The rest reads through our src, as it did through us. */
        uint64_t room = v->cow.limit > offset ? v->cow.limit - offset : 0;
        if (!v->cow.src || room == 0) {
            vmo_cow_drop_src(d);
            continue;
        }
        vmo_cow_unlink(d);
        d->cow.offset = offset + v->cow.offset;
        d->cow.limit = limit < room ? limit : room;
        vmo_cow_link(v->cow.src, d);
    }
    if (v->cow.src)
        vmo_cow_drop_src(v);
}

/* ---- Invariants ---------------------------------------------------------------- */

void vmo_cow_check(const KVmo *v)
{
    const VmoCow *c = &v->cow;
    if (c->src) {
        KCHECK(v->base.kernel, v->kind == VMO_KIND_SNAPSHOT && c->owned != NULL && c->limit > 0);
        KCHECK(v->base.kernel, c->src->kind != VMO_KIND_SLICE && c->src->host_maps == 0);
        KCHECK(v->base.kernel, c->limit <= v->size && c->limit <= c->src->size &&
                      c->offset <= c->src->size - c->limit);
        KCHECK(v->base.kernel, c->dep_prev ? c->dep_prev->cow.dep_next == v : c->src->cow.dep_head == v);
        KCHECK(v->base.kernel, c->dep_next ? c->dep_next->cow.dep_prev == v : c->src->cow.dep_tail == v);
    } else {
        KCHECK(v->base.kernel, c->owned == NULL && c->dep_prev == NULL && c->dep_next == NULL);
    }
    for (const KVmo *d = c->dep_head; d; d = d->cow.dep_next)
        KCHECK(v->base.kernel, d->cow.src == v);
    KCHECK(v->base.kernel, (c->dep_head == NULL) == (c->dep_tail == NULL));
    if (v->host_maps)
        KCHECK(v->base.kernel, c->src == NULL && c->dep_head == NULL);
}
