/* fdio_internal.h — what the fdio files (sdk/fdio_*.c) share: the
 * per-process state, fdio objects, the protocol client and path cleaning.
 * App-side code: zx_* calls and the runtime block only. Not for bindings.
 */
#ifndef CAPSIM_SDK_FDIO_INTERNAL_H
#define CAPSIM_SDK_FDIO_INTERNAL_H

#include <lib/fdio/io.h>
#include <lib/fdio/limits.h>
#include <lib/fdio/namespace.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <zircon/types.h>

typedef enum FdioKind {
    FDIO_REMOTE = 0,         /* a connection to a node on some server */
    FDIO_NSDIR,              /* a directory of the namespace itself (no server) */
    FDIO_PIPE,               /* one end of a zx socket: pipe(), socketpair() */
    FDIO_STDIO               /* the process's captured stdin/stdout/stderr */
} FdioKind;

typedef struct FdioObj {
    FdioKind kind;
    uint32_t refs;           /* fd table slots + open DIR streams */
    zx_handle_t channel;     /* REMOTE */
    uint32_t tag;            /* FIO_NODE_INFO_* the server described */
    int oflags;              /* O_ACCMODE | O_APPEND it was opened with (F_GETFL);
                              * PIPE: O_RDWR | O_NONBLOCK as last set */
    zx_handle_t socket;      /* PIPE: its end of the socket */
    int stdio;               /* STDIO: which stream, 0 (in), 1 (out), 2 (err) */
    char *path;              /* NSDIR: absolute path of the virtual directory */
    size_t ns_cursor;        /* NSDIR: next child to list */
    uint8_t *dirbuf;         /* REMOTE directory: dirents read ahead */
    size_t dirlen, dirpos;
    bool dir_eof;
} FdioObj;

struct fdio_namespace {
    char **paths;            /* sorted bytewise */
    zx_handle_t *dirs;
    size_t count;
    bool installed;
};

typedef struct FdioDir FdioDir;

typedef struct FdioProcess {
    fdio_ns_t *ns;
    FdioObj *fds[FDIO_MAX_FD];
    char cwd[FIO_MAX_PATH + 2];
    mode_t umask;            /* as fdio's: starts at 0, kept & 0777 */
    FdioDir *dirs;           /* its open DIR streams (fdio_dir.c) */
} FdioProcess;

/* Free the DIR streams the process left open (its descriptors go with
 * its table: fdio_process_release). */
void fdio_dir_release_all(FdioProcess *fp);

/* ---- state (fdio_fd.c) --------------------------------------------------- */
/* The calling process's fdio state, built on first use from its PA_NS_DIR
 * startup handles; NULL off a simulated thread or without a runtime block. */
FdioProcess *fdio_process_get(void);
/* True when POSIX file calls of the calling thread belong to fdio: it runs
 * in a simulated process that is an app or has a namespace. */
bool fdio_process_active(void);
FdioObj *fdio_fd_get(FdioProcess *fp, int fd);
/* o in the lowest free slot (POSIX's rule: 0-2 too once closed); -1 when
 * full. */
int fdio_fd_install(FdioProcess *fp, FdioObj *o);
/* Where the process's stdio FILE of stream fd (0-2) reads or writes: the
 * captured stream 0-2 it holds (the stream itself when fdio is not in
 * use), FDIO_STDIO_TO_FD (an fdio object: read or write fd), or
 * FDIO_STDIO_CLOSED (nothing there: EBADF). */
#define FDIO_STDIO_TO_FD (-1)
#define FDIO_STDIO_CLOSED (-2)
int fdio_stdio_target(int fd);
FdioObj *fdio_obj_new(FdioKind kind);
void fdio_obj_release(FdioObj *o);

/* ---- namespace (fdio_ns.c) ----------------------------------------------- */
/* Resolve an absolute canonical path: ZX_OK with the bound directory and the
 * rest ("." for the entry itself); ZX_ERR_NEXT when the path is a directory
 * of the namespace above some entry; ZX_ERR_NOT_FOUND otherwise. */
zx_status_t fdio_ns_resolve(const fdio_ns_t *ns, const char *path,
                            zx_handle_t *dir, const char **rest);
/* The i-th distinct child name of virtual directory `path` (into buf). */
bool fdio_ns_child(const fdio_ns_t *ns, const char *path, size_t i, char *buf,
                   size_t cap);

/* ---- the protocol client (fdio_remote.c) ---------------------------------- */
zx_status_t fdio_remote_open(zx_handle_t dir, const char *path, uint32_t flags,
                             uint32_t mode, zx_handle_t *out, uint32_t *tag);
