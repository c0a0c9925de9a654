/* libc_host_process.c — the host process's identity and controls, as a
 * Fuchsia process sees them.
 *
 * Models: what a Fuchsia program gets from libc's calls about "the
 * process": its ids, its limits, its scheduling, the machine's name, and
 * the Linux calls that change the system. Every simulated process shares
 * ONE host process, so without these an app read the host's pid, uid and
 * hostname (output that differs between runs and machines), and worse,
 * changed the host for everyone: setuid, setrlimit, nice or
 * sched_setaffinity applied to the simulator itself, and under root (a
 * container, CI) sethostname, mount, swapon or reboot reached the machine.
 * A capsim pthread_t is not glibc's, so glibc's pthread_*_np calls given
 * one read and wrote the wrong memory.
 *
 * The answers are Fuchsia's libc's (its stubs for ids, musl's ENOSYS
 * stubs, fdio's uname), or ENOSYS where Fuchsia has no such function:
 *
 *   getpid 3, getppid 2, getuid/geteuid 23, getgid/getegid 42,
 *   getpgrp/getpgid 17, getsid/setsid 19     Fuchsia's fixed ids
 *   getresuid, getresgid      23 / 42 in all three; a NULL pointer: the
 *                             value EFAULT, errno untouched (as Fuchsia)
 *   getgroups                 0 (no groups); a NULL list: the value EFAULT
 *   setuid, seteuid, setreuid, setresuid, setgid, setegid, setregid,
 *   setresgid, setgroups, setpgid, setpgrp
 *                             -1, EPERM (Fuchsia's setegid stub returns its
 *                             argument; EPERM here, like its siblings;
 *                             initgroups is libc_users.c's, EPERM too)
 *   uname, gethostname        -1, ENOENT: Fuchsia's take the node name from
 *                             the fuchsia.device.NameProvider service, which
 *                             no simulated process is given
 *   getdomainname             "" (len 0: EINVAL)
 *   sethostname, setdomainname, acct, mlock, munlock, mlockall, munlockall,
 *   sched_setaffinity, sched_getaffinity, sched_setscheduler,
 *   sched_getscheduler, sched_setparam, sched_getparam,
 *   sched_get_priority_max/min, sched_rr_get_interval, sched_getcpu
 *                             -1, ENOSYS (Fuchsia's stubs; the host's CPU
 *                             number changed from run to run)
 *   getrlimit, setrlimit, prlimit (+64), getrusage, nice, getpriority,
 *   setpriority, reboot, mount, umount, umount2, swapon, swapoff, iopl,
 *   ioperm, ptrace, personality, unshare, setns, prctl, sysinfo,
 *   get_nprocs, get_nprocs_conf, getloadavg, getcpu, mlock2, vhangup,
 *   klogctl, quotactl, capget, capset, pidfd_open, pidfd_getfd,
 *   pidfd_send_signal, process_vm_readv, process_vm_writev,
 *   process_madvise, process_mrelease, fsopen, fsmount, fsconfig, fspick,
 *   move_mount, open_tree, mount_setattr
 *                             -1, ENOSYS: Fuchsia's libc has none of them
 *                             (glibc's read the HOST's kernel log, opened
 *                             and signalled host processes by pid, read
 *                             their memory, made host mounts as root)
 *   setfsuid, setfsgid        23 / 42, the ids that stay (glibc's changed
 *                             the simulator's file-system ids)
 *   sysconf                   _SC_NPROCESSORS_ONLN/_CONF: the simulated
 *                             CPUs (zx_system_get_num_cpus);
 *                             _SC_PHYS_PAGES: zx_system_get_physmem / page;
 *                             _SC_AVPHYS_PAGES: -1, EINVAL; _SC_OPEN_MAX:
 *                             fdio's table; everything else glibc's (its
 *                             constants); get_phys_pages and
 *                             get_avphys_pages answer as its two
 *   pthread_setaffinity_np, pthread_getaffinity_np, pthread_setschedparam,
 *   pthread_getschedparam, pthread_setschedprio, pthread_setname_np,
 *   pthread_getname_np, pthread_getattr_np, pthread_getcpuclockid,
 *   pthread_tryjoin_np, pthread_timedjoin_np
 *                             ENOSYS as the value (Fuchsia's affinity calls
 *                             answer so; the others are not modeled, and
 *                             glibc's must never see a capsim thread;
 *                             pthread_cancel is libc_pthread_cancel.c's)
 *
 * The rule, as in libc_process.c: called from app code of a simulated
 * process (app_world_in_app_code()) the answer above; everyone else (the
 * host, the engine, Python) gets libc's own. umask is fdio's, per process
 * (model/sdk/fdio_libc_path.c). Read next: libc_clock_control.c.
 */
