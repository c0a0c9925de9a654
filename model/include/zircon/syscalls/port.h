/*
 * capsim — <zircon/syscalls/port.h>
 *
 * Port packets and the options of zx_object_wait_async()/zx_port_create().
 * zx_port_packet_t is a 48-byte record: key, type, status, then a 32-byte
 * type-specific payload. Packet type numbers, payload layouts and option
 * bits mirror Zircon's public ABI.
 */
#ifndef ZIRCON_SYSCALLS_PORT_H_
#define ZIRCON_SYSCALLS_PORT_H_

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

/* ---- zx_object_wait_async() options ----------------------------------- */
#define ZX_WAIT_ASYNC_ONCE ((uint32_t)0u) /* legacy name for "no options" */
#define ZX_WAIT_ASYNC_TIMESTAMP ((uint32_t)1u)
#define ZX_WAIT_ASYNC_EDGE ((uint32_t)2u)
#define ZX_WAIT_ASYNC_BOOT_TIMESTAMP ((uint32_t)4u)

/* ---- packet types ----------------------------------------------------- */
typedef uint32_t zx_packet_type_t;

#define ZX_PKT_TYPE_USER ((zx_packet_type_t)0x00u)
#define ZX_PKT_TYPE_SIGNAL_ONE ((zx_packet_type_t)0x01u)
/* 0x02 is retired (was SIGNAL_REP). */
#define ZX_PKT_TYPE_GUEST_BELL ((zx_packet_type_t)0x03u)
#define ZX_PKT_TYPE_GUEST_MEM ((zx_packet_type_t)0x04u)
#define ZX_PKT_TYPE_GUEST_IO ((zx_packet_type_t)0x05u)
#define ZX_PKT_TYPE_GUEST_VCPU ((zx_packet_type_t)0x06u)
#define ZX_PKT_TYPE_INTERRUPT ((zx_packet_type_t)0x07u)
#define ZX_PKT_TYPE_PAGE_REQUEST ((zx_packet_type_t)0x09u)
/* 0x0A is reserved; 0xFFFFFFFF is kernel-internal. */

/* zx_port_create() options */
#define ZX_PORT_BIND_TO_INTERRUPT ((uint32_t)(0x1u << 0))

#define ZX_PKT_IS_USER(type) ((type) == ZX_PKT_TYPE_USER)
#define ZX_PKT_IS_SIGNAL_ONE(type) ((type) == ZX_PKT_TYPE_SIGNAL_ONE)
#define ZX_PKT_IS_GUEST_BELL(type) ((type) == ZX_PKT_TYPE_GUEST_BELL)
#define ZX_PKT_IS_GUEST_MEM(type) ((type) == ZX_PKT_TYPE_GUEST_MEM)
#define ZX_PKT_IS_GUEST_IO(type) ((type) == ZX_PKT_TYPE_GUEST_IO)
#define ZX_PKT_IS_GUEST_VCPU(type) ((type) == ZX_PKT_TYPE_GUEST_VCPU)
#define ZX_PKT_IS_INTERRUPT(type) ((type) == ZX_PKT_TYPE_INTERRUPT)
#define ZX_PKT_IS_PAGE_REQUEST(type) ((type) == ZX_PKT_TYPE_PAGE_REQUEST)

/* zx_packet_guest_vcpu_t.type */
#define ZX_PKT_GUEST_VCPU_INTERRUPT ((uint32_t)0)
#define ZX_PKT_GUEST_VCPU_STARTUP ((uint32_t)1)

/* zx_packet_page_request_t.command */
#define ZX_PAGER_VMO_READ ((uint16_t)0)
#define ZX_PAGER_VMO_COMPLETE ((uint16_t)1)
#define ZX_PAGER_VMO_DIRTY ((uint16_t)2)

