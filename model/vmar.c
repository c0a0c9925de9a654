/* vmar.c — VMARs, mappings and per-process address spaces, in real host
 * memory so app code uses what it maps through plain pointers.
 *
 * Layout: the first process created reserves a chunk of host address space
 * (PROT_NONE, MAP_NORESERVE: no memory is spent) at a fixed hint address
 * (MAP_FIXED_NOREPLACE; anywhere 1 GiB-aligned if the hint is taken). Chunks
 * are cut into VMAR_SLOT_SIZE slots; each process takes the lowest free slot
 * and gives it back when it dies, so within one run addresses depend only on
 * creation order. The root VMAR covers the slot minus a guard at its end.
 * Inside a VMAR, non-specific placements take the lowest fitting address
 * (deterministic; Zircon randomizes — nothing may depend on either), below
 * the offset when ZX_VM_OFFSET_IS_UPPER_LIMIT makes it a bound. See
 * vmar.h for which addresses are real and which are slot-relative.
 *
 * A mapping is a real mmap(MAP_SHARED|MAP_FIXED) of its VMO's memfd
 * (vmo_backing) over the reservation, and vmar_protect is a real mprotect,
 * so access violations fault in the app exactly where Zircon would fault.
 * Unmapping puts a PROT_NONE reservation back; nothing is ever munmap'ed
 * inside a slot, so no stray host allocation can land in an address space.
 * One host mapping per zx mapping (splits included) keeps the host's
 * vm.max_map_count (65530) far away for ordinary programs.
 *
 * State (KVmar.state):   ALIVE --vmar_destroy / ancestor destroyed /
 *                                  process dead--> DEAD
 * A DEAD VMAR has no children and no address space; its handles stay valid
 * but every operation answers ZX_ERR_BAD_STATE.
 *
 * Children: a list in address order indexed by a tree (vmar_children.c),
 * so lookups, placement and unmapping cost O(log children).
 *
 * Invariants (vmar_check): children sorted by address, disjoint, inside the
 * VMAR, the index agreeing with the list; each sub-VMAR's parent/node
 * point back; each mapping holds a VMO.
 * References: a process holds its root; a parent's child list holds each
 * sub-VMAR; a mapping holds its VMO.
 *
 * Strict memory mode: each address space has a guard (host_isolation.c)
 * that closes its mappings while another process runs; every host
 * mprotect of a mapping goes through it (host_guard_mapped/_protect), and
 * vmar_guard_reapply gives the guard every mapping when it must reopen or
 * re-key them.
 *
 * Left out: ASLR, vmar_op_range. Read next: sys_vmar.c, then futex.c.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "host_isolation.h"
#include "host_memory.h"
#include "kernel.h"
#include "process.h"
#include "vmar.h"
#include "vmar_children.h"

void futex_table_free(void *table); /* futex.c */

typedef enum VmarState { VMAR_ALIVE = 1, VMAR_DEAD } VmarState;

struct AddrSpace {
    uintptr_t base;               /* slot base */
    uint32_t slot;
    KVmar *root;
    void *futexes;                /* futex.c's table */
    HostGuard guard;              /* strict memory mode */
};

struct KVmar {
    KObject base;
    VmarState state;
    uint32_t flags;               /* CAN_MAP_*, CAN_MAP_SPECIFIC, COMPACT */
    uintptr_t start;
    uint64_t size;
    bool is_root;
    KVmar *parent;                /* weak: the parent's list holds us */
    VmRegion *node;               /* our entry in the parent's list */
    VmarChildren kids;            /* address order, indexed */
    AddrSpace *as;                /* NULL once dead */
};

/* Map a mapping's pages for real. Hosts that refuse executable memfd pages
 * get a readable mapping instead (the simulator never executes app code
 * from VMOs). */
