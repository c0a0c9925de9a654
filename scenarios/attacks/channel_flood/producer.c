/* producer.c — the channel_flood scenario's writer: streams FLOOD_EVENTS
 * (4000) events to the collector.
 *
 * --window=0 (vulnerable): fire-and-forget, as an event or log stream
 * without flow control does. While the collector stalls, events pile up in
 * its endpoint's queue; write 3501 leaves more than Zircon's limit (3500)
 * unread: the kernel queues it, then raises ZX_EXCP_POLICY_ERROR with synth
 * code ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE on the writer's thread.
 * Nobody handles it, so the producer is killed
 * (ZX_TASK_RETCODE_EXCEPTION_KILL): the documented outcome for a writer
 * past the limit. The kernel's memory is safe; the producer is not.
 * --window=N (mitigated): at most N events unacknowledged (each asks for an
 * ack); with the window full it waits for an ack instead of writing — it
 * waits out the stall and finishes. Returns 0 when all events went out.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "flood.h"

/* Wait for one ack; false if the collector is gone. */
static bool producer_take_ack(zx_handle_t ch)
{
    uint32_t seq;
    if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                           ZX_TIME_INFINITE, NULL) != ZX_OK)
        return false;
    return zx_channel_read(ch, 0, &seq, NULL, sizeof seq, 0, NULL, NULL) == ZX_OK;
}

static unsigned producer_window(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--window=", 9))
            return (unsigned)strtoul(argv[i] + 9, NULL, 10);
    return 0;
}

int flood_producer_main(int argc, char **argv)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    unsigned window = producer_window(argc, argv), in_flight = 0, most = 0;
    printf("producer: streaming %u events, %s\n", FLOOD_EVENTS,
           window ? "waiting for acks when the window is full" : "fire-and-forget");
    for (uint32_t seq = 0; seq < FLOOD_EVENTS; seq++) {
        if (window && in_flight == window) {
            if (!producer_take_ack(ch))
                break;
            in_flight--;
        }
        FloodEvent ev = {seq, window != 0, "event"};
        if (seq == FLOOD_LIMIT)
            printf("producer: %u events unread at the collector; writing event %u\n",
                   in_flight ? in_flight : seq, seq + 1);
        zx_status_t s = zx_channel_write(ch, 0, &ev, sizeof ev, NULL, 0);
        if (s != ZX_OK) {
            printf("producer: write %u failed: %s\n", seq + 1, zx_status_get_string(s));
            return 1;
        }
        if (window && ++in_flight > most)
            most = in_flight;
    }
    printf("producer: all %u events sent (at most %u unacknowledged)\n", FLOOD_EVENTS, most);
    return 0;
}
