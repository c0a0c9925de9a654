/* runtime.h — the app-side runtime blocks behind <zircon/process.h>.
 *
 * In Zircon, libc's startup code reads the bootstrap message and keeps the
 * startup handles. In capsim the launcher (the code that creates a process
 * for an app or a test) fills a CapsimProcessRuntime directly, and the model
 * gives every started thread a CapsimThreadRuntime reachable from app code
 * through the engine (sim_thread_user), never through model structures.
 * Read next: runtime.c.
 */
#ifndef CAPSIM_SDK_RUNTIME_H
#define CAPSIM_SDK_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#define CAPSIM_MAX_STARTUP_HANDLES 64

typedef struct CapsimStartupHandle {
    uint32_t info;           /* PA_HND(type, arg) */
    zx_handle_t handle;      /* ZX_HANDLE_INVALID once taken */
} CapsimStartupHandle;

/* Host memory a program keeps for its whole life (launch_release frees
 * it): see capsim_process_on_release. */
typedef struct CapsimReleaseFn {
    void (*fn)(void *arg);
    void *arg;
    struct CapsimReleaseFn *next;
} CapsimReleaseFn;

typedef struct CapsimProcessRuntime {
    zx_handle_t proc_self;
    zx_handle_t vmar_root;
    zx_handle_t job_default;
    CapsimStartupHandle startup[CAPSIM_MAX_STARTUP_HANDLES];
    size_t nstartup;
    int argc;
    char **argv;
    char **envp;
    void *loader;            /* the app loader's per-process data */
    char **names;            /* processargs name table: PA_NS_DIR paths */
    size_t nnames;
    void *fdio;              /* fdio's per-process state (sdk/fdio.c), lazy */
    void *io_servers;        /* directory servers this process runs, first
                                made first (IoServer list, io_server.c) */
    CapsimReleaseFn *on_release; /* last registered first */
    int pthread_ids;         /* pthread identities given (app/libc_pthread.c) */
    int pthreads_running;    /* pthread_create's threads not yet ended: when
                                none is and a thread ends through libc, that
                                is exit(0) (app/libc_pthread.c) */
    void *pthread_keys;      /* its key table (app/libc_pthread_keys.c), lazy */
    void *pthread_blocks;    /* where its threads' stacks go (app/libc_pthread.c), lazy */
} CapsimProcessRuntime;

typedef struct CapsimThreadRuntime {
    CapsimProcessRuntime *proc;
    zx_handle_t thread_self;
    uint64_t thread_koid;    /* its thread's koid (the kernel fills it): who
                              * it is to pthread_cancel, for good */
    void *pthread;           /* its pthread record (app/libc_pthread.c) */
    void *pthread_values;    /* its key values (app/libc_pthread_keys.c), lazy */
    /* Cancellation (app/libc_pthread_cancel.c, app/app_cancel.c): in host
     * memory, so the engine side reads and sets it without touching app
     * memory. */
    int cancel_requested;    /* pthread_cancel asked it to end (set by the engine) */
    int cancel_disabled;     /* PTHREAD_CANCEL_DISABLE */
    int cancel_async;        /* PTHREAD_CANCEL_ASYNCHRONOUS */
    int cancel_waiting;      /* in the one blocking call of a cancellation point */
    int cancel_interrupted;  /* a request ended that call: the point acts */
    int cancel_acting;       /* acted on: ending, nothing cancels it again */
} CapsimThreadRuntime;

/* Free a thread's runtime block and what hangs from it (the kernel, when
 * the thread is gone). */
void capsim_thread_runtime_free(CapsimThreadRuntime *tr);

/* The calling thread's runtime block, NULL outside a simulated thread or
 * for a process launched without one. */
CapsimThreadRuntime *capsim_thread_runtime(void);
/* fn(arg) runs on the host when the calling thread's process is released
 * (launch_release: it ended and nothing of it runs again, or the kernel
 * goes). For host memory a program holds until it dies: a server that
 * serves until it is killed never returns to free what it made. fn must
 * make no syscall (the process's handles are already closed). Returns 0,
 * or -1 outside a process with a runtime block or out of memory. */
int capsim_process_on_release(void (*fn)(void *), void *arg);
/* Undo capsim_process_on_release(fn, arg) (the program freed it itself). */
void capsim_process_forget_release(void (*fn)(void *), void *arg);
/* Record a startup handle (launcher side). Returns 0 or -1 when full. */
int capsim_runtime_add_startup(CapsimProcessRuntime *rt, uint32_t info,
                               zx_handle_t handle);

#endif