static zx_status_t vmar_host_map(AddrSpace *as, const VmRegion *m)
{
    int fd;
    uint64_t foff;
    zx_status_t s = vmo_backing(m->vmo, &fd, &foff);
    if (s != ZX_OK)
        return s;
    if (m->vmo_offset >= VMO_SIM_MAX_SIZE) {
        /* No VMO reaches this far, so every access must fault; the host
         * file offset would not even fit an off_t. */
        fd = host_void_fd();
        foff = 0;
        if (fd < 0)
            return ZX_ERR_NO_MEMORY;
    }
    int prot = host_prot(m->perms);
    off_t at = (off_t)(foff + (fd == host_void_fd() ? 0 : m->vmo_offset));
    void *p = mmap((void *)m->base, m->size, prot, MAP_SHARED | MAP_FIXED, fd, at);
    if (p == MAP_FAILED && (prot & PROT_EXEC))
        p = mmap((void *)m->base, m->size, prot & ~PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, at);
    if (p == MAP_FAILED) {
        host_reserve(m->base, m->size);
        return ZX_ERR_NO_MEMORY;
    }
    host_guard_mapped(&as->guard, m->base, m->size, m->perms);
    return ZX_OK;
}

/* ---- Object --------------------------------------------------------------- */

static void vmar_destroy_obj(KObject *o)
{
    free(o);
}

static void vmar_check(const KObject *o)
{
    const KVmar *v = (const KVmar *)o;
    if (v->state == VMAR_DEAD) {
        KCHECK(o->kernel, v->kids.head == NULL && v->kids.root == NULL && v->as == NULL &&
                              v->parent == NULL);
        return;
    }
    uintptr_t prev_end = v->start;
    KCHECK(o->kernel, vmar_children_consistent(&v->kids));
    for (const VmRegion *r = v->kids.head; r; r = r->next) {
        KCHECK(o->kernel, r->base >= prev_end && r->size > 0);
        KCHECK(o->kernel, r->base + r->size <= v->start + v->size);
        KCHECK(o->kernel, r->next ? r->next->prev == r : v->kids.tail == r);
        if (r->vmar)
            KCHECK(o->kernel, r->vmar->parent == v && r->vmar->node == r && r->vmo == NULL);
        else
            KCHECK(o->kernel, r->vmo != NULL);
        prev_end = r->base + r->size;
    }
}

const KObjectOps vmar_ops = {
    .type = ZX_OBJ_TYPE_VMAR,
    .name = "vmar",
    .default_rights = ZX_DEFAULT_VMAR_RIGHTS,
    .possible_rights = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE,
    .waitable = false,
    .destroy = vmar_destroy_obj,
    .check = vmar_check,
};

KVmar *vmar_from(KObject *o)
{
    return KOBJECT_CAST(o, KVmar, ZX_OBJ_TYPE_VMAR);
}

bool vmar_is_root(const KVmar *v) { return v->is_root; }

zx_rights_t vmar_rights_for(uint32_t flags)
{
    zx_rights_t r = ZX_DEFAULT_VMAR_RIGHTS;
    if (flags & ZX_VM_CAN_MAP_READ)
        r |= ZX_RIGHT_READ;
    if (flags & ZX_VM_CAN_MAP_WRITE)
        r |= ZX_RIGHT_WRITE;
    if (flags & ZX_VM_CAN_MAP_EXECUTE)
        r |= ZX_RIGHT_EXECUTE;
    return r;
}

static KVmar *vmar_new(Kernel *k, uint32_t flags, uintptr_t start, uint64_t size,
                       AddrSpace *as, const char *name)
{
    KVmar *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->state = VMAR_ALIVE;
    v->flags = flags;
    v->start = start;
    v->size = size;
    v->as = as;
    kobject_init(k, &v->base, &vmar_ops, 0);
    kobject_set_name(&v->base, name, strlen(name));
    return v;
}

/* ---- The child list ------------------------------------------------------- */

