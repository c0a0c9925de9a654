/* launcher.c — the channel_flood scenario's entry point: wires a producer
 * to a collector that stalls, and an unrelated ping/pong pair, each actor
 * in a job of its own, then reports how each ended.
 *
 *   channel_flood.so [--variant=vulnerable|mitigated]
 *
 * vulnerable: the producer writes fire-and-forget (--window=0);
 * mitigated: it keeps at most FLOOD_WINDOW events unacknowledged. Returns 0,
 * or 2 if it could not set up. Read next: producer.c, collector.c.
 */
#include <capsim/app.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "attack_actor.h"
#include "flood.h"

/* Start `role` in a new job named after it, with `ch` as PA_USER0. */
static zx_handle_t flood_spawn(const char *role, const char *arg, zx_handle_t ch)
{
    const char *argv[] = {role, arg, NULL};
    return attack_spawn_in_own_job(argv, &ch, 1);
}

static void flood_report(const char *role, zx_handle_t proc)
{
    int64_t rc = attack_wait_retcode(proc);
    printf("launcher: %s ended with %lld%s\n", role, (long long)rc,
           rc == ZX_TASK_RETCODE_EXCEPTION_KILL ? " (killed by an exception)" : "");
}

static int flood_launch(bool mitigated)
{
    zx_handle_t c0, c1, p0, p1;
    if (zx_channel_create(0, &c0, &c1) != ZX_OK || zx_channel_create(0, &p0, &p1) != ZX_OK)
        return 2;
    char window[32];
    snprintf(window, sizeof window, "--window=%u", mitigated ? FLOOD_WINDOW : 0u);
    zx_handle_t collector = flood_spawn("collector", NULL, c0);
    zx_handle_t producer = flood_spawn("producer", window, c1);
    zx_handle_t ping = flood_spawn("ping", NULL, p0), pong = flood_spawn("pong", NULL, p1);
    if (!collector || !producer || !ping || !pong)
        return 2;
    flood_report("producer", producer);
    flood_report("collector", collector);
    flood_report("ping", ping);
    flood_report("pong", pong);
    return 0;
}

int main(int argc, char **argv)
{
    const char *role = attack_role(argc, argv);
    if (!strcmp(role, "collector"))
        return flood_collector_main(argc, argv);
    if (!strcmp(role, "producer"))
        return flood_producer_main(argc, argv);
    if (!strcmp(role, "ping"))
        return flood_ping_main(argc, argv);
    if (!strcmp(role, "pong"))
        return flood_pong_main(argc, argv);
    const char *variant = attack_arg(argc, argv, "--variant=", "vulnerable");
    if (strcmp(variant, "vulnerable") && strcmp(variant, "mitigated")) {
        fprintf(stderr, "channel_flood: unknown variant '%s' (expected vulnerable or mitigated)\n",
                variant);
        return 2;
    }
    return flood_launch(!strcmp(variant, "mitigated"));
}
