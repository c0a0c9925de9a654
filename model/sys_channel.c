/* sys_channel.c — the channel family: channel_create, channel_read[_etc],
 * channel_write[_etc], channel_call[_etc]. ABI work only: copying bytes
 * and handle arrays, moving Handles between tables and messages, traces;
 * queues, signals and call matching live in channel.c.
 *
 * Zircon's facts reproduced here:
 *  - write order: options -> channel (WRITE) -> sizes (OUT_OF_RANGE) ->
 *    bytes copy -> per-handle checks -> enqueue (PEER_CLOSED). Whatever
 *    fails, every MOVE entry has left the caller's table (a failing entry
 *    is closed too, even the channel's own handle); DUPLICATE entries never
 *    consume their source. Per entry: BAD_HANDLE, no TRANSFER
 *    (ACCESS_DENIED), the channel itself (NOT_SUPPORTED), type mismatch
 *    (WRONG_TYPE), bad op or rights not a subset (INVALID_ARGS), DUPLICATE
 *    without DUPLICATE (ACCESS_DENIED); all entries are processed, the
 *    first error is returned and _etc writes each entry's result back.
 *  - read: handle (READ) -> options (NOT_SUPPORTED) -> queue. Sizes go to
 *    actual_* also on BUFFER_TOO_SMALL; bytes are written before handles;
 *    a bad buffer after the message was taken loses it (handles closed).
 *    Received handles get new values, same rights; waits made through them
 *    are cancelled on arrival, as Zircon's msg_get_handles does.
 *  - call: args copy (nothing consumed) -> options -> channel (READ|WRITE)
 *    -> sizes -> at least 4 bytes -> handles -> kernel txid -> block
 *    (ZX_THREAD_STATE_BLOCKED_CHANNEL) until reply, deadline, peer close
 *    (PEER_CLOSED) or close of our handle (CANCELED). A reply too big for
 *    the read buffers is discarded: BUFFER_TOO_SMALL.
 *  - a write leaving more than CHANNEL_MAX_PENDING messages on the peer
 *    raises ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE through the weak hook
 *    exception_raise_policy_code; without it the write is refused with
 *    ZX_ERR_SHOULD_WAIT (the MOVE handles are still consumed).
 * Every moved handle is traced: KTR_HANDLE_REMOVE + KTR_HANDLE_SEND on the
 * way in, KTR_HANDLE_ADD + KTR_HANDLE_RECEIVE on the way out.
 * Read next: channel.c, then sys_port.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls/exception.h>

#include "channel.h"
#include "process.h"
#include "strict_memory.h"
#include "syscall.h"
#include "thread.h"

/* exception.c raises ZX_EXCP_POLICY_ERROR with a synth code (weak). */
void exception_raise_policy_code(SysCtx *c, uint32_t code) __attribute__((weak));

#define CHAN_MAX_H ZX_CHANNEL_MAX_MSG_HANDLES

/* ---- Consuming and building ------------------------------------------------ */

/* Remove (close) every MOVE entry of the caller's array that is still in
 * its table, in chunks, without the bad-handle policy (Zircon's
 * RemoveUserHandles). Stops at an unreadable chunk. */
static void chan_consume(SysCtx *c, const void *uhandles, uint32_t n, bool etc)
{
    for (uint32_t off = 0; off < n; off += CHAN_MAX_H) {
        uint32_t chunk = n - off < CHAN_MAX_H ? n - off : CHAN_MAX_H;
        zx_handle_t v[CHAN_MAX_H];
        if (etc) {
            zx_handle_disposition_t d[CHAN_MAX_H];
            if (!sys_copy_in(c, d, (const zx_handle_disposition_t *)uhandles + off,
                             chunk * sizeof d[0]))
                return;
            for (uint32_t i = 0; i < chunk; i++)
                v[i] = d[i].operation == ZX_HANDLE_OP_DUPLICATE ? ZX_HANDLE_INVALID
                                                                : d[i].handle;
        } else if (!sys_copy_in(c, v, (const zx_handle_t *)uhandles + off,
                                chunk * sizeof v[0])) {
            return;
        }
        for (uint32_t i = 0; i < chunk; i++) {
            Handle *h = handle_table_get(&c->proc->handles, v[i]);
            if (h)
                sys_close_handle(c, h);
        }
    }
}

