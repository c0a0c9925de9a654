/* double_fetch.h — the wire format shared by the double_fetch actors.
 *
 * The client and the server share one VMO (the client creates it and sends
 * the server a handle in its first message). A request is written into the
 * VMO as a DfRequest; a 4-byte channel message "req\0" tells the server to
 * look. The server answers each request with a DfReply on the channel.
 * `len` lives in memory the client can still write while the server works:
 * a server that reads it twice (check, then use) can be made to use a
 * value it never checked.
 */
#ifndef CAPSIM_ATTACKS_DOUBLE_FETCH_H
#define CAPSIM_ATTACKS_DOUBLE_FETCH_H

#include <stdint.h>

#define DF_VMO_SIZE 4096u
#define DF_BODY_MAX 64u        /* the server's buffer: what `len` may be */
#define DF_DATA_SIZE 128u

typedef struct DfRequest {
    uint32_t len;              /* bytes of data[] to copy: <= DF_BODY_MAX */
    uint32_t seq;
    char data[DF_DATA_SIZE];
} DfRequest;

typedef struct DfReply {
    int32_t status;            /* ZX_OK, or ZX_ERR_OUT_OF_RANGE (rejected) */
    uint32_t copied;           /* bytes the server copied */
    char role[16];             /* the session's role after the request */
} DfReply;

#endif
