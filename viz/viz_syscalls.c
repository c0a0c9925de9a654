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
 *   - zx_rights_t as abbreviations, zx_signals_t by the names Zircon gives
 *     them for the handle's object type (else in hex), options in hex,
 *     deadlines as "infinite" or nanoseconds, other integers in decimal;
 *   - numbers that name something by a header's constant print as that
 *     name: get_info's topic (ZX_INFO_PROCESS), a property
 *     (ZX_PROP_NAME), job_set_policy's topic and options.
 * Left out: decoding what pointers point to (message bytes, wait items).
 * Read next: viz_steps.c.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zircon/status.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>
#include <zircon/types.h>

#include "viz_style.h"
#include "viz_syscalls.h"

#define ZX_SYSCALL0(name, ret) {#name, 0, {0}, {0}, #ret},
#define ZX_SYSCALL1(name, ret, t1, a1) {#name, 1, {#t1}, {#a1}, #ret},
#define ZX_SYSCALL2(name, ret, t1, a1, t2, a2) {#name, 2, {#t1, #t2}, {#a1, #a2}, #ret},
#define ZX_SYSCALL3(name, ret, t1, a1, t2, a2, t3, a3) \
    {#name, 3, {#t1, #t2, #t3}, {#a1, #a2, #a3}, #ret},
#define ZX_SYSCALL4(name, ret, t1, a1, t2, a2, t3, a3, t4, a4) \
    {#name, 4, {#t1, #t2, #t3, #t4}, {#a1, #a2, #a3, #a4}, #ret},
#define ZX_SYSCALL5(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
    {#name, 5, {#t1, #t2, #t3, #t4, #t5}, {#a1, #a2, #a3, #a4, #a5}, #ret},
#define ZX_SYSCALL6(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
    {#name, 6, {#t1, #t2, #t3, #t4, #t5, #t6}, {#a1, #a2, #a3, #a4, #a5, #a6}, #ret},
#define ZX_SYSCALL7(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7) \
    {#name, 7, {#t1, #t2, #t3, #t4, #t5, #t6, #t7}, {#a1, #a2, #a3, #a4, #a5, #a6, #a7}, #ret},
#define ZX_SYSCALL8(name, ret, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8) \
    {#name, 8, {#t1, #t2, #t3, #t4, #t5, #t6, #t7, #t8}, {#a1, #a2, #a3, #a4, #a5, #a6, #a7, #a8}, #ret},
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

const char *viz_syscalls_result(uint64_t op, int64_t result, char *buf, size_t len)
{
    const VizSyscallSig *s = viz_syscalls_get(op);
    if (!s || !strcmp(s->ret, "zx_status_t") || !strcmp(s->ret, "void")) /* exits: ZX_OK */
        return zx_status_get_string((zx_status_t)result);
    snprintf(buf, len, "%" PRId64, result); /* a time, a count, a size */
    return buf;
}

/* Arguments that pick one of a header's named values, and those names. An
 * unversioned alias comes before the versions it stands for, so a call
 * written with the alias reads as written. */
typedef struct VizNamedValue {
    uint64_t value;
    const char *name;
} VizNamedValue;
#define VIZ_NAMED(c) {(c), #c}

static const VizNamedValue viz_info_topics[] = {
    VIZ_NAMED(ZX_INFO_NONE), VIZ_NAMED(ZX_INFO_HANDLE_VALID), VIZ_NAMED(ZX_INFO_HANDLE_BASIC),
    VIZ_NAMED(ZX_INFO_PROCESS), VIZ_NAMED(ZX_INFO_PROCESS_THREADS), VIZ_NAMED(ZX_INFO_VMAR),
    VIZ_NAMED(ZX_INFO_JOB_CHILDREN), VIZ_NAMED(ZX_INFO_JOB_PROCESSES), VIZ_NAMED(ZX_INFO_THREAD),
    VIZ_NAMED(ZX_INFO_THREAD_EXCEPTION_REPORT), VIZ_NAMED(ZX_INFO_TASK_STATS),
    VIZ_NAMED(ZX_INFO_PROCESS_MAPS), VIZ_NAMED(ZX_INFO_PROCESS_MAPS_V1),
    VIZ_NAMED(ZX_INFO_PROCESS_MAPS_V2), VIZ_NAMED(ZX_INFO_PROCESS_VMOS),
    VIZ_NAMED(ZX_INFO_PROCESS_VMOS_V1), VIZ_NAMED(ZX_INFO_PROCESS_VMOS_V2),
    VIZ_NAMED(ZX_INFO_PROCESS_VMOS_V3), VIZ_NAMED(ZX_INFO_THREAD_STATS),
    VIZ_NAMED(ZX_INFO_CPU_STATS), VIZ_NAMED(ZX_INFO_KMEM_STATS), VIZ_NAMED(ZX_INFO_RESOURCE),
    VIZ_NAMED(ZX_INFO_HANDLE_COUNT), VIZ_NAMED(ZX_INFO_BTI),
    VIZ_NAMED(ZX_INFO_PROCESS_HANDLE_STATS), VIZ_NAMED(ZX_INFO_SOCKET), VIZ_NAMED(ZX_INFO_VMO),
    VIZ_NAMED(ZX_INFO_VMO_V1), VIZ_NAMED(ZX_INFO_VMO_V2), VIZ_NAMED(ZX_INFO_VMO_V3),
    VIZ_NAMED(ZX_INFO_JOB), VIZ_NAMED(ZX_INFO_TIMER), VIZ_NAMED(ZX_INFO_STREAM),
    VIZ_NAMED(ZX_INFO_HANDLE_TABLE), VIZ_NAMED(ZX_INFO_MSI), VIZ_NAMED(ZX_INFO_GUEST_STATS),
    VIZ_NAMED(ZX_INFO_TASK_RUNTIME), VIZ_NAMED(ZX_INFO_KMEM_STATS_EXTENDED),
    VIZ_NAMED(ZX_INFO_VCPU), VIZ_NAMED(ZX_INFO_KMEM_STATS_COMPRESSION), VIZ_NAMED(ZX_INFO_IOB),
    VIZ_NAMED(ZX_INFO_IOB_REGIONS), VIZ_NAMED(ZX_INFO_VMAR_MAPS),
    VIZ_NAMED(ZX_INFO_POWER_DOMAINS), VIZ_NAMED(ZX_INFO_MEMORY_STALL),
    VIZ_NAMED(ZX_INFO_INTERRUPT), VIZ_NAMED(ZX_INFO_CLOCK_MAPPED_SIZE),
};

static const VizNamedValue viz_properties[] = {
    VIZ_NAMED(ZX_PROP_NAME),
#ifdef ZX_PROP_REGISTER_GS
    VIZ_NAMED(ZX_PROP_REGISTER_GS), VIZ_NAMED(ZX_PROP_REGISTER_FS),
#endif
    VIZ_NAMED(ZX_PROP_PROCESS_DEBUG_ADDR), VIZ_NAMED(ZX_PROP_PROCESS_VDSO_BASE_ADDRESS),
    VIZ_NAMED(ZX_PROP_PROCESS_BREAK_ON_LOAD), VIZ_NAMED(ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID),
    VIZ_NAMED(ZX_PROP_SOCKET_RX_THRESHOLD), VIZ_NAMED(ZX_PROP_SOCKET_TX_THRESHOLD),
    VIZ_NAMED(ZX_PROP_JOB_KILL_ON_OOM), VIZ_NAMED(ZX_PROP_EXCEPTION_STATE),
    VIZ_NAMED(ZX_PROP_VMO_CONTENT_SIZE), VIZ_NAMED(ZX_PROP_EXCEPTION_STRATEGY),
    VIZ_NAMED(ZX_PROP_STREAM_MODE_APPEND),
};

static const VizNamedValue viz_policy_topics[] = {
    VIZ_NAMED(ZX_JOB_POL_BASIC_V1), VIZ_NAMED(ZX_JOB_POL_BASIC_V2),
    VIZ_NAMED(ZX_JOB_POL_TIMER_SLACK),
};

static const VizNamedValue viz_policy_options[] = {
    VIZ_NAMED(ZX_JOB_POL_RELATIVE), VIZ_NAMED(ZX_JOB_POL_ABSOLUTE),
};

typedef struct VizNamedArg {
    const char *syscall, *arg;
    const VizNamedValue *names;
    size_t n;
} VizNamedArg;
#define VIZ_NAMED_ARG(call, arg, table) {call, arg, table, sizeof table / sizeof table[0]}

static const VizNamedArg viz_named_args[] = {
    VIZ_NAMED_ARG("object_get_info", "topic", viz_info_topics),
    VIZ_NAMED_ARG("object_get_property", "property", viz_properties),
    VIZ_NAMED_ARG("object_set_property", "property", viz_properties),
    VIZ_NAMED_ARG("job_set_policy", "topic", viz_policy_topics),
    VIZ_NAMED_ARG("job_set_policy", "options", viz_policy_options),
};

/* The constant's name for argument i of s holding v, or NULL. */
static const char *viz_syscalls_named(const VizSyscallSig *s, int i, uint64_t v)
{
    for (size_t a = 0; a < sizeof viz_named_args / sizeof viz_named_args[0]; a++) {
        const VizNamedArg *na = &viz_named_args[a];
        if (strcmp(na->syscall, s->name) != 0 || strcmp(na->arg, s->args[i]) != 0)
            continue;
        for (size_t k = 0; k < na->n; k++)
            if (na->names[k].value == v)
                return na->names[k].name;
    }
    return NULL;
}

/* Signal bits by the names Zircon gives them for one object type. */
typedef struct VizSignalNames {
    const char *type;        /* as VizHandleArg.type_name */
    VizNamedValue names[8];  /* ends at a NULL name */
} VizSignalNames;

static const VizSignalNames viz_signal_names[] = {
    {"channel", {VIZ_NAMED(ZX_CHANNEL_READABLE), VIZ_NAMED(ZX_CHANNEL_WRITABLE),
                 VIZ_NAMED(ZX_CHANNEL_PEER_CLOSED)}},
    {"socket", {VIZ_NAMED(ZX_SOCKET_READABLE), VIZ_NAMED(ZX_SOCKET_WRITABLE),
                VIZ_NAMED(ZX_SOCKET_PEER_CLOSED), VIZ_NAMED(ZX_SOCKET_PEER_WRITE_DISABLED),
                VIZ_NAMED(ZX_SOCKET_WRITE_DISABLED), VIZ_NAMED(ZX_SOCKET_READ_THRESHOLD),
                VIZ_NAMED(ZX_SOCKET_WRITE_THRESHOLD)}},
    {"fifo", {VIZ_NAMED(ZX_FIFO_READABLE), VIZ_NAMED(ZX_FIFO_WRITABLE),
              VIZ_NAMED(ZX_FIFO_PEER_CLOSED)}},
    {"event", {VIZ_NAMED(ZX_EVENT_SIGNALED)}},
    {"eventpair", {VIZ_NAMED(ZX_EVENTPAIR_SIGNALED), VIZ_NAMED(ZX_EVENTPAIR_PEER_CLOSED)}},
    {"process", {VIZ_NAMED(ZX_PROCESS_TERMINATED)}},
    {"thread", {VIZ_NAMED(ZX_THREAD_TERMINATED), VIZ_NAMED(ZX_THREAD_RUNNING),
                VIZ_NAMED(ZX_THREAD_SUSPENDED)}},
    {"job", {VIZ_NAMED(ZX_JOB_TERMINATED), VIZ_NAMED(ZX_JOB_NO_JOBS),
             VIZ_NAMED(ZX_JOB_NO_PROCESSES)}},
    {"timer", {VIZ_NAMED(ZX_TIMER_SIGNALED)}},
    {"vmo", {VIZ_NAMED(ZX_VMO_ZERO_CHILDREN)}},
};

/* A signal mask waited for on an object of type `type`, by name
 * ("ZX_CHANNEL_READABLE|ZX_CHANNEL_PEER_CLOSED"); bits without a name for
 * that type (or an unknown type) stay a hex remainder. */
static int viz_syscalls_signals(const char *type, uint64_t v, char *buf, size_t len)
{
    const VizSignalNames *t = NULL;
    for (size_t i = 0; type && i < sizeof viz_signal_names / sizeof viz_signal_names[0]; i++)
        if (!strcmp(viz_signal_names[i].type, type))
            t = &viz_signal_names[i];
    GString *out = g_string_new(NULL);
    uint64_t left = v;
    for (size_t k = 0; t && k < 8 && t->names[k].name; k++)
        if (left & t->names[k].value) {
            g_string_append_printf(out, "%s%s", out->len ? "|" : "", t->names[k].name);
            left &= ~t->names[k].value;
        }
    for (int bit = 24; bit < 32; bit++) /* every object has the user signals */
        if (t && (left & (1ull << bit))) {
            g_string_append_printf(out, "%sZX_USER_SIGNAL_%d", out->len ? "|" : "", bit - 24);
            left &= ~(1ull << bit);
        }
    if (left || !out->len)
        g_string_append_printf(out, "%s0x%" PRIx64, out->len ? "|" : "", left);
    int n = snprintf(buf, len, "%s", out->str);
    g_string_free(out, TRUE);
    return n;
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
    const char *named = viz_syscalls_named(s, i, v);
    if (named)
        return snprintf(buf, len, "%s", named);
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
        if (!strcmp(s->types[i], "zx_signals_t") && h && h[0].koid) /* on handle 0 */
            w = viz_syscalls_signals(h[0].type_name, args[i], buf + at, len - at);
        else
            w = viz_syscalls_arg(s, i, args[i], h ? &h[i] : NULL, buf + at, len - at);
        at += w > 0 ? (size_t)w : 0;
    }
    if (at < len) {
        w = snprintf(buf + at, len - at, ")");
        at += w > 0 ? (size_t)w : 0;
    }
    return at < len ? at : len - 1;
}
