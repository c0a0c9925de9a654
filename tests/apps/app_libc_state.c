/* app_libc_state.c — libc's hidden state, which each process (or thread)
 * must have to itself: run two at once and each must print what it would
 * alone. Every mode yields between setting some state and using it, so
 * the other process runs in between (tests/apps/test_libc_state.c).
 *
 *   state prng SEED N K     N rounds: K draws of rand, random, lrand48,
 *                           mrand48, drand48 each, a line per draw and a
 *                           yield per round (SEED "-": no seeding); then
 *                           rand_r, nrand48, erand48, jrand48 on own state
 *                           and seed48's answer
 *   state prng-fork         two rand()s, then a process started in this
 *                           copy and the parent each print their next
 *                           rand() and lrand48()
 *   state strtok WORD       strtok of "WORD1,WORD2,WORD3", a yield per token
 *   state time T            localtime, gmtime, ctime of T and strerror of
 *                           the unknown code -T, each used after a yield
 *   state legacy N          ecvt, fcvt and l64a of N, each used after a
 *                           yield
 *   state mb TAG            in C.UTF-8, mbrtowc, mbrlen and mbtowc of a
 *                           two-byte character (TAG a: U+00E9, else
 *                           U+0436) one byte at a time, with their own
 *                           state, a yield between the bytes; and a field
 *                           of localeconv's struct set to TAG, a yield,
 *                           read back
 *   state table TAG         hcreate and an entry "key" = TAG, a yield,
 *                           hsearch finds it; ether_ntoa of an address
 *                           ending in TAG's first byte and getprotobyname
 *                           (TAG a: tcp, else udp), a yield, printed
 *   state threads TAG       two threads: each sets h_errno and asks
 *                           strerror, strsignal and inet_ntoa, yields,
 *                           prints them
 *   state locale-set        setlocale(LC_ALL, "C.UTF-8"), sleeps 1 ms,
 *                           prints what it sees
 *   state locale-plain      sleeps 0.2 ms, prints what it sees
 *   state locale-threads    one thread in uselocale(C.UTF-8), one not
 *   state syslog TAG        openlog(TAG, LOG_PERROR, plus LOG_PID unless
 *                           TAG is a) and a mask (a: up to LOG_ERR), a
 *                           yield, a warning and an error logged (to
 *                           stderr), the masks setlogmask answered */
#include <arpa/inet.h>
#include <capsim/app.h>
#include <locale.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <search.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <wchar.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

static void prng_round(int k)
{
    for (int i = 0; i < k; i++) {
        int r = rand();
        long rd = random();
        long l = lrand48();
        long m = mrand48();
        double d = drand48();
        printf("rand %d random %ld lrand48 %ld mrand48 %ld drand48 %a\n", r, rd, l, m, d);
    }
}

static int prng(const char *seed, int n, int k)
{
    if (strcmp(seed, "-")) {
        long s = atol(seed);
        srand((unsigned)s);
        srandom((unsigned)s);
        srand48(s);
    }
    for (int round = 0; round < n; round++) {
        prng_round(k);
        capsim_yield();
    }
    unsigned u = 7;
    int r1 = rand_r(&u);
    int r2 = rand_r(&u);
    unsigned short x[3] = {1, 2, 3};
    long nr = nrand48(x);
    double er = erand48(x);
    long jr = jrand48(x);
    unsigned short mine[3] = {5, 6, 7};
    unsigned short *old = seed48(mine);
    printf("rand_r %d %d nrand48 %ld erand48 %a jrand48 %ld seed48 %u %u %u\n", r1, r2, nr, er,
           jr, old[0], old[1], old[2]);
    return 0;
}

static int fork_child_rand;   /* the copy's globals are shared: its report */
static long fork_child_lrand48;

static void prng_fork_child(uintptr_t unused1, uintptr_t unused2)
{
    (void)unused1, (void)unused2;
    fork_child_rand = rand();
    fork_child_lrand48 = lrand48();
    zx_process_exit(0);
}

