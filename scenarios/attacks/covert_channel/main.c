/* main.c — covert_channel.so's entry point and the protocol's options
 * (see covert.h). There is no launcher: the two actors must not share a
 * job or a handle (that is the point), so the host starts each one, and
 * the CPU partition is a host setting too; see the scenario script or
 * tests/attacks/test_covert_channel.c. A slot shorter than four work units
 * is raised to four (a shorter one could not be measured). A process with
 * no known role says so on stderr and returns 2. Read next: sender.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covert.h"

void covert_proto(int argc, char **argv, CovertProto *p)
{
    const char *start = attack_arg(argc, argv, "--start-us=", NULL);
    const char *slot = attack_arg(argc, argv, "--slot-us=", NULL);
    p->start = (start ? strtoll(start, NULL, 10) : 1000) * 1000;
    p->slot = (slot ? strtoll(slot, NULL, 10) : 1000) * 1000;
    if (p->slot < COVERT_UNIT * 4)
        p->slot = COVERT_UNIT * 4;
}

int main(int argc, char **argv)
{
    const char *role = attack_role(argc, argv);
    if (!strcmp(role, "sender"))
        return covert_sender_main(argc, argv);
    if (!strcmp(role, "receiver"))
        return covert_receiver_main(argc, argv);
    fprintf(stderr, "covert_channel: no role '%s' (expected --role=sender or "
                    "--role=receiver; the scenario script starts both)\n", role);
    return 2;
}
