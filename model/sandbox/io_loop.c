/* io_loop.c — the event loop of capsim's server programs.
 *
 * What it models: the async dispatcher a Fuchsia server runs. Every
 * channel the program serves is an endpoint with a message handler; one
 * port collects ZX_CHANNEL_READABLE / PEER_CLOSED through
 * zx_object_wait_async (re-armed after each wake), and the loop reads and
 * dispatches messages in the order the port delivers them. It runs on the
 * server's simulated thread and uses only zx_* calls.
 *
 * Invariants: an endpoint's key is (generation << 32 | slot + 1), so a
 * stale packet for a reused slot is ignored; endpoints are only freed
 * between dispatches (a handler may remove its own endpoint); handles in a
 * message the handler did not take are closed after it returns.
 *
 * Left out: multiple threads, timers (servers here never need to wake
 * without a message). Read next: io_server.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>

#include "io_loop.h"
#include "sdk/runtime.h"

struct IoLoop {
    zx_handle_t port;
    IoEndpoint **slots;
    uint32_t *gens;
    size_t nslots, live, ndead;
    uint8_t *buf;            /* one message: ZX_CHANNEL_MAX_MSG_BYTES */
    zx_handle_t handles[ZX_CHANNEL_MAX_MSG_HANDLES];
    void *user;
};

/* The loop's host memory, when its process is released (see io_loop_new):
 * the kernel has closed its handles already; each endpoint's on_close
 * releases its context (io_server's connections and the nodes they hold). */
static void io_loop_discard(void *loop)
{
    IoLoop *l = loop;
    for (size_t i = 0; i < l->nslots; i++) {
        IoEndpoint *ep = l->slots[i];
        if (ep && ep->on_close)
            ep->on_close(l, ep);
        free(ep);
    }
    free(l->slots);
    free(l->gens);
    free(l->buf);
    free(l);
}

IoLoop *io_loop_new(void)
{
    IoLoop *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->buf = malloc(ZX_CHANNEL_MAX_MSG_BYTES);
    if (!l->buf || zx_port_create(0, &l->port) != ZX_OK) {
        free(l->buf);
        free(l);
        return NULL;
    }
    /* Servers loop until their process is killed: the loop goes with it. */
    capsim_process_on_release(io_loop_discard, l);
    return l;
}

void io_loop_free(IoLoop *l)
{
    if (!l)
        return;
    capsim_process_forget_release(io_loop_discard, l);
    for (size_t i = 0; i < l->nslots; i++)
        if (l->slots[i])
            io_loop_remove(l, l->slots[i]);
    for (size_t i = 0; i < l->nslots; i++)
        free(l->slots[i]);
    zx_handle_close(l->port);
    free(l->slots);
    free(l->gens);
    free(l->buf);
    free(l);
}

void io_loop_set_user(IoLoop *l, void *user)
{
    l->user = user;
}

void *io_loop_user(const IoLoop *l)
{
    return l->user;
}

size_t io_loop_count(const IoLoop *l)
{
    return l->live;
}

static bool io_loop_arm(IoLoop *l, IoEndpoint *ep)
{
    return zx_object_wait_async(ep->channel, l->port, ep->key,
                                ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                0) == ZX_OK;
}

static size_t io_loop_free_slot(IoLoop *l)
{
    for (size_t i = 0; i < l->nslots; i++)
        if (!l->slots[i])
            return i;
    size_t n = l->nslots ? l->nslots * 2 : 8;
    IoEndpoint **s = realloc(l->slots, n * sizeof *s);
    if (!s)
        return SIZE_MAX;
    l->slots = s;
    uint32_t *g = realloc(l->gens, n * sizeof *g);
    if (!g)
        return SIZE_MAX;
    l->gens = g;
    for (size_t i = l->nslots; i < n; i++) {
        l->slots[i] = NULL;
        l->gens[i] = 0;
    }
    size_t first = l->nslots;
    l->nslots = n;
    return first;
}

IoEndpoint *io_loop_add(IoLoop *l, zx_handle_t channel, IoMessageFn on_message,
                        IoCloseFn on_close, void *ctx)
{
    size_t slot = io_loop_free_slot(l);
    IoEndpoint *ep = slot == SIZE_MAX ? NULL : calloc(1, sizeof *ep);
    if (!ep) {
        zx_handle_close(channel);
        return NULL;
    }
    l->gens[slot]++;
    ep->key = ((uint64_t)l->gens[slot] << 32) | (uint64_t)(slot + 1);
    ep->channel = channel;
    ep->on_message = on_message;
    ep->on_close = on_close;
    ep->ctx = ctx;
    l->slots[slot] = ep;
    l->live++;
    if (!io_loop_arm(l, ep)) {
        io_loop_remove(l, ep);
        return NULL;
    }
    return ep;
}

void io_loop_visit(const IoLoop *l, void (*fn)(IoEndpoint *ep, void *ctx), void *ctx)
{
    for (size_t i = 0; i < l->nslots; i++)
        if (l->slots[i] && !l->slots[i]->dead)
            fn(l->slots[i], ctx);
}

void io_loop_remove(IoLoop *l, IoEndpoint *ep)
{
    if (ep->dead)
        return;
    ep->dead = true;
    l->live--;
    l->ndead++;
    if (ep->on_close)
        ep->on_close(l, ep);
    zx_handle_close(ep->channel);
    ep->channel = ZX_HANDLE_INVALID;
}

static IoEndpoint *io_loop_find(IoLoop *l, uint64_t key)
{
    size_t slot = (size_t)(key & 0xffffffffu);
    if (slot == 0 || slot > l->nslots)
        return NULL;
    IoEndpoint *ep = l->slots[slot - 1];
    return ep && ep->key == key && !ep->dead ? ep : NULL;
}

static void io_loop_reap(IoLoop *l, IoEndpoint *ep)
{
    size_t slot = (size_t)(ep->key & 0xffffffffu) - 1;
    l->slots[slot] = NULL;
    free(ep);
}

/* Read and dispatch everything queued on ep; false when it is gone. */
static bool io_loop_drain(IoLoop *l, IoEndpoint *ep)
{
    for (;;) {
        uint32_t nb = 0, nh = 0;
        zx_status_t s = zx_channel_read(ep->channel, 0, l->buf, l->handles,
                                        ZX_CHANNEL_MAX_MSG_BYTES,
                                        ZX_CHANNEL_MAX_MSG_HANDLES, &nb, &nh);
        if (s == ZX_ERR_SHOULD_WAIT)
            return true;
        if (s != ZX_OK) {
            io_loop_remove(l, ep);
            return false;
        }
        IoMessage m = {l->buf, nb, l->handles, nh};
        ep->on_message(l, ep, &m);
        for (uint32_t i = 0; i < nh; i++)
            if (l->handles[i] != ZX_HANDLE_INVALID)
                zx_handle_close(l->handles[i]);
        if (ep->dead)
            return false;
    }
}

void io_loop_run(IoLoop *l)
{
    while (l->live > 0) {
        zx_port_packet_t pkt;
        if (zx_port_wait(l->port, ZX_TIME_INFINITE, &pkt) != ZX_OK)
            return;
        IoEndpoint *ep = io_loop_find(l, pkt.key);
        if (!ep)
            continue;
        if (io_loop_drain(l, ep) && !io_loop_arm(l, ep))
            io_loop_remove(l, ep);
        for (size_t i = 0; l->ndead && i < l->nslots; i++)
            if (l->slots[i] && l->slots[i]->dead) {
                io_loop_reap(l, l->slots[i]);
                l->ndead--;
            }
    }
}
