/* libc_pthread_rwlock.c — reader-writer locks for apps, on futexes.
 *
 * Models: pthread_rwlock_* as a libc on Zircon builds them: a state word
 * and futexes the waiters block on, so a contended lock blocks the
 * SIMULATED thread. glibc's own blocks the one host thread in futex(2)
 * while the holder can never run again: the whole simulator hung.
 *
 * Layout, inside glibc's pthread_rwlock_t (so PTHREAD_RWLOCK_INITIALIZER,
 * all zeros, is a free lock that prefers readers):
 *
 *   state              0 free, n > 0 held by n readers, -1 by a writer
 *   readers_seq, writers_seq   the futexes each kind of waiter sleeps on:
 *                      moved on when that kind is woken
 *   readers_waiting, writers_waiting   blocked in a lock call now
 *   writer             the holding writer's pthread id
 *   glibc's __flags    the kind, where glibc keeps it
 *
 * Policy. Fuchsia's libc (musl) has no kind: a reader gets the lock
 * whenever no writer holds it, waiting writers or not, so readers that
 * keep overlapping starve a writer. That is the default here
 * (PTHREAD_RWLOCK_PREFER_READER_NP, 0; PREFER_WRITER_NP, 1, is the same,
 * as in glibc). glibc's PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP (2,
 * and its initializer) is kept for programs that ask for it: new readers
 * wait while a writer waits, so a writer is never starved (and a reader
 * locking again then deadlocks).
 *
 * Who is woken, when the lock becomes free: the kind that may go. A
 * writer if writers wait and either the lock prefers writers or no
 * reader waits: exactly one (a writer holds it alone); else every
 * waiting reader (they share it). The last reader of a batch, unlocking,
 * wakes the next writer. musl wakes every waiter when a writer unlocks
 * and lets them race; here nobody wakes to lose and sleep again (each
 * wasted wake cost a kernel round trip in virtual time and trace).
 * A waiter that gives up (its deadline passed) looks again, in case a
 * wake meant for it found it gone or it was the writer holding readers
 * back. A waiter reads its futex word, tries, and sleeps on the value it
 * read: a wake between the two fails the futex's value check.
 *
 *   _rdlock, _wrlock   EDEADLK when the caller holds it as writer
 *   _tryrdlock, _trywrlock   EBUSY
 *   _timedrdlock, _timedwrlock (CLOCK_REALTIME), _clockrdlock,
 *   _clockwrlock       deadlines on the virtual clocks (libc_futex.h):
 *                      ETIMEDOUT, EINVAL for a bad time or clock
 *   _unlock            EPERM when it is not held, or held by another writer
 *   _init              the attribute's kind; process-shared is ignored
 *                      (futexes are per process: one process's threads)
 *   _destroy           EBUSY while held or waited for
 *
 * As every interposer: from app code only, else glibc's. Read next:
 * libc_pthread_sync.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "app_world.h"
#include "libc_futex.h"
#include "libc_next.h"
#include "libc_pthread.h"

typedef struct AppRwlock {
    int state;
    int readers_seq;
    int writers_seq;
    int readers_waiting;
    int writers_waiting;
    int writer;
} AppRwlock;

_Static_assert(sizeof(AppRwlock) <= offsetof(pthread_rwlock_t, __data.__flags),
               "AppRwlock fits before glibc's kind field");

LIBC_NEXT_SLOT(pthread_rwlock_clockrdlock);
LIBC_NEXT_SLOT(pthread_rwlock_clockwrlock);
LIBC_NEXT_SLOT(pthread_rwlock_destroy);
LIBC_NEXT_SLOT(pthread_rwlock_init);
LIBC_NEXT_SLOT(pthread_rwlock_rdlock);
LIBC_NEXT_SLOT(pthread_rwlock_timedrdlock);
LIBC_NEXT_SLOT(pthread_rwlock_timedwrlock);
LIBC_NEXT_SLOT(pthread_rwlock_tryrdlock);
LIBC_NEXT_SLOT(pthread_rwlock_trywrlock);
LIBC_NEXT_SLOT(pthread_rwlock_unlock);
LIBC_NEXT_SLOT(pthread_rwlock_wrlock);

static AppRwlock *app_rwlock(pthread_rwlock_t *rwlock)
{
    return (AppRwlock *)rwlock;
}

static bool app_rwlock_prefers_writers(const pthread_rwlock_t *rwlock)
{
    return rwlock->__data.__flags == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP;
}

static int app_rwlock_get(int *field)
{
    return __atomic_load_n(field, __ATOMIC_SEQ_CST);
}

/* Wake `count` of the waiters sleeping on `seq`: the word moves on first,
 * so one about to sleep on its old value looks again instead. */
static void app_rwlock_wake_on(int *seq, uint32_t count)
{
    __atomic_fetch_add(seq, 1, __ATOMIC_SEQ_CST);
    libc_futex_wake(seq, count);
}

/* The lock may let someone go (it became free, or a waiter gave up):
 * wake the kind the policy lets go, if any waits (file comment). */
static void app_rwlock_let_go(pthread_rwlock_t *rwlock)
{
    AppRwlock *rw = app_rwlock(rwlock);
    int state = app_rwlock_get(&rw->state);
    int readers = app_rwlock_get(&rw->readers_waiting);
    int writers = app_rwlock_get(&rw->writers_waiting);
    bool writers_first = app_rwlock_prefers_writers(rwlock);
    if (state == 0 && writers > 0 && (writers_first || readers == 0))
        app_rwlock_wake_on(&rw->writers_seq, 1);
    else if (state >= 0 && readers > 0 && !(writers_first && writers > 0))
        app_rwlock_wake_on(&rw->readers_seq, UINT32_MAX);
}

