/* logproto.h — the wire protocol of confused_deputy's logging service.
 *
 * One request per channel message (a zx_channel_call: the transaction id
 * comes first), answered by one LogReply carrying the same id:
 *   LOG_OP_APPEND_PATH  bytes: LogRequest, then path_len bytes of a path
 *                       (relative to the service's /data), then text_len
 *                       bytes of text. The vulnerable protocol: the client
 *                       NAMES the file, the service opens it with its own
 *                       authority.
 *   LOG_OP_APPEND_FILE  bytes: LogRequest, then text_len bytes of text;
 *                       one handle: a file the client opened itself (a
 *                       fuchsia.io file connection). The mitigated
 *                       protocol: the client DESIGNATES the file by a
 *                       capability it already holds.
 */
#ifndef CAPSIM_ATTACKS_LOGPROTO_H
#define CAPSIM_ATTACKS_LOGPROTO_H

#include <stdint.h>

#define LOG_OP_APPEND_PATH 1u
#define LOG_OP_APPEND_FILE 2u
#define LOG_MAX_MSG 512u

typedef struct LogRequest {
    uint32_t txid;             /* zx_channel_call's transaction id */
    uint32_t op;
    uint32_t path_len;
    uint32_t text_len;
} LogRequest;

typedef struct LogReply {
    uint32_t txid;             /* the request's */
    int32_t status;            /* ZX_OK or why not */
    uint32_t written;          /* bytes appended */
} LogReply;

#endif
