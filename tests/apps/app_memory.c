/* app_memory.c — an app's memory calls (model/app/libc_memory.c): its
 * anonymous mmap lands in its own root VMAR, and munmap, mprotect and
 * madvise cannot touch memory outside it (its own image, its stack, the
 * simulator). Prints one line per check; the test compares two runs and
 * Fuchsia's answers. Addresses are printed relative to the VMAR's base,
 * so they are the same every run; a local's address goes to stderr. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "app_show.h"

#define PAGE 4096

/* Initialized: its page comes from the image file, which a host
 * madvise(MADV_DONTNEED) would bring back. */
static volatile int image_word = 7;

static uintptr_t page_of(const volatile void *p)
{
    return (uintptr_t)p & ~(uintptr_t)(PAGE - 1);
}

int main(void)
{
    zx_info_vmar_t root;
    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof root, NULL, NULL);

    char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW("mmap in the root vmar",
         m != MAP_FAILED && (uintptr_t)m >= root.base && (uintptr_t)m < root.base + root.len);
    printf("at vmar offset %#lx\n", (unsigned long)((uintptr_t)m - root.base));
    memset(m, 0xab, 3 * PAGE);
    zx_info_maps_t maps[64];
    size_t n = 0, named = 0;
    zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &n, NULL);
    for (size_t i = 0; i < n && i < 64; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING && maps[i].base == (uintptr_t)m &&
            strcmp(maps[i].name, "mmap-anonymous") == 0)
            named = 1;
    SHOW("a mapping of a VMO named mmap-anonymous", named);
    SHOW("mprotect the middle page read-only", mprotect(m + PAGE, PAGE, PROT_READ));
    SHOW("munmap the last page", munmap(m + 2 * PAGE, PAGE));
    SHOW("first page still written", m[0] == (char)0xab);

    char *fixed = mmap(m + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    SHOW("MAP_FIXED where asked", fixed == m + 2 * PAGE);
    SHOW("MAP_FIXED below the vmar",
         mmap((void *)PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    SHOW("len 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    SHOW("private and shared",
         mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    SHOW("offset not a page", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 12));

    volatile int on_stack = 5;
    /* On stderr: the test's expected text is stdout's; cli_run.sh compares
     * two runs whole (stack arenas lie at fixed addresses; capsim turns
     * the host's address randomization off for the copy's globals). */
    fprintf(stderr, "a local at %p\n", (void *)&on_stack);
    fprintf(stderr, "a global at %p, main at %p\n", (void *)&image_word, (void *)main);
    SHOW("munmap its own image", munmap((void *)page_of(&image_word), PAGE));
    SHOW("mprotect its own stack", mprotect((void *)page_of(&on_stack), PAGE, PROT_NONE));
    image_word = 42;
    SHOW("madvise DONTNEED its image", madvise((void *)page_of(&image_word), PAGE,
                                               MADV_DONTNEED));
    on_stack++;
    SHOW("image and stack untouched", image_word == 42 && on_stack == 6);

    SHOW("posix_madvise DONTNEED", posix_madvise(m, PAGE, POSIX_MADV_DONTNEED));
    SHOW("posix_madvise WILLNEED", posix_madvise(m, PAGE, POSIX_MADV_WILLNEED));
    SHOW("msync", msync(m, PAGE, MS_SYNC));
    SHOW("mremap", mremap(m, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    SHOW("sbrk", sbrk(PAGE));
    SHOW("brk", brk(m));
    SHOW("pkey_alloc", pkey_alloc(0, 0));
    SHOW("munmap all", munmap(m, 3 * PAGE));
    return 0;
}
