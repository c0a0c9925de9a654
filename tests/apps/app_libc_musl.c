/* app_libc_musl.c — libc calls whose answers are Fuchsia's libc's (musl's)
 * rather than the host glibc's, and their state, which is each process's
 * own (tests/apps/test_libc_state.c, test_libc_getdate.c):
 *
 *   musl auxv               getauxval of a few entries, errno's name
 *   musl absent             qecvt, qfcvt and the libcrypt calls
 *   musl lgamma X           lgamma, lgammaf, lgammal and gamma of X, a
 *                           yield after each, then signgam
 *   musl getdate MASK TEXT  DATEMSK = MASK ("-": unset), getdate(TEXT), a
 *                           yield, the date or getdate_err; getdate_r's code
 *   musl getopt-cluster ARG...
 *                           getopt(optstring "abcdef:g") over ARG... (optind
 *                           starts at 2), a yield after each call
 *   musl getopt FN OPTSTRING ARG...
 *                           FN (short, long, longonly; "-quiet" added:
 *                           opterr 0) over {"prog", ARG...}: a line per
 *                           call, then argv as it was left
 *   musl getopt-reset       optind = 0 restarts mid-cluster and after the
 *                           end, on another argv
 *   PROG progname           the program's names, a yield, warnx and warn
 *                           (which print the short one), a failed assert */
#include <assert.h>
#include <capsim/app.h>
#include <crypt.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

static int auxv(void)
{
    static const struct {
        const char *name;
        unsigned long type;
    } entries[] = {{"AT_SECURE", AT_SECURE}, {"AT_PAGESZ", AT_PAGESZ},
                   {"AT_RANDOM", AT_RANDOM}, {"AT_HWCAP", AT_HWCAP},
                   {"AT_HWCAP2", AT_HWCAP2}, {"AT_PLATFORM", AT_PLATFORM},
                   {"AT_EXECFN", AT_EXECFN}, {"AT_UID", AT_UID}};
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        errno = 0;
        unsigned long v = getauxval(entries[i].type);
        printf("getauxval %s: %lu %s\n", entries[i].name, v, errno ? strerrorname_np(errno) : "-");
    }
    return 0;
}

/* A call answering a string: its text, or NULL and errno's name. */
static void show_string(const char *label, const char *s)
{
    printf("%s: %s %s\n", label, s ? s : "NULL", s ? "-" : strerrorname_np(errno));
}

static int absent(void)
{
    int decpt = 0, sign = 0;
    errno = 0;
    show_string("qecvt", qecvt(2.5L, 3, &decpt, &sign));
    errno = 0;
    show_string("qfcvt", qfcvt(2.5L, 3, &decpt, &sign));
    errno = 0;
    show_string("crypt", crypt("secret", "$1$salt$"));
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    errno = 0;
    show_string("crypt_r", crypt_r("secret", "$1$salt$", &data));
    errno = 0;
    show_string("crypt_rn", crypt_rn("secret", "$1$salt$", &data, (int)sizeof data));
    errno = 0;
    show_string("crypt_gensalt", crypt_gensalt("$1$", 0, NULL, 0));
    char out[CRYPT_GENSALT_OUTPUT_SIZE];
    errno = 0;
    show_string("crypt_gensalt_rn", crypt_gensalt_rn("$1$", 0, NULL, 0, out, (int)sizeof out));
    return 0;
}

static int gammas(double x)
{
    double r = lgamma(x);
    capsim_yield();
    printf("lgamma %.4f signgam %d\n", r, signgam);
    float rf = lgammaf((float)x);
    capsim_yield();
    printf("lgammaf %.4f signgam %d\n", (double)rf, signgam);
    long double rl = lgammal((long double)x);
    capsim_yield();
    printf("lgammal %.4Lf signgam %d\n", rl, signgam);
    r = gamma(x);
    capsim_yield();
    printf("gamma %.4f signgam %d\n", r, signgam);
    return 0;
}

