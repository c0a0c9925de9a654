/* libc_pthread.c — POSIX threads for apps, on Zircon threads.
 *
 * Models: what Fuchsia's libc does. A pthread of an app is a Zircon thread
 * of the calling process (zx_thread_create + zx_thread_start), on a stack
 * in a block of the process's memory laid out as Fuchsia's libc lays one
 * out (app_pthread_block: guard, stack VMO "pthread_t:0x...", the thread's
 * record above the stack), joined by waiting for ZX_THREAD_TERMINATED.
 * Without this, glibc's pthread_create made a HOST thread, whose first
 * syscall stopped the whole simulator. Mutexes and condition variables are
 * futexes (libc_futex.c): a contended lock blocks the simulated thread.
 * glibc's own would block the one host thread in futex(2), with the owner
 * unable to run: the simulator would hang.
 *
 *   pthread_create     the attribute's detach state, stack size and guard
 *                      size are honoured, a stack address is ENOTSUP (as
 *                      Fuchsia's), scheduling and affinity are ignored;
 *                      EAGAIN when the thread cannot be made. The thread
 *                      and its stack VMO are named "pthread_t:0x..." (C11
 *                      threads "thrd_t:0x..."). The block goes at the
 *                      join, or as a detached thread ends
 *                      (zx_vmar_unmap_handle_close_thread_exit)
 *   pthread_join       EDEADLK for itself, EINVAL for a thread that is
 *                      not joinable (detached, or not made by
 *                      pthread_create)
 *   pthread_detach, pthread_exit, pthread_self (the main thread and
 *                      threads made with zx_thread_create get an identity
 *                      on first use); the last thread to end through
 *                      pthread_exit (or its function's return) runs exit(0).
 *                      pthread_exit runs the thread's cleanup handlers
 *                      (libc_pthread_cleanup.c), then its key destructors
 *   pthread_mutex_lock, _trylock, _unlock, _timedlock, _clocklock:
 *                      glibc's layout (lock word, count, owner, kind), so
 *                      PTHREAD_MUTEX_INITIALIZER and pthread_mutex_init's
 *                      types work: normal, recursive, error-checking
 *   pthread_cond_wait, _signal, _broadcast: a sequence word and a futex
 *   pthread_cond_timedwait (on the clock pthread_condattr_setclock chose,
 *                      CLOCK_REALTIME by default), pthread_cond_clockwait
 *   pthread_key_*, pthread_{get,set}specific, tss_*: keys per process,
 *                      values per thread, destructors at its end
 *                      (libc_pthread_keys.c)
 *
 * Timed waits take absolute times on the app's VIRTUAL clocks
 * (libc_time.c): ETIMEDOUT once virtual time reaches them, EINVAL for a
 * tv_nsec outside [0, 1e9) or a clock other than REALTIME and MONOTONIC
 * (checked first, even when the lock is free).
 *
 * The rule, as in libc_process.c: called from app code of a simulated
 * process (app_world_in_app_code(): not the kernel code serving it), the
 * simulated thing; else libc's own (dlsym RTLD_NEXT), so the host (GLib,
 * Python, the CLI, the kernel's own locks as model/host_memory.c's) is
 * unaffected.
 *
 * AddressSanitizer builds: ASan's pthread_create interceptor runs first
 * and sets up its thread state on our fiber, which it refuses; apps
 * cannot make pthreads there (tests/apps skips them).
 *
 * pthread_join and the condition waits are cancellation points
 * (libc_pthread_cancel.c): a canceled condition wait takes its mutex back
 * before the handlers run; a canceled join leaves its thread joinable.
 *
 * Left out: process-shared (the attribute is ignored: the
 * lock works among the threads of one process) and robust mutexes,
 * priority inheritance. Read next: libc_pthread_cleanup.c,
 * libc_pthread_cancel.c,
 * libc_pthread_keys.c, libc_pthread_rwlock.c, libc_pthread_sync.c,
 * libc_semaphore.c, libc_c11_threads.c, app_world.c (what a thread of an
 * app carries).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "app_call.h"
#include "app_world.h"
#include "libc_futex.h"
#include "libc_next.h"
#include "libc_pthread.h"
#include "libc_pthread_cancel.h"
#include "thread_stack.h"
#include "capsim/app.h"
#include "sdk/runtime.h"

/* A thread pthread_create made keeps this record in its own block of the
 * process's memory, in the page above its stack (Fuchsia keeps its thread
 * descriptor next to the TLS block the same way): see app_pthread_block.
 * Other threads (the main thread, zx_thread_create's) get one from the
 * host heap on first use. */
