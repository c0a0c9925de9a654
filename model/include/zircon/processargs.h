/*
 * capsim — <zircon/processargs.h>
 *
 * The process bootstrap message protocol: the first message on the channel
 * passed as arg1 of zx_process_start() begins with zx_proc_args_t and
 * carries one 32-bit "handle info" word per attached handle, built with
 * PA_HND(type, arg). Constants and layout mirror Zircon's public ABI.
 */
#ifndef ZIRCON_PROCESSARGS_H_
#define ZIRCON_PROCESSARGS_H_

#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZX_PROCARGS_PROTOCOL ((uint32_t)0x4150585du) /* "MXPA" */
#define ZX_PROCARGS_VERSION ((uint32_t)0x0001000u)

/* Message header — 36 bytes. Offsets are from the start of the message. */
typedef struct zx_proc_args zx_proc_args_t;

struct zx_proc_args {
  uint32_t protocol; /* ZX_PROCARGS_PROTOCOL */
  uint32_t version;  /* ZX_PROCARGS_VERSION */

  uint32_t handle_info_off; /* uint32_t[number of handles] */

  uint32_t args_off; /* args_num NUL-terminated UTF-8 strings */
  uint32_t args_num;

  uint32_t environ_off; /* environ_num "NAME=VALUE" strings */
  uint32_t environ_num;

  uint32_t names_off; /* names_num path strings, indexed by PA_NS_DIR args */
  uint32_t names_num;
};

/* Handle info word: type in bits 0..7, argument in bits 16..31. */
#define PA_HND(type, arg) (((type) & 0xFF) | (((arg) & 0xFFFF) << 16))
#define PA_HND_TYPE(n) ((n) & 0xFF)
#define PA_HND_ARG(n) (((n) >> 16) & 0xFFFF)

/* Core runtime handles */
#define PA_PROC_SELF 0x01u   /* the process itself */
#define PA_THREAD_SELF 0x02u /* its initial thread */
#define PA_JOB_DEFAULT 0x03u /* job to create children in (maybe not its own) */
#define PA_VMAR_ROOT 0x04u   /* root VMAR of its address space */
#define PA_VMAR_LOADED 0x05u /* VMAR holding the loaded program image */

/* Loader service and VMOs */
#define PA_LDSVC_LOADER 0x10u
#define PA_VMO_VDSO 0x11u
#define PA_VMO_STACK 0x13u
#define PA_VMO_EXECUTABLE 0x14u
#define PA_VMO_BOOTDATA 0x1Au
#define PA_VMO_BOOTFS 0x1Bu
#define PA_VMO_KERNEL_FILE 0x1Cu
#define PA_VMO_COMPONENT_CONFIG 0x1Du

/* Namespace directory; arg indexes the name table. */
#define PA_NS_DIR 0x20u

/* File descriptor; arg is the fd number. */
#define PA_FD 0x30u

/* Component lifecycle and outgoing directory */
#define PA_LIFECYCLE 0x3Au
#define PA_DIRECTORY_REQUEST 0x3Bu
#define PA_ESCROWED_DICTIONARY 0x3Cu
#define PA_LOG_SINK 0x3Du

/* Resources and clocks */
#define PA_RESOURCE 0x3Fu
#define PA_CLOCK_UTC 0x40u
#define PA_MMIO_RESOURCE 0x50
#define PA_IRQ_RESOURCE 0x51
#define PA_IOPORT_RESOURCE 0x52
#define PA_SMC_RESOURCE 0x53
#define PA_SYSTEM_RESOURCE 0x54

/* Free for ad-hoc use */
#define PA_USER0 0xF0u
#define PA_USER1 0xF1u
#define PA_USER2 0xF2u

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_PROCESSARGS_H_ */
