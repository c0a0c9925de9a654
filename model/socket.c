/* socket.c — sockets: two endpoints, each owning the receive buffer its
 * peer writes into. A stream socket moves bytes (short writes when the
 * buffer is nearly full); a datagram socket moves whole messages (all or
 * nothing; a short read truncates and discards the rest).
 *
 * Per endpoint state (the signals are always derived from it by
 * socket_update, never set piecemeal):
 *
 *   peered ----(peer's last handle closes)----> peer_closed   (final)
 *   write_disabled:      false <--set_disposition--> true
 *   peer_write_disabled: mirrors peer->write_disabled while peered
 *
 * Invariants (socket_check): peer->peer == self; the mirror above; the
 * buffer holds at most SOCKET_BUF_MAX bytes; for datagram sockets the queued
 * datagram sizes are > 0 and sum to the buffer length; READABLE iff the
 * buffer is non-empty; WRITABLE iff peered, not write-disabled and the
 * peer's buffer is not full.
 *
 * Capacity is counted in bytes (Zircon counts mbuf payload bytes the same
 * way). Deliberate differences: Zircon re-asserts WRITABLE on WRITE_ENABLED
 * or after a read even when the peer is gone or the end is write-disabled;
 * here WRITABLE always follows the invariant. A failed copy-out consumes
 * nothing (Zircon may drop data it had already copied).
 *
 * Read next: sys_socket.c (the ABI), fifo.c (the fixed-size cousin).
 */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "socket.h"

/* A growable ring of bytes plus, for datagram sockets, the queue of sizes. */
typedef struct SocketBuf {
    uint8_t *data;
    size_t cap, start, len;
    GQueue sizes;            /* datagram lengths, oldest first */
} SocketBuf;

typedef struct KSocket {
    KObject base;
    struct KSocket *peer;    /* NULL once the peer's handles are gone */
    zx_koid_t peer_koid;     /* related koid survives the peer */
    uint32_t options;        /* ZX_SOCKET_STREAM / ZX_SOCKET_DATAGRAM */
    SocketBuf rx;            /* what the peer wrote, for this end to read */
    size_t read_threshold, write_threshold;
    bool peer_closed;
    bool write_disabled;
    bool peer_write_disabled;
} KSocket;

#define SOCKET_DERIVED_SIGNALS                                              \
    (ZX_SOCKET_READABLE | ZX_SOCKET_WRITABLE | ZX_SOCKET_PEER_CLOSED |      \
     ZX_SOCKET_PEER_WRITE_DISABLED | ZX_SOCKET_WRITE_DISABLED |             \
     ZX_SOCKET_READ_THRESHOLD | ZX_SOCKET_WRITE_THRESHOLD)

/* ---- The byte ring ------------------------------------------------------ */

static void socketbuf_reserve(SocketBuf *b, size_t need)
{
    if (b->cap >= need)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need)
        cap *= 2;
    uint8_t *d = g_malloc(cap);
    for (size_t i = 0; i < b->len; i++)
        d[i] = b->data[(b->start + i) % b->cap];
    g_free(b->data);
    b->data = d;
    b->cap = cap;
    b->start = 0;
}

static void socketbuf_put(SocketBuf *b, const uint8_t *src, size_t n)
{
    socketbuf_reserve(b, b->len + n);
    size_t pos = (b->start + b->len) % b->cap;
    size_t first = MIN(n, b->cap - pos);
    memcpy(b->data + pos, src, first);
    memcpy(b->data, src + first, n - first);
    b->len += n;
}

static void socketbuf_copy(const SocketBuf *b, uint8_t *dst, size_t n)
{
    size_t first = MIN(n, b->cap - b->start);
    memcpy(dst, b->data + b->start, first);
    memcpy(dst + first, b->data, n - first);
}

static void socketbuf_drop(SocketBuf *b, size_t n)
{
    b->start = b->len == n ? 0 : (b->start + n) % b->cap;
    b->len -= n;
}

