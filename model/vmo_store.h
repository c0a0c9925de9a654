/* vmo_store.h — the host memory behind a VMO's pages. See vmo_store.c.
 *
 * Private to the VMO files (vmo.c, vmo_cow.c): everything else reaches a
 * VMO's bytes through vmo.h.
 */
#ifndef CAPSIM_MODEL_VMO_STORE_H
#define CAPSIM_MODEL_VMO_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

/* Pages per mincore call when a walk asks about many pages. */
#define VMO_STORE_RUN 1024u

typedef struct VmoStore {
    uint8_t *data;  /* host view of [0, size); NULL until first needed */
    int fd;         /* memfd once the pages are mapped anywhere, else -1 */
} VmoStore;

void vmo_store_init(VmoStore *s);
/* The view, made on first use (private anonymous memory: untouched pages
 * cost nothing). NULL if the host refuses the address space. */
uint8_t *vmo_store_view(VmoStore *s, uint64_t size);
/* Is the page at `off` (page-aligned) backed by host memory (committed)? */
bool vmo_store_resident(const VmoStore *s, uint64_t off);
/* Committed bytes of the whole store. */
uint64_t vmo_store_resident_bytes(const VmoStore *s, uint64_t size);
/* Whole pages [off, off+len) read as zero and are no longer committed. */
void vmo_store_release(VmoStore *s, uint64_t off, uint64_t len);
/* Copy the committed, non-zero pages of [off, off+len) (page-aligned) to
 * dst, which reads zero there: sparse stays sparse. */
void vmo_store_copy_resident(uint8_t *dst, const VmoStore *s, uint64_t off, uint64_t len);
/* Make the pages shareable between mappings: a memfd (recycled when one
 * of this size is free) whose MAP_SHARED view replaces the private one,
 * committed pages copied over. ZX_ERR_NO_MEMORY if the host refuses. */
zx_status_t vmo_store_share(VmoStore *s, uint64_t size);
/* Change the size; pages past the new end are gone, new pages read zero.
 * ZX_ERR_NO_MEMORY if the host refuses (the store is unchanged). */
zx_status_t vmo_store_resize(VmoStore *s, uint64_t old_size, uint64_t size);
/* Give everything back (a memfd goes to the free pool, emptied). */
void vmo_store_free(VmoStore *s, uint64_t size);

/* Which pages of one store are committed, asked VMO_STORE_RUN pages at a
 * time: for walks over many pages. Forget a store's answers before
 * writing to it. */
typedef struct VmoResidency {
    const VmoStore *store;
    uint64_t base, len;
    unsigned char vec[VMO_STORE_RUN];
} VmoResidency;

static inline void vmo_residency_init(VmoResidency *r)
{
    r->store = NULL;
}
static inline void vmo_residency_forget(VmoResidency *r, const VmoStore *s)
{
    if (r->store == s)
        r->store = NULL;
}
bool vmo_residency_test(VmoResidency *r, const VmoStore *s, uint64_t size, uint64_t off);

#endif
