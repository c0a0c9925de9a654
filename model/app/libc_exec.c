/* libc_exec.c — host process creation, refused to apps.
 *
 * Models: Zircon has no fork and no exec; a Fuchsia program starts another
 * program with fdio_spawn (here: capsim_spawn, model/app/app_spawn.c).
 * Without these interposers an app's system("...") or popen ran a REAL
 * host shell, and fork() copied the whole simulator: the host's file
 * system, processes and the run's determinism were all in reach. From app
 * code of a simulated process (app_world_in_app_code()):
 *
 *   fork, vfork, _Fork, daemon           -1, errno ENOSYS (vfork is fork for
 *                                        the host too: a wrapper cannot
 *                                        return twice on one stack)
 *   clone                                -1, errno ENOSYS (it made a host
 *                                        thread or process running app
 *                                        code outside the simulation)
 *   execve, execv, execvp, execvpe,      -1, errno ENOSYS
 *     execl, execlp, execle, fexecve,
 *     execveat
 *   posix_spawn, posix_spawnp            ENOSYS (returned: they report
 *                                        errors as their result)
 *   system                               NULL command: 0 (no shell is
 *                                        available); else -1, errno ENOSYS
 *   popen                                NULL, errno ENOSYS
 *   wordexp                              Fuchsia's (musl's) answer: it runs
 *                                        /bin/sh, so it fails for want of
 *                                        fork: WRDE_NOSPACE, after
 *                                        WRDE_REUSE's wordfree and
 *                                        WRDE_NOCMD's checks (WRDE_BADCHAR,
 *                                        WRDE_CMDSUB); without WRDE_APPEND
 *                                        the result is empty. glibc's ran
 *                                        a REAL host shell for "$(...)"
 *   wordfree                             frees with the app's free()
 *   forkpty                              -1, errno ENOSYS (a fork)
 *   wait, waitpid, waitid, wait3, wait4  -1, errno ENOSYS (Fuchsia's; a
 *                                        program waits for ZX_PROCESS_TERMINATED
 *                                        on the process handle). glibc's
 *                                        reaped the HOST's children: a
 *                                        Python host's subprocess, a test
 *                                        runner's worker
 *
 * Everyone else (the host, the engine, kernel code serving an app thread)
 * gets libc's own. Left out: raw system calls (clone3 has no libc
 * wrapper). Read next:
 * libc_signal.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include "app_world.h"
#include "libc_next.h"

/* A call refused with -1/ENOSYS in app code, libc's otherwise. */
#define LIBC_EXEC_REFUSE(name, params, args)                                   \
    LIBC_REFUSED(app_world_in_app_code(), int, -1, ENOSYS, name, params, args)

LIBC_EXEC_REFUSE(daemon, (int nochdir, int noclose), (nochdir, noclose))
LIBC_EXEC_REFUSE(execve, (const char *p, char *const a[], char *const e[]), (p, a, e))
LIBC_EXEC_REFUSE(execv, (const char *p, char *const a[]), (p, a))
LIBC_EXEC_REFUSE(execvp, (const char *p, char *const a[]), (p, a))
LIBC_EXEC_REFUSE(execvpe, (const char *p, char *const a[], char *const e[]), (p, a, e))
LIBC_EXEC_REFUSE(fexecve, (int fd, char *const a[], char *const e[]), (fd, a, e))
LIBC_EXEC_REFUSE(execveat, (int fd, const char *p, char *const a[], char *const e[], int fl),
                 (fd, p, a, e, fl))

LIBC_EXEC_REFUSE(wait, (int *status), (status))
LIBC_EXEC_REFUSE(waitpid, (pid_t pid, int *status, int options), (pid, status, options))
LIBC_EXEC_REFUSE(waitid, (idtype_t type, id_t id, siginfo_t *info, int options),
                 (type, id, info, options))
LIBC_EXEC_REFUSE(wait3, (int *status, int options, struct rusage *usage), (status, options, usage))
LIBC_EXEC_REFUSE(wait4, (pid_t pid, int *status, int options, struct rusage *usage),
                 (pid, status, options, usage))

LIBC_NEXT_SLOT(fork);
pid_t fork(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(pid_t (*)(void), fork)();
    errno = ENOSYS;
    return -1;
}

pid_t vfork(void)
{
    return fork();   /* the host's vfork would share this stack: its fork */
}

/* clone(fn, stack, flags, arg, ...): libc's takes parent_tid, tls and
 * child_tid after arg. */
LIBC_NEXT_SLOT(clone);
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    if (app_world_in_app_code()) {
        errno = ENOSYS;
        return -1;
    }
    va_list ap;
    va_start(ap, arg);
    void *parent_tid = va_arg(ap, void *), *tls = va_arg(ap, void *);
    void *child_tid = va_arg(ap, void *);
    va_end(ap);
    return LIBC_NEXT(int (*)(int (*)(void *), void *, int, void *, ...), clone)(
        fn, stack, flags, arg, parent_tid, tls, child_tid);
}

