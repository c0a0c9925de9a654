/* caretaker.c — the revocation scenario's caretaker (Redell's revocable
 * forwarder): sits between the client's channel (PA_USER0 0) and the
 * service's (PA_USER0 1) and copies every message — bytes and handles —
 * from one to the other. The client holds only the caretaker's front end,
 * so whoever can kill the caretaker (its owner) can cut the client off:
 * when the caretaker dies the kernel closes both its ends, the client's
 * calls fail with ZX_ERR_PEER_CLOSED and the service sees its client gone.
 * It stops by itself when either side goes away. Returns 0.
 */
#include <stdbool.h>
#include <stdio.h>
#include <zircon/processargs.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "revoke.h"

/* Move one message from `from` to `to`; false when `from` is done. */
static bool caretaker_forward(zx_handle_t from, zx_handle_t to, int *count)
{
    static char bytes[ZX_CHANNEL_MAX_MSG_BYTES]; /* one thread: no race */
    zx_handle_t handles[ZX_CHANNEL_MAX_MSG_HANDLES];
    uint32_t nb = 0, nh = 0;
    zx_status_t s = zx_channel_read(from, 0, bytes, handles, sizeof bytes,
                                    ZX_CHANNEL_MAX_MSG_HANDLES, &nb, &nh);
    if (s == ZX_ERR_SHOULD_WAIT)
        return true;
    if (s != ZX_OK)
        return false;
    (*count)++;
    return zx_channel_write(to, 0, bytes, nb, handles, nh) == ZX_OK;
}

int revoke_caretaker_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t front = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t back = zx_take_startup_handle(PA_HND(PA_USER0, 1));
    int up = 0, down = 0;
    for (;;) {
        zx_wait_item_t items[2] = {
            {front, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0},
            {back, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0},
        };
        if (zx_object_wait_many(items, 2, ZX_TIME_INFINITE) != ZX_OK)
            break;
        if (items[0].pending && !caretaker_forward(front, back, &up))
            break;
        if (items[1].pending && !caretaker_forward(back, front, &down))
            break;
    }
    printf("caretaker: forwarded %d requests and %d replies; one side is gone\n", up, down);
    return 0;
}