static zx_status_t chan_build_iovec(SysCtx *c, const void *uvec, uint32_t n,
                                    uint32_t nhandles, ChannelMsg **out)
{
    if (n > ZX_CHANNEL_MAX_MSG_IOVECS)
        return ZX_ERR_OUT_OF_RANGE;
    zx_channel_iovec_t *vec = malloc((n ? n : 1) * sizeof *vec);
    if (!vec)
        return ZX_ERR_NO_MEMORY;
    zx_status_t s = ZX_OK;
    uint64_t total = 0;
    if (!sys_copy_in(c, vec, uvec, n * sizeof *vec))
        s = ZX_ERR_INVALID_ARGS;
    for (uint32_t i = 0; s == ZX_OK && i < n; i++) {
        if (vec[i].reserved != 0 || (!vec[i].buffer && vec[i].capacity))
            s = ZX_ERR_INVALID_ARGS;
        total += vec[i].capacity;
    }
    if (s == ZX_OK && total > ZX_CHANNEL_MAX_MSG_BYTES)
        s = ZX_ERR_OUT_OF_RANGE;
    ChannelMsg *m = NULL;
    if (s == ZX_OK && !(m = channel_msg_new(c->k, (uint32_t)total, nhandles)))
        s = ZX_ERR_NO_MEMORY;
    for (uint32_t i = 0, at = 0; s == ZX_OK && i < n; at += vec[i].capacity, i++)
        if (!sys_copy_in(c, m->bytes + at, vec[i].buffer, vec[i].capacity))
            s = ZX_ERR_INVALID_ARGS;
    free(vec);
    if (s != ZX_OK && m)
        channel_msg_free(c->k, m);
    *out = s == ZX_OK ? m : NULL;
    return s;
}

/* One flat buffer: size, allocation, byte copy. */
static inline zx_status_t chan_build_flat(SysCtx *c, const void *bytes,
                                          uint32_t nbytes, uint32_t nhandles,
                                          ChannelMsg **out)
{
    *out = NULL;
    if (nbytes > ZX_CHANNEL_MAX_MSG_BYTES)
        return ZX_ERR_OUT_OF_RANGE;
    ChannelMsg *m = channel_msg_new(c->k, nbytes, nhandles);
    if (!m)
        return ZX_ERR_NO_MEMORY;
    if (!sys_copy_in(c, m->bytes, bytes, nbytes)) {
        channel_msg_free(c->k, m);
        return ZX_ERR_INVALID_ARGS;
    }
    *out = m;
    return ZX_OK;
}

/* Sizes, allocation, byte copy (Zircon's MessagePacket::Create). */
static zx_status_t chan_build(SysCtx *c, uint32_t options, const void *bytes,
                              uint32_t nbytes, uint32_t nhandles, ChannelMsg **out)
{
    *out = NULL;
    if (nhandles > ZX_CHANNEL_MAX_MSG_HANDLES)
        return ZX_ERR_OUT_OF_RANGE;
    if (options & ZX_CHANNEL_WRITE_USE_IOVEC)
        return chan_build_iovec(c, bytes, nbytes, nhandles, out);
    return chan_build_flat(c, bytes, nbytes, nhandles, out);
}

/* ---- Putting handles into a message ---------------------------------------- */

/* One entry's checks, in Zircon's order. */
static zx_status_t chan_entry_check(SysCtx *c, KObject *ep, Handle *h,
                                    const zx_handle_disposition_t *d,
                                    zx_rights_t *rights)
{
    if (!rights_has(h->rights, ZX_RIGHT_TRANSFER))
        return ZX_ERR_ACCESS_DENIED;
    if (h->object == ep)
        return ZX_ERR_NOT_SUPPORTED;
    if (d->type != ZX_OBJ_TYPE_NONE && h->object->ops->type != d->type)
        return ZX_ERR_WRONG_TYPE;
    if (d->operation != ZX_HANDLE_OP_MOVE && d->operation != ZX_HANDLE_OP_DUPLICATE)
        return ZX_ERR_INVALID_ARGS;
    if (!sys_derive_rights(c, h->rights, d->rights, rights))
        return ZX_ERR_INVALID_ARGS;
    if (d->operation == ZX_HANDLE_OP_DUPLICATE &&
        !rights_has(h->rights, ZX_RIGHT_DUPLICATE))
        return ZX_ERR_ACCESS_DENIED;
    return ZX_OK;
}

