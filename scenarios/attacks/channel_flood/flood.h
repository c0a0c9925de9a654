/* flood.h — the actors of the channel_flood scenario (one app,
 * channel_flood.so; the role is --role=NAME or the process name):
 *
 *   launcher.c   wires everything (what a scenario script may do itself);
 *   collector.c  a service that stalls: reads nothing until
 *                FLOOD_COLLECTOR_WAKES, then drains its channel, acking
 *                the events that ask for it;
 *   producer.c   streams FLOOD_EVENTS events to the collector, either
 *                fire-and-forget (--window=0) or with at most N
 *                unacknowledged (--window=N);
 *   bystander.c  ping and pong: an unrelated pair doing round trips on a
 *                channel of their own the whole time.
 *
 * Variants: vulnerable — the producer does not wait for its reader;
 * mitigated — it keeps a window of FLOOD_WINDOW unacknowledged events.
 * Startup handles: PA_HND(PA_USER0, 0) is each actor's channel endpoint.
 * Read next: producer.c.
 */
#ifndef CAPSIM_ATTACK_FLOOD_H
#define CAPSIM_ATTACK_FLOOD_H

#include <stdint.h>
#include <zircon/types.h>

/* Zircon's kMaxPendingMessageCount (model/channel.h CHANNEL_MAX_PENDING). */
#define FLOOD_LIMIT 3500u
#define FLOOD_EVENTS 4000u
#define FLOOD_WINDOW 64u
/* Absolute virtual time (ns since boot) the collector starts reading. */
#define FLOOD_COLLECTOR_WAKES ZX_MSEC(20)
#define FLOOD_PING_ROUNDS 100

/* One event on the wire. */
typedef struct FloodEvent {
    uint32_t seq;
    uint32_t want_ack;        /* 1: the collector answers with seq */
    char payload[8];
} FloodEvent;

int flood_collector_main(int argc, char **argv);
int flood_producer_main(int argc, char **argv);
int flood_ping_main(int argc, char **argv);
int flood_pong_main(int argc, char **argv);

#endif
