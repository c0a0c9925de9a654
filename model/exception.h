/* exception.h — exceptions: exception objects (ZX_OBJ_TYPE_EXCEPTION), the
 * exception ports that bind a task to an exception channel, and delivery.
 * See exception.c for the design. */
#ifndef CAPSIM_MODEL_EXCEPTION_H
#define CAPSIM_MODEL_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/syscalls/exception.h>

#include "object.h"

typedef struct KThread KThread;
typedef struct KProcess KProcess;
typedef struct KJob KJob;

/* An exception port: the kernel's end of one exception channel, bound to a
 * task. The exception_channel / debugger_channel fields of KThread,
 * KProcess and KJob point to a KExceptionPort (or are NULL), never to the
 * channel endpoint itself. It is a kernel-internal object (type NONE, never
 * has handles); it lives while bound. */
typedef struct KExceptionPort {
    KObject base;
    KObject *endpoint;       /* kernel end of the channel (a reference) */
    KObject *task;           /* bound task (weak; NULL once unbound) */
    uint32_t channel_type;   /* ZX_EXCEPTION_CHANNEL_TYPE_* */
    zx_rights_t task_rights; /* of the handle the channel was created from */
} KExceptionPort;

/* Where delivery goes next (see exception.c). */
typedef enum ExceptionStage {
    EXC_STAGE_DEBUGGER = 0,  /* process debugger, first chance */
    EXC_STAGE_THREAD,
    EXC_STAGE_PROCESS,
    EXC_STAGE_DEBUGGER_SECOND, /* only if the debugger chose SECOND_CHANCE */
    EXC_STAGE_JOBS,          /* job chain, process's job up to the root */
    EXC_STAGE_DONE
} ExceptionStage;

typedef struct KException {
    KObject base;
    KThread *thread;         /* reference */
    KProcess *process;       /* reference */
    zx_exception_report_t report;
    uint32_t state;          /* ZX_EXCEPTION_STATE_*, reset per handler */
    bool second_chance;      /* ZX_EXCEPTION_STRATEGY_SECOND_CHANCE chosen */
    ExceptionStage stage;
    KJob *next_job;          /* EXC_STAGE_JOBS cursor (kept alive by process) */
    uint32_t channel_type;   /* handler holding it now, NONE when none */
    zx_rights_t task_rights; /* that handler's task rights */
    bool synthetic;          /* raised inside a syscall: fiber still alive */
    bool regs_written;       /* thread_write_state while in this exception */
    bool sending;            /* guard: handle churn while writing a message */
    bool finished;           /* resolved or abandoned: closing does nothing */
} KException;

extern const KObjectOps exception_ops;
extern const KObjectOps exception_port_ops;

KException *exception_from(KObject *o);

/* Bind a new exception channel of `channel_type` to `task` (a thread,
 * process or job). On ZX_OK *user_end is the endpoint to hand out,
 * refcount 1 owned by the caller. Errors: ZX_ERR_ALREADY_BOUND (a live
 * channel of that kind exists), ZX_ERR_BAD_STATE (task dying or dead),
 * ZX_ERR_NO_MEMORY. */
zx_status_t exception_port_bind(KObject *task, uint32_t channel_type,
                                zx_rights_t task_rights, KObject **user_end);
/* True if `port` (a task field) is bound to a channel someone can read. */
bool exception_port_live(const KObject *port);
/* Hook for thread.c / process.c / job.c: the task died (or is destroyed);
 * its exception channels shut down (their readers see PEER_CLOSED). */
void exception_task_gone(KObject *task);

/* Raise an exception on a live thread that is inside a syscall (policy and
 * other synthetic exceptions). ZX_OK: delivered, the thread is parked when
 * it leaves the kernel until a handler resolves it. ZX_ERR_NOT_FOUND: no
 * handler would take it: the thread is parked all the same and a
 * zero-delay timer kills the process (ZX_TASK_RETCODE_EXCEPTION_KILL). */
zx_status_t exception_raise_synthetic(KThread *t, uint32_t type,
                                      uint32_t synth_code, uint32_t synth_data);
/* Registers of capsim's simulated register file (zx_thread_state_general_regs_t,
 * see sys_exception.c) by their role. */
#if defined(__x86_64__)
#define EXC_REG_RET(r) ((r).rax)
#define EXC_REG_PC(r) ((r).rip)
#define EXC_REG_ARG0(r) ((r).rdi)
#define EXC_REG_ARG1(r) ((r).rsi)
#define EXC_REG_SP(r) ((r).rsp)
#elif defined(__aarch64__)
#define EXC_REG_RET(r) ((r).r[0])
#define EXC_REG_PC(r) ((r).pc)
#define EXC_REG_ARG0(r) ((r).r[0])
#define EXC_REG_ARG1(r) ((r).r[1])
#define EXC_REG_SP(r) ((r).sp)
#else
#define EXC_REG_RET(r) ((r).a0)
#define EXC_REG_PC(r) ((r).pc)
#define EXC_REG_ARG0(r) ((r).a0)
#define EXC_REG_ARG1(r) ((r).a1)
#define EXC_REG_SP(r) ((r).sp)
#endif

/* __builtin_trap() on a thread inside a syscall (a step of a call that
 * traps when it fails): the exception Fuchsia's trap instruction raises,
 * as abort() gets it (exception_fault_type), raised synthetically. */
zx_status_t exception_raise_trap(KThread *t);
/* Hook for thread.c: a fiber faulted in app code. True if a handler took
 * it (thread parked in BLOCKED_EXCEPTION). */
bool exception_deliver_fault(KThread *t, int sim_fault_kind, uintptr_t addr);

/* Accessors for info/property/state syscalls. */
zx_status_t exception_thread_report(const KThread *t, zx_exception_report_t *out);
uint32_t exception_thread_channel_type(const KThread *t);
bool exception_thread_in_exception(const KThread *t);
zx_status_t exception_set_state(KException *e, uint32_t state);
zx_status_t exception_set_strategy(KException *e, uint32_t strategy);
/* thread_write_state hook: remember that the handler rewrote registers. */
void exception_thread_regs_written(KThread *t);
/* A syscall that raised a synthetic exception returned `status`: a handler
 * reading the thread's registers finds it in the return register (rax /
 * x0), as on Zircon, where the thread stops on its way out of the call. */
void exception_syscall_returned(KThread *t, int64_t status);

#endif
