/* libc_next.h — libc's own version of an interposed function, for the
 * host's calls into the libc_*.c interposers (libc_time.c,
 * libc_pthread.c). Looked up once per function and kept: the host calls
 * some of them constantly (Python's GIL takes a pthread mutex; its
 * time.time() reads a clock), and dlsym takes ld.so's lock each time.
 *
 *   LIBC_NEXT_SLOT(clock_gettime);          at file scope, once
 *   LIBC_NEXT(int (*)(clockid_t, struct timespec *), clock_gettime)(c, ts)
 */
#ifndef CAPSIM_APP_LIBC_NEXT_H
#define CAPSIM_APP_LIBC_NEXT_H

#include <dlfcn.h>

/* *slot, found by find(name) on first use and kept. */
static inline void *libc_lookup_with(void **slot, const char *name,
                                     void *(*find)(const char *))
{
    void *fn = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!fn) {
        fn = find(name);
        __atomic_store_n(slot, fn, __ATOMIC_RELEASE);
    }
    return fn;
}

static inline void *libc_next_find(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static inline void *libc_next_lookup(void **slot, const char *name)
{
    return libc_lookup_with(slot, name, libc_next_find);
}

#define LIBC_NEXT_SLOT(name) static void *libc_next_##name
#define LIBC_NEXT(type, name) ((type)libc_next_lookup(&libc_next_##name, #name))

/* A libc function refused to app code, whatever its arguments: where
 * `in_app` holds it returns `fail` with errno `err`, everyone else gets
 * libc's own. (The file defining it includes <errno.h>.)
 *
 *   LIBC_REFUSED(app_world_in_app_code(), int, -1, ENOSYS,
 *                execv, (const char *p, char *const a[]), (p, a))
 */
#define LIBC_REFUSED(in_app, ret, fail, err, name, params, args)               \
    LIBC_NEXT_SLOT(name);                                                      \
    ret name params                                                            \
    {                                                                          \
        if (!(in_app))                                                         \
            return LIBC_NEXT(ret (*) params, name) args;                       \
        errno = (err);                                                         \
        return (fail);                                                         \
    }

/* A libc function whose answer to app code is a constant, whatever its
 * arguments, with errno untouched (Fuchsia's getpid is 3); everyone else
 * gets libc's own.
 *
 *   LIBC_ANSWERED(app_world_in_app_code(), pid_t, 3, getpid, (void), ())
 */
#define LIBC_ANSWERED(in_app, ret, value, name, params, args)                  \
    LIBC_NEXT_SLOT(name);                                                      \
    ret name params                                                            \
    {                                                                          \
        if (!(in_app))                                                         \
            return LIBC_NEXT(ret (*) params, name) args;                       \
        return (value);                                                        \
    }

/* A call Fuchsia's libc does not have (or refuses): `fail` with errno
 * ENOSYS in app code, libc's own for everyone else (the file defining it
 * includes app_world.h). */
#define LIBC_ABSENT(ret, fail, name, params, args)                             \
    LIBC_REFUSED(app_world_in_app_code(), ret, fail, ENOSYS, name, params, args)

/* void name(void) that does nothing in app code and is libc's for
 * everyone else (the file defining it includes app_world.h). */
#define LIBC_NEXT_OR_NOTHING(name)                                             \
    LIBC_NEXT_SLOT(name);                                                      \
    void name(void)                                                            \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            LIBC_NEXT(void (*)(void), name)();                                 \
    }

#endif
