/* thread_stack.h — where a thread's stack lives in its process's address
 * space. See thread_stack.c. */
#ifndef CAPSIM_MODEL_THREAD_STACK_H
#define CAPSIM_MODEL_THREAD_STACK_H

#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#include "process.h"
#include "vmar.h"

/* Fuchsia's defaults for a thread's stack and the guard below it
 * (ZIRCON_DEFAULT_STACK_SIZE, one page). */
#define THREAD_STACK_DEFAULT_SIZE ((size_t)256 << 10)
#define THREAD_STACK_DEFAULT_GUARD ((size_t)4096)

/* Where a new stack block goes: the highest page-aligned start at which
 * `size` bytes fit in [lo, hi) between the `n` regions already there
 * (used[i] = {base, end}, in address order); 0 if none fits. Stacks are
 * placed from the top of the address space down, as Linux places them, so
 * the low addresses stay for the heap and for large aligned requests. A
 * pure function for the app's libc (model/app/libc_pthread.c), which lists
 * what is mapped through ZX_INFO_VMAR_MAPS; the launcher (below) asks
 * vmar_highest_fit, which answers the same without a walk. */
uintptr_t thread_stack_place(const uintptr_t (*used)[2], size_t n, uintptr_t lo, uintptr_t hi,
                             size_t size);

/* The kernel's part (the launcher's first thread, a thread started with
 * stack 0): a VMO named `name` of `size` bytes mapped read-write into p's
 * root VMAR (placed by thread_stack_place's rule) at the top of a sub-VMAR
 * whose first `guard` bytes stay unmapped. *top is the stack's top (the
 * initial stack pointer). Sizes are rounded up to pages. `block`: NULL,
 * or where the sub-VMAR goes, with a reference for the caller, who
 * destroys it when the stack is done with (thread_stack_unmap). */
zx_status_t thread_stack_map(KProcess *p, const char *name, size_t size, size_t guard,
                             uintptr_t *top, KVmar **block);
/* Unmap a block thread_stack_map kept (nothing if its process's address
 * space is gone already) and drop the reference. */
void thread_stack_unmap(KVmar *block);

/* A stack an app hands zx_thread_start: the writable mapping of p holding
 * stack_top - 1. *lo is its base (0: none, the start is refused) and
 * *guard the unmapped bytes below it that belong to the stack, when the
 * mapping is the first thing in a sub-VMAR as thread_stack_map and
 * Fuchsia's libc lay stacks out (0 otherwise). */
void thread_stack_find(KProcess *p, uintptr_t stack_top, uintptr_t *lo, size_t *guard);

#endif