zx_status_t fdio_remote_send_open(zx_handle_t dir, const char *path, uint32_t flags,
                                  uint32_t mode, zx_handle_t request);
zx_status_t fdio_remote_clone(zx_handle_t node, uint32_t flags, zx_handle_t request);
zx_status_t fdio_remote_wait_on_open(zx_handle_t ch, uint32_t *tag);
zx_status_t fdio_remote_close(zx_handle_t ch);
zx_status_t fdio_remote_read(zx_handle_t ch, void *buf, size_t len, size_t *actual);
zx_status_t fdio_remote_write(zx_handle_t ch, const void *buf, size_t len, size_t *actual);
zx_status_t fdio_remote_seek(zx_handle_t ch, int64_t off, uint32_t origin, uint64_t *out);
zx_status_t fdio_remote_truncate(zx_handle_t ch, uint64_t len);
zx_status_t fdio_remote_attr(zx_handle_t ch, FioNodeAttributes *attr);
zx_status_t fdio_remote_dirents(zx_handle_t ch, void *buf, size_t cap, size_t *actual);
zx_status_t fdio_remote_rewind(zx_handle_t ch);
zx_status_t fdio_remote_unlink(zx_handle_t dir, const char *name);
zx_status_t fdio_remote_get_buffer(zx_handle_t ch, uint32_t flags, zx_handle_t *vmo,
                                   uint64_t *size);

/* ---- paths (fdio_path.c) ---------------------------------------------- */
/* Make `path` absolute against `cwd` and clean it ("//", ".", ".." — never
 * above "/"). ZX_ERR_NOT_FOUND for "", ZX_ERR_BAD_PATH when too long. */
zx_status_t fdio_path_clean(const char *cwd, const char *path, char *out,
                            size_t cap, bool *trailing_slash);
/* Split an absolute canonical path into parent directory and last name. */
zx_status_t fdio_path_split(const char *path, char *parent, size_t cap,
                            const char **name);
int fdio_status_to_errno(zx_status_t status);

/* ---- POSIX layer (fdio_posix.c), used by the libc wrappers ------------ */
int fdio_posix_open(FdioProcess *fp, const char *path, int oflags, mode_t mode);
int fdio_posix_openat(FdioProcess *fp, int dirfd, const char *path, int oflags,
                      mode_t mode);
ssize_t fdio_posix_read(FdioObj *o, void *buf, size_t n);
ssize_t fdio_posix_write(FdioObj *o, const void *buf, size_t n);
off_t fdio_posix_lseek(FdioObj *o, off_t off, int whence);
int fdio_posix_close(FdioProcess *fp, int fd);
int fdio_posix_fstat(FdioObj *o, struct stat *st);
int fdio_posix_stat(FdioProcess *fp, const char *path, struct stat *st);
int fdio_posix_mkdir(FdioProcess *fp, const char *path, mode_t mode);
int fdio_posix_unlink(FdioProcess *fp, const char *path, bool dir);
int fdio_posix_ftruncate(FdioObj *o, off_t len);
int fdio_posix_access(FdioProcess *fp, const char *path, int mode);
/* The *at forms: dirfd AT_FDCWD or an absolute path as above, else
 * relative to the fdio directory descriptor dirfd (EBADF if none). */
int fdio_posix_statat(FdioProcess *fp, int dirfd, const char *path, struct stat *st);
int fdio_posix_accessat(FdioProcess *fp, int dirfd, const char *path, int mode);
int fdio_posix_mkdirat(FdioProcess *fp, int dirfd, const char *path, mode_t mode);
int fdio_posix_unlinkat(FdioProcess *fp, int dirfd, const char *path, bool dir);
/* Next directory entry: 1 with name/type/ino filled, 0 at the end, -1. */
int fdio_posix_readdir(FdioObj *o, char *name, size_t cap, uint8_t *type,
                       uint64_t *ino);
void fdio_posix_rewinddir(FdioObj *o);

/* ---- pipes and socket pairs over zx sockets (fdio_pipe.c) ------------- */
/* Two connected descriptors in fds (pipe: fds[0] to read, fds[1] to write;
 * both ends can do both, as on Fuchsia). zx_options ZX_SOCKET_STREAM or
 * _DATAGRAM; nonblock sets O_NONBLOCK on both. 0, or -1 with errno. */
int fdio_pipe_pair(FdioProcess *fp, uint32_t zx_options, bool nonblock, int fds[2]);
/* An object over socket handle h (consumed, also on failure): NULL with
 * *status ZX_ERR_NO_MEMORY when memory runs out. */
