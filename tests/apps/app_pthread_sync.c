/* app_pthread_sync.c — the blocking pthread objects beyond mutexes and
 * condition variables, inside a simulated process
 * (model/app/libc_pthread_rwlock.c, libc_pthread_sync.c, libc_semaphore.c,
 * libc_futex.c): a contended rwlock, a semaphore producer/consumer, once
 * with a blocking routine, barrier rounds, a contended spinlock, and timed
 * waits against VIRTUAL time. Every one of them blocked the simulator's
 * one host thread in futex(2) when glibc's own ran.
 *
 * Prints one line per check, the same in every schedule: elapsed virtual
 * times to 0.1 ms (floor), whether a timeout came on time as 1/0. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <zircon/syscalls.h>

#include "capsim/app.h"

#define MS INT64_C(1000000)

static const char *err(int e)
{
    switch (e) {
    case 0: return "0";
    case EBUSY: return "EBUSY";
    case EDEADLK: return "EDEADLK";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case ENOSYS: return "ENOSYS";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EOVERFLOW: return "EOVERFLOW";
    default: return strerror(e);
    }
}

/* Virtual ns as "X.Y ms" (floor). */
static const char *ms_of(int64_t ns)
{
    static char buf[32];
    snprintf(buf, sizeof buf, "%lld.%lld ms", (long long)(ns / MS), (long long)(ns / (MS / 10) % 10));
    return buf;
}

static const char *c11_name(int rc)
{
    return rc == thrd_success ? "thrd_success" : rc == thrd_timedout ? "thrd_timedout"
         : rc == thrd_busy ? "thrd_busy" : "thrd_error";
}

/* A semaphore call's result: 0, or its errno's name. */
static const char *sem_err(int rc)
{
    return rc == 0 ? "0" : err(errno);
}

static pthread_t spawn(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    if (pthread_create(&t, NULL, fn, arg) != 0) {
        printf("pthread_create failed\n");
        t = 0;
    }
    return t;
}

/* ---- rwlock: readers share, writers exclude ------------------------------*/

#define READERS 4
#define WRITERS 2
#define RW_ROUNDS 20

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int active_readers, active_writers, max_readers;
static int readers_saw_writer, writers_saw_other;
static long shared_value;

static void *rw_reader(void *arg)
{
    for (int i = 0; i < RW_ROUNDS; i++) {
        pthread_rwlock_rdlock(&rw);
        if (active_writers)
            readers_saw_writer++;
        if (++active_readers > max_readers)
            max_readers = active_readers;
        capsim_yield(); /* everyone else runs while it is held */
        active_readers--;
        pthread_rwlock_unlock(&rw);
        capsim_yield();
    }
    return NULL;
}

static void *rw_writer(void *arg)
{
    for (int i = 0; i < RW_ROUNDS; i++) {
        pthread_rwlock_wrlock(&rw);
        if (active_readers || active_writers)
            writers_saw_other++;
        active_writers = 1;
        long seen = shared_value;
        capsim_yield();
        shared_value = seen + 1;
        active_writers = 0;
        pthread_rwlock_unlock(&rw);
        capsim_yield();
    }
    return NULL;
}

static pthread_rwlock_t pref;
static int writer_got_it;

static void *pref_writer(void *arg)
{
    pthread_rwlock_wrlock(&pref);
    writer_got_it = 1;
    pthread_rwlock_unlock(&pref);
    return NULL;
}

/* With a reader holding and a writer waiting, may another read lock go
 * through? Prefer-reader (the default): yes; writer-nonrecursive: no. */
static void rwlock_preference(const char *name, int kind)
{
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    pthread_rwlockattr_setkind_np(&a, kind);
    pthread_rwlock_init(&pref, &a);
    writer_got_it = 0;
    pthread_rwlock_rdlock(&pref);
    pthread_t w = spawn(pref_writer, NULL);
    zx_nanosleep(zx_deadline_after(MS)); /* the writer waits now */
    int again = pthread_rwlock_tryrdlock(&pref);
    if (again == 0)
        pthread_rwlock_unlock(&pref);
    int waited = !writer_got_it;
    pthread_rwlock_unlock(&pref);
    pthread_join(w, NULL);
    printf("rwlock %s: writer waited %d, another read %s, writer got it %d\n", name,
           waited, err(again), writer_got_it);
}

static int give_up_rc;
static zx_instant_mono_t held_back_got;

