/* fdio_path.c — client-side path handling of capsim's fdio.
 *
 * What it models: what Fuchsia's fdio does to a POSIX path before anything
 * is sent to a server — make it absolute against the working directory and
 * clean it lexically: repeated '/' collapse, "." segments vanish, ".." drops
 * the previous segment and never climbs above "/". So "/pkg/../etc/passwd"
 * becomes "/etc/passwd", which names nothing unless the namespace binds it:
 * ".." in a POSIX path can never leave the namespace. (A raw Open with ".."
 * sent to a server is a different matter: see sandbox/io_path.c.)
 *
 * Also the zx_status_t -> errno table of fdio. Read next: fdio_ns.c.
 */
#include <errno.h>
#include <string.h>
#include <zircon/errors.h>

#include "fdio_internal.h"

/* Append segment (s, n) to out (len used); ".." pops. */
static zx_status_t fdio_path_push(char *out, size_t cap, size_t *len,
                                  const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '.'))
        return ZX_OK;
    if (n == 2 && s[0] == '.' && s[1] == '.') {
        while (*len > 1 && out[*len - 1] != '/')
            (*len)--;
        if (*len > 1)
            (*len)--;
        out[*len] = '\0';
        return ZX_OK;
    }
    if (n > FIO_MAX_FILENAME)
        return ZX_ERR_BAD_PATH;
    size_t need = *len + (*len > 1 ? 1 : 0) + n;
    if (need + 1 > cap || need > FIO_MAX_PATH)
        return ZX_ERR_BAD_PATH;
    if (*len > 1)
        out[(*len)++] = '/';
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
    return ZX_OK;
}

static zx_status_t fdio_path_walk(char *out, size_t cap, size_t *len,
                                  const char *p)
{
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        zx_status_t s = fdio_path_push(out, cap, len, p, n);
        if (s != ZX_OK)
            return s;
        p += n + (slash ? 1 : 0);
    }
    return ZX_OK;
}

zx_status_t fdio_path_clean(const char *cwd, const char *path, char *out,
                            size_t cap, bool *trailing_slash)
{
    if (!path || !*path)
        return ZX_ERR_NOT_FOUND;
    size_t plen = strlen(path);
    if (plen > FIO_MAX_PATH)
        return ZX_ERR_BAD_PATH;
    if (cap < 2)
        return ZX_ERR_BAD_PATH;
    if (trailing_slash)
        *trailing_slash = path[plen - 1] == '/';
    out[0] = '/';
    out[1] = '\0';
    size_t len = 1;
    zx_status_t s = ZX_OK;
    if (path[0] != '/' && cwd)
        s = fdio_path_walk(out, cap, &len, cwd);
    if (s == ZX_OK)
        s = fdio_path_walk(out, cap, &len, path);
    return s;
}

zx_status_t fdio_path_split(const char *path, char *parent, size_t cap,
                            const char **name)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash[1] == '\0')
        return ZX_ERR_INVALID_ARGS;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if (n + 1 > cap)
        return ZX_ERR_BAD_PATH;
    memcpy(parent, path, n);
    parent[n] = '\0';
    *name = slash + 1;
    return ZX_OK;
}

int fdio_status_to_errno(zx_status_t status)
{
    switch (status) {
    case ZX_ERR_NOT_FOUND: return ENOENT;
    case ZX_ERR_NO_MEMORY: case ZX_ERR_NO_RESOURCES: return ENOMEM;
    case ZX_ERR_INVALID_ARGS: case ZX_ERR_OUT_OF_RANGE:
    case ZX_ERR_BUFFER_TOO_SMALL: return EINVAL;
    case ZX_ERR_TIMED_OUT: return ETIMEDOUT;
    case ZX_ERR_UNAVAILABLE: return EBUSY;
    case ZX_ERR_ALREADY_EXISTS: return EEXIST;
    case ZX_ERR_PEER_CLOSED: case ZX_ERR_BAD_STATE: return EPIPE;
    case ZX_ERR_BAD_PATH: return ENAMETOOLONG;
    case ZX_ERR_NOT_FILE: return EISDIR;
    case ZX_ERR_NOT_DIR: return ENOTDIR;
    case ZX_ERR_NOT_SUPPORTED: case ZX_ERR_WRONG_TYPE: return ENOTSUP;
    case ZX_ERR_BAD_HANDLE: return EBADF;
    case ZX_ERR_ACCESS_DENIED: return EACCES;
    case ZX_ERR_SHOULD_WAIT: return EAGAIN;
    case ZX_ERR_FILE_BIG: return EFBIG;
    case ZX_ERR_NO_SPACE: return ENOSPC;
    case ZX_ERR_NOT_EMPTY: return ENOTEMPTY;
    default: return EIO;
    }
}
