/* app_syscalls.c — the process model seen from inside. argv[1]:
 *   badptr    syscalls given bad pointers and too-short buffers
 *   nothing   launched with no handles: every accessor is invalid
 *   stack     a thread started on a stack mapped from a VMO runs on it
 *   env       environment, stdio and raw write(1|2)
 *   spawnerr  capsim_spawn's errors (argv[2]: a file that is not an app)
 * Returns 0 when everything held, else the number of the failed check. */
#include <capsim/app.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#define CHECK(n, cond)                                                        \
    do {                                                                      \
        if (!(cond)) {                                                        \
            printf("check %d failed: %s\n", n, #cond);                        \
            return n;                                                         \
        }                                                                     \
    } while (0)

static int sys_badptr(void)
{
    zx_handle_t a, b;
    CHECK(1, zx_channel_create(0, &a, &b) == ZX_OK);
    CHECK(2, zx_channel_write(a, 0, (const void *)(uintptr_t)16, 8, NULL, 0) == ZX_ERR_INVALID_ARGS);
    CHECK(3, zx_channel_create(0, (zx_handle_t *)(uintptr_t)8, &b) == ZX_ERR_INVALID_ARGS);
    /* A buffer shorter than it claims: the last 8 bytes of a mapping. */
    zx_handle_t vmo;
    uintptr_t addr;
    CHECK(4, zx_vmo_create(4096, 0, &vmo) == ZX_OK);
    CHECK(5, zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                         4096, &addr) == ZX_OK);
    CHECK(6, zx_channel_write(a, 0, (const void *)(addr + 4096 - 8), 64, NULL, 0) == ZX_ERR_INVALID_ARGS);
    char name[ZX_MAX_NAME_LEN];
    CHECK(7, zx_object_get_property(zx_process_self(), ZX_PROP_NAME, (void *)(addr + 4096 - 8),
                                    sizeof name) == ZX_ERR_INVALID_ARGS);
    CHECK(8, zx_object_get_property(zx_process_self(), ZX_PROP_NAME, name, sizeof name) == ZX_OK);
    CHECK(9, zx_channel_write(a, 0, "ok", 2, NULL, 0) == ZX_OK);
    printf("bad pointers refused\n");
    return 0;
}

static int sys_nothing(void)
{
    CHECK(1, zx_process_self() == ZX_HANDLE_INVALID);
    CHECK(2, zx_thread_self() == ZX_HANDLE_INVALID);
    CHECK(3, zx_vmar_root_self() == ZX_HANDLE_INVALID);
    CHECK(4, zx_job_default() == ZX_HANDLE_INVALID);
    CHECK(5, zx_take_startup_handle(PA_HND(PA_PROC_SELF, 0)) == ZX_HANDLE_INVALID);
    zx_handle_t j;
    CHECK(6, zx_job_create(zx_job_default(), 0, &j) == ZX_ERR_BAD_HANDLE);
    zx_info_handle_count_t n;
    CHECK(7, zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_COUNT, &n, sizeof n, NULL,
                                NULL) == ZX_ERR_BAD_HANDLE);
    printf("has nothing\n");
    return 0;
}

static volatile uintptr_t sys_stack_seen;

static void sys_stack_thread(uintptr_t base, uintptr_t arg2)
{
    volatile int local = 0;
    sys_stack_seen = (uintptr_t)&local;
    (void)base, (void)arg2;
    zx_thread_exit();
}

static int sys_stack(void)
{
    zx_handle_t vmo, th;
    uintptr_t base;
    size_t size = 64 * 1024;
    CHECK(1, zx_vmo_create(size, 0, &vmo) == ZX_OK);
    CHECK(2, zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                         size, &base) == ZX_OK);
    CHECK(3, zx_thread_create(zx_process_self(), "on-vmo", 6, 0, &th) == ZX_OK);
    CHECK(4, zx_thread_start(th, (uintptr_t)sys_stack_thread, base + size, base, 0) == ZX_OK);
    CHECK(5, zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL) == ZX_OK);
    CHECK(6, sys_stack_seen >= base && sys_stack_seen < base + size);
    /* A stack nobody mapped is refused. */
    zx_handle_t th2;
    CHECK(7, zx_thread_create(zx_process_self(), "nowhere", 7, 0, &th2) == ZX_OK);
    CHECK(8, zx_thread_start(th2, (uintptr_t)sys_stack_thread, 4096 * 16, 0, 0) == ZX_ERR_INVALID_ARGS);
    printf("ran on its own stack\n");
    return 0;
}

