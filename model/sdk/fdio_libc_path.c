/* fdio_libc_path.c — the rest of libc's path calls, for app code.
 *
 * What it models: every libc call taking a path that fdio_libc.c does not
 * cover, as a Fuchsia program sees it. Without these an app reached the
 * HOST's files: glibc's rename, chmod, realpath, remove... are separate
 * functions that no interposer saw, or call glibc's internal __unlink,
 * __lstat64, __open (which none can see). For code of a process using
 * fdio (fdio_libc_proc) the path is resolved in its namespace only:
 *
 *   simulated (fdio's open/stat/unlink/mkdir underneath)
 *     remove                  unlink (a directory too, as fdio's does)
 *     truncate (+64)          open for writing, ftruncate
 *     realpath, canonicalize_file_name
 *                             the path made absolute and cleaned (fdio has
 *                             no symbolic links), if it names something;
 *                             without a buffer, a block of the caller's
 *                             heap (libc_malloc_for), as getcwd(NULL, n)
 *                             and get_current_dir_name (fdio_libc.c)
 *     faccessat, euidaccess,  access (faccessat relative to a directory
 *       eaccess               descriptor)
 *     mkdirat, unlinkat       mkdir, unlink/rmdir (AT_REMOVEDIR; other
 *                             flags: EINVAL)
 *     statx                   fstatat, in a struct statx (STATX_BASIC_STATS)
 *     pathconf                NAME_MAX 255 and PATH_MAX 4096 of a path that
 *                             exists; every other limit: -1, errno kept (no
 *                             limit), as POSIX allows
 *     __openat_2, __getcwd_chk, __realpath_chk, __readlink_chk: the
 *                             fortified entry points of the calls above
 *   answered as Fuchsia's fdio answers, once the path exists (else the
 *   error of stat: ENOENT outside the namespace)
 *     readlink, readlinkat    EINVAL: nothing is a symbolic link
 *     chmod, lchmod, fchmodat success with no effect for rwx bits, ENOSYS
 *                             for others (fchmodat: bad flags EINVAL)
 *     chown, lchown, fchownat ENOSYS
 *     umask                   the process's own mask, as fdio keeps it:
 *                             0 at the start, the new one & 0777 (nothing
 *                             applies it: there are no permission bits)
 *     symlink, symlinkat,     ENOSYS (without a check)
 *       mkfifo(at), mknod(at)
 *   refused: capsim's directory protocol has no message for them
 *     rename, renameat(2),    ENOTSUP (no Rename/Link request)
 *       link, linkat
 *     utime, utimes, lutimes, ENOTSUP (no SetAttr)
 *       futimesat, utimensat
 *     statfs, statvfs (+64)   ENOTSUP (no QueryFilesystem)
 *     getxattr, setxattr,     ENOTSUP once the path exists (no request
 *       listxattr,            carries extended attributes); glibc's read
 *       removexattr (+l*)     and wrote the HOST file's
 *     chroot                  ENOTSUP (not modeled)
 *     freopen (+64) of        as musl does it: the file opened in the
 *       stdin ("r"), stdout   namespace and put over descriptor 0, 1 or 2
 *       or stderr ("w", "a")  (dup2), which the stream reads or writes;
 *                             its error and end-of-file marks cleared.
 *                             Any other stream or mode (a NULL path, "+"):
 *                             ENOTSUP, the stream left as it was, and so
 *                             when the open fails (musl closes it): glibc's
 *                             reopens through its internal open (a host
 *                             file) and faults on a cookie stream
 *
 * Every other caller (the host) gets libc's own. Read next:
 * fdio_libc_fd.c.
 */
/* libc's own symbols are defined here: plain names, no *64 redirection. */
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "fdio_internal.h"
#include "libc_malloc.h"
#include "libc_next.h"

/* Succeeds (err 0) or fails with err once path names something; -1 with
 * stat's errno when it names nothing. */
