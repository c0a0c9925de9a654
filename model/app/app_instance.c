/* app_instance.c — private copies of an app: one loaded object per process.
 *
 * Models: the process image. Every launched process gets its own dlopen'ed
 * copy of the app's shared object: two instances never share a global, a
 * static or a TLS variable.
 *
 * How: glibc has only ~15 dlmopen namespaces, and dlopen of a loaded path
 * returns the loaded object. So each copy is written to a fresh memfd
 * (constructor tags hidden, only the bytes ld.so reads: app_elf.c) and
 * opened by a path naming that fd, "/proc/self/fd" + a "/" or "/." per bit
 * of a host-wide load counter + "/<fd>": a new string every time, hence a
 * new link-map entry. The fd is closed right after: a copy costs no
 * descriptor, about five VMAs and its loaded pages (docs/sdk.md).
 *
 * RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND: the copy looks in its own
 * dependencies first (libcapsim before libc, checked by app_elf.c), so
 * exit, abort... resolve to libcapsim's interposers whatever the host's
 * link order. (ASan refuses DEEPBIND: ASan builds rely on the host order.)
 *
 * TLS: a copy with PT_TLS is a TLS module with one block per host thread;
 * app_world.c swaps its contents per simulated thread (tls_owner: whose
 * values it holds; tls_init: the pristine block, for new threads).
 * Registry: loaded copies by link_map (lookups only, mutex), so a code or
 * DSO-handle address finds its copy. Leaves out: unloading a copy still
 * running (never done: a copy of a process alive at shutdown goes with
 * the engine, app_world.c), C++ thread_local destructors. Read next:
 * app_world.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <glib.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app_call.h"
#include "app_instance.h"

#if defined(__SANITIZE_ADDRESS__)
#define APP_INSTANCE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define APP_INSTANCE_ASAN 1
#endif
#endif
#ifdef APP_INSTANCE_ASAN
#define APP_INSTANCE_DEEPBIND 0
#else
#define APP_INSTANCE_DEEPBIND RTLD_DEEPBIND
#endif

/* The TLS ABI's index (x86-64 and AArch64 glibc). */
typedef struct AppTlsIndex {
    unsigned long module, offset;
} AppTlsIndex;
extern void *__tls_get_addr(AppTlsIndex *ti);

static GMutex app_instance_lock;
static GHashTable *app_instance_registry; /* struct link_map* -> AppInstance* */
static unsigned app_instance_changes;     /* copies loaded or unloaded so far */
static uint64_t app_instance_loads;       /* host-wide: unique load paths */

typedef void (*AppInitFn)(int argc, char **argv, char **envp);
typedef void (*AppFiniFn)(void);

static bool app_instance_fail(char **error, const AppImage *img,
                              const char *what, const char *detail)
{
    if (error) {
        size_t n = strlen(img->name) + strlen(what) + (detail ? strlen(detail) : 0) + 8;
        *error = malloc(n);
        if (*error)
            snprintf(*error, n, "%s: %s%s%s", img->name, what, detail ? ": " : "",
                     detail ? detail : "");
    }
    return false;
}

