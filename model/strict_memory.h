/* strict_memory.h — strict memory mode: while a thread of process P runs
 * app code, only P's VMO mappings are reachable; another process's fault
 * as on a real machine. The kernel reaches app memory only through
 * strict_memory_user_copy (or by opening the owner first). See
 * strict_memory.c for the design, host_isolation.c for the mechanisms.
 */
#ifndef CAPSIM_MODEL_STRICT_MEMORY_H
#define CAPSIM_MODEL_STRICT_MEMORY_H

#include <stdbool.h>
#include <stddef.h>

#include "host_isolation.h"
#include "kernel.h"
#include "process.h"
#include "thread.h"

/* Turn the mode on for k (HOST_ISOLATION_PKEY or _MPROTECT) or off. Only
 * before k has any process: ZX_ERR_BAD_STATE after. PKEY on a host
 * without protection keys: ZX_ERR_NOT_SUPPORTED. */
zx_status_t strict_memory_set(Kernel *k, HostIsolation mode);
/* What "on" means here: PKEY where the host has keys, else MPROTECT. */
HostIsolation strict_memory_best(void);
const char *strict_memory_name(HostIsolation mode);

/* Make p's mappings the reachable ones (no-op unless strict: p->guard is
 * set only in strict mode, and only while p has an address space). */
static inline void strict_memory_enter(KProcess *p)
{
    HostGuard *g = p->guard;
    if (__builtin_expect(g != NULL, 0) && !host_guard_is_open(g))
        host_guard_open(g);
}

/* The same for the process of an engine thread (none: nothing). Inline,
 * like the copies below: every syscall copy and wake-up passes here, and
 * outside strict mode it is two loads and a test. */
static inline void strict_memory_enter_thread(SimThread *st)
{
    KThread *t = sim_thread_owner(st);
    if (t)
        strict_memory_enter(t->process);
}

/* Copy n bytes between kernel memory and memory of p (one side is an app
 * address of p): false instead of a crash for a bad address, including
 * one in another process's mappings under strict mode. */
__attribute__((always_inline)) static inline bool
strict_memory_user_copy(KProcess *p, void *dst, const void *src, size_t n)
{
    strict_memory_enter(p);
    return sim_kernel_copy(dst, src, n);
}

/* The same for the process a blocked engine thread belongs to (results
 * delivered to a waiter by another thread's syscall). */
static inline bool strict_memory_thread_copy(SimThread *st, void *dst,
                                             const void *src, size_t n)
{
    strict_memory_enter_thread(st);
    return sim_kernel_copy(dst, src, n);
}

#endif
