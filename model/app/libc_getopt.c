/* libc_getopt.c — getopt, getopt_long and getopt_long_only for apps, with
 * Fuchsia's libc's (musl's) rules and a place inside "-abc" per process.
 *
 * Models: option parsing as a program on Fuchsia sees it. glibc's differs
 * where programs notice, and kept its place inside a cluster ("-abc": at
 * b) in one hidden variable for the host process: two processes parsing
 * grouped flags at once read each other's letters. From app code
 * (app_world_app_caller), with optind, opterr, optopt and optarg libc's
 * own variables (per process, app_world_io.c) and the place in AppProc:
 *
 *   getopt (+__posix_getopt, what <unistd.h> names it under strict POSIX)
 *                  never moves argv: the first non-option ends the options
 *                  (glibc's moves them unless POSIXLY_CORRECT or a leading
 *                  '+'); a leading '-' gives each non-option as the
 *                  argument of option 1; "--" ends the options and is
 *                  passed; "-" alone is a non-option; an option's argument
 *                  is the rest of its word, else the next word ("::":
 *                  only the rest of its word, else NULL); options are
 *                  characters of the locale (a byte that is not one:
 *                  U+FFFD; in the C locale a byte above 127 is
 *                  0xDF00 | its low 8 bits, musl's C locale)
 *   getopt_long, getopt_long_only
 *                  do move argv: the options and their arguments are moved
 *                  before the non-options they skipped, one call at a time
 *                  (unless optstring starts with '+' or '-'); "--name",
 *                  "--name=value", any unambiguous prefix of a name (an
 *                  exact name wins); getopt_long_only takes "-name" too,
 *                  and falls back to the short options when no long one
 *                  fits; an unknown or ambiguous "--name" is '?' and
 *                  skipped
 *   optind = 0     restarts: optind 1, no place in a cluster
 *   errors         '?' with a message on the process's stderr,
 *                  "ARGV0: unrecognized option: c", ": option requires an
 *                  argument: ", ": option does not take an argument: ",
 *                  ": option is ambiguous: " (the long name as typed after
 *                  "--", "=value" included); none when opterr is 0 or
 *                  optstring (after '+'/'-') starts with ':', which also
 *                  makes a missing argument ':' instead of '?'; optopt is
 *                  the option character, or a long option's val
 *
 * One difference from the Fuchsia tree read (musl before 1.1.20): there,
 * "--verb=x" abbreviating "--verbose" lost its "=x" when a later long
 * option did not match; here the value is kept, as musl's later fix does.
 * Everyone else (the host, host libraries on an app's thread) gets
 * libc's own. Read next: libc_getdate.c.
 */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "app_world.h"
#include "libc_next.h"

/* One call's view of the parser: libc's variables, loaded and stored
 * back around the call, and the process's place in a cluster. */
typedef struct Getopt {
    int argc;
    char *const *argv;
    const char *optstring;
    int ind, err, opt;        /* optind, opterr, optopt */
    char *arg;                /* optarg */
    int *pos;                 /* the next character's offset in argv[ind]; 0: none */
} Getopt;

/* The character at s as musl's mbtowc reads it: its length (0 at the end
 * of the string, -1 if it is not a character of the locale). */
