/* libc_memory.c — an app's own memory calls, on its address space.
 *
 * Models: what Fuchsia's libc does with mmap, munmap, mprotect and the
 * rest: an anonymous mmap is a new VMO named "mmap-anonymous" mapped into
 * the process's root VMAR, munmap and mprotect are zx_vmar_unmap and
 * zx_vmar_protect on that VMAR. Without these an app's calls went to the
 * HOST: its anonymous memory lay outside its address space (at addresses
 * that changed from run to run, never freed with the process, never
 * closed by strict memory mode), and munmap, mprotect or
 * madvise(MADV_DONTNEED) of any address changed the simulator's own memory
 * or another process's: an app could unmap the engine, or reopen a
 * mapping strict memory mode had closed. Now an address outside the
 * process's VMAR is simply not found.
 *
 *   mmap, mmap64 (MAP_ANONYMOUS)  Fuchsia's checks (offset not page-aligned,
 *                                 len 0, neither or both of MAP_PRIVATE and
 *                                 MAP_SHARED: EINVAL; len >= PTRDIFF_MAX:
 *                                 ENOMEM), PROT_WRITE/EXEC imply PROT_READ,
 *                                 len rounded up to pages; MAP_FIXED maps
 *                                 at that address (ZX_VM_SPECIFIC_OVERWRITE,
 *                                 EINVAL below the VMAR), else the VMAR
 *                                 chooses (a hint is ignored). Errors:
 *                                 NO_MEMORY ENOMEM, ACCESS_DENIED EACCES,
 *                                 NOT_SUPPORTED ENODEV, others EINVAL.
 *   mmap of a file               the same checks, then the file's VMO
 *                                 from its server (fdio's GetBuffer, a
 *                                 private copy: model/sdk/fdio_libc_fd.c)
 *                                 mapped at the file offset, as Fuchsia's
 *                                 fdio maps it. MAP_SHARED with PROT_WRITE:
 *                                 ENOTSUP (the copy would not write the
 *                                 file back); no VMO (a pipe, stdio, a
 *                                 directory, a file not opened to read):
 *                                 EACCES
 *   munmap                        zx_vmar_unmap; any error: EINVAL
 *   mprotect                      zx_vmar_protect; ACCESS_DENIED EACCES,
 *                                 INVALID_ARGS ENOTSUP, others EINVAL
 *   madvise                       0, nothing done (Fuchsia's)
 *   posix_madvise                 POSIX_MADV_DONTNEED: 0; others -1, ENOSYS
 *                                 (Fuchsia's, errno and all)
 *   msync                         -1, ENOSYS (Fuchsia's)
 *   mremap, brk, sbrk, pkey_alloc, pkey_free, pkey_mprotect
 *                                 -1 / MAP_FAILED / (void *)-1: ENOSYS for
 *                                 mremap and the pkeys (Fuchsia has none),
 *                                 ENOMEM for the break (no heap segment)
 *
 * Who counts as the app: its code calling from an app copy, not a host
 * library running on its thread (app_world_app_caller): libcapsim's own
 * helpers keep host memory. munmap, mprotect and madvise also go to the
 * VMAR whenever the range touches it (memory_for_app).
 * malloc has a heap of the process's own, mapped through
 * libc_memory_map_vmo (app_heap.c). Read next: libc_host_process.c.
 */
/* libc's own symbols are defined here: plain names, no *64 redirection. */
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#include "app_world.h"
#include "libc_memory.h"
#include "libc_next.h"

#define MEMORY_PAGE ((uintptr_t)4096)

static zx_vm_option_t memory_perms(int prot)
{
    return ((prot & PROT_READ) ? ZX_VM_PERM_READ : 0) |
           ((prot & PROT_WRITE) ? ZX_VM_PERM_WRITE : 0) |
           ((prot & PROT_EXEC) ? ZX_VM_PERM_EXECUTE : 0);
}

/* The calling process's root VMAR: its base and length. */
static zx_status_t memory_root_vmar(zx_info_vmar_t *info)
{
    return zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, info, sizeof *info, NULL,
                              NULL);
}

zx_status_t libc_memory_map_vmo(size_t len, const char *name, zx_vm_option_t options,
                                uint64_t vmar_offset, uintptr_t *addr)
{
    zx_handle_t vmo;
    zx_status_t st = zx_vmo_create(len, 0, &vmo);
    if (st != ZX_OK)
        return st;
    zx_object_set_property(vmo, ZX_PROP_NAME, name, strlen(name));
    st = zx_vmar_map(zx_vmar_root_self(), options, vmar_offset, vmo, 0, len, addr);
    zx_handle_close(vmo); /* the mapping holds the VMO */
    return st;
}

