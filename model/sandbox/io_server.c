/* io_server.c — the server side of capsim's directory/file protocol.
 *
 * What it models: a Fuchsia VFS connection (fuchsia.io io1 semantics) over
 * the vnode trees of vnode.c. Each client connection is an endpoint of the
 * server's io_loop with its own rights, flags, seek offset and directory
 * cursor. The rules enforced, in Fuchsia's order and with its codes:
 *  - Open: requested rights must be a subset of the connection's
 *    (ZX_ERR_ACCESS_DENIED), and CREATE needs a writable connection
 *    (ACCESS_DENIED); TRUNCATE needs WRITABLE (INVALID_ARGS); the
 *    path follows io_path.c (BAD_PATH / INVALID_ARGS); a missing segment is
 *    NOT_FOUND, a file in the middle NOT_DIR; WRITABLE on a read-only tree or
 *    EXECUTABLE on a non-executable one is ACCESS_DENIED; DIRECTORY on a file
 *    is NOT_DIR, NOT_DIRECTORY on a directory NOT_FILE. Remote nodes forward
 *    the rest of the path; service nodes hand the channel to their
 *    connector after OnOpen. POSIX on a directory inherits the parent
 *    connection's WRITABLE/EXECUTABLE.
 *  - Clone: SAME_RIGHTS or a subset of the connection's rights.
 *  - Read/Write/Truncate without the right: ZX_ERR_BAD_HANDLE (as Fuchsia's
 *    file connection answers); GetBuffer's rights: ACCESS_DENIED.
 *  - A node-reference connection only answers Clone/Close/Describe/GetAttr.
 *  - An unknown ordinal or a malformed message closes the connection.
 * With the kernel's accept_dotdot switch on, ".." walks to the parent node
 * (past the root of the subtree the connection serves) and every use is
 * reported through cfg.on_fault.
 *
 * Left out: watchers, rename/link, SetAttr, streams, per-node locks (one
 * thread serves everything). Read next: pkgfs.c, memfs in sandbox_programs.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "io_path.h"
#include "io_server.h"
#include "sdk/runtime.h"

typedef struct IoConn {
    IoServer *srv;
    Vnode *node;
    uint32_t rights;         /* FIO_OPEN_RIGHT_* */
    uint32_t flags;          /* APPEND, NODE_REFERENCE, POSIX... */
    uint64_t offset;
    size_t cursor;           /* ReadDirents: next entry (0 is ".") */
} IoConn;

static void io_conn_message(IoLoop *l, IoEndpoint *ep, IoMessage *m);

IoServer *io_server_new(IoLoop *loop, const IoServerConfig *cfg)
{
    IoServer *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->loop = loop;
    if (cfg)
        s->cfg = *cfg;
    /* Join the process's list (at its end: creation order) so that the
     * capability graph can find what this process serves. */
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (tr && tr->proc) {
        IoServer **at = (IoServer **)&tr->proc->io_servers;
        while (*at)
            at = &(*at)->next;
        *at = s;
        capsim_process_on_release(free, s); /* the list goes with it */
    }
    return s;
}

IoServer *io_server_first(const void *rt)
{
    return rt ? ((const CapsimProcessRuntime *)rt)->io_servers : NULL;
}

typedef struct IoServerVisit {
    IoConnVisitFn fn;
    void *ctx;
} IoServerVisit;

static void io_server_visit_one(IoEndpoint *ep, void *ctx)
{
    IoServerVisit *v = ctx;
    const IoConn *c = ep->ctx;
    if (ep->on_message == io_conn_message)
        v->fn(v->ctx, c->node, c->rights, c->flags, ep->channel);
}

void io_server_visit(IoServer *s, IoConnVisitFn fn, void *ctx)
{
    IoServerVisit v = {fn, ctx};
    io_loop_visit(s->loop, io_server_visit_one, &v);
}

void io_server_free(IoServer *s)
{
    CapsimThreadRuntime *tr = capsim_thread_runtime();
    if (s && tr && tr->proc)
        for (IoServer **at = (IoServer **)&tr->proc->io_servers; *at; at = &(*at)->next)
            if (*at == s) {
                *at = s->next;
                capsim_process_forget_release(free, s);
                break;
            }
    free(s);
}