/* libc's own symbols are defined here: plain names, no *64 redirection. */
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
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
#include <sys/uio.h>
#include <sys/swap.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <lib/fdio/limits.h>
#include <zircon/syscalls.h>

#include "app_world.h"
#include "libc_next.h"

#define IN_APP app_world_in_app_code()

/* AddressSanitizer's runtime calls some of these through libc while it
 * starts, before instrumented code (ours) may run: in ASan builds those
 * that only read, and the rlimit calls it makes itself, stay libc's (as
 * the clocks do, libc_time.c). Every other call that would change the
 * host is refused in every build. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_CALLS_THEM 1
#else
#define SANITIZER_CALLS_THEM 0
#endif

/* Fuchsia's fixed process ids (its libc's id stubs). */
enum {
    FUCHSIA_PID = 3,
    FUCHSIA_PPID = 2,
    FUCHSIA_UID = 23,
    FUCHSIA_GID = 42,
    FUCHSIA_PGID = 17,
    FUCHSIA_SID = 19,
};

/* ---- ids ------------------------------------------------------------------*/

#if !SANITIZER_CALLS_THEM
LIBC_ANSWERED(IN_APP, pid_t, FUCHSIA_PID, getpid, (void), ())
LIBC_ANSWERED(IN_APP, pid_t, FUCHSIA_PPID, getppid, (void), ())
#endif
LIBC_ANSWERED(IN_APP, uid_t, FUCHSIA_UID, getuid, (void), ())
LIBC_ANSWERED(IN_APP, uid_t, FUCHSIA_UID, geteuid, (void), ())
LIBC_ANSWERED(IN_APP, gid_t, FUCHSIA_GID, getgid, (void), ())
LIBC_ANSWERED(IN_APP, gid_t, FUCHSIA_GID, getegid, (void), ())
LIBC_ANSWERED(IN_APP, pid_t, FUCHSIA_PGID, getpgrp, (void), ())
LIBC_ANSWERED(IN_APP, pid_t, FUCHSIA_PGID, getpgid, (pid_t pid), (pid))
LIBC_ANSWERED(IN_APP, pid_t, FUCHSIA_SID, getsid, (pid_t pid), (pid))
LIBC_ANSWERED(IN_APP, pid_t, FUCHSIA_SID, setsid, (void), ())

/* getresuid/getresgid: `id` in all three, or the value EFAULT. */
static int host_process_res_ids(unsigned id, unsigned *a, unsigned *b, unsigned *c)
{
    if (!a || !b || !c)
        return EFAULT;
    *a = *b = *c = id;
    return 0;
}

LIBC_NEXT_SLOT(getresuid);
int getresuid(uid_t *r, uid_t *e, uid_t *s)
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(uid_t *, uid_t *, uid_t *), getresuid)(r, e, s);
    return host_process_res_ids(FUCHSIA_UID, r, e, s);
}

LIBC_NEXT_SLOT(getresgid);
int getresgid(gid_t *r, gid_t *e, gid_t *s)
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(gid_t *, gid_t *, gid_t *), getresgid)(r, e, s);
    return host_process_res_ids(FUCHSIA_GID, r, e, s);
}

LIBC_NEXT_SLOT(getgroups);
int getgroups(int size, gid_t list[])
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(int, gid_t[]), getgroups)(size, list);
    return list ? 0 : EFAULT;
}

