/* app1.c — dotdot_escape, the component that tries to climb out of its
 * storage (bin/app of the package app1).
 *
 * What it models: a component whose meta/sandbox asks for
 * isolated-persistent-storage, so its /data is /data/r/app/app1 on the data
 * server, and nothing else of /data. Its neighbour app2 keeps a secret in
 * /data/r/app/app2/secret. app1 tries three ways up:
 *   1. open("/data/../app2/secret"): fdio cleans the path on the client
 *      side first ("/app2/secret"), which is outside the namespace: ENOENT.
 *      ".." in a POSIX path can never leave the namespace.
 *   2. fdio_open_fd_at(/data, "../app2/secret"): the path goes to the data
 *      server as given. A correct server refuses a ".." segment with
 *      ZX_ERR_INVALID_ARGS (Fuchsia's name rules; docs/io-protocol.md).
 *      With the kernel's accept_dotdot fault switch, the server climbs
 *      from app1's directory to /data/r/app and opens app2's secret.
 *   3. the same through POSIX openat(dirfd, "../app2/secret").
 * Exit code: 1 if it read app2's secret, 0 if not.
 * Read next: the scenario's scenario.py.
 */
#include <errno.h>
#include <fcntl.h>
#include <lib/fdio/directory.h>
#include <lib/fdio/io.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zircon/status.h>

static int app1_show(const char *how, int fd)
{
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[strcspn(buf, "\n")] = '\0';
    if (n > 0)
        printf("app1: %s: read \"%s\" (ESCAPED its storage)\n", how, buf);
    close(fd);
    return n > 0;
}

int main(void)
{
    int stole = 0;
    int fd = open("/data/mine", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        write(fd, "app1 was here\n", 14);
        close(fd);
        printf("app1: wrote /data/mine (its own storage works)\n");
    }
    fd = open("/data/../app2/secret", O_RDONLY);
    if (fd < 0)
        printf("app1: open(\"/data/../app2/secret\"): %s (fdio cleaned it to /app2/secret)\n",
               strerror(errno));
    else
        stole |= app1_show("open(\"/data/../app2/secret\")", fd);

    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    if (dir < 0) {
        printf("app1: open(\"/data\"): %s\n", strerror(errno));
        return 2;
    }
    int got = -1;
    zx_status_t s = fdio_open_fd_at(dir, "../app2/secret", FIO_OPEN_RIGHT_READABLE, &got);
    printf("app1: fdio_open_fd_at(/data, \"../app2/secret\") -> %s\n", zx_status_get_string(s));
    if (s == ZX_OK)
        stole |= app1_show("through the data server", got);
    got = openat(dir, "../app2/secret", O_RDONLY);
    if (got < 0)
        printf("app1: openat(/data, \"../app2/secret\"): %s\n", strerror(errno));
    else
        stole |= app1_show("openat(/data, \"../app2/secret\")", got);
    close(dir);
    printf("app1: app2's secret is %s\n", stole ? "MINE" : "out of reach");
    return stole;
}
