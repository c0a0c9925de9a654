/* libc_pthread_sync.c — the small pthread synchronisation objects of apps:
 * once, barriers, spinlocks, on futexes.
 *
 * Models: what a libc on Zircon does for them: each waits on a futex
 * word (libc_futex.h), so a thread that must wait blocks the SIMULATED
 * thread. glibc's own block the one host thread in futex(2) (a second
 * pthread_once caller while the routine runs, a barrier short of its
 * count) or spin on it forever (a held spinlock, whose holder then never
 * runs): either way the whole simulator hung.
 *
 *   pthread_once       the control word (PTHREAD_ONCE_INIT, 0) goes
 *                      NEW -> RUNNING (-> WAITED once someone waits) ->
 *                      DONE; callers finding it running sleep until DONE,
 *                      so everyone returns after the routine has run, once,
 *                      even when it blocks. A routine that ends its thread
 *                      (a cancellation, pthread_exit) leaves the word NEW,
 *                      as if pthread_once had not been called (POSIX's
 *                      rule for a canceled one), and wakes the callers
 *                      waiting: one of them runs the routine. C11
 *                      call_once is this (libc_c11_threads.c)
 *   pthread_barrier_init (EINVAL for a count of 0), _wait (the thread
 *                      completing a round gets PTHREAD_BARRIER_SERIAL_
 *                      THREAD, the others 0; rounds are counted, so a
 *                      barrier is reusable at once), _destroy (EBUSY while
 *                      a round is under way; it first waits for the threads
 *                      woken by the last round to leave the wait, so the
 *                      serial thread may destroy or re-initialise it at
 *                      once, as glibc allows)
 *   pthread_spin_init, _destroy, _lock, _trylock (EBUSY), _unlock: a lock
 *                      word. Contended, the thread sleeps on it until the
 *                      unlock rather than spinning: one host thread runs
 *                      every simulated thread, so spinning would only ever
 *                      burn it (and no virtual time passes while spinning)
 *
 * Process-shared attributes are ignored: futexes are per process, the
 * objects synchronise the threads of one process. As every interposer:
 * from app code only, else glibc's. Read next: libc_semaphore.c.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <zircon/syscalls.h>

#include "app_call.h"
#include "app_world.h"
#include "libc_futex.h"
#include "libc_next.h"

enum { APP_ONCE_NEW, APP_ONCE_RUNNING, APP_ONCE_WAITED, APP_ONCE_DONE };

/* Inside glibc's pthread_barrier_t. */
typedef struct AppBarrier {
    unsigned count;   /* threads per round */
    unsigned arrived; /* in the round under way */
    int round;        /* rounds completed: the futex waiters sleep on */
    int leaving;      /* woken by a round, not yet out of the wait */
} AppBarrier;

_Static_assert(sizeof(AppBarrier) <= sizeof(pthread_barrier_t), "AppBarrier fits");

LIBC_NEXT_SLOT(pthread_barrier_destroy);
LIBC_NEXT_SLOT(pthread_barrier_init);
LIBC_NEXT_SLOT(pthread_barrier_wait);
LIBC_NEXT_SLOT(pthread_once);
LIBC_NEXT_SLOT(pthread_spin_destroy);
LIBC_NEXT_SLOT(pthread_spin_init);
LIBC_NEXT_SLOT(pthread_spin_lock);
LIBC_NEXT_SLOT(pthread_spin_trylock);
LIBC_NEXT_SLOT(pthread_spin_unlock);

/* ---- once ----------------------------------------------------------------*/

/* The routine's thread ended in it (a cleanup handler): as if it had
 * never been called, the waiting callers woken to try again. */
static void app_once_abandoned(void *control)
{
    int *word = control;
    if (__atomic_exchange_n(word, APP_ONCE_NEW, __ATOMIC_SEQ_CST) == APP_ONCE_WAITED)
        libc_futex_wake(word, UINT32_MAX);
}

