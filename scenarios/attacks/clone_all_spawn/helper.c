/* helper.c — clone_all_spawn, the untrusted helper the viewer spawns.
 *
 * What it models: a thumbnailer that does its job (reads /work/photo.txt,
 * writes /work/photo.thumb) and then tries everything else its startup
 * handles allow:
 *   1. read /data/passwords, the viewer's account token;
 *   2. open the framebuffer (/dev/class/framebuffer/000), take its VMO
 *      and read the screen;
 *   3. start a process of its own (another copy of itself, --payload) in
 *      the job it was given.
 * What it holds decides: with the viewer's whole namespace and job
 * (--clone-all) all three work; with /pkg, /work and a job denying
 * ZX_POL_NEW_PROCESS (--least-privilege) the paths do not exist (ENOENT)
 * and the spawn is ZX_ERR_ACCESS_DENIED.
 *
 * argv: helper [--ns PATH]... ; directory i is PA_HND(PA_USER1, i) and is
 * bound at the i-th PATH (see viewer.c). Exit code: a bit per success
 * (1 secret, 2 framebuffer, 4 process): 7 or 0. `helper --payload` is the
 * started process: it prints a line and exits.
 * Read next: the scenario's scenario.py.
 */
#include <capsim/app.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lib/fdio/capsim_protocols.h>
#include <lib/fdio/fd.h>
#include <lib/fdio/namespace.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

static void helper_bind(int argc, char **argv)
{
    fdio_ns_t *ns = NULL;
    if (fdio_ns_get_installed(&ns) != ZX_OK)
        return;
    uint32_t i = 0;
    for (int a = 1; a + 1 < argc; a++) {
        if (strcmp(argv[a], "--ns") != 0)
            continue;
        zx_handle_t h = zx_take_startup_handle(PA_HND(PA_USER1, i++));
        if (fdio_ns_bind(ns, argv[++a], h) != ZX_OK)
            zx_handle_close(h);
    }
    char line[256] = "";
    size_t used = 0;
    DIR *d = opendir("/");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && used < sizeof line - 64)
            used += (size_t)snprintf(line + used, sizeof line - used, " /%s", e->d_name);
    if (d)
        closedir(d);
    printf("helper: my namespace holds:%s\n", line);
}

static void helper_thumbnail(void)
{
    char buf[64] = {0};
    int in = open("/work/photo.txt", O_RDONLY);
    ssize_t n = in >= 0 ? read(in, buf, sizeof buf - 1) : -1;
    int out = open("/work/photo.thumb", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (n > 0 && out >= 0 && write(out, buf, (size_t)(n < 8 ? n : 8)) > 0)
        printf("helper: made a thumbnail of /work/photo.txt (its actual job)\n");
    else
        printf("helper: thumbnailing failed: %s\n", strerror(errno));
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
}

static int helper_steal_secret(void)
{
    char buf[64] = {0};
    int fd = open("/data/passwords", O_RDONLY);
    if (fd < 0) {
        printf("helper: open /data/passwords: %s\n", strerror(errno));
        return 0;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[strcspn(buf, "\n")] = '\0';
    printf("helper: read /data/passwords: \"%s\"\n", n > 0 ? buf : "");
    return n > 0 ? 1 : 0;
}

static int helper_grab_screen(void)
{
    int fd = open("/dev/class/framebuffer/000", O_RDWR);
    if (fd < 0) {
        printf("helper: open /dev/class/framebuffer/000: %s\n", strerror(errno));
        return 0;
    }
    zx_handle_t ch, vmo = ZX_HANDLE_INVALID;
    FioHeader req = {.ordinal = CAPSIM_FB_OP_GET_VMO};
    CapsimFbInfoReply info = {0};
    zx_channel_call_args_t args = {&req, NULL, &info, &vmo, sizeof req, 0, sizeof info, 1};
    uint32_t nb = 0, nh = 0;
    zx_status_t s = fdio_fd_transfer(fd, &ch);
    if (s == ZX_OK)
        s = zx_channel_call(ch, 0, ZX_TIME_INFINITE, &args, &nb, &nh);
    uint32_t pixel = 0;
    if (s == ZX_OK && nh == 1)
        s = zx_vmo_read(vmo, &pixel, 0, sizeof pixel);
    printf("helper: framebuffer: %s%s\n", zx_status_get_string(s),
           s == ZX_OK ? " (took the screen's VMO and read its pixels)" : "");
    return s == ZX_OK && nh == 1 ? 2 : 0;
}

static int helper_spawn_payload(void)
{
    const char *argv[] = {"payload", "--payload", NULL};
    zx_handle_t proc;
    zx_status_t s = capsim_spawn(zx_job_default(), CAPSIM_SPAWN_SELF_HANDLES, NULL, argv,
                                 NULL, 0, &proc);
    printf("helper: start a process of my own: %s\n", zx_status_get_string(s));
    if (s != ZX_OK)
        return 0;
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    return 4;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--payload") == 0) {
        printf("payload: running, started by the helper, not by the viewer\n");
        return 0;
    }
    helper_bind(argc, argv);
    helper_thumbnail();
    int got = helper_steal_secret();
    got |= helper_grab_screen();
    got |= helper_spawn_payload();
    printf("helper: %s\n", got ? "reached beyond its job" : "confined to its job");
    return got;
}