static void io_write(zx_handle_t ch, const void *bytes, size_t n,
                     zx_handle_t *handles, uint32_t nh)
{
    /* A failed write (client gone) consumes the handles; nothing to undo. */
    zx_channel_write(ch, 0, bytes, (uint32_t)n, handles, nh);
}

void io_server_on_open(zx_handle_t channel, zx_status_t status, uint32_t tag)
{
    FioOnOpenEvent ev;
    memset(&ev, 0, sizeof ev);
    ev.hdr.ordinal = FIO_EVT_ON_OPEN;
    ev.status = status;
    ev.has_info = status == ZX_OK;
    ev.info.tag = status == ZX_OK ? tag : 0;
    io_write(channel, &ev, sizeof ev, NULL, 0);
}

void io_server_fail(zx_handle_t request, uint32_t flags, zx_status_t status)
{
    if (flags & FIO_OPEN_FLAG_DESCRIBE)
        io_server_on_open(request, status, 0);
    zx_handle_close(request);
}

static void io_conn_close(IoLoop *l, IoEndpoint *ep)
{
    IoConn *c = ep->ctx;
    vnode_unref(c->node);
    free(c);
}

void io_server_serve(IoServer *s, Vnode *node, zx_handle_t channel, uint32_t flags)
{
    IoConn *c = calloc(1, sizeof *c);
    if (!c) {
        io_server_fail(channel, flags, ZX_ERR_NO_MEMORY);
        return;
    }
    c->srv = s;
    c->node = node;
    c->rights = flags & FIO_OPEN_RIGHTS_MASK;
    c->flags = flags & ~FIO_OPEN_RIGHTS_MASK;
    vnode_ref(node);
    if (flags & FIO_OPEN_FLAG_DESCRIBE)
        io_server_on_open(channel, ZX_OK, vnode_info_tag(node));
    io_loop_add(s->loop, channel, io_conn_message, io_conn_close, c);
}

/* Forward an Open to a remote node's server: `rest` is the path below it. */
static void io_server_forward(Vnode *remote, const char *rest, size_t rest_len,
                              uint32_t flags, uint32_t mode, zx_handle_t request)
{
    bool self = rest_len == 0 || (rest_len == 1 && rest[0] == '.');
    size_t plen = remote->remote_path ? strlen(remote->remote_path) : 0;
    size_t len = plen && !self ? plen + 1 + rest_len : plen ? plen : self ? 1 : rest_len;
    if (len > FIO_MAX_PATH) {
        io_server_fail(request, flags, ZX_ERR_BAD_PATH);
        return;
    }
    uint8_t *msg = calloc(1, sizeof(FioOpenRequest) + len);
    if (!msg) {
        io_server_fail(request, flags, ZX_ERR_NO_MEMORY);
        return;
    }
    FioOpenRequest *req = (FioOpenRequest *)msg;
    req->hdr.ordinal = FIO_OP_OPEN;
    req->flags = flags;
    req->mode = mode;
    req->path_len = (uint32_t)len;
    char *p = (char *)(msg + sizeof *req);
    if (plen) {
        memcpy(p, remote->remote_path, plen);
        if (!self) {
            p[plen] = '/';
            memcpy(p + plen + 1, rest, rest_len);
        }
    } else {
        memcpy(p, self ? "." : rest, self ? 1 : rest_len);
    }
    io_write(remote->remote, msg, sizeof *req + len, &request, 1);
    free(msg);
}

static void io_server_dotdot(IoServer *s)
{
    s->dotdots++;
    if (s->cfg.on_fault)
        s->cfg.on_fault(s->cfg.fault_ctx, "accept_dotdot: a directory server resolved '..'");
}

/* Walk `p` from `dir`. Returns ZX_OK with *out the target, or ZX_ERR_NEXT
 * when a remote node was met (*out, *rest the path left to forward). */
