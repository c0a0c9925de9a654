/* app_pthread_cancel_race.c — pthread cancellation meeting another event
 * at the same moment (model/app/libc_pthread_cancel.c, app_cancel.c):
 *
 *  - a signal and a cancel sent back to back at a condition waiter that
 *    is the first of two: the signal is not lost (one of the two waiters
 *    takes the token), deferred and asynchronous;
 *  - an asynchronous thread with a request pending that unlocks a mutex
 *    another thread waits for: the unlock wakes the waiter (libc's own
 *    kernel entries are never cut in half), and the thread ends at its
 *    next kernel entry from app code;
 *  - an asynchronous thread blocked in a zx_* call of its own: ended at
 *    once;
 *  - a second request while the first's handlers run: nothing more
 *    (the handler's sleep and pthread_testcancel go on);
 *  - pthread_cancel of the pthread_t of a thread zx_thread_create made,
 *    once it has ended: ESRCH, whatever thread came after it;
 *  - a pthread_once routine canceled: as if never called, the caller
 *    waiting for it runs it;
 *  - the main thread canceled in pthread_join: its handler runs, the
 *    other thread goes on, and the process ends when it does.
 *
 * With the argument "buffers": readv, writev and select canceled, many
 * times over (the buffers libc copies through must be freed).
 *
 * The threads are told apart by the order they start waiting in; every
 * schedule prints the same lines. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "app_thread_log.h"
#include "capsim/app.h"

static void wait_for(volatile int *flag)
{
    while (!*flag)
        usleep(100);
}

static const char *join_result(pthread_t t)
{
    void *res = NULL;
    if (pthread_join(t, &res) != 0)
        return "join failed";
    return res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "not canceled";
}

/* ---- a signal and a cancel at once ----------------------------------------*/

static pthread_mutex_t token_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t token_cond = PTHREAD_COND_INITIALIZER;
static int tokens, takers_waiting, taken_by[2];
static int taker_async;

static void taker_unlock(void *arg)
{
    (void)arg;
    pthread_mutex_unlock(&token_mutex);
}

/* Wait for a token, take it. */
static void *taker(void *arg)
{
    int me = (int)(intptr_t)arg;
    if (taker_async)
        pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    pthread_mutex_lock(&token_mutex);
    takers_waiting++;
    pthread_cleanup_push(taker_unlock, NULL);
    while (!tokens)
        pthread_cond_wait(&token_cond, &token_mutex);
    tokens--;
    taken_by[me]++;
    pthread_cleanup_pop(1);
    return NULL;
}

/* Until n takers wait for a token (then a while longer: blocked). */
static void takers_wait(int n)
{
    for (;;) {
        pthread_mutex_lock(&token_mutex);
        int waiting = takers_waiting;
        pthread_mutex_unlock(&token_mutex);
        if (waiting == n)
            break;
        usleep(100);
    }
    usleep(1000);
}

/* Two takers wait; one token, its signal and a cancel of the first
 * waiter in one go, the mutex held a while after: whoever the signal
 * woke, the token is taken, once. */
static void signal_then_cancel(int async)
{
    taker_async = async;
    tokens = takers_waiting = taken_by[0] = taken_by[1] = 0;
    pthread_t first, second;
    pthread_create(&first, NULL, taker, (void *)0);
    takers_wait(1); /* the first is first in the condition's queue */
    pthread_create(&second, NULL, taker, (void *)1);
    takers_wait(2);
    pthread_mutex_lock(&token_mutex);
    tokens = 1;
    pthread_cond_signal(&token_cond);
    pthread_cancel(first);
    usleep(1000); /* the mutex still held: the woken taker waits for it */
    pthread_mutex_unlock(&token_mutex);
    pthread_join(first, NULL);
    for (int i = 0; i < 100 && tokens; i++) /* the second, if it was woken */
        usleep(100);
    pthread_mutex_lock(&token_mutex);
    int left = tokens, taken = taken_by[0] + taken_by[1];
    pthread_mutex_unlock(&token_mutex);
    pthread_cancel(second); /* still waiting if the first took the token */
    pthread_join(second, NULL);
    printf("signal then cancel (%s): taken %d, left %d\n", async ? "asynchronous" : "deferred",
           taken, left);
}

/* ---- an asynchronous thread unlocking a mutex someone waits for -----------*/

static pthread_mutex_t held;
static volatile int holder_ready, holder_canceled, waiter_ready;

