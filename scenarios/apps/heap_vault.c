/* heap_vault.c — keeps a secret in its malloc heap and a PIN on its stack
 * and hands a helper a handle to itself.
 *
 * Scenario heap_peek. Puts "SECRET=hunter2" in a malloc'd block (its heap
 * is VMOs mapped into its own address space, as on Fuchsia) and "PIN=4711"
 * in a local (its stack is such a VMO too, "initial-thread"), then waits on
 * its channel (startup handle 0) for "ATTACH" and replies with a duplicate
 * of its own process handle. argv[1] "--attenuate": the duplicate keeps
 * only the basic rights and INSPECT (the helper may list its mappings, not
 * read them); otherwise it keeps every right, READ and WRITE included.
 * Waits for the helper to hang up, then returns 0.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/rights.h>

#include "actor.h"

int main(int argc, char **argv)
{
    zx_handle_t ch = actor_handle(0);
    char *secret = malloc(32);
    if (!secret)
        return 1;
    strcpy(secret, "SECRET=hunter2");
    char pin[16];
    strcpy(pin, "PIN=4711");
    printf("vault: my secret lives in my heap, my PIN on my stack\n");
    zx_rights_t rights = argc > 1 && !strcmp(argv[1], "--attenuate")
                             ? ZX_RIGHTS_BASIC | ZX_RIGHT_INSPECT
                             : ZX_RIGHT_SAME_RIGHTS;
    char msg[8];
    uint32_t n = 0;
    zx_status_t st = zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL);
    if (st == ZX_OK)
        st = zx_channel_read(ch, 0, msg, NULL, sizeof msg, 0, &n, NULL);
    zx_handle_t self = ZX_HANDLE_INVALID;
    if (st == ZX_OK)
        st = zx_handle_duplicate(zx_process_self(), rights, &self);
    if (st == ZX_OK)
        st = zx_channel_write(ch, 0, "OK", 2, &self, 1);
    printf("vault: handed out a handle to myself (rights %s): %s\n",
           rights == ZX_RIGHT_SAME_RIGHTS ? "all of mine" : "basic + inspect",
           actor_status(st));
    zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, NULL);
    __asm__ volatile("" ::"r"(pin) : "memory"); /* the PIN stays until here */
    free(secret);
    return st == ZX_OK ? 0 : 1;
}