static int dates(const char *mask, const char *text)
{
    if (strcmp(mask, "-"))
        setenv("DATEMSK", mask, 1);
    else
        unsetenv("DATEMSK");
    struct tm *t = getdate(text);
    capsim_yield();
    if (t)
        printf("getdate %04d-%02d-%02d %02d:%02d:%02d\n", t->tm_year + 1900, t->tm_mon + 1,
               t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec);
    else
        printf("getdate NULL getdate_err %d\n", getdate_err);
    struct tm mine;
    memset(&mine, 0, sizeof mine);
    int code = getdate_r(text, &mine);
    printf("getdate_r %d %04d-%02d-%02d\n", code, mine.tm_year + 1900, mine.tm_mon + 1,
           mine.tm_mday);
    return 0;
}

static int cluster(int argc, char **argv)
{
    optind = 2;
    int c;
    while ((c = getopt(argc, argv, "abcdef:g")) != -1) {
        capsim_yield();
        printf("%c optind %d optarg %s\n", c, optind, optarg ? optarg : "-");
    }
    printf("end optind %d\n", optind);
    return 0;
}

/* A getopt result as text: the character, or its number. */
static void show_char(const char *label, int c)
{
    if (c > ' ' && c < 127)
        printf(" %s '%c'", label, c);
    else
        printf(" %s %d", label, c);
}

static int parse(const char *fn, const char *optstring, int n, char **args)
{
    static const char *const kinds[] = {"short", "long", "longonly"};
    int kind = -1;
    for (int i = 0; i < 3; i++)
        if (!strncmp(fn, kinds[i], strlen(kinds[i])) &&
            (!fn[strlen(kinds[i])] || !strcmp(fn + strlen(kinds[i]), "-quiet")))
            kind = i;
    if (kind < 0)
        return 2;
    opterr = !strstr(fn, "-quiet");
    int flag = 0;
    const struct option longopts[] = {
        {"verbose", no_argument, NULL, 'v'},
        {"version", no_argument, &flag, 7},
        {"output", required_argument, NULL, 'o'},
        {"color", optional_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    char *av[16] = {"prog"};
    int ac = 1;
    for (int i = 0; i < n && ac < 15; i++)
        av[ac++] = args[i];
    for (;;) {
        int idx = -1;
        int c = kind == 0   ? getopt(ac, av, optstring)
                : kind == 1 ? getopt_long(ac, av, optstring, longopts, &idx)
                            : getopt_long_only(ac, av, optstring, longopts, &idx);
        show_char("c", c);
        printf(" optind %d optarg %s", optind, optarg ? optarg : "-");
        show_char("optopt", optopt);
        printf(" idx %d flag %d\n", idx, flag);
        if (c == -1)
            break;
        fflush(stdout);
    }
    printf("argv:");
    for (int i = 1; i < ac; i++)
        printf(" %s", av[i]);
    printf("\n");
    return 0;
}

static int reset(void)
{
    char *a[] = {"prog", "-abc", "-d", NULL};
    printf("%c", getopt(3, a, "abcd"));
    optind = 0; /* restart mid-cluster */
    int c;
    while ((c = getopt(3, a, "abcd")) != -1)
        printf("%c", c);
    char *b[] = {"prog", "-cd", "x", NULL};
    optind = 0;
    while ((c = getopt(3, b, "abcd")) != -1)
        printf("%c", c);
    printf(" optind %d\n", optind);
    return 0;
}

static int progname(int argc)
{
    printf("name %s short %s\n", program_invocation_name, program_invocation_short_name);
    capsim_yield(); /* another process names itself meanwhile */
    warnx("warnx %d", 1);
    errno = ENOENT;
    warn("warn");
    assert(argc == 0);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "progname"))
        return progname(argc);
    if (!strcmp(mode, "auxv"))
        return auxv();
    if (!strcmp(mode, "absent"))
        return absent();
    if (!strcmp(mode, "lgamma") && argc > 2)
        return gammas(atof(argv[2]));
    if (!strcmp(mode, "getdate") && argc > 3)
        return dates(argv[2], argv[3]);
    if (!strcmp(mode, "getopt-cluster"))
        return cluster(argc, argv);
    if (!strcmp(mode, "getopt") && argc > 3)
        return parse(argv[2], argv[3], argc - 4, argv + 4);
    if (!strcmp(mode, "getopt-reset"))
        return reset();
    fprintf(stderr, "usage: musl auxv|absent|lgamma X|getdate MASK TEXT|getopt...\n");
    return 2;
}
