/* fdio_walk.c — directory walks of app code: glob, ftw, nftw.
 *
 * What it models: the libc calls that walk directories, as a Fuchsia
 * program sees them: over the namespace. glibc's own open the host's
 * directories through its internal opendir and lstat, which no interposer
 * sees: an app's nftw("/tmp") listed the HOST's /tmp. For code of a
 * process using fdio (fdio_libc_proc):
 *
 *   glob, glob64    glibc's, given fdio's opendir/readdir/closedir/stat as
 *                   its GLOB_ALTDIRFUNC functions (a caller's own
 *                   ALTDIRFUNC functions are kept); GLOB_TILDE and
 *                   GLOB_TILDE_CHECK are dropped, as Fuchsia's glob ignores
 *                   them: `~` and `~user` are names like any other (glibc's
 *                   looked the user up in the HOST's /etc/passwd and nscd)
 *   nftw, ftw (+64) a walk over fdio's directory streams here: entries in
 *                   the order the server lists them, pre-order (post-order
 *                   with FTW_DEPTH: FTW_DP), FTW_F/FTW_D/FTW_DNR/FTW_NS
 *                   (never FTW_SL: fdio has no symbolic links, so FTW_PHYS
 *                   and FTW_MOUNT change nothing), FTW_CHDIR (the process's
 *                   working directory follows) and GNU FTW_ACTIONRETVAL;
 *                   the first nonzero callback result ends the walk and is
 *                   returned; a start that is not there: -1 and stat's
 *                   errno. One directory stream is open per level (nopenfd
 *                   is not a limit here)
 *
 * Every other caller (the host) gets libc's own. Read next: fdio_temp.c.
 */
/* libc's own symbols are defined here: plain names, no *64 redirection. */
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_call.h"
#include "fdio_internal.h"
#include "libc_next.h"

/* ---- glob ------------------------------------------------------------------ */
static void *fdio_walk_opendir(const char *path)
{
    return opendir(path);
}

static void *fdio_walk_readdir(void *dir)
{
    return readdir(dir);
}

static void fdio_walk_closedir(void *dir)
{
    closedir(dir);
}

static int fdio_walk_stat(const char *restrict path, struct stat *restrict st)
{
    return stat(path, st);
}

typedef int (*FdioGlobErr)(const char *, int);

/* glibc's glob over fdio: its GLOB_ALTDIRFUNC functions are ours, unless
 * the caller brought its own, and no tilde expansion. glob64_t is glob_t
 * here (x86-64, AArch64). */
static int fdio_walk_glob_flags(int flags, glob_t *g)
{
    if (!fdio_libc_proc())
        return flags;
    flags &= ~(GLOB_TILDE | GLOB_TILDE_CHECK);
    if (flags & GLOB_ALTDIRFUNC)
        return flags;
    g->gl_opendir = fdio_walk_opendir;
    g->gl_readdir = (struct dirent *(*)(void *))fdio_walk_readdir;
    g->gl_closedir = fdio_walk_closedir;
    g->gl_stat = fdio_walk_stat;
    g->gl_lstat = fdio_walk_stat;
    return flags | GLOB_ALTDIRFUNC;
}

_Static_assert(sizeof(glob_t) == sizeof(glob64_t), "glob64_t layout");

LIBC_NEXT_SLOT(glob);
int glob(const char *pattern, int flags, FdioGlobErr errfunc, glob_t *g)
{
    flags = fdio_walk_glob_flags(flags, g);
    return LIBC_NEXT(int (*)(const char *, int, FdioGlobErr, glob_t *), glob)(pattern, flags,
                                                                              errfunc, g);
}

LIBC_NEXT_SLOT(glob64);
int glob64(const char *pattern, int flags, FdioGlobErr errfunc, glob64_t *g)
{
    flags = fdio_walk_glob_flags(flags, (glob_t *)g);
    return LIBC_NEXT(int (*)(const char *, int, FdioGlobErr, glob64_t *), glob64)(
        pattern, flags, errfunc, g);
}

/* ---- ftw and nftw ------------------------------------------------------------- */
typedef int (*FdioNftwFn)(const char *, const struct stat *, int, struct FTW *);
typedef int (*FdioFtwFn)(const char *, const struct stat *, int);

typedef struct FdioWalk {
    FdioProcess *fp;
    int flags;                 /* nftw's FTW_* flags */
    FdioNftwFn nftw_fn;        /* one of the two callbacks */
    FdioFtwFn ftw_fn;
    char start_cwd[FIO_MAX_PATH + 2];   /* what a relative path is against */
    char path[FIO_MAX_PATH + 2];
} FdioWalk;

static int fdio_walk_call(FdioWalk *w, const struct stat *st, int type, size_t base,
                          int level)
{
    if (w->ftw_fn)
        return app_call_ftw(w->ftw_fn, w->path, st, type);
    struct FTW f = {(int)base, level};
    return app_call_nftw(w->nftw_fn, w->path, st, type, &f);
}