FdioObj *fdio_pipe_from_socket(zx_handle_t h, zx_status_t *status);
/* Transfers; flags MSG_DONTWAIT (and MSG_PEEK for reads). A blocking end
 * waits on the socket's signals when empty / full. -1 with errno. */
ssize_t fdio_pipe_read(FdioObj *o, void *buf, size_t n, int flags);
ssize_t fdio_pipe_write(FdioObj *o, const void *buf, size_t n, int flags);
/* Scatter/gather as ONE socket transfer (a datagram is one message). */
ssize_t fdio_pipe_readv(FdioObj *o, const struct iovec *iov, int cnt, int flags);
ssize_t fdio_pipe_writev(FdioObj *o, const struct iovec *iov, int cnt, int flags);
int fdio_pipe_shutdown(FdioObj *o, int how);
/* poll's view of an end: the socket signals that answer `events`, and the
 * poll events that observed signals stand for. */
zx_signals_t fdio_pipe_wait_begin(const FdioObj *o, short events);
short fdio_pipe_wait_end(zx_signals_t observed);

/* ---- the libc wrappers (fdio_libc.c and the fdio_libc_*.c beside it) ---- */
/* The calling process's fdio state when running code is app code of a
 * process whose file calls are fdio's; NULL: the call is libc's. */
FdioProcess *fdio_libc_proc(void);
/* Descriptor routing: 1 = fdio object in *o (a captured stdio object
 * too), 0 = forward to libc (not an fdio process; a host library's own
 * descriptor), -1 = EBADF set. `caller` is the wrapper's return address. */
int fdio_libc_fd_from(int fd, FdioObj **o, const void *caller);
#define fdio_libc_fd(fd, o) fdio_libc_fd_from((fd), (o), __builtin_return_address(0))
/* The same as a class: FDIO_FD_OBJ (in *o), _STDIO (a captured stdio
 * object in *o: 0-2 as the process starts, or a duplicate of one), _BAD
 * (errno EBADF set) or _HOST (not app code: forward to libc). */
typedef enum FdioFdClass { FDIO_FD_HOST, FDIO_FD_OBJ, FDIO_FD_STDIO, FDIO_FD_BAD } FdioFdClass;
FdioFdClass fdio_libc_fd_class(int fd, FdioObj **o, const void *caller);
/* Is the call from `caller` fdio's (app code of a process using fdio)? */
bool fdio_libc_app_caller(const void *caller);
/* Is `caller` code of a host library (libc, GLib, a test harness) rather
 * than app code or the main program? Their descriptors stay theirs. */
bool fdio_libc_host_caller(const void *caller);
/* Transfers on a FDIO_STDIO object (captured output, stdin at its end);
 * the other direction EBADF. -1 with errno. */
ssize_t fdio_stdio_write(const FdioObj *o, const void *buf, size_t n, const void *caller);
ssize_t fdio_stdio_read(const FdioObj *o, void *buf, size_t n);
/* read/write as called from `caller`: fdio, the process's stdio or libc. */
ssize_t fdio_libc_read_from(int fd, void *buf, size_t n, const void *caller);
ssize_t fdio_libc_write_from(int fd, const void *buf, size_t n, const void *caller);
/* getcwd as called from `caller` (fdio_libc.c). */
char *fdio_libc_getcwd(char *buf, size_t size, const void *caller);
/* pathconf's answers for fdio paths (fdio_libc_path.c). */
long fdio_libc_pathconf_value(int name);
/* dup2 of object o onto slot fd of fp (what it held closed first): fd,
 * or -1 with errno (fdio_libc_fd.c). */
int fdio_fd_put(FdioProcess *fp, FdioObj *o, int fd);
/* fopen in fp's namespace: a cookie FILE, or NULL with errno. */
FILE *fdio_libc_fopen(FdioProcess *fp, const char *path, const char *mode);
/* A FILE (glibc cookie stream) over fdio descriptor fd; NULL on failure. */
FILE *fdio_fd_stream(int fd, const char *mode);
/* A libc call refused with err in app code whatever its arguments, libc's
 * own for everyone else (the file defining it includes libc_next.h). */
#define FDIO_LIBC_REFUSE(ret, name, params, args, err)                        \
    LIBC_REFUSED(fdio_libc_proc(), ret, -1, err, name, params, args)
/* errno = err, -1: the failure return of the calls modeled. */
static inline int fdio_libc_fail(int err)
{
    errno = err;
    return -1;
}

#endif
