/* app_pthread_cleanup.c — pthread_cleanup_push handlers inside a simulated
 * process (model/app/libc_pthread_cleanup.c): pops that run their handler
 * or not, nested pushes, pthread_exit from a nested call inside two pushes
 * (innermost first, then the key destructors), a handler that calls
 * pthread_exit (the ones further out still run), a plain return (none run),
 * two threads whose pushes interleave on the one host thread (each runs
 * only its own), thrd_exit, and the main thread's pthread_exit. Built
 * without -fexceptions, as C apps are: glibc's macros call
 * __pthread_register_cancel and friends. Prints one line per check. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

#include "app_thread_log.h"
#include "capsim/app.h"

/* ---- pops ----------------------------------------------------------------*/

static void *pops(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "a");
    pthread_cleanup_pop(1);
    pthread_cleanup_push(handler, "not-run");
    pthread_cleanup_pop(0);
    pthread_cleanup_push(handler, "outer");
    pthread_cleanup_push(handler, "middle");
    pthread_cleanup_push(handler, "inner");
    pthread_cleanup_pop(1);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(1);
    log_add(arg, "|");
    return (void *)1; /* a plain return: only the key destructor runs */
}

/* ---- pthread_exit from a nested call -------------------------------------*/

static int after_exit;

/* Not known to the compiler as never returning: leave()'s recursion ends. */
static void __attribute__((noipa)) exit_here(void)
{
    pthread_exit((void *)42);
}

static void __attribute__((noinline)) leave(int depth)
{
    if (depth > 0)
        leave(depth - 1);
    else
        exit_here();
    after_exit = 1;
}

static void *exits_nested(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "popped");
    pthread_cleanup_pop(0);
    pthread_cleanup_push(handler, "outer");
    pthread_cleanup_push(handler, "inner");
    leave(3);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    after_exit = 1;
    return NULL;
}

/* ---- a handler that itself calls pthread_exit ---------------------------*/

static void exiting_handler(void *what)
{
    handler(what);
    pthread_exit((void *)2); /* the new result; the handlers out still run */
}

static void *exits_from_handler(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "outer");
    pthread_cleanup_push(exiting_handler, "exiting");
    pthread_exit((void *)1);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return NULL;
}

/* ---- two threads whose pushes interleave ---------------------------------*/

typedef struct Pair {
    Log log;
    const char *names[2];
} Pair;

static void *interleaved(void *arg)
{
    Pair *pair = arg;
    pthread_setspecific(log_key, &pair->log);
    pthread_cleanup_push(handler, (void *)pair->names[0]);
    capsim_yield(); /* the other thread pushes on the same host thread */
    pthread_cleanup_push(handler, (void *)pair->names[1]);
    capsim_yield();
    pthread_exit(NULL);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return NULL;
}

/* ---- C11 thrd_exit -------------------------------------------------------*/

static int c11_exits(void *arg)
{
    pthread_setspecific(log_key, arg);
    pthread_cleanup_push(handler, "c11");
    thrd_exit(7);
    pthread_cleanup_pop(0);
    return 0;
}

/* ---- the main thread -----------------------------------------------------*/

static void main_handler(void *what)
{
    printf("main: %s\n", (const char *)what);
}

int main(void)
{
    if (pthread_key_create(&log_key, key_ended) != 0)
        return 1;
    pthread_t t, u;
    void *res = NULL;

    Log pop_log = {{0}};
    pthread_create(&t, NULL, pops, &pop_log);
    pthread_join(t, &res);
    printf("pops: %s (result %d)\n", pop_log.text, (int)(intptr_t)res);

    Log exit_log = {{0}};
    pthread_create(&t, NULL, exits_nested, &exit_log);
    pthread_join(t, &res);
    printf("exit from a nested call: %s (result %d, went on after it %d)\n", exit_log.text,
           (int)(intptr_t)res, after_exit);

    Log handler_log = {{0}};
    pthread_create(&t, NULL, exits_from_handler, &handler_log);
    pthread_join(t, &res);
    printf("exit from a handler: %s (result %d)\n", handler_log.text, (int)(intptr_t)res);

    Pair a = {{{0}}, {"a1", "a2"}}, b = {{{0}}, {"b1", "b2"}};
    pthread_create(&t, NULL, interleaved, &a);
    pthread_create(&u, NULL, interleaved, &b);
    pthread_join(t, NULL);
    pthread_join(u, NULL);
    printf("interleaved: [%s] [%s]\n", a.log.text, b.log.text);

    Log c11_log = {{0}};
    thrd_t c;
    int c11_res = 0;
    thrd_create(&c, c11_exits, &c11_log);
    thrd_join(c, &c11_res);
    printf("thrd_exit: %s (result %d)\n", c11_log.text, c11_res);

    fflush(stdout);
    pthread_cleanup_push(main_handler, "outer handler, then exit(0)");
    pthread_cleanup_push(main_handler, "inner handler");
    pthread_exit(NULL); /* the last thread: the process exits with 0 */
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return 3;
}
