/* app_signals.c — an app that tries to take over POSIX signals. argv[1]:
 *   install  signal()/sigaction() handlers for SIGSEGV, SIGBUS, SIGFPE,
 *            SIGILL, SIGABRT, a blocked SIGSEGV (sigprocmask), a private
 *            alternate signal stack, then raise(SIGSEGV) and kill(); prints
 *            what each call answered, returns 0
 *   fault    the same, then dereferences a bad pointer
 *   waits    the calls that wait for a signal or a child, send one by
 *            number, or change one signal's mask or disposition: each must
 *            answer at once, as Fuchsia's libc does, never block the host
 *            thread, signal a host process or reap a host child
 * Fuchsia has no POSIX signals: each call must fail (or, for the masks, do
 * nothing) and never touch the host's handlers. Were a handler installed,
 * it would end the whole host process with status 99. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void signals_take_over(int sig)
{
    (void)sig;
    syscall(SYS_exit_group, 99);
}

static void signals_action(int sig, siginfo_t *si, void *uc)
{
    (void)si, (void)uc;
    signals_take_over(sig);
}

static const char *signals_errno(int e)
{
    return e == ENOSYS ? "ENOSYS" : e == EPERM ? "EPERM" : e == EINVAL ? "EINVAL" : "other";
}

static void signals_install(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        errno = 0;
        void (*old)(int) = signal(sigs[i], signals_take_over);
        int e = errno;
        printf("signal(%s): %s %s\n", strsignal(sigs[i]), old == SIG_ERR ? "SIG_ERR" : "installed",
               signals_errno(e));
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = signals_action;
        sa.sa_flags = SA_SIGINFO;
        errno = 0;
        int ret = sigaction(sigs[i], &sa, NULL);
        e = errno;
        printf("sigaction(%s): %d %s\n", strsignal(sigs[i]), ret, signals_errno(e));
    }
    /* What signal() compiles to under strict -std=c17. */
    errno = 0;
    void (*sysv)(int) = __sysv_signal(SIGSEGV, signals_take_over);
    int e = errno;
    printf("__sysv_signal: %s %s\n", sysv == SIG_ERR ? "SIG_ERR" : "installed", signals_errno(e));
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGSEGV);
    sigemptyset(&old);
    sigaddset(&old, SIGBUS);
    int r = sigprocmask(SIG_BLOCK, &block, &old);
    printf("sigprocmask(SIG_BLOCK, SEGV): %d, old mask has SIGBUS: %d\n", r,
           sigismember(&old, SIGBUS));
    printf("pthread_sigmask(SIG_BLOCK, SEGV): %d\n", pthread_sigmask(SIG_BLOCK, &block, NULL));
    errno = 0;
    r = sigprocmask(12345, &block, NULL);
    printf("sigprocmask(bad how): %d %s\n", r, signals_errno(errno));
    static char alt[1 << 16];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
    errno = 0;
    r = sigaltstack(&ss, NULL);
    printf("sigaltstack: %d %s\n", r, signals_errno(errno));
    errno = 0;
    r = raise(SIGSEGV);
    printf("raise(SIGSEGV): %d %s\n", r, signals_errno(errno));
    errno = 0;
    r = kill(getpid(), SIGKILL);
    printf("kill(self, SIGKILL): %d %s\n", r, signals_errno(errno));
    printf("pthread_kill(self, SIGSEGV): %s\n",
           signals_errno(pthread_kill(pthread_self(), SIGSEGV)));
    fflush(stdout);
}

/* One line per call: its result and errno, named. */
static void signals_said(const char *call, long ret)
{
    int e = errno;
    printf("%s: %ld %s\n", call, ret, e ? signals_errno(e) : "-");
    errno = 0;
}

static void signals_waits(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    errno = 0;
    signals_said("pause", pause());
    signals_said("sigsuspend", sigsuspend(&set));
    int sig = -1;
    signals_said("sigwait", sigwait(&set, &sig));
    printf("sigwait's signal: %d\n", sig);
    siginfo_t si;
    memset(&si, 0xff, sizeof si);
    signals_said("sigwaitinfo", sigwaitinfo(&set, &si));
    printf("sigwaitinfo's si_signo: %d\n", si.si_signo);
    struct timespec soon = {0, 1000};
    signals_said("sigtimedwait", sigtimedwait(&set, NULL, &soon));
    sigfillset(&set);
    signals_said("sigpending", sigpending(&set));
    printf("pending SIGINT: %d\n", sigismember(&set, SIGINT));
    /* Signals by number (0: only asks whether the target exists); 1 is the
     * host's init, Fuchsia's getpid() some host process too. */
    signals_said("sigqueue(1, 0)", sigqueue(1, 0, (union sigval){0}));
    signals_said("tgkill(self, 0)", tgkill(getpid(), getpid(), 0));
    printf("pthread_sigqueue(self, 0): %s\n",
           signals_errno(pthread_sigqueue(pthread_self(), 0, (union sigval){0})));
    /* System V's calls, deprecated but still in glibc. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    signals_said("sighold(SIGSEGV)", sighold(SIGSEGV));
    signals_said("sigrelse(SIGSEGV)", sigrelse(SIGSEGV));
    signals_said("sigignore(SIGSEGV)", sigignore(SIGSEGV));
    signals_said("siginterrupt(SIGSEGV, 1)", siginterrupt(SIGSEGV, 1));
#pragma GCC diagnostic pop
    int status;
    signals_said("wait", wait(&status));
    signals_said("waitpid(-1)", waitpid(-1, &status, WNOHANG));
    signals_said("waitid(P_ALL)", waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
    struct rusage ru;
    signals_said("wait3", wait3(&status, WNOHANG, &ru));
    signals_said("wait4(-1)", wait4(-1, &status, WNOHANG, &ru));
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "install";
    if (!strcmp(what, "waits")) {
        signals_waits();
        return 0;
    }
    signals_install();
    if (!strcmp(what, "fault")) {
        volatile uintptr_t addr = 24;
        *(volatile int *)addr = 1;
    }
    return 0;
}
