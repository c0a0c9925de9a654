/* sb_probe.c — a component that tries things and says what happened.
 *
 * Runs as a built-in program ("sb_probe") inside a package; each argument
 * is one operation, and each operation prints exactly one line to stdout
 * (captured by the app layer), which the tests read back:
 *   read:P  write:P  ls:P  stat:P  mkdir:P  unlink:P        POSIX calls
 *   raw:D:R     open directory D, then a raw fuchsia.io Open of R on it
 *   openat:D:R  POSIX openat(D's fd, R)
 *   echo:T  log:T  secret:N                                   /svc services
 *   fb  input                                                 /dev drivers
 *   exec:P      an executable VMO of file P (fdio_get_vmo_exec), opened R|X
 *   execro:P    the same through a plain O_RDONLY descriptor
 *   mkexec      zx_vmo_replace_as_executable with no VMEX resource
 *   park        print "parked", then wait forever (the component stays
 *               alive with its namespace, for capability-graph tests)
 *   deadlock    two threads each wait for the other's event first: a real
 *               deadlock among application threads (prints one line, then
 *               never ends)
 * Errors print strerror() or the zx status name, so the lines are stable.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lib/fdio/capsim_protocols.h>
#include <lib/fdio/directory.h>
#include <lib/fdio/fd.h>
#include <lib/fdio/io.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "sbtest.h"

static void probe_read(const char *p)
{
    char buf[256] = {0};
    int fd = open(p, O_RDONLY);
    if (fd < 0) {
        printf("read %s: %s\n", p, strerror(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    int saved = errno;
    close(fd);
    if (n < 0)
        printf("read %s: %s\n", p, strerror(saved));
    else
        printf("read %s: ok \"%.*s\"\n", p, (int)strcspn(buf, "\n"), buf);
}

static void probe_write(const char *p)
{
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("write %s: %s\n", p, strerror(errno));
        return;
    }
    ssize_t n = write(fd, "written", 7);
    printf("write %s: %s\n", p, n == 7 ? "ok" : strerror(errno));
    close(fd);
}

static void probe_ls(const char *p)
{
    DIR *d = opendir(p);
    if (!d) {
        printf("ls %s: %s\n", p, strerror(errno));
        return;
    }
    char line[1024] = "";
    size_t used = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && used < sizeof line - 300)
        if (strcmp(e->d_name, ".") != 0)
            used += (size_t)snprintf(line + used, sizeof line - used, " %s", e->d_name);
    closedir(d);
    printf("ls %s:%s\n", p, line);
}

static void probe_stat(const char *p)
{
    struct stat st;
    if (stat(p, &st) < 0)
        printf("stat %s: %s\n", p, strerror(errno));
    else
        printf("stat %s: %s size %lld\n", p,
               S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other",
               (long long)st.st_size);
}

/* D:R split at the first ':' after the op. */
static void split2(const char *arg, char *d, size_t cap, const char **r)
{
    const char *colon = strchr(arg, ':');
    size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
    snprintf(d, cap, "%.*s", (int)n, arg);
    *r = colon ? colon + 1 : "";
}

static void probe_raw(const char *arg)
{
    char d[256];
    const char *r;
    split2(arg, d, sizeof d, &r);
    int fd = open(d, O_RDONLY | O_DIRECTORY);
    zx_handle_t dir, client, server;
    if (fd < 0 || fdio_fd_transfer(fd, &dir) != ZX_OK) {
        printf("raw %s %s: cannot open the directory: %s\n", d, r, strerror(errno));
        return;
    }
    zx_channel_create(0, &client, &server);
    zx_status_t s = fdio_open_at(dir, r, FIO_OPEN_RIGHT_READABLE | FIO_OPEN_FLAG_DESCRIBE,
                                 server);
    zx_signals_t seen = 0;
    FioOnOpenEvent ev = {0};
    uint32_t nb = 0, nh = 0;
    if (s == ZX_OK)
        s = zx_object_wait_one(client, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                               ZX_TIME_INFINITE, &seen);
    if (s == ZX_OK)
        s = zx_channel_read(client, 0, &ev, NULL, sizeof ev, 0, &nb, &nh);
    if (s == ZX_OK)
        s = ev.status;
    printf("raw %s %s: %s\n", d, r, zx_status_get_string(s));
    zx_handle_close(client);
    zx_handle_close(dir);
}