LIBC_REFUSED(IN_APP, int, -1, EPERM, setuid, (uid_t u), (u))
LIBC_REFUSED(IN_APP, int, -1, EPERM, seteuid, (uid_t u), (u))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setreuid, (uid_t r, uid_t e), (r, e))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setresuid, (uid_t r, uid_t e, uid_t s), (r, e, s))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setgid, (gid_t g), (g))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setegid, (gid_t g), (g))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setregid, (gid_t r, gid_t e), (r, e))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setresgid, (gid_t r, gid_t e, gid_t s), (r, e, s))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setgroups, (size_t n, const gid_t *l), (n, l))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setpgid, (pid_t pid, pid_t pg), (pid, pg))
LIBC_REFUSED(IN_APP, int, -1, EPERM, setpgrp, (void), ())

/* ---- the machine's name ---------------------------------------------------*/

#if !SANITIZER_CALLS_THEM
LIBC_REFUSED(IN_APP, int, -1, ENOENT, uname, (struct utsname *u), (u))
#endif
LIBC_REFUSED(IN_APP, int, -1, ENOENT, gethostname, (char *name, size_t len), (name, len))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sethostname, (const char *name, size_t len),
             (name, len))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, setdomainname, (const char *name, size_t len),
             (name, len))

LIBC_NEXT_SLOT(getdomainname);
int getdomainname(char *name, size_t len)
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(char *, size_t), getdomainname)(name, len);
    if (len == 0) {
        errno = EINVAL;
        return -1;
    }
    name[0] = '\0';
    return 0;
}

/* ---- limits, usage, priorities --------------------------------------------*/

#if !SANITIZER_CALLS_THEM
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, getrlimit, (__rlimit_resource_t r, struct rlimit *l),
             (r, l))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, setrlimit,
             (__rlimit_resource_t r, const struct rlimit *l), (r, l))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, getrlimit64,
             (__rlimit_resource_t r, struct rlimit64 *l), (r, l))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, setrlimit64,
             (__rlimit_resource_t r, const struct rlimit64 *l), (r, l))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, prlimit,
             (pid_t pid, __rlimit_resource_t r, const struct rlimit *n, struct rlimit *o),
             (pid, r, n, o))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, prlimit64,
             (pid_t pid, __rlimit_resource_t r, const struct rlimit64 *n,
              struct rlimit64 *o),
             (pid, r, n, o))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, getrusage, (__rusage_who_t who, struct rusage *u),
             (who, u))
#endif
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, nice, (int inc), (inc))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, getpriority, (__priority_which_t w, id_t who), (w, who))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, setpriority, (__priority_which_t w, id_t who, int prio),
             (w, who, prio))

/* ---- scheduling -----------------------------------------------------------*/

LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_setaffinity,
             (pid_t pid, size_t n, const cpu_set_t *set), (pid, n, set))
#if !SANITIZER_CALLS_THEM
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_getaffinity, (pid_t pid, size_t n, cpu_set_t *set),
             (pid, n, set))
#endif
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_setscheduler,
             (pid_t pid, int policy, const struct sched_param *p), (pid, policy, p))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_getscheduler, (pid_t pid), (pid))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_setparam, (pid_t pid, const struct sched_param *p),
             (pid, p))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_getparam, (pid_t pid, struct sched_param *p),
             (pid, p))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_get_priority_max, (int policy), (policy))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_get_priority_min, (int policy), (policy))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_rr_get_interval, (pid_t pid, struct timespec *t),
             (pid, t))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sched_getcpu, (void), ())
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, getcpu, (unsigned *cpu, unsigned *node), (cpu, node))

/* pthread calls on a capsim thread: ENOSYS as the value. */
#define HOST_PTHREAD_REFUSED(name, params, args)                               \
    LIBC_ANSWERED(IN_APP, int, ENOSYS, name, params, args)

HOST_PTHREAD_REFUSED(pthread_setaffinity_np, (pthread_t t, size_t n, const cpu_set_t *set),
                     (t, n, set))
HOST_PTHREAD_REFUSED(pthread_getaffinity_np, (pthread_t t, size_t n, cpu_set_t *set),
                     (t, n, set))