static void *giving_up_writer(void *arg)
{
    struct timespec d;
    clock_gettime(CLOCK_MONOTONIC, &d);
    d.tv_nsec += 2 * MS; /* tv_nsec < 1e9 at this early virtual time */
    give_up_rc = pthread_rwlock_clockwrlock(&pref, CLOCK_MONOTONIC, &d);
    return NULL;
}

static void *held_back_reader(void *arg)
{
    pthread_rwlock_rdlock(&pref);
    held_back_got = zx_clock_get_monotonic();
    pthread_rwlock_unlock(&pref);
    return NULL;
}

/* Writer preference: a reader held back by a waiting writer goes on when
 * that writer gives up (its deadline passes), the lock still read-held. */
static void rwlock_writer_gives_up(void)
{
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&pref, &a);
    pthread_rwlock_rdlock(&pref);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    pthread_t w = spawn(giving_up_writer, NULL);
    zx_nanosleep(zx_deadline_after(MS / 2));
    pthread_t r = spawn(held_back_reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("rwlock writer gives up: %s, the held-back reader got it after %s\n",
           err(give_up_rc), ms_of(held_back_got - t0));
    pthread_rwlock_unlock(&pref);
}

static void test_rwlock(void)
{
    pthread_t t[READERS + WRITERS];
    for (int i = 0; i < READERS; i++)
        t[i] = spawn(rw_reader, NULL);
    for (int i = 0; i < WRITERS; i++)
        t[READERS + i] = spawn(rw_writer, NULL);
    for (int i = 0; i < READERS + WRITERS; i++)
        pthread_join(t[i], NULL);
    printf("rwlock: writes %ld of %d, readers saw a writer %d, writers saw another holder %d, "
           "readers shared it %d\n", shared_value, WRITERS * RW_ROUNDS, readers_saw_writer,
           writers_saw_other, max_readers > 1);

    rwlock_preference("prefer-reader", PTHREAD_RWLOCK_PREFER_READER_NP);
    rwlock_preference("prefer-writer-nonrecursive",
                      PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    rwlock_writer_gives_up();

    pthread_rwlock_t l = PTHREAD_RWLOCK_INITIALIZER;
    printf("rwlock errors:");
    printf(" unlock-free %s", err(pthread_rwlock_unlock(&l)));
    printf(" wrlock %s", err(pthread_rwlock_wrlock(&l)));
    printf(" wrlock-again %s", err(pthread_rwlock_wrlock(&l)));
    printf(" rdlock-own %s", err(pthread_rwlock_rdlock(&l)));
    printf(" tryrdlock %s", err(pthread_rwlock_tryrdlock(&l)));
    printf(" destroy-held %s", err(pthread_rwlock_destroy(&l)));
    printf(" unlock %s", err(pthread_rwlock_unlock(&l)));
    printf(" rd-rd %s", err(pthread_rwlock_rdlock(&l)));
    printf(" %s", err(pthread_rwlock_rdlock(&l)));
    printf(" trywrlock %s", err(pthread_rwlock_trywrlock(&l)));
    pthread_rwlock_unlock(&l);
    pthread_rwlock_unlock(&l);
    printf(" destroy %s\n", err(pthread_rwlock_destroy(&l)));
}

/* ---- semaphores: producer/consumer from zero -----------------------------*/

#define ITEMS 30
#define SLOTS 3

static sem_t filled, empty;
static int ring[SLOTS];

static void *producer(void *arg)
{
    for (int i = 1; i <= ITEMS; i++) {
        sem_wait(&empty);
        ring[i % SLOTS] = i;
        capsim_yield();
        sem_post(&filled);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    long *sum = arg;
    int in_order = 1;
    for (int i = 1; i <= ITEMS; i++) {
        sem_wait(&filled); /* starts at zero: blocks until produced */
        if (ring[i % SLOTS] != i)
            in_order = 0;
        *sum += ring[i % SLOTS];
        sem_post(&empty);
    }
    return (void *)(intptr_t)in_order;
}

static void test_semaphore(void)
{
    sem_init(&filled, 0, 0);
    sem_init(&empty, 0, SLOTS);
    long sum = 0;
    pthread_t c = spawn(consumer, &sum), p = spawn(producer, NULL);
    void *in_order = NULL;
    pthread_join(p, NULL);
    pthread_join(c, &in_order);
    int v = -1, w = -1;
    sem_getvalue(&filled, &v);
    sem_getvalue(&empty, &w);
    printf("sem: consumed %d, in order %d, sum %ld, left filled %d empty %d\n", ITEMS,
           (int)(intptr_t)in_order, sum, v, w);

    sem_t s;
    printf("sem errors:");
    printf(" trywait-zero %s", sem_err(sem_trywait(&filled)));
    printf(" pshared %s", sem_err(sem_init(&s, 1, 0)));
    printf(" too-big %s", sem_err(sem_init(&s, 0, (unsigned)SEM_VALUE_MAX + 1)));
    sem_init(&s, 0, SEM_VALUE_MAX);
    printf(" post-at-max %s", sem_err(sem_post(&s)));
    printf(" trywait %s", sem_err(sem_trywait(&s)));
    errno = 0;
    sem_t *named = sem_open("/capsim-test", O_CREAT, 0600, 1);
    printf(" sem_open %s %s", named == SEM_FAILED ? "SEM_FAILED" : "a semaphore", err(errno));
    printf(" sem_unlink %s", sem_err(sem_unlink("/capsim-test")));
    printf(" destroy %s\n", sem_err(sem_destroy(&s)));
}

/* ---- once: a routine that blocks, raced by several threads ---------------*/

#define ONCE_CALLERS 4

static pthread_once_t once = PTHREAD_ONCE_INIT;
static once_flag c11_once = ONCE_FLAG_INIT;
static int once_runs, once_done, c11_runs, c11_done;

static void once_routine(void)
{
    once_runs++;
    zx_nanosleep(zx_deadline_after(2 * MS)); /* the other callers arrive */
    once_done = 1;
}

static void c11_routine(void)
{
    c11_runs++;
    zx_nanosleep(zx_deadline_after(2 * MS));
    c11_done = 1;
}

static void *once_caller(void *arg)
{
    int *saw = arg;
    int rc = pthread_once(&once, once_routine);
    saw[0] = rc == 0 && once_done;
    call_once(&c11_once, c11_routine);
    saw[1] = c11_done;
    return NULL;
}

static void test_once(void)
{
    pthread_t t[ONCE_CALLERS];
    int saw[ONCE_CALLERS][2];
    for (int i = 0; i < ONCE_CALLERS; i++)
        t[i] = spawn(once_caller, saw[i]);
    int all = 1, c11_all = 1;
    for (int i = 0; i < ONCE_CALLERS; i++) {
        pthread_join(t[i], NULL);
        all &= saw[i][0];
        c11_all &= saw[i][1];
    }
    printf("once: ran %d time(s), %d callers all returned after it: %d; "
           "call_once ran %d, all after it: %d\n",
           once_runs, ONCE_CALLERS, all, c11_runs, c11_all);
}

/* ---- barrier: N threads, several rounds ----------------------------------*/

#define BARRIER_THREADS 4
#define BARRIER_ROUNDS 5

static pthread_barrier_t barrier;
static int arrivals[BARRIER_ROUNDS], serials[BARRIER_ROUNDS], left_early;

static void *barrier_thread(void *arg)
{
    for (int r = 0; r < BARRIER_ROUNDS; r++) {
        arrivals[r]++;
        capsim_yield();
        int rc = pthread_barrier_wait(&barrier);
        if (rc == PTHREAD_BARRIER_SERIAL_THREAD)
            serials[r]++;
        else if (rc != 0)
            printf("barrier_wait: %s\n", err(rc));
        if (arrivals[r] != BARRIER_THREADS)
            left_early++;
    }
    return NULL;
}

/* The serial thread destroys and re-initialises the barrier at once,
 * before the others it woke have run (glibc allows it: destroy waits for
 * them to leave). Were they to look at the barrier after that, they would
 * find a new round 0 and wait in it for ever. */
static pthread_barrier_t reused;
static int reused_destroy = -1, reused_returned;

static void *reused_thread(void *arg)
{
    if (pthread_barrier_wait(&reused) == PTHREAD_BARRIER_SERIAL_THREAD) {
        reused_destroy = pthread_barrier_destroy(&reused);
        pthread_barrier_init(&reused, NULL, BARRIER_THREADS);
    }
    reused_returned++;
    return NULL;
}

static void test_barrier(void)
{
    pthread_barrier_t b;
    printf("barrier: count 0 %s", err(pthread_barrier_init(&b, NULL, 0)));
    pthread_barrier_init(&barrier, NULL, BARRIER_THREADS);
    pthread_t t[BARRIER_THREADS];
    for (int i = 0; i < BARRIER_THREADS; i++)
        t[i] = spawn(barrier_thread, NULL);
    for (int i = 0; i < BARRIER_THREADS; i++)
        pthread_join(t[i], NULL);
    printf(", %d rounds, serial threads per round", BARRIER_ROUNDS);
    for (int r = 0; r < BARRIER_ROUNDS; r++)
        printf(" %d", serials[r]);
    printf(", left before all arrived %d, destroy %s", left_early,
           err(pthread_barrier_destroy(&barrier)));
    pthread_barrier_init(&reused, NULL, BARRIER_THREADS);
    for (int i = 0; i < BARRIER_THREADS; i++)
        t[i] = spawn(reused_thread, NULL);
    for (int i = 0; i < BARRIER_THREADS; i++)
        pthread_join(t[i], NULL);
    printf(", destroyed by its serial thread at once: %s, %d of %d returned\n",
           err(reused_destroy), reused_returned, BARRIER_THREADS);
}

/* ---- spinlock: contended, the holder yields ------------------------------*/

#define SPINNERS 3
#define SPIN_ROUNDS 20

static pthread_spinlock_t spin;
static long spin_counter;

static void *spinner(void *arg)
{
    for (int i = 0; i < SPIN_ROUNDS; i++) {
        pthread_spin_lock(&spin);
        long seen = spin_counter;
        capsim_yield(); /* the others find it held */
        spin_counter = seen + 1;
        pthread_spin_unlock(&spin);
    }
    return NULL;
}

static void test_spinlock(void)
{
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    pthread_t t[SPINNERS];
    for (int i = 0; i < SPINNERS; i++)
        t[i] = spawn(spinner, NULL);
    for (int i = 0; i < SPINNERS; i++)
        pthread_join(t[i], NULL);
    printf("spin: counter %ld of %d", spin_counter, SPINNERS * SPIN_ROUNDS);
    pthread_spin_lock(&spin);
    printf(", trylock held %s", err(pthread_spin_trylock(&spin)));
    pthread_spin_unlock(&spin);
    printf(", free %s\n", err(pthread_spin_trylock(&spin)));
    pthread_spin_unlock(&spin);
    pthread_spin_destroy(&spin);
}

/* ---- timed waits in virtual time -----------------------------------------*/

/* `ms` from now on clock `clk`. */
static struct timespec in_ms(clockid_t clk, int64_t ms)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    int64_t ns = ts.tv_nsec + ms * MS;
    ts.tv_sec += ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    return ts;
}

static int64_t ts_ns(struct timespec ts)
{
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t clock_ns(clockid_t clk)
{
    struct timespec now;
    clock_gettime(clk, &now);
    return ts_ns(now);
}

/* One timed wait's report: its result, the virtual time it took, and for
 * a timeout whether it came on time: not before its deadline on its
 * clock, and less than 10 us after it. */
static void report(const char *what, const char *result, clockid_t clk,
                   struct timespec deadline, zx_instant_mono_t t0, int timed_out)
{
    int64_t took = zx_clock_get_monotonic() - t0;
    int64_t late = clock_ns(clk) - ts_ns(deadline);
    printf("%s: %s after %s", what, result, ms_of(took));
    if (timed_out)
        printf(", on time %d", late >= 0 && late < 10000);
    printf("\n");
}

static pthread_mutex_t tm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tc = PTHREAD_COND_INITIALIZER;
static sem_t ts_sem;
static pthread_rwlock_t trw = PTHREAD_RWLOCK_INITIALIZER;
static int signalled;

/* After 1 ms: release what main waits for. */
static void *release_later(void *arg)
{
    zx_nanosleep(zx_deadline_after(MS));
    const char *what = arg;
    if (!strcmp(what, "signal")) {
        pthread_mutex_lock(&tm);
        signalled = 1;
        pthread_cond_signal(&tc);
        pthread_mutex_unlock(&tm);
    } else if (!strcmp(what, "post")) {
        sem_post(&ts_sem);
    }
    return NULL;
}

/* Holds the mutex / the rwlock as writer for 1 ms. */
static void *hold_briefly(void *arg)
{
    if (arg == &tm)
        pthread_mutex_lock(&tm);
    else
        pthread_rwlock_wrlock(&trw);
    zx_nanosleep(zx_deadline_after(MS));
    if (arg == &tm)
        pthread_mutex_unlock(&tm);
    else
        pthread_rwlock_unlock(&trw);
    return NULL;
}

static void timed_cond(void)
{
    struct timespec d = in_ms(CLOCK_REALTIME, 2);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    pthread_mutex_lock(&tm);
    int rc = pthread_cond_timedwait(&tc, &tm, &d);
    pthread_mutex_unlock(&tm);
    report("cond_timedwait realtime +2ms", err(rc), CLOCK_REALTIME, d, t0, rc == ETIMEDOUT);

    pthread_condattr_t ca;
    pthread_cond_t mc;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&mc, &ca);
    d = in_ms(CLOCK_MONOTONIC, 3);
    t0 = zx_clock_get_monotonic();
    pthread_mutex_lock(&tm);
    rc = pthread_cond_timedwait(&mc, &tm, &d);
    pthread_mutex_unlock(&tm);
    report("cond_timedwait monotonic attr +3ms", err(rc), CLOCK_MONOTONIC, d, t0, rc == ETIMEDOUT);

    d = in_ms(CLOCK_MONOTONIC, 1);
    t0 = zx_clock_get_monotonic();
    pthread_mutex_lock(&tm);
    rc = pthread_cond_clockwait(&tc, &tm, CLOCK_MONOTONIC, &d);
    pthread_mutex_unlock(&tm);
    report("cond_clockwait monotonic +1ms", err(rc), CLOCK_MONOTONIC, d, t0, rc == ETIMEDOUT);

    signalled = 0;
    pthread_t t = spawn(release_later, "signal");
    d = in_ms(CLOCK_REALTIME, 5);
    t0 = zx_clock_get_monotonic();
    pthread_mutex_lock(&tm);
    rc = 0;
    while (!signalled && rc == 0)
        rc = pthread_cond_timedwait(&tc, &tm, &d);
    pthread_mutex_unlock(&tm);
    pthread_join(t, NULL);
    report("cond_timedwait +5ms, signalled at 1ms", err(rc), CLOCK_REALTIME, d, t0, 0);

    struct timespec bad = {.tv_sec = 0, .tv_nsec = 1000000000};
    pthread_mutex_lock(&tm);
    printf("cond bad times: nsec 1e9 %s", err(pthread_cond_timedwait(&tc, &tm, &bad)));
    bad.tv_nsec = -1;
    printf(", nsec -1 %s", err(pthread_cond_timedwait(&tc, &tm, &bad)));
    d = in_ms(CLOCK_MONOTONIC, 1);
    printf(", cpu clock %s", err(pthread_cond_clockwait(&tc, &tm, CLOCK_PROCESS_CPUTIME_ID, &d)));
    struct timespec past = {.tv_sec = -1, .tv_nsec = 0};
    t0 = zx_clock_get_monotonic();
    rc = pthread_cond_timedwait(&tc, &tm, &past);
    printf(", before the epoch %s after %s\n", err(rc), ms_of(zx_clock_get_monotonic() - t0));
    pthread_mutex_unlock(&tm);
}

static void timed_mutex(void)
{
    pthread_mutex_lock(&tm); /* a normal mutex held by the caller itself */
    struct timespec d = in_ms(CLOCK_REALTIME, 2);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    int rc = pthread_mutex_timedlock(&tm, &d);
    report("mutex_timedlock held +2ms", err(rc), CLOCK_REALTIME, d, t0, rc == ETIMEDOUT);
    d = in_ms(CLOCK_MONOTONIC, 1);
    t0 = zx_clock_get_monotonic();
    rc = pthread_mutex_clocklock(&tm, CLOCK_MONOTONIC, &d);
    report("mutex_clocklock held +1ms", err(rc), CLOCK_MONOTONIC, d, t0, rc == ETIMEDOUT);
    struct timespec bad = {.tv_sec = 0, .tv_nsec = 1000000000};
    printf("mutex bad time: %s\n", err(pthread_mutex_timedlock(&tm, &bad)));
    pthread_mutex_unlock(&tm);

    pthread_t t = spawn(hold_briefly, &tm);
    zx_nanosleep(zx_deadline_after(MS / 10)); /* it holds it now */
    d = in_ms(CLOCK_REALTIME, 5);
    t0 = zx_clock_get_monotonic();
    rc = pthread_mutex_timedlock(&tm, &d);
    report("mutex_timedlock +5ms, freed at 1ms", err(rc), CLOCK_REALTIME, d, t0, 0);
    pthread_mutex_unlock(&tm);
    pthread_join(t, NULL);

    mtx_t m;
    cnd_t c;
    mtx_init(&m, mtx_timed);
    cnd_init(&c);
    mtx_lock(&m);
    struct timespec u;
    timespec_get(&u, TIME_UTC);
    printf("c11: TIME_UTC in 2026 %d", u.tv_sec >= INT64_C(1767225600) && u.tv_sec < INT64_C(1767225600) + 3600);
    d = in_ms(CLOCK_REALTIME, 2);
    t0 = zx_clock_get_monotonic();
    rc = mtx_timedlock(&m, &d);
    printf(", mtx_timedlock %s after %s", c11_name(rc), ms_of(zx_clock_get_monotonic() - t0));
    d = in_ms(CLOCK_REALTIME, 3);
    t0 = zx_clock_get_monotonic();
    rc = cnd_timedwait(&c, &m, &d);
    printf(", cnd_timedwait %s after %s\n", c11_name(rc), ms_of(zx_clock_get_monotonic() - t0));
    mtx_unlock(&m);
}

static void timed_sem(void)
{
    sem_init(&ts_sem, 0, 0);
    struct timespec d = in_ms(CLOCK_REALTIME, 2);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    int rc = sem_timedwait(&ts_sem, &d);
    report("sem_timedwait +2ms", sem_err(rc), CLOCK_REALTIME, d, t0, rc != 0);
    d = in_ms(CLOCK_MONOTONIC, 1);
    t0 = zx_clock_get_monotonic();
    rc = sem_clockwait(&ts_sem, CLOCK_MONOTONIC, &d);
    report("sem_clockwait monotonic +1ms", sem_err(rc), CLOCK_MONOTONIC, d, t0, rc != 0);
    pthread_t t = spawn(release_later, "post");
    d = in_ms(CLOCK_REALTIME, 5);
    t0 = zx_clock_get_monotonic();
    rc = sem_timedwait(&ts_sem, &d);
    report("sem_timedwait +5ms, posted at 1ms", sem_err(rc), CLOCK_REALTIME, d, t0, 0);
    pthread_join(t, NULL);
    struct timespec bad = {.tv_sec = 0, .tv_nsec = -1};
    printf("sem bad time: %s\n", sem_err(sem_timedwait(&ts_sem, &bad)));
}

static void timed_rwlock(void)
{
    pthread_rwlock_rdlock(&trw);
    struct timespec d = in_ms(CLOCK_REALTIME, 2);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    int rc = pthread_rwlock_timedwrlock(&trw, &d);
    report("rwlock_timedwrlock read-held +2ms", err(rc), CLOCK_REALTIME, d, t0, rc == ETIMEDOUT);
    pthread_rwlock_unlock(&trw);

    pthread_t t = spawn(hold_briefly, &trw);
    zx_nanosleep(zx_deadline_after(MS / 10)); /* it holds it now */
    d = in_ms(CLOCK_REALTIME, 0);
    d.tv_sec--; /* a second ago */
    t0 = zx_clock_get_monotonic();
    rc = pthread_rwlock_timedrdlock(&trw, &d);
    report("rwlock_timedrdlock write-held, deadline passed", err(rc), CLOCK_REALTIME, d, t0, 0);
    d = in_ms(CLOCK_MONOTONIC, 5);
    t0 = zx_clock_get_monotonic();
    rc = pthread_rwlock_clockrdlock(&trw, CLOCK_MONOTONIC, &d);
    report("rwlock_clockrdlock +5ms, freed at 1ms", err(rc), CLOCK_MONOTONIC, d, t0, 0);
    pthread_rwlock_unlock(&trw);
    pthread_join(t, NULL);
    struct timespec bad = {.tv_sec = 0, .tv_nsec = 1000000000};
    pthread_rwlock_wrlock(&trw);
    printf("rwlock bad time: %s", err(pthread_rwlock_timedrdlock(&trw, &bad)));
    printf(" %s\n", err(pthread_rwlock_clockwrlock(&trw, CLOCK_MONOTONIC, &bad)));
    pthread_rwlock_unlock(&trw);
}

int main(void)
{
    test_rwlock();
    test_semaphore();
    test_once();
    test_barrier();
    test_spinlock();
    timed_cond();
    timed_mutex();
    timed_sem();
    timed_rwlock();
    return 0;
}
