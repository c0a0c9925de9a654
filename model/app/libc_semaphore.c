/* libc_semaphore.c — POSIX semaphores for apps, on futexes.
 *
 * Models: unnamed semaphores as a libc on Zircon builds them: the count is
 * a futex word, so sem_wait on zero blocks the SIMULATED thread until a
 * sem_post. glibc's own blocked the one host thread in futex(2), and the
 * thread that would post could never run: the whole simulator hung.
 *
 * Layout, inside glibc's sem_t: the count (the futex), then how many
 * threads sleep in a wait (sem_post wakes one only if some may).
 *
 *   sem_init           EINVAL above SEM_VALUE_MAX; pshared != 0: ENOSYS.
 *                      Zircon futexes belong to one process (two
 *                      processes mapping the same VMO wait on two
 *                      different futexes), so a process-shared semaphore
 *                      could not wake the other side
 *   sem_wait, sem_trywait (EAGAIN at zero), sem_post (EOVERFLOW at
 *                      SEM_VALUE_MAX), sem_getvalue (the count, never
 *                      negative), sem_destroy (EBUSY while a thread waits)
 *   sem_timedwait (CLOCK_REALTIME), sem_clockwait: a deadline on the
 *                      app's virtual clocks (libc_futex.h): ETIMEDOUT when
 *                      virtual time reaches it, EINVAL for a bad time or
 *                      clock (checked first, as glibc)
 *   sem_open, sem_unlink   ENOSYS: named semaphores are files under
 *                      /dev/shm of the HOST, which an app must not reach;
 *                      Fuchsia has no such namespace either
 *   sem_close          EINVAL: no named semaphore can exist
 *
 * sem_wait, sem_timedwait and sem_clockwait are cancellation points
 * (libc_pthread_cancel.c): a request ends the wait, no count taken.
 *
 * Errors go the POSIX way: -1 and errno. As every interposer: from app
 * code only, else glibc's. Read next: libc_pthread_sync.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <zircon/syscalls.h>

#include "app_world.h"
#include "libc_futex.h"
#include "libc_next.h"
#include "libc_pthread_cancel.h"

typedef struct AppSem {
    int count;
    int waiters;
} AppSem;

_Static_assert(sizeof(AppSem) <= sizeof(sem_t), "AppSem fits in sem_t");

LIBC_NEXT_SLOT(sem_clockwait);
LIBC_NEXT_SLOT(sem_close);
LIBC_NEXT_SLOT(sem_destroy);
LIBC_NEXT_SLOT(sem_getvalue);
LIBC_NEXT_SLOT(sem_init);
LIBC_NEXT_SLOT(sem_open);
LIBC_NEXT_SLOT(sem_post);
LIBC_NEXT_SLOT(sem_timedwait);
LIBC_NEXT_SLOT(sem_trywait);
LIBC_NEXT_SLOT(sem_unlink);
LIBC_NEXT_SLOT(sem_wait);

static AppSem *app_sem(sem_t *sem)
{
    return (AppSem *)sem;
}

/* 0, or set errno and -1 (the semaphore calls' convention). */
static int app_sem_result(int rc)
{
    if (rc == 0)
        return 0;
    errno = rc;
    return -1;
}

static bool app_sem_try(AppSem *s)
{
    int c = __atomic_load_n(&s->count, __ATOMIC_SEQ_CST);
    while (c > 0)
        if (__atomic_compare_exchange_n(&s->count, &c, c - 1, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true;
    return false;
}

/* Take one, sleeping on a zero count until `deadline`: 0 or ETIMEDOUT. */
static int app_sem_wait(AppSem *s, zx_instant_mono_t deadline)
{
    libc_cancel_point();
    while (!app_sem_try(s)) {
        __atomic_fetch_add(&s->waiters, 1, __ATOMIC_SEQ_CST);
        libc_cancel_wait_begin();
        int rc = libc_futex_wait(&s->count, 0, deadline);
        libc_cancel_wait_end();
        __atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
        libc_cancel_after(); /* a cancellation point: none taken */
        if (rc != 0)
            return rc;
    }
    return 0;
}

int sem_init(sem_t *sem, int pshared, unsigned int value)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *, int, unsigned int), sem_init)(sem, pshared, value);
    if (value > SEM_VALUE_MAX)
        return app_sem_result(EINVAL);
    if (pshared)
        return app_sem_result(ENOSYS);
    *app_sem(sem) = (AppSem){.count = (int)value};
    return 0;
}

int sem_destroy(sem_t *sem)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *), sem_destroy)(sem);
    return app_sem_result(app_sem(sem)->waiters > 0 ? EBUSY : 0);
}

int sem_wait(sem_t *sem)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *), sem_wait)(sem);
    return app_sem_result(app_sem_wait(app_sem(sem), ZX_TIME_INFINITE));
}

int sem_trywait(sem_t *sem)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *), sem_trywait)(sem);
    return app_sem_result(app_sem_try(app_sem(sem)) ? 0 : EAGAIN);
}

int sem_clockwait(sem_t *restrict sem, clockid_t clk,
                  const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *, clockid_t, const struct timespec *),
                         sem_clockwait)(sem, clk, at);
    zx_instant_mono_t deadline;
    int rc = libc_futex_deadline(clk, at, &deadline);
    return app_sem_result(rc != 0 ? rc : app_sem_wait(app_sem(sem), deadline));
}

int sem_timedwait(sem_t *restrict sem, const struct timespec *restrict at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *, const struct timespec *), sem_timedwait)(sem, at);
    return sem_clockwait(sem, CLOCK_REALTIME, at);
}

int sem_post(sem_t *sem)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *), sem_post)(sem);
    AppSem *s = app_sem(sem);
    int c = __atomic_load_n(&s->count, __ATOMIC_SEQ_CST);
    do {
        if (c >= SEM_VALUE_MAX)
            return app_sem_result(EOVERFLOW);
    } while (!__atomic_compare_exchange_n(&s->count, &c, c + 1, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    if (__atomic_load_n(&s->waiters, __ATOMIC_SEQ_CST) > 0)
        libc_futex_wake(&s->count, 1);
    return 0;
}

int sem_getvalue(sem_t *restrict sem, int *restrict value)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *, int *), sem_getvalue)(sem, value);
    *value = __atomic_load_n(&app_sem(sem)->count, __ATOMIC_SEQ_CST);
    return 0;
}

sem_t *sem_open(const char *name, int oflag, ...)
{
    if (!app_world_in_app_code()) {
        mode_t mode = 0;
        unsigned int value = 0;
        if (oflag & O_CREAT) {
            va_list ap;
            va_start(ap, oflag);
            mode = va_arg(ap, mode_t);
            value = va_arg(ap, unsigned int);
            va_end(ap);
        }
        return LIBC_NEXT(sem_t *(*)(const char *, int, ...), sem_open)(name, oflag, mode, value);
    }
    errno = ENOSYS;
    return SEM_FAILED;
}

int sem_unlink(const char *name)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *), sem_unlink)(name);
    return app_sem_result(ENOSYS);
}

int sem_close(sem_t *sem)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sem_t *), sem_close)(sem);
    return app_sem_result(EINVAL);
}