static int sys_env(void)
{
    const char *g = getenv("GREETING");
    CHECK(1, g && !strcmp(g, "hello"));
    CHECK(2, getenv("HOME") == NULL); /* nothing of the host's */
    /* Edits of the environment it was launched with: the process's end
     * frees neither this string of its own nor anything twice. */
    static char replaced[] = "GREETING=replaced";
    CHECK(3, putenv(replaced) == 0 && getenv("GREETING") == replaced + 9);
    CHECK(4, !strcmp(g, "hello")); /* the launch block's string, untouched */
    CHECK(5, setenv("MINE", "1", 1) == 0 && !strcmp(getenv("MINE"), "1"));
    zx_nanosleep(zx_deadline_after(ZX_USEC(10))); /* let others run */
    CHECK(6, getenv("MINE") && !strcmp(getenv("MINE"), "1"));
    CHECK(7, unsetenv("MINE") == 0 && getenv("MINE") == NULL);
    CHECK(8, setenv("MINE", "2", 0) == 0 && !strcmp(getenv("MINE"), "2"));
    printf("out %s\n", g);
    fprintf(stderr, "err %s\n", g);
    CHECK(9, write(1, "raw\n", 4) == 4);
    volatile uintptr_t bad = 16;
    CHECK(10, write(1, (const void *)bad, 4) == -1);
    char c;
    CHECK(11, read(0, &c, 1) == 0 && getchar() == EOF);
    return 0;
}

static int sys_spawnerr(const char *not_an_app)
{
    zx_handle_t a, b, weak, p;
    CHECK(1, zx_channel_create(0, &a, &b) == ZX_OK);
    capsim_spawn_handle_t h = {PA_HND(PA_USER0, 0), b};
    CHECK(2, capsim_spawn(0x12345, CAPSIM_SPAWN_STANDARD, NULL, NULL, &h, 1, NULL) == ZX_ERR_BAD_HANDLE);
    CHECK(3, zx_handle_close(b) == ZX_ERR_BAD_HANDLE); /* consumed anyway */
    CHECK(4, capsim_spawn(zx_job_default(), 0, NULL, (const char *const *)(uintptr_t)16, NULL, 0,
                          NULL) == ZX_ERR_INVALID_ARGS);
    CHECK(5, capsim_spawn(zx_job_default(), 0x100, NULL, NULL, NULL, 0, NULL) == ZX_ERR_INVALID_ARGS);
    CHECK(6, capsim_spawn(zx_process_self(), 0, NULL, NULL, NULL, 0, NULL) == ZX_ERR_WRONG_TYPE);
    CHECK(7, zx_handle_duplicate(zx_job_default(), ZX_RIGHT_INSPECT, &weak) == ZX_OK);
    CHECK(8, capsim_spawn(weak, 0, NULL, NULL, NULL, 0, NULL) == ZX_ERR_ACCESS_DENIED);
    CHECK(9, capsim_spawn(zx_job_default(), 0, "/nonexistent/app.so", NULL, NULL, 0, NULL) ==
                 ZX_ERR_NOT_FOUND);
    CHECK(10, capsim_spawn(zx_job_default(), 0, not_an_app, NULL, NULL, 0, NULL) ==
                  ZX_ERR_NOT_SUPPORTED);
    CHECK(11, capsim_spawn(zx_job_default(), 0, NULL, NULL, NULL, 0, (zx_handle_t *)(uintptr_t)8) ==
                  ZX_ERR_INVALID_ARGS);
    /* And one that works: a copy of itself with nothing at all. */
    const char *av[] = {"bare-child", "nothing", NULL};
    zx_info_process_t info;
    CHECK(12, capsim_spawn(zx_job_default(), 0, NULL, av, NULL, 0, &p) == ZX_OK);
    CHECK(13, zx_object_wait_one(p, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL) == ZX_OK);
    CHECK(14, zx_object_get_info(p, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL) == ZX_OK);
    CHECK(15, info.return_code == 0);
    printf("spawn errors as documented\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "badptr"))
        return sys_badptr();
    if (!strcmp(what, "nothing"))
        return sys_nothing();
    if (!strcmp(what, "stack"))
        return sys_stack();
    if (!strcmp(what, "env"))
        return sys_env();
    if (!strcmp(what, "spawnerr"))
        return sys_spawnerr(argc > 2 ? argv[2] : "");
    return 100;
}
