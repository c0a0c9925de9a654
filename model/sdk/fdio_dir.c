/* fdio_dir.c — directory streams (DIR) of app code over fdio.
 *
 * What it models: opendir/readdir/closedir... as Fuchsia's libc gives them
 * on fdio: a DIR stream of a process using fdio lists a directory of its
 * namespace (a server's, or one of the namespace's own), never the host's.
 * These DIRs are capsim's own objects (FdioDir), told apart from the
 * host's glibc DIRs by the registry of the process that made them
 * (FdioProcess.dirs, gone with the process: a stream an app never closed
 * neither outlives it nor reaches another process or system). A call from
 * host code goes to libc; one from app code on a stream its process did
 * not open fails with EBADF, never reaching libc, which would read the
 * pointer as one of its own streams and the host's descriptors through it. scandir reads through the same streams:
 * glibc's own would open the HOST's directory (it calls glibc's internal
 * opendir, which no interposer sees).
 *
 *   readdir_r, readdir64_r   ENOSYS, as Fuchsia's fdio answers
 *   telldir                  -1, ENOSYS (Fuchsia); seekdir: no effect
 *   scandir, scandirat (+64) the entries readdir gives, filtered and
 *                            sorted with the caller's functions
 *
 * Invariants: an FdioDir holds one reference on its descriptor's object
 * (the descriptor itself); it is freed by closedir only. Read next:
 * fdio_walk.c (glob, ftw and nftw over these streams).
 */
/* libc's own symbols are defined here: plain names, no *64 redirection. */
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "app_call.h"
#include "fdio_internal.h"
#include "libc_malloc.h"
#include "libc_next.h"

LIBC_NEXT_SLOT(opendir);
LIBC_NEXT_SLOT(fdopendir);
LIBC_NEXT_SLOT(readdir);
LIBC_NEXT_SLOT(closedir);
LIBC_NEXT_SLOT(rewinddir);
LIBC_NEXT_SLOT(dirfd);
LIBC_NEXT_SLOT(readdir_r);
LIBC_NEXT_SLOT(telldir);
LIBC_NEXT_SLOT(seekdir);
LIBC_NEXT_SLOT(scandirat);

struct FdioDir {
    struct FdioDir *next;    /* the process's registry (FdioProcess.dirs) */
    int fd;
    struct dirent ent;
};

/* Whose stream `dir` is for the calling code: 1, the calling process's
 * own (*out); 0, libc's (host code); -1, none (app code naming a stream
 * its process never opened: errno EBADF). */
static int fdio_dir_lookup(DIR *dir, FdioDir **out)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return 0;
    for (FdioDir *x = fp->dirs; x; x = x->next)
        if ((DIR *)x == dir) {
            *out = x;
            return 1;
        }
    errno = EBADF;
    return -1;
}

void fdio_dir_release_all(FdioProcess *fp)
{
    while (fp->dirs) {
        FdioDir *d = fp->dirs;
        fp->dirs = d->next;
        free(d);
    }
}

/* A stream over fd; on failure fd is closed only if opendir opened it
 * (own): fdopendir leaves the caller's descriptor alone, as POSIX says. */
static DIR *fdio_dir_make(FdioProcess *fp, int fd, bool own)
{
    FdioObj *o = fdio_fd_get(fp, fd);
    FdioDir *d = NULL;
    if (o && o->tag != FIO_NODE_INFO_DIRECTORY)
        errno = ENOTDIR;
    else if (o && !(d = calloc(1, sizeof *d)))
        errno = ENOMEM;
    if (!d) {
        if (own)
            fdio_posix_close(fp, fd);
        return NULL;
    }
    d->fd = fd;
    d->next = fp->dirs;
    fp->dirs = d;
    return (DIR *)d;
}

DIR *opendir(const char *path)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(DIR *(*)(const char *), opendir)(path);
    int fd = fdio_posix_open(fp, path, O_RDONLY | O_DIRECTORY, 0);
    return fd < 0 ? NULL : fdio_dir_make(fp, fd, true);
}

DIR *fdopendir(int fd)
{
    FdioObj *o;
    int r = fdio_libc_fd(fd, &o);
    if (r == 0)
        return LIBC_NEXT(DIR *(*)(int), fdopendir)(fd);
    return r < 0 ? NULL : fdio_dir_make(fdio_process_get(), fd, false);
}

struct dirent *readdir(DIR *dir)
{
    FdioDir *d;
    int whose = fdio_dir_lookup(dir, &d);
    if (whose <= 0)
        return whose ? NULL : LIBC_NEXT(struct dirent *(*)(DIR *), readdir)(dir);
    FdioObj *o = fdio_fd_get(fdio_process_get(), d->fd);
    uint8_t type = DT_UNKNOWN;
    uint64_t ino = 0;
    if (!o) {
        errno = EBADF;
        return NULL;
    }
    int r = fdio_posix_readdir(o, d->ent.d_name, sizeof d->ent.d_name, &type, &ino);
    if (r <= 0)
        return NULL;
    d->ent.d_ino = (ino_t)ino;
    d->ent.d_type = type;
    d->ent.d_reclen = sizeof d->ent;
    return &d->ent;
}
struct dirent64 *readdir64(DIR *dir)
{
    return (struct dirent64 *)readdir(dir);
}

