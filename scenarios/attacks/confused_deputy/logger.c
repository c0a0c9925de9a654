/* logger.c — confused_deputy, the logging service (the deputy).
 *
 * What it models: a shared service that holds more authority than any of
 * its clients — a writable connection to all of /data (PA_HND(PA_USER1, 0),
 * bound at /data in its namespace) — and appends log lines for them
 * (requests on PA_HND(PA_USER0, 0); wire format in logproto.h). argv[1]
 * picks its protocol:
 *
 *   --by-path    (vulnerable) the client sends a path; the logger opens it
 *                under ITS /data and writes. The client's request carries a
 *                name, the logger's handle carries the authority, and the
 *                logger cannot tell whose authority the name was meant to
 *                be used with: any tenant can make it write any file.
 *   --by-handle  (mitigated) the client sends a file it opened itself; the
 *                logger writes through that handle only and refuses names
 *                (ZX_ERR_NOT_SUPPORTED). It still holds /data, but never
 *                uses it on a client's behalf.
 *
 * The logger runs until its client hangs up and exits with the number of
 * requests it served. Read next: tenant.c, then session.c.
 */
#include <fcntl.h>
#include <lib/fdio/fd.h>
#include <lib/fdio/namespace.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "logproto.h"

/* Vulnerable: open the NAMED file with the logger's own authority. */
static zx_status_t logger_append_path(const char *path, const char *text, uint32_t n,
                                      uint32_t *written)
{
    char full[300];
    snprintf(full, sizeof full, "/data/%s", path);
    int fd = open(full, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0)
        return ZX_ERR_NOT_FOUND;
    ssize_t w = write(fd, text, n);
    close(fd);
    if (w < 0)
        return ZX_ERR_IO;
    *written = (uint32_t)w;
    printf("logger: appended %u bytes to /data/%s, with MY authority\n", *written, path);
    return ZX_OK;
}

/* Mitigated: write through the file the client handed over. */
static zx_status_t logger_append_file(zx_handle_t file, const char *text, uint32_t n,
                                      uint32_t *written)
{
    int fd = -1;
    zx_status_t s = fdio_fd_create(file, &fd);
    if (s != ZX_OK)
        return s;
    ssize_t w = write(fd, text, n);
    close(fd);
    if (w < 0)
        return ZX_ERR_ACCESS_DENIED;
    *written = (uint32_t)w;
    printf("logger: appended %u bytes to the file the client gave me\n", *written);
    return ZX_OK;
}

static zx_status_t logger_serve(int by_path, const char *msg, uint32_t n, zx_handle_t h,
                                uint32_t nh, uint32_t *written)
{
    LogRequest req;
    if (n < sizeof req)
        return ZX_ERR_INVALID_ARGS;
    memcpy(&req, msg, sizeof req);
    const char *rest = msg + sizeof req;
    if ((uint64_t)req.path_len + req.text_len > n - sizeof req)
        return ZX_ERR_INVALID_ARGS;
    if (by_path && req.op == LOG_OP_APPEND_PATH) {
        char path[256];
        if (req.path_len == 0 || req.path_len >= sizeof path)
            return ZX_ERR_INVALID_ARGS;
        memcpy(path, rest, req.path_len);
        path[req.path_len] = '\0';
        return logger_append_path(path, rest + req.path_len, req.text_len, written);
    }
    if (!by_path && req.op == LOG_OP_APPEND_FILE && nh == 1 && req.path_len == 0)
        return logger_append_file(h, rest, req.text_len, written);
    if (nh)
        zx_handle_close(h);
    printf("logger: refused a request of kind %u (I take %s)\n", req.op,
           by_path ? "paths" : "file handles, not names");
    return ZX_ERR_NOT_SUPPORTED;
}

int main(int argc, char **argv)
{
    int by_path = argc > 1 && strcmp(argv[1], "--by-path") == 0;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    fdio_ns_t *ns = NULL;
    if (fdio_ns_get_installed(&ns) != ZX_OK ||
        fdio_ns_bind(ns, "/data", zx_take_startup_handle(PA_HND(PA_USER1, 0))) != ZX_OK) {
        printf("logger: no /data\n");
        return 100;
    }
    printf("logger: serving, clients send %s\n", by_path ? "paths" : "file handles");
    int served = 0;
    for (;;) {
        char msg[LOG_MAX_MSG];
        zx_handle_t h = ZX_HANDLE_INVALID;
        uint32_t n = 0, nh = 0;
        zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE,
                           NULL);
        if (zx_channel_read(ch, 0, msg, &h, sizeof msg, 1, &n, &nh) != ZX_OK)
            break;
        LogReply rep = {0};
        memcpy(&rep.txid, msg, n >= sizeof rep.txid ? sizeof rep.txid : 0);
        rep.status = logger_serve(by_path, msg, n, h, nh, &rep.written);
        served += rep.status == ZX_OK;
        zx_channel_write(ch, 0, &rep, sizeof rep, NULL, 0);
    }
    printf("logger: client gone; served %d request(s)\n", served);
    return served;
}
