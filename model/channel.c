/* channel.c — channels: two peered endpoints, each holding the ordered
 * queue of messages its peer wrote, plus the channel_call waiters that
 * expect a reply on it.
 *
 * A message (ChannelMsg) is one allocation (from the kernel's small-object
 * free lists when it fits, kmem.h): up to 65536 bytes and up to 64
 * Handles, each Handle owned by nobody (owner NULL) while it travels. A
 * queued message keeps its handles' objects alive; when an endpoint loses
 * its last handle nobody can read its queue any more, so the queue is
 * discarded and every handle in it closed (Zircon does this when the
 * endpoint is destroyed; the difference is invisible to apps).
 *
 * Signals, per endpoint:
 *   WRITABLE     from creation until the peer has no handles;
 *   READABLE     while the queue is non-empty (a reply handed straight to a
 *                channel_call waiter never raises it);
 *   PEER_CLOSED  once the peer has no handles (never cleared).
 * When the peer closes, pending calls fail with ZX_ERR_PEER_CLOSED; when
 * the endpoint's own handle closes they fail with ZX_ERR_CANCELED.
 *
 * Invariants (channel_check): a->peer == b iff b->peer == a; count equals
 * the queue length; READABLE iff count > 0; with a peer exactly WRITABLE
 * of the two, after the peer went exactly PEER_CLOSED; an endpoint whose
 * own handle is gone has no calls; every queued handle is unowned.
 *
 * Left out: the owner-koid race check (one syscall runs at a time here),
 * the 1750-message warning log, MAY_DISCARD's kcounters.
 * Read next: sys_channel.c (copying, handle moves, traces), then port.c.
 */
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "kernel.h"

typedef struct KChannel {
    KObject base;
    struct KChannel *peer;       /* NULL once the peer has no handles */
    zx_koid_t peer_koid;         /* related koid survives the peer */
    ChannelMsg *head, *tail;     /* messages written by the peer */
    uint32_t count;
    ChannelCall *calls_head, *calls_tail; /* pending channel_calls */
    uint32_t ncalls;
    uint32_t txid_counter;
} KChannel;

static KChannel *channel_from(KObject *o)
{
    return KOBJECT_CAST(o, KChannel, ZX_OBJ_TYPE_CHANNEL);
}

/* ---- Messages ------------------------------------------------------------ */

static size_t channel_msg_size(uint32_t nbytes, uint32_t nhandles)
{
    return sizeof(ChannelMsg) + (size_t)nhandles * sizeof(Handle *) + nbytes;
}

static inline ChannelMsg *channel_msg_init(ChannelMsg *m, uint32_t nbytes,
                                           uint32_t nhandles)
{
    m->next = NULL;
    m->nbytes = nbytes;
    m->nhandles = nhandles;
    m->bytes = (uint8_t *)&m->handles[nhandles];
    return m;
}

/* With handles (their slots start NULL) or off the free lists. */
__attribute__((noinline)) static ChannelMsg *
channel_msg_new_slow(Kernel *k, uint32_t nbytes, uint32_t nhandles)
{
    ChannelMsg *m = kmem_alloc(&k->kmem, channel_msg_size(nbytes, nhandles));
    if (!m)
        return NULL;
    if (nhandles)
        memset(m->handles, 0, (size_t)nhandles * sizeof(Handle *));
    return channel_msg_init(m, nbytes, nhandles);
}

/* Most writes carry bytes only: that case, from the free list, calls
 * nothing (no frame, no saved registers). */
__attribute__((always_inline)) inline ChannelMsg *
channel_msg_new(Kernel *k, uint32_t nbytes, uint32_t nhandles)
{
    ChannelMsg *m;
    if (__builtin_expect(nhandles != 0, 0) ||
        !(m = kmem_pop(&k->kmem, channel_msg_size(nbytes, 0))))
        return channel_msg_new_slow(k, nbytes, nhandles);
    return channel_msg_init(m, nbytes, 0);
}

/* channel_msg_free's case with handle slots (channel.h has the rest). */
void channel_msg_free_handles(Kernel *k, ChannelMsg *m)
{
    for (uint32_t i = 0; i < m->nhandles; i++)
        if (m->handles[i])
            handle_destroy(k, m->handles[i]);
    kmem_free(&k->kmem, m, channel_msg_size(m->nbytes, m->nhandles));
}

