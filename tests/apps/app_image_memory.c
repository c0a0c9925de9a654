/* app_image_memory.c — a process's globals are part of its memory: with a
 * process handle carrying READ and WRITE, another process reads and
 * patches them (model/app/app_image_memory.c, model/sys_vmar.c).
 *   image_memory           the monitor: spawns a victim (another copy of
 *                          this app), reads the victim's secret, flips its
 *                          flag, probes rights, segment ends and read-only
 *                          pieces; starts a process in its own copy and
 *                          reads their shared global through its handle
 *   image_memory victim    puts a secret in a global, sends the monitor the
 *                          addresses of its globals, waits for "GO", then
 *                          returns 7 if its flag was set, else 0
 * Prints nothing that depends on where the host put the copies. */
#include <stdio.h>
#include <string.h>
#include <capsim/app.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

enum { IMG_SECRET, IMG_FLAG, IMG_MOTTO, IMG_CODE, IMG_RELRO, IMG_END, IMG_ADDRS };

static char image_secret[32];             /* .bss, set at start */
static volatile int image_flag;           /* what the victim acts on */
static const char image_motto[] = "constant words";
static const char *const image_relro[] = {image_motto}; /* relocated, then read-only */
static int image_shared = 1;              /* .data */
extern char _end[] __attribute__((visibility("hidden"))); /* end of the last segment */

static int image_victim(void)
{
    strcpy(image_secret, "SECRET=swordfish");
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    uintptr_t a[IMG_ADDRS] = {(uintptr_t)image_secret, (uintptr_t)&image_flag,
                              (uintptr_t)image_motto, (uintptr_t)&image_victim,
                              (uintptr_t)image_relro, (uintptr_t)_end};
    char go[4];
    uint32_t n = 0;
    if (zx_channel_write(ch, 0, a, sizeof a, NULL, 0) != ZX_OK ||
        zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(ch, 0, go, NULL, sizeof go, 0, &n, NULL) != ZX_OK)
        return 1;
    return image_flag == 1 ? 7 : 0;
}

static void image_shared_entry(uintptr_t ch, uintptr_t unused)
{
    (void)unused;
    image_shared = 42;
    zx_channel_write((zx_handle_t)ch, 0, "set", 3, NULL, 0);
    zx_object_wait_one((zx_handle_t)ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, NULL);
    zx_process_exit(0);
}

static const char *st_name(zx_status_t st)
{
    return zx_status_get_string(st);
}

static int64_t image_wait(zx_handle_t proc)
{
    zx_info_process_t info;
    if (zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL) != ZX_OK)
        return -1000;
    return info.return_code;
}

/* Reads from a victim's globals: its secret, with and without the rights,
 * and across the end of its last segment. */
static void image_reads(zx_handle_t proc, const uintptr_t *a)
{
    char buf[64] = {0};
    size_t got = 0;
    zx_status_t st = zx_process_read_memory(proc, a[IMG_SECRET], buf, sizeof image_secret, &got);
    printf("read the victim's secret: %s, %zu bytes: %s\n", st_name(st), got, buf);
    printf("my own secret is another global: %d, it says '%s'\n",
           a[IMG_SECRET] != (uintptr_t)image_secret, image_secret);
    memset(buf, 0, sizeof buf);
    st = zx_process_read_memory(zx_process_self(), (uintptr_t)image_secret, buf, 32, &got);
    printf("read my own through my handle: %s, %s\n", st_name(st), buf);
    zx_handle_t weak;
    zx_handle_duplicate(proc, ZX_RIGHTS_BASIC | ZX_RIGHT_INSPECT | ZX_RIGHT_READ, &weak);
    int one = 1;
    printf("without WRITE: read %s, write %s\n",
           st_name(zx_process_read_memory(weak, a[IMG_SECRET], buf, 8, &got)),
           st_name(zx_process_write_memory(weak, a[IMG_FLAG], &one, sizeof one, &got)));
    zx_handle_close(weak);
    uintptr_t page = zx_system_get_page_size();
    uintptr_t end = (a[IMG_END] + page - 1) & ~(page - 1);
    got = 0;
    st = zx_process_read_memory(proc, end - 8, buf, sizeof buf, &got);
    printf("a read across the end of its last segment: %s, %zu of %zu bytes\n", st_name(st), got,
           sizeof buf);
    printf("a read past it: %s\n", st_name(zx_process_read_memory(proc, end, buf, 8, &got)));
    unsigned char code[16];
    st = zx_process_read_memory(proc, a[IMG_CODE], code, sizeof code, &got);
    printf("its code reads as mine: %s, %d\n", st_name(st),
           got == sizeof code && !memcmp(code, (const void *)&image_victim, sizeof code));
    st = zx_process_read_memory(proc, a[IMG_MOTTO], buf, sizeof image_motto, &got);
    printf("its constants read: %s, %s\n", st_name(st), buf);
}