static bool app_rwlock_try_read(pthread_rwlock_t *rwlock)
{
    AppRwlock *rw = app_rwlock(rwlock);
    if (app_rwlock_prefers_writers(rwlock) && app_rwlock_get(&rw->writers_waiting) > 0)
        return false;
    int s = app_rwlock_get(&rw->state);
    while (s >= 0 && s < INT32_MAX)
        if (__atomic_compare_exchange_n(&rw->state, &s, s + 1, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true;
    return false;
}

static bool app_rwlock_try_write(AppRwlock *rw)
{
    int free_state = 0;
    if (!__atomic_compare_exchange_n(&rw->state, &free_state, -1, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return false;
    rw->writer = libc_pthread_id();
    return true;
}

/* Take the lock (`write` or read) before `deadline`: sleep on the futex
 * of its kind, counted in readers_ or writers_waiting, until woken. */
static int app_rwlock_lock(pthread_rwlock_t *rwlock, bool write,
                           zx_instant_mono_t deadline)
{
    AppRwlock *rw = app_rwlock(rwlock);
    int *waiting = write ? &rw->writers_waiting : &rw->readers_waiting;
    int *seq = write ? &rw->writers_seq : &rw->readers_seq;
    for (;;) {
        int seen = app_rwlock_get(seq);
        if (write ? app_rwlock_try_write(rw) : app_rwlock_try_read(rwlock))
            return 0;
        if (app_rwlock_get(&rw->state) < 0 && rw->writer == libc_pthread_id())
            return EDEADLK;
        __atomic_fetch_add(waiting, 1, __ATOMIC_SEQ_CST);
        int rc = libc_futex_wait(seq, seen, deadline);
        __atomic_fetch_sub(waiting, 1, __ATOMIC_SEQ_CST);
        if (rc == 0)
            continue;
        app_rwlock_let_go(rwlock);
        return rc;
    }
}

int pthread_rwlock_init(pthread_rwlock_t *restrict rwlock,
                        const pthread_rwlockattr_t *restrict attr)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *, const pthread_rwlockattr_t *),
                         pthread_rwlock_init)(rwlock, attr);
    int kind = PTHREAD_RWLOCK_DEFAULT_NP;
    if (attr && pthread_rwlockattr_getkind_np(attr, &kind) != 0)
        return EINVAL;
    memset(rwlock, 0, sizeof *rwlock);
    rwlock->__data.__flags = kind;
    return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rwlock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *), pthread_rwlock_destroy)(rwlock);
    AppRwlock *rw = app_rwlock(rwlock);
    return rw->state != 0 || rw->readers_waiting || rw->writers_waiting ? EBUSY : 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *), pthread_rwlock_rdlock)(rwlock);
    return app_rwlock_lock(rwlock, false, ZX_TIME_INFINITE);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *), pthread_rwlock_wrlock)(rwlock);
    return app_rwlock_lock(rwlock, true, ZX_TIME_INFINITE);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *), pthread_rwlock_tryrdlock)(rwlock);
    return app_rwlock_try_read(rwlock) ? 0 : EBUSY;
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *), pthread_rwlock_trywrlock)(rwlock);
    return app_rwlock_try_write(app_rwlock(rwlock)) ? 0 : EBUSY;
}

int pthread_rwlock_clockrdlock(pthread_rwlock_t *restrict rwlock, clockid_t clk,
                               const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *, clockid_t, const struct timespec *),
                         pthread_rwlock_clockrdlock)(rwlock, clk, at);
    zx_instant_mono_t deadline;
    int rc = libc_futex_deadline(clk, at, &deadline);
    return rc != 0 ? rc : app_rwlock_lock(rwlock, false, deadline);
}

int pthread_rwlock_clockwrlock(pthread_rwlock_t *restrict rwlock, clockid_t clk,
                               const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *, clockid_t, const struct timespec *),
                         pthread_rwlock_clockwrlock)(rwlock, clk, at);
    zx_instant_mono_t deadline;
    int rc = libc_futex_deadline(clk, at, &deadline);
    return rc != 0 ? rc : app_rwlock_lock(rwlock, true, deadline);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *restrict rwlock,
                               const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *, const struct timespec *),
                         pthread_rwlock_timedrdlock)(rwlock, at);
    return pthread_rwlock_clockrdlock(rwlock, CLOCK_REALTIME, at);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *restrict rwlock,
                               const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *, const struct timespec *),
                         pthread_rwlock_timedwrlock)(rwlock, at);
    return pthread_rwlock_clockwrlock(rwlock, CLOCK_REALTIME, at);
}

int pthread_rwlock_unlock(pthread_rwlock_t *rwlock)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_rwlock_t *), pthread_rwlock_unlock)(rwlock);
    AppRwlock *rw = app_rwlock(rwlock);
    int s = app_rwlock_get(&rw->state);
    if (s == 0 || (s < 0 && rw->writer != libc_pthread_id()))
        return EPERM;
    if (s < 0) {
        rw->writer = 0;
        __atomic_store_n(&rw->state, 0, __ATOMIC_SEQ_CST);
    } else if (__atomic_sub_fetch(&rw->state, 1, __ATOMIC_SEQ_CST) != 0) {
        return 0; /* other readers still hold it */
    }
    app_rwlock_let_go(rwlock);
    return 0;
}
