/* services.c — the service programs environments are stocked with: a
 * logger, an echo service and a "secrets" service.
 *
 * What they model: Fuchsia component services. Each program serves an
 * outgoing directory holding one service node (named as the service,
 * e.g. fidl.examples.echo.Echo); appmgr forwards a component's
 * Open("/svc/<name>") to it, and every connection that arrives speaks the
 * service's protocol (<lib/fdio/capsim_protocols.h>):
 *  - logger: LOG_OP_WRITE (one-way) counts messages; LOG_OP_COUNT answers
 *    how many were logged so far.
 *  - echo: ECHO_OP_ECHO answers the bytes it was sent.
 *  - secrets: SECRETS_OP_GET answers the value of a named secret to anyone
 *    who can reach it — so a component that should not see /svc/capsim.Secrets
 *    but does (over-granting, a leak, an escape) shows up in its output.
 * Malformed requests close the connection. Left out: the real
 * fuchsia.logger.LogSink (sockets, severities, tags). Read next: appmgr.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <lib/fdio/capsim_protocols.h>

#include "programs.h"

typedef struct Service {
    IoLoop *loop;
    IoMessageFn on_message;
    const ServiceConfig *cfg;
    uint64_t logged;
} Service;

static void service_connect(void *ctx, zx_handle_t channel)
{
    Service *s = ctx;
    io_loop_add(s->loop, channel, s->on_message, NULL, s);
}

/* The request's header and payload, or false (the connection is closed). */
static bool service_request(IoLoop *loop, IoEndpoint *ep, IoMessage *m,
                            CapsimBytesMsg *req, const char **payload)
{
    if (m->nbytes < sizeof *req) {
        io_loop_remove(loop, ep);
        return false;
    }
    memcpy(req, m->bytes, sizeof *req);
    if (req->len > m->nbytes - sizeof *req || req->len > FIO_MAX_BUF) {
        io_loop_remove(loop, ep);
        return false;
    }
    *payload = (const char *)m->bytes + sizeof *req;
    return true;
}

static void service_reply(IoEndpoint *ep, const FioHeader *h, zx_status_t status,
                          const void *data, size_t len)
{
    uint8_t buf[sizeof(CapsimBytesMsg) + FIO_MAX_BUF];
    CapsimBytesMsg r = {.hdr = *h, .status = status, .len = (uint32_t)len};
    memcpy(buf, &r, sizeof r);
    if (len)
        memcpy(buf + sizeof r, data, len);
    zx_channel_write(ep->channel, 0, buf, (uint32_t)(sizeof r + len), NULL, 0);
}

static void echo_message(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    CapsimBytesMsg req;
    const char *data;
    if (!service_request(loop, ep, m, &req, &data))
        return;
    if (req.hdr.ordinal != CAPSIM_ECHO_OP_ECHO) {
        io_loop_remove(loop, ep);
        return;
    }
    service_reply(ep, &req.hdr, ZX_OK, data, req.len);
}

static void logger_message(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    Service *s = ep->ctx;
    CapsimBytesMsg req;
    const char *data;
    if (!service_request(loop, ep, m, &req, &data))
        return;
    if (req.hdr.ordinal == CAPSIM_LOG_OP_WRITE) {
        s->logged++;
    } else if (req.hdr.ordinal == CAPSIM_LOG_OP_COUNT) {
        CapsimBytesMsg r = {.hdr = req.hdr, .len = (uint32_t)s->logged};
        zx_channel_write(ep->channel, 0, &r, sizeof r, NULL, 0);
    } else {
        io_loop_remove(loop, ep);
    }
}

static void secrets_message(IoLoop *loop, IoEndpoint *ep, IoMessage *m)
{
    Service *s = ep->ctx;
    CapsimBytesMsg req;
    const char *name;
    if (!service_request(loop, ep, m, &req, &name))
        return;
    if (req.hdr.ordinal != CAPSIM_SECRETS_OP_GET) {
        io_loop_remove(loop, ep);
        return;
    }
    for (size_t i = 0; i < s->cfg->nsecrets; i++) {
        const char *n = s->cfg->secret_names[i];
        if (strlen(n) == req.len && memcmp(n, name, req.len) == 0) {
            const char *v = s->cfg->secret_values[i];
            size_t len = strlen(v);
            service_reply(ep, &req.hdr, ZX_OK, v, len < FIO_MAX_BUF ? len : FIO_MAX_BUF);
            return;
        }
    }
    service_reply(ep, &req.hdr, ZX_ERR_NOT_FOUND, NULL, 0);
}

static void service_run(const ServiceConfig *cfg, IoMessageFn on_message)
{
    Service s = {.on_message = on_message, .cfg = cfg};
    zx_handle_t out = programs_directory_request();
    s.loop = io_loop_new();
    VnodeTree *tree = vnode_tree_new(false, false);
    IoServer *srv = s.loop && tree ? io_server_new(s.loop, &cfg->io) : NULL;
    if (tree)
        tree->immutable = true;
    if (!srv || out == ZX_HANDLE_INVALID ||
        !vnode_add_service(tree->root, cfg->name, FIO_NODE_INFO_SERVICE, service_connect, &s))
        zx_process_exit(1);
    capsim_process_on_release(vnode_tree_discard, tree);
    io_server_serve(srv, tree->root, out,
                    FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE |
                        FIO_OPEN_FLAG_DIRECTORY);
    io_loop_run(s.loop);
    zx_process_exit(0);
}

void echo_program(uintptr_t arg, uintptr_t unused)
{
    service_run((const ServiceConfig *)arg, echo_message);
}

void logger_program(uintptr_t arg, uintptr_t unused)
{
    service_run((const ServiceConfig *)arg, logger_message);
}

void secrets_program(uintptr_t arg, uintptr_t unused)
{
    service_run((const ServiceConfig *)arg, secrets_message);
}
