/* thread_stack.c — where a thread's stack lives in its process's address
 * space.
 *
 * Models: the stacks Fuchsia's launcher and libc give threads. Each is a
 * VMO of its own ("initial-thread" for a process's first thread, named by
 * the launcher here; "pthread_t:0x..." for pthreads and "thrd_t:0x..."
 * for C11 threads, named by the app's libc, model/app/libc_pthread.c;
 * "thread-stack:<koid>" for a thread started with stack 0, which Zircon
 * would start with sp 0 and let fault, mapped by thread.c here and
 * unmapped when the thread ends),
 * mapped read-write at the top of a sub-VMAR whose lowest page(s) stay
 * unmapped: the guard. Blocks go from
 * the top of the root VMAR down (thread_stack_place). So a stack is
 * process memory like any other: it shows in ZX_INFO_PROCESS_MAPS, a
 * handle with READ and WRITE rights on the process reads it through
 * zx_process_read_memory, strict memory mode closes it while other
 * processes run, and it goes away with its process. A fault in the guard
 * is reported as the thread's stack overflow (sim_thread_set_stack_guard).
 *
 * Left out: Fuchsia's second (unsafe, SafeStack) and shadow-call stacks;
 * apps here are host-compiled code with one machine stack.
 *
 * Read next: thread.c (thread_start runs a fiber on such a stack).
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "thread_stack.h"
#include "vmar.h"
#include "vmo.h"

uintptr_t thread_stack_place(const uintptr_t (*used)[2], size_t n, uintptr_t lo, uintptr_t hi,
                             size_t size)
{
    uintptr_t end = hi; /* the top of the gap being looked at */
    for (size_t i = n + 1; i-- > 0;) {
        uintptr_t floor = i > 0 ? used[i - 1][1] : lo;
        if (floor < lo)
            floor = lo;
        if (end > floor && end - floor >= size)
            return (end - size) & ~(uintptr_t)(VMO_PAGE_SIZE - 1);
        if (i > 0 && used[i - 1][0] < end)
            end = used[i - 1][0];
    }
    return 0;
}

zx_status_t thread_stack_map(KProcess *p, const char *name, size_t size, size_t guard,
                             uintptr_t *top, KVmar **block)
{
    if (!p->root_vmar)
        return ZX_ERR_BAD_STATE;
    size = vmo_round_up(size);
    guard = vmo_round_up(guard);
    KVmo *vmo;
    zx_status_t st = vmo_create(p->base.kernel, size, 0, &vmo);
    if (st != ZX_OK)
        return st;
    kobject_set_name((KObject *)vmo, name, strlen(name));
    KVmar *region;
    uint64_t offset = 0;
    st = vmar_highest_fit(p->root_vmar, guard + size, &offset);
    if (st == ZX_OK)
        st = vmar_allocate(p->root_vmar,
                           ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC |
                               ZX_VM_SPECIFIC,
                           offset, guard + size, &region);
    if (st == ZX_OK) {
        uintptr_t addr = 0;
        st = vmar_map(region, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC, guard, vmo,
                      0, size, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, &addr);
        if (st == ZX_OK)
            *top = addr + size;
        else
            vmar_destroy(region);
        if (st == ZX_OK && block)
            *block = region; /* the caller keeps our reference */
        else
            kobject_unref((KObject *)region);
    }
    kobject_unref((KObject *)vmo); /* the mapping holds it */
    return st;
}

void thread_stack_unmap(KVmar *block)
{
    vmar_destroy(block); /* ZX_ERR_BAD_STATE once the process is dead: gone already */
    kobject_unref((KObject *)block);
}

void thread_stack_find(KProcess *p, uintptr_t stack_top, uintptr_t *lo, size_t *guard)
{
    VmarMappingAt m;
    *lo = 0;
    *guard = 0;
    if (stack_top < 4096 || vmar_mapping_at(p, stack_top - 1, &m) != ZX_OK ||
        !(m.perms & ZX_VM_PERM_WRITE))
        return;
    *lo = m.base;
    *guard = m.below;
}
