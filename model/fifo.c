/* fifo.c — FIFOs: two endpoints, each owning a ring of elem_count slots of
 * elem_size bytes that its peer writes and it reads. Meant as a control
 * plane beside shared memory: fixed sizes, no handles, no blocking.
 *
 * Per endpoint state (signals derived from it by fifo_update):
 *
 *   peered ----(peer's last handle closes)----> peer_closed   (final)
 *   queue:  empty <--> partly full <--> full   (count = head - tail)
 *
 * Signals: READABLE iff this end's queue is non-empty; WRITABLE iff peered
 * and the peer's queue has a free slot; PEER_CLOSED once the peer is gone
 * (elements already queued can still be read).
 *
 * Invariants (fifo_check): peer->peer == self; both ends share elem_count
 * and elem_size; head - tail <= elem_count; the signals above.
 *
 * Sizes follow Zircon: any elem_count and elem_size above zero with
 * elem_count * elem_size <= ZX_FIFO_MAX_SIZE_BYTES (early Zircon wanted a
 * power-of-two count; today's does not). Left out:
 * nothing observable. Read next: sys_fifo.c; socket.c for byte streams.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fifo.h"
#include "kernel.h"

typedef struct KFifo {
    KObject base;
    struct KFifo *peer;      /* NULL once the peer's handles are gone */
    zx_koid_t peer_koid;
    uint32_t elem_count, elem_size;
    uint64_t head, tail;     /* free-running (never wrap); slot = index % count */
    bool peer_closed;
    uint8_t *data;           /* elem_count * elem_size bytes */
} KFifo;

#define FIFO_DERIVED_SIGNALS \
    (ZX_FIFO_READABLE | ZX_FIFO_WRITABLE | ZX_FIFO_PEER_CLOSED)

static uint32_t fifo_used(const KFifo *f)
{
    return (uint32_t)(f->head - f->tail);
}

static uint8_t *fifo_slot(const KFifo *f, uint64_t index)
{
    return f->data + (size_t)(index % f->elem_count) * f->elem_size;
}

static void fifo_update(KFifo *f)
{
    zx_signals_t set = 0;
    if (fifo_used(f) > 0)
        set |= ZX_FIFO_READABLE;
    if (f->peer && fifo_used(f->peer) < f->peer->elem_count)
        set |= ZX_FIFO_WRITABLE;
    if (f->peer_closed)
        set |= ZX_FIFO_PEER_CLOSED;
    kobject_signal(&f->base, FIFO_DERIVED_SIGNALS, set);
}

static void fifo_on_zero_handles(KObject *o)
{
    KFifo *f = (KFifo *)o;
    KFifo *peer = f->peer;
    if (!peer)
        return;
    f->peer = NULL;
    peer->peer = NULL;
    peer->peer_closed = true;
    fifo_update(peer);
}

static void fifo_destroy(KObject *o)
{
    KFifo *f = (KFifo *)o;
    if (f->peer) /* never got a handle (creation failed half-way) */
        f->peer->peer = NULL;
    free(f->data);
    free(f);
}

static KObject *fifo_peer(KObject *o)
{
    KFifo *f = (KFifo *)o;
    return f->peer ? &f->peer->base : NULL;
}

static zx_koid_t fifo_related_koid(const KObject *o)
{
    return ((const KFifo *)o)->peer_koid;
}

static void fifo_check(const KObject *o)
{
    const KFifo *f = (const KFifo *)o;
    Kernel *k = o->kernel;
    (void)k; /* KCHECK reports through kernel_panic */
    KCHECK(k, fifo_used(f) <= f->elem_count);
    if (f->peer) {
        KCHECK(k, f->peer->peer == f);
        KCHECK(k, f->peer->elem_count == f->elem_count);
        KCHECK(k, f->peer->elem_size == f->elem_size);
        KCHECK(k, !f->peer_closed);
    }
    KCHECK(k, ((o->signals & ZX_FIFO_READABLE) != 0) == (fifo_used(f) > 0));
    bool writable = f->peer && fifo_used(f->peer) < f->elem_count;
    KCHECK(k, ((o->signals & ZX_FIFO_WRITABLE) != 0) == writable);
}

