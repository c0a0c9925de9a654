/* app_thread_log.h — for the test apps whose threads end in handlers and
 * destructors (app_pthread_cleanup.c, app_pthread_cancel.c): each thread
 * keeps a log, the value of log_key, of what ran, in order; handler(what)
 * adds to the calling thread's, the key's destructor adds "key". */
#ifndef CAPSIM_TESTS_APP_THREAD_LOG_H
#define CAPSIM_TESTS_APP_THREAD_LOG_H

#include <pthread.h>
#include <string.h>

typedef struct Log {
    char text[160];
} Log;

static pthread_key_t log_key;

static inline void log_add(Log *log, const char *what)
{
    if (log->text[0])
        strncat(log->text, " ", sizeof log->text - strlen(log->text) - 1);
    strncat(log->text, what, sizeof log->text - strlen(log->text) - 1);
}

static inline Log *my_log(void)
{
    return pthread_getspecific(log_key);
}

static inline void handler(void *what)
{
    log_add(my_log(), what);
}

/* The key's destructor: the thread's log is the key's value. */
static inline void key_ended(void *log)
{
    log_add(log, "key");
}

#endif
