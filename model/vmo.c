/* vmo.c — virtual memory objects backed by real host memory.
 *
 * Pages: a root or snapshot VMO (an owner) has a store, the host memory
 * of its pages (vmo_store.c: private until first mapped, then a memfd
 * every mapping shares, so writes through any mapping, vmo_write or
 * process_write_memory are seen by all). vmo_read never commits a page;
 * writes go through vmo_write_target.
 *
 * Children: a SNAPSHOT (and SNAPSHOT_AT_LEAST_ON_WRITE, which Zircon lets
 * behave as a snapshot) is copy-on-write (vmo_cow.c): it costs nothing
 * until a page is written on either side, then that page alone is
 * copied, and each side sees only its own later writes; when a VMO dies,
 * the pages its snapshots still share stay in a hidden node, once. A snapshot of a
 * VMO whose pages are mapped is copied at once instead (committed, non-zero
 * pages only), and mapping a VMO that shares pages copies them then: the
 * kernel does not see writes through mappings. A SLICE owns no pages: it
 * holds a reference on its parent and resolves every access to the
 * owner's pages at an offset; it can only be made of a non-resizable
 * parent, so that offset never moves.
 *
 * State: `kind` never changes; `parent` is strong for a slice, weak for a
 * snapshot (when the parent dies its snapshot children move up to the
 * grandparent, or lose the link if there is none; parent_koid stays the
 * koid of the VMO a child was made of, as Zircon's does). A VMO's live children
 * are linked in creation order; ZX_VMO_ZERO_CHILDREN is asserted iff there
 * are none. `host_maps` counts the mappings of an owner's pages (its own
 * and its slices').
 *
 * Invariants (vmo_check): size page-aligned; slices own no store, share
 * nothing and have a live parent; an owner of size 0 has no view; child
 * list count matches child_count; ZERO_CHILDREN matches child_count == 0;
 * vmo_cow_check's.
 *
 * Left out: pager-backed and physical/contiguous VMOs, pinning, real
 * discarding (discardable VMOs lock and unlock but are never discarded),
 * cache policies (always CACHED). Read next: vmo_cow.c, vmar.c, then
 * sys_vmo.c.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "vmo_cow.h"

/* The owner VMO and offset behind a possibly-sliced VMO's byte 0. */
static KVmo *vmo_resolve(const KVmo *v, uint64_t *offset)
{
    uint64_t off = 0;
    while (v->kind == VMO_KIND_SLICE) {
        off += v->parent_offset;
        v = v->parent;
    }
    *offset = off;
    return (KVmo *)v;
}

/* ---- Object ops ----------------------------------------------------------- */

static void vmo_link_child(KVmo *parent, KVmo *c);

static void vmo_unlink_child(KVmo *parent, KVmo *c)
{
    if (c->sib_prev)
        c->sib_prev->sib_next = c->sib_next;
    else
        parent->child_head = c->sib_next;
    if (c->sib_next)
        c->sib_next->sib_prev = c->sib_prev;
    else
        parent->child_tail = c->sib_prev;
    c->sib_prev = c->sib_next = NULL;
    if (--parent->child_count == 0)
        kobject_signal(&parent->base, 0, ZX_VMO_ZERO_CHILDREN);
}

static void vmo_link_child(KVmo *parent, KVmo *c)
{
    c->sib_prev = parent->child_tail;
    if (parent->child_tail)
        parent->child_tail->sib_next = c;
    else
        parent->child_head = c;
    parent->child_tail = c;
    if (parent->child_count++ == 0)
        kobject_signal(&parent->base, ZX_VMO_ZERO_CHILDREN, 0);
}

static void vmo_destroy(KObject *o)
{
    KVmo *v = (KVmo *)o;
    KVmo *parent = v->parent;
    bool slice = v->kind == VMO_KIND_SLICE;
    /* Snapshot children outlive us (slices would keep us alive). As in
     * Zircon they move up to our parent, in order, so it still counts
     * them (ZX_VMO_ZERO_CHILDREN stays clear); with no parent they only
     * lose the back link. Linked before we unlink, so the parent's signal
     * never blinks. */
    for (KVmo *c = v->child_head, *next; c; c = next) {
        next = c->sib_next;
        c->sib_prev = c->sib_next = NULL;
        c->parent = parent;
        if (parent)
            vmo_link_child(parent, c);
    }
    if (parent)
        vmo_unlink_child(parent, v);
    if (!slice) {
        vmo_cow_release(v); /* before our pages go: deps may still read them */
        vmo_store_free(&v->store, v->size);
    }
    free(v->sharers);
    free(v);
    if (parent && slice)
        kobject_unref(&parent->base);
}

