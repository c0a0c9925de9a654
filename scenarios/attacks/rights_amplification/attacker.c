/* attacker.c — rights_amplification, the attacker.
 *
 * What it models: a process holding weak handles (a READ-only view of the
 * owner's configuration VMO, a monitor-only handle to the owner's job; see
 * owner.c) that asks the kernel for stronger ones, four ways:
 *   1. zx_handle_duplicate(view, READ|WRITE|MAP)           -> WRITE?
 *   2. zx_handle_replace(copy of view, READ|WRITE|MAP)     -> WRITE?
 *   3. zx_vmo_replace_as_executable(copy, no VMEX resource) -> EXECUTE?
 *      (its job denies ZX_POL_AMBIENT_MARK_VMO_EXEC, as a sandbox's does)
 *   4. zx_object_get_child(monitor, owner koid, default process rights)
 *                                                          -> DESTROY?
 * A correct kernel refuses each (ZX_ERR_INVALID_ARGS for 1 and 2, with 2
 * consuming its source anyway; ZX_ERR_ACCESS_DENIED for 3 and 4): rights
 * only ever shrink. With the rights-subset fault switch on, each succeeds
 * and the attacker writes the owner's config, maps it executable and kills
 * the owner.
 *
 * Exit code: a bit per right gained (1 WRITE by duplicate, 2 WRITE by
 * replace, 4 EXECUTE, 8 DESTROY): 15 against the broken kernel, 0 against
 * a correct one. Each attempt prints one line with its status.
 * Read next: the scenario's scenario.py.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "actor.h"

enum {
    GAINED_WRITE_DUP = 1,
    GAINED_WRITE_REPLACE = 2,
    GAINED_EXECUTE = 4,
    GAINED_DESTROY = 8,
};

#define ATTACKER_WANT_RW (ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_MAP)

static zx_rights_t attacker_rights(zx_handle_t h)
{
    zx_info_handle_basic_t info;
    if (zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL) != ZX_OK)
        return 0;
    return info.rights;
}

static void attacker_say(const char *call, zx_status_t s, zx_handle_t got)
{
    char names[256];
    if (s == ZX_OK)
        printf("attacker: %s -> ZX_OK, rights now %s\n", call,
               actor_rights(attacker_rights(got), names, sizeof names));
    else
        printf("attacker: %s -> %s\n", call, zx_status_get_string(s));
}

static int attacker_duplicate(zx_handle_t view)
{
    zx_handle_t w;
    zx_status_t s = zx_handle_duplicate(view, ATTACKER_WANT_RW, &w);
    attacker_say("duplicate(read-only view, READ|WRITE|MAP)", s, w);
    if (s != ZX_OK)
        return 0;
    const char evil[] = "mode=pwned";
    if (zx_vmo_write(w, evil, 0, sizeof evil) != ZX_OK)
        return 0;
    printf("attacker: wrote '%s' into the owner's config\n", evil);
    return GAINED_WRITE_DUP;
}

static int attacker_replace(zx_handle_t view)
{
    zx_handle_t copy, w;
    if (zx_handle_duplicate(view, ZX_RIGHT_SAME_RIGHTS, &copy) != ZX_OK)
        return 0;
    zx_status_t s = zx_handle_replace(copy, ATTACKER_WANT_RW, &w);
    attacker_say("replace(copy of view, READ|WRITE|MAP)", s, w);
    return s == ZX_OK && (attacker_rights(w) & ZX_RIGHT_WRITE) ? GAINED_WRITE_REPLACE : 0;
}

static int attacker_executable(zx_handle_t view)
{
    zx_handle_t copy, x;
    if (zx_handle_duplicate(view, ZX_RIGHT_SAME_RIGHTS, &copy) != ZX_OK)
        return 0;
    zx_status_t s = zx_vmo_replace_as_executable(copy, ZX_HANDLE_INVALID, &x);
    attacker_say("vmo_replace_as_executable(copy, no VMEX)", s, x);
    if (s != ZX_OK)
        return 0;
    zx_vaddr_t addr = 0;
    s = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, x, 0,
                    4096, &addr);
    printf("attacker: map it READ|EXECUTE -> %s\n", zx_status_get_string(s));
    return s == ZX_OK ? GAINED_EXECUTE : 0;
}

static int attacker_get_child(zx_handle_t monitor)
{
    zx_koid_t koids[8];
    size_t n = 0, avail = 0;
    zx_status_t s = zx_object_get_info(monitor, ZX_INFO_JOB_PROCESSES, koids, sizeof koids,
                                       &n, &avail);
    if (s != ZX_OK || n == 0) {
        printf("attacker: cannot list the owner's job: %s\n", zx_status_get_string(s));
        return 0;
    }
    zx_handle_t proc;
    s = zx_object_get_child(monitor, koids[0], ZX_DEFAULT_PROCESS_RIGHTS, &proc);
    attacker_say("get_child(monitor, owner, default process rights)", s, proc);
    if (s != ZX_OK)
        return 0;
    s = zx_task_kill(proc);
    printf("attacker: task_kill(owner) -> %s\n", zx_status_get_string(s));
    return s == ZX_OK ? GAINED_DESTROY : 0;
}

int main(void)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t got[2];
    char buf[16];
    uint32_t n = 0, nh = 0;
    if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(ch, 0, buf, got, sizeof buf, 2, &n, &nh) != ZX_OK || nh != 2) {
        printf("attacker: the owner shared nothing\n");
        return 100;
    }
    char view[256], monitor[256];
    printf("attacker: got a config view (rights %s) and a job monitor (rights %s)\n",
           actor_rights(attacker_rights(got[0]), view, sizeof view),
           actor_rights(attacker_rights(got[1]), monitor, sizeof monitor));
    int gained = attacker_duplicate(got[0]);
    gained |= attacker_replace(got[0]);
    gained |= attacker_executable(got[0]);
    zx_channel_write(ch, 0, "done", 4, NULL, 0);
    zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, NULL);
    zx_channel_read(ch, 0, buf, NULL, sizeof buf, 0, &n, NULL);
    gained |= attacker_get_child(got[1]);
    printf("attacker: gained%s%s%s%s\n", gained ? "" : " nothing",
           gained & (GAINED_WRITE_DUP | GAINED_WRITE_REPLACE) ? " WRITE" : "",
           gained & GAINED_EXECUTE ? " EXECUTE" : "", gained & GAINED_DESTROY ? " DESTROY" : "");
    return gained;
}
