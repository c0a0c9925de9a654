/* root_presenter.c — bin/app of the demo package root_presenter: a real C
 * program, built as an app (shared object) against libcapsim.
 *
 * What it stands for: Fuchsia's root_presenter, the component that drew
 * the cursor on the screen, whose meta/sandbox asked for direct access to
 * the framebuffer ({"dev": ["class/framebuffer"]}). It does what such a
 * program does, through ordinary POSIX calls and fdio, and says what each
 * attempt gave:
 *   1. read its cursor image from its own package (/pkg/data/cursor32.png);
 *   2. open the framebuffer device, get its VMO and draw the cursor;
 *   3. try to read a file outside its namespace (/data/passwords);
 *   4. try to overwrite its own package (/pkg is read-only);
 *   5. list what its namespace holds ("/").
 * The exit status counts the steps 1-2 that failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lib/fdio/capsim_protocols.h>
#include <lib/fdio/fd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zircon/syscalls.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Step 1: the cursor from /pkg. Fills w, h; returns 0 or -1. */
static int read_cursor(uint32_t *w, uint32_t *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char head[24];
    FILE *f = fopen("/pkg/data/cursor32.png", "rb");
    if (!f) {
        printf("root_presenter: open /pkg/data/cursor32.png: %s\n", strerror(errno));
        return -1;
    }
    size_t n = fread(head, 1, sizeof head, f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    if (n < sizeof head || memcmp(head, sig, sizeof sig) != 0) {
        printf("root_presenter: /pkg/data/cursor32.png: not a PNG\n");
        return -1;
    }
    *w = be32(head + 16);
    *h = be32(head + 20);
    printf("root_presenter: read /pkg/data/cursor32.png: %ld bytes, PNG %ux%u\n", size, *w, *h);
    return 0;
}

static zx_status_t fb_call(zx_handle_t ch, uint32_t op, CapsimFbInfoReply *r, zx_handle_t *vmo)
{
    FioHeader req = {.ordinal = op};
    zx_handle_t h[1] = {ZX_HANDLE_INVALID};
    zx_channel_call_args_t args = {&req, NULL, r, h, sizeof req, 0, sizeof *r, 1};
    uint32_t nb = 0, nh = 0;
    zx_status_t s = zx_channel_call(ch, 0, ZX_TIME_INFINITE, &args, &nb, &nh);
    if (s == ZX_OK)
        s = r->status;
    if (vmo)
        *vmo = nh ? h[0] : ZX_HANDLE_INVALID;
    else if (nh)
        zx_handle_close(h[0]);
    return s;
}

/* Step 2: the framebuffer. Draws a w x h white square at the top left. */
static int draw_cursor(uint32_t w, uint32_t h)
{
    const char *path = "/dev/class/framebuffer/000";
    int fd = open(path, O_RDWR);
    zx_handle_t ch = ZX_HANDLE_INVALID, vmo = ZX_HANDLE_INVALID;
    if (fd < 0) {
        printf("root_presenter: open %s: %s\n", path, strerror(errno));
        return -1;
    }
    CapsimFbInfoReply info;
    zx_status_t s = fdio_fd_transfer(fd, &ch);
    if (s == ZX_OK)
        s = fb_call(ch, CAPSIM_FB_OP_GET_VMO, &info, &vmo);
    uint32_t white = 0xffffffffu;
    for (uint32_t y = 0; s == ZX_OK && y < h && y < info.height; y++)
        for (uint32_t x = 0; s == ZX_OK && x < w && x < info.width; x++)
            s = zx_vmo_write(vmo, &white, ((uint64_t)y * info.stride + x) * 4, 4);
    if (s == ZX_OK)
        s = fb_call(ch, CAPSIM_FB_OP_FLUSH, &info, NULL);
    if (s == ZX_OK)
        printf("root_presenter: open %s: framebuffer %ux%u, drew the cursor, frame %llu\n",
               path, info.width, info.height, (unsigned long long)info.frames);
    else
        printf("root_presenter: framebuffer: status %d\n", s);
    zx_handle_close(vmo);
    zx_handle_close(ch);
    return s == ZX_OK ? 0 : -1;
}

static void try_outside(void)
{
    int fd = open("/data/passwords", O_RDONLY);
    if (fd >= 0) {
        char buf[64] = {0};
        ssize_t n = read(fd, buf, sizeof buf - 1);
        printf("root_presenter: read /data/passwords: \"%.*s\" (escaped its sandbox!)\n",
               n > 0 ? (int)strcspn(buf, "\n") : 0, buf);
        close(fd);
    } else {
        printf("root_presenter: open /data/passwords: %s\n", strerror(errno));
    }
    fd = open("/pkg/data/cursor32.png", O_WRONLY);
    printf("root_presenter: open /pkg/data/cursor32.png for writing: %s\n",
           fd < 0 ? strerror(errno) : "allowed (!)");
    if (fd >= 0)
        close(fd);
}

static void list_root(void)
{
    DIR *d = opendir("/");
    struct dirent *e;
    char line[256] = "";
    size_t used = 0;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && used < sizeof line - 64)
            used += (size_t)snprintf(line + used, sizeof line - used, " /%s", e->d_name);
    if (d)
        closedir(d);
    printf("root_presenter: its namespace holds:%s\n", line);
}

int main(int argc, char **argv)
{
    uint32_t w = 32, h = 32;
    int failed = 0;
    if (read_cursor(&w, &h) < 0)
        failed++;
    if (draw_cursor(w, h) < 0)
        failed++;
    try_outside();
    list_root();
    return failed;
}
