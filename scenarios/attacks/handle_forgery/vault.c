/* vault.c — handle_forgery, the victim.
 *
 * What it models: a service that keeps a secret in a VMO it never shares,
 * and that hands each client a "session token" which is, for convenience,
 * the value of its own handle to that client's channel. Servers that key
 * their tables by handle value and echo the value back are common; in
 * Zircon this leak is harmless, because a handle value is a name in ONE
 * process's table and means nothing in another (the kernel checks the
 * owner on every lookup). The attacker (forger.c) uses the leaked value as
 * a starting point to guess the vault's other handle values.
 *
 * Protocol on its startup channel (PA_HND(PA_USER0, 0)): any message is
 * answered with 4 bytes, the token; the vault stops when the client hangs
 * up and prints whether its secret is still only its own (it cannot tell:
 * it prints what it holds, the graph shows who else used it).
 * Read next: forger.c.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#define VAULT_SECRET "the vault's secret: hunter2"

int main(void)
{
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t secret;
    zx_status_t s = zx_vmo_create(4096, 0, &secret);
    if (s == ZX_OK)
        s = zx_object_set_property(secret, ZX_PROP_NAME, "vault-secret", 12);
    if (s == ZX_OK)
        s = zx_vmo_write(secret, VAULT_SECRET, 0, sizeof VAULT_SECRET);
    if (s != ZX_OK) {
        printf("vault: cannot store the secret: %s\n", zx_status_get_string(s));
        return 2;
    }
    printf("vault: secret stored in a VMO nobody else holds\n");
    for (;;) {
        zx_signals_t seen = 0;
        zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                           ZX_TIME_INFINITE, &seen);
        char buf[64];
        uint32_t n = 0;
        if (zx_channel_read(ch, 0, buf, NULL, sizeof buf, 0, &n, NULL) != ZX_OK)
            break; /* peer closed and nothing left */
        uint32_t token = ch; /* the leak: a handle value as a session id */
        zx_channel_write(ch, 0, &token, sizeof token, NULL, 0);
        printf("vault: gave a client its session token\n");
    }
    printf("vault: client gone; closing\n");
    return 0;
}