static zx_status_t io_server_walk(IoServer *s, Vnode *dir, const IoPath *p,
                                  uint32_t flags, Vnode **out, size_t *rest)
{
    Vnode *cur = dir;
    size_t pos = 0, seg_len;
    const char *seg;
    bool last;
    while (io_path_next(p, &pos, &seg, &seg_len, &last)) {
        if (cur->kind == VNODE_REMOTE) {
            *out = cur;
            *rest = (size_t)(seg - p->text);
            return ZX_ERR_NEXT;
        }
        if (cur->kind != VNODE_DIR)
            return ZX_ERR_NOT_DIR;
        if (seg_len == 2 && seg[0] == '.' && seg[1] == '.') {
            io_server_dotdot(s);
            if (cur->parent)
                cur = cur->parent;
            continue;
        }
        Vnode *next = vnode_lookup(cur, seg, seg_len);
        if (last && (flags & FIO_OPEN_FLAG_CREATE)) {
            if (next && (flags & FIO_OPEN_FLAG_CREATE_IF_ABSENT))
                return ZX_ERR_ALREADY_EXISTS;
            if (!next) {
                zx_status_t st = vnode_create(cur, seg, seg_len,
                                              (flags & FIO_OPEN_FLAG_DIRECTORY) != 0, &next);
                if (st != ZX_OK)
                    return st;
                next->ctime = next->mtime = zx_clock_get_monotonic();
            }
        }
        if (!next)
            return ZX_ERR_NOT_FOUND;
        cur = next;
    }
    *out = cur;
    return ZX_OK;
}

/* Rights and type checks on the node an Open reached. */
static zx_status_t io_server_admit(Vnode *n, uint32_t flags, uint32_t *want)
{
    if (n->kind == VNODE_DIR) {
        if (flags & FIO_OPEN_FLAG_NOT_DIRECTORY)
            return ZX_ERR_NOT_FILE;
    } else if (n->kind == VNODE_FILE) {
        if (flags & FIO_OPEN_FLAG_DIRECTORY)
            return ZX_ERR_NOT_DIR;
        if ((*want & FIO_OPEN_RIGHT_EXECUTABLE) && !n->tree->executable)
            return ZX_ERR_ACCESS_DENIED;
    }
    if ((*want & FIO_OPEN_RIGHT_WRITABLE) && n->tree->readonly)
        return ZX_ERR_ACCESS_DENIED;
    if ((flags & FIO_OPEN_FLAG_TRUNCATE) && n->kind == VNODE_FILE)
        return vnode_truncate(n, 0);
    return ZX_OK;
}

void io_server_open(IoServer *s, Vnode *dir, uint32_t rights, uint32_t flags,
                    uint32_t mode, const char *path, size_t len,
                    zx_handle_t request)
{
    uint32_t want = flags & FIO_OPEN_RIGHTS_MASK;
    s->opens++;
    if (want & ~rights)
        return io_server_fail(request, flags, ZX_ERR_ACCESS_DENIED);
    if ((flags & FIO_OPEN_FLAG_TRUNCATE) && !(want & FIO_OPEN_RIGHT_WRITABLE))
        return io_server_fail(request, flags, ZX_ERR_INVALID_ARGS);
    if ((flags & FIO_OPEN_FLAG_CREATE) && !(rights & FIO_OPEN_RIGHT_WRITABLE))
        return io_server_fail(request, flags, ZX_ERR_ACCESS_DENIED);
    if ((mode & FIO_MODE_TYPE_MASK) == FIO_MODE_TYPE_DIRECTORY)
        flags |= FIO_OPEN_FLAG_DIRECTORY;
    bool dotdot = s->cfg.accept_dotdot && *s->cfg.accept_dotdot;
    IoPath p;
    zx_status_t st = io_path_check(path, len, dotdot, &p);
    if (st != ZX_OK)
        return io_server_fail(request, flags, st);
    if (p.must_be_dir)
        flags |= FIO_OPEN_FLAG_DIRECTORY;
    Vnode *n = NULL;
    size_t rest = 0;
    st = io_server_walk(s, dir, &p, flags, &n, &rest);
    if (st == ZX_ERR_NEXT)
        return io_server_forward(n, p.text + rest, p.len - rest, flags, mode, request);
    if (st != ZX_OK)
        return io_server_fail(request, flags, st);
    if (n->kind == VNODE_REMOTE && !(flags & FIO_OPEN_FLAG_NO_REMOTE))
        return io_server_forward(n, ".", 1, flags, mode, request);
    if (n->kind == VNODE_SERVICE && !(flags & FIO_OPEN_FLAG_NODE_REFERENCE)) {
        if (flags & FIO_OPEN_FLAG_DIRECTORY)
            return io_server_fail(request, flags, ZX_ERR_NOT_DIR);
        if (flags & FIO_OPEN_FLAG_DESCRIBE)
            io_server_on_open(request, ZX_OK, vnode_info_tag(n));
        n->connect(n->connect_ctx, request);
        return;
    }
    if (n->kind == VNODE_DIR && (flags & FIO_OPEN_FLAG_POSIX))
        want |= rights & ((n->tree->readonly ? 0 : FIO_OPEN_RIGHT_WRITABLE) |
                          (n->tree->executable ? FIO_OPEN_RIGHT_EXECUTABLE : 0));
    if ((st = io_server_admit(n, flags, &want)) != ZX_OK)
        return io_server_fail(request, flags, st);
    io_server_serve(s, n, request, (flags & ~FIO_OPEN_RIGHTS_MASK) | want);
}