static void vmar_link(KVmar *v, VmRegion *n)
{
    vmar_children_insert(&v->kids, n);
}

static void vmar_unlink(KVmar *v, VmRegion *n)
{
    vmar_children_remove(&v->kids, n);
}

static bool vmar_overlaps(const VmRegion *r, uintptr_t base, uint64_t size)
{
    return r->base < base + size && base < r->base + r->size;
}

static bool vmar_range_free(const KVmar *v, uintptr_t base, uint64_t size)
{
    return vmar_children_first_overlap(&v->kids, base, size) == NULL;
}

/* Lowest address in v where `size` bytes aligned to `align` fit below
 * `end`. */
static bool vmar_find_spot(const KVmar *v, uint64_t size, uint64_t align, uintptr_t end,
                           uintptr_t *out)
{
    return vmar_children_lowest_fit(&v->kids, v->start, end, size, align, out);
}

static VmRegion *vmar_new_mapping(const AddrSpace *as, uintptr_t base, uint64_t size,
                                  KVmo *vmo, uint64_t vmo_offset, uint32_t perms,
                                  uint32_t can_map)
{
    VmRegion *m = g_new0(VmRegion, 1); /* aborts on host OOM: no failure path */
    m->as = as;
    m->base = base;
    m->size = size;
    m->vmo = vmo;
    m->vmo_offset = vmo_offset;
    m->perms = perms;
    m->can_map = can_map;
    kobject_ref((KObject *)vmo);
    vmo_mapping_added(vmo, as);
    return m;
}

static void vmar_free_mapping(VmRegion *m)
{
    KVmo *vmo = m->vmo;
    const AddrSpace *as = m->as;
    g_free(m);
    vmo_mapping_removed(vmo, as);
    kobject_unref((KObject *)vmo);
}

/* Split mapping m at `at` (strictly inside); the tail becomes a new mapping
 * linked after m. The host mapping is untouched. */
static void vmar_split(KVmar *v, VmRegion *m, uintptr_t at)
{
    uint64_t head = at - m->base;
    VmRegion *t = vmar_new_mapping(m->as, at, m->size - head, m->vmo, m->vmo_offset + head,
                                   m->perms, m->can_map);
    vmar_children_shrink(&v->kids, m, head);
    vmar_link(v, t);
}

/* Remove [lo, hi) from mapping m (they overlap); `host`: re-reserve it. */
static void vmar_cut(KVmar *v, VmRegion *m, uintptr_t lo, uintptr_t hi, bool host)
{
    if (lo < m->base)
        lo = m->base;
    if (hi > m->base + m->size)
        hi = m->base + m->size;
    if (host)
        host_reserve(lo, hi - lo);
    if (hi < m->base + m->size)
        vmar_split(v, m, hi);       /* keep the tail */
    if (lo > m->base) {
        vmar_children_shrink(&v->kids, m, lo - m->base); /* keep the head */
        return;
    }
    vmar_unlink(v, m);
    vmar_free_mapping(m);
}

static void vmar_destroy_tree(KVmar *v, bool host);

/* Unmap mappings and destroy sub-VMARs in [base, base+size); sub-VMARs in
 * the range were checked to lie wholly inside it. */
static void vmar_unmap_range(KVmar *v, uintptr_t base, uint64_t size, bool host)
{
    VmRegion *r = vmar_children_first_overlap(&v->kids, base, size);
    while (r && r->base < base + size) {
        VmRegion *next = r->next;
        if (vmar_overlaps(r, base, size)) {
            if (r->vmar) {
                vmar_destroy_tree(r->vmar, host);
            } else {
                /* a split links a kept tail after r, at or past the
                 * range's end: `next` is still right */
                vmar_cut(v, r, base, base + size, host);
            }
        }
        r = next;
    }
}

/* Destroy v and everything under it. The parent's reference is dropped
 * last, so v may be freed on return. */
