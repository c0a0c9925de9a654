/* tz_posix.h — POSIX TZ strings and local time, with no files and no libc
 * state (tz_posix.c). libc_tz.c answers an app's localtime()... with it. */
#ifndef CAPSIM_APP_TZ_POSIX_H
#define CAPSIM_APP_TZ_POSIX_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A day of the year a change happens on, and the local time of day. */
typedef struct TzRule {
    char kind;        /* 'J': Jn (1-365, no Feb 29), 'D': n (0-365), 'M': Mm.w.d */
    int n, month, week, wday;
    int32_t secs;     /* local time of day of the change (may be < 0 or > 24h) */
} TzRule;

typedef struct TzZone {
    char std[32], dst[32];
    int32_t std_gmtoff;   /* seconds EAST of UTC (tm_gmtoff): "CET-1" is +3600 */
    int32_t dst_gmtoff;
    bool has_dst;
    TzRule start, end;    /* dst begins / ends */
} TzZone;

/* UTC, named "UTC". */
void tz_posix_utc(TzZone *z);
/* Parse a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3", "<+03>-3",
 * "EST5EDT"...). false (z untouched) for anything else: a file name
 * (":Europe/Paris", "Europe/Paris", "/etc/localtime"), an empty string. */
bool tz_posix_parse(const char *tz, TzZone *z);
/* Is UTC instant t in daylight time? */
bool tz_posix_is_dst(const TzZone *z, int64_t t);
/* Broken-down local time of t (tm_zone points into z). */
void tz_posix_local(const TzZone *z, int64_t t, struct tm *tm);
/* mktime: tm's fields (any range) as local time, tm_isdst the hint
 * (> 0 daylight, 0 standard, < 0 whichever applies); tm normalised. */
int64_t tz_posix_mktime(const TzZone *z, struct tm *tm);

#endif
