/* hijack.h — the actors of the exception_hijack scenario (one app,
 * exception_hijack.so; the process name picks the role):
 *
 *   launcher.c  a buggy launcher: starts the victim, then hands the
 *               attacker a handle to the victim's process (all rights in
 *               the vulnerable variant, WAIT|INSPECT in the mitigated one);
 *   victim.c    holds a secret VMO and crashes on bad input;
 *   attacker.c  binds the victim's debugger exception channel, waits for
 *               the crash, rewrites the faulting thread's registers and
 *               resumes it inside its own payload.
 *
 * Read the README-style narration in scenario.py / docs/scenarios/
 * exception_hijack.md first, then launcher.c.
 */
#ifndef CAPSIM_ATTACK_HIJACK_H
#define CAPSIM_ATTACK_HIJACK_H

#include <zircon/types.h>

/* The secret the victim holds and the payload steals. */
#define HIJACK_SECRET "launch-code 0451"
/* The victim's return code when the payload ran in it. */
#define HIJACK_PWNED_CODE 66
/* The victim's "input parsing" delay before it crashes (virtual ns). */
#define HIJACK_VICTIM_DELAY ZX_MSEC(1)

int hijack_victim_main(int argc, char **argv);
int hijack_attacker_main(int argc, char **argv);

#endif
