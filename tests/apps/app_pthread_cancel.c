/* app_pthread_cancel.c — pthread cancellation inside a simulated process
 * (model/app/libc_pthread_cancel.c, app_cancel.c): a thread canceled in
 * pthread_cond_wait (its handler finds the mutex held by it again), one
 * canceled while cancellation is disabled (its sleep runs to the end) and
 * acting at pthread_testcancel once enabled, a sleeping thread woken by
 * the request, an asynchronous thread stopped at its next kernel entry,
 * threads canceling themselves, pthread_cleanup_push_defer_np's deferred
 * stretch of an asynchronous thread, a thread blocked reading a pipe whose
 * handlers run innermost first before its key destructor, threads
 * blocked in pthread_join (its target stays joinable), sem_wait and poll,
 * ESRCH and EINVAL. Each canceled thread's join gives PTHREAD_CANCELED.
 * Prints one line per check. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zircon/syscalls.h>

#include "app_thread_log.h"
#include "capsim/app.h"

#define MS 1000000LL

static const char *join_result(pthread_t t)
{
    void *res = NULL;
    if (pthread_join(t, &res) != 0)
        return "join failed";
    return res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "not canceled";
}

/* Until *flag (read again after each sleep: other threads run). */
static void wait_for(volatile int *flag)
{
    while (!*flag)
        usleep(100);
}

/* ---- canceled in pthread_cond_wait ---------------------------------------*/

static pthread_mutex_t cond_mutex;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static volatile int cond_waiting;

/* The canceled thread holds the mutex again: only its owner may unlock an
 * error-checking mutex. */
static void cond_handler(void *arg)
{
    log_add(arg, pthread_mutex_unlock(&cond_mutex) == 0 ? "handler-held-mutex"
                                                        : "handler-without-mutex");
}

static void *cond_waiter(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_mutex_lock(&cond_mutex);
    pthread_cleanup_push(cond_handler, arg);
    cond_waiting = 1;
    for (;;) /* never signalled */
        pthread_cond_wait(&cond, &cond_mutex);
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_in_cond_wait(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&cond_mutex, &attr);
    Log log = {{0}};
    pthread_t t;
    pthread_create(&t, NULL, cond_waiter, &log);
    for (;;) { /* holding the mutex with cond_waiting set: it waits */
        pthread_mutex_lock(&cond_mutex);
        int waiting = cond_waiting;
        pthread_mutex_unlock(&cond_mutex);
        if (waiting)
            break;
        usleep(100);
    }
    int rc = pthread_cancel(t);
    const char *res = join_result(t);
    int relock = pthread_mutex_trylock(&cond_mutex);
    printf("cond_wait: cancel %d, %s, %s, mutex free after %d\n", rc, log.text, res,
           relock == 0);
    pthread_mutex_unlock(&cond_mutex);
}

/* ---- disabled, then enabled ----------------------------------------------*/

static volatile int disabled_ready;

static void *disabled_sleeper(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "handler");
    int old = -1;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
    log_add(arg, old == PTHREAD_CANCEL_ENABLE ? "was-enabled" : "was-not-enabled");
    int64_t start = capsim_now();
    disabled_ready = 1;
    usleep(5000); /* canceled meanwhile: a point, but disabled */
    log_add(arg, capsim_now() - start >= 5 * MS ? "slept-5ms" : "woken-early");
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
    log_add(arg, old == PTHREAD_CANCEL_DISABLE ? "enabled" : "enable-wrong-old");
    pthread_testcancel();
    log_add(arg, "went-on");
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_while_disabled(void)
{
    Log log = {{0}};
    pthread_t t;
    pthread_create(&t, NULL, disabled_sleeper, &log);
    wait_for(&disabled_ready);
    int rc = pthread_cancel(t);
    const char *res = join_result(t);
    printf("disabled then enabled: cancel %d, %s, %s\n", rc, log.text, res);
}

/* ---- a sleeping thread ---------------------------------------------------*/

static volatile int sleeper_ready;
static int64_t sleep_start, sleep_end;

