/* io_server.h — the server side of capsim's directory/file protocol
 * (<lib/fdio/io.h>) over a vnode tree. Runs inside a server program on a
 * simulated thread. Flat C. See io_server.c. */
#ifndef CAPSIM_SANDBOX_IO_SERVER_H
#define CAPSIM_SANDBOX_IO_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "io_loop.h"
#include "vnode.h"

/* What a server needs from the simulator around it: the kernel's
 * accept_dotdot fault switch (read at every Open; NULL = off) and a way to
 * record that the fault fired (a KTR_FAULT_INJECTED record). */
typedef struct IoServerConfig {
    const char *name;
    const char *path;        /* where the system mounts what it serves ("/data"):
                                names its nodes in the capability graph */
    const bool *accept_dotdot;
    void (*on_fault)(void *ctx, const char *what);
    void *fault_ctx;
} IoServerConfig;

typedef struct IoServer {
    IoLoop *loop;
    IoServerConfig cfg;
    uint64_t opens, dotdots;  /* counters for tests and reports */
    struct IoServer *next;   /* the next server of the same process */
} IoServer;

IoServer *io_server_new(IoLoop *loop, const IoServerConfig *cfg);
void io_server_free(IoServer *s);
/* Serve `node` on `channel` (taken) with fuchsia.io `flags`: the rights
 * bits become the connection's rights; DESCRIBE sends OnOpen first. */
void io_server_serve(IoServer *s, Vnode *node, zx_handle_t channel, uint32_t flags);
/* Open `path` relative to `dir` as a connection with `rights` would: the
 * Directory.Open handler, usable by servers for their own requests. */
void io_server_open(IoServer *s, Vnode *dir, uint32_t rights, uint32_t flags,
                    uint32_t mode, const char *path, size_t len,
                    zx_handle_t request);
/* One open connection: the node it speaks for, its fuchsia.io rights and
 * flags, and the server's end of its channel (a handle value). */
typedef void (*IoConnVisitFn)(void *ctx, Vnode *node, uint32_t rights, uint32_t flags,
                              zx_handle_t channel);
/* The connections of s in its loop's slot order (engine side: reads only). */
void io_server_visit(IoServer *s, IoConnVisitFn fn, void *ctx);
/* The first server the process with runtime block `rt` made (NULL if
 * none); servers made on a simulated thread join that list. */
IoServer *io_server_first(const void *rt);

/* Answer an Open that failed: OnOpen(status) when DESCRIBE, then close. */
void io_server_fail(zx_handle_t request, uint32_t flags, zx_status_t status);
/* Send OnOpen(status, tag) on a new connection. */
void io_server_on_open(zx_handle_t channel, zx_status_t status, uint32_t tag);

#endif
