/* port.h — ports: a FIFO of packets that threads dequeue one at a time,
 * fed by zx_port_queue (user packets) and by zx_object_wait_async
 * registrations (signal packets). See port.c. */
#ifndef CAPSIM_MODEL_PORT_H
#define CAPSIM_MODEL_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/syscalls/port.h>

#include "handle.h"
#include "object.h"

extern const KObjectOps port_ops;

/* Outstanding user packets one port accepts (newest Zircon: 4096). */
#define PORT_MAX_USER_PACKETS 4096u

/* A thread blocked in port_wait. When a packet arrives it is handed to the
 * oldest waiter: the waiter is unregistered, then on_packet runs with a
 * copy of the packet (the kernel's copy is gone by then). */
typedef struct PortWaiter PortWaiter;
struct PortWaiter {
    PortWaiter *prev, *next;
    KObject *port;            /* registered on; NULL when not registered */
    void (*on_packet)(PortWaiter *w, const zx_port_packet_t *pkt);
};

/* A port with refcount 1 owned by the caller. options: 0 or
 * ZX_PORT_BIND_TO_INTERRUPT (already validated). */
zx_status_t port_create(Kernel *k, uint32_t options, KObject **out);
/* Queue a user packet (type forced to ZX_PKT_TYPE_USER). Errors:
 * ZX_ERR_SHOULD_WAIT (PORT_MAX_USER_PACKETS outstanding), ZX_ERR_NO_MEMORY. */
zx_status_t port_queue_user(KObject *port, const zx_port_packet_t *pkt);
/* Take the oldest packet into *out: ZX_OK, or ZX_ERR_SHOULD_WAIT if none. */
zx_status_t port_dequeue(KObject *port, zx_port_packet_t *out);
void port_wait_begin(KObject *port, PortWaiter *w);
void port_wait_end(PortWaiter *w);

/* Register a one-shot observer on `obj` (waitable; validated by the
 * caller) through handle h: one ZX_PKT_TYPE_SIGNAL_ONE packet with `key`
 * is queued on the port when any of `signals` is active (EDGE: becomes
 * active later). Returns ZX_OK or ZX_ERR_NO_MEMORY. */
zx_status_t port_wait_async(KObject *port, KObject *obj, const Handle *h,
                            uint64_t key, zx_signals_t signals,
                            uint32_t options);
/* Remove the registrations made through h with `key` and their queued
 * packets. Returns true if anything was removed. */
bool port_cancel(KObject *port, const Handle *h, uint64_t key);

/* Introspection (tests, invariants, get_info). */
uint32_t port_queued(const KObject *port);
uint32_t port_observers(const KObject *port);
/* Visit the async-wait registrations on `port` in creation order: the
 * waited object's koid, key, signals, and whether its packet is queued
 * (export.c draws them as port bindings). */
void port_visit_bindings(const KObject *port,
                         void (*fn)(zx_koid_t object, uint64_t key,
                                    zx_signals_t signals, bool queued,
                                    void *ctx),
                         void *ctx);

#endif