uint32_t channel_msg_txid(const ChannelMsg *m)
{
    uint32_t txid = 0;
    if (m->nbytes >= sizeof txid)
        memcpy(&txid, m->bytes, sizeof txid);
    return txid;
}

/* ---- Lifecycle ----------------------------------------------------------- */

static void channel_abort_calls(KChannel *ch, zx_status_t status)
{
    while (ch->calls_head) {
        ChannelCall *call = ch->calls_head;
        channel_call_end(call);
        call->on_abort(call, status);
    }
}

static void channel_discard_queue(KChannel *ch)
{
    while (ch->head) {
        ChannelMsg *m = ch->head;
        ch->head = m->next;
        if (!ch->head)
            ch->tail = NULL;
        ch->count--;
        channel_msg_free(ch->base.kernel, m); /* may cascade to other objects */
    }
    kobject_signal(&ch->base, ZX_CHANNEL_READABLE, 0);
}

static void channel_on_zero_handles(KObject *o)
{
    KChannel *ch = channel_from(o);
    KChannel *peer = ch->peer;
    channel_abort_calls(ch, ZX_ERR_CANCELED);
    if (peer) {
        ch->peer = NULL;
        peer->peer = NULL;
        kobject_signal(&peer->base, ZX_CHANNEL_WRITABLE, ZX_CHANNEL_PEER_CLOSED);
        channel_abort_calls(peer, ZX_ERR_PEER_CLOSED);
    }
    channel_discard_queue(ch);
}

static void channel_destroy(KObject *o)
{
    KChannel *ch = (KChannel *)o;
    /* Normally unlinked and empty already (on zero handles); an endpoint
     * that never had a handle (kernel-held) is torn down here instead. */
    if (ch->peer) {
        KChannel *peer = ch->peer;
        ch->peer = NULL;
        peer->peer = NULL;
        kobject_signal(&peer->base, ZX_CHANNEL_WRITABLE, ZX_CHANNEL_PEER_CLOSED);
        channel_abort_calls(peer, ZX_ERR_PEER_CLOSED);
    }
    while (ch->head) {
        ChannelMsg *m = ch->head;
        ch->head = m->next;
        channel_msg_free(o->kernel, m);
    }
    free(ch);
}

static KObject *channel_peer_op(KObject *o)
{
    KChannel *ch = (KChannel *)o;
    return ch->peer ? &ch->peer->base : NULL;
}

static zx_koid_t channel_related_koid(const KObject *o)
{
    return ((const KChannel *)o)->peer_koid;
}

static void channel_check(const KObject *o)
{
    const KChannel *ch = (const KChannel *)o;
    Kernel *k = o->kernel;
    (void)k;
    if (ch->peer)
        KCHECK(k, ch->peer->peer == ch);
    if (ch->peer)
        KCHECK(k, (o->signals & (ZX_CHANNEL_WRITABLE | ZX_CHANNEL_PEER_CLOSED)) ==
                      ZX_CHANNEL_WRITABLE);
    else if (o->handle_count > 0) /* the peer went first */
        KCHECK(k, (o->signals & (ZX_CHANNEL_WRITABLE | ZX_CHANNEL_PEER_CLOSED)) ==
                      ZX_CHANNEL_PEER_CLOSED);
    if (o->handle_count == 0 && o->refcount > 0 && ch->peer == NULL)
        KCHECK(k, ch->calls_head == NULL);
    uint32_t n = 0;
    for (const ChannelMsg *m = ch->head; m; m = m->next) {
        n++;
        for (uint32_t i = 0; i < m->nhandles; i++)
            KCHECK(k, m->handles[i] && m->handles[i]->owner == NULL);
        KCHECK(k, m->next || m == ch->tail);
    }
    KCHECK(k, n == ch->count);
    KCHECK(k, (n > 0) == ((o->signals & ZX_CHANNEL_READABLE) != 0));
    uint32_t c = 0;
    for (const ChannelCall *call = ch->calls_head; call; call = call->next) {
        KCHECK(k, call->ep == o);
        c++;
    }
    KCHECK(k, c == ch->ncalls);
}