/* ---- Signals -------------------------------------------------------------- */

static bool socket_peer_full(const KSocket *s)
{
    return s->peer && s->peer->rx.len >= SOCKET_BUF_MAX;
}

/* Recompute every kernel-owned signal of s from its state. */
static void socket_update(KSocket *s)
{
    zx_signals_t set = 0, clear = SOCKET_DERIVED_SIGNALS;
    if (s->rx.len > 0)
        set |= ZX_SOCKET_READABLE;
    if (s->read_threshold > 0 && s->rx.len >= s->read_threshold)
        set |= ZX_SOCKET_READ_THRESHOLD;
    if (s->peer && !s->write_disabled && !socket_peer_full(s))
        set |= ZX_SOCKET_WRITABLE;
    if (s->peer) {
        size_t room = SOCKET_BUF_MAX - s->peer->rx.len;
        if (s->write_threshold > 0 && room >= s->write_threshold)
            set |= ZX_SOCKET_WRITE_THRESHOLD;
    } else {
        /* Zircon leaves WRITE_THRESHOLD as it was once the peer is gone. */
        clear &= ~ZX_SOCKET_WRITE_THRESHOLD;
    }
    if (s->peer_closed)
        set |= ZX_SOCKET_PEER_CLOSED;
    if (s->write_disabled)
        set |= ZX_SOCKET_WRITE_DISABLED;
    if (s->peer_write_disabled)
        set |= ZX_SOCKET_PEER_WRITE_DISABLED;
    kobject_signal(&s->base, clear, set);
}

static void socket_update_both(KSocket *s)
{
    socket_update(s);
    if (s->peer)
        socket_update(s->peer);
}

/* ---- Lifecycle ------------------------------------------------------------ */

static void socket_on_zero_handles(KObject *o)
{
    KSocket *s = (KSocket *)o;
    KSocket *peer = s->peer;
    if (!peer)
        return;
    s->peer = NULL;
    peer->peer = NULL;
    peer->peer_closed = true;
    socket_update(peer);
}

static void socket_destroy(KObject *o)
{
    KSocket *s = (KSocket *)o;
    if (s->peer) /* never got a handle (creation failed half-way) */
        s->peer->peer = NULL;
    g_free(s->rx.data);
    g_queue_clear(&s->rx.sizes);
    free(s);
}

static KObject *socket_peer(KObject *o)
{
    KSocket *s = (KSocket *)o;
    return s->peer ? &s->peer->base : NULL;
}

static zx_koid_t socket_related_koid(const KObject *o)
{
    return ((const KSocket *)o)->peer_koid;
}

static void socket_check(const KObject *o)
{
    const KSocket *s = (const KSocket *)o;
    Kernel *k = o->kernel;
    (void)k; /* KCHECK reports through kernel_panic */
    KCHECK(k, s->rx.len <= SOCKET_BUF_MAX);
    if (s->peer) {
        KCHECK(k, s->peer->peer == s);
        KCHECK(k, !s->peer_closed);
        KCHECK(k, s->peer_write_disabled == s->peer->write_disabled);
    }
    size_t sum = 0;
    for (GList *l = s->rx.sizes.head; l; l = l->next) {
        KCHECK(k, GPOINTER_TO_SIZE(l->data) > 0);
        sum += GPOINTER_TO_SIZE(l->data);
    }
    if (s->options & ZX_SOCKET_DATAGRAM)
        KCHECK(k, sum == s->rx.len);
    else
        KCHECK(k, s->rx.sizes.length == 0);
    KCHECK(k, ((o->signals & ZX_SOCKET_READABLE) != 0) == (s->rx.len > 0));
    bool writable = s->peer && !s->write_disabled && !socket_peer_full(s);
    KCHECK(k, ((o->signals & ZX_SOCKET_WRITABLE) != 0) == writable);
}