const KObjectOps fifo_ops = {
    .type = ZX_OBJ_TYPE_FIFO,
    .name = "fifo",
    .default_rights = ZX_DEFAULT_FIFO_RIGHTS,
    .possible_rights = ZX_DEFAULT_FIFO_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .on_zero_handles = fifo_on_zero_handles,
    .destroy = fifo_destroy,
    .peer = fifo_peer,
    .related_koid = fifo_related_koid,
    .check = fifo_check,
};

zx_status_t fifo_check_sizes(size_t elem_count, size_t elem_size)
{
    if (elem_count == 0 || elem_size == 0 ||
        elem_count > ZX_FIFO_MAX_SIZE_BYTES || elem_size > ZX_FIFO_MAX_SIZE_BYTES ||
        elem_count * elem_size > ZX_FIFO_MAX_SIZE_BYTES)
        return ZX_ERR_OUT_OF_RANGE;
    return ZX_OK;
}

static KFifo *fifo_alloc(size_t elem_count, size_t elem_size)
{
    KFifo *f = calloc(1, sizeof *f);
    uint8_t *d = calloc(elem_count, elem_size);
    if (!f || !d) {
        free(f);
        free(d);
        return NULL;
    }
    f->data = d;
    f->elem_count = (uint32_t)elem_count;
    f->elem_size = (uint32_t)elem_size;
    return f;
}

zx_status_t fifo_create(Kernel *k, size_t elem_count, size_t elem_size,
                        KObject **out0, KObject **out1)
{
    KFifo *a = fifo_alloc(elem_count, elem_size);
    KFifo *b = a ? fifo_alloc(elem_count, elem_size) : NULL;
    if (!b) {
        if (a)
            free(a->data);
        free(a);
        return ZX_ERR_NO_MEMORY;
    }
    kobject_init(k, &a->base, &fifo_ops, ZX_FIFO_WRITABLE);
    kobject_init(k, &b->base, &fifo_ops, ZX_FIFO_WRITABLE);
    a->peer = b;
    b->peer = a;
    a->peer_koid = b->base.koid;
    b->peer_koid = a->base.koid;
    *out0 = &a->base;
    *out1 = &b->base;
    return ZX_OK;
}

static KFifo *fifo_from(KObject *o)
{
    return KOBJECT_CAST(o, KFifo, ZX_OBJ_TYPE_FIFO);
}

size_t fifo_elem_size(KObject *o)
{
    return fifo_from(o)->elem_size;
}

zx_status_t fifo_write_check(KObject *o, size_t elem_size, size_t count,
                             size_t *accept)
{
    KFifo *f = fifo_from(o);
    *accept = 0;
    if (!f->peer)
        return ZX_ERR_PEER_CLOSED;
    if (elem_size != f->elem_size || count == 0)
        return ZX_ERR_OUT_OF_RANGE;
    size_t room = f->peer->elem_count - fifo_used(f->peer);
    if (room == 0)
        return ZX_ERR_SHOULD_WAIT;
    *accept = count < room ? count : room;
    return ZX_OK;
}

void fifo_write_commit(KObject *o, const void *data, size_t n)
{
    KFifo *f = fifo_from(o);
    KFifo *q = f->peer;
    KCHECK(o->kernel, q != NULL && n > 0 && fifo_used(q) + n <= q->elem_count);
    const uint8_t *src = data;
    for (size_t i = 0; i < n; i++, q->head++)
        memcpy(fifo_slot(q, q->head), src + i * q->elem_size, q->elem_size);
    fifo_update(q);
    fifo_update(f);
}

zx_status_t fifo_read_peek(KObject *o, size_t elem_size, size_t count,
                           void *dst, size_t *n)
{
    KFifo *f = fifo_from(o);
    *n = 0;
    if (elem_size != f->elem_size || count == 0)
        return ZX_ERR_OUT_OF_RANGE;
    uint32_t used = fifo_used(f);
    if (used == 0)
        return f->peer ? ZX_ERR_SHOULD_WAIT : ZX_ERR_PEER_CLOSED;
    *n = count < used ? count : used;
    uint8_t *out = dst;
    for (size_t i = 0; i < *n; i++)
        memcpy(out + i * f->elem_size, fifo_slot(f, f->tail + i), f->elem_size);
    return ZX_OK;
}

void fifo_read_consume(KObject *o, size_t n)
{
    KFifo *f = fifo_from(o);
    KCHECK(o->kernel, n <= fifo_used(f));
    f->tail += (uint32_t)n;
    fifo_update(f);
    if (f->peer)
        fifo_update(f->peer);
}