/* Take one handle out of the caller's table into the message. */
static void chan_take(SysCtx *c, Handle *h)
{
    KProcess *p = c->proc;
    zx_handle_t v = handle_table_value(&p->handles, h);
    kernel_trace(c->k, KTR_HANDLE_REMOVE, p->base.koid, h->object->koid,
                 h->rights, v, NULL);
    handle_table_remove(&p->handles, v);
}

/* Resolve one entry into the Handle the message will carry. */
static zx_status_t chan_put_one(SysCtx *c, KObject *ep,
                                const zx_handle_disposition_t *d, Handle **out)
{
    Handle *h;
    zx_status_t s = sys_lookup(c, d->handle, &h);
    if (s != ZX_OK)
        return s;
    zx_rights_t rights;
    if ((s = chan_entry_check(c, ep, h, d, &rights)) != ZX_OK)
        return s;
    if (d->operation == ZX_HANDLE_OP_MOVE && rights == h->rights) {
        chan_take(c, h);
        *out = h;
        return ZX_OK;
    }
    Handle *n = handle_new(c->k, h->object, rights);
    if (!n)
        return ZX_ERR_NO_MEMORY;
    if (d->operation == ZX_HANDLE_OP_MOVE)
        sys_close_handle(c, h);
    *out = n;
    return ZX_OK;
}

static zx_status_t chan_put_handles(SysCtx *c, KObject *ep, ChannelMsg *m,
                                    void *uhandles, bool etc)
{
    uint32_t n = m->nhandles;
    zx_handle_disposition_t d[CHAN_MAX_H];
    if (etc) {
        if (!sys_copy_in(c, d, uhandles, n * sizeof d[0]))
            return ZX_ERR_INVALID_ARGS;
    } else {
        zx_handle_t v[CHAN_MAX_H];
        if (!sys_copy_in(c, v, uhandles, n * sizeof v[0]))
            return ZX_ERR_INVALID_ARGS;
        for (uint32_t i = 0; i < n; i++)
            d[i] = (zx_handle_disposition_t){ZX_HANDLE_OP_MOVE, v[i],
                                             ZX_OBJ_TYPE_NONE,
                                             ZX_RIGHT_SAME_RIGHTS, ZX_OK};
    }
    zx_status_t first = ZX_OK;
    bool exited = false;
    for (uint32_t i = 0; i < n; i++) {
        zx_status_t s = chan_put_one(c, ep, &d[i], &m->handles[i]);
        if (s == SYS_EXITED) {
            exited = true;
            s = ZX_ERR_BAD_HANDLE;
        }
        if (s != ZX_OK) {
            d[i].result = s;
            if (first == ZX_OK)
                first = s;
        }
    }
    sys_charge(c, c->k->costs.per_handle_moved * n);
    if (etc && first != ZX_OK && !sys_copy_out(c, uhandles, d, n * sizeof d[0]))
        first = ZX_ERR_INVALID_ARGS;
    return exited ? SYS_EXITED : first;
}

/* ---- Sending ----------------------------------------------------------------- */

static void chan_trace_send(SysCtx *c, KObject *ep, const ChannelMsg *m)
{
    for (uint32_t i = 0; i < m->nhandles; i++)
        kernel_trace(c->k, KTR_HANDLE_SEND, c->proc->base.koid,
                     m->handles[i]->object->koid, m->handles[i]->rights,
                     ep->koid, NULL);
}

/* The queue length at which a write is refused: with the exception hook
 * never (Zircon's behaviour: queue, then raise); without it, at the limit. */
static uint32_t chan_refuse_at(void)
{
    return exception_raise_policy_code ? UINT32_MAX : CHANNEL_MAX_PENDING;
}

