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
 *   pause                              0 after a zero-length sleep (musl's
 *                                      poll(NULL, 0, 0)): no signal can
 *                                      come, and it enters the kernel
 *   sigsuspend, __sigpause (sigpause), 0 at once: there is nothing to wait
 *     __xpg_sigpause, sigtimedwait,     for. sigwait's *sig is 0 and
 *     sigwaitinfo, sigwait              sigwaitinfo's siginfo zeroed (musl's
 *                                       leave them unset)
 *   sigpending                         0, the set empty
 *   sigqueue                           0, nothing sent (musl's)
 *   tgkill, sighold, sigrelse,         -1, errno ENOSYS (not in Fuchsia's
 *     sigignore, siginterrupt          libc)
 *   pthread_sigqueue                   ENOSYS
 *   psiginfo                           musl's: "MSG: " and strsignal of
 *                                      si_signo on the process's stderr
 *                                      (glibc's wrote past stdio to the
 *                                      HOST's descriptor 2)
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
 * Before, the waits reached the host: pause and sigsuspend stopped the
 * whole simulator until some host signal came, sigwait hung it for good;
 * sigqueue and tgkill signalled HOST processes and threads by number; and
 * sighold, sigignore and siginterrupt changed the host thread's mask and
 * dispositions, which the engine's fault handling relies on.
 *
 * Left out: raw syscalls (syscall(SYS_rt_sigaction...)), which bypass libc
 * altogether. libcapsim's own abort() raises the real SIGABRT through
 * libc_signal_host_raise. Read next: libc_io.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "app_world.h"
#include "libc_next.h"

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

/* The waits for a signal: none can come, so each answers at once as
 * Fuchsia's libc does; pause sleeps for no time first, as its poll does. */
LIBC_NEXT_SLOT(pause);
int pause(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(void), pause)();
    struct timespec none = {0, 0};
    nanosleep(&none, NULL);
    return 0;
}

LIBC_ANSWERED(app_world_in_app_code(), int, 0, sigsuspend, (const sigset_t *mask), (mask))
LIBC_ANSWERED(app_world_in_app_code(), int, 0, __sigpause, (int sig, int is_sig), (sig, is_sig))
LIBC_ANSWERED(app_world_in_app_code(), int, 0, __xpg_sigpause, (int sig), (sig))
LIBC_ANSWERED(app_world_in_app_code(), int, 0, sigqueue, (pid_t pid, int sig, const union sigval v),
              (pid, sig, v))

LIBC_NEXT_SLOT(sigtimedwait);
int sigtimedwait(const sigset_t *mask, siginfo_t *info, const struct timespec *timeout)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const sigset_t *, siginfo_t *, const struct timespec *),
                         sigtimedwait)(mask, info, timeout);
    if (info)
        memset(info, 0, sizeof *info);
    return 0;
}

int sigwaitinfo(const sigset_t *mask, siginfo_t *info)
{
    return sigtimedwait(mask, info, NULL);
}

LIBC_NEXT_SLOT(sigwait);
int sigwait(const sigset_t *mask, int *sig)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const sigset_t *, int *), sigwait)(mask, sig);
    *sig = 0;
    return 0;
}

LIBC_NEXT_SLOT(sigpending);
int sigpending(sigset_t *set)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(sigset_t *), sigpending)(set);
    sigemptyset(set);
    return 0;
}

LIBC_ABSENT(int, -1, tgkill, (pid_t tgid, pid_t tid, int sig), (tgid, tid, sig))
LIBC_ABSENT(int, -1, sighold, (int sig), (sig))
LIBC_ABSENT(int, -1, sigrelse, (int sig), (sig))
LIBC_ABSENT(int, -1, sigignore, (int sig), (sig))
LIBC_ABSENT(int, -1, siginterrupt, (int sig, int flag), (sig, flag))

LIBC_NEXT_SLOT(pthread_sigqueue);
int pthread_sigqueue(pthread_t thread, int sig, const union sigval v)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(pthread_t, int, const union sigval), pthread_sigqueue)(thread,
                                                                                     sig, v);
    return ENOSYS;
}

LIBC_NEXT_SLOT(psiginfo);
void psiginfo(const siginfo_t *si, const char *msg)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(const siginfo_t *, const char *), psiginfo)(si, msg);
        return;
    }
    const char *name = strsignal(si->si_signo);
    if (msg)
        fprintf(stderr, "%s: %s\n", msg, name);
    else
        fprintf(stderr, "%s\n", name);
}
