/*
 * capsim — <zircon/syscalls/log.h>
 *
 * Debuglog record format returned by zx_debuglog_read(), severity levels and
 * the debuglog option/flag bits. The record is a 32-byte header followed by
 * up to ZX_LOG_RECORD_MAX - 32 bytes of text. Layout and values mirror
 * Zircon's public ABI.
 */
#ifndef ZIRCON_SYSCALLS_LOG_H_
#define ZIRCON_SYSCALLS_LOG_H_

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

typedef struct zx_log_record {
  uint32_t sequence; /* +1 per record entering the log; wraps at UINT32_MAX */
  uint16_t datalen;
  uint8_t severity; /* ZX_LOG_TRACE .. ZX_LOG_FATAL */
  uint8_t flags;
  zx_time_t timestamp;
  uint64_t pid;
  uint64_t tid;
  _ZX_EXTENSION char data[];
} zx_log_record_t;

/* Largest record, header included. */
#define ZX_LOG_RECORD_MAX ((size_t)256)
/* Largest payload; longer writes are truncated. */
#define ZX_LOG_RECORD_DATA_MAX (ZX_LOG_RECORD_MAX - sizeof(zx_log_record_t))

/* Severities */
#define ZX_LOG_TRACE (0x10)
#define ZX_LOG_DEBUG (0x20)
#define ZX_LOG_INFO (0x30)
#define ZX_LOG_WARNING (0x40)
#define ZX_LOG_ERROR (0x50)
#define ZX_LOG_FATAL (0x60)

/* Record flags: do not forward over the network (older trees). */
#define ZX_LOG_LOCAL (0x10)
#define ZX_LOG_FLAGS_MASK (0x10)

/* zx_debuglog_create() option: also grant READ. */
#define ZX_LOG_FLAG_READABLE 0x40000000

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_LOG_H_ */
