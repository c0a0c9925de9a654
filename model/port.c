/* port.c — ports: a FIFO of packets, the threads waiting for them, and the
 * one-shot async-wait registrations (zx_object_wait_async) that produce
 * signal packets.
 *
 * A packet is either a user packet (its own allocation, counted against
 * PORT_MAX_USER_PACKETS) or the packet embedded in a PortObserver. An
 * observer lives from registration until its packet is dequeued or it is
 * cancelled:
 *
 *   ARMED --signals match--> QUEUED --dequeued / port_cancel--> freed
 *     |                         \--last port handle closes----> freed
 *     +--waited handle closes / port_cancel / last port handle--> freed
 *
 * While ARMED its KObserver is linked on the waited object (so closing the
 * handle it was made through cancels it; already-queued packets stay).
 * Every observer, ARMED or QUEUED, is on the port's registration list in
 * creation order, which port_cancel and the close of the port walk.
 * A packet goes straight to the oldest blocked waiter if there is one, so
 * the queue is never non-empty while a thread waits (invariant).
 *
 * Invariants (port_check): queue count and user count match the queue;
 * waiters only while the queue is empty; an ARMED observer is linked on an
 * object, a QUEUED one is in the queue; nothing queued or registered once
 * the last handle is gone.
 *
 * Left out: interrupt packets and their priority (BIND_TO_INTERRUPT is
 * accepted and stored), the per-port observer limit
 * (PORT_TOO_MANY_OBSERVERS), OR-ing later signals into a queued packet.
 * Read next: sys_port.c.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "port.h"

typedef struct PortPacket {
    struct PortPacket *prev, *next;
    struct PortObserver *observer; /* NULL for user packets */
    zx_port_packet_t pkt;
} PortPacket;

typedef enum { PORT_OBS_ARMED, PORT_OBS_QUEUED } PortObsState;

typedef struct PortObserver {
    KObserver obs;               /* on the waited object while ARMED */
    PortPacket packet;           /* in the port's queue while QUEUED */
    struct KPort *port;
    struct PortObserver *prev, *next; /* port's registration list */
    const Handle *handle;        /* compared only; may be stale when QUEUED */
    zx_koid_t object_koid;
    uint64_t key;
    uint32_t options;
    zx_signals_t last;           /* EDGE: signals seen at the last change */
    PortObsState state;
} PortObserver;

typedef struct KPort {
    KObject base;
    uint32_t options;
    PortPacket *head, *tail;
    uint32_t nqueued, nuser;
    PortWaiter *waiters_head, *waiters_tail;
    PortObserver *obs_head, *obs_tail;
    uint32_t nobservers;
} KPort;

static KPort *port_from(KObject *o)
{
    return KOBJECT_CAST(o, KPort, ZX_OBJ_TYPE_PORT);
}

/* ---- Queue ---------------------------------------------------------------- */

static void port_queue_append(KPort *p, PortPacket *pp)
{
    pp->next = NULL;
    pp->prev = p->tail;
    if (p->tail)
        p->tail->next = pp;
    else
        p->head = pp;
    p->tail = pp;
    p->nqueued++;
}

static void port_queue_unlink(KPort *p, PortPacket *pp)
{
    if (pp->prev)
        pp->prev->next = pp->next;
    else
        p->head = pp->next;
    if (pp->next)
        pp->next->prev = pp->prev;
    else
        p->tail = pp->prev;
    pp->prev = pp->next = NULL;
    p->nqueued--;
}

static void port_obs_unlink(KPort *p, PortObserver *po)
{
    if (po->prev)
        po->prev->next = po->next;
    else
        p->obs_head = po->next;
    if (po->next)
        po->next->prev = po->prev;
    else
        p->obs_tail = po->prev;
    p->nobservers--;
    po->prev = po->next = NULL;
}

/* A packet left the queue (or never entered it): free what carried it. */
static void port_packet_release(KPort *p, PortPacket *pp)
{
    if (pp->observer) {
        port_obs_unlink(p, pp->observer);
        free(pp->observer);
    } else {
        p->nuser--;
        free(pp);
    }
}

