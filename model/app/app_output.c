/* app_output.c — what each process wrote to stdout and stderr.
 *
 * Models: a process's standard output and error (in Fuchsia, a socket or
 * the debuglog behind fds 1 and 2). Every write through the process's FILEs
 * (app_world_io.c) or write(1|2, ...) (libc_io.c) becomes one chunk: the
 * bytes appended to the process's buffer, a tag (1 stdout, 2 stderr), and a
 * KTR_OUTPUT trace record (a = process koid, b = stream, c = byte count,
 * text = the bytes up to the first NUL) stamped with the virtual time and
 * thread that wrote it, so the trace hash covers output and scripts see it
 * in order with everything else. Writing costs virtual time: a syscall's
 * worth plus the kernel's copy cost per KiB, charged to the writer.
 *
 * Chunks run on the writer's fiber and never switch: a FILE's lock is held
 * meanwhile (libc's recursive lock, one host thread), so another thread of
 * the process must not get in.
 *
 * Limit: each process keeps at most the world's output_limit bytes (1 MiB
 * by default); beyond it chunks are dropped (one KTR_NOTE says so) and the
 * report shows output_truncated. Read next: libc_io.c.
 */
#include <stdlib.h>
#include <string.h>

#include "app_world.h"

#define APP_OUTPUT_COST_NS 500   /* entering the kernel to write */

void app_output_init(AppProc *ap)
{
    ap->bytes = g_byte_array_new();
    ap->chunks = g_array_new(FALSE, FALSE, sizeof(AppChunk));
}

void app_output_free(AppProc *ap)
{
    if (ap->bytes)
        g_byte_array_free(ap->bytes, TRUE);
    if (ap->chunks)
        g_array_free(ap->chunks, TRUE);
    ap->bytes = NULL;
    ap->chunks = NULL;
}

void app_output_record(AppProc *ap, int stream, const char *buf, size_t n)
{
    Kernel *k = ap->w->k;
    if (n == 0)
        return;
    size_t room = ap->w->output_limit > ap->bytes->len
                      ? ap->w->output_limit - ap->bytes->len : 0;
    if (n > room) {
        if (!ap->truncated)
            kernel_trace(k, KTR_NOTE, ap->koid, ap->w->output_limit, 0, 0,
                         "output limit reached: further output dropped");
        ap->truncated = true;
        if (room == 0)
            return;
        n = room;
    }
    AppChunk c = {.stream = stream, .off = ap->bytes->len, .len = n};
    g_byte_array_append(ap->bytes, (const guint8 *)buf, (guint)n);
    g_array_append_val(ap->chunks, c);
    AppOutputRef ref = {.koid = ap->koid, .index = ap->chunks->len - 1};
    g_array_append_val(ap->w->order, ref);
    char *text = g_strndup(buf, n);
    kernel_trace(k, KTR_OUTPUT, ap->koid, (uint64_t)stream, n, 0, text);
    g_free(text);
    sim_charge_compute(APP_OUTPUT_COST_NS +
                       (SimTime)((n * (size_t)k->costs.per_kib_copy) / 1024));
}

static AppProc *app_output_find(KProcess *p)
{
    AppWorld *w = p ? app_world_of(p->base.kernel) : NULL;
    return w ? app_world_proc_by_koid(w, p->base.koid) : NULL;
}

static size_t app_output_copy(AppProc *ap, int streams, char *buf, size_t len)
{
    size_t total = 0, w = 0;
    for (guint i = 0; i < ap->chunks->len; i++) {
        const AppChunk *c = &g_array_index(ap->chunks, AppChunk, i);
        if (!(streams & c->stream))
            continue;
        for (size_t j = 0; j < c->len; j++, total++)
            if (buf && w + 1 < len)
                buf[w++] = (char)ap->bytes->data[c->off + j];
    }
    if (buf && len)
        buf[w] = '\0';
    return total;
}

size_t app_output(KProcess *p, char *buf, size_t len)
{
    AppProc *ap = app_output_find(p);
    if (!ap) {
        if (buf && len)
            buf[0] = '\0';
        return 0;
    }
    return app_output_copy(ap, 3, buf, len);
}

size_t app_output_by_koid(Kernel *k, zx_koid_t koid, int streams, char *buf,
                          size_t len)
{
    AppWorld *w = app_world_of(k);
    AppProc *ap = w ? app_world_proc_by_koid(w, koid) : NULL;
    if (!ap) {
        if (buf && len)
            buf[0] = '\0';
        return 0;
    }
    return app_output_copy(ap, streams, buf, len);
}

size_t app_output_chunk_count(KProcess *p)
{
    AppProc *ap = app_output_find(p);
    return ap ? ap->chunks->len : 0;
}

bool app_output_chunk(KProcess *p, size_t i, int *stream, const char **data,
                      size_t *len)
{
    AppProc *ap = app_output_find(p);
    if (!ap || i >= ap->chunks->len)
        return false;
    const AppChunk *c = &g_array_index(ap->chunks, AppChunk, i);
    if (stream)
        *stream = c->stream;
    if (data)
        *data = (const char *)ap->bytes->data + c->off;
    if (len)
        *len = c->len;
    return true;
}

size_t app_output_world_count(Kernel *k)
{
    AppWorld *w = app_world_of(k);
    return w ? w->order->len : 0;
}

bool app_output_world_chunk(Kernel *k, size_t i, zx_koid_t *koid, int *stream,
                            const char **data, size_t *len)
{
    AppWorld *w = app_world_of(k);
    if (!w || i >= w->order->len)
        return false;
    const AppOutputRef *r = &g_array_index(w->order, AppOutputRef, i);
    AppProc *ap = app_world_proc_by_koid(w, r->koid);
    const AppChunk *c = &g_array_index(ap->chunks, AppChunk, r->index);
    if (koid)
        *koid = r->koid;
    if (stream)
        *stream = c->stream;
    if (data)
        *data = (const char *)ap->bytes->data + c->off;
    if (len)
        *len = c->len;
    return true;
}