static void vmar_destroy_tree(KVmar *v, bool host)
{
    while (v->kids.head) {
        VmRegion *r = v->kids.head;
        if (r->vmar) {
            vmar_destroy_tree(r->vmar, host); /* unlinks r */
        } else {
            if (host)
                host_reserve(r->base, r->size);
            vmar_unlink(v, r);
            vmar_free_mapping(r);
        }
    }
    v->state = VMAR_DEAD;
    v->as = NULL;
    KVmar *parent = v->parent;
    if (!parent)
        return;
    vmar_unlink(parent, v->node);
    g_free(v->node);
    v->node = NULL;
    v->parent = NULL;
    kobject_unref(&v->base);
}

/* ---- Placement (Zircon's CreateSubVmarInternal checks, in its order) ---- */

#define VMAR_ALIGN_MASK (0xffu << ZX_VM_ALIGN_BASE)
#define VMAR_KNOWN_FLAGS                                                        \
    (VMAR_PERM_RWX | ZX_VM_COMPACT | ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE | \
     ZX_VM_CAN_MAP_SPECIFIC | VMAR_CAN_RWX | ZX_VM_REQUIRE_NON_RESIZABLE |       \
     ZX_VM_ALLOW_FAULTS | ZX_VM_OFFSET_IS_UPPER_LIMIT)

static zx_status_t vmar_split_flags(uint32_t flags, uint64_t *align)
{
    if (flags & ~VMAR_ALIGN_MASK & ~VMAR_KNOWN_FLAGS)
        return ZX_ERR_INVALID_ARGS;
    uint32_t a = flags >> ZX_VM_ALIGN_BASE;
    if ((a < 10 && a != 0) || a > 32)
        return ZX_ERR_INVALID_ARGS;
    *align = a ? ((uint64_t)1 << a) : 0;
    return ZX_OK;
}

static uint32_t vmar_perms_to_can(uint32_t perms)
{
    return ((perms & ZX_VM_PERM_READ) ? ZX_VM_CAN_MAP_READ : 0) |
           ((perms & ZX_VM_PERM_WRITE) ? ZX_VM_CAN_MAP_WRITE : 0) |
           ((perms & ZX_VM_PERM_EXECUTE) ? ZX_VM_CAN_MAP_EXECUTE : 0);
}

typedef struct VmarPlace {
    uint32_t flags;       /* SPECIFIC*, and the CAN_MAP_* the child needs */
    uint64_t offset, size, align;
    uintptr_t base;       /* out */
    bool overwrite;       /* out: specific overwrite over existing mappings */
} VmarPlace;

static zx_status_t vmar_place_specific(const KVmar *v, VmarPlace *pl)
{
    pl->base = v->start + pl->offset;
    if (!vmo_aligned(pl->base))
        return ZX_ERR_INVALID_ARGS;
    if (pl->align && (pl->base & (pl->align - 1)))
        return ZX_ERR_INVALID_ARGS;
    if (vmar_range_free(v, pl->base, pl->size))
        return ZX_OK;
    if (!(pl->flags & ZX_VM_SPECIFIC_OVERWRITE))
        return ZX_ERR_NO_MEMORY;
    for (const VmRegion *r = vmar_children_first_overlap(&v->kids, pl->base, pl->size);
         r && r->base < pl->base + pl->size; r = r->next)
        if (r->vmar)
            return ZX_ERR_INVALID_ARGS; /* may not overwrite a sub-VMAR */
    pl->overwrite = true;
    return ZX_OK;
}

