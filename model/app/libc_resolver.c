/* libc_resolver.c — the DNS resolver's calls, interposed for apps.
 *
 * Models: Fuchsia's libc (musl) keeps its resolver's calls, but reads no
 * /etc/resolv.conf: its configuration step fails outright, so every query
 * fails before a socket is made or a packet sent (and a process without
 * the socket provider could not send one anyway). Without these an app's
 * res_query() read the HOST's /etc/resolv.conf and sent DNS queries from
 * the host to its name servers.
 *
 *   res_query, res_search, res_querydomain, res_send (and glibc's older
 *   __res_ names)            -1; errno and h_errno untouched, as musl
 *   res_nquery, res_nsearch, res_nquerydomain, res_nsend (glibc's forms
 *   with a state)            -1, the same
 *   res_init (__res_init)    0, reading nothing (musl's)
 *   res_ninit (__res_ninit)  0, the state set to a resolver with no name
 *                            server (nscount 0, default options, timeout
 *                            and tries, ndots 1, no open socket)
 *   res_nclose (__res_nclose)   nothing (no socket was opened)
 *
 * Left to libc: res_mkquery and res_nmkquery (glibc's reads
 * /etc/resolv.conf for its options first), dn_comp, dn_expand and the
 * other message helpers (they read and write memory only).
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_interfaces.c.
 */
#include <errno.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"

/* A query that fails in app code (-1) and is libc's otherwise. */
#define RESOLVER_FAILS(name, params, args)                                     \
    LIBC_NEXT_SLOT(name);                                                      \
    int name params                                                            \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(int (*) params, name) args;                       \
        return -1;                                                             \
    }

#define RESOLVER_QUERY_PARAMS                                                  \
    (const char *n, int cl, int ty, unsigned char *ans, int len), (n, cl, ty, ans, len)
#define RESOLVER_DOMAIN_PARAMS                                                 \
    (const char *n, const char *d, int cl, int ty, unsigned char *ans, int len),              \
        (n, d, cl, ty, ans, len)
#define RESOLVER_SEND_PARAMS                                                   \
    (const unsigned char *m, int mlen, unsigned char *ans, int len), (m, mlen, ans, len)

/* Expands the parameter pair of a name. */
#define RESOLVER_FAILS_WITH(name, pair) RESOLVER_FAILS_PAIR(name, pair)
#define RESOLVER_FAILS_PAIR(name, params, args) RESOLVER_FAILS(name, params, args)

RESOLVER_FAILS_WITH(res_query, RESOLVER_QUERY_PARAMS)
RESOLVER_FAILS_WITH(res_search, RESOLVER_QUERY_PARAMS)
RESOLVER_FAILS_WITH(res_querydomain, RESOLVER_DOMAIN_PARAMS)
RESOLVER_FAILS_WITH(res_send, RESOLVER_SEND_PARAMS)
RESOLVER_FAILS_WITH(__res_query, RESOLVER_QUERY_PARAMS)
RESOLVER_FAILS_WITH(__res_search, RESOLVER_QUERY_PARAMS)
RESOLVER_FAILS_WITH(__res_querydomain, RESOLVER_DOMAIN_PARAMS)
RESOLVER_FAILS_WITH(__res_send, RESOLVER_SEND_PARAMS)

RESOLVER_FAILS(res_nquery, (res_state st, const char *n, int cl, int ty, unsigned char *ans,
                            int len), (st, n, cl, ty, ans, len))
RESOLVER_FAILS(res_nsearch, (res_state st, const char *n, int cl, int ty, unsigned char *ans,
                             int len), (st, n, cl, ty, ans, len))
RESOLVER_FAILS(res_nquerydomain, (res_state st, const char *n, const char *d, int cl, int ty,
                                  unsigned char *ans, int len), (st, n, d, cl, ty, ans, len))
RESOLVER_FAILS(res_nsend, (res_state st, const unsigned char *m, int mlen, unsigned char *ans,
                           int len), (st, m, mlen, ans, len))

LIBC_NEXT_SLOT(__res_init);
int __res_init(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(void), __res_init)();
    return 0;
}

LIBC_NEXT_SLOT(__res_ninit);
int __res_ninit(res_state st)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(res_state), __res_ninit)(st);
    memset(st, 0, sizeof *st);
    st->retrans = RES_TIMEOUT;
    st->retry = RES_DFLRETRY;
    st->options = RES_INIT | RES_DEFAULT;
    st->ndots = 1;
    st->_vcsock = -1;
    return 0;
}

LIBC_NEXT_SLOT(__res_nclose);
void __res_nclose(res_state st)
{
    if (!app_world_in_app_code())
        LIBC_NEXT(void (*)(res_state), __res_nclose)(st);
}
