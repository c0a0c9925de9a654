/* resource.h — resources: the capability behind privileged calls.
 *
 * A resource names a kind (and, for ranged kinds, a base/size window) of
 * privileged authority. capsim models the root resource — created once per
 * Kernel, owned by the Kernel, handed to whoever a launcher or scenario
 * decides should hold it — plus child resources of the ranged kinds so that
 * gates like "the root resource or a SYSTEM resource covering this range"
 * can be expressed. There is no resource_create syscall in capsim's table:
 * resources are minted host-side only. Read next: resource.c.
 */
#ifndef CAPSIM_MODEL_RESOURCE_H
#define CAPSIM_MODEL_RESOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include <zircon/syscalls/object.h>

#include "object.h"

/* Zircon's ZX_RSRC_KIND_* values (not in capsim's public headers). */
#define RESOURCE_KIND_MMIO 0u
#define RESOURCE_KIND_IRQ 1u
#define RESOURCE_KIND_IOPORT 2u
#define RESOURCE_KIND_ROOT 3u
#define RESOURCE_KIND_SMC 4u
#define RESOURCE_KIND_SYSTEM 5u
#define RESOURCE_KIND_COUNT 6u

/* ZX_RSRC_FLAG_EXCLUSIVE */
#define RESOURCE_FLAG_EXCLUSIVE 0x00010000u

typedef struct KResource {
    KObject base;
    uint32_t kind;        /* RESOURCE_KIND_* */
    uint32_t flags;
    uint64_t range_base;  /* ranged kinds: window [base, base + size) */
    uint64_t range_size;
    bool kernel_root;     /* the Kernel's own root resource */
} KResource;

extern const KObjectOps resource_ops;

/* The Kernel's root resource, created on first use (so its koid is the next
 * one at that moment; launchers that hand it out should ask early). The
 * returned pointer is borrowed: the Kernel keeps its reference forever. */
KResource *resource_root(Kernel *k);
/* A new resource of `kind` covering [base, base + size), refcount 1 owned
 * by the caller. ZX_ERR_INVALID_ARGS for an unknown kind. */
zx_status_t resource_create(Kernel *k, uint32_t kind, uint64_t base,
                            uint64_t size, const char *name, KResource **out);
KResource *resource_from(KObject *o);
/* The gate privileged calls use: is `o` a resource granting `kind` over
 * [base, base + size)? The root resource grants everything. */
bool resource_grants(const KObject *o, uint32_t kind, uint64_t base,
                     uint64_t size);
/* ZX_INFO_RESOURCE record. */
void resource_info(const KResource *r, zx_info_resource_t *out);

#endif
