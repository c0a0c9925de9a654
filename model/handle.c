/* handle.c — handles, the kernel-wide handle arena, per-process tables.
 *
 * Invariants: a live Handle is in exactly one place — one process table
 * (owner != NULL, table slot points back at it) or one in-flight message
 * (owner == NULL); kernel->handle_count equals the number of live Handles;
 * each Handle holds one reference and one handle_count on its object.
 *
 * Value encoding and reuse are described in handle.h. The free list is FIFO
 * so a just-closed slot is the last to be reused; the generation changes on
 * every reuse (unless the no_handle_generation fault switch is on).
 *
 * Memory: Handles come from the kernel's small-object free lists (kmem.h):
 * a syscall that makes or closes a handle would otherwise spend a third of
 * its time in malloc and free.
 */
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "kernel.h"

#define HANDLE_GEN_MASK ((1u << HANDLE_GEN_BITS) - 1u)

Handle *handle_new(Kernel *k, KObject *o, zx_rights_t rights)
{
    if (k->handle_count >= k->handle_limit)
        return NULL;
    Handle *h = kmem_alloc(&k->kmem, sizeof *h);
    if (!h)
        return NULL;
    h->object = o;
    h->rights = rights;
    h->owner = NULL;
    h->slot = 0;
    k->handle_count++;
    kobject_ref(o);
    kobject_handle_added(o);
    return h;
}

void handle_destroy(Kernel *k, Handle *h)
{
    KObject *o = h->object;
    k->handle_count--;
    if (o->observers_head)
        kobject_cancel_waits(o, h);
    h->object = NULL;
    kmem_free(&k->kmem, h, sizeof *h);
    kobject_handle_removed(o);
    kobject_unref(o);
}

void handle_table_init(HandleTable *t, uint32_t mixer)
{
    memset(t, 0, sizeof *t);
    t->mixer = mixer & ~ZX_HANDLE_FIXED_BITS_MASK;
    t->reuse_generation = true;
}

static zx_handle_t handle_encode(const HandleTable *t, uint32_t slot,
                                 uint32_t gen)
{
    uint32_t base = ((slot << HANDLE_GEN_BITS) | (gen & HANDLE_GEN_MASK)) + 1u;
    return t->mixer ^ ((base << 2) | ZX_HANDLE_FIXED_BITS_MASK);
}


static bool handle_table_grow(HandleTable *t)
{
    if (t->capacity >= HANDLE_MAX_SLOTS)
        return false;
    uint32_t cap = t->capacity ? t->capacity * 2 : 16;
    if (cap > HANDLE_MAX_SLOTS)
        cap = HANDLE_MAX_SLOTS;
    HandleSlot *s = realloc(t->slots, cap * sizeof *s);
    if (!s)
        return false;
    t->slots = s;
    t->capacity = cap;
    return true;
}

static uint32_t handle_table_take_slot(HandleTable *t)
{
    if (t->free_head) {
        uint32_t slot = t->free_head - 1;
        t->free_head = t->slots[slot].next_free;
        if (!t->free_head)
            t->free_tail = 0;
        return slot;
    }
    if (t->nslots == t->capacity && !handle_table_grow(t))
        return UINT32_MAX;
    uint32_t slot = t->nslots++;
    t->slots[slot] = (HandleSlot){0};
    return slot;
}

zx_handle_t handle_table_add(HandleTable *t, KProcess *owner, Handle *h)
{
    uint32_t slot = handle_table_take_slot(t);
    if (slot == UINT32_MAX)
        return ZX_HANDLE_INVALID;
    t->slots[slot].handle = h;
    t->slots[slot].next_free = 0;
    h->owner = owner;
    h->slot = slot;
    t->count++;
    return handle_encode(t, slot, t->slots[slot].generation);
}

zx_handle_t handle_table_value(const HandleTable *t, const Handle *h)
{
    return handle_encode(t, h->slot, t->slots[h->slot].generation);
}

static void handle_table_release_slot(HandleTable *t, uint32_t slot)
{
    HandleSlot *s = &t->slots[slot];
    s->handle = NULL;
    if (t->reuse_generation)
        s->generation++;
    s->next_free = 0;
    if (!t->reuse_generation) {
        /* Fault injection: LIFO reuse with the same generation, so the value
         * just closed is the next one handed out. */
        s->next_free = t->free_head;
        t->free_head = slot + 1;
        if (!t->free_tail)
            t->free_tail = slot + 1;
        return;
    }
    if (t->free_tail)
        t->slots[t->free_tail - 1].next_free = slot + 1;
    else
        t->free_head = slot + 1;
    t->free_tail = slot + 1;
}

Handle *handle_table_remove(HandleTable *t, zx_handle_t value)
{
    Handle *h = handle_table_get(t, value);
    if (!h)
        return NULL;
    handle_table_take(t, h);
    return h;
}

void handle_table_take(HandleTable *t, Handle *h)
{
    handle_table_release_slot(t, h->slot);
    t->count--;
    h->owner = NULL;
}

Handle *handle_table_next(const HandleTable *t, uint32_t *cursor)
{
    while (*cursor < t->nslots) {
        Handle *h = t->slots[(*cursor)++].handle;
        if (h)
            return h;
    }
    return NULL;
}

void handle_table_drain(HandleTable *t, void (*fn)(Handle *h, void *ctx),
                        void *ctx)
{
    for (uint32_t i = 0; i < t->nslots; i++) {
        Handle *h = t->slots[i].handle;
        if (!h)
            continue;
        handle_table_release_slot(t, i);
        t->count--;
        h->owner = NULL;
        fn(h, ctx);
    }
}

void handle_table_free(HandleTable *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}