const KObjectOps socket_ops = {
    .type = ZX_OBJ_TYPE_SOCKET,
    .name = "socket",
    .default_rights = ZX_DEFAULT_SOCKET_RIGHTS,
    .possible_rights = ZX_DEFAULT_SOCKET_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .on_zero_handles = socket_on_zero_handles,
    .destroy = socket_destroy,
    .peer = socket_peer,
    .related_koid = socket_related_koid,
    .check = socket_check,
};

bool socket_options_valid(uint32_t options)
{
    return (options & ~ZX_SOCKET_CREATE_MASK) == 0;
}

zx_status_t socket_create(Kernel *k, uint32_t options, KObject **out0,
                          KObject **out1)
{
    KSocket *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return ZX_ERR_NO_MEMORY;
    }
    kobject_init(k, &a->base, &socket_ops, ZX_SOCKET_WRITABLE);
    kobject_init(k, &b->base, &socket_ops, ZX_SOCKET_WRITABLE);
    a->options = b->options = options;
    g_queue_init(&a->rx.sizes);
    g_queue_init(&b->rx.sizes);
    a->peer = b;
    b->peer = a;
    a->peer_koid = b->base.koid;
    b->peer_koid = a->base.koid;
    *out0 = &a->base;
    *out1 = &b->base;
    return ZX_OK;
}

static KSocket *socket_from(KObject *o)
{
    return KOBJECT_CAST(o, KSocket, ZX_OBJ_TYPE_SOCKET);
}

/* ---- Write ---------------------------------------------------------------- */

zx_status_t socket_write_check(KObject *o, size_t len, size_t *accept)
{
    KSocket *s = socket_from(o);
    *accept = 0;
    if (!s->peer)
        return ZX_ERR_PEER_CLOSED;
    if (s->write_disabled)
        return ZX_ERR_BAD_STATE;
    if (len == 0)
        return ZX_OK;
    if (len > UINT32_MAX)
        return ZX_ERR_INVALID_ARGS;
    size_t used = s->peer->rx.len;
    if (used >= SOCKET_BUF_MAX)
        return ZX_ERR_SHOULD_WAIT;
    if (s->options & ZX_SOCKET_DATAGRAM) {
        if (len > SOCKET_BUF_MAX)
            return ZX_ERR_OUT_OF_RANGE;
        if (len > SOCKET_BUF_MAX - used)
            return ZX_ERR_SHOULD_WAIT;
        *accept = len;
    } else {
        *accept = MIN(len, SOCKET_BUF_MAX - used);
    }
    return ZX_OK;
}

void socket_write_commit(KObject *o, const void *data, size_t n)
{
    KSocket *s = socket_from(o);
    KSocket *dst = s->peer;
    KCHECK(o->kernel, dst != NULL && n > 0 && dst->rx.len + n <= SOCKET_BUF_MAX);
    socketbuf_put(&dst->rx, data, n);
    if (s->options & ZX_SOCKET_DATAGRAM)
        g_queue_push_tail(&dst->rx.sizes, GSIZE_TO_POINTER(n));
    socket_update(dst);
    socket_update(s);
}

/* ---- Read ----------------------------------------------------------------- */

/* How many bytes a read of `len` returns from a non-empty buffer. */
static size_t socket_read_size(const KSocket *s, size_t len)
{
    if (s->options & ZX_SOCKET_DATAGRAM)
        return MIN(len, GPOINTER_TO_SIZE(s->rx.sizes.head->data));
    return MIN(len, s->rx.len);
}

zx_status_t socket_read_peek(KObject *o, void *dst, size_t len, size_t *n)
{
    KSocket *s = socket_from(o);
    *n = 0;
    if (len > UINT32_MAX)
        return ZX_ERR_INVALID_ARGS;
    if (s->rx.len == 0) {
        if (!s->peer)
            return ZX_ERR_PEER_CLOSED;
        if (s->peer_write_disabled)
            return ZX_ERR_BAD_STATE;
        return ZX_ERR_SHOULD_WAIT;
    }
    *n = socket_read_size(s, len);
    socketbuf_copy(&s->rx, dst, *n);
    return ZX_OK;
}

