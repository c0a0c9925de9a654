/* fdio_ns.c — namespaces: the table that makes paths mean something.
 *
 * What it models: fdio's fdio_ns_t. A process's namespace binds absolute
 * paths ("/pkg", "/svc", "/dev/class/framebuffer") to directory channels.
 * A path resolves to the entry with the longest bound prefix (whole
 * segments only) and the rest of the path is sent to that entry's server;
 * a path above some entry ("/", "/dev") is a directory of the namespace
 * itself, listing the next segments; any other path does not exist. That is
 * the whole of a process's file system view: nothing outside is reachable.
 *
 * Invariants: entries are sorted bytewise by path, canonical (absolute, no
 * "." / ".." / empty segments, no trailing '/'), unique, at most
 * FDIO_MAX_NAMESPACE_ENTRIES; "/" may only be bound alone. Lookups walk the
 * entries in order, so resolution never depends on insertion order.
 *
 * Left out: binding file descriptors (fdio_ns_bind_fd), chdir into the
 * namespace's own directories from other threads. Read next: fdio_fd.c.
 */
#include <lib/fdio/namespace.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"

zx_status_t fdio_ns_create(fdio_ns_t **out)
{
    if (!out)
        return ZX_ERR_INVALID_ARGS;
    fdio_ns_t *ns = calloc(1, sizeof *ns);
    if (!ns)
        return ZX_ERR_NO_MEMORY;
    *out = ns;
    return ZX_OK;
}

zx_status_t fdio_ns_destroy(fdio_ns_t *ns)
{
    if (!ns)
        return ZX_ERR_INVALID_ARGS;
    if (ns->installed)
        return ZX_ERR_BAD_STATE;
    for (size_t i = 0; i < ns->count; i++) {
        zx_handle_close(ns->dirs[i]);
        free(ns->paths[i]);
    }
    free(ns->paths);
    free(ns->dirs);
    free(ns);
    return ZX_OK;
}

/* A bindable path: absolute and canonical. */
static bool fdio_ns_path_ok(const char *path)
{
    if (!path || path[0] != '/' || strlen(path) > FIO_MAX_PATH)
        return false;
    if (path[1] == '\0')
        return true;
    char clean[FIO_MAX_PATH + 2];
    bool trailing = false;
    return fdio_path_clean("/", path, clean, sizeof clean, &trailing) == ZX_OK &&
           !trailing && strcmp(clean, path) == 0;
}

