/* bank.c — an account, shared badly or served well.
 *
 * Scenario double_withdraw (scenarios/library/double_withdraw.py). Roles:
 *   withdrawer AMOUNT direct   startup handle 0 is the account VMO itself
 *                              (8 bytes, a little-endian int64 balance):
 *                              check the balance, then debit it — two
 *                              syscalls, with a window between them where
 *                              another withdrawer may run (vulnerable);
 *   withdrawer AMOUNT bank     startup handle 0 is a channel to the bank:
 *                              send the amount, wait for the answer;
 *   bank N                     startup handle 0 is the account, 1..N the
 *                              clients' channels: serve requests one at a
 *                              time until every client hung up (mitigated).
 * A withdrawer prints "withdrew A, balance now B" or "refused" and returns
 * 0 if it got the money, 1 if refused, 2 on errors.
 */
#include <stdlib.h>
#include <string.h>

#include "actor.h"

/* Check, then debit: the race is between these two syscalls. */
static int debit(zx_handle_t account, int64_t amount, int64_t *balance)
{
    if (zx_vmo_read(account, balance, 0, sizeof *balance) != ZX_OK)
        return 2;
    if (*balance < amount)
        return 1;
    *balance -= amount;
    return zx_vmo_write(account, balance, 0, sizeof *balance) == ZX_OK ? 0 : 2;
}

static int withdraw_via_bank(zx_handle_t ch, int64_t amount, int64_t *balance)
{
    int64_t reply[2];
    uint32_t n = 0;
    zx_status_t st = zx_channel_write(ch, 0, &amount, sizeof amount, NULL, 0);
    if (st == ZX_OK)
        st = zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
                                ZX_TIME_INFINITE, NULL);
    if (st == ZX_OK)
        st = zx_channel_read(ch, 0, reply, NULL, sizeof reply, 0, &n, NULL);
    if (st != ZX_OK || n != sizeof reply)
        return 2;
    *balance = reply[1];
    return (int)reply[0];
}

static int withdrawer(const char *name, int64_t amount, const char *mode)
{
    zx_handle_t h = actor_handle(0);
    int64_t balance = 0;
    int rc = strcmp(mode, "bank") == 0 ? withdraw_via_bank(h, amount, &balance)
                                        : debit(h, amount, &balance);
    if (rc == 0)
        printf("%s: withdrew %lld, balance now %lld\n", name, (long long)amount,
               (long long)balance);
    else if (rc == 1)
        printf("%s: refused: balance %lld < %lld\n", name, (long long)balance,
               (long long)amount);
    else
        printf("%s: error\n", name);
    return rc;
}

static void bank_serve(zx_handle_t account, zx_handle_t client)
{
    int64_t amount, reply[2];
    uint32_t got = 0;
    if (zx_channel_read(client, 0, &amount, NULL, sizeof amount, 0, &got, NULL) != ZX_OK ||
        got != sizeof amount)
        return;
    reply[0] = debit(account, amount, &reply[1]);
    zx_channel_write(client, 0, reply, sizeof reply, NULL, 0);
}

/* Serve requests on n channels, one at a time, until all are closed. */
static int bank(zx_handle_t account, zx_handle_t *clients, size_t n)
{
    size_t open = n;
    while (open > 0) {
        zx_wait_item_t items[16];
        size_t map[16], m = 0;
        for (size_t i = 0; i < n; i++)
            if (clients[i] != ZX_HANDLE_INVALID) {
                items[m] = (zx_wait_item_t){clients[i],
                                            ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0};
                map[m++] = i;
            }
        if (zx_object_wait_many(items, m, ZX_TIME_INFINITE) != ZX_OK)
            return 2;
        for (size_t j = 0; j < m; j++) {
            zx_handle_t *c = &clients[map[j]];
            if (items[j].pending & ZX_CHANNEL_READABLE) {
                bank_serve(account, *c);
            } else if (items[j].pending & ZX_CHANNEL_PEER_CLOSED) {
                zx_handle_close(*c);
                *c = ZX_HANDLE_INVALID;
                open--;
            }
        }
    }
    printf("bank: all clients served\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 3 && strcmp(argv[1], "withdrawer") == 0)
        return withdrawer(argv[0], atoll(argv[2]), argv[3]);
    if (argc > 2 && strcmp(argv[1], "bank") == 0) {
        size_t n = (size_t)atoi(argv[2]);
        zx_handle_t clients[16];
        if (n < 1 || n > 16)
            return 2;
        for (size_t i = 0; i < n; i++)
            clients[i] = actor_handle((unsigned)(i + 1));
        return bank(actor_handle(0), clients, n);
    }
    printf("%s: usage: bank withdrawer AMOUNT direct|bank | bank N\n", argv[0]);
    return 2;
}