static zx_status_t vmar_place(const KVmar *v, VmarPlace *pl)
{
    if (v->state != VMAR_ALIVE)
        return ZX_ERR_BAD_STATE;
    if (pl->size == 0)
        return ZX_ERR_INVALID_ARGS;
    if (pl->flags & ~v->flags & VMAR_CAN_RWX)
        return ZX_ERR_ACCESS_DENIED;
    bool specific = pl->flags & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE);
    bool upper = pl->flags & ZX_VM_OFFSET_IS_UPPER_LIMIT;
    if (specific && upper)
        return ZX_ERR_INVALID_ARGS;
    if (!specific && !upper && pl->offset != 0)
        return ZX_ERR_INVALID_ARGS;
    if (specific && !(v->flags & ZX_VM_CAN_MAP_SPECIFIC))
        return ZX_ERR_ACCESS_DENIED;
    /* An upper limit bounds the end of the placement, not its start. */
    uint64_t limit = upper ? pl->offset : v->size;
    if (upper ? (limit > v->size || pl->size > limit)
              : (pl->offset >= v->size || pl->size > v->size - pl->offset))
        return ZX_ERR_INVALID_ARGS;
    pl->overwrite = false;
    if (specific)
        return vmar_place_specific(v, pl);
    uint64_t align = pl->align > VMO_PAGE_SIZE ? pl->align : VMO_PAGE_SIZE;
    return vmar_find_spot(v, pl->size, align, v->start + limit, &pl->base) ? ZX_OK
                                                                           : ZX_ERR_NO_MEMORY;
}

/* ---- Operations ------------------------------------------------------------ */

zx_status_t vmar_allocate(KVmar *parent, uint32_t flags, uint64_t offset,
                          uint64_t size, KVmar **out)
{
    VmarPlace pl = {.flags = flags, .offset = offset, .size = size};
    zx_status_t s = vmar_split_flags(flags, &pl.align);
    if (s != ZX_OK)
        return s;
    if ((flags & VMAR_PERM_RWX) || !vmo_aligned(size))
        return ZX_ERR_INVALID_ARGS;
    uint32_t kept = ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_COMPACT | VMAR_CAN_RWX;
    if (flags & ~VMAR_ALIGN_MASK & ~kept & ~ZX_VM_OFFSET_IS_UPPER_LIMIT)
        return ZX_ERR_INVALID_ARGS;
    if ((s = vmar_place(parent, &pl)) != ZX_OK)
        return s;
    KVmar *c = vmar_new(parent->base.kernel, flags & kept & ~ZX_VM_SPECIFIC,
                        pl.base, size, parent->as, "useralloc");
    if (!c)
        return ZX_ERR_NO_MEMORY;
    VmRegion *n = g_new0(VmRegion, 1);
    n->base = pl.base;
    n->size = size;
    n->vmar = c;
    c->parent = parent;
    c->node = n;
    kobject_ref(&c->base); /* the parent's list; the caller keeps the first */
    vmar_link(parent, n);
    *out = c;
    return ZX_OK;
}

zx_status_t vmar_map(KVmar *v, uint32_t flags, uint64_t offset, KVmo *vmo,
                     uint64_t vmo_offset, uint64_t len, uint32_t can_map,
                     uintptr_t *addr)
{
    VmarPlace pl = {.offset = offset};
    zx_status_t s = vmar_split_flags(flags, &pl.align);
    if (s != ZX_OK)
        return s;
    if ((flags & ZX_VM_REQUIRE_NON_RESIZABLE) && vmo_is_resizable(vmo))
        return ZX_ERR_NOT_SUPPORTED;
    uint32_t perms = flags & VMAR_PERM_RWX;
    uint32_t rest = flags & ~VMAR_ALIGN_MASK & ~VMAR_PERM_RWX &
                    ~(ZX_VM_REQUIRE_NON_RESIZABLE | ZX_VM_ALLOW_FAULTS);
    if (rest & ~(ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_OFFSET_IS_UPPER_LIMIT))
        return ZX_ERR_INVALID_ARGS;
    if (!vmo_aligned(vmo_offset))
        return ZX_ERR_INVALID_ARGS;
    /* A length that rounds past the top, or a VMO range that wraps, is out
     * of range (a range past the VMO's end is fine: access faults). */
    pl.size = vmo_round_up(len);
    if (pl.size < len || vmo_offset + pl.size < vmo_offset)
        return ZX_ERR_OUT_OF_RANGE;
    pl.flags = rest | vmar_perms_to_can(perms);
    if ((s = vmar_place(v, &pl)) != ZX_OK)
        return s;
    VmRegion *m = vmar_new_mapping(v->as, pl.base, pl.size, vmo, vmo_offset, perms,
                                   can_map | vmar_perms_to_can(perms));
    if ((s = vmar_host_map(v->as, m)) != ZX_OK) {
        vmar_free_mapping(m);
        return s;
    }
    if (pl.overwrite)
        vmar_unmap_range(v, pl.base, pl.size, false); /* host already replaced */
    vmar_link(v, m);
    *addr = pl.base;
    return ZX_OK;
}

