/* fdio_libc_fd.c — the rest of libc's descriptor calls, for app code.
 *
 * What it models: a Fuchsia process's descriptors are its fdio table and
 * nothing else. Without these wrappers an app's dup, fcntl, pread, writev,
 * isatty, mmap, pipe... went straight to the HOST's descriptors (the
 * engine's trace file, a test harness's pipes, the terminal) or made new
 * host ones. For code of a process using fdio (fdio_libc_proc), a
 * descriptor is one of: an fdio object (a file, a directory, a pipe end);
 * the process's captured stdio (fdio_fd.c: 0-2 at the start, and their
 * duplicates); nothing (EBADF).
 *
 *   simulated on fdio objects and captured stdio
 *     dup, dup2, dup3,       another slot for the same object (shared
 *       fcntl F_DUPFD(_CLOEXEC) offset, as the connection holds it): dup
 *                            and F_DUPFD take the lowest free slot (0-2
 *                            too once closed), as POSIX says; dup2
 *                            replaces what the slot held (closed first);
 *                            whatever holds 0-2 is what the process's
 *                            stdin/stdout/stderr FILEs read and write;
 *                            dup3 with old == new or flags other than
 *                            O_CLOEXEC: EINVAL
 *     fcntl F_GETFD/F_SETFD  0 / accepted (no exec: close-on-exec means
 *                            nothing); F_GETFL the access mode and
 *                            O_APPEND (pipes: O_RDWR and O_NONBLOCK;
 *                            stdin O_RDONLY, stdout, stderr O_WRONLY);
 *                            F_SETFL sets a pipe's O_NONBLOCK, has no
 *                            effect on files; other commands EINVAL
 *     pread, pwrite (+64)    seek, read or write, seek back (not atomic
 *                            against another thread using the same file);
 *                            stdio: ESPIPE
 *     readv, writev          read/write per buffer (stdio included: writev
 *                            on 1 and 2 is captured output); on a pipe one
 *                            socket transfer (a datagram is one message)
 *     fsync, fdatasync,      0 (memfs keeps nothing to flush); stdio:
 *       syncfs; sync         EINVAL; sync() does nothing
 *     fpathconf              as pathconf (fdio_libc_path.c)
 *   answered: fdio objects and stdio get the error, other numbers EBADF
 *     isatty                 0, ENOTTY (nothing is a terminal); ttyname
 *                            NULL / ttyname_r ENOTTY
 *     ioctl                  ENOTTY
 *     mmap (+64) of a        a file: its server's private copy (GetBuffer)
 *       descriptor           mapped, as Fuchsia's fdio does; a pipe end,
 *                            stdio: EACCES (model/app/libc_memory.c)
 *     fchmod                 rwx bits: success, no effect; others ENOSYS
 *     fchown                 ENOSYS (Fuchsia's answers)
 *     fchdir, futimens,      ENOTSUP (not modeled / no SetAttr, lock or
 *       futimes, flock,      QueryFilesystem request in the protocol)
 *       lockf, fstatfs,
 *       fstatvfs, getdents64,
 *       fgetxattr, fsetxattr,
 *       flistxattr,
 *       fremovexattr,
 *       preadv, pwritev,
 *       fallocate, sendfile,
 *       copy_file_range,
 *       preadv2, pwritev2
 *       (+64v2), readahead,
 *       sync_file_range,
 *       splice, tee, vmsplice
 *     inotify_add_watch,     EINVAL: no descriptor of a process is one of
 *       inotify_rm_watch,      these (their makers are refused below)
 *       epoll_ctl, epoll_wait,
 *       epoll_pwait(2),
 *       timerfd_settime,
 *       timerfd_gettime,
 *       fanotify_mark
 *     eventfd_read,          musl's: an 8-byte read / write of the
 *       eventfd_write          descriptor, 0 when it moved 8 bytes
 *     closefrom              closes the process's descriptors from there up
 *     posix_fallocate,       ENOSYS returned (Fuchsia's answers)
 *       posix_fadvise
 *   elsewhere in fdio
 *     pipe, pipe2,           pipe ends over zx sockets (fdio_libc_socket.c,
 *       socketpair, send*,     fdio_pipe.c); the other socket calls
 *       recv*, shutdown,       EOPNOTSUPP on pipe ends, ENOTSOCK on files
 *       bind, connect...       and stdio
 *     poll, ppoll, select,   one zx_object_wait_many (fdio_poll.c)
 *       pselect
 *   refused: new host descriptors
 *     socket, eventfd,       ENOSYS: no network stack, no such objects in
 *       epoll_create(1),       fdio, and the host's must not leak in
 *       inotify_init(1), memfd_create, timerfd_create, signalfd,
 *       fanotify_init, close_range (Fuchsia's libc has none),
 *       shm_open, shm_unlink,
 *       name_to_handle_at,     (open_by_handle_at opened HOST files by
 *       open_by_handle_at      handle)
 *
 * Every other caller (the host; a host library's own descriptors on an
 * app thread) gets libc's own. Read next: fdio_walk.c.
 */
