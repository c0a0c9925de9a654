/* fdio_posix.c — POSIX file semantics over namespaces and fuchsia.io, the
 * layer under the libc wrappers of fdio_libc.c.
 *
 * What it models: what Fuchsia's fdio does for open/read/write/lseek/close,
 * stat/fstat, mkdir/unlink, access and directory streams. A path is made
 * absolute and cleaned (fdio_path.c), resolved in the namespace
 * (fdio_ns.c), and the rest is opened on the entry's server with
 * POSIX -> fuchsia.io flags (O_RDONLY/O_WRONLY/O_RDWR -> READABLE/WRITABLE,
 * O_CREAT -> CREATE, O_EXCL -> CREATE_IF_ABSENT, O_TRUNC, O_APPEND,
 * O_DIRECTORY, O_PATH -> NODE_REFERENCE; POSIX and DESCRIBE always). Status
 * codes become errno through fdio_status_to_errno. The namespace's own
 * directories ("/", "/dev" above "/dev/class/framebuffer") open read-only
 * and list the next segments. Relative paths given to openat against a
 * directory fd keep their ".." segments and go to the server as they are —
 * which refuses them (EINVAL) unless its accept_dotdot fault is on.
 *
 * A directory opened to be modified (write access or O_CREAT) is EISDIR
 * as Fuchsia's fdio emulates POSIX: the server is asked for NOT_DIRECTORY
 * (a trailing slash fails at once); O_DIRECTORY with write access opens it,
 * as fdio lets it. mkdir and unlink open their directories without it.
 *
 * Pipe ends (fdio_pipe.c) read and write their socket, fstat as FIFOs,
 * do not seek (ESPIPE) and cannot be truncated (EINVAL); captured stdio
 * objects (fdio_fd.c) the same, as character devices.
 *
 * Functions return -1 with errno set, like the calls they stand for.
 * Left out: symlinks, permissions, O_NONBLOCK on files, file locks. Read next:
 * fdio_libc.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"

static int fdio_fail(zx_status_t s)
{
    errno = fdio_status_to_errno(s);
    return -1;
}

static uint32_t fdio_posix_flags(int oflags)
{
    uint32_t f = FIO_OPEN_FLAG_DESCRIBE | FIO_OPEN_FLAG_POSIX;
    if ((oflags & O_PATH) == O_PATH)
        return f | FIO_OPEN_FLAG_NODE_REFERENCE |
               ((oflags & O_DIRECTORY) ? FIO_OPEN_FLAG_DIRECTORY : 0);
    switch (oflags & O_ACCMODE) {
    case O_WRONLY: f |= FIO_OPEN_RIGHT_WRITABLE; break;
    case O_RDWR: f |= FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE; break;
    default: f |= FIO_OPEN_RIGHT_READABLE; break;
    }
    if (oflags & O_CREAT)
        f |= FIO_OPEN_FLAG_CREATE | ((oflags & O_EXCL) ? FIO_OPEN_FLAG_CREATE_IF_ABSENT : 0);
    if (oflags & O_TRUNC)
        f |= FIO_OPEN_FLAG_TRUNCATE;
    if (oflags & O_APPEND)
        f |= FIO_OPEN_FLAG_APPEND;
    if (oflags & O_DIRECTORY)
        f |= FIO_OPEN_FLAG_DIRECTORY;
    return f;
}

static int fdio_install_or_fail(FdioProcess *fp, FdioObj *o)
{
    int fd = fdio_fd_install(fp, o);
    if (fd < 0) {
        fdio_obj_release(o);
        errno = EMFILE;
    }
    return fd;
}

/* POSIX's EISDIR, as Fuchsia's fdio emulates it: an open that would modify
 * (write access, or O_CREAT) must not reach a directory. A trailing slash
 * names one for sure (NOT_FILE at once); otherwise, unless O_DIRECTORY asks
 * for one, the server is told NOT_DIRECTORY and answers NOT_FILE if it is.
 * ZX_OK with *flags completed, or ZX_ERR_NOT_FILE. */
