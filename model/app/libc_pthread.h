/* libc_pthread.h — the pthreads of apps (libc_pthread.c), for the
 * interposers built on them: C11 threads (libc_c11_threads.c) and the
 * objects that need to know who holds them (libc_pthread_rwlock.c). App
 * code only. */
#ifndef CAPSIM_APP_LIBC_PTHREAD_H
#define CAPSIM_APP_LIBC_PTHREAD_H

#include <pthread.h>
#include <zircon/types.h>

typedef struct AppPthread AppPthread;

/* The calling simulated thread's record, made on first use for threads
 * pthread_create did not make (NULL on a bare engine thread). */
AppPthread *libc_pthread_current(void);
/* What pthread_cancel needs of `t`: its thread handle, or for a thread
 * pthread_create did not make ZX_HANDLE_INVALID and its thread's koid; 0,
 * or ESRCH for NULL or a thread that has ended. */
int libc_pthread_cancel_target(pthread_t t, zx_handle_t *thread, uint64_t *koid);
/* Its identity in its process, from 1 (-1 if it has none). */
int libc_pthread_id(void);
/* Make and start a thread of the calling process running fn(arg), or
 * c11_fn(arg) when fn is NULL, on a stack of stack_size bytes with a guard
 * of guard_size below it (both rounded up to pages): 0 or EAGAIN. */
int libc_pthread_spawn(pthread_t *out, void *(*fn)(void *),
                       int (*c11_fn)(void *), void *arg, int detached,
                       size_t stack_size, size_t guard_size);
/* The calling thread ends (pthread_exit, or its function returned): run
 * its key destructors and free its values (libc_pthread_keys.c). */
void libc_pthread_keys_thread_ended(void);
/* End the calling thread with `result` (p may be NULL). */
__attribute__((noreturn)) void libc_pthread_finish(AppPthread *p, void *result);
/* pthread_exit and thrd_exit: the calling thread ends with `result`, its
 * cleanup handlers run first (innermost first), then its key destructors. */
__attribute__((noreturn)) void libc_pthread_exit(void *result);
/* Go on ending the calling thread after one of its cleanup handlers ran:
 * the next handler out, or its end (__pthread_unwind_next). */
__attribute__((noreturn)) void libc_pthread_exit_resume(void);
/* The head of the calling thread's chain of cleanup buffers (NULL on a
 * bare engine thread). */
__pthread_unwind_buf_t **libc_pthread_cleanup_top(void);
/* Jump into the innermost buffer on *top, popping it, to run its handler;
 * returns only when the chain is empty (libc_pthread_cleanup.c). */
void libc_pthread_cleanup_unwind(__pthread_unwind_buf_t **top);

#endif
