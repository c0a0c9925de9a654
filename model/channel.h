/* channel.h — channels: two peered endpoints carrying messages of bytes
 * and handles. The API other kernel code uses (exceptions deliver through
 * it; invariants walk in-flight handles; sys_channel.c drives the rest).
 * See channel.c. */
#ifndef CAPSIM_MODEL_CHANNEL_H
#define CAPSIM_MODEL_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "handle.h"
#include "kernel.h"
#include "object.h"

extern const KObjectOps channel_ops;

/* Zircon's kMaxPendingMessageCount: a write that leaves more than this many
 * unread messages on the peer raises ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE. */
#define CHANNEL_MAX_PENDING 3500u
/* channel_call txids are >= this; userspace txids stay below. */
#define CHANNEL_TXID_KERNEL_MIN 0x80000000u

/* Two endpoints, each with refcount 1 owned by the caller. */
zx_status_t channel_create(Kernel *k, KObject **out0, KObject **out1);
/* Queue a message on `ep`'s peer (what a write through `ep` does). On
 * ZX_OK the message owns the handles (already out of any table). On error
 * the handles are untouched and still owned by the caller. Errors:
 * ZX_ERR_PEER_CLOSED, ZX_ERR_SHOULD_WAIT (peer queue full, kernel writers),
 * ZX_ERR_NO_MEMORY. */
zx_status_t channel_write_msg(KObject *ep, const void *bytes, uint32_t nbytes,
                              Handle *const *handles, uint32_t nhandles);
/* The live peer endpoint, NULL once it is gone. */
KObject *channel_peer(KObject *ep);
/* Number of messages queued for reading on `ep`. */
uint32_t channel_queued(const KObject *ep);
/* Visit every Handle travelling inside a queued message (koid order of the
 * endpoints, queue order within one). */
void channel_visit_inflight(Kernel *k, void (*fn)(Handle *h, void *ctx),
                            void *ctx);
/* Visit the handles inside messages queued on one endpoint `ep` (readable
 * through it), in queue order; `msg` counts messages from 0 (export.c). */
void channel_visit_queued(KObject *ep,
                          void (*fn)(Handle *h, uint32_t msg, void *ctx),
                          void *ctx);

/* ---- Messages (one allocation: header, handle slots, bytes) ------------ */
typedef struct ChannelMsg {
    struct ChannelMsg *next;
    uint32_t nbytes, nhandles;
    uint8_t *bytes;           /* points just after handles[] */
    Handle *handles[];        /* NULL until filled; NULLs are skipped */
} ChannelMsg;

/* A message with room for nbytes and nhandles (handle slots NULL), or NULL
 * when out of memory. */
ChannelMsg *channel_msg_new(Kernel *k, uint32_t nbytes, uint32_t nhandles);
/* Free a message, destroying (closing) every handle still in it. Inline:
 * every read frees one, and a message without handles only goes back to
 * its free list. */
void channel_msg_free_handles(Kernel *k, ChannelMsg *m);
static inline void channel_msg_free(Kernel *k, ChannelMsg *m)
{
    if (__builtin_expect(m->nhandles != 0, 0))
        channel_msg_free_handles(k, m);
    else
        kmem_free(&k->kmem, m, sizeof(ChannelMsg) + m->nbytes);
}
/* The leading zx_txid_t (0 for messages shorter than 4 bytes). */
uint32_t channel_msg_txid(const ChannelMsg *m);

/* Write `m` through `ep` to its peer. ZX_OK: the channel owns m (delivered
 * to a matching channel_call waiter or queued). ZX_ERR_PEER_CLOSED: the
 * caller still owns m. *over_limit (may be NULL) is set when the peer now
 * holds more than CHANNEL_MAX_PENDING messages (Zircon's exception point;
 * the message is queued all the same). */
zx_status_t channel_write(KObject *ep, ChannelMsg *m, bool *over_limit);
/* Whether a write through `ep` may go ahead: ZX_ERR_PEER_CLOSED once the
 * peer is gone, ZX_ERR_SHOULD_WAIT while the peer already holds `refuse_at`
 * or more messages (UINT32_MAX: never), else ZX_OK. */
zx_status_t channel_writable(KObject *ep, uint32_t refuse_at);
/* channel_writable, then channel_write when it allowed the write. On an
 * error the caller still owns m and *over_limit is false. */
zx_status_t channel_write_checked(KObject *ep, ChannelMsg *m, uint32_t refuse_at,
                                  bool *over_limit);
/* Take the first message queued on `ep`. ZX_OK: *out is the caller's.
 * ZX_ERR_BUFFER_TOO_SMALL: *nbytes and *nhandles give the message's sizes; it
 * stays queued (*out NULL) unless may_discard, when it is popped into *out
 * for the caller to free. ZX_ERR_SHOULD_WAIT (empty) or ZX_ERR_PEER_CLOSED
 * (empty and the peer is gone). *nbytes and *nhandles are set whenever a
 * message was looked at. */
zx_status_t channel_read(KObject *ep, uint32_t max_bytes, uint32_t max_handles,
                         bool may_discard, ChannelMsg **out, uint32_t *nbytes,
                         uint32_t *nhandles);

/* ---- channel_call waiters ----------------------------------------------
 * A pending call on endpoint `ep`: a reply written by the peer whose txid
 * matches goes to on_reply (which owns it) instead of the queue. When the
 * peer closes, on_abort(ZX_ERR_PEER_CLOSED); when ep loses its last handle,
 * on_abort(ZX_ERR_CANCELED). The waiter is unregistered before either
 * callback runs. */
typedef struct ChannelCall ChannelCall;
struct ChannelCall {
    ChannelCall *prev, *next;
    KObject *ep;              /* registered on; NULL when not registered */
    uint32_t txid;
    void (*on_reply)(ChannelCall *call, ChannelMsg *reply);
    void (*on_abort)(ChannelCall *call, zx_status_t status);
};

/* Allocate a txid unique among ep's pending calls, store it in m's first
 * four bytes (m->nbytes >= 4), register `call`, and write m. On
 * ZX_ERR_PEER_CLOSED nothing is registered and the caller keeps m. */
zx_status_t channel_call_begin(KObject *ep, ChannelMsg *m, ChannelCall *call,
                               bool *over_limit);
/* Unregister a call that ended otherwise (deadline, killed thread). */
void channel_call_end(ChannelCall *call);
/* Number of calls pending on ep (invariants, info). */
uint32_t channel_pending_calls(const KObject *ep);

#endif
