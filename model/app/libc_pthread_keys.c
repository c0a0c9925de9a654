/* libc_pthread_keys.c — thread-specific data (pthread keys, C11 tss) for
 * apps: keys per process, values per simulated thread.
 *
 * Models: POSIX thread-specific data as a Fuchsia process has it: its own
 * key table (PTHREAD_KEYS_MAX = 128, Fuchsia's), one value per key in each
 * of its threads, destructors run when a thread ends through pthread_exit
 * or by returning. Without these an app's keys were glibc's: one table for
 * the whole host process and one value per key in the ONE host thread
 * every simulated thread runs on, so what a thread set was what every
 * thread of every process got, and destructors never ran.
 *
 *   pthread_key_create   the lowest free key of the process; none: EAGAIN
 *   pthread_key_delete   a key in use: freed (its values are gone with it:
 *                        a later key in that slot starts NULL everywhere);
 *                        else EINVAL. No destructor runs (POSIX)
 *   pthread_setspecific  the calling thread's value; a key not in use:
 *                        EINVAL; no room: ENOMEM
 *   pthread_getspecific  the calling thread's value, NULL if never set (or
 *                        the key is not in use)
 *   tss_create, tss_delete, tss_get, tss_set
 *                        the same (glibc builds them on its own keys
 *                        internally, out of an interposer's sight):
 *                        thrd_success / thrd_error / thrd_nomem
 *   thread end           libc_pthread_keys_run_destructors: for each key
 *                        with a destructor and a non-NULL value, the value
 *                        is cleared and the destructor called with it; up
 *                        to PTHREAD_DESTRUCTOR_ITERATIONS (4) rounds while
 *                        destructors set values again
 *
 * Whose keys: an app's keys are numbered from APP_KEY_BASE, far above
 * glibc's (below 1024), so get, set and delete route by the key itself:
 * a host library running on an app thread (GLib keeps its GPrivate values
 * in libc's keys) keeps using libc's. Only create asks who calls
 * (app_world_app_caller). Routing by caller alone misfires on tail calls:
 * a destructor ending in `pthread_setspecific(k, v)` jumps there with our
 * own return address, and would have written into glibc's key k.
 *
 * How: a deleted key's slot gets a new generation; a thread's value
 * carries the generation it was set under, so it reads as NULL once its key
 * was deleted, without visiting every thread. The key table lives with the
 * process's runtime block, a thread's values with its thread runtime
 * block: both freed with what owns them.
 *
 * Read next: libc_pthread_rwlock.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

#include "app_call.h"
#include "app_world.h"
#include "libc_next.h"
#include "libc_pthread.h"
#include "sdk/runtime.h"

#define APP_KEYS_MAX 128
#define APP_KEY_BASE 0x40000000u
#define APP_DESTRUCTOR_ITERATIONS 4

typedef struct AppKeyTable {
    struct {
        unsigned generation; /* odd while in use */
        void (*destructor)(void *);
    } keys[APP_KEYS_MAX];
} AppKeyTable;

typedef struct AppKeyValue {
    void *value;
    unsigned generation; /* the key's when the value was set */
} AppKeyValue;

typedef struct AppKeyValues {
    AppKeyValue v[APP_KEYS_MAX];
} AppKeyValues;

static AppKeyTable *keys_table(bool create)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (!tr)
        return NULL;
    if (!tr->proc->pthread_keys && create) {
        AppKeyTable *t = calloc(1, sizeof *t);
        if (!t || capsim_process_on_release(free, t) != 0) {
            free(t);
            return NULL;
        }
        tr->proc->pthread_keys = t;
    }
    return tr->proc->pthread_keys;
}

/* An app key's slot, or APP_KEYS_MAX for any other number. */
static unsigned keys_slot(unsigned key)
{
    return key >= APP_KEY_BASE && key - APP_KEY_BASE < APP_KEYS_MAX ? key - APP_KEY_BASE
                                                                     : APP_KEYS_MAX;
}

static bool keys_in_use(const AppKeyTable *t, unsigned k)
{
    return t && k < APP_KEYS_MAX && (t->keys[k].generation & 1);
}

/* The value slot k holds for `vals`' thread: NULL unless set under the
 * key now in the slot. */
static void *keys_value_of(const AppKeyTable *t, const AppKeyValues *vals, unsigned k)
{
    if (!vals || !keys_in_use(t, k) || vals->v[k].generation != t->keys[k].generation)
        return NULL;
    return vals->v[k].value;
}

/* The calling thread's values, made on first use. */
static AppKeyValues *keys_values(bool create)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (!tr)
        return NULL;
    if (!tr->pthread_values && create)
        tr->pthread_values = calloc(1, sizeof(AppKeyValues));
    return tr->pthread_values;
}

