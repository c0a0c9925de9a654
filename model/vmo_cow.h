/* vmo_cow.h — pages a snapshot child shares with the VMO it was made of,
 * copied on first write. See vmo_cow.c. Private to the VMO files; every
 * function takes an owner (a root or snapshot VMO, never a slice).
 */
#ifndef CAPSIM_MODEL_VMO_COW_H
#define CAPSIM_MODEL_VMO_COW_H

#include "vmo_internal.h"

/* Make child (fresh, owning nothing yet) read [0, limit) through src from
 * `offset` on. ZX_ERR_NO_MEMORY if the bitmap cannot be had. */
zx_status_t vmo_cow_attach(KVmo *child, KVmo *src, uint64_t offset, uint64_t limit);
/* Where v's page at `off` (page-aligned) reads from: host bytes, or NULL
 * for a page of zeros. Never commits anything. */
const uint8_t *vmo_cow_page(KVmo *v, uint64_t off);
/* Before v's pages in [off, off+len) change: VMOs reading them through v
 * take copies of what they read now. */
void vmo_cow_shield(KVmo *v, uint64_t off, uint64_t len);
/* v takes its own copies of the pages of [off, off+len) it reads through
 * its src (before writing them, or to commit them). */
void vmo_cow_own(KVmo *v, uint64_t off, uint64_t len);
/* Whole pages [off, off+len) of v are now its own zero pages (after
 * vmo_cow_shield and releasing them). */
void vmo_cow_own_zero(KVmo *v, uint64_t off, uint64_t len);
/* v shrinks to `size`: the pages past it that two deps or more read stay
 * once in a hidden node v then reads through (one reader gets a copy);
 * what grows back later reads zero. */
void vmo_cow_shrink(KVmo *v, uint64_t size);
/* v grows to `size` pages' worth of bitmap. ZX_ERR_NO_MEMORY. */
zx_status_t vmo_cow_grow(KVmo *v, uint64_t size);
/* v is about to be mapped: from now on its pages change without the
 * kernel seeing it, so v takes copies of all it reads through its src,
 * and every VMO reading through v takes copies of those pages. After it,
 * v shares nothing. */
void vmo_cow_detach(KVmo *v);
/* v dies: if two VMOs or more read through it, its pages stay in a hidden
 * node for them; one alone takes the pages it read there and reads the
 * rest through v's src. Either way v's store is then free to go. */
void vmo_cow_release(KVmo *v);
/* ZX_INFO_VMO committed_bytes: the pages v holds, and those of hidden
 * nodes blamed on it. */
uint64_t vmo_cow_committed_bytes(KVmo *v);
/* Invariants (vmo_check). */
void vmo_cow_check(const KVmo *v);

#endif