/* Where a mapping goes: the options and VMAR offset for `start` under
 * MAP_FIXED (ZX_VM_SPECIFIC_OVERWRITE), else none (the VMAR chooses). */
static zx_status_t memory_place(uintptr_t start, int prot, int flags, zx_vm_option_t *options,
                                uint64_t *offset)
{
    *options = memory_perms(prot);
    *offset = 0;
    if (!(flags & MAP_FIXED))
        return ZX_OK;
    zx_info_vmar_t info;
    zx_status_t st = memory_root_vmar(&info);
    if (st != ZX_OK)
        return st;
    if (start < info.base)
        return ZX_ERR_INVALID_ARGS;
    *options |= ZX_VM_SPECIFIC_OVERWRITE;
    *offset = start - info.base;
    return ZX_OK;
}

/* Fuchsia's checks before any mapping: 0, or the errno. Makes write or
 * execute imply read and rounds *len up to pages. */
static int memory_check(size_t *len, int *prot, int flags, off_t off)
{
    if ((off & (off_t)(MEMORY_PAGE - 1)) || *len == 0 ||
        !(flags & (MAP_PRIVATE | MAP_SHARED)) ||
        ((flags & MAP_PRIVATE) && (flags & MAP_SHARED)))
        return EINVAL;
    if (*len >= PTRDIFF_MAX)
        return ENOMEM;
    if (*prot & (PROT_WRITE | PROT_EXEC))
        *prot |= PROT_READ;
    *len = (*len + MEMORY_PAGE - 1) & ~(MEMORY_PAGE - 1);
    return 0;
}

/* mmap's answer for a mapping's status, errno set as Fuchsia's libc sets
 * it. */
static void *memory_answer(zx_status_t st, uintptr_t addr)
{
    switch (st) {
    case ZX_OK: return (void *)addr;
    case ZX_ERR_NO_MEMORY: errno = ENOMEM; break;
    case ZX_ERR_ACCESS_DENIED: errno = EACCES; break;
    case ZX_ERR_NOT_SUPPORTED: errno = ENODEV; break;
    default: errno = EINVAL; break;
    }
    return MAP_FAILED;
}

/* A new anonymous VMO of len bytes, named as Fuchsia's libc names it. */
static zx_status_t memory_anonymous_vmo(void *none, size_t len, int prot, zx_handle_t *vmo)
{
    (void)none, (void)prot;
    zx_status_t st = zx_vmo_create(len, 0, vmo);
    if (st == ZX_OK)
        zx_object_set_property(*vmo, ZX_PROP_NAME, "mmap-anonymous", strlen("mmap-anonymous"));
    return st;
}

/* Both kinds of mmap: the checks, then get_vmo(file)'s VMO mapped (a
 * file's from `off`, an anonymous one from its start). */
static void *memory_map(void *start, size_t len, int prot, int flags, off_t off,
                        LibcMemoryFileVmo get_vmo, void *file, bool of_file)
{
    int err = memory_check(&len, &prot, flags, off);
    if (!err && of_file && (flags & MAP_SHARED) && (prot & PROT_WRITE))
        err = ENOTSUP;
    if (err) {
        errno = err;
        return MAP_FAILED;
    }
    zx_vm_option_t options;
    uint64_t offset;
    uintptr_t addr = 0;
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    zx_status_t st = memory_place((uintptr_t)start, prot, flags, &options, &offset);
    if (st == ZX_OK)
        st = get_vmo(file, len, prot, &vmo);
    if (st == ZX_ERR_NOT_SUPPORTED && of_file)
        st = ZX_ERR_ACCESS_DENIED; /* fdio's answer for what has no VMO */
    if (st == ZX_OK) {
        st = zx_vmar_map(zx_vmar_root_self(), options, offset, vmo,
                         of_file ? (uint64_t)off : 0, len, &addr);
        zx_handle_close(vmo); /* the mapping holds the VMO */
    }
    return memory_answer(st, addr);
}

void *libc_memory_map_anonymous(void *start, size_t len, int prot, int flags, off_t off)
{
    return memory_map(start, len, prot, flags, off, memory_anonymous_vmo, NULL, false);
}

