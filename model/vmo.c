/* vmo.c — virtual memory objects backed by real host memory.
 *
 * Backing store: a root or snapshot VMO owns one host mapping `data` of
 * `size` bytes. Until it is first mapped into a process it is private
 * anonymous memory (MAP_NORESERVE: untouched pages cost nothing). The first
 * vmar_map converts it to a memfd (vmo_backing): `data` becomes a
 * MAP_SHARED view of the file, and every process mapping maps the same file,
 * so writes through any mapping, vmo_write or process_write_memory are seen
 * by all. The memfd is kept until the VMO dies, so descriptors are spent
 * only on VMOs that were ever mapped (the first raises the soft limit on
 * descriptors to the hard one: vmo_raise_fd_limit). Accesses past the end of the file
 * (a mapping longer than the VMO, or a VMO shrunk under a mapping) fault
 * with SIGBUS in the app, as a Zircon access beyond a VMO's end faults.
 *
 * Children: a SNAPSHOT (and SNAPSHOT_AT_LEAST_ON_WRITE, which Zircon lets
 * behave as a snapshot) copies the parent's range at creation — eager copy,
 * skipping all-zero pages so sparse VMOs stay sparse. Observed through
 * read/write/mappings this is exactly copy-on-write: each side sees its own
 * later writes only. A SLICE owns no pages: it holds a reference on its
 * parent and resolves every access to the root's pages at an offset; it can
 * only be made of a non-resizable parent, so that offset never moves.
 *
 * State: `kind` never changes; `parent` is strong for a slice, weak for a
 * snapshot (when the parent dies its snapshot children move up to the
 * grandparent, or lose the link if there is none). A VMO's live children
 * are linked in creation order; ZX_VMO_ZERO_CHILDREN is asserted iff there
 * are none.
 *
 * Invariants (vmo_check): size page-aligned; slices own no data and have a
 * live parent; data != NULL iff an owner VMO has size > 0; child list count
 * matches child_count; ZERO_CHILDREN matches child_count == 0.
 *
 * Left out: pager-backed and physical/contiguous VMOs, pinning, real
 * discarding (discardable VMOs lock and unlock but are never discarded),
 * cache policies (always CACHED). Read next: vmar.c, then sys_vmo.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kernel.h"
#include "vmo.h"

struct KVmo {
    KObject base;
    VmoKind kind;
    uint32_t options;           /* ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE */
    uint64_t size;              /* page-aligned */
    uint64_t content_size;      /* ZX_PROP_VMO_CONTENT_SIZE */
    uint8_t *data;              /* owner kinds: host view of [0, size) */
    int fd;                     /* memfd once mapped, else -1 */
    KVmo *parent;               /* slice: strong ref; snapshot: weak */
    zx_koid_t parent_koid;
    uint64_t parent_offset;     /* slice: where the window starts */
    uint64_t root_offset;       /* where our range starts projected onto
                                 * the first VMO of our family; offset +
                                 * size must not wrap there */
    KVmo *child_head, *child_tail, *sib_prev, *sib_next;
    uint32_t child_count;
    uint32_t mapping_count;
    uint32_t lock_count;        /* discardable: ZX_VMO_OP_LOCK nesting */
    /* Address spaces mapping us, in first-mapping order, with how many
     * mappings each holds (share_count). */
    struct VmoSharer { const void *as; uint32_t mappings; } *sharers;
    uint32_t nsharers;
};

/* ---- Host memory --------------------------------------------------------- */

