/* forger.c — handle_forgery, the attacker.
 *
 * What it models: a process that tries to use another process's handles by
 * guessing their values. It asks the vault (vault.c) for a session token,
 * which is the vault's own value for its channel end, then walks the
 * values next to it. In capsim a value is mixer ^ ((base << 2) | 3) with a
 * per-process secret mixer and base = (slot << 8 | generation) + 1, so the
 * values one process holds at generation 0 differ from each other only in
 * the slot bits: token ^ (d << 10) for d = 1, 2, 3... names the vault's
 * other slots. (The forger knows the kernel's layout, as real attackers
 * do; the per-process mixer keeps it from guessing values cold.)
 *
 * Each guess is tried with zx_object_get_info(ZX_INFO_HANDLE_BASIC); a
 * value that names something is duplicated into the forger's own table
 * (it keeps the stolen handles until it exits) and a VMO is read. A
 * correct kernel resolves a value only in the caller's own table: every
 * guess is ZX_ERR_BAD_HANDLE, and under a job policy of
 * ZX_POL_BAD_HANDLE = KILL the very first guess kills the forger.
 * With the owner-check fault switch on, the guesses resolve in the vault's
 * table: the forger steals the vault's job, process, VMAR, thread and
 * secret handles.
 *
 * Exit code: 1 if it read the vault's secret, 0 if not.
 * Read next: the scenario's scenario.py.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#define FORGER_GUESSES 64u

static const char *forger_type(zx_obj_type_t t)
{
    switch (t) {
    case ZX_OBJ_TYPE_PROCESS: return "process";
    case ZX_OBJ_TYPE_THREAD: return "thread";
    case ZX_OBJ_TYPE_VMO: return "vmo";
    case ZX_OBJ_TYPE_CHANNEL: return "channel";
    case ZX_OBJ_TYPE_JOB: return "job";
    case ZX_OBJ_TYPE_VMAR: return "vmar";
    default: return "object";
    }
}

/* One guess; 1 if it read a secret through it. A value that names a handle
 * is duplicated into the forger's own table ("stolen") when it can be. */
static int forger_try(uint32_t i, zx_handle_t guess, uint32_t *named)
{
    zx_info_handle_basic_t info;
    zx_status_t s = zx_object_get_info(guess, ZX_INFO_HANDLE_BASIC, &info, sizeof info,
                                       NULL, NULL);
    if (s != ZX_OK) {
        if (i < 3)
            printf("forger: guess %u -> %s\n", i, zx_status_get_string(s));
        return 0;
    }
    (*named)++;
    zx_handle_t stolen = ZX_HANDLE_INVALID;
    s = zx_handle_duplicate(guess, ZX_RIGHT_SAME_RIGHTS, &stolen);
    printf("forger: guess %u names a %s (koid %lu): %s\n", i, forger_type(info.type),
           (unsigned long)info.koid, s == ZX_OK ? "stole a handle to it" : zx_status_get_string(s));
    if (s != ZX_OK || info.type != ZX_OBJ_TYPE_VMO)
        return 0;
    char buf[64] = {0};
    if (zx_vmo_read(stolen, buf, 0, sizeof buf - 1) != ZX_OK)
        return 0;
    printf("forger: read through it: '%s'\n", buf);
    return 1;
}

int main(void)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    uint32_t token = 0, n = 0;
    if (zx_channel_write(ch, 0, "hello", 5, NULL, 0) != ZX_OK ||
        zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(ch, 0, &token, NULL, sizeof token, 0, &n, NULL) != ZX_OK ||
        n != sizeof token) {
        printf("forger: no session token\n");
        return 100;
    }
    printf("forger: the vault's session token is one of its handle values\n");
    uint32_t named = 0;
    int stole = 0;
    for (uint32_t i = 0; i < FORGER_GUESSES; i++)
        stole |= forger_try(i, (zx_handle_t)(token ^ (i << 10)), &named);
    printf("forger: %u of %u guesses named a handle; secret %s\n", named, FORGER_GUESSES,
           stole ? "STOLEN" : "safe");
    zx_handle_close(ch); /* the scenario's snapshot: what the forger holds now */
    return stole;
}
