/*
 * capsim — <lib/fdio/io.h>
 *
 * The directory/file protocol capsim's servers speak over channels, modeled
 * on fuchsia.io (io1): Directory.Open with flags and rights, Node.Clone,
 * Describe, GetAttr, Close, File.Read/Write/Seek/Truncate/GetBuffer,
 * Directory.ReadDirents/Rewind/Unlink, and the OnOpen event. Flag, mode,
 * dirent and limit values are fuchsia.io's; the byte layout of messages is
 * capsim's own (fixed C structs, documented in docs/io-protocol.md) rather
 * than FIDL's wire format. Requests begin with a FioHeader whose txid the
 * reply repeats (zx_channel_call fills it); events carry txid 0.
 *
 * Also here, as in Fuchsia's header of this name: fdio_get_vmo_copy and
 * fdio_get_vmo_exec. Flat C (no function-like macros) so bindings read it.
 */
#ifndef LIB_FDIO_IO_H_
#define LIB_FDIO_IO_H_

#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits (fuchsia.io) ---------------------------------------------- */
#define FIO_MAX_PATH 4095u      /* bytes in a path sent to a server */
#define FIO_MAX_FILENAME 255u   /* bytes in one path segment */
#define FIO_MAX_BUF 8192u       /* bytes per Read/Write/ReadDirents */

/* ---- open flags and rights (fuchsia.io io1 values) --------------------- */
#define FIO_OPEN_RIGHT_READABLE 0x00000001u
#define FIO_OPEN_RIGHT_WRITABLE 0x00000002u
#define FIO_OPEN_RIGHT_ADMIN 0x00000004u
#define FIO_OPEN_RIGHT_EXECUTABLE 0x00000008u
#define FIO_OPEN_RIGHTS_MASK 0x0000000Fu
#define FIO_OPEN_FLAG_CREATE 0x00010000u
#define FIO_OPEN_FLAG_CREATE_IF_ABSENT 0x00020000u
#define FIO_OPEN_FLAG_TRUNCATE 0x00040000u
#define FIO_OPEN_FLAG_DIRECTORY 0x00080000u
#define FIO_OPEN_FLAG_APPEND 0x00100000u
#define FIO_OPEN_FLAG_NO_REMOTE 0x00200000u
#define FIO_OPEN_FLAG_NODE_REFERENCE 0x00400000u
#define FIO_OPEN_FLAG_DESCRIBE 0x00800000u
#define FIO_OPEN_FLAG_POSIX 0x01000000u
#define FIO_CLONE_FLAG_SAME_RIGHTS 0x04000000u
#define FIO_OPEN_FLAG_NOT_DIRECTORY 0x20000000u

/* ---- modes (NodeAttributes.mode, Open's mode for CREATE) --------------- */
#define FIO_MODE_TYPE_MASK 0x3F000u
#define FIO_MODE_TYPE_DIRECTORY 0x04000u
#define FIO_MODE_TYPE_FILE 0x08000u
#define FIO_MODE_TYPE_SERVICE 0x10000u

/* ---- dirent types ------------------------------------------------------ */
#define FIO_DIRENT_TYPE_UNKNOWN 0u
#define FIO_DIRENT_TYPE_DIRECTORY 4u
#define FIO_DIRENT_TYPE_FILE 8u
#define FIO_DIRENT_TYPE_SERVICE 16u
#define FIO_INO_UNKNOWN 0xFFFFFFFFFFFFFFFFull
/* A dirent in ReadDirents output: u64 ino, u8 name size, u8 type, then the
 * name (not NUL-terminated); entries are packed back to back. */
#define FIO_DIRENT_HEADER_SIZE 10u

/* ---- NodeInfo tags (Describe, OnOpen) ---------------------------------- */
#define FIO_NODE_INFO_SERVICE 1u
#define FIO_NODE_INFO_FILE 2u
#define FIO_NODE_INFO_DIRECTORY 3u
#define FIO_NODE_INFO_DEVICE 6u

/* ---- Seek origins, GetBuffer flags ------------------------------------- */
#define FIO_SEEK_START 0u
#define FIO_SEEK_CURRENT 1u
#define FIO_SEEK_END 2u
#define FIO_VMO_FLAG_READ 0x00000001u
#define FIO_VMO_FLAG_WRITE 0x00000002u
#define FIO_VMO_FLAG_EXEC 0x00000004u
#define FIO_VMO_FLAG_PRIVATE 0x00010000u
#define FIO_VMO_FLAG_EXACT 0x00020000u

/* ---- ordinals ------------------------------------------------------------
 * capsim numbers them itself (fuchsia.io's are hashes of the method names). */
