/* stack_pool.h — fiber stacks carved from large arenas, with guard regions.
 * Internal to sim/. See stack_pool.c for the design. */
#ifndef CAPSIM_STACK_POOL_H
#define CAPSIM_STACK_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum StackGuardMode {
    STACK_GUARD_MADVISE = 0, /* MADV_GUARD_INSTALL: no VMA split, faults */
    STACK_GUARD_MPROTECT,    /* PROT_NONE pages: one VMA split per stack */
    STACK_GUARD_CANARY       /* pattern-filled zone, checked at switches */
} StackGuardMode;

typedef struct StackArena {
    uint8_t *base;
    size_t nslots;
    size_t used;
} StackArena;

typedef struct StackPool {
    size_t stack_size;   /* usable bytes, page multiple */
    size_t guard_size;   /* bytes below each stack */
    size_t slot_size;    /* guard + stack */
    StackArena *arenas;
    size_t narenas, arena_cap;
    void **free;         /* LIFO of released stack bases (usable low end) */
    size_t nfree, free_cap;
    size_t live;         /* stacks handed out */
    size_t mprotected;   /* stacks guarded with mprotect so far */
    StackGuardMode mode; /* mode for the next new slot */
    bool verified;       /* a madvise guard was seen to fault */
    size_t next_cell;    /* where the next arena's search starts */
} StackPool;

/* Never more mprotect guards than this (each costs VMAs). */
#define STACK_POOL_MPROTECT_BUDGET 16384
#define STACK_CANARY_WORD 0xCA95133DEADF00DULL
#define STACK_CANARY_CHECK_BYTES 256

void stack_pool_init(StackPool *p, size_t stack_size);
void stack_pool_destroy(StackPool *p);
/* Returns the low end of a usable stack of p->stack_size bytes, or NULL.
 * *canary is set when the stack is guarded only by a canary zone. */
void *stack_pool_get(StackPool *p, bool *canary);
/* Give a stack back. `deep_sp` is the lowest stack pointer seen on it (0 if
 * unknown); pages far below the top are released only if it went deep. */
void stack_pool_put(StackPool *p, void *lo, bool canary, uintptr_t deep_sp);
/* Canary-guarded stacks only (never call it for others: a hardware guard is
 * unreadable): false if the zone just below `lo` was overwritten. */
bool stack_pool_canary_ok(const void *lo);
const char *stack_pool_mode_name(StackGuardMode m);

#endif