/* `len` is the size the reader asked for (as given to socket_read_peek). A
 * datagram goes away whole; a zero-size read consumes nothing. */
void socket_read_consume(KObject *o, size_t len)
{
    KSocket *s = socket_from(o);
    if (s->rx.len == 0 || len == 0)
        return;
    if (s->options & ZX_SOCKET_DATAGRAM)
        socketbuf_drop(&s->rx, GPOINTER_TO_SIZE(g_queue_pop_head(&s->rx.sizes)));
    else
        socketbuf_drop(&s->rx, MIN(len, s->rx.len));
    socket_update_both(s);
}

/* ---- Disposition ---------------------------------------------------------- */

bool socket_disposition_parse(uint32_t value, SocketDisposition *out)
{
    switch (value) {
    case 0:
        *out = SOCKET_DISP_NONE;
        return true;
    case ZX_SOCKET_DISPOSITION_WRITE_DISABLED:
        *out = SOCKET_DISP_WRITE_DISABLED;
        return true;
    case ZX_SOCKET_DISPOSITION_WRITE_ENABLED:
        *out = SOCKET_DISP_WRITE_ENABLED;
        return true;
    default:
        return false;
    }
}

/* Re-enabling writes on `writer` is refused while data it wrote before
 * being disabled is still unread in `reader`'s buffer. */
static bool socket_enable_allowed(const KSocket *reader)
{
    return !(reader->rx.len > 0 && reader->peer_write_disabled);
}

static void socket_apply(KSocket *s, SocketDisposition d)
{
    if (d == SOCKET_DISP_NONE)
        return;
    s->write_disabled = d == SOCKET_DISP_WRITE_DISABLED;
    if (s->peer)
        s->peer->peer_write_disabled = s->write_disabled;
}

zx_status_t socket_set_disposition(KObject *o, SocketDisposition self,
                                   SocketDisposition peer)
{
    KSocket *s = socket_from(o);
    if (self == SOCKET_DISP_NONE && peer == SOCKET_DISP_NONE)
        return ZX_OK;
    if (peer == SOCKET_DISP_WRITE_ENABLED && !socket_enable_allowed(s))
        return ZX_ERR_BAD_STATE;
    if (s->peer && self == SOCKET_DISP_WRITE_ENABLED &&
        !socket_enable_allowed(s->peer))
        return ZX_ERR_BAD_STATE;
    socket_apply(s, self);
    if (s->peer)
        socket_apply(s->peer, peer);
    socket_update_both(s);
    return ZX_OK;
}

/* ---- Info and thresholds -------------------------------------------------- */

void socket_info(KObject *o, zx_info_socket_t *info)
{
    KSocket *s = socket_from(o);
    memset(info, 0, sizeof *info);
    info->options = s->options;
    info->rx_buf_max = SOCKET_BUF_MAX;
    info->rx_buf_size = s->rx.len;
    if (s->options & ZX_SOCKET_DATAGRAM)
        info->rx_buf_available =
            s->rx.len ? GPOINTER_TO_SIZE(s->rx.sizes.head->data) : 0;
    else
        info->rx_buf_available = s->rx.len;
    if (s->peer) {
        info->tx_buf_max = SOCKET_BUF_MAX;
        info->tx_buf_size = s->peer->rx.len;
    }
}

size_t socket_get_threshold(KObject *o, bool tx)
{
    KSocket *s = socket_from(o);
    return tx ? s->write_threshold : s->read_threshold;
}

zx_status_t socket_set_threshold(KObject *o, bool tx, size_t value)
{
    KSocket *s = socket_from(o);
    if (tx && !s->peer)
        return ZX_ERR_PEER_CLOSED;
    if (value > SOCKET_BUF_MAX)
        return ZX_ERR_INVALID_ARGS;
    if (tx)
        s->write_threshold = value;
    else
        s->read_threshold = value;
    socket_update(s);
    return ZX_OK;
}
