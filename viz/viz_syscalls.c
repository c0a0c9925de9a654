/* viz_syscalls.c — decoding syscall arguments for step listings.
 *
 * What it models: the signature of every syscall, expanded from the one
 * table <zircon/syscalls/definitions.inc> by stringifying its X-macro
 * lines, so it can never disagree with the dispatcher: entry i is op i
 * (the SYS_* enum follows table order too).
 *
 * Formatting rules, chosen so a listing is the same on every run:
 *   - pointers (any type with '*') print as "ptr" or "NULL", and
 *     addresses (uintptr_t, zx_vaddr_t) as "addr" unless tiny, never their
 *     value (host addresses differ between runs);
 *   - zx_handle_t values print in hex with what they named in the caller's
 *     table at entry ("0x2b3f [channel 12]"), or "[invalid]";
 *   - zx_rights_t as abbreviations, zx_signals_t/options in hex,
 *     deadlines as "infinite" or nanoseconds, other integers in decimal.
 * Left out: decoding what pointers point to (message bytes, wait items).
 * Read next: viz_steps.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zircon/status.h>
#include <zircon/types.h>

#include "viz_style.h"
#include "viz_syscalls.h"

#define ZX_SYSCALL0(name, ret) {#name, 0, {0}, {0}},
#define ZX_SYSCALL1(name, ret, t1, a1) {#name, 1, {#t1}, {#a1}},
#define ZX_SYSCALL2(name, ret, t1, a1, t2, a2) {#name, 2, {#t1, #t2}, {#a1, #a2}},
#define ZX_SYSCALL3(name, ret, t1, a1, t2, a2, t3, a3) \
    {#name, 3, {#t1, #t2, #t3}, {#a1, #a2, #a3}},
#define ZX_SYSCALL4(name, ret, t1, a1, t2, a2, t3, a3, t4, a4) \
    {#name, 4, {#t1, #t2, #t3, #t4}, {#a1, #a2, #a3, #a4}},
#define ZX_SYSCALL5(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
    {#name, 5, {#t1, #t2, #t3, #t4, #t5}, {#a1, #a2, #a3, #a4, #a5}},
#define ZX_SYSCALL6(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
    {#name, 6, {#t1, #t2, #t3, #t4, #t5, #t6}, {#a1, #a2, #a3, #a4, #a5, #a6}},
#define ZX_SYSCALL7(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7) \
    {#name, 7, {#t1, #t2, #t3, #t4, #t5, #t6, #t7}, {#a1, #a2, #a3, #a4, #a5, #a6, #a7}},
#define ZX_SYSCALL8(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8) \
    {#name, 8, {#t1, #t2, #t3, #t4, #t5, #t6, #t7, #t8}, {#a1, #a2, #a3, #a4, #a5, #a6, #a7, #a8}},
#define ZX_SYSCALL_NORETURN0(name, ret) ZX_SYSCALL0(name, ret)
#define ZX_SYSCALL_NORETURN1(name, ret, t1, a1) ZX_SYSCALL1(name, ret, t1, a1)
#define ZX_SYSCALL_NORETURN2 ZX_SYSCALL2
#define ZX_SYSCALL_NORETURN3 ZX_SYSCALL3
#define ZX_SYSCALL_NORETURN4 ZX_SYSCALL4
#define ZX_SYSCALL_NORETURN5 ZX_SYSCALL5
#define ZX_SYSCALL_NORETURN6 ZX_SYSCALL6
#define ZX_SYSCALL_NORETURN7 ZX_SYSCALL7
#define ZX_SYSCALL_NORETURN8 ZX_SYSCALL8

static const VizSyscallSig viz_syscalls_table[] = {
#include <zircon/syscalls/definitions.inc>
};

#define VIZ_SYSCALLS_N (sizeof viz_syscalls_table / sizeof viz_syscalls_table[0])

size_t viz_syscalls_count(void)
{
    return VIZ_SYSCALLS_N;
}

const VizSyscallSig *viz_syscalls_get(uint64_t op)
{
    return op < VIZ_SYSCALLS_N ? &viz_syscalls_table[op] : NULL;
}

int viz_syscalls_find(const char *name)
{
    if (!strncmp(name, "zx_", 3))
        name += 3;
    for (size_t i = 0; i < VIZ_SYSCALLS_N; i++)
        if (!strcmp(viz_syscalls_table[i].name, name))
            return (int)i;
    return -1;
}

bool viz_syscalls_arg_is_handle(const VizSyscallSig *s, int i)
{
    return i < s->nargs && !strcmp(s->types[i], "zx_handle_t");
}

const char *viz_syscalls_status(int64_t status)
{
    return zx_status_get_string((zx_status_t)status);
}

static int viz_syscalls_arg(const VizSyscallSig *s, int i, uint64_t v,
                            const VizHandleArg *h, char *buf, size_t len)
{
    const char *t = s->types[i];
    char r[160];
    if (strchr(t, '*'))
        return snprintf(buf, len, "%s", v ? "ptr" : "NULL");
    if (strstr(t, "uintptr_t") || strstr(t, "vaddr") || strstr(t, "paddr"))
        return v < 65536 ? snprintf(buf, len, "0x%" PRIx64, v) : snprintf(buf, len, "addr");
    if (!strcmp(t, "zx_handle_t")) {
        if (!v)
            return snprintf(buf, len, "ZX_HANDLE_INVALID");
        if (h && h->koid)
            return snprintf(buf, len, "0x%" PRIx32 " [%s %" PRIu64 "]", (uint32_t)v,
                            h->type_name ? h->type_name : "object", h->koid);
        return snprintf(buf, len, "0x%" PRIx32 " [invalid]", (uint32_t)v);
    }
    if (!strcmp(t, "zx_rights_t")) {
        if ((uint32_t)v == ZX_RIGHT_SAME_RIGHTS)
            return snprintf(buf, len, "SAME_RIGHTS");
        return snprintf(buf, len, "%s", viz_style_rights_plain((uint32_t)v, r, sizeof r));
    }
    if (!strcmp(t, "zx_signals_t") || strstr(s->args[i], "options") ||
        strstr(s->args[i], "mask") || strstr(s->args[i], "flags"))
        return snprintf(buf, len, "0x%" PRIx64, v);
    if (strstr(t, "instant") || !strcmp(s->args[i], "deadline"))
        return (int64_t)v == ZX_TIME_INFINITE ? snprintf(buf, len, "infinite")
                                              : snprintf(buf, len, "%" PRId64, (int64_t)v);
    if (t[0] == 'i' || strstr(t, "duration") || !strcmp(t, "zx_status_t"))
        return snprintf(buf, len, "%" PRId64, (int64_t)v);
    return snprintf(buf, len, "%" PRIu64, v);
}

size_t viz_syscalls_format(uint64_t op, const uint64_t args[8],
                           const VizHandleArg h[8], char *buf, size_t len)
{
    const VizSyscallSig *s = viz_syscalls_get(op);
    size_t at = 0;
    int w = s ? snprintf(buf, len, "zx_%s(", s->name)
              : snprintf(buf, len, "op%" PRIu64 "(", op);
    at = w > 0 ? (size_t)w : 0;
    for (int i = 0; s && i < s->nargs && at < len; i++) {
        w = snprintf(buf + at, len - at, "%s%s=", i ? ", " : "", s->args[i]);
        at += w > 0 ? (size_t)w : 0;
        if (at >= len)
            break;
        w = viz_syscalls_arg(s, i, args[i], h ? &h[i] : NULL, buf + at, len - at);
        at += w > 0 ? (size_t)w : 0;
    }
    if (at < len) {
        w = snprintf(buf + at, len - at, ")");
        at += w > 0 ? (size_t)w : 0;
    }
    return at < len ? at : len - 1;
}
