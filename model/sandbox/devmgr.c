/* devmgr.c — the device manager program: /dev.
 *
 * What it models: Fuchsia's devmgr serving devfs. Each device is a node
 * under /dev (class/framebuffer/000, class/input/000...) backed by a driver
 * running in its own process (drivers.c), as devhosts are. Opening a device
 * node answers OnOpen (NodeInfo "device") and passes the new channel to the
 * driver through the driver's connector; from then on the client talks to
 * the driver directly, in the driver's protocol (<lib/fdio/capsim_protocols.h>).
 * So whoever can open /dev/class/framebuffer can reach the framebuffer's
 * memory: that is the authority a "dev" sandbox entry grants.
 *
 * Left out: device lifecycle (binding, hot plug), ioctl-era protocols,
 * topological paths. Read next: drivers.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "programs.h"

typedef struct DevmgrDevice {
    zx_handle_t connector;   /* client end of the driver's connector */
} DevmgrDevice;

static void devmgr_connect(void *ctx, zx_handle_t channel)
{
    DevmgrDevice *d = ctx;
    FioHeader h = {.ordinal = DEVICE_OP_CONNECT};
    /* A dead driver: the write fails and the client's channel closes. */
    zx_channel_write(d->connector, 0, &h, sizeof h, &channel, 1);
}

void devmgr_program(uintptr_t arg, uintptr_t unused)
{
    const DevmgrConfig *cfg = (const DevmgrConfig *)arg;
    zx_handle_t root = programs_directory_request();
    IoLoop *loop = io_loop_new();
    VnodeTree *tree = vnode_tree_new(false, false);
    IoServer *srv = loop && tree ? io_server_new(loop, &cfg->io) : NULL;
    DevmgrDevice *devs = calloc(cfg->ndevices ? cfg->ndevices : 1, sizeof *devs);
    if (!srv || !devs || root == ZX_HANDLE_INVALID)
        zx_process_exit(1);
    capsim_process_on_release(vnode_tree_discard, tree);
    capsim_process_on_release(free, devs);
    tree->immutable = true;
    tree->root->ctime = tree->root->mtime = zx_clock_get_monotonic();
    for (size_t i = 0; i < cfg->ndevices; i++) {
        devs[i].connector = zx_take_startup_handle(PA_HND(PA_USER1, i));
        const char *path = cfg->paths[i];
        const char *slash = strrchr(path, '/');
        char *parent = slash ? strndup(path, (size_t)(slash - path)) : NULL;
        Vnode *dir = parent ? vnode_mkdir_p(tree->root, parent) : tree->root;
        if (dir && devs[i].connector != ZX_HANDLE_INVALID)
            vnode_add_service(dir, slash ? slash + 1 : path, FIO_NODE_INFO_DEVICE,
                              devmgr_connect, &devs[i]);
        free(parent);
    }
    io_server_serve(srv, tree->root, root,
                    FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE |
                        FIO_OPEN_FLAG_DIRECTORY);
    io_loop_run(loop);
    zx_process_exit(0);
}
