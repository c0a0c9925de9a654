/* libc_mbstate.c — the multibyte conversions' own shift states, one set
 * per simulated process.
 *
 * Models: POSIX gives mbrtowc and its relatives an internal mbstate_t each,
 * used when the caller passes none, that a real process owns. glibc's are
 * one per host process: in C.UTF-8, process A's mbrtowc(&wc, s, 1, NULL)
 * on the first byte of a two-byte character left that byte in the shared
 * state, and process B's next call decoded A's byte with its own — a
 * channel between sandboxes, and characters one process never wrote.
 *
 *   mbrtowc, mbrlen (and __mbrlen, which <wchar.h>'s inline mbrlen calls),
 *   wcrtomb, mbsrtowcs, wcsrtombs, mbsnrtowcs, wcsnrtombs, mbrtoc8,
 *   c8rtomb, mbrtoc16, c16rtomb, mbrtoc32, c32rtomb
 *                            with a NULL state: the process's state of that
 *                            function (glibc's own, behind an alias, is
 *                            mbrtowc's for mbrtoc32 and wcrtomb's for
 *                            c32rtomb: so here too); with the caller's:
 *                            libc's, unchanged
 *   mbtowc                   the process's state: NULL resets it (0: the
 *                            encodings apps may have are stateless), a
 *                            character as glibc's (-1 for -1 and -2)
 *
 * mblen resets its state at every call in glibc, and wctomb's UTF-8 and
 * ASCII keep none: nothing to share. The states live in the process's
 * buffers (libc_static_buffers.h); out of memory, libc's own serves. The
 * rule, as in libc_tz.c: app code gets these, anyone else libc's own.
 * Read next: libc_h_errno.c.
 */
#include <stdlib.h>
#include <string.h>
#include <uchar.h>
#include <wchar.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

/* The state to pass on: the caller's, else (app code) the process's state
 * `which`, else NULL (libc's own). */
static mbstate_t *libc_mbstate(int which, mbstate_t *ps)
{
    if (ps || !app_world_in_app_code())
        return ps;
    LibcProcBuffers *b = libc_proc_buffers();
    return b ? &b->mbstate[which] : NULL;
}

/* libc's `name` with the state argument replaced by libc_mbstate's. */
#define LIBC_MBSTATE(ret, name, params, args)                                  \
    LIBC_NEXT_SLOT(name);                                                      \
    ret name params                                                            \
    {                                                                          \
        return LIBC_NEXT(ret (*) params, name) args;                           \
    }

LIBC_MBSTATE(size_t, mbrtowc, (wchar_t *pwc, const char *s, size_t n, mbstate_t *ps),
             (pwc, s, n, libc_mbstate(LIBC_MB_MBRTOWC, ps)))
LIBC_MBSTATE(size_t, mbrtoc32, (char32_t *pc, const char *s, size_t n, mbstate_t *ps),
             (pc, s, n, libc_mbstate(LIBC_MB_MBRTOWC, ps)))
LIBC_MBSTATE(size_t, mbrlen, (const char *s, size_t n, mbstate_t *ps),
             (s, n, libc_mbstate(LIBC_MB_MBRLEN, ps)))
LIBC_MBSTATE(size_t, __mbrlen, (const char *s, size_t n, mbstate_t *ps),
             (s, n, libc_mbstate(LIBC_MB_MBRLEN, ps)))
LIBC_MBSTATE(size_t, wcrtomb, (char *s, wchar_t wc, mbstate_t *ps),
             (s, wc, libc_mbstate(LIBC_MB_WCRTOMB, ps)))
LIBC_MBSTATE(size_t, c32rtomb, (char *s, char32_t c, mbstate_t *ps),
             (s, c, libc_mbstate(LIBC_MB_WCRTOMB, ps)))
LIBC_MBSTATE(size_t, mbsrtowcs, (wchar_t *d, const char **s, size_t n, mbstate_t *ps),
             (d, s, n, libc_mbstate(LIBC_MB_MBSRTOWCS, ps)))
LIBC_MBSTATE(size_t, wcsrtombs, (char *d, const wchar_t **s, size_t n, mbstate_t *ps),
             (d, s, n, libc_mbstate(LIBC_MB_WCSRTOMBS, ps)))
LIBC_MBSTATE(size_t, mbsnrtowcs,
             (wchar_t *d, const char **s, size_t nms, size_t n, mbstate_t *ps),
             (d, s, nms, n, libc_mbstate(LIBC_MB_MBSNRTOWCS, ps)))
LIBC_MBSTATE(size_t, wcsnrtombs,
             (char *d, const wchar_t **s, size_t nwc, size_t n, mbstate_t *ps),
             (d, s, nwc, n, libc_mbstate(LIBC_MB_WCSNRTOMBS, ps)))
LIBC_MBSTATE(size_t, mbrtoc8, (char8_t *pc, const char *s, size_t n, mbstate_t *ps),
             (pc, s, n, libc_mbstate(LIBC_MB_MBRTOC8, ps)))
LIBC_MBSTATE(size_t, c8rtomb, (char *s, char8_t c, mbstate_t *ps),
             (s, c, libc_mbstate(LIBC_MB_C8RTOMB, ps)))
LIBC_MBSTATE(size_t, mbrtoc16, (char16_t *pc, const char *s, size_t n, mbstate_t *ps),
             (pc, s, n, libc_mbstate(LIBC_MB_MBRTOC16, ps)))
LIBC_MBSTATE(size_t, c16rtomb, (char *s, char16_t c, mbstate_t *ps),
             (s, c, libc_mbstate(LIBC_MB_C16RTOMB, ps)))

LIBC_NEXT_SLOT(mbtowc);
int mbtowc(wchar_t *pwc, const char *s, size_t n)
{
    mbstate_t *st = libc_mbstate(LIBC_MB_MBTOWC, NULL);
    if (!st)
        return LIBC_NEXT(int (*)(wchar_t *, const char *, size_t), mbtowc)(pwc, s, n);
    if (!s) {
        memset(st, 0, sizeof *st);
        return 0;
    }
    if (!*s) {
        if (pwc)
            *pwc = 0;
        return 0;
    }
    size_t r = mbrtowc(pwc, s, n, st);
    return r == (size_t)-1 || r == (size_t)-2 ? -1 : (int)r;
}
