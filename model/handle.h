/* handle.h — handles and per-process handle tables.
 *
 * A Handle is (object reference, rights, owner). The owner is one process's
 * table, or nobody while the handle travels inside a channel message. Every
 * Handle holds one reference on its object and counts in the object's
 * handle_count and in the kernel-wide handle arena (Zircon's global limit).
 *
 * Handle values are shaped like Zircon's: value = mixer XOR ((base << 2) | 3)
 * where base = (slot << HANDLE_GEN_BITS | generation) + 1 and mixer is a
 * per-process secret from the seeded SIM_STREAM_HANDLES stream with its low
 * two bits clear. So a value is never 0, always has both low bits set, names
 * nothing in another process, and a closed value is not handed out again
 * until its slot's generation wraps. Slots are reused FIFO to stretch that.
 *
 * Read next: sys_handle.c (the syscalls), handle_table iteration users in
 * invariants.c.
 */
#ifndef CAPSIM_MODEL_HANDLE_H
#define CAPSIM_MODEL_HANDLE_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "object.h"

typedef struct KProcess KProcess;

#define HANDLE_GEN_BITS 8u
#define HANDLE_MAX_SLOTS (1u << 20)
_Static_assert(HANDLE_MAX_SLOTS <= (UINT32_MAX >> HANDLE_GEN_BITS),
               "handle_table_get relies on base 0 decoding past every slot");

struct Handle {
    KObject *object;
    zx_rights_t rights;
    uint32_t slot;            /* index in owner's table when owned */
    KProcess *owner;          /* NULL while in transit */
};

typedef struct HandleSlot {
    Handle *handle;           /* NULL when free */
    uint32_t generation;
    uint32_t next_free;       /* free-list link (slot index + 1, 0 = end) */
} HandleSlot;

typedef struct HandleTable {
    HandleSlot *slots;
    uint32_t nslots, capacity;
    uint32_t free_head, free_tail; /* FIFO of free slots (index + 1) */
    uint32_t count;
    uint32_t mixer;
    bool reuse_generation;    /* fault injection: false = reuse values at once */
} HandleTable;

/* Allocate a handle from the kernel's arena; NULL when the arena is full.
 * Takes a new reference on the object. */
Handle *handle_new(Kernel *k, KObject *o, zx_rights_t rights);
/* Destroy a handle that is not in any table: drops its reference. */
void handle_destroy(Kernel *k, Handle *h);

void handle_table_init(HandleTable *t, uint32_t mixer);
/* Returns the new value, or ZX_HANDLE_INVALID if the table is full. */
zx_handle_t handle_table_add(HandleTable *t, KProcess *owner, Handle *h);
/* The handle `value` names in t, NULL if none. Inline: every syscall
 * resolves at least one value. A value decodes to (slot, generation) as
 * described above; it names a handle only if that slot holds one with
 * that generation. */
static inline Handle *handle_table_get(const HandleTable *t, zx_handle_t value)
{
    if ((value & ZX_HANDLE_FIXED_BITS_MASK) != ZX_HANDLE_FIXED_BITS_MASK)
        return NULL;
    /* base 0 (no handle) wraps to slot 0xffffff, past any table: the
     * slot bound rejects it too, without a test of its own. */
    uint32_t base = ((value ^ t->mixer) >> 2) - 1u;
    uint32_t slot = base >> HANDLE_GEN_BITS;
    if (slot >= t->nslots)
        return NULL;
    const HandleSlot *s = &t->slots[slot];
    if (((s->generation ^ base) & ((1u << HANDLE_GEN_BITS) - 1u)) != 0)
        return NULL;
    return s->handle;
}
/* Removes and returns the handle (now owned by nobody), NULL if invalid. */
Handle *handle_table_remove(HandleTable *t, zx_handle_t value);
/* Remove `h`, which this table owns (no value lookup). */
void handle_table_take(HandleTable *t, Handle *h);
zx_handle_t handle_table_value(const HandleTable *t, const Handle *h);
/* Iterate owned handles in slot order: start with *cursor = 0; NULL at end. */
Handle *handle_table_next(const HandleTable *t, uint32_t *cursor);
/* Remove every handle, calling fn on each in slot order. */
void handle_table_drain(HandleTable *t, void (*fn)(Handle *h, void *ctx),
                        void *ctx);
void handle_table_free(HandleTable *t);

/* Rights helpers. */
static inline bool rights_has(zx_rights_t have, zx_rights_t need)
{
    return (have & need) == need;
}
/* Resolve a requested rights mask against the source's: SAME_RIGHTS keeps
 * them; otherwise the request must be a subset. */
static inline bool rights_derive(zx_rights_t source, zx_rights_t requested,
                                 zx_rights_t *out)
{
    if (requested == ZX_RIGHT_SAME_RIGHTS) {
        *out = source;
        return true;
    }
    if ((requested & ~source) != 0)
        return false;
    *out = requested;
    return true;
}

#endif