struct AppPthread {
    void *(*fn)(void *);
    int (*c11_fn)(void *); /* thrd_create's, instead of fn */
    void *arg;
    void *result;
    zx_handle_t thread;   /* ZX_HANDLE_INVALID: not made by pthread_create */
    int id;               /* per process, from 1: a mutex's owner */
    int detached;
    int exited;
    uintptr_t block;      /* the block: guard, stack, this record (0: none) */
    size_t block_size;
    __pthread_unwind_buf_t *cleanups; /* innermost pthread_cleanup_push's */
    uint64_t koid;        /* its thread's, for pthread_cancel (set for the
                           * records made on first use: no handle; unlike
                           * its runtime block's address, never reused) */
};

/* glibc's struct __pthread_mutex_s (x86-64 and AArch64): the fields used. */
typedef struct AppMutex {
    int lock;             /* a lock word (libc_futex.h) */
    unsigned count;       /* recursive depth */
    int owner;            /* holder's AppPthread id */
    unsigned nusers;
    int kind;             /* PTHREAD_MUTEX_* (low bits) */
} AppMutex;

LIBC_NEXT_SLOT(pthread_cond_broadcast);
LIBC_NEXT_SLOT(pthread_cond_clockwait);
LIBC_NEXT_SLOT(pthread_cond_signal);
LIBC_NEXT_SLOT(pthread_cond_timedwait);
LIBC_NEXT_SLOT(pthread_cond_wait);
LIBC_NEXT_SLOT(pthread_create);
LIBC_NEXT_SLOT(pthread_detach);
LIBC_NEXT_SLOT(pthread_exit);
LIBC_NEXT_SLOT(pthread_join);
LIBC_NEXT_SLOT(pthread_mutex_clocklock);
LIBC_NEXT_SLOT(pthread_mutex_lock);
LIBC_NEXT_SLOT(pthread_mutex_timedlock);
LIBC_NEXT_SLOT(pthread_mutex_trylock);
LIBC_NEXT_SLOT(pthread_mutex_unlock);
LIBC_NEXT_SLOT(pthread_self);
LIBC_NEXT_SLOT(sched_yield);

AppPthread *libc_pthread_current(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (!tr)
        return NULL;
    if (!tr->pthread) {
        AppPthread *p = calloc(1, sizeof *p);
        if (!p || capsim_process_on_release(free, p) != 0) {
            free(p);
            return NULL;
        }
        p->thread = ZX_HANDLE_INVALID;
        p->koid = tr->thread_koid;
        p->id = ++tr->proc->pthread_ids;
        tr->pthread = p;
    }
    return tr->pthread;
}

int libc_pthread_cancel_target(pthread_t t, zx_handle_t *thread, uint64_t *koid)
{
    AppPthread *p = (AppPthread *)t;
    if (!p || p->exited)
        return ESRCH;
    *thread = p->thread;
    *koid = p->koid;
    return 0;
}

int libc_pthread_id(void)
{
    AppPthread *p = libc_pthread_current();
    return p ? p->id : -1;
}

#define PTHREAD_PAGE ((size_t)4096)