static int fdio_path_then(FdioProcess *fp, int dirfd, const char *path, int err)
{
    struct stat st;
    if (fdio_posix_statat(fp, dirfd, path, &st) < 0)
        return -1;
    return err ? fdio_libc_fail(err) : 0;
}

/* A libc path call answered by fdio_path_then(dirfd, path, err) in app code. */
#define FDIO_PATH_ANSWER(ret, name, params, args, dirfd, path, err)          \
    LIBC_NEXT_SLOT(name);                                                     \
    ret name params                                                           \
    {                                                                         \
        FdioProcess *fp = fdio_libc_proc();                                   \
        if (!fp)                                                              \
            return LIBC_NEXT(ret (*) params, name) args;                      \
        return fdio_path_then(fp, dirfd, path, err);                          \
    }

/* ---- refused or answered as Fuchsia does -------------------------------- */
FDIO_PATH_ANSWER(ssize_t, readlink, (const char *path, char *buf, size_t n), (path, buf, n),
                 AT_FDCWD, path, EINVAL)
FDIO_PATH_ANSWER(ssize_t, readlinkat, (int fd, const char *path, char *buf, size_t n),
                 (fd, path, buf, n), fd, path, EINVAL)
FDIO_PATH_ANSWER(int, chown, (const char *path, uid_t u, gid_t g), (path, u, g), AT_FDCWD,
                 path, ENOSYS)
FDIO_PATH_ANSWER(int, lchown, (const char *path, uid_t u, gid_t g), (path, u, g), AT_FDCWD,
                 path, ENOSYS)
FDIO_PATH_ANSWER(int, fchownat, (int fd, const char *path, uid_t u, gid_t g, int flags),
                 (fd, path, u, g, flags), fd, path, ENOSYS)
FDIO_PATH_ANSWER(int, rename, (const char *from, const char *to), (from, to), AT_FDCWD, from,
                 ENOTSUP)
FDIO_PATH_ANSWER(int, renameat, (int ffd, const char *from, int tfd, const char *to),
                 (ffd, from, tfd, to), ffd, from, ENOTSUP)
FDIO_PATH_ANSWER(int, renameat2,
                 (int ffd, const char *from, int tfd, const char *to, unsigned int flags),
                 (ffd, from, tfd, to, flags), ffd, from, ENOTSUP)
FDIO_PATH_ANSWER(int, link, (const char *from, const char *to), (from, to), AT_FDCWD, from,
                 ENOTSUP)
FDIO_PATH_ANSWER(int, linkat, (int ffd, const char *from, int tfd, const char *to, int flags),
                 (ffd, from, tfd, to, flags), ffd, from, ENOTSUP)
FDIO_PATH_ANSWER(int, utime, (const char *path, const struct utimbuf *t), (path, t), AT_FDCWD,
                 path, ENOTSUP)
FDIO_PATH_ANSWER(int, utimes, (const char *path, const struct timeval t[2]), (path, t),
                 AT_FDCWD, path, ENOTSUP)
FDIO_PATH_ANSWER(int, lutimes, (const char *path, const struct timeval t[2]), (path, t),
                 AT_FDCWD, path, ENOTSUP)
FDIO_PATH_ANSWER(int, futimesat, (int fd, const char *path, const struct timeval t[2]),
                 (fd, path, t), fd, path, ENOTSUP)
FDIO_PATH_ANSWER(int, utimensat, (int fd, const char *path, const struct timespec t[2], int fl),
                 (fd, path, t, fl), fd, path, ENOTSUP)
FDIO_PATH_ANSWER(int, statfs, (const char *path, struct statfs *b), (path, b), AT_FDCWD, path,
                 ENOTSUP)
FDIO_PATH_ANSWER(int, statfs64, (const char *path, struct statfs64 *b), (path, b), AT_FDCWD,
                 path, ENOTSUP)
