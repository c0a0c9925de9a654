/* libc_pthread_cleanup.c — pthread_cleanup_push handlers of apps, per
 * simulated thread.
 *
 * In C built without -fexceptions, glibc's pthread_cleanup_push is a macro
 * that sigsetjmp()s a __pthread_unwind_buf_t on the caller's stack and
 * hands it to __pthread_register_cancel; pthread_cleanup_pop hands it to
 * __pthread_unregister_cancel and then calls the handler itself if asked
 * to. When the thread ends through pthread_exit, libc longjmp()s into the
 * innermost registered buffer: the macro's code there calls the handler
 * and then __pthread_unwind_next, which goes on with the next buffer out,
 * and after the outermost one ends the thread.
 *
 * glibc's own keeps the chain in its descriptor of the HOST thread, which
 * every simulated thread of every process shares, and its pthread_exit
 * never sees a capsim thread: no handler ran. Here the chain lives in the
 * simulated thread's own record (libc_pthread.c), linked through the
 * buffer's first spare word as glibc links it, and pthread_exit and
 * thrd_exit (libc_pthread_exit) unwind it innermost first, before the
 * key destructors run (libc_pthread_finish), as POSIX orders them. A
 * thread whose function returns runs none (POSIX leaves a return between
 * push and pop undefined).
 *
 *   __pthread_register_cancel, __pthread_register_cancel_defer
 *                      push the buffer on the calling thread's chain
 *   __pthread_unregister_cancel, __pthread_unregister_cancel_restore
 *                      pop it (the chain goes back to what it was below it)
 *   __pthread_unwind_next
 *                      the next handler out, or the thread's end
 *
 * pthread_cleanup_push_defer_np's _defer also makes the thread's
 * cancellation type deferred, keeping the old one in the buffer's third
 * spare word (glibc's priv.data.canceltype); _restore puts it back
 * (libc_pthread_cancel.c: an asynchronous thread with a request pending
 * then acts). A canceled thread unwinds its chain as pthread_exit does.
 * Left out: -fexceptions C and C++ (their handlers run from destructors
 * during an exception-style forced unwind, which capsim's pthread_exit does
 * not do) and glibc's pre-2.3.3 _pthread_cleanup_push, which no current
 * header emits. The rule, as in libc_pthread.c: app code gets the above,
 * everyone else libc's own.
 */
#include <pthread.h>
#include <setjmp.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_pthread.h"

LIBC_NEXT_SLOT(__pthread_register_cancel);
LIBC_NEXT_SLOT(__pthread_register_cancel_defer);
LIBC_NEXT_SLOT(__pthread_unregister_cancel);
LIBC_NEXT_SLOT(__pthread_unregister_cancel_restore);
LIBC_NEXT_SLOT(__pthread_unwind_next);

typedef void (*AppCleanupCall)(__pthread_unwind_buf_t *);

/* The buffer below `buf` on its thread's chain (glibc's priv.data.prev). */
static __pthread_unwind_buf_t **app_cleanup_below(__pthread_unwind_buf_t *buf)
{
    return (__pthread_unwind_buf_t **)&buf->__pad[0];
}

static void app_cleanup_push(__pthread_unwind_buf_t *buf)
{
    __pthread_unwind_buf_t **top = libc_pthread_cleanup_top();
    if (!top)
        return; /* a bare engine thread: nothing can end it through libc */
    *app_cleanup_below(buf) = *top;
    *top = buf;
}

/* As glibc does, the chain becomes what was below `buf`, even when inner
 * buffers were left without their pop (a longjmp out of them). */
static void app_cleanup_pop(__pthread_unwind_buf_t *buf)
{
    __pthread_unwind_buf_t **top = libc_pthread_cleanup_top();
    if (top)
        *top = *app_cleanup_below(buf);
}

void libc_pthread_cleanup_unwind(__pthread_unwind_buf_t **top)
{
    __pthread_unwind_buf_t *buf = *top;
    if (!buf)
        return;
    *top = *app_cleanup_below(buf); /* popped first: a handler that exits
                                     * goes on with the next one out */
    /* sigsetjmp(env, 0) filled the jump buffer and a zero "mask saved"
     * flag: the prefix of a jmp_buf that siglongjmp reads (it reads the
     * saved mask only when that flag is set). GCC sees a jmp_buf's size
     * against the smaller buffer, as in glibc's own macros (pthread.h). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
    siglongjmp((struct __jmp_buf_tag *)(void *)buf->__cancel_jmp_buf, 1);
#pragma GCC diagnostic pop
}

/* An entry point of glibc's macros: `then(buf)` for app code, libc's own
 * for everyone else. */
#define APP_CLEANUP_ENTRY(name, then)                                          \
    void name(__pthread_unwind_buf_t *buf)                                     \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            LIBC_NEXT(AppCleanupCall, name)(buf);                              \
        else                                                                   \
            then(buf);                                                         \
    }

/* The cancellation type saved by _defer (glibc's priv.data.canceltype). */
static int *app_cleanup_saved_type(__pthread_unwind_buf_t *buf)
{
    return (int *)(void *)&buf->__pad[2];
}

static void app_cleanup_push_defer(__pthread_unwind_buf_t *buf)
{
    app_cleanup_push(buf);
    pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, app_cleanup_saved_type(buf));
}

static void app_cleanup_pop_restore(__pthread_unwind_buf_t *buf)
{
    app_cleanup_pop(buf);
    pthread_setcanceltype(*app_cleanup_saved_type(buf), NULL);
}

APP_CLEANUP_ENTRY(__pthread_register_cancel, app_cleanup_push)
APP_CLEANUP_ENTRY(__pthread_register_cancel_defer, app_cleanup_push_defer)
APP_CLEANUP_ENTRY(__pthread_unregister_cancel, app_cleanup_pop)
APP_CLEANUP_ENTRY(__pthread_unregister_cancel_restore, app_cleanup_pop_restore)

void __pthread_unwind_next(__pthread_unwind_buf_t *buf)
{
    if (!app_world_in_app_code())
        LIBC_NEXT(AppCleanupCall, __pthread_unwind_next)(buf);
    /* The handler of `buf` has run; it was popped before the jump. */
    libc_pthread_exit_resume();
}
