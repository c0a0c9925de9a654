/* session.c — confused_deputy, the session that wires tenants to the
 * shared logging service (bin/app of the package tenants).
 *
 * What it models: the part of a system that owns the storage and starts
 * the services and tenants (Fuchsia's sysmgr or a session component). Its
 * sandbox asks for persistent-storage: all of /data. It gives
 *   - the logger: a writable connection to all of /data and one end of a
 *     channel;
 *   - alice: a connection to /data/tenants/alice only and the channel's
 *     other end.
 * Both are started with capsim_spawn from their host paths (argv), with
 * no job handle. When both have ended, the session reads bob's notes and
 * prints them: the evidence of what the logger did with its authority.
 *
 * argv: session MODE LOGGER.so TENANT.so, MODE = --by-path | --by-handle,
 * passed on to both. Exit code: 0 (2 if the wiring failed).
 * Read next: logger.c, tenant.c.
 */
#include <capsim/app.h>
#include <fcntl.h>
#include <lib/fdio/directory.h>
#include <lib/fdio/io.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

/* A new read-write directory connection to `path`. */
static zx_handle_t session_dir(const char *path)
{
    zx_handle_t client, server;
    if (zx_channel_create(0, &client, &server) != ZX_OK)
        return ZX_HANDLE_INVALID;
    uint32_t flags = FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE | FIO_OPEN_FLAG_DIRECTORY;
    if (fdio_open(path, flags, server) != ZX_OK) {
        zx_handle_close(client);
        return ZX_HANDLE_INVALID;
    }
    return client;
}

static zx_status_t session_start(const char *path, const char *name, const char *mode,
                                 zx_handle_t channel, zx_handle_t dir, zx_handle_t *proc)
{
    const char *argv[] = {name, mode, NULL};
    capsim_spawn_handle_t h[2] = {{PA_HND(PA_USER0, 0), channel}, {PA_HND(PA_USER1, 0), dir}};
    /* In the session's own job; the child gets no handle to it. */
    return capsim_spawn(zx_job_default(), CAPSIM_SPAWN_SELF_HANDLES, path, argv, h, 2, proc);
}

static void session_show_bob(void)
{
    char buf[128] = {0};
    int fd = open("/data/tenants/bob/notes.txt", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == '\n')
            buf[i] = '|';
    printf("session: bob's notes now read: \"%s\"\n", n > 0 ? buf : "");
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        printf("session: usage: session --by-path|--by-handle LOGGER.so TENANT.so\n");
        return 2;
    }
    zx_handle_t a, b, logger, alice;
    zx_status_t s = zx_channel_create(0, &a, &b);
    if (s == ZX_OK)
        s = session_start(argv[2], "logger", argv[1], a, session_dir("/data"), &logger);
    if (s == ZX_OK)
        s = session_start(argv[3], "alice", argv[1], b, session_dir("/data/tenants/alice"),
                          &alice);
    if (s != ZX_OK) {
        printf("session: cannot start the tenants: %s\n", zx_status_get_string(s));
        return 2;
    }
    printf("session: started the logger (all of /data) and alice (/data/tenants/alice)\n");
    zx_object_wait_one(alice, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_object_wait_one(logger, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    session_show_bob();
    return 0;
}