static void vmo_check(const KObject *o)
{
    const KVmo *v = (const KVmo *)o;
    KCHECK(o->kernel, vmo_aligned(v->size));
    if (v->kind == VMO_KIND_SLICE)
        KCHECK(o->kernel, v->parent != NULL && v->store.data == NULL && v->store.fd < 0 &&
                              v->host_maps == 0 && v->cow.src == NULL && v->cow.dep_head == NULL);
    else
        KCHECK(o->kernel, v->store.data == NULL || v->size > 0);
    vmo_cow_check(v);
    uint32_t n = 0;
    for (const KVmo *c = v->child_head; c; c = c->sib_next) {
        KCHECK(o->kernel, c->parent == v);
        n++;
    }
    KCHECK(o->kernel, n == v->child_count);
    KCHECK(o->kernel, ((o->signals & ZX_VMO_ZERO_CHILDREN) != 0) == (n == 0));
}

const KObjectOps vmo_ops = {
    .type = ZX_OBJ_TYPE_VMO,
    .name = "vmo",
    .default_rights = ZX_DEFAULT_VMO_RIGHTS,
    .possible_rights = VMO_POSSIBLE_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .has_name = true,
    .destroy = vmo_destroy,
    .check = vmo_check,
};

KVmo *vmo_from(KObject *o)
{
    return KOBJECT_CAST(o, KVmo, ZX_OBJ_TYPE_VMO);
}

uint64_t vmo_size(const KVmo *v) { return v->size; }
bool vmo_is_resizable(const KVmo *v) { return (v->options & ZX_VMO_RESIZABLE) != 0; }
VmoKind vmo_kind(const KVmo *v) { return v->kind; }
uint64_t vmo_content_size(const KVmo *v) { return v->content_size; }

static KVmo *vmo_alloc(Kernel *k, VmoKind kind, uint32_t options, uint64_t size)
{
    KVmo *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    vmo_store_init(&v->store);
    v->kind = kind;
    v->options = options;
    v->size = size;
    /* A snapshot's view is there from the start: pages are copied into it
     * where no failure can be reported (vmo_cow.c). Roots make theirs on
     * first need. */
    if (kind == VMO_KIND_SNAPSHOT && size > 0 && !vmo_store_view(&v->store, size)) {
        free(v);
        return NULL;
    }
    kobject_init(k, &v->base, &vmo_ops, ZX_VMO_ZERO_CHILDREN);
    return v;
}

zx_status_t vmo_create(Kernel *k, uint64_t size, uint32_t options, KVmo **out)
{
    uint64_t rounded = vmo_round_up(size);
    if (rounded < size)
        return ZX_ERR_OUT_OF_RANGE;
    if (rounded > VMO_SIM_MAX_SIZE)
        return ZX_ERR_NO_MEMORY;
    KVmo *v = vmo_alloc(k, VMO_KIND_ROOT, options, rounded);
    if (!v)
        return ZX_ERR_NO_MEMORY;
    v->content_size = size;
    *out = v;
    return ZX_OK;
}

/* Option decoding in Zircon's order; returns the kind or an error. */
static zx_status_t vmo_child_kind(const KVmo *parent, uint32_t options,
                                  VmoKind *kind, uint32_t *child_opts)
{
    if (parent->options & ZX_VMO_DISCARDABLE)
        return ZX_ERR_NOT_SUPPORTED;
    *child_opts = 0;
    if (options & ZX_VMO_CHILD_SLICE) {
        if (options & ~ZX_VMO_CHILD_SLICE)
            return ZX_ERR_INVALID_ARGS;
        *kind = VMO_KIND_SLICE;
        return ZX_OK;
    }
    if (options & ZX_VMO_CHILD_SNAPSHOT)
        options &= ~ZX_VMO_CHILD_SNAPSHOT;
    else if (options & ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE)
        options &= ~ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
    else
        return ZX_ERR_INVALID_ARGS;
    if (options & ZX_VMO_CHILD_RESIZABLE) {
        options &= ~ZX_VMO_CHILD_RESIZABLE;
        *child_opts = ZX_VMO_RESIZABLE;
    }
    if (options)
        return ZX_ERR_INVALID_ARGS;
    *kind = VMO_KIND_SNAPSHOT;
    return ZX_OK;
}

