/* futex.h — futex wait queues: per-process queues of blocked threads keyed
 * by the futex's address, with Zircon's optional owner. See futex.c. */
#ifndef CAPSIM_MODEL_FUTEX_H
#define CAPSIM_MODEL_FUTEX_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "syscall.h"

typedef struct KThread KThread;
typedef struct KProcess KProcess;

/* Is t blocked on futex `key` of p? (owner rules of wait and requeue) */
bool futex_thread_waits_on(KProcess *p, uintptr_t key, const KThread *t);
/* Block the caller on futex `key` of its process until woken (ZX_OK), the
 * deadline (ZX_ERR_TIMED_OUT) or its death; `owner` (may be NULL) becomes
 * the futex's owner. The value check is the caller's. Returns SYS_BLOCKED,
 * ZX_ERR_TIMED_OUT for a deadline already past, or ZX_ERR_BAD_STATE when
 * the process has no address space. */
zx_status_t futex_wait(SysCtx *c, uintptr_t key, KThread *owner, SimTime deadline);
/* Wake up to `count` waiters in FIFO order; the owner is released.
 * Returns the number woken. */
uint32_t futex_wake(KProcess *p, uintptr_t key, uint32_t count);
/* Wake up to `wake_count` waiters of `key`, move up to `requeue_count` of
 * the rest to the back of `rkey`'s queue, whose owner becomes `owner` (NULL
 * if that queue ends up empty). */
void futex_requeue(KProcess *p, uintptr_t key, uint32_t wake_count,
                   uintptr_t rkey, uint32_t requeue_count, KThread *owner);
/* Owner koid of futex `key` (ZX_KOID_INVALID if none), and waiter count. */
zx_koid_t futex_owner_koid(KProcess *p, uintptr_t key);
uint32_t futex_waiter_count(KProcess *p, uintptr_t key);
/* vmar.c calls this when the address space goes (no waiters remain). */
void futex_table_free(void *table);

#endif
