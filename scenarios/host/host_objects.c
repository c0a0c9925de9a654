/* host_objects.c — objects a script creates and holds, and handing them to
 * the processes it spawns (capsim_script.h).
 *
 * Models: the launcher of a Fuchsia system (component manager, a test
 * harness) as a process of its own, "host", in the root job. It never runs;
 * it holds the handles of what the script creates, with each type's
 * default rights, and moves them into new processes as startup handles
 * (processargs-style: PA_HND(type, arg)), attenuated if asked. Because it
 * is a real process, the capability graph shows the launcher's authority
 * and every handle it gives away is a traced handle move.
 *
 * Invariants: a spawn validates every handle and right before anything
 * moves; on failure the host keeps everything. The host process is never
 * started, so it never dies (its handles live until the system is freed).
 * Host operations are kernel operations made from outside any thread:
 * they cost no virtual time and go through the objects' own functions.
 * Leaves out: the host waiting on signals (scripts run the engine instead).
 * Read next: host_component.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/policy.h>

#include "app.h"
#include "channel.h"
#include "event.h"
#include "eventpair.h"
#include "host_script_internal.h"
#include "job.h"
#include "socket.h"
#include "thread.h"
#include "vmo.h"
#include "viz_style.h"

/* ---- The host process ---------------------------------------------------- */

static KProcess *host_objects_host(CapsimSystem *sys)
{
    HostScript *s = host_script(sys);
    if (!s->host && process_create(sys->k->root_job, "host", 4, &s->host) != ZX_OK)
        s->host = NULL;
    return s->host;
}

uint64_t capsim_host_koid(CapsimSystem *sys)
{
    HostScript *s = host_script(sys);
    return s->host ? s->host->base.koid : 0;
}

/* Install a new handle to o in the host's table. */
static int host_objects_give(CapsimSystem *sys, KObject *o, zx_rights_t rights,
                             uint32_t *out)
{
    KProcess *host = host_objects_host(sys);
    Handle *h = host ? handle_new(sys->k, o, rights) : NULL;
    uint32_t v = h ? process_add_handle(host, h) : ZX_HANDLE_INVALID;
    if (v == ZX_HANDLE_INVALID) {
        if (h)
            handle_destroy(sys->k, h);
        return host_script_fail(sys, ZX_ERR_NO_MEMORY, "the host's handle table is full");
    }
    *out = v;
    return ZX_OK;
}

Handle *host_objects_lookup(CapsimSystem *sys, uint32_t value, int *status)
{
    KProcess *host = host_script(sys)->host; /* a lookup never creates it */
    Handle *h = host ? handle_table_get(&host->handles, value) : NULL;
    *status = h ? ZX_OK
                : host_script_fail(sys, ZX_ERR_BAD_HANDLE,
                                   "handle %#x is not one the host holds (closed, "
                                   "moved to a process, or never made)", value);
    return h;
}

void host_objects_drop(CapsimSystem *sys, Handle *h)
{
    KProcess *host = sys->script->host;
    kernel_trace(sys->k, KTR_HANDLE_REMOVE, host->base.koid, h->object->koid,
                 h->rights, handle_table_value(&host->handles, h), NULL);
    handle_table_take(&host->handles, h);
    handle_destroy(sys->k, h);
}

/* Hand the creator's references on a fresh pair (or single: b NULL) to
 * the host's table; drops them either way. */
static int host_objects_adopt(CapsimSystem *sys, zx_status_t st, KObject *a,
                              KObject *b, uint32_t *out0, uint32_t *out1)
{
    if (st != ZX_OK)
        return host_script_fail(sys, st, "cannot create the object");
    st = host_objects_give(sys, a, a->ops->default_rights, out0);
    if (st == ZX_OK && b && (st = host_objects_give(sys, b, b->ops->default_rights, out1)) != ZX_OK)
        capsim_host_close(sys, *out0);
    kobject_unref(a);
    if (b)
        kobject_unref(b);
    return st;
}

