/* tz_posix.c — local time from a POSIX TZ string, computed here.
 *
 * Models: the time zone a process has when nothing in its namespace
 * describes one: UTC, or what its own TZ variable spells as a POSIX
 * string, "std offset [dst [offset] [,start[/time],end[/time]]]" (names of
 * three or more letters or <quoted>, offsets [+-]hh[:mm[:ss]] WEST of UTC,
 * rules Jn, n or Mm.w.d; a daylight zone without rules changes on the US
 * rules M3.2.0,M11.1.0 at 02:00, glibc's fallback when no posixrules file
 * exists). Why not glibc's: its zone is one state for the whole host
 * process (the host's Python or CLI share it), it reads /etc/localtime
 * when TZ is unset, and it tries TZ as a file under /usr/share/zoneinfo
 * first, even for "EST5EDT" or "CET": what an app saw depended on the
 * machine.
 *
 * Pure arithmetic on int64 seconds (days from 1970-01-01 on the proleptic
 * Gregorian calendar): no files, no globals, the same answer anywhere.
 * Leaves out: zoneinfo files (TZif) and their history; leap seconds.
 * Read next: libc_tz.c.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "tz_posix.h"

#define TZ_DAY INT64_C(86400)

static int64_t tz_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool tz_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int tz_month_days(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m - 1] + (m == 2 && tz_leap(y));
}

/* Days since 1970-01-01 of y-m-d (m 1-12). */
static int64_t tz_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = tz_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void tz_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    days += 719468;
    int64_t era = tz_floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void tz_posix_utc(TzZone *z)
{
    memset(z, 0, sizeof *z);
    strcpy(z->std, "UTC");
    strcpy(z->dst, "UTC");
}

/* ---- parsing ----------------------------------------------------------------*/

static bool tz_parse_name(const char **p, char *out, size_t cap)
{
    const char *s = *p;
    size_t n = 0;
    if (*s == '<') {
        s++;
        while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-')
            n++;
        if (s[n] != '>')
            return false;
    } else {
        while (isalpha((unsigned char)s[n]))
            n++;
    }
    if (n < 3 || n >= cap)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    *p = s + n + (s[n] == '>');
    return true;
}

static bool tz_parse_num(const char **p, int lo, int hi, int *out)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s))
        return false;
    int v = 0;
    while (isdigit((unsigned char)*s) && v <= hi)
        v = v * 10 + (*s++ - '0');
    if (v < lo || v > hi)
        return false;
    *out = v;
    *p = s;
    return true;
}

