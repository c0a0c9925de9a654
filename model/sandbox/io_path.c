/* io_path.c — the path rules of capsim's directory servers.
 *
 * What it models: fuchsia.io's Path and Name rules as Fuchsia's servers
 * apply them to Open and Unlink. A path is relative to the connection it is
 * sent on; it is "." (the node itself) or '/'-separated names, optionally
 * ending in one '/' (the target must then be a directory). A name is 1..255
 * bytes, not "." or "..", with no '/' or NUL. Too long (path over
 * FIO_MAX_PATH or a name over FIO_MAX_FILENAME) is ZX_ERR_BAD_PATH; every
 * other violation (empty path or segment, leading '/', ".", "..", NUL) is
 * ZX_ERR_INVALID_ARGS — the mapping of Fuchsia's name parser.
 *
 * Fault injection: with the kernel's accept_dotdot switch the server lets
 * ".." through and the walk (io_server.c) climbs to the parent node, past
 * the root of the subtree it was asked to serve. This file only reports it.
 *
 * Left out: UTF-8 validation. Client-side POSIX cleaning ("a/./b/../c")
 * lives in fdio (sdk/fdio_path.c), as in Fuchsia. Read next: io_server.c.
 */
#include <lib/fdio/io.h>
#include <string.h>

#include "io_path.h"

static zx_status_t io_path_check_segment(const char *s, size_t n,
                                         bool accept_dotdot, bool *dotdot)
{
    if (n == 0)
        return ZX_ERR_INVALID_ARGS;
    if (n > FIO_MAX_FILENAME)
        return ZX_ERR_BAD_PATH;
    if (n == 1 && s[0] == '.')
        return ZX_ERR_INVALID_ARGS;
    if (n == 2 && s[0] == '.' && s[1] == '.') {
        if (!accept_dotdot)
            return ZX_ERR_INVALID_ARGS;
        *dotdot = true;
        return ZX_OK;
    }
    if (memchr(s, '\0', n))
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

zx_status_t io_path_check_name(const char *name, size_t len)
{
    bool dotdot = false;
    if (len && memchr(name, '/', len))
        return ZX_ERR_INVALID_ARGS;
    return io_path_check_segment(name, len, false, &dotdot);
}

zx_status_t io_path_check(const char *path, size_t len, bool accept_dotdot,
                          IoPath *out)
{
    memset(out, 0, sizeof *out);
    if (len == 0 || path == NULL)
        return ZX_ERR_INVALID_ARGS;
    if (len > FIO_MAX_PATH)
        return ZX_ERR_BAD_PATH;
    if (len == 1 && path[0] == '.') {
        out->text = path;
        out->len = 1;
        out->is_self = true;
        return ZX_OK;
    }
    if (path[0] == '/')
        return ZX_ERR_INVALID_ARGS;
    if (path[len - 1] == '/') {
        out->must_be_dir = true;
        len--;
    }
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && path[i] != '/')
            continue;
        zx_status_t s = io_path_check_segment(path + start, i - start,
                                              accept_dotdot, &out->has_dotdot);
        if (s != ZX_OK)
            return s;
        start = i + 1;
    }
    out->text = path;
    out->len = len;
    return ZX_OK;
}

bool io_path_next(const IoPath *p, size_t *pos, const char **seg,
                  size_t *seg_len, bool *last)
{
    if (p->is_self || *pos > p->len || (*pos == p->len && *pos != 0) || p->len == 0)
        return false;
    const char *s = p->text + *pos;
    const char *slash = memchr(s, '/', p->len - *pos);
    size_t n = slash ? (size_t)(slash - s) : p->len - *pos;
    *seg = s;
    *seg_len = n;
    *pos += n + 1;
    *last = slash == NULL;
    return true;
}
