/* host_memory.h — the host side of simulated address spaces: slots of
 * reserved host address space, one per process, and the mmap/mprotect calls
 * that make mappings real. See host_memory.c. */
#ifndef CAPSIM_MODEL_HOST_MEMORY_H
#define CAPSIM_MODEL_HOST_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "vmar.h"

/* Take the lowest free slot (VMAR_SLOT_SIZE bytes, PROT_NONE); false when
 * the host refuses more address space. */
bool host_slot_get(uint32_t *slot, uintptr_t *base);
/* Give a slot back (its memory is released, the reservation kept). */
void host_slot_put(uint32_t slot, uintptr_t base);
/* Does addr lie in the host address space reserved for simulated address
 * spaces (any slot, used or not)? Lock-free: cheap enough for every free(). */
bool host_memory_reserved(uintptr_t addr);
/* Put a PROT_NONE reservation back over [base, base+size). */
void host_reserve(uintptr_t base, uint64_t size);
/* An empty memfd: mapping it gives pages that fault (SIGBUS) on every
 * access, whatever their protection. Backs mappings of VMO ranges no VMO
 * can ever reach. -1 if the host has no memfd. */
int host_void_fd(void);
/* ZX_VM_PERM_* to PROT_*. */
int host_prot(uint32_t perms);
/* mprotect, falling back to non-executable where the host refuses exec. */
void host_protect(uintptr_t base, uint64_t size, uint32_t perms);

#endif
