/* client.c — the revocation scenario's client: one zx_channel_call to the
 * service per REVOKE_PERIOD, REVOKE_CALLS times, whatever happens. It
 * prints the first call and every change of outcome (answered, or the
 * error), then how many calls were answered after the owner's revocation
 * time REVOKE_AT, and returns that number (0 when the revocation worked).
 */
#include <stdio.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "revoke.h"

static zx_status_t client_call(zx_handle_t ch, int i)
{
    char req[32], reply[32];
    memset(req, 0, sizeof req);
    snprintf(req + 4, sizeof req - 4, "ping %d", i);
    zx_channel_call_args_t args = {
        .wr_bytes = req, .wr_num_bytes = sizeof req,
        .rd_bytes = reply, .rd_num_bytes = sizeof reply,
    };
    uint32_t nb = 0, nh = 0;
    return zx_channel_call(ch, 0, zx_deadline_after(ZX_MSEC(5)), &args, &nb, &nh);
}

int revoke_client_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    int after = 0, answered = 0;
    zx_status_t last = 1; /* no outcome yet */
    for (int i = 1; i <= REVOKE_CALLS; i++) {
        zx_nanosleep((zx_time_t)i * REVOKE_PERIOD);
        zx_status_t s = client_call(ch, i);
        if (s != last)
            printf("client: call %d at %d ms: %s\n", i, i,
                   s == ZX_OK ? "answered" : zx_status_get_string(s));
        last = s;
        answered += s == ZX_OK;
        after += s == ZX_OK && (zx_time_t)i * REVOKE_PERIOD > REVOKE_AT;
    }
    printf("client: %d of %d calls answered, %d of them after the owner revoked my access\n",
           answered, REVOKE_CALLS, after);
    return after;
}
