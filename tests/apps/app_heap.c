/* app_heap.c — an app's malloc heap (model/app/app_heap.c, libc_malloc.c):
 * blocks live in its own address space, in VMOs named scudo:primary and
 * scudo:secondary, at the same places every run; the family's answers are
 * Fuchsia's; its process can read them back through its own handle.
 * Prints one line per check, addresses relative to the root VMAR's base.
 *
 * argv[1] picks a way to misuse the heap instead (the process must end
 * with the heap's report, the simulator untouched): double (free twice),
 * middle (free inside a block), foreign (free an mmap'd page), stack
 * (free a local), realloc
 * (realloc a freed block), overflow (write far past a block, then keep
 * allocating: the bookkeeping is out of reach, the process carries on).
 * argv[1] "shrink": allocate and free 20000 blocks twice, printing the
 * heap's regions and committed memory at each step. "churn N": N rounds of
 * allocating and freeing, for timing. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "app_show.h"

/* The misuses and impossible sizes below are on purpose. */
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wuse-after-free"
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="

/* A call answering a pointer: "NULL" and errno's name, or "a block". */
#define SHOW_BLOCK(label, expr)                                                \
    do {                                                                       \
        errno = 0;                                                             \
        void *p_ = (expr);                                                     \
        printf("%s: %s%s%s\n", label, p_ ? "a block" : "NULL", p_ ? "" : " ",   \
               p_ ? "" : strerrorname_np(errno));                              \
    } while (0)

static zx_info_vmar_t root;

static unsigned long offset_of(const void *p)
{
    return (unsigned long)((uintptr_t)p - root.base);
}

/* The name of the VMO mapped at p ("" if none). */
static const char *mapping_name(const void *p)
{
    static zx_info_maps_t maps[64];
    static char name[ZX_MAX_NAME_LEN];
    size_t n = 0;
    name[0] = '\0';
    zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &n, NULL);
    for (size_t i = 0; i < n && i < 64; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING && (uintptr_t)p >= maps[i].base &&
            (uintptr_t)p < maps[i].base + maps[i].size)
            memcpy(name, maps[i].name, sizeof name);
    return name;
}

/* The heap's mappings (scudo:primary regions) and their committed KiB. */
static void heap_footprint(const char *when)
{
    static zx_info_maps_t maps[256];
    size_t n = 0, avail = 0, regions = 0, committed = 0;
    zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &n, &avail);
    for (size_t i = 0; i < n; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING &&
            strcmp(maps[i].name, "scudo:primary") == 0) {
            regions++;
            committed += maps[i].u.mapping.committed_bytes;
        }
    printf("%s: %zu regions, %zu KiB committed\n", when, regions, committed / 1024);
}

/* 20000 blocks of 200 bytes, written, then all freed: the regions that
 * empty stay a while, then go back but one (at the heap's next call);
 * allocating again maps them anew. */
static int shrink(void)
{
    enum { BLOCKS = 20000 };
    static char *blocks[BLOCKS];
    heap_footprint("at the start");
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < BLOCKS; i++)
            memset(blocks[i] = malloc(200), 0x5a, 200);
        heap_footprint("20000 blocks of 200 bytes");
        for (int i = 0; i < BLOCKS; i++)
            free(blocks[i]);
        heap_footprint("all freed");
        usleep(2000);
        void *volatile one = malloc(200); /* volatile: the pair is not optimized away */
        free(one);
        heap_footprint("2 ms later, one more malloc and free");
    }
    return 0;
}

/* For timing (tests/apps/bench_apps heap): `rounds` times, 5000 blocks of
 * 16 to 1024 bytes allocated and all freed (regions empty each round),
 * then as many single allocations each freed at once. */
static int churn(int rounds)
{
    enum { BLOCKS = 5000 };
    static char *blocks[BLOCKS];
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < BLOCKS; i++)
            blocks[i] = malloc(16 + (size_t)(i * 37) % 1009);
        for (int i = 0; i < BLOCKS; i++)
            free(blocks[i]);
        for (int i = 0; i < BLOCKS; i++)
            free(malloc(16 + (size_t)(i * 37) % 1009));
    }
    return 0;
}