/* Extended attributes: no request of the protocol carries them. */
#define FDIO_XATTR_REFUSE(ret, name, params, args)                               \
    FDIO_PATH_ANSWER(ret, name, params, args, AT_FDCWD, path, ENOTSUP)
FDIO_XATTR_REFUSE(ssize_t, getxattr, (const char *path, const char *n, void *v, size_t z),
                  (path, n, v, z))
FDIO_XATTR_REFUSE(ssize_t, lgetxattr, (const char *path, const char *n, void *v, size_t z),
                  (path, n, v, z))
FDIO_XATTR_REFUSE(int, setxattr,
                  (const char *path, const char *n, const void *v, size_t z, int fl),
                  (path, n, v, z, fl))
FDIO_XATTR_REFUSE(int, lsetxattr,
                  (const char *path, const char *n, const void *v, size_t z, int fl),
                  (path, n, v, z, fl))
FDIO_XATTR_REFUSE(ssize_t, listxattr, (const char *path, char *l, size_t z), (path, l, z))
FDIO_XATTR_REFUSE(ssize_t, llistxattr, (const char *path, char *l, size_t z), (path, l, z))
FDIO_XATTR_REFUSE(int, removexattr, (const char *path, const char *n), (path, n))
FDIO_XATTR_REFUSE(int, lremovexattr, (const char *path, const char *n), (path, n))
FDIO_PATH_ANSWER(int, statvfs, (const char *path, struct statvfs *b), (path, b), AT_FDCWD,
                 path, ENOTSUP)
FDIO_PATH_ANSWER(int, statvfs64, (const char *path, struct statvfs64 *b), (path, b), AT_FDCWD,
                 path, ENOTSUP)
FDIO_LIBC_REFUSE(int, symlink, (const char *to, const char *path), (to, path), ENOSYS)
FDIO_LIBC_REFUSE(int, symlinkat, (const char *to, int fd, const char *path), (to, fd, path),
                 ENOSYS)
FDIO_LIBC_REFUSE(int, mkfifo, (const char *path, mode_t m), (path, m), ENOSYS)
FDIO_LIBC_REFUSE(int, mkfifoat, (int fd, const char *path, mode_t m), (fd, path, m), ENOSYS)
FDIO_LIBC_REFUSE(int, mknod, (const char *path, mode_t m, dev_t d), (path, m, d), ENOSYS)
FDIO_LIBC_REFUSE(int, mknodat, (int fd, const char *path, mode_t m, dev_t d), (fd, path, m, d),
                 ENOSYS)
FDIO_LIBC_REFUSE(int, chroot, (const char *path), (path), ENOTSUP)

LIBC_NEXT_SLOT(umask);
mode_t umask(mode_t mask)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(mode_t (*)(mode_t), umask)(mask);
    mode_t old = fp->umask;
    fp->umask = mask & 0777;
    return old;
}

ssize_t __readlink_chk(const char *path, char *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        abort();
    return readlink(path, buf, n);
}

/* chmod: Fuchsia's fdio has no permissions; rwx bits are "don't care". */
LIBC_NEXT_SLOT(fchmodat);
int fchmodat(int fd, const char *path, mode_t mode, int flags)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(int, const char *, mode_t, int), fchmodat)(fd, path, mode,
                                                                            flags);
    if (flags & ~AT_SYMLINK_NOFOLLOW)
        return fdio_libc_fail(EINVAL);
    return fdio_path_then(fp, fd, path, (mode & 07777 & ~0777u) ? ENOSYS : 0);
}

int chmod(const char *path, mode_t mode)
{
    return fchmodat(AT_FDCWD, path, mode, 0);
}

int lchmod(const char *path, mode_t mode)
{
    return fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW);
}

/* ---- simulated ---------------------------------------------------------- */
LIBC_NEXT_SLOT(remove);
int remove(const char *path)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(const char *), remove)(path);
    return fdio_posix_unlink(fp, path, false);
}

