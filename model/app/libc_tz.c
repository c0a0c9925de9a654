/* libc_tz.c — the local time zone, interposed for apps.
 *
 * Models: the zone a Fuchsia process has: UTC, unless its own environment
 * names one in TZ. Fuchsia's libc looks for zoneinfo files in the
 * process's namespace, which capsim's namespaces do not serve: here TZ is
 * read as a POSIX string only (tz_posix.c). Without this an app's
 * localtime() read the HOST's /etc/localtime (the same seed printed other
 * hours on another machine) and changed glibc's zone, one for the whole
 * host process: the host's Python or CLI then kept the app's zone.
 *
 *   tzset                    TZ of the process's environment: unset, empty,
 *                            or not a POSIX string (":Europe/Paris",
 *                            "Europe/Paris", "/etc/localtime"): UTC, named
 *                            "UTC"; sets tzname, timezone and daylight,
 *                            which are per process (app_world_io.c)
 *   localtime, localtime_r, mktime, timelocal, ctime, ctime_r
 *                            that zone (each call reads TZ again);
 *                            tm_zone, tm_gmtoff filled; a time whose year
 *                            does not fit an int: NULL / -1, EOVERFLOW
 *   strftime, strftime_l     glibc's, given what it would otherwise take
 *                            from its own zone: a tm_zone for %Z when the
 *                            tm has none, the seconds of %s from mktime
 *                            here
 *
 * gmtime, timegm, asctime, difftime never touch a zone: libc's serve
 * everyone but app code; localtime's, gmtime's and asctime's (ctime's)
 * buffers are the process's own (libc_static_buffers.c). The rule, as in libc_time.c:
 * app code of a simulated process (app_world_in_app_code()) gets these,
 * anyone else libc's own (getdate: libc_getdate.c). Left out: wcsftime
 * and strptime's %s (glibc's, on glibc's zone). Read next: tz_posix.c.
 */
#include <errno.h>
#include <glib.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"
#include "tz_posix.h"

LIBC_NEXT_SLOT(tzset);
LIBC_NEXT_SLOT(localtime);
LIBC_NEXT_SLOT(localtime_r);
LIBC_NEXT_SLOT(mktime);
LIBC_NEXT_SLOT(timelocal);
LIBC_NEXT_SLOT(ctime);
LIBC_NEXT_SLOT(ctime_r);
LIBC_NEXT_SLOT(strftime);
LIBC_NEXT_SLOT(strftime_l);

/* A year that fits tm_year, with room: |t| below ~2^31 years. */
#define LIBC_TZ_MAX_SECS INT64_C(67767976233316800)

/* The calling process's zone, published in tzname/timezone/daylight. */
static void libc_tz_current(TzZone *z)
{
    if (!tz_posix_parse(getenv("TZ"), z))
        tz_posix_utc(z);
    app_io_set_running(APP_IO_TZNAME0, (uintptr_t)g_intern_string(z->std));
    app_io_set_running(APP_IO_TZNAME1, (uintptr_t)g_intern_string(z->dst));
    app_io_set_running(APP_IO_TIMEZONE, (uint64_t)(-(long)z->std_gmtoff));
    app_io_set_running(APP_IO_DAYLIGHT, (uint64_t)z->has_dst);
}

static struct tm *libc_tz_local(const time_t *t, struct tm *tm)
{
    TzZone z;
    libc_tz_current(&z);
    if (!t || *t > LIBC_TZ_MAX_SECS || *t < -LIBC_TZ_MAX_SECS) {
        errno = EOVERFLOW;
        return NULL;
    }
    tz_posix_local(&z, *t, tm);
    tm->tm_zone = g_intern_string(tm->tm_zone);
    return tm;
}

void tzset(void)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(void), tzset)();
        return;
    }
    TzZone z;
    libc_tz_current(&z);
}

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(struct tm * (*)(const time_t *, struct tm *), localtime_r)(t, tm);
    return libc_tz_local(t, tm);
}

struct tm *localtime(const time_t *t)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(struct tm * (*)(const time_t *), localtime)(t);
    LibcProcBuffers *b = libc_proc_buffers();
    return b ? libc_tz_local(t, &b->localtime_tm) : NULL;
}

static time_t libc_tz_mktime(struct tm *tm)
{
    TzZone z;
    libc_tz_current(&z);
    if (tm->tm_year > INT_MAX - 2 || tm->tm_year < INT_MIN + 2) {
        errno = EOVERFLOW;
        return -1;
    }
    int64_t t = tz_posix_mktime(&z, tm);
    tm->tm_zone = g_intern_string(tm->tm_zone);
    return (time_t)t;
}

