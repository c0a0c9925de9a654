/* viz_syscalls.h — syscall signatures for decoding trace steps, generated
 * from the one syscall table (<zircon/syscalls/definitions.inc>): index =
 * the op number the trace records. Flat header. Read next: viz_syscalls.c.
 */
#ifndef CAPSIM_VIZ_SYSCALLS_H
#define CAPSIM_VIZ_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VizSyscallSig {
    const char *name;        /* without "zx_" */
    int nargs;
    const char *types[8];    /* C types as written in the table */
    const char *args[8];     /* parameter names */
    const char *ret;         /* the return type as written: "zx_status_t"... */
} VizSyscallSig;

/* What a recorder learned about one handle argument at entry. */
typedef struct VizHandleArg {
    uint64_t koid;           /* 0: the value named nothing */
    uint32_t type;           /* zx_obj_type_t */
    const char *type_name;   /* static ("channel"...) */
    uint32_t rights;
} VizHandleArg;

size_t viz_syscalls_count(void);
/* NULL when op is out of range. */
const VizSyscallSig *viz_syscalls_get(uint64_t op);
/* Op of "channel_write" or "zx_channel_write"; -1 if unknown. */
int viz_syscalls_find(const char *name);
/* True when argument i is a zx_handle_t passed by value. */
bool viz_syscalls_arg_is_handle(const VizSyscallSig *s, int i);
/* "zx_channel_write(handle=0x1b3 [channel 12], options=0, bytes=ptr, ...)":
 * pointers print as ptr/NULL (their values differ between runs), handles
 * with what they named at entry, rights as abbreviations. `h` may be NULL.
 * Returns the length written (truncated to len-1). */
size_t viz_syscalls_format(uint64_t op, const uint64_t args[8],
                           const VizHandleArg h[8], char *buf, size_t len);
/* What syscall `op` returned, in words: a status by its name ("ZX_OK"),
 * any other result (zx_clock_get_monotonic's time, a count, a size) as a
 * decimal number written into buf. */
const char *viz_syscalls_result(uint64_t op, int64_t result, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