LIBC_NEXT_SLOT(_Fork);
pid_t _Fork(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(pid_t (*)(void), _Fork)();
    errno = ENOSYS;
    return -1;
}

/* The list forms: refused in app code; the host's calls become execve or
 * execvpe with the list collected. */
static int libc_exec_list(const char *path, const char *arg, va_list ap, bool with_env,
                          bool search)
{
    va_list count;
    va_copy(count, ap);
    size_t n = 1;
    while (arg && va_arg(count, char *) != NULL)
        n++;
    va_end(count);
    char *argv[n + 1];
    argv[0] = (char *)arg;
    for (size_t i = 1; i < n; i++)
        argv[i] = va_arg(ap, char *);
    argv[n] = NULL;
    if (arg && n > 0)
        (void)va_arg(ap, char *);   /* the terminating NULL */
    char *const *envp = with_env ? va_arg(ap, char *const *) : environ;
    if (app_world_in_app_code()) {
        errno = ENOSYS;
        return -1;
    }
    return search ? execvpe(path, argv, envp) : execve(path, argv, envp);
}

int execl(const char *path, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int r = libc_exec_list(path, arg, ap, false, false);
    va_end(ap);
    return r;
}

int execlp(const char *file, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int r = libc_exec_list(file, arg, ap, false, true);
    va_end(ap);
    return r;
}

int execle(const char *path, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int r = libc_exec_list(path, arg, ap, true, false);
    va_end(ap);
    return r;
}

typedef int (*LibcSpawnFn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                           const posix_spawnattr_t *, char *const[], char *const[]);

LIBC_NEXT_SLOT(posix_spawn);
int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(LibcSpawnFn, posix_spawn)(pid, path, fa, attr, argv, envp);
    return ENOSYS;
}

LIBC_NEXT_SLOT(posix_spawnp);
int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(LibcSpawnFn, posix_spawnp)(pid, file, fa, attr, argv, envp);
    return ENOSYS;
}

LIBC_NEXT_SLOT(system);
int system(const char *command)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *), system)(command);
    if (!command)
        return 0;
    errno = ENOSYS;
    return -1;
}

LIBC_NEXT_SLOT(popen);
FILE *popen(const char *command, const char *mode)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(FILE * (*)(const char *, const char *), popen)(command, mode);
    errno = ENOSYS;
    return NULL;
}

LIBC_EXEC_REFUSE(forkpty, (int *amaster, char *name, const void *termp, const void *winp),
                 (amaster, name, termp, winp))

/* WRDE_NOCMD's check, as musl's: a character the shell would act on
 * outside quotes (WRDE_BADCHAR) or a command substitution outside single
 * quotes (WRDE_CMDSUB); 0 when the words hold neither. Arithmetic
 * "$((...))" may hold any of them. */
static int libc_wordexp_nocmd(const char *s)
{
    bool single = false, dbl = false;
    size_t parens = 0;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (c == '\\' && !single && s[i + 1]) {
            i++;
        } else if (c == '\'' && !dbl) {
            single = !single;
        } else if (c == '"' && !single) {
            dbl = !dbl;
        } else if (c == '(' && parens) {
            parens++;
        } else if (c == ')' && parens) {
            parens--;
        } else if (c == '$' && !single && s[i + 1] == '(' && s[i + 2] == '(') {
            parens += 2;
            i += 2;
        } else if ((c == '$' && !single && s[i + 1] == '(') || (c == '`' && !single)) {
            return WRDE_CMDSUB;
        } else if (strchr("\n|&;<>(){}", c) && !single && !dbl && !parens) {
            return WRDE_BADCHAR;
        }
    }
    return 0;
}

LIBC_NEXT_SLOT(wordfree);
void wordfree(wordexp_t *we)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(wordexp_t *), wordfree)(we);
        return;
    }
    if (!we->we_wordv)
        return;
    for (size_t i = 0; i < we->we_wordc; i++)
        free(we->we_wordv[we->we_offs + i]);
    free(we->we_wordv);
    we->we_wordv = NULL;
    we->we_wordc = 0;
}

LIBC_NEXT_SLOT(wordexp);
int wordexp(const char *words, wordexp_t *we, int flags)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, wordexp_t *, int), wordexp)(words, we, flags);
    if (flags & WRDE_REUSE)
        wordfree(we);
    if (flags & WRDE_NOCMD) {
        int bad = libc_wordexp_nocmd(words);
        if (bad)
            return bad;
    }
    if (!(flags & WRDE_DOOFFS))
        we->we_offs = 0;
    if (!(flags & WRDE_APPEND)) {
        we->we_wordc = 0;
        we->we_wordv = NULL;
    }
    return WRDE_NOSPACE;
}