static void *holder(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "handler");
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    pthread_mutex_lock(&held);
    holder_ready = 1;
    while (!holder_canceled)
        capsim_yield(); /* no kernel entry: the request waits */
    pthread_mutex_unlock(&held); /* wakes the waiter: libc's entry */
    log_add(arg, "unlocked");
    zx_handle_close(ZX_HANDLE_INVALID); /* the app's kernel entry: it stops */
    log_add(arg, "after-entry");
    pthread_cleanup_pop(0);
    return NULL;
}

static void *lock_waiter(void *arg)
{
    waiter_ready = 1;
    pthread_mutex_lock(&held); /* blocks: the holder has it */
    pthread_mutex_unlock(&held);
    return arg;
}

static void async_unlock(void)
{
    pthread_mutex_init(&held, NULL);
    Log log = {{0}};
    pthread_t h, w;
    pthread_create(&h, NULL, holder, &log);
    wait_for(&holder_ready);
    pthread_create(&w, NULL, lock_waiter, "locked");
    wait_for(&waiter_ready);
    usleep(1000); /* the waiter blocked in the lock */
    int rc = pthread_cancel(h);
    holder_canceled = 1;
    const char *res = join_result(h);
    void *got = NULL;
    pthread_join(w, &got);
    printf("asynchronous unlock: cancel %d, %s, %s; waiter %s\n", rc, log.text, res,
           (const char *)got);
}

/* ---- an asynchronous thread blocked in its own zx_* call ----------------*/

static volatile int napper_ready;
static int64_t nap_start, nap_end;

static void nap_handler(void *arg)
{
    nap_end = capsim_now();
    handler(arg);
}

static void *napper(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(nap_handler, "handler");
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    nap_start = capsim_now();
    napper_ready = 1;
    zx_nanosleep(zx_deadline_after(100 * 1000000000LL)); /* no point: the app's call */
    log_add(arg, "slept-on");
    pthread_cleanup_pop(0);
    return NULL;
}

/* The app's own blocking call ends at once (the stub acts). */
static void async_own_call(void)
{
    Log log = {{0}};
    pthread_t t;
    pthread_create(&t, NULL, napper, &log);
    wait_for(&napper_ready);
    usleep(1000);
    int rc = pthread_cancel(t);
    const char *res = join_result(t);
    printf("asynchronous in zx_nanosleep: cancel %d, %s, %s, within 2 ms %d\n", rc, log.text,
           res, nap_end - nap_start < 2000000);
}

/* ---- canceled again while its handlers run -------------------------------*/

static volatile int twice_ready, twice_in_handler;
static int64_t twice_slept;

static void twice_handler(void *arg)
{
    twice_in_handler = 1;
    int64_t start = capsim_now();
    usleep(3000); /* a point: the second request does not end it */
    pthread_testcancel();
    twice_slept = capsim_now() - start;
    handler(arg);
}

