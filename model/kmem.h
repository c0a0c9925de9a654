/* kmem.h — the kernel's small-object memory: free lists by size class.
 *
 * Handles, channel messages and wait records are made and dropped on
 * nearly every syscall; malloc + free cost about as much as the rest of a
 * simple syscall. Each Kernel keeps one free list per size class (32, 64,
 * 128, 256, 512 bytes), refilled a 16 KiB chunk at a time; larger blocks go
 * to malloc. Inline: the size class of a constant size is computed at
 * compile time. See kmem.c for the design.
 */
#ifndef CAPSIM_MODEL_KMEM_H
#define CAPSIM_MODEL_KMEM_H

#include <stddef.h>
#include <stdlib.h>

#define KMEM_CLASSES 5
#define KMEM_MAX 512u

#if defined(__SANITIZE_ADDRESS__)
#define KMEM_USE_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMEM_USE_MALLOC 1
#endif
#endif

typedef struct KmemCache {
    void *free[KMEM_CLASSES];   /* singly linked through each block's first word */
    void *chunks;               /* every chunk, linked through its first word */
} KmemCache;

void *kmem_refill(KmemCache *m, unsigned cls);
void kmem_release_all(KmemCache *m);

/* The class of a size of at most KMEM_MAX: 0 up to 32 bytes, then one
 * per doubling. One bit scan instead of a chain of compares (message sizes
 * are not constants); constant sizes still fold at compile time. */
static inline unsigned kmem_class(size_t size)
{
    return 59u - (unsigned)__builtin_clzll(((size - 1) | 31u) & (KMEM_MAX - 1));
}

/* `size` bytes (uninitialized), or NULL when out of memory. */
static inline void *kmem_alloc(KmemCache *m, size_t size)
{
#ifndef KMEM_USE_MALLOC
    if (size <= KMEM_MAX) {
        unsigned cls = kmem_class(size);
        void *p = m->free[cls];
        if (__builtin_expect(p != NULL, 1)) {
            m->free[cls] = *(void **)p;
            return p;
        }
        return kmem_refill(m, cls);
    }
#endif
    (void)m;
    return malloc(size);
}

/* kmem_alloc's common case alone: a block from the free list, or NULL
 * when the list is empty or `size` is not a small size (the caller then
 * takes its slow path through kmem_alloc). No call, so a caller that
 * needs no other call keeps a frameless fast path. */
static inline void *kmem_pop(KmemCache *m, size_t size)
{
#ifndef KMEM_USE_MALLOC
    if (size <= KMEM_MAX) {
        unsigned cls = kmem_class(size);
        void *p = m->free[cls];
        if (__builtin_expect(p != NULL, 1))
            m->free[cls] = *(void **)p;
        return p;
    }
#endif
    (void)m;
    (void)size;
    return NULL;
}

/* Give back a block from kmem_alloc with the same `size`. */
static inline void kmem_free(KmemCache *m, void *p, size_t size)
{
#ifndef KMEM_USE_MALLOC
    if (size <= KMEM_MAX) {
        unsigned cls = kmem_class(size);
        *(void **)p = m->free[cls];
        m->free[cls] = p;
        return;
    }
#endif
    (void)m;
    (void)size;
    free(p);
}

#endif