int pthread_once(pthread_once_t *control, void (*routine)(void))
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_once_t *, void (*)(void)), pthread_once)(control, routine);
    int *word = (int *)control;
    for (;;) {
        int state = __atomic_load_n(word, __ATOMIC_SEQ_CST);
        if (state == APP_ONCE_DONE)
            return 0;
        if (state == APP_ONCE_NEW) {
            if (!__atomic_compare_exchange_n(word, &state, APP_ONCE_RUNNING, false,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
                continue;
            pthread_cleanup_push(app_once_abandoned, word);
            app_call_void(routine);
            pthread_cleanup_pop(0);
            if (__atomic_exchange_n(word, APP_ONCE_DONE, __ATOMIC_SEQ_CST) == APP_ONCE_WAITED)
                libc_futex_wake(word, UINT32_MAX);
            return 0;
        }
        if (state == APP_ONCE_RUNNING &&
            !__atomic_compare_exchange_n(word, &state, APP_ONCE_WAITED, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            continue;
        if (libc_futex_wait(word, APP_ONCE_WAITED, ZX_TIME_INFINITE) != 0)
            return EINVAL;
    }
}

/* ---- barriers ------------------------------------------------------------*/

int pthread_barrier_init(pthread_barrier_t *restrict barrier,
                         const pthread_barrierattr_t *restrict attr, unsigned count)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_barrier_t *, const pthread_barrierattr_t *, unsigned),
                         pthread_barrier_init)(barrier, attr, count);
    if (count == 0 || count > INT_MAX)
        return EINVAL;
    *(AppBarrier *)barrier = (AppBarrier){.count = count};
    return 0;
}

int pthread_barrier_wait(pthread_barrier_t *barrier)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_barrier_t *), pthread_barrier_wait)(barrier);
    AppBarrier *b = (AppBarrier *)barrier;
    if (b->count == 0)
        return EINVAL; /* never initialised */
    int round = __atomic_load_n(&b->round, __ATOMIC_SEQ_CST);
    if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_SEQ_CST) == b->count) {
        __atomic_store_n(&b->arrived, 0, __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&b->leaving, (int)b->count - 1, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&b->round, 1, __ATOMIC_SEQ_CST);
        libc_futex_wake(&b->round, UINT32_MAX);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    while (__atomic_load_n(&b->round, __ATOMIC_SEQ_CST) == round)
        if (libc_futex_wait(&b->round, round, ZX_TIME_INFINITE) != 0)
            return EINVAL;
    /* The last to leave lets a waiting pthread_barrier_destroy go on;
     * after this the barrier is not touched again. */
    if (__atomic_sub_fetch(&b->leaving, 1, __ATOMIC_SEQ_CST) == 0)
        libc_futex_wake(&b->leaving, UINT32_MAX);
    return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *barrier)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_barrier_t *), pthread_barrier_destroy)(barrier);
    AppBarrier *b = (AppBarrier *)barrier;
    if (__atomic_load_n(&b->arrived, __ATOMIC_SEQ_CST) > 0)
        return EBUSY;
    int n;
    while ((n = __atomic_load_n(&b->leaving, __ATOMIC_SEQ_CST)) > 0)
        if (libc_futex_wait(&b->leaving, n, ZX_TIME_INFINITE) == EINVAL)
            return EINVAL;
    return 0;
}

/* ---- spinlocks -----------------------------------------------------------*/

static int *app_spin_word(pthread_spinlock_t *lock)
{
    return (int *)lock;
}

int pthread_spin_init(pthread_spinlock_t *lock, int pshared)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_spinlock_t *, int), pthread_spin_init)(lock, pshared);
    *app_spin_word(lock) = 0;
    return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_spinlock_t *), pthread_spin_destroy)(lock);
    return 0;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_spinlock_t *), pthread_spin_lock)(lock);
    return libc_futex_lock(app_spin_word(lock), ZX_TIME_INFINITE);
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_spinlock_t *), pthread_spin_trylock)(lock);
    return libc_futex_lock_try(app_spin_word(lock)) ? 0 : EBUSY;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_spinlock_t *), pthread_spin_unlock)(lock);
    libc_futex_unlock(app_spin_word(lock));
    return 0;
}