static void *twice(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(twice_handler, "handler");
    twice_ready = 1;
    for (;;)
        sleep(10);
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_in_handler(void)
{
    Log log = {{0}};
    pthread_t t;
    pthread_create(&t, NULL, twice, &log);
    wait_for(&twice_ready);
    int first = pthread_cancel(t);
    wait_for(&twice_in_handler);
    usleep(500);
    int second = pthread_cancel(t);
    const char *res = join_result(t);
    printf("canceled in its handler: cancel %d then %d, %s, %s, handler slept 3 ms %d\n", first,
           second, log.text, res, twice_slept >= 3000000);
}

/* ---- a raw thread's pthread_t, after it ended --------------------------*/

static pthread_t raw_self;
static volatile int stale_sleeper_ready;

static void raw_thread(uintptr_t a, uintptr_t b)
{
    (void)a;
    (void)b;
    raw_self = pthread_self(); /* its record, made on first use */
    zx_thread_exit();
}

static void *stale_sleeper(void *arg)
{
    stale_sleeper_ready = 1;
    sleep(100);
    return arg;
}

/* A thread zx_thread_create made ends without pthread_exit; a thread
 * started after it is no target of a cancel of the first's pthread_t. */
static void stale_target(void)
{
    zx_handle_t h;
    if (zx_thread_create(zx_process_self(), "raw", 3, 0, &h) != ZX_OK ||
        zx_thread_start(h, (uintptr_t)raw_thread, 0, 0, 0) != ZX_OK) {
        printf("raw thread failed\n");
        return;
    }
    zx_object_wait_one(h, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_handle_close(h);
    pthread_t t;
    pthread_create(&t, NULL, stale_sleeper, "slept-on");
    wait_for(&stale_sleeper_ready);
    usleep(1000);
    int stale = pthread_cancel(raw_self);
    usleep(1000);
    int rc = pthread_cancel(t);
    printf("ended raw thread: cancel %s; the next thread: cancel %d, %s\n",
           stale == ESRCH ? "ESRCH" : stale == 0 ? "0" : "other", rc, join_result(t));
}

/* ---- a pthread_once routine canceled -------------------------------------*/

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_calls, once_second_ready;

/* The first call blocks until canceled; the second returns. */
static void once_routine(void)
{
    if (once_calls++ == 0)
        sleep(100);
}

static void *once_caller(void *arg)
{
    if (arg)
        once_second_ready = 1;
    pthread_once(&once, once_routine);
    return "returned";
}

static void once_canceled(void)
{
    pthread_t first, second;
    pthread_create(&first, NULL, once_caller, NULL);
    while (!once_calls)
        usleep(100);
    pthread_create(&second, NULL, once_caller, "second");
    wait_for(&once_second_ready);
    usleep(1000); /* waiting for the first's routine */
    int rc = pthread_cancel(first);
    const char *first_res = join_result(first);
    void *second_res = NULL;
    pthread_join(second, &second_res);
    pthread_once(&once, once_routine); /* done: not called again */
    printf("pthread_once: cancel %d, %s; the other %s; routine called %d times\n", rc,
           first_res, (const char *)second_res, once_calls);
}

/* ---- the main thread canceled ---------------------------------------------*/

static pthread_t main_thread;
static volatile int main_joining;

static void *main_canceler(void *arg)
{
    (void)arg;
    wait_for(&main_joining);
    usleep(1000); /* main blocked in the join */
    int rc = pthread_cancel(main_thread);
    usleep(1000);
    printf("main canceled: cancel %d, this thread went on\n", rc);
    fflush(stdout);
    return NULL;
}

static void main_handler(void *arg)
{
    (void)arg;
    printf("main: handler\n");
}

/* ---- canceled with a buffer of libc's: "buffers" ------------------------*/

#define BUFFER_ROUNDS 32
#define BUFFER_BYTES (1 << 20)

static int buffer_fds[2];
static volatile int buffer_ready;

/* Block in readv, writev or select on a pipe nothing drains or fills:
 * each copies through a buffer libc allocates around its wait. */
static void *buffer_blocker(void *arg)
{
    static char big[BUFFER_BYTES];
    struct iovec iov = {big, sizeof big};
    fd_set set;
    FD_ZERO(&set);
    FD_SET(buffer_fds[0], &set);
    buffer_ready = 1;
    switch ((int)(intptr_t)arg) {
    case 0: readv(buffer_fds[0], &iov, 1); break;
    case 1: /* until the pipe is full */
        while (writev(buffer_fds[1], &iov, 1) > 0)
            ;
        break;
    default: select(FD_SETSIZE, &set, NULL, NULL, NULL); break;
    }
    return NULL;
}

static int buffers(void)
{
    for (int round = 0; round < BUFFER_ROUNDS; round++) {
        for (intptr_t call = 0; call < 3; call++) {
            if (pipe(buffer_fds) != 0)
                return 1;
            buffer_ready = 0;
            pthread_t t;
            pthread_create(&t, NULL, buffer_blocker, (void *)call);
            wait_for(&buffer_ready);
            usleep(1000);
            pthread_cancel(t);
            const char *res = join_result(t);
            if (strcmp(res, "PTHREAD_CANCELED") != 0) {
                printf("buffers: round %d, call %d: %s\n", round, (int)call, res);
                return 1;
            }
            close(buffer_fds[0]);
            close(buffer_fds[1]);
        }
    }
    printf("buffers: %d rounds of readv, writev and select canceled\n", BUFFER_ROUNDS);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "buffers") == 0)
        return buffers();
    if (pthread_key_create(&log_key, key_ended) != 0)
        return 1;
    signal_then_cancel(0);
    signal_then_cancel(1);
    async_unlock();
    async_own_call();
    cancel_in_handler();
    stale_target();
    once_canceled();
    fflush(stdout);
    main_thread = pthread_self();
    pthread_t t;
    pthread_create(&t, NULL, main_canceler, NULL);
    pthread_cleanup_push(main_handler, NULL);
    main_joining = 1;
    pthread_join(t, NULL); /* canceled here */
    printf("main: joined\n");
    pthread_cleanup_pop(0);
    return 0;
}
