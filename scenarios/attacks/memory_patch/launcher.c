/* launcher.c — the memory_patch scenario's entry point and its careless
 * launcher.
 *
 * What it models: a parent that starts a service and a watchdog meant to
 * notice when the service dies. It starts the victim (the door service) in
 * a job of its own ("services"), starts the attacker (the watchdog) in a
 * job "sandbox" with one end of a channel, and sends on its end a "WATCH"
 * message carrying a duplicate of its handle to the victim's process. The
 * bug: in the vulnerable variant the duplicate keeps ZX_RIGHT_SAME_RIGHTS,
 * so the watchdog gets READ and WRITE on the victim's memory, what a
 * debugger has. The fix (mitigated variant): ZX_RIGHT_WAIT |
 * ZX_RIGHT_INSPECT (plus TRANSFER, to send it), enough to wait for the
 * victim's end and list its mappings.
 *
 *   memory_patch.so [--variant=vulnerable|mitigated]   the launcher
 *   victim / attacker                                  (spawned roles)
 *
 * The role is --role=NAME if given, else the process name (argv[0]'s base
 * name), else the launcher's. The launcher prints what it handed over and
 * how each actor ended, and returns 0, or 2 if it could not set up.
 * Read next: victim.c, attacker.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "attack_actor.h"
#include "patch.h"

static int launcher_main(bool mitigated)
{
    zx_handle_t services = attack_job("services"), sandbox = attack_job("sandbox");
    zx_handle_t victim, attacker, mine, theirs, given;
    const char *vargv[] = {"victim", NULL}, *aargv[] = {"attacker", NULL};
    if (!services || !sandbox || attack_spawn(services, vargv, NULL, 0, &victim) != ZX_OK ||
        zx_channel_create(0, &mine, &theirs) != ZX_OK ||
        attack_spawn(sandbox, aargv, &theirs, 1, &attacker) != ZX_OK)
        return 2;
    /* THE BUG (vulnerable) and THE FIX (mitigated): which rights the
     * watchdog's copy of the victim's process handle keeps. */
    zx_rights_t rights = mitigated ? ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT | ZX_RIGHT_TRANSFER
                                   : ZX_RIGHT_SAME_RIGHTS;
    if (zx_handle_duplicate(victim, rights, &given) != ZX_OK ||
        zx_channel_write(mine, 0, "WATCH", 5, &given, 1) != ZX_OK)
        return 2;
    printf("launcher: sent the watchdog the victim's process handle with %s\n",
           mitigated ? "WAIT|INSPECT (and TRANSFER, to send it) only"
                     : "the same rights as mine (READ and WRITE among them)");
    int64_t arc = attack_wait_retcode(attacker);
    int64_t vrc = attack_wait_retcode(victim);
    printf("launcher: the victim served %lld request(s) as ADMIN; the watchdog ended with %lld\n",
           (long long)vrc, (long long)arc);
    return 0;
}

int main(int argc, char **argv)
{
    const char *role = attack_role(argc, argv);
    if (!strcmp(role, "victim"))
        return patch_victim_main(argc, argv);
    if (!strcmp(role, "attacker"))
        return patch_attacker_main(argc, argv);
    int mitigated = attack_mitigated(argc, argv, "memory_patch");
    return mitigated < 0 ? 2 : launcher_main(mitigated);
}
