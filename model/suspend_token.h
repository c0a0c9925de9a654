/* suspend_token.h — suspend tokens (ZX_OBJ_TYPE_SUSPEND_TOKEN) and the
 * per-thread suspension count they drive. See suspend_token.c. */
#ifndef CAPSIM_MODEL_SUSPEND_TOKEN_H
#define CAPSIM_MODEL_SUSPEND_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "object.h"

typedef struct KThread KThread;

typedef struct KSuspendToken {
    KObject base;
    KObject *task;        /* the suspended thread or process; holds a ref */
    /* Process tokens: the threads this token holds suspended (each with a
     * reference), in the order they were suspended. Thread tokens: empty. */
    KThread **threads;
    size_t nthreads, cap;
    bool released;        /* last handle gone: the holds were dropped */
} KSuspendToken;

extern const KObjectOps suspend_token_ops;

/* Suspend `task` (a thread or a process) and return a token holding the
 * suspension, refcount 1 owned by the caller. ZX_ERR_BAD_STATE if the task
 * is dying or dead; ZX_ERR_NO_MEMORY. Self-suspension is the syscall's to
 * refuse. The task resumes when the token's last handle goes. */
zx_status_t suspend_token_create(KObject *task, KSuspendToken **out);
/* True while any token holds `t` suspended. */
bool suspend_thread_held(const KThread *t);
/* Hook for thread.c: a thread of a (maybe suspended) process is starting;
 * called after its fiber exists and before the engine first runs it. */
void suspend_thread_starting(KThread *t);

#endif