/* Does entry `e` cover `path` (equal, or a prefix ending at a '/')? */
static bool fdio_ns_covers(const char *e, const char *path)
{
    if (strcmp(e, "/") == 0)
        return true;
    size_t n = strlen(e);
    return strncmp(e, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

zx_status_t fdio_ns_bind(fdio_ns_t *ns, const char *path, zx_handle_t remote)
{
    zx_status_t s = ZX_OK;
    if (!ns || !fdio_ns_path_ok(path) || remote == ZX_HANDLE_INVALID)
        s = ZX_ERR_INVALID_ARGS;
    else if ((strcmp(path, "/") == 0 && ns->count) ||
             (ns->count && strcmp(ns->paths[0], "/") == 0))
        s = ns->count && strcmp(ns->paths[0], path) == 0 ? ZX_ERR_ALREADY_EXISTS
                                                          : ZX_ERR_NOT_SUPPORTED;
    else if (fdio_ns_is_bound(ns, path))
        s = ZX_ERR_ALREADY_EXISTS;
    else if (ns->count >= FDIO_MAX_NAMESPACE_ENTRIES)
        s = ZX_ERR_NO_RESOURCES;
    if (s != ZX_OK) {
        zx_handle_close(remote);
        return s;
    }
    char **paths = realloc(ns->paths, (ns->count + 1) * sizeof *paths);
    zx_handle_t *dirs = paths ? realloc(ns->dirs, (ns->count + 1) * sizeof *dirs) : NULL;
    char *copy = dirs ? strdup(path) : NULL;
    if (paths)
        ns->paths = paths;
    if (dirs)
        ns->dirs = dirs;
    if (!copy) {
        zx_handle_close(remote);
        return ZX_ERR_NO_MEMORY;
    }
    size_t i = 0;
    while (i < ns->count && strcmp(ns->paths[i], path) < 0)
        i++;
    memmove(ns->paths + i + 1, ns->paths + i, (ns->count - i) * sizeof *ns->paths);
    memmove(ns->dirs + i + 1, ns->dirs + i, (ns->count - i) * sizeof *ns->dirs);
    ns->paths[i] = copy;
    ns->dirs[i] = remote;
    ns->count++;
    return ZX_OK;
}

static size_t fdio_ns_find(const fdio_ns_t *ns, const char *path)
{
    for (size_t i = 0; i < ns->count; i++)
        if (strcmp(ns->paths[i], path) == 0)
            return i;
    return SIZE_MAX;
}

zx_status_t fdio_ns_unbind(fdio_ns_t *ns, const char *path)
{
    if (!ns || !fdio_ns_path_ok(path))
        return ZX_ERR_INVALID_ARGS;
    size_t i = fdio_ns_find(ns, path);
    if (i == SIZE_MAX)
        return ZX_ERR_NOT_FOUND;
    zx_handle_close(ns->dirs[i]);
    free(ns->paths[i]);
    memmove(ns->paths + i, ns->paths + i + 1, (ns->count - i - 1) * sizeof *ns->paths);
    memmove(ns->dirs + i, ns->dirs + i + 1, (ns->count - i - 1) * sizeof *ns->dirs);
    ns->count--;
    return ZX_OK;
}

bool fdio_ns_is_bound(fdio_ns_t *ns, const char *path)
{
    return ns && path && fdio_ns_find(ns, path) != SIZE_MAX;
}

zx_status_t fdio_ns_resolve(const fdio_ns_t *ns, const char *path,
                            zx_handle_t *dir, const char **rest)
{
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t i = 0; i < ns->count; i++) {
        size_t n = strlen(ns->paths[i]);
        if (fdio_ns_covers(ns->paths[i], path) && (best == SIZE_MAX || n > best_len)) {
            best = i;
            best_len = n;
        }
    }
    if (best != SIZE_MAX) {
        const char *r = strcmp(ns->paths[best], "/") == 0 ? path + 1 : path + best_len;
        while (*r == '/')
            r++;
        *dir = ns->dirs[best];
        *rest = *r ? r : ".";
        return ZX_OK;
    }
    for (size_t i = 0; i < ns->count; i++)
        if (fdio_ns_covers(path, ns->paths[i]))
            return ZX_ERR_NEXT;
    return ZX_ERR_NOT_FOUND;
}

/* The first segment below virtual directory `path` of entry e, or NULL. */
static const char *fdio_ns_child_of(const char *path, size_t plen, const char *e,
                                    size_t *n)
{
    if (!fdio_ns_covers(path, e) || strlen(e) <= plen + 1)
        return NULL;
    const char *name = e + plen + 1;
    const char *slash = strchr(name, '/');
    *n = slash ? (size_t)(slash - name) : strlen(name);
    return name;
}

bool fdio_ns_child(const fdio_ns_t *ns, const char *path, size_t index, char *buf,
                   size_t cap)
{
    size_t plen = strcmp(path, "/") == 0 ? 0 : strlen(path), seen = 0, n, m;
    for (size_t i = 0; i < ns->count; i++) {
        const char *name = fdio_ns_child_of(path, plen, ns->paths[i], &n);
        bool dup = false;
        for (size_t j = 0; name && !dup && j < i; j++) {
            const char *other = fdio_ns_child_of(path, plen, ns->paths[j], &m);
            dup = other && m == n && memcmp(other, name, n) == 0;
        }
        if (!name || dup)
            continue;
        if (seen++ == index) {
            if (n + 1 > cap)
                return false;
            memcpy(buf, name, n);
            buf[n] = '\0';
            return true;
        }
    }
    return false;
}

zx_status_t fdio_ns_open(fdio_ns_t *ns, const char *path, uint32_t flags,
                         zx_handle_t request)
{
    char clean[FIO_MAX_PATH + 2];
    zx_handle_t dir;
    const char *rest;
    zx_status_t s = ZX_ERR_INVALID_ARGS;
    if (ns && path && path[0] == '/')
        s = fdio_path_clean("/", path, clean, sizeof clean, NULL);
    if (s == ZX_OK)
        s = fdio_ns_resolve(ns, clean, &dir, &rest);
    if (s == ZX_ERR_NEXT)
        s = ZX_ERR_NOT_SUPPORTED;  /* a namespace directory has no server */
    if (s != ZX_OK) {
        zx_handle_close(request);
        return s;
    }
    return fdio_remote_send_open(dir, rest, flags, 0, request);
}

zx_status_t fdio_ns_service_connect(fdio_ns_t *ns, const char *path,
                                    zx_handle_t request)
{
    return fdio_ns_open(ns, path, FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE,
                        request);
}

zx_status_t fdio_ns_get_installed(fdio_ns_t **out)
{
    FdioProcess *fp = fdio_process_get();
    if (!out)
        return ZX_ERR_INVALID_ARGS;
    if (!fp)
        return ZX_ERR_NOT_FOUND;
    *out = fp->ns;
    return ZX_OK;
}

static void fdio_ns_flat_free(fdio_flat_namespace_t *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        zx_handle_close(f->handle[i]);
        free((char *)f->path[i]);
    }
    free(f->handle);
    free(f->type);
    free((void *)f->path);
    free(f);
}

zx_status_t fdio_ns_export(fdio_ns_t *ns, fdio_flat_namespace_t **out)
{
    if (!ns || !out)
        return ZX_ERR_INVALID_ARGS;
    fdio_flat_namespace_t *f = calloc(1, sizeof *f);
    size_t n = ns->count ? ns->count : 1;
    if (!f || !(f->handle = calloc(n, sizeof *f->handle)) ||
        !(f->type = calloc(n, sizeof *f->type)) ||
        !(f->path = calloc(n, sizeof *f->path))) {
        if (f)
            fdio_ns_flat_free(f, 0);
        return ZX_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < ns->count; i++) {
        zx_handle_t client, server;
        zx_status_t s = zx_channel_create(0, &client, &server);
        if (s == ZX_OK)
            s = fdio_remote_clone(ns->dirs[i], FIO_CLONE_FLAG_SAME_RIGHTS, server);
        char *p = s == ZX_OK ? strdup(ns->paths[i]) : NULL;
        if (!p) {
            if (s == ZX_OK)
                zx_handle_close(client);
            fdio_ns_flat_free(f, i);
            return s == ZX_OK ? ZX_ERR_NO_MEMORY : s;
        }
        f->handle[i] = client;
        f->type[i] = PA_HND(PA_NS_DIR, i);
        ((const char **)f->path)[i] = p;
        f->count = i + 1;
    }
    *out = f;
    return ZX_OK;
}

zx_status_t fdio_ns_export_root(fdio_flat_namespace_t **out)
{
    fdio_ns_t *ns;
    zx_status_t s = fdio_ns_get_installed(&ns);
    return s == ZX_OK ? fdio_ns_export(ns, out) : s;
}

void fdio_ns_free_flat_ns(fdio_flat_namespace_t *ns)
{
    if (ns)
        fdio_ns_flat_free(ns, ns->count);
}
