/* app_host_process.c — what an app gets from libc's calls about its
 * process and the machine (model/app/libc_host_process.c) and about
 * setting the clock and arming timers (model/app/libc_clock_control.c).
 *
 * Prints one line per call: the value and, for -1, errno's name. Every
 * call that would change something on the host is made with arguments the
 * host's kernel rejects (reboot with a bad magic, setuid(-1), a negative
 * nanosecond...), so that if an interposer were missing the test would see
 * the host's different error and nothing would change. */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/io.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/quota.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "app_show.h"

/* libc's, declared by no glibc header */
int capget(void *header, void *data);
int capset(void *header, const void *data);

/* If clone reached the host, a child process would run this and end. */
static char clone_stack[16384] __attribute__((aligned(16)));
static int clone_child(void *arg)
{
    return 0;
}

/* NULL where libc's headers say non-null, out of the compiler's sight. */
static void *volatile nowhere;

int main(void)
{
    SHOW("getpid", getpid());
    SHOW("getppid", getppid());
    SHOW("getuid geteuid", getuid() * 1000 + geteuid());
    SHOW("getgid getegid", getgid() * 1000 + getegid());
    SHOW("getpgrp getpgid", getpgrp() * 1000 + getpgid(0));
    SHOW("getsid setsid", getsid(0) * 1000 + setsid());
    uid_t ru, eu, su;
    gid_t groups[4];
    SHOW("getresuid", getresuid(&ru, &eu, &su) + ru + eu + su);
    SHOW("getresuid NULL", getresuid(NULL, &eu, &su));
    SHOW("getgroups", getgroups(4, groups));
    SHOW("getgroups NULL", getgroups(0, NULL));
    SHOW("setuid", setuid((uid_t)-1));
    SHOW("setgid", setgid((gid_t)-1));
    SHOW("setgroups", setgroups(SIZE_MAX, NULL));
    SHOW("setpgid", setpgid(-1, 0));

    struct utsname u;
    char name[64] = "unchanged";
    SHOW("umask 022", umask(022));
    SHOW("umask 01777", umask(01777));
    SHOW("umask 0", umask(0));
    SHOW("uname", uname(&u));
    SHOW("gethostname", gethostname(name, sizeof name));
    SHOW("sethostname", sethostname(nowhere, 100000));
    SHOW("setdomainname", setdomainname(nowhere, 100000));
    SHOW("getdomainname", getdomainname(name, sizeof name) + (long)strlen(name));
    SHOW("getdomainname 0", getdomainname(name, 0));

    struct rlimit rl = {0, 0};
    struct rusage ru_;
    SHOW("getrlimit", getrlimit(RLIMIT_NOFILE, &rl));
    SHOW("setrlimit", setrlimit((__rlimit_resource_t)9999, &rl));
    SHOW("prlimit", prlimit(0, (__rlimit_resource_t)9999, NULL, NULL));
    SHOW("getrusage", getrusage(RUSAGE_SELF, &ru_));
    SHOW("nice", nice(0));
    SHOW("getpriority", getpriority(PRIO_PROCESS, 0));
    SHOW("setpriority", setpriority((__priority_which_t)99, 0, 0));

    cpu_set_t set;
    struct sched_param sp = {0};
    pthread_attr_t attr;
    SHOW("sched_setaffinity", sched_setaffinity(0, 0, nowhere));
    SHOW("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
    SHOW("sched_setscheduler", sched_setscheduler(0, 99, &sp));
    SHOW("sched_getscheduler", sched_getscheduler(0));
    SHOW("sched_get_priority_max", sched_get_priority_max(SCHED_FIFO));
    SHOW("sched_getcpu", sched_getcpu());
    SHOW("pthread_setaffinity_np", pthread_setaffinity_np(pthread_self(), 0, nowhere));
    SHOW("pthread_setname_np", pthread_setname_np(pthread_self(), "renamed"));
    SHOW("pthread_getattr_np", pthread_getattr_np(pthread_self(), &attr));
    SHOW("pthread_setschedparam", pthread_setschedparam(pthread_self(), 99, &sp));

    struct sysinfo si;
    double loads[3];
    SHOW("mlock", mlock(NULL, 0));
    SHOW("mlockall", mlockall(0));
    SHOW("reboot", reboot(0x1234));
    SHOW("mount", mount(nowhere, nowhere, nowhere, 0, NULL));
    SHOW("umount2", umount2("", 0xffff));
    SHOW("swapon", swapon("", 0));
    SHOW("acct", acct(""));
    SHOW("iopl", iopl(99));
    SHOW("ioperm", ioperm(0x10000, 1, 1));
    SHOW("personality", personality(0xffffffff));
    SHOW("unshare", unshare(0));
    SHOW("setns", setns(-1, 0));
    SHOW("prctl", prctl(-1, 0, 0, 0, 0));
    SHOW("ptrace", ptrace((enum __ptrace_request)-1, 0, NULL, NULL));
    SHOW("clone", clone(clone_child, clone_stack + sizeof clone_stack, 0, NULL));
    SHOW("sysinfo", sysinfo(&si));
    SHOW("get_nprocs", get_nprocs());
    SHOW("getloadavg", getloadavg(loads, 3));
    SHOW("mlock2", mlock2(NULL, 0, 0xffff));
    SHOW("klogctl", klogctl(-1, NULL, 0));
    SHOW("quotactl", quotactl(0, NULL, 0, NULL));
    SHOW("capget", capget(NULL, NULL));
    SHOW("capset", capset(NULL, NULL));
    SHOW("vhangup", vhangup());
    SHOW("pidfd_open", pidfd_open(-1, 0));
    SHOW("pidfd_getfd", pidfd_getfd(-1, -1, 0));
    SHOW("pidfd_send_signal", pidfd_send_signal(-1, 0, NULL, 0));
    SHOW("process_vm_readv", process_vm_readv(-1, NULL, 0, NULL, 0, 0));
    SHOW("process_vm_writev", process_vm_writev(-1, NULL, 0, NULL, 0, 0));
    SHOW("process_madvise", process_madvise(-1, NULL, 0, 0, 0));
    SHOW("process_mrelease", process_mrelease(-1, 0));
    SHOW("fsopen", fsopen("", 0xffffffff));
    SHOW("fsmount", fsmount(-1, 0xffffffff, 0));
    SHOW("fsconfig", fsconfig(-1, 0xffffffff, NULL, NULL, 0));
    SHOW("fspick", fspick(-1, "", 0xffffffff));
    SHOW("move_mount", move_mount(-1, "", -1, "", 0xffffffff));
    SHOW("open_tree", open_tree(-1, "", 0xffffffff));
    SHOW("mount_setattr", mount_setattr(-1, "", 0xffffffff, NULL, 0));
    SHOW("setfsuid", setfsuid(-1));
    SHOW("setfsgid", setfsgid(-1));

    SHOW("sysconf cpus", sysconf(_SC_NPROCESSORS_ONLN) * 1000 + sysconf(_SC_NPROCESSORS_CONF));
    SHOW("sysconf phys pages > 0", sysconf(_SC_PHYS_PAGES) > 0);
    SHOW("sysconf avphys pages", sysconf(_SC_AVPHYS_PAGES));
    SHOW("sysconf open max", sysconf(_SC_OPEN_MAX));

    struct timespec bad = {0, -1}, ok = {1, 0};
    struct timeval badtv = {0, -1};
    struct timezone tz = {0, 0};
    struct timex tx = {.modes = 0};
    SHOW("clock_settime realtime", clock_settime(CLOCK_REALTIME, &bad));
    SHOW("clock_settime monotonic", clock_settime(CLOCK_MONOTONIC, &ok));
    SHOW("clock_settime process cpu", clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ok));
    SHOW("settimeofday with zone", settimeofday(&badtv, &tz));
    SHOW("settimeofday bad", settimeofday(&badtv, NULL));
    SHOW("adjtime", adjtime(NULL, &badtv));
    SHOW("adjtimex", adjtimex(&tx));
    SHOW("clock_adjtime", clock_adjtime(CLOCK_REALTIME, &tx));

    struct itimerval it;
    struct sigevent sev = {.sigev_notify = SIGEV_NONE};
    timer_t tid;
    struct tms tms;
    SHOW("alarm 1000", alarm(1000));
    SHOW("alarm 0", alarm(0));
    SHOW("ualarm", ualarm(0, 0));
    SHOW("setitimer", setitimer((__itimer_which_t)99, NULL, NULL));
    SHOW("getitimer", getitimer(ITIMER_REAL, &it));
    SHOW("timer_create", timer_create(CLOCK_MONOTONIC, &sev, &tid));
    SHOW("times", times(&tms));
    SHOW("clock", clock());
    return 0;
}
