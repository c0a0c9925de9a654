/* host_memory.c — the host side of simulated address spaces.
 *
 * The first process created reserves a chunk of host address space
 * (PROT_NONE, MAP_NORESERVE: no memory is spent) at a fixed hint address
 * (MAP_FIXED_NOREPLACE; anywhere slot-aligned if the hint is taken). Chunks
 * are cut into VMAR_SLOT_SIZE slots; each process takes the lowest free slot
 * and gives it back when it dies, so addresses depend only on the order in
 * which processes are created (in one host process, several simulated
 * systems share the slots: a system's addresses are reproducible when
 * systems are created and freed in the same order).
 *
 * Nothing is ever munmap'ed inside a slot: unmapping puts a reservation
 * back, so no stray host allocation can land in a simulated address space.
 * Read next: vmar.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "host_memory.h"
#include "kernel.h"

#define HOST_SLOTS_PER_CHUNK 64u
#define HOST_MAX_CHUNKS 64u
#define HOST_HINT ((uintptr_t)0x200000000000ull)
#define HOST_CHUNK_SIZE (HOST_SLOTS_PER_CHUNK * VMAR_SLOT_SIZE)

static pthread_mutex_t host_slot_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t host_chunk[HOST_MAX_CHUNKS];
static bool host_slot_used[HOST_MAX_CHUNKS * HOST_SLOTS_PER_CHUNK];

static const int HOST_RESERVE_FLAGS = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

static uintptr_t host_chunk_reserve(unsigned i)
{
    void *hint = (void *)(HOST_HINT + (uintptr_t)i * HOST_CHUNK_SIZE);
    void *p = mmap(hint, HOST_CHUNK_SIZE, PROT_NONE,
                   HOST_RESERVE_FLAGS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != MAP_FAILED && p == hint)
        return (uintptr_t)p;
    if (p != MAP_FAILED)
        munmap(p, HOST_CHUNK_SIZE); /* old kernel took the flag as a hint */
    /* Anywhere, aligned to a slot: over-reserve and trim. */
    size_t len = HOST_CHUNK_SIZE + VMAR_SLOT_SIZE;
    p = mmap(NULL, len, PROT_NONE, HOST_RESERVE_FLAGS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    uintptr_t a = ((uintptr_t)p + VMAR_SLOT_SIZE - 1) & ~(uintptr_t)(VMAR_SLOT_SIZE - 1);
    if (a > (uintptr_t)p)
        munmap(p, a - (uintptr_t)p);
    uintptr_t end = (uintptr_t)p + len;
    if (end > a + HOST_CHUNK_SIZE)
        munmap((void *)(a + HOST_CHUNK_SIZE), end - (a + HOST_CHUNK_SIZE));
    return a;
}

bool host_slot_get(uint32_t *slot, uintptr_t *base)
{
    bool ok = false;
    pthread_mutex_lock(&host_slot_lock);
    for (uint32_t i = 0; i < HOST_MAX_CHUNKS * HOST_SLOTS_PER_CHUNK; i++) {
        uint32_t c = i / HOST_SLOTS_PER_CHUNK;
        if (host_slot_used[i])
            continue;
        if (!host_chunk[c]) {
            uintptr_t chunk = host_chunk_reserve(c);
            if (!chunk)
                break;
            __atomic_store_n(&host_chunk[c], chunk, __ATOMIC_RELEASE);
        }
        host_slot_used[i] = true;
        *slot = i;
        *base = host_chunk[c] + (uintptr_t)(i % HOST_SLOTS_PER_CHUNK) * VMAR_SLOT_SIZE;
        ok = true;
        break;
    }
    pthread_mutex_unlock(&host_slot_lock);
    return ok;
}

bool host_memory_reserved(uintptr_t addr)
{
    /* Chunks are reserved in order and never given back: the nonzero
     * entries are a prefix, and an entry once read stays true. */
    for (unsigned c = 0; c < HOST_MAX_CHUNKS; c++) {
        uintptr_t base = __atomic_load_n(&host_chunk[c], __ATOMIC_ACQUIRE);
        if (!base)
            return false;
        if (addr - base < HOST_CHUNK_SIZE)
            return true;
    }
    return false;
}

/* Put a PROT_NONE reservation back over [base, base+size). */
void host_reserve(uintptr_t base, uint64_t size)
{
    void *p = mmap((void *)base, size, PROT_NONE, HOST_RESERVE_FLAGS | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED)
        kernel_panic(__FILE__, __LINE__, "cannot re-reserve %#lx+%#llx",
                     (unsigned long)base, (unsigned long long)size);
}

void host_slot_put(uint32_t slot, uintptr_t base)
{
    host_reserve(base, VMAR_SLOT_SIZE);
    pthread_mutex_lock(&host_slot_lock);
    host_slot_used[slot] = false;
    pthread_mutex_unlock(&host_slot_lock);
}

int host_prot(uint32_t perms)
{
    return ((perms & ZX_VM_PERM_READ) ? PROT_READ : 0) |
           ((perms & ZX_VM_PERM_WRITE) ? PROT_WRITE : 0) |
           ((perms & ZX_VM_PERM_EXECUTE) ? PROT_EXEC : 0);
}

void host_protect(uintptr_t base, uint64_t size, uint32_t perms)
{
    int prot = host_prot(perms);
    if (mprotect((void *)base, size, prot) != 0 && (prot & PROT_EXEC))
        mprotect((void *)base, size, prot & ~PROT_EXEC);
}

static int host_void = -1;

static void host_void_open(void)
{
    host_void = memfd_create("capsim-void", MFD_CLOEXEC);
}

int host_void_fd(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, host_void_open);
    return host_void;
}
