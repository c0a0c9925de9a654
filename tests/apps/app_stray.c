/* app_stray.c — a stray pointer between processes. The owner maps a VMO,
 * puts a secret in it and sends the raw address of it to a reader (another
 * copy of this app) over a channel; the reader dereferences it. Without
 * strict memory mode the reader gets the secret (all processes share the
 * host's address space); with `capsim run --strict-memory` its read is a
 * page fault and it is killed with ZX_TASK_RETCODE_EXCEPTION_KILL, as on a
 * real machine. The owner reports how the reader ended and returns 0.
 *   stray            owner, the secret in a VMO it maps
 *   stray heap       owner, the secret in a block of its malloc heap
 *   stray reader     (started by the owner) */
#include <capsim/app.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

static int stray_reader(void)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    uintptr_t addr = 0;
    uint32_t nb = 0;
    if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(ch, 0, &addr, NULL, sizeof addr, 0, &nb, NULL) != ZX_OK)
        return 2;
    const char *secret = (const char *)addr; /* the owner's mapping, not ours */
    printf("reader: read '%s' through a stray pointer\n", secret);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "reader"))
        return stray_reader();
    zx_handle_t vmo, mine, theirs, proc;
    zx_vaddr_t addr = 0;
    if (zx_vmo_create(4096, 0, &vmo) != ZX_OK ||
        zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                    4096, &addr) != ZX_OK ||
        zx_channel_create(0, &mine, &theirs) != ZX_OK)
        return 1;
    if (argc > 1 && !strcmp(argv[1], "heap") && !(addr = (zx_vaddr_t)malloc(16)))
        return 1;
    strcpy((char *)addr, "hunter2");
    const char *args[] = {"stray", "reader", NULL};
    capsim_spawn_handle_t h = {PA_HND(PA_USER0, 0), theirs};
    if (capsim_spawn(zx_job_default(), CAPSIM_SPAWN_STANDARD, NULL, args, &h, 1, &proc) != ZX_OK)
        return 1;
    zx_channel_write(mine, 0, &addr, sizeof addr, NULL, 0);
    zx_info_process_t info;
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL);
    printf("owner: the reader ended with return code %lld%s\n", (long long)info.return_code,
           info.return_code == ZX_TASK_RETCODE_EXCEPTION_KILL ? " (exception kill)" : "");
    return 0;
}