static uint8_t *vmo_store_alloc(uint64_t size)
{
    if (size == 0)
        return NULL;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Is the owner's page at `off` backed by host memory (committed)? */
static bool vmo_page_committed(const KVmo *owner, uint64_t off)
{
    unsigned char vec = 0;
    return mincore(owner->data + off, VMO_PAGE_SIZE, &vec) == 0 && (vec & 1);
}

/* Copy `len` page-aligned bytes, skipping all-zero pages (dst is zero).
 * A page never touched (not resident) reads as zero: one mincore per run
 * of pages finds those, so memcmp does not fault them in (which would
 * count them as committed) and a fresh VMO costs one system call, not one
 * per page. */
#define VMO_SPARSE_RUN 1024u /* pages per mincore */

static void vmo_copy_sparse(uint8_t *dst, const uint8_t *src, uint64_t len)
{
    static const uint8_t zero[VMO_PAGE_SIZE];
    unsigned char resident[VMO_SPARSE_RUN];
    for (uint64_t run = 0; run < len; run += (uint64_t)VMO_SPARSE_RUN * VMO_PAGE_SIZE) {
        uint64_t n = len - run;
        if (n > (uint64_t)VMO_SPARSE_RUN * VMO_PAGE_SIZE)
            n = (uint64_t)VMO_SPARSE_RUN * VMO_PAGE_SIZE;
        if (mincore((void *)(src + run), n, resident) != 0)
            memset(resident, 1, sizeof resident); /* unknown: compare them all */
        for (uint64_t off = 0; off < n; off += VMO_PAGE_SIZE) {
            const uint8_t *page = src + run + off;
            if ((resident[off / VMO_PAGE_SIZE] & 1) && memcmp(page, zero, VMO_PAGE_SIZE) != 0)
                memcpy(dst + run + off, page, VMO_PAGE_SIZE);
        }
    }
}

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
    if (v->data)
        munmap(v->data, v->size);
    if (v->fd >= 0)
        close(v->fd);
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
        KCHECK(o->kernel, v->parent != NULL && v->data == NULL && v->fd < 0);
    else
        KCHECK(o->kernel, (v->data != NULL) == (v->size > 0));
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
    v->fd = -1;
    v->kind = kind;
    v->options = options;
    v->size = size;
    if (kind != VMO_KIND_SLICE && size > 0) {
        v->data = vmo_store_alloc(size);
        if (!v->data) {
            free(v);
            return NULL;
        }
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
    c->content_size = size;
    c->root_offset = root_offset;
    c->parent = parent;
    c->parent_koid = parent->base.koid;
    if (kind == VMO_KIND_SLICE) {
        c->parent_offset = offset;
        kobject_ref(&parent->base);
    } else if (offset < parent->size) {
        uint64_t n = parent->size - offset < r ? parent->size - offset : r;
        uint64_t src_off;
        KVmo *owner = vmo_resolve(parent, &src_off);
        vmo_copy_sparse(c->data, owner->data + src_off + offset, n);
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

uint8_t *vmo_bytes(KVmo *v, uint64_t offset)
{
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    return owner->data ? owner->data + base + offset : NULL;
}

const uint8_t *vmo_read_source(KVmo *v, uint64_t offset, size_t *len)
{
    static const uint8_t zero[VMO_PAGE_SIZE];
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    uint64_t at = base + offset, page = at & ~(VMO_PAGE_SIZE - 1);
    if (*len > page + VMO_PAGE_SIZE - at)
        *len = (size_t)(page + VMO_PAGE_SIZE - at);
    return vmo_page_committed(owner, page) ? owner->data + at : zero + (at - page);
}

/* Every mapped VMO holds a descriptor (every process's first thread's
 * stack is one), and a shell's soft limit is often 1024: a run with a
 * thousand processes or threads would fail for want of descriptors. The
 * first backing raises the soft limit to the hard one, once per host
 * process, as runtimes that spend descriptors this way do. */
static void vmo_raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

zx_status_t vmo_backing(KVmo *v, int *fd, uint64_t *file_offset)
{
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    if (owner->fd < 0) {
        static pthread_once_t raised = PTHREAD_ONCE_INIT;
        pthread_once(&raised, vmo_raise_fd_limit);
        int nfd = memfd_create("capsim-vmo", MFD_CLOEXEC);
        if (nfd < 0)
            return ZX_ERR_NO_MEMORY;
        uint8_t *view = NULL;
        if (ftruncate(nfd, (off_t)owner->size) != 0 ||
            (owner->size && (view = mmap(NULL, owner->size, PROT_READ | PROT_WRITE,
                                         MAP_SHARED, nfd, 0)) == MAP_FAILED)) {
            close(nfd);
            return ZX_ERR_NO_MEMORY;
        }
        if (owner->data) {
            vmo_copy_sparse(view, owner->data, owner->size);
            munmap(owner->data, owner->size);
        }
        owner->data = view;
        owner->fd = nfd;
    }
    *fd = owner->fd;
    *file_offset = base;
    return ZX_OK;
}

void vmo_mapping_added(KVmo *v, const void *as)
{
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

/* Resize the owner's store to `size` (page-aligned). */
static zx_status_t vmo_store_resize(KVmo *v, uint64_t size)
{
    if (v->fd >= 0 && ftruncate(v->fd, (off_t)size) != 0)
        return ZX_ERR_NO_MEMORY;
    if (size == 0) {
        if (v->data)
            munmap(v->data, v->size);
        v->data = NULL;
        return ZX_OK;
    }
    void *p;
    if (v->data)
        p = mremap(v->data, v->size, size, MREMAP_MAYMOVE);
    else if (v->fd >= 0)
        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    else {
        uint8_t *fresh = vmo_store_alloc(size);
        p = fresh ? (void *)fresh : MAP_FAILED;
    }
    if (p == MAP_FAILED)
        return ZX_ERR_NO_MEMORY;
    v->data = p;
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
        zx_status_t s = vmo_store_resize(v, rounded);
        if (s != ZX_OK)
            return s;
        v->size = rounded;
    }
    if (rounded > size)
        memset(v->data + size, 0, rounded - size);
    v->content_size = size;
    return ZX_OK;
}

void vmo_set_content_size(KVmo *v, uint64_t size)
{
    if (size < v->size)
        memset(vmo_bytes(v, size), 0, v->size - size);
    v->content_size = size;
}

/* ---- Range operations ------------------------------------------------------ */

/* Give whole pages back to the host: they read as zero and are no longer
 * committed, in every mapping. */
static void vmo_release_pages(KVmo *owner, uint64_t off, uint64_t len)
{
    int r = owner->fd >= 0
                ? fallocate(owner->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            (off_t)off, (off_t)len)
                : madvise(owner->data + off, len, MADV_DONTNEED);
    if (r != 0)
        memset(owner->data + off, 0, len);
}

/* ZERO / DECOMMIT: whole pages are released, as Zircon decommits pages a
 * zero range covers; the partial pages at the edges are cleared only if
 * committed, so zeroing never commits memory. */
static void vmo_zero_range(KVmo *v, uint64_t offset, uint64_t len)
{
    uint64_t base;
    KVmo *owner = vmo_resolve(v, &base);
    uint64_t at = base + offset, end = at + len;
    while (at < end) {
        uint64_t page = at & ~(VMO_PAGE_SIZE - 1);
        uint64_t stop = page + VMO_PAGE_SIZE < end ? page + VMO_PAGE_SIZE : end;
        if (at == page && stop == page + VMO_PAGE_SIZE) {
            uint64_t run_end = end & ~(VMO_PAGE_SIZE - 1);
            vmo_release_pages(owner, page, run_end - page);
            stop = run_end;
        } else if (vmo_page_committed(owner, page)) {
            memset(owner->data + at, 0, stop - at);
        }
        at = stop;
    }
}

/* Touch each page so it is really allocated (COMMIT). */
static void vmo_commit_range(KVmo *v, uint64_t offset, uint64_t len)
{
    uint64_t start = offset & ~(VMO_PAGE_SIZE - 1);
    for (uint64_t off = start; off < offset + len; off += VMO_PAGE_SIZE) {
        volatile uint8_t *p = vmo_bytes(v, off);
        *p = *p;
    }
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

/* DECOMMIT trims the range to the VMO and needs whole pages. */
static zx_status_t vmo_decommit(KVmo *v, uint64_t offset, uint64_t size)
{
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
            vmo_commit_range(v, offset, size);
        else if (op == ZX_VMO_OP_ZERO)
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

/* Pages the host really backs (mincore on our view). Slices own none. */
static uint64_t vmo_committed_bytes(const KVmo *v)
{
    if (v->kind == VMO_KIND_SLICE || !v->data)
        return 0;
    size_t pages = v->size / VMO_PAGE_SIZE;
    unsigned char *vec = malloc(pages);
    if (!vec)
        return 0;
    uint64_t n = 0;
    if (mincore(v->data, v->size, vec) == 0)
        for (size_t i = 0; i < pages; i++)
            n += vec[i] & 1;
    free(vec);
    return n * VMO_PAGE_SIZE;
}

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
    info->committed_bytes = vmo_committed_bytes(v);
    info->populated_bytes = info->committed_bytes;
    info->committed_private_bytes = info->committed_bytes;
    info->populated_private_bytes = info->committed_bytes;
    info->committed_scaled_bytes = info->committed_bytes;
    info->populated_scaled_bytes = info->committed_bytes;
    info->cache_policy = ZX_CACHE_POLICY_CACHED;
    info->metadata_bytes = sizeof *v;
}
