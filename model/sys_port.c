/* sys_port.c — the port family and async waits: port_create, port_queue,
 * port_wait, port_cancel, object_wait_async. ABI work only; packets,
 * waiters and registrations live in port.c.
 *
 * Zircon's facts reproduced here:
 *  - port_create: options 0 or BIND_TO_INTERRUPT (else INVALID_ARGS),
 *    policy ZX_POL_NEW_PORT, rights ZX_DEFAULT_PORT_RIGHTS (no WAIT).
 *  - port_queue: port (WRITE) -> packet copy (INVALID_ARGS); past
 *    PORT_MAX_USER_PACKETS the caller takes a policy exception
 *    (PORT_TOO_MANY_PACKETS, through the weak exception_raise_policy_code)
 *    and gets ZX_ERR_SHOULD_WAIT.
 *  - port_wait: port (READ); the oldest packet, at once if one is queued
 *    (even past the deadline); otherwise block in
 *    ZX_THREAD_STATE_BLOCKED_PORT until a packet (each wakes exactly one
 *    waiter, oldest first) or the deadline (TIMED_OUT). The packet is
 *    copied out after it was taken: a bad pointer loses it.
 *  - port_cancel: port (WRITE) -> source (BAD_HANDLE, no WAIT ->
 *    ACCESS_DENIED, not waitable -> NOT_SUPPORTED) -> NOT_FOUND if no
 *    registration or queued packet matched source handle + key.
 *  - object_wait_async: options -> port (WRITE) -> handle (BAD_HANDLE, no
 *    WAIT -> ACCESS_DENIED, not waitable -> NOT_SUPPORTED).
 * A blocked port_wait holds a reference on the port, so closing the port's
 * last handle leaves it waiting until its deadline, as in Zircon.
 * Read next: port.c, sys_wait.c (the synchronous waits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <zircon/syscalls/exception.h>

#include "port.h"
#include "strict_memory.h"
#include "syscall.h"
#include "thread.h"

void exception_raise_policy_code(SysCtx *c, uint32_t code) __attribute__((weak));

#define WAIT_ASYNC_OPTIONS \
    (ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_EDGE | ZX_WAIT_ASYNC_BOOT_TIMESTAMP)

zx_status_t sys_port_create(SysCtx *c, uint32_t options, zx_handle_t *out)
{
    if (options & ~ZX_PORT_BIND_TO_INTERRUPT)
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = sys_policy(c, ZX_POL_NEW_PORT);
    if (s != ZX_OK)
        return s;
    KObject *o;
    if ((s = port_create(c->k, options, &o)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_handle(c, o, ZX_DEFAULT_PORT_RIGHTS, out);
    kobject_unref(o);
    return s;
}

zx_status_t sys_port_queue(SysCtx *c, zx_handle_t handle,
                           const zx_port_packet_t *packet)
{
    KObject *port;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE, &port);
    if (s != ZX_OK)
        return s;
    zx_port_packet_t pkt;
    if (!sys_copy_in(c, &pkt, packet, sizeof pkt))
        return ZX_ERR_INVALID_ARGS;
    sys_charge(c, c->k->costs.handle_op);
    s = port_queue_user(port, &pkt);
    if (s == ZX_ERR_SHOULD_WAIT && exception_raise_policy_code)
        exception_raise_policy_code(c, ZX_EXCP_POLICY_CODE_PORT_TOO_MANY_PACKETS);
    return s;
}

/* ---- port_wait ------------------------------------------------------------ */

typedef struct PortWaitRec {
    PortWaiter w;                /* first: callbacks get &rec->w */
    Kernel *k;
    SimThread *st;
    KObject *port;               /* referenced while blocked */
    zx_port_packet_t *user_out;
} PortWaitRec;

static void port_wait_finish(PortWaitRec *r, zx_status_t s)
{
    SimThread *st = r->st;
    KObject *port = r->port;
    free(r);
    sys_complete(st, s);
    kobject_unref(port);
}

