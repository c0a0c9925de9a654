/* libc_time.c — clocks and sleeps, interposed for apps.
 *
 * Models: time as a process inside the simulation sees it: virtual time.
 * Without this an app read the HOST clock, so what it did could depend on
 * when it ran (a seed from time(NULL), a loop until a host deadline) and
 * one seed no longer gave one trace; and sleep() stopped the whole
 * simulator for real seconds while no virtual time passed.
 *
 *   clock_gettime(MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE, BOOTTIME)
 *                            zx_clock_get_monotonic()
 *   clock_gettime(REALTIME, REALTIME_COARSE, TAI), gettimeofday, time,
 *     C11 timespec_get(TIME_UTC)
 *                            APP_TIME_UTC_AT_BOOT + monotonic: a fixed boot
 *                            date (2026-01-01T00:00:00Z), so runs repeat
 *   clock_gettime(PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID)
 *                            ZX_INFO_TASK_RUNTIME's cpu_time of the
 *                            process or thread
 *   clock_getres, timespec_getres   1 ns for those clocks
 *   nanosleep, clock_nanosleep (relative, or TIMER_ABSTIME on those
 *     clocks), usleep, sleep zx_nanosleep to the deadline: virtual time
 *                            passes and other threads run; nothing
 *                            interrupts it (no signals), so the remaining
 *                            time is always 0; but they are cancellation
 *                            points, and pthread_cancel ends the sleep
 *                            (libc_pthread_cancel.c)
 *   other clocks             EINVAL
 *
 * The timed waits of libc_pthread*.c and libc_semaphore.c turn their
 * absolute times into zx deadlines here (libc_time_deadline), on the
 * same virtual clocks.
 *
 * The rule, as in libc_process.c: called from app code of a simulated
 * process (app_world_in_app_code(): not the kernel code serving it), the
 * simulated thing; otherwise libc's own (dlsym RTLD_NEXT), so the host
 * keeps its clocks.
 *
 * Left out: clock_settime and settimeofday (libc's: EPERM for a normal
 * user, and nothing in the simulation changes), timers that signal
 * (timer_create, setitimer, alarm: Zircon has no signals), the clocks of
 * other processes (clock_getcpuclockid). Read next: libc_pthread.c.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_pthread_cancel.h"
#include "libc_time.h"

/* 2026-01-01T00:00:00Z in seconds since the epoch. */
#define APP_TIME_UTC_AT_BOOT INT64_C(1767225600)

bool libc_time_clock_offset(clockid_t clk, int64_t *offset)
{
    switch (clk) {
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *offset = 0;
        return true;
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
        *offset = APP_TIME_UTC_AT_BOOT * 1000000000;
        return true;
    default:
        return false;
    }
}