static int getopt_char(const char *s, wchar_t *c)
{
    unsigned char b = (unsigned char)*s;
    if (b < 0x80) {
        *c = b;
        return b != 0;
    }
    if (MB_CUR_MAX == 1) {
        *c = 0xdfff & (wchar_t)(signed char)b;
        return 1;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = mbrtowc(c, s, MB_LEN_MAX, &st);
    return n == (size_t)-1 || n == (size_t)-2 ? -1 : (int)n;
}

/* What follows option c in spec, or NULL if spec does not name it. */
static const char *getopt_find(const char *spec, wchar_t c)
{
    size_t i = 0;
    for (;;) {
        wchar_t d;
        int len = getopt_char(spec + i, &d);
        if (len == 0)
            return NULL;
        i += len > 0 ? (size_t)len : 1;
        if (len > 0 && d == c)
            return spec + i;
    }
}

/* "ARGV0" what "text" on the process's stderr, in one write. */
static void getopt_complain(const Getopt *g, const char *what, const char *text, size_t len)
{
    fprintf(stderr, "%s%s%.*s\n", g->argv[0] ? g->argv[0] : "", what, (int)len, text);
}

/* optstring past its leading '+' or '-'. */
static const char *getopt_spec(const char *optstring)
{
    return optstring + (optstring[0] == '+' || optstring[0] == '-');
}

/* An option's argument: the rest of its word or the next one. Returns c,
 * or '?'/':' when a required one is missing. */
static int getopt_argument(Getopt *g, const char *spec, const char *after, wchar_t c,
                           const char *at, int len)
{
    bool optional = after[1] == ':';
    if (optional) {
        g->arg = NULL;
    } else if (g->ind >= g->argc) {
        if (spec[0] == ':')
            return ':';
        if (g->err)
            getopt_complain(g, ": option requires an argument: ", at, (size_t)len);
        return '?';
    }
    if (!optional || *g->pos) {
        char *word = g->argv[g->ind++];
        g->arg = word ? word + *g->pos : NULL;
        *g->pos = 0;
    }
    return c;
}

static int getopt_short(Getopt *g)
{
    if (g->ind >= g->argc || !g->argv[g->ind])
        return -1;
    char *word = g->argv[g->ind];
    if (word[0] != '-') {
        if (g->optstring[0] != '-')
            return -1;
        g->arg = word; /* '-' first: a non-option is option 1's argument */
        g->ind++;
        return 1;
    }
    if (!word[1])
        return -1;
    if (word[1] == '-' && !word[2]) {
        g->ind++;
        return -1;
    }
    if (!*g->pos)
        *g->pos = 1;
    const char *at = word + *g->pos;
    wchar_t c;
    int len = getopt_char(at, &c);
    if (len < 0) {
        len = 1;
        c = 0xfffd;
    }
    g->opt = (int)c;
    *g->pos += len;
    if (!word[*g->pos]) {
        g->ind++;
        *g->pos = 0;
    }
    const char *spec = getopt_spec(g->optstring);
    const char *after = getopt_find(spec, c);
    if (!after) {
        if (spec[0] != ':' && g->err)
            getopt_complain(g, ": unrecognized option: ", at, (size_t)len);
        return '?';
    }
    return after[0] == ':' ? getopt_argument(g, spec, after, c, at, len) : (int)c;
}

/* Long option `match` matched, with the text after its name at rest. */
static int getopt_long_take(Getopt *g, const struct option *longopts, int match,
                            const char *rest, bool colon, int *idx)
{
    const struct option *o = &longopts[match];
    g->ind++;
    g->opt = o->val;
    if (*rest == '=') {
        if (!o->has_arg) {
            if (!colon && g->err)
                getopt_complain(g, ": option does not take an argument: ", o->name,
                                strlen(o->name));
            return '?';
        }
        g->arg = (char *)rest + 1;
    } else if (o->has_arg == required_argument) {
        g->arg = g->ind < g->argc ? g->argv[g->ind] : NULL;
        if (!g->arg) {
            if (colon)
                return ':';
            if (g->err)
                getopt_complain(g, ": option requires an argument: ", o->name, strlen(o->name));
            return '?';
        }
        g->ind++;
    }
    if (idx)
        *idx = match;
    if (o->flag) {
        *o->flag = o->val;
        return 0;
    }
    return o->val;
}

static int getopt_long_core(Getopt *g, const struct option *longopts, int *idx, bool longonly)
{
    g->arg = NULL;
    char *word = g->argv[g->ind];
    bool dashdash = word[0] == '-' && word[1] == '-' && word[2];
    if (!longopts || word[0] != '-' || !((longonly && word[1]) || dashdash))
        return getopt_short(g);
    bool colon = getopt_spec(g->optstring)[0] == ':';
    const char *start = word + 1 + (word[1] == '-');
    const char *rest = NULL;
    int match = -1, count = 0;
    for (int i = 0; longopts[i].name; i++) {
        const char *name = longopts[i].name, *p = start;
        while (*name && *name == *p)
            name++, p++;
        if (*p && *p != '=')
            continue;
        match = i;
        rest = p;
        if (!*name) { /* exact */
            count = 1;
            break;
        }
        count++;
    }
    if (count == 1)
        return getopt_long_take(g, longopts, match, rest, colon, idx);
    if (word[1] == '-') {
        if (!colon && g->err)
            getopt_complain(g, count ? ": option is ambiguous: " : ": unrecognized option: ",
                            word + 2, strlen(word + 2));
        g->ind++;
        return '?';
    }
    return getopt_short(g);
}

/* Moves argv[src] to dest, the words between one place up. */
static void getopt_rotate(char *const *argv, int dest, int src)
{
    char **av = (char **)argv;
    char *moved = av[src];
    memmove(&av[dest + 1], &av[dest], (size_t)(src - dest) * sizeof *av);
    av[dest] = moved;
}

static int getopt_long_any(Getopt *g, const struct option *longopts, int *idx, bool longonly)
{
    if (g->ind >= g->argc || !g->argv[g->ind])
        return -1;
    int skipped = g->ind;
    if (g->optstring[0] != '+' && g->optstring[0] != '-') {
        int i = g->ind;
        for (;; i++) {
            if (i >= g->argc || !g->argv[i])
                return -1;
            if (g->argv[i][0] == '-' && g->argv[i][1])
                break;
        }
        g->ind = i;
    }
    int resumed = g->ind;
    int r = getopt_long_core(g, longopts, idx, longonly);
    if (resumed > skipped) {
        int taken = g->ind - resumed;
        for (int k = 0; k < taken; k++)
            getopt_rotate(g->argv, skipped, g->ind - 1);
        g->ind = skipped + taken;
    }
    return r;
}

/* libc's int variables as the slots hold them (zero-extended). */
static int getopt_load_int(int slot)
{
    return (int)(unsigned)app_io_running(slot);
}

static void getopt_store_int(int slot, int v)
{
    app_io_set_running(slot, (unsigned)v);
}

enum { GETOPT_SHORT, GETOPT_LONG, GETOPT_LONG_ONLY };

static int getopt_run(int argc, char *const *argv, const char *optstring,
                      const struct option *longopts, int *idx, int kind)
{
    AppProc *ap = app_world_current_proc();
    Getopt g = {
        .argc = argc,
        .argv = argv,
        .optstring = optstring,
        .ind = getopt_load_int(APP_IO_OPTIND),
        .err = getopt_load_int(APP_IO_OPTERR),
        .opt = getopt_load_int(APP_IO_OPTOPT),
        .arg = (char *)(uintptr_t)app_io_running(APP_IO_OPTARG),
        .pos = &ap->getopt_pos,
    };
    if (!g.ind) {
        g.ind = 1;
        ap->getopt_pos = 0;
    }
    int r = kind == GETOPT_SHORT ? getopt_short(&g)
                                 : getopt_long_any(&g, longopts, idx, kind == GETOPT_LONG_ONLY);
    getopt_store_int(APP_IO_OPTIND, g.ind);
    getopt_store_int(APP_IO_OPTOPT, g.opt);
    app_io_set_running(APP_IO_OPTARG, (uintptr_t)g.arg);
    return r;
}

#define GETOPT_APP app_world_app_caller(__builtin_return_address(0))

typedef int (*GetoptFn)(int, char *const *, const char *);
typedef int (*GetoptLongFn)(int, char *const *, const char *, const struct option *, int *);

LIBC_NEXT_SLOT(getopt);
int getopt(int argc, char *const argv[], const char *optstring)
{
    if (!GETOPT_APP)
        return LIBC_NEXT(GetoptFn, getopt)(argc, argv, optstring);
    return getopt_run(argc, argv, optstring, NULL, NULL, GETOPT_SHORT);
}

LIBC_NEXT_SLOT(__posix_getopt);
int __posix_getopt(int argc, char *const argv[], const char *optstring)
{
    if (!GETOPT_APP)
        return LIBC_NEXT(GetoptFn, __posix_getopt)(argc, argv, optstring);
    return getopt_run(argc, argv, optstring, NULL, NULL, GETOPT_SHORT);
}

LIBC_NEXT_SLOT(getopt_long);
int getopt_long(int argc, char *const argv[], const char *optstring,
                const struct option *longopts, int *idx)
{
    if (!GETOPT_APP)
        return LIBC_NEXT(GetoptLongFn, getopt_long)(argc, argv, optstring, longopts, idx);
    return getopt_run(argc, argv, optstring, longopts, idx, GETOPT_LONG);
}

LIBC_NEXT_SLOT(getopt_long_only);
int getopt_long_only(int argc, char *const argv[], const char *optstring,
                     const struct option *longopts, int *idx)
{
    if (!GETOPT_APP)
        return LIBC_NEXT(GetoptLongFn, getopt_long_only)(argc, argv, optstring, longopts, idx);
    return getopt_run(argc, argv, optstring, longopts, idx, GETOPT_LONG_ONLY);
}
