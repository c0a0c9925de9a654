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

#include "flood.h"

/* Start `role` in a new job named after it, with `ch` as PA_USER0. */
static zx_handle_t flood_spawn(const char *role, const char *arg, zx_handle_t ch)
{
    zx_handle_t job, proc;
    const char *argv[] = {role, arg, NULL};
    capsim_spawn_handle_t h = {PA_HND(PA_USER0, 0), ch};
    if (zx_job_create(zx_job_default(), 0, &job) != ZX_OK)
        return ZX_HANDLE_INVALID;
    zx_object_set_property(job, ZX_PROP_NAME, role, strlen(role));
    if (capsim_spawn(job, CAPSIM_SPAWN_STANDARD, NULL, argv, &h, 1, &proc) != ZX_OK)
        return ZX_HANDLE_INVALID;
    return proc;
}

static void flood_report(const char *role, zx_handle_t proc)
{
    zx_info_process_t info = {0};
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_object_get_info(proc, ZX_INFO_PROCESS, &info, sizeof info, NULL, NULL);
    printf("launcher: %s ended with %lld%s\n", role, (long long)info.return_code,
           info.return_code == ZX_TASK_RETCODE_EXCEPTION_KILL ? " (killed by an exception)" : "");
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

static const char *flood_arg(int argc, char **argv, const char *key, const char *dflt)
{
    size_t n = strlen(key);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, n))
            return argv[i] + n;
    return dflt;
}

int main(int argc, char **argv)
{
    const char *base = argc > 0 && strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1
                                                          : (argc > 0 ? argv[0] : "");
    const char *role = flood_arg(argc, argv, "--role=", base);
    if (!strcmp(role, "collector"))
        return flood_collector_main(argc, argv);
    if (!strcmp(role, "producer"))
        return flood_producer_main(argc, argv);
    if (!strcmp(role, "ping"))
        return flood_ping_main(argc, argv);
    if (!strcmp(role, "pong"))
        return flood_pong_main(argc, argv);
    const char *variant = flood_arg(argc, argv, "--variant=", "vulnerable");
    if (strcmp(variant, "vulnerable") && strcmp(variant, "mitigated")) {
        fprintf(stderr, "channel_flood: unknown variant '%s' (expected vulnerable or mitigated)\n",
                variant);
        return 2;
    }
    return flood_launch(!strcmp(variant, "mitigated"));
}