static bool app_instance_pwrite(int fd, const uint8_t *b, uint64_t off,
                                uint64_t len)
{
    uint64_t done = 0;
    while (done < len) {
        ssize_t w = pwrite(fd, b + off + done, len - done, (off_t)(off + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        done += (uint64_t)w;
    }
    return true;
}

/* The parts ld.so reads (the rest stays a hole), then the hidden tags. */
static bool app_instance_write(int fd, const AppImage *img)
{
    const AppElfInfo *e = &img->elf;
    if (ftruncate(fd, (off_t)img->len) != 0)
        return false;
    if (e->nranges == 0 && !app_instance_pwrite(fd, img->bytes, 0, img->len))
        return false;
    for (size_t i = 0; i < e->nranges; i++)
        if (!app_instance_pwrite(fd, img->bytes, e->ranges[i].off, e->ranges[i].len))
            return false;
    Elf64_Sxword tag = APP_ELF_HIDDEN_TAG;
    for (size_t i = 0; i < img->elf.nhidden; i++)
        if (pwrite(fd, &tag, sizeof tag, (off_t)img->elf.hidden_off[i]) != (ssize_t)sizeof tag)
            return false;
    return true;
}

/* dlopen a fresh copy of img; NULL and *error on failure. */
static void *app_instance_open(const AppImage *img, char **error)
{
    const char *base = strrchr(img->name, '/');
    char memname[64];
    snprintf(memname, sizeof memname, "capsim-app:%s", base ? base + 1 : img->name);
    int fd = memfd_create(memname, MFD_CLOEXEC);
    if (fd < 0) {
        app_instance_fail(error, img, "cannot create a memory file", strerror(errno));
        return NULL;
    }
    if (!app_instance_write(fd, img)) {
        app_instance_fail(error, img, "cannot write a private copy", strerror(errno));
        close(fd);
        return NULL;
    }
    g_mutex_lock(&app_instance_lock);
    uint64_t id = app_instance_loads++;
    g_mutex_unlock(&app_instance_lock);
    char path[160];
    int n = snprintf(path, sizeof path, "/proc/self/fd");
    for (int bit = 0; bit < 40; bit++)
        n += snprintf(path + n, sizeof path - (size_t)n, (id >> bit) & 1 ? "/." : "/");
    snprintf(path + n, sizeof path - (size_t)n, "/%d", fd);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | APP_INSTANCE_DEEPBIND);
    int saved = errno;
    close(fd);
    if (!h) {
        /* ld.so names the /proc/self/fd/... path; the message names img. */
        const char *why = dlerror();
        size_t plen = strlen(path);
        if (why && strncmp(why, path, plen) == 0 && strncmp(why + plen, ": ", 2) == 0)
            why += plen + 2;
        app_instance_fail(error, img, "cannot load", why ? why : strerror(saved));
    }
    return h;
}

static bool app_instance_bind(AppInstance *in, char **error)
{
    if (dlinfo(in->handle, RTLD_DI_LINKMAP, &in->map) != 0 || !in->map)
        return app_instance_fail(error, in->img, "cannot inspect the loaded copy", dlerror());
    void *sym = dlsym(in->handle, "main");
    Dl_info info;
    struct link_map *owner = NULL;
    if (!sym || !dladdr1(sym, &info, (void **)&owner, RTLD_DL_LINKMAP) || owner != in->map)
        return app_instance_fail(error, in->img,
                                 "does not export `int main(int argc, char **argv)`", NULL);
    in->main = (AppMainFn)sym;
    if (!in->img->elf.tls_memsz)
        return true;
    size_t modid = 0;
    if (dlinfo(in->handle, RTLD_DI_TLS_MODID, &modid) != 0 || modid == 0)
        return app_instance_fail(error, in->img, "cannot find its TLS module", dlerror());
    in->tls_modid = modid;
    in->tls_size = in->img->elf.tls_memsz;
    void *block = app_instance_tls_block(in); /* allocated and initialised by glibc */
    in->tls_init = malloc(in->tls_size);
    if (!block || !in->tls_init)
        return app_instance_fail(error, in->img, "cannot set up its TLS block", NULL);
    memcpy(in->tls_init, block, in->tls_size);
    return true;
}

static void app_instance_free(AppInstance *in)
{
    if (in->map) {
        g_mutex_lock(&app_instance_lock);
        if (app_instance_registry)
            g_hash_table_remove(app_instance_registry, in->map);
        g_mutex_unlock(&app_instance_lock);
    }
#ifdef APP_INSTANCE_ASAN
    /* AddressSanitizer builds: an instrumented copy registers its globals
     * with ASan in its constructors and unregisters them in its
     * destructors, which do not run when its process is killed or left
     * blocked. Unloaded then, the next mapping at its address (another
     * copy, a VMO) would be checked against them. Such a copy stays
     * loaded, out of the registry: memory is the price, in ASan builds
     * only. */
    if (in->inited && !in->finished)
        in->handle = NULL;
#endif
    if (in->handle)
        dlclose(in->handle);
    __atomic_add_fetch(&app_instance_changes, 1, __ATOMIC_RELEASE);
    free(in->tls_init);
    app_image_release(in->img);
    free(in);
}

AppInstance *app_instance_load(AppImage *img, char **error)
{
    if (error)
        *error = NULL;
    AppInstance *in = calloc(1, sizeof *in);
    if (!in) {
        app_instance_fail(error, img, "out of memory", NULL);
        return NULL;
    }
    in->refs = 1;
    in->img = app_image_ref(img);
    if (img->builtin) {
        in->main = img->builtin;
        return in;
    }
    if (!(in->handle = app_instance_open(img, error)) || !app_instance_bind(in, error)) {
        app_instance_free(in);
        return NULL;
    }
    g_mutex_lock(&app_instance_lock);
    if (!app_instance_registry)
        app_instance_registry = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(app_instance_registry, in->map, in);
    g_mutex_unlock(&app_instance_lock);
    __atomic_add_fetch(&app_instance_changes, 1, __ATOMIC_RELEASE);
    return in;
}

bool app_instance_test_load(AppImage *img, char **error)
{
    AppInstance *in = app_instance_load(img, error);
    if (!in)
        return false;
    app_instance_unref(in);
    return true;
}

AppInstance *app_instance_ref(AppInstance *in)
{
    if (in)
        g_atomic_int_inc(&in->refs);
    return in;
}

void app_instance_unref(AppInstance *in)
{
    if (in && g_atomic_int_dec_and_test(&in->refs))
        app_instance_free(in);
}

void app_instance_run_init(AppInstance *in, int argc, char **argv, char **envp)
{
    if (!in->map)
        return;
    const AppElfInfo *e = &in->img->elf;
    uintptr_t base = in->map->l_addr;
    in->inited = true;
    if (e->init)
        app_call_init((AppInitFn)(base + e->init), argc, argv, envp);
    AppInitFn *a = (AppInitFn *)(base + e->init_array);
    for (size_t i = 0; e->init_array && i < e->init_arraysz / sizeof *a; i++)
        if (a[i] && a[i] != (AppInitFn)(intptr_t)-1)
            app_call_init(a[i], argc, argv, envp);
}

void app_instance_run_fini(AppInstance *in)
{
    if (!in->map)
        return;
    const AppElfInfo *e = &in->img->elf;
    uintptr_t base = in->map->l_addr;
    in->finished = true;
    AppFiniFn *a = (AppFiniFn *)(base + e->fini_array);
    for (size_t i = e->fini_array ? e->fini_arraysz / sizeof *a : 0; i > 0; i--)
        if (a[i - 1] && a[i - 1] != (AppFiniFn)(intptr_t)-1)
            app_call_void(a[i - 1]);
    if (e->fini)
        app_call_void((AppFiniFn)(base + e->fini));
}

void *app_instance_tls_block(AppInstance *in)
{
    AppTlsIndex ti = {in->tls_modid, 0};
    return in->tls_modid ? __tls_get_addr(&ti) : NULL;
}

AppInstance *app_instance_containing(const void *addr)
{
    Dl_info info;
    struct link_map *map = NULL;
    if (!addr || !dladdr1(addr, &info, (void **)&map, RTLD_DL_LINKMAP) || !map)
        return NULL;
    g_mutex_lock(&app_instance_lock);
    AppInstance *in = app_instance_registry
                          ? g_hash_table_lookup(app_instance_registry, map) : NULL;
    g_mutex_unlock(&app_instance_lock);
    return in;
}

bool app_instance_name_address(uintptr_t addr, char *buf, size_t len)
{
    AppInstance *in = app_instance_containing((const void *)addr);
    if (!in || !in->map)
        return false;
    const char *image = strrchr(in->img->name, '/');
    image = image ? image + 1 : in->img->name;
    unsigned long off = (unsigned long)(addr - in->map->l_addr);
    Dl_info info;
    if (dladdr((const void *)addr, &info) && info.dli_sname && info.dli_saddr)
        snprintf(buf, len, "%s+%#lx (%s+%#lx)", image, off, info.dli_sname,
                 (unsigned long)(addr - (uintptr_t)info.dli_saddr));
    else
        snprintf(buf, len, "%s+%#lx", image, off);
    return true;
}

/* [lo, hi) cut out of [*start, *end) on the side of addr that keeps it:
 * true if addr lies in [lo, hi) itself (then that is the piece). */
static bool app_instance_cut(uintptr_t addr, uintptr_t lo, uintptr_t hi,
                             uintptr_t *start, uintptr_t *end)
{
    if (lo >= hi || hi <= *start || lo >= *end)
        return false;
    if (addr >= lo && addr < hi) {
        *start = lo > *start ? lo : *start;
        *end = hi < *end ? hi : *end;
        return true;
    }
    if (addr < lo)
        *end = lo;
    else
        *start = hi;
    return false;
}

bool app_instance_segment_at(const AppInstance *in, uintptr_t addr, AppSegmentSpan *out)
{
    if (!in->map)
        return false;
    const AppElfInfo *e = &in->img->elf;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), base = in->map->l_addr;
    for (size_t i = 0; i < e->nloads; i++) {
        if (!(e->loads[i].flags & PF_R) || e->loads[i].memsz == 0)
            continue;
        uintptr_t start = (base + e->loads[i].vaddr) & ~(page - 1);
        uintptr_t end = (base + e->loads[i].vaddr + e->loads[i].memsz + page - 1) & ~(page - 1);
        if (addr < start || addr >= end)
            continue;
        out->writable = (e->loads[i].flags & PF_W) != 0;
        /* ld.so protects the whole pages inside PT_GNU_RELRO (its start and
         * end rounded down) read-only once relocated. */
        uintptr_t rlo = (base + e->relro_vaddr) & ~(page - 1);
        uintptr_t rhi = (base + e->relro_vaddr + e->relro_memsz) & ~(page - 1);
        if (e->relro_memsz && app_instance_cut(addr, rlo, rhi, &start, &end))
            out->writable = false;
        out->start = start;
        out->end = end;
        return true;
    }
    return false;
}

unsigned app_instance_generation(void)
{
    return __atomic_load_n(&app_instance_changes, __ATOMIC_ACQUIRE);
}

size_t app_loaded_copies(void)
{
    g_mutex_lock(&app_instance_lock);
    size_t n = app_instance_registry ? g_hash_table_size(app_instance_registry) : 0;
    g_mutex_unlock(&app_instance_lock);
    return n;
}
