/* stack_owner.c — which simulated thread's stack holds a host address.
 *
 * Models: nothing of Zircon; it serves reports. A blocked thread may wait
 * on a word that lives on another thread's stack (a condition variable in
 * main's frame, a futex in a joined thread's locals). Host addresses differ
 * between runs (ASLR), so reports that must read the same every run name
 * such a word as "the stack of thread N, D bytes below its top" instead.
 *
 * How: an index of the threads that own a stack, sorted by the stack's low
 * end, built on the first query after a thread was created or gave its
 * stack back (e->stack_gen counts those) and binary-searched. Queries come
 * in bursts (one deadlock report asks for every blocked thread), so a
 * report costs one O(n log n) build; creating a thread costs only the
 * counter. Sorting by address orders nothing observable: each stack holds
 * one thread, so the answer is the same in any order.
 *
 * Read next: loop.c (the deadlock report), stack_pool.c (the stacks).
 */
#include "engine.h"

#include <glib.h>
#include <stdlib.h>

static int stack_owner_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)(*(SimThread *const *)a)->stack_lo;
    uintptr_t y = (uintptr_t)(*(SimThread *const *)b)->stack_lo;
    return (x > y) - (x < y);
}

static void stack_owner_rebuild(SimEngine *e)
{
    g_free(e->stack_index);
    e->stack_index = g_new(SimThread *, e->nthreads ? e->nthreads : 1);
    size_t n = 0;
    for (size_t i = 0; i < e->nthreads; i++) {
        SimThread *t = e->threads[i];
        if ((t->flags & TF_FIBER) && !(t->flags & TF_REAPED))
            e->stack_index[n++] = t;
    }
    qsort(e->stack_index, n, sizeof *e->stack_index, stack_owner_cmp);
    e->stack_index_len = n;
    e->stack_index_gen = e->stack_gen;
}

SimThread *sim_stack_owner(SimEngine *e, const void *addr, size_t *below_top)
{
    if (!e->stack_index || e->stack_index_gen != e->stack_gen)
        stack_owner_rebuild(e);
    uintptr_t a = (uintptr_t)addr;
    size_t lo = 0, hi = e->stack_index_len;
    while (lo < hi) { /* the last stack starting at or below a */
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)e->stack_index[mid]->stack_lo <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    SimThread *t = e->stack_index[lo - 1];
    uintptr_t top = (uintptr_t)t->stack_lo + t->stack_size;
    if (a >= top)
        return NULL;
    if (below_top)
        *below_top = top - a;
    return t;
}