/* Give a packet to the oldest waiter, or queue it. */
static void port_deliver(KPort *p, PortPacket *pp)
{
    PortWaiter *w = p->waiters_head;
    if (!w) {
        port_queue_append(p, pp);
        return;
    }
    zx_port_packet_t copy = pp->pkt;
    port_wait_end(w);
    port_packet_release(p, pp);
    w->on_packet(w, &copy);
}

zx_status_t port_queue_user(KObject *port, const zx_port_packet_t *pkt)
{
    KPort *p = port_from(port);
    if (p->nuser >= PORT_MAX_USER_PACKETS)
        return ZX_ERR_SHOULD_WAIT;
    PortPacket *pp = malloc(sizeof *pp);
    if (!pp)
        return ZX_ERR_NO_MEMORY;
    pp->observer = NULL;
    pp->pkt = *pkt;
    pp->pkt.type = ZX_PKT_TYPE_USER;
    p->nuser++;
    port_deliver(p, pp);
    return ZX_OK;
}

zx_status_t port_dequeue(KObject *port, zx_port_packet_t *out)
{
    KPort *p = port_from(port);
    PortPacket *pp = p->head;
    if (!pp)
        return ZX_ERR_SHOULD_WAIT;
    port_queue_unlink(p, pp);
    *out = pp->pkt;
    port_packet_release(p, pp);
    return ZX_OK;
}

void port_wait_begin(KObject *port, PortWaiter *w)
{
    KPort *p = port_from(port);
    w->port = port;
    w->next = NULL;
    w->prev = p->waiters_tail;
    if (p->waiters_tail)
        p->waiters_tail->next = w;
    else
        p->waiters_head = w;
    p->waiters_tail = w;
}

void port_wait_end(PortWaiter *w)
{
    if (!w->port)
        return;
    KPort *p = (KPort *)w->port;
    if (w->prev)
        w->prev->next = w->next;
    else
        p->waiters_head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        p->waiters_tail = w->prev;
    w->prev = w->next = NULL;
    w->port = NULL;
}

/* ---- Async waits ------------------------------------------------------------ */

static void port_obs_fire(PortObserver *po, zx_signals_t signals)
{
    Kernel *k = po->port->base.kernel;
    zx_port_packet_t *pkt = &po->packet.pkt;
    memset(pkt, 0, sizeof *pkt);
    pkt->key = po->key;
    pkt->type = ZX_PKT_TYPE_SIGNAL_ONE;
    pkt->status = ZX_OK;
    pkt->signal.trigger = po->obs.trigger;
    pkt->signal.observed = signals;
    pkt->signal.count = 1;
    if (po->options & (ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP))
        pkt->signal.timestamp = kernel_now(k); /* boot == monotonic here */
    po->state = PORT_OBS_QUEUED;
    po->packet.observer = po;
    port_deliver(po->port, &po->packet);
}

static bool port_obs_on_state(KObserver *obs, zx_signals_t signals)
{
    PortObserver *po = (PortObserver *)obs;
    zx_signals_t match = signals & obs->trigger;
    if (po->options & ZX_WAIT_ASYNC_EDGE) {
        match &= ~po->last;
        po->last = signals;
    }
    if (!match)
        return false;
    kobject_unobserve(obs);
    port_obs_fire(po, signals);
    return true;
}

static void port_obs_on_cancel(KObserver *obs, zx_signals_t signals)
{
    PortObserver *po = (PortObserver *)obs;
    port_obs_unlink(po->port, po);
    free(po);
}

zx_status_t port_wait_async(KObject *port, KObject *obj, const Handle *h,
                            uint64_t key, zx_signals_t signals,
                            uint32_t options)
{
    KPort *p = port_from(port);
    PortObserver *po = calloc(1, sizeof *po);
    if (!po)
        return ZX_ERR_NO_MEMORY;
    po->port = p;
    po->handle = h;
    po->object_koid = obj->koid;
    po->key = key;
    po->options = options;
    po->last = obj->signals;
    po->state = PORT_OBS_ARMED;
    po->obs.handle = h;
    po->obs.trigger = signals;
    po->obs.on_state = port_obs_on_state;
    po->obs.on_cancel = port_obs_on_cancel;
    po->obs.ctx = po;
    po->prev = p->obs_tail;
    if (p->obs_tail)
        p->obs_tail->next = po;
    else
        p->obs_head = po;
    p->obs_tail = po;
    p->nobservers++;
    if (!(options & ZX_WAIT_ASYNC_EDGE) && (obj->signals & signals))
        port_obs_fire(po, obj->signals);
    else
        kobject_observe(obj, &po->obs);
    return ZX_OK;
}

