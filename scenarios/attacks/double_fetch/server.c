/* server.c — double_fetch, the server (built instrumented: every basic
 * block edge is a preemption point, so the scheduler can switch threads
 * between any two statements).
 *
 * What it models: a server that takes requests through shared memory. Its
 * session keeps the request body in a 64-byte buffer followed by the
 * session's role ("guest"). Two ways to read a request (argv[1]):
 *
 *   --fetch-twice  (vulnerable) check `len` in shared memory, then read it
 *                  AGAIN to copy. If the client changes it in between, the
 *                  copy runs past the buffer into `role`.
 *   --fetch-once   (mitigated) copy the header into private memory once,
 *                  check the copy, use the copy.
 *
 * The overflow stays inside the session struct (the copy is bounded by the
 * shared data size, which fits the struct), so the simulator never sees
 * memory corruption, only the server's own state going wrong: it prints
 * "OVERFLOW" and its role turns into whatever the client wrote past the
 * buffer. Exit code: 1 if any request overflowed the buffer, 0 if not.
 *
 * Startup handles: PA_HND(PA_USER0, 0), a channel to the client. The first
 * message carries the shared VMO. Read next: client.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "double_fetch.h"

static struct {
    char body[DF_BODY_MAX];
    char role[16];
    char spare[DF_DATA_SIZE - DF_BODY_MAX]; /* keeps every copy inside */
} server_session = {.role = "guest"};

static int server_overflows;

/* Copy n bytes of the request body into the session, byte by byte. */
static void server_copy(const volatile DfRequest *r, uint32_t n)
{
    unsigned char *dst = (unsigned char *)&server_session;
    for (uint32_t i = 0; i < n && i < DF_DATA_SIZE; i++)
        dst[offsetof(__typeof__(server_session), body) + i] = (unsigned char)r->data[i];
}

/* Vulnerable: `len` is fetched from shared memory twice. */
static zx_status_t server_fetch_twice(const volatile DfRequest *r, uint32_t *copied)
{
    if (r->len > DF_BODY_MAX)              /* fetch 1: the check */
        return ZX_ERR_OUT_OF_RANGE;
    *copied = r->len;                      /* fetch 2: the use */
    server_copy(r, *copied);
    return ZX_OK;
}

/* Mitigated: the header is copied once; only the private copy is used. */
static zx_status_t server_fetch_once(const volatile DfRequest *r, uint32_t *copied)
{
    DfRequest hdr;
    hdr.len = r->len;                      /* the only fetch */
    hdr.seq = r->seq;
    if (hdr.len > DF_BODY_MAX)
        return ZX_ERR_OUT_OF_RANGE;
    *copied = hdr.len;
    server_copy(r, hdr.len);
    return ZX_OK;
}

static void server_reply(zx_handle_t ch, zx_status_t s, uint32_t copied, uint32_t seq)
{
    DfReply rep = {.status = s, .copied = copied};
    memcpy(rep.role, server_session.role, sizeof rep.role - 1);
    if (s == ZX_OK && copied > DF_BODY_MAX) {
        server_overflows++;
        printf("server: request %u: OVERFLOW: copied %u bytes into a %u-byte buffer; "
               "role is now '%.15s'\n", seq, copied, DF_BODY_MAX, rep.role);
    } else {
        printf("server: request %u: %s, %u bytes, role '%.15s'\n", seq,
               s == ZX_OK ? "served" : "rejected", copied, rep.role);
    }
    zx_channel_write(ch, 0, &rep, sizeof rep, NULL, 0);
}

int main(int argc, char **argv)
{
    int twice = argc > 1 && strcmp(argv[1], "--fetch-twice") == 0;
    zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    zx_vaddr_t addr = 0;
    char msg[8];
    uint32_t n = 0, nh = 0;
    printf("server: reading requests with %s\n", twice ? "a double fetch" : "one fetch");
    zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL);
    if (zx_channel_read(ch, 0, msg, &vmo, sizeof msg, 1, &n, &nh) != ZX_OK || nh != 1 ||
        zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, vmo, 0, DF_VMO_SIZE, &addr) != ZX_OK) {
        printf("server: no shared buffer\n");
        return 2;
    }
    const volatile DfRequest *r = (const volatile DfRequest *)addr;
    for (;;) {
        zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE,
                           NULL);
        if (zx_channel_read(ch, 0, msg, NULL, sizeof msg, 0, &n, NULL) != ZX_OK)
            break;
        uint32_t copied = 0;
        zx_status_t s = twice ? server_fetch_twice(r, &copied) : server_fetch_once(r, &copied);
        server_reply(ch, s, copied, r->seq);
    }
    printf("server: client gone after %d overflow(s)\n", server_overflows);
    return server_overflows ? 1 : 0;
}
