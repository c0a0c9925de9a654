/* patch.h — the actors of the memory_patch scenario (one app,
 * memory_patch.so; the process name picks the role):
 *
 *   launcher.c  a careless launcher: starts the victim, then sends the
 *               attacker (a "watchdog") the victim's process handle over
 *               a channel: all rights in the vulnerable variant,
 *               WAIT|INSPECT|TRANSFER in the mitigated one;
 *   victim.c    a door service that keeps its session (whose role decides
 *               what it may do) in a local on its stack and serves three
 *               requests, the first at once, then a millisecond apart;
 *   attacker.c  finds the session in the victim's stack with
 *               zx_process_read_memory and sets its role to ADMIN with
 *               zx_process_write_memory, as a debugger would.
 *
 * Read the narration in scenario.py / docs/scenarios/memory_patch.md
 * first, then launcher.c.
 */
#ifndef CAPSIM_ATTACK_PATCH_H
#define CAPSIM_ATTACK_PATCH_H

#include <stdint.h>
#include <zircon/types.h>

/* What the victim unlocks for an ADMIN session. */
#define PATCH_SECRET "vault combination 31-7-12"
/* The session's first bytes: how the attacker recognises it in memory
 * (never printed, so no output holds it). */
#define PATCH_TAG "sess:v1"
#define PATCH_ROLE_GUEST 1u
#define PATCH_ROLE_ADMIN 7u
/* The victim serves this many requests, the first at once, then this far
 * apart (virtual ns). */
#define PATCH_REQUESTS 3
#define PATCH_REQUEST_GAP ZX_MSEC(1)

/* The victim's session, a local of its main: the attacker's target. */
struct patch_session {
    char tag[8];
    uint32_t uid;
    volatile uint32_t role;
};

int patch_victim_main(int argc, char **argv);
int patch_attacker_main(int argc, char **argv);

#endif