HOST_PTHREAD_REFUSED(pthread_getattr_np, (pthread_t t, pthread_attr_t *attr), (t, attr))
HOST_PTHREAD_REFUSED(pthread_setschedparam,
                     (pthread_t t, int policy, const struct sched_param *p), (t, policy, p))
HOST_PTHREAD_REFUSED(pthread_getschedparam, (pthread_t t, int *policy, struct sched_param *p),
                     (t, policy, p))
HOST_PTHREAD_REFUSED(pthread_setschedprio, (pthread_t t, int prio), (t, prio))
HOST_PTHREAD_REFUSED(pthread_setname_np, (pthread_t t, const char *name), (t, name))
HOST_PTHREAD_REFUSED(pthread_getname_np, (pthread_t t, char *buf, size_t len), (t, buf, len))
HOST_PTHREAD_REFUSED(pthread_getcpuclockid, (pthread_t t, clockid_t *clk), (t, clk))
HOST_PTHREAD_REFUSED(pthread_tryjoin_np, (pthread_t t, void **ret), (t, ret))
HOST_PTHREAD_REFUSED(pthread_timedjoin_np,
                     (pthread_t t, void **ret, const struct timespec *at), (t, ret, at))

/* ---- the system: memory locks, mounts, power, namespaces, tracing ---------*/

LIBC_REFUSED(IN_APP, int, -1, ENOSYS, mlock, (const void *a, size_t n), (a, n))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, munlock, (const void *a, size_t n), (a, n))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, mlockall, (int flags), (flags))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, munlockall, (void), ())
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, acct, (const char *path), (path))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, reboot, (int how), (how))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, mount,
             (const char *src, const char *dst, const char *type, unsigned long flags,
              const void *data),
             (src, dst, type, flags, data))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, umount, (const char *dst), (dst))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, umount2, (const char *dst, int flags), (dst, flags))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, swapon, (const char *path, int flags), (path, flags))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, swapoff, (const char *path), (path))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, iopl, (int level), (level))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, ioperm, (unsigned long from, unsigned long n, int on),
             (from, n, on))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, unshare, (int flags), (flags))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, setns, (int fd, int type), (fd, type))
#if !SANITIZER_CALLS_THEM
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, personality, (unsigned long persona), (persona))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, sysinfo, (struct sysinfo *info), (info))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, get_nprocs, (void), ())
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, get_nprocs_conf, (void), ())
#endif
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, getloadavg, (double loads[], int n), (loads, n))

/* Linux's newer reach into the machine: the kernel log, quotas,
 * capabilities, other processes by pidfd, the mount API. */
LIBC_ABSENT(int, -1, mlock2, (const void *a, size_t n, unsigned int flags), (a, n, flags))
LIBC_ABSENT(int, -1, vhangup, (void), ())
LIBC_ABSENT(int, -1, klogctl, (int type, char *buf, int len), (type, buf, len))
LIBC_ABSENT(int, -1, quotactl, (int cmd, const char *dev, int id, caddr_t addr),
            (cmd, dev, id, addr))
LIBC_ABSENT(int, -1, capget, (void *header, void *data), (header, data))
LIBC_ABSENT(int, -1, capset, (void *header, const void *data), (header, data))
LIBC_ABSENT(int, -1, pidfd_open, (pid_t pid, unsigned int flags), (pid, flags))
LIBC_ABSENT(int, -1, pidfd_getfd, (int pidfd, int fd, unsigned int flags), (pidfd, fd, flags))
LIBC_ABSENT(int, -1, pidfd_send_signal, (int pidfd, int sig, siginfo_t *info, unsigned int flags),
            (pidfd, sig, info, flags))
LIBC_ABSENT(ssize_t, -1, process_vm_readv,
            (pid_t pid, const struct iovec *local, unsigned long nl,
             const struct iovec *remote, unsigned long nr, unsigned long flags),
            (pid, local, nl, remote, nr, flags))
LIBC_ABSENT(ssize_t, -1, process_vm_writev,
            (pid_t pid, const struct iovec *local, unsigned long nl,
             const struct iovec *remote, unsigned long nr, unsigned long flags),
            (pid, local, nl, remote, nr, flags))
