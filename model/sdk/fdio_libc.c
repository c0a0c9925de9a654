/* fdio_libc.c — POSIX file calls of app code go to fdio.
 *
 * What it models: on Fuchsia, libc's open/read/stat/opendir/fopen... are
 * fdio: a process sees the files its namespace reaches and nothing else.
 * libcapsim defines these functions, so that app objects (loaded against
 * it) and the host program both call them here. Each wrapper asks whether
 * the caller runs on a simulated thread of a process that uses fdio (an app,
 * or any process started with namespace entries: fdio_process_active):
 *  - if so, path calls resolve in that process's namespace only (a path
 *    outside it is ENOENT — the host's files do not exist for it), and
 *    descriptor calls go to its fdio table, where 0-2 start as the
 *    process's captured stdio (FDIO_STDIO objects: the app layer captures
 *    what is written, stdin reads end of file) and may be closed,
 *    duplicated and replaced like any descriptor; unknown descriptors are
 *    EBADF;
 *  - otherwise the call is forwarded unchanged to the next definition (the
 *    real libc, found with dlsym(RTLD_NEXT)).
 * FILE streams on fdio files are glibc cookie streams (fopencookie), DIR
 * streams are capsim's own objects (told apart from the host's by a
 * registry of the ones made here).
 *
 * The other path calls are in fdio_libc_path.c, the other descriptor
 * calls in fdio_libc_fd.c, directory streams in fdio_dir.c, temporary
 * files in fdio_temp.c, directory walks in fdio_walk.c, pipes and
 * socket pairs in fdio_libc_socket.c, poll/select in fdio_poll.c. Left
 * out: *_chk entry points other than those named there. Read next:
 * fdio_posix.c.
 */
/* This file defines libc's own symbols: their plain names, not the *64
 * redirections the build's _FILE_OFFSET_BITS=64 would give them. */
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_call.h"
#include "fdio_internal.h"
#include "libc_malloc.h"
#include "libc_next.h"
#include "libc_pthread_cancel.h"
#include "sim.h"

/* x86-64 and aarch64 glibc: the *64 structs are the plain ones. */
_Static_assert(sizeof(struct stat) == sizeof(struct stat64), "stat64 layout");
_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64), "dirent64 layout");

/* ---- the next definitions (real libc) ---------------------------------- */
typedef struct FdioLibc {
    int (*open)(const char *, int, ...);
    int (*openat)(int, const char *, int, ...);
    ssize_t (*read)(int, void *, size_t);
    ssize_t (*write)(int, const void *, size_t);
    int (*close)(int);
    off_t (*lseek)(int, off_t, int);
    int (*stat)(const char *, struct stat *);
    int (*lstat)(const char *, struct stat *);
    int (*fstat)(int, struct stat *);
    int (*fstatat)(int, const char *, struct stat *, int);
    int (*access)(const char *, int);
    int (*mkdir)(const char *, mode_t);
    int (*unlink)(const char *);
    int (*rmdir)(const char *);
    int (*ftruncate)(int, off_t);
    int (*chdir)(const char *);
    char *(*getcwd)(char *, size_t);
    FILE *(*fopen)(const char *, const char *);
    FILE *(*fdopen)(int, const char *);
} FdioLibc;

static FdioLibc real;

/* The app layer's raw stdio (model/app/libc_io.c): fds 0-2 of simulated
 * processes that fdio does not hold. True if it handled the call. */
bool app_stdio_write(int fd, const void *buf, size_t n, const void *caller,
                     ssize_t *ret) __attribute__((weak));
bool app_stdio_read(int fd, void *buf, size_t n, ssize_t *ret) __attribute__((weak));
/* Resolved on first use (other libraries' constructors may call open
 * before ours run), without pthread_once: this runs in app code too, where
 * pthread_once is the app's own (model/app/libc_pthread_sync.c). Resolving
 * twice is harmless: the same values are stored. */
static int real_resolved;

