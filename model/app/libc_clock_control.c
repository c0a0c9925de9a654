/* libc_clock_control.c — setting the clock and arming signal timers,
 * refused to apps.
 *
 * Models: what a Fuchsia program gets when it tries to change the time or
 * to be signalled by a timer. Zircon has no signals and no process holds a
 * writable UTC clock here. Without these an app reached the HOST: alarm(1)
 * armed a real SIGALRM that ended the whole simulator a host second later,
 * timer_create(SIGEV_THREAD) started a real host thread, and under root (a
 * container, CI) clock_settime or settimeofday set the machine's clock.
 * times() and clock() read the host's CPU time, so output varied by run.
 *
 *   clock_settime           REALTIME: EPERM (no writable UTC clock);
 *                           BOOTTIME, MONOTONIC, MONOTONIC_RAW,
 *                           THREAD_CPUTIME_ID: EPERM; other clocks:
 *                           EINVAL (Fuchsia's order: the clock first, the
 *                           time is never looked at)
 *   settimeofday            a time zone given: ENOTSUP; a bad timeval:
 *                           EINVAL; else as clock_settime(REALTIME)
 *   adjtime, adjtimex, ntp_adjtime, clock_adjtime
 *                           -1, ENOSYS
 *   alarm, ualarm           0: nothing armed, nothing was (Fuchsia's alarm;
 *                           its ualarm's setitimer fails, so no old value)
 *   setitimer, getitimer    -1, ENOSYS
 *   timer_create, timer_settime, timer_gettime, timer_getoverrun,
 *   timer_delete            -1, ENOSYS (Fuchsia's libc has no POSIX timers)
 *   times                   -1, ENOSYS (Fuchsia's)
 *   clock                   the process's virtual CPU time, in
 *                           CLOCKS_PER_SEC, as clock_gettime's
 *                           CLOCK_PROCESS_CPUTIME_ID reads it here
 *                           (libc_time.c; Fuchsia's answers -1 for both)
 *
 * The rule, as in libc_time.c: app code gets these answers, everyone else
 * libc's own; and as there, AddressSanitizer builds leave times and clock
 * to ASan's interceptors. Read next: libc_random.c.
 */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "app_world.h"
#include "libc_next.h"

#define IN_APP app_world_in_app_code()

/* ---- setting the clock ----------------------------------------------------*/

/* Fuchsia's answer to setting clock `clk`: always a failure, -1. */
static int clock_control_refuse(clockid_t clk)
{
    switch (clk) {
    case CLOCK_REALTIME:
    case CLOCK_BOOTTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_THREAD_CPUTIME_ID:
        errno = EPERM;
        break;
    default:
        errno = EINVAL;
        break;
    }
    return -1;
}

LIBC_NEXT_SLOT(clock_settime);
int clock_settime(clockid_t clk, const struct timespec *ts)
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(clockid_t, const struct timespec *), clock_settime)(clk, ts);
    return clock_control_refuse(clk);
}

LIBC_NEXT_SLOT(settimeofday);
int settimeofday(const struct timeval *tv, const struct timezone *tz)
{
    if (!IN_APP)
        return LIBC_NEXT(int (*)(const struct timeval *, const struct timezone *),
                         settimeofday)(tv, tz);
    if (tz) {
        errno = ENOTSUP;
        return -1;
    }
    if (!tv || tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000) {
        errno = EINVAL;
        return -1;
    }
    return clock_control_refuse(CLOCK_REALTIME);
}

LIBC_REFUSED(IN_APP, int, -1, ENOSYS, adjtime,
             (const struct timeval *delta, struct timeval *old), (delta, old))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, adjtimex, (struct timex *t), (t))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, ntp_adjtime, (struct timex *t), (t))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, clock_adjtime, (clockid_t clk, struct timex *t),
             (clk, t))

/* ---- timers that signal ---------------------------------------------------*/

LIBC_ANSWERED(IN_APP, unsigned, 0, alarm, (unsigned seconds), (seconds))
LIBC_ANSWERED(IN_APP, useconds_t, 0, ualarm, (useconds_t value, useconds_t interval),
              (value, interval))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, setitimer,
             (__itimer_which_t which, const struct itimerval *n, struct itimerval *o),
             (which, n, o))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, getitimer, (__itimer_which_t which, struct itimerval *v),
             (which, v))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, timer_create,
             (clockid_t clk, struct sigevent *ev, timer_t *id), (clk, ev, id))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, timer_settime,
             (timer_t id, int flags, const struct itimerspec *n, struct itimerspec *o),
             (id, flags, n, o))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, timer_gettime, (timer_t id, struct itimerspec *v),
             (id, v))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, timer_getoverrun, (timer_t id), (id))
LIBC_REFUSED(IN_APP, int, -1, ENOSYS, timer_delete, (timer_t id), (id))

/* ---- the process's CPU time -----------------------------------------------*/

#if !defined(__SANITIZE_ADDRESS__)

LIBC_REFUSED(IN_APP, clock_t, (clock_t)-1, ENOSYS, times, (struct tms *t), (t))

LIBC_NEXT_SLOT(clock);
clock_t clock(void)
{
    if (!IN_APP)
        return LIBC_NEXT(clock_t (*)(void), clock)();
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return (clock_t)-1;
    return (clock_t)ts.tv_sec * CLOCKS_PER_SEC +
           (clock_t)(ts.tv_nsec / (1000000000 / CLOCKS_PER_SEC));
}

#endif
