/* vnode.c — in-memory node trees: what every capsim directory server serves.
 *
 * What it models: the vnodes of Fuchsia's VFS library as the servers here
 * need them — directories, files held in memory, service nodes (opening one
 * hands the channel to a connector: a driver, a service provider), and
 * remote nodes (mount points whose opens are forwarded to another server's
 * directory channel).
 *
 * Invariants: a directory's children are sorted bytewise by name, unique,
 * and point back to it; inode numbers come from a per-tree counter (so a
 * listing is the same on every run); `refs` counts the parent's link plus
 * each open connection, and a node is freed when it drops to zero (an
 * unlinked file stays readable through connections already open, as in
 * POSIX). A read-only tree refuses WRITABLE connections; it and an
 * immutable one (devfs, service directories: writable connections, fixed
 * contents) refuse every change a client asks for with ZX_ERR_ACCESS_DENIED;
 * building calls (vnode_add_*) are for the server.
 *
 * Left out: hard links, rename, watchers, permissions bits, sizes beyond
 * host memory. Read next: io_server.c (connections and the protocol).
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "io_path.h"
#include "sim.h"
#include "vnode.h"

static bool vnode_frozen(const Vnode *n)
{
    return n->tree->readonly || n->tree->immutable;
}

static Vnode *vnode_new(VnodeTree *t, VnodeKind kind)
{
    Vnode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->tree = t;
    n->ino = t->next_ino++;
    n->refs = 1;
    return n;
}

VnodeTree *vnode_tree_new(bool readonly, bool executable)
{
    VnodeTree *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->next_ino = 1;
    t->readonly = readonly;
    t->executable = executable;
    t->root = vnode_new(t, VNODE_DIR);
    if (!t->root) {
        free(t);
        return NULL;
    }
    return t;
}

static void vnode_free(Vnode *n)
{
    for (size_t i = 0; i < n->nkids; i++) {
        n->kids[i]->parent = NULL;
        vnode_unref(n->kids[i]);
    }
    free(n->kids);
    free(n->data);
    free(n->name);
    free(n->remote_path);
    /* On the host (vnode_tree_discard, a connection released with its
     * process) the handle went with the process: nothing to close. */
    if (n->kind == VNODE_REMOTE && n->remote_owned && n->remote != ZX_HANDLE_INVALID &&
        sim_current())
        zx_handle_close(n->remote);
    free(n);
}

void vnode_tree_free(VnodeTree *t)
{
    if (!t)
        return;
    vnode_unref(t->root);
    free(t);
}

void vnode_tree_discard(void *tree)
{
    vnode_tree_free(tree); /* on the host: vnode_free closes nothing */
}

void vnode_ref(Vnode *n)
{
    n->refs++;
}

void vnode_unref(Vnode *n)
{
    if (n && --n->refs == 0)
        vnode_free(n);
}

