/* test_app_host_process.c — an app's calls about its process, the machine,
 * the clock and timers (app_host_process.c, model/app/libc_host_process.c,
 * libc_clock_control.c), and its memory calls (app_memory.c,
 * libc_memory.c).
 *
 * The app's output is compared whole with Fuchsia's answers: fixed ids,
 * EPERM for credentials, ENOSYS where Fuchsia has no such call, the
 * simulated CPU count. Each call is made with arguments the host rejects
 * differently, so a missing interposer shows as a different line. After
 * the runs the host still has its own pid, name, CPUs and umask, and no
 * alarm armed. AddressSanitizer builds leave some calls to the host
 * (docs/sdk.md): their lines, and the trace hash, are not compared there. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capsim_host.h"

#define APP_HOST_PROCESS APPS_DIR "/app_host_process.so"
#define APP_MEMORY APPS_DIR "/app_memory.so"

static const char expected[] =
    "getpid: 3\n"
    "getppid: 2\n"
    "getuid geteuid: 23023\n"
    "getgid getegid: 42042\n"
    "getpgrp getpgid: 17017\n"
    "getsid setsid: 19019\n"
    "getresuid: 69\n"
    "getresuid NULL: 14\n"
    "getgroups: 0\n"
    "getgroups NULL: 14\n"
    "setuid: -1 EPERM\n"
    "setgid: -1 EPERM\n"
    "setgroups: -1 EPERM\n"
    "setpgid: -1 EPERM\n"
    "umask 022: 0\n"
    "umask 01777: 18\n"
    "umask 0: 511\n"
    "uname: -1 ENOENT\n"
    "gethostname: -1 ENOENT\n"
    "sethostname: -1 ENOSYS\n"
    "setdomainname: -1 ENOSYS\n"
    "getdomainname: 0\n"
    "getdomainname 0: -1 EINVAL\n"
    "getrlimit: -1 ENOSYS\n"
    "setrlimit: -1 ENOSYS\n"
    "prlimit: -1 ENOSYS\n"
    "getrusage: -1 ENOSYS\n"
    "nice: -1 ENOSYS\n"
    "getpriority: -1 ENOSYS\n"
    "setpriority: -1 ENOSYS\n"
    "sched_setaffinity: -1 ENOSYS\n"
    "sched_getaffinity: -1 ENOSYS\n"
    "sched_setscheduler: -1 ENOSYS\n"
    "sched_getscheduler: -1 ENOSYS\n"
    "sched_get_priority_max: -1 ENOSYS\n"
    "sched_getcpu: -1 ENOSYS\n"
    "pthread_setaffinity_np: 38\n"
    "pthread_setname_np: 38\n"
    "pthread_getattr_np: 38\n"
    "pthread_setschedparam: 38\n"
    "mlock: -1 ENOSYS\n"
    "mlockall: -1 ENOSYS\n"
    "reboot: -1 ENOSYS\n"
    "mount: -1 ENOSYS\n"
    "umount2: -1 ENOSYS\n"
    "swapon: -1 ENOSYS\n"
    "acct: -1 ENOSYS\n"
    "iopl: -1 ENOSYS\n"
    "ioperm: -1 ENOSYS\n"
    "personality: -1 ENOSYS\n"
    "unshare: -1 ENOSYS\n"
    "setns: -1 ENOSYS\n"
    "prctl: -1 ENOSYS\n"
    "ptrace: -1 ENOSYS\n"
    "clone: -1 ENOSYS\n"
    "sysinfo: -1 ENOSYS\n"
    "get_nprocs: -1 ENOSYS\n"
    "getloadavg: -1 ENOSYS\n"
    "mlock2: -1 ENOSYS\n"
    "klogctl: -1 ENOSYS\n"
    "quotactl: -1 ENOSYS\n"
    "capget: -1 ENOSYS\n"
    "capset: -1 ENOSYS\n"
    "vhangup: -1 ENOSYS\n"
    "pidfd_open: -1 ENOSYS\n"
    "pidfd_getfd: -1 ENOSYS\n"
    "pidfd_send_signal: -1 ENOSYS\n"
    "process_vm_readv: -1 ENOSYS\n"
    "process_vm_writev: -1 ENOSYS\n"
    "process_madvise: -1 ENOSYS\n"
    "process_mrelease: -1 ENOSYS\n"
    "fsopen: -1 ENOSYS\n"
    "fsmount: -1 ENOSYS\n"
    "fsconfig: -1 ENOSYS\n"
    "fspick: -1 ENOSYS\n"
    "move_mount: -1 ENOSYS\n"
    "open_tree: -1 ENOSYS\n"
    "mount_setattr: -1 ENOSYS\n"
    "setfsuid: 23\n"
    "setfsgid: 42\n"
    "sysconf cpus: 3003\n"
    "sysconf phys pages > 0: 1\n"
    "sysconf avphys pages: -1 EINVAL\n"
    "sysconf open max: 1024\n"
    "clock_settime realtime: -1 EPERM\n"
    "clock_settime monotonic: -1 EPERM\n"
    "clock_settime process cpu: -1 EINVAL\n"
    "settimeofday with zone: -1 EOPNOTSUPP\n"
    "settimeofday bad: -1 EINVAL\n"
    "adjtime: -1 ENOSYS\n"
    "adjtimex: -1 ENOSYS\n"
    "clock_adjtime: -1 ENOSYS\n"
    "alarm 1000: 0\n"
    "alarm 0: 0\n"
    "ualarm: 0\n"
    "setitimer: -1 ENOSYS\n"
    "getitimer: -1 ENOSYS\n"
    "timer_create: -1 ENOSYS\n"
    "times: -1 ENOSYS\n";

/* In AddressSanitizer builds the calls ASan's runtime makes itself while
 * it starts stay the host's for apps too (libc_host_process.c,
 * SANITIZER_CALLS_THEM; times and clock as the clocks), and ASan's own
 * mlock/mlockall answer 0 before the interposer sees them: their lines
 * say nothing of Fuchsia there, nor are they the same every run. */