static void fdio_libc_resolve(void)
{
#define FDIO_NEXT(name) *(void **)&real.name = dlsym(RTLD_NEXT, #name)
    FDIO_NEXT(open); FDIO_NEXT(openat); FDIO_NEXT(read); FDIO_NEXT(write);
    FDIO_NEXT(close); FDIO_NEXT(lseek); FDIO_NEXT(stat); FDIO_NEXT(lstat);
    FDIO_NEXT(fstat); FDIO_NEXT(fstatat); FDIO_NEXT(access); FDIO_NEXT(mkdir);
    FDIO_NEXT(unlink); FDIO_NEXT(rmdir); FDIO_NEXT(ftruncate); FDIO_NEXT(chdir);
    FDIO_NEXT(getcwd); FDIO_NEXT(fopen); FDIO_NEXT(fdopen);
#undef FDIO_NEXT
}

static const FdioLibc *fdio_real(void)
{
    if (!__atomic_load_n(&real_resolved, __ATOMIC_ACQUIRE)) {
        fdio_libc_resolve();
        __atomic_store_n(&real_resolved, 1, __ATOMIC_RELEASE);
    }
    return &real;
}

/* The calling process's fdio state when its file calls are fdio's: code of
 * a simulated process is running (sim_in_app_code: not the engine or a
 * kernel hook that happens to serve one of its threads) and the process
 * uses fdio. */
FdioProcess *fdio_libc_proc(void)
{
    return sim_in_app_code() && fdio_process_active() ? fdio_process_get() : NULL;
}

static uintptr_t fdio_exe_base;

static int fdio_exe_phdr(struct dl_phdr_info *info, size_t size, void *data)
{
    uintptr_t lo = UINTPTR_MAX;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD && info->dlpi_phdr[i].p_vaddr < lo)
            lo = info->dlpi_phdr[i].p_vaddr;
    __atomic_store_n(&fdio_exe_base, info->dlpi_addr + (lo == UINTPTR_MAX ? 0 : lo),
                     __ATOMIC_RELEASE);
    return 1;   /* the first object is the main program */
}

/* The main program's lowest mapped address, looked up on first use, as
 * fdio_real. */
static uintptr_t fdio_libc_exe_base(void)
{
    uintptr_t base = __atomic_load_n(&fdio_exe_base, __ATOMIC_ACQUIRE);
    if (!base) {
        dl_iterate_phdr(fdio_exe_phdr, NULL);
        base = __atomic_load_n(&fdio_exe_base, __ATOMIC_ACQUIRE);
    }
    return base;
}

/* The app layer's registry of loaded app copies (model/app/app_instance.c). */
struct AppInstance *app_instance_containing(const void *addr) __attribute__((weak));

/* Host plumbing: code of a shared library the dynamic linker knows (libc,
 * GLib, Criterion's IPC...) other than the main program and the app copies
 * (dladdr knows those too: the app layer's registry tells them apart; they
 * are app code — before, an app's write(3) reached the host's descriptor 3,
 * the trace file of `capsim run --trace`). A sanitizer runtime's
 * interceptor stands between the caller and us in sanitized builds: it is
 * taken for the app code it intercepted. */
bool fdio_libc_host_caller(const void *caller)
{
    Dl_info di;
    if (app_call_from_gate(caller))
        return false; /* a tail call from app code (model/app/app_call.c) */
    if (!caller || !dladdr(caller, &di) || !di.dli_fbase ||
        (uintptr_t)di.dli_fbase == fdio_libc_exe_base())
        return false;
    if (app_instance_containing && app_instance_containing(caller))
        return false;
    return !(di.dli_fname && (strstr(di.dli_fname, "libasan") || strstr(di.dli_fname, "libtsan") ||
                              strstr(di.dli_fname, "libubsan") ||
                              strstr(di.dli_fname, "clang_rt")));
}

/* Descriptor routing: 1 = fdio object in *o, 0 = forward to libc, -1 = EBADF.
 * A process using fdio has no other descriptors than fdio's (its stdio
 * included); an unknown one is EBADF for its code, but host libraries
 * running on its thread (a test harness reporting, libcapsim's own fault
 * reports on 2) keep theirs, the host's stdio included. */
int fdio_libc_fd_from(int fd, FdioObj **o, const void *caller)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return 0;
    *o = fdio_fd_get(fp, fd);
    if (*o && ((*o)->kind != FDIO_STDIO || !fdio_libc_host_caller(caller)))
        return 1;
    if (fdio_libc_host_caller(caller))
        return 0;
    errno = EBADF;
    return -1;
}

