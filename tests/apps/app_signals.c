/* app_signals.c — an app that tries to take over POSIX signals. argv[1]:
 *   install  signal()/sigaction() handlers for SIGSEGV, SIGBUS, SIGFPE,
 *            SIGILL, SIGABRT, a blocked SIGSEGV (sigprocmask), a private
 *            alternate signal stack, then raise(SIGSEGV) and kill(); prints
 *            what each call answered, returns 0
 *   fault    the same, then dereferences a bad pointer
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
#include <sys/syscall.h>
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

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "install";
    signals_install();
    if (!strcmp(what, "fault")) {
        volatile uintptr_t addr = 24;
        *(volatile int *)addr = 1;
    }
    return 0;
}
