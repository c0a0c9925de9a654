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
 * Invariants: fds are allocated lowest-first from 0, as POSIX says; 0-2
 * start occupied, each by the process's captured stdio (FDIO_STDIO
 * objects, Fuchsia's null/log fdio objects' place: captured output, stdin
 * at end of file) unless a PA_FD handle names them, so they are free only
 * once closed; an object is freed when its last fd and DIR stream are
 * gone, and its channel closed then (Close is sent first) or its socket.
 *
 * Descriptors given at startup: a PA_FD handle (arg = the descriptor
 * number, FDIO_FLAG_USE_FOR_STDIO aside) is installed at that number, a
 * socket as a pipe end (fdio_pipe.c), a channel as the node its server
 * describes; the first flagged FDIO_FLAG_USE_FOR_STDIO also becomes each
 * of 0, 1, 2 that no handle named (app_world_io.c sends the process's
 * stdio FILEs there); fdio_fd_create does the same for any handle, and
 * fdio_fd_clone / fdio_fd_transfer hand a pipe end's socket out
 * (duplicated / moved), so a parent can give a child one end of a pipe.
 *
 * Left out: cloexec (there is no exec). Read next: fdio_posix.c,
 * fdio_libc.c.
 */
#include <fcntl.h>
#include <lib/fdio/directory.h>
#include <lib/fdio/fd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"
#include "runtime.h"

static CapsimProcessRuntime *fdio_runtime(void)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    return tr ? tr->proc : NULL;
}

static zx_status_t fdio_obj_from_handle(zx_handle_t h, FdioObj **out);

/* A PA_FD startup handle becomes descriptor `arg` (its FDIO_FLAG_USE_FOR_STDIO
 * bit aside), as Fuchsia's libc startup does; a bad one is dropped. The
 * first one flagged FDIO_FLAG_USE_FOR_STDIO is remembered in *stdio_fd. */
static void fdio_process_bind_fd(FdioProcess *fp, uint32_t arg, zx_handle_t h, int *stdio_fd)
{
    uint32_t fd = arg & ~(uint32_t)FDIO_FLAG_USE_FOR_STDIO;
    FdioObj *o = NULL;
    if (fd >= FDIO_MAX_FD || fp->fds[fd]) {
        zx_handle_close(h);
        return;
    }
    if (fdio_obj_from_handle(h, &o) != ZX_OK)
        return;
    fp->fds[fd] = o;
    if ((arg & FDIO_FLAG_USE_FOR_STDIO) && *stdio_fd < 0)
        *stdio_fd = (int)fd;
}

static void fdio_process_bind_startup(CapsimProcessRuntime *rt, FdioProcess *fp)
{
    int stdio_fd = -1;
    for (size_t i = 0; i < rt->nstartup; i++) {
        uint32_t info = rt->startup[i].info;
        uint32_t arg = PA_HND_ARG(info);
        zx_handle_t h = rt->startup[i].handle;
        if (h == ZX_HANDLE_INVALID)
            continue;
        if (PA_HND_TYPE(info) == PA_FD) {
            rt->startup[i].handle = ZX_HANDLE_INVALID;
            fdio_process_bind_fd(fp, arg, h, &stdio_fd);
            continue;
        }
        if (PA_HND_TYPE(info) != PA_NS_DIR || arg >= rt->nnames)
            continue;
        rt->startup[i].handle = ZX_HANDLE_INVALID;
        fdio_ns_bind(fp->ns, rt->names[arg], h);  /* a bad entry is dropped */
    }
    /* As Fuchsia's libc: 0, 1 and 2 that no handle named become the one
     * flagged for stdio (a child's stdout and stderr into a pipe), else
     * the process's captured stdio (where Fuchsia's puts null objects).
     * Out of memory, a slot stays free (as if closed). */
    for (int fd = 0; fd <= 2; fd++) {
        if (fp->fds[fd])
            continue;
        if (stdio_fd >= 0) {
            fp->fds[fd] = fp->fds[stdio_fd];
            fp->fds[fd]->refs++;
        } else if ((fp->fds[fd] = fdio_obj_new(FDIO_STDIO)) != NULL) {
            fp->fds[fd]->stdio = fd;
            fp->fds[fd]->oflags = fd == 0 ? O_RDONLY : O_WRONLY;
        }
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
        if (PA_HND_TYPE(rt->startup[i].info) == PA_NS_DIR ||
            PA_HND_TYPE(rt->startup[i].info) == PA_FD)
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
        if (o && --o->refs == 0) {   /* a pipe's socket died with the process */
            free(o->path);
            free(o->dirbuf);
            free(o);
        }
    }
    fdio_dir_release_all(fp);
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
    if (o->kind == FDIO_PIPE && o->socket != ZX_HANDLE_INVALID)
        zx_handle_close(o->socket);
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
    for (int fd = 0; fd < FDIO_MAX_FD; fd++) {
        if (!fp->fds[fd]) {
            fp->fds[fd] = o;
            return fd;
        }
    }
    return -1;
}

