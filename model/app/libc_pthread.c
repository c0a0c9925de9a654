/* libc_pthread.c — POSIX threads for apps, on Zircon threads.
 *
 * Models: what Fuchsia's libc does. A pthread of an app is a Zircon thread
 * of the calling process (zx_thread_create + zx_thread_start, on a stack
 * of the engine's pool), joined by waiting for ZX_THREAD_TERMINATED.
 * Without this, glibc's pthread_create made a HOST thread, whose first
 * syscall stopped the whole simulator. Mutexes and condition variables are
 * futexes on zx_futex_wait/zx_futex_wake: a contended lock blocks the
 * simulated thread. glibc's own would block the one host thread in
 * futex(2), with the owner unable to run: the simulator would hang.
 *
 *   pthread_create     the attribute's detach state is honoured; stack
 *                      size and address, scheduling and affinity are not
 *                      (every thread gets a pool stack); EAGAIN when the
 *                      thread cannot be made
 *   pthread_join       EDEADLK for itself, EINVAL for a thread that is
 *                      not joinable (detached, or not made by
 *                      pthread_create)
 *   pthread_detach, pthread_exit, pthread_self (the main thread and
 *                      threads made with zx_thread_create get an identity
 *                      on first use)
 *   pthread_mutex_lock, _trylock, _unlock: glibc's layout (lock word,
 *                      count, owner, kind), so PTHREAD_MUTEX_INITIALIZER
 *                      and pthread_mutex_init's types work: normal,
 *                      recursive, error-checking
 *   pthread_cond_wait, _signal, _broadcast: a sequence word and a futex
 *   pthread_cond_timedwait: EINVAL. Its deadline is on a host clock,
 *                      which the simulation must not read
 *
 * The rule, as in libc_process.c: called from app code of a simulated
 * process (app_world_in_app_code(): not the kernel code serving it), the
 * simulated thing; else libc's own (dlsym RTLD_NEXT), so the host (GLib,
 * Python, the CLI, the kernel's own locks as model/host_memory.c's) is
 * unaffected. Preemption happens only at kernel entries, so the atomics
 * never race in fact; they keep the code plainly correct.
 *
 * AddressSanitizer builds: ASan's pthread_create interceptor runs first
 * and sets up its thread state on our fiber, which it refuses; apps
 * cannot make pthreads there (tests/apps skips them).
 *
 * C11 threads (thrd_*, mtx_*, cnd_*) map onto the same (end of file).
 *
 * Left out: cancellation, rwlocks,
 * barriers, spinlocks and semaphores (glibc's: futex-based, so contended
 * use blocks the host), process-shared and robust mutexes, priority
 * inheritance. Read next: app_world.c (what a thread of an app carries).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sched.h>
#include <stdlib.h>
#include <threads.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "app_world.h"
#include "libc_next.h"
#include "capsim/app.h"
#include "sdk/runtime.h"

typedef struct AppPthread {
    void *(*fn)(void *);
    int (*c11_fn)(void *); /* thrd_create's, instead of fn */
    void *arg;
    void *result;
    zx_handle_t thread;   /* ZX_HANDLE_INVALID: not made by pthread_create */
    int id;               /* per process, from 1: a mutex's owner */
    int detached;
    int exited;
} AppPthread;

/* glibc's struct __pthread_mutex_s (x86-64 and AArch64): the fields used. */
typedef struct AppMutex {
    int lock;             /* 0 free, 1 held, 2 held with waiters */
    unsigned count;       /* recursive depth */
    int owner;            /* holder's AppPthread id */
    unsigned nusers;
    int kind;             /* PTHREAD_MUTEX_* (low bits) */
} AppMutex;

LIBC_NEXT_SLOT(cnd_broadcast);
LIBC_NEXT_SLOT(cnd_signal);
LIBC_NEXT_SLOT(cnd_timedwait);
LIBC_NEXT_SLOT(cnd_wait);
LIBC_NEXT_SLOT(mtx_lock);
LIBC_NEXT_SLOT(mtx_timedlock);
LIBC_NEXT_SLOT(mtx_trylock);
LIBC_NEXT_SLOT(mtx_unlock);
LIBC_NEXT_SLOT(pthread_cond_broadcast);
LIBC_NEXT_SLOT(pthread_cond_signal);
LIBC_NEXT_SLOT(pthread_cond_timedwait);
LIBC_NEXT_SLOT(pthread_cond_wait);
LIBC_NEXT_SLOT(pthread_create);
LIBC_NEXT_SLOT(pthread_detach);
LIBC_NEXT_SLOT(pthread_exit);
LIBC_NEXT_SLOT(pthread_join);
LIBC_NEXT_SLOT(pthread_mutex_lock);
LIBC_NEXT_SLOT(pthread_mutex_trylock);
LIBC_NEXT_SLOT(pthread_mutex_unlock);
LIBC_NEXT_SLOT(pthread_self);
LIBC_NEXT_SLOT(sched_yield);
LIBC_NEXT_SLOT(thrd_create);
LIBC_NEXT_SLOT(thrd_current);
LIBC_NEXT_SLOT(thrd_detach);
LIBC_NEXT_SLOT(thrd_exit);
LIBC_NEXT_SLOT(thrd_join);
LIBC_NEXT_SLOT(thrd_sleep);
LIBC_NEXT_SLOT(thrd_yield);