#define FIO_OP_CLONE 0x0101u
#define FIO_OP_CLOSE 0x0102u
#define FIO_OP_DESCRIBE 0x0103u
#define FIO_OP_GET_ATTR 0x0104u
#define FIO_OP_READ 0x0201u
#define FIO_OP_WRITE 0x0202u
#define FIO_OP_SEEK 0x0203u
#define FIO_OP_TRUNCATE 0x0204u
#define FIO_OP_GET_BUFFER 0x0205u
#define FIO_OP_OPEN 0x0301u
#define FIO_OP_READ_DIRENTS 0x0302u
#define FIO_OP_REWIND 0x0303u
#define FIO_OP_UNLINK 0x0304u
#define FIO_EVT_ON_OPEN 0x0401u

/* ---- messages ------------------------------------------------------------ */
typedef struct FioHeader {
    zx_txid_t txid;          /* 0 for events and one-way messages */
    uint32_t reserved;
    uint64_t ordinal;
} FioHeader;

/* Open: one handle (the server end of the new connection). The path bytes
 * (path_len of them, no NUL) follow the struct. */
typedef struct FioOpenRequest {
    FioHeader hdr;
    uint32_t flags;
    uint32_t mode;
    uint32_t path_len;
    uint32_t reserved;
} FioOpenRequest;

/* Clone: one handle (the server end of the new connection). */
typedef struct FioCloneRequest {
    FioHeader hdr;
    uint32_t flags;
    uint32_t reserved;
} FioCloneRequest;

typedef struct FioNodeInfo {
    uint32_t tag;            /* FIO_NODE_INFO_* */
    uint32_t reserved;
} FioNodeInfo;

/* OnOpen: sent on the new connection when Open/Clone asked for DESCRIBE. */
typedef struct FioOnOpenEvent {
    FioHeader hdr;
    zx_status_t status;
    uint32_t has_info;       /* 1 when status is ZX_OK */
    FioNodeInfo info;
} FioOnOpenEvent;

/* Close, Truncate, Rewind, Unlink replies. */
typedef struct FioStatusReply {
    FioHeader hdr;
    zx_status_t status;
    uint32_t reserved;
} FioStatusReply;

typedef struct FioDescribeReply {
    FioHeader hdr;
    FioNodeInfo info;
} FioDescribeReply;

typedef struct FioNodeAttributes {
    uint32_t mode;           /* FIO_MODE_TYPE_* | permission bits */
    uint32_t reserved;
    uint64_t id;             /* inode number */
    uint64_t content_size;
    uint64_t storage_size;
    uint64_t link_count;
    uint64_t creation_time;  /* virtual ns */
    uint64_t modification_time;
} FioNodeAttributes;

typedef struct FioGetAttrReply {
    FioHeader hdr;
    zx_status_t status;
    uint32_t reserved;
    FioNodeAttributes attributes;
} FioGetAttrReply;

/* Read and ReadDirents ask for up to `count` bytes (<= FIO_MAX_BUF); the
 * reply's `actual` bytes follow it. */
typedef struct FioCountRequest {
    FioHeader hdr;
    uint64_t count;
} FioCountRequest;

typedef struct FioDataReply {
    FioHeader hdr;
    zx_status_t status;
    uint32_t reserved;
    uint64_t actual;
} FioDataReply;

/* Write: `count` bytes follow the struct; the reply is a FioDataReply with
 * the number written. Truncate uses FioCountRequest (count = new length). */
typedef FioCountRequest FioWriteRequest;

typedef struct FioSeekRequest {
    FioHeader hdr;
    int64_t offset;
    uint32_t origin;         /* FIO_SEEK_* */
    uint32_t reserved;
} FioSeekRequest;

typedef struct FioSeekReply {
    FioHeader hdr;
    zx_status_t status;
    uint32_t reserved;
    uint64_t offset;
} FioSeekReply;

/* Unlink: name_len bytes of the name follow. */
typedef struct FioUnlinkRequest {
    FioHeader hdr;
    uint32_t name_len;
    uint32_t reserved;
} FioUnlinkRequest;

/* GetBuffer: on ZX_OK the reply carries one VMO handle. */
typedef struct FioGetBufferRequest {
    FioHeader hdr;
    uint32_t flags;          /* FIO_VMO_FLAG_* */
    uint32_t reserved;
} FioGetBufferRequest;

typedef struct FioGetBufferReply {
    FioHeader hdr;
    zx_status_t status;
    uint32_t reserved;
    uint64_t size;
} FioGetBufferReply;

/* ---- fdio helpers over the protocol ------------------------------------ */
/* A private copy of the file open on `fd` (GetBuffer READ|PRIVATE). */
zx_status_t fdio_get_vmo_copy(int fd, zx_handle_t *out_vmo);
/* An executable VMO for the file (needs an EXECUTABLE connection). */
zx_status_t fdio_get_vmo_exec(int fd, zx_handle_t *out_vmo);

#ifdef __cplusplus
}
#endif

#endif
