/* bystander.c — the channel_flood scenario's unrelated processes: ping
 * and pong, each holding one end of a channel of their own, do
 * FLOOD_PING_ROUNDS round trips, one every 200 µs, across the whole time
 * the flood lasts. A channel's limit is per endpoint: nothing the producer
 * does touches their queue. Each returns 0 when every round trip worked.
 */
#include <stdio.h>
#include <zircon/processargs.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "flood.h"

static zx_status_t bystander_recv(zx_handle_t ch, uint32_t *v)
{
    zx_signals_t seen;
    zx_status_t s = zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                       ZX_TIME_INFINITE, &seen);
    if (s != ZX_OK)
        return s;
    return zx_channel_read(ch, 0, v, NULL, sizeof *v, 0, NULL, NULL);
}

int flood_ping_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    int ok = 0;
    for (uint32_t i = 0; i < FLOOD_PING_ROUNDS; i++) {
        uint32_t back = 0;
        if (zx_channel_write(ch, 0, &i, sizeof i, NULL, 0) == ZX_OK &&
            bystander_recv(ch, &back) == ZX_OK && back == i + 1)
            ok++;
        zx_nanosleep(zx_deadline_after(ZX_USEC(200)));
    }
    printf("ping: %d/%d round trips with pong worked\n", ok, FLOOD_PING_ROUNDS);
    return ok == FLOOD_PING_ROUNDS ? 0 : 1;
}

int flood_pong_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    int n = 0;
    uint32_t v;
    while (bystander_recv(ch, &v) == ZX_OK) {
        v++;
        if (zx_channel_write(ch, 0, &v, sizeof v, NULL, 0) == ZX_OK)
            n++;
    }
    printf("pong: answered %d pings\n", n);
    return n == FLOOD_PING_ROUNDS ? 0 : 1;
}