static zx_status_t vmar_check_range(const KVmar *v, uintptr_t addr, uint64_t *len)
{
    if (v->state != VMAR_ALIVE)
        return ZX_ERR_BAD_STATE;
    if (*len == 0)
        return ZX_ERR_INVALID_ARGS;
    uint64_t size = vmo_round_up(*len);
    if (size < *len || addr < v->start || addr - v->start >= v->size ||
        size > v->size - (addr - v->start))
        return ZX_ERR_INVALID_ARGS;
    *len = size;
    return ZX_OK;
}

zx_status_t vmar_unmap(KVmar *v, uintptr_t addr, uint64_t len)
{
    if (!vmo_aligned(addr))
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = vmar_check_range(v, addr, &len);
    if (s != ZX_OK)
        return s;
    for (const VmRegion *r = vmar_children_first_overlap(&v->kids, addr, len);
         r && r->base < addr + len; r = r->next)
        if (r->vmar && (r->base < addr || r->base + r->size > addr + len))
            return ZX_ERR_INVALID_ARGS; /* partial sub-VMAR */
    vmar_unmap_range(v, addr, len, true);
    return ZX_OK;
}

/* Protect validation: the range must be covered by mappings, with no hole
 * (NOT_FOUND), no sub-VMAR (INVALID_ARGS), each allowing perms. */
static zx_status_t vmar_protect_check(const KVmar *v, uintptr_t addr, uint64_t len,
                                      uint32_t perms)
{
    uintptr_t cur = addr, end = addr + len;
    for (const VmRegion *r = vmar_children_first_overlap(&v->kids, addr, len);
         r && r->base < end; r = r->next) {
        if (r->base + r->size <= cur)
            continue;
        if (r->base > cur)
            return ZX_ERR_NOT_FOUND;
        if (r->vmar)
            return ZX_ERR_INVALID_ARGS;
        if (vmar_perms_to_can(perms) & ~r->can_map)
            return ZX_ERR_ACCESS_DENIED;
        cur = r->base + r->size;
    }
    return cur < end ? ZX_ERR_NOT_FOUND : ZX_OK;
}

zx_status_t vmar_protect(KVmar *v, uintptr_t addr, uint64_t len, uint32_t perms)
{
    if (!vmo_aligned(addr))
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = vmar_check_range(v, addr, &len);
    if (s == ZX_OK)
        s = vmar_protect_check(v, addr, len, perms);
    if (s != ZX_OK)
        return s;
    for (VmRegion *r = vmar_children_first_overlap(&v->kids, addr, len);
         r && r->base < addr + len; r = r->next) {
        if (r->base + r->size <= addr)
            continue;
        if (r->base < addr) {
            vmar_split(v, r, addr);
            continue; /* the tail comes next */
        }
        if (r->base + r->size > addr + len)
            vmar_split(v, r, addr + len);
        r->perms = perms;
    }
    host_guard_protect(&v->as->guard, addr, len, perms);
    return ZX_OK;
}