const KObjectOps channel_ops = {
    .type = ZX_OBJ_TYPE_CHANNEL,
    .name = "channel",
    .default_rights = ZX_DEFAULT_CHANNEL_RIGHTS,
    .possible_rights = ZX_DEFAULT_CHANNEL_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .waitable = true,
    .on_zero_handles = channel_on_zero_handles,
    .destroy = channel_destroy,
    .peer = channel_peer_op,
    .related_koid = channel_related_koid,
    .check = channel_check,
};

zx_status_t channel_create(Kernel *k, KObject **out0, KObject **out1)
{
    KChannel *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return ZX_ERR_NO_MEMORY;
    }
    kobject_init(k, &a->base, &channel_ops, ZX_CHANNEL_WRITABLE);
    kobject_init(k, &b->base, &channel_ops, ZX_CHANNEL_WRITABLE);
    a->peer = b;
    b->peer = a;
    a->peer_koid = b->base.koid;
    b->peer_koid = a->base.koid;
    *out0 = &a->base;
    *out1 = &b->base;
    return ZX_OK;
}

KObject *channel_peer(KObject *ep)
{
    KChannel *ch = channel_from(ep);
    return ch->peer ? &ch->peer->base : NULL;
}

uint32_t channel_queued(const KObject *ep)
{
    return ((const KChannel *)ep)->count;
}

uint32_t channel_pending_calls(const KObject *ep)
{
    return ((const KChannel *)ep)->ncalls;
}

void channel_visit_inflight(Kernel *k, void (*fn)(Handle *h, void *ctx),
                            void *ctx)
{
    for (KObject *o = k->live_head; o; o = o->live_next) {
        if (o->ops != &channel_ops)
            continue;
        for (ChannelMsg *m = ((KChannel *)o)->head; m; m = m->next)
            for (uint32_t i = 0; i < m->nhandles; i++)
                if (m->handles[i])
                    fn(m->handles[i], ctx);
    }
}

void channel_visit_queued(KObject *ep,
                          void (*fn)(Handle *h, uint32_t msg, void *ctx),
                          void *ctx)
{
    uint32_t n = 0;
    for (ChannelMsg *m = channel_from(ep)->head; m; m = m->next, n++)
        for (uint32_t i = 0; i < m->nhandles; i++)
            if (m->handles[i])
                fn(m->handles[i], n, ctx);
}

/* ---- Writing and reading --------------------------------------------------- */

/* Hand m to a call waiting on `to` for its txid; true if one took it. */
static bool channel_deliver_reply(KChannel *to, ChannelMsg *m)
{
    if (!to->calls_head)
        return false;
    uint32_t txid = channel_msg_txid(m);
    if (txid < CHANNEL_TXID_KERNEL_MIN)
        return false;
    for (ChannelCall *call = to->calls_head; call; call = call->next) {
        if (call->txid == txid) {
            channel_call_end(call);
            call->on_reply(call, m);
            return true;
        }
    }
    return false;
}

static void channel_enqueue(KChannel *to, ChannelMsg *m, bool *over_limit)
{
    m->next = NULL;
    if (to->tail)
        to->tail->next = m;
    else
        to->head = m;
    to->tail = m;
    to->count++;
    if (over_limit)
        *over_limit = to->count > CHANNEL_MAX_PENDING;
    kobject_signal(&to->base, 0, ZX_CHANNEL_READABLE);
}

/* Declared inline (an external definition all the same): with LTO
 * sys_channel.c's writes take it without a call. */
__attribute__((always_inline)) inline zx_status_t
channel_write(KObject *ep, ChannelMsg *m, bool *over_limit)
{
    KChannel *ch = channel_from(ep);
    if (over_limit)
        *over_limit = false;
    if (!ch->peer)
        return ZX_ERR_PEER_CLOSED;
    if (channel_deliver_reply(ch->peer, m))
        return ZX_OK;
    channel_enqueue(ch->peer, m, over_limit);
    return ZX_OK;
}

zx_status_t channel_writable(KObject *ep, uint32_t refuse_at)
{
    KChannel *peer = channel_from(ep)->peer;
    if (!peer)
        return ZX_ERR_PEER_CLOSED;
    return peer->count >= refuse_at ? ZX_ERR_SHOULD_WAIT : ZX_OK;
}