/* libc's own symbols are defined here: plain names, no *64 redirection. */
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fdio_internal.h"
#include "app_world.h"
#include "libc_memory.h"
#include "libc_next.h"
#include "libc_pthread_cancel.h"

#define fdio_fd_classify(fd, o) fdio_libc_fd_class((fd), (o), __builtin_return_address(0))

/* A descriptor call answered with err for fdio objects and stdio. */
#define FDIO_FD_ANSWER(ret, name, params, args, fd, err)                      \
    LIBC_NEXT_SLOT(name);                                                     \
    ret name params                                                           \
    {                                                                         \
        FdioObj *o;                                                           \
        FdioFdClass c = fdio_fd_classify(fd, &o);                             \
        if (c == FDIO_FD_HOST)                                                \
            return LIBC_NEXT(ret (*) params, name) args;                      \
        return fdio_libc_fail(c == FDIO_FD_BAD ? EBADF : (err));              \
    }

/* ---- duplicates ----------------------------------------------------------- */
/* Put o in slot fd (>= 0): a reference more, the slot's old object released.
 * Slots 0-2 too: from then on the process's stdio FILE reads or writes o
 * (app_world_io.c), as a Fuchsia process's dup2 over its stdout does. o
 * may be a captured stdio object: dup2(saved, 1) gives stdout back. */
int fdio_fd_put(FdioProcess *fp, FdioObj *o, int fd)
{
    if (fd < 0 || fd >= FDIO_MAX_FD)
        return fdio_libc_fail(EBADF);
    o->refs++;
    if (fp->fds[fd])
        fdio_posix_close(fp, fd);
    fp->fds[fd] = o;
    return fd;
}

/* Lowest free slot >= min, holding o: POSIX's rule, 0-2 included once
 * closed (a process that closed 1 and dups a pipe end writes its stdout
 * there, as a shell's redirection does). */
static int fdio_fd_dup_from(FdioProcess *fp, FdioObj *o, int min)
{
    if (min < 0 || min >= FDIO_MAX_FD)
        return fdio_libc_fail(EINVAL);
    for (int fd = min; fd < FDIO_MAX_FD; fd++)
        if (!fp->fds[fd])
            return fdio_fd_put(fp, o, fd);
    return fdio_libc_fail(EMFILE);
}

LIBC_NEXT_SLOT(dup);
int dup(int fd)
{
    FdioObj *o;
    switch (fdio_fd_classify(fd, &o)) {
    case FDIO_FD_HOST: return LIBC_NEXT(int (*)(int), dup)(fd);
    case FDIO_FD_BAD: return -1;
    default: return fdio_fd_dup_from(fdio_process_get(), o, 0);
    }
}

