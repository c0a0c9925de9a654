/* viz_codes.c — the kernel's events in words.
 *
 * What it models: nothing; it reads trace records the way a reader of the
 * listings needs them, with the names of Zircon's headers in place of
 * numbers: "job policy of process 1038 'untrusted': NEW_PROCESS -> DENY"
 * rather than "condition 12 action 1". The tables are switch statements
 * over the headers' own macros, so a value cannot drift from its name.
 *
 * Records read (model/kernel.h): task_kill (a koid, b return code: a
 * killed task, or a process that exited; only the kernel's kill codes
 * read "killed"),
 * policy (a process, b ZX_POL_* condition, c ZX_POL_ACTION_*), exception
 * (a thread; with text "raised"/"delivered"/"faulted again"/"unhandled" b
 * is the ZX_EXCP_* type and, raised, c the synthetic code; without text b
 * is the engine's SimFaultKind of a fault in app code), fault_injected
 * (text: the switch), note (text) and the engine's fault record (a
 * SimFaultKind). Addresses are never printed: listings stay the same on
 * every run.
 * Read next: viz_steps.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls/exception.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/policy.h>

#include "kernel.h"
#include "viz_codes.h"

const char *viz_codes_policy_condition(uint64_t condition)
{
    switch (condition) {
    case ZX_POL_BAD_HANDLE: return "BAD_HANDLE";
    case ZX_POL_WRONG_OBJECT: return "WRONG_OBJECT";
    case ZX_POL_VMAR_WX: return "VMAR_WX";
    case ZX_POL_NEW_ANY: return "NEW_ANY";
    case ZX_POL_NEW_VMO: return "NEW_VMO";
    case ZX_POL_NEW_CHANNEL: return "NEW_CHANNEL";
    case ZX_POL_NEW_EVENT: return "NEW_EVENT";
    case ZX_POL_NEW_EVENTPAIR: return "NEW_EVENTPAIR";
    case ZX_POL_NEW_PORT: return "NEW_PORT";
    case ZX_POL_NEW_SOCKET: return "NEW_SOCKET";
    case ZX_POL_NEW_FIFO: return "NEW_FIFO";
    case ZX_POL_NEW_TIMER: return "NEW_TIMER";
    case ZX_POL_NEW_PROCESS: return "NEW_PROCESS";
    case ZX_POL_NEW_PROFILE: return "NEW_PROFILE";
    case ZX_POL_NEW_PAGER: return "NEW_PAGER";
    case ZX_POL_AMBIENT_MARK_VMO_EXEC: return "AMBIENT_MARK_VMO_EXEC";
    case ZX_POL_NEW_IOB: return "NEW_IOB";
    case ZX_POL_NEW_SAMPLER: return "NEW_SAMPLER";
    default: return NULL;
    }
}

const char *viz_codes_policy_action(uint64_t action)
{
    switch (action) {
    case ZX_POL_ACTION_ALLOW: return "ALLOW";
    case ZX_POL_ACTION_DENY: return "DENY";
    case ZX_POL_ACTION_ALLOW_EXCEPTION: return "ALLOW_EXCEPTION";
    case ZX_POL_ACTION_DENY_EXCEPTION: return "DENY_EXCEPTION";
    case ZX_POL_ACTION_KILL: return "KILL";
    default: return NULL;
    }
}

/* The synthetic code of a ZX_EXCP_POLICY_ERROR. */
static const char *viz_codes_policy_code(uint64_t code)
{
    switch (code) {
    case ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE: return "CHANNEL_FULL_WRITE";
    case ZX_EXCP_POLICY_CODE_PORT_TOO_MANY_PACKETS: return "PORT_TOO_MANY_PACKETS";
    case ZX_EXCP_POLICY_CODE_BAD_SYSCALL: return "BAD_SYSCALL";
    case ZX_EXCP_POLICY_CODE_PORT_TOO_MANY_OBSERVERS: return "PORT_TOO_MANY_OBSERVERS";
    case ZX_EXCP_POLICY_CODE_HANDLE_LEAK: return "HANDLE_LEAK";
    case ZX_EXCP_POLICY_CODE_NEW_IOB: return "NEW_IOB";
    case ZX_EXCP_POLICY_CODE_NEW_SAMPLER: return "NEW_SAMPLER";
    default: /* codes 0..15 are the conditions' own numbers */
        return code <= ZX_EXCP_POLICY_CODE_AMBIENT_MARK_VMO_EXEC
                   ? viz_codes_policy_condition(code) : NULL;
    }
}

const char *viz_codes_exception_type(uint64_t type)
{
    switch (type) {
    case ZX_EXCP_GENERAL: return "ZX_EXCP_GENERAL";
    case ZX_EXCP_FATAL_PAGE_FAULT: return "ZX_EXCP_FATAL_PAGE_FAULT";
    case ZX_EXCP_UNDEFINED_INSTRUCTION: return "ZX_EXCP_UNDEFINED_INSTRUCTION";
    case ZX_EXCP_SW_BREAKPOINT: return "ZX_EXCP_SW_BREAKPOINT";
    case ZX_EXCP_HW_BREAKPOINT: return "ZX_EXCP_HW_BREAKPOINT";
    case ZX_EXCP_UNALIGNED_ACCESS: return "ZX_EXCP_UNALIGNED_ACCESS";
    case ZX_EXCP_THREAD_STARTING: return "ZX_EXCP_THREAD_STARTING";
    case ZX_EXCP_THREAD_EXITING: return "ZX_EXCP_THREAD_EXITING";
    case ZX_EXCP_POLICY_ERROR: return "ZX_EXCP_POLICY_ERROR";
    case ZX_EXCP_PROCESS_STARTING: return "ZX_EXCP_PROCESS_STARTING";
    case ZX_EXCP_USER: return "ZX_EXCP_USER";
    default: return NULL;
    }
}

