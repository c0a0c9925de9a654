/* app_heap.h — a process's malloc heap, in its own address space.
 * See app_heap.c. */
#ifndef CAPSIM_APP_HEAP_H
#define CAPSIM_APP_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct AppHeap AppHeap;

/* What a block's address says about it. */
typedef enum AppHeapVerdict {
    APP_HEAP_LIVE,        /* a block handed out and not freed */
    APP_HEAP_NOT_LIVE,    /* a block's start, already freed (or never used) */
    APP_HEAP_INSIDE,      /* inside a heap mapping, not a block's start */
    APP_HEAP_UNKNOWN,     /* in no live heap */
} AppHeapVerdict;

/* An empty heap: nothing is mapped until the first block. */
AppHeap *app_heap_new(void);
/* Forget the heap's bookkeeping (host memory only): its mappings go with
 * the process's address space. Its blocks become APP_HEAP_UNKNOWN. */
void app_heap_free(AppHeap *h);

/* A block of at least size bytes aligned to align (a power of two; at
 * least 16 is given): NULL when the heap cannot grow. may_grow: the caller
 * is a thread of the heap's own process running app code, so the heap may
 * map more memory (kernel entries through the zx_* API); otherwise only
 * memory already mapped is used. */
void *app_heap_alloc(AppHeap *h, size_t size, size_t align, bool may_grow);

/* What app_heap_find knows of an address. */
typedef struct AppHeapBlock {
    AppHeap *heap;            /* the heap whose mapping holds it; NULL: none */
    AppHeapVerdict verdict;
    size_t usable;            /* APP_HEAP_LIVE: the block's size */
    void *where;              /* the heap's own note of it */
} AppHeapBlock;

/* Which heap holds addr, and what addr is there. Any host thread, any
 * context. */
AppHeapBlock app_heap_find(uintptr_t addr);

/* Give back the APP_HEAP_LIVE block b found at addr (nothing of its heap
 * may have changed since). may_unmap as may_grow above: a large block's
 * own mapping is unmapped now, or else at the heap's next allocation. */
void app_heap_release(const AppHeapBlock *b, uintptr_t addr, bool may_unmap);

#endif
