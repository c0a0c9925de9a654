/* libc_futex.c — futex words for the blocking interposers of apps.
 *
 * Models: how Fuchsia's libc builds its locks: a word of app memory and
 * zx_futex_wait/zx_futex_wake on it, so a thread that must wait blocks
 * the SIMULATED thread in the kernel (and lets the holder run), where
 * glibc's own would block the one host thread in futex(2) and hang the
 * whole simulator. Waits take a zx deadline: timed waits end with
 * ETIMEDOUT when VIRTUAL time reaches it (libc_time_deadline turns an
 * absolute time on an app's clock into one).
 *
 * A lock word is 0 free, 1 held, 2 held with (maybe) waiters: the classic
 * three-state futex mutex, so an unlock makes a syscall only when someone
 * may wait. Mutexes (libc_pthread.c) and spinlocks (libc_pthread_sync.c)
 * share it.
 *
 * Preemption happens only at kernel entries, so the atomics never race in
 * fact; they keep the code plainly correct. The futex's value check is the
 * kernel's, done when the wait is served: a change made before it (and its
 * wake) is never lost. Futexes are per process, as in Zircon: none of this
 * synchronises two processes. Read next: libc_pthread.c.
 */
#include <errno.h>
#include <zircon/syscalls.h>

#include "libc_futex.h"
#include "libc_time.h"

int libc_futex_wait(int *word, int expect, zx_instant_mono_t deadline)
{
    zx_status_t s = zx_futex_wait((const zx_futex_t *)word, expect,
                                  ZX_HANDLE_INVALID, deadline);
    if (s == ZX_ERR_TIMED_OUT)
        return ETIMEDOUT;
    return s == ZX_OK || s == ZX_ERR_BAD_STATE ? 0 : EINVAL;
}

void libc_futex_wake(int *word, uint32_t count)
{
    zx_futex_wake((const zx_futex_t *)word, count);
}

bool libc_futex_lock_try(int *word)
{
    int expect = 0;
    return __atomic_compare_exchange_n(word, &expect, 1, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

int libc_futex_lock(int *word, zx_instant_mono_t deadline)
{
    int c = 0;
    if (__atomic_compare_exchange_n(word, &c, 1, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
        return 0;
    if (c != 2)
        c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        int rc = libc_futex_wait(word, 2, deadline);
        if (rc != 0)
            return rc; /* the word stays 2: the next unlock wakes for nothing */
        c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
    }
    return 0;
}

void libc_futex_unlock(int *word)
{
    if (__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2)
        libc_futex_wake(word, 1);
}

int libc_futex_deadline(clockid_t clk, const struct timespec *at,
                        zx_instant_mono_t *deadline)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return EINVAL;
    return libc_time_deadline(clk, at, deadline);
}