/* [+-]hh[:mm[:ss]], hours up to max_h: seconds (the sign as written). */
static bool tz_parse_time(const char **p, int max_h, int32_t *out)
{
    const char *s = *p;
    int sign = 1, h, m = 0, sec = 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    if (!tz_parse_num(&s, 0, max_h, &h))
        return false;
    if (*s == ':') {
        s++;
        if (!tz_parse_num(&s, 0, 59, &m))
            return false;
        if (*s == ':') {
            s++;
            if (!tz_parse_num(&s, 0, 59, &sec))
                return false;
        }
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    *p = s;
    return true;
}

static bool tz_parse_rule(const char **p, TzRule *r)
{
    const char *s = *p;
    *r = (TzRule){.secs = 7200};
    if (*s == 'J') {
        s++;
        r->kind = 'J';
        if (!tz_parse_num(&s, 1, 365, &r->n))
            return false;
    } else if (*s == 'M') {
        s++;
        r->kind = 'M';
        if (!tz_parse_num(&s, 1, 12, &r->month) || *s++ != '.' ||
            !tz_parse_num(&s, 1, 5, &r->week) || *s++ != '.' ||
            !tz_parse_num(&s, 0, 6, &r->wday))
            return false;
    } else {
        r->kind = 'D';
        if (!tz_parse_num(&s, 0, 365, &r->n))
            return false;
    }
    if (*s == '/') {
        s++;
        if (!tz_parse_time(&s, 167, &r->secs))
            return false;
    }
    *p = s;
    return true;
}

bool tz_posix_parse(const char *tz, TzZone *out)
{
    TzZone z;
    memset(&z, 0, sizeof z);
    const char *p = tz;
    int32_t off;
    if (!p || !tz_parse_name(&p, z.std, sizeof z.std) || !tz_parse_time(&p, 24, &off))
        return false;
    z.std_gmtoff = -off;
    if (*p) {
        if (!tz_parse_name(&p, z.dst, sizeof z.dst))
            return false;
        z.has_dst = true;
        z.dst_gmtoff = z.std_gmtoff + 3600;
        if (*p && *p != ',') {
            if (!tz_parse_time(&p, 24, &off))
                return false;
            z.dst_gmtoff = -off;
        }
        if (*p == ',') {
            p++;
            if (!tz_parse_rule(&p, &z.start) || *p++ != ',' || !tz_parse_rule(&p, &z.end))
                return false;
        } else {
            z.start = (TzRule){.kind = 'M', .month = 3, .week = 2, .wday = 0, .secs = 7200};
            z.end = (TzRule){.kind = 'M', .month = 11, .week = 1, .wday = 0, .secs = 7200};
        }
    } else {
        strcpy(z.dst, z.std);
    }
    if (*p)
        return false;
    *out = z;
    return true;
}

/* ---- conversions ------------------------------------------------------------*/

/* The local second (since the epoch) of rule r's change in year y. */
static int64_t tz_rule_local(int64_t y, const TzRule *r)
{
    int64_t day;
    if (r->kind == 'J') {
        day = tz_days_from_civil(y, 1, 1) + r->n - 1 + (tz_leap(y) && r->n >= 60);
    } else if (r->kind == 'D') {
        day = tz_days_from_civil(y, 1, 1) + r->n;
    } else {
        int64_t first = tz_days_from_civil(y, r->month, 1);
        int first_wday = (int)(tz_floor_div(first + 4, 7) * -7 + first + 4);
        int mday = 1 + (r->wday - first_wday + 7) % 7 + 7 * (r->week - 1);
        while (mday > tz_month_days(y, r->month))
            mday -= 7;
        day = first + mday - 1;
    }
    return day * TZ_DAY + r->secs;
}

bool tz_posix_is_dst(const TzZone *z, int64_t t)
{
    if (!z->has_dst)
        return false;
    int64_t y;
    int m, d;
    tz_civil_from_days(tz_floor_div(t + z->std_gmtoff, TZ_DAY), &y, &m, &d);
    int64_t start = tz_rule_local(y, &z->start) - z->std_gmtoff;
    int64_t end = tz_rule_local(y, &z->end) - z->dst_gmtoff;
    if (start < end)
        return t >= start && t < end;
    return !(t >= end && t < start);   /* southern hemisphere: over new year */
}

void tz_posix_local(const TzZone *z, int64_t t, struct tm *tm)
{
    bool dst = tz_posix_is_dst(z, t);
    int32_t off = dst ? z->dst_gmtoff : z->std_gmtoff;
    int64_t l = t + off;
    int64_t days = tz_floor_div(l, TZ_DAY);
    int64_t secs = l - days * TZ_DAY;
    int64_t y;
    int m, d;
    tz_civil_from_days(days, &y, &m, &d);
    memset(tm, 0, sizeof *tm);
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    tm->tm_wday = (int)(days - tz_floor_div(days + 4, 7) * 7 + 4);
    tm->tm_yday = (int)(days - tz_days_from_civil(y, 1, 1));
    tm->tm_isdst = dst;
    tm->tm_gmtoff = off;
    tm->tm_zone = dst ? z->dst : z->std;
}

int64_t tz_posix_mktime(const TzZone *z, struct tm *tm)
{
    int64_t y = 1900 + (int64_t)tm->tm_year + tz_floor_div(tm->tm_mon, 12);
    int mon = (int)(tm->tm_mon - tz_floor_div(tm->tm_mon, 12) * 12);
    int64_t days = tz_days_from_civil(y, mon + 1, 1) + tm->tm_mday - 1;
    int64_t l = days * TZ_DAY + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 +
                tm->tm_sec;
    int64_t t_std = l - z->std_gmtoff, t_dst = l - z->dst_gmtoff, t = t_std;
    if (z->has_dst) {
        if (tm->tm_isdst > 0)
            t = t_dst;
        else if (tm->tm_isdst < 0 && tz_posix_is_dst(z, t_std) && tz_posix_is_dst(z, t_dst))
            t = t_dst;   /* not standard time then: daylight (a gap keeps t_std) */
    }
    tz_posix_local(z, t, tm);
    return t;
}
