/* libc_static_buffers.c — libc's non-reentrant results, one buffer per
 * simulated process (or thread, where glibc keeps one per thread).
 *
 * Models: the static storage behind functions that return a pointer into
 * libc, which a real process owns privately. glibc has one per host
 * process (or host thread), and every simulated process shares the one
 * host thread: process A's `p = localtime(&t)`, a yield, then B's
 * localtime() and A read B's time through p — a channel between sandboxes
 * that Fuchsia does not have, and A's output depended on B's doings.
 *
 *   per process (POSIX: the next call in the same process may overwrite)
 *     strtok                 its place in the string (strtok_r's state)
 *     gmtime                 its struct tm
 *     localtime              its struct tm (libc_tz.c)
 *     asctime, ctime         one buffer; glibc's text ("Sun Jan  1
 *                            00:00:00 2026\n", "???" for a day or month out
 *                            of range; a year that does not fit: NULL,
 *                            EOVERFLOW)
 *     ecvt, fcvt             one each (glibc's ecvt_r, fcvt_r write them)
 *     l64a                   glibc's digits ./0-9A-Za-z, low 6 bits first,
 *                            of the low 32 bits ("" for 0)
 *     tmpnam(NULL)           model/sdk/fdio_temp.c
 *     gethostbyname(2), gethostbyaddr, getservbyname, getservbyport
 *                            libc_netdb.c
 *     getprotoent, getprotobyname, getprotobynumber  libc_protocols.c
 *     setlocale's answer     libc_locale.c
 *     localeconv             a copy of libc's answer, made at each call
 *     ether_ntoa, ether_aton glibc's _r forms into the process's buffers
 *     hcreate, hsearch, hdestroy
 *                            the process's table (glibc's _r forms), freed
 *                            with the process
 *     the shift states of mbrtowc and its relatives (libc_mbstate.c)
 *   per thread (glibc keeps these per thread)
 *     strerror, strerror_l   the text of a code libc does not know
 *                            ("Unknown error N"); known ones are constants
 *     strsignal              "Real-time signal N", "Unknown signal N"
 *     inet_ntoa
 *     dlerror's message      libc_dl.c
 *
 * Buffers are made on a process's (thread's) first call, freed when it
 * has ended (app_world.c). Already private elsewhere: getlogin (a string
 * of the process's environment, libc_users.c), ttyname (NULL: nothing is
 * a terminal, fdio_libc_fd.c), getenv, tzname (app_world_io.c), the
 * random generators (libc_prng.c), h_errno (libc_h_errno.c), getdate's
 * result (libc_getdate.c, in the buffers here), getdate_err and signgam
 * (app_world_io.c). Refused instead, as Fuchsia's libc has none of them:
 * qecvt, qfcvt, crypt (libc_absent.c).
 * The rule, as in libc_tz.c: app code of a simulated process gets these,
 * anyone else libc's own. Read next: libc_mbstate.c.
 */
#include <arpa/inet.h>
#include <netinet/ether.h>
#include <search.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

LibcProcBuffers *libc_proc_buffers(void)
{
    AppThread *at = app_world_current_thread();
    if (!at)
        return NULL;
    AppProc *ap = at->proc;
    if (!ap->buffers && !(ap->buffers = calloc(1, sizeof *ap->buffers)))
        errno = ENOMEM;
    return ap->buffers;
}

LibcThreadBuffers *libc_thread_buffers(void)
{
    AppThread *at = app_world_current_thread();
    if (!at)
        return NULL;
    if (!at->buffers && !(at->buffers = calloc(1, sizeof *at->buffers)))
        errno = ENOMEM;
    return at->buffers;
}

void libc_static_buffers_free_proc(AppProc *ap)
{
    if (ap->buffers)
        hdestroy_r(&ap->buffers->htab);
    free(ap->buffers);
    ap->buffers = NULL;
}

void libc_static_buffers_free_thread(AppThread *at)
{
    free(at->buffers);
    at->buffers = NULL;
}

/* ---- per process ---------------------------------------------------------------*/

LIBC_NEXT_SLOT(strtok);
char *strtok(char *s, const char *delim)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(char *, const char *), strtok)(s, delim);
    LibcProcBuffers *b = libc_proc_buffers();
    return b ? strtok_r(s, delim, &b->strtok_next) : NULL;
}

/* glibc's asctime text for tm into out (LIBC_ASCTIME_MAX bytes). */
static char *libc_static_asctime(const struct tm *tm, char *out)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!tm) {
        errno = EINVAL;
        return NULL;
    }
    if (tm->tm_year > INT_MAX - 1900) {
        errno = EOVERFLOW;
        return NULL;
    }
    snprintf(out, LIBC_ASCTIME_MAX, "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n",
             tm->tm_wday < 0 || tm->tm_wday >= 7 ? "???" : days[tm->tm_wday],
             tm->tm_mon < 0 || tm->tm_mon >= 12 ? "???" : months[tm->tm_mon], tm->tm_mday,
             tm->tm_hour, tm->tm_min, tm->tm_sec, 1900 + tm->tm_year);
    return out;
}

