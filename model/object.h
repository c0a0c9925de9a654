/* object.h — the common header every kernel object starts with.
 *
 * Every object type (channel.c, event.c, process.c...) embeds a KObject as
 * its FIRST member and supplies a const KObjectOps table. Generic lifecycle
 * (on-zero-handles, destroy, invariants, peer, related koid) goes through the
 * table; type-specific operations are plain calls in the type's own file.
 * Downcasts check the type tag (KOBJECT_CAST aborts on a mismatch: that is
 * a simulator bug, never an app error).
 *
 * Lifetime: `refcount` counts every reference — one per Handle (in a table
 * or in flight in a message) plus the kernel's own (a job's children, a
 * running thread's process, a mapping's VMO...). `handle_count` counts
 * Handles only; when it drops to zero the type's on_zero_handles runs (a
 * channel endpoint tells its peer, a timer stops...). When refcount drops to
 * zero the object leaves the kernel's live list and is destroyed.
 *
 * Signals and observers: `signals` holds the active bits. Anything that waits
 * (wait_one, wait_many, wait_async, a thread's futex-free sleeps) registers a
 * KObserver; every change of `signals` calls each observer's on_state in
 * registration order (deterministic). Closing a handle cancels the waits made
 * through it (ZX_ERR_CANCELED + ZX_SIGNAL_HANDLE_CLOSED).
 *
 * Read next: handle.h, then event.c (the smallest object).
 */
#ifndef CAPSIM_MODEL_OBJECT_H
#define CAPSIM_MODEL_OBJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/rights.h>
#include <zircon/types.h>

typedef struct Kernel Kernel;
typedef struct KObject KObject;
typedef struct KObserver KObserver;
typedef struct Handle Handle;

/* CPU and run-queue time a task has used (virtual ns). Threads record
 * theirs when they die and processes and jobs keep what their dead
 * children used, so ZX_INFO_TASK_RUNTIME never goes backwards. */
typedef struct TaskRuntime {
    int64_t cpu_time, queue_time;
} TaskRuntime;

static inline void task_runtime_add(TaskRuntime *sum, TaskRuntime r)
{
    sum->cpu_time += r.cpu_time;
    sum->queue_time += r.queue_time;
}

typedef struct KObjectOps {
    zx_obj_type_t type;
    const char *name;              /* "channel", "process"... */
    zx_rights_t default_rights;    /* of the handle(s) a create call returns */
    zx_rights_t possible_rights;   /* no handle of this type may carry more */
    zx_signals_t user_signals;     /* bits zx_object_signal may touch on self */
    bool waitable;
    bool has_name;                 /* ZX_PROP_NAME applies */
    /* The last handle went away (the object may live on through kernel refs). */
    void (*on_zero_handles)(KObject *o);
    /* Free the type's memory; refcount is zero; signals/observers are done. */
    void (*destroy)(KObject *o);
    /* Peered types (channel, socket, fifo, eventpair): the live peer or NULL. */
    KObject *(*peer)(KObject *o);
    /* ZX_INFO_HANDLE_BASIC.related_koid (peer, parent job, owning process). */
    zx_koid_t (*related_koid)(const KObject *o);
    /* Invariants of the type's own state; abort through kcheck() on failure. */
    void (*check)(const KObject *o);
} KObjectOps;

struct KObject {
    const KObjectOps *ops;
    Kernel *kernel;
    zx_koid_t koid;
    uint32_t refcount;
    uint32_t handle_count;
    zx_signals_t signals;
    KObserver *observers_head, *observers_tail;
    KObject *live_prev, *live_next;   /* kernel's live list, in koid order */
    char name[ZX_MAX_NAME_LEN];
};

/* Observers. on_state is called with the object's signals after every
 * change; when it fires it unlinks itself (kobject_unobserve; it may then
 * free itself) and returns true, otherwise it returns false. on_cancel runs
 * when the handle the wait was made through closes (the observer is
 * unlinked first). */
struct KObserver {
    KObserver *prev, *next;
    KObject *object;
    const Handle *handle;          /* may be NULL (kernel-internal waits) */
    zx_signals_t trigger;
    bool (*on_state)(KObserver *obs, zx_signals_t signals);
    void (*on_cancel)(KObserver *obs, zx_signals_t signals);
    void *ctx;
};

/* Initialise the header, assign the next koid, link into the live list and
 * trace the creation. The object starts with refcount 1 (the creator's
 * reference, usually handed to the first Handle) and no handles. */
void kobject_init(Kernel *k, KObject *o, const KObjectOps *ops,
                  zx_signals_t initial_signals);
/* Reference and handle counts. Every syscall that touches a handle moves
 * them, so the common case is inline; the rare transitions (last
 * reference, last handle, underflow) are out of line in object.c. */
void kobject_unref_last(KObject *o);
void kobject_zero_handles(KObject *o);
static inline void kobject_ref(KObject *o)
{
    o->refcount++;
}
static inline void kobject_unref(KObject *o)
{
    if (__builtin_expect(o->refcount > 1, 1))
        o->refcount--;
    else
        kobject_unref_last(o);
}
static inline void kobject_handle_added(KObject *o)
{
    o->handle_count++;
}
static inline void kobject_handle_removed(KObject *o)
{
    if (__builtin_expect(o->handle_count > 1, 1))
        o->handle_count--;
    else
        kobject_zero_handles(o);
}
KObject *kobject_peer(KObject *o);
zx_koid_t kobject_related_koid(const KObject *o);
void kobject_set_name(KObject *o, const char *name, size_t len);

/* Change signals: clear first, then set; notify observers if anything
 * changed. Peered objects' PEER_CLOSED etc. are set by their own files. */
void kobject_signal(KObject *o, zx_signals_t clear, zx_signals_t set);
/* Observer links (inline: every blocking wait makes and drops one). */
static inline void kobject_observe(KObject *o, KObserver *obs)
{
    obs->object = o;
    obs->next = NULL;
    obs->prev = o->observers_tail;
    if (o->observers_tail)
        o->observers_tail->next = obs;
    else
        o->observers_head = obs;
    o->observers_tail = obs;
}
static inline void kobject_observer_unlink(KObject *o, KObserver *obs)
{
    if (obs->prev)
        obs->prev->next = obs->next;
    else
        o->observers_head = obs->next;
    if (obs->next)
        obs->next->prev = obs->prev;
    else
        o->observers_tail = obs->prev;
    obs->prev = obs->next = NULL;
    obs->object = NULL;
}
static inline void kobject_unobserve(KObserver *obs)
{
    if (obs->object)
        kobject_observer_unlink(obs->object, obs);
}
/* Cancel every observer registered through handle h (h is closing). */
void kobject_cancel_waits(KObject *o, const Handle *h);
/* Count observers (for invariants and get_info). */
size_t kobject_observer_count(const KObject *o);

/* Checked downcast; aborts on a tag mismatch (simulator bug). The check is
 * inline (one compare; object code downcasts on every operation), the
 * report out of line. */
void kobject_cast_failed(const KObject *o, zx_obj_type_t type,
                         const char *file, int line) __attribute__((noreturn, cold));
static inline void *kobject_cast(KObject *o, zx_obj_type_t type,
                                 const char *file, int line)
{
    if (__builtin_expect(o == NULL || o->ops->type != type, 0))
        kobject_cast_failed(o, type, file, line);
    return o;
}
#define KOBJECT_CAST(o, T, tag) ((T *)kobject_cast((KObject *)(o), (tag), __FILE__, __LINE__))

#endif