/* Geometry checks, in Zircon's order: a size past the largest VMO is out
 * of range; a slice must then lie inside its parent (a wrapping range is
 * just outside it), and only then is a resizable parent refused. */
static zx_status_t vmo_child_range(const KVmo *parent, VmoKind kind,
                                   uint64_t offset, uint64_t size, uint64_t *rounded)
{
    if (!vmo_aligned(offset))
        return ZX_ERR_INVALID_ARGS;
    uint64_t r = vmo_round_up(size);
    if (r < size || r > VMO_ABI_MAX_SIZE)
        return ZX_ERR_OUT_OF_RANGE;
    if (kind == VMO_KIND_SLICE) {
        if (offset > parent->size || r > parent->size - offset)
            return ZX_ERR_INVALID_ARGS;
        if (vmo_is_resizable(parent))
            return ZX_ERR_NOT_SUPPORTED;
    } else if (offset + r < offset) {
        return ZX_ERR_OUT_OF_RANGE;
    } else if (r > VMO_SIM_MAX_SIZE) {
        return ZX_ERR_NO_MEMORY;
    }
    *rounded = r;
    return ZX_OK;
}

/* A snapshot's pages: read through the parent's owner, copied on write
 * (vmo_cow.c); or copied now when the owner's pages are mapped, since
 * writes through a mapping are not seen and so cannot be shared. */
static zx_status_t vmo_snapshot_fill(KVmo *c, KVmo *parent, uint64_t offset)
{
    uint64_t limit = offset >= parent->size ? 0 : parent->size - offset;
    if (limit > c->size)
        limit = c->size;
    if (limit == 0)
        return ZX_OK; /* nothing of the parent's: zeros */
    uint64_t base;
    KVmo *owner = vmo_resolve(parent, &base);
    if (owner->host_maps == 0)
        return vmo_cow_attach(c, owner, base + offset, limit);
    vmo_store_copy_resident(c->store.data, &owner->store, base + offset, limit);
    return ZX_OK;
}

zx_status_t vmo_create_child(KVmo *parent, uint32_t options, uint64_t offset,
                             uint64_t size, bool copy_name, KVmo **out)
{
    VmoKind kind;
    uint32_t child_opts;
    uint64_t r;
    zx_status_t s = vmo_child_kind(parent, options, &kind, &child_opts);
    if (s == ZX_OK)
        s = vmo_child_range(parent, kind, offset, size, &r);
    if (s != ZX_OK)
        return s;
    /* Zircon projects every child onto the root of its family; a range
     * that wraps there is refused even if it fits in the parent. */
    uint64_t root_offset = parent->root_offset + offset;
    if (root_offset < offset || root_offset + r < root_offset)
        return ZX_ERR_INVALID_ARGS;
    KVmo *c = vmo_alloc(parent->base.kernel, kind, child_opts, r);
    if (!c)
        return ZX_ERR_NO_MEMORY;
    if (kind == VMO_KIND_SNAPSHOT && (s = vmo_snapshot_fill(c, parent, offset)) != ZX_OK) {
        kobject_unref(&c->base);
        return s;
    }
    c->content_size = size;
    c->root_offset = root_offset;
    c->parent = parent;
    c->parent_koid = parent->base.koid;
    if (kind == VMO_KIND_SLICE) {
        c->parent_offset = offset;
        kobject_ref(&parent->base);
    }
    if (copy_name)
        kobject_set_name(&c->base, parent->base.name, strnlen(parent->base.name, ZX_MAX_NAME_LEN));
    vmo_link_child(parent, c);
    *out = c;
    return ZX_OK;
}

/* ---- Data ------------------------------------------------------------------ */

