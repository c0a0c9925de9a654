/* fifo.h — FIFOs: a pair of bounded queues of fixed-size elements.
 * See fifo.c for the states and invariants; syscalls in sys_fifo.c. */
#ifndef CAPSIM_MODEL_FIFO_H
#define CAPSIM_MODEL_FIFO_H

#include <stddef.h>

#include "object.h"

extern const KObjectOps fifo_ops;

/* Size rules of zx_fifo_create: ZX_OK or ZX_ERR_OUT_OF_RANGE. */
zx_status_t fifo_check_sizes(size_t elem_count, size_t elem_size);
/* Both ends start with refcount 1; sizes must have passed the check. */
zx_status_t fifo_create(Kernel *k, size_t elem_count, size_t elem_size,
                        KObject **out0, KObject **out1);

/* Writing from `o` into its peer's queue, in two steps so app memory can be
 * copied in between: fifo_write_check says how many of `count` elements
 * will be accepted (>= 1) or the error; fifo_write_commit appends them. */
zx_status_t fifo_write_check(KObject *o, size_t elem_size, size_t count,
                             size_t *accept);
void fifo_write_commit(KObject *o, const void *data, size_t n);

/* Reading `o`'s queue: fifo_read_peek copies up to `count` elements into
 * dst (which holds count * elem_size bytes) and says how many;
 * fifo_read_consume then removes that many. */
zx_status_t fifo_read_peek(KObject *o, size_t elem_size, size_t count,
                           void *dst, size_t *n);
void fifo_read_consume(KObject *o, size_t n);

size_t fifo_elem_size(KObject *o);

#endif
