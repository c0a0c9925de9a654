/* app_pthreads.c — POSIX threads inside a simulated process
 * (model/app/libc_pthread.c): threads that really are Zircon threads of
 * this process, a mutex held across a preemption (contended: a glibc mutex
 * would block the host thread), a condition variable hand-off, mutex
 * types, detach, pthread_self, thread-specific data (pthread keys and C11
 * tss, model/app/libc_pthread_keys.c). Prints one line per check. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "capsim/app.h"

#define WORKERS 4
#define ROUNDS 50

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn, handed;

static void *worker(void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        long seen = counter;
        capsim_yield(); /* every other worker runs now and finds it held */
        counter = seen + 1;
        pthread_mutex_unlock(&lock);
    }
    return (void *)((intptr_t)arg * 10);
}

static void *consumer(void *arg)
{
    pthread_mutex_lock(&lock);
    while (!turn)
        pthread_cond_wait(&ready, &lock);
    handed = turn;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *detached(void *arg)
{
    pthread_mutex_lock(&lock);
    *(int *)arg = 1;
    pthread_cond_broadcast(&ready);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static mtx_t c11_lock;
static long c11_counter;

static int c11_worker(void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        mtx_lock(&c11_lock);
        long seen = c11_counter;
        thrd_yield();
        c11_counter = seen + 1;
        mtx_unlock(&c11_lock);
    }
    return (int)(intptr_t)arg + 40;
}

/* ---- thread-specific data -------------------------------------------------*/

static pthread_key_t key_own, key_plain;
static int key_slots[WORKERS], keys_mixed, keys_destructed, keys_again;
static tss_t tss_own;
static int tss_destructed;

/* Sets the value once more on its first call: a second round must run. */
static void key_destructor(void *v)
{
    keys_destructed++;
    if (v == &key_slots[0] && !keys_again++)
        pthread_setspecific(key_own, v);
}

static void *key_worker(void *arg)
{
    intptr_t i = (intptr_t)arg;
    if (pthread_getspecific(key_own) != NULL)
        keys_mixed++;
    pthread_setspecific(key_own, &key_slots[i]);
    for (int r = 0; r < 5; r++) {
        sched_yield();
        if (pthread_getspecific(key_own) != &key_slots[i])
            keys_mixed++;
    }
    return NULL;
}

static void tss_destructor(void *v)
{
    tss_destructed++;
}

static int tss_worker(void *arg)
{
    tss_set(tss_own, arg);
    thrd_yield();
    return tss_get(tss_own) == arg;
}

static const char *err(int e);

static void thread_keys(void)
{
    static int main_value;
    pthread_key_create(&key_own, key_destructor);
    pthread_key_create(&key_plain, NULL);
    pthread_setspecific(key_own, &main_value);
    pthread_t t[WORKERS];
    for (intptr_t i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, key_worker, (void *)i);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    int main_kept = pthread_getspecific(key_own) == &main_value;
    pthread_setspecific(key_plain, &main_value);
    pthread_key_delete(key_plain);
    int deleted_null = pthread_getspecific(key_plain) == NULL;
    pthread_key_t again;
    pthread_key_create(&again, NULL);
    int recreated_null = again == key_plain && pthread_getspecific(again) == NULL;
    printf("keys: own values %d, mixed %d, destructors %d (one twice), main kept %d, "
           "deleted reads NULL %d, same slot again NULL %d, errors %s %s\n",
           keys_mixed == 0, keys_mixed, keys_destructed, main_kept, deleted_null,
           recreated_null, err(pthread_setspecific(key_plain + 1, NULL)),
           err(pthread_key_delete(key_plain + 1)));

    tss_create(&tss_own, tss_destructor);
    thrd_t c[2];
    int ok[2] = {0, 0};
    for (intptr_t i = 0; i < 2; i++)
        thrd_create(&c[i], tss_worker, &ok[i]);
    int r0 = 0, r1 = 0;
    thrd_join(c[0], &r0);
    thrd_join(c[1], &r1);
    printf("tss: own values %d %d, destructors %d, main's NULL %d\n", r0, r1, tss_destructed,
           tss_get(tss_own) == NULL);
}

static const char *err(int e)
{
    return e == 0 ? "0" : e == EBUSY ? "EBUSY" : e == EDEADLK ? "EDEADLK"
         : e == EPERM ? "EPERM" : e == EINVAL ? "EINVAL" : e == ESRCH ? "ESRCH"
         : e == ETIMEDOUT ? "ETIMEDOUT" : strerror(e);
}

int main(void)
{
    pthread_t w[WORKERS];
    for (intptr_t i = 0; i < WORKERS; i++)
        if (pthread_create(&w[i], NULL, worker, (void *)i) != 0)
            return 1;
    long sum = 0;
    for (int i = 0; i < WORKERS; i++) {
        void *r = NULL;
        pthread_join(w[i], &r);
        sum += (intptr_t)r;
    }
    printf("counter %ld of %d, results %ld\n", counter, WORKERS * ROUNDS, sum);

    pthread_t c;
    pthread_create(&c, NULL, consumer, NULL);
    capsim_yield(); /* the consumer waits */
    pthread_mutex_lock(&lock);
    turn = 7;
    pthread_cond_signal(&ready);
    pthread_mutex_unlock(&lock);
    pthread_join(c, NULL);
    printf("handed %d\n", handed);

    pthread_mutexattr_t ma;
    pthread_mutex_t m;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&m, &ma);
    /* one call per statement: argument order is unspecified */
    printf("recursive:");
    printf(" %s", err(pthread_mutex_lock(&m)));
    printf(" %s", err(pthread_mutex_lock(&m)));
    printf(" %s", err(pthread_mutex_unlock(&m)));
    printf(" %s", err(pthread_mutex_unlock(&m)));
    printf(" %s\n", err(pthread_mutex_unlock(&m)));
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&m, &ma);
    printf("errorcheck:");
    printf(" %s", err(pthread_mutex_lock(&m)));
    printf(" %s", err(pthread_mutex_lock(&m)));
    printf(" %s\n", err(pthread_mutex_unlock(&m)));
    pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;
    printf("trylock:");
    printf(" %s", err(pthread_mutex_trylock(&n)));
    printf(" %s\n", err(pthread_mutex_trylock(&n)));
    pthread_mutex_unlock(&n);

    static int done;
    pthread_attr_t da;
    pthread_attr_init(&da);
    pthread_attr_setdetachstate(&da, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    printf("detached: %s", err(pthread_create(&d, &da, detached, &done)));
    pthread_mutex_lock(&lock);
    while (!done)
        pthread_cond_wait(&ready, &lock);
    pthread_mutex_unlock(&lock);
    printf(" ran %d\n", done);

    int same = pthread_equal(pthread_self(), pthread_self());
    printf("self: %d, join self %s\n", same, err(pthread_join(pthread_self(), NULL)));
    /* C11 threads: glibc's thrd_* bypass pthread_create */
    mtx_init(&c11_lock, mtx_plain);
    thrd_t ct[2];
    for (intptr_t i = 0; i < 2; i++)
        if (thrd_create(&ct[i], c11_worker, (void *)i) != thrd_success)
            return 2;
    int r0 = 0, r1 = 0;
    thrd_join(ct[0], &r0);
    thrd_join(ct[1], &r1);
    printf("c11: counter %ld of %d, results %d %d\n", c11_counter, 2 * ROUNDS, r0, r1);

    thread_keys();

    /* The epoch is long past on the app's clock (app_pthread_sync.c has
     * the timed waits). */
    struct timespec ts = {0, 0};
    pthread_mutex_lock(&n);
    printf("timedwait: %s\n", err(pthread_cond_timedwait(&ready, &n, &ts)));
    return 0;
}