static zx_status_t fdio_posix_eisdir(int oflags, bool trailing, uint32_t *flags)
{
    bool modifies = (oflags & O_ACCMODE) != O_RDONLY || (oflags & O_CREAT);
    if (!modifies)
        return ZX_OK;
    if (trailing)
        return ZX_ERR_NOT_FILE;
    if (!(oflags & O_DIRECTORY))
        *flags |= FIO_OPEN_FLAG_NOT_DIRECTORY;
    return ZX_OK;
}

/* Open through a server directory channel; `path` is relative to it.
 * `eisdir`: refuse a directory opened to be modified (open, openat); mkdir
 * and unlink's parent open say false, as fdio's own do. */
static int fdio_posix_open_remote(FdioProcess *fp, zx_handle_t dir, const char *path,
                                  int oflags, mode_t mode, bool trailing, bool eisdir)
{
    uint32_t flags = fdio_posix_flags(oflags) | (trailing ? FIO_OPEN_FLAG_DIRECTORY : 0);
    if (eisdir) {
        zx_status_t s = fdio_posix_eisdir(oflags, trailing, &flags);
        if (s != ZX_OK)
            return fdio_fail(s);
    }
    uint32_t fmode = (oflags & O_DIRECTORY) && (oflags & O_CREAT)
                         ? FIO_MODE_TYPE_DIRECTORY | (mode & 07777)
                         : (mode & 07777);
    zx_handle_t ch;
    uint32_t tag = 0;
    zx_status_t s = fdio_remote_open(dir, path, flags, fmode, &ch, &tag);
    if (s != ZX_OK)
        return fdio_fail(s);
    FdioObj *o = fdio_obj_new(FDIO_REMOTE);
    if (!o) {
        zx_handle_close(ch);
        return fdio_fail(ZX_ERR_NO_MEMORY);
    }
    o->channel = ch;
    o->tag = tag;
    o->oflags = oflags & (O_ACCMODE | O_APPEND);
    return fdio_install_or_fail(fp, o);
}

static int fdio_posix_open_nsdir(FdioProcess *fp, const char *path, int oflags)
{
    if ((oflags & O_ACCMODE) != O_RDONLY || (oflags & (O_CREAT | O_TRUNC)))
        return fdio_fail((oflags & O_CREAT) ? ZX_ERR_ACCESS_DENIED : ZX_ERR_NOT_FILE);
    FdioObj *o = fdio_obj_new(FDIO_NSDIR);
    if (!o || !(o->path = strdup(path))) {
        fdio_obj_release(o);
        return fdio_fail(ZX_ERR_NO_MEMORY);
    }
    o->tag = FIO_NODE_INFO_DIRECTORY;
    return fdio_install_or_fail(fp, o);
}

static int fdio_posix_open_as(FdioProcess *fp, const char *path, int oflags, mode_t mode,
                              bool eisdir)
{
    char abs[FIO_MAX_PATH + 2];
    bool trailing = false;
    zx_status_t s = fdio_path_clean(fp->cwd, path, abs, sizeof abs, &trailing);
    if (s != ZX_OK)
        return fdio_fail(s);
    zx_handle_t dir;
    const char *rest;
    s = fdio_ns_resolve(fp->ns, abs, &dir, &rest);
    if (s == ZX_ERR_NEXT)
        return fdio_posix_open_nsdir(fp, abs, oflags);
    if (s != ZX_OK)
        return fdio_fail(s);
    return fdio_posix_open_remote(fp, dir, rest, oflags, mode, trailing, eisdir);
}

int fdio_posix_open(FdioProcess *fp, const char *path, int oflags, mode_t mode)
{
    return fdio_posix_open_as(fp, path, oflags, mode, true);
}