/* ---- message handlers ---------------------------------------------------- */

static void io_reply_status(IoEndpoint *ep, const FioHeader *h, zx_status_t st)
{
    FioStatusReply r;
    memset(&r, 0, sizeof r);
    r.hdr = *h;
    r.status = st;
    io_write(ep->channel, &r, sizeof r, NULL, 0);
}

static void io_conn_do_open(IoConn *c, IoMessage *m)
{
    FioOpenRequest req;
    memcpy(&req, m->bytes, sizeof req);
    zx_handle_t request = m->handles[0];
    m->handles[0] = ZX_HANDLE_INVALID;
    if (req.path_len > m->nbytes - sizeof req)
        return io_server_fail(request, req.flags, ZX_ERR_INVALID_ARGS);
    if (c->flags & FIO_OPEN_FLAG_NODE_REFERENCE)
        return io_server_fail(request, req.flags, ZX_ERR_BAD_HANDLE);
    if (c->node->kind != VNODE_DIR)
        return io_server_fail(request, req.flags, ZX_ERR_NOT_DIR);
    io_server_open(c->srv, c->node, c->rights, req.flags, req.mode,
                   (const char *)m->bytes + sizeof req, req.path_len, request);
}

static void io_conn_do_clone(IoConn *c, IoMessage *m)
{
    FioCloneRequest req;
    memcpy(&req, m->bytes, sizeof req);
    zx_handle_t request = m->handles[0];
    m->handles[0] = ZX_HANDLE_INVALID;
    uint32_t rights = c->rights;
    if (!(req.flags & FIO_CLONE_FLAG_SAME_RIGHTS)) {
        rights = req.flags & FIO_OPEN_RIGHTS_MASK;
        if (rights & ~c->rights)
            return io_server_fail(request, req.flags, ZX_ERR_ACCESS_DENIED);
    }
    uint32_t keep = FIO_OPEN_FLAG_DESCRIBE | FIO_OPEN_FLAG_NODE_REFERENCE |
                    FIO_OPEN_FLAG_APPEND;
    io_server_serve(c->srv, c->node, request,
                    (req.flags & keep) | (c->flags & FIO_OPEN_FLAG_NODE_REFERENCE) | rights);
}

static void io_conn_do_read(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                            IoMessage *m)
{
    FioCountRequest req;
    memcpy(&req, m->bytes, sizeof req);
    uint8_t buf[sizeof(FioDataReply) + FIO_MAX_BUF];
    FioDataReply *r = (FioDataReply *)buf;
    memset(r, 0, sizeof *r);
    r->hdr = *h;
    size_t actual = 0;
    if (!(c->rights & FIO_OPEN_RIGHT_READABLE))
        r->status = ZX_ERR_BAD_HANDLE;
    else if (req.count > FIO_MAX_BUF)
        r->status = ZX_ERR_INVALID_ARGS;
    else
        r->status = vnode_read(c->node, c->offset, buf + sizeof *r, req.count, &actual);
    c->offset += actual;
    r->actual = actual;
    io_write(ep->channel, buf, sizeof *r + actual, NULL, 0);
}

