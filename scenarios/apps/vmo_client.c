/* vmo_client.c — asks a server for its VMO, reads it, tries to write it.
 *
 * Scenario leaky_vmo. Sends "GET" on its channel (startup handle 0), takes
 * the VMO handle from the reply, prints the rights it got (by name, as
 * graphs show them: READ|WRITE|...), reads the secret, then tries to
 * overwrite it and prints the status. Returns 0 when the protocol worked
 * (whatever the write did), 2 otherwise.
 */
#include <zircon/status.h>
#include <zircon/syscalls/object.h>

#include "actor.h"

int main(void)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    char secret[16] = {0};
    zx_status_t st = actor_ask_for_handle(actor_handle(0), "GET", &vmo);
    if (st != ZX_OK) {
        printf("client: no VMO from the server: %s\n", actor_status(st));
        return 2;
    }
    zx_info_handle_basic_t info;
    zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL);
    char rights[256];
    printf("client: got a VMO with rights %s\n", actor_rights(info.rights, rights, sizeof rights));
    st = zx_vmo_read(vmo, secret, 0, sizeof secret - 1);
    printf("client: read the secret: %s\n", st == ZX_OK ? secret : actor_status(st));
    st = zx_vmo_write(vmo, "pwned!", 0, 7);
    printf("client: overwrite the secret: %s\n", actor_status(st));
    return 0;
}