FdioFdClass fdio_libc_fd_class(int fd, FdioObj **o, const void *caller)
{
    int r = fdio_libc_fd_from(fd, o, caller);
    if (r > 0)
        return (*o)->kind == FDIO_STDIO ? FDIO_FD_STDIO : FDIO_FD_OBJ;
    return r < 0 ? FDIO_FD_BAD : FDIO_FD_HOST;
}

/* Transfers on a captured stdio object: the app layer records what is
 * written to stdout and stderr and answers stdin with end of file; output
 * it does not take (a process that is no app) is the host's stream of
 * that number, as before fdio, but stdin is at its end for every
 * process: never the host's descriptor 0. stdin is read-only, stdout and
 * stderr write-only (F_GETFL says so): the other way is EBADF. */
ssize_t fdio_stdio_write(const FdioObj *o, const void *buf, size_t n, const void *caller)
{
    ssize_t ret;
    if (o->stdio == 0)
        return fdio_libc_fail(EBADF);
    if (app_stdio_write && app_stdio_write(o->stdio, buf, n, caller, &ret))
        return ret;
    return fdio_real()->write(o->stdio, buf, n);
}

ssize_t fdio_stdio_read(const FdioObj *o, void *buf, size_t n)
{
    ssize_t ret;
    if (o->stdio != 0)
        return fdio_libc_fail(EBADF);
    if (app_stdio_read && app_stdio_read(0, buf, n, &ret))
        return ret;
    return 0;
}

bool fdio_libc_app_caller(const void *caller)
{
    return fdio_libc_proc() && !fdio_libc_host_caller(caller);
}

