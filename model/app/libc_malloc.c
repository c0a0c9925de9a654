/* libc_malloc.c — malloc and its family for apps: the process's own heap.
 *
 * Models: an app's malloc, free, calloc, realloc, reallocarray,
 * posix_memalign, aligned_alloc, memalign, valloc, pvalloc and
 * malloc_usable_size on its process's heap (app_heap.c): in its address space, at the same addresses every run,
 * gone with the process. Fuchsia's answers (scudo's): malloc(0) is a
 * block of its own, realloc(p, 0) frees p and answers NULL, an alignment
 * that is not a power of two is EINVAL, a size that cannot be had is NULL
 * with ENOMEM. A misuse (double free, a pointer into the middle of a
 * block or into no block, realloc of either) prints what happened on the
 * process's stderr and aborts it, as scudo's reports do:
 *
 *   heap: free(0x200000420010): double free, or never allocated
 *
 * Who gets the app heap: a call from code of a loaded app copy while its
 * thread runs app code (app_world_caller_in_copy), directly or by a tail
 * call from app code libcapsim called (the return address is then inside
 * one of app_call.c's gates). Everyone else keeps
 * libc's heap: the host and the engine, host libraries running on an app
 * thread (GLib, libstdc++'s operator new, glibc's own strdup inside
 * asprintf...), and built-in programs, whose globals outlive any one
 * process. free, realloc and malloc_usable_size go by the ADDRESS, from
 * any caller: a block of an app heap is freed there whoever frees it (a
 * host library given an app's block, glibc's getline growing it), an
 * address elsewhere in simulated address space that is no live block is
 * a misuse (outside app code it is reported on the host's stderr and
 * ignored: never passed to libc, whose free would crash), so is app code's
 * free of a fiber stack's address (a local's), anything else is libc's. An app heap's large block freed outside its process's app code
 * is unmapped at that process's next allocation (no kernel entry here).
 *
 * libc's own allocator is the first other one in the global scope (ASan's,
 * under AddressSanitizer, so that blocks pair with their frees), else
 * glibc's __libc_* entry points, which also serve until the constructor
 * below has looked, since dlsym may call malloc. libc_malloc.h gives the
 * same choice to the interposers that hand their caller memory to free
 * (libc_alloc_results.c: strdup, asprintf, getline...; libc_memstream.c;
 * fdio's realpath, getcwd, tempnam, scandir).
 * In AddressSanitizer builds apps are loaded without RTLD_DEEPBIND
 * (app_instance.c), so ASan's malloc, first in the global scope, is theirs. Read next: app_heap.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "app_heap.h"
#include "app_world.h"
#include "host_memory.h"
#include "libc_malloc.h"
#include "libc_next.h"

#define MALLOC_ALIGN 16u
#define MALLOC_PAGE ((size_t)4096)

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

/* libc's versions (see the top). */
static struct {
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void *(*memalign)(size_t, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    void *(*valloc)(size_t);
    void *(*pvalloc)(size_t);
    size_t (*malloc_usable_size)(void *);
} libc_heap;

/* The first definition of `name` after ours: the global scope's, unless
 * that is libcapsim's own (the host program links libcapsim before libc),
 * then the next object's. */
static void *malloc_next(const char *name)
{
    Dl_info mine, theirs;
    void *fn = dlsym(RTLD_DEFAULT, name);
    if (fn && dladdr((void *)malloc_next, &mine) && dladdr(fn, &theirs) &&
        mine.dli_fbase != theirs.dli_fbase)
        return fn;
    return dlsym(RTLD_NEXT, name);
}

/* libc's `name`, looked up on first use (dlsym may allocate: the five
 * allocation calls use glibc's __libc_* entry points until the
 * constructor has looked, LIBC_CORE). */
#define LIBC_HEAP(name)                                                        \
    ((__typeof__(libc_heap.name))libc_lookup_with((void **)&libc_heap.name, #name, \
                                                  malloc_next))
#define LIBC_CORE(name) (libc_heap.name ? libc_heap.name : __libc_##name)

__attribute__((constructor)) static void malloc_find_libc(void)
{
    libc_heap.free = malloc_next("free");
    libc_heap.calloc = malloc_next("calloc");
    libc_heap.realloc = malloc_next("realloc");
    libc_heap.memalign = malloc_next("memalign");
    libc_heap.malloc = malloc_next("malloc");
}

/* ---- whose heap ---------------------------------------------------------*/

/* The calling thread's process while it runs app code, else NULL. */
static AppProc *malloc_app_proc(void)
{
    return sim_in_app_code() ? app_world_current_proc() : NULL;
}

/* The heap an allocation by `caller` comes from: its process's when app
 * code of a copy calls, else NULL (libc's). Its own process's app code
 * may always grow it. */
static AppHeap *malloc_heap_for(const void *caller)
{
    AppProc *ap = malloc_app_proc();
    if (!ap || !app_world_caller_in_copy(caller))
        return NULL;
    if (!ap->heap)
        ap->heap = app_heap_new();
    return ap->heap;
}

/* May h map or unmap now? Only app code of its own process enters the
 * kernel for it. */
static bool malloc_may_grow(const AppHeap *h)
{
    AppProc *ap = malloc_app_proc();
    return ap && ap->heap == h;
}

static void *malloc_block_of(AppHeap *h, size_t size, size_t align, bool may_grow)
{
    void *p = app_heap_alloc(h, size ? size : 1, align, may_grow);
    if (!p)
        errno = ENOMEM;
    return p;
}

/* From the caller's own heap (malloc_heap_for's). */
static void *malloc_from(AppHeap *h, size_t size, size_t align)
{
    return malloc_block_of(h, size, align, true);
}

/* A misuse of p by `call`: the app's process aborts (app code), or the
 * host hears of it and nothing is done. */
static void malloc_misuse(const char *call, const void *p, AppHeapVerdict v)
{
    const char *what = v == APP_HEAP_INSIDE ? "not the start of a block"
                       : v == APP_HEAP_NOT_LIVE ? "double free, or never allocated"
                                                : "no heap allocated this address";
    if (malloc_app_proc()) {
        fprintf(stderr, "heap: %s(%p): %s\n", call, p, what);
        fflush(stderr);
        abort();
    }
    fprintf(stderr, "capsim: %s(%p) outside app code: %s; ignored\n", call, p, what);
}

/* The live block at p (in simulated address space); false after a
 * misuse was reported. */
static bool malloc_block(const char *call, const void *p, AppHeapBlock *b)
{
    *b = app_heap_find((uintptr_t)p);
    if (b->verdict == APP_HEAP_LIVE)
        return true;
    malloc_misuse(call, p, b->verdict);
    return false;
}

static void malloc_release(const AppHeapBlock *b, void *p)
{
    app_heap_release(b, (uintptr_t)p, malloc_may_grow(b->heap));
}

/* App code handing free (realloc...) the address of a local: the heap's
 * report, as for any address no heap allocated, where glibc's would abort
 * the process with its own message on the host's stderr. */
static bool malloc_on_a_stack(const char *call, const void *p, const void *caller)
{
    SimEngine *e = sim_current_engine();
    size_t below;
    /* Only app code's own calls: libcapsim's frees on an app thread (the
     * stack index's own, among others) must not come back here. */
    if (!malloc_app_proc() || !app_world_caller_in_copy(caller) || !e ||
        !sim_stack_owner(e, p, &below))
        return false;
    malloc_misuse(call, p, APP_HEAP_UNKNOWN);
    return true;
}

/* realloc for `caller`, whoever's p is. */
static void *malloc_resize(const void *caller, void *p, size_t n)
{
    if (!p) {
        AppHeap *h = malloc_heap_for(caller);
        return h ? malloc_from(h, n, MALLOC_ALIGN)
                 : LIBC_CORE(realloc)(NULL, n);
    }
    if (!host_memory_reserved((uintptr_t)p)) {
        if (malloc_on_a_stack("realloc", p, caller))
            return NULL;
        return LIBC_CORE(realloc)(p, n);
    }
    AppHeapBlock b;
    if (!malloc_block("realloc", p, &b)) {
        errno = EINVAL;
        return NULL;
    }
    if (n == 0) {
        malloc_release(&b, p);
        return NULL;
    }
    if (n <= b.usable)
        return p;
    void *q = malloc_block_of(b.heap, n, MALLOC_ALIGN, malloc_may_grow(b.heap));
    if (q) {
        memcpy(q, p, b.usable);
        malloc_release(&b, p); /* growing changed no note of p's */
    }
    return q;
}

/* ---- the family ---------------------------------------------------------*/

void *malloc(size_t n)
{
    AppHeap *h = malloc_heap_for(__builtin_return_address(0));
    if (h)
        return malloc_from(h, n, MALLOC_ALIGN);
    return LIBC_CORE(malloc)(n);
}

void free(void *p)
{
    if (!p)
        return;
    if (!host_memory_reserved((uintptr_t)p)) {
        if (!malloc_on_a_stack("free", p, __builtin_return_address(0)))
            LIBC_CORE(free)(p);
        return;
    }
    int saved = errno;
    AppHeapBlock b;
    if (malloc_block("free", p, &b))
        malloc_release(&b, p);
    errno = saved;
}

void *calloc(size_t n, size_t size)
{
    AppHeap *h = malloc_heap_for(__builtin_return_address(0));
    if (!h)
        return LIBC_CORE(calloc)(n, size);
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc_from(h, total, MALLOC_ALIGN);
    if (p)
        memset(p, 0, total);
    return p;
}

void *realloc(void *p, size_t n)
{
    return malloc_resize(__builtin_return_address(0), p, n);
}

void *reallocarray(void *p, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return malloc_resize(__builtin_return_address(0), p, total);
}

static bool malloc_power_of_two(size_t a)
{
    return a && !(a & (a - 1));
}

/* An aligned block for app code: NULL and EINVAL for a bad alignment. */
static void *malloc_aligned(AppHeap *h, size_t align, size_t size)
{
    if (!malloc_power_of_two(align)) {
        errno = EINVAL;
        return NULL;
    }
    return malloc_from(h, size, align);
}

void *memalign(size_t align, size_t size)
{
    AppHeap *h = malloc_heap_for(__builtin_return_address(0));
    if (!h)
        return LIBC_CORE(memalign)(align, size);
    return malloc_aligned(h, align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    AppHeap *h = malloc_heap_for(__builtin_return_address(0));
    if (!h)
        return LIBC_HEAP(aligned_alloc)(align, size);
    return malloc_aligned(h, align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    AppHeap *h = malloc_heap_for(__builtin_return_address(0));
    if (!h)
        return LIBC_HEAP(posix_memalign)(out, align, size);
    if (!malloc_power_of_two(align) || align % sizeof(void *))
        return EINVAL;
    int saved = errno;
    void *p = malloc_from(h, size, align);
    errno = saved;
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t size)
{
    AppHeap *h = malloc_heap_for(__builtin_return_address(0));
    if (!h)
        return LIBC_HEAP(valloc)(size);
    return malloc_from(h, size, MALLOC_PAGE);
}

void *pvalloc(size_t size)
{
    AppHeap *h = malloc_heap_for(__builtin_return_address(0));
    size_t rounded = (size + MALLOC_PAGE - 1) & ~(MALLOC_PAGE - 1);
    if (!h)
        return LIBC_HEAP(pvalloc)(size);
    if (rounded < size) {
        errno = ENOMEM;
        return NULL;
    }
    return malloc_from(h, rounded ? rounded : MALLOC_PAGE, MALLOC_PAGE);
}

size_t malloc_usable_size(void *p)
{
    if (!p)
        return 0;
    if (!host_memory_reserved((uintptr_t)p))
        return LIBC_HEAP(malloc_usable_size)(p);
    AppHeapBlock b;
    return malloc_block("malloc_usable_size", p, &b) ? b.usable : 0;
}

/* ---- for the interposers that allocate for their caller -----------------*/

void *libc_malloc_for(const void *caller, size_t n)
{
    AppHeap *h = malloc_heap_for(caller);
    return h ? malloc_from(h, n, MALLOC_ALIGN) : LIBC_CORE(malloc)(n);
}

void *libc_realloc_for(const void *caller, void *p, size_t n)
{
    return malloc_resize(caller, p, n);
}

bool libc_malloc_app_caller(const void *caller)
{
    return malloc_heap_for(caller) != NULL;
}
