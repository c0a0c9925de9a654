/* vmo_internal.h — the VMO object's state, shared by the files that make
 * up the VMO: vmo.c (the object, children, data, info), vmo_cow.c (pages
 * shared copy-on-write) and vmo_store.c (host memory). Nothing else
 * includes it: other code goes through vmo.h.
 */
#ifndef CAPSIM_MODEL_VMO_INTERNAL_H
#define CAPSIM_MODEL_VMO_INTERNAL_H

#include "vmo.h"
#include "vmo_store.h"

/* Copy-on-write state (vmo_cow.c). A VMO whose `src` is set owns only the
 * pages its `owned` bitmap marks; every other page of [0, limit) is, as
 * it reads, page offset+i of src (itself perhaps read through src's src),
 * and past `limit` such a page reads zero. Owners (roots, snapshots) are
 * the only srcs; slices never are, and never have one. A hidden node is
 * a KVmo that is no kernel object: what is left of a dead owner that two
 * or more VMOs still read through (Zircon's hidden parent). */
typedef struct VmoCow {
    KVmo *src;                  /* NULL: every page is our own */
    uint64_t offset;            /* our byte 0 in src */
    uint64_t limit;             /* <= size; see above */
    uint64_t *owned;            /* one bit per page while src is set */
    KVmo *dep_head, *dep_tail;  /* VMOs whose src is us, oldest first */
    KVmo *dep_prev, *dep_next;  /* our place in src's list */
    bool hidden;                /* a dead VMO's pages kept for its deps */
    KVmo *heir;                 /* hidden: the live dep whose pages these
                                 * were (a VMO shrunk under its deps) */
} VmoCow;

struct KVmo {
    KObject base;
    VmoKind kind;
    uint32_t options;           /* ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE */
    uint64_t size;              /* page-aligned */
    uint64_t content_size;      /* ZX_PROP_VMO_CONTENT_SIZE */
    VmoStore store;             /* owner kinds: host memory of [0, size) */
    VmoCow cow;                 /* owner kinds */
    KVmo *parent;               /* slice: strong ref; snapshot: weak */
    zx_koid_t parent_koid;
    uint64_t parent_offset;     /* slice: where the window starts */
    uint64_t root_offset;       /* where our range starts projected onto
                                 * the first VMO of our family; offset +
                                 * size must not wrap there */
    KVmo *child_head, *child_tail, *sib_prev, *sib_next;
    uint32_t child_count;
    uint32_t mapping_count;     /* mappings of this VMO */
    uint32_t host_maps;         /* owner kinds: mappings of our pages,
                                 * through us or any slice of us */
    uint32_t lock_count;        /* discardable: ZX_VMO_OP_LOCK nesting */
    /* Address spaces mapping us, in first-mapping order, with how many
     * mappings each holds (share_count). */
    struct VmoSharer { const void *as; uint32_t mappings; } *sharers;
    uint32_t nsharers;
};

#endif
