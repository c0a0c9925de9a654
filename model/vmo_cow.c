/* vmo_cow.c — pages a snapshot child shares with the VMO it was made of,
 * copied on first write, and kept in hidden nodes when that VMO dies.
 *
 * Models: ZX_VMO_CHILD_SNAPSHOT (and SNAPSHOT_AT_LEAST_ON_WRITE, which
 * Zircon lets behave as a snapshot) as Zircon's copy-on-write clone tree
 * does, in the observable facts: contents, which pages are copied when,
 * and which VMO committed_bytes blames a shared page on. A new snapshot
 * costs a bitmap, not a copy: it reads its parent's pages until one side
 * writes. Each side sees only its own writes.
 *
 * State (VmoCow in vmo_internal.h): a VMO whose `src` is set owns the
 * pages its bitmap marks; any other page i below `limit` reads as page
 * offset+i of src (which may read it through its own src), and past
 * `limit` as zero. Each src lists the VMOs reading through it (deps),
 * oldest first: the order of Zircon's hidden nodes, the oldest snapshot
 * hanging highest. Only owners take part (a snapshot of a slice reads the
 * slice's owner).
 *
 * Copying (vmo_cow_fork), as Zircon forks a page down its tree: a VMO
 * about to write a page it reads through its src first makes its src own
 * the page (recursively), then every older dep of that src still reading
 * the page takes a copy of it (in Zircon they sit on the other side of
 * the hidden nodes the page is forked through), then the VMO takes its
 * own. A src writing a page gives every dep reading it a copy first
 * (vmo_cow_shield). A page no one else reads in a hidden node moves
 * instead of being copied.
 *
 * Dying (vmo_cow_release): a dead VMO that no one reads through goes; one
 * read through by a single dep merges into it (the dep takes the pages it
 * still read there and the dead VMO's place in its src's list); one read
 * through by two or more becomes a hidden node: its pages stay, shared,
 * and every page no dep reads any more is freed. Whenever a hidden node's
 * deps change it is settled the same way (vmo_cow_settle), so host memory
 * holds each page once however many VMOs read it, and no more than they
 * read. A VMO shrinking under two deps or more that read what it loses
 * moves its pages into a hidden node over them and reads them back from
 * there as its newest dep (its `heir`), as a Zircon VMO is a leaf under
 * its hidden parents: the lost pages stay there once (vmo_cow_split).
 * Blame, as Zircon's attribution ids give it: a hidden node's page goes
 * to its heir if the heir reads it, else to the newest dep reading it;
 * with no heir (after a close: Zircon's reattribution) to the oldest;
 * descending through hidden deps.
 *
 * The kernel sees every write of a shared page, since all go through
 * vmo_write, op_range, set_size or the property: writes through a mapping
 * do not, so a VMO whose pages are mapped (host_maps) shares nothing —
 * mapping it first copies what it reads through its src and gives its deps
 * their copies (vmo_cow_detach), and a snapshot of a mapped VMO is copied
 * at once (vmo.c).
 *
 * Invariants (vmo_cow_check): src is an owner, unmapped, and lists us;
 * offset + limit lies inside src; limit <= our size; a page we do not
 * own was never written in our store (so committed bytes are ours alone);
 * a mapped VMO has no src and no deps; a hidden src has two deps or more
 * and its heir, if any, is one of them.
 *
 * Left out: Zircon's split bits and parent_start_limit (the bitmaps and
 * dep ranges say the same); hidden nodes' own koids (they have none, as
 * in Zircon they are never seen); sharing with a mapped VMO. Zircon
 * removes write access from the parent's mappings at a snapshot and forks
 * a page at the first write fault; doing so here would take a register of
 * every host mapping of an owner's pages, per-page write protection kept
 * through vmar_protect and strict memory's reopening, and a write-fault
 * path in sim/fault.c (safe copies included) that forks and lets the
 * instruction run again. Until then such a snapshot is a copy.
 *
 * Read next: vmo.c (where each operation asks for this), vmo_store.c.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "vmo_cow.h"

#define PAGE VMO_PAGE_SIZE

static void vmo_cow_settle(KVmo *h);

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
    if (src->cow.heir == d)
        src->cow.heir = NULL;
}

/* d takes old's place in old's src's list (old leaves it). */
static void vmo_cow_replace(KVmo *old, KVmo *d)
{
    KVmo *src = old->cow.src;
    d->cow.src = src;
    d->cow.dep_prev = old->cow.dep_prev;
    d->cow.dep_next = old->cow.dep_next;
    if (d->cow.dep_prev)
        d->cow.dep_prev->cow.dep_next = d;
    else
        src->cow.dep_head = d;
    if (d->cow.dep_next)
        d->cow.dep_next->cow.dep_prev = d;
    else
        src->cow.dep_tail = d;
    old->cow.src = old->cow.dep_prev = old->cow.dep_next = NULL;
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

/* Does dep d read page `so` of its src through it? */
static bool vmo_cow_reads(const KVmo *d, uint64_t so)
{
    return so >= d->cow.offset && so - d->cow.offset < d->cow.limit &&
           !vmo_cow_bit(d, so - d->cow.offset);
}

/* Does a dep of s other than `but` read page `so` of s? */
static bool vmo_cow_read_by_other(const KVmo *s, uint64_t so, const KVmo *but)
{
    for (const KVmo *d = s->cow.dep_head; d; d = d->cow.dep_next)
        if (d != but && vmo_cow_reads(d, so))
            return true;
    return false;
}

/* d takes its own copy of page `off`, which its src owns (a page the src
 * never committed reads zero: d owns it, committing nothing). */
static void vmo_cow_take(KVmo *d, uint64_t off, VmoResidency *r)
{
    KVmo *s = d->cow.src;
    uint64_t so = off + d->cow.offset;
    if (vmo_residency_test(r, &s->store, s->size, so)) {
        uint8_t *to = vmo_store_view(&d->store, d->size);
        if (!to)
            kernel_panic(__FILE__, __LINE__, "host out of address space for a VMO copy");
        memcpy(to + off, s->store.data + so, PAGE);
        vmo_residency_forget(r, &d->store);
    }
    vmo_cow_set(d, off);
}

/* One step of a fork: v's src owns the page v reads at `off` (or v reads
 * zero there). The src's older deps still reading it take copies, then v
 * takes its own; a hidden src left with no reader of the page frees it. */
static void vmo_cow_fork_step(KVmo *v, uint64_t off, VmoResidency *r)
{
    if (off >= v->cow.limit) {
        vmo_cow_set(v, off);
        return;
    }
    KVmo *s = v->cow.src;
    uint64_t so = off + v->cow.offset;
    bool committed = vmo_residency_test(r, &s->store, s->size, so);
    if (committed)
        for (KVmo *d = s->cow.dep_head; d != v; d = d->cow.dep_next)
            if (vmo_cow_reads(d, so))
                vmo_cow_take(d, so - d->cow.offset, r);
    vmo_cow_take(v, off, r);
    if (committed && s->cow.hidden && !vmo_cow_read_by_other(s, so, v)) {
        vmo_store_release(&s->store, so, PAGE); /* moved, not copied */
        vmo_residency_forget(r, &s->store);
    }
}

/* v takes its own copy of the page it reads at `off` through its src:
 * each VMO between v and the page's holder takes it first, top down. */
static void vmo_cow_fork(KVmo *v, uint64_t off, VmoResidency *r)
{
    for (;;) {
        KVmo *u = v;
        uint64_t uo = off;
        while (uo < u->cow.limit && !vmo_cow_owns(u->cow.src, uo + u->cow.offset)) {
            uo += u->cow.offset;
            u = u->cow.src;
        }
        vmo_cow_fork_step(u, uo, r);
        if (u == v)
            return;
    }
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
    vmo_cow_settle(v->cow.src); /* a hidden src may hold pages no one reads now */
}

/* ---- Hidden nodes ------------------------------------------------------------ */

static void vmo_cow_free_hidden(KVmo *h)
{
    vmo_store_free(&h->store, h->size);
    free(h->cow.owned);
    free(h);
}

/* Pages [lo, hi) of hidden h are read by no dep: free what h holds there
 * and stop reading the rest through h's src. */
static void vmo_cow_forget_pages(KVmo *h, uint64_t lo, uint64_t hi)
{
    if (lo >= hi)
        return;
    vmo_store_release(&h->store, lo, hi - lo);
    if (h->cow.src)
        for (uint64_t o = lo; o < hi; o += PAGE)
            vmo_cow_set(h, o);
}

/* Free every page of hidden h that none of its deps reads. */
static void vmo_cow_trim(KVmo *h)
{
    uint64_t lo = h->size, hi = 0;
    for (const KVmo *d = h->cow.dep_head; d; d = d->cow.dep_next) {
        if (d->cow.offset < lo)
            lo = d->cow.offset;
        if (d->cow.offset + d->cow.limit > hi)
            hi = d->cow.offset + d->cow.limit;
    }
    if (lo > hi)
        lo = hi;
    vmo_cow_forget_pages(h, 0, lo);
    vmo_cow_forget_pages(h, hi, h->size);
    uint64_t run = lo;
    for (uint64_t o = lo; o < hi; o += PAGE) {
        bool read = false;
        for (const KVmo *d = h->cow.dep_head; d && !read; d = d->cow.dep_next)
            read = vmo_cow_reads(d, o);
        if (read) {
            vmo_cow_forget_pages(h, run, o);
            run = o + PAGE;
        }
    }
    vmo_cow_forget_pages(h, run, hi);
}

/* v (dead, or hidden) is read through by d alone: d takes the pages it
 * still reads there and v's place in v's src's list, reading the rest
 * through v's src as it did through v. v is then out of the tree. */
static void vmo_cow_merge(KVmo *v, KVmo *d)
{
    uint64_t offset = d->cow.offset, limit = d->cow.limit;
    VmoResidency r;
    vmo_residency_init(&r);
    for (uint64_t off = vmo_cow_next_unowned(d, 0, limit); off < limit;
         off = vmo_cow_next_unowned(d, off + PAGE, limit))
        if (vmo_cow_owns(v, offset + off))
            vmo_cow_take(d, off, &r);
    uint64_t room = v->cow.limit > offset ? v->cow.limit - offset : 0;
    if (!v->cow.src || room == 0) {
        vmo_cow_drop_src(d);
        if (v->cow.src)
            vmo_cow_unlink(v);
        return;
    }
    vmo_cow_unlink(d);
    vmo_cow_replace(v, d);
    d->cow.offset = offset + v->cow.offset;
    d->cow.limit = limit < room ? limit : room;
}

/* Hidden h's deps changed: with none it goes, with one it merges into it,
 * with more it frees what none of them reads; and so on up, since what
 * h reads through its src may have shrunk. */
static void vmo_cow_settle(KVmo *h)
{
    while (h && h->cow.hidden) {
        KVmo *up = h->cow.src;
        if (!h->cow.dep_head) {
            if (up)
                vmo_cow_unlink(h);
            vmo_cow_free_hidden(h);
        } else if (h->cow.dep_head == h->cow.dep_tail) {
            vmo_cow_merge(h, h->cow.dep_head);
            vmo_cow_free_hidden(h);
        } else {
            vmo_cow_trim(h);
        }
        h = up;
    }
}

/* A hidden node taking v's pages, bitmap, deps and place in the tree (v is
 * left with none of them); NULL if the host has no memory for it. */
static KVmo *vmo_cow_hidden_from(KVmo *v)
{
    KVmo *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.kernel = v->base.kernel;
    h->kind = v->kind;
    h->size = v->size;
    h->store = v->store;
    vmo_store_init(&v->store);
    h->cow = v->cow;
    h->cow.hidden = true;
    memset(&v->cow, 0, sizeof v->cow);
    for (KVmo *d = h->cow.dep_head; d; d = d->cow.dep_next)
        d->cow.src = h;
    if (h->cow.src) {
        if (h->cow.dep_prev)
            h->cow.dep_prev->cow.dep_next = h;
        else
            h->cow.src->cow.dep_head = h;
        if (h->cow.dep_next)
            h->cow.dep_next->cow.dep_prev = h;
        else
            h->cow.src->cow.dep_tail = h;
    }
    return h;
}

/* Dead v, read through by two deps or more, becomes a hidden node: a
 * KVmo that no handle or list of the kernel's reaches, holding v's pages
 * and v's place in the tree. */
static void vmo_cow_hide(KVmo *v)
{
    KVmo *h = vmo_cow_hidden_from(v);
    if (!h)
        kernel_panic(__FILE__, __LINE__, "host out of memory for a hidden VMO node");
    vmo_cow_settle(h); /* trims h, and what h no longer reads above it */
}

/* Live v, about to shrink under deps that read what it loses, moves its
 * pages into a hidden node over them and becomes the node's newest dep,
 * reading it all back (Zircon's VMO is a leaf under its hidden parents,
 * and a shrink changes only the leaf): the pages it loses stay there once
 * for the deps. False if the host has no memory for it (the caller
 * copies instead). */
static bool vmo_cow_split(KVmo *v)
{
    VmoStore fresh;
    vmo_store_init(&fresh);
    uint64_t *owned = calloc(vmo_cow_words(v->size) + 1, sizeof *owned);
    if (!owned || !vmo_store_view(&fresh, v->size)) {
        free(owned);
        vmo_store_free(&fresh, v->size);
        return false;
    }
    KVmo *h = vmo_cow_hidden_from(v);
    if (!h) {
        free(owned);
        vmo_store_free(&fresh, v->size);
        return false;
    }
    v->store = fresh;
    v->cow.owned = owned;
    v->cow.limit = v->size;
    vmo_cow_link(h, v);
    h->cow.heir = v;
    return true;
}

/* Do two deps or more read pages of v at or past `size`? */
static bool vmo_cow_loss_shared(const KVmo *v, uint64_t size)
{
    unsigned n = 0;
    for (const KVmo *d = v->cow.dep_head; d && n < 2; d = d->cow.dep_next)
        n += d->cow.offset + d->cow.limit > size;
    return n >= 2;
}

/* ---- Size changes ----------------------------------------------------------- */

void vmo_cow_shrink(KVmo *v, uint64_t size)
{
    if (!vmo_cow_loss_shared(v, size) || !vmo_cow_split(v))
        vmo_cow_shield(v, size, v->size - size); /* a copy for the one reader */
    for (KVmo *d = v->cow.dep_head, *next; d; d = next) {
        next = d->cow.dep_next;
        uint64_t room = size > d->cow.offset ? size - d->cow.offset : 0;
        if (d->cow.limit > room)
            d->cow.limit = room;
        if (d->cow.limit == 0)
            vmo_cow_drop_src(d); /* reads nothing through us any more */
    }
    KVmo *src = v->cow.src;
    if (!src)
        return;
    if (v->cow.limit > size)
        v->cow.limit = size;
    if (v->cow.limit == 0) {
        vmo_cow_drop_src(v);
        vmo_cow_settle(src);
        return;
    }
    /* Pages that grow back are new: unowned past the limit, they read zero. */
    uint64_t p = size / PAGE;
    size_t words = vmo_cow_words(v->size);
    if (p % 64 && p / 64 < words)
        v->cow.owned[p / 64] &= ((uint64_t)1 << (p % 64)) - 1;
    for (size_t w = (size_t)((p + 63) / 64); w < words; w++)
        v->cow.owned[w] = 0;
    vmo_cow_settle(src);
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
    KVmo *src = v->cow.src;
    if (src) {
        vmo_residency_init(&r);
        vmo_cow_fork_range(v, 0, v->size, &r);
        vmo_cow_drop_src(v);
        vmo_cow_settle(src);
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
    KVmo *src = v->cow.src;
    if (v->cow.dep_head && v->cow.dep_head != v->cow.dep_tail) {
        vmo_cow_hide(v);
        return;
    }
    if (v->cow.dep_head)
        vmo_cow_merge(v, v->cow.dep_head);
    else if (src)
        vmo_cow_unlink(v);
    free(v->cow.owned);
    memset(&v->cow, 0, sizeof v->cow);
    vmo_cow_settle(src);
}

/* ---- Attribution ------------------------------------------------------------------ */

/* The live VMO a hidden node's page `o` is blamed on: the oldest dep
 * reading it, descending through hidden deps. */
static const KVmo *vmo_cow_blamed(const KVmo *h, uint64_t o)
{
    while (h && h->cow.hidden) {
        const KVmo *d = h->cow.heir;
        if (!d || vmo_cow_reads(d, o))
            for (d = d ? d : h->cow.dep_head; d && !vmo_cow_reads(d, o);)
                d = d->cow.dep_next;
        else /* Zircon walks the heir's side down to the newest reader */
            for (d = h->cow.dep_tail; d && !vmo_cow_reads(d, o);)
                d = d->cow.dep_prev;
        if (d)
            o -= d->cow.offset;
        h = d;
    }
    return h;
}

static bool vmo_cow_reads_hidden(const KVmo *v)
{
    for (const KVmo *s = v->cow.src; s; s = s->cow.src)
        if (s->cow.hidden)
            return true;
    return false;
}

uint64_t vmo_cow_committed_bytes(KVmo *v)
{
    uint64_t n = vmo_store_resident_bytes(&v->store, v->size);
    if (!vmo_cow_reads_hidden(v))
        return n;
    VmoResidency r;
    vmo_residency_init(&r);
    uint64_t limit = v->cow.limit;
    for (uint64_t off = vmo_cow_next_unowned(v, 0, limit); off < limit;
         off = vmo_cow_next_unowned(v, off + PAGE, limit)) {
        uint64_t o = off;
        KVmo *h = vmo_cow_holder(v, &o);
        if (h && h->cow.hidden && vmo_residency_test(&r, &h->store, h->size, o) &&
            vmo_cow_blamed(h, o) == v)
            n += PAGE;
    }
    return n;
}

/* ---- Invariants ---------------------------------------------------------------- */

static void vmo_cow_check_node(const KVmo *v)
{
    const VmoCow *c = &v->cow;
    Kernel *k = v->base.kernel; /* named for KCHECK, which does not use it */
    (void)k;
    if (c->src) {
        KCHECK(k, c->owned != NULL && c->limit > 0);
        KCHECK(k, c->src->kind != VMO_KIND_SLICE && c->src->host_maps == 0);
        KCHECK(k, c->limit <= v->size && c->limit <= c->src->size &&
                      c->offset <= c->src->size - c->limit);
        KCHECK(k, c->dep_prev ? c->dep_prev->cow.dep_next == v : c->src->cow.dep_head == v);
        KCHECK(k, c->dep_next ? c->dep_next->cow.dep_prev == v : c->src->cow.dep_tail == v);
    } else {
        KCHECK(k, c->owned == NULL && c->dep_prev == NULL && c->dep_next == NULL);
    }
    for (const KVmo *d = c->dep_head; d; d = d->cow.dep_next)
        KCHECK(k, d->cow.src == v);
    KCHECK(k, (c->dep_head == NULL) == (c->dep_tail == NULL));
    if (c->hidden)
        KCHECK(k, c->dep_head != NULL && c->dep_head != c->dep_tail && v->host_maps == 0 &&
                      (!c->heir || c->heir->cow.src == v));
    else
        KCHECK(k, c->heir == NULL);
    if (v->host_maps)
        KCHECK(k, c->src == NULL && c->dep_head == NULL);
}

void vmo_cow_check(const KVmo *v)
{
    /* Hidden nodes are no kernel objects: each is checked from below. */
    for (; v; v = v->cow.src) {
        vmo_cow_check_node(v);
        if (v->cow.src && !v->cow.src->cow.hidden)
            break;
    }
}