int capsim_host_channel(CapsimSystem *sys, uint32_t *end0, uint32_t *end1)
{
    KObject *a = NULL, *b = NULL;
    zx_status_t st = channel_create(sys->k, &a, &b);
    return host_objects_adopt(sys, st, a, b, end0, end1);
}

int capsim_host_event(CapsimSystem *sys, uint32_t *out)
{
    KObject *a = NULL;
    zx_status_t st = event_create(sys->k, &a);
    return host_objects_adopt(sys, st, a, NULL, out, NULL);
}

int capsim_host_eventpair(CapsimSystem *sys, uint32_t *end0, uint32_t *end1)
{
    KObject *a = NULL, *b = NULL;
    zx_status_t st = eventpair_create(sys->k, &a, &b);
    return host_objects_adopt(sys, st, a, b, end0, end1);
}

int capsim_host_socket(CapsimSystem *sys, uint32_t options, uint32_t *end0,
                       uint32_t *end1)
{
    if (options & ~(uint32_t)ZX_SOCKET_DATAGRAM)
        return host_script_fail(sys, ZX_ERR_INVALID_ARGS,
                                "socket options are 0 (stream) or ZX_SOCKET_DATAGRAM");
    KObject *a = NULL, *b = NULL;
    zx_status_t st = socket_create(sys->k, options, &a, &b);
    return host_objects_adopt(sys, st, a, b, end0, end1);
}

int capsim_host_vmo(CapsimSystem *sys, uint64_t size, const void *data,
                    size_t len, const char *name, uint32_t *out)
{
    if (!size)
        size = len ? len : VMO_PAGE_SIZE;
    if (len > size)
        return host_script_fail(sys, ZX_ERR_OUT_OF_RANGE,
                                "%zu bytes of data do not fit in a %llu-byte VMO",
                                len, (unsigned long long)size);
    KVmo *v = NULL;
    zx_status_t st = vmo_create(sys->k, size, 0, &v);
    if (st != ZX_OK)
        return host_script_fail(sys, st, "cannot create a VMO of %llu bytes",
                                (unsigned long long)size);
    if (len)
        memcpy(vmo_bytes(v, 0), data, len);
    if (name)
        kobject_set_name((KObject *)v, name, strlen(name));
    return host_objects_adopt(sys, ZX_OK, (KObject *)v, NULL, out, NULL);
}

static int host_objects_vmo_range(CapsimSystem *sys, uint32_t vmo, uint64_t offset,
                                  size_t len, zx_rights_t need, KVmo **out)
{
    int st;
    Handle *h = host_objects_lookup(sys, vmo, &st);
    if (!h)
        return st;
    if (h->object->ops->type != ZX_OBJ_TYPE_VMO)
        return host_script_fail(sys, ZX_ERR_WRONG_TYPE, "handle %#x is a %s, not a vmo",
                                vmo, h->object->ops->name);
    if (!rights_has(h->rights, need))
        return host_script_fail(sys, ZX_ERR_ACCESS_DENIED, "handle %#x lacks the right to %s",
                                vmo, need == ZX_RIGHT_READ ? "read" : "write");
    *out = vmo_from(h->object);
    if (offset + len < offset || vmo_range_ok(*out, offset, len) != ZX_OK)
        return host_script_fail(sys, ZX_ERR_OUT_OF_RANGE,
                                "bytes %llu..%llu lie outside the VMO (%llu bytes)",
                                (unsigned long long)offset, (unsigned long long)(offset + len),
                                (unsigned long long)vmo_size(*out));
    return ZX_OK;
}

int capsim_host_vmo_read(CapsimSystem *sys, uint32_t vmo, uint64_t offset,
                         void *buf, size_t len)
{
    KVmo *v = NULL;
    int st = host_objects_vmo_range(sys, vmo, offset, len, ZX_RIGHT_READ, &v);
    if (st == ZX_OK)
        vmo_read_bytes(v, offset, buf, len);
    return st;
}

