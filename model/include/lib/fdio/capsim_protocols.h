/*
 * capsim — <lib/fdio/capsim_protocols.h>
 *
 * The small protocols spoken by capsim's simulated drivers and services,
 * over channels obtained by opening their paths (/dev/class/framebuffer/000,
 * /svc/fidl.examples.echo.Echo...). Every message starts with the FioHeader
 * of <lib/fdio/io.h>; requests are answered with the same txid
 * (zx_channel_call). Layouts are documented in docs/io-protocol.md.
 *
 * These are capsim's own (Fuchsia's framebuffer, input and logger protocols
 * are much larger FIDL libraries); only the service names follow Fuchsia.
 * Flat C (no function-like macros) so bindings read it.
 */
#ifndef LIB_FDIO_CAPSIM_PROTOCOLS_H_
#define LIB_FDIO_CAPSIM_PROTOCOLS_H_

#include <stdint.h>
#include <lib/fdio/io.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- service names (entries of /svc) ------------------------------------ */
#define CAPSIM_SERVICE_LOGGER "fuchsia.logger.LogSink"
#define CAPSIM_SERVICE_ECHO "fidl.examples.echo.Echo"
#define CAPSIM_SERVICE_SECRETS "capsim.Secrets"

/* A request or reply carrying `len` bytes after the struct. */
typedef struct CapsimBytesMsg {
    FioHeader hdr;
    zx_status_t status;      /* replies; 0 in requests */
    uint32_t len;
} CapsimBytesMsg;

/* ---- framebuffer (/dev/class/framebuffer/NNN) ------------------------- */
#define CAPSIM_FB_OP_GET_INFO 0x1001u  /* -> CapsimFbInfoReply */
#define CAPSIM_FB_OP_GET_VMO 0x1002u   /* -> CapsimFbInfoReply + 1 VMO handle */
#define CAPSIM_FB_OP_FLUSH 0x1003u     /* -> CapsimFbInfoReply (frames counted) */
#define CAPSIM_FB_FORMAT_ARGB_8888 1u

typedef struct CapsimFbInfoReply {
    FioHeader hdr;
    zx_status_t status;
    uint32_t format;         /* CAPSIM_FB_FORMAT_* */
    uint32_t width, height;  /* pixels */
    uint32_t stride;         /* pixels per row */
    uint32_t pixel_size;     /* bytes per pixel */
    uint64_t frames;         /* flushes so far */
} CapsimFbInfoReply;

/* ---- input (/dev/class/input/NNN) -------------------------------------- */
#define CAPSIM_INPUT_OP_GET_INFO 0x1101u     /* -> CapsimInputReport (seq 0) */
#define CAPSIM_INPUT_OP_READ_REPORT 0x1102u  /* -> CapsimInputReport */
#define CAPSIM_INPUT_DEVICE_MOUSE 2u

typedef struct CapsimInputReport {
    FioHeader hdr;
    zx_status_t status;
    uint32_t device;         /* CAPSIM_INPUT_DEVICE_* */
    uint64_t seq;            /* 1, 2, 3... (0 in GET_INFO) */
    int64_t time;            /* virtual ns the report was made */
    int32_t x, y;            /* pointer position */
    uint32_t buttons;
    uint32_t reserved;
} CapsimInputReport;

/* ---- fuchsia.logger.LogSink (capsim's cut) ---------------------------- */
#define CAPSIM_LOG_OP_WRITE 0x1201u  /* one-way CapsimBytesMsg; status = severity */
#define CAPSIM_LOG_OP_COUNT 0x1202u  /* -> CapsimBytesMsg, len = messages logged */

/* ---- fidl.examples.echo.Echo ------------------------------------------- */
#define CAPSIM_ECHO_OP_ECHO 0x1301u  /* CapsimBytesMsg -> the same bytes back */

/* ---- capsim.Secrets: hands out a secret to whoever can reach it --------- */
#define CAPSIM_SECRETS_OP_GET 0x1401u /* CapsimBytesMsg(name) -> value or NOT_FOUND */

#ifdef __cplusplus
}
#endif

#endif
