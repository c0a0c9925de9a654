/* sandbox.c — the wx_memory scenario's sandboxed program: it writes machine
 * code into memory and runs it, which is what a JIT does and what an
 * exploit that has a write primitive wants.
 *
 * Steps (each printed with its status):
 *  1. zx_vmo_create + zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID):
 *     without a VMEX resource, marking a VMO executable is governed by the
 *     job policy ZX_POL_AMBIENT_MARK_VMO_EXEC (denied: ZX_ERR_ACCESS_DENIED,
 *     and the source handle is gone either way);
 *  2. "wx": map it READ|WRITE|EXECUTE (ZX_POL_VMAR_WX decides), write the
 *     code, call it;
 *  3. "alias": map it twice, READ|WRITE at one address and READ|EXECUTE at
 *     another — no single mapping is W+X, so ZX_POL_VMAR_WX never fires —
 *     write through the first, call through the second.
 * The code is real: the mappings are real host memory (model/vmar.c), so
 * on x86-64 and arm64 the sandbox calls `return 42;` / `return 43;` it just
 * wrote (other CPUs: the mapping is counted, no call is made). Returns the
 * number of methods that ran code it wrote: 2, 1 or 0.
 * Read next: the scenario's narration (scenario.py).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "wx.h"

#define WX_PAGE 4096u

typedef int (*wx_fn)(void);

/* `return value;` in this CPU's machine code; 0 bytes if unknown. */
static size_t wx_emit(uint8_t *out, int value)
{
#if defined(__x86_64__)
    out[0] = 0xB8; /* mov eax, imm32 */
    memcpy(out + 1, &value, 4);
    out[5] = 0xC3; /* ret */
    return 6;
#elif defined(__aarch64__)
    uint32_t insn[2] = {0x52800000u | ((uint32_t)value << 5), /* movz w0, #value */
                        0xd65f03c0u};                       /* ret */
    memcpy(out, insn, sizeof insn);
    return sizeof insn;
#else
    (void)out;
    (void)value;
    return 0;
#endif
}

/* Write `return value;` at `write_at`, run it from `run_at`. */
static bool wx_run(uintptr_t write_at, uintptr_t run_at, int value, const char *how)
{
    size_t n = wx_emit((uint8_t *)write_at, value);
    if (n == 0) {
        printf("sandbox: %s: executable mapping made (no code generator for this CPU)\n", how);
        return true;
    }
    __builtin___clear_cache((char *)run_at, (char *)run_at + n);
    int got = ((wx_fn)run_at)();
    printf("sandbox: %s: ran code I wrote, it returned %d\n", how, got);
    return got == value;
}

static bool wx_try_wx(zx_handle_t vmo)
{
    zx_vaddr_t addr = 0;
    zx_status_t s = zx_vmar_map(zx_vmar_root_self(),
                                ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE,
                                0, vmo, 0, WX_PAGE, &addr);
    printf("sandbox: wx: map READ|WRITE|EXECUTE: %s\n", zx_status_get_string(s));
    return s == ZX_OK && wx_run(addr, addr, WX_RESULT_WX, "wx");
}

static bool wx_try_alias(zx_handle_t vmo)
{
    zx_vaddr_t rw = 0, rx = 0;
    zx_status_t s = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
                                0, vmo, 0, WX_PAGE, &rw);
    if (s == ZX_OK)
        s = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE,
                        0, vmo, 0, WX_PAGE, &rx);
    printf("sandbox: alias: map READ|WRITE here and READ|EXECUTE there: %s\n",
           zx_status_get_string(s));
    return s == ZX_OK && wx_run(rw, rx, WX_RESULT_ALIAS, "alias");
}

int wx_sandbox_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    zx_handle_t vmo, exec_vmo;
    if (zx_vmo_create(WX_PAGE, 0, &vmo) != ZX_OK) {
        printf("sandbox: cannot even create a VMO\n");
        return 0;
    }
    zx_status_t s = zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec_vmo);
    printf("sandbox: mark a VMO executable without a VMEX resource: %s\n",
           zx_status_get_string(s));
    if (s != ZX_OK) {
        printf("sandbox: no executable memory: I can only run the code I was loaded with\n");
        return 0;
    }
    int ran = wx_try_wx(exec_vmo);
    ran += wx_try_alias(exec_vmo);
    printf("sandbox: %d of 2 ways ran generated code\n", ran);
    return ran;
}
