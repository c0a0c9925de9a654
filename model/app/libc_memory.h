/* libc_memory.h — an app's anonymous mappings, on its address space.
 * See libc_memory.c. */
#ifndef CAPSIM_APP_LIBC_MEMORY_H
#define CAPSIM_APP_LIBC_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* True when `caller` (a return address) is app code that maps memory of
 * its own: an app copy on a simulated thread, not a host library. */
bool libc_memory_app_caller(const void *caller);
/* mmap(MAP_ANONYMOUS) as Fuchsia's libc does it: a VMO mapped into the
 * process's root VMAR. MAP_FAILED with errno on failure. */
void *libc_memory_map_anonymous(void *start, size_t len, int prot, int flags, off_t off);

#endif