/* Index of the first child whose name is >= (name, len). */
static size_t vnode_search(const Vnode *dir, const char *name, size_t len)
{
    size_t lo = 0, hi = dir->nkids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = dir->kids[mid]->name;
        size_t mlen = strlen(m);
        int c = memcmp(m, name, mlen < len ? mlen : len);
        if (c < 0 || (c == 0 && mlen < len))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

Vnode *vnode_lookup(const Vnode *dir, const char *name, size_t len)
{
    if (dir->kind != VNODE_DIR)
        return NULL;
    size_t i = vnode_search(dir, name, len);
    if (i < dir->nkids && strlen(dir->kids[i]->name) == len &&
        memcmp(dir->kids[i]->name, name, len) == 0)
        return dir->kids[i];
    return NULL;
}

/* Link a fresh node under dir; takes over n (freed on failure). */
static Vnode *vnode_link(Vnode *dir, Vnode *n, const char *name, size_t len)
{
    if (!n)
        return NULL;
    if (dir->kind != VNODE_DIR || io_path_check_name(name, len) != ZX_OK ||
        vnode_lookup(dir, name, len)) {
        vnode_free(n);
        return NULL;
    }
    if (dir->nkids == dir->capkids) {
        size_t cap = dir->capkids ? dir->capkids * 2 : 4;
        Vnode **k = realloc(dir->kids, cap * sizeof *k);
        if (!k) {
            vnode_free(n);
            return NULL;
        }
        dir->kids = k;
        dir->capkids = cap;
    }
    n->name = strndup(name, len);
    if (!n->name) {
        vnode_free(n);
        return NULL;
    }
    size_t i = vnode_search(dir, name, len);
    memmove(dir->kids + i + 1, dir->kids + i, (dir->nkids - i) * sizeof *dir->kids);
    dir->kids[i] = n;
    dir->nkids++;
    n->parent = dir;
    n->ctime = n->mtime = dir->mtime;
    return n;
}

Vnode *vnode_add_dir(Vnode *dir, const char *name)
{
    return vnode_link(dir, vnode_new(dir->tree, VNODE_DIR), name, strlen(name));
}

Vnode *vnode_add_file(Vnode *dir, const char *name, const void *data, size_t len)
{
    Vnode *n = vnode_new(dir->tree, VNODE_FILE);
    if (n && len) {
        n->data = malloc(len);
        if (!n->data) {
            vnode_free(n);
            return NULL;
        }
        memcpy(n->data, data, len);
        n->size = n->cap = len;
    }
    return vnode_link(dir, n, name, strlen(name));
}

Vnode *vnode_add_service(Vnode *dir, const char *name, uint32_t info_tag,
                         VnodeConnectFn fn, void *ctx)
{
    Vnode *n = vnode_new(dir->tree, VNODE_SERVICE);
    if (n) {
        n->info_tag = info_tag;
        n->connect = fn;
        n->connect_ctx = ctx;
    }
    return vnode_link(dir, n, name, strlen(name));
}

Vnode *vnode_add_remote(Vnode *dir, const char *name, zx_handle_t remote,
                        bool owned, const char *remote_path)
{
    Vnode *n = vnode_new(dir->tree, VNODE_REMOTE);
    if (n) {
        n->remote = remote;
        n->remote_owned = owned;
        if (remote_path && !(n->remote_path = strdup(remote_path))) {
            vnode_free(n);
            return NULL;
        }
    }
    return vnode_link(dir, n, name, strlen(name));
}

Vnode *vnode_mkdir_p(Vnode *dir, const char *path)
{
    const char *p = path;
    while (dir && *p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len) {
            Vnode *next = vnode_lookup(dir, p, len);
            if (!next)
                next = vnode_link(dir, vnode_new(dir->tree, VNODE_DIR), p, len);
            dir = next && next->kind == VNODE_DIR ? next : NULL;
        }
        p += len + (slash ? 1 : 0);
    }
    return dir;
}

zx_status_t vnode_create(Vnode *dir, const char *name, size_t len, bool is_dir,
                         Vnode **out)
{
    if (dir->kind != VNODE_DIR)
        return ZX_ERR_NOT_DIR;
    if (vnode_frozen(dir))
        return ZX_ERR_ACCESS_DENIED;
    if (vnode_lookup(dir, name, len))
        return ZX_ERR_ALREADY_EXISTS;
    Vnode *n = vnode_link(dir, vnode_new(dir->tree, is_dir ? VNODE_DIR : VNODE_FILE),
                          name, len);
    if (!n)
        return ZX_ERR_NO_MEMORY;
    *out = n;
    return ZX_OK;
}

zx_status_t vnode_unlink(Vnode *dir, const char *name, size_t len, bool must_be_dir)
{
    if (dir->kind != VNODE_DIR)
        return ZX_ERR_NOT_DIR;
    if (vnode_frozen(dir))
        return ZX_ERR_ACCESS_DENIED;
    size_t i = vnode_search(dir, name, len);
    Vnode *n = vnode_lookup(dir, name, len);
    if (!n)
        return ZX_ERR_NOT_FOUND;
    if (must_be_dir && n->kind != VNODE_DIR)
        return ZX_ERR_NOT_DIR;
    if (n->kind == VNODE_DIR && n->nkids)
        return ZX_ERR_NOT_EMPTY;
    memmove(dir->kids + i, dir->kids + i + 1, (dir->nkids - i - 1) * sizeof *dir->kids);
    dir->nkids--;
    n->parent = NULL;
    vnode_unref(n);
    return ZX_OK;
}

