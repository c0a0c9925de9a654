/* tenant.c — confused_deputy, the malicious tenant (alice).
 *
 * What it models: a client of the shared logging service whose own storage
 * is one directory, /data/tenants/alice (PA_HND(PA_USER1, 0), bound at /data
 * in her namespace); the service
 * is at the other end of PA_HND(PA_USER0, 0). Alice logs one honest line,
 * then tries to get the service to write into bob's notes,
 * tenants/bob/notes.txt, which she cannot open herself. argv[1] is the
 * protocol the service speaks (logproto.h):
 *
 *   --by-path    she names bob's file; the service opens and writes it.
 *   --by-handle  she would have to send a handle to bob's file, and she
 *                has none; a request naming the file is refused by the
 *                service (ZX_ERR_NOT_SUPPORTED).
 *
 * Exit code: 1 if the service wrote into bob's file for her, 0 if not.
 * Read next: logger.c.
 */
#include <errno.h>
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

#define BOB_FILE "tenants/bob/notes.txt"

static zx_handle_t tenant_service;

/* One request, its reply's status. */
static zx_status_t tenant_call(uint32_t op, const char *path, const char *text,
                               zx_handle_t file)
{
    char msg[LOG_MAX_MSG];
    LogRequest req = {.op = op, .path_len = path ? (uint32_t)strlen(path) : 0,
                      .text_len = (uint32_t)strlen(text)};
    memcpy(msg, &req, sizeof req);
    memcpy(msg + sizeof req, path ? path : "", req.path_len);
    memcpy(msg + sizeof req + req.path_len, text, req.text_len);
    uint32_t n = (uint32_t)sizeof req + req.path_len + req.text_len;
    LogReply rep;
    zx_channel_call_args_t args = {msg, file != ZX_HANDLE_INVALID ? &file : NULL, &rep, NULL,
                                   n, file != ZX_HANDLE_INVALID ? 1u : 0u, sizeof rep, 0};
    uint32_t rb = 0, rh = 0;
    zx_status_t s = zx_channel_call(tenant_service, 0, ZX_TIME_INFINITE, &args, &rb, &rh);
    return s != ZX_OK ? s : rep.status;
}

/* Open `name` in alice's own directory for appending, as a handle. */
static zx_handle_t tenant_open(int dir, const char *name)
{
    int fd = openat(dir, name, O_WRONLY | O_CREAT | O_APPEND, 0600);
    zx_handle_t h = ZX_HANDLE_INVALID;
    if (fd < 0) {
        printf("alice: openat(my dir, \"%s\"): %s\n", name, strerror(errno));
        return ZX_HANDLE_INVALID;
    }
    if (fdio_fd_transfer(fd, &h) != ZX_OK)
        return ZX_HANDLE_INVALID;
    return h;
}

int main(int argc, char **argv)
{
    int by_path = argc > 1 && strcmp(argv[1], "--by-path") == 0;
    tenant_service = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    fdio_ns_t *ns = NULL;
    int dir = -1;
    if (fdio_ns_get_installed(&ns) != ZX_OK ||
        fdio_ns_bind(ns, "/data", zx_take_startup_handle(PA_HND(PA_USER1, 0))) != ZX_OK ||
        (dir = open("/data", O_RDONLY | O_DIRECTORY)) < 0) {
        printf("alice: no storage\n");
        return 100;
    }
    zx_status_t s;
    int defaced = 0;
    /* First, on her own: she holds only her directory. */
    zx_handle_t bob = tenant_open(dir, "../bob/notes.txt");
    if (by_path) {
        s = tenant_call(LOG_OP_APPEND_PATH, "tenants/alice/app.log", "alice: hello\n",
                        ZX_HANDLE_INVALID);
        printf("alice: log my own line by path -> %s\n", zx_status_get_string(s));
        s = tenant_call(LOG_OP_APPEND_PATH, BOB_FILE, "alice was here\n", ZX_HANDLE_INVALID);
        printf("alice: ask the logger to append to %s -> %s\n", BOB_FILE,
               zx_status_get_string(s));
    } else {
        s = tenant_call(LOG_OP_APPEND_FILE, NULL, "alice: hello\n", tenant_open(dir, "app.log"));
        printf("alice: log my own line through my file -> %s\n", zx_status_get_string(s));
        s = tenant_call(LOG_OP_APPEND_PATH, BOB_FILE, "alice was here\n", ZX_HANDLE_INVALID);
        printf("alice: ask the logger to append to %s by name -> %s\n", BOB_FILE,
               zx_status_get_string(s));
    }
    if (bob != ZX_HANDLE_INVALID &&
        tenant_call(LOG_OP_APPEND_FILE, NULL, "alice was here\n", bob) == ZX_OK)
        defaced = 1;
    defaced |= s == ZX_OK;
    printf("alice: bob's notes are %s\n", defaced ? "DEFACED by the logger" : "untouched");
    close(dir);
    return defaced;
}
