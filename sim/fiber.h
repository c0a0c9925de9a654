/* fiber.h — green-thread contexts behind a tiny interface.
 * Internal to sim/. Backends: fiber_switch_x86_64.S, fiber_switch_aarch64.S
 * (SIM_FIBER_ASM) or fiber_switch_ucontext.c (SIM_FIBER_UCONTEXT), chosen by
 * the meson option `fiber`. See fiber.c for the design. */
#ifndef CAPSIM_FIBER_H
#define CAPSIM_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__SANITIZE_ADDRESS__)
#define SIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif

typedef void (*FiberEntryFn)(void *arg);

#if defined(SIM_FIBER_UCONTEXT)
#include <ucontext.h>
#elif !defined(SIM_FIBER_ASM)
#error "define SIM_FIBER_ASM or SIM_FIBER_UCONTEXT (sim/meson.build does)"
#endif

typedef struct FiberCtx {
#if defined(SIM_FIBER_UCONTEXT)
    ucontext_t uc;
    FiberEntryFn entry;  /* until first entered */
    void *arg;
#else
    void *sp;            /* saved stack pointer; registers live on the stack */
#endif
#ifdef SIM_ASAN
    const void *stack_lo;
    size_t stack_size;
#endif
} FiberCtx;

/* Prepare `c` to run entry(arg) on [stack_lo, stack_lo + size) when first
 * switched to. entry must never return (it ends by switching away). */
void fiber_make(FiberCtx *c, void *stack_lo, size_t size, FiberEntryFn entry,
                void *arg);
/* Describe the host thread's own stack (the engine's context). */
void fiber_make_host(FiberCtx *c);
/* Save the current context into `from`, resume `to`. Returns when something
 * switches back to `from`. */
void fiber_switch(FiberCtx *from, FiberCtx *to);
/* Like fiber_switch, but `from` will never be resumed (its stack may be
 * recycled once `to` runs). */
void fiber_switch_final(FiberCtx *from, FiberCtx *to)
    __attribute__((noreturn));
/* First thing a new fiber's entry calls (sanitizer bookkeeping). */
void fiber_started(void);
/* munmap memory that held stacks (the pool's arenas, the emergency
 * stack). Under ASan, frames that never returned (a thread killed or left
 * blocked inside a call) left their redzones in the shadow memory; those
 * are cleared first, else whatever the host maps there next inherits them
 * and a correct access to it is reported as a stack overflow. */
void fiber_stack_unmap(void *base, size_t len);
/* A stack its owner gave (sim_thread_create_on_stack) that no fiber will
 * run on again: under ASan the redzones of frames that never returned are
 * cleared, so whatever the owner puts there next starts clean; the memory
 * itself stays the owner's. */
void fiber_stack_release(void *base, size_t len);
/* The saved stack pointer of a suspended fiber (0 if unknown). */
#if defined(SIM_FIBER_ASM)
static inline uintptr_t fiber_saved_sp(const FiberCtx *c)
{
    return (uintptr_t)c->sp;
}
#else
uintptr_t fiber_saved_sp(const FiberCtx *c);
#endif
const char *fiber_backend_name(void);

#if defined(SIM_FIBER_ASM) && !defined(SIM_ASAN) &&                          \
    (defined(__x86_64__) || defined(__aarch64__))
/* Kernel entry on the engine's stack without switching to the engine
 * context (fiber_switch_x86_64.S, fiber_switch_aarch64.S): saves the
 * caller into *save_sp, runs fn(arg) below the suspended engine frame at
 * engine_sp; returns when fn returns or when something later switches to
 * *save_sp. */
#define SIM_FIBER_KCALL 1
void fiber_kcall(void **save_sp, void *engine_sp, void (*fn)(void *),
                 void *arg);
/* Resume the context saved at to_sp, abandoning the current frames. */
void fiber_resume_asm(void *to_sp) __attribute__((noreturn));
/* A yield or preemption point (the same files): saves the
 * caller into *save_sp with its errno, calls fn(arg) on the engine's
 * stack below engine_sp and resumes the context whose saved stack pointer
 * fn returns. Resumed, it puts the errno back in *errno_loc, sets *in_app
 * to 1 and returns. */
#define SIM_FIBER_YIELD 1
void fiber_yield_asm(void **save_sp, void *engine_sp, void *(*fn)(void *),
                     void *arg, int *errno_loc, volatile int *in_app);
#endif

#if defined(SIM_FIBER_ASM) && !defined(SIM_ASAN)
void fiber_switch_asm(void **save_sp, void *to_sp);
static inline void fiber_switch_inline(FiberCtx *from, FiberCtx *to)
{
    fiber_switch_asm(&from->sp, to->sp);
}
#else
static inline void fiber_switch_inline(FiberCtx *from, FiberCtx *to)
{
    fiber_switch(from, to);
}
#endif

#endif
