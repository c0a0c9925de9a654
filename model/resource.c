/* resource.c — resource objects (ZX_OBJ_TYPE_RESOURCE).
 *
 * What it models: Zircon's resources as plain capabilities. The root
 * resource grants every kind over every range; a ranged resource grants its
 * own kind over its window. Resources carry no signals and are not
 * waitable; their handles default to TRANSFER | DUPLICATE | WRITE | INSPECT.
 *
 * Invariants (resource_check): kind < RESOURCE_KIND_COUNT; only the kernel's
 * root resource has kernel_root set, and it is of kind ROOT; a ranged window
 * does not wrap.
 *
 * The Kernel struct has no slot for the root resource, so the Kernel's
 * root resource is found on the live list (koid order, the first resource
 * with kernel_root set) and created there on first use; the reference taken
 * at creation is never dropped, like the root job's.
 *
 * Left out: exclusive-range bookkeeping, resource_create (not in capsim's
 * syscall table), the hypervisor/vmex/info sub-ranges of the SYSTEM kind
 * beyond a plain window check. Read next: sys_info.c (ZX_INFO_RESOURCE).
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "resource.h"

static void resource_destroy(KObject *o)
{
    free(o);
}

static void resource_check(const KObject *o)
{
    const KResource *r = (const KResource *)o;
    KCHECK(o->kernel, r->kind < RESOURCE_KIND_COUNT);
    KCHECK(o->kernel, !r->kernel_root || r->kind == RESOURCE_KIND_ROOT);
    KCHECK(o->kernel, r->range_base + r->range_size >= r->range_base);
}

const KObjectOps resource_ops = {
    .type = ZX_OBJ_TYPE_RESOURCE,
    .name = "resource",
    .default_rights = ZX_DEFAULT_RESOURCE_RIGHTS,
    .possible_rights = ZX_DEFAULT_RESOURCE_RIGHTS,
    .user_signals = 0,
    .waitable = false,
    .has_name = true,
    .destroy = resource_destroy,
    .check = resource_check,
};

KResource *resource_from(KObject *o)
{
    return KOBJECT_CAST(o, KResource, ZX_OBJ_TYPE_RESOURCE);
}

zx_status_t resource_create(Kernel *k, uint32_t kind, uint64_t base,
                            uint64_t size, const char *name, KResource **out)
{
    if (kind >= RESOURCE_KIND_COUNT || base + size < base)
        return ZX_ERR_INVALID_ARGS;
    KResource *r = calloc(1, sizeof *r);
    if (!r)
        return ZX_ERR_NO_MEMORY;
    kobject_init(k, &r->base, &resource_ops, 0);
    if (name)
        kobject_set_name(&r->base, name, strlen(name));
    r->kind = kind;
    r->range_base = base;
    r->range_size = size;
    *out = r;
    return ZX_OK;
}

KResource *resource_root(Kernel *k)
{
    for (KObject *o = k->live_head; o; o = o->live_next)
        if (o->ops == &resource_ops && ((KResource *)o)->kernel_root)
            return (KResource *)o;
    KResource *r;
    if (resource_create(k, RESOURCE_KIND_ROOT, 0, 0, "root", &r) != ZX_OK)
        kernel_panic(__FILE__, __LINE__, "cannot create the root resource");
    r->kernel_root = true;
    return r; /* the creation reference is the Kernel's */
}

bool resource_grants(const KObject *o, uint32_t kind, uint64_t base,
                     uint64_t size)
{
    if (!o || o->ops != &resource_ops)
        return false;
    const KResource *r = (const KResource *)o;
    if (r->kind == RESOURCE_KIND_ROOT)
        return true;
    if (r->kind != kind || base + size < base)
        return false;
    return base >= r->range_base &&
           base + size <= r->range_base + r->range_size;
}

void resource_info(const KResource *r, zx_info_resource_t *out)
{
    memset(out, 0, sizeof *out);
    out->kind = r->kind;
    out->flags = r->flags;
    out->base = r->range_base;
    out->size = r->range_size;
    memcpy(out->name, r->base.name, sizeof out->name);
}