static const char *const sanitizer_keeps[] = {
    "getpid", "getppid", "uname", "getrlimit", "setrlimit", "prlimit", "getrusage",
    "sched_getaffinity", "mlock", "mlockall", "personality", "prctl", "sysinfo",
    "get_nprocs", "sysconf cpus", "sysconf avphys pages", "sysconf open max", "times",
};

/* `out` without the lines of the calls this build leaves to the host. */
static char *without_host_lines(const char *out)
{
    char *kept = strdup(out), *to = kept;
    for (const char *line = out; *line;) {
        const char *end = strchrnul(line, '\n');
        bool host = false;
#if defined(__SANITIZE_ADDRESS__)
        size_t label = strcspn(line, ":\n");
        for (size_t i = 0; i < sizeof sanitizer_keeps / sizeof sanitizer_keeps[0]; i++)
            host |= strlen(sanitizer_keeps[i]) == label &&
                    !strncmp(line, sanitizer_keeps[i], label);
#else
        (void)sanitizer_keeps;
#endif
        size_t n = (size_t)(end - line) + (*end == '\n');
        if (!host)
            memcpy(to, line, n), to += n;
        line += n;
    }
    *to = '\0';
    return kept;
}

/* The last line of app_host_process's output is the process's virtual
 * CPU time: the same every run, but it moves with the cost model, so it
 * is checked apart. Cuts it off `out` and returns its value. */
static long cut_clock_line(char *out)
{
    char *line = strstr(out, "clock: ");
    cr_assert_not_null(line, "%s", out);
    long value = strtol(line + strlen("clock: "), NULL, 10);
    *line = '\0';
    return value;
}

/* One run of `app` on 3 simulated CPUs: the output, its trace hash in
 * `hash`. */
static char *run_app(const char *app, uint64_t seed, char hash[33])
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = seed;
    cfg.cpus = 3;
    cfg.budget_ns = 2000000000;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    const char *argv[] = {app, NULL};
    uint64_t p = capsim_spawn_app(s, app, 1, argv, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_return_code(s, p), 0);
    size_t n = capsim_process_output(s, p, 1, NULL, 0);
    char *out = malloc(n + 1);
    capsim_process_output(s, p, 1, out, n + 1);
    capsim_trace_hash(s, hash);
    capsim_system_free(s);
    return out;
}

