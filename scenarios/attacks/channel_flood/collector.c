/* collector.c — the channel_flood scenario's service, which stalls: it
 * reads nothing until FLOOD_COLLECTOR_WAKES (busy, blocked on something
 * else, or malicious — the producer cannot tell), then drains its channel,
 * answering each event that asks for an ack with the event's seq, until
 * the producer's end is gone.
 *
 * Stalling is the whole attack: Zircon lets at most 3500 messages pile up
 * unread on one endpoint, and the writer that goes past that is killed. A
 * server that stops reading therefore kills every client that writes to it
 * without flow control (see producer.c). Returns 0.
 * Read next: producer.c.
 */
#include <stdio.h>
#include <zircon/processargs.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "flood.h"

int flood_collector_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    printf("collector: stalled; not reading until %lld ms\n",
           (long long)(FLOOD_COLLECTOR_WAKES / ZX_MSEC(1)));
    zx_nanosleep(FLOOD_COLLECTOR_WAKES);
    unsigned events = 0, acks = 0;
    for (;;) {
        FloodEvent ev;
        zx_status_t s = zx_channel_read(ch, 0, &ev, NULL, sizeof ev, 0, NULL, NULL);
        if (s == ZX_ERR_SHOULD_WAIT) {
            if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                   ZX_TIME_INFINITE, NULL) != ZX_OK)
                break;
            continue;
        }
        if (s != ZX_OK)
            break; /* ZX_ERR_PEER_CLOSED: drained and the producer is gone */
        events++;
        if (ev.want_ack && zx_channel_write(ch, 0, &ev.seq, sizeof ev.seq, NULL, 0) == ZX_OK)
            acks++;
    }
    printf("collector: received %u events, sent %u acks; the producer is gone\n", events, acks);
    return 0;
}