zx_status_t vmar_destroy(KVmar *v)
{
    if (v->state != VMAR_ALIVE)
        return ZX_ERR_BAD_STATE;
    if (v->is_root)
        return ZX_ERR_NOT_SUPPORTED;
    vmar_destroy_tree(v, true);
    return ZX_OK;
}

zx_status_t vmar_highest_fit(const KVmar *v, uint64_t size, uint64_t *offset)
{
    if (v->state != VMAR_ALIVE)
        return ZX_ERR_BAD_STATE;
    uintptr_t at;
    if (size == 0 || !vmar_children_highest_fit(&v->kids, v->start, v->start + v->size, size,
                                                 VMO_PAGE_SIZE, &at))
        return ZX_ERR_NO_MEMORY;
    *offset = at - v->start;
    return ZX_OK;
}

/* ---- Process address spaces ------------------------------------------------ */

static void vmar_reapply_tree(const KVmar *v, HostGuard *g)
{
    for (const VmRegion *r = v->kids.head; r; r = r->next) {
        if (r->vmar)
            vmar_reapply_tree(r->vmar, g);
        else
            host_guard_protect(g, r->base, r->size, r->perms);
    }
}

/* The guard's callback: every mapping's permissions, again. */
static void vmar_guard_reapply(void *owner)
{
    AddrSpace *as = owner;
    vmar_reapply_tree(as->root, &as->guard);
}

void vmar_process_created(KProcess *p)
{
    Kernel *k = p->base.kernel;
    AddrSpace *as = calloc(1, sizeof *as);
    if (!as || !host_slot_get(&as->slot, &as->base)) {
        free(as);
        kernel_trace(k, KTR_NOTE, p->base.koid, 0, 0, 0, "no address space slot");
        return;
    }
    if (!host_guard_init(&as->guard, k->strict_memory, as->base, VMAR_SLOT_SIZE,
                         vmar_guard_reapply, as))
        kernel_panic(__FILE__, __LINE__, "strict memory: no protection keys");
    uint32_t flags = ZX_VM_CAN_MAP_SPECIFIC | VMAR_CAN_RWX;
    KVmar *root = vmar_new(k, flags, as->base, VMAR_SLOT_SIZE - VMAR_SLOT_GUARD, as, "root");
    if (!root) {
        host_slot_put(as->slot, as->base);
        free(as);
        return;
    }
    root->is_root = true;
    as->root = root;
    if (k->strict_memory != HOST_ISOLATION_OFF)
        p->guard = &as->guard;
    p->root_vmar = root; /* the process keeps the creation reference */
}

void vmar_process_dead(KProcess *p)
{
    KVmar *root = p->root_vmar;
    if (!root)
        return;
    AddrSpace *as = root->as;
    p->root_vmar = NULL;
    p->guard = NULL;
    futex_table_free(as->futexes);
    vmar_destroy_tree(root, false);
    host_guard_release(&as->guard);
    host_slot_put(as->slot, as->base); /* one reservation over the whole slot */
    free(as);
    kobject_unref(&root->base);
}

KObject *vmar_root_object(KProcess *p)
{
    return p->root_vmar ? &p->root_vmar->base : NULL;
}

zx_rights_t vmar_root_rights(void)
{
    return vmar_rights_for(VMAR_CAN_RWX);
}

void **vmar_futex_table(KProcess *p)
{
    return p->root_vmar ? &p->root_vmar->as->futexes : NULL;
}

uint64_t vmar_relative(KProcess *p, uintptr_t addr)
{
    return p->root_vmar ? addr - p->root_vmar->as->base : 0;
}

static const VmRegion *vmar_find(const KVmar *v, uintptr_t addr)
{
    return vmar_children_at(&v->kids, addr);
}

/* The mapping of p holding addr (NULL if none), and in *parent the VMAR
 * it is a child of: a descent through the tree. */