static void io_conn_do_write(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                             IoMessage *m)
{
    FioWriteRequest req;
    memcpy(&req, m->bytes, sizeof req);
    FioDataReply r;
    memset(&r, 0, sizeof r);
    r.hdr = *h;
    size_t actual = 0;
    if (!(c->rights & FIO_OPEN_RIGHT_WRITABLE))
        r.status = ZX_ERR_BAD_HANDLE;
    else if (req.count > FIO_MAX_BUF || req.count != m->nbytes - sizeof req)
        r.status = ZX_ERR_INVALID_ARGS;
    else {
        if (c->flags & FIO_OPEN_FLAG_APPEND)
            c->offset = c->node->size;
        r.status = vnode_write(c->node, c->offset, m->bytes + sizeof req,
                               req.count, &actual);
        if (r.status == ZX_OK)
            c->node->mtime = zx_clock_get_monotonic();
    }
    c->offset += actual;
    r.actual = actual;
    io_write(ep->channel, &r, sizeof r, NULL, 0);
}

static void io_conn_do_seek(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                            IoMessage *m)
{
    FioSeekRequest req;
    memcpy(&req, m->bytes, sizeof req);
    FioSeekReply r;
    memset(&r, 0, sizeof r);
    r.hdr = *h;
    int64_t base = req.origin == FIO_SEEK_START ? 0
                   : req.origin == FIO_SEEK_CURRENT ? (int64_t)c->offset
                                                    : (int64_t)c->node->size;
    if (req.origin > FIO_SEEK_END ||
        (req.offset > 0 && base > INT64_MAX - req.offset) || base + req.offset < 0)
        r.status = ZX_ERR_INVALID_ARGS;
    else
        c->offset = (uint64_t)(base + req.offset);
    r.offset = c->offset;
    io_write(ep->channel, &r, sizeof r, NULL, 0);
}

static void io_conn_do_truncate(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                                IoMessage *m)
{
    FioCountRequest req;
    memcpy(&req, m->bytes, sizeof req);
    zx_status_t st = (c->rights & FIO_OPEN_RIGHT_WRITABLE)
                         ? vnode_truncate(c->node, req.count) : ZX_ERR_BAD_HANDLE;
    if (st == ZX_OK)
        c->node->mtime = zx_clock_get_monotonic();
    io_reply_status(ep, h, st);
}

/* A VMO holding the file's bytes, with rights per the request. */
static zx_status_t io_conn_make_vmo(IoConn *c, uint32_t flags, zx_handle_t *out)
{
    Vnode *n = c->node;
    zx_handle_t vmo;
    zx_status_t st = zx_vmo_create(n->size, 0, &vmo);
    if (st == ZX_OK && n->size)
        st = zx_vmo_write(vmo, n->data, 0, n->size);
    if (st == ZX_OK && (flags & FIO_VMO_FLAG_EXEC))
        st = zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &vmo);
    zx_rights_t rights = ZX_RIGHTS_BASIC | ZX_RIGHT_READ | ZX_RIGHT_MAP |
                         ZX_RIGHT_GET_PROPERTY;
    if (flags & FIO_VMO_FLAG_WRITE)
        rights |= ZX_RIGHT_WRITE;
    if (flags & FIO_VMO_FLAG_EXEC)
        rights |= ZX_RIGHT_EXECUTE;
    if (st == ZX_OK)
        st = zx_handle_replace(vmo, rights, &vmo);
    else
        zx_handle_close(vmo);
    if (st == ZX_OK)
        *out = vmo;
    return st;
}

