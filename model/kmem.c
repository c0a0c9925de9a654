/* kmem.c — the kernel's small-object memory (kmem.h): free lists by size
 * class, refilled in chunks.
 *
 * Models nothing of Zircon (its kernel has slab allocators too, but nothing
 * here is observable): it only makes the simulator's own allocations
 * cheap. A block taken from class c (32 << c bytes) goes back to class c;
 * blocks are never returned to malloc before kmem_release_all (kernel_free),
 * so memory use is the high-water mark of live small objects.
 *
 * Determinism: which block is reused is invisible; nothing hashes, orders
 * or prints an address.
 *
 * AddressSanitizer builds (KMEM_USE_MALLOC) bypass the lists: every block
 * is its own malloc, so a use after free is still reported.
 *
 * Read next: handle.c, channel.c, sys_wait.c (the users).
 */
#include "kmem.h"

#include <stdint.h>

#define KMEM_CHUNK (16u * 1024u)

void *kmem_refill(KmemCache *m, unsigned cls)
{
    size_t size = (size_t)32 << cls;
    /* The first block of a chunk links the chunk list; the rest are used. */
    uint8_t *chunk = malloc(KMEM_CHUNK);
    if (!chunk)
        return NULL;
    *(void **)chunk = m->chunks;
    m->chunks = chunk;
    size_t first = size < sizeof(void *) * 2 ? sizeof(void *) * 2 : size;
    uint8_t *give = chunk + first;
    for (size_t at = first + size; at + size <= KMEM_CHUNK; at += size) {
        void *p = chunk + at;
        *(void **)p = m->free[cls];
        m->free[cls] = p;
    }
    return give;
}

void kmem_release_all(KmemCache *m)
{
    while (m->chunks) {
        void *c = m->chunks;
        m->chunks = *(void **)c;
        free(c);
    }
    for (unsigned i = 0; i < KMEM_CLASSES; i++)
        m->free[i] = NULL;
}
