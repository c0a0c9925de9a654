/* memfs.c — the memory file system program (/data, /tmp, isolated storage).
 *
 * What it models: Fuchsia's memfs — a writable file system whose files live
 * in the server's memory. It serves one tree on the directory request it
 * was started with, with the full rights (readable, writable, admin) on
 * that first connection; everything narrower is the clients' business
 * (Open and Clone only shrink rights). A read-only instance refuses every
 * change with ZX_ERR_ACCESS_DENIED. The program ends when its last
 * connection closes.
 *
 * Left out: size limits, persistence across runs. Read next: pkgfs.c.
 */
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "programs.h"

zx_handle_t programs_directory_request(void)
{
    return zx_take_startup_handle(PA_HND(PA_DIRECTORY_REQUEST, 0));
}

void memfs_program(uintptr_t arg, uintptr_t unused)
{
    const MemfsConfig *cfg = (const MemfsConfig *)arg;
    zx_handle_t root = programs_directory_request();
    IoLoop *loop = io_loop_new();
    VnodeTree *tree = vnode_tree_new(cfg->readonly, false);
    IoServer *srv = loop && tree ? io_server_new(loop, &cfg->io) : NULL;
    if (!srv || root == ZX_HANDLE_INVALID)
        zx_process_exit(1);
    capsim_process_on_release(vnode_tree_discard, tree);
    uint32_t rights = FIO_OPEN_RIGHT_READABLE |
                      (cfg->readonly ? 0 : FIO_OPEN_RIGHT_WRITABLE | FIO_OPEN_RIGHT_ADMIN);
    tree->root->ctime = tree->root->mtime = zx_clock_get_monotonic();
    io_server_serve(srv, tree->root, root, rights | FIO_OPEN_FLAG_DIRECTORY);
    io_loop_run(loop);
    zx_process_exit(0);
}
