/* address_name.h — names for host addresses that read the same every run.
 * See address_name.c. */
#ifndef CAPSIM_MODEL_ADDRESS_NAME_H
#define CAPSIM_MODEL_ADDRESS_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Kernel Kernel;
typedef struct KProcess KProcess;

/* Writes a name for `addr`, an address process `p` uses (a futex key,
 * say), that does not depend on where the host put things: the address
 * itself when it is in p's address space (those are laid out
 * deterministically), otherwise the thread stack or app image holding it
 * with an offset, otherwise a note that it is a host heap address. */
void address_name(Kernel *k, KProcess *p, uintptr_t addr, char *buf, size_t len);

#endif
