/*
 * capsim — <zircon/syscalls/exception.h>
 *
 * Exception types, policy-exception codes, the exception report records and
 * the message body (zx_exception_info_t) delivered on exception channels.
 * Values and layouts mirror Zircon's public ABI (newest generation: the
 * context carries synth_code/synth_data, the v1 shapes are kept for the
 * ZX_INFO_THREAD_EXCEPTION_REPORT_V1 topic).
 */
#ifndef ZIRCON_SYSCALLS_EXCEPTION_H_
#define ZIRCON_SYSCALLS_EXCEPTION_H_

#include <zircon/syscalls/object.h> /* ZX_PROP_EXCEPTION_*, ZX_EXCEPTION_STATE_* */
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Anonymous members / flexible arrays are part of this ABI; keep clang's
 * -pedantic quiet about them (GCC is silenced by _ZX_EXTENSION). */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnested-anon-types"
#pragma clang diagnostic ignored "-Wgnu-anonymous-struct"
#pragma clang diagnostic ignored "-Wc99-extensions"
#endif

/* ---- exception types -------------------------------------------------- */
typedef uint32_t zx_excp_type_t;

/* Architectural exceptions (details in report.context.arch). */
#define ZX_EXCP_GENERAL ((uint32_t)0x008u)
/* synth_code carries the zx_status_t of the failed fault. */
#define ZX_EXCP_FATAL_PAGE_FAULT ((uint32_t)0x108u)
#define ZX_EXCP_UNDEFINED_INSTRUCTION ((uint32_t)0x208u)
#define ZX_EXCP_SW_BREAKPOINT ((uint32_t)0x308u)
#define ZX_EXCP_HW_BREAKPOINT ((uint32_t)0x408u)
#define ZX_EXCP_UNALIGNED_ACCESS ((uint32_t)0x508u)

/* Set on every synthetic (kernel-generated) exception type. */
#define ZX_EXCP_SYNTH ((uint32_t)0x8000u)

/* Debugger-only: a thread is starting / exiting. */
#define ZX_EXCP_THREAD_STARTING ((uint32_t)0x008u | ZX_EXCP_SYNTH)
#define ZX_EXCP_THREAD_EXITING ((uint32_t)0x108u | ZX_EXCP_SYNTH)

/* A job-policy violation; synth_code is a ZX_EXCP_POLICY_CODE_* value. */
#define ZX_EXCP_POLICY_ERROR ((uint32_t)0x208u | ZX_EXCP_SYNTH)

#define ZX_EXCP_POLICY_CODE_BAD_HANDLE 0u
#define ZX_EXCP_POLICY_CODE_WRONG_OBJECT 1u
#define ZX_EXCP_POLICY_CODE_VMAR_WX 2u
#define ZX_EXCP_POLICY_CODE_NEW_ANY 3u
#define ZX_EXCP_POLICY_CODE_NEW_VMO 4u
#define ZX_EXCP_POLICY_CODE_NEW_CHANNEL 5u
#define ZX_EXCP_POLICY_CODE_NEW_EVENT 6u
#define ZX_EXCP_POLICY_CODE_NEW_EVENTPAIR 7u
#define ZX_EXCP_POLICY_CODE_NEW_PORT 8u
#define ZX_EXCP_POLICY_CODE_NEW_SOCKET 9u
#define ZX_EXCP_POLICY_CODE_NEW_FIFO 10u
#define ZX_EXCP_POLICY_CODE_NEW_TIMER 11u
#define ZX_EXCP_POLICY_CODE_NEW_PROCESS 12u
#define ZX_EXCP_POLICY_CODE_NEW_PROFILE 13u
#define ZX_EXCP_POLICY_CODE_NEW_PAGER 14u
#define ZX_EXCP_POLICY_CODE_AMBIENT_MARK_VMO_EXEC 15u
#define ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE 16u
#define ZX_EXCP_POLICY_CODE_PORT_TOO_MANY_PACKETS 17u
#define ZX_EXCP_POLICY_CODE_BAD_SYSCALL 18u /* synth_data = syscall number */
#define ZX_EXCP_POLICY_CODE_PORT_TOO_MANY_OBSERVERS 19u
#define ZX_EXCP_POLICY_CODE_HANDLE_LEAK 20u
#define ZX_EXCP_POLICY_CODE_NEW_IOB 21u
#define ZX_EXCP_POLICY_CODE_NEW_SAMPLER 22u

/* Job-debugger-only: a process is starting. */
#define ZX_EXCP_PROCESS_STARTING ((uint32_t)0x308u | ZX_EXCP_SYNTH)