static const VmRegion *vmar_mapping_region(const KProcess *p, uintptr_t addr,
                                           const KVmar **parent)
{
    const KVmar *v = p->root_vmar;
    const VmRegion *r;
    while ((r = vmar_find(v, addr)) && r->vmar)
        v = r->vmar;
    *parent = v;
    return r;
}

zx_status_t vmar_process_memory(KProcess *p, uintptr_t addr, size_t len,
                                KVmo **vmo, uint64_t *offset, size_t *avail)
{
    if (!p->root_vmar || p->root_vmar->state != VMAR_ALIVE)
        return ZX_ERR_BAD_STATE;
    const KVmar *v;
    const VmRegion *r = vmar_mapping_region(p, addr, &v);
    if (!r)
        return ZX_ERR_NO_MEMORY;
    uint64_t off = r->vmo_offset + (addr - r->base);
    uint64_t vsize = vmo_size(r->vmo);
    if (off >= vsize)
        return ZX_ERR_NO_MEMORY;
    uint64_t n = r->base + r->size - addr;
    if (n > vsize - off)
        n = vsize - off;
    *vmo = r->vmo;
    *offset = off;
    *avail = n < len ? (size_t)n : len;
    return ZX_OK;
}

zx_status_t vmar_mapping_at(KProcess *p, uintptr_t addr, VmarMappingAt *out)
{
    if (!p->root_vmar || p->root_vmar->state != VMAR_ALIVE)
        return ZX_ERR_BAD_STATE;
    const KVmar *v;
    const VmRegion *r = vmar_mapping_region(p, addr, &v);
    if (!r)
        return ZX_ERR_NOT_FOUND;
    out->base = r->base;
    out->size = r->size;
    out->perms = r->perms;
    out->below = v != p->root_vmar && v->kids.head == r ? r->base - v->start : 0;
    return ZX_OK;
}

/* ---- Info ------------------------------------------------------------------ */

void vmar_info(KObject *o, zx_info_vmar_t *info)
{
    KVmar *v = vmar_from(o);
    info->base = v->start;
    info->len = v->size;
}

static void vmar_visit_tree(const KVmar *v, size_t depth, uintptr_t slot,
                            VmarVisitFn fn, void *ctx)
{
    VmarVisit vis = {
        .type = ZX_INFO_MAPS_TYPE_VMAR, .depth = depth, .base = v->start,
        .rel_base = v->start - slot, .size = v->size, .name = v->base.name,
        .object = (KObject *)&v->base,
    };
    fn(&vis, ctx);
    for (const VmRegion *r = v->kids.head; r; r = r->next) {
        if (r->vmar) {
            vmar_visit_tree(r->vmar, depth + 1, slot, fn, ctx);
            continue;
        }
        VmarVisit m = {
            .type = ZX_INFO_MAPS_TYPE_MAPPING, .depth = depth + 1, .base = r->base,
            .rel_base = r->base - slot, .size = r->size,
            .name = ((KObject *)r->vmo)->name, .object = (KObject *)r->vmo,
            .vmo_offset = r->vmo_offset, .perms = r->perms,
        };
        fn(&m, ctx);
    }
}

zx_status_t vmar_visit_process(KProcess *p, VmarVisitFn fn, void *ctx)
{
    const KVmar *root = p->root_vmar;
    if (!root)
        return ZX_ERR_BAD_STATE;
    uintptr_t slot = root->as->base;
    VmarVisit as = {
        .type = ZX_INFO_MAPS_TYPE_ASPACE, .depth = 0, .base = slot,
        .rel_base = 0, .size = VMAR_SLOT_SIZE, .name = p->base.name,
    };
    fn(&as, ctx);
    vmar_visit_tree(root, 1, slot, fn, ctx);
    return ZX_OK;
}

void vmar_visit_vmar(KObject *o, VmarVisitFn fn, void *ctx)
{
    const KVmar *v = vmar_from(o);
    vmar_visit_tree(v, 0, v->as ? v->as->base : 0, fn, ctx);
}