static size_t app_pthread_page_round(size_t n)
{
    return (n + PTHREAD_PAGE - 1) & ~(PTHREAD_PAGE - 1);
}

/* Where a process's thread blocks go: top-down from the top of its root
 * VMAR, below the lowest block so far (`floor`), and into the holes that
 * released blocks leave, same size first. Looking at the address space
 * each time (ZX_INFO_VMAR_MAPS) made creating n threads cost O(n^2). */
#define PTHREAD_HOLES 64

typedef struct AppBlockPlaces {
    uintptr_t floor;                     /* 0: nothing placed yet */
    size_t nholes;
    struct { uintptr_t base; size_t size; } holes[PTHREAD_HOLES];
} AppBlockPlaces;

static AppBlockPlaces *app_pthread_places(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (!tr)
        return NULL;
    if (!tr->proc->pthread_blocks) {
        AppBlockPlaces *pl = calloc(1, sizeof *pl);
        if (!pl || capsim_process_on_release(free, pl) != 0) {
            free(pl);
            return NULL;
        }
        tr->proc->pthread_blocks = pl;
    }
    return tr->proc->pthread_blocks;
}

/* The highest free place for `size` bytes in the root VMAR, by looking at
 * all of it (thread_stack_place over what ZX_INFO_VMAR_MAPS lists). */
static zx_status_t app_pthread_search(size_t size, uintptr_t *at, uintptr_t *root_base)
{
    zx_handle_t root = zx_vmar_root_self();
    size_t actual = 0, avail = 0;
    zx_info_maps_t *maps = NULL;
    zx_status_t st;
    for (;;) {
        st = zx_object_get_info(root, ZX_INFO_VMAR_MAPS, maps, avail * sizeof *maps, &actual,
                                &avail);
        if (st != ZX_OK || actual == avail)
            break;
        free(maps);
        maps = calloc(avail, sizeof *maps);
        if (!maps)
            return ZX_ERR_NO_MEMORY;
    }
    uintptr_t(*used)[2] = calloc(actual ? actual : 1, sizeof *used);
    if (st != ZX_OK || !used || actual == 0 || maps[0].depth != 0) {
        free(maps);
        free(used);
        return st != ZX_OK ? st : ZX_ERR_NO_MEMORY;
    }
    size_t n = 0;
    for (size_t i = 1; i < actual; i++)
        if (maps[i].depth == 1) { /* the root's own children */
            used[n][0] = maps[i].base;
            used[n][1] = maps[i].base + maps[i].size;
            n++;
        }
    *root_base = maps[0].base;
    *at = thread_stack_place(used, n, maps[0].base, maps[0].base + maps[0].size, size);
    free(maps);
    free(used);
    return *at ? ZX_OK : ZX_ERR_NO_MEMORY;
}

/* Allocate the sub-VMAR of a new block of `size` bytes: a hole of that
 * size, else just below the floor, else wherever the search finds room. */
static zx_status_t app_pthread_region(size_t size, zx_handle_t *region, zx_vaddr_t *base)
{
    const zx_vm_option_t opts = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE |
                                ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC;
    AppBlockPlaces *pl = app_pthread_places();
    zx_info_vmar_t root;
    zx_status_t st = zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof root,
                                        NULL, NULL);
    if (st != ZX_OK)
        return st;
    for (size_t i = 0; pl && i < pl->nholes; i++)
        if (pl->holes[i].size == size) {
            uintptr_t at = pl->holes[i].base;
            pl->holes[i] = pl->holes[--pl->nholes];
            if (zx_vmar_allocate(zx_vmar_root_self(), opts, at - root.base, size, region,
                                 base) == ZX_OK)
                return ZX_OK;
            break; /* taken meanwhile (a MAP_FIXED): look elsewhere */
        }
    if (pl && pl->floor >= root.base + size &&
        zx_vmar_allocate(zx_vmar_root_self(), opts, pl->floor - size - root.base, size, region,
                         base) == ZX_OK) {
        pl->floor = *base;
        return ZX_OK;
    }
    uintptr_t at, root_base;
    if ((st = app_pthread_search(size, &at, &root_base)) != ZX_OK ||
        (st = zx_vmar_allocate(zx_vmar_root_self(), opts, at - root_base, size, region,
                               base)) != ZX_OK)
        return st;
    if (pl && (!pl->floor || *base < pl->floor))
        pl->floor = *base;
    return ZX_OK;
}

