/* app_family.c — a family of processes: the parent starts K children from
 * another copy of itself (capsim_spawn) and one more with zx_process_create
 * + zx_process_start on a function of its own copy. Each child reports over
 * a channel; the parent waits for all and returns the sum of their return
 * codes. Globals show who shares what: spawned children have their own
 * copy (their global starts at 0), the zx_process_start child runs in the
 * parent's copy (its change is visible to the parent).
 *   family [K]            parent (default K = 3)
 *   family child I        (started by the parent) */
#include <capsim/app.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

static int family_global;

static int family_child(int i)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    family_global += 100 + i;
    char msg[64];
    int n = snprintf(msg, sizeof msg, "child %d global %d", i, family_global);
    capsim_charge((i + 1) * 2000);
    if (zx_channel_write(ch, 0, msg, (uint32_t)n, NULL, 0) != ZX_OK)
        return 99;
    printf("%s\n", msg);
    return i;
}

static void family_shared_entry(uintptr_t ch, uintptr_t unused)
{
    (void)unused;
    family_global += 1000;
    const char m[] = "shared child";
    zx_channel_write((zx_handle_t)ch, 0, m, sizeof m - 1, NULL, 0);
    printf("shared child sees global %d\n", family_global);
    zx_process_exit(50);
}

static int family_read(zx_handle_t end)
{
    char buf[128];
    uint32_t n = 0;
    if (zx_object_wait_one(end, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(end, 0, buf, NULL, sizeof buf - 1, 0, &n, NULL) != ZX_OK)
        return -1;
    buf[n] = '\0';
    printf("parent got: %s\n", buf);
    return 0;
}

static int64_t family_wait(zx_handle_t proc)
{
    zx_info_process_t info;
    if (zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL) != ZX_OK)
        return -1000;
    return info.return_code;
}

static zx_handle_t family_start_shared(zx_handle_t *mine)
{
    zx_handle_t p, vmar, th, theirs;
    if (zx_process_create(zx_job_default(), "shared-child", 12, 0, &p, &vmar) != ZX_OK ||
        zx_thread_create(p, "main", 4, 0, &th) != ZX_OK ||
        zx_channel_create(0, mine, &theirs) != ZX_OK ||
        zx_process_start(p, th, (uintptr_t)family_shared_entry, 0, theirs, 0) != ZX_OK)
        return ZX_HANDLE_INVALID;
    return p;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "child"))
        return family_child(atoi(argv[2]));
    int k = argc > 1 ? atoi(argv[1]) : 3;
    if (k < 1 || k > 8)
        return 98;
    family_global = 1;
    zx_handle_t procs[8], ends[8];
    for (int i = 0; i < k; i++) {
        zx_handle_t theirs;
        char arg[8];
        snprintf(arg, sizeof arg, "%d", i);
        const char *av[] = {"family-child", "child", arg, NULL};
        capsim_spawn_handle_t h = {PA_HND(PA_USER0, 0), ZX_HANDLE_INVALID};
        if (zx_channel_create(0, &ends[i], &theirs) != ZX_OK)
            return 97;
        h.handle = theirs;
        zx_status_t st = capsim_spawn(zx_job_default(), CAPSIM_SPAWN_STANDARD, NULL, av, &h, 1,
                                      &procs[i]);
        if (st != ZX_OK) {
            printf("spawn failed: %d\n", st);
            return 96;
        }
    }
    zx_handle_t shared_end;
    zx_handle_t shared = family_start_shared(&shared_end);
    if (shared == ZX_HANDLE_INVALID)
        return 95;
    int64_t sum = 0;
    for (int i = 0; i < k; i++)
        if (family_read(ends[i]) != 0)
            return 94;
    if (family_read(shared_end) != 0)
        return 93;
    for (int i = 0; i < k; i++)
        sum += family_wait(procs[i]);
    sum += family_wait(shared);
    printf("parent global %d, sum %lld\n", family_global, (long long)sum);
    return (int)sum;
}
