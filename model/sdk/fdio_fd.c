/* fdio_fd.c — fdio's per-process state: the installed namespace, the file
 * descriptor table, and the channel-level calls of <lib/fdio/directory.h>,
 * <lib/fdio/fd.h> and <lib/fdio/io.h>.
 *
 * What it models: the state Fuchsia's libc keeps per process. It is built
 * the first time the process uses fdio, from the startup handles of type
 * PA_NS_DIR and the processargs name table (what launch.c copied into the
 * runtime block): each handle is taken and bound at its path. Taking such a
 * handle earlier with zx_take_startup_handle keeps it out of the namespace,
 * as in Fuchsia. The state hangs off the runtime block (one per process,
 * whatever the app's private copies of globals are).
 *
 * Invariants: fds are allocated lowest-first from 3 (0-2 stay the host's
 * stdio); an object is freed when its last fd and DIR stream are gone, and
 * its channel closed then (Close is sent first).
 *
 * Left out: dup/dup2, cloexec, fd transfer to children through PA_FD.
 * Read next: fdio_posix.c, fdio_libc.c.
 */
#include <lib/fdio/directory.h>
#include <lib/fdio/fd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"
#include "runtime.h"

#define FDIO_FIRST_FD 3

static CapsimProcessRuntime *fdio_runtime(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    return tr ? tr->proc : NULL;
}

static void fdio_process_bind_startup(CapsimProcessRuntime *rt, FdioProcess *fp)
{
    for (size_t i = 0; i < rt->nstartup; i++) {
        uint32_t info = rt->startup[i].info;
        uint32_t arg = PA_HND_ARG(info);
        if (PA_HND_TYPE(info) != PA_NS_DIR || rt->startup[i].handle == ZX_HANDLE_INVALID ||
            arg >= rt->nnames)
            continue;
        zx_handle_t h = rt->startup[i].handle;
        rt->startup[i].handle = ZX_HANDLE_INVALID;
        fdio_ns_bind(fp->ns, rt->names[arg], h);  /* a bad entry is dropped */
    }
}

FdioProcess *fdio_process_get(void)
{
    CapsimProcessRuntime *rt = fdio_runtime();
    if (!rt)
        return NULL;
    if (rt->fdio)
        return rt->fdio;
    FdioProcess *fp = calloc(1, sizeof *fp);
    if (!fp || fdio_ns_create(&fp->ns) != ZX_OK) {
        free(fp);
        return NULL;
    }
    fp->ns->installed = true;
    strcpy(fp->cwd, "/");
    fdio_process_bind_startup(rt, fp);
    rt->fdio = fp;
    return fp;
}

bool fdio_process_active(void)
{
    CapsimProcessRuntime *rt = fdio_runtime();
    if (!rt)
        return false;
    if (rt->fdio || rt->loader || rt->nnames)
        return true;
    for (size_t i = 0; i < rt->nstartup; i++)
        if (PA_HND_TYPE(rt->startup[i].info) == PA_NS_DIR)
            return true;
    return false;
}

/* launch_release hook (host side, the process is dead): free the memory.
 * Its handles died with the process; nothing is closed here. */
void fdio_process_release(CapsimProcessRuntime *rt)
{
    FdioProcess *fp = rt->fdio;
    if (!fp)
        return;
    for (int i = 0; i < FDIO_MAX_FD; i++) {
        FdioObj *o = fp->fds[i];
        if (o && --o->refs == 0) {
            free(o->path);
            free(o->dirbuf);
            free(o);
        }
    }
    for (size_t i = 0; i < fp->ns->count; i++)
        free(fp->ns->paths[i]);
    free(fp->ns->paths);
    free(fp->ns->dirs);
    free(fp->ns);
    free(fp);
    rt->fdio = NULL;
}

FdioObj *fdio_obj_new(FdioKind kind)
{
    FdioObj *o = calloc(1, sizeof *o);
    if (o) {
        o->kind = kind;
        o->refs = 1;
    }
    return o;
}

void fdio_obj_release(FdioObj *o)
{
    if (!o || --o->refs > 0)
        return;
    if (o->kind == FDIO_REMOTE && o->channel != ZX_HANDLE_INVALID)
        fdio_remote_close(o->channel);
    free(o->path);
    free(o->dirbuf);
    free(o);
}