void *libc_memory_map_file(void *start, size_t len, int prot, int flags, off_t off,
                           LibcMemoryFileVmo get_vmo, void *file)
{
    return memory_map(start, len, prot, flags, off, get_vmo, file, true);
}

#define MEMORY_APP app_world_app_caller(__builtin_return_address(0))

/* Does [addr, addr + len) touch the calling process's root VMAR? */
static bool memory_in_vmar(const void *addr, size_t len)
{
    zx_info_vmar_t info;
    if (memory_root_vmar(&info) != ZX_OK)
        return false;
    uintptr_t a = (uintptr_t)addr;
    return a < info.base + info.len && a + len > info.base;
}

/* munmap, mprotect, madvise on a simulated thread: the process's own when
 * app code calls or the range touches its VMAR. The address decides too,
 * not only the caller: an app function that ends in a tail call (`return
 * munmap(p, n);`) jumps here with its own caller's return address, which
 * is libcapsim's when we called it (a destructor, an atexit handler). A
 * host library on the thread keeps host memory outside the VMAR. */
static bool memory_for_app(const void *caller, const void *addr, size_t len)
{
    return app_world_in_app_code() &&
           (app_world_app_caller(caller) || memory_in_vmar(addr, len));
}

LIBC_NEXT_SLOT(munmap);
int munmap(void *start, size_t len)
{
    if (!memory_for_app(__builtin_return_address(0), start, len))
        return LIBC_NEXT(int (*)(void *, size_t), munmap)(start, len);
    if (zx_vmar_unmap(zx_vmar_root_self(), (uintptr_t)start, len) != ZX_OK) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

LIBC_NEXT_SLOT(mprotect);
int mprotect(void *addr, size_t len, int prot)
{
    if (!memory_for_app(__builtin_return_address(0), addr, len))
        return LIBC_NEXT(int (*)(void *, size_t, int), mprotect)(addr, len, prot);
    switch (zx_vmar_protect(zx_vmar_root_self(), memory_perms(prot), (uintptr_t)addr, len)) {
    case ZX_OK: return 0;
    case ZX_ERR_ACCESS_DENIED: errno = EACCES; break;
    case ZX_ERR_INVALID_ARGS: errno = ENOTSUP; break;
    default: errno = EINVAL; break;
    }
    return -1;
}

LIBC_NEXT_SLOT(madvise);
int madvise(void *addr, size_t len, int advice)
{
    if (!memory_for_app(__builtin_return_address(0), addr, len))
        return LIBC_NEXT(int (*)(void *, size_t, int), madvise)(addr, len, advice);
    return 0;
}

LIBC_NEXT_SLOT(posix_madvise);
int posix_madvise(void *addr, size_t len, int advice)
{
    if (!MEMORY_APP)
        return LIBC_NEXT(int (*)(void *, size_t, int), posix_madvise)(addr, len, advice);
    if (advice == POSIX_MADV_DONTNEED)
        return 0;
    errno = ENOSYS;
    return -1;
}

LIBC_REFUSED(MEMORY_APP, int, -1, ENOSYS, msync, (void *addr, size_t len, int flags),
             (addr, len, flags))
LIBC_REFUSED(MEMORY_APP, int, -1, ENOMEM, brk, (void *end), (end))
LIBC_REFUSED(MEMORY_APP, void *, (void *)-1, ENOMEM, sbrk, (intptr_t inc), (inc))
LIBC_REFUSED(MEMORY_APP, int, -1, ENOSYS, pkey_alloc, (unsigned flags, unsigned rights),
             (flags, rights))
LIBC_REFUSED(MEMORY_APP, int, -1, ENOSYS, pkey_free, (int key), (key))
LIBC_REFUSED(MEMORY_APP, int, -1, ENOSYS, pkey_mprotect,
             (void *addr, size_t len, int prot, int key), (addr, len, prot, key))

/* mremap is variadic (MREMAP_FIXED's new address). */
LIBC_NEXT_SLOT(mremap);
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
    if (MEMORY_APP) {
        errno = ENOSYS;
        return MAP_FAILED;
    }
    va_list ap;
    va_start(ap, flags);
    void *new_addr = (flags & MREMAP_FIXED) ? va_arg(ap, void *) : NULL;
    va_end(ap);
    return LIBC_NEXT(void *(*)(void *, size_t, size_t, int, ...), mremap)(old, old_len, new_len,
                                                                       flags, new_addr);
}
