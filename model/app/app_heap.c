/* app_heap.c — a process's malloc heap, in its own address space.
 *
 * Models: what a program sees of Fuchsia's allocator (scudo): heap memory
 * is VMOs mapped into the process's root VMAR, named "scudo:primary" for
 * the regions small blocks are carved from and "scudo:secondary" for a
 * large block's own mapping. So heap addresses are the same every run
 * (the VMAR places mappings deterministically), the memory goes with the
 * process, strict memory mode closes it to others, and another process
 * holding a process handle reads it with zx_process_read_memory like any
 * mapping. Before this, an app's malloc was the host's: addresses changed
 * from run to run (a printed pointer changed the trace hash), blocks
 * outlived their process, and an overflow corrupted the simulator's own
 * heap.
 *
 * Layout: a region is 1 MiB, 64 KiB aligned, sixteen slabs of 64 KiB. A
 * slab is given one size class when first needed and keeps it; a block's
 * address is slab + slot * class size, so a class that is a multiple of
 * an alignment (<= 4 KiB) gives blocks with that alignment. Blocks above
 * the largest class (32 KiB) or more aligned than 4 KiB get a mapping of
 * their own, aligned by the VMAR.
 *
 * Bookkeeping lives in host memory only (a bitmap per slab, a record per
 * large block), never in the heap: whatever an app writes over its
 * blocks, the allocator cannot be misled, and every misuse (double free, a
 * pointer into the middle of a block, an address no heap gave) is
 * recognised exactly (libc_malloc.c reports it).
 *
 * Determinism: a class's slabs with free slots form a list (a slab that
 * gains a free slot goes to its head); a block is the lowest free slot of
 * the head slab; fresh slabs are taken in order, from the oldest region
 * with any. Which block an allocation gets depends only on the process's
 * own calls and its schedule.
 *
 * The registry (every live heap mapping of every heap, sorted by address)
 * answers "whose block is this?" for free(), from any context; it has its
 * own lock because simulations may run on several host threads. A heap
 * and its spans change only on the host thread of its own simulation, so
 * a span found under the lock can be read after it.
 *
 * Giving back: a large block is unmapped when freed. A region whose
 * every block is freed is kept for 1 ms of virtual time (scudo releases
 * at an interval too), then unmapped at the next call of its process's
 * app code into the heap, unless used again meanwhile; one emptied region,
 * the spare, is kept for good. So a process that frees everything shrinks
 * in ZX_INFO_PROCESS_MAPS and committed bytes, while one allocating and
 * freeing in rounds never maps and unmaps a region per round. A region's
 * slabs keep their classes until it goes (a double free stays exactly
 * recognised).
 *
 * Left out: giving back single empty slabs of a region still in use
 * (scudo decommits them through the region's VMO, whose handle this heap
 * does not keep), thread caches, quarantine and chunk checksums
 * (recognition is exact without them), memory tagging. Read next:
 * libc_malloc.c.
 */
#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "app_heap.h"
#include "libc_memory.h"
#include "sim.h"

#define HEAP_SLAB_SHIFT 16
#define HEAP_SLAB ((uintptr_t)1 << HEAP_SLAB_SHIFT)
#define HEAP_REGION_SLABS 16u
#define HEAP_REGION (HEAP_SLAB * HEAP_REGION_SLABS)
#define HEAP_PAGE ((uintptr_t)4096)
#define HEAP_MIN_ALIGN 16u
#define HEAP_SLOTS_MAX (HEAP_SLAB / HEAP_MIN_ALIGN)
/* An emptied region (other than the spare) is given back once it has
 * stayed empty this long, in virtual time. */
#define HEAP_RELEASE_AFTER_NS ((SimTime)1000000)

static const uint32_t heap_class_size[] = {
    16,    32,    48,    64,    80,    96,    112,   128,   160,   192,
    224,   256,   320,   384,   448,   512,   640,   768,   896,   1024,
    1280,  1536,  1792,  2048,  2560,  3072,  3584,  4096,  5120,  6144,
    7168,  8192,  10240, 12288, 14336, 16384, 20480, 24576, 28672, 32768,
};
#define HEAP_CLASSES (sizeof heap_class_size / sizeof heap_class_size[0])
#define HEAP_LARGEST 32768u
#define HEAP_NO_CLASS UINT32_MAX