static int prng_fork(void)
{
    rand();
    rand();
    lrand48();
    zx_handle_t p, vmar, th;
    if (zx_process_create(zx_job_default(), "copy", 4, 0, &p, &vmar) != ZX_OK ||
        zx_thread_create(p, "main", 4, 0, &th) != ZX_OK ||
        zx_process_start(p, th, (uintptr_t)prng_fork_child, 0, ZX_HANDLE_INVALID, 0) != ZX_OK)
        return 1;
    zx_object_wait_one(p, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    int r = rand();
    long l = lrand48();
    printf("child rand %d lrand48 %ld\n", fork_child_rand, fork_child_lrand48);
    printf("parent rand %d lrand48 %ld\n", r, l);
    return 0;
}

static int tokens(const char *word)
{
    char s[128];
    snprintf(s, sizeof s, "%s1,%s2,%s3", word, word, word);
    for (char *p = strtok(s, ","); p; p = strtok(NULL, ",")) {
        capsim_yield();
        printf("%s\n", p);
    }
    return 0;
}

static int times(time_t t)
{
    struct tm *lt = localtime(&t);
    capsim_yield();
    printf("localtime %04d-%02d-%02d %02d:%02d:%02d\n", lt->tm_year + 1900, lt->tm_mon + 1,
           lt->tm_mday, lt->tm_hour, lt->tm_min, lt->tm_sec);
    struct tm *gt = gmtime(&t);
    capsim_yield();
    printf("gmtime %04d-%02d-%02d %02d:%02d:%02d\n", gt->tm_year + 1900, gt->tm_mon + 1,
           gt->tm_mday, gt->tm_hour, gt->tm_min, gt->tm_sec);
    char *c = ctime(&t);
    capsim_yield();
    printf("ctime %s", c);
    char *a = asctime(gt);
    capsim_yield();
    printf("asctime %s", a);
    char *e = strerror((int)-t);
    capsim_yield();
    printf("strerror %s\n", e);
    return 0;
}

static int legacy(long n)
{
    int decpt, sign;
    char *e = ecvt((double)n / 7, 6, &decpt, &sign);
    capsim_yield();
    printf("ecvt %s %d %d\n", e, decpt, sign);
    char *f = fcvt((double)n / 7, 3, &decpt, &sign);
    capsim_yield();
    printf("fcvt %s %d %d\n", f, decpt, sign);
    char *l = l64a(n);
    capsim_yield();
    printf("l64a %s\n", l);
    return 0;
}

static int multibyte(const char *tag)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        return 1;
    const char *c = strcmp(tag, "a") ? "\xd0\xb6" : "\xc3\xa9";
    wchar_t w1 = 0, w2 = 0;
    size_t r1 = mbrtowc(&w1, c, 1, NULL);
    capsim_yield();
    size_t r2 = mbrtowc(&w1, c + 1, 1, NULL);
    size_t l1 = mbrlen(c, 1, NULL);
    capsim_yield();
    size_t l2 = mbrlen(c + 1, 1, NULL);
    int t1 = mbtowc(&w2, c, 1);
    capsim_yield();
    int t2 = mbtowc(&w2, c + 1, 1);
    printf("mbrtowc %d %d U+%04X\nmbrlen %d %d\nmbtowc %d %d U+%04X\n", (int)r1, (int)r2,
           (unsigned)w1, (int)l1, (int)l2, t1, t2, (unsigned)w2);
    struct lconv *lc = localeconv();
    lc->thousands_sep = (char *)tag;
    capsim_yield();
    printf("localeconv %s\n", lc->thousands_sep);
    return 0;
}

static int table(char *tag)
{
    int made = hcreate(16);
    hsearch((ENTRY){"key", tag}, ENTER);
    capsim_yield();
    ENTRY *e = hsearch((ENTRY){"key", NULL}, FIND);
    printf("hcreate %d hsearch %s\n", made, e ? (char *)e->data : "none");
    hdestroy();
    struct ether_addr a = {{2, 0, 0, 0, 0, (uint8_t)tag[0]}};
    char *s = ether_ntoa(&a);
    capsim_yield();
    printf("ether_ntoa %s\n", s);
    struct protoent *pe = getprotobyname(tag[0] == 'a' ? "tcp" : "udp");
    capsim_yield();
    printf("getprotobyname %s %d\n", pe ? pe->p_name : "none", pe ? pe->p_proto : -1);
    return 0;
}

typedef struct StateThread {
    int index;
    int h;                 /* the h_errno it sets */
    int code;              /* the unknown code it asks strerror for */
    char line[192];
} StateThread;

static void state_thread_entry(uintptr_t arg, uintptr_t unused)
{
    (void)unused;
    StateThread *t = (StateThread *)arg;
    if (t->h == NO_RECOVERY)
        gethostbyname("no-such-host.invalid"); /* the lookup sets it */
    else
        h_errno = t->h;
    char *e = strerror(t->code);
    char *sig = strsignal(SIGRTMIN + 1 + t->index);
    struct in_addr in = {htonl(0x0a000001u + (uint32_t)t->index)};
    char *ip = inet_ntoa(in);
    for (int i = 0; i < 3; i++)
        capsim_yield();
    snprintf(t->line, sizeof t->line, "thread %d h_errno %d strerror %s strsignal %s inet_ntoa %s",
             t->index, h_errno, e, sig, ip);
}

