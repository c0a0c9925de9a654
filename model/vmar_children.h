/* vmar_children.h — a VMAR's children (sub-VMARs and mappings) in address
 * order, indexed for lookups by address and for finding room. Private to
 * vmar.c and vmar_children.c; see vmar_children.c. */
#ifndef CAPSIM_MODEL_VMAR_CHILDREN_H
#define CAPSIM_MODEL_VMAR_CHILDREN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct KVmar KVmar;
typedef struct KVmo KVmo;
typedef struct AddrSpace AddrSpace;
typedef struct VmRegion VmRegion;

/* A child of a VMAR: a sub-VMAR or a mapping. vmar.c owns the payload;
 * the links and the subtree summary belong to vmar_children.c. */
struct VmRegion {
    uintptr_t base;
    uint64_t size;                /* shrinks only through vmar_children_shrink */
    KVmar *vmar;                  /* sub-VMAR, or NULL for a mapping */
    KVmo *vmo;                    /* mapping: holds a reference */
    uint64_t vmo_offset;
    uint32_t perms;               /* ZX_VM_PERM_* */
    uint32_t can_map;             /* ZX_VM_CAN_MAP_* protect may grant */
    const AddrSpace *as;          /* mapping: the address space it is in */
    /* ---- vmar_children.c ---- */
    VmRegion *prev, *next;        /* siblings, by address */
    VmRegion *left, *right;       /* the tree */
    uint64_t prio;                /* heap order of the tree */
    uintptr_t sub_first;          /* lowest base in the subtree */
    uintptr_t sub_end;            /* highest end in the subtree */
    uint64_t sub_gap;             /* widest hole between two of its regions */
};

typedef struct VmarChildren {
    VmRegion *head, *tail;        /* address order */
    VmRegion *root;
    uint64_t inserted;            /* seeds each new node's priority */
} VmarChildren;

/* Link r (base and size set, disjoint from the others). */
void vmar_children_insert(VmarChildren *c, VmRegion *r);
void vmar_children_remove(VmarChildren *c, VmRegion *r);
/* r's end moves down to r->base + size. */
void vmar_children_shrink(VmarChildren *c, VmRegion *r, uint64_t size);
/* The child holding addr, or NULL. */
VmRegion *vmar_children_at(const VmarChildren *c, uintptr_t addr);
/* The lowest child overlapping [base, base + size), or NULL. */
VmRegion *vmar_children_first_overlap(const VmarChildren *c, uintptr_t base, uint64_t size);
/* The lowest address >= lo, aligned to `align` (a power of two), where
 * `size` bytes fit in a hole below `end`. */
bool vmar_children_lowest_fit(const VmarChildren *c, uintptr_t lo, uintptr_t end,
                              uint64_t size, uint64_t align, uintptr_t *out);
/* The top of the highest hole in [lo, hi) holding `size` bytes, minus
 * size, rounded down to `page`: a place filled from the top down. */
bool vmar_children_highest_fit(const VmarChildren *c, uintptr_t lo, uintptr_t hi,
                               uint64_t size, uint64_t page, uintptr_t *out);
/* The list and the tree agree, in order, with right summaries. */
bool vmar_children_consistent(const VmarChildren *c);

#endif