static int fdio_fd_dup3(int old, int new, int flags, const void *caller)
{
    FdioObj *o;
    switch (fdio_libc_fd_class(old, &o, caller)) {
    case FDIO_FD_OBJ:
    case FDIO_FD_STDIO:
        if (flags & ~O_CLOEXEC)
            return fdio_libc_fail(EINVAL);
        return old == new ? new : fdio_fd_put(fdio_process_get(), o, new);
    default: return -1;
    }
}

LIBC_NEXT_SLOT(dup2);
int dup2(int old, int new)
{
    FdioObj *o;
    if (fdio_fd_classify(old, &o) == FDIO_FD_HOST)
        return LIBC_NEXT(int (*)(int, int), dup2)(old, new);
    return fdio_fd_dup3(old, new, 0, __builtin_return_address(0));
}

LIBC_NEXT_SLOT(dup3);
int dup3(int old, int new, int flags)
{
    FdioObj *o;
    if (fdio_fd_classify(old, &o) == FDIO_FD_HOST)
        return LIBC_NEXT(int (*)(int, int, int), dup3)(old, new, flags);
    if (old == new)
        return fdio_libc_fail(EINVAL);
    return fdio_fd_dup3(old, new, flags, __builtin_return_address(0));
}

static int fdio_fcntl_obj(FdioObj *o, int cmd, intptr_t arg)
{
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: return fdio_fd_dup_from(fdio_process_get(), o, (int)arg);
    case F_GETFD: return 0;
    case F_SETFD: return 0;
    case F_GETFL: return o->oflags;
    case F_SETFL:   /* pipes keep O_NONBLOCK; files have nothing to change */
        if (o->kind == FDIO_PIPE)
            o->oflags = (o->oflags & ~O_NONBLOCK) | ((int)arg & O_NONBLOCK);
        return 0;
    default: return fdio_libc_fail(EINVAL);
    }
}


LIBC_NEXT_SLOT(fcntl);
int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);   /* as glibc reads it: int, long or pointer */
    va_end(ap);
    FdioObj *o;
    switch (fdio_fd_classify(fd, &o)) {
    case FDIO_FD_HOST: return LIBC_NEXT(int (*)(int, int, ...), fcntl)(fd, cmd, arg);
    case FDIO_FD_BAD: return -1;
    default: return fdio_fcntl_obj(o, cmd, (intptr_t)arg);
    }
}
int fcntl64(int fd, int cmd, ...) __attribute__((alias("fcntl")));

/* ---- positioned and scattered transfers ------------------------------------ */
/* Read (write: buf is const) n bytes at off, the offset kept. */
static ssize_t fdio_fd_at(FdioObj *o, void *buf, size_t n, off_t off, bool write)
{
    if (off < 0)
        return fdio_libc_fail(EINVAL);
    off_t saved = fdio_posix_lseek(o, 0, SEEK_CUR);
    if (saved < 0 || fdio_posix_lseek(o, off, SEEK_SET) < 0)
        return -1;
    ssize_t r = write ? fdio_posix_write(o, buf, n) : fdio_posix_read(o, buf, n);
    int err = errno;
    fdio_posix_lseek(o, saved, SEEK_SET);
    errno = err;
    return r;
}

LIBC_NEXT_SLOT(pread);
ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    FdioObj *o;
    switch (fdio_fd_classify(fd, &o)) {
    case FDIO_FD_HOST: return LIBC_NEXT(ssize_t (*)(int, void *, size_t, off_t), pread)(
                           fd, buf, n, off);
    case FDIO_FD_OBJ: libc_cancel_point(); return fdio_fd_at(o, buf, n, off, false);
    case FDIO_FD_STDIO: return fdio_libc_fail(ESPIPE);
    default: return -1;
    }
}
ssize_t pread64(int fd, void *buf, size_t n, off64_t off) __attribute__((alias("pread")));

ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
    if (n > buflen)
        abort();
    return pread(fd, buf, n, off);
}
ssize_t __pread64_chk(int fd, void *buf, size_t n, off64_t off, size_t buflen)
    __attribute__((alias("__pread_chk")));