int capsim_host_vmo_write(CapsimSystem *sys, uint32_t vmo, uint64_t offset,
                          const void *data, size_t len)
{
    KVmo *v = NULL;
    int st = host_objects_vmo_range(sys, vmo, offset, len, ZX_RIGHT_WRITE, &v);
    if (st == ZX_OK)
        st = vmo_write_bytes(v, offset, data, len);
    return st;
}

KJob *host_objects_job(CapsimSystem *sys, uint32_t value, int *st)
{
    *st = ZX_OK;
    if (!value)
        return sys->k->root_job;
    Handle *h = host_objects_lookup(sys, value, st);
    if (h && h->object->ops->type != ZX_OBJ_TYPE_JOB) {
        *st = host_script_fail(sys, ZX_ERR_WRONG_TYPE, "handle %#x is a %s, not a job",
                               value, h->object->ops->name);
        return NULL;
    }
    return h ? job_from(h->object) : NULL;
}

int capsim_host_job(CapsimSystem *sys, uint32_t parent, const char *name,
                    uint32_t *out)
{
    int st;
    KJob *p = host_objects_job(sys, parent, &st);
    if (!p)
        return st;
    KJob *j = NULL;
    if ((st = job_create(p, &j)) != ZX_OK)
        return host_script_fail(sys, st, "cannot create a job under '%s' (%s)",
                                p->base.name, capsim_status_name(st));
    if (name)
        kobject_set_name(&j->base, name, strlen(name));
    return host_objects_adopt(sys, ZX_OK, &j->base, NULL, out, NULL);
}

int capsim_host_job_set_policy(CapsimSystem *sys, uint32_t job, uint32_t options,
                               const CapsimPolicy *entries, size_t n)
{
    int st;
    KJob *j = job ? host_objects_job(sys, job, &st) : NULL;
    if (!j)
        return job ? st : host_script_fail(sys, ZX_ERR_BAD_HANDLE, "no job given");
    if (n == 0 || n > 32 || !entries)
        return host_script_fail(sys, ZX_ERR_INVALID_ARGS, "give 1..32 policy entries");
    if (j->child_jobs || j->child_processes)
        return host_script_fail(sys, ZX_ERR_BAD_STATE,
                                "job '%s' already has children: set its policy first",
                                j->base.name);
    zx_policy_basic_v2_t v2[32];
    for (size_t i = 0; i < n; i++)
        v2[i] = (zx_policy_basic_v2_t){entries[i].condition, entries[i].action,
                                       entries[i].flags};
    st = policy_apply_basic(&j->policy, options, v2, (uint32_t)n);
    return st == ZX_OK ? ZX_OK
                       : host_script_fail(sys, st, "job '%s': the policy was refused (%s)",
                                          j->base.name, capsim_status_name(st));
}

static int host_objects_derive(CapsimSystem *sys, Handle *h, uint32_t rights,
                               zx_rights_t *out)
{
    if (rights_derive(h->rights, rights, out))
        return ZX_OK;
    char asked[512], held[512];
    return host_script_fail(sys, ZX_ERR_INVALID_ARGS,
                            "rights %s are not a subset of the handle's %s",
                            viz_style_rights_names(rights, asked, sizeof asked),
                            viz_style_rights_names(h->rights, held, sizeof held));
}

int capsim_host_duplicate(CapsimSystem *sys, uint32_t value, uint32_t rights,
                          uint32_t *out)
{
    int st;
    zx_rights_t r = 0;
    Handle *h = host_objects_lookup(sys, value, &st);
    if (!h)
        return st;
    if (!rights_has(h->rights, ZX_RIGHT_DUPLICATE))
        return host_script_fail(sys, ZX_ERR_ACCESS_DENIED,
                                "handle %#x (a %s) lacks ZX_RIGHT_DUPLICATE", value,
                                h->object->ops->name);
    if ((st = host_objects_derive(sys, h, rights, &r)) != ZX_OK)
        return st;
    return host_objects_give(sys, h->object, r, out);
}