/* Clean a relative path without resolving "..": drop "." and empty segments. */
static zx_status_t fdio_posix_relative(const char *path, char *out, size_t cap)
{
    size_t len = 0;
    const char *p = path;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n && !(n == 1 && p[0] == '.')) {
            if (len + n + 2 > cap)
                return ZX_ERR_BAD_PATH;
            if (len)
                out[len++] = '/';
            memcpy(out + len, p, n);
            len += n;
        }
        p += n + (slash ? 1 : 0);
    }
    if (len == 0)
        out[len++] = '.';
    out[len] = '\0';
    return ZX_OK;
}

/* Where an *at call's path is: 0 with *abs absolute (dirfd AT_FDCWD, an
 * absolute path, or joined under a namespace directory in buf), 1 with *d
 * a server directory the relative path is under, -1 with errno. */
static int fdio_posix_at(FdioProcess *fp, int dirfd, const char *path, char *buf, size_t cap,
                         const char **abs, FdioObj **d)
{
    if (!path)
        return fdio_fail(ZX_ERR_INVALID_ARGS);
    *abs = path;
    if (path[0] == '/' || dirfd == AT_FDCWD)
        return 0;
    *d = fdio_fd_get(fp, dirfd);
    if (!*d)
        return fdio_fail(ZX_ERR_BAD_HANDLE);
    if ((*d)->kind == FDIO_NSDIR) {
        if (snprintf(buf, cap, "%s/%s", (*d)->path, path) >= (int)cap)
            return fdio_fail(ZX_ERR_BAD_PATH);
        *abs = buf;
        return 0;
    }
    if ((*d)->tag != FIO_NODE_INFO_DIRECTORY)
        return fdio_fail(ZX_ERR_NOT_DIR);
    return 1;
}

static int fdio_posix_openat_as(FdioProcess *fp, int dirfd, const char *path, int oflags,
                                mode_t mode, bool eisdir)
{
    char joined[FIO_MAX_PATH + 2], rel[FIO_MAX_PATH + 2];
    const char *abs;
    FdioObj *d;
    int where = fdio_posix_at(fp, dirfd, path, joined, sizeof joined, &abs, &d);
    if (where <= 0)
        return where < 0 ? -1 : fdio_posix_open_as(fp, abs, oflags, mode, eisdir);
    zx_status_t s = fdio_posix_relative(path, rel, sizeof rel);
    if (s != ZX_OK)
        return fdio_fail(s);
    size_t plen = strlen(path);
    return fdio_posix_open_remote(fp, d->channel, rel, oflags, mode,
                                  plen && path[plen - 1] == '/', eisdir);
}

int fdio_posix_openat(FdioProcess *fp, int dirfd, const char *path, int oflags,
                      mode_t mode)
{
    return fdio_posix_openat_as(fp, dirfd, path, oflags, mode, true);
}

static bool fdio_is_stream(const FdioObj *o)
{
    return o->kind == FDIO_REMOTE && o->tag == FIO_NODE_INFO_FILE;
}

ssize_t fdio_posix_read(FdioObj *o, void *buf, size_t n)
{
    if (o->kind == FDIO_PIPE)
        return fdio_pipe_read(o, buf, n, 0);
    if (o->kind == FDIO_STDIO)
        return fdio_stdio_read(o, buf, n);
    if (!fdio_is_stream(o))
        return fdio_fail(o->tag == FIO_NODE_INFO_DIRECTORY ? ZX_ERR_NOT_FILE
                                                           : ZX_ERR_NOT_SUPPORTED);
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < FIO_MAX_BUF ? n - done : FIO_MAX_BUF, got = 0;
        zx_status_t s = fdio_remote_read(o->channel, (uint8_t *)buf + done, want, &got);
        if (s != ZX_OK)
            return done ? (ssize_t)done : fdio_fail(s);
        done += got;
        if (got < want)
            break;
    }
    return (ssize_t)done;
}

