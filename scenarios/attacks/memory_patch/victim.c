/* victim.c — the memory_patch scenario's victim: a door service whose
 * session decides what it may do.
 *
 * Its session (struct patch_session: a tag, the user id, the role) is a
 * local of its main, so it lies on its first thread's stack, the
 * "initial-thread" mapping of its address space. It serves
 * PATCH_REQUESTS requests, the first at once, then one a millisecond,
 * reading the role afresh for each one: a guest's request leaves the vault locked, an ADMIN's
 * unlocks it and prints PATCH_SECRET. Nothing in the victim changes the
 * role: only someone writing its memory can. It returns the number of
 * requests it served as ADMIN.
 * Read next: attacker.c.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "patch.h"

int patch_victim_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct patch_session session = {.uid = 1000, .role = PATCH_ROLE_GUEST};
    memcpy(session.tag, PATCH_TAG, sizeof session.tag);
    /* The session's address escapes: it stays in memory, as a real
     * program's state would. */
    __asm__ volatile("" ::"r"(&session) : "memory");
    printf("door: serving user %u as a guest\n", (unsigned)session.uid);
    int admin = 0;
    for (int i = 1; i <= PATCH_REQUESTS; i++) {
        if (i > 1)
            zx_nanosleep(zx_deadline_after(PATCH_REQUEST_GAP));
        uint32_t role = session.role;
        if (role == PATCH_ROLE_ADMIN) {
            printf("door: request %d: role ADMIN: unlocking the vault: \"%s\"\n", i,
                   PATCH_SECRET);
            admin++;
        } else {
            printf("door: request %d: role %u (guest): the vault stays locked\n", i,
                   (unsigned)role);
        }
    }
    __asm__ volatile("" ::"r"(&session) : "memory"); /* the session lives until here */
    return admin;
}