time_t mktime(struct tm *tm)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(time_t (*)(struct tm *), mktime)(tm);
    return libc_tz_mktime(tm);
}

time_t timelocal(struct tm *tm)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(time_t (*)(struct tm *), timelocal)(tm);
    return libc_tz_mktime(tm);
}

char *ctime_r(const time_t *t, char *buf)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(const time_t *, char *), ctime_r)(t, buf);
    struct tm tm;
    return libc_tz_local(t, &tm) ? asctime_r(&tm, buf) : NULL;
}

char *ctime(const time_t *t)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(const time_t *), ctime)(t);
    struct tm tm;
    return libc_tz_local(t, &tm) ? asctime(&tm) : NULL;
}

/* fmt with every %s conversion (flags and width kept) replaced by the
 * seconds mktime gives tm here; NULL if fmt has none. */
static char *libc_tz_seconds_format(const char *fmt, const struct tm *tm)
{
    if (!strstr(fmt, "%") || !strchr(fmt, 's'))
        return NULL;
    GString *out = NULL;
    for (size_t i = 0; fmt[i]; i++) {
        if (fmt[i] != '%') {
            if (out)
                g_string_append_c(out, fmt[i]);
            continue;
        }
        size_t j = i + 1;
        char pad = '0';   /* glibc pads numbers with zeros unless told */
        for (; fmt[j] && strchr("_-0^#", fmt[j]); j++) {
            if (fmt[j] == '_' || fmt[j] == '-' || fmt[j] == '0')
                pad = fmt[j] == '_' ? ' ' : fmt[j] == '-' ? '\0' : '0';
        }
        int width = 0;
        for (; fmt[j] >= '0' && fmt[j] <= '9'; j++)
            width = width < 1000 ? width * 10 + (fmt[j] - '0') : width;
        while (fmt[j] == 'E' || fmt[j] == 'O')
            j++;
        if (fmt[j] != 's') {
            if (out)
                g_string_append_len(out, fmt + i, (gssize)(fmt[j] ? j - i + 1 : j - i));
            i = fmt[j] ? j : j - 1;
            continue;
        }
        if (!out)
            out = g_string_new_len(fmt, (gssize)i);
        struct tm copy = *tm;
        char digits[32];
        int n = snprintf(digits, sizeof digits, "%lld", (long long)libc_tz_mktime(&copy));
        for (int k = n; pad && k < width; k++)
            g_string_append_c(out, pad);
        g_string_append(out, digits);
        i = j;
    }
    return out ? g_string_free(out, FALSE) : NULL;
}

/* tm with a zone name for %Z, and fmt with %s computed here. */
static void libc_tz_prepare(const char *fmt, const struct tm *tm, struct tm *copy, char **own)
{
    *copy = *tm;
    if ((!copy->tm_zone || !*copy->tm_zone) && copy->tm_isdst >= 0) {
        TzZone z;
        libc_tz_current(&z);
        copy->tm_zone = g_intern_string(copy->tm_isdst > 0 ? z.dst : z.std);
    }
    *own = fmt ? libc_tz_seconds_format(fmt, tm) : NULL;
}

size_t strftime(char *s, size_t max, const char *fmt, const struct tm *tm)
{
    typedef size_t (*Fn)(char *, size_t, const char *, const struct tm *);
    if (!app_world_in_app_code() || !tm)
        return LIBC_NEXT(Fn, strftime)(s, max, fmt, tm);
    struct tm copy;
    char *own;
    libc_tz_prepare(fmt, tm, &copy, &own);
    size_t n = LIBC_NEXT(Fn, strftime)(s, max, own ? own : fmt, &copy);
    g_free(own);
    return n;
}

size_t strftime_l(char *s, size_t max, const char *fmt, const struct tm *tm, locale_t loc)
{
    typedef size_t (*Fn)(char *, size_t, const char *, const struct tm *, locale_t);
    if (!app_world_in_app_code() || !tm)
        return LIBC_NEXT(Fn, strftime_l)(s, max, fmt, tm, loc);
    struct tm copy;
    char *own;
    libc_tz_prepare(fmt, tm, &copy, &own);
    size_t n = LIBC_NEXT(Fn, strftime_l)(s, max, own ? own : fmt, &copy, loc);
    g_free(own);
    return n;
}