ssize_t fdio_posix_write(FdioObj *o, const void *buf, size_t n)
{
    if (o->kind == FDIO_PIPE)
        return fdio_pipe_write(o, buf, n, 0);
    if (o->kind == FDIO_STDIO)
        return fdio_stdio_write(o, buf, n, NULL);
    if (!fdio_is_stream(o))
        return fdio_fail(o->tag == FIO_NODE_INFO_DIRECTORY ? ZX_ERR_NOT_FILE
                                                           : ZX_ERR_NOT_SUPPORTED);
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < FIO_MAX_BUF ? n - done : FIO_MAX_BUF, got = 0;
        zx_status_t s = fdio_remote_write(o->channel, (const uint8_t *)buf + done, want,
                                          &got);
        if (s != ZX_OK)
            return done ? (ssize_t)done : fdio_fail(s);
        done += got;
        if (got < want)
            break;
    }
    return (ssize_t)done;
}

off_t fdio_posix_lseek(FdioObj *o, off_t off, int whence)
{
    if (o->kind == FDIO_PIPE || o->kind == FDIO_STDIO) {
        errno = ESPIPE;
        return -1;
    }
    if (!fdio_is_stream(o))
        return fdio_fail(ZX_ERR_NOT_SUPPORTED);
    uint32_t origin = whence == SEEK_SET ? FIO_SEEK_START
                      : whence == SEEK_CUR ? FIO_SEEK_CURRENT
                      : whence == SEEK_END ? FIO_SEEK_END : 99u;
    if (origin == 99u)
        return fdio_fail(ZX_ERR_INVALID_ARGS);
    uint64_t pos = 0;
    zx_status_t s = fdio_remote_seek(o->channel, off, origin, &pos);
    return s == ZX_OK ? (off_t)pos : fdio_fail(s);
}

int fdio_posix_close(FdioProcess *fp, int fd)
{
    FdioObj *o = fdio_fd_get(fp, fd);
    if (!o)
        return fdio_fail(ZX_ERR_BAD_HANDLE);
    fp->fds[fd] = NULL;
    fdio_obj_release(o);
    return 0;
}

static void fdio_stat_fill(const FioNodeAttributes *a, struct stat *st)
{
    memset(st, 0, sizeof *st);
    uint32_t type = a->mode & FIO_MODE_TYPE_MASK;
    st->st_mode = (mode_t)(a->mode & 07777) |
                  (type == FIO_MODE_TYPE_DIRECTORY ? S_IFDIR
                   : type == FIO_MODE_TYPE_FILE    ? S_IFREG : S_IFCHR);
    st->st_ino = (ino_t)a->id;
    st->st_size = (off_t)a->content_size;
    st->st_nlink = (nlink_t)a->link_count;
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t)((a->storage_size + 511) / 512);
    st->st_ctim.tv_sec = (time_t)(a->creation_time / 1000000000u);
    st->st_ctim.tv_nsec = (long)(a->creation_time % 1000000000u);
    st->st_mtim.tv_sec = (time_t)(a->modification_time / 1000000000u);
    st->st_mtim.tv_nsec = (long)(a->modification_time % 1000000000u);
    st->st_atim = st->st_mtim;
}

int fdio_posix_fstat(FdioObj *o, struct stat *st)
{
    FioNodeAttributes a;
    if (o->kind == FDIO_PIPE || o->kind == FDIO_STDIO) {
        memset(st, 0, sizeof *st);
        /* Fuchsia's pipe protocol; captured stdio: a character device
         * that is no terminal, as /dev/null */
        st->st_mode = o->kind == FDIO_PIPE ? S_IFIFO | 0600 : S_IFCHR | 0600;
        st->st_nlink = 1;
        st->st_blksize = 4096;
        return 0;
    }
    if (o->kind == FDIO_NSDIR) {
        memset(&a, 0, sizeof a);
        a.mode = FIO_MODE_TYPE_DIRECTORY | 0555u;
        a.id = FIO_INO_UNKNOWN;
        a.link_count = 1;
    } else {
        zx_status_t s = fdio_remote_attr(o->channel, &a);
        if (s != ZX_OK)
            return fdio_fail(s);
    }
    fdio_stat_fill(&a, st);
    return 0;
}