/* ts in ns, saturating at INT64_MAX; tv_sec >= 0. */
static int64_t app_time_ns(const struct timespec *ts)
{
    if (ts->tv_sec > INT64_MAX / 1000000000 - 1)
        return INT64_MAX;
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int libc_time_deadline(clockid_t clk, const struct timespec *at,
                       zx_instant_mono_t *deadline)
{
    int64_t offset;
    if (!at || at->tv_nsec < 0 || at->tv_nsec >= 1000000000 ||
        !libc_time_clock_offset(clk, &offset))
        return EINVAL;
    int64_t ns = at->tv_sec < 0 ? 0 : app_time_ns(at);
    if (ns == INT64_MAX)
        *deadline = ZX_TIME_INFINITE;
    else
        *deadline = ns > offset ? ns - offset : 0; /* before boot: passed */
    return 0;
}

/* AddressSanitizer intercepts these functions itself and reaches them
 * from its own runtime, where a lookup of libc's would deadlock: in ASan
 * builds apps keep the host's clocks (docs/sdk.md). */
#if !defined(__SANITIZE_ADDRESS__)

LIBC_NEXT_SLOT(clock_gettime);
LIBC_NEXT_SLOT(clock_getres);
LIBC_NEXT_SLOT(gettimeofday);
LIBC_NEXT_SLOT(time);
LIBC_NEXT_SLOT(timespec_get);
LIBC_NEXT_SLOT(timespec_getres);
LIBC_NEXT_SLOT(clock_nanosleep);
LIBC_NEXT_SLOT(nanosleep);
LIBC_NEXT_SLOT(usleep);
LIBC_NEXT_SLOT(sleep);

static struct timespec app_time_spec(int64_t ns)
{
    return (struct timespec){.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
}

static int64_t app_time_cpu(zx_handle_t task)
{
    zx_info_task_runtime_t rt;
    if (zx_object_get_info(task, ZX_INFO_TASK_RUNTIME, &rt, sizeof rt, NULL, NULL) != ZX_OK)
        return 0;
    return rt.cpu_time;
}

/* The virtual-time reading of clock `clk` in ns; false for other clocks. */
static bool app_time_now(clockid_t clk, int64_t *ns)
{
    int64_t offset;
    if (libc_time_clock_offset(clk, &offset)) {
        *ns = offset + zx_clock_get_monotonic();
        return true;
    }
    switch (clk) {
    case CLOCK_PROCESS_CPUTIME_ID:
        *ns = app_time_cpu(zx_process_self());
        return true;
    case CLOCK_THREAD_CPUTIME_ID:
        *ns = app_time_cpu(zx_thread_self());
        return true;
    default:
        return false;
    }
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(clockid_t, struct timespec *), clock_gettime)(clk, ts);
    int64_t ns;
    if (!app_time_now(clk, &ns)) {
        errno = EINVAL;
        return -1;
    }
    *ts = app_time_spec(ns);
    return 0;
}

int clock_getres(clockid_t clk, struct timespec *res)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(clockid_t, struct timespec *), clock_getres)(clk, res);
    int64_t ns;
    if (!app_time_now(clk, &ns)) {
        errno = EINVAL;
        return -1;
    }
    if (res)
        *res = app_time_spec(1);
    return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(struct timeval *, void *), gettimeofday)(tv, tz);
    int64_t ns;
    app_time_now(CLOCK_REALTIME, &ns);
    *tv = (struct timeval){.tv_sec = ns / 1000000000, .tv_usec = ns % 1000000000 / 1000};
    return 0;
}

time_t time(time_t *out)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(time_t (*)(time_t *), time)(out);
    int64_t ns;
    app_time_now(CLOCK_REALTIME, &ns);
    time_t t = (time_t)(ns / 1000000000);
    if (out)
        *out = t;
    return t;
}

/* C11's clock: TIME_UTC is CLOCK_REALTIME (the base on success, else 0). */
int timespec_get(struct timespec *ts, int base)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(struct timespec *, int), timespec_get)(ts, base);
    return base == TIME_UTC && clock_gettime(CLOCK_REALTIME, ts) == 0 ? base : 0;
}

int timespec_getres(struct timespec *res, int base)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(struct timespec *, int), timespec_getres)(res, base);
    return base == TIME_UTC && clock_getres(CLOCK_REALTIME, res) == 0 ? base : 0;
}

/* Sleep until `deadline`: a cancellation point whose sleep a request
 * ends. */
static void app_time_sleep(zx_instant_mono_t deadline)
{
    libc_cancel_point();
    libc_cancel_wait_begin();
    zx_nanosleep(deadline);
    libc_cancel_wait_end();
    libc_cancel_after();
}

static bool app_time_valid(const struct timespec *ts)
{
    return ts && ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
                    struct timespec *rem)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(clockid_t, int, const struct timespec *,
                                     struct timespec *), clock_nanosleep)(clk, flags, req, rem);
    int64_t now;
    if (clk == CLOCK_THREAD_CPUTIME_ID || clk == CLOCK_PROCESS_CPUTIME_ID ||
        !app_time_now(clk, &now))
        return EINVAL;
    if (!app_time_valid(req))
        return EINVAL;
    int64_t mono = zx_clock_get_monotonic();
    int64_t want = app_time_ns(req);
    /* An absolute time on clock `clk` is `want - now` from now. */
    int64_t wait = (flags & TIMER_ABSTIME) ? want - now : want;
    app_time_sleep(wait <= 0 ? mono : (wait > INT64_MAX - mono ? INT64_MAX : mono + wait));
    if (rem && !(flags & TIMER_ABSTIME))
        *rem = app_time_spec(0);
    return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const struct timespec *, struct timespec *), nanosleep)(req, rem);
    int rc = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return 0;
}

int usleep(useconds_t us)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(useconds_t), usleep)(us);
    app_time_sleep(zx_deadline_after((int64_t)us * 1000));
    return 0;
}

unsigned int sleep(unsigned int seconds)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(unsigned int (*)(unsigned int), sleep)(seconds);
    app_time_sleep(zx_deadline_after((int64_t)seconds * 1000000000));
    return 0;
}

#endif /* !__SANITIZE_ADDRESS__ */
