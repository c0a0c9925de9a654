/* libc_memory.h — an app's mappings (anonymous, of files), on its address
 * space.
 * See libc_memory.c. */
#ifndef CAPSIM_APP_LIBC_MEMORY_H
#define CAPSIM_APP_LIBC_MEMORY_H

#include <stddef.h>
#include <sys/types.h>
#include <zircon/types.h>

/* mmap(MAP_ANONYMOUS) as Fuchsia's libc does it: a VMO mapped into the
 * process's root VMAR. MAP_FAILED with errno on failure. */
void *libc_memory_map_anonymous(void *start, size_t len, int prot, int flags, off_t off);

/* A file's VMO for a mapping of len bytes with `prot` (PROT_*): ZX_OK and
 * *vmo (a handle the caller then owns), or the status. */
typedef zx_status_t (*LibcMemoryFileVmo)(void *file, size_t len, int prot, zx_handle_t *vmo);

/* mmap of a file: the same checks, then get_vmo(file, ...)'s VMO mapped
 * from offset `off`. MAP_FAILED with errno on failure. */
void *libc_memory_map_file(void *start, size_t len, int prot, int flags, off_t off,
                           LibcMemoryFileVmo get_vmo, void *file);

/* A new VMO of len bytes named `name`, mapped into the calling process's
 * root VMAR with `options` (at vmar_offset for ZX_VM_SPECIFIC*): ZX_OK and
 * *addr, or the status. The mapping holds the VMO; no handle is left. */
zx_status_t libc_memory_map_vmo(size_t len, const char *name, zx_vm_option_t options,
                                uint64_t vmar_offset, uintptr_t *addr);

#endif