int capsim_host_replace(CapsimSystem *sys, uint32_t value, uint32_t rights,
                        uint32_t *out)
{
    int st;
    zx_rights_t r = 0;
    Handle *h = host_objects_lookup(sys, value, &st);
    if (!h || (st = host_objects_derive(sys, h, rights, &r)) != ZX_OK)
        return st;
    if ((st = host_objects_give(sys, h->object, r, out)) == ZX_OK)
        host_objects_drop(sys, h);
    return st;
}

int capsim_host_close(CapsimSystem *sys, uint32_t value)
{
    int st;
    Handle *h = host_objects_lookup(sys, value, &st);
    if (h)
        host_objects_drop(sys, h);
    return st;
}

int capsim_host_signal(CapsimSystem *sys, uint32_t value, uint32_t clear,
                       uint32_t set)
{
    int st;
    Handle *h = host_objects_lookup(sys, value, &st);
    if (!h)
        return st;
    zx_signals_t allowed = h->object->ops->user_signals;
    if ((clear | set) & ~allowed)
        return host_script_fail(sys, ZX_ERR_INVALID_ARGS,
                                "signals %#x are not user signals of a %s (%#x)",
                                (clear | set) & ~allowed, h->object->ops->name, allowed);
    kobject_signal(h->object, clear, set);
    return ZX_OK;
}

int capsim_host_handle_info(CapsimSystem *sys, uint32_t value, CapsimHandleInfo *out)
{
    int st;
    Handle *h = host_objects_lookup(sys, value, &st);
    if (h)
        *out = (CapsimHandleInfo){value, h->object->ops->type, h->rights, h->object->koid};
    return st;
}

size_t capsim_host_handles(CapsimSystem *sys, CapsimHandleInfo *out, size_t max)
{
    KProcess *host = sys->script ? sys->script->host : NULL;
    if (!host)
        return 0;
    size_t n = 0;
    uint32_t cursor = 0;
    for (Handle *h; (h = handle_table_next(&host->handles, &cursor)); n++)
        if (out && n < max)
            out[n] = (CapsimHandleInfo){handle_table_value(&host->handles, h),
                                        h->object->ops->type, h->rights, h->object->koid};
    return n;
}

/* ---- Messages ------------------------------------------------------------- */

static int host_objects_channel(CapsimSystem *sys, uint32_t value, Handle **out)
{
    int st;
    Handle *h = host_objects_lookup(sys, value, &st);
    if (h && h->object->ops->type != ZX_OBJ_TYPE_CHANNEL)
        return host_script_fail(sys, ZX_ERR_WRONG_TYPE, "handle %#x is a %s, not a channel",
                                value, h->object->ops->name);
    *out = h;
    return st;
}

/* Check the handles to send: held by the host, TRANSFER, not the channel
 * itself, no duplicates. */
static int host_objects_check_send(CapsimSystem *sys, Handle *ch, const uint32_t *handles,
                                   size_t n, Handle **hs)
{
    for (size_t i = 0; i < n; i++) {
        int st;
        if (!(hs[i] = host_objects_lookup(sys, handles[i], &st)))
            return st;
        if (hs[i] == ch)
            return host_script_fail(sys, ZX_ERR_NOT_SUPPORTED,
                                    "a channel end cannot be sent through itself");
        if (!rights_has(hs[i]->rights, ZX_RIGHT_TRANSFER))
            return host_script_fail(sys, ZX_ERR_ACCESS_DENIED,
                                    "handle %#x lacks ZX_RIGHT_TRANSFER", handles[i]);
        for (size_t j = 0; j < i; j++)
            if (hs[j] == hs[i])
                return host_script_fail(sys, ZX_ERR_BAD_HANDLE,
                                        "handle %#x is sent twice", handles[i]);
    }
    return ZX_OK;
}