typedef struct HeapSlab {
    uintptr_t base;
    uint32_t cls;                  /* HEAP_NO_CLASS until first used */
    uint32_t nslots, nfree;
    uint32_t hint;                 /* no free slot below this word */
    struct HeapSlab *next_partial; /* its class's list of slabs with room */
    struct HeapSlab *prev_partial;
    bool listed;
    struct HeapSpan *region;       /* the region it is carved from */
    uint64_t used[HEAP_SLOTS_MAX / 64];
} HeapSlab;

/* One mapping of one heap: a primary region or a large block. */
typedef struct HeapSpan {
    uintptr_t base, end;           /* the mapping */
    AppHeap *heap;
    HeapSlab *slabs;               /* a region's sixteen; NULL: a large block */
    uint32_t unused_from;          /* region: its slabs from here never used */
    uint32_t nonempty;             /* region: its slabs holding a live block */
    uintptr_t block;               /* large: the block's address */
    size_t size;                   /* large: its usable size */
    bool freed;                    /* large: freed; region: emptied; its unmap pending */
    SimTime due;                   /* freed: when it may be unmapped */
} HeapSpan;

struct AppHeap {
    HeapSlab *partial[HEAP_CLASSES];
    GPtrArray *spans;              /* HeapSpan*, its own, in creation order */
    guint fresh_hint;              /* no region before this index has unused slabs */
    size_t pending;                /* spans freed or emptied, not yet unmapped */
    SimTime next_due;              /* none of them is due before this */
    HeapSpan *spare;               /* the one empty region kept mapped, or NULL */
};

static GMutex heap_registry_lock;
static GPtrArray *heap_registry;   /* HeapSpan*, sorted by base */

/* ---- the registry -------------------------------------------------------*/

