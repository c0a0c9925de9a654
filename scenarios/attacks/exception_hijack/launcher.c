/* launcher.c — the exception_hijack scenario's entry point and its buggy
 * launcher.
 *
 * What it models: a parent that starts two programs and wires them up. It
 * starts the victim in a job of its own ("victims") with a secret VMO as
 * PA_USER0, then starts the attacker in a sandbox job and gives it a
 * handle to the victim's process so that it can watch it. The bug: in the
 * vulnerable variant it duplicates that handle with ZX_RIGHT_SAME_RIGHTS,
 * so the watcher gets everything the launcher had — MANAGE_THREAD and
 * ENUMERATE among them, which is what binding a debugger exception channel
 * takes. The fix (mitigated variant): duplicate it with ZX_RIGHT_WAIT |
 * ZX_RIGHT_INSPECT (plus TRANSFER, without which it cannot be handed
 * over), enough to wait for the victim's end and read its info.
 *
 *   exception_hijack.so [--variant=vulnerable|mitigated]   the launcher
 *   victim / attacker                                      (spawned roles)
 *
 * The role is --role=NAME if given, else the process name (argv[0]'s base
 * name), else the launcher's. The launcher prints
 * how each actor ended and returns 0, or 2 if it could not set up.
 * Read next: victim.c, attacker.c.
 */
#include <capsim/app.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "attack_actor.h"
#include "hijack.h"

static zx_handle_t launcher_secret(void)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    if (zx_vmo_create(4096, 0, &vmo) != ZX_OK ||
        zx_vmo_write(vmo, HIJACK_SECRET, 0, sizeof HIJACK_SECRET) != ZX_OK)
        return ZX_HANDLE_INVALID;
    return vmo;
}

static zx_status_t launcher_spawn(zx_handle_t job, const char *role, zx_handle_t give,
                                  zx_handle_t *proc)
{
    const char *argv[] = {role, NULL};
    return attack_spawn(job, argv, &give, 1, proc);
}

static int launcher_main(bool mitigated)
{
    zx_handle_t victims = attack_job("victims"), sandbox = attack_job("sandbox");
    zx_handle_t secret = launcher_secret(), victim, attacker, given;
    if (!victims || !sandbox || !secret ||
        launcher_spawn(victims, "victim", secret, &victim) != ZX_OK)
        return 2;
    /* THE BUG (vulnerable) and THE FIX (mitigated): which rights the
     * watcher's copy of the victim's process handle keeps. */
    zx_rights_t rights = mitigated ? ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT | ZX_RIGHT_TRANSFER
                                   : ZX_RIGHT_SAME_RIGHTS;
    if (zx_handle_duplicate(victim, rights, &given) != ZX_OK ||
        launcher_spawn(sandbox, "attacker", given, &attacker) != ZX_OK)
        return 2;
    printf("launcher: gave the attacker the victim's process handle with %s\n",
           mitigated ? "WAIT|INSPECT (and TRANSFER, to hand it over) only"
                     : "the same rights as mine (all of them)");
    int64_t arc = attack_wait_retcode(attacker);
    int64_t vrc = attack_wait_retcode(victim);
    printf("launcher: victim ended with %lld%s, attacker with %lld\n", (long long)vrc,
           vrc == HIJACK_PWNED_CODE ? " (the payload's code: hijacked)" : "",
           (long long)arc);
    return 0;
}

int main(int argc, char **argv)
{
    const char *role = attack_role(argc, argv);
    if (!strcmp(role, "victim"))
        return hijack_victim_main(argc, argv);
    if (!strcmp(role, "attacker"))
        return hijack_attacker_main(argc, argv);
    int mitigated = attack_mitigated(argc, argv, "exception_hijack");
    return mitigated < 0 ? 2 : launcher_main(mitigated);
}