/* Note [base, base + size) as a hole for the next block of its size;
 * true if it was noted (the list has room). */
static bool app_pthread_hole_add(AppBlockPlaces *pl, uintptr_t base, size_t size)
{
    if (!pl || pl->nholes == PTHREAD_HOLES)
        return false;
    pl->holes[pl->nholes].base = base;
    pl->holes[pl->nholes].size = size;
    pl->nholes++;
    return true;
}

/* A block given back: its place is a hole for the next of its size. */
static void app_pthread_region_free(uintptr_t base, size_t size)
{
    zx_vmar_unmap(zx_vmar_root_self(), base, size);
    app_pthread_hole_add(app_pthread_places(), base, size);
}

/* The block of a new thread, laid out as Fuchsia's libc lays out one: a
 * sub-VMAR whose lowest `guard` bytes stay unmapped, then one VMO holding
 * the stack and, in the page above it, the thread's record; the VMO is
 * named "<kind>:0x..." after the record's address, which is the thread's
 * pthread_t ("pthread_t", or "thrd_t" for C11 threads), and that name is
 * left in name[] for the thread. NULL if the memory cannot be had. */
static AppPthread *app_pthread_block(size_t stack, size_t guard, const char *kind,
                                     char name[ZX_MAX_NAME_LEN])
{
    stack = app_pthread_page_round(stack);
    guard = app_pthread_page_round(guard);
    size_t len = stack + PTHREAD_PAGE;
    zx_handle_t vmo, region;
    zx_vaddr_t base = 0, addr = 0;
    if (zx_vmo_create(len, 0, &vmo) != ZX_OK)
        return NULL;
    zx_status_t st = app_pthread_region(guard + len, &region, &base);
    if (st == ZX_OK) {
        st = zx_vmar_map(region, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC, guard, vmo,
                         0, len, &addr);
        if (st != ZX_OK)
            zx_vmar_destroy(region);
        zx_handle_close(region);
    }
    AppPthread *p = NULL;
    if (st == ZX_OK) {
        p = (AppPthread *)(addr + stack); /* the VMO's pages start zeroed */
        p->block = base;
        p->block_size = guard + len;
        snprintf(name, ZX_MAX_NAME_LEN, "%s:%p", kind, (void *)p);
        zx_object_set_property(vmo, ZX_PROP_NAME, name, strlen(name));
    }
    zx_handle_close(vmo); /* the mapping holds it */
    return p;
}

/* Close the thread's handle and free its record (with its block: the
 * stack of a thread that has ended). */
static void app_pthread_release(AppPthread *p)
{
    zx_handle_close(p->thread);
    if (p->block)
        app_pthread_region_free(p->block, p->block_size);
    else
        free(p);
}

/* A detached thread frees its record as it ends, and its block, stack
 * included: with the one call that can (the stack is still in use until
 * the thread is gone), as Fuchsia's libc does. The last thread to end
 * through libc (no other pthread_create thread running: the main thread
 * left by pthread_exit or thrd_exit) ends the process as exit(0) does,
 * atexit handlers and destructors included, as Fuchsia's libc does. */
