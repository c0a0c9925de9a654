/* vmar.h — virtual memory address regions and each process's address space,
 * made of real host memory. See vmar.c for the layout, the states and the
 * invariants.
 *
 * Addresses: every address an app sees (zx_vmar_map's mapped_addr,
 * zx_vmar_allocate's child_addr, ZX_INFO_VMAR.base) is a real host pointer
 * it may dereference. The host range behind all address spaces is reserved
 * once at a fixed hint address, so in practice these values are the same on
 * every run; where a record must be identical across runs regardless (the
 * trace, golden files), use the slot-relative form (VmarVisit.rel_base,
 * vmar_relative()).
 */
#ifndef CAPSIM_MODEL_VMAR_H
#define CAPSIM_MODEL_VMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include "object.h"
#include "vmo.h"

typedef struct KVmar KVmar;
typedef struct KProcess KProcess;

/* Each process gets one slot of this many bytes of host address space; its
 * root VMAR covers the slot minus a guard at the end. */
#define VMAR_SLOT_SIZE ((uint64_t)1 << 30)
#define VMAR_SLOT_GUARD ((uint64_t)1 << 20)

/* Capability bits a VMAR (or mapping) can carry: ZX_VM_CAN_MAP_*. */
#define VMAR_CAN_RWX (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE)
#define VMAR_PERM_RWX (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)

extern const KObjectOps vmar_ops;

KVmar *vmar_from(KObject *o);
bool vmar_is_root(const KVmar *v);
/* Rights of a handle to a VMAR with the given CAN_MAP_* flags. */
zx_rights_t vmar_rights_for(uint32_t flags);

/* ---- Operations (syscall layer has checked handle rights) --------------- */
/* Sub-region. `flags`: CAN_MAP_*, SPECIFIC, CAN_MAP_SPECIFIC, COMPACT, and
 * the alignment field. Errors in Zircon's order: INVALID_ARGS (bad flags or
 * alignment, size 0 or unaligned, offset without SPECIFIC, out of bounds),
 * BAD_STATE (destroyed), ACCESS_DENIED (capability not in parent, SPECIFIC
 * without CAN_MAP_SPECIFIC), NO_MEMORY (overlap or no room). */
zx_status_t vmar_allocate(KVmar *parent, uint32_t flags, uint64_t offset,
                          uint64_t size, KVmar **out);
/* Map `len` bytes of `vmo` from `vmo_offset`. `flags`: PERM_*, SPECIFIC,
 * SPECIFIC_OVERWRITE, REQUIRE_NON_RESIZABLE, ALLOW_FAULTS, alignment.
 * `can_map` (CAN_MAP_*) is what later vmar_protect calls may grant: the
 * rights both handles had. On success *addr is the mapping's base. */
zx_status_t vmar_map(KVmar *v, uint32_t flags, uint64_t offset, KVmo *vmo,
                     uint64_t vmo_offset, uint64_t len, uint32_t can_map,
                     uintptr_t *addr);
zx_status_t vmar_unmap(KVmar *v, uintptr_t addr, uint64_t len);
/* `perms` are ZX_VM_PERM_* only (the syscall checked the rest). */
zx_status_t vmar_protect(KVmar *v, uintptr_t addr, uint64_t len, uint32_t perms);
zx_status_t vmar_destroy(KVmar *v);
/* Where a block of `size` bytes goes when blocks fill v from the top down
 * (thread_stack_place's rule: the top of the highest hole holding it), as
 * an offset from v's start: ZX_ERR_NO_MEMORY if no hole holds it,
 * ZX_ERR_BAD_STATE if v is dead. O(log children). */
zx_status_t vmar_highest_fit(const KVmar *v, uint64_t size, uint64_t *offset);

/* ---- Process address spaces (hooks process.c / launch.c / sys_task.c call)*/
void vmar_process_created(KProcess *p);
void vmar_process_dead(KProcess *p);
KObject *vmar_root_object(KProcess *p);
zx_rights_t vmar_root_rights(void);

/* process_read_memory / process_write_memory: the mapping at `addr` in p's
 * address space, as (vmo, offset) and the bytes available from there
 * (bounded by `len`, the mapping's end and the VMO's size). Errors:
 * ZX_ERR_BAD_STATE (no address space), ZX_ERR_NO_MEMORY (not mapped). */
zx_status_t vmar_process_memory(KProcess *p, uintptr_t addr, size_t len,
                                KVmo **vmo, uint64_t *offset, size_t *avail);
/* Slot-relative form of an address of p (0 if p has no address space). */
uint64_t vmar_relative(KProcess *p, uintptr_t addr);
/* futex.c's per-process table lives with the address space. NULL if p has
 * no address space. */
void **vmar_futex_table(KProcess *p);

/* ---- Info (for object_get_info) ----------------------------------------- */
/* ZX_INFO_VMAR: real base and length. */
void vmar_info(KObject *o, zx_info_vmar_t *info);

/* One node of a depth-first, pre-order, address-ordered walk — exactly the
 * records of ZX_INFO_PROCESS_MAPS / ZX_INFO_VMAR_MAPS. */
typedef struct VmarVisit {
    zx_info_maps_type_t type;   /* ASPACE, VMAR or MAPPING */
    size_t depth;               /* aspace 0, root VMAR 1, ... */
    uintptr_t base;             /* real address */
    uint64_t rel_base;          /* base - slot base: same on every run */
    size_t size;
    const char *name;
    KObject *object;            /* the VMAR, or the mapped VMO; NULL for aspace */
    uint64_t vmo_offset;        /* MAPPING only */
    zx_vm_option_t perms;       /* MAPPING only: ZX_VM_PERM_* */
} VmarVisit;
typedef void (*VmarVisitFn)(const VmarVisit *visit, void *ctx);
/* The mapping of p holding addr, found by descending the VMAR tree:
 * ZX_ERR_NOT_FOUND if none, ZX_ERR_BAD_STATE if p has no address space.
 * `below`: the unmapped bytes under it when it is the lowest child of a
 * sub-VMAR (a guard laid out there; 0 in the root VMAR). */
typedef struct VmarMappingAt {
    uintptr_t base;
    size_t size;
    zx_vm_option_t perms;
    size_t below;
} VmarMappingAt;
zx_status_t vmar_mapping_at(KProcess *p, uintptr_t addr, VmarMappingAt *out);
/* Whole address space: ZX_ERR_BAD_STATE if p has none (dead). */
zx_status_t vmar_visit_process(KProcess *p, VmarVisitFn fn, void *ctx);
/* One VMAR and what lies under it (the VMAR itself at depth 0). */
void vmar_visit_vmar(KObject *vmar, VmarVisitFn fn, void *ctx);

#endif
