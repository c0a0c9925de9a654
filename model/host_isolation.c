/* host_isolation.c — closing the mappings of every address space but one.
 *
 * Strict memory mode (strict_memory.c) keeps exactly one guarded address
 * space open at a time: the process whose code runs, or whose memory the
 * kernel is copying to or from. Two mechanisms, chosen per address space:
 *
 * PKEY (x86 memory protection keys). The first guard allocates every free
 * key of the host process (pkey_alloc; at most 15) and keeps them for
 * good. One is the parked key, denied whenever the simulation runs; the
 * others are lent to address spaces, whose mappings carry their key
 * (pkey_mprotect). Opening an address space that holds a key is one write
 * of the PKRU register (key 0 and its key allowed, every other of ours
 * denied): tens of cycles, no system call. One that holds none borrows a
 * free key, or the key of the least recently opened address space, whose
 * mappings are moved to the parked key: one pkey_mprotect per mapping of
 * both. So up to 14 address spaces switch for free; beyond, a switch to a
 * process whose key was taken costs a few microseconds per mapping
 * (tests/bench/README.md, "Strict memory mode: the cost").
 *
 * MPROTECT (any host). Closing is one mprotect(PROT_NONE) over the whole
 * slot; opening restores each mapping's permissions, one mprotect each. A
 * switch between processes costs 1 + (mappings of the new one) system
 * calls, each with a TLB flush (~1.5 to 9 µs a switch measured);
 * switches between threads of one process cost nothing.
 *
 * OFF: mappings are always open; every call here is a plain mprotect or
 * nothing.
 *
 * Invariants: at most one guard is open (host_guard_now); a PKEY guard's key is
 * the parked key or a key whose iso_owner is that guard; an MPROTECT
 * guard's mappings hold their permissions iff it is open. Deterministic:
 * which key goes where depends only on the order of opens, and nothing of
 * it is traced. Leaves out: several host threads running simulations at
 * once (PKRU is per host thread, the open guard is process-wide). Read
 * next: strict_memory.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>

#include "host_isolation.h"
#include "host_memory.h"

#define ISO_MAX_KEYS 16

HostGuard *host_guard_now;
static int iso_parked = -1;           /* -1: keys not tried yet; -2: none */
static int iso_keys[ISO_MAX_KEYS];    /* ours, iso_keys[0] = parked */
static int iso_nkeys;
static HostGuard *iso_owner[ISO_MAX_KEYS]; /* by key number */
static uint32_t iso_pkru_closed;      /* PKRU with all of our keys denied */
static uint64_t iso_clock;

/* ---- the PKRU register ------------------------------------------------------*/

#if defined(__x86_64__)
static uint32_t iso_rdpkru(void)
{
    uint32_t eax, edx;
    __asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
    return eax;
}

static void iso_wrpkru(uint32_t v)
{
    __asm__ volatile(".byte 0x0f, 0x01, 0xef" : : "a"(v), "c"(0), "d"(0) : "memory");
}
#define ISO_HAVE_PKRU 1
#else
static uint32_t iso_rdpkru(void) { return 0; }
static void iso_wrpkru(uint32_t v) { (void)v; }
#endif

static uint32_t iso_key_bits(int key)
{
    return 3u << (2 * key); /* access-disable and write-disable */
}

/* Allocate the host's free keys once; false if fewer than two. */
static bool iso_keys_ready(void)
{
    if (iso_parked >= 0)
        return true;
    if (iso_parked == -2)
        return false;
    iso_parked = -2;
#ifdef ISO_HAVE_PKRU
    int k;
    while (iso_nkeys < ISO_MAX_KEYS - 1 && (k = pkey_alloc(0, 0)) >= 0) {
        if (k >= ISO_MAX_KEYS) { /* not an x86 key number: give up */
            pkey_free(k);
            break;
        }
        iso_keys[iso_nkeys++] = k;
    }
    if (iso_nkeys < 2) {
        for (int i = 0; i < iso_nkeys; i++)
            pkey_free(iso_keys[i]);
        iso_nkeys = 0;
        return false;
    }
    iso_pkru_closed = iso_rdpkru();
    for (int i = 0; i < iso_nkeys; i++)
        iso_pkru_closed |= iso_key_bits(iso_keys[i]);
    iso_parked = iso_keys[0];
    iso_wrpkru(iso_pkru_closed);
    return true;
#else
    return false;
#endif
}

