/* process.h — processes: a handle table, an address space, threads, and a
 * place in the job tree. See process.c for the state machine. */
#ifndef CAPSIM_MODEL_PROCESS_H
#define CAPSIM_MODEL_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "handle.h"
#include "object.h"
#include "policy.h"

typedef struct KJob KJob;
typedef struct KThread KThread;
typedef struct KVmar KVmar;

typedef enum ProcessState {
    PROCESS_INITIAL = 0, /* created, no thread started */
    PROCESS_RUNNING,     /* first thread started */
    PROCESS_DYING,       /* return code fixed; threads told to die */
    PROCESS_DEAD         /* no threads; handles closed; TERMINATED */
} ProcessState;

typedef struct KProcess {
    KObject base;
    KJob *job;                        /* holds a reference */
    KProcess *sib_prev, *sib_next;    /* links in job's process list */
    HandleTable handles;
    KThread *threads_head, *threads_tail; /* koid order */
    uint32_t thread_count;
    ProcessState state;
    int64_t return_code;
    JobPolicy policy;                 /* copied from the job at creation */
    KVmar *root_vmar;                 /* NULL until vmar.c provides one */
    struct HostGuard *guard;          /* strict memory mode: its address
                                       * space's guard (vmar.c), else NULL */
    KJob *critical_to;                /* job_set_critical */
    bool critical_nonzero_only;
    KObject *exception_channel;
    KObject *debugger_channel;
    void *runtime;                    /* app-side runtime block (SDK) */
    uint64_t debug_addr;              /* ZX_PROP_PROCESS_DEBUG_ADDR */
    bool debug_addr_set;
    uint64_t break_on_load;           /* ZX_PROP_PROCESS_BREAK_ON_LOAD */
    bool started;                     /* left INITIAL by a thread start */
    uint32_t held_tokens;             /* unreleased process suspend tokens */
    int64_t start_time;               /* virtual ns of that start */
    void *user;                       /* owner's context (launcher/scenario) */
    TaskRuntime dead_threads;         /* time used by threads that died */
    bool server;                      /* its threads serve requests (launch.h) */
} KProcess;

extern const KObjectOps process_ops;

zx_status_t process_create(KJob *job, const char *name, size_t name_len,
                           KProcess **out);
/* Move to DYING with `code` (first call wins) and kill every thread; the
 * process becomes DEAD when its last thread is gone (now, if none). */
void process_kill(KProcess *p, int64_t code);
/* Called by thread.c when a thread of p reaches DEAD. */
void process_thread_exited(KProcess *p, KThread *t);
void process_add_thread(KProcess *p, KThread *t);
KProcess *process_from(KObject *o);
/* Time used by all its threads, live and dead. */
TaskRuntime process_runtime(const KProcess *p);
/* Handle table access for syscalls and launchers. */
zx_handle_t process_add_handle(KProcess *p, Handle *h);

#endif
