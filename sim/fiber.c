/* fiber.c — green threads: one saved stack pointer per suspended context.
 *
 * Models: the CPU register state of a simulated thread while it is not on a
 * (virtual) CPU. A fiber is a stack plus the callee-saved registers pushed on
 * it; switching is a function call that saves ours and pops another's, so the
 * compiler has already spilled every caller-saved register (SysV / AAPCS64).
 * glibc's swapcontext costs ~220 ns here (a sigprocmask syscall per switch);
 * the hand-written switch costs ~10 ns. Backends:
 *   fiber_switch_x86_64.S, fiber_switch_aarch64.S  (meson -Dfiber=asm|auto)
 *   fiber_switch_ucontext.c                        (-Dfiber=ucontext)
 *
 * What a switch preserves: callee-saved GPRs, sp, FP control and exception
 * flags (x86-64: MXCSR, the x87 control word and the x87 status word's
 * flags; AArch64: FPCR and FPSR). errno is per host thread, so the engine saves and
 * restores it around each switch on the fiber side (request.c), not here.
 *
 * AddressSanitizer: every switch is announced with
 * __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber so ASan
 * knows which stack is live (fake stacks, stack-use-after-return); a
 * recycled stack is unpoisoned when a fiber is made on it, an unmapped one
 * when it goes back to the host (fiber_stack_unmap), a given one when its
 * thread is reaped (fiber_stack_release: its owner may map other memory
 * there, as the model does when a thread's process dies).
 *
 * Leaves out: signal masks (never changed by the engine: faults return
 * through sigreturn, see fault.c), shadow stacks (CET), unwinding across
 * fibers (a fiber's backtrace ends at fiber_entry_asm).
 *
 * Read next: stack_pool.c (where stacks come from), request.c (who switches).
 */
#include "fiber.h"

#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#ifdef SIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

void fiber_make_host(FiberCtx *c)
{
    memset(c, 0, sizeof *c);
#ifdef SIM_ASAN
    pthread_attr_t attr;
    void *lo = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &lo, &size);
        pthread_attr_destroy(&attr);
    }
    c->stack_lo = lo;
    c->stack_size = size;
#endif
}

void fiber_started(void)
{
#ifdef SIM_ASAN
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
}

void fiber_stack_unmap(void *base, size_t len)
{
    fiber_stack_release(base, len);
    munmap(base, len);
}

void fiber_stack_release(void *base, size_t len)
{
#ifdef SIM_ASAN
    __asan_unpoison_memory_region(base, len);
#else
    (void)base, (void)len;
#endif
}

#if defined(SIM_FIBER_ASM)

void fiber_switch_asm(void **save_sp, void *to_sp);
void fiber_entry_asm(void);

const char *fiber_backend_name(void)
{
#if defined(__x86_64__)
    return "asm-x86_64";
#else
    return "asm-aarch64";
#endif
}

void fiber_make(FiberCtx *c, void *stack_lo, size_t size, FiberEntryFn entry,
                void *arg)
{
#ifdef SIM_ASAN
    /* A recycled stack may hold the redzones of frames that never returned
     * (a thread killed inside a call): a new fiber starts clean. */
    __asan_unpoison_memory_region(stack_lo, size);
#endif
    uintptr_t top = ((uintptr_t)stack_lo + size) & ~(uintptr_t)15;
    memset(c, 0, sizeof *c);
#if defined(__x86_64__)
    /* From sp upward: fp-control word, r15 r14 r13 r12 rbx rbp, return
     * address (fiber_entry_asm), then a zero "caller" slot at top - 8. */
    uint64_t *sp = (uint64_t *)(top - 72);
    sp[0] = 0x1F80ull | (0x037Full << 32); /* MXCSR, x87 CW: defaults, no flags */
    sp[1] = 0;                             /* r15 */
    sp[2] = 0;                             /* r14 */
    sp[3] = (uint64_t)(uintptr_t)arg;      /* r13 */
    sp[4] = (uint64_t)(uintptr_t)entry;    /* r12 */
    sp[5] = 0;                             /* rbx */
    sp[6] = 0;                             /* rbp */
    sp[7] = (uint64_t)(uintptr_t)fiber_entry_asm;
    sp[8] = 0;
#elif defined(__aarch64__)
    uint64_t *sp = (uint64_t *)(top - 176);
    memset(sp, 0, 176);
    sp[0] = (uint64_t)(uintptr_t)entry;    /* x19 */
    sp[1] = (uint64_t)(uintptr_t)arg;      /* x20 */
    sp[10] = 0;                            /* x29 */
    sp[11] = (uint64_t)(uintptr_t)fiber_entry_asm; /* x30 */
#else
#error "no assembly fiber switch for this architecture; use -Dfiber=ucontext"
#endif
    c->sp = sp;
#ifdef SIM_ASAN
    c->stack_lo = stack_lo;
    c->stack_size = size;
#endif
}

void fiber_switch(FiberCtx *from, FiberCtx *to)
{
#ifdef SIM_ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, to->stack_lo, to->stack_size);
    fiber_switch_asm(&from->sp, to->sp);
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#else
    fiber_switch_asm(&from->sp, to->sp);
#endif
}

void fiber_switch_final(FiberCtx *from, FiberCtx *to)
{
#ifdef SIM_ASAN
    __sanitizer_start_switch_fiber(NULL, to->stack_lo, to->stack_size);
#endif
    fiber_switch_asm(&from->sp, to->sp);
    __builtin_unreachable();
}

#endif /* SIM_FIBER_ASM */
