/* vmo_util.h — small VMO helpers shared by the vmo suite's ports of
 * Zircon's VMO child tests (vmo_child.c, vmo_clone.c): read and write one
 * tagged word, make children, read committed bytes, map read-write. */
#ifndef CORE_VMO_UTIL_H
#define CORE_VMO_UTIL_H

#include <string.h>

#include "coretest.h"

#define PAGE CORE_PAGE

static inline uint64_t committed(zx_handle_t v)
{
    zx_info_vmo_t info;
    cr_expect_eq(zx_object_get_info(v, ZX_INFO_VMO, &info, sizeof info, NULL, NULL), ZX_OK);
    return info.committed_bytes;
}

static inline void put32(zx_handle_t v, uint32_t value, uint64_t offset)
{
    cr_expect_eq(zx_vmo_write(v, &value, offset, sizeof value), ZX_OK);
}

static inline uint32_t get32(zx_handle_t v, uint64_t offset)
{
    uint32_t value = 0xdeadbeef;
    cr_expect_eq(zx_vmo_read(v, &value, offset, sizeof value), ZX_OK);
    return value;
}

#define EXPECT32(v, want, offset) \
    cr_expect_eq(get32((v), (offset)), (uint32_t)(want), "word at %#lx", (unsigned long)(offset))

static inline zx_handle_t child(zx_handle_t v, uint32_t options, uint64_t offset,
                                uint64_t size)
{
    zx_handle_t c = ZX_HANDLE_INVALID;
    cr_expect_eq(zx_vmo_create_child(v, options, offset, size, &c), ZX_OK);
    return c;
}

/* `pages` pages holding 1, 2, ... in their first word. */
static inline zx_handle_t tagged_vmo_opts(size_t pages, uint32_t options)
{
    zx_handle_t v = core_vmo(pages * PAGE, options);
    for (size_t i = 0; i < pages; i++)
        put32(v, (uint32_t)(i + 1), i * PAGE);
    return v;
}

static inline zx_handle_t tagged_vmo(size_t pages) { return tagged_vmo_opts(pages, 0); }

static inline uint8_t *map_rw(zx_handle_t v, size_t len)
{
    uintptr_t addr = 0;
    cr_expect_eq(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v, 0, len,
                             &addr),
                 ZX_OK);
    return (uint8_t *)addr;
}

static inline bool all_equal(const uint8_t *p, size_t len, uint8_t value)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != value)
            return false;
    return true;
}

#endif