zx_status_t vmo_range_ok(const KVmo *v, uint64_t offset, uint64_t len)
{
    if (offset + len < offset || offset + len > v->size)
        return ZX_ERR_OUT_OF_RANGE;
    return ZX_OK;
}

uint8_t *vmo_write_target(KVmo *v, uint64_t offset, uint64_t len)
{
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    vmo_cow_shield(owner, base + offset, len);
    vmo_cow_own(owner, base + offset, len);
    uint8_t *view = vmo_store_view(&owner->store, owner->size);
    return view ? view + base + offset : NULL;
}

uint8_t *vmo_bytes(KVmo *v, uint64_t offset)
{
    return vmo_write_target(v, offset, v->size - offset);
}

const uint8_t *vmo_read_source(KVmo *v, uint64_t offset, size_t *len)
{
    static const uint8_t zero[VMO_PAGE_SIZE];
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    uint64_t at = base + offset, page = at & ~(VMO_PAGE_SIZE - 1);
    if (*len > page + VMO_PAGE_SIZE - at)
        *len = (size_t)(page + VMO_PAGE_SIZE - at);
    const uint8_t *bytes = vmo_cow_page(owner, page);
    return (bytes ? bytes : zero) + (at - page);
}

void vmo_read_bytes(KVmo *v, uint64_t offset, void *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        size_t n = len - done;
        memcpy((uint8_t *)buf + done, vmo_read_source(v, offset + done, &n), n);
        done += n;
    }
}

zx_status_t vmo_write_bytes(KVmo *v, uint64_t offset, const void *data, size_t len)
{
    if (len == 0)
        return ZX_OK;
    uint8_t *to = vmo_write_target(v, offset, len);
    if (!to)
        return ZX_ERR_NO_MEMORY;
    memcpy(to, data, len);
    return ZX_OK;
}

zx_status_t vmo_backing(KVmo *v, int *fd, uint64_t *file_offset)
{
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    zx_status_t s = vmo_store_share(&owner->store, owner->size);
    if (s != ZX_OK)
        return s;
    /* Writes through the mapping about to be made are not seen by the
     * kernel: from now on these pages are shared with nobody. */
    vmo_cow_detach(owner);
    *fd = owner->store.fd;
    *file_offset = base;
    return ZX_OK;
}

void vmo_mapping_added(KVmo *v, const void *as)
{
    uint64_t base;
    vmo_resolve(v, &base)->host_maps++;
    v->mapping_count++;
    for (uint32_t i = 0; i < v->nsharers; i++)
        if (v->sharers[i].as == as) {
            v->sharers[i].mappings++;
            return;
        }
    struct VmoSharer *grown = realloc(v->sharers, (v->nsharers + 1) * sizeof *grown);
    if (!grown)
        abort(); /* host out of memory: no modeled failure path here */
    v->sharers = grown;
    v->sharers[v->nsharers++] = (struct VmoSharer){as, 1};
}

void vmo_mapping_removed(KVmo *v, const void *as)
{
    uint64_t base;
    vmo_resolve(v, &base)->host_maps--;
    v->mapping_count--;
    for (uint32_t i = 0; i < v->nsharers; i++)
        if (v->sharers[i].as == as) {
            if (--v->sharers[i].mappings == 0) {
                memmove(&v->sharers[i], &v->sharers[i + 1],
                        (v->nsharers - i - 1) * sizeof v->sharers[0]);
                v->nsharers--;
            }
            return;
        }
}

uint32_t vmo_share_count(const KVmo *v)
{
    return v->nsharers > 1 ? v->nsharers : 1;
}

/* ---- Range operations ------------------------------------------------------ */

/* ZERO / DECOMMIT, and the bytes past a size or content size: whole pages
 * are released (and, in a snapshot, become its own zero pages), as Zircon
 * decommits pages a zero range covers; the partial pages at the edges are
 * cleared only if they read anything, so zeroing never commits memory. */