int fdio_stdio_target(int fd)
{
    FdioProcess *fp = fdio_libc_proc();
    if (!fp)
        return fd;
    const FdioObj *o = fdio_fd_get(fp, fd);
    if (!o)
        return FDIO_STDIO_CLOSED;
    return o->kind == FDIO_STDIO ? o->stdio : FDIO_STDIO_TO_FD;
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

/* An fdio object for handle h (consumed): a socket is a pipe end, a
 * channel a node its server describes; other objects ZX_ERR_NOT_SUPPORTED. */
static zx_status_t fdio_obj_from_handle(zx_handle_t h, FdioObj **out)
{
    zx_info_handle_basic_t bi;
    zx_status_t s = zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &bi, sizeof bi, NULL, NULL);
    if (s == ZX_OK && bi.type == ZX_OBJ_TYPE_SOCKET)
        return (*out = fdio_pipe_from_socket(h, &s)) ? ZX_OK : s;
    if (s == ZX_OK && bi.type != ZX_OBJ_TYPE_CHANNEL)
        s = ZX_ERR_NOT_SUPPORTED;   /* Fuchsia's for other objects */
    FioNodeAttributes attr;
    if (s == ZX_OK)
        s = fdio_remote_attr(h, &attr);
    if (s == ZX_OK && !(*out = fdio_obj_new(FDIO_REMOTE)))
        s = ZX_ERR_NO_MEMORY;
    if (s != ZX_OK) {
        zx_handle_close(h);
        return s;
    }
    uint32_t type = attr.mode & FIO_MODE_TYPE_MASK;
    (*out)->channel = h;
    (*out)->tag = type == FIO_MODE_TYPE_DIRECTORY ? FIO_NODE_INFO_DIRECTORY
                  : type == FIO_MODE_TYPE_FILE    ? FIO_NODE_INFO_FILE
                                                  : FIO_NODE_INFO_SERVICE;
    return ZX_OK;
}

zx_status_t fdio_fd_create(zx_handle_t handle, int *fd_out)
{
    FdioProcess *fp = fdio_process_get();
    if (!fd_out || !fp) {
        zx_handle_close(handle);
        return fp ? ZX_ERR_INVALID_ARGS : ZX_ERR_NOT_FOUND;
    }
    FdioObj *o;
    zx_status_t s = fdio_obj_from_handle(handle, &o);
    if (s != ZX_OK)
        return s;
    int fd = fdio_fd_install(fp, o);
    if (fd < 0) {
        fdio_obj_release(o);
        return ZX_ERR_NO_RESOURCES;
    }
    *fd_out = fd;
    return ZX_OK;
}

zx_status_t fdio_fd_clone(int fd, zx_handle_t *out_handle)
{
    FdioObj *o = fdio_fd_get(fdio_process_get(), fd);
    if (!o || !out_handle)
        return ZX_ERR_INVALID_ARGS;
    if (o->kind == FDIO_PIPE)
        return zx_handle_duplicate(o->socket, ZX_RIGHT_SAME_RIGHTS, out_handle);
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
    if ((o->kind != FDIO_REMOTE && o->kind != FDIO_PIPE) || o->refs != 1)
        return ZX_ERR_UNAVAILABLE;
    zx_handle_t *h = o->kind == FDIO_PIPE ? &o->socket : &o->channel;
    *out_handle = *h;
    *h = ZX_HANDLE_INVALID;
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
