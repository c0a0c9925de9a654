/* host_isolation.h — the host mechanisms behind strict memory mode: which
 * address space's mappings the host lets the running code touch. Knows
 * ranges and protections, not processes; model/strict_memory.c decides
 * when to open which. See host_isolation.c for the two mechanisms and
 * their costs.
 */
#ifndef CAPSIM_MODEL_HOST_ISOLATION_H
#define CAPSIM_MODEL_HOST_ISOLATION_H

#include <stdbool.h>
#include <stdint.h>

/* How an address space is guarded. OFF: its mappings are always open (the
 * default). PKEY: x86 memory protection keys. MPROTECT: closed by mprotect
 * to PROT_NONE. */
typedef enum HostIsolation {
    HOST_ISOLATION_OFF = 0,
    HOST_ISOLATION_PKEY,
    HOST_ISOLATION_MPROTECT
} HostIsolation;

/* The guard of one address space: [base, base + size) holds its mappings.
 * `reapply` must call host_guard_protect for every mapping (with its
 * current permissions); the guard calls it when the mappings must change
 * key or be opened. */
typedef struct HostGuard {
    HostIsolation mode;
    uintptr_t base;
    uint64_t size;
    void (*reapply)(void *owner);
    void *owner;
    int key;                    /* PKEY: its key, or the parked key */
    bool open;                  /* MPROTECT: mappings hold their real perms */
    uint64_t last_open;         /* PKEY: for least-recently-opened eviction */
} HostGuard;

/* Can this host guard with protection keys (x86 pku/ospke, Linux pkeys,
 * at least two keys free)? */
bool host_isolation_pkeys_available(void);

/* A guard for a new address space, closed. False only for PKEY when the
 * host has no keys (check host_isolation_pkeys_available first). */
bool host_guard_init(HostGuard *g, HostIsolation mode, uintptr_t base,
                     uint64_t size, void (*reapply)(void *), void *owner);
/* The address space goes away (its range is re-reserved by the caller). */
void host_guard_release(HostGuard *g);

/* A mapping was just mmap'ed in g's range with perms (ZX_VM_PERM_*): give
 * it g's key, or close it if g is closed. */
void host_guard_mapped(HostGuard *g, uintptr_t base, uint64_t size, uint32_t perms);
/* Set a mapping's permissions (vmar_protect, reapply): mprotect, with g's
 * key, deferred while a MPROTECT guard is closed. */
void host_guard_protect(HostGuard *g, uintptr_t base, uint64_t size, uint32_t perms);

/* Make g the one open address space: every other guarded one is closed.
 * See host_isolation.c for the costs; callers skip it when g is already
 * the open one (host_guard_is_open, inline: it runs on every copy). */
void host_guard_open(HostGuard *g);
extern HostGuard *host_guard_now; /* the open guard, NULL if none */
static inline bool host_guard_is_open(const HostGuard *g)
{
    return g == host_guard_now;
}

#endif
