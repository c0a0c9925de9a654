/* app_rights_lab.c — docs/sdk.md's coursework example: a parent hands a
 * child a handle to its secret VMO and the child tries to do more with it
 * than it should. One program, three variants chosen by argv[1]:
 *   rights_lab vulnerable  the duplicate keeps every right, and the child
 *                          gets the standard startup handles (its job too)
 *   rights_lab readonly    the duplicate is read-only, but the child still
 *                          gets the parent's job handle
 *   rights_lab fixed       read-only, and only the child's own handles
 *   rights_lab child       (started by the parent)
 * The child reads the secret, tries to write it, tries to get WRITE back
 * by duplicating its handle, and looks through its default job for other
 * processes (what a job handle gives away: see `capsim analyze` in
 * docs/sdk.md). The parent prints the secret at the end and returns 0. */
#include <capsim/app.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#define READ_ONLY (ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_TRANSFER | ZX_RIGHT_WAIT)

static int child(void)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0)), vmo, more;
    uint32_t nb = 0, nh = 0;
    char msg[8], buf[8] = {0};
    if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(ch, 0, msg, &vmo, sizeof msg, 1, &nb, &nh) != ZX_OK || nh != 1)
        return 2;
    zx_status_t st = zx_vmo_read(vmo, buf, 0, 7);
    printf("child: read the secret: %s '%s'\n", zx_status_get_string(st), buf);
    st = zx_vmo_write(vmo, "pwned!!", 0, 7);
    printf("child: write the secret: %s\n", zx_status_get_string(st));
    st = zx_handle_duplicate(vmo, ZX_RIGHT_READ | ZX_RIGHT_WRITE, &more);
    printf("child: duplicate it with WRITE: %s\n", zx_status_get_string(st));
    zx_koid_t koids[8];
    size_t n = 0;
    st = zx_object_get_info(zx_job_default(), ZX_INFO_JOB_PROCESSES, koids, sizeof koids, &n,
                            NULL);
    printf("child: list the processes of my job: %s, %zu found\n", zx_status_get_string(st),
           st == ZX_OK ? n : 0);
    return 0;
}

int main(int argc, char **argv)
{
    const char *variant = argc > 1 ? argv[1] : "";
    if (!strcmp(variant, "child"))
        return child();
    bool vulnerable = !strcmp(variant, "vulnerable"), fixed = !strcmp(variant, "fixed");
    if (!vulnerable && !fixed && strcmp(variant, "readonly")) {
        fprintf(stderr, "usage: rights_lab vulnerable|readonly|fixed\n");
        return 2;
    }
    zx_handle_t vmo, shared, mine, theirs, proc;
    if (zx_vmo_create(4096, 0, &vmo) != ZX_OK ||
        zx_object_set_property(vmo, ZX_PROP_NAME, "secret", 6) != ZX_OK ||
        zx_vmo_write(vmo, "hunter2", 0, 7) != ZX_OK ||
        zx_handle_duplicate(vmo, vulnerable ? ZX_RIGHT_SAME_RIGHTS : READ_ONLY, &shared) != ZX_OK ||
        zx_channel_create(0, &mine, &theirs) != ZX_OK ||
        zx_channel_write(mine, 0, "vmo", 3, &shared, 1) != ZX_OK)
        return 3;
    const char *child_argv[] = {"child", "child", NULL};
    capsim_spawn_handle_t handles[] = {{PA_HND(PA_USER0, 0), theirs}};
    uint32_t flags = fixed ? CAPSIM_SPAWN_SELF_HANDLES : CAPSIM_SPAWN_STANDARD;
    zx_status_t st = capsim_spawn(zx_job_default(), flags, NULL, child_argv, handles, 1, &proc);
    if (st != ZX_OK) {
        printf("parent: cannot start the child: %s\n", zx_status_get_string(st));
        return 4;
    }
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    char now[8] = {0};
    zx_vmo_read(vmo, now, 0, 7);
    printf("parent: the secret is now '%s'\n", now);
    return 0;
}