void libc_pthread_finish(AppPthread *p, void *result)
{
    libc_pthread_keys_thread_ended();
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr && tr->proc->pthreads_running-- == 0) {
        tr->proc->pthreads_running = 0;
        app_launch_exit(0, true);
    }
    if (p) {
        p->result = result;
        p->exited = 1;
        if (p->detached && p->thread != ZX_HANDLE_INVALID) {
            if (p->block) {
                /* Its place, once it is gone: noted first, nothing of the
                 * thread runs after the call. */
                AppBlockPlaces *pl = app_pthread_places();
                bool noted = app_pthread_hole_add(pl, p->block, p->block_size);
                zx_vmar_unmap_handle_close_thread_exit(zx_vmar_root_self(), p->block,
                                                       p->block_size, p->thread);
                if (noted)
                    pl->nholes--; /* the unmap failed: not a hole after all */
            }
            app_pthread_release(p); /* no block, or the unmap failed */
        }
    }
    zx_thread_exit();
}

static void app_pthread_entry(uintptr_t rec, uintptr_t unused)
{
    (void)unused;
    AppPthread *p = (AppPthread *)rec;
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr) {
        tr->pthread = p;
        tr->thread_self = p->thread; /* zx_thread_self(), as Fuchsia's libc keeps it */
    }
    libc_pthread_finish(p, p->c11_fn ? (void *)(intptr_t)app_call_thrd(p->c11_fn, p->arg)
                                     : app_call_thread(p->fn, p->arg));
}

int libc_pthread_spawn(pthread_t *out, void *(*fn)(void *),
                       int (*c11_fn)(void *), void *arg, int detached,
                       size_t stack_size, size_t guard_size)
{
    char name[ZX_MAX_NAME_LEN];
    AppPthread *p = app_pthread_block(stack_size, guard_size, c11_fn ? "thrd_t" : "pthread_t",
                                      name);
    if (!p)
        return EAGAIN;
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    p->fn = fn;
    p->c11_fn = c11_fn;
    p->arg = arg;
    p->id = tr ? ++tr->proc->pthread_ids : -1;
    p->detached = detached;
    uintptr_t stack_top = (uintptr_t)p;
    if (zx_thread_create(zx_process_self(), name, strlen(name), 0, &p->thread) != ZX_OK) {
        app_pthread_region_free(p->block, p->block_size);
        return EAGAIN;
    }
    if (tr) /* before it can run (and end) */
        tr->proc->pthreads_running++;
    if (zx_thread_start(p->thread, (uintptr_t)app_pthread_entry, stack_top,
                        (uintptr_t)p, 0) != ZX_OK) {
        if (tr)
            tr->proc->pthreads_running--;
        app_pthread_release(p);
        return EAGAIN;
    }
    *out = (pthread_t)p;
    return 0;
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr,
                   void *(*fn)(void *), void *arg)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t *, const pthread_attr_t *,
                                        void *(*)(void *), void *), pthread_create)(out, attr, fn, arg);
    int detach = PTHREAD_CREATE_JOINABLE;
    size_t stack = THREAD_STACK_DEFAULT_SIZE, guard = THREAD_STACK_DEFAULT_GUARD, given = 0;
    void *stack_addr = NULL;
    if (attr && (pthread_attr_getdetachstate(attr, &detach) != 0 ||
                 pthread_attr_getstacksize(attr, &stack) != 0 ||
                 pthread_attr_getguardsize(attr, &guard) != 0 ||
                 pthread_attr_getstack(attr, &stack_addr, &given) != 0))
        return EINVAL;
    /* glibc keeps a stack's top and answers top - size, so an attribute
     * without a stack gives an address whose top is 0. Fuchsia's libc
     * takes no stack from an attribute. */
    if (attr && (uintptr_t)stack_addr + given != 0)
        return ENOTSUP;
    return libc_pthread_spawn(out, fn, NULL, arg, detach == PTHREAD_CREATE_DETACHED, stack,
                              guard);
}