static void chan_after_write(SysCtx *c, bool over_limit)
{
    if (over_limit && exception_raise_policy_code)
        exception_raise_policy_code(c, ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE);
}

/* Peer check, queue limit, then the write. Handles are traced between
 * the checks and the write; a byte-only message takes one call. Once
 * written, m may already be gone (a reply taken by a waiting
 * zx_channel_call is consumed at once): nothing reads it after. */
static zx_status_t chan_send(SysCtx *c, KObject *ep, ChannelMsg *m)
{
    zx_status_t s;
    bool over = false;
    uint32_t nbytes = m->nbytes;
    if (__builtin_expect(m->nhandles == 0, 1)) {
        s = channel_write_checked(ep, m, chan_refuse_at(), &over);
    } else if ((s = channel_writable(ep, chan_refuse_at())) == ZX_OK) {
        chan_trace_send(c, ep, m);
        channel_write(ep, m, &over); /* the peer is live: cannot fail */
    }
    if (s != ZX_OK) {
        channel_msg_free(c->k, m);
        return s;
    }
    sys_charge(c, c->k->costs.per_kib_copy * nbytes / 1024);
    chan_after_write(c, over);
    return ZX_OK;
}

static zx_status_t chan_write_common(SysCtx *c, zx_handle_t handle,
                                     uint32_t options, const void *bytes,
                                     uint32_t nbytes, void *uhandles,
                                     uint32_t nhandles, bool etc)
{
    KObject *ep = NULL;
    ChannelMsg *m = NULL;
    zx_status_t s = ZX_ERR_INVALID_ARGS;
    if ((options & ~ZX_CHANNEL_WRITE_USE_IOVEC) == 0 &&
        (s = sys_get_object(c, handle, ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_WRITE, &ep)) == ZX_OK &&
        (s = chan_build(c, options, bytes, nbytes, nhandles, &m)) == ZX_OK &&
        nhandles > 0)
        s = chan_put_handles(c, ep, m, uhandles, etc);
    if (s != ZX_OK) {
        if (m)
            channel_msg_free(c->k, m);
        chan_consume(c, uhandles, nhandles, etc);
        return s;
    }
    sys_charge(c, c->k->costs.handle_op);
    return chan_send(c, ep, m);
}

/* chan_write_common for options 0 and no handles (most writes): the same
 * steps in the same order, and nothing to consume when one fails. */
static zx_status_t chan_write_bytes(SysCtx *c, zx_handle_t handle,
                                    const void *bytes, uint32_t nbytes)
{
    KObject *ep;
    ChannelMsg *m;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_WRITE, &ep);
    if (s == ZX_OK)
        s = chan_build_flat(c, bytes, nbytes, 0, &m);
    if (s != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.handle_op);
    return chan_send(c, ep, m);
}

zx_status_t sys_channel_create(SysCtx *c, uint32_t options, zx_handle_t *out0,
                               zx_handle_t *out1)
{
    if (options != 0)
        return ZX_ERR_INVALID_ARGS;
    zx_status_t s = sys_policy(c, ZX_POL_NEW_CHANNEL);
    if (s != ZX_OK)
        return s;
    KObject *a, *b;
    if ((s = channel_create(c->k, &a, &b)) != ZX_OK)
        return s;
    sys_charge(c, c->k->costs.object_create);
    s = sys_make_pair(c, a, b, ZX_DEFAULT_CHANNEL_RIGHTS, out0, out1);
    kobject_unref(a);
    kobject_unref(b);
    return s;
}

zx_status_t sys_channel_write(SysCtx *c, zx_handle_t handle, uint32_t options,
                              const void *bytes, uint32_t num_bytes,
                              const zx_handle_t *handles, uint32_t num_handles)
{
    if (__builtin_expect((options | num_handles) == 0, 1))
        return chan_write_bytes(c, handle, bytes, num_bytes);
    return chan_write_common(c, handle, options, bytes, num_bytes,
                             (void *)handles, num_handles, false);
}