int fdio_posix_statat(FdioProcess *fp, int dirfd, const char *path, struct stat *st)
{
    int fd = fdio_posix_openat(fp, dirfd, path, O_PATH, 0);
    if (fd < 0)
        return -1;
    int r = fdio_posix_fstat(fp->fds[fd], st);
    int saved = errno;
    fdio_posix_close(fp, fd);
    errno = saved;
    return r;
}

int fdio_posix_stat(FdioProcess *fp, const char *path, struct stat *st)
{
    return fdio_posix_statat(fp, AT_FDCWD, path, st);
}

int fdio_posix_accessat(FdioProcess *fp, int dirfd, const char *path, int mode)
{
    int fd = fdio_posix_openat(fp, dirfd, path, (mode & W_OK) ? O_WRONLY : O_PATH, 0);
    if (fd < 0 && errno == EISDIR && (mode & W_OK))
        fd = fdio_posix_openat(fp, dirfd, path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0)
        return -1;
    fdio_posix_close(fp, fd);
    return 0;
}

int fdio_posix_access(FdioProcess *fp, const char *path, int mode)
{
    return fdio_posix_accessat(fp, AT_FDCWD, path, mode);
}

int fdio_posix_mkdirat(FdioProcess *fp, int dirfd, const char *path, mode_t mode)
{
    int fd = fdio_posix_openat_as(fp, dirfd, path, O_RDONLY | O_CREAT | O_EXCL | O_DIRECTORY,
                                  mode, false);
    if (fd < 0)
        return -1;
    fdio_posix_close(fp, fd);
    return 0;
}

int fdio_posix_mkdir(FdioProcess *fp, const char *path, mode_t mode)
{
    return fdio_posix_mkdirat(fp, AT_FDCWD, path, mode);
}

int fdio_posix_unlink(FdioProcess *fp, const char *path, bool dir)
{
    char abs[FIO_MAX_PATH + 2], parent[FIO_MAX_PATH + 2], name[FIO_MAX_FILENAME + 2];
    const char *base;
    zx_status_t s = fdio_path_clean(fp->cwd, path, abs, sizeof abs, NULL);
    if (s == ZX_OK)
        s = fdio_path_split(abs, parent, sizeof parent, &base);
    if (s == ZX_OK && strlen(base) > FIO_MAX_FILENAME)
        s = ZX_ERR_BAD_PATH;
    if (s != ZX_OK)
        return fdio_fail(s == ZX_ERR_INVALID_ARGS ? ZX_ERR_ACCESS_DENIED : s);
    snprintf(name, sizeof name, "%s%s", base, dir ? "/" : "");
    int fd = fdio_posix_open_as(fp, parent, O_RDWR | O_DIRECTORY, 0, false);
    if (fd < 0)
        return -1;
    FdioObj *o = fp->fds[fd];
    s = o->kind == FDIO_REMOTE ? fdio_remote_unlink(o->channel, name) : ZX_ERR_ACCESS_DENIED;
    fdio_posix_close(fp, fd);
    return s == ZX_OK ? 0 : fdio_fail(s);
}

/* unlinkat relative to a server's directory descriptor: the path's last
 * name is unlinked through a connection to its parent, opened from d. */
static int fdio_posix_unlink_under(FdioProcess *fp, int dirfd, const char *path, bool dir)
{
    char rel[FIO_MAX_PATH + 2], name[FIO_MAX_FILENAME + 2];
    zx_status_t s = fdio_posix_relative(path, rel, sizeof rel);
    if (s != ZX_OK)
        return fdio_fail(s);
    char *slash = strrchr(rel, '/');
    const char *base = slash ? slash + 1 : rel;
    if (strlen(base) > FIO_MAX_FILENAME)
        return fdio_fail(ZX_ERR_BAD_PATH);
    snprintf(name, sizeof name, "%s%s", base, dir ? "/" : "");
    if (slash)
        *slash = '\0';
    int fd = fdio_posix_openat_as(fp, dirfd, slash ? rel : ".", O_RDWR | O_DIRECTORY, 0, false);
    if (fd < 0)
        return -1;
    s = fdio_remote_unlink(fp->fds[fd]->channel, name);
    fdio_posix_close(fp, fd);
    return s == ZX_OK ? 0 : fdio_fail(s);
}

