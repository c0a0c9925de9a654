/* app_image_memory.c — a process's loaded image as part of its memory.
 *
 * Models: on Fuchsia an ELF image is VMOs the loader maps into the
 * process's root VMAR, so a debugger holding the process handle with READ
 * and WRITE reads and patches its globals with zx_process_read_memory /
 * zx_process_write_memory. Here a process's image is its dlopen'ed copy of
 * the app (app_instance.c), in host memory outside its address space. The
 * kernel asks this hook (Kernel.image_memory, installed by app_world_get)
 * when an address is in none of the process's mappings; it answers with
 * the piece of the copy's PT_LOAD segments holding the address
 * (app_instance_segment_at: whole pages, RELRO pages a piece of their
 * own), as a mapping would be answered: reads and writes stop at its end.
 *
 * Which copy: the one the process's code runs in (AppProc.inst). A
 * process zx_process_start'ed on a function of its parent's copy shares
 * that copy, hence the same globals. Built-in programs and processes whose
 * entry lies in no loaded copy have no image here.
 *
 * Left out, and why: Zircon writes through any mapping (a debugger plants
 * breakpoints in code that way; only the vDSO is refused). The host
 * keeps a copy's code, read-only data and relocated RELRO pages read-only,
 * and a planted breakpoint would stop the whole simulator (SIGTRAP is no
 * modeled fault), so a write there is ZX_ERR_ACCESS_DENIED, the status
 * Zircon gives for a protected area. The image is not listed in
 * ZX_INFO_PROCESS_MAPS either: its host addresses lie outside the root
 * VMAR and move with the host's address randomization, and maps, graphs
 * and traces must stay inside the VMAR and the same every run.
 * Read next: model/sys_vmar.c (the syscalls), app_instance.c.
 */
#include "app_world.h"

bool app_image_memory(Kernel *k, KProcess *p, uintptr_t addr, uintptr_t *end,
                      bool *writable)
{
    AppWorld *w = app_world_of(k);
    AppProc *ap = w ? app_world_proc_by_koid(w, p->base.koid) : NULL;
    AppSegmentSpan span;
    if (!ap || !ap->p || !ap->inst || !app_instance_segment_at(ap->inst, addr, &span))
        return false;
    *end = span.end;
    *writable = span.writable;
    return true;
}