zx_status_t sys_channel_write_etc(SysCtx *c, zx_handle_t handle, uint32_t options,
                                  const void *bytes, uint32_t num_bytes,
                                  zx_handle_disposition_t *handles,
                                  uint32_t num_handles)
{
    return chan_write_common(c, handle, options, bytes, num_bytes, handles,
                             num_handles, true);
}

/* ---- Receiving ----------------------------------------------------------------- */

/* Into p's memory: p is the reader, maybe not the caller (call replies). */
static bool chan_copy_out(KProcess *p, void *dst, const void *src, size_t n)
{
    return n == 0 || (dst != NULL && strict_memory_user_copy(p, dst, src, n));
}

/* Undo the first n installs of m's handles (they stay in m, to be closed). */
static void chan_uninstall(Kernel *k, KProcess *p, ChannelMsg *m, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        Handle *h = m->handles[i];
        zx_handle_t v = handle_table_value(&p->handles, h);
        kernel_trace(k, KTR_HANDLE_REMOVE, p->base.koid, h->object->koid,
                     h->rights, v, NULL);
        handle_table_remove(&p->handles, v);
    }
}

/* Install m's handles in p's table and write their values (or infos).
 * All or nothing: on failure the handles stay in m. */
static zx_status_t chan_install(Kernel *k, KProcess *p, zx_koid_t ep_koid,
                                ChannelMsg *m, void *uhandles, bool etc)
{
    zx_handle_info_t info[CHAN_MAX_H];
    zx_handle_t vals[CHAN_MAX_H];
    uint32_t n = m->nhandles;
    for (uint32_t i = 0; i < n; i++) {
        Handle *h = m->handles[i];
        kobject_cancel_waits(h->object, h);
        zx_handle_t v = process_add_handle(p, h);
        if (v == ZX_HANDLE_INVALID) {
            chan_uninstall(k, p, m, i);
            return ZX_ERR_NO_MEMORY;
        }
        vals[i] = v;
        info[i] = (zx_handle_info_t){v, h->object->ops->type, h->rights, 0};
    }
    bool ok = etc ? chan_copy_out(p, uhandles, info, n * sizeof info[0])
                  : chan_copy_out(p, uhandles, vals, n * sizeof vals[0]);
    if (!ok) {
        chan_uninstall(k, p, m, n);
        return ZX_ERR_INVALID_ARGS;
    }
    for (uint32_t i = 0; i < n; i++) {
        kernel_trace(k, KTR_HANDLE_RECEIVE, p->base.koid,
                     m->handles[i]->object->koid, m->handles[i]->rights,
                     ep_koid, NULL);
        m->handles[i] = NULL; /* now owned by p's table */
    }
    return ZX_OK;
}

/* Bytes first, then handles (Zircon's documented order). */
static zx_status_t chan_deliver(Kernel *k, KProcess *p, zx_koid_t ep_koid,
                                ChannelMsg *m, void *ubytes, void *uhandles,
                                bool etc)
{
    if (!chan_copy_out(p, ubytes, m->bytes, m->nbytes))
        return ZX_ERR_INVALID_ARGS;
    if (m->nhandles == 0) /* most messages: nothing to install */
        return ZX_OK;
    return chan_install(k, p, ep_koid, m, uhandles, etc);
}

/* Inlined into each handler (kept out of line themselves, so the dispatch
 * switch stays small): zx_channel_read's eight arguments reach it without
 * a second call that passes three of them on the stack. */