int fdio_posix_unlinkat(FdioProcess *fp, int dirfd, const char *path, bool dir)
{
    char joined[FIO_MAX_PATH + 2];
    const char *abs;
    FdioObj *d;
    int where = fdio_posix_at(fp, dirfd, path, joined, sizeof joined, &abs, &d);
    if (where <= 0)
        return where < 0 ? -1 : fdio_posix_unlink(fp, abs, dir);
    return fdio_posix_unlink_under(fp, dirfd, path, dir);
}

int fdio_posix_ftruncate(FdioObj *o, off_t len)
{
    if (o->kind == FDIO_PIPE || o->kind == FDIO_STDIO)
        return fdio_fail(ZX_ERR_INVALID_ARGS);
    if (!fdio_is_stream(o))
        return fdio_fail(ZX_ERR_NOT_FILE);
    if (len < 0)
        return fdio_fail(ZX_ERR_INVALID_ARGS);
    zx_status_t s = fdio_remote_truncate(o->channel, (uint64_t)len);
    return s == ZX_OK ? 0 : fdio_fail(s);
}

static int fdio_readdir_ns(FdioObj *o, char *name, size_t cap, uint8_t *type,
                           uint64_t *ino)
{
    FdioProcess *fp = fdio_process_get();
    *type = DT_DIR;
    *ino = FIO_INO_UNKNOWN;
    if (o->ns_cursor == 0) {
        o->ns_cursor++;
        snprintf(name, cap, ".");
        return 1;
    }
    if (!fp || !fdio_ns_child(fp->ns, o->path, o->ns_cursor - 1, name, cap))
        return 0;
    o->ns_cursor++;
    return 1;
}

int fdio_posix_readdir(FdioObj *o, char *name, size_t cap, uint8_t *type,
                       uint64_t *ino)
{
    if (o->kind == FDIO_NSDIR)
        return fdio_readdir_ns(o, name, cap, type, ino);
    if (o->tag != FIO_NODE_INFO_DIRECTORY)
        return fdio_fail(ZX_ERR_NOT_DIR);
    if (!o->dirbuf && !(o->dirbuf = malloc(FIO_MAX_BUF)))
        return fdio_fail(ZX_ERR_NO_MEMORY);
    if (o->dirpos >= o->dirlen) {
        if (o->dir_eof)
            return 0;
        size_t got = 0;
        zx_status_t s = fdio_remote_dirents(o->channel, o->dirbuf, FIO_MAX_BUF, &got);
        if (s != ZX_OK)
            return fdio_fail(s);
        o->dirlen = got;
        o->dirpos = 0;
        if (got == 0) {
            o->dir_eof = true;
            return 0;
        }
    }
    const uint8_t *e = o->dirbuf + o->dirpos;
    size_t n = e[8];
    if (o->dirpos + FIO_DIRENT_HEADER_SIZE + n > o->dirlen || n + 1 > cap)
        return fdio_fail(ZX_ERR_IO);
    memcpy(ino, e, 8);
    *type = e[9] == FIO_DIRENT_TYPE_DIRECTORY ? DT_DIR
            : e[9] == FIO_DIRENT_TYPE_FILE    ? DT_REG
            : e[9] == FIO_DIRENT_TYPE_SERVICE ? DT_CHR : DT_UNKNOWN;
    memcpy(name, e + FIO_DIRENT_HEADER_SIZE, n);
    name[n] = '\0';
    o->dirpos += FIO_DIRENT_HEADER_SIZE + n;
    return 1;
}

void fdio_posix_rewinddir(FdioObj *o)
{
    o->ns_cursor = 0;
    o->dirpos = o->dirlen = 0;
    o->dir_eof = false;
    if (o->kind == FDIO_REMOTE && o->tag == FIO_NODE_INFO_DIRECTORY)
        fdio_remote_rewind(o->channel);
}
