/* libc_process.c — libc's process-ending functions, interposed for apps.
 *
 * Models: exit, _exit, _Exit, abort and __cxa_atexit as a Fuchsia process
 * sees them: they end (or prepare the end of) the calling PROCESS, never
 * the host. Apps link libcapsim before libc and are loaded with
 * RTLD_DEEPBIND (app_instance.c), so their calls land here; so do the host
 * program's, since libcapsim precedes libc in its global scope too. The
 * rule for every function: called from app code of a simulated process
 * (app_world_in_app_code(): not the kernel code serving it) it does the
 * simulated thing, otherwise it forwards to libc's own (dlsym RTLD_NEXT;
 * raw syscalls if that fails).
 *
 *   exit(code)     atexit handlers, destructors, flush, zx_process_exit
 *                  (app_launch_exit); return code = code
 *   _exit, _Exit   zx_process_exit(code), nothing else
 *   __assert_fail  a failed assert(): musl's message on the process's
 *                  stderr ("Assertion failed: EXPR (FILE: FUNC: LINE)"),
 *                  then abort()
 *   abort()        SIGABRT on the app's own fiber: the engine contains it
 *                  as a fault (SIM_FAULT_ABORT), exception delivery follows
 *                  (ZX_EXCP_SW_BREAKPOINT / UNDEFINED_INSTRUCTION, as
 *                  Fuchsia's __builtin_trap), else the process is killed
 *                  with ZX_TASK_RETCODE_EXCEPTION_KILL
 *   __cxa_atexit   registrations whose DSO handle lies in an app copy go
 *                  to that process's list (run by its exit()); others
 *                  (libraries, the host) go to libc
 *   __cxa_at_quick_exit, quick_exit: the same for at_quick_exit (an
 *                  app's comes from libc_nonshared) and its handlers, then
 *                  zx_process_exit(code). glibc's quick_exit ended the
 *                  HOST, and at_quick_exit's handlers went to glibc's list
 *
 * libc's internal calls (a return from the host's main) do not come here; an internal abort raises SIGABRT the same way and is
 * contained all the same. Read next: libc_signal.c, libc_io.c.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "app_call.h"
#include "app_world.h"

typedef void (*LibcExitFn)(int) __attribute__((noreturn));
typedef void (*LibcAbortFn)(void) __attribute__((noreturn));
typedef int (*LibcAtexitFn)(void (*)(void *), void *, void *);
typedef int (*LibcQuickFn)(void (*)(void), void *);
typedef void (*LibcAssertFn)(const char *, const char *, unsigned int, const char *)
    __attribute__((noreturn));

static void *libc_process_next(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

__attribute__((noreturn)) static void libc_process_exit_group(int code)
{
    for (;;)
        syscall(SYS_exit_group, code);
}

void exit(int code)
{
    if (app_world_in_app_code())
        app_launch_exit(code, true);
    LibcExitFn real = (LibcExitFn)libc_process_next("exit");
    if (real)
        real(code);
    libc_process_exit_group(code);
}

void _exit(int code)
{
    if (app_world_in_app_code())
        app_launch_exit(code, false);
    LibcExitFn real = (LibcExitFn)libc_process_next("_exit");
    if (real)
        real(code);
    libc_process_exit_group(code);
}

void _Exit(int code)
{
    _exit(code);
}

void abort(void)
{
    if (app_world_in_app_code()) {
        /* The engine's handler takes the fiber away (libc's raise: an
         * app's raise() is refused, libc_signal.c). */
        libc_signal_host_raise(SIGABRT);
        __builtin_trap();
    }
    LibcAbortFn real = (LibcAbortFn)libc_process_next("abort");
    if (real)
        real();
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
    libc_process_exit_group(134);
}

/* assert()'s failure, in Fuchsia's libc's (musl's) words, then abort():
 * glibc's named the HOST program ("capsim: file:line: ...") in its own. */
void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func)
{
    if (app_world_in_app_code()) {
        fprintf(stderr, "Assertion failed: %s (%s: %s: %u)\n", expr, file, func ? func : "?",
                line);
        fflush(NULL);
        abort();
    }
    LibcAssertFn real = (LibcAssertFn)libc_process_next("__assert_fail");
    if (real)
        real(expr, file, line, func);
    abort();
}

int __cxa_atexit(void (*fn)(void *), void *arg, void *dso)
{
    AppProc *ap = app_world_current_proc();
    if (ap && dso && app_instance_containing(dso))
        return app_launch_add_atexit(&ap->atexit_list, fn, arg);
    LibcAtexitFn real = (LibcAtexitFn)libc_process_next("__cxa_atexit");
    return real ? real(fn, arg, dso) : -1;
}

static void libc_process_call_quick(void *fn)
{
    app_call_void((void (*)(void))fn);
}

int __cxa_at_quick_exit(void (*fn)(void), void *dso)
{
    AppProc *ap = app_world_current_proc();
    if (ap && dso && app_instance_containing(dso))
        return app_launch_add_atexit(&ap->quick_list, libc_process_call_quick, (void *)fn);
    LibcQuickFn real = (LibcQuickFn)libc_process_next("__cxa_at_quick_exit");
    return real ? real(fn, dso) : -1;
}

void quick_exit(int code)
{
    if (app_world_in_app_code())
        app_launch_quick_exit(code);
    LibcExitFn real = (LibcExitFn)libc_process_next("quick_exit");
    if (real)
        real(code);
    libc_process_exit_group(code);
}