static void io_conn_do_get_buffer(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                                  IoMessage *m)
{
    FioGetBufferRequest req;
    memcpy(&req, m->bytes, sizeof req);
    FioGetBufferReply r;
    memset(&r, 0, sizeof r);
    r.hdr = *h;
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    if ((req.flags & FIO_VMO_FLAG_PRIVATE) && (req.flags & FIO_VMO_FLAG_EXACT))
        r.status = ZX_ERR_INVALID_ARGS;
    else if (((req.flags & FIO_VMO_FLAG_WRITE) &&
              (!(c->rights & FIO_OPEN_RIGHT_WRITABLE) || (c->flags & FIO_OPEN_FLAG_APPEND))) ||
             ((req.flags & FIO_VMO_FLAG_EXEC) && !(c->rights & FIO_OPEN_RIGHT_EXECUTABLE)) ||
             !(c->rights & FIO_OPEN_RIGHT_READABLE))
        r.status = ZX_ERR_ACCESS_DENIED;
    else
        r.status = io_conn_make_vmo(c, req.flags, &vmo);
    r.size = r.status == ZX_OK ? c->node->size : 0;
    io_write(ep->channel, &r, sizeof r, r.status == ZX_OK ? &vmo : NULL,
             r.status == ZX_OK ? 1 : 0);
}

/* One dirent at buf (room bytes); returns its size or 0 if it does not fit. */
static size_t io_dirent_put(uint8_t *buf, size_t room, uint64_t ino,
                            uint32_t type, const char *name)
{
    size_t len = strlen(name);
    if (FIO_DIRENT_HEADER_SIZE + len > room)
        return 0;
    memcpy(buf, &ino, 8);
    buf[8] = (uint8_t)len;
    buf[9] = (uint8_t)type;
    memcpy(buf + FIO_DIRENT_HEADER_SIZE, name, len);
    return FIO_DIRENT_HEADER_SIZE + len;
}

static void io_conn_do_read_dirents(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                                    IoMessage *m)
{
    FioCountRequest req;
    memcpy(&req, m->bytes, sizeof req);
    uint8_t buf[sizeof(FioDataReply) + FIO_MAX_BUF];
    FioDataReply *r = (FioDataReply *)buf;
    memset(r, 0, sizeof *r);
    r->hdr = *h;
    size_t room = req.count < FIO_MAX_BUF ? req.count : FIO_MAX_BUF, used = 0;
    Vnode *d = c->node;
    while (c->cursor <= d->nkids) {
        const Vnode *k = c->cursor ? d->kids[c->cursor - 1] : d;
        size_t n = io_dirent_put(buf + sizeof *r + used, room - used, k->ino,
                                 vnode_dirent_type(k), c->cursor ? k->name : ".");
        if (n == 0)
            break;
        used += n;
        c->cursor++;
    }
    if (used == 0 && c->cursor <= d->nkids)
        r->status = ZX_ERR_BUFFER_TOO_SMALL;
    r->actual = used;
    io_write(ep->channel, buf, sizeof *r + used, NULL, 0);
}

static void io_conn_do_unlink(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                              IoMessage *m)
{
    FioUnlinkRequest req;
    memcpy(&req, m->bytes, sizeof req);
    const char *name = (const char *)m->bytes + sizeof req;
    zx_status_t st = ZX_OK;
    bool must_be_dir = false;
    size_t len = req.name_len;
    if (!(c->rights & FIO_OPEN_RIGHT_WRITABLE))
        st = ZX_ERR_BAD_HANDLE;
    else if (len > m->nbytes - sizeof req)
        st = ZX_ERR_INVALID_ARGS;
    else {
        if (len > 1 && name[len - 1] == '/') {
            must_be_dir = true;
            len--;
        }
        st = io_path_check_name(name, len);
        if (st == ZX_OK)
            st = vnode_unlink(c->node, name, len, must_be_dir);
    }
    io_reply_status(ep, h, st);
}

static void io_conn_node_op(IoConn *c, IoEndpoint *ep, const FioHeader *h)
{
    if (h->ordinal == FIO_OP_DESCRIBE) {
        FioDescribeReply r;
        memset(&r, 0, sizeof r);
        r.hdr = *h;
        r.info.tag = vnode_info_tag(c->node);
        io_write(ep->channel, &r, sizeof r, NULL, 0);
    } else {
        FioGetAttrReply r;
        memset(&r, 0, sizeof r);
        r.hdr = *h;
        vnode_attr(c->node, &r.attributes);
        io_write(ep->channel, &r, sizeof r, NULL, 0);
    }
}

