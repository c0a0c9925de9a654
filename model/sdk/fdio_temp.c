/* fdio_temp.c — temporary files and names of app code, in the namespace.
 *
 * What it models: mkstemp and friends as Fuchsia's libc gives them on
 * fdio. glibc's versions open, create and stat through its internal entry
 * points (__open, __mkdir, __lstat64), which no interposer sees: an app's
 * mkstemp made a REAL host file with a name from the host's entropy, and
 * its unlink (fdio's) could not even find it again. Here, for code of a
 * process using fdio (fdio_libc_proc):
 *
 *   mkstemp, mkostemp, mkstemps,   the six X's before the suffix become
 *     mkostemps (+64)              letters drawn with zx_cprng_draw (so the
 *                                  names repeat with the seed); the file is
 *                                  created with fdio's open(O_RDWR |
 *                                  O_CREAT | O_EXCL, 0600); mkostemp's
 *                                  flags are added (O_APPEND counts)
 *   mkdtemp                        the same, with fdio's mkdir(0700)
 *   mktemp, tmpnam, tmpnam_r,      a name nothing in the namespace has
 *     tempnam                      (fdio's stat says ENOENT); tmpnam's
 *                                  buffer (s NULL) is the process's own
 *                                  (model/app/libc_static_buffers.c)
 *   tmpfile (+64)                  /tmp/tmpfXXXXXX made as mkstemp does,
 *                                  unlinked at once, as a "w+" FILE (a
 *                                  cookie stream, like fopen's)
 *
 * The directory is the template's (mk*), P_tmpdir "/tmp" (tmpfile,
 * tmpnam) or tempnam's choice (TMPDIR of the process's environment, else
 * dir, else /tmp: the first that is a directory in the namespace; none:
 * ENOENT), as glibc picks. Errors are what fdio's open/mkdir give there: a
 * namespace without /tmp makes them ENOENT, a read-only /tmp EACCES. A
 * template not ending in XXXXXX (before the suffix) is EINVAL; after 100
 * names taken (musl's count, Fuchsia's libc) EEXIST. On failure the X's
 * are put back.
 *
 * Every other caller (the host) gets libc's own. Read next: fdio_dir.c.
 */
/* libc's own symbols are defined here: plain names, no *64 redirection. */
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"
#include "libc_malloc.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

#define FDIO_TEMP_ATTEMPTS 100
#define FDIO_TEMP_X "XXXXXX"
#define FDIO_TEMP_NX 6

LIBC_NEXT_SLOT(mkostemps);
LIBC_NEXT_SLOT(mkdtemp);
LIBC_NEXT_SLOT(mktemp);
LIBC_NEXT_SLOT(tmpfile);
LIBC_NEXT_SLOT(tmpnam);
LIBC_NEXT_SLOT(tmpnam_r);
LIBC_NEXT_SLOT(tempnam);

typedef enum FdioTempKind {
    FDIO_TEMP_FILE,           /* create a file: its descriptor */
    FDIO_TEMP_DIR,            /* create a directory: 0 */
    FDIO_TEMP_NAME            /* only find a free name: 0 */
} FdioTempKind;

static const char fdio_temp_letters[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/* Six letters for the X's from one draw of the CPRNG (62^6 < 2^64: the
 * skew of taking remainders is below 2^-27). */
static void fdio_temp_fill(char *x)
{
    uint64_t v = 0;
    zx_cprng_draw(&v, sizeof v);
    for (int i = 0; i < FDIO_TEMP_NX; i++) {
        x[i] = fdio_temp_letters[v % (sizeof fdio_temp_letters - 1)];
        v /= sizeof fdio_temp_letters - 1;
    }
}

/* One attempt on the name in tmpl: >= 0 done, -1 with errno. */
static int fdio_temp_try(FdioProcess *fp, const char *tmpl, int flags, FdioTempKind kind)
{
    struct stat st;
    switch (kind) {
    case FDIO_TEMP_FILE:
        return fdio_posix_open(fp, tmpl, (flags & ~O_ACCMODE) | O_RDWR | O_CREAT | O_EXCL,
                               0600);
    case FDIO_TEMP_DIR:
        return fdio_posix_mkdir(fp, tmpl, 0700);
    default:
        if (fdio_posix_stat(fp, tmpl, &st) == 0)
            return fdio_libc_fail(EEXIST);
        return errno == ENOENT ? 0 : -1;
    }
}

static int fdio_temp_make(FdioProcess *fp, char *tmpl, int suffixlen, int flags,
                          FdioTempKind kind)
{
    size_t len = strlen(tmpl);
    if (suffixlen < 0 || len < FDIO_TEMP_NX + (size_t)suffixlen)
        return fdio_libc_fail(EINVAL);
    char *x = tmpl + len - (size_t)suffixlen - FDIO_TEMP_NX;
    if (memcmp(x, FDIO_TEMP_X, FDIO_TEMP_NX) != 0)
        return fdio_libc_fail(EINVAL);
    int r = -1;
    for (int i = 0; i < FDIO_TEMP_ATTEMPTS; i++) {
        fdio_temp_fill(x);
        r = fdio_temp_try(fp, tmpl, flags, kind);
        if (r >= 0 || errno != EEXIST)
            break;
    }
    if (r < 0) {
        int saved = errno;
        memcpy(x, FDIO_TEMP_X, FDIO_TEMP_NX);
        errno = saved;
    }
    return r;
}

/* ---- files and directories ------------------------------------------------ */
int mkostemps(char *tmpl, int suffixlen, int flags)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(char *, int, int), mkostemps)(tmpl, suffixlen, flags);
    return fdio_temp_make(fp, tmpl, suffixlen, flags, FDIO_TEMP_FILE);
}