FdioObj *fdio_fd_get(FdioProcess *fp, int fd)
{
    if (!fp || fd < 0 || fd >= FDIO_MAX_FD)
        return NULL;
    return fp->fds[fd];
}

int fdio_fd_install(FdioProcess *fp, FdioObj *o)
{
    for (int fd = FDIO_FIRST_FD; fd < FDIO_MAX_FD; fd++) {
        if (!fp->fds[fd]) {
            fp->fds[fd] = o;
            return fd;
        }
    }
    return -1;
}

/* ---- <lib/fdio/directory.h> --------------------------------------------- */

zx_status_t fdio_open(const char *path, uint32_t flags, zx_handle_t request)
{
    FdioProcess *fp = fdio_process_get();
    if (!fp) {
        zx_handle_close(request);
        return ZX_ERR_NOT_FOUND;
    }
    return fdio_ns_open(fp->ns, path, flags, request);
}

zx_status_t fdio_open_at(zx_handle_t dir, const char *path, uint32_t flags,
                         zx_handle_t request)
{
    if (!path) {
        zx_handle_close(request);
        return ZX_ERR_INVALID_ARGS;
    }
    return fdio_remote_send_open(dir, path, flags, 0, request);
}

zx_status_t fdio_service_connect(const char *path, zx_handle_t request)
{
    return fdio_open(path, FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE, request);
}

zx_status_t fdio_service_connect_at(zx_handle_t dir, const char *path,
                                    zx_handle_t request)
{
    return fdio_open_at(dir, path, FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE,
                        request);
}

zx_status_t fdio_service_connect_by_name(const char *name, zx_handle_t request)
{
    char path[FIO_MAX_PATH + 1];
    if (!name || snprintf(path, sizeof path, "/svc/%s", name) >= (int)sizeof path) {
        zx_handle_close(request);
        return ZX_ERR_INVALID_ARGS;
    }
    return fdio_service_connect(path, request);
}

static zx_status_t fdio_fd_from_channel(zx_handle_t ch, uint32_t tag, int *out_fd)
{
    FdioProcess *fp = fdio_process_get();
    FdioObj *o = fp ? fdio_obj_new(FDIO_REMOTE) : NULL;
    if (!o) {
        zx_handle_close(ch);
        return fp ? ZX_ERR_NO_MEMORY : ZX_ERR_NOT_FOUND;
    }
    o->channel = ch;
    o->tag = tag;
    int fd = fdio_fd_install(fp, o);
    if (fd < 0) {
        fdio_obj_release(o);
        return ZX_ERR_NO_RESOURCES;
    }
    *out_fd = fd;
    return ZX_OK;
}

zx_status_t fdio_open_fd(const char *path, uint32_t flags, int *out_fd)
{
    zx_handle_t client, server;
    zx_status_t s = zx_channel_create(0, &client, &server);
    if (s != ZX_OK)
        return s;
    s = fdio_open(path, flags | FIO_OPEN_FLAG_DESCRIBE, server);
    uint32_t tag = 0;
    if (s == ZX_OK)
        s = fdio_remote_wait_on_open(client, &tag);
    if (s != ZX_OK) {
        zx_handle_close(client);
        return s;
    }
    return fdio_fd_from_channel(client, tag, out_fd);
}

zx_status_t fdio_open_fd_at(int dir_fd, const char *path, uint32_t flags, int *out_fd)
{
    FdioObj *d = fdio_fd_get(fdio_process_get(), dir_fd);
    if (!d || d->kind != FDIO_REMOTE)
        return ZX_ERR_INVALID_ARGS;
    zx_handle_t ch;
    uint32_t tag = 0;
    zx_status_t s = fdio_remote_open(d->channel, path, flags, 0, &ch, &tag);
    return s == ZX_OK ? fdio_fd_from_channel(ch, tag, out_fd) : s;
}

zx_status_t fdio_service_clone_to(zx_handle_t node, zx_handle_t request)
{
    return fdio_remote_clone(node, FIO_CLONE_FLAG_SAME_RIGHTS, request);
}

