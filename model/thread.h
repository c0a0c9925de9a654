/* thread.h — threads: a Zircon thread object bound to an engine fiber.
 * See thread.c for the state machine. */
#ifndef CAPSIM_MODEL_THREAD_H
#define CAPSIM_MODEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/syscalls/debug.h>

#include "object.h"
#include "sim.h"

typedef struct KProcess KProcess;

/* Zircon thread states (zx_info_thread_t.state uses ZX_THREAD_STATE_*).
 *
 *   NEW --start--> RUNNING <--> SUSPENDED
 *                     |  ^--wake-- BLOCKED (waits, sleeps, futexes)
 *                     |  ^--resume-- BLOCKED_EXCEPTION
 *                     v
 *                   DYING ---(fiber gone)---> DEAD
 */
typedef enum ThreadState {
    THREAD_NEW = 0,
    THREAD_RUNNING,
    THREAD_SUSPENDED,
    THREAD_BLOCKED,
    THREAD_BLOCKED_EXCEPTION,
    THREAD_DYING,
    THREAD_DEAD
} ThreadState;

/* Bytes of KThread.wait_space (a wait record with one item). */
#define THREAD_WAIT_SPACE 128

/* An entry point: the app's C function and its two arguments. */
typedef void (*ThreadEntryFn)(uintptr_t arg1, uintptr_t arg2);

typedef struct KThread {
    KObject base;
    KProcess *process;               /* holds a reference */
    KThread *sib_prev, *sib_next;    /* process's thread list */
    SimThread *fiber;                /* NULL before start and after death */
    ThreadState state;
    uint32_t suspend_count;
    ThreadEntryFn entry;
    uintptr_t arg1, arg2;
    uint32_t blocked_reason;         /* ZX_THREAD_STATE_BLOCKED_* when blocked */
    KObject *exception_channel;
    KObject *pending_exception;      /* exception object while in exception */
    zx_thread_state_general_regs_t regs; /* simulated register file */
    void *user_tls;                  /* app-side per-thread runtime block */
    /* Started with stack 0: the block capsim mapped for its stack
     * (thread_stack_map), a reference destroyed when the thread ends. */
    struct KVmar *stack_block;
    /* While blocked in a syscall: how to tear the wait down if the thread
     * is killed instead of woken (unlink observers, free records). */
    void (*wait_abandon)(void *ctx);
    void *wait_ctx;
    TaskRuntime final_runtime;       /* recorded when the fiber goes */
    /* Room for the record of a one-handle wait or a sleep (sys_wait.c): a
     * blocked thread is in at most one wait, so object_wait_one and
     * nanosleep need no allocation. Opaque here; sys_wait.c checks that
     * its record fits. */
    _Alignas(8) unsigned char wait_space[THREAD_WAIT_SPACE];
} KThread;

extern const KObjectOps thread_ops;

zx_status_t thread_create(KProcess *p, const char *name, size_t name_len,
                          KThread **out);
/* Start on a stack in the process's memory (the launcher's, libc's, the
 * app's own: thread_stack.h) whose top is stack_top; 0: on a block mapped
 * for it ("thread-stack:<koid>"), unmapped when it ends. */
zx_status_t thread_start(KThread *t, ThreadEntryFn entry, uintptr_t stack_top,
                         uintptr_t arg1, uintptr_t arg2);
/* Kill: the fiber never runs again; the thread becomes DEAD. */
void thread_kill(KThread *t);
/* End the blocking call the thread is blocked in (a wait, a sleep, a
 * futex, a port or channel call: never an exception), as if it had
 * returned `status`; its wait is torn down as for a kill. The app layer's
 * pthread_cancel wakes a thread so (model/app/app_cancel.c). False if the
 * thread is not blocked in a call. */
bool thread_interrupt_wait(KThread *t, zx_status_t status);
/* Give a started thread of a process with a runtime block its own
 * per-thread block (thread_start does, for threads started once the
 * process has one). */
void thread_attach_runtime(KThread *t);
KThread *thread_from(KObject *o);
/* The simulated register file reads as the C entry function (pc) and its
 * two arguments until written: fill what was never written. */
void thread_regs_fill_defaults(KThread *t);
/* Time used so far (its fiber's, or what it had when it died). */
TaskRuntime thread_runtime(const KThread *t);
KThread *thread_of_fiber(SimThread *st);
/* Engine callbacks (installed by kernel_new): a fiber's entry returned or it
 * was killed; a fiber faulted in app code. ctx is the Kernel. */
void thread_on_fiber_exit(SimEngine *e, SimThread *st, void *ctx);
void thread_on_fiber_fault(SimEngine *e, SimThread *st, int kind,
                           uintptr_t addr, void *ctx);

#endif
