/* address_name.c — names for host addresses that read the same every run.
 *
 * Models: nothing of Zircon; it serves reports (the deadlock report's
 * "what it waits on"). App code runs in host memory: its mappings are laid
 * out deterministically (vmar.c), but its globals live in a dlopen'ed copy
 * of its image (process memory for process_read_memory, at host
 * addresses: app_image_memory.c) and words host libraries allocate in the
 * host's heap, and both move between runs (ASLR). A report that
 * printed such an address would differ from run to run, so each is named
 * by what holds it, first match first:
 *   on a simulated thread's    stack of thread <koid> "<name>",
 *     stack (a VMO mapping       <n> bytes below its top
 *     of its process)
 *   in p's address space       0x... (the mapping address apps see)
 *   in a loaded app image      whatever the image namer says
 *                                (app_instance.c: "<image>+0x...")
 *   in another loaded object   "<file name>+0x..." (the simulator, a
 *     (dladdr)                   library, a test program)
 *   anywhere else              "a host heap address"
 *
 * Read next: futex.c (its user), sim/stack_owner.c.
 */
#include "address_name.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "thread.h"
#include "vmar.h"

void address_name(Kernel *k, KProcess *p, uintptr_t addr, char *buf, size_t len)
{
    size_t below_top = 0;
    SimThread *st = sim_stack_owner(k->engine, (const void *)addr, &below_top);
    KThread *t = st ? thread_of_fiber(st) : NULL;
    if (t) {
        snprintf(buf, len,
                 "the stack of thread %" PRIu64 " \"%s\", %zu bytes below its top",
                 (uint64_t)t->base.koid, t->base.name, below_top);
        return;
    }
    if (st) {
        snprintf(buf, len, "the stack of engine thread \"%s\", %zu bytes below its top",
                 sim_thread_name(st), below_top);
        return;
    }
    KVmo *vmo = NULL;
    uint64_t offset = 0;
    size_t avail = 0;
    if (p && vmar_process_memory(p, addr, 1, &vmo, &offset, &avail) == ZX_OK) {
        snprintf(buf, len, "%#lx", (unsigned long)addr);
        return;
    }
    if (k->name_image_address && k->name_image_address(addr, buf, len))
        return;
    Dl_info info;
    if (dladdr((const void *)addr, &info) && info.dli_fname && info.dli_fname[0]) {
        const char *file = strrchr(info.dli_fname, '/');
        snprintf(buf, len, "%s+%#lx", file ? file + 1 : info.dli_fname,
                 (unsigned long)(addr - (uintptr_t)info.dli_fbase));
        return;
    }
    snprintf(buf, len, "a host heap address");
}