bool host_isolation_pkeys_available(void)
{
    return iso_keys_ready();
}

/* ---- protection of one mapping ------------------------------------------------*/

static void iso_pkey_protect(int key, uintptr_t base, uint64_t size, int prot)
{
    if (pkey_mprotect((void *)base, size, prot, key) != 0 && (prot & PROT_EXEC))
        pkey_mprotect((void *)base, size, prot & ~PROT_EXEC, key);
}

void host_guard_protect(HostGuard *g, uintptr_t base, uint64_t size, uint32_t perms)
{
    switch (g->mode) {
    case HOST_ISOLATION_PKEY:
        iso_pkey_protect(g->key, base, size, host_prot(perms));
        break;
    case HOST_ISOLATION_MPROTECT:
        if (g->open)
            host_protect(base, size, perms);
        break;
    default:
        host_protect(base, size, perms);
        break;
    }
}

void host_guard_mapped(HostGuard *g, uintptr_t base, uint64_t size, uint32_t perms)
{
    if (g->mode == HOST_ISOLATION_PKEY)
        iso_pkey_protect(g->key, base, size, host_prot(perms));
    else if (g->mode == HOST_ISOLATION_MPROTECT && !g->open)
        mprotect((void *)base, size, PROT_NONE);
}

/* ---- guards ---------------------------------------------------------------------*/

bool host_guard_init(HostGuard *g, HostIsolation mode, uintptr_t base,
                     uint64_t size, void (*reapply)(void *), void *owner)
{
    *g = (HostGuard){.mode = mode, .base = base, .size = size,
                     .reapply = reapply, .owner = owner, .key = -1};
    if (mode != HOST_ISOLATION_PKEY)
        return true;
    if (!iso_keys_ready())
        return false;
    g->key = iso_parked;
    return true;
}

void host_guard_release(HostGuard *g)
{
    if (g->mode == HOST_ISOLATION_PKEY && g->key != iso_parked)
        iso_owner[g->key] = NULL;
    if (host_guard_now == g)
        host_guard_now = NULL;
    g->key = iso_parked;
    g->open = false;
}

/* Give g a key of its own: a free one, else the least recently opened
 * holder's (whose mappings move to the parked key). */
static void iso_lend_key(HostGuard *g)
{
    int key = -1;
    HostGuard *victim = NULL;
    for (int i = 1; i < iso_nkeys && key < 0; i++)
        if (!iso_owner[iso_keys[i]])
            key = iso_keys[i];
    for (int i = 1; i < iso_nkeys && key < 0; i++) {
        HostGuard *o = iso_owner[iso_keys[i]];
        if (!victim || o->last_open < victim->last_open)
            victim = o;
    }
    if (key < 0) {
        key = victim->key;
        victim->key = iso_parked;
        victim->reapply(victim->owner);
    }
    iso_owner[key] = g;
    g->key = key;
    g->reapply(g->owner);
}

/* Close the open guard before `next` opens. */
static void iso_close(HostGuard *old, const HostGuard *next)
{
    if (!old)
        return;
    if (old->mode == HOST_ISOLATION_MPROTECT) {
        mprotect((void *)old->base, old->size, PROT_NONE);
        old->open = false;
    } else if (old->mode == HOST_ISOLATION_PKEY &&
               (!next || next->mode != HOST_ISOLATION_PKEY)) {
        iso_wrpkru(iso_pkru_closed);
    }
}

void host_guard_open(HostGuard *g)
{
    if (host_guard_now == g || g->mode == HOST_ISOLATION_OFF)
        return;
    iso_close(host_guard_now, g);
    host_guard_now = g;
    if (g->mode == HOST_ISOLATION_MPROTECT) {
        g->open = true;
        g->reapply(g->owner);
        return;
    }
    if (g->key == iso_parked)
        iso_lend_key(g);
    g->last_open = ++iso_clock;
    iso_wrpkru(iso_pkru_closed & ~iso_key_bits(g->key));
}
