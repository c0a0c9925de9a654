/*
 * capsim — <zircon/syscalls/debug.h>
 *
 * Register-set records for zx_thread_read_state()/zx_thread_write_state()
 * and the `kind` selectors. General registers are given for every machine
 * under an arch-prefixed name, with zx_thread_state_general_regs_t aliased
 * to the host's layout; FP/vector/debug records exist for the host only.
 * Field order and sizes mirror Zircon's public ABI. (The simulator runs
 * guest code as host code and may answer ZX_ERR_NOT_SUPPORTED for kinds
 * it cannot model; the layouts are still exact.)
 */
#ifndef ZIRCON_SYSCALLS_DEBUG_H_
#define ZIRCON_SYSCALLS_DEBUG_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__cplusplus)
#define _ZX_ALIGNED16 alignas(16)
#else
#define _ZX_ALIGNED16 _Alignas(16)
#endif

/* ---- general registers, per machine ----------------------------------- */
/* x86-64 — 160 bytes. */
typedef struct zx_x86_64_thread_state_general_regs {
  uint64_t rax;
  uint64_t rbx;
  uint64_t rcx;
  uint64_t rdx;
  uint64_t rsi;
  uint64_t rdi;
  uint64_t rbp;
  uint64_t rsp;
  uint64_t r8;
  uint64_t r9;
  uint64_t r10;
  uint64_t r11;
  uint64_t r12;
  uint64_t r13;
  uint64_t r14;
  uint64_t r15;
  uint64_t rip;
  uint64_t rflags;
  uint64_t fs_base;
  uint64_t gs_base;
} zx_x86_64_thread_state_general_regs_t;

/* arm64 — 280 bytes: x0..x29, then lr (x30), sp, pc, cpsr, tpidr_el0. */
typedef struct zx_arm64_thread_state_general_regs {
  uint64_t r[30];
  uint64_t lr;
  uint64_t sp;
  uint64_t pc;
  uint64_t cpsr;
  uint64_t tpidr;
} zx_arm64_thread_state_general_regs_t;

/* riscv64 — 256 bytes: pc, then x1..x31 by ABI name. */
typedef struct zx_riscv64_thread_state_general_regs {
  uint64_t pc;
  uint64_t ra;
  uint64_t sp;
  uint64_t gp;
  uint64_t tp;
  uint64_t t0;
  uint64_t t1;
  uint64_t t2;
  uint64_t s0;
  uint64_t s1;
  uint64_t a0;
  uint64_t a1;
  uint64_t a2;
  uint64_t a3;
  uint64_t a4;
  uint64_t a5;
  uint64_t a6;
  uint64_t a7;
  uint64_t s2;
  uint64_t s3;
  uint64_t s4;
  uint64_t s5;
  uint64_t s6;
  uint64_t s7;
  uint64_t s8;
  uint64_t s9;
  uint64_t s10;
  uint64_t s11;
  uint64_t t3;
  uint64_t t4;
  uint64_t t5;
  uint64_t t6;
} zx_riscv64_thread_state_general_regs_t;

/* ---- host-native register sets ---------------------------------------- */
#if defined(__x86_64__)

typedef zx_x86_64_thread_state_general_regs_t zx_thread_state_general_regs_t;

/* ZX_THREAD_STATE_FP_REGS: x87/MMX state. */
typedef struct zx_thread_state_fp_regs {
  uint16_t fcw; /* control word */
  uint16_t fsw; /* status word */
  uint8_t ftw;  /* tag word */
  uint8_t reserved;
  uint16_t fop; /* opcode */
  uint64_t fip; /* instruction pointer */
  uint64_t fdp; /* data pointer */
  _ZX_ALIGNED16 struct {
    uint64_t low;
    uint64_t high;
  } st[8];
} zx_thread_state_fp_regs_t;

/* ZX_THREAD_STATE_VECTOR_REGS: SSE/AVX/AVX-512 state. */
typedef struct zx_thread_state_vector_regs {
  struct {
    uint64_t v[8];
  } zmm[32];
  uint64_t opmask[8];
  uint32_t mxcsr;
} zx_thread_state_vector_regs_t;

/* ZX_THREAD_STATE_DEBUG_REGS */
typedef struct zx_thread_state_debug_regs {
  uint64_t dr[4];
  uint64_t dr6; /* status */
  uint64_t dr7; /* control */
} zx_thread_state_debug_regs_t;

#elif defined(__aarch64__)

typedef zx_arm64_thread_state_general_regs_t zx_thread_state_general_regs_t;

/* Unused on arm64 (all FP lives in the vector registers). */
typedef struct zx_thread_state_fp_regs {
  uint32_t unused;
} zx_thread_state_fp_regs_t;

typedef struct zx_thread_state_vector_regs {
  uint32_t fpcr;
  uint32_t fpsr;
  struct {
    uint64_t low;
    uint64_t high;
  } v[32];
} zx_thread_state_vector_regs_t;

#define AARCH64_MAX_HW_BREAKPOINTS 16
#define AARCH64_MAX_HW_WATCHPOINTS 16

typedef struct zx_thread_state_debug_regs {
  struct {
    uint64_t dbgbvr;
    uint32_t dbgbcr;
  } hw_bps[AARCH64_MAX_HW_BREAKPOINTS];
  uint8_t hw_bps_count; /* filled on read, ignored on write */
  struct {
    uint64_t dbgwvr;
    uint32_t dbgwcr;
  } hw_wps[AARCH64_MAX_HW_WATCHPOINTS];
  uint8_t hw_wps_count; /* filled on read, ignored on write */
  uint32_t esr;         /* ESR of the last exception */
} zx_thread_state_debug_regs_t;

#elif defined(__riscv)

typedef zx_riscv64_thread_state_general_regs_t zx_thread_state_general_regs_t;

#endif

/* ZX_THREAD_STATE_SINGLE_STEP value: 0 or 1. */
typedef uint32_t zx_thread_state_single_step_t;

/* ZX_THREAD_X86_REGISTER_FS / _GS values. */
typedef uint64_t zx_thread_x86_register_fs_t;
typedef uint64_t zx_thread_x86_register_gs_t;

/* `kind` argument of zx_thread_read_state()/zx_thread_write_state(). */
typedef uint32_t zx_thread_state_topic_t;
#define ZX_THREAD_STATE_GENERAL_REGS ((uint32_t)0) /* zx_thread_state_general_regs_t */
#define ZX_THREAD_STATE_FP_REGS ((uint32_t)1)      /* zx_thread_state_fp_regs_t */
#define ZX_THREAD_STATE_VECTOR_REGS ((uint32_t)2)  /* zx_thread_state_vector_regs_t */
/* 3 is unused. */
#define ZX_THREAD_STATE_DEBUG_REGS ((uint32_t)4)   /* zx_thread_state_debug_regs_t */
#define ZX_THREAD_STATE_SINGLE_STEP ((uint32_t)5)  /* zx_thread_state_single_step_t */
#define ZX_THREAD_X86_REGISTER_FS ((uint32_t)6)    /* zx_thread_x86_register_fs_t */
#define ZX_THREAD_X86_REGISTER_GS ((uint32_t)7)    /* zx_thread_x86_register_gs_t */

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_DEBUG_H_ */
