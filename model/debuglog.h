/* debuglog.h — the kernel-wide debug log and the debuglog objects that
 * write to it and read from it. See debuglog.c; syscalls in
 * sys_debuglog.c. */
#ifndef CAPSIM_MODEL_DEBUGLOG_H
#define CAPSIM_MODEL_DEBUGLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <zircon/syscalls/log.h>

#include "object.h"

/* Bytes of records the kernel-wide log retains (Zircon's DLOG_SIZE); each
 * record costs its 32-byte header plus its text, rounded up to 4. */
#define DLOG_BUFFER_BYTES ((size_t)128u * 1024u)

extern const KObjectOps debuglog_ops;

/* A debuglog object; `readable` ones get a read cursor positioned at the
 * oldest record still retained. */
zx_status_t debuglog_create(Kernel *k, bool readable, KObject **out);
/* kernel_free: the buffer and its records (no debuglog object is left). */
void debuglog_free_buffer(Kernel *k);

/* Append a record to the kernel-wide log (text truncated to
 * ZX_LOG_RECORD_DATA_MAX). Usable by any kernel code, e.g. zx_debug_write. */
void debuglog_append(Kernel *k, uint8_t severity, uint8_t flags,
                     const void *data, size_t len, zx_koid_t pid,
                     zx_koid_t tid);

/* The next unread record of a readable log, copied whole (header + text,
 * at most ZX_LOG_RECORD_MAX bytes) to dst; its size in *n. ZX_ERR_SHOULD_WAIT
 * when nothing is unread. debuglog_read_consume then moves the cursor. */
zx_status_t debuglog_read_peek(KObject *o, void *dst, size_t *n);
void debuglog_read_consume(KObject *o);

/* Records appended so far (the next sequence number), for tests/tools. */
uint64_t debuglog_total(Kernel *k);

#endif