Test(app_host_process, answers_are_fuchsias_and_the_same_every_run)
{
    char hash[2][33];
    char *a = run_app(APP_HOST_PROCESS, 1, hash[0]);
    char *b = run_app(APP_HOST_PROCESS, 1, hash[1]);
    long clock_a = cut_clock_line(a), clock_b = cut_clock_line(b);
    cr_expect_gt(clock_a, 0);
#if !defined(__SANITIZE_ADDRESS__)
    /* (In ASan builds the host's answers, printed, change the trace.) */
    cr_expect_str_eq(hash[0], hash[1]);
    cr_expect_eq(clock_a, clock_b, "the same virtual CPU time every run");
#else
    (void)clock_b;
#endif
    char *fuchsias = without_host_lines(a), *again = without_host_lines(b);
    char *want = without_host_lines(expected);
    cr_expect_str_eq(fuchsias, want);
    cr_expect_str_eq(again, fuchsias, "the same every run");
    free(fuchsias), free(again), free(want);
    free(a);
    free(b);
}

Test(app_host_process, the_host_keeps_its_identity_and_has_no_alarm)
{
    char hash[33];
    mode_t mask = umask(027);
    free(run_app(APP_HOST_PROCESS, 2, hash));
    cr_expect_eq(umask(mask), 027, "the app's umask reached the host");
    cr_expect_eq(getpid(), (pid_t)syscall(SYS_getpid), "the host's own pid");
    struct utsname u;
    cr_expect_eq(uname(&u), 0);
    cr_expect_str_eq(u.sysname, "Linux");
    cr_expect_gt(sysconf(_SC_NPROCESSORS_ONLN), 0);
    cr_expect_eq(sysconf(_SC_NPROCESSORS_ONLN), get_nprocs(), "the host's CPUs");
    struct itimerval it;
    cr_expect_eq(getitimer(ITIMER_REAL, &it), 0);
    cr_expect_eq(it.it_value.tv_sec + it.it_value.tv_usec, 0, "an alarm reached the host");
    cr_expect_eq(alarm(0), 0u);
}

static const char expected_memory[] =
    "mmap in the root vmar: 1\n"
    "at vmar offset 0\n"
    "a mapping of a VMO named mmap-anonymous: 1\n"
    "mprotect the middle page read-only: 0\n"
    "munmap the last page: 0\n"
    "first page still written: 1\n"
    "MAP_FIXED where asked: 1\n"
    "MAP_FIXED below the vmar: -1 EINVAL\n"
    "len 0: -1 EINVAL\n"
    "private and shared: -1 EINVAL\n"
    "offset not a page: -1 EINVAL\n"
    "munmap its own image: -1 EINVAL\n"
    "mprotect its own stack: -1 EOPNOTSUPP\n"
    "madvise DONTNEED its image: 0\n"
    "image and stack untouched: 1\n"
    "posix_madvise DONTNEED: 0\n"
    "posix_madvise WILLNEED: -1 ENOSYS\n"
    "msync: -1 ENOSYS\n"
    "mremap: -1 ENOSYS\n"
    "sbrk: -1 ENOMEM\n"
    "brk: -1 ENOMEM\n"
    "pkey_alloc: -1 ENOSYS\n"
    "munmap all: 0\n";

/* Before, an app's anonymous mmap was host memory at a different address
 * every run, and its munmap/mprotect/madvise could change any host memory
 * (its image, its stack, the engine). */
Test(app_host_process, memory_calls_stay_in_the_address_space)
{
    char hash[2][33];
    char *a = run_app(APP_MEMORY, 1, hash[0]);
    char *b = run_app(APP_MEMORY, 1, hash[1]);
    cr_expect_str_eq(a, expected_memory);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(hash[0], hash[1]);
    free(a);
    free(b);
}