LIBC_NEXT_SLOT(pwrite);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    FdioObj *o;
    switch (fdio_fd_classify(fd, &o)) {
    case FDIO_FD_HOST: return LIBC_NEXT(ssize_t (*)(int, const void *, size_t, off_t),
                                        pwrite)(fd, buf, n, off);
    case FDIO_FD_OBJ: libc_cancel_point(); return fdio_fd_at(o, (void *)buf, n, off, true);
    case FDIO_FD_STDIO: return fdio_libc_fail(ESPIPE);
    default: return -1;
    }
}
ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off) __attribute__((alias("pwrite")));

/* readv/writev as one read/write per buffer, from the app's caller. */
static ssize_t fdio_fd_vector(int fd, const struct iovec *iov, int cnt, bool write,
                              const void *caller)
{
    if (cnt < 0 || cnt > IOV_MAX)
        return fdio_libc_fail(EINVAL);
    ssize_t total = 0;
    for (int i = 0; i < cnt; i++) {
        ssize_t r = write ? fdio_libc_write_from(fd, iov[i].iov_base, iov[i].iov_len, caller)
                          : fdio_libc_read_from(fd, iov[i].iov_base, iov[i].iov_len, caller);
        if (r < 0)
            return total ? total : -1;
        total += r;
        if ((size_t)r < iov[i].iov_len)
            break;
    }
    return total;
}

LIBC_NEXT_SLOT(readv);
ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
    FdioObj *o;
    switch (fdio_fd_classify(fd, &o)) {
    case FDIO_FD_HOST:
        return LIBC_NEXT(ssize_t (*)(int, const struct iovec *, int), readv)(fd, iov, cnt);
    case FDIO_FD_OBJ:
        libc_cancel_point();
        if (o->kind == FDIO_PIPE)
            return fdio_pipe_readv(o, iov, cnt, 0);
        /* fall through */
    default: return fdio_fd_vector(fd, iov, cnt, false, __builtin_return_address(0));
    }
}

LIBC_NEXT_SLOT(writev);
ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    FdioObj *o;
    switch (fdio_fd_classify(fd, &o)) {
    case FDIO_FD_HOST:
        return LIBC_NEXT(ssize_t (*)(int, const struct iovec *, int), writev)(fd, iov, cnt);
    case FDIO_FD_OBJ:
        libc_cancel_point();
        if (o->kind == FDIO_PIPE)
            return fdio_pipe_writev(o, iov, cnt, 0);
        /* fall through */
    default: return fdio_fd_vector(fd, iov, cnt, true, __builtin_return_address(0));
    }
}

/* ---- flushing ---------------------------------------------------------------- */
static int fdio_fd_sync(int fd, const void *caller, int (*real)(int))
{
    FdioObj *o;
    switch (fdio_libc_fd_class(fd, &o, caller)) {
    case FDIO_FD_HOST: return real(fd);
    case FDIO_FD_OBJ: libc_cancel_point(); return 0;
    case FDIO_FD_STDIO: return fdio_libc_fail(EINVAL);
    default: return -1;
    }
}

LIBC_NEXT_SLOT(fsync);
LIBC_NEXT_SLOT(fdatasync);
LIBC_NEXT_SLOT(syncfs);
LIBC_NEXT_SLOT(sync);
int fsync(int fd)
{
    return fdio_fd_sync(fd, __builtin_return_address(0), LIBC_NEXT(int (*)(int), fsync));
}
int fdatasync(int fd)
{
    return fdio_fd_sync(fd, __builtin_return_address(0), LIBC_NEXT(int (*)(int), fdatasync));
}
int syncfs(int fd)
{
    return fdio_fd_sync(fd, __builtin_return_address(0), LIBC_NEXT(int (*)(int), syncfs));
}
void sync(void)
{
    if (!fdio_libc_proc())
        LIBC_NEXT(void (*)(void), sync)();
}

