/* debuglog.c — the kernel-wide debug log (one DlogBuffer per Kernel, made on
 * first use and hung off Kernel.dlog) and debuglog objects.
 *
 * The buffer is a ring of records, oldest first, numbered by a 64-bit
 * sequence (reported as Zircon's wrapping uint32). It keeps at most
 * DLOG_BUFFER_BYTES of records; appending past that drops the oldest, and a
 * reader that had not read them skips ahead (the gap in sequence numbers
 * tells it so). Timestamps are virtual time; pid/tid are the writer's koids.
 *
 * A debuglog object is write-only or readable. A readable one has a cursor
 * (the next sequence it will read), starting at the oldest retained record,
 * and is on the buffer's reader list (creation = koid order) so appends can
 * raise its READABLE signal:
 *
 *   readable log:  caught up (READABLE clear) <--append / read--> behind (READABLE)
 *
 * Invariants (debuglog_check): retained bytes <= DLOG_BUFFER_BYTES; a log is
 * on the reader list iff readable; READABLE iff readable and its cursor is
 * before the next sequence number.
 *
 * Left out: severities other than INFO from userspace (as in Zircon), the
 * console echo, and persistence across kernels. Read next: sys_debuglog.c.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "debuglog.h"
#include "kernel.h"

typedef struct KDebugLog KDebugLog;

typedef struct DlogBuffer {
    zx_log_record_t **ring;  /* record i has sequence first_seq + i */
    size_t cap, start, count;
    uint64_t first_seq;
    size_t bytes;
    KDebugLog *readers_head, *readers_tail;
} DlogBuffer;

struct KDebugLog {
    KObject base;
    DlogBuffer *buf;
    bool readable;
    uint64_t cursor;         /* next sequence to read (readable logs) */
    KDebugLog *rprev, *rnext;
};

static size_t dlog_cost(const zx_log_record_t *r)
{
    return (sizeof *r + r->datalen + 3u) & ~(size_t)3u;
}

static DlogBuffer *dlog_buffer(Kernel *k)
{
    if (!k->dlog)
        k->dlog = g_new0(DlogBuffer, 1);
    return k->dlog;
}

void debuglog_free_buffer(Kernel *k)
{
    DlogBuffer *b = k->dlog;
    if (!b)
        return;
    for (size_t i = 0; i < b->count; i++)
        g_free(b->ring[(b->start + i) % b->cap]);
    g_free(b->ring);
    g_free(b);
    k->dlog = NULL;
}

static zx_log_record_t *dlog_at(const DlogBuffer *b, size_t i)
{
    return b->ring[(b->start + i) % b->cap];
}

static void dlog_drop_oldest(DlogBuffer *b)
{
    zx_log_record_t *r = dlog_at(b, 0);
    b->bytes -= dlog_cost(r);
    g_free(r);
    b->start = (b->start + 1) % b->cap;
    b->count--;
    b->first_seq++;
}

static void dlog_push(DlogBuffer *b, zx_log_record_t *r)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        zx_log_record_t **ring = g_new(zx_log_record_t *, cap);
        for (size_t i = 0; i < b->count; i++)
            ring[i] = dlog_at(b, i);
        g_free(b->ring);
        b->ring = ring;
        b->cap = cap;
        b->start = 0;
    }
    b->ring[(b->start + b->count) % b->cap] = r;
    b->count++;
    b->bytes += dlog_cost(r);
}

static uint64_t dlog_next_seq(const DlogBuffer *b)
{
    return b->first_seq + b->count;
}

/* A reader's effective cursor: records it missed were dropped. */
static uint64_t debuglog_cursor(const KDebugLog *l)
{
    return l->cursor < l->buf->first_seq ? l->buf->first_seq : l->cursor;
}

static void debuglog_update(KDebugLog *l)
{
    bool behind = l->readable && debuglog_cursor(l) < dlog_next_seq(l->buf);
    kobject_signal(&l->base, ZX_LOG_READABLE, behind ? ZX_LOG_READABLE : 0);
}

