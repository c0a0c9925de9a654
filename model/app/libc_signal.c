/* libc_signal.c — POSIX signals, interposed for apps.
 *
 * Models: what a Fuchsia process gets from its libc's signal calls. Zircon
 * has no POSIX signals (faults are exceptions, delivered on exception
 * channels: model/exception.c), and Fuchsia's libc answers them so:
 *
 *   signal, bsd_signal, sysv_signal,   SIG_ERR, errno ENOSYS
 *     __sysv_signal, sigset
 *   sigaction, raise                   -1, errno ENOSYS
 *   sigaltstack                        setting one: -1, errno ENOSYS; a
 *                                      query (ss NULL) is answered (below)
 *   kill, killpg                       -1, errno EPERM
 *   pthread_kill                       ENOSYS
 *   sigprocmask, pthread_sigmask       a bad `how`: EINVAL (-1 and errno
 *                                      for sigprocmask); else success with
 *                                      no effect; *old, if given, is the
 *                                      empty set (nothing is ever blocked)
 *
 * Why it matters here: every simulated process shares the host process's
 * signal dispositions, its one host thread's mask and alternate stack. The
 * engine contains app faults with its own SIGSEGV/SIGBUS/SIGILL/SIGFPE/
 * SIGABRT handler on that stack (sim/fault.c); an app replacing it, masking
 * SIGSEGV, moving the stack or signalling the host would break containment
 * for every process. Here none of that can happen from app code: a fault
 * after any of these calls is still an exception of the faulting process.
 *
 * The rule, as in libc_process.c: called from app code of a simulated
 * process (app_world_in_app_code(): not the kernel code serving it) the
 * Fuchsia answer, otherwise libc's own (dlsym RTLD_NEXT), so the host —
 * the engine installing its handlers, Python, the CLI — is unaffected. Apps reach these first because
 * they link libcapsim before libc and are loaded with RTLD_DEEPBIND.
 *
 * Left out: raw syscalls (syscall(SYS_rt_sigaction...)), which bypass libc
 * altogether; sigsuspend, sigwait and pause (they would block the host
 * thread). libcapsim's own abort() raises the real SIGABRT through
 * libc_signal_host_raise. Read next: libc_io.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>

#include "app_world.h"

typedef void (*LibcSigHandler)(int);
typedef LibcSigHandler (*LibcSignalFn)(int, LibcSigHandler);
typedef int (*LibcSigactionFn)(int, const struct sigaction *, struct sigaction *);
typedef int (*LibcSigaltstackFn)(const stack_t *, stack_t *);
typedef int (*LibcIntFn)(int);
typedef int (*LibcKillFn)(pid_t, int);
typedef int (*LibcPthreadKillFn)(pthread_t, int);
typedef int (*LibcSigmaskFn)(int, const sigset_t *, sigset_t *);

static void *libc_signal_next(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static LibcSigHandler libc_signal_refuse_handler(void)
{
    errno = ENOSYS;
    return SIG_ERR;
}

static int libc_signal_refuse(int err)
{
    errno = err;
    return -1;
}

static LibcSigHandler libc_signal_forward(const char *name, int sig, LibcSigHandler fn)
{
    LibcSignalFn real = (LibcSignalFn)libc_signal_next(name);
    if (!real)
        return libc_signal_refuse_handler();
    return real(sig, fn);
}

/* signal() and its historical spellings: refused for apps, libc's for the
 * host. __sysv_signal is what signal() means under strict -std=c17. */
#define LIBC_SIGNAL_INTERPOSE(name)                                          \
    LibcSigHandler name(int sig, LibcSigHandler fn)                          \
    {                                                                        \
        return app_world_in_app_code() ? libc_signal_refuse_handler()           \
                                    : libc_signal_forward(#name, sig, fn);   \
    }

LIBC_SIGNAL_INTERPOSE(signal)
LIBC_SIGNAL_INTERPOSE(bsd_signal)
LIBC_SIGNAL_INTERPOSE(sysv_signal)
LIBC_SIGNAL_INTERPOSE(__sysv_signal)
LIBC_SIGNAL_INTERPOSE(sigset)

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (app_world_in_app_code())
        return libc_signal_refuse(ENOSYS);
    LibcSigactionFn real = (LibcSigactionFn)libc_signal_next("sigaction");
    return real ? real(sig, act, old) : libc_signal_refuse(ENOSYS);
}

/* A query changes nothing and is answered even for an app's thread:
 * sanitizer runtimes ask it on the thread's behalf (ASan, before every
 * noreturn call, to know whether it runs on the alternate stack). */
int sigaltstack(const stack_t *ss, stack_t *old)
{
    if (ss && app_world_in_app_code())
        return libc_signal_refuse(ENOSYS);
    LibcSigaltstackFn real = (LibcSigaltstackFn)libc_signal_next("sigaltstack");
    return real ? real(ss, old) : libc_signal_refuse(ENOSYS);
}

int libc_signal_host_raise(int sig)
{
    LibcIntFn real = (LibcIntFn)libc_signal_next("raise");
    return real ? real(sig) : libc_signal_refuse(ENOSYS);
}

int raise(int sig)
{
    if (app_world_in_app_code())
        return libc_signal_refuse(ENOSYS);
    return libc_signal_host_raise(sig);
}

int kill(pid_t pid, int sig)
{
    if (app_world_in_app_code())
        return libc_signal_refuse(EPERM);
    LibcKillFn real = (LibcKillFn)libc_signal_next("kill");
    return real ? real(pid, sig) : libc_signal_refuse(ENOSYS);
}

int killpg(pid_t group, int sig)
{
    if (app_world_in_app_code())
        return libc_signal_refuse(EPERM);
    LibcKillFn real = (LibcKillFn)libc_signal_next("killpg");
    return real ? real(group, sig) : libc_signal_refuse(ENOSYS);
}

int pthread_kill(pthread_t thread, int sig)
{
    if (app_world_in_app_code())
        return ENOSYS;
    LibcPthreadKillFn real = (LibcPthreadKillFn)libc_signal_next("pthread_kill");
    return real ? real(thread, sig) : ENOSYS;
}

/* An app's mask call: checked, then nothing (0 or an error number). */
static int libc_signal_app_mask(int how, sigset_t *old)
{
    if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
        return EINVAL;
    if (old)
        sigemptyset(old);
    return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    if (app_world_in_app_code())
        return libc_signal_app_mask(how, old);
    LibcSigmaskFn real = (LibcSigmaskFn)libc_signal_next("pthread_sigmask");
    return real ? real(how, set, old) : ENOSYS;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    if (app_world_in_app_code()) {
        int err = libc_signal_app_mask(how, old);
        return err ? libc_signal_refuse(err) : 0;
    }
    LibcSigmaskFn real = (LibcSigmaskFn)libc_signal_next("sigprocmask");
    return real ? real(how, set, old) : libc_signal_refuse(ENOSYS);
}
