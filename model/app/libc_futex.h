/* libc_futex.h — the futex words every blocking interposer is built on
 * (libc_pthread.c's mutexes and condition variables, libc_pthread_rwlock.c,
 * libc_pthread_sync.c, libc_semaphore.c, libc_c11_threads.c). App code
 * only: these are zx_futex_* calls of the calling simulated process. See
 * libc_futex.c. */
#ifndef CAPSIM_APP_LIBC_FUTEX_H
#define CAPSIM_APP_LIBC_FUTEX_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <zircon/types.h>

/* Block while *word == expect, until woken or `deadline`: 0 (woken, or
 * the word had changed: look again), ETIMEDOUT, or EINVAL (a misaligned
 * word). */
int libc_futex_wait(int *word, int expect, zx_instant_mono_t deadline);
/* Wake up to `count` threads blocked on word (UINT32_MAX: all). */
void libc_futex_wake(int *word, uint32_t count);

/* A lock word: 0 free, 1 held, 2 held and maybe waited for. */
bool libc_futex_lock_try(int *word);
/* Take it, blocking until `deadline`: 0 or ETIMEDOUT (or EINVAL). */
int libc_futex_lock(int *word, zx_instant_mono_t deadline);
void libc_futex_unlock(int *word);

/* The deadline of a timed wait until `at` on `clk`: 0, or EINVAL for a
 * clock other than CLOCK_REALTIME and CLOCK_MONOTONIC (what glibc's timed
 * waits take) or a malformed time (libc_time_deadline). */
int libc_futex_deadline(clockid_t clk, const struct timespec *at,
                        zx_instant_mono_t *deadline);

#endif
