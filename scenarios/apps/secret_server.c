/* secret_server.c — a server that hands out its secret VMO.
 *
 * Scenario leaky_vmo (scenarios/library/leaky_vmo.py). The server creates a
 * VMO named "secret" holding "hunter2" and answers one request on its
 * channel (startup handle 0) with a duplicate of that VMO. Vulnerable
 * (default): the duplicate keeps ZX_RIGHT_SAME_RIGHTS, so the client can
 * write the server's secret. Mitigated (argv[1] == "--attenuate"): the
 * duplicate carries only the basic rights plus READ, MAP and GET_PROPERTY.
 * When the client hangs up, the server checks its secret and returns 0 if
 * intact, 1 if it was overwritten.
 */
#include <string.h>
#include <zircon/status.h>

#include "actor.h"

#define SECRET "hunter2"

static zx_status_t serve_one(zx_handle_t ch, zx_handle_t vmo, int attenuate)
{
    char req[16];
    uint32_t n = 0, nh = 0;
    zx_status_t st = zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                        ZX_TIME_INFINITE, NULL);
    if (st == ZX_OK)
        st = zx_channel_read(ch, 0, req, NULL, sizeof req, 0, &n, &nh);
    if (st != ZX_OK)
        return st;
    zx_rights_t rights = attenuate ? (ZX_RIGHTS_BASIC | ZX_RIGHT_READ | ZX_RIGHT_MAP |
                                      ZX_RIGHT_GET_PROPERTY)
                                   : ZX_RIGHT_SAME_RIGHTS;
    zx_handle_t dup;
    if ((st = zx_handle_duplicate(vmo, rights, &dup)) != ZX_OK)
        return st;
    st = zx_channel_write(ch, 0, "here", 4, &dup, 1);
    printf("server: sent the secret VMO with %s\n",
           attenuate ? "read-only rights" : "all of its own rights");
    return st;
}

int main(int argc, char **argv)
{
    int attenuate = argc > 1 && strcmp(argv[1], "--attenuate") == 0;
    zx_handle_t ch = actor_handle(0), vmo;
    zx_status_t st = zx_vmo_create(4096, 0, &vmo);
    if (st == ZX_OK)
        st = zx_object_set_property(vmo, ZX_PROP_NAME, "secret", 6);
    if (st == ZX_OK)
        st = zx_vmo_write(vmo, SECRET, 0, sizeof SECRET);
    if (st == ZX_OK)
        st = serve_one(ch, vmo, attenuate);
    if (st != ZX_OK) {
        printf("server: failed: %s\n", actor_status(st));
        return 2;
    }
    zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, NULL);
    char now[sizeof SECRET] = {0};
    zx_vmo_read(vmo, now, 0, sizeof now - 1);
    if (strcmp(now, SECRET) == 0) {
        printf("server: secret intact\n");
        return 0;
    }
    printf("server: secret overwritten with \"%s\"\n", now);
    return 1;
}