LIBC_NEXT_SLOT(truncate);
int truncate(const char *path, off_t len)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(const char *, off_t), truncate)(path, len);
    if (len < 0)
        return fdio_libc_fail(EINVAL);
    int fd = fdio_posix_open(fp, path, O_WRONLY, 0);
    if (fd < 0)
        return -1;
    int r = fdio_posix_ftruncate(fp->fds[fd], len);
    int saved = errno;
    fdio_posix_close(fp, fd);
    errno = saved;
    return r;
}
int truncate64(const char *path, off64_t len)
{
    return truncate(path, (off_t)len);
}

LIBC_NEXT_SLOT(realpath);
/* realpath for `caller`: without a buffer, a copy from its heap. */
static char *fdio_libc_realpath(const char *path, char *resolved, const void *caller)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(char *(*)(const char *, char *), realpath)(path, resolved);
    struct stat st;
    char abs[FIO_MAX_PATH + 2];
    if (!path) {
        errno = EINVAL;
        return NULL;
    }
    if (fdio_posix_stat(fp, path, &st) < 0)
        return NULL;
    zx_status_t s = fdio_path_clean(fp->cwd, path, abs, sizeof abs, NULL);
    if (s != ZX_OK || strlen(abs) >= PATH_MAX) {
        errno = s != ZX_OK ? fdio_status_to_errno(s) : ENAMETOOLONG;
        return NULL;
    }
    return resolved ? strcpy(resolved, abs) : libc_strdup_for(caller, abs);
}

char *realpath(const char *restrict path, char *restrict resolved)
{
    return fdio_libc_realpath(path, resolved, __builtin_return_address(0));
}

/* glibc's is its internal realpath: the HOST's files. */
LIBC_NEXT_SLOT(canonicalize_file_name);
char *canonicalize_file_name(const char *path)
{
    if (!fdio_libc_proc())
        return LIBC_NEXT(char *(*)(const char *), canonicalize_file_name)(path);
    return fdio_libc_realpath(path, NULL, __builtin_return_address(0));
}

char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
    if (resolvedlen < PATH_MAX)
        abort();
    return fdio_libc_realpath(path, resolved, __builtin_return_address(0));
}

char *__getcwd_chk(char *buf, size_t size, size_t buflen)
{
    if (size > buflen)
        abort();
    return fdio_libc_getcwd(buf, size, __builtin_return_address(0));
}

int __openat_2(int dirfd, const char *path, int flags)
{
    return openat(dirfd, path, flags);
}
int __openat64_2(int dirfd, const char *path, int flags) __attribute__((alias("__openat_2")));

LIBC_NEXT_SLOT(faccessat);
int faccessat(int dirfd, const char *path, int mode, int flags)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(int, const char *, int, int), faccessat)(dirfd, path, mode,
                                                                          flags);
    return fdio_posix_accessat(fp, dirfd, path, mode);
}

LIBC_NEXT_SLOT(euidaccess);
int euidaccess(const char *path, int mode)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(const char *, int), euidaccess)(path, mode);
    return fdio_posix_access(fp, path, mode);
}
int eaccess(const char *path, int mode) __attribute__((alias("euidaccess")));

LIBC_NEXT_SLOT(mkdirat);
int mkdirat(int dirfd, const char *path, mode_t mode)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(int, const char *, mode_t), mkdirat)(dirfd, path, mode);
    return fdio_posix_mkdirat(fp, dirfd, path, mode);
}

LIBC_NEXT_SLOT(unlinkat);
int unlinkat(int dirfd, const char *path, int flags)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(int (*)(int, const char *, int), unlinkat)(dirfd, path, flags);
    if (flags & ~AT_REMOVEDIR)
        return fdio_libc_fail(EINVAL);
    return fdio_posix_unlinkat(fp, dirfd, path, (flags & AT_REMOVEDIR) != 0);
}