/* ---- answered ---------------------------------------------------------------- */
LIBC_NEXT_SLOT(isatty);
int isatty(int fd)
{
    FdioObj *o;
    FdioFdClass c = fdio_fd_classify(fd, &o);
    if (c == FDIO_FD_HOST)
        return LIBC_NEXT(int (*)(int), isatty)(fd);
    errno = c == FDIO_FD_BAD ? EBADF : ENOTTY;
    return 0;
}

LIBC_NEXT_SLOT(ttyname);
char *ttyname(int fd)
{
    FdioObj *o;
    FdioFdClass c = fdio_fd_classify(fd, &o);
    if (c == FDIO_FD_HOST)
        return LIBC_NEXT(char *(*)(int), ttyname)(fd);
    errno = c == FDIO_FD_BAD ? EBADF : ENOTTY;
    return NULL;
}

LIBC_NEXT_SLOT(ttyname_r);
int ttyname_r(int fd, char *buf, size_t n)
{
    FdioObj *o;
    FdioFdClass c = fdio_fd_classify(fd, &o);
    if (c == FDIO_FD_HOST)
        return LIBC_NEXT(int (*)(int, char *, size_t), ttyname_r)(fd, buf, n);
    return c == FDIO_FD_BAD ? EBADF : ENOTTY;
}

LIBC_NEXT_SLOT(ioctl);
int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    FdioObj *o;
    FdioFdClass c = fdio_fd_classify(fd, &o);
    if (c == FDIO_FD_HOST)
        return LIBC_NEXT(int (*)(int, unsigned long, ...), ioctl)(fd, request, arg);
    return fdio_libc_fail(c == FDIO_FD_BAD ? EBADF : ENOTTY);
}

/* The VMO behind a mapping of fdio object `file`: a private copy of the
 * file from its server, with the rights `prot` needs; a pipe end has
 * none. */
static zx_status_t fdio_mmap_vmo(void *file, size_t len, int prot, zx_handle_t *vmo)
{
    (void)len;
    FdioObj *o = file;
    if (o->kind != FDIO_REMOTE)
        return ZX_ERR_NOT_SUPPORTED;
    uint32_t flags = FIO_VMO_FLAG_READ | FIO_VMO_FLAG_PRIVATE;
    if (prot & PROT_WRITE)
        flags |= FIO_VMO_FLAG_WRITE;
    if (prot & PROT_EXEC)
        flags |= FIO_VMO_FLAG_EXEC;
    return fdio_remote_get_buffer(o->channel, flags, vmo, NULL);
}

/* No VMO at all (captured stdio). */
static zx_status_t fdio_mmap_no_vmo(void *file, size_t len, int prot, zx_handle_t *vmo)
{
    (void)file, (void)len, (void)prot, (void)vmo;
    return ZX_ERR_NOT_SUPPORTED;
}

LIBC_NEXT_SLOT(mmap);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if ((flags & MAP_ANONYMOUS) && app_world_app_caller(__builtin_return_address(0)))
        return libc_memory_map_anonymous(addr, len, prot, flags, off);
    FdioObj *o;
    FdioFdClass c = (flags & MAP_ANONYMOUS) ? FDIO_FD_HOST : fdio_fd_classify(fd, &o);
    if (c == FDIO_FD_HOST)
        return LIBC_NEXT(void *(*)(void *, size_t, int, int, int, off_t), mmap)(
            addr, len, prot, flags, fd, off);
    if (c == FDIO_FD_BAD) {
        errno = EBADF;
        return MAP_FAILED;
    }
    return libc_memory_map_file(addr, len, prot, flags, off,
                                c == FDIO_FD_OBJ ? fdio_mmap_vmo : fdio_mmap_no_vmo,
                                c == FDIO_FD_OBJ ? o : NULL);
}
void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
    __attribute__((alias("mmap")));

