/* fdio_remote.c — the client side of capsim's directory/file protocol.
 *
 * What it models: fdio's "remote" transport — every operation on a file or
 * directory is a message on the node's channel. Open and Clone are
 * pipelined (one write; the server end of the new channel travels in it);
 * when the caller asks for DESCRIBE, the result arrives as an OnOpen event
 * on the new channel. Everything else is a zx_channel_call whose reply
 * repeats the txid. Message layouts: <lib/fdio/io.h>, docs/io-protocol.md.
 *
 * A reply shorter than its full struct still carries a status (servers
 * answer a request that does not apply to the node with a bare status).
 * Transfers larger than FIO_MAX_BUF are split by the POSIX layer.
 * Read next: fdio_posix.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "fdio_internal.h"

static zx_status_t fdio_call(zx_handle_t ch, const void *req, size_t nreq,
                             const zx_handle_t *wh, uint32_t nwh, void *reply,
                             size_t nreply, zx_handle_t *rh, uint32_t nrh,
                             uint32_t *got)
{
    zx_channel_call_args_t args = {
        .wr_bytes = req, .wr_handles = wh, .rd_bytes = reply, .rd_handles = rh,
        .wr_num_bytes = (uint32_t)nreq, .wr_num_handles = nwh,
        .rd_num_bytes = (uint32_t)nreply, .rd_num_handles = nrh};
    uint32_t nb = 0, nh = 0;
    zx_status_t s = zx_channel_call(ch, 0, ZX_TIME_INFINITE, &args, &nb, &nh);
    if (s != ZX_OK)
        return s;
    if (nb < sizeof(FioStatusReply)) {
        for (uint32_t i = 0; i < nh; i++)
            zx_handle_close(rh[i]);
        return ZX_ERR_IO;
    }
    if (got)
        *got = nb;
    zx_status_t status;
    memcpy(&status, (const uint8_t *)reply + sizeof(FioHeader), sizeof status);
    return status;
}

static zx_status_t fdio_call_status(zx_handle_t ch, uint64_t ordinal)
{
    FioHeader req = {.ordinal = ordinal};
    FioStatusReply r;
    return fdio_call(ch, &req, sizeof req, NULL, 0, &r, sizeof r, NULL, 0, NULL);
}

zx_status_t fdio_remote_send_open(zx_handle_t dir, const char *path, uint32_t flags,
                                  uint32_t mode, zx_handle_t request)
{
    size_t len = strlen(path);
    if (len > FIO_MAX_PATH) {
        zx_handle_close(request);
        return ZX_ERR_BAD_PATH;
    }
    uint8_t *msg = calloc(1, sizeof(FioOpenRequest) + len);
    if (!msg) {
        zx_handle_close(request);
        return ZX_ERR_NO_MEMORY;
    }
    FioOpenRequest *req = (FioOpenRequest *)msg;
    req->hdr.ordinal = FIO_OP_OPEN;
    req->flags = flags;
    req->mode = mode;
    req->path_len = (uint32_t)len;
    memcpy(msg + sizeof *req, path, len);
    zx_status_t s = zx_channel_write(dir, 0, msg, (uint32_t)(sizeof *req + len),
                                     &request, 1);
    free(msg);
    return s;
}

zx_status_t fdio_remote_clone(zx_handle_t node, uint32_t flags, zx_handle_t request)
{
    FioCloneRequest req;
    memset(&req, 0, sizeof req);
    req.hdr.ordinal = FIO_OP_CLONE;
    req.flags = flags;
    return zx_channel_write(node, 0, &req, sizeof req, &request, 1);
}

zx_status_t fdio_remote_wait_on_open(zx_handle_t ch, uint32_t *tag)
{
    zx_signals_t seen = 0;
    zx_status_t s = zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                       ZX_TIME_INFINITE, &seen);
    if (s != ZX_OK)
        return s;
    FioOnOpenEvent ev;
    zx_handle_t extra[4];
    uint32_t nb = 0, nh = 0;
    s = zx_channel_read(ch, 0, &ev, extra, sizeof ev, 4, &nb, &nh);
    for (uint32_t i = 0; s == ZX_OK && i < nh; i++)
        zx_handle_close(extra[i]);
    if (s != ZX_OK)
        return s;
    if (nb < sizeof ev || ev.hdr.ordinal != FIO_EVT_ON_OPEN)
        return ZX_ERR_IO;
    if (ev.status == ZX_OK && tag)
        *tag = ev.info.tag;
    return ev.status;
}

zx_status_t fdio_remote_open(zx_handle_t dir, const char *path, uint32_t flags,
                             uint32_t mode, zx_handle_t *out, uint32_t *tag)
{
    zx_handle_t client, server;
    zx_status_t s = zx_channel_create(0, &client, &server);
    if (s != ZX_OK)
        return s;
    s = fdio_remote_send_open(dir, path, flags | FIO_OPEN_FLAG_DESCRIBE, mode, server);
    if (s == ZX_OK)
        s = fdio_remote_wait_on_open(client, tag);
    if (s != ZX_OK) {
        zx_handle_close(client);
        return s;
    }
    *out = client;
    return ZX_OK;
}

zx_status_t fdio_remote_close(zx_handle_t ch)
{
    zx_status_t s = fdio_call_status(ch, FIO_OP_CLOSE);
    zx_handle_close(ch);
    return s == ZX_ERR_PEER_CLOSED ? ZX_OK : s;
}

zx_status_t fdio_remote_read(zx_handle_t ch, void *buf, size_t len, size_t *actual)
{
    FioCountRequest req = {.hdr.ordinal = FIO_OP_READ, .count = len};
    uint8_t reply[sizeof(FioDataReply) + FIO_MAX_BUF];
    uint32_t got = 0;
    zx_status_t s = fdio_call(ch, &req, sizeof req, NULL, 0, reply, sizeof reply,
                              NULL, 0, &got);
    if (s != ZX_OK)
        return s;
    FioDataReply r;
    memcpy(&r, reply, sizeof r);
    if (got < sizeof r || r.actual > len || r.actual > got - sizeof r)
        return ZX_ERR_IO;
    memcpy(buf, reply + sizeof r, r.actual);
    *actual = r.actual;
    return ZX_OK;
}

zx_status_t fdio_remote_write(zx_handle_t ch, const void *buf, size_t len, size_t *actual)
{
    uint8_t msg[sizeof(FioWriteRequest) + FIO_MAX_BUF];
    FioWriteRequest req = {.hdr.ordinal = FIO_OP_WRITE, .count = len};
    memcpy(msg, &req, sizeof req);
    memcpy(msg + sizeof req, buf, len);
    FioDataReply r;
    uint32_t got = 0;
    zx_status_t s = fdio_call(ch, msg, sizeof req + len, NULL, 0, &r, sizeof r,
                              NULL, 0, &got);
    if (s != ZX_OK)
        return s;
    if (got < sizeof r || r.actual > len)
        return ZX_ERR_IO;
    *actual = r.actual;
    return ZX_OK;
}

zx_status_t fdio_remote_seek(zx_handle_t ch, int64_t off, uint32_t origin, uint64_t *out)
{
    FioSeekRequest req = {.hdr.ordinal = FIO_OP_SEEK, .offset = off, .origin = origin};
    FioSeekReply r;
    uint32_t got = 0;
    zx_status_t s = fdio_call(ch, &req, sizeof req, NULL, 0, &r, sizeof r, NULL, 0, &got);
    if (s == ZX_OK && got < sizeof r)
        s = ZX_ERR_IO;
    if (s == ZX_OK && out)
        *out = r.offset;
    return s;
}

zx_status_t fdio_remote_truncate(zx_handle_t ch, uint64_t len)
{
    FioCountRequest req = {.hdr.ordinal = FIO_OP_TRUNCATE, .count = len};
    FioStatusReply r;
    return fdio_call(ch, &req, sizeof req, NULL, 0, &r, sizeof r, NULL, 0, NULL);
}

zx_status_t fdio_remote_attr(zx_handle_t ch, FioNodeAttributes *attr)
{
    FioHeader req = {.ordinal = FIO_OP_GET_ATTR};
    FioGetAttrReply r;
    uint32_t got = 0;
    zx_status_t s = fdio_call(ch, &req, sizeof req, NULL, 0, &r, sizeof r, NULL, 0, &got);
    if (s == ZX_OK && got < sizeof r)
        s = ZX_ERR_IO;
    if (s == ZX_OK)
        *attr = r.attributes;
    return s;
}

zx_status_t fdio_remote_dirents(zx_handle_t ch, void *buf, size_t cap, size_t *actual)
{
    FioCountRequest req = {.hdr.ordinal = FIO_OP_READ_DIRENTS,
                           .count = cap < FIO_MAX_BUF ? cap : FIO_MAX_BUF};
    uint8_t reply[sizeof(FioDataReply) + FIO_MAX_BUF];
    uint32_t got = 0;
    zx_status_t s = fdio_call(ch, &req, sizeof req, NULL, 0, reply, sizeof reply,
                              NULL, 0, &got);
    if (s != ZX_OK)
        return s;
    FioDataReply r;
    memcpy(&r, reply, sizeof r);
    if (got < sizeof r || r.actual > req.count || r.actual > got - sizeof r)
        return ZX_ERR_IO;
    memcpy(buf, reply + sizeof r, r.actual);
    *actual = r.actual;
    return ZX_OK;
}

zx_status_t fdio_remote_rewind(zx_handle_t ch)
{
    return fdio_call_status(ch, FIO_OP_REWIND);
}

zx_status_t fdio_remote_unlink(zx_handle_t dir, const char *name)
{
    size_t len = strlen(name);
    if (len > FIO_MAX_PATH)
        return ZX_ERR_BAD_PATH;
    uint8_t msg[sizeof(FioUnlinkRequest) + FIO_MAX_PATH];
    FioUnlinkRequest req = {.hdr.ordinal = FIO_OP_UNLINK, .name_len = (uint32_t)len};
    memcpy(msg, &req, sizeof req);
    memcpy(msg + sizeof req, name, len);
    FioStatusReply r;
    return fdio_call(dir, msg, sizeof req + len, NULL, 0, &r, sizeof r, NULL, 0, NULL);
}

zx_status_t fdio_remote_get_buffer(zx_handle_t ch, uint32_t flags, zx_handle_t *vmo,
                                   uint64_t *size)
{
    FioGetBufferRequest req = {.hdr.ordinal = FIO_OP_GET_BUFFER, .flags = flags};
    FioGetBufferReply r;
    zx_handle_t h[1] = {ZX_HANDLE_INVALID};
    uint32_t got = 0;
    zx_status_t s = fdio_call(ch, &req, sizeof req, NULL, 0, &r, sizeof r, h, 1, &got);
    if (s == ZX_OK && (got < sizeof r || h[0] == ZX_HANDLE_INVALID))
        s = ZX_ERR_IO;
    if (s != ZX_OK)
        return s;
    *vmo = h[0];
    if (size)
        *size = r.size;
    return ZX_OK;
}
