/* kernel.h — the simulated kernel as a whole: the world every object lives
 * in, and the one hook the engine calls for every kernel entry.
 *
 * A Kernel owns: the koid counter, the live-object list (koid order, so
 * every walk is deterministic), the handle arena count and limit, the root
 * job, the fault-injection switches, and the cost model for kernel
 * operations. It installs kernel_hook as the engine's SimHookFn: each app
 * request (a SyscallRequest built by the zx_* stubs in the SDK) is decoded
 * and dispatched to its sys_* handler (syscall.c).
 *
 * Read next: object.h, handle.h, syscall.h.
 */
#ifndef CAPSIM_MODEL_KERNEL_H
#define CAPSIM_MODEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#include "host_isolation.h"
#include "kmem.h"
#include "object.h"
#include "sim.h"

typedef struct KJob KJob;
typedef struct KProcess KProcess;
typedef struct KThread KThread;

/* Zircon's kernel-wide handle arena (kMaxHandleCount). */
#define KERNEL_DEFAULT_HANDLE_LIMIT (256u * 1024u)

/* Fault-injection switches: each removes one real check, to show what the
 * check prevents. All off by default; every use is traced. */
typedef struct KernelFaults {
    bool skip_rights_subset;   /* duplicate/replace/get_child may add rights;
                                * replace_as_executable ignores an ambient
                                * MARK_VMO_EXEC deny (sys_vmo.c) */
    bool skip_owner_check;     /* a handle value of another process resolves */
    bool no_handle_generation; /* a closed handle value is reused at once */
    bool accept_dotdot;        /* directory servers accept ".." */
    bool skip_type_check;      /* handle lookup ignores the object type */
} KernelFaults;

/* Virtual nanoseconds charged per kernel operation on top of the engine's
 * kernel-entry cost (see kernel.c for the defaults and their sources). */
typedef struct KernelCosts {
    SimTime handle_op;         /* lookup + table update */
    SimTime object_create;
    SimTime per_kib_copy;      /* message/VMO data copies */
    SimTime per_handle_moved;
    SimTime wait_setup;
    SimTime process_create;
    SimTime thread_create;
} KernelCosts;

/* Trace record kinds the model emits (>= SIM_TR_MODEL_FIRST). */
enum {
    KTR_OBJECT_CREATE = SIM_TR_MODEL_FIRST, /* a=koid b=type c=creator koid, text=name */
    KTR_OBJECT_DESTROY,                     /* a=koid b=type */
    KTR_HANDLE_ADD,       /* a=process koid b=object koid c=rights d=value */
    KTR_HANDLE_REMOVE,    /* a=process koid b=object koid c=rights d=value */
    KTR_HANDLE_SEND,      /* a=from process b=object koid c=rights d=channel koid */
    KTR_HANDLE_RECEIVE,   /* a=to process b=object koid c=rights d=channel koid */
    KTR_SIGNAL,           /* a=koid b=old signals c=new signals */
    KTR_TASK_KILL,        /* a=koid b=return code */
    KTR_POLICY,           /* a=process koid b=condition c=action */
    KTR_FAULT_INJECTED,   /* text = which switch */
    KTR_EXCEPTION,        /* a=thread koid ("koid") b=type */
    KTR_NOTE,             /* text */
    KTR_OUTPUT,           /* a=process koid b=stream (1 out, 2 err) c=bytes, text (model/app) */
    KTR_KIND_END
};

typedef struct Kernel {
    SimEngine *engine;
    zx_koid_t next_koid;
    KObject *live_head, *live_tail;
    size_t live_count;
    size_t handle_count, handle_limit;
    KmemCache kmem;           /* small-object free lists (kmem.h) */
    KJob *root_job;
    KernelFaults faults;
    KernelCosts costs;
    bool in_syscall;          /* invariant walker runs after each syscall */
    /* The caller's thread while kernel_hook runs its handler: if its last
     * reference goes meanwhile (the call ended its process), the release
     * waits until the hook has looked at it (kobject_unref_last). */
    KObject *hook_pin;
    bool hook_pin_dropped;
    bool check_invariants;
    uint64_t syscalls;        /* count of dispatched syscalls */
    struct DlogBuffer *dlog;  /* kernel-wide debuglog (debuglog.c), lazy */
    /* Zircon's kernel.enable-debugging-syscalls (off by default): gates
     * process_write_memory and ZX_VMO_OP_CACHE_INVALIDATE (vmo, vmar). */
    bool debugging_syscalls;
    /* Strict memory mode (strict_memory.c): how other processes' mappings
     * are closed while a process runs; OFF (default) leaves them open. Set
     * with strict_memory_set before the first process. */
    HostIsolation strict_memory;
    /* Names code or data of a loaded app image for reports, false if addr
     * is not one's (address_name.h). The app runtime installs it
     * (app_world.c); NULL before: the kernel knows no images. */
    bool (*name_image_address)(uintptr_t addr, char *buf, size_t len);
    /* A process's loaded image as part of its memory, for
     * process_read_memory / process_write_memory at an address in none of
     * its mappings (sys_vmar.c): true if p's image holds addr, with the end
     * of the piece holding it (host bytes, readable up to there) and
     * whether the kernel may write them. Installed with the above. */
    bool (*image_memory)(Kernel *k, KProcess *p, uintptr_t addr, uintptr_t *end,
                         bool *writable);
} Kernel;

/* Create a kernel on an engine whose hook is not set yet; installs the hook,
 * the thread-exit and fault callbacks, registers trace kinds and creates the
 * root job. */
Kernel *kernel_new(SimEngine *engine);
void kernel_free(Kernel *k);
SimTime kernel_now(const Kernel *k);
zx_koid_t kernel_next_koid(Kernel *k);
/* Emit a model trace record stamped by the engine (inline: most syscalls
 * emit one or more). */
static inline void kernel_trace(Kernel *k, uint32_t kind, uint64_t a,
                                uint64_t b, uint64_t c, uint64_t d,
                                const char *text)
{
    sim_trace_emit(k->engine, kind, a, b, c, d, text);
}
/* Simulator-bug assertion: prints file, line, virtual time, thread; aborts. */
void kernel_panic(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
#define KCHECK(k, cond)                                                       \
    do {                                                                      \
        if (!(cond))                                                          \
            kernel_panic(__FILE__, __LINE__, "invariant failed: %s", #cond);  \
    } while (0)

/* Walk every live object and handle and check the global invariants
 * (invariants.c). Aborts through kernel_panic on a violation. */
void kernel_check_invariants(Kernel *k);

#endif