/* Index of the first span whose base is above addr. Lock held. */
static guint heap_registry_upper(uintptr_t addr)
{
    guint lo = 0, hi = heap_registry ? heap_registry->len : 0;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (((HeapSpan *)heap_registry->pdata[mid])->base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void heap_registry_add(HeapSpan *s)
{
    g_mutex_lock(&heap_registry_lock);
    if (!heap_registry)
        heap_registry = g_ptr_array_new();
    g_ptr_array_insert(heap_registry, (gint)heap_registry_upper(s->base), s);
    g_mutex_unlock(&heap_registry_lock);
}

static void heap_registry_remove(HeapSpan *s)
{
    g_mutex_lock(&heap_registry_lock);
    guint i = heap_registry_upper(s->base);
    if (i > 0 && heap_registry->pdata[i - 1] == s)
        g_ptr_array_remove_index(heap_registry, i - 1);
    g_mutex_unlock(&heap_registry_lock);
}

/* The span holding addr, or NULL. Lock held. */
static HeapSpan *heap_registry_find(uintptr_t addr)
{
    guint i = heap_registry_upper(addr);
    if (i == 0)
        return NULL;
    HeapSpan *s = heap_registry->pdata[i - 1];
    return addr < s->end ? s : NULL;
}

/* ---- mappings -----------------------------------------------------------*/

/* Map len bytes named `name`, aligned to align (a power of two): 0 when
 * the process cannot get them. */
static uintptr_t heap_map(size_t len, size_t align, const char *name)
{
    zx_vm_option_t options = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    if (align > HEAP_PAGE)
        options |= (zx_vm_option_t)__builtin_ctzll(align) << ZX_VM_ALIGN_BASE;
    uintptr_t addr = 0;
    if (libc_memory_map_vmo(len, name, options, 0, &addr) != ZX_OK)
        return 0;
    return addr;
}

static HeapSpan *heap_span_new(AppHeap *h, uintptr_t base, size_t len)
{
    HeapSpan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base = base;
    s->end = base + len;
    s->heap = h;
    g_ptr_array_add(h->spans, s);
    heap_registry_add(s);
    return s;
}

static void heap_list_remove(AppHeap *h, HeapSlab *slab);

static void heap_span_drop(AppHeap *h, HeapSpan *s)
{
    if (h->spare == s)
        h->spare = NULL;
    for (uint32_t i = 0; s->slabs && i < s->unused_from; i++)
        heap_list_remove(h, &s->slabs[i]);
    heap_registry_remove(s);
    g_ptr_array_remove(h->spans, s);
    h->fresh_hint = 0;
    free(s->slabs);
    free(s);
}

/* Forget span s and unmap it: bookkeeping first, so that threads of the
 * process running during the kernel entry never find it. */
static void heap_span_unmap(AppHeap *h, HeapSpan *s)
{
    uintptr_t base = s->base, len = s->end - s->base;
    heap_span_drop(h, s);
    zx_vmar_unmap(zx_vmar_root_self(), base, len);
}

/* Virtual time now (0 off the engine: nothing of the heap runs there but
 * a free from the host, which unmaps nothing). */
static SimTime heap_now(void)
{
    SimEngine *e = sim_current_engine();
    return e ? sim_now(e) : 0;
}

/* Span s waits to be unmapped from `due` on. */
static void heap_unmap_later(AppHeap *h, HeapSpan *s, SimTime due)
{
    s->freed = true;
    s->due = due;
    if (!h->pending++ || due < h->next_due)
        h->next_due = due;
}

/* Unmap the spans whose time has come: large blocks freed by others while
 * this process could not, regions empty for HEAP_RELEASE_AFTER_NS (one
 * used again meanwhile stays). One at a time, looking again after each:
 * the kernel entry lets other threads of the process run, and they may
 * change the heap. */
static void heap_unmap_due(AppHeap *h)
{
    SimTime now = heap_now();
    while (h->pending && now >= h->next_due) {
        HeapSpan *found = NULL;
        size_t left = 0;
        SimTime next = INT64_MAX;
        for (guint i = 0; i < h->spans->len; i++) {
            HeapSpan *s = h->spans->pdata[i];
            if (!s->freed)
                continue;
            if (s->slabs && s->nonempty) {
                s->freed = false;
            } else if (!found && s->due <= now) {
                found = s;
            } else {
                left++;
                next = s->due < next ? s->due : next;
            }
        }
        h->pending = left;
        h->next_due = next;
        if (found)
            heap_span_unmap(h, found);
    }
}

/* ---- small blocks -------------------------------------------------------*/

/* The smallest class for each size in 16-byte steps (alignment 16). */
static uint8_t heap_class_by_16[HEAP_LARGEST / HEAP_MIN_ALIGN + 1];
static gsize heap_class_table_ready;

static void heap_class_table_fill(void)
{
    uint32_t c = 0;
    for (uint32_t i = 0; i <= HEAP_LARGEST / HEAP_MIN_ALIGN; i++) {
        while (heap_class_size[c] < i * HEAP_MIN_ALIGN)
            c++;
        heap_class_by_16[i] = (uint8_t)c;
    }
}

static uint32_t heap_class_for(size_t size, size_t align)
{
    if (align <= HEAP_MIN_ALIGN) {
        if (g_once_init_enter(&heap_class_table_ready)) {
            heap_class_table_fill();
            g_once_init_leave(&heap_class_table_ready, 1);
        }
        return heap_class_by_16[(size + HEAP_MIN_ALIGN - 1) / HEAP_MIN_ALIGN];
    }
    for (uint32_t c = 0; c < HEAP_CLASSES; c++)
        if (heap_class_size[c] >= size && heap_class_size[c] % align == 0)
            return c;
    return HEAP_NO_CLASS;
}

static void heap_list_push(AppHeap *h, HeapSlab *slab)
{
    slab->next_partial = h->partial[slab->cls];
    slab->prev_partial = NULL;
    if (slab->next_partial)
        slab->next_partial->prev_partial = slab;
    h->partial[slab->cls] = slab;
    slab->listed = true;
}

static void heap_list_remove(AppHeap *h, HeapSlab *slab)
{
    if (!slab->listed)
        return;
    if (slab->prev_partial)
        slab->prev_partial->next_partial = slab->next_partial;
    else
        h->partial[slab->cls] = slab->next_partial;
    if (slab->next_partial)
        slab->next_partial->prev_partial = slab->prev_partial;
    slab->next_partial = slab->prev_partial = NULL;
    slab->listed = false;
}

/* Map a new region: NULL when the process cannot get one. Other threads
 * of the process may run meanwhile (the kernel entries are preemption
 * points) and map regions of their own: each joins the heap. */
static HeapSpan *heap_grow(AppHeap *h)
{
    HeapSlab *slabs = calloc(HEAP_REGION_SLABS, sizeof *slabs);
    uintptr_t base = slabs ? heap_map(HEAP_REGION, HEAP_SLAB, "scudo:primary") : 0;
    HeapSpan *s = base ? heap_span_new(h, base, HEAP_REGION) : NULL;
    if (!s) {
        free(slabs);
        return NULL;
    }
    for (uint32_t i = 0; i < HEAP_REGION_SLABS; i++) {
        slabs[i].base = base + i * HEAP_SLAB;
        slabs[i].cls = HEAP_NO_CLASS;
        slabs[i].region = s;
    }
    s->slabs = slabs;
    return s;
}

/* A region with a slab never used, the oldest first. */
static HeapSpan *heap_unused_region(AppHeap *h)
{
    for (guint i = h->fresh_hint; i < h->spans->len; i++) {
        HeapSpan *s = h->spans->pdata[i];
        if (s->slabs && s->unused_from < HEAP_REGION_SLABS)
            return s;
        h->fresh_hint = i + 1;
    }
    return NULL;
}

/* A slab never used yet, given class c; NULL when none is mapped (and,
 * with may_grow, none can be). */
static HeapSlab *heap_fresh_slab(AppHeap *h, uint32_t c, bool may_grow)
{
    HeapSpan *s = heap_unused_region(h);
    if (!s && (!may_grow || !heap_grow(h) || !(s = heap_unused_region(h))))
        return NULL;
    HeapSlab *slab = &s->slabs[s->unused_from++];
    slab->cls = c;
    slab->nslots = slab->nfree = (uint32_t)(HEAP_SLAB / heap_class_size[c]);
    heap_list_push(h, slab);
    return slab;
}

static uintptr_t heap_alloc_small(AppHeap *h, uint32_t c, bool may_grow)
{
    HeapSlab *slab = h->partial[c];
    if (!slab && !(slab = heap_fresh_slab(h, c, may_grow)))
        return 0;
    uint32_t w = slab->hint;
    while (slab->used[w] == UINT64_MAX)
        w++;
    uint32_t slot = w * 64 + (uint32_t)__builtin_ctzll(~slab->used[w]);
    slab->used[w] |= 1ull << (slot % 64);
    slab->hint = w;
    if (slab->nfree == slab->nslots && slab->region->nonempty++ == 0 &&
        h->spare == slab->region)
        h->spare = NULL; /* the spare region is in use again */
    if (--slab->nfree == 0)
        heap_list_remove(h, slab);
    return slab->base + (uintptr_t)slot * heap_class_size[c];
}

/* ---- empty regions --------------------------------------------------------*/

/* Region s holds no live block any more. Its slabs keep their classes
 * while it stays (a double free is still recognised as one). The heap
 * keeps one such region mapped for good, the spare; any other is given
 * back to the VMAR once it has stayed empty for HEAP_RELEASE_AFTER_NS of
 * virtual time (as scudo releases memory at an interval), at a call of
 * its own process's app code into the heap: a process allocating and
 * freeing in rounds takes its regions again before then and never maps
 * and unmaps one each round. */
static void heap_region_emptied(AppHeap *h, HeapSpan *s)
{
    if (!h->spare)
        h->spare = s;
    else
        heap_unmap_later(h, s, heap_now() + HEAP_RELEASE_AFTER_NS);
}

/* ---- the interface ------------------------------------------------------*/

AppHeap *app_heap_new(void)
{
    AppHeap *h = calloc(1, sizeof *h);
    if (h)
        h->spans = g_ptr_array_new();
    return h;
}

void app_heap_free(AppHeap *h)
{
    if (!h)
        return;
    while (h->spans->len)
        heap_span_drop(h, h->spans->pdata[h->spans->len - 1]);
    g_ptr_array_free(h->spans, TRUE);
    free(h);
}

void *app_heap_alloc(AppHeap *h, size_t size, size_t align, bool may_grow)
{
    if (align < HEAP_MIN_ALIGN)
        align = HEAP_MIN_ALIGN;
    if (may_grow && h->pending)
        heap_unmap_due(h);
    uint32_t c = size <= HEAP_LARGEST && align <= HEAP_PAGE ? heap_class_for(size, align)
                                                            : HEAP_NO_CLASS;
    if (c != HEAP_NO_CLASS)
        return (void *)heap_alloc_small(h, c, may_grow);
    size_t len = (size + HEAP_PAGE - 1) & ~(HEAP_PAGE - 1);
    if (!may_grow || len < size || align > ((size_t)1 << 32))
        return NULL;
    uintptr_t base = heap_map(len, align, "scudo:secondary");
    HeapSpan *s = base ? heap_span_new(h, base, len) : NULL;
    if (!s) {
        if (base)
            zx_vmar_unmap(zx_vmar_root_self(), base, len);
        return NULL;
    }
    s->block = base;
    s->size = len;
    return (void *)base;
}

AppHeapBlock app_heap_find(uintptr_t addr)
{
    AppHeapBlock b = {.verdict = APP_HEAP_UNKNOWN};
    g_mutex_lock(&heap_registry_lock);
    HeapSpan *s = heap_registry ? heap_registry_find(addr) : NULL;
    g_mutex_unlock(&heap_registry_lock);
    if (!s)
        return b;
    b.heap = s->heap;
    b.where = s;
    b.verdict = APP_HEAP_INSIDE;
    if (!s->slabs) {
        if (addr == s->block) {
            b.verdict = s->freed ? APP_HEAP_NOT_LIVE : APP_HEAP_LIVE;
            b.usable = s->size;
        }
        return b;
    }
    const HeapSlab *slab = &s->slabs[(addr - s->base) >> HEAP_SLAB_SHIFT];
    uintptr_t off = addr - slab->base;
    uint32_t size = slab->cls == HEAP_NO_CLASS ? 0 : heap_class_size[slab->cls];
    if (!size || off % size || off / size >= slab->nslots)
        return b; /* not a block's start (or the slab's unusable tail) */
    uintptr_t slot = off / size;
    if (slab->used[slot / 64] & (1ull << (slot % 64))) {
        b.verdict = APP_HEAP_LIVE;
        b.usable = size;
    } else
        b.verdict = APP_HEAP_NOT_LIVE;
    return b;
}

void app_heap_release(const AppHeapBlock *b, uintptr_t addr, bool may_unmap)
{
    AppHeap *h = b->heap;
    HeapSpan *s = b->where;
    if (!s->slabs) {
        if (may_unmap)
            heap_span_unmap(h, s);
        else
            heap_unmap_later(h, s, 0);
        return;
    }
    HeapSlab *slab = &s->slabs[(addr - s->base) >> HEAP_SLAB_SHIFT];
    uint32_t slot = (uint32_t)((addr - slab->base) / heap_class_size[slab->cls]);
    slab->used[slot / 64] &= ~(1ull << (slot % 64));
    if (slot / 64 < slab->hint)
        slab->hint = slot / 64;
    if (slab->nfree++ == 0 && !slab->listed)
        heap_list_push(h, slab);
    if (slab->nfree == slab->nslots && --s->nonempty == 0)
        heap_region_emptied(h, s);
    if (may_unmap && h->pending && heap_now() >= h->next_due)
        heap_unmap_due(h);
}