/* Runs fn on two new threads of this process, with args and args + size,
 * and waits for both; 0, or 1 when one could not start. */
static int state_two_threads(void (*fn)(uintptr_t, uintptr_t), void *args, size_t size)
{
    zx_handle_t th[2];
    for (int i = 0; i < 2; i++) {
        uintptr_t arg = (uintptr_t)args + (size_t)i * size;
        if (zx_thread_create(zx_process_self(), "t", 1, 0, &th[i]) != ZX_OK ||
            zx_thread_start(th[i], (uintptr_t)fn, 0, arg, 0) != ZX_OK)
            return 1;
    }
    for (int i = 0; i < 2; i++)
        zx_object_wait_one(th[i], ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    return 0;
}

static int threads(int tag)
{
    StateThread t[2] = {{0, NO_RECOVERY, -1000 - tag, ""}, {1, TRY_AGAIN, -2000 - tag, ""}};
    if (state_two_threads(state_thread_entry, t, sizeof t[0]))
        return 1;
    printf("%s\n%s\nmain h_errno %d\n", t[0].line, t[1].line, h_errno);
    return 0;
}

static void locale_report(const char *who)
{
    const char *all = setlocale(LC_ALL, NULL);
    printf("%s: LC_ALL %s, MB_CUR_MAX %zu\n", who, all ? all : "NULL", MB_CUR_MAX);
}

static void sleep_ns(zx_duration_t ns)
{
    zx_nanosleep(zx_deadline_after(ns));
}

typedef struct LocaleThread {
    locale_t use;          /* 0: none */
    char line[96];
} LocaleThread;

static void locale_thread_entry(uintptr_t arg, uintptr_t unused)
{
    (void)unused;
    LocaleThread *t = (LocaleThread *)arg;
    if (t->use)
        uselocale(t->use);
    for (int i = 0; i < 3; i++)
        capsim_yield();
    locale_t now = uselocale((locale_t)0);
    snprintf(t->line, sizeof t->line, "%s: MB_CUR_MAX %zu", now == LC_GLOBAL_LOCALE ? "global"
                                                            : now == t->use ? "own" : "?",
             MB_CUR_MAX);
}

static int locales(const char *mode)
{
    if (!strcmp(mode, "locale-set")) {
        const char *r = setlocale(LC_ALL, "C.UTF-8");
        printf("set %s\n", r ? r : "NULL");
        sleep_ns(1000000);
        locale_report("set, after the others ran");
        setlocale(LC_NUMERIC, "C");
        locale_report("set, numeric C");
        return 0;
    }
    if (!strcmp(mode, "locale-plain")) {
        sleep_ns(200000);
        locale_report("plain");
        return 0;
    }
    LocaleThread t[2] = {{newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0), ""}, {0, ""}};
    if (state_two_threads(locale_thread_entry, t, sizeof t[0]))
        return 1;
    printf("%s\n%s\n", t[0].line, t[1].line);
    locale_report("main");
    freelocale(t[0].use);
    return 0;
}

static int logs(const char *tag)
{
    bool a = !strcmp(tag, "a");
    openlog(tag, LOG_PERROR | (a ? 0 : LOG_PID), LOG_USER);
    int old = setlogmask(a ? LOG_UPTO(LOG_ERR) : LOG_UPTO(LOG_DEBUG));
    capsim_yield();
    syslog(LOG_WARNING, "warning from %s", tag);
    syslog(LOG_ERR, "error from %s", tag);
    int now = setlogmask(0);
    closelog();
    printf("setlogmask %d then %d\n", old, now);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "prng") && argc > 4)
        return prng(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (!strcmp(mode, "prng-fork"))
        return prng_fork();
    if (!strcmp(mode, "strtok") && argc > 2)
        return tokens(argv[2]);
    if (!strcmp(mode, "time") && argc > 2)
        return times((time_t)atol(argv[2]));
    if (!strcmp(mode, "legacy") && argc > 2)
        return legacy(atol(argv[2]));
    if (!strcmp(mode, "mb") && argc > 2)
        return multibyte(argv[2]);
    if (!strcmp(mode, "table") && argc > 2)
        return table(argv[2]);
    if (!strcmp(mode, "threads") && argc > 2)
        return threads(atoi(argv[2]));
    if (!strncmp(mode, "locale-", 7))
        return locales(mode);
    if (!strcmp(mode, "syslog") && argc > 2)
        return logs(argv[2]);
    fprintf(stderr, "usage: state prng|prng-fork|strtok|time|legacy|mb|table|threads|locale-...\n");
    return 2;
}