/* Drop one registration whatever its state. */
static void port_obs_drop(KPort *p, PortObserver *po)
{
    if (po->state == PORT_OBS_ARMED)
        kobject_unobserve(&po->obs);
    else
        port_queue_unlink(p, &po->packet);
    port_obs_unlink(p, po);
    free(po);
}

bool port_cancel(KObject *port, const Handle *h, uint64_t key)
{
    KPort *p = port_from(port);
    bool found = false;
    PortObserver *po = p->obs_head;
    while (po) {
        PortObserver *next = po->next;
        if (po->handle == h && po->key == key &&
            po->object_koid == h->object->koid) {
            port_obs_drop(p, po);
            found = true;
        }
        po = next;
    }
    return found;
}

uint32_t port_queued(const KObject *port)
{
    return ((const KPort *)port)->nqueued;
}

uint32_t port_observers(const KObject *port)
{
    return ((const KPort *)port)->nobservers;
}

void port_visit_bindings(const KObject *port,
                         void (*fn)(zx_koid_t object, uint64_t key,
                                    zx_signals_t signals, bool queued,
                                    void *ctx),
                         void *ctx)
{
    for (PortObserver *po = ((const KPort *)port)->obs_head; po; po = po->next)
        fn(po->object_koid, po->key, po->obs.trigger,
           po->state == PORT_OBS_QUEUED, ctx);
}

/* ---- Lifecycle ---------------------------------------------------------------- */

/* Last handle gone: nobody can dequeue or cancel any more, so drop every
 * registration and every queued packet. Blocked waiters keep waiting (they
 * hold references) until their deadlines. */
static void port_on_zero_handles(KObject *o)
{
    KPort *p = (KPort *)o;
    while (p->obs_head)
        port_obs_drop(p, p->obs_head);
    while (p->head) {
        PortPacket *pp = p->head;
        port_queue_unlink(p, pp);
        port_packet_release(p, pp);
    }
}

static void port_destroy(KObject *o)
{
    port_on_zero_handles(o); /* a port that never had a handle */
    free(o);
}

static void port_check(const KObject *o)
{
    const KPort *p = (const KPort *)o;
    Kernel *k = o->kernel;
    (void)k;
    uint32_t n = 0, user = 0;
    for (const PortPacket *pp = p->head; pp; pp = pp->next) {
        n++;
        if (!pp->observer)
            user++;
        else
            KCHECK(k, pp->observer->state == PORT_OBS_QUEUED);
        KCHECK(k, pp->next || pp == p->tail);
    }
    KCHECK(k, n == p->nqueued && user == p->nuser);
    KCHECK(k, user <= PORT_MAX_USER_PACKETS);
    KCHECK(k, p->waiters_head == NULL || p->head == NULL);
    uint32_t nobs = 0;
    for (const PortObserver *po = p->obs_head; po; po = po->next) {
        nobs++;
        KCHECK(k, po->port == p);
        KCHECK(k, (po->state == PORT_OBS_ARMED) == (po->obs.object != NULL));
    }
    KCHECK(k, nobs == p->nobservers);
    if (o->handle_count == 0)
        KCHECK(k, n == 0 && nobs == 0);
}

const KObjectOps port_ops = {
    .type = ZX_OBJ_TYPE_PORT,
    .name = "port",
    .default_rights = ZX_DEFAULT_PORT_RIGHTS,
    .possible_rights = ZX_DEFAULT_PORT_RIGHTS,
    .user_signals = 0,
    .waitable = false,
    .on_zero_handles = port_on_zero_handles,
    .destroy = port_destroy,
    .check = port_check,
};

zx_status_t port_create(Kernel *k, uint32_t options, KObject **out)
{
    KPort *p = calloc(1, sizeof *p);
    if (!p)
        return ZX_ERR_NO_MEMORY;
    kobject_init(k, &p->base, &port_ops, 0);
    p->options = options;
    *out = &p->base;
    return ZX_OK;
}