/* Minimum sizes and handle counts per ordinal; 0 = unknown ordinal. */
static size_t io_request_size(uint64_t ordinal, uint32_t *handles)
{
    *handles = 0;
    switch (ordinal) {
    case FIO_OP_OPEN: *handles = 1; return sizeof(FioOpenRequest);
    case FIO_OP_CLONE: *handles = 1; return sizeof(FioCloneRequest);
    case FIO_OP_CLOSE: case FIO_OP_DESCRIBE: case FIO_OP_GET_ATTR:
    case FIO_OP_REWIND: return sizeof(FioHeader);
    case FIO_OP_READ: case FIO_OP_WRITE: case FIO_OP_TRUNCATE:
    case FIO_OP_READ_DIRENTS: return sizeof(FioCountRequest);
    case FIO_OP_SEEK: return sizeof(FioSeekRequest);
    case FIO_OP_GET_BUFFER: return sizeof(FioGetBufferRequest);
    case FIO_OP_UNLINK: return sizeof(FioUnlinkRequest);
    default: return 0;
    }
}

static void io_conn_file_op(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                            IoMessage *m)
{
    switch (h->ordinal) {
    case FIO_OP_READ: io_conn_do_read(c, ep, h, m); break;
    case FIO_OP_WRITE: io_conn_do_write(c, ep, h, m); break;
    case FIO_OP_SEEK: io_conn_do_seek(c, ep, h, m); break;
    case FIO_OP_TRUNCATE: io_conn_do_truncate(c, ep, h, m); break;
    default: io_conn_do_get_buffer(c, ep, h, m); break;
    }
}

static void io_conn_dir_op(IoConn *c, IoEndpoint *ep, const FioHeader *h,
                           IoMessage *m)
{
    switch (h->ordinal) {
    case FIO_OP_READ_DIRENTS: io_conn_do_read_dirents(c, ep, h, m); break;
    case FIO_OP_REWIND: c->cursor = 0; io_reply_status(ep, h, ZX_OK); break;
    default: io_conn_do_unlink(c, ep, h, m); break;
    }
}

static void io_conn_message(IoLoop *l, IoEndpoint *ep, IoMessage *m)
{
    IoConn *c = ep->ctx;
    FioHeader h;
    uint32_t nh;
    size_t need = m->nbytes >= sizeof h ? io_request_size(((FioHeader *)m->bytes)->ordinal, &nh) : 0;
    if (need == 0 || m->nbytes < need || m->nhandles != nh) {
        io_loop_remove(l, ep);  /* malformed or unknown: close, as FIDL does */
        return;
    }
    memcpy(&h, m->bytes, sizeof h);
    bool noderef = (c->flags & FIO_OPEN_FLAG_NODE_REFERENCE) != 0;
    switch (h.ordinal) {
    case FIO_OP_OPEN: io_conn_do_open(c, m); return;
    case FIO_OP_CLONE: io_conn_do_clone(c, m); return;
    case FIO_OP_CLOSE:
        io_reply_status(ep, &h, ZX_OK);
        io_loop_remove(l, ep);
        return;
    case FIO_OP_DESCRIBE: case FIO_OP_GET_ATTR: io_conn_node_op(c, ep, &h); return;
    case FIO_OP_READ_DIRENTS: case FIO_OP_REWIND: case FIO_OP_UNLINK:
        if (noderef || c->node->kind != VNODE_DIR)
            io_reply_status(ep, &h, noderef ? ZX_ERR_BAD_HANDLE : ZX_ERR_NOT_DIR);
        else
            io_conn_dir_op(c, ep, &h, m);
        return;
    default:
        if (noderef || c->node->kind != VNODE_FILE)
            io_reply_status(ep, &h, noderef ? ZX_ERR_BAD_HANDLE : ZX_ERR_NOT_FILE);
        else
            io_conn_file_op(c, ep, &h, m);
        return;
    }
}