const char *viz_codes_task_retcode(int64_t code)
{
    switch (code) {
    case ZX_TASK_RETCODE_SYSCALL_KILL: return "ZX_TASK_RETCODE_SYSCALL_KILL";
    case ZX_TASK_RETCODE_OOM_KILL: return "ZX_TASK_RETCODE_OOM_KILL";
    case ZX_TASK_RETCODE_POLICY_KILL: return "ZX_TASK_RETCODE_POLICY_KILL";
    case ZX_TASK_RETCODE_VDSO_KILL: return "ZX_TASK_RETCODE_VDSO_KILL";
    case ZX_TASK_RETCODE_EXCEPTION_KILL: return "ZX_TASK_RETCODE_EXCEPTION_KILL";
    case ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL: return "ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL";
    default: return NULL;
    }
}

/* A name, or its number when the table has none. */
static const char *viz_codes_or_number(const char *name, uint64_t v, char *buf, size_t len)
{
    if (name)
        return name;
    snprintf(buf, len, "%" PRIu64, v);
    return buf;
}

static void viz_codes_object(VizCodesNameFn name, void *ctx, uint64_t koid, const char *type,
                             char *buf, size_t len)
{
    if (name)
        name(ctx, koid, type, buf, len);
    else
        snprintf(buf, len, "%s %" PRIu64, type, koid);
}

static void viz_codes_exception(const SimTraceRecord *r, const char *thread, char *buf, size_t len)
{
    char n1[32], n2[32];
    if (!r->text) { /* a fault in app code, before it becomes an exception */
        snprintf(buf, len, "! %s faulted: %s", thread, sim_fault_name((int)r->b));
        return;
    }
    const char *type = viz_codes_or_number(viz_codes_exception_type(r->b), r->b, n1, sizeof n1);
    if (!strcmp(r->text, "raised") && r->b == ZX_EXCP_POLICY_ERROR)
        snprintf(buf, len, "! exception %s (%s) on %s: raised", type,
                 viz_codes_or_number(viz_codes_policy_code(r->c), r->c, n2, sizeof n2), thread);
    else
        snprintf(buf, len, "! exception %s on %s: %s", type, thread, r->text);
}

/* A fault in app code, with where it touched when the trace keeps it
 * (sim.h, SIM_TR_FAULT: an address below 64 KiB as it is, a stack
 * address as bytes below the stack's top; others move between runs). A
 * low address is what dereferencing a null pointer touches. */
static void viz_codes_fault(const SimTraceRecord *r, char *buf, size_t len)
{
    int n = snprintf(buf, len, "! engine thread %" PRIu64 " faulted: %s", r->thread,
                     sim_fault_name((int)r->a));
    bool touches = r->a == SIM_FAULT_SEGV || r->a == SIM_FAULT_BUS ||
                   r->a == SIM_FAULT_STACK_OVERFLOW;
    if (!touches || n < 0 || (size_t)n >= len)
        return;
    if (r->c == 0)
        snprintf(buf + n, len - (size_t)n, " at address 0x%" PRIx64 "%s", r->b,
                 r->b < 4096 ? " (a null pointer)" : "");
    else if (r->c == 1)
        snprintf(buf + n, len - (size_t)n, " %" PRIu64 " bytes below the top of its stack", r->b);
}

bool viz_codes_event(const SimTraceRecord *r, VizCodesNameFn name, void *ctx,
                     char *buf, size_t len)
{
    char who[160], n1[32], n2[32];
    switch (r->kind) {
    case KTR_TASK_KILL: { /* a task ends: killed, or (a process) exited */
        const char *code = viz_codes_task_retcode((int64_t)r->b);
        viz_codes_object(name, ctx, r->a, "task", who, sizeof who);
        if (code)
            snprintf(buf, len, "! killed %s (return code %" PRId64 ", %s)", who, (int64_t)r->b,
                     code);
        else
            snprintf(buf, len, "! %s ends (return code %" PRId64 ")", who, (int64_t)r->b);
        return true;
    }
    case KTR_POLICY:
        viz_codes_object(name, ctx, r->a, "process", who, sizeof who);
        snprintf(buf, len, "! job policy of %s: %s -> %s", who,
                 viz_codes_or_number(viz_codes_policy_condition(r->b), r->b, n1, sizeof n1),
                 viz_codes_or_number(viz_codes_policy_action(r->c), r->c, n2, sizeof n2));
        return true;
    case KTR_EXCEPTION:
        viz_codes_object(name, ctx, r->a, "thread", who, sizeof who);
        viz_codes_exception(r, who, buf, len);
        return true;
    case KTR_FAULT_INJECTED:
        snprintf(buf, len, "! fault switch used: %s", r->text ? r->text : "?");
        return true;
    case KTR_NOTE:
        snprintf(buf, len, "= %s", r->text ? r->text : "");
        return true;
    case SIM_TR_FAULT:
        viz_codes_fault(r, buf, len);
        return true;
    default:
        return false;
    }
}
