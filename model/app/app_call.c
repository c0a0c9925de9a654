/* app_call.c — every call libcapsim makes into app code, through a gate.
 *
 * Why: the interposers choose by the caller's return address (whose heap
 * malloc serves, whether a descriptor call is the app's or a host
 * library's: app_world_caller_in_copy, fdio_libc_host_caller). An app
 * function ending in a tail call, `return malloc(n);` compiled with -O2,
 * jumps to malloc instead of calling it, so malloc sees the return address
 * of whoever called the app function. When that was libcapsim (main's
 * caller, a thread's start, an atexit handler, a constructor...), the app
 * looked like libcapsim itself and got libc's heap: memory that was not
 * its process's, never freed with it.
 *
 * How: each call from libcapsim into app code goes through a gate, a
 * small function that makes the call and then runs one more instruction
 * (an empty volatile asm), so its own call can never become a jump. The
 * gates live alone in the section capsim_app_gate; the linker marks its
 * bounds (__start_/__stop_capsim_app_gate). A return address inside a
 * gate can only mean the app function jumped straight into the callee:
 * app_call_from_gate says so and the callers' checks count it as the app.
 * Gates are only used when the target is code of a loaded app copy;
 * built-in programs (whose globals outlive any one process) and
 * libcapsim's own entries are called plainly, as before.
 *
 * The call sites: main, DT_INIT/DT_INIT_ARRAY, DT_FINI_ARRAY/DT_FINI
 * (app_launch.c, app_instance.c), atexit and at_quick_exit handlers
 * (app_launch.c, libc_process.c), pthread and C11 thread functions
 * (libc_pthread.c), key and tss destructors (libc_pthread_keys.c),
 * pthread_once and call_once routines (libc_pthread_sync.c), a raw
 * thread's entry (model/thread.c), scandir's filter (sdk/fdio_dir.c),
 * ftw and nftw callbacks (sdk/fdio_walk.c). Callbacks glibc makes itself
 * (qsort's comparison, glob's hooks, fopencookie's functions) return
 * into glibc, which the rules already treat as a host library.
 * Read next: libc_malloc.c.
 */
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>

#include "app_call.h"
#include "app_world.h"

/* Never inlined, cloned or merged, alone in their section. */
#if defined(__clang__)
#define APP_GATE __attribute__((noinline, used, section("capsim_app_gate")))
#else
#define APP_GATE __attribute__((noinline, noipa, used, section("capsim_app_gate")))
#endif
/* After the call: one more statement, so the call stays a call. */
#define APP_GATE_AFTER(value) __asm__ volatile("" : "+r"(value))
#define APP_GATE_AFTER_VOID() __asm__ volatile("" ::: "memory")

extern const char __start_capsim_app_gate[] __attribute__((visibility("hidden")));
extern const char __stop_capsim_app_gate[] __attribute__((visibility("hidden")));

bool app_call_from_gate(const void *ret)
{
    return (const char *)ret >= __start_capsim_app_gate &&
           (const char *)ret < __stop_capsim_app_gate;
}

/* Is fn app code that must go through a gate? */
static bool app_call_gated(const void *fn)
{
    return app_world_caller_in_copy(fn);
}

/* ---- the gates ------------------------------------------------------------*/

APP_GATE static int app_gate_main(int (*fn)(int, char **), int argc, char **argv)
{
    int r = fn(argc, argv);
    APP_GATE_AFTER(r);
    return r;
}

APP_GATE static void app_gate_init(void (*fn)(int, char **, char **), int argc, char **argv,
                                   char **envp)
{
    fn(argc, argv, envp);
    APP_GATE_AFTER_VOID();
}

APP_GATE static void app_gate_void(void (*fn)(void))
{
    fn();
    APP_GATE_AFTER_VOID();
}

APP_GATE static void app_gate_with(void (*fn)(void *), void *arg)
{
    fn(arg);
    APP_GATE_AFTER_VOID();
}

APP_GATE static void *app_gate_thread(void *(*fn)(void *), void *arg)
{
    void *r = fn(arg);
    APP_GATE_AFTER(r);
    return r;
}

APP_GATE static int app_gate_thrd(int (*fn)(void *), void *arg)
{
    int r = fn(arg);
    APP_GATE_AFTER(r);
    return r;
}

APP_GATE static void app_gate_entry(void (*fn)(uintptr_t, uintptr_t), uintptr_t arg1,
                                    uintptr_t arg2)
{
    fn(arg1, arg2);
    APP_GATE_AFTER_VOID();
}

APP_GATE static int app_gate_dirent_filter(int (*fn)(const struct dirent *),
                                           const struct dirent *e)
{
    int r = fn(e);
    APP_GATE_AFTER(r);
    return r;
}

APP_GATE static int app_gate_ftw(int (*fn)(const char *, const struct stat *, int),
                                 const char *path, const struct stat *st, int type)
{
    int r = fn(path, st, type);
    APP_GATE_AFTER(r);
    return r;
}

APP_GATE static int app_gate_nftw(int (*fn)(const char *, const struct stat *, int,
                                            struct FTW *),
                                  const char *path, const struct stat *st, int type,
                                  struct FTW *f)
{
    int r = fn(path, st, type, f);
    APP_GATE_AFTER(r);
    return r;
}

/* ---- the calls ------------------------------------------------------------*/

int app_call_main(int (*fn)(int, char **), int argc, char **argv)
{
    return app_call_gated(fn) ? app_gate_main(fn, argc, argv) : fn(argc, argv);
}

void app_call_init(void (*fn)(int, char **, char **), int argc, char **argv, char **envp)
{
    if (app_call_gated(fn))
        app_gate_init(fn, argc, argv, envp);
    else
        fn(argc, argv, envp);
}

void app_call_void(void (*fn)(void))
{
    if (app_call_gated(fn))
        app_gate_void(fn);
    else
        fn();
}

void app_call_with(void (*fn)(void *), void *arg)
{
    if (app_call_gated(fn))
        app_gate_with(fn, arg);
    else
        fn(arg);
}

void *app_call_thread(void *(*fn)(void *), void *arg)
{
    return app_call_gated(fn) ? app_gate_thread(fn, arg) : fn(arg);
}

int app_call_thrd(int (*fn)(void *), void *arg)
{
    return app_call_gated(fn) ? app_gate_thrd(fn, arg) : fn(arg);
}

void app_call_entry(void (*fn)(uintptr_t, uintptr_t), uintptr_t arg1, uintptr_t arg2)
{
    if (app_call_gated(fn))
        app_gate_entry(fn, arg1, arg2);
    else
        fn(arg1, arg2);
}

int app_call_dirent_filter(int (*fn)(const struct dirent *), const struct dirent *e)
{
    return app_call_gated(fn) ? app_gate_dirent_filter(fn, e) : fn(e);
}

int app_call_ftw(int (*fn)(const char *, const struct stat *, int), const char *path,
                 const struct stat *st, int type)
{
    return app_call_gated(fn) ? app_gate_ftw(fn, path, st, type) : fn(path, st, type);
}

int app_call_nftw(int (*fn)(const char *, const struct stat *, int, struct FTW *),
                  const char *path, const struct stat *st, int type, struct FTW *f)
{
    return app_call_gated(fn) ? app_gate_nftw(fn, path, st, type, f) : fn(path, st, type, f);
}