static void vmo_zero_range(KVmo *v, uint64_t offset, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    uint64_t at = base + offset, end = at + len;
    vmo_cow_shield(owner, at, len);
    while (at < end) {
        uint64_t page = at & ~(VMO_PAGE_SIZE - 1);
        uint64_t stop = page + VMO_PAGE_SIZE < end ? page + VMO_PAGE_SIZE : end;
        if (at == page && stop == page + VMO_PAGE_SIZE) {
            uint64_t run_end = end & ~(VMO_PAGE_SIZE - 1);
            vmo_store_release(&owner->store, page, run_end - page);
            vmo_cow_own_zero(owner, page, run_end - page);
            stop = run_end;
        } else if (vmo_cow_page(owner, page)) {
            vmo_cow_own(owner, page, VMO_PAGE_SIZE); /* the view exists: it held the page */
            memset(owner->store.data + at, 0, stop - at);
        }
        at = stop;
    }
}

/* COMMIT: each page really allocated; a snapshot's page copied from what
 * it reads (pages reading zero are committed as zero pages). */
static zx_status_t vmo_commit_range(KVmo *v, uint64_t offset, uint64_t len)
{
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    uint64_t start = (base + offset) & ~(VMO_PAGE_SIZE - 1), end = base + offset + len;
    vmo_cow_own(owner, start, end - start);
    uint8_t *view = vmo_store_view(&owner->store, owner->size);
    if (!view)
        return len ? ZX_ERR_NO_MEMORY : ZX_OK;
    for (uint64_t off = start; off < end; off += VMO_PAGE_SIZE) {
        volatile uint8_t *p = view + off;
        *p = *p;
    }
    return ZX_OK;
}

zx_status_t vmo_set_size(KVmo *v, uint64_t size)
{
    uint64_t rounded = vmo_round_up(size);
    if (rounded < size)
        return ZX_ERR_OUT_OF_RANGE;
    if (v->root_offset + rounded < v->root_offset)
        return ZX_ERR_INVALID_ARGS;
    if (rounded > VMO_SIM_MAX_SIZE)
        return ZX_ERR_NO_MEMORY;
    if (rounded != v->size) {
        zx_status_t s = rounded > v->size ? vmo_cow_grow(v, rounded) : ZX_OK;
        if (s != ZX_OK)
            return s;
        if (rounded < v->size)
            vmo_cow_shrink(v, rounded); /* deps copy what goes; cannot fail */
        if ((s = vmo_store_resize(&v->store, v->size, rounded)) != ZX_OK)
            return s;
        /* A snapshot keeps a view (vmo_alloc), as does a VMO reading
         * through a hidden node (vmo_cow.c); one shrunk to nothing had
         * none left. */
        if ((v->kind == VMO_KIND_SNAPSHOT || v->cow.src) && rounded &&
            !vmo_store_view(&v->store, rounded))
            return ZX_ERR_NO_MEMORY;
        v->size = rounded;
    }
    vmo_zero_range(v, size, rounded - size);
    v->content_size = size;
    return ZX_OK;
}

void vmo_set_content_size(KVmo *v, uint64_t size)
{
    if (size < v->size)
        vmo_zero_range(v, size, v->size - size);
    v->content_size = size;
}

static zx_status_t vmo_lock_op(KVmo *v, uint32_t op, uint64_t offset,
                               uint64_t size, zx_vmo_lock_state_t *lock_out)
{
    if (!(v->options & ZX_VMO_DISCARDABLE))
        return ZX_ERR_NOT_SUPPORTED;
    if (offset != 0 || size != v->size)
        return ZX_ERR_OUT_OF_RANGE;
    if (op == ZX_VMO_OP_UNLOCK) {
        if (v->lock_count == 0)
            return ZX_ERR_BAD_STATE;
        v->lock_count--;
        return ZX_OK;
    }
    v->lock_count++;
    if (lock_out) {
        memset(lock_out, 0, sizeof *lock_out);
        lock_out->offset = offset;
        lock_out->size = size;
    }
    return ZX_OK;
}

/* Whether a copy-on-write child reads v's pages: a snapshot of v, or of
 * one of v's slices. */
static bool vmo_has_snapshots(const KVmo *v)
{
    for (const KVmo *c = v->child_head; c; c = c->sib_next)
        if (c->kind != VMO_KIND_SLICE || vmo_has_snapshots(c))
            return true;
    return false;
}