int closedir(DIR *dir)
{
    FdioDir *d;
    int whose = fdio_dir_lookup(dir, &d);
    if (whose <= 0)
        return whose ? -1 : LIBC_NEXT(int (*)(DIR *), closedir)(dir);
    FdioProcess *fp = fdio_process_get();
    for (FdioDir **p = &fp->dirs; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    int r = fdio_posix_close(fp, d->fd);
    free(d);
    return r;
}

void rewinddir(DIR *dir)
{
    FdioDir *d;
    int whose = fdio_dir_lookup(dir, &d);
    if (whose <= 0) {
        if (whose == 0)
            LIBC_NEXT(void (*)(DIR *), rewinddir)(dir);
        return;
    }
    FdioObj *o = fdio_fd_get(fdio_process_get(), d->fd);
    if (o)
        fdio_posix_rewinddir(o);
}

int dirfd(DIR *dir)
{
    FdioDir *d;
    int whose = fdio_dir_lookup(dir, &d);
    if (whose <= 0)
        return whose ? -1 : LIBC_NEXT(int (*)(DIR *), dirfd)(dir);
    return d->fd;
}

static int fdio_dir_readdir_r(DIR *dir, struct dirent *entry, struct dirent **result)
{
    FdioDir *d;
    int whose = fdio_dir_lookup(dir, &d);
    if (whose == 0)
        return LIBC_NEXT(int (*)(DIR *, struct dirent *, struct dirent **), readdir_r)(
            dir, entry, result);
    *result = NULL;
    return whose < 0 ? EBADF : ENOSYS;
}
int readdir_r(DIR *dir, struct dirent *entry, struct dirent **result)
{
    return fdio_dir_readdir_r(dir, entry, result);
}
int readdir64_r(DIR *dir, struct dirent64 *entry, struct dirent64 **result)
{
    return fdio_dir_readdir_r(dir, (struct dirent *)entry, (struct dirent **)result);
}

long telldir(DIR *dir)
{
    FdioDir *d;
    int whose = fdio_dir_lookup(dir, &d);
    if (whose <= 0)
        return whose ? -1 : LIBC_NEXT(long (*)(DIR *), telldir)(dir);
    return fdio_libc_fail(ENOSYS);
}

void seekdir(DIR *dir, long pos)
{
    FdioDir *d;
    if (fdio_dir_lookup(dir, &d) == 0)
        LIBC_NEXT(void (*)(DIR *, long), seekdir)(dir, pos);
}

typedef int (*FdioDirFilter)(const struct dirent *);
typedef int (*FdioDirCompare)(const struct dirent **, const struct dirent **);

/* Every entry of d that filter keeps, copied into a growing array: the
 * array and the entries are blocks of the heap malloc would give
 * `caller` (the app's, for app code), which frees them. */
static int fdio_dir_collect(DIR *d, FdioDirFilter filter, struct dirent ***out,
                            const void *caller)
{
    struct dirent **list = NULL, *e;
    size_t n = 0, cap = 0;
    int err = 0;
    for (;;) {
        errno = 0;
        if (!(e = readdir(d))) {
            err = errno;
            break;
        }
        if (filter && !app_call_dirent_filter(filter, e))
            continue;
        if (n == cap) {
            size_t grown_cap = cap ? 2 * cap : 16;
            struct dirent **grown = libc_realloc_for(caller, list, grown_cap * sizeof *list);
            if (!grown) {
                err = ENOMEM;
                break;
            }
            list = grown;
            cap = grown_cap;
        }
        if (!(list[n] = libc_malloc_for(caller, sizeof *e))) {
            err = ENOMEM;
            break;
        }
        memcpy(list[n++], e, sizeof *e);
    }
    if (err) {
        while (n > 0)
            free(list[--n]);
        free(list);
        return fdio_libc_fail(err);
    }
    *out = list;
    return (int)n;
}

static int fdio_dir_scan(int dirfd, const char *path, struct dirent ***namelist,
                         FdioDirFilter filter, FdioDirCompare compar, const void *caller)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(int, const char *, struct dirent ***, FdioDirFilter,
                                 FdioDirCompare), scandirat)(dirfd, path, namelist, filter,
                                                             compar);
    int fd = fdio_posix_openat(fp, dirfd, path, O_RDONLY | O_DIRECTORY, 0);
    DIR *d = fd < 0 ? NULL : fdio_dir_make(fp, fd, true);
    if (!d)
        return -1;
    struct dirent **list = NULL;
    int n = fdio_dir_collect(d, filter, &list, caller);
    int saved = errno;
    closedir(d);
    errno = saved;
    if (n < 0)
        return -1;
    if (compar && n > 1)
        qsort(list, (size_t)n, sizeof *list, (int (*)(const void *, const void *))compar);
    *namelist = list;
    return n;
}

int scandirat(int dirfd, const char *path, struct dirent ***namelist, FdioDirFilter filter,
              FdioDirCompare compar)
{
    return fdio_dir_scan(dirfd, path, namelist, filter, compar, __builtin_return_address(0));
}

int scandir(const char *path, struct dirent ***namelist, FdioDirFilter filter,
            FdioDirCompare compar)
{
    return fdio_dir_scan(AT_FDCWD, path, namelist, filter, compar, __builtin_return_address(0));
}

typedef int (*FdioDir64Filter)(const struct dirent64 *);
typedef int (*FdioDir64Compare)(const struct dirent64 **, const struct dirent64 **);

int scandir64(const char *path, struct dirent64 ***namelist, FdioDir64Filter filter,
              FdioDir64Compare compar)
{
    return fdio_dir_scan(AT_FDCWD, path, (struct dirent ***)namelist, (FdioDirFilter)filter,
                         (FdioDirCompare)compar, __builtin_return_address(0));
}

int scandirat64(int dirfd, const char *path, struct dirent64 ***namelist,
                FdioDir64Filter filter, FdioDir64Compare compar)
{
    return fdio_dir_scan(dirfd, path, (struct dirent ***)namelist, (FdioDirFilter)filter,
                         (FdioDirCompare)compar, __builtin_return_address(0));
}