void debuglog_append(Kernel *k, uint8_t severity, uint8_t flags,
                     const void *data, size_t len, zx_koid_t pid, zx_koid_t tid)
{
    DlogBuffer *b = dlog_buffer(k);
    if (len > ZX_LOG_RECORD_DATA_MAX)
        len = ZX_LOG_RECORD_DATA_MAX;
    zx_log_record_t *r = g_malloc0(sizeof *r + len);
    r->sequence = (uint32_t)dlog_next_seq(b);
    r->datalen = (uint16_t)len;
    r->severity = severity;
    r->flags = flags;
    r->timestamp = kernel_now(k);
    r->pid = pid;
    r->tid = tid;
    if (len)
        memcpy(r->data, data, len);
    while (b->count > 0 && b->bytes + dlog_cost(r) > DLOG_BUFFER_BYTES)
        dlog_drop_oldest(b);
    dlog_push(b, r);
    for (KDebugLog *l = b->readers_head; l; l = l->rnext)
        debuglog_update(l);
}

uint64_t debuglog_total(Kernel *k)
{
    return dlog_next_seq(dlog_buffer(k));
}

/* ---- Objects -------------------------------------------------------------- */

static void debuglog_destroy(KObject *o)
{
    KDebugLog *l = (KDebugLog *)o;
    DlogBuffer *b = l->buf;
    if (l->readable) {
        if (l->rprev)
            l->rprev->rnext = l->rnext;
        else
            b->readers_head = l->rnext;
        if (l->rnext)
            l->rnext->rprev = l->rprev;
        else
            b->readers_tail = l->rprev;
    }
    free(l);
}

static void debuglog_check(const KObject *o)
{
    const KDebugLog *l = (const KDebugLog *)o;
    Kernel *k = o->kernel;
    KCHECK(k, l->buf == k->dlog);
    KCHECK(k, l->buf->bytes <= DLOG_BUFFER_BYTES);
    bool listed = l->rprev || l->buf->readers_head == l;
    KCHECK(k, listed == l->readable);
    bool behind = l->readable && debuglog_cursor(l) < dlog_next_seq(l->buf);
    KCHECK(k, ((o->signals & ZX_LOG_READABLE) != 0) == behind);
}

const KObjectOps debuglog_ops = {
    .type = ZX_OBJ_TYPE_DEBUGLOG,
    .name = "debuglog",
    .default_rights = ZX_DEFAULT_LOG_RIGHTS,
    .possible_rights = ZX_DEFAULT_LOG_RIGHTS | ZX_RIGHT_READ,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .destroy = debuglog_destroy,
    .check = debuglog_check,
};

zx_status_t debuglog_create(Kernel *k, bool readable, KObject **out)
{
    KDebugLog *l = calloc(1, sizeof *l);
    if (!l)
        return ZX_ERR_NO_MEMORY;
    DlogBuffer *b = dlog_buffer(k);
    kobject_init(k, &l->base, &debuglog_ops, 0);
    l->buf = b;
    l->readable = readable;
    if (readable) {
        l->cursor = b->first_seq;
        l->rprev = b->readers_tail;
        if (b->readers_tail)
            b->readers_tail->rnext = l;
        else
            b->readers_head = l;
        b->readers_tail = l;
        debuglog_update(l);
    }
    *out = &l->base;
    return ZX_OK;
}

static KDebugLog *debuglog_from(KObject *o)
{
    return KOBJECT_CAST(o, KDebugLog, ZX_OBJ_TYPE_DEBUGLOG);
}

zx_status_t debuglog_read_peek(KObject *o, void *dst, size_t *n)
{
    KDebugLog *l = debuglog_from(o);
    DlogBuffer *b = l->buf;
    *n = 0;
    uint64_t cur = debuglog_cursor(l);
    if (!l->readable || cur >= dlog_next_seq(b))
        return ZX_ERR_SHOULD_WAIT;
    const zx_log_record_t *r = dlog_at(b, (size_t)(cur - b->first_seq));
    *n = sizeof *r + r->datalen;
    memcpy(dst, r, *n);
    return ZX_OK;
}

void debuglog_read_consume(KObject *o)
{
    KDebugLog *l = debuglog_from(o);
    uint64_t cur = debuglog_cursor(l);
    if (cur < dlog_next_seq(l->buf))
        l->cursor = cur + 1;
    debuglog_update(l);
}