static void port_wait_on_packet(PortWaiter *w, const zx_port_packet_t *pkt)
{
    PortWaitRec *r = (PortWaitRec *)w;
    bool ok = r->user_out &&
              strict_memory_thread_copy(r->st, r->user_out, pkt, sizeof *pkt);
    port_wait_finish(r, ok ? ZX_OK : ZX_ERR_INVALID_ARGS);
}

static void port_wait_on_timeout(SimEngine *e, SimThread *st, void *ctx)
{
    PortWaitRec *r = ctx;
    port_wait_end(&r->w);
    port_wait_finish(r, ZX_ERR_TIMED_OUT);
}

static void port_wait_abandon(void *ctx)
{
    PortWaitRec *r = ctx;
    port_wait_end(&r->w);
    kobject_unref(r->port);
    free(r);
}

static void port_wait_describe(SimThread *st, void *ctx, char *buf, size_t len)
{
    PortWaitRec *r = ctx;
    snprintf(buf, len, "port_wait on port koid %llu",
             (unsigned long long)r->port->koid);
}

zx_status_t sys_port_wait(SysCtx *c, zx_handle_t handle,
                          zx_instant_mono_t deadline, zx_port_packet_t *packet)
{
    KObject *port;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ, &port);
    if (s != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.wait_setup);
    zx_port_packet_t pkt;
    if (port_dequeue(port, &pkt) == ZX_OK)
        return sys_copy_out(c, packet, &pkt, sizeof pkt) ? ZX_OK : ZX_ERR_INVALID_ARGS;
    if (deadline <= sim_now(c->k->engine))
        return ZX_ERR_TIMED_OUT;
    PortWaitRec *r = calloc(1, sizeof *r);
    if (!r)
        return ZX_ERR_NO_MEMORY;
    r->k = c->k;
    r->st = c->st;
    r->port = port;
    r->user_out = packet;
    r->w.on_packet = port_wait_on_packet;
    kobject_ref(port);
    port_wait_begin(port, &r->w);
    sys_block(c, ZX_THREAD_STATE_BLOCKED_PORT, deadline, port_wait_on_timeout, port_wait_describe,
              port_wait_abandon, r);
    return SYS_BLOCKED;
}

/* ---- Cancel and async waits --------------------------------------------------- */

/* The waited-on handle: lookup, WAIT, waitability (Zircon's order). */
static zx_status_t port_resolve_waitable(SysCtx *c, zx_handle_t value, Handle **out)
{
    zx_status_t s = sys_get_handle(c, value, ZX_OBJ_TYPE_NONE, ZX_RIGHT_WAIT, out);
    if (s != ZX_OK)
        return s;
    if (!(*out)->object->ops->waitable)
        return ZX_ERR_NOT_SUPPORTED;
    return ZX_OK;
}

zx_status_t sys_port_cancel(SysCtx *c, zx_handle_t handle, zx_handle_t source,
                            uint64_t key)
{
    KObject *port;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE, &port);
    if (s != ZX_OK)
        return s;
    Handle *h;
    if ((s = port_resolve_waitable(c, source, &h)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.handle_op);
    return port_cancel(port, h, key) ? ZX_OK : ZX_ERR_NOT_FOUND;
}

zx_status_t sys_object_wait_async(SysCtx *c, zx_handle_t handle,
                                  zx_handle_t port_handle, uint64_t key,
                                  zx_signals_t signals, uint32_t options)
{
    if ((options & ~WAIT_ASYNC_OPTIONS) != 0)
        return ZX_ERR_INVALID_ARGS;
    if ((options & ZX_WAIT_ASYNC_TIMESTAMP) && (options & ZX_WAIT_ASYNC_BOOT_TIMESTAMP))
        return ZX_ERR_INVALID_ARGS;
    KObject *port;
    zx_status_t s = sys_get_object(c, port_handle, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE, &port);
    if (s != ZX_OK)
        return s;
    Handle *h;
    if ((s = port_resolve_waitable(c, handle, &h)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.wait_setup);
    return port_wait_async(port, h->object, h, key, signals, options);
}
