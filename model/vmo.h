/* vmo.h — virtual memory objects: page-granular memory backed by real host
 * memory, with snapshot (copy-on-write) and slice children. See vmo.c for
 * the state and the invariants, vmo_store.c for the host memory and
 * vmo_cow.c for the pages snapshots share.
 *
 * Used by sys_vmo.c (the syscalls), vmar.c (mappings need the backing file)
 * and the task-control engineer's object_get_info (vmo_info) and property
 * code (vmo_content_size / vmo_set_content_size).
 */
#ifndef CAPSIM_MODEL_VMO_H
#define CAPSIM_MODEL_VMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include "object.h"

typedef struct KVmo KVmo;

/* The simulated page size (zx_system_get_page_size). The host's must match
 * for real mappings; vmar.c checks it once. */
#define VMO_PAGE_SIZE ((uint64_t)4096u)
/* Largest VMO the simulator backs (host virtual memory, reserved lazily).
 * Zircon allows far more; beyond this we answer ZX_ERR_NO_MEMORY as a real
 * kernel would when memory runs out. */
#define VMO_SIM_MAX_SIZE ((uint64_t)1 << 36)
/* Zircon's own limit (its page lists' reach): sizes past it are
 * ZX_ERR_OUT_OF_RANGE, before the simulator's smaller limit applies. */
#define VMO_ABI_MAX_SIZE (UINT64_MAX - ((uint64_t)4 << 20) + 1)

/* Rights a VMO handle may ever carry (defaults + EXECUTE + RESIZE). */
#define VMO_POSSIBLE_RIGHTS \
    (ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE | ZX_RIGHT_RESIZE)

/* Child kinds (how a child relates to its parent's pages). */
typedef enum VmoKind {
    VMO_KIND_ROOT = 0,   /* made by vmo_create */
    VMO_KIND_SNAPSHOT,   /* the parent's range as at creation, copy-on-write */
    VMO_KIND_SLICE       /* a window onto the parent's pages */
} VmoKind;

extern const KObjectOps vmo_ops;

static inline uint64_t vmo_round_up(uint64_t v) {
    return (v + VMO_PAGE_SIZE - 1) & ~(VMO_PAGE_SIZE - 1);
}
static inline bool vmo_aligned(uint64_t v) {
    return (v & (VMO_PAGE_SIZE - 1)) == 0;
}

/* Create a zero-filled VMO. `options` are ZX_VMO_RESIZABLE and
 * ZX_VMO_DISCARDABLE (already validated by the caller). Errors:
 * ZX_ERR_OUT_OF_RANGE (size rounds past 2^64), ZX_ERR_NO_MEMORY. The new
 * object has refcount 1, owned by the caller. */
zx_status_t vmo_create(Kernel *k, uint64_t size, uint32_t options, KVmo **out);
/* Create a child. `options` are the ZX_VMO_CHILD_* bits minus NO_WRITE
 * (a handle property the syscall applies). Errors in Zircon's order:
 * NOT_SUPPORTED (discardable parent; slice of a resizable parent),
 * INVALID_ARGS (bad combination, unaligned offset, slice out of bounds),
 * OUT_OF_RANGE (size/offset overflow), NO_MEMORY. */
zx_status_t vmo_create_child(KVmo *parent, uint32_t options, uint64_t offset,
                             uint64_t size, bool copy_name, KVmo **out);

KVmo *vmo_from(KObject *o);
uint64_t vmo_size(const KVmo *v);
bool vmo_is_resizable(const KVmo *v);
VmoKind vmo_kind(const KVmo *v);

/* Data access. vmo_range_ok checks [offset, offset+len) lies inside the VMO
 * (ZX_OK or ZX_ERR_OUT_OF_RANGE). vmo_write_target readies [offset,
 * offset+len) for writing (pages shared copy-on-write are copied first)
 * and gives the host address of byte `offset`, valid until the VMO is
 * resized, mapped for the first time or written again; NULL if the host
 * has no memory for it. The syscall layer copies between it and app
 * memory with sys_copy_in/out. vmo_bytes is the same for everything from
 * `offset` to the VMO's end (for small VMOs; reads go through
 * vmo_read_source). */
zx_status_t vmo_range_ok(const KVmo *v, uint64_t offset, uint64_t len);
uint8_t *vmo_write_target(KVmo *v, uint64_t offset, uint64_t len);
uint8_t *vmo_bytes(KVmo *v, uint64_t offset);
/* Where a read of [offset, offset+*len) should copy from: the VMO's bytes,
 * or an all-zero buffer when the page holding `offset` is not committed
 * (reading it directly would fault it in and commit it, which a Zircon
 * read never does). *len is cut at that page's end. */
const uint8_t *vmo_read_source(KVmo *v, uint64_t offset, size_t *len);

/* Copies for kernel-side callers (the host API), after vmo_range_ok:
 * reading commits nothing; writing fails only with ZX_ERR_NO_MEMORY. */
void vmo_read_bytes(KVmo *v, uint64_t offset, void *buf, size_t len);
zx_status_t vmo_write_bytes(KVmo *v, uint64_t offset, const void *data, size_t len);

/* Resize (vmo_set_size). The caller checked rights and resizability.
 * Errors: ZX_ERR_OUT_OF_RANGE (rounding overflows), ZX_ERR_NO_MEMORY. */
zx_status_t vmo_set_size(KVmo *v, uint64_t size);
uint64_t vmo_content_size(const KVmo *v);
void vmo_set_content_size(KVmo *v, uint64_t size);

/* vmo_op_range after the syscall layer checked the op's right. Handles
 * COMMIT, DECOMMIT, ZERO, LOCK/TRY_LOCK/UNLOCK (discardable only), the cache
 * ops and the hints. `lock_out` receives LOCK's state. Unknown op:
 * ZX_ERR_INVALID_ARGS. */
zx_status_t vmo_op_range(KVmo *v, uint32_t op, uint64_t offset, uint64_t size,
                         zx_vmo_lock_state_t *lock_out);

/* For mappings (vmar.c), after vmo_mapping_added: make sure the VMO has a
 * shareable backing file and give its descriptor and the file offset of
 * VMO byte 0. The pages stop being shared copy-on-write with any relative
 * (the kernel does not see writes through a mapping). Errors:
 * ZX_ERR_NO_MEMORY. */
zx_status_t vmo_backing(KVmo *v, int *fd, uint64_t *file_offset);
/* A mapping of v appeared in / left the address space `as` (an opaque
 * identity, compared for equality only). */
void vmo_mapping_added(KVmo *v, const void *as);
void vmo_mapping_removed(KVmo *v, const void *as);
/* Zircon's share_count: the number of address spaces mapping v, at least
 * 1 (a VMO mapped nowhere or in one place counts once). */
uint32_t vmo_share_count(const KVmo *v);

/* ZX_INFO_VMO for object_get_info and ZX_INFO_PROCESS_VMOS: fills every
 * field from the object; the caller sets handle_rights and the
 * VIA_HANDLE / VIA_MAPPING flag. */
void vmo_info(KObject *o, zx_info_vmo_t *info);

#endif