/* DECOMMIT trims the range to the VMO and needs whole pages. As Zircon
 * documents it (vmo_op_range, vmo_create_child), only a VMO outside any
 * copy-on-write family decommits (or a slice of one): a snapshot, or a
 * VMO that has one, answers ZX_ERR_NOT_SUPPORTED (ZERO still clears). */
static zx_status_t vmo_decommit(KVmo *v, uint64_t offset, uint64_t size)
{
    uint64_t base;
    const KVmo *owner = vmo_resolve(v, &base);
    if (owner->kind == VMO_KIND_SNAPSHOT || vmo_has_snapshots(owner))
        return ZX_ERR_NOT_SUPPORTED;
    if (offset > v->size)
        return ZX_ERR_OUT_OF_RANGE;
    if (size > v->size - offset)
        size = v->size - offset;
    if (size == 0)
        return ZX_OK;
    if (!vmo_aligned(offset) || !vmo_aligned(size))
        return ZX_ERR_INVALID_ARGS;
    vmo_zero_range(v, offset, size);
    return ZX_OK;
}

zx_status_t vmo_op_range(KVmo *v, uint32_t op, uint64_t offset, uint64_t size,
                         zx_vmo_lock_state_t *lock_out)
{
    switch (op) {
    case ZX_VMO_OP_COMMIT:
    case ZX_VMO_OP_ZERO:
    case ZX_VMO_OP_DONT_NEED:
    case ZX_VMO_OP_ALWAYS_NEED:
    case ZX_VMO_OP_PREFETCH: {
        zx_status_t s = vmo_range_ok(v, offset, size);
        if (s != ZX_OK)
            return s;
        if (op == ZX_VMO_OP_COMMIT)
            return vmo_commit_range(v, offset, size);
        if (op == ZX_VMO_OP_ZERO)
            vmo_zero_range(v, offset, size);
        return ZX_OK;
    }
    case ZX_VMO_OP_DECOMMIT:
        return vmo_decommit(v, offset, size);
    case ZX_VMO_OP_LOCK:
    case ZX_VMO_OP_TRY_LOCK:
    case ZX_VMO_OP_UNLOCK:
        return vmo_lock_op(v, op, offset, size, lock_out);
    case ZX_VMO_OP_CACHE_SYNC:
    case ZX_VMO_OP_CACHE_INVALIDATE:
    case ZX_VMO_OP_CACHE_CLEAN:
    case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE:
        if (size == 0)
            return ZX_ERR_INVALID_ARGS;
        return vmo_range_ok(v, offset, size); /* coherent host: nothing to do */
    default:
        return ZX_ERR_INVALID_ARGS;
    }
}

/* ---- Info ------------------------------------------------------------------ */

void vmo_info(KObject *o, zx_info_vmo_t *info)
{
    KVmo *v = vmo_from(o);
    memset(info, 0, sizeof *info);
    info->koid = o->koid;
    memcpy(info->name, o->name, sizeof info->name);
    info->size_bytes = v->size;
    info->parent_koid = v->parent_koid;
    info->num_children = v->child_count;
    info->num_mappings = v->mapping_count;
    info->share_count = vmo_share_count(v);
    info->flags = ZX_INFO_VMO_TYPE_PAGED;
    if (vmo_is_resizable(v))
        info->flags |= ZX_INFO_VMO_RESIZABLE;
    if (v->options & ZX_VMO_DISCARDABLE)
        info->flags |= ZX_INFO_VMO_DISCARDABLE;
    if (v->kind == VMO_KIND_SNAPSHOT)
        info->flags |= ZX_INFO_VMO_IS_COW_CLONE;
    /* Pages the host backs in our own store, and those of hidden nodes
     * blamed on us: a snapshot's other shared pages are its source's
     * (vmo_cow.c); slices own none. */
    info->committed_bytes = v->kind == VMO_KIND_SLICE ? 0 : vmo_cow_committed_bytes(v);
    info->populated_bytes = info->committed_bytes;
    info->committed_private_bytes = info->committed_bytes;
    info->populated_private_bytes = info->committed_bytes;
    info->committed_scaled_bytes = info->committed_bytes;
    info->populated_scaled_bytes = info->committed_bytes;
    info->cache_policy = ZX_CACHE_POLICY_CACHED;
    info->metadata_bytes = sizeof *v;
}
