/* fiber_switch_ucontext.c — the portable fiber backend (-Dfiber=ucontext).
 *
 * Uses POSIX makecontext/swapcontext. Correct everywhere glibc runs, but
 * swapcontext performs a sigprocmask syscall per switch (~220 ns on the
 * reference machine, ~20x the assembly switch) and a ucontext_t is ~1 KiB
 * per thread. Use it for new architectures and for debugging the assembly.
 *
 * makecontext passes only int arguments, so the entry pointer and its
 * argument live in the FiberCtx; the switch leaves a pointer to the target
 * context in a per-host-thread slot that the trampoline reads once.
 *
 * Read next: fiber.c (interface and the assembly backends).
 */
#include "fiber.h"

#if defined(SIM_FIBER_UCONTEXT)

#include <stdlib.h>
#include <string.h>

#ifdef SIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

static __thread FiberCtx *fiber_pending_start;

const char *fiber_backend_name(void)
{
    return "ucontext";
}

static void fiber_uc_trampoline(void)
{
    FiberCtx *c = fiber_pending_start;
    FiberEntryFn entry = c->entry;
    void *arg = c->arg;
    c->entry = NULL;
    entry(arg);
    abort();
}

void fiber_make(FiberCtx *c, void *stack_lo, size_t size, FiberEntryFn entry,
                void *arg)
{
#ifdef SIM_ASAN
    /* A recycled stack may hold the redzones of frames that never returned
     * (a thread killed inside a call): a new fiber starts clean. */
    __asan_unpoison_memory_region(stack_lo, size);
#endif
    memset(c, 0, sizeof *c);
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = stack_lo;
    c->uc.uc_stack.ss_size = size;
    c->uc.uc_link = NULL;
    c->entry = entry;
    c->arg = arg;
    makecontext(&c->uc, fiber_uc_trampoline, 0);
#ifdef SIM_ASAN
    c->stack_lo = stack_lo;
    c->stack_size = size;
#endif
}

void fiber_switch(FiberCtx *from, FiberCtx *to)
{
    fiber_pending_start = to;
#ifdef SIM_ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, to->stack_lo, to->stack_size);
    swapcontext(&from->uc, &to->uc);
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#else
    swapcontext(&from->uc, &to->uc);
#endif
}

void fiber_switch_final(FiberCtx *from, FiberCtx *to)
{
    fiber_pending_start = to;
#ifdef SIM_ASAN
    __sanitizer_start_switch_fiber(NULL, to->stack_lo, to->stack_size);
#endif
    swapcontext(&from->uc, &to->uc);
    abort();
}

uintptr_t fiber_saved_sp(const FiberCtx *c)
{
    return 0;
}

#endif /* SIM_FIBER_UCONTEXT */