/* Raised by zx_thread_raise_exception(); synth_code is a user code. */
#define ZX_EXCP_USER ((uint32_t)0x309u | ZX_EXCP_SYNTH)

#define ZX_EXCP_USER_CODE_PROCESS_NAME_CHANGED ((uint32_t)0x0001u)
/* Codes >= USER0 are free for applications. */
#define ZX_EXCP_USER_CODE_USER0 ((uint32_t)0xF000u)
#define ZX_EXCP_USER_CODE_USER1 ((uint32_t)0xF001u)
#define ZX_EXCP_USER_CODE_USER2 ((uint32_t)0xF002u)

#define ZX_EXCP_IS_ARCH(excp) (((excp) & ZX_EXCP_SYNTH) == 0)

/* ---- per-architecture exception data ---------------------------------- */
typedef struct zx_x86_64_exc_data {
  uint64_t vector;
  uint64_t err_code;
  uint64_t cr2;
} zx_x86_64_exc_data_t;

typedef struct zx_arm64_exc_data_v1 {
  uint32_t esr;
  uint8_t padding1[4];
  uint64_t far;
} zx_arm64_exc_data_v1_t;

typedef struct zx_arm64_exc_data {
  uint32_t esr;
  uint8_t padding1[4];
  uint64_t far;
  uint8_t padding2[8];
} zx_arm64_exc_data_t;

typedef struct zx_riscv64_exc_data {
  uint64_t cause;
  uint64_t tval;
  uint8_t padding1[8];
} zx_riscv64_exc_data_t;

/* ---- contexts and reports --------------------------------------------- */
/* Older 24-byte context (arch data only). */
typedef struct zx_exception_context_v1 {
  struct {
    union {
      zx_x86_64_exc_data_t x86_64;
      _ZX_EXTENSION struct {
        zx_arm64_exc_data_v1_t arm_64;
        uint8_t padding1[8];
      };
    } u;
  } arch;
} zx_exception_context_v1_t;

/* 32 bytes: 24 bytes of arch data, then the synthetic code/data. */
typedef struct zx_exception_context {
  struct {
    union {
      zx_x86_64_exc_data_t x86_64;
      zx_arm64_exc_data_t arm_64;
      zx_riscv64_exc_data_t riscv_64;
    } u;
  } arch;
  uint32_t synth_code;
  uint32_t synth_data;
} zx_exception_context_t;

/* Common header of every report; `size` counts the whole report. */
typedef struct zx_exception_header {
  uint32_t size;
  zx_excp_type_t type;
} zx_exception_header_t;

/* ZX_INFO_THREAD_EXCEPTION_REPORT_V1 — 32 bytes. */
typedef struct zx_exception_report_v1 {
  zx_exception_header_t header;
  zx_exception_context_v1_t context;
} zx_exception_report_v1_t;

/* ZX_INFO_THREAD_EXCEPTION_REPORT — 40 bytes. */
typedef struct zx_exception_report {
  zx_exception_header_t header;
  zx_exception_context_t context;
} zx_exception_report_t;

/* Message body on an exception channel (sent with the exception handle)
 * — 24 bytes. */
typedef struct zx_exception_info {
  zx_koid_t pid;
  zx_koid_t tid;
  zx_excp_type_t type;
  uint8_t padding1[4];
} zx_exception_info_t;

/* ---- options and channel types ---------------------------------------- */
/* zx_task_create_exception_channel(): use the debugger channel. */
#define ZX_EXCEPTION_CHANNEL_DEBUGGER ((uint32_t)1)

/* zx_thread_raise_exception(): deliver to the job debugger. */
#define ZX_EXCEPTION_TARGET_JOB_DEBUGGER ((uint32_t)1)

/* zx_info_thread_t.wait_exception_channel_type */
#define ZX_EXCEPTION_CHANNEL_TYPE_NONE ((uint32_t)0u)
#define ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER ((uint32_t)1u)
#define ZX_EXCEPTION_CHANNEL_TYPE_THREAD ((uint32_t)2u)
#define ZX_EXCEPTION_CHANNEL_TYPE_PROCESS ((uint32_t)3u)
#define ZX_EXCEPTION_CHANNEL_TYPE_JOB ((uint32_t)4u)
#define ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER ((uint32_t)5u)

/* At most this many debugger channels per job. */
#define ZX_EXCEPTION_CHANNEL_JOB_DEBUGGER_MAX_COUNT ((uint32_t)32)

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_EXCEPTION_H_ */