/* ---- payloads (32 bytes each) ----------------------------------------- */
/* ZX_PKT_TYPE_USER: opaque bytes delivered as queued. */
typedef union zx_packet_user {
  uint64_t u64[4];
  uint32_t u32[8];
  uint16_t u16[16];
  uint8_t c8[32];
} zx_packet_user_t;

/* ZX_PKT_TYPE_SIGNAL_ONE: result of zx_object_wait_async(). */
typedef struct zx_packet_signal {
  zx_signals_t trigger;  /* the `signals` argument of the wait */
  zx_signals_t observed; /* signals active when it fired (OR-accumulated) */
  uint64_t count;        /* always 1 */
  zx_time_t timestamp;   /* 0 unless a timestamp option was given */
  uint64_t reserved1;
} zx_packet_signal_t;

typedef struct zx_packet_guest_bell {
  zx_gpaddr_t addr;
  uint64_t reserved0;
  uint64_t reserved1;
  uint64_t reserved2;
} zx_packet_guest_bell_t;

typedef struct zx_packet_guest_mem {
  zx_gpaddr_t addr;
#if defined(__aarch64__)
  uint8_t access_size;
  bool sign_extend;
  uint8_t xt;
  bool read;
  uint8_t padding1[4];
  uint64_t data;
  uint64_t reserved;
#elif defined(__x86_64__)
  zx_gpaddr_t cr3;
  zx_vaddr_t rip;
  uint8_t instruction_size;
  uint8_t default_operand_size;
  uint8_t reserved[6];
#else
  uint64_t reserved[3];
#endif
} zx_packet_guest_mem_t;

typedef struct zx_packet_guest_io {
  uint16_t port;
  uint8_t access_size;
  bool input;
  union {
    _ZX_EXTENSION struct {
      uint8_t u8;
      uint8_t padding1[3];
    };
    _ZX_EXTENSION struct {
      uint16_t u16;
      uint8_t padding2[2];
    };
    uint32_t u32;
    uint8_t data[4];
  };
  uint64_t reserved0;
  uint64_t reserved1;
  uint64_t reserved2;
} zx_packet_guest_io_t;

typedef struct zx_packet_guest_vcpu {
  uint32_t type; /* ZX_PKT_GUEST_VCPU_* */
  uint8_t padding1[4];
  union {
    struct {
      uint64_t mask;
      uint8_t vector;
      uint8_t padding1[7];
    } interrupt;
    struct {
      uint64_t id;
      zx_gpaddr_t entry;
    } startup;
  };
  uint64_t reserved;
} zx_packet_guest_vcpu_t;

typedef struct zx_packet_interrupt {
  zx_instant_boot_t timestamp;
  uint64_t reserved0;
  uint64_t reserved1;
  uint64_t reserved2;
} zx_packet_interrupt_t;

typedef struct zx_packet_page_request {
  uint16_t command; /* ZX_PAGER_VMO_* */
  uint16_t flags;
  uint32_t reserved0;
  uint64_t offset;
  uint64_t length;
  uint64_t reserved1;
} zx_packet_page_request_t;

typedef struct zx_packet_processor_power_level_transition_request {
  uint32_t domain_id;
  uint32_t options;
  uint64_t control_interface;
  uint64_t control_argument;
  uint64_t reserved;
} zx_packet_processor_power_level_transition_request_t;

/* ---- the packet ------------------------------------------------------- */
typedef struct zx_port_packet {
  uint64_t key;
  zx_packet_type_t type;
  zx_status_t status; /* ZX_OK for kernel-generated packets */
  union {
    zx_packet_user_t user;
    zx_packet_signal_t signal;
    zx_packet_guest_bell_t guest_bell;
    zx_packet_guest_mem_t guest_mem;
    zx_packet_guest_io_t guest_io;
    zx_packet_guest_vcpu_t guest_vcpu;
    zx_packet_interrupt_t interrupt;
    zx_packet_page_request_t page_request;
    zx_packet_processor_power_level_transition_request_t processor_power_level_transition;
  };
} zx_port_packet_t;

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_PORT_H_ */
