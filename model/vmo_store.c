/* vmo_store.c — the host memory behind a VMO's pages.
 *
 * A store is one host view `data` of the VMO's bytes. It is made on first
 * need, not at vmo_create: reads of a VMO nothing ever wrote see zeros
 * without it, and a VMO made only to be mapped (a thread's stack, a heap
 * region) never needs a private one. Until the VMO is first mapped the view
 * is private anonymous memory (MAP_NORESERVE: untouched pages cost
 * nothing). The first mapping makes it shareable (vmo_store_share): a
 * memfd whose MAP_SHARED view replaces the private one, so every process
 * mapping maps the same file and writes through any mapping,
 * vmo_write or process_write_memory are seen by all. Accesses past the end
 * of the file (a mapping longer than the VMO, or a VMO shrunk under a
 * mapping) fault with SIGBUS in the app, as a Zircon access beyond a VMO's
 * end faults. The first memfd raises the soft limit on descriptors to the
 * hard one (every mapped VMO holds one while it lives).
 *
 * Committed pages are the pages the host backs (mincore): Zircon's
 * committed_bytes. Nothing here may touch a page it is only asking about.
 *
 * Recycling: a memfd store that dies goes, emptied (its pages punched
 * out, so it holds no memory), to a free pool with its view, and the next
 * store of the same size that needs a memfd takes it instead of making a
 * file, sizing it and mapping a view: threads' stacks come and go in such
 * numbers. The pool is the host process's (a VMO may outlive its kernel),
 * bounded (VMO_POOL_*), locked (kernels may run on several host threads),
 * and invisible to the simulation: no koid, address or trace record
 * depends on which memfd a store got. When the host runs out of
 * descriptors the pool is emptied and the memfd asked for again.
 *
 * Read next: vmo_cow.c (which store a page is read from), vmo.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "vmo.h"
#include "vmo_store.h"

#define VMO_POOL_MAX_ITEMS 4096u
#define VMO_POOL_MAX_SIZE ((uint64_t)8 << 20)     /* bigger stores are not kept */
#define VMO_POOL_MAX_BYTES ((uint64_t)4 << 30)    /* address space held by views */

void vmo_store_init(VmoStore *s)
{
    s->data = NULL;
    s->fd = -1;
}

static uint8_t *vmo_store_anon(uint64_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

uint8_t *vmo_store_view(VmoStore *s, uint64_t size)
{
    if (!s->data && size > 0)
        s->data = vmo_store_anon(size);
    return s->data;
}

bool vmo_store_resident(const VmoStore *s, uint64_t off)
{
    unsigned char vec = 0;
    return s->data && mincore(s->data + off, VMO_PAGE_SIZE, &vec) == 0 && (vec & 1);
}

bool vmo_residency_test(VmoResidency *r, const VmoStore *s, uint64_t size, uint64_t off)
{
    if (!s->data)
        return false;
    if (r->store != s || off < r->base || off - r->base >= r->len) {
        uint64_t n = size - off;
        if (n > (uint64_t)VMO_STORE_RUN * VMO_PAGE_SIZE)
            n = (uint64_t)VMO_STORE_RUN * VMO_PAGE_SIZE;
        if (mincore(s->data + off, n, r->vec) != 0)
            memset(r->vec, 1, sizeof r->vec); /* unknown: treat as committed */
        r->store = s;
        r->base = off;
        r->len = n;
    }
    return r->vec[(off - r->base) / VMO_PAGE_SIZE] & 1;
}

uint64_t vmo_store_resident_bytes(const VmoStore *s, uint64_t size)
{
    VmoResidency r;
    vmo_residency_init(&r);
    uint64_t n = 0;
    for (uint64_t off = 0; s->data && off < size; off += VMO_PAGE_SIZE)
        n += vmo_residency_test(&r, s, size, off);
    return n * VMO_PAGE_SIZE;
}

void vmo_store_release(VmoStore *s, uint64_t off, uint64_t len)
{
    if (!s->data || len == 0)
        return;
    int r = s->fd >= 0 ? fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                   (off_t)off, (off_t)len)
                       : madvise(s->data + off, len, MADV_DONTNEED);
    if (r != 0)
        memset(s->data + off, 0, len);
}

void vmo_store_copy_resident(uint8_t *dst, const VmoStore *s, uint64_t off, uint64_t len)
{
    static const uint8_t zero[VMO_PAGE_SIZE];
    VmoResidency r;
    vmo_residency_init(&r);
    for (uint64_t at = 0; s->data && at < len; at += VMO_PAGE_SIZE) {
        const uint8_t *page = s->data + off + at;
        if (vmo_residency_test(&r, s, off + len, off + at) &&
            memcmp(page, zero, VMO_PAGE_SIZE) != 0)
            memcpy(dst + at, page, VMO_PAGE_SIZE);
    }
}

/* ---- The pool of emptied memfds ------------------------------------------ */

typedef struct VmoPooled {
    int fd;
    uint8_t *view;
    uint64_t size;
} VmoPooled;

