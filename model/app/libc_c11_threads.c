/* libc_c11_threads.c — C11 <threads.h> for apps, onto their pthreads.
 *
 * Models: C11 threads as Fuchsia's libc has them: the same Zircon threads
 * and futexes as pthreads (libc_pthread.c). glibc's thrd_*, mtx_*, cnd_*
 * and call_once call its pthread internals directly, not the interposed
 * pthread functions, so without these they made host threads and blocked
 * the one host thread in futex(2). mtx_t and cnd_t have pthread_mutex_t's
 * and pthread_cond_t's layout and once_flag pthread_once_t's: mtx_init
 * and cnd_init stay glibc's (they only fill the memory), the rest call
 * the pthread interposers.
 *
 *   thrd_create, _join, _detach, _exit, _current   pthreads
 *   thrd_yield         a yield of the simulated thread, as sched_yield
 *   thrd_sleep         a sleep in virtual time (libc_time.c)
 *   mtx_lock, _trylock, _unlock, _timedlock (TIME_UTC: the app's virtual
 *                      CLOCK_REALTIME), cnd_wait, _timedwait, _signal,
 *                      _broadcast: the mutexes and condition variables of
 *                      libc_pthread.c; thrd_timedout when virtual time
 *                      passes the deadline
 *   call_once          pthread_once (libc_pthread_sync.c)
 *
 * The rule of every interposer: only from app code (app_world_in_app_code),
 * else libc's own. Read next: libc_pthread_sync.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <threads.h>
#include <time.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_pthread.h"
#include "thread_stack.h"
#include "capsim/app.h"

LIBC_NEXT_SLOT(call_once);
LIBC_NEXT_SLOT(cnd_broadcast);
LIBC_NEXT_SLOT(cnd_signal);
LIBC_NEXT_SLOT(cnd_timedwait);
LIBC_NEXT_SLOT(cnd_wait);
LIBC_NEXT_SLOT(mtx_lock);
LIBC_NEXT_SLOT(mtx_timedlock);
LIBC_NEXT_SLOT(mtx_trylock);
LIBC_NEXT_SLOT(mtx_unlock);
LIBC_NEXT_SLOT(thrd_create);
LIBC_NEXT_SLOT(thrd_current);
LIBC_NEXT_SLOT(thrd_detach);
LIBC_NEXT_SLOT(thrd_exit);
LIBC_NEXT_SLOT(thrd_join);
LIBC_NEXT_SLOT(thrd_sleep);
LIBC_NEXT_SLOT(thrd_yield);

static int app_c11_result(int rc)
{
    return rc == 0 ? thrd_success : rc == EBUSY ? thrd_busy
         : rc == ETIMEDOUT ? thrd_timedout : rc == EAGAIN ? thrd_nomem : thrd_error;
}

int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(thrd_t *, thrd_start_t, void *), thrd_create)(thr, fn, arg);
    return app_c11_result(libc_pthread_spawn((pthread_t *)thr, NULL, fn, arg, 0,
                                                THREAD_STACK_DEFAULT_SIZE,
                                                THREAD_STACK_DEFAULT_GUARD));
}

int thrd_join(thrd_t thr, int *res)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(thrd_t, int *), thrd_join)(thr, res);
    void *r = NULL;
    int rc = pthread_join((pthread_t)thr, &r);
    if (rc == 0 && res)
        *res = (int)(intptr_t)r;
    return app_c11_result(rc);
}

int thrd_detach(thrd_t thr)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(thrd_t), thrd_detach)(thr);
    return app_c11_result(pthread_detach((pthread_t)thr));
}

void thrd_exit(int res)
{
    if (!app_world_in_app_code())
        LIBC_NEXT(void (*)(int), thrd_exit)(res);
    libc_pthread_exit((void *)(intptr_t)res);
}

thrd_t thrd_current(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(thrd_t (*)(void), thrd_current)();
    return (thrd_t)libc_pthread_current();
}

/* A relative sleep in virtual time (libc_time.c's clock_nanosleep). */
int thrd_sleep(const struct timespec *duration, struct timespec *remaining)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const struct timespec *, struct timespec *), thrd_sleep)(duration, remaining);
    return clock_nanosleep(CLOCK_MONOTONIC, 0, duration, remaining) == 0 ? 0 : -2;
}

void thrd_yield(void)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(void), thrd_yield)();
        return;
    }
    capsim_yield();
}

int mtx_lock(mtx_t *m)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(mtx_t *), mtx_lock)(m);
    return app_c11_result(pthread_mutex_lock((pthread_mutex_t *)m));
}

int mtx_trylock(mtx_t *m)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(mtx_t *), mtx_trylock)(m);
    return app_c11_result(pthread_mutex_trylock((pthread_mutex_t *)m));
}

int mtx_unlock(mtx_t *m)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(mtx_t *), mtx_unlock)(m);
    return app_c11_result(pthread_mutex_unlock((pthread_mutex_t *)m));
}

int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(mtx_t *, const struct timespec *), mtx_timedlock)(m, at);
    return app_c11_result(pthread_mutex_timedlock((pthread_mutex_t *)m, at));
}

int cnd_wait(cnd_t *c, mtx_t *m)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(cnd_t *, mtx_t *), cnd_wait)(c, m);
    return app_c11_result(pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m));
}

int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m,
                  const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(cnd_t *, mtx_t *, const struct timespec *), cnd_timedwait)(c, m, at);
    return app_c11_result(pthread_cond_timedwait((pthread_cond_t *)c, (pthread_mutex_t *)m, at));
}

int cnd_signal(cnd_t *c)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(cnd_t *), cnd_signal)(c);
    return app_c11_result(pthread_cond_signal((pthread_cond_t *)c));
}

int cnd_broadcast(cnd_t *c)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(cnd_t *), cnd_broadcast)(c);
    return app_c11_result(pthread_cond_broadcast((pthread_cond_t *)c));
}

void call_once(once_flag *flag, void (*fn)(void))
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(once_flag *, void (*)(void)), call_once)(flag, fn);
        return;
    }
    _Static_assert(sizeof(once_flag) == sizeof(pthread_once_t), "once_flag layout");
    pthread_once((pthread_once_t *)flag, fn);
}