int pthread_join(pthread_t t, void **result)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t, void **), pthread_join)(t, result);
    AppPthread *p = (AppPthread *)t;
    if (p && p == libc_pthread_current())
        return EDEADLK;
    if (!p || p->thread == ZX_HANDLE_INVALID || p->detached)
        return EINVAL; /* not a joinable thread made by pthread_create */
    libc_cancel_point();
    libc_cancel_wait_begin();
    zx_status_t st = zx_object_wait_one(p->thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    libc_cancel_wait_end();
    libc_cancel_after(); /* canceled: the thread stays joinable */
    if (st != ZX_OK)
        return EINVAL;
    if (result)
        *result = p->result;
    app_pthread_release(p);
    return 0;
}

int pthread_detach(pthread_t t)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t), pthread_detach)(t);
    AppPthread *p = (AppPthread *)t;
    if (!p || p->thread == ZX_HANDLE_INVALID || p->detached)
        return EINVAL;
    if (p->exited) {
        /* It is on its last steps, still on its stack: wait until it is
         * gone before freeing the block under it. */
        zx_object_wait_one(p->thread, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
        app_pthread_release(p);
    } else {
        p->detached = 1;
    }
    return 0;
}

__pthread_unwind_buf_t **libc_pthread_cleanup_top(void)
{
    AppPthread *p = libc_pthread_current();
    return p ? &p->cleanups : NULL;
}

void libc_pthread_exit_resume(void)
{
    AppPthread *p = libc_pthread_current();
    if (p)
        libc_pthread_cleanup_unwind(&p->cleanups); /* back only once none is left */
    libc_pthread_finish(p, p ? p->result : NULL);
}

void libc_pthread_exit(void *result)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr) /* ending: no cancellation point acts from here on */
        tr->cancel_acting = 1;
    AppPthread *p = libc_pthread_current();
    if (p)
        p->result = result; /* kept while the handlers run */
    libc_pthread_exit_resume();
}

void pthread_exit(void *result)
{
    if (!app_world_in_app_code())
        LIBC_NEXT(void (*)(void *), pthread_exit)(result);
    libc_pthread_exit(result);
}

pthread_t pthread_self(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(pthread_t (*)(void), pthread_self)();
    return (pthread_t)libc_pthread_current();
}

int sched_yield(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(void), sched_yield)();
    capsim_yield();
    return 0;
}

/* ---- mutexes -------------------------------------------------------------*/

static int app_mutex_kind(const AppMutex *m)
{
    return m->kind & 3; /* NORMAL, RECURSIVE, ERRORCHECK, ADAPTIVE */
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *), pthread_mutex_trylock)(mutex);
    AppMutex *m = (AppMutex *)mutex;
    int me = libc_pthread_id();
    if (libc_futex_lock_try(&m->lock)) {
        m->owner = me;
        m->count = 1;
        return 0;
    }
    if (app_mutex_kind(m) == PTHREAD_MUTEX_RECURSIVE && m->owner == me) {
        m->count++;
        return 0;
    }
    return EBUSY;
}

/* Lock, blocking until `deadline`: 0, EDEADLK, ETIMEDOUT. */
static int app_mutex_lock(AppMutex *m, zx_instant_mono_t deadline)
{
    int me = libc_pthread_id();
    if (m->lock && m->owner == me) {
        if (app_mutex_kind(m) == PTHREAD_MUTEX_RECURSIVE) {
            m->count++;
            return 0;
        }
        if (app_mutex_kind(m) == PTHREAD_MUTEX_ERRORCHECK)
            return EDEADLK;
    }
    int rc = libc_futex_lock(&m->lock, deadline);
    if (rc != 0)
        return rc;
    m->owner = me;
    m->count = 1;
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *), pthread_mutex_lock)(mutex);
    return app_mutex_lock((AppMutex *)mutex, ZX_TIME_INFINITE);
}