__attribute__((always_inline)) static inline zx_status_t
chan_read_common(SysCtx *c, zx_handle_t handle, uint32_t options, void *bytes,
                 void *handles, uint32_t num_bytes, uint32_t num_handles,
                 uint32_t *actual_bytes, uint32_t *actual_handles, bool etc)
{
    KObject *ep;
    zx_status_t s = sys_get_object(c, handle, ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_READ, &ep);
    if (s != ZX_OK)
        return s;
    if (options & ~ZX_CHANNEL_READ_MAY_DISCARD)
        return ZX_ERR_NOT_SUPPORTED;
    sys_charge(c, c->k->costs.handle_op);
    ChannelMsg *m;
    uint32_t nb = 0, nh = 0;
    s = channel_read(ep, num_bytes, num_handles,
                     (options & ZX_CHANNEL_READ_MAY_DISCARD) != 0, &m, &nb, &nh);
    if (s != ZX_OK && s != ZX_ERR_BUFFER_TOO_SMALL)
        return s;
    zx_status_t r = s;
    if (!sys_copy_out_opt(c, actual_bytes, &nb, sizeof nb) ||
        !sys_copy_out_opt(c, actual_handles, &nh, sizeof nh))
        r = ZX_ERR_INVALID_ARGS;
    else if (s == ZX_OK)
        r = chan_deliver(c->k, c->proc, ep->koid, m, bytes, handles, etc);
    if (m) {
        sys_charge(c, c->k->costs.per_kib_copy * m->nbytes / 1024 +
                          c->k->costs.per_handle_moved * m->nhandles);
        channel_msg_free(c->k, m);
    }
    return r;
}

__attribute__((noinline)) zx_status_t
sys_channel_read(SysCtx *c, zx_handle_t handle, uint32_t options, void *bytes,
                 zx_handle_t *handles, uint32_t num_bytes, uint32_t num_handles,
                 uint32_t *actual_bytes, uint32_t *actual_handles)
{
    return chan_read_common(c, handle, options, bytes, handles, num_bytes,
                            num_handles, actual_bytes, actual_handles, false);
}

__attribute__((noinline)) zx_status_t
sys_channel_read_etc(SysCtx *c, zx_handle_t handle, uint32_t options,
                     void *bytes, zx_handle_info_t *handles, uint32_t num_bytes,
                     uint32_t num_handles, uint32_t *actual_bytes,
                     uint32_t *actual_handles)
{
    return chan_read_common(c, handle, options, bytes, handles, num_bytes,
                            num_handles, actual_bytes, actual_handles, true);
}

/* ---- channel_call ---------------------------------------------------------------- */

typedef struct ChanCallRec {
    ChannelCall call;            /* first: callbacks get &rec->call */
    Kernel *k;
    SimThread *st;
    KProcess *proc;
    zx_koid_t ep_koid;
    bool etc;
    zx_channel_call_args_t args; /* _etc args share the layout */
    uint32_t *actual_bytes, *actual_handles;
} ChanCallRec;

static zx_status_t chan_call_read_out(ChanCallRec *r, ChannelMsg *reply)
{
    uint32_t nb = reply->nbytes, nh = reply->nhandles;
    if (nb > r->args.rd_num_bytes || nh > r->args.rd_num_handles)
        return ZX_ERR_BUFFER_TOO_SMALL;
    if (!chan_copy_out(r->proc, r->actual_bytes, &nb, sizeof nb) ||
        !chan_copy_out(r->proc, r->actual_handles, &nh, sizeof nh))
        return ZX_ERR_INVALID_ARGS;
    return chan_deliver(r->k, r->proc, r->ep_koid, reply, r->args.rd_bytes,
                        (void *)r->args.rd_handles, r->etc);
}

static void chan_call_on_reply(ChannelCall *call, ChannelMsg *reply)
{
    ChanCallRec *r = (ChanCallRec *)call;
    zx_status_t s = chan_call_read_out(r, reply);
    channel_msg_free(r->k, reply);
    SimThread *st = r->st;
    free(r);
    sys_complete(st, s);
}

static void chan_call_on_abort(ChannelCall *call, zx_status_t status)
{
    ChanCallRec *r = (ChanCallRec *)call;
    SimThread *st = r->st;
    free(r);
    sys_complete(st, status);
}

static void chan_call_on_timeout(SimEngine *e, SimThread *st, void *ctx)
{
    ChanCallRec *r = ctx;
    channel_call_end(&r->call);
    free(r);
    sys_complete(st, ZX_ERR_TIMED_OUT);
}

static void chan_call_abandon(void *ctx)
{
    ChanCallRec *r = ctx;
    channel_call_end(&r->call);
    free(r);
}

static void chan_call_describe(SimThread *st, void *ctx, char *buf, size_t len)
{
    ChanCallRec *r = ctx;
    snprintf(buf, len, "channel_call on channel koid %llu (txid 0x%x)",
             (unsigned long long)r->ep_koid, r->call.txid);
}