int capsim_host_write(CapsimSystem *sys, uint32_t channel, const void *bytes,
                      size_t nbytes, const uint32_t *handles, size_t nhandles)
{
    Handle *ch = NULL, *hs[ZX_CHANNEL_MAX_MSG_HANDLES];
    int st = host_objects_channel(sys, channel, &ch);
    if (st == ZX_OK && (nbytes > ZX_CHANNEL_MAX_MSG_BYTES ||
                        nhandles > ZX_CHANNEL_MAX_MSG_HANDLES))
        st = host_script_fail(sys, ZX_ERR_OUT_OF_RANGE,
                              "a message holds at most %u bytes and %u handles",
                              ZX_CHANNEL_MAX_MSG_BYTES, ZX_CHANNEL_MAX_MSG_HANDLES);
    if (st == ZX_OK)
        st = host_objects_check_send(sys, ch, handles, nhandles, hs);
    if (st != ZX_OK) { /* consumed even on failure, as zx_channel_write */
        KProcess *host = sys->script->host;
        for (size_t i = 0; host && i < nhandles; i++) {
            Handle *h = handle_table_get(&host->handles, handles[i]);
            if (h && (!ch || h != ch))
                host_objects_drop(sys, h);
        }
        return st;
    }
    KProcess *host = sys->script->host;
    ChannelMsg *m = channel_msg_new(sys->k, (uint32_t)nbytes, (uint32_t)nhandles);
    if (!m)
        return host_script_fail(sys, ZX_ERR_NO_MEMORY, "out of memory for the message");
    if (nbytes)
        memcpy(m->bytes, bytes, nbytes);
    for (size_t i = 0; i < nhandles; i++) {
        Handle *h = hs[i];
        kernel_trace(sys->k, KTR_HANDLE_REMOVE, host->base.koid, h->object->koid,
                     h->rights, handle_table_value(&host->handles, h), NULL);
        handle_table_take(&host->handles, h);
        kernel_trace(sys->k, KTR_HANDLE_SEND, host->base.koid, h->object->koid,
                     h->rights, ch->object->koid, NULL);
        m->handles[i] = h;
    }
    st = channel_write(ch->object, m, NULL);
    if (st != ZX_OK) {
        channel_msg_free(sys->k, m);
        return host_script_fail(sys, st, "cannot write to channel %#x (%s)", channel,
                                capsim_status_name(st));
    }
    return ZX_OK;
}

int capsim_host_read(CapsimSystem *sys, uint32_t channel, void *bytes,
                     size_t *nbytes, uint32_t *handles_out, size_t *nhandles)
{
    Handle *ch = NULL;
    int st = host_objects_channel(sys, channel, &ch);
    if (st != ZX_OK)
        return st;
    ChannelMsg *m = NULL;
    uint32_t nb = 0, nh = 0;
    st = channel_read(ch->object, (uint32_t)*nbytes, (uint32_t)*nhandles, false, &m,
                      &nb, &nh);
    *nbytes = nb;
    *nhandles = nh;
    if (st != ZX_OK)
        return host_script_fail(sys, st, "channel %#x: %s", channel,
                                st == ZX_ERR_SHOULD_WAIT ? "no message queued"
                                                         : capsim_status_name(st));
    memcpy(bytes, m->bytes, m->nbytes);
    KProcess *host = sys->script->host;
    for (uint32_t i = 0; i < m->nhandles; i++) {
        Handle *h = m->handles[i];
        kobject_cancel_waits(h->object, h);
        uint32_t v = process_add_handle(host, h);
        if (v == ZX_HANDLE_INVALID)
            break; /* table full: the rest close with the message */
        kernel_trace(sys->k, KTR_HANDLE_RECEIVE, host->base.koid, h->object->koid,
                     h->rights, ch->object->koid, NULL);
        handles_out[i] = v;
        m->handles[i] = NULL;
    }
    channel_msg_free(sys->k, m);
    return ZX_OK;
}
