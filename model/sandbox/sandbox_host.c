/* sandbox_host.c — what the host side of the sandbox layer does to the
 * kernel: start built-in programs, send messages on a process's behalf,
 * record notes.
 *
 * What it models: the component manager's own actions that, on Fuchsia,
 * appmgr performs from inside its process — opening paths in the system's
 * directories and passing the new channels to a component. In capsim the
 * host performs them directly on kernel objects (like a kernel-assisted
 * loader), writing through the channel endpoints appmgr holds, so the
 * messages are exactly those appmgr would send and the servers cannot tell
 * the difference. Every such message is pipelined (Open never waits), so
 * the host never has to run the simulation to set a component up.
 *
 * Invariants: a handle created here is either inside a delivered message or
 * destroyed before returning; the caller's object references are never
 * consumed. Read next: component_manager.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "handle.h"
#include "process.h"
#include "sandbox_host.h"

static void sandbox_fault(void *ctx, const char *what)
{
    Kernel *k = ctx;
    kernel_trace(k, KTR_FAULT_INJECTED, 0, 0, 0, 0, what);
}

void sandbox_io_config(Kernel *k, const char *name, IoServerConfig *out)
{
    memset(out, 0, sizeof *out);
    out->name = name;
    out->accept_dotdot = &k->faults.accept_dotdot;
    out->on_fault = sandbox_fault;
    out->fault_ctx = k;
}

zx_status_t sandbox_spawn(Kernel *k, KJob *job, const char *name,
                          ThreadEntryFn entry, const void *cfg,
                          const LaunchHandle *extra, size_t nextra,
                          const char *const *names, size_t nnames,
                          KProcess **out)
{
    if (nextra > LAUNCH_MAX_EXTRA)
        return ZX_ERR_OUT_OF_RANGE;
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.name = name;
    spec.entry = entry;
    spec.arg1 = (uintptr_t)cfg;
    spec.give = LAUNCH_GIVE_STANDARD;
    spec.server = true;
    for (size_t i = 0; i < nextra; i++)
        spec.extra[i] = extra[i];
    spec.nextra = nextra;
    spec.names = names;
    spec.nnames = nnames;
    KProcess *p = NULL;
    zx_status_t s = launch_process(k, job, &spec, &p);
    if (s != ZX_OK)
        return s;
    if (out)
        *out = p;
    else
        kobject_unref(&p->base);
    return ZX_OK;
}

zx_status_t sandbox_channel(Kernel *k, KObject **a, KObject **b)
{
    return channel_create(k, a, b);
}

zx_status_t sandbox_write(Kernel *k, KObject *ep, const void *bytes, uint32_t n,
                          KObject *const *objs, const zx_rights_t *rights,
                          uint32_t nobj)
{
    Handle *hs[ZX_CHANNEL_MAX_MSG_HANDLES] = {0};
    if (nobj > ZX_CHANNEL_MAX_MSG_HANDLES)
        return ZX_ERR_OUT_OF_RANGE;
    uint32_t made = 0;
    zx_status_t s = ZX_OK;
    for (; made < nobj; made++) {
        hs[made] = handle_new(k, objs[made], rights[made]);
        if (!hs[made]) {
            s = ZX_ERR_NO_MEMORY;
            break;
        }
    }
    if (s == ZX_OK)
        s = channel_write_msg(ep, bytes, n, hs, nobj);
    if (s != ZX_OK)
        for (uint32_t i = 0; i < made; i++)
            handle_destroy(k, hs[i]);
    return s;
}

zx_status_t sandbox_open(Kernel *k, KObject *dir, const char *path,
                         uint32_t flags, KObject **client)
{
    size_t len = strlen(path);
    if (len > FIO_MAX_PATH)
        return ZX_ERR_BAD_PATH;
    KObject *c, *srv;
    zx_status_t s = sandbox_channel(k, &c, &srv);
    if (s != ZX_OK)
        return s;
    uint8_t *msg = calloc(1, sizeof(FioOpenRequest) + len);
    if (!msg) {
        kobject_unref(c);
        kobject_unref(srv);
        return ZX_ERR_NO_MEMORY;
    }
    FioOpenRequest *req = (FioOpenRequest *)msg;
    req->hdr.ordinal = FIO_OP_OPEN;
    req->flags = flags;
    req->path_len = (uint32_t)len;
    memcpy(msg + sizeof *req, path, len);
    zx_rights_t r = ZX_DEFAULT_CHANNEL_RIGHTS;
    s = sandbox_write(k, dir, msg, (uint32_t)(sizeof *req + len), &srv, &r, 1);
    free(msg);
    kobject_unref(srv);
    if (s != ZX_OK) {
        kobject_unref(c);
        return s;
    }
    *client = c;
    return ZX_OK;
}

void sandbox_note(Kernel *k, uint64_t a, uint64_t b, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kernel_trace(k, KTR_NOTE, a, b, 0, 0, buf);
}