/* `name` of one argument: libc's outside app code; else `call`, an
 * expression of `arg` and the process's buffers `b` (NULL without them). */
#define LIBC_STATIC_RESULT(ret, name, ptype, call)                             \
    LIBC_NEXT_SLOT(name);                                                      \
    ret name(ptype arg)                                                        \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(ret (*)(ptype), name)(arg);                       \
        LibcProcBuffers *b = libc_proc_buffers();                              \
        return b ? (call) : NULL;                                              \
    }

LIBC_STATIC_RESULT(struct tm *, gmtime, const time_t *, gmtime_r(arg, &b->gmtime_tm))
LIBC_STATIC_RESULT(char *, asctime, const struct tm *, libc_static_asctime(arg, b->asctime))
LIBC_STATIC_RESULT(char *, ether_ntoa, const struct ether_addr *,
                   ether_ntoa_r(arg, b->ether_ntoa))
LIBC_STATIC_RESULT(struct ether_addr *, ether_aton, const char *,
                   ether_aton_r(arg, &b->ether_aton))

/* ecvt and fcvt: glibc's _r form, into the process's buffer of that name. */
#define LIBC_STATIC_CVT(name)                                                  \
    LIBC_NEXT_SLOT(name);                                                      \
    char *name(double v, int ndigit, int *decpt, int *sign)                    \
    {                                                                          \
        typedef char *(*Fn)(double, int, int *, int *);                        \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(Fn, name)(v, ndigit, decpt, sign);                \
        LibcProcBuffers *b = libc_proc_buffers();                              \
        if (!b || name##_r(v, ndigit, decpt, sign, b->name, sizeof b->name))   \
            return NULL;                                                       \
        return b->name;                                                        \
    }

LIBC_STATIC_CVT(ecvt)
LIBC_STATIC_CVT(fcvt)

LIBC_NEXT_SLOT(l64a);
char *l64a(long n)
{
    static const char digits[] =
        "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(long), l64a)(n);
    LibcProcBuffers *b = libc_proc_buffers();
    if (!b)
        return NULL;
    unsigned long m = (unsigned long)n & 0xffffffffu;
    size_t i = 0;
    for (; m; m >>= 6)
        b->l64a[i++] = digits[m & 0x3f];
    b->l64a[i] = '\0';
    return b->l64a;
}

/* libc's fills one struct for everyone, and an app may write to it. */
LIBC_NEXT_SLOT(localeconv);
struct lconv *localeconv(void)
{
    struct lconv *libc = LIBC_NEXT(struct lconv * (*)(void), localeconv)();
    if (!app_world_in_app_code())
        return libc;
    LibcProcBuffers *b = libc_proc_buffers();
    if (!b)
        return NULL;
    b->lconv = *libc;
    return &b->lconv;
}

LIBC_NEXT_SLOT(hcreate);
int hcreate(size_t n)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(size_t), hcreate)(n);
    LibcProcBuffers *b = libc_proc_buffers();
    return b ? hcreate_r(n, &b->htab) : 0;
}

LIBC_NEXT_SLOT(hsearch);
ENTRY *hsearch(ENTRY item, ACTION action)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(ENTRY * (*)(ENTRY, ACTION), hsearch)(item, action);
    LibcProcBuffers *b = libc_proc_buffers();
    ENTRY *found = NULL;
    return b && hsearch_r(item, action, &found, &b->htab) ? found : NULL;
}

LIBC_NEXT_SLOT(hdestroy);
void hdestroy(void)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(void), hdestroy)();
        return;
    }
    LibcProcBuffers *b = libc_proc_buffers();
    if (b)
        hdestroy_r(&b->htab);
}

/* ---- per thread ----------------------------------------------------------------*/

LIBC_NEXT_SLOT(strerror);
char *strerror(int code)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(int), strerror)(code);
    LibcThreadBuffers *b = libc_thread_buffers();
    return b ? strerror_r(code, b->strerror, sizeof b->strerror) : NULL;
}

LIBC_NEXT_SLOT(strerror_l);
char *strerror_l(int code, locale_t loc)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(int, locale_t), strerror_l)(code, loc);
    return strerror(code); /* apps' locales all speak C's messages */
}

LIBC_NEXT_SLOT(strsignal);
char *strsignal(int sig)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(int), strsignal)(sig);
    const char *known = sigdescr_np(sig);
    if (known)
        return (char *)known;
    LibcThreadBuffers *b = libc_thread_buffers();
    if (!b)
        return NULL;
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        snprintf(b->strsignal, sizeof b->strsignal, "Real-time signal %d", sig - SIGRTMIN);
    else
        snprintf(b->strsignal, sizeof b->strsignal, "Unknown signal %d", sig);
    return b->strsignal;
}

LIBC_NEXT_SLOT(inet_ntoa);
char *inet_ntoa(struct in_addr in)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(char *(*)(struct in_addr), inet_ntoa)(in);
    LibcThreadBuffers *b = libc_thread_buffers();
    if (!b)
        return NULL;
    const unsigned char *a = (const unsigned char *)&in.s_addr;
    snprintf(b->inet_ntoa, sizeof b->inet_ntoa, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return b->inet_ntoa;
}