LIBC_NEXT_SLOT(fchmod);
int fchmod(int fd, mode_t mode)
{
    FdioObj *o;
    FdioFdClass c = fdio_fd_classify(fd, &o);
    if (c == FDIO_FD_HOST)
        return LIBC_NEXT(int (*)(int, mode_t), fchmod)(fd, mode);
    if (c == FDIO_FD_BAD)
        return fdio_libc_fail(EBADF);
    return (mode & 07777 & ~0777u) ? fdio_libc_fail(ENOSYS) : 0;
}

LIBC_NEXT_SLOT(fpathconf);
long fpathconf(int fd, int name)
{
    FdioObj *o;
    FdioFdClass c = fdio_fd_classify(fd, &o);
    if (c == FDIO_FD_HOST)
        return LIBC_NEXT(long (*)(int, int), fpathconf)(fd, name);
    if (c == FDIO_FD_BAD)
        return fdio_libc_fail(EBADF);
    return fdio_libc_pathconf_value(name);
}

static int fdio_fd_errno_answer(int fd, const void *caller, int err)
{
    FdioObj *o;
    FdioFdClass c = fdio_libc_fd_class(fd, &o, caller);
    return c == FDIO_FD_HOST ? -1 : c == FDIO_FD_BAD ? EBADF : err;
}

LIBC_NEXT_SLOT(posix_fallocate);
int posix_fallocate(int fd, off_t off, off_t len)
{
    int r = fdio_fd_errno_answer(fd, __builtin_return_address(0), ENOSYS);
    return r >= 0 ? r
                  : LIBC_NEXT(int (*)(int, off_t, off_t), posix_fallocate)(fd, off, len);
}
int posix_fallocate64(int fd, off64_t off, off64_t len) __attribute__((alias("posix_fallocate")));

LIBC_NEXT_SLOT(posix_fadvise);
int posix_fadvise(int fd, off_t off, off_t len, int advice)
{
    int r = fdio_fd_errno_answer(fd, __builtin_return_address(0), ENOSYS);
    return r >= 0 ? r
                  : LIBC_NEXT(int (*)(int, off_t, off_t, int), posix_fadvise)(fd, off, len,
                                                                             advice);
}
int posix_fadvise64(int fd, off64_t off, off64_t len, int advice)
    __attribute__((alias("posix_fadvise")));

FDIO_FD_ANSWER(int, fchown, (int fd, uid_t u, gid_t g), (fd, u, g), fd, ENOSYS)
FDIO_FD_ANSWER(int, fchdir, (int fd), (fd), fd, ENOTSUP)
FDIO_FD_ANSWER(int, futimens, (int fd, const struct timespec t[2]), (fd, t), fd, ENOTSUP)
FDIO_FD_ANSWER(int, futimes, (int fd, const struct timeval t[2]), (fd, t), fd, ENOTSUP)
FDIO_FD_ANSWER(int, flock, (int fd, int op), (fd, op), fd, ENOTSUP)
FDIO_FD_ANSWER(int, lockf, (int fd, int cmd, off_t len), (fd, cmd, len), fd, ENOTSUP)
FDIO_FD_ANSWER(int, lockf64, (int fd, int cmd, off64_t len), (fd, cmd, len), fd, ENOTSUP)
FDIO_FD_ANSWER(int, fstatfs, (int fd, struct statfs *b), (fd, b), fd, ENOTSUP)
FDIO_FD_ANSWER(int, fstatfs64, (int fd, struct statfs64 *b), (fd, b), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, fgetxattr, (int fd, const char *n, void *v, size_t z), (fd, n, v, z), fd,
               ENOTSUP)
FDIO_FD_ANSWER(int, fsetxattr, (int fd, const char *n, const void *v, size_t z, int fl),
               (fd, n, v, z, fl), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, flistxattr, (int fd, char *l, size_t z), (fd, l, z), fd, ENOTSUP)