/* The calling simulated thread's record, made on first use for threads
 * pthread_create did not make; it goes with the process. */
static AppPthread *app_pthread_current(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (!tr)
        return NULL;
    if (!tr->pthread) {
        AppPthread *p = calloc(1, sizeof *p);
        if (!p || capsim_process_on_release(free, p) != 0) {
            free(p);
            return NULL;
        }
        p->thread = ZX_HANDLE_INVALID;
        p->id = ++tr->proc->pthread_ids;
        tr->pthread = p;
    }
    return tr->pthread;
}

static int app_pthread_id(void)
{
    AppPthread *p = app_pthread_current();
    return p ? p->id : -1;
}

static void app_pthread_release(AppPthread *p)
{
    zx_handle_close(p->thread);
    free(p);
}

/* Exit the calling pthread with `result`: a detached one frees its record. */
__attribute__((noreturn)) static void app_pthread_finish(AppPthread *p,
                                                         void *result)
{
    if (p) {
        p->result = result;
        p->exited = 1;
        if (p->detached && p->thread != ZX_HANDLE_INVALID)
            app_pthread_release(p);
    }
    zx_thread_exit();
}

static void app_pthread_entry(uintptr_t rec, uintptr_t unused)
{
    (void)unused;
    AppPthread *p = (AppPthread *)rec;
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr)
        tr->pthread = p;
    app_pthread_finish(p, p->c11_fn ? (void *)(intptr_t)p->c11_fn(p->arg)
                                    : p->fn(p->arg));
}

/* Make and start a thread running fn or c11_fn; 0 or EAGAIN. */
static int app_pthread_spawn(pthread_t *out, void *(*fn)(void *),
                             int (*c11_fn)(void *), void *arg, int detached)
{
    AppPthread *p = calloc(1, sizeof *p);
    if (!p)
        return EAGAIN;
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    p->fn = fn;
    p->c11_fn = c11_fn;
    p->arg = arg;
    p->id = tr ? ++tr->proc->pthread_ids : -1;
    p->detached = detached;
    if (zx_thread_create(zx_process_self(), "pthread", 7, 0, &p->thread) != ZX_OK) {
        free(p);
        return EAGAIN;
    }
    if (zx_thread_start(p->thread, (uintptr_t)app_pthread_entry, 0,
                        (uintptr_t)p, 0) != ZX_OK) {
        app_pthread_release(p);
        return EAGAIN;
    }
    *out = (pthread_t)p;
    return 0;
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr,
                   void *(*fn)(void *), void *arg)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t *, const pthread_attr_t *,
                                        void *(*)(void *), void *), pthread_create)(out, attr, fn, arg);
    int detach = PTHREAD_CREATE_JOINABLE;
    if (attr && pthread_attr_getdetachstate(attr, &detach) != 0)
        return EINVAL;
    return app_pthread_spawn(out, fn, NULL, arg, detach == PTHREAD_CREATE_DETACHED);
}

int pthread_join(pthread_t t, void **result)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t, void **), pthread_join)(t, result);
    AppPthread *p = (AppPthread *)t;
    if (p && p == app_pthread_current())
        return EDEADLK;
    if (!p || p->thread == ZX_HANDLE_INVALID || p->detached)
        return EINVAL; /* not a joinable thread made by pthread_create */
    if (zx_object_wait_one(p->thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE,
                           NULL) != ZX_OK)
        return EINVAL;
    if (result)
        *result = p->result;
    app_pthread_release(p);
    return 0;
}

int pthread_detach(pthread_t t)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t), pthread_detach)(t);
    AppPthread *p = (AppPthread *)t;
    if (!p || p->thread == ZX_HANDLE_INVALID || p->detached)
        return EINVAL;
    if (p->exited)
        app_pthread_release(p);
    else
        p->detached = 1;
    return 0;
}

void pthread_exit(void *result)
{
    if (!app_world_in_app_code())
        LIBC_NEXT(void (*)(void *), pthread_exit)(result);
    app_pthread_finish(app_pthread_current(), result);
}

pthread_t pthread_self(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(pthread_t (*)(void), pthread_self)();
    return (pthread_t)app_pthread_current();
}

/* ---- mutexes -------------------------------------------------------------*/

