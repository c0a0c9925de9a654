/*
 * capsim — <zircon/syscalls/policy.h>
 *
 * Job policy for zx_job_set_policy(): topics, conditions, actions, override
 * flags and the input records. Condition numbering follows the newest
 * Zircon generation (NEW_PAGER = 14, AMBIENT_MARK_VMO_EXEC = 15), matching
 * the ZX_EXCP_POLICY_CODE_* values in <zircon/syscalls/exception.h>.
 * Values and layouts mirror Zircon's public ABI.
 */
#ifndef ZIRCON_SYSCALLS_POLICY_H_
#define ZIRCON_SYSCALLS_POLICY_H_

#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* zx_job_set_policy() options */
#define ZX_JOB_POL_RELATIVE 0u /* entries the parent locked are skipped */
#define ZX_JOB_POL_ABSOLUTE 1u /* any locked entry fails the whole call */

/* Topics */
#define ZX_JOB_POL_BASIC_V1 0u
#define ZX_JOB_POL_BASIC_V2 0x01000000u
#define ZX_JOB_POL_TIMER_SLACK 1u

/* ZX_JOB_POL_BASIC_V1 entry — 8 bytes. Always locked (override DENY). */
typedef struct zx_policy_basic_v1 {
  uint32_t condition;
  uint32_t policy;
} zx_policy_basic_v1_t;

/* ZX_JOB_POL_BASIC_V2 entry — 12 bytes. */
typedef struct zx_policy_basic_v2 {
  uint32_t condition;
  uint32_t action;
  uint32_t flags; /* ZX_POL_OVERRIDE_* */
} zx_policy_basic_v2_t;

#define ZX_JOB_POL_BASIC ZX_JOB_POL_BASIC_V1
typedef struct zx_policy_basic_v1 zx_policy_basic;
typedef struct zx_policy_basic_v1 zx_policy_basic_t;

/* Conditions */
#define ZX_POL_BAD_HANDLE 0u
#define ZX_POL_WRONG_OBJECT 1u
#define ZX_POL_VMAR_WX 2u
#define ZX_POL_NEW_ANY 3u /* all ZX_POL_NEW_* at once */
#define ZX_POL_NEW_VMO 4u
#define ZX_POL_NEW_CHANNEL 5u
#define ZX_POL_NEW_EVENT 6u
#define ZX_POL_NEW_EVENTPAIR 7u
#define ZX_POL_NEW_PORT 8u
#define ZX_POL_NEW_SOCKET 9u
#define ZX_POL_NEW_FIFO 10u
#define ZX_POL_NEW_TIMER 11u
#define ZX_POL_NEW_PROCESS 12u
#define ZX_POL_NEW_PROFILE 13u
#define ZX_POL_NEW_PAGER 14u
#define ZX_POL_AMBIENT_MARK_VMO_EXEC 15u
#define ZX_POL_NEW_IOB 16u
#define ZX_POL_NEW_SAMPLER 17u
#ifdef _KERNEL
#define ZX_POL_MAX 18u
#endif

/* Actions */
#define ZX_POL_ACTION_ALLOW 0u
#define ZX_POL_ACTION_DENY 1u
#define ZX_POL_ACTION_ALLOW_EXCEPTION 2u
#define ZX_POL_ACTION_DENY_EXCEPTION 3u
#define ZX_POL_ACTION_KILL 4u
#ifdef _KERNEL
#define ZX_POL_ACTION_MAX 5u
#endif

/* Override flags (may descendants change this entry?) */
#define ZX_POL_OVERRIDE_ALLOW 0u
#define ZX_POL_OVERRIDE_DENY 1u

/* ZX_JOB_POL_TIMER_SLACK entry — 16 bytes. */
typedef struct zx_policy_timer_slack {
  zx_duration_t min_slack;
  uint32_t default_mode; /* ZX_TIMER_SLACK_* */
  uint8_t padding1[4];
} zx_policy_timer_slack_t;

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_POLICY_H_ */
