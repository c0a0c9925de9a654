/* pkgfs.c — the package file system program: archives, read-only and
 * executable.
 *
 * What it models: Fuchsia's pkgfs (and bootfs): the contents of package
 * archives served as a read-only tree whose files may be opened executable
 * (their VMOs can be made executable, which is how a component's code gets
 * mapped). Archives arrive on the control channel as VMOs, each mounted at a
 * path: packages/<name>/0 for packages (as in Fuchsia's pkgfs, so a
 * component's /pkg is that directory and "/pkgfs" shows every package), or
 * the root for a boot image. The root connection carries READABLE and
 * EXECUTABLE and never WRITABLE; every write, create, truncate or unlink is
 * ZX_ERR_ACCESS_DENIED (or ZX_ERR_BAD_HANDLE on a read-only connection).
 *
 * Invariants: the tree only grows; an archive that does not parse, or an
 * entry that would collide with an existing node, is skipped entirely (the
 * host validated the archive before sending it; a collision means two
 * archives at overlapping paths). Read next: devmgr.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "far.h"
#include "programs.h"

typedef struct Pkgfs {
    IoServer *srv;
    VnodeTree *tree;
} Pkgfs;

/* Put every entry of `a` under directory `at`. */
static void pkgfs_mount(Pkgfs *fs, Vnode *at, FarArchive *a)
{
    int64_t now = zx_clock_get_monotonic();
    for (size_t i = 0; i < far_count(a); i++) {
        const char *name = far_name(a, i);
        const char *slash = strrchr(name, '/');
        Vnode *dir = at;
        if (slash) {
            char *parent = strndup(name, (size_t)(slash - name));
            dir = parent ? vnode_mkdir_p(at, parent) : NULL;
            free(parent);
        }
        Vnode *f = dir ? vnode_add_file(dir, slash ? slash + 1 : name, far_data(a, i),
                                        far_size(a, i))
                       : NULL;
        if (f)
            f->ctime = f->mtime = now;
    }
}

/* Map the archive's VMO (no copy through the kernel: the cost of adding a
 * package does not depend on its size, as with Fuchsia's VMO-backed blobs)
 * and mount a private parse of it. */
static void pkgfs_add_archive(Pkgfs *fs, IoMessage *m)
{
    PkgfsAddArchive req;
    if (m->nbytes < sizeof req || m->nhandles != 1)
        return;
    memcpy(&req, m->bytes, sizeof req);
    if (req.path_len > m->nbytes - sizeof req || req.size == 0 || req.size > (64u << 20))
        return;
    uint64_t mapped = (req.size + 4095u) & ~(uint64_t)4095u;
    zx_vaddr_t addr = 0;
    char *path = strndup((const char *)m->bytes + sizeof req, req.path_len);
    FarArchive *a = NULL;
    if (path && zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, m->handles[0], 0,
                            mapped, &addr) == ZX_OK) {
        a = far_open_bytes((const uint8_t *)addr, req.size, NULL);
        zx_vmar_unmap(zx_vmar_root_self(), addr, mapped);
    }
    Vnode *at = a ? (path[0] ? vnode_mkdir_p(fs->tree->root, path) : fs->tree->root) : NULL;
    if (at)
        pkgfs_mount(fs, at, a);
    far_close(a);
    free(path);
}

static void pkgfs_control(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    FioHeader h;
    if (m->nbytes < sizeof h)
        return;
    memcpy(&h, m->bytes, sizeof h);
    if (h.ordinal == PKGFS_OP_ADD_ARCHIVE)
        pkgfs_add_archive(ep->ctx, m);
}

void pkgfs_program(uintptr_t arg, uintptr_t unused)
{
    const PkgfsConfig *cfg = (const PkgfsConfig *)arg;
    Pkgfs fs;
    zx_handle_t root = programs_directory_request();
    zx_handle_t control = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    IoLoop *loop = io_loop_new();
    fs.tree = vnode_tree_new(true, true);
    fs.srv = loop && fs.tree ? io_server_new(loop, &cfg->io) : NULL;
    if (!fs.srv || root == ZX_HANDLE_INVALID)
        zx_process_exit(1);
    capsim_process_on_release(vnode_tree_discard, fs.tree);
    fs.tree->root->ctime = fs.tree->root->mtime = zx_clock_get_monotonic();
    if (control != ZX_HANDLE_INVALID)
        io_loop_add(loop, control, pkgfs_control, NULL, &fs);
    io_server_serve(fs.srv, fs.tree->root, root,
                    FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_EXECUTABLE |
                        FIO_OPEN_FLAG_DIRECTORY);
    io_loop_run(loop);
    zx_process_exit(0);
}