/* channel_writable and channel_write in one: the endpoint is downcast and
 * its peer loaded once (every byte-only write passes here). */
zx_status_t channel_write_checked(KObject *ep, ChannelMsg *m, uint32_t refuse_at,
                                  bool *over_limit)
{
    KChannel *peer = channel_from(ep)->peer;
    *over_limit = false;
    if (!peer)
        return ZX_ERR_PEER_CLOSED;
    if (peer->count >= refuse_at)
        return ZX_ERR_SHOULD_WAIT;
    if (__builtin_expect(peer->calls_head != NULL, 0) &&
        channel_deliver_reply(peer, m))
        return ZX_OK;
    channel_enqueue(peer, m, over_limit);
    return ZX_OK;
}

zx_status_t channel_write_msg(KObject *ep, const void *bytes, uint32_t nbytes,
                              Handle *const *handles, uint32_t nhandles)
{
    KChannel *ch = channel_from(ep);
    if (!ch->peer)
        return ZX_ERR_PEER_CLOSED;
    if (ch->peer->count >= CHANNEL_MAX_PENDING)
        return ZX_ERR_SHOULD_WAIT;
    ChannelMsg *m = channel_msg_new(ep->kernel, nbytes, nhandles);
    if (!m)
        return ZX_ERR_NO_MEMORY;
    if (nbytes)
        memcpy(m->bytes, bytes, nbytes);
    for (uint32_t i = 0; i < nhandles; i++)
        m->handles[i] = handles[i];
    return channel_write(ep, m, NULL); /* cannot fail now */
}

zx_status_t channel_read(KObject *ep, uint32_t max_bytes, uint32_t max_handles,
                         bool may_discard, ChannelMsg **out, uint32_t *nbytes,
                         uint32_t *nhandles)
{
    KChannel *ch = channel_from(ep);
    *out = NULL;
    ChannelMsg *m = ch->head;
    if (!m)
        return ch->peer ? ZX_ERR_SHOULD_WAIT : ZX_ERR_PEER_CLOSED;
    *nbytes = m->nbytes;
    *nhandles = m->nhandles;
    bool fits = m->nbytes <= max_bytes && m->nhandles <= max_handles;
    if (!fits && !may_discard)
        return ZX_ERR_BUFFER_TOO_SMALL;
    ch->head = m->next;
    if (!ch->head) {
        ch->tail = NULL;
    }
    ch->count--;
    m->next = NULL;
    *out = m;
    if (ch->count == 0)
        kobject_signal(ep, ZX_CHANNEL_READABLE, 0);
    return fits ? ZX_OK : ZX_ERR_BUFFER_TOO_SMALL;
}

/* ---- channel_call ---------------------------------------------------------- */

static bool channel_txid_in_use(const KChannel *ch, uint32_t txid)
{
    for (const ChannelCall *c = ch->calls_head; c; c = c->next)
        if (c->txid == txid)
            return true;
    return false;
}

zx_status_t channel_call_begin(KObject *ep, ChannelMsg *m, ChannelCall *call,
                               bool *over_limit)
{
    KChannel *ch = channel_from(ep);
    if (over_limit)
        *over_limit = false;
    if (!ch->peer)
        return ZX_ERR_PEER_CLOSED;
    uint32_t txid;
    do {
        txid = ++ch->txid_counter | CHANNEL_TXID_KERNEL_MIN;
    } while (channel_txid_in_use(ch, txid));
    memcpy(m->bytes, &txid, sizeof txid);
    call->txid = txid;
    call->ep = ep;
    call->next = NULL;
    call->prev = ch->calls_tail;
    if (ch->calls_tail)
        ch->calls_tail->next = call;
    else
        ch->calls_head = call;
    ch->calls_tail = call;
    ch->ncalls++;
    return channel_write(ep, m, over_limit);
}

void channel_call_end(ChannelCall *call)
{
    if (!call->ep)
        return;
    KChannel *ch = (KChannel *)call->ep;
    if (call->prev)
        call->prev->next = call->next;
    else
        ch->calls_head = call->next;
    if (call->next)
        call->next->prev = call->prev;
    else
        ch->calls_tail = call->prev;
    ch->ncalls--;
    call->prev = call->next = NULL;
    call->ep = NULL;
}
