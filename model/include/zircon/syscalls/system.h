/*
 * capsim — <zircon/syscalls/system.h>
 *
 * Commands and argument records of the privileged system-control calls
 * (zx_system_powerctl, zx_system_get/set_performance_info). capsim does not
 * model these calls; the definitions exist so that programs naming them
 * still compile. Values and layouts mirror Zircon's public ABI.
 */
#ifndef ZIRCON_SYSCALLS_SYSTEM_H_
#define ZIRCON_SYSCALLS_SYSTEM_H_

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

/* zx_system_powerctl() commands */
#define ZX_SYSTEM_POWERCTL_ENABLE_ALL_CPUS 1u
#define ZX_SYSTEM_POWERCTL_DISABLE_ALL_CPUS_BUT_PRIMARY 2u
#define ZX_SYSTEM_POWERCTL_ACPI_TRANSITION_S_STATE 3u
#define ZX_SYSTEM_POWERCTL_X86_SET_PKG_PL1 4u
#define ZX_SYSTEM_POWERCTL_REBOOT 5u
#define ZX_SYSTEM_POWERCTL_REBOOT_BOOTLOADER 6u
#define ZX_SYSTEM_POWERCTL_REBOOT_RECOVERY 7u
#define ZX_SYSTEM_POWERCTL_SHUTDOWN 8u
#define ZX_SYSTEM_POWERCTL_ACK_KERNEL_INITIATED_REBOOT 9u

typedef struct zx_system_powerctl_arg {
  union {
    _ZX_EXTENSION struct {
      struct {
        uint8_t target_s_state; /* 1..5 */
        uint8_t sleep_type_a;
        uint8_t sleep_type_b;
      } acpi_transition_s_state;
      uint8_t padding1[9];
    };
    struct {
      uint32_t power_limit; /* mW */
      uint32_t time_window; /* us */
      uint8_t clamp;
      uint8_t enable;
      uint8_t padding2[2];
    } x86_power_limit;
  };
} zx_system_powerctl_arg_t;

/* zx_system_{get,set}_performance_info() topics */
#define ZX_CPU_PERF_SCALE ((uint32_t)1u)
#define ZX_CPU_DEFAULT_PERF_SCALE ((uint32_t)2u)
#define ZX_CPU_PERF_LIMIT ((uint32_t)3u)

typedef struct zx_cpu_performance_scale {
  uint32_t integral_part;
  uint32_t fractional_part;
} zx_cpu_performance_scale_t;

typedef struct zx_cpu_performance_info {
  uint32_t logical_cpu_number;
  zx_cpu_performance_scale_t performance_scale;
} zx_cpu_performance_info_t;

typedef uint32_t zx_cpu_perf_limit_type_t;
#define ZX_CPU_PERF_LIMIT_TYPE_RATE ((zx_cpu_perf_limit_type_t)(0u))
#define ZX_CPU_PERF_LIMIT_TYPE_POWER ((zx_cpu_perf_limit_type_t)(1u))

typedef struct zx_cpu_perf_limit {
  uint32_t logical_cpu_number;
  zx_cpu_perf_limit_type_t limit_type;
  uint64_t min;
  uint64_t max;
} zx_cpu_perf_limit_t;

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_SYSTEM_H_ */