static int misuse(const char *how)
{
    char *p = malloc(32);
    if (strcmp(how, "double") == 0) {
        free(p);
        free(p);
    } else if (strcmp(how, "middle") == 0) {
        free(p + 8);
    } else if (strcmp(how, "foreign") == 0) {
        free(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    } else if (strcmp(how, "stack") == 0) {
        volatile char local = 1;
        free((void *)&local);
    } else if (strcmp(how, "realloc") == 0) {
        free(p);
        p = realloc(p, 64);
    } else if (strcmp(how, "overflow") == 0) {
        char *q = malloc(32);
        /* over q and far beyond, on purpose: the compiler sees it too */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Warray-bounds"
        memset(p, 0x41, 8192);
#pragma GCC diagnostic pop
        free(q);
        for (int i = 0; i < 100; i++)
            free(malloc(32 + (size_t)i));
        printf("overflowed, still allocating: %d\n", malloc(32) == q);
        return 0;
    }
    printf("misuse %s not caught\n", how);
    return 0;
}

int main(int argc, char **argv)
{
    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof root, NULL, NULL);
    if (argc > 1 && strcmp(argv[1], "shrink") == 0)
        return shrink();
    if (argc > 2 && strcmp(argv[1], "churn") == 0)
        return churn(atoi(argv[2]));
    if (argc > 1)
        return misuse(argv[1]);

    char *a = malloc(24), *b = malloc(24), *c = malloc(100);
    SHOW("blocks in the root vmar", (uintptr_t)a >= root.base &&
                                        (uintptr_t)a < root.base + root.len);
    printf("a at %#lx, b at %#lx, c at %#lx\n", offset_of(a), offset_of(b), offset_of(c));
    printf("mapped as %s\n", mapping_name(a));
    SHOW("usable size of 24", malloc_usable_size(a));
    free(a);
    SHOW("freed block given again", malloc(20) == a);

    strcpy(c, "a secret in the heap");
    char back[32] = {0};
    size_t got = 0;
    SHOW("zx_process_read_memory of a block",
         zx_process_read_memory(zx_process_self(), (uintptr_t)c, back, 21, &got));
    printf("read back: %s (%zu bytes)\n", back, got);

    char *big = malloc(100000);
    printf("large block at %#lx, mapped as %s\n", offset_of(big), mapping_name(big));
    SHOW("usable size of 100000", malloc_usable_size(big));
    big[99999] = 1;
    free(big);
    SHOW("large block unmapped by free", mapping_name(big)[0] == '\0');

    int *z = calloc(1000, sizeof *z);
    long sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += z[i];
    SHOW("calloc zeroed (reused memory too)", sum == 0 && z != NULL);
    SHOW_BLOCK("calloc overflowing", calloc(SIZE_MAX / 2, 4));

    char *r = malloc(16);
    strcpy(r, "kept by realloc");
    r = realloc(r, 5000);
    SHOW("realloc keeps the bytes", strcmp(r, "kept by realloc") == 0);
    SHOW_BLOCK("realloc to 0 frees", realloc(r, 0));
    SHOW_BLOCK("malloc(0)", malloc(0));
    SHOW_BLOCK("malloc too much", malloc(SIZE_MAX - 100));

    void *m = NULL;
    SHOW("posix_memalign 256", posix_memalign(&m, 256, 10));
    SHOW("aligned to 256", ((uintptr_t)m & 255) == 0);
    SHOW("posix_memalign 24", posix_memalign(&m, 24, 10));
    SHOW_BLOCK("aligned_alloc 3", aligned_alloc(3, 10));
    char *al = aligned_alloc(65536, 10);
    SHOW("aligned_alloc 64 KiB", ((uintptr_t)al & 65535) == 0 && al != NULL);
    SHOW("valloc is page aligned", ((uintptr_t)valloc(10) & 4095) == 0);
    SHOW_BLOCK("reallocarray overflowing", reallocarray(NULL, SIZE_MAX / 2, 4));

    char *d = strdup("duplicated");
    printf("strdup at %#lx: %s\n", offset_of(d), d);
    char *nd = strndup("truncated here", 9);
    printf("strndup: %s\n", nd);
    FILE *f = fmemopen("first line\nsecond\n", 18, "r");
    char *line = NULL;
    size_t cap = 0;
    SHOW("getline", getline(&line, &cap, f));
    printf("line at %#lx: %s", offset_of(line), line);
    SHOW("getdelim", getdelim(&line, &cap, 'c', f));
    SHOW("getline at the end", getline(&line, &cap, f));
    SHOW("getline at EOF", getline(&line, &cap, f));
    SHOW("getline without a stream", getline(&line, &cap, NULL));
    fclose(f);
    free(line);
    free(d);
    free(nd);
    free(NULL);
    return 0;
}