static void sleep_handler(void *arg)
{
    sleep_end = capsim_now();
    handler(arg);
}

static void *sleeper(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(sleep_handler, "handler");
    sleep_start = capsim_now();
    sleeper_ready = 1;
    sleep(100);
    log_add(arg, "slept-on");
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_sleeper(void)
{
    Log log = {{0}};
    pthread_t t;
    pthread_create(&t, NULL, sleeper, &log);
    wait_for(&sleeper_ready);
    usleep(1000);
    int rc = pthread_cancel(t);
    const char *res = join_result(t);
    printf("sleep(100): cancel %d, %s, %s, woken within 2 ms %d\n", rc, log.text, res,
           sleep_end - sleep_start < 2 * MS);
}

/* ---- asynchronous: at the next kernel entry ------------------------------*/

static volatile int async_ready, async_canceled;

static void *async_spinner(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "handler");
    int old = -1;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old);
    log_add(arg, old == PTHREAD_CANCEL_DEFERRED ? "was-deferred" : "was-not-deferred");
    async_ready = 1;
    while (!async_canceled)
        capsim_yield(); /* no kernel entry: the request waits */
    log_add(arg, "before-entry");
    zx_handle_close(ZX_HANDLE_INVALID); /* a kernel entry: it stops here */
    log_add(arg, "after-entry");
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_asynchronous(void)
{
    Log log = {{0}};
    pthread_t t;
    pthread_create(&t, NULL, async_spinner, &log);
    wait_for(&async_ready);
    int rc = pthread_cancel(t);
    async_canceled = 1;
    const char *res = join_result(t);
    printf("asynchronous: cancel %d, %s, %s\n", rc, log.text, res);
}

/* ---- pthread_cleanup_push_defer_np: deferred inside, asynchronous again --*/

static volatile int defer_ready, defer_canceled;

static void *defer_np(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "outer");
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    pthread_cleanup_push_defer_np(handler, "not-run");
    defer_ready = 1;
    while (!defer_canceled)
        capsim_yield();
    zx_handle_close(ZX_HANDLE_INVALID); /* deferred here: no point */
    log_add(arg, "survived-entry");
    pthread_cleanup_pop_restore_np(0); /* asynchronous again: at once */
    log_add(arg, "went-on");
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_defer_np(void)
{
    Log log = {{0}};
    pthread_t t;
    pthread_create(&t, NULL, defer_np, &log);
    wait_for(&defer_ready);
    int rc = pthread_cancel(t);
    defer_canceled = 1;
    const char *res = join_result(t);
    printf("push_defer_np: cancel %d, %s, %s\n", rc, log.text, res);
}

/* ---- a thread canceling itself -------------------------------------------*/

static void *self_canceler(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "handler");
    int async = *(const char *)my_log()->text == 'a';
    if (async)
        pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    log_add(arg, pthread_cancel(pthread_self()) == 0 ? "requested" : "refused");
    pthread_testcancel();
    log_add(arg, "went-on");
    pthread_cleanup_pop(0);
    return NULL;
}

/* Asynchronous: at once, in its own request; deferred: at the next point. */
static void cancel_self(void)
{
    Log async = {"async:"}, deferred = {"deferred:"};
    pthread_t t, u;
    pthread_create(&t, NULL, self_canceler, &async);
    const char *async_res = join_result(t);
    pthread_create(&u, NULL, self_canceler, &deferred);
    const char *deferred_res = join_result(u);
    printf("itself: %s, %s; %s, %s\n", async.text, async_res, deferred.text, deferred_res);
}

/* ---- handler order, in a blocked read ------------------------------------*/

static int pipe_fds[2];
static volatile int reader_ready;

