/* app_time.c — libc's clocks and sleeps inside a simulated process
 * (model/app/libc_time.c): virtual time, a fixed boot date, sleeps that let
 * virtual time pass instead of stopping the host. Prints one line per
 * check (1 = holds), so the output is the same in every run. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "capsim/app.h"

static int64_t ns_of(clockid_t clk)
{
    struct timespec ts;
    if (clock_gettime(clk, &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void)
{
    time_t now = time(NULL);
    struct tm tm;
    char date[32];
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
    printf("date %s\n", date);

    int64_t mono = ns_of(CLOCK_MONOTONIC), real = ns_of(CLOCK_REALTIME);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    int64_t since = real - mono - INT64_C(1767225600) * 1000000000; /* one call apart */
    printf("realtime = boot date + monotonic: %d, gettimeofday agrees: %d\n",
           since >= 0 && since < 100000, tv.tv_sec == real / 1000000000);

    struct timespec half = {0, 1500000};
    int64_t t0 = ns_of(CLOCK_MONOTONIC);
    int rc = nanosleep(&half, NULL);
    int64_t t1 = ns_of(CLOCK_MONOTONIC);
    printf("nanosleep 1.5 ms: %d, slept: %d\n", rc, t1 - t0 >= 1500000 && t1 - t0 < 1600000);

    sleep(2);
    int64_t t2 = ns_of(CLOCK_MONOTONIC);
    usleep(500);
    int64_t t3 = ns_of(CLOCK_MONOTONIC);
    printf("sleep 2 s: %d, usleep 500 us: %d\n", t2 - t1 >= 2000000000 && t2 - t1 < 2000100000,
           t3 - t2 >= 500000 && t3 - t2 < 600000);

    struct timespec at = {.tv_sec = (t3 + 3000000) / 1000000000,
                          .tv_nsec = (t3 + 3000000) % 1000000000};
    rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
    int64_t t4 = ns_of(CLOCK_MONOTONIC);
    printf("clock_nanosleep to an absolute time: %d, woke after it: %d\n", rc,
           t4 >= t3 + 3000000 && t4 < t3 + 3100000);

    int64_t cpu0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
    capsim_charge(1000000);
    capsim_yield(); /* the charge is applied at the next kernel entry */
    int64_t cpu1 = ns_of(CLOCK_THREAD_CPUTIME_ID);
    printf("thread cpu time counts the charge: %d, process too: %d\n",
           cpu1 - cpu0 >= 1000000, ns_of(CLOCK_PROCESS_CPUTIME_ID) >= cpu1);

    struct timespec bad = {0, 2000000000};
    errno = 0;
    int r1 = nanosleep(&bad, NULL);
    int e1 = errno;
    errno = 0;
    int r2 = clock_gettime((clockid_t)12345, &bad);
    printf("bad sleep: %d %s, bad clock: %d %s\n", r1, e1 == EINVAL ? "EINVAL" : "?",
           r2, errno == EINVAL ? "EINVAL" : "?");
    return 0;
}