static int keys_create(unsigned *key, void (*destructor)(void *))
{
    AppKeyTable *t = keys_table(true);
    if (!t)
        return ENOMEM;
    for (unsigned k = 0; k < APP_KEYS_MAX; k++) {
        if (!(t->keys[k].generation & 1)) {
            t->keys[k].generation++;
            t->keys[k].destructor = destructor;
            *key = APP_KEY_BASE + k;
            return 0;
        }
    }
    return EAGAIN;
}

static int keys_delete(unsigned key)
{
    unsigned k = keys_slot(key);
    AppKeyTable *t = keys_table(false);
    if (!keys_in_use(t, k))
        return EINVAL;
    t->keys[k].generation++;
    t->keys[k].destructor = NULL;
    return 0;
}

static void *keys_get(unsigned key)
{
    return keys_value_of(keys_table(false), keys_values(false), keys_slot(key));
}

/* The value as a number: it is only kept, never read through. */
static int keys_set(unsigned key, uintptr_t value)
{
    unsigned k = keys_slot(key);
    AppKeyTable *t = keys_table(false);
    if (!keys_in_use(t, k))
        return EINVAL;
    AppKeyValues *vals = keys_values(true);
    if (!vals)
        return ENOMEM;
    vals->v[k].value = (void *)value;
    vals->v[k].generation = t->keys[k].generation;
    return 0;
}

void libc_pthread_keys_thread_ended(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    AppKeyTable *t = keys_table(false);
    AppKeyValues *vals = tr ? tr->pthread_values : NULL;
    if (!vals)
        return;
    for (int round = 0; t && round < APP_DESTRUCTOR_ITERATIONS; round++) {
        bool called = false;
        for (unsigned k = 0; k < APP_KEYS_MAX; k++) {
            void *v = keys_value_of(t, vals, k);
            if (!v || !t->keys[k].destructor)
                continue;
            vals->v[k].value = NULL;
            app_call_with(t->keys[k].destructor, v);
            called = true;
        }
        if (!called)
            break;
    }
    tr->pthread_values = NULL;
    free(vals);
}

/* ---- the interposers ------------------------------------------------------*/

/* Create: app code's own call site. The others: an app key's number. */
#define IN_APP app_world_app_caller(__builtin_return_address(0))
#define APP_KEY(key) ((key) >= APP_KEY_BASE)

LIBC_NEXT_SLOT(pthread_key_create);
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(pthread_key_t *, void (*)(void *)), pthread_key_create)(
            key, destructor);
    return keys_create(key, destructor);
}

LIBC_NEXT_SLOT(pthread_key_delete);
int pthread_key_delete(pthread_key_t key)
{
    if (!APP_KEY(key))
        return LIBC_NEXT(int (*)(pthread_key_t), pthread_key_delete)(key);
    return keys_delete(key);
}

LIBC_NEXT_SLOT(pthread_getspecific);
void *pthread_getspecific(pthread_key_t key)
{
    if (!APP_KEY(key))
        return LIBC_NEXT(void *(*)(pthread_key_t), pthread_getspecific)(key);
    return keys_get(key);
}

LIBC_NEXT_SLOT(pthread_setspecific);
int pthread_setspecific(pthread_key_t key, const void *value)
{
    if (!APP_KEY(key))
        return LIBC_NEXT(int (*)(pthread_key_t, const void *), pthread_setspecific)(key, value);
    return keys_set(key, (uintptr_t)value);
}

/* C11: an errno-style result as thrd_*. */
static int keys_thrd(int err)
{
    return err == 0 ? thrd_success : err == ENOMEM ? thrd_nomem : thrd_error;
}

LIBC_NEXT_SLOT(tss_create);
int tss_create(tss_t *key, tss_dtor_t destructor)
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(tss_t *, tss_dtor_t), tss_create)(key, destructor);
    return keys_thrd(keys_create(key, destructor));
}

LIBC_NEXT_SLOT(tss_delete);
void tss_delete(tss_t key)
{
    if (!APP_KEY(key)) {
        LIBC_NEXT(void (*)(tss_t), tss_delete)(key);
        return;
    }
    keys_delete(key);
}

LIBC_NEXT_SLOT(tss_get);
void *tss_get(tss_t key)
{
    if (!APP_KEY(key))
        return LIBC_NEXT(void *(*)(tss_t), tss_get)(key);
    return keys_get(key);
}

LIBC_NEXT_SLOT(tss_set);
int tss_set(tss_t key, void *value)
{
    if (!APP_KEY(key))
        return LIBC_NEXT(int (*)(tss_t, void *), tss_set)(key, value);
    return keys_thrd(keys_set(key, (uintptr_t)value));
}