/* Under FTW_ACTIONRETVAL, does result r end the walk of this level? */
static bool fdio_walk_stops(const FdioWalk *w, int r)
{
    return (w->flags & FTW_ACTIONRETVAL) ? r == FTW_STOP || r == FTW_SKIP_SIBLINGS : r != 0;
}

static int fdio_walk_node(FdioWalk *w, size_t len, size_t base, int level);

/* The entries of the directory at w->path (len bytes), one level down. */
static int fdio_walk_children(FdioWalk *w, DIR *d, size_t len, int level)
{
    struct dirent *e;
    bool slash = len > 0 && w->path[len - 1] == '/';
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t nlen = strlen(e->d_name), at = len + (slash ? 0 : 1);
        if (at + nlen + 1 > sizeof w->path)
            return fdio_libc_fail(ENAMETOOLONG);
        if (!slash)
            w->path[len] = '/';
        memcpy(w->path + at, e->d_name, nlen + 1);
        int r = fdio_walk_node(w, at + nlen, at, level + 1);
        w->path[len] = '\0';
        if (r < 0 || fdio_walk_stops(w, r))
            return r == FTW_SKIP_SIBLINGS && (w->flags & FTW_ACTIONRETVAL) ? 0 : r;
    }
    return 0;
}

static int fdio_walk_dir(FdioWalk *w, const struct stat *st, size_t len, size_t base, int level)
{
    bool depth = w->flags & FTW_DEPTH;
    int r = depth ? 0 : fdio_walk_call(w, st, FTW_D, base, level);
    if (r != 0 && (!(w->flags & FTW_ACTIONRETVAL) || r != FTW_SKIP_SUBTREE))
        return r;
    if (r == 0) {
        DIR *d = opendir(w->path);
        if (!d)
            return fdio_walk_call(w, st, FTW_DNR, base, level);
        char cwd[sizeof w->fp->cwd];
        memcpy(cwd, w->fp->cwd, sizeof cwd);
        if (w->flags & FTW_CHDIR)
            memcpy(w->fp->cwd, w->start_cwd, sizeof cwd);
        if ((w->flags & FTW_CHDIR) && chdir(w->path) < 0)
            r = -1;
        else
            r = fdio_walk_children(w, d, len, level);
        memcpy(w->fp->cwd, cwd, sizeof cwd);
        int saved = errno;
        closedir(d);
        errno = saved;
        if (r != 0)
            return r;
    }
    return depth ? fdio_walk_call(w, st, FTW_DP, base, level) : 0;
}

/* Walk w->path (len bytes, its last name at base): 0, the callback's
 * result that ended the walk, or -1 with errno. */
static int fdio_walk_node(FdioWalk *w, size_t len, size_t base, int level)
{
    struct stat st;
    if (fdio_posix_stat(w->fp, w->path, &st) < 0) {
        if (level == 0)
            return -1;
        memset(&st, 0, sizeof st);
        return fdio_walk_call(w, &st, FTW_NS, base, level);
    }
    if (!S_ISDIR(st.st_mode))
        return fdio_walk_call(w, &st, FTW_F, base, level);
    int r = fdio_walk_dir(w, &st, len, base, level);
    return (w->flags & FTW_ACTIONRETVAL) && r == FTW_SKIP_SUBTREE ? 0 : r;
}

static int fdio_walk(FdioProcess *fp, const char *path, FdioNftwFn nftw_fn, FdioFtwFn ftw_fn,
                     int flags)
{
    FdioWalk w = {.fp = fp, .flags = flags, .nftw_fn = nftw_fn, .ftw_fn = ftw_fn};
    size_t len = strlen(path);
    if (len == 0)
        return fdio_libc_fail(ENOENT);
    if (len + 1 > sizeof w.path)
        return fdio_libc_fail(ENAMETOOLONG);
    memcpy(w.path, path, len + 1);
    memcpy(w.start_cwd, fp->cwd, sizeof w.start_cwd);
    size_t base = len;
    while (base > 0 && w.path[base - 1] == '/')
        base--;
    while (base > 0 && w.path[base - 1] != '/')
        base--;
    return fdio_walk_node(&w, len, base, 0);
}

LIBC_NEXT_SLOT(nftw);
int nftw(const char *path, FdioNftwFn fn, int nopenfd, int flags)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(const char *, FdioNftwFn, int, int), nftw)(path, fn, nopenfd,
                                                                            flags);
    return fdio_walk(fp, path, fn, NULL, flags);
}

LIBC_NEXT_SLOT(ftw);
int ftw(const char *path, FdioFtwFn fn, int nopenfd)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(const char *, FdioFtwFn, int), ftw)(path, fn, nopenfd);
    return fdio_walk(fp, path, NULL, fn, 0);
}

int nftw64(const char *path,
           int (*fn)(const char *, const struct stat64 *, int, struct FTW *), int nopenfd,
           int flags)
{
    return nftw(path, (FdioNftwFn)fn, nopenfd, flags);
}

int ftw64(const char *path, int (*fn)(const char *, const struct stat64 *, int), int nopenfd)
{
    return ftw(path, (FdioFtwFn)fn, nopenfd);
}
