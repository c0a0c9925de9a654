/* eventpair.c — event pairs: two events joined as peers. Each end's user
 * may signal itself or its peer (ZX_EVENTPAIR_SIGNALED and user signals).
 * When the last handle to one end goes, the other end gets
 * ZX_EVENTPAIR_PEER_CLOSED and the link is cut both ways.
 *
 * Invariant: a->peer == b iff b->peer == a.
 */
#include <stdlib.h>

#include "eventpair.h"
#include "kernel.h"

typedef struct KEventPair {
    KObject base;
    struct KEventPair *peer;
    zx_koid_t peer_koid;     /* related koid survives the peer */
} KEventPair;

static void eventpair_on_zero_handles(KObject *o)
{
    KEventPair *ep = (KEventPair *)o;
    KEventPair *peer = ep->peer;
    if (!peer)
        return;
    ep->peer = NULL;
    peer->peer = NULL;
    kobject_signal(&peer->base, 0, ZX_EVENTPAIR_PEER_CLOSED);
}

static void eventpair_destroy(KObject *o)
{
    free(o);
}

static KObject *eventpair_peer(KObject *o)
{
    KEventPair *ep = (KEventPair *)o;
    return ep->peer ? &ep->peer->base : NULL;
}

static zx_koid_t eventpair_related_koid(const KObject *o)
{
    return ((const KEventPair *)o)->peer_koid;
}

static void eventpair_check(const KObject *o)
{
    const KEventPair *ep = (const KEventPair *)o;
    if (ep->peer)
        KCHECK(o->kernel, ep->peer->peer == ep);
}

const KObjectOps eventpair_ops = {
    .type = ZX_OBJ_TYPE_EVENTPAIR,
    .name = "eventpair",
    .default_rights = ZX_DEFAULT_EVENTPAIR_RIGHTS,
    .possible_rights = ZX_DEFAULT_EVENTPAIR_RIGHTS,
    .user_signals = ZX_USER_SIGNAL_ALL | ZX_EVENTPAIR_SIGNALED,
    .waitable = true,
    .on_zero_handles = eventpair_on_zero_handles,
    .destroy = eventpair_destroy,
    .peer = eventpair_peer,
    .related_koid = eventpair_related_koid,
    .check = eventpair_check,
};

zx_status_t eventpair_create(Kernel *k, KObject **out0, KObject **out1)
{
    KEventPair *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return ZX_ERR_NO_MEMORY;
    }
    kobject_init(k, &a->base, &eventpair_ops, 0);
    kobject_init(k, &b->base, &eventpair_ops, 0);
    a->peer = b;
    b->peer = a;
    a->peer_koid = b->base.koid;
    b->peer_koid = a->base.koid;
    *out0 = &a->base;
    *out1 = &b->base;
    return ZX_OK;
}