/* Validate and build the request; on failure the MOVE handles are gone. */
static zx_status_t chan_call_prepare(SysCtx *c, zx_handle_t handle,
                                     uint32_t options, ChanCallRec *r,
                                     KObject **ep, ChannelMsg **m)
{
    const zx_channel_call_args_t *a = &r->args;
    zx_status_t s = ZX_ERR_INVALID_ARGS;
    *m = NULL;
    if ((options & ~ZX_CHANNEL_WRITE_USE_IOVEC) == 0 &&
        (s = sys_get_object(c, handle, ZX_OBJ_TYPE_CHANNEL,
                            ZX_RIGHT_READ | ZX_RIGHT_WRITE, ep)) == ZX_OK &&
        (s = chan_build(c, options, a->wr_bytes, a->wr_num_bytes,
                        a->wr_num_handles, m)) == ZX_OK) {
        if ((*m)->nbytes < sizeof(zx_txid_t))
            s = ZX_ERR_INVALID_ARGS;
        else if (a->wr_num_handles > 0)
            s = chan_put_handles(c, *ep, *m, (void *)a->wr_handles, r->etc);
    }
    if (s != ZX_OK) {
        if (*m)
            channel_msg_free(c->k, *m);
        *m = NULL;
        chan_consume(c, a->wr_handles, a->wr_num_handles, r->etc);
    }
    return s;
}

static zx_status_t chan_call_common(SysCtx *c, zx_handle_t handle,
                                    uint32_t options, zx_instant_mono_t deadline,
                                    const void *uargs, uint32_t *actual_bytes,
                                    uint32_t *actual_handles, bool etc)
{
    ChanCallRec *r = calloc(1, sizeof *r);
    if (!r)
        return ZX_ERR_NO_MEMORY;
    if (!sys_copy_in(c, &r->args, uargs, sizeof r->args)) {
        free(r);
        return ZX_ERR_INVALID_ARGS;
    }
    r->etc = etc;
    KObject *ep;
    ChannelMsg *m;
    zx_status_t s = chan_call_prepare(c, handle, options, r, &ep, &m);
    if (s == ZX_OK)
        s = channel_writable(ep, chan_refuse_at());
    if (s != ZX_OK) {
        if (m)
            channel_msg_free(c->k, m); /* closes the written handles */
        free(r);
        return s;
    }
    r->k = c->k;
    r->st = c->st;
    r->proc = c->proc;
    r->ep_koid = ep->koid;
    r->actual_bytes = actual_bytes;
    r->actual_handles = actual_handles;
    r->call.on_reply = chan_call_on_reply;
    r->call.on_abort = chan_call_on_abort;
    sys_charge(c, c->k->costs.handle_op + c->k->costs.per_kib_copy * m->nbytes / 1024);
    chan_trace_send(c, ep, m);
    bool over;
    channel_call_begin(ep, m, &r->call, &over); /* peer is live */
    chan_after_write(c, over);
    if (deadline <= sim_now(c->k->engine)) {
        channel_call_end(&r->call);
        free(r);
        return ZX_ERR_TIMED_OUT;
    }
    sys_block(c, ZX_THREAD_STATE_BLOCKED_CHANNEL, deadline, chan_call_on_timeout, chan_call_describe,
              chan_call_abandon, r);
    return SYS_BLOCKED;
}

zx_status_t sys_channel_call(SysCtx *c, zx_handle_t handle, uint32_t options,
                             zx_instant_mono_t deadline,
                             const zx_channel_call_args_t *args,
                             uint32_t *actual_bytes, uint32_t *actual_handles)
{
    return chan_call_common(c, handle, options, deadline, args, actual_bytes,
                            actual_handles, false);
}

zx_status_t sys_channel_call_etc(SysCtx *c, zx_handle_t handle, uint32_t options,
                                 zx_instant_mono_t deadline,
                                 zx_channel_call_etc_args_t *args,
                                 uint32_t *actual_bytes, uint32_t *actual_handles)
{
    return chan_call_common(c, handle, options, deadline, args, actual_bytes,
                            actual_handles, true);
}
