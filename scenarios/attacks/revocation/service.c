/* service.c — the revocation scenario's service: echoes every message it
 * reads back on the same channel (a channel_call's reply keeps the txid in
 * the first four bytes, so echoing answers the call). It serves until its
 * client side is gone, then prints how many calls it answered; returns 0.
 */
#include <stdio.h>
#include <zircon/processargs.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "revoke.h"

int revoke_service_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    int served = 0;
    for (;;) {
        char buf[256];
        uint32_t n = 0;
        zx_status_t s = zx_channel_read(ch, 0, buf, NULL, sizeof buf, 0, &n, NULL);
        if (s == ZX_ERR_SHOULD_WAIT) {
            zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                               ZX_TIME_INFINITE, NULL);
            continue;
        }
        if (s != ZX_OK)
            break;
        served += zx_channel_write(ch, 0, buf, n, NULL, 0) == ZX_OK;
    }
    printf("service: answered %d calls; my client side is gone\n", served);
    return 0;
}
