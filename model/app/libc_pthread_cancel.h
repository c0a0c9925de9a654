/* libc_pthread_cancel.h — the cancellation points of apps' libc
 * (libc_pthread_cancel.c), for the interposers that are points: the
 * pthreads, the sleeps, semaphores, fdio's descriptor calls. App code
 * only; each is a no-op on a thread without a runtime block. */
#ifndef CAPSIM_APP_LIBC_PTHREAD_CANCEL_H
#define CAPSIM_APP_LIBC_PTHREAD_CANCEL_H

#include <stdbool.h>

/* A cancellation point's check: a pending request, cancellation enabled,
 * ends the calling thread here (PTHREAD_CANCELED). pthread_testcancel. */
void libc_cancel_point(void);
/* Around the one blocking zx_* call of a point: a request made while the
 * thread is blocked in it ends the call (ZX_ERR_CANCELED) instead of
 * waiting for it. wait_end answers whether a request ended it. */
void libc_cancel_wait_begin(void);
bool libc_cancel_wait_end(void);
/* The end of a point: if a request ended one of its calls, the thread
 * ends here (after what the point must finish first: a condition wait
 * takes its mutex back). */
void libc_cancel_after(void);

#endif
