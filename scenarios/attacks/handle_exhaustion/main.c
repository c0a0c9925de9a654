/* main.c — handle_exhaustion.so's entry point: picks the role (see
 * exhaust.h) from --role=NAME or the process name. There is no launcher:
 * the arena size and the hog's quota are host settings, so run the
 * scenario (`capsim scenario run handle_exhaustion`) or see
 * tests/attacks/test_handle_exhaustion.c for how the host wires it. A
 * process with no known role says so on stderr and returns 2.
 * Read next: hog.c, bystander.c.
 */
#include <stdio.h>
#include <string.h>

#include "attack_actor.h"
#include "exhaust.h"

int main(int argc, char **argv)
{
    const char *role = attack_role(argc, argv);
    if (!strcmp(role, "hog"))
        return exhaust_hog_main(argc, argv);
    if (!strcmp(role, "bystander"))
        return exhaust_bystander_main(argc, argv);
    fprintf(stderr, "handle_exhaustion: no role '%s' (expected --role=hog or "
                    "--role=bystander; the scenario script wires them)\n", role);
    return 2;
}