int mkstemp(char *tmpl)
{
    return mkostemps(tmpl, 0, 0);
}

int mkostemp(char *tmpl, int flags)
{
    return mkostemps(tmpl, 0, flags);
}

int mkstemps(char *tmpl, int suffixlen)
{
    return mkostemps(tmpl, suffixlen, 0);
}

int mkstemp64(char *tmpl) __attribute__((alias("mkstemp")));
int mkostemp64(char *tmpl, int flags) __attribute__((alias("mkostemp")));
int mkstemps64(char *tmpl, int suffixlen) __attribute__((alias("mkstemps")));
int mkostemps64(char *tmpl, int suffixlen, int flags) __attribute__((alias("mkostemps")));

char *mkdtemp(char *tmpl)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(char *(*)(char *), mkdtemp)(tmpl);
    return fdio_temp_make(fp, tmpl, 0, 0, FDIO_TEMP_DIR) < 0 ? NULL : tmpl;
}

FILE *tmpfile(void)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(FILE * (*)(void), tmpfile)();
    char path[] = P_tmpdir "/tmpf" FDIO_TEMP_X;
    int fd = fdio_temp_make(fp, path, 0, 0, FDIO_TEMP_FILE);
    if (fd < 0)
        return NULL;
    fdio_posix_unlink(fp, path, false);   /* the open file outlives its name */
    FILE *f = fdio_fd_stream(fd, "w+");
    if (!f) {
        int saved = errno;
        fdio_posix_close(fp, fd);
        errno = saved;
    }
    return f;
}
FILE *tmpfile64(void) __attribute__((alias("tmpfile")));

/* ---- names only ------------------------------------------------------------- */
char *mktemp(char *tmpl)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(char *(*)(char *), mktemp)(tmpl);
    if (fdio_temp_make(fp, tmpl, 0, 0, FDIO_TEMP_NAME) < 0)
        tmpl[0] = '\0';
    return tmpl;
}

static bool fdio_temp_is_dir(FdioProcess *fp, const char *path)
{
    struct stat st;
    int saved = errno;
    bool dir = path && fdio_posix_stat(fp, path, &st) == 0 && S_ISDIR(st.st_mode);
    errno = saved;
    return dir;
}

/* "<dir>/<pfx>XXXXXX" made free into out (cap bytes): 0 or -1 and errno. */
static int fdio_temp_name_in(FdioProcess *fp, const char *dir, const char *pfx, size_t pfxlen,
                             char *out, size_t cap)
{
    if (!fdio_temp_is_dir(fp, dir))
        return fdio_libc_fail(ENOENT);
    size_t dlen = strlen(dir);
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    int n = snprintf(out, cap, "%.*s/%.*s" FDIO_TEMP_X, (int)dlen, dir, (int)pfxlen, pfx);
    if (n < 0 || (size_t)n >= cap)
        return fdio_libc_fail(EINVAL);
    return fdio_temp_make(fp, out, 0, 0, FDIO_TEMP_NAME);
}

char *tmpnam_r(char s[L_tmpnam])
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(char *(*)(char *), tmpnam_r)(s);
    if (!s)
        return NULL;
    return fdio_temp_name_in(fp, P_tmpdir, "file", 4, s, L_tmpnam) < 0 ? NULL : s;
}

char *tmpnam(char s[L_tmpnam])
{
    if (!fdio_libc_proc())
        return LIBC_NEXT(char *(*)(char *), tmpnam)(s);
    LibcProcBuffers *b = s ? NULL : libc_proc_buffers();
    if (!s && !b)
        return NULL;
    return tmpnam_r(s ? s : b->tmpnam);
}

char *tempnam(const char *dir, const char *pfx)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(char *(*)(const char *, const char *), tempnam)(dir, pfx);
    const char *env = getenv("TMPDIR");
    const char *use = fdio_temp_is_dir(fp, env) ? env
                      : fdio_temp_is_dir(fp, dir) ? dir : P_tmpdir;
    if (!pfx || !*pfx)
        pfx = "file";
    size_t pfxlen = strnlen(pfx, 5);
    size_t cap = strlen(use) + pfxlen + FDIO_TEMP_NX + 2;
    char *out = libc_malloc_for(__builtin_return_address(0), cap);
    if (!out) {
        errno = ENOMEM;
        return NULL;
    }
    if (fdio_temp_name_in(fp, use, pfx, pfxlen, out, cap) < 0) {
        int saved = errno;
        free(out);
        errno = saved;
        return NULL;
    }
    return out;
}