static mode_t fdio_libc_mode(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

/* ---- open ---------------------------------------------------------------- */
int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = fdio_libc_mode(flags, ap);
    va_end(ap);
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return fdio_real()->open(path, flags, mode);
    libc_cancel_point();
    return fdio_posix_open(fp, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = fdio_libc_mode(flags, ap);
    va_end(ap);
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return fdio_real()->openat(dirfd, path, flags, mode);
    libc_cancel_point();
    return fdio_posix_openat(fp, dirfd, path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));
int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int __open_2(const char *path, int flags)
{
    return open(path, flags);
}
int __open64_2(const char *path, int flags) __attribute__((alias("__open_2")));

int creat(const char *path, mode_t mode)
{
    return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
int creat64(const char *path, mode_t mode) __attribute__((alias("creat")));

/* ---- descriptors ---------------------------------------------------------- */
ssize_t fdio_libc_read_from(int fd, void *buf, size_t n, const void *caller)
{
    FdioObj *o;
    ssize_t ret;
    int r = fdio_libc_fd_from(fd, &o, caller);
    if (r > 0) {
        libc_cancel_point();
        return o->kind == FDIO_STDIO ? fdio_stdio_read(o, buf, n) : fdio_posix_read(o, buf, n);
    }
    if (r < 0)
        return -1;
    if (app_stdio_read && app_stdio_read(fd, buf, n, &ret))
        return ret;   /* a host library's read(0) on an app thread */
    return fdio_real()->read(fd, buf, n);
}

ssize_t read(int fd, void *buf, size_t n)
{
    return fdio_libc_read_from(fd, buf, n, __builtin_return_address(0));
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        abort();
    return fdio_libc_read_from(fd, buf, n, __builtin_return_address(0));
}

ssize_t fdio_libc_write_from(int fd, const void *buf, size_t n, const void *caller)
{
    FdioObj *o;
    ssize_t ret;
    int r = fdio_libc_fd_from(fd, &o, caller);
    if (r > 0) {
        libc_cancel_point();
        return o->kind == FDIO_STDIO ? fdio_stdio_write(o, buf, n, caller)
                                     : fdio_posix_write(o, buf, n);
    }
    if (r < 0)
        return -1;
    if (app_stdio_write && app_stdio_write(fd, buf, n, caller, &ret))
        return ret;   /* a host library's write(1) on an app thread */
    return fdio_real()->write(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    return fdio_libc_write_from(fd, buf, n, __builtin_return_address(0));
}

int close(int fd)
{
    FdioObj *o;
    int r = fdio_libc_fd(fd, &o);
    if (r > 0)
        libc_cancel_point(); /* before: a canceled close leaves fd open */
    return r > 0 ? fdio_posix_close(fdio_process_get(), fd) : r < 0 ? -1 : fdio_real()->close(fd);
}

off_t lseek(int fd, off_t off, int whence)
{
    FdioObj *o;
    int r = fdio_libc_fd(fd, &o);
    return r > 0 ? fdio_posix_lseek(o, off, whence) : r < 0 ? -1
                                                          : fdio_real()->lseek(fd, off, whence);
}
off64_t lseek64(int fd, off64_t off, int whence)
{
    return lseek(fd, off, whence);
}

int ftruncate(int fd, off_t len)
{
    FdioObj *o;
    int r = fdio_libc_fd(fd, &o);
    return r > 0 ? fdio_posix_ftruncate(o, len) : r < 0 ? -1 : fdio_real()->ftruncate(fd, len);
}
int ftruncate64(int fd, off64_t len)
{
    return ftruncate(fd, len);
}

int fstat(int fd, struct stat *st)
{
    FdioObj *o;
    int r = fdio_libc_fd(fd, &o);
    return r > 0 ? fdio_posix_fstat(o, st) : r < 0 ? -1 : fdio_real()->fstat(fd, st);
}
int fstat64(int fd, struct stat64 *st)
{
    return fstat(fd, (struct stat *)st);
}

/* ---- paths ------------------------------------------------------------- */
int stat(const char *path, struct stat *st)
{
    FdioProcess *fp = fdio_libc_proc();
    return fp ? fdio_posix_stat(fp, path, st) : fdio_real()->stat(path, st);
}
int stat64(const char *path, struct stat64 *st)
{
    return stat(path, (struct stat *)st);
}

int lstat(const char *path, struct stat *st)
{
    FdioProcess *fp = fdio_libc_proc();
    return fp ? fdio_posix_stat(fp, path, st) : fdio_real()->lstat(path, st);
}
int lstat64(const char *path, struct stat64 *st)
{
    return lstat(path, (struct stat *)st);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return fdio_real()->fstatat(dirfd, path, st, flags);
    if ((flags & AT_EMPTY_PATH) && !*path)
        return fstat(dirfd, st);
    return fdio_posix_statat(fp, dirfd, path, st);
}
int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
    return fstatat(dirfd, path, (struct stat *)st, flags);
}

int access(const char *path, int mode)
{
    FdioProcess *fp = fdio_libc_proc();
    return fp ? fdio_posix_access(fp, path, mode) : fdio_real()->access(path, mode);
}

int mkdir(const char *path, mode_t mode)
{
    FdioProcess *fp = fdio_libc_proc();
    return fp ? fdio_posix_mkdir(fp, path, mode) : fdio_real()->mkdir(path, mode);
}

int unlink(const char *path)
{
    FdioProcess *fp = fdio_libc_proc();
    return fp ? fdio_posix_unlink(fp, path, false) : fdio_real()->unlink(path);
}

int rmdir(const char *path)
{
    FdioProcess *fp = fdio_libc_proc();
    return fp ? fdio_posix_unlink(fp, path, true) : fdio_real()->rmdir(path);
}

int chdir(const char *path)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return fdio_real()->chdir(path);
    struct stat st;
    char abs[FIO_MAX_PATH + 2];
    zx_status_t s = fdio_path_clean(fp->cwd, path, abs, sizeof abs, NULL);
    if (s != ZX_OK) {
        errno = fdio_status_to_errno(s);
        return -1;
    }
    if (fdio_posix_stat(fp, abs, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    memcpy(fp->cwd, abs, strlen(abs) + 1);
    return 0;
}

/* getcwd for `caller`: without a buffer, a copy from its heap (musl's
 * getcwd ignores size then, as here). */
char *fdio_libc_getcwd(char *buf, size_t size, const void *caller)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return fdio_real()->getcwd(buf, size);
    size_t n = strlen(fp->cwd) + 1;
    if (!buf)
        return libc_strdup_for(caller, fp->cwd);
    if (size < n) {
        errno = ERANGE;
        return NULL;
    }
    memcpy(buf, fp->cwd, n);
    return buf;
}

char *getcwd(char *buf, size_t size)
{
    return fdio_libc_getcwd(buf, size, __builtin_return_address(0));
}

/* glibc's read $PWD, else the HOST's working directory. */
LIBC_NEXT_SLOT(get_current_dir_name);
char *get_current_dir_name(void)
{
    if (!fdio_libc_proc())
        return LIBC_NEXT(char *(*)(void), get_current_dir_name)();
    return fdio_libc_getcwd(NULL, 0, __builtin_return_address(0));
}

/* ---- FILE streams --------------------------------------------------------- */
static ssize_t fdio_cookie_read(void *cookie, char *buf, size_t n)
{
    FdioObj *o = fdio_fd_get(fdio_process_get(), (int)(intptr_t)cookie);
    return o ? fdio_posix_read(o, buf, n) : -1;
}

static ssize_t fdio_cookie_write(void *cookie, const char *buf, size_t n)
{
    FdioObj *o = fdio_fd_get(fdio_process_get(), (int)(intptr_t)cookie);
    ssize_t r = o ? fdio_posix_write(o, buf, n) : -1;
    return r < 0 ? 0 : r;  /* cookie writers report failure as 0 */
}

static int fdio_cookie_seek(void *cookie, off64_t *pos, int whence)
{
    FdioObj *o = fdio_fd_get(fdio_process_get(), (int)(intptr_t)cookie);
    off_t r = o ? fdio_posix_lseek(o, (off_t)*pos, whence) : -1;
    if (r < 0)
        return -1;
    *pos = r;
    return 0;
}

static int fdio_cookie_close(void *cookie)
{
    FdioProcess *fp = fdio_process_get();
    return fp ? fdio_posix_close(fp, (int)(intptr_t)cookie) : -1;
}

static int fdio_fopen_flags(const char *mode)
{
    int flags;
    switch (mode[0]) {
    case 'r': flags = 0; break;
    case 'w': flags = O_CREAT | O_TRUNC; break;
    case 'a': flags = O_CREAT | O_APPEND; break;
    default: return -1;
    }
    bool plus = strchr(mode, '+') != NULL;
    flags |= plus ? O_RDWR : mode[0] == 'r' ? O_RDONLY : O_WRONLY;
    if (strchr(mode, 'x'))
        flags |= O_EXCL;
    return flags;
}

/* A cookie stream whose fileno() is fd, as a Fuchsia FILE's is: glibc
 * marks a cookie stream's _fileno -2 (open, no descriptor) and answers
 * fileno() with EBADF; code that takes the descriptor of a stream (C++'s
 * filebuf writes, reads and seeks through it) got -1. glibc reaches a
 * cookie stream's data through the cookie functions only, never _fileno. */
FILE *fdio_fd_stream(int fd, const char *mode)
{
    cookie_io_functions_t io = {fdio_cookie_read, fdio_cookie_write, fdio_cookie_seek,
                                fdio_cookie_close};
    FILE *f = fopencookie((void *)(intptr_t)fd, mode, io);
    if (f)
        f->_fileno = fd;
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return fdio_real()->fopen(path, mode);
    return fdio_libc_fopen(fp, path, mode);
}

FILE *fdio_libc_fopen(FdioProcess *fp, const char *path, const char *mode)
{
    int flags = mode ? fdio_fopen_flags(mode) : -1;
    if (flags < 0) {
        errno = EINVAL;
        return NULL;
    }
    int fd = fdio_posix_open(fp, path, flags, 0666);
    if (fd < 0)
        return NULL;
    FILE *f = fdio_fd_stream(fd, mode);
    if (!f)
        fdio_posix_close(fp, fd);
    return f;
}
FILE *fopen64(const char *path, const char *mode) __attribute__((alias("fopen")));

FILE *fdopen(int fd, const char *mode)
{
    FdioObj *o;
    int r = fdio_libc_fd(fd, &o);
    if (r == 0)
        return fdio_real()->fdopen(fd, mode);
    return r < 0 ? NULL : fdio_fd_stream(fd, mode);
}