FDIO_FD_ANSWER(int, fremovexattr, (int fd, const char *n), (fd, n), fd, ENOTSUP)
FDIO_FD_ANSWER(int, fstatvfs, (int fd, struct statvfs *b), (fd, b), fd, ENOTSUP)
FDIO_FD_ANSWER(int, fstatvfs64, (int fd, struct statvfs64 *b), (fd, b), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, getdents64, (int fd, void *b, size_t n), (fd, b, n), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, preadv, (int fd, const struct iovec *v, int n, off_t off),
               (fd, v, n, off), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, pwritev, (int fd, const struct iovec *v, int n, off_t off),
               (fd, v, n, off), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, preadv64, (int fd, const struct iovec *v, int n, off64_t off),
               (fd, v, n, off), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, pwritev64, (int fd, const struct iovec *v, int n, off64_t off),
               (fd, v, n, off), fd, ENOTSUP)
FDIO_FD_ANSWER(int, fallocate, (int fd, int mode, off_t off, off_t len), (fd, mode, off, len),
               fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, sendfile, (int out, int in, off_t *off, size_t n), (out, in, off, n),
               in, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, sendfile64, (int out, int in, off64_t *off, size_t n),
               (out, in, off, n), in, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, copy_file_range,
               (int in, off64_t *ioff, int out, off64_t *ooff, size_t n, unsigned int fl),
               (in, ioff, out, ooff, n, fl), in, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, preadv2, (int fd, const struct iovec *v, int n, off_t off, int fl),
               (fd, v, n, off, fl), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, pwritev2, (int fd, const struct iovec *v, int n, off_t off, int fl),
               (fd, v, n, off, fl), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, preadv64v2, (int fd, const struct iovec *v, int n, off64_t off, int fl),
               (fd, v, n, off, fl), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, pwritev64v2, (int fd, const struct iovec *v, int n, off64_t off, int fl),
               (fd, v, n, off, fl), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, readahead, (int fd, off64_t off, size_t n), (fd, off, n), fd, ENOTSUP)
FDIO_FD_ANSWER(int, sync_file_range, (int fd, off64_t off, off64_t n, unsigned int fl),
               (fd, off, n, fl), fd, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, splice,
               (int in, off64_t *ioff, int out, off64_t *ooff, size_t n, unsigned int fl),
               (in, ioff, out, ooff, n, fl), in, ENOTSUP)
FDIO_FD_ANSWER(ssize_t, tee, (int in, int out, size_t n, unsigned int fl), (in, out, n, fl), in,
               ENOTSUP)
FDIO_FD_ANSWER(ssize_t, vmsplice, (int fd, const struct iovec *v, size_t n, unsigned int fl),
               (fd, v, n, fl), fd, ENOTSUP)

/* ---- descriptors of kinds fdio never makes ------------------------------------- */
FDIO_FD_ANSWER(int, inotify_add_watch, (int fd, const char *path, uint32_t mask),
               (fd, path, mask), fd, EINVAL)
FDIO_FD_ANSWER(int, inotify_rm_watch, (int fd, int wd), (fd, wd), fd, EINVAL)
FDIO_FD_ANSWER(int, epoll_ctl, (int fd, int op, int target, struct epoll_event *ev),
               (fd, op, target, ev), fd, EINVAL)
FDIO_FD_ANSWER(int, epoll_wait, (int fd, struct epoll_event *ev, int n, int ms),
               (fd, ev, n, ms), fd, EINVAL)
FDIO_FD_ANSWER(int, epoll_pwait,
               (int fd, struct epoll_event *ev, int n, int ms, const sigset_t *mask),
               (fd, ev, n, ms, mask), fd, EINVAL)
FDIO_FD_ANSWER(int, epoll_pwait2,
               (int fd, struct epoll_event *ev, int n, const struct timespec *t,
                const sigset_t *mask),
               (fd, ev, n, t, mask), fd, EINVAL)
FDIO_FD_ANSWER(int, timerfd_settime,
               (int fd, int fl, const struct itimerspec *t, struct itimerspec *old),
               (fd, fl, t, old), fd, EINVAL)
