/* io_loop.h — the message loop every capsim server program runs: channels
 * registered with handlers, one port, dispatch in arrival order. Runs on a
 * simulated thread (app side: zx_* calls only). Flat C. See io_loop.c. */
#ifndef CAPSIM_SANDBOX_IO_LOOP_H
#define CAPSIM_SANDBOX_IO_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

typedef struct IoLoop IoLoop;
typedef struct IoEndpoint IoEndpoint;

/* One message read from an endpoint. A handler that keeps a handle sets its
 * slot to ZX_HANDLE_INVALID; the loop closes the rest afterwards. */
typedef struct IoMessage {
    uint8_t *bytes;
    uint32_t nbytes;
    zx_handle_t *handles;
    uint32_t nhandles;
} IoMessage;

typedef void (*IoMessageFn)(IoLoop *loop, IoEndpoint *ep, IoMessage *m);
/* The endpoint is going (peer closed or removed, or its process released
 * on the host: io_loop.c): release ep->ctx, with no syscall. */
typedef void (*IoCloseFn)(IoLoop *loop, IoEndpoint *ep);

struct IoEndpoint {
    uint64_t key;
    zx_handle_t channel;
    IoMessageFn on_message;
    IoCloseFn on_close;
    void *ctx;
    bool dead;               /* removed; freed after the current dispatch */
};

IoLoop *io_loop_new(void);
void io_loop_free(IoLoop *loop);
/* Takes `channel`. NULL (and the channel closed) on failure. */
IoEndpoint *io_loop_add(IoLoop *loop, zx_handle_t channel, IoMessageFn on_message,
                        IoCloseFn on_close, void *ctx);
/* Calls on_close, closes the channel; safe from inside a handler. */
void io_loop_remove(IoLoop *loop, IoEndpoint *ep);
size_t io_loop_count(const IoLoop *loop);
/* Every live endpoint, in slot order (engine side: reads only). */
void io_loop_visit(const IoLoop *loop, void (*fn)(IoEndpoint *ep, void *ctx), void *ctx);
/* Serve until no endpoint is left (or the port fails). */
void io_loop_run(IoLoop *loop);
/* Where handlers may keep per-loop data (the server that owns the loop). */
void io_loop_set_user(IoLoop *loop, void *user);
void *io_loop_user(const IoLoop *loop);

#endif