static void *reader(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "outer");
    pthread_cleanup_push(handler, "middle");
    pthread_cleanup_push(handler, "inner");
    char c;
    reader_ready = 1;
    ssize_t n = read(pipe_fds[0], &c, 1); /* nothing is ever written */
    log_add(arg, n < 0 ? "read-failed" : "read-returned");
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_reader(void)
{
    Log log = {{0}};
    pthread_t t;
    if (pipe(pipe_fds) != 0) {
        printf("pipe failed\n");
        return;
    }
    pthread_create(&t, NULL, reader, &log);
    wait_for(&reader_ready);
    usleep(1000);
    int rc = pthread_cancel(t);
    const char *res = join_result(t);
    printf("read: cancel %d, %s, %s\n", rc, log.text, res);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

/* ---- a join, a semaphore, a poll -----------------------------------------*/

static sem_t never_posted;
static volatile int sem_ready, joiner_ready, poller_ready;

static void *sem_waiter(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "sem-handler");
    sem_ready = 1;
    sem_wait(&never_posted);
    log_add(arg, "sem-taken");
    pthread_cleanup_pop(0);
    return NULL;
}

static void *joiner(void *arg)
{
    pthread_t *target = arg;
    joiner_ready = 1;
    pthread_join(*target, NULL);
    return "joined";
}

static void *poller(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "poll-handler");
    struct pollfd pfd = {.fd = pipe_fds[0], .events = POLLIN};
    poller_ready = 1;
    poll(&pfd, 1, -1);
    log_add(arg, "polled");
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_join_sem_poll(void)
{
    Log sem_log = {{0}}, poll_log = {{0}};
    pthread_t waiter, join, poll_thread;
    sem_init(&never_posted, 0, 0);
    pthread_create(&waiter, NULL, sem_waiter, &sem_log);
    wait_for(&sem_ready);
    pthread_create(&join, NULL, joiner, &waiter);
    wait_for(&joiner_ready);
    usleep(1000);
    int rc_join = pthread_cancel(join);
    const char *join_res = join_result(join);
    usleep(1000); /* the waiter is still joinable, still waiting */
    int rc_sem = pthread_cancel(waiter);
    const char *sem_res = join_result(waiter);
    if (pipe(pipe_fds) != 0) {
        printf("pipe failed\n");
        return;
    }
    pthread_create(&poll_thread, NULL, poller, &poll_log);
    wait_for(&poller_ready);
    usleep(1000);
    int rc_poll = pthread_cancel(poll_thread);
    const char *poll_res = join_result(poll_thread);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    printf("join: cancel %d, %s; sem_wait: cancel %d, %s, %s; poll: cancel %d, %s, %s\n",
           rc_join, join_res, rc_sem, sem_log.text, sem_res, rc_poll, poll_log.text, poll_res);
}

/* ---- errors --------------------------------------------------------------*/

static volatile int quick_done;

static void *quick(void *arg)
{
    quick_done = 1;
    return arg;
}

static void errors(void)
{
    pthread_t t;
    pthread_create(&t, NULL, quick, (void *)7);
    wait_for(&quick_done);
    usleep(1000); /* it has ended, not yet joined */
    int ended = pthread_cancel(t);
    void *res = NULL;
    pthread_join(t, &res);
    int null = pthread_cancel((pthread_t)0);
    int state = -1, type = -1;
    int bad_state = pthread_setcancelstate(42, &state);
    int bad_type = pthread_setcanceltype(42, &type);
    int null_old = pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL) |
                   pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, NULL);
    printf("errors: ended %s, result %d, NULL %s, bad state %s (old untouched %d), "
           "bad type %s (old untouched %d), NULL old %d\n",
           ended == ESRCH ? "ESRCH" : "other", (int)(intptr_t)res,
           null == ESRCH ? "ESRCH" : "other", bad_state == EINVAL ? "EINVAL" : "other",
           state == -1, bad_type == EINVAL ? "EINVAL" : "other", type == -1, null_old);
}

int main(void)
{
    if (pthread_key_create(&log_key, key_ended) != 0)
        return 1;
    cancel_in_cond_wait();
    cancel_while_disabled();
    cancel_sleeper();
    cancel_asynchronous();
    cancel_self();
    cancel_defer_np();
    cancel_reader();
    cancel_join_sem_poll();
    errors();
    return 0;
}
