/* libc_memstream.c — open_memstream for apps: the buffer is a block of
 * the process's heap.
 *
 * Models: Fuchsia's libc (musl): a stream writing into a buffer the
 * program frees after fclose. The buffer grows as written, is kept NUL
 * terminated (zero-filled past what was written), and *bufp and *sizep
 * are set at the open (an empty string, 0) and after every write that
 * reaches it (a flush, fclose, a full stdio buffer); *sizep is the
 * position after the last write. fseek moves the position anywhere from 0
 * to past the end (a later write leaves zeros between); beyond that or
 * before 0, EINVAL. glibc's allocated the buffer inside glibc: libc's heap, host memory
 * that never counted as the process's.
 *
 * How: a glibc cookie stream (fopencookie) whose functions keep the
 * buffer; the heap is the one malloc would give the caller of
 * open_memstream (libc_malloc_app_caller), every other caller gets
 * libc's own. The FILE itself is glibc's (libc's heap), like every FILE.
 *
 * A stream outlives nothing of its process: the buffer, *bufp and *sizep
 * are the process's memory, gone when it ends. Each process lists its
 * streams (AppProc.memstreams); at its end they are orphaned, and an
 * orphan's functions touch nothing but the cookie (a write is EBADF):
 * glibc flushes every open FILE at the host's exit. The same holds for a
 * call from any other process or from host code: only app code of the
 * owning process writes into its memory. Left out: open_wmemstream stays
 * glibc's (libc's heap): glibc's cookie streams have no wide orientation,
 * so fwprintf could not write to one. Reading: the streams are
 * write-only, as POSIX's. Read next: libc_alloc_results.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_world.h"
#include "libc_malloc.h"
#include "libc_next.h"

typedef struct LibcMemstream {
    AppProc *proc;              /* its process; NULL once that ended */
    struct LibcMemstream *next; /* in proc's list */
    const void *caller;         /* who opened it: whose heap */
    char **bufp;                /* the caller's pointers */
    size_t *sizep;
    char *buf;
    size_t space, len, pos;
} LibcMemstream;

/* May the calling code touch m's memory? Only app code of its process. */
static bool memstream_owner_here(const LibcMemstream *m)
{
    return m->proc && app_world_in_app_code() && app_world_current_proc() == m->proc;
}

/* Room for at least `need` bytes plus the terminator, zero-filled. */
static bool memstream_reserve(LibcMemstream *m, size_t need)
{
    if (need < m->space)
        return true;
    if (need == SIZE_MAX) {
        errno = ENOMEM;
        return false;
    }
    size_t space = m->space * 2 + 1 > need + 1 ? m->space * 2 + 1 : need + 1;
    char *grown = libc_realloc_for(m->caller, m->buf, space);
    if (!grown)
        return false;
    memset(grown + m->space, 0, space - m->space);
    m->buf = grown;
    m->space = space;
    *m->bufp = grown;
    return true;
}

/* n bytes at the position. */
static ssize_t memstream_write(void *cookie, const char *bytes, size_t n)
{
    LibcMemstream *m = cookie;
    if (!memstream_owner_here(m)) {
        errno = EBADF;
        return -1;
    }
    if (m->pos + n < m->pos || !memstream_reserve(m, m->pos + n))
        return -1;
    memcpy(m->buf + m->pos, bytes, n);
    m->pos += n;
    if (m->pos > m->len)
        m->len = m->pos;
    *m->sizep = m->pos;
    return (ssize_t)n;
}

static int memstream_seek(void *cookie, off64_t *off, int whence)
{
    LibcMemstream *m = cookie;
    size_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->len;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
        errno = EINVAL;
        return -1;
    }
    if ((*off < 0 && (uint64_t)-*off > base) || (*off > 0 && (uint64_t)*off > SSIZE_MAX - base)) {
        errno = EINVAL;
        return -1;
    }
    m->pos = base + (size_t)*off;
    *off = (off64_t)m->pos;
    return 0;
}

static void memstream_unlist(LibcMemstream *m)
{
    for (LibcMemstream **at = m->proc ? &m->proc->memstreams : NULL; at && *at;
         at = &(*at)->next)
        if (*at == m) {
            *at = m->next;
            break;
        }
    m->proc = NULL;
}

static int memstream_close(void *cookie)
{
    LibcMemstream *m = cookie;
    memstream_unlist(m);
    free(m);
    return 0;
}

void libc_memstream_orphan_proc(AppProc *ap)
{
    while (ap->memstreams) {
        LibcMemstream *m = ap->memstreams;
        ap->memstreams = m->next;
        m->proc = NULL;
    }
}

/* A stream for the app code at `caller`: NULL with errno on failure. */
static FILE *memstream_open(const void *caller, char **bufp, size_t *sizep)
{
    if (!bufp || !sizep) {
        errno = EINVAL;
        return NULL;
    }
    LibcMemstream *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->proc = app_world_current_proc();
    m->caller = caller;
    m->bufp = bufp;
    m->sizep = sizep;
    if (!(m->buf = libc_malloc_for(caller, 1))) {
        free(m);
        return NULL;
    }
    m->buf[0] = '\0';
    m->space = 1;
    cookie_io_functions_t fns = {.write = memstream_write, .seek = memstream_seek,
                                 .close = memstream_close};
    FILE *f = fopencookie(m, "w", fns);
    if (!f) {
        free(m->buf);
        free(m);
        return NULL;
    }
    m->next = m->proc->memstreams;
    m->proc->memstreams = m;
    *bufp = m->buf;
    *sizep = 0;
    return f;
}

LIBC_NEXT_SLOT(open_memstream);
FILE *open_memstream(char **bufp, size_t *sizep)
{
    const void *caller = __builtin_return_address(0);
    if (!libc_malloc_app_caller(caller))
        return LIBC_NEXT(FILE *(*)(char **, size_t *), open_memstream)(bufp, sizep);
    return memstream_open(caller, bufp, sizep);
}
