/* socket.h — sockets: a pair of connected byte pipes (stream or datagram).
 * See socket.c for the states and invariants. Syscalls in sys_socket.c;
 * ZX_INFO_SOCKET and the threshold properties use the accessors below. */
#ifndef CAPSIM_MODEL_SOCKET_H
#define CAPSIM_MODEL_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <zircon/syscalls/object.h>

#include "object.h"

/* Zircon's receive buffer: 128 mbufs of 2008 payload bytes each. */
#define SOCKET_BUF_MAX ((size_t)128u * 2008u)

typedef enum SocketDisposition {
    SOCKET_DISP_NONE = 0,
    SOCKET_DISP_WRITE_DISABLED,
    SOCKET_DISP_WRITE_ENABLED
} SocketDisposition;

extern const KObjectOps socket_ops;

/* options: ZX_SOCKET_STREAM or ZX_SOCKET_DATAGRAM (validated by the caller
 * with socket_options_valid). Both ends start with refcount 1. */
bool socket_options_valid(uint32_t options);
zx_status_t socket_create(Kernel *k, uint32_t options, KObject **out0,
                          KObject **out1);

/* Writing from `o` into its peer's receive buffer, in two steps so the
 * syscall can copy app memory in between with no side effects:
 * socket_write_check says how many of `len` bytes will be accepted (> 0)
 * or the error; socket_write_commit appends exactly that many. */
zx_status_t socket_write_check(KObject *o, size_t len, size_t *accept);
void socket_write_commit(KObject *o, const void *data, size_t n);

/* Reading `o`'s receive buffer: socket_read_peek copies up to `len` bytes
 * (one datagram at most) into `dst` and says how many; socket_read_consume
 * then removes them (a datagram entirely, even if truncated). */
zx_status_t socket_read_peek(KObject *o, void *dst, size_t len, size_t *n);
void socket_read_consume(KObject *o, size_t n);

/* Disposition parsing (ZX_SOCKET_DISPOSITION_*); false on a bad value. */
bool socket_disposition_parse(uint32_t value, SocketDisposition *out);
zx_status_t socket_set_disposition(KObject *o, SocketDisposition self,
                                   SocketDisposition peer);

/* ZX_INFO_SOCKET. */
void socket_info(KObject *o, zx_info_socket_t *info);
/* ZX_PROP_SOCKET_RX_THRESHOLD (tx = false) / TX_THRESHOLD (tx = true).
 * set: value above the buffer size -> ZX_ERR_INVALID_ARGS; TX with the
 * peer gone -> ZX_ERR_PEER_CLOSED. */
size_t socket_get_threshold(KObject *o, bool tx);
zx_status_t socket_set_threshold(KObject *o, bool tx, size_t value);

#endif