int pthread_mutex_clocklock(pthread_mutex_t *mutex, clockid_t clk,
                            const struct timespec *at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *, clockid_t, const struct timespec *),
                         pthread_mutex_clocklock)(mutex, clk, at);
    zx_instant_mono_t deadline;
    int rc = libc_futex_deadline(clk, at, &deadline);
    return rc != 0 ? rc : app_mutex_lock((AppMutex *)mutex, deadline);
}

int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *, const struct timespec *),
                         pthread_mutex_timedlock)(mutex, at);
    return pthread_mutex_clocklock(mutex, CLOCK_REALTIME, at);
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_mutex_t *), pthread_mutex_unlock)(mutex);
    AppMutex *m = (AppMutex *)mutex;
    int kind = app_mutex_kind(m);
    if (kind == PTHREAD_MUTEX_RECURSIVE || kind == PTHREAD_MUTEX_ERRORCHECK) {
        if (!m->lock || m->owner != libc_pthread_id())
            return EPERM;
        if (kind == PTHREAD_MUTEX_RECURSIVE && --m->count > 0)
            return 0;
    }
    m->owner = 0;
    m->count = 0;
    libc_futex_unlock(&m->lock);
    return 0;
}

/* ---- condition variables -------------------------------------------------*/

/* The first word of pthread_cond_t counts signals (zero-initialised). */
static int *app_cond_seq(pthread_cond_t *cond)
{
    return (int *)cond;
}

/* glibc's pthread_cond_init keeps the attribute's clock in __wrefs: bit 1
 * set for CLOCK_MONOTONIC (PTHREAD_COND_INITIALIZER: CLOCK_REALTIME). */
static clockid_t app_cond_clock(const pthread_cond_t *cond)
{
    return (cond->__data.__wrefs & 2) ? CLOCK_MONOTONIC : CLOCK_REALTIME;
}

/* Wait for a signal until `deadline`, the mutex released meanwhile and
 * held again on return (ETIMEDOUT included). */
static int app_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                         zx_instant_mono_t deadline)
{
    libc_cancel_point(); /* the mutex held, as the handlers expect it */
    int *seq = app_cond_seq(cond);
    int seen = __atomic_load_n(seq, __ATOMIC_ACQUIRE);
    int rc = pthread_mutex_unlock(mutex);
    if (rc != 0)
        return rc;
    libc_cancel_wait_begin();
    rc = libc_futex_wait(seq, seen, deadline);
    bool canceled = libc_cancel_wait_end();
    int relock = app_mutex_lock((AppMutex *)mutex, ZX_TIME_INFINITE);
    if (canceled)
        libc_cancel_after(); /* with the mutex held again, as POSIX asks */
    return relock != 0 ? relock : rc;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *, pthread_mutex_t *), pthread_cond_wait)(cond, mutex);
    return app_cond_wait(cond, mutex, ZX_TIME_INFINITE);
}

int pthread_cond_clockwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           clockid_t clk, const struct timespec *at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *, pthread_mutex_t *, clockid_t,
                                 const struct timespec *), pthread_cond_clockwait)(cond, mutex, clk, at);
    zx_instant_mono_t deadline;
    int rc = libc_futex_deadline(clk, at, &deadline);
    return rc != 0 ? rc : app_cond_wait(cond, mutex, deadline);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *at)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *, pthread_mutex_t *,
                                        const struct timespec *), pthread_cond_timedwait)(cond, mutex, at);
    return pthread_cond_clockwait(cond, mutex, app_cond_clock(cond), at);
}

static int app_cond_wake(pthread_cond_t *cond, uint32_t n)
{
    int *seq = app_cond_seq(cond);
    __atomic_fetch_add(seq, 1, __ATOMIC_RELEASE);
    libc_futex_wake(seq, n);
    return 0;
}

int pthread_cond_signal(pthread_cond_t *cond)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *), pthread_cond_signal)(cond);
    return app_cond_wake(cond, 1);
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_cond_t *), pthread_cond_broadcast)(cond);
    return app_cond_wake(cond, UINT32_MAX);
}