static void probe_openat(const char *arg)
{
    char d[256];
    const char *r;
    split2(arg, d, sizeof d, &r);
    int dfd = open(d, O_RDONLY | O_DIRECTORY);
    if (dfd < 0) {
        printf("openat %s %s: cannot open the directory: %s\n", d, r, strerror(errno));
        return;
    }
    int fd = openat(dfd, r, O_RDONLY);
    printf("openat %s %s: %s\n", d, r, fd >= 0 ? "ok" : strerror(errno));
    if (fd >= 0)
        close(fd);
    close(dfd);
}

/* Connect to /svc/<svc>, send op with text, print the reply. */
static void probe_service(const char *what, const char *svc, uint64_t op, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "/svc/%s", svc);
    zx_handle_t client, server;
    zx_channel_create(0, &client, &server);
    zx_status_t s = fdio_service_connect(path, server);
    uint8_t req[sizeof(CapsimBytesMsg) + 256], rep[sizeof(CapsimBytesMsg) + 256];
    size_t len = strlen(text) < 256 ? strlen(text) : 255;
    CapsimBytesMsg m = {.hdr.ordinal = op, .len = (uint32_t)len};
    memcpy(req, &m, sizeof m);
    memcpy(req + sizeof m, text, len);
    uint32_t nb = 0, nh = 0;
    zx_channel_call_args_t args = {req, NULL, rep, NULL, (uint32_t)(sizeof m + len), 0,
                                   sizeof rep, 0};
    if (s == ZX_OK)
        s = zx_channel_call(client, 0, ZX_TIME_INFINITE, &args, &nb, &nh);
    CapsimBytesMsg r = {0};
    if (s == ZX_OK)
        memcpy(&r, rep, sizeof r);
    if (s == ZX_OK && r.status != ZX_OK)
        s = r.status;
    if (s != ZX_OK)
        printf("%s: %s\n", what, zx_status_get_string(s));
    else if (op == CAPSIM_LOG_OP_COUNT)
        printf("%s: count %u\n", what, r.len);
    else
        printf("%s: \"%.*s\"\n", what, (int)r.len, (const char *)rep + sizeof r);
    zx_handle_close(client);
}

static void probe_log(const char *text)
{
    zx_handle_t client, server;
    zx_channel_create(0, &client, &server);
    if (fdio_service_connect("/svc/" CAPSIM_SERVICE_LOGGER, server) == ZX_OK) {
        CapsimBytesMsg m = {.hdr.ordinal = CAPSIM_LOG_OP_WRITE, .len = 0};
        zx_channel_write(client, 0, &m, sizeof m, NULL, 0);
    }
    zx_handle_close(client);
    probe_service("log", CAPSIM_SERVICE_LOGGER, CAPSIM_LOG_OP_COUNT, text);
}

static zx_status_t probe_dev_call(const char *path, uint64_t op, void *reply, size_t len)
{
    int fd = open(path, O_RDWR);
    zx_handle_t ch;
    if (fd < 0)
        return errno == ENOENT ? ZX_ERR_NOT_FOUND : ZX_ERR_ACCESS_DENIED;
    zx_status_t s = fdio_fd_transfer(fd, &ch);
    FioHeader req = {.ordinal = op};
    zx_handle_t h[1];
    uint32_t nb = 0, nh = 0;
    zx_channel_call_args_t args = {&req, NULL, reply, h, sizeof req, 0, (uint32_t)len, 1};
    if (s == ZX_OK)
        s = zx_channel_call(ch, 0, ZX_TIME_INFINITE, &args, &nb, &nh);
    for (uint32_t i = 0; i < nh; i++)
        zx_handle_close(h[i]);
    zx_handle_close(ch);
    return s;
}

static void probe_fb(void)
{
    CapsimFbInfoReply r = {0};
    zx_status_t s = probe_dev_call("/dev/class/framebuffer/000", CAPSIM_FB_OP_GET_INFO, &r,
                                   sizeof r);
    if (s == ZX_OK)
        printf("fb: %ux%u\n", r.width, r.height);
    else
        printf("fb: %s\n", zx_status_get_string(s));
}

static void probe_input(void)
{
    CapsimInputReport r = {0};
    zx_status_t s = probe_dev_call("/dev/class/input/000", CAPSIM_INPUT_OP_READ_REPORT, &r,
                                   sizeof r);
    if (s == ZX_OK)
        printf("input: seq %llu at %d,%d\n", (unsigned long long)r.seq, r.x, r.y);
    else
        printf("input: %s\n", zx_status_get_string(s));
}