static void fdio_statx_fill(const struct stat *st, struct statx *x)
{
    memset(x, 0, sizeof *x);
    x->stx_mask = STATX_BASIC_STATS;
    x->stx_blksize = (uint32_t)st->st_blksize;
    x->stx_nlink = (uint32_t)st->st_nlink;
    x->stx_mode = (uint16_t)st->st_mode;
    x->stx_ino = st->st_ino;
    x->stx_size = (uint64_t)st->st_size;
    x->stx_blocks = (uint64_t)st->st_blocks;
    x->stx_atime.tv_sec = st->st_atim.tv_sec;
    x->stx_atime.tv_nsec = (uint32_t)st->st_atim.tv_nsec;
    x->stx_mtime.tv_sec = st->st_mtim.tv_sec;
    x->stx_mtime.tv_nsec = (uint32_t)st->st_mtim.tv_nsec;
    x->stx_ctime.tv_sec = st->st_ctim.tv_sec;
    x->stx_ctime.tv_nsec = (uint32_t)st->st_ctim.tv_nsec;
}

LIBC_NEXT_SLOT(statx);
int statx(int dirfd, const char *restrict path, int flags, unsigned int mask,
          struct statx *restrict buf)
{
    if (!fdio_libc_proc())
        return LIBC_NEXT(int (*)(int, const char *, int, unsigned int, struct statx *),
                         statx)(dirfd, path, flags, mask, buf);
    struct stat st;
    if (fstatat(dirfd, path, &st, flags & AT_EMPTY_PATH) < 0)
        return -1;
    fdio_statx_fill(&st, buf);
    return 0;
}

/* The limits of fdio's paths (<lib/fdio/limits.h>); others have none. */
long fdio_libc_pathconf_value(int name)
{
    switch (name) {
    case _PC_NAME_MAX: return (long)FIO_MAX_FILENAME;
    case _PC_PATH_MAX: return (long)FIO_MAX_PATH + 1;
    default: return -1;
    }
}

LIBC_NEXT_SLOT(pathconf);
long pathconf(const char *path, int name)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return LIBC_NEXT(long (*)(const char *, int), pathconf)(path, name);
    return fdio_path_then(fp, AT_FDCWD, path, 0) < 0 ? -1 : fdio_libc_pathconf_value(name);
}

LIBC_NEXT_SLOT(freopen);
FILE *freopen(const char *path, const char *mode, FILE *stream)
{
    if (!fdio_libc_proc())
        return LIBC_NEXT(FILE * (*)(const char *, const char *, FILE *), freopen)(path, mode,
                                                                                  stream);
    int slot = stream == stdin ? 0 : stream == stdout ? 1 : stream == stderr ? 2 : -1;
    bool plus = mode && strchr(mode, '+');
    bool reads = mode && mode[0] == 'r' && !plus;
    bool writes = mode && (mode[0] == 'w' || mode[0] == 'a') && !plus;
    if (!path || slot < 0 || !(slot == 0 ? reads : writes)) {
        errno = ENOTSUP;
        return NULL;
    }
    int flags = reads ? O_RDONLY : O_WRONLY | O_CREAT | (mode[0] == 'a' ? O_APPEND : O_TRUNC);
    if (strchr(mode, 'x'))
        flags |= O_EXCL;
    fflush(stream);
    FdioProcess *fp = fdio_libc_proc();
    int fd = fdio_posix_open(fp, path, flags, 0666);
    if (fd < 0)
        return NULL;
    if (fd != slot) {   /* the slot was closed: open took it */
        int put = fdio_fd_put(fp, fdio_fd_get(fp, fd), slot);
        fdio_posix_close(fp, fd);
        if (put < 0)
            return NULL;
    }
    clearerr(stream);
    return stream;
}
FILE *freopen64(const char *path, const char *mode, FILE *stream)
    __attribute__((alias("freopen")));