zx_status_t vnode_read(const Vnode *n, uint64_t off, void *buf, size_t len,
                       size_t *actual)
{
    if (n->kind != VNODE_FILE)
        return ZX_ERR_NOT_FILE;
    size_t avail = off >= n->size ? 0 : n->size - (size_t)off;
    size_t k = len < avail ? len : avail;
    if (k)
        memcpy(buf, n->data + off, k);
    *actual = k;
    return ZX_OK;
}

static zx_status_t vnode_reserve(Vnode *n, size_t size)
{
    if (size <= n->cap)
        return ZX_OK;
    size_t cap = n->cap ? n->cap : 256;
    while (cap < size)
        cap *= 2;
    uint8_t *d = realloc(n->data, cap);
    if (!d)
        return ZX_ERR_NO_SPACE;
    memset(d + n->cap, 0, cap - n->cap);
    n->data = d;
    n->cap = cap;
    return ZX_OK;
}

zx_status_t vnode_write(Vnode *n, uint64_t off, const void *buf, size_t len,
                        size_t *actual)
{
    if (n->kind != VNODE_FILE)
        return ZX_ERR_NOT_FILE;
    if (vnode_frozen(n))
        return ZX_ERR_ACCESS_DENIED;
    if (off > (1ull << 32) || len > (1ull << 32))
        return ZX_ERR_FILE_BIG;
    zx_status_t s = vnode_reserve(n, (size_t)off + len);
    if (s != ZX_OK)
        return s;
    if (off > n->size)
        memset(n->data + n->size, 0, (size_t)off - n->size);
    memcpy(n->data + off, buf, len);
    if (off + len > n->size)
        n->size = (size_t)off + len;
    *actual = len;
    return ZX_OK;
}

zx_status_t vnode_truncate(Vnode *n, uint64_t len)
{
    if (n->kind != VNODE_FILE)
        return ZX_ERR_NOT_FILE;
    if (vnode_frozen(n))
        return ZX_ERR_ACCESS_DENIED;
    if (len > (1ull << 32))
        return ZX_ERR_FILE_BIG;
    zx_status_t s = vnode_reserve(n, (size_t)len);
    if (s != ZX_OK)
        return s;
    if (len > n->size)
        memset(n->data + n->size, 0, (size_t)len - n->size);
    n->size = (size_t)len;
    return ZX_OK;
}

uint32_t vnode_dirent_type(const Vnode *n)
{
    switch (n->kind) {
    case VNODE_DIR:
    case VNODE_REMOTE:
        return FIO_DIRENT_TYPE_DIRECTORY;
    case VNODE_FILE:
        return FIO_DIRENT_TYPE_FILE;
    case VNODE_SERVICE:
        return FIO_DIRENT_TYPE_SERVICE;
    }
    return FIO_DIRENT_TYPE_UNKNOWN;
}

uint32_t vnode_info_tag(const Vnode *n)
{
    switch (n->kind) {
    case VNODE_DIR:
    case VNODE_REMOTE:
        return FIO_NODE_INFO_DIRECTORY;
    case VNODE_FILE:
        return FIO_NODE_INFO_FILE;
    case VNODE_SERVICE:
        return n->info_tag ? n->info_tag : FIO_NODE_INFO_SERVICE;
    }
    return FIO_NODE_INFO_SERVICE;
}

void vnode_attr(const Vnode *n, FioNodeAttributes *a)
{
    memset(a, 0, sizeof *a);
    switch (n->kind) {
    case VNODE_DIR:
    case VNODE_REMOTE:
        a->mode = FIO_MODE_TYPE_DIRECTORY | 0755u;
        break;
    case VNODE_FILE:
        a->mode = FIO_MODE_TYPE_FILE | (vnode_frozen(n) ? 0444u : 0644u);
        break;
    case VNODE_SERVICE:
        a->mode = FIO_MODE_TYPE_SERVICE | 0600u;
        break;
    }
    a->id = n->ino;
    a->content_size = n->kind == VNODE_FILE ? n->size : 0;
    a->storage_size = n->kind == VNODE_FILE ? n->cap : 0;
    a->link_count = n->parent || n == n->tree->root ? 1 : 0;
    a->creation_time = (uint64_t)n->ctime;
    a->modification_time = (uint64_t)n->mtime;
}