/* An executable VMO of p: opened READABLE|EXECUTABLE (as a loader does),
 * or with plain O_RDONLY when `ro` (which must not be enough). */
static void probe_exec(const char *p, bool ro)
{
    int fd = -1;
    zx_status_t s = ro ? (fd = open(p, O_RDONLY)) < 0 ? ZX_ERR_NOT_FOUND : ZX_OK
                       : fdio_open_fd(p, FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_EXECUTABLE, &fd);
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    if (s == ZX_OK)
        s = fdio_get_vmo_exec(fd, &vmo);
    printf("%s %s: %s\n", ro ? "execro" : "exec", p, zx_status_get_string(s));
    zx_handle_close(vmo);
    if (fd >= 0)
        close(fd);
}

static void probe_mkexec(void)
{
    zx_handle_t vmo;
    zx_status_t s = zx_vmo_create(4096, 0, &vmo);
    if (s == ZX_OK)
        s = zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &vmo);
    printf("mkexec: %s\n", zx_status_get_string(s));
    if (s == ZX_OK)
        zx_handle_close(vmo);
}

static void probe_park(void)
{
    zx_handle_t ev;
    printf("parked\n");
    fflush(stdout);
    if (zx_event_create(0, &ev) == ZX_OK)
        zx_object_wait_one(ev, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, NULL);
}

/* Each side waits for the other's event before signalling its own. */
static zx_handle_t probe_events[2];

static void probe_deadlock_side(uintptr_t mine, uintptr_t unused)
{
    (void)unused;
    zx_object_wait_one(probe_events[1 - mine], ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, NULL);
    zx_object_signal(probe_events[mine], 0, ZX_EVENT_SIGNALED);
}

static void probe_deadlock(void)
{
    zx_handle_t thread;
    zx_status_t s = zx_event_create(0, &probe_events[0]);
    if (s == ZX_OK)
        s = zx_event_create(0, &probe_events[1]);
    if (s == ZX_OK)
        s = zx_thread_create(zx_process_self(), "partner", 7, 0, &thread);
    if (s == ZX_OK)
        s = zx_thread_start(thread, (uintptr_t)probe_deadlock_side, 0, 1, 0);
    printf("deadlock: %s\n", zx_status_get_string(s));
    fflush(stdout);
    probe_deadlock_side(0, 0);
}

static void probe_one(const char *op)
{
    const char *arg = strchr(op, ':');
    arg = arg ? arg + 1 : "";
    if (!strncmp(op, "read:", 5)) probe_read(arg);
    else if (!strncmp(op, "write:", 6)) probe_write(arg);
    else if (!strncmp(op, "ls:", 3)) probe_ls(arg);
    else if (!strncmp(op, "stat:", 5)) probe_stat(arg);
    else if (!strncmp(op, "mkdir:", 6))
        printf("mkdir %s: %s\n", arg, mkdir(arg, 0755) == 0 ? "ok" : strerror(errno));
    else if (!strncmp(op, "unlink:", 7))
        printf("unlink %s: %s\n", arg, unlink(arg) == 0 ? "ok" : strerror(errno));
    else if (!strncmp(op, "raw:", 4)) probe_raw(arg);
    else if (!strncmp(op, "openat:", 7)) probe_openat(arg);
    else if (!strncmp(op, "echo:", 5))
        probe_service("echo", CAPSIM_SERVICE_ECHO, CAPSIM_ECHO_OP_ECHO, arg);
    else if (!strncmp(op, "secret:", 7))
        probe_service("secret", CAPSIM_SERVICE_SECRETS, CAPSIM_SECRETS_OP_GET, arg);
    else if (!strncmp(op, "log:", 4)) probe_log(arg);
    else if (!strcmp(op, "fb")) probe_fb();
    else if (!strcmp(op, "input")) probe_input();
    else if (!strncmp(op, "exec:", 5)) probe_exec(arg, false);
    else if (!strncmp(op, "execro:", 7)) probe_exec(arg, true);
    else if (!strcmp(op, "mkexec")) probe_mkexec();
    else if (!strcmp(op, "park")) probe_park();
    else if (!strcmp(op, "deadlock")) probe_deadlock();
    else printf("unknown op %s\n", op);
}

int sb_probe_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        probe_one(argv[i]);
    return 0;
}