static int app_mutex_kind(const AppMutex *m)
{
    return m->kind & 3; /* NORMAL, RECURSIVE, ERRORCHECK, ADAPTIVE */
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *), pthread_mutex_trylock)(mutex);
    AppMutex *m = (AppMutex *)mutex;
    int me = app_pthread_id();
    int expect = 0;
    if (__atomic_compare_exchange_n(&m->lock, &expect, 1, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
        m->owner = me;
        m->count = 1;
        return 0;
    }
    if (app_mutex_kind(m) == PTHREAD_MUTEX_RECURSIVE && m->owner == me) {
        m->count++;
        return 0;
    }
    return EBUSY;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *), pthread_mutex_lock)(mutex);
    AppMutex *m = (AppMutex *)mutex;
    int me = app_pthread_id();
    if (m->lock && m->owner == me) {
        if (app_mutex_kind(m) == PTHREAD_MUTEX_RECURSIVE) {
            m->count++;
            return 0;
        }
        if (app_mutex_kind(m) == PTHREAD_MUTEX_ERRORCHECK)
            return EDEADLK;
    }
    int c = 0;
    if (!__atomic_compare_exchange_n(&m->lock, &c, 1, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED)) {
        if (c != 2)
            c = __atomic_exchange_n(&m->lock, 2, __ATOMIC_ACQUIRE);
        while (c != 0) {
            zx_futex_wait((const zx_futex_t *)&m->lock, 2, ZX_HANDLE_INVALID,
                          ZX_TIME_INFINITE);
            c = __atomic_exchange_n(&m->lock, 2, __ATOMIC_ACQUIRE);
        }
    }
    m->owner = me;
    m->count = 1;
    return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *), pthread_mutex_unlock)(mutex);
    AppMutex *m = (AppMutex *)mutex;
    int kind = app_mutex_kind(m);
    if (kind == PTHREAD_MUTEX_RECURSIVE || kind == PTHREAD_MUTEX_ERRORCHECK) {
        if (!m->lock || m->owner != app_pthread_id())
            return EPERM;
        if (kind == PTHREAD_MUTEX_RECURSIVE && --m->count > 0)
            return 0;
    }
    m->owner = 0;
    m->count = 0;
    if (__atomic_exchange_n(&m->lock, 0, __ATOMIC_RELEASE) == 2)
        zx_futex_wake((const zx_futex_t *)&m->lock, 1);
    return 0;
}

/* ---- condition variables -------------------------------------------------*/

/* The first word of pthread_cond_t counts signals (zero-initialised). */
static int *app_cond_seq(pthread_cond_t *cond)
{
    return (int *)cond;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *, pthread_mutex_t *), pthread_cond_wait)(cond, mutex);
    int *seq = app_cond_seq(cond);
    int seen = __atomic_load_n(seq, __ATOMIC_ACQUIRE);
    int rc = pthread_mutex_unlock(mutex);
    if (rc != 0)
        return rc;
    zx_futex_wait((const zx_futex_t *)seq, seen, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
    return pthread_mutex_lock(mutex);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *, pthread_mutex_t *,
                                        const struct timespec *), pthread_cond_timedwait)(cond, mutex, abstime);
    return EINVAL;
}

static int app_cond_wake(pthread_cond_t *cond, uint32_t n)
{
    int *seq = app_cond_seq(cond);
    __atomic_fetch_add(seq, 1, __ATOMIC_RELEASE);
    zx_futex_wake((const zx_futex_t *)seq, n);
    return 0;
}

int pthread_cond_signal(pthread_cond_t *cond)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *), pthread_cond_signal)(cond);
    return app_cond_wake(cond, 1);
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *), pthread_cond_broadcast)(cond);
    return app_cond_wake(cond, UINT32_MAX);
}

/* ---- C11 threads ---------------------------------------------------------
 * glibc's thrd_* and mtx_* call its pthread internals directly, not the
 * functions above: interposed too, onto the same threads and futexes
 * (mtx_t and cnd_t have pthread_mutex_t's and pthread_cond_t's layout;
 * mtx_init and cnd_init stay glibc's, they only fill the memory). The
 * timed variants answer thrd_error, as pthread_cond_timedwait: their
 * deadlines are on a host clock. thrd_yield is a yield of the simulated
 * thread, as is sched_yield; thrd_sleep sleeps in virtual time. */

static int app_c11_result(int rc)
{
    return rc == 0 ? thrd_success : rc == EBUSY ? thrd_busy
         : rc == EAGAIN ? thrd_nomem : thrd_error;
}

int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(thrd_t *, thrd_start_t, void *), thrd_create)(thr, fn, arg);
    return app_c11_result(app_pthread_spawn((pthread_t *)thr, NULL, fn, arg, 0));
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
    app_pthread_finish(app_pthread_current(), (void *)(intptr_t)res);
}

thrd_t thrd_current(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(thrd_t (*)(void), thrd_current)();
    return (thrd_t)app_pthread_current();
}

int sched_yield(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(void), sched_yield)();
    capsim_yield();
    return 0;
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
    return thrd_error;
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
    return thrd_error;
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