static struct {
    pthread_mutex_t lock;
    VmoPooled items[VMO_POOL_MAX_ITEMS];
    uint32_t n;
    uint64_t bytes;
} vmo_pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The most recently pooled memfd of exactly `size` bytes. */
static bool vmo_pool_take(uint64_t size, int *fd, uint8_t **view)
{
    bool found = false;
    pthread_mutex_lock(&vmo_pool.lock);
    for (uint32_t i = vmo_pool.n; i-- > 0;) {
        if (vmo_pool.items[i].size != size)
            continue;
        *fd = vmo_pool.items[i].fd;
        *view = vmo_pool.items[i].view;
        vmo_pool.items[i] = vmo_pool.items[--vmo_pool.n];
        vmo_pool.bytes -= size;
        found = true;
        break;
    }
    pthread_mutex_unlock(&vmo_pool.lock);
    return found;
}

/* Keep an emptied memfd for the next store of its size; false if the
 * pool is full (the caller closes it). */
static bool vmo_pool_put(int fd, uint8_t *view, uint64_t size)
{
    bool kept = false;
    pthread_mutex_lock(&vmo_pool.lock);
    if (vmo_pool.n < VMO_POOL_MAX_ITEMS && vmo_pool.bytes + size <= VMO_POOL_MAX_BYTES) {
        vmo_pool.items[vmo_pool.n++] = (VmoPooled){fd, view, size};
        vmo_pool.bytes += size;
        kept = true;
    }
    pthread_mutex_unlock(&vmo_pool.lock);
    return kept;
}

/* Close every pooled memfd (the host ran out of descriptors). */
static void vmo_pool_drain(void)
{
    pthread_mutex_lock(&vmo_pool.lock);
    while (vmo_pool.n > 0) {
        VmoPooled *p = &vmo_pool.items[--vmo_pool.n];
        munmap(p->view, p->size);
        close(p->fd);
    }
    vmo_pool.bytes = 0;
    pthread_mutex_unlock(&vmo_pool.lock);
}

/* Every mapped VMO holds a descriptor (every process's first thread's
 * stack is one), and a shell's soft limit is often 1024: a run with a
 * thousand processes or threads would fail for want of descriptors. The
 * first memfd raises the soft limit to the hard one, once per host
 * process, as runtimes that spend descriptors this way do. */
static void vmo_raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* A new memfd of `size` bytes and its view (NULL for size 0). */
static bool vmo_memfd_new(uint64_t size, int *fd, uint8_t **view)
{
    static pthread_once_t raised = PTHREAD_ONCE_INIT;
    pthread_once(&raised, vmo_raise_fd_limit);
    int nfd = memfd_create("capsim-vmo", MFD_CLOEXEC);
    if (nfd < 0 && (errno == EMFILE || errno == ENFILE)) {
        vmo_pool_drain();
        nfd = memfd_create("capsim-vmo", MFD_CLOEXEC);
    }
    if (nfd < 0)
        return false;
    void *p = NULL;
    if (ftruncate(nfd, (off_t)size) != 0 ||
        (size && (p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, nfd, 0)) == MAP_FAILED)) {
        close(nfd);
        return false;
    }
    *fd = nfd;
    *view = p;
    return true;
}

zx_status_t vmo_store_share(VmoStore *s, uint64_t size)
{
    if (s->fd >= 0)
        return ZX_OK;
    int fd;
    uint8_t *view;
    if (!(size && vmo_pool_take(size, &fd, &view)) && !vmo_memfd_new(size, &fd, &view))
        return ZX_ERR_NO_MEMORY;
    if (s->data) {
        vmo_store_copy_resident(view, s, 0, size);
        munmap(s->data, size);
    }
    s->data = view;
    s->fd = fd;
    return ZX_OK;
}

zx_status_t vmo_store_resize(VmoStore *s, uint64_t old_size, uint64_t size)
{
    if (s->fd >= 0 && ftruncate(s->fd, (off_t)size) != 0)
        return ZX_ERR_NO_MEMORY;
    if (!s->data && s->fd < 0)
        return ZX_OK; /* made on first need, at the new size */
    if (size == 0) {
        if (s->data)
            munmap(s->data, old_size);
        s->data = NULL;
        return ZX_OK;
    }
    void *p;
    if (s->data)
        p = mremap(s->data, old_size, size, MREMAP_MAYMOVE);
    else
        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
    if (p == MAP_FAILED)
        return ZX_ERR_NO_MEMORY;
    s->data = p;
    return ZX_OK;
}

void vmo_store_free(VmoStore *s, uint64_t size)
{
    if (s->fd >= 0 && s->data && size <= VMO_POOL_MAX_SIZE &&
        fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)size) == 0 &&
        vmo_pool_put(s->fd, s->data, size)) {
        vmo_store_init(s);
        return;
    }
    if (s->data)
        munmap(s->data, size);
    if (s->fd >= 0)
        close(s->fd);
    vmo_store_init(s);
}
