/* libc_alloc_results.c — libc calls whose result the caller frees, for
 * apps: the memory is a block of the process's heap (libc_malloc.c).
 *
 * Models: on Fuchsia everything libc hands a program to free comes from
 * the one allocator of its address space. glibc's versions of these calls
 * allocate inside glibc, whose calls to malloc carry glibc's return
 * address, so they got libc's heap: host memory, not the process's, never
 * freed with it (the app's free of it worked, by the address, but the
 * memory did not count as the process's and outlived it).
 *
 *   strdup, strndup, wcsdup     the copy
 *   asprintf, vasprintf (+ the fortified __asprintf_chk, __vasprintf_chk)
 *                               the formatted string: formatted once into
 *                               a small buffer, again into the block when
 *                               it did not fit; -1 on a format error or
 *                               ENOMEM, *strp untouched
 *   getline, getdelim, __getdelim
 *                               the line buffer, grown with realloc as the
 *                               app's own call would (an app's block stays
 *                               in its heap)
 *
 * The others live with what they model: open_memstream and
 * open_wmemstream (libc_memstream.c); realpath(p, NULL),
 * canonicalize_file_name, getcwd(NULL, n), get_current_dir_name,
 * tempnam, scandir (model/sdk/fdio_*.c).
 *
 * Who gets the heap: malloc's rule (libc_malloc_app_caller) applied to the
 * caller of these functions; every other caller gets libc's own, the next
 * definition (ASan's, whose versions call the next one, would otherwise
 * come back here). glibc's long-lived allocations of its own (locale
 * data, FILE structures, NSS caches) are untouched: they stay libc's.
 * Read next: libc_memstream.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

#include "libc_malloc.h"
#include "libc_next.h"

#define RESULTS_LINE_START 120u

/* ---- copies -------------------------------------------------------------*/

char *libc_strdup_for(const void *caller, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = libc_malloc_for(caller, n);
    return p ? memcpy(p, s, n) : NULL;
}

LIBC_NEXT_SLOT(strdup);
char *strdup(const char *s)
{
    const void *caller = __builtin_return_address(0);
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(char *(*)(const char *), strdup)(s);
    return libc_strdup_for(caller, s);
}

LIBC_NEXT_SLOT(strndup);
char *strndup(const char *s, size_t max)
{
    const void *caller = __builtin_return_address(0);
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(char *(*)(const char *, size_t), strndup)(s, max);
    size_t n = strnlen(s, max);
    char *p = libc_malloc_for(caller, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

LIBC_NEXT_SLOT(wcsdup);
wchar_t *wcsdup(const wchar_t *s)
{
    const void *caller = __builtin_return_address(0);
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(wchar_t *(*)(const wchar_t *), wcsdup)(s);
    size_t n = (wcslen(s) + 1) * sizeof *s;
    wchar_t *p = libc_malloc_for(caller, n);
    return p ? memcpy(p, s, n) : NULL;
}

/* ---- asprintf -------------------------------------------------------------*/

static int results_vasprintf(const void *caller, char **out, const char *fmt, va_list ap)
{
    char small[256];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    char *s = n < 0 ? NULL : libc_malloc_for(caller, (size_t)n + 1);
    if (s && (size_t)n < sizeof small)
        memcpy(s, small, (size_t)n + 1);
    else if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    if (!s)
        return -1;
    *out = s;
    return n;
}

typedef int (*ResultsVasprintfFn)(char **, const char *, va_list);
LIBC_NEXT_SLOT(vasprintf);

/* vasprintf as called from `caller`: ours for app code, else libc's. */
static int results_vasprintf_from(const void *caller, char **out, const char *fmt,
                                  va_list ap)
{
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(ResultsVasprintfFn, vasprintf)(out, fmt, ap);
    return results_vasprintf(caller, out, fmt, ap);
}

int vasprintf(char **out, const char *fmt, va_list ap)
{
    return results_vasprintf_from(__builtin_return_address(0), out, fmt, ap);
}

int asprintf(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = results_vasprintf_from(__builtin_return_address(0), out, fmt, ap);
    va_end(ap);
    return n;
}

/* _FORTIFY_SOURCE=2's names for them (the flag asks glibc to refuse %n in
 * writable formats: the formatting above is glibc's own vsnprintf). */
int __vasprintf_chk(char **out, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return results_vasprintf_from(__builtin_return_address(0), out, fmt, ap);
}

int __asprintf_chk(char **out, int flag, const char *fmt, ...)
{
    (void)flag;
    va_list ap;
    va_start(ap, fmt);
    int n = results_vasprintf_from(__builtin_return_address(0), out, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- getline ---------------------------------------------------------------*/

/* getdelim for app code: the line buffer is grown by realloc as the app's
 * own call would grow it, so an app's block stays in its heap. */
static ssize_t results_getdelim(const void *caller, char **line, size_t *cap, int delim,
                                FILE *f)
{
    if (!line || !cap || !f) {
        errno = EINVAL;
        return -1;
    }
    if (!*line || !*cap) {
        char *p = libc_realloc_for(caller, *line, RESULTS_LINE_START);
        if (!p)
            return -1;
        *line = p;
        *cap = RESULTS_LINE_START;
    }
    size_t len = 0;
    ssize_t result = -1;
    flockfile(f);
    for (int c; (c = getc_unlocked(f)) != EOF;) {
        if (len + 2 > *cap) {
            size_t grown = *cap * 2;
            char *p = grown > *cap ? libc_realloc_for(caller, *line, grown) : NULL;
            if (!p) {
                errno = ENOMEM;
                len = 0;
                break;
            }
            *line = p;
            *cap = grown;
        }
        (*line)[len++] = (char)c;
        if (c == delim)
            break;
    }
    funlockfile(f);
    if (len) {
        (*line)[len] = '\0';
        result = (ssize_t)len;
    }
    return result;
}

typedef ssize_t (*ResultsGetdelimFn)(char **, size_t *, int, FILE *);
LIBC_NEXT_SLOT(getdelim);

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    const void *caller = __builtin_return_address(0);
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(ResultsGetdelimFn, getdelim)(line, cap, delim, f);
    return results_getdelim(caller, line, cap, delim, f);
}

/* glibc's <stdio.h> inlines getline as this when optimizing. */
ssize_t __getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    const void *caller = __builtin_return_address(0);
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(ResultsGetdelimFn, getdelim)(line, cap, delim, f);
    return results_getdelim(caller, line, cap, delim, f);
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
    const void *caller = __builtin_return_address(0);
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(ResultsGetdelimFn, getdelim)(line, cap, '\n', f);
    return results_getdelim(caller, line, cap, '\n', f);
}