FDIO_FD_ANSWER(int, timerfd_gettime, (int fd, struct itimerspec *t), (fd, t), fd, EINVAL)
FDIO_FD_ANSWER(int, fanotify_mark,
               (int fd, unsigned int fl, uint64_t mask, int dirfd, const char *path),
               (fd, fl, mask, dirfd, path), fd, EINVAL)

LIBC_NEXT_SLOT(eventfd_read);
int eventfd_read(int fd, eventfd_t *value)
{
    const void *caller = __builtin_return_address(0);
    if (!fdio_libc_app_caller(caller))
        return LIBC_NEXT(int (*)(int, eventfd_t *), eventfd_read)(fd, value);
    return fdio_libc_read_from(fd, value, sizeof *value, caller) == sizeof *value ? 0 : -1;
}

LIBC_NEXT_SLOT(eventfd_write);
int eventfd_write(int fd, eventfd_t value)
{
    const void *caller = __builtin_return_address(0);
    if (!fdio_libc_app_caller(caller))
        return LIBC_NEXT(int (*)(int, eventfd_t), eventfd_write)(fd, value);
    return fdio_libc_write_from(fd, &value, sizeof value, caller) == sizeof value ? 0 : -1;
}

/* glibc's closed the HOST's descriptors: the simulator's own files. */
LIBC_NEXT_SLOT(closefrom);
void closefrom(int low)
{
    if (!fdio_libc_app_caller(__builtin_return_address(0))) {
        LIBC_NEXT(void (*)(int), closefrom)(low);
        return;
    }
    FdioProcess *fp = fdio_libc_proc();
    for (int fd = low < 0 ? 0 : low; fp && fd < FDIO_MAX_FD; fd++)
        if (fp->fds[fd])
            fdio_posix_close(fp, fd);
}

/* ---- new host descriptors: refused --------------------------------------------- */
FDIO_LIBC_REFUSE(int, socket, (int dom, int type, int proto), (dom, type, proto), ENOSYS)
FDIO_LIBC_REFUSE(int, eventfd, (unsigned int v, int flags), (v, flags), ENOSYS)
FDIO_LIBC_REFUSE(int, epoll_create, (int n), (n), ENOSYS)
FDIO_LIBC_REFUSE(int, epoll_create1, (int flags), (flags), ENOSYS)
FDIO_LIBC_REFUSE(int, inotify_init, (void), (), ENOSYS)
FDIO_LIBC_REFUSE(int, inotify_init1, (int flags), (flags), ENOSYS)
FDIO_LIBC_REFUSE(int, memfd_create, (const char *name, unsigned int flags), (name, flags), ENOSYS)
FDIO_LIBC_REFUSE(int, timerfd_create, (int clock, int flags), (clock, flags), ENOSYS)
FDIO_LIBC_REFUSE(int, name_to_handle_at,
                 (int dirfd, const char *path, struct file_handle *h, int *mount, int flags),
                 (dirfd, path, h, mount, flags), ENOSYS)
FDIO_LIBC_REFUSE(int, open_by_handle_at, (int mount, struct file_handle *h, int flags),
                 (mount, h, flags), ENOSYS)
FDIO_LIBC_REFUSE(int, signalfd, (int fd, const sigset_t *mask, int flags), (fd, mask, flags),
               ENOSYS)
FDIO_LIBC_REFUSE(int, shm_open, (const char *name, int flags, mode_t mode), (name, flags, mode),
               ENOSYS)
FDIO_LIBC_REFUSE(int, shm_unlink, (const char *name), (name), ENOSYS)
FDIO_LIBC_REFUSE(int, fanotify_init, (unsigned int fl, unsigned int event_fl), (fl, event_fl),
                 ENOSYS)
FDIO_LIBC_REFUSE(int, close_range, (unsigned int first, unsigned int last, int fl),
                 (first, last, fl), ENOSYS)