/* Writes into a victim's globals: its flag, across its end, read-only
 * pieces. */
static void image_writes(zx_handle_t proc, const uintptr_t *a)
{
    int one = 1;
    size_t got = 0;
    zx_status_t st = zx_process_write_memory(proc, a[IMG_FLAG], &one, sizeof one, &got);
    printf("write the victim's flag: %s, %zu bytes\n", st_name(st), st == ZX_OK ? got : 0);
    uintptr_t page = zx_system_get_page_size();
    uintptr_t end = (a[IMG_END] + page - 1) & ~(page - 1);
    char zeros[8] = {0};
    got = 0;
    st = zx_process_write_memory(proc, end - 4, zeros, sizeof zeros, &got);
    printf("a write across its end: %s, %zu of %zu bytes\n", st_name(st), got, sizeof zeros);
    printf("a write into its constants: %s, into its code: %s, into its RELRO: %s\n",
           st_name(zx_process_write_memory(proc, a[IMG_MOTTO], "X", 1, &got)),
           st_name(zx_process_write_memory(proc, a[IMG_CODE], "\xcc", 1, &got)),
           st_name(zx_process_write_memory(proc, a[IMG_RELRO], zeros, sizeof zeros, &got)));
    uintptr_t pointer = 0;
    st = zx_process_read_memory(proc, a[IMG_RELRO], &pointer, sizeof pointer, &got);
    printf("its RELRO reads: %s, pointing at its constants %d\n", st_name(st),
           pointer == a[IMG_MOTTO]);
}

/* A process started on a function of this copy shares its globals. */
static void image_shared_copy(void)
{
    zx_handle_t p, vmar, th, mine, theirs;
    if (zx_process_create(zx_job_default(), "shared", 6, 0, &p, &vmar) != ZX_OK ||
        zx_thread_create(p, "main", 4, 0, &th) != ZX_OK ||
        zx_channel_create(0, &mine, &theirs) != ZX_OK ||
        zx_process_start(p, th, (uintptr_t)image_shared_entry, 0, theirs, 0) != ZX_OK) {
        printf("cannot start a process in my copy\n");
        return;
    }
    zx_object_wait_one(mine, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL);
    int through = 0;
    size_t got = 0;
    zx_status_t st = zx_process_read_memory(p, (uintptr_t)&image_shared, &through,
                                            sizeof through, &got);
    printf("a process started in my copy shares my globals: mine %d, through its handle %s %d\n",
           image_shared, st_name(st), through);
    zx_handle_close(mine);
    image_wait(p);
    printf("once it ended: %s\n",
           st_name(zx_process_read_memory(p, (uintptr_t)&image_shared, &through, 4, &got)));
    zx_handle_close(p);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "victim"))
        return image_victim();
    strcpy(image_secret, "the monitor's own");
    zx_handle_t mine, theirs, proc;
    if (zx_channel_create(0, &mine, &theirs) != ZX_OK)
        return 90;
    const char *av[] = {"image-victim", "victim", NULL};
    capsim_spawn_handle_t h = {PA_HND(PA_USER0, 0), theirs};
    if (capsim_spawn(zx_job_default(), CAPSIM_SPAWN_STANDARD, NULL, av, &h, 1, &proc) != ZX_OK)
        return 91;
    uintptr_t a[IMG_ADDRS];
    uint32_t n = 0;
    if (zx_object_wait_one(mine, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(mine, 0, a, NULL, sizeof a, 0, &n, NULL) != ZX_OK || n != sizeof a)
        return 92;
    image_reads(proc, a);
    image_writes(proc, a);
    zx_channel_write(mine, 0, "GO", 2, NULL, 0);
    printf("the victim ended with %lld\n", (long long)image_wait(proc));
    char buf[8];
    size_t got = 0;
    printf("its memory once it ended: %s\n",
           st_name(zx_process_read_memory(proc, a[IMG_SECRET], buf, sizeof buf, &got)));
    image_shared_copy();
    return 0;
}
