/* stack_pool.c — fiber stacks for up to millions of simulated threads.
 *
 * Models: the memory behind green threads. Linux allows 65530 mappings per
 * process (vm.max_map_count), so one mmap (or one mprotect'ed guard page)
 * per stack caps a simulation near 32k threads. Instead stacks are carved
 * from large MAP_NORESERVE arenas (geometrically growing, so 1M stacks of
 * 256 KiB cost a few hundred mappings) and only touched pages cost memory.
 *
 * Guards, strongest first (chosen once per new slot):
 *  1. madvise(MADV_GUARD_INSTALL) (Linux >= 6.13): guard markers in the page
 *     tables, no VMA split; touching one raises SIGSEGV, which fault.c
 *     classifies as a stack overflow of the owning fiber.
 *  2. mprotect(PROT_NONE) on older kernels, for the first 16k stacks (each
 *     splits VMAs; the budget keeps us well below max_map_count).
 *  3. beyond that, a canary-filled zone checked whenever the fiber switches
 *     out. WEAKER: an overflow is detected only after the fact, and a large
 *     frame can jump past the zone into the neighbour stack undetected.
 *
 * Placement: arenas are mapped at fixed addresses (cells of 4 GiB from
 * STACK_HINT, the lowest free cell first, MAP_FIXED_NOREPLACE), so a
 * thread's stack, and any address of a local an app prints, is the same
 * in every run of a program (the host's ASLR would move it), even across
 * machines. Where the host refuses (a taken or unreachable address), an
 * arena goes wherever mmap puts it.
 *
 * Reuse: released stacks go on a LIFO (hot pages first). A stack whose
 * deepest observed stack pointer went more than STACK_KEEP_BYTES below its
 * top gets its deeper pages MADV_DONTNEED'ed, so reuse stays cheap for the
 * common shallow thread and memory does not ratchet up for deep ones.
 *
 * Leaves out: freeing arenas before the pool dies; stacks for threads made
 * with sim_thread_create_on_stack (the caller owns those).
 *
 * Read next: fiber.c (what runs on these stacks), fault.c (guard faults).
 */
#include "stack_pool.h"
#include "fiber.h"
#include "sim.h"

#include <errno.h>
#include <glib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

#define STACK_ARENA_MIN_SLOTS 16
#define STACK_ARENA_MAX_BYTES ((size_t)4 << 30)
#define STACK_KEEP_BYTES ((size_t)16 << 10)
/* Above the simulated address spaces (model/host_memory.c, from 32 TiB). */
#define STACK_HINT ((uintptr_t)0x300000000000ull)
#define STACK_CELL STACK_ARENA_MAX_BYTES
#define STACK_CELLS 4096u

static size_t stack_page_size(void)
{
    static size_t page;
    if (!page)
        page = (size_t)sysconf(_SC_PAGESIZE);
    return page;
}

const char *stack_pool_mode_name(StackGuardMode m)
{
    switch (m) {
    case STACK_GUARD_MADVISE: return "madvise-guard";
    case STACK_GUARD_MPROTECT: return "mprotect";
    default: return "canary";
    }
}

void stack_pool_init(StackPool *p, size_t stack_size)
{
    size_t page = stack_page_size();
    memset(p, 0, sizeof *p);
    if (stack_size < 4 * page)
        stack_size = 4 * page;
    p->stack_size = (stack_size + page - 1) & ~(page - 1);
    /* Guard markers are free, so make the guard 16 KiB to catch frames that
     * skip a single page; fall back to one page for mprotect/canary. */
    p->guard_size = 4 * page;
    p->slot_size = p->guard_size + p->stack_size;
    p->mode = STACK_GUARD_MADVISE;
}

void stack_pool_destroy(StackPool *p)
{
    for (size_t i = 0; i < p->narenas; i++)
        fiber_stack_unmap(p->arenas[i].base, p->arenas[i].nslots * p->slot_size);
    g_free(p->arenas);
    g_free(p->free);
    memset(p, 0, sizeof *p);
}

/* Map an arena of len bytes in the lowest free cell from *cell on. */
static void *stack_arena_map(size_t len, size_t *cell)
{
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    for (size_t c = *cell; c < STACK_CELLS; c++) {
        void *want = (void *)(STACK_HINT + c * STACK_CELL);
        void *got = mmap(want, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED_NOREPLACE, -1, 0);
        if (got == want) {
            *cell = c + 1;
            return got;
        }
        if (got != MAP_FAILED) { /* a kernel that took the flag as a hint */
            munmap(got, len);
            break;
        }
        if (errno != EEXIST)
            break;
    }
    *cell = STACK_CELLS;
    return mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
}