LIBC_ABSENT(ssize_t, -1, process_madvise,
            (int pidfd, const struct iovec *v, size_t n, int advice, unsigned int flags),
            (pidfd, v, n, advice, flags))
LIBC_ABSENT(int, -1, process_mrelease, (int pidfd, unsigned int flags), (pidfd, flags))
LIBC_ABSENT(int, -1, fsopen, (const char *fs, unsigned int flags), (fs, flags))
LIBC_ABSENT(int, -1, fsmount, (int fd, unsigned int flags, unsigned int attrs), (fd, flags, attrs))
LIBC_ABSENT(int, -1, fsconfig,
            (int fd, unsigned int cmd, const char *key, const void *value, int aux),
            (fd, cmd, key, value, aux))
LIBC_ABSENT(int, -1, fspick, (int dirfd, const char *path, unsigned int flags),
            (dirfd, path, flags))
LIBC_ABSENT(int, -1, move_mount,
            (int from_dirfd, const char *from, int to_dirfd, const char *to, unsigned int flags),
            (from_dirfd, from, to_dirfd, to, flags))
LIBC_ABSENT(int, -1, open_tree, (int dirfd, const char *path, unsigned int flags),
            (dirfd, path, flags))
LIBC_ABSENT(int, -1, mount_setattr,
            (int dirfd, const char *path, unsigned int flags, struct mount_attr *attr,
             size_t size),
            (dirfd, path, flags, attr, size))
LIBC_ANSWERED(IN_APP, int, 23, setfsuid, (uid_t uid), (uid))
LIBC_ANSWERED(IN_APP, int, 42, setfsgid, (gid_t gid), (gid))

/* The variadic two: libc's take four machine words after the first. */
#if !SANITIZER_CALLS_THEM
LIBC_NEXT_SLOT(prctl);
int prctl(int option, ...)
{
    if (IN_APP) {
        errno = ENOSYS;
        return -1;
    }
    va_list ap;
    va_start(ap, option);
    unsigned long a = va_arg(ap, unsigned long), b = va_arg(ap, unsigned long);
    unsigned long c = va_arg(ap, unsigned long), d = va_arg(ap, unsigned long);
    va_end(ap);
    return LIBC_NEXT(int (*)(int, ...), prctl)(option, a, b, c, d);
}
#endif

LIBC_NEXT_SLOT(ptrace);
long ptrace(enum __ptrace_request request, ...)
{
    if (IN_APP) {
        errno = ENOSYS;
        return -1;
    }
    va_list ap;
    va_start(ap, request);
    pid_t pid = va_arg(ap, pid_t);
    void *addr = va_arg(ap, void *), *data = va_arg(ap, void *);
    va_end(ap);
    return LIBC_NEXT(long (*)(enum __ptrace_request, ...), ptrace)(request, pid, addr, data);
}

/* ---- sysconf --------------------------------------------------------------*/

#if !SANITIZER_CALLS_THEM
LIBC_NEXT_SLOT(sysconf);
long sysconf(int name)
{
    if (IN_APP) {
        switch (name) {
        case _SC_NPROCESSORS_ONLN:
        case _SC_NPROCESSORS_CONF:
            return (long)zx_system_get_num_cpus();
        case _SC_PHYS_PAGES:
            return (long)(zx_system_get_physmem() / zx_system_get_page_size());
        case _SC_AVPHYS_PAGES:
            errno = EINVAL;
            return -1;
        case _SC_OPEN_MAX:
            return FDIO_MAX_FD;
        default:
            break;
        }
    }
    return LIBC_NEXT(long (*)(int), sysconf)(name);
}

/* glibc's shorthands for two of them, which read the host's sysinfo. */
LIBC_NEXT_SLOT(get_phys_pages);
long get_phys_pages(void)
{
    return IN_APP ? sysconf(_SC_PHYS_PAGES) : LIBC_NEXT(long (*)(void), get_phys_pages)();
}

LIBC_NEXT_SLOT(get_avphys_pages);
long get_avphys_pages(void)
{
    return IN_APP ? sysconf(_SC_AVPHYS_PAGES) : LIBC_NEXT(long (*)(void), get_avphys_pages)();
}
#endif