zx_handle_t fdio_service_clone(zx_handle_t node)
{
    zx_handle_t client, server;
    if (zx_channel_create(0, &client, &server) != ZX_OK)
        return ZX_HANDLE_INVALID;
    if (fdio_service_clone_to(node, server) != ZX_OK) {
        zx_handle_close(client);
        return ZX_HANDLE_INVALID;
    }
    return client;
}

/* ---- <lib/fdio/fd.h> ----------------------------------------------------- */

zx_status_t fdio_fd_create(zx_handle_t handle, int *fd_out)
{
    if (!fd_out) {
        zx_handle_close(handle);
        return ZX_ERR_INVALID_ARGS;
    }
    FioNodeAttributes attr;
    zx_status_t s = fdio_remote_attr(handle, &attr);
    if (s != ZX_OK) {
        zx_handle_close(handle);
        return s;
    }
    uint32_t type = attr.mode & FIO_MODE_TYPE_MASK;
    uint32_t tag = type == FIO_MODE_TYPE_DIRECTORY ? FIO_NODE_INFO_DIRECTORY
                   : type == FIO_MODE_TYPE_FILE    ? FIO_NODE_INFO_FILE
                                                   : FIO_NODE_INFO_SERVICE;
    return fdio_fd_from_channel(handle, tag, fd_out);
}

zx_status_t fdio_fd_clone(int fd, zx_handle_t *out_handle)
{
    FdioObj *o = fdio_fd_get(fdio_process_get(), fd);
    if (!o || !out_handle)
        return ZX_ERR_INVALID_ARGS;
    if (o->kind != FDIO_REMOTE)
        return ZX_ERR_NOT_SUPPORTED;
    zx_handle_t h = fdio_service_clone(o->channel);
    if (h == ZX_HANDLE_INVALID)
        return ZX_ERR_PEER_CLOSED;
    *out_handle = h;
    return ZX_OK;
}

zx_status_t fdio_fd_transfer(int fd, zx_handle_t *out_handle)
{
    FdioProcess *fp = fdio_process_get();
    FdioObj *o = fdio_fd_get(fp, fd);
    if (!o || !out_handle)
        return ZX_ERR_INVALID_ARGS;
    if (o->kind != FDIO_REMOTE || o->refs != 1)
        return ZX_ERR_UNAVAILABLE;
    *out_handle = o->channel;
    o->channel = ZX_HANDLE_INVALID;
    fp->fds[fd] = NULL;
    fdio_obj_release(o);
    return ZX_OK;
}

zx_status_t fdio_cwd_clone(zx_handle_t *out_handle)
{
    FdioProcess *fp = fdio_process_get();
    if (!fp || !out_handle)
        return ZX_ERR_INVALID_ARGS;
    zx_handle_t client, server;
    zx_status_t s = zx_channel_create(0, &client, &server);
    if (s == ZX_OK)
        s = fdio_ns_open(fp->ns, fp->cwd, FIO_OPEN_RIGHT_READABLE | FIO_OPEN_FLAG_DIRECTORY,
                         server);
    if (s != ZX_OK) {
        zx_handle_close(client);
        return s;
    }
    *out_handle = client;
    return ZX_OK;
}

/* ---- <lib/fdio/io.h> ----------------------------------------------------- */

static zx_status_t fdio_get_vmo(int fd, uint32_t flags, zx_handle_t *out)
{
    FdioObj *o = fdio_fd_get(fdio_process_get(), fd);
    if (!o || !out)
        return ZX_ERR_BAD_HANDLE;
    if (o->kind != FDIO_REMOTE)
        return ZX_ERR_NOT_SUPPORTED;
    return fdio_remote_get_buffer(o->channel, flags, out, NULL);
}

zx_status_t fdio_get_vmo_copy(int fd, zx_handle_t *out_vmo)
{
    return fdio_get_vmo(fd, FIO_VMO_FLAG_READ | FIO_VMO_FLAG_PRIVATE, out_vmo);
}

zx_status_t fdio_get_vmo_exec(int fd, zx_handle_t *out_vmo)
{
    return fdio_get_vmo(fd, FIO_VMO_FLAG_READ | FIO_VMO_FLAG_EXEC | FIO_VMO_FLAG_PRIVATE,
                        out_vmo);
}