static StackArena *stack_pool_grow(StackPool *p)
{
    size_t nslots = STACK_ARENA_MIN_SLOTS;
    if (p->narenas)
        nslots = p->arenas[p->narenas - 1].nslots * 2;
    size_t max_slots = STACK_ARENA_MAX_BYTES / p->slot_size;
    if (nslots > max_slots)
        nslots = max_slots > 0 ? max_slots : 1;
    void *base = stack_arena_map(nslots * p->slot_size, &p->next_cell);
    if (base == MAP_FAILED)
        return NULL;
    if (p->narenas == p->arena_cap) {
        p->arena_cap = p->arena_cap ? p->arena_cap * 2 : 8;
        p->arenas = g_renew(StackArena, p->arenas, p->arena_cap);
    }
    StackArena *a = &p->arenas[p->narenas++];
    a->base = base;
    a->nslots = nslots;
    a->used = 0;
    return a;
}

static void stack_fill_canary(uint8_t *zone, size_t len)
{
    uint64_t *w = (uint64_t *)zone;
    for (size_t i = 0; i < len / 8; i++)
        w[i] = STACK_CANARY_WORD;
}

/* The first guard a pool installs is tested: reading it must fault. */
static bool stack_guard_probe(StackPool *p, uint8_t *guard)
{
    uint8_t byte;
    p->verified = !sim_safe_copy(&byte, guard + p->guard_size - 1, 1);
    if (!p->verified)
        madvise(guard, p->guard_size, MADV_DONTNEED);
    return p->verified;
}

/* Returns true if the slot got only a canary zone. */
static bool stack_install_guard(StackPool *p, uint8_t *guard)
{
    if (p->mode == STACK_GUARD_MADVISE) {
        if (madvise(guard, p->guard_size, MADV_GUARD_INSTALL) == 0 &&
            (p->verified || stack_guard_probe(p, guard)))
            return false;
        /* EINVAL: kernel older than 6.13; or an emulator that accepts the
         * advice and ignores it (qemu-user): use mprotect from here on. */
        p->mode = STACK_GUARD_MPROTECT;
    }
    if (p->mode == STACK_GUARD_MPROTECT) {
        if (p->mprotected < STACK_POOL_MPROTECT_BUDGET &&
            mprotect(guard, p->guard_size, PROT_NONE) == 0) {
            p->mprotected++;
            return false;
        }
        p->mode = STACK_GUARD_CANARY;
    }
    stack_fill_canary(guard, p->guard_size);
    return true;
}

/* Free-list entries are stack bases (page aligned) tagged with bit 0 when
 * the slot is canary-guarded. */
void *stack_pool_get(StackPool *p, bool *canary)
{
    if (p->nfree) {
        uintptr_t v = (uintptr_t)p->free[--p->nfree];
        p->live++;
        *canary = v & 1;
        return (void *)(v & ~(uintptr_t)1);
    }
    StackArena *a = p->narenas ? &p->arenas[p->narenas - 1] : NULL;
    if (!a || a->used == a->nslots)
        a = stack_pool_grow(p);
    if (!a)
        return NULL;
    uint8_t *guard = a->base + a->used++ * p->slot_size;
    *canary = stack_install_guard(p, guard);
    p->live++;
    return guard + p->guard_size;
}

void stack_pool_put(StackPool *p, void *lo, bool canary, uintptr_t deep_sp)
{
    uintptr_t top = (uintptr_t)lo + p->stack_size;
    if (deep_sp && deep_sp < top - STACK_KEEP_BYTES)
        madvise(lo, p->stack_size - STACK_KEEP_BYTES, MADV_DONTNEED);
    if (p->nfree == p->free_cap) {
        p->free_cap = p->free_cap ? p->free_cap * 2 : 64;
        p->free = g_renew(void *, p->free, p->free_cap);
    }
    p->free[p->nfree++] = (void *)((uintptr_t)lo | (canary ? 1 : 0));
    p->live--;
}

bool stack_pool_canary_ok(const void *lo)
{
    const uint64_t *w = (const uint64_t *)((const uint8_t *)lo -
                                           STACK_CANARY_CHECK_BYTES);
    for (size_t i = 0; i < STACK_CANARY_CHECK_BYTES / 8; i++)
        if (w[i] != STACK_CANARY_WORD)
            return false;
    return true;
}
