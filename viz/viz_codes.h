/* viz_codes.h — the kernel's events in words, for trace listings: job
 * policy conditions and actions, exception types, task return codes and
 * engine faults by the names Zircon's headers give them, and one sentence
 * for each kill, policy action, exception, fault or note record.
 * Flat header. Read next: viz_codes.c.
 */
#ifndef CAPSIM_VIZ_CODES_H
#define CAPSIM_VIZ_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "NEW_PROCESS" for ZX_POL_NEW_PROCESS...; NULL if unknown. */
const char *viz_codes_policy_condition(uint64_t condition);
/* "DENY" for ZX_POL_ACTION_DENY...; NULL if unknown. */
const char *viz_codes_policy_action(uint64_t action);
/* "ZX_EXCP_FATAL_PAGE_FAULT"...; NULL if unknown. */
const char *viz_codes_exception_type(uint64_t type);
/* "ZX_TASK_RETCODE_POLICY_KILL" for -1026...; NULL for other codes. */
const char *viz_codes_task_retcode(int64_t code);

/* How a listing names an object: "process 1026 'app_family'" (without
 * the name when it has none). The listing supplies it. */
typedef void (*VizCodesNameFn)(void *ctx, uint64_t koid, const char *type,
                               char *buf, size_t len);

/* The record in one sentence, starting with "! " (a kill, a job-policy
 * action, an exception, an engine fault, a fault switch used) or "= " (a
 * note); false for other kinds. */
bool viz_codes_event(const SimTraceRecord *r, VizCodesNameFn name, void *ctx,
                     char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
