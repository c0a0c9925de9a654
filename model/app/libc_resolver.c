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
 *   res_mkquery, res_nmkquery (+__res_mkquery)
 *                            musl's query: the header (its id from the
 *                            nanoseconds of the realtime clock, here the
 *                            virtual one; recursion desired; one question)
 *                            and the question; -1 for an opcode past 15, a
 *                            class or type past 255, a name past 253
 *                            characters or with an empty or 64-character
 *                            label, or no room. glibc's read
 *                            /etc/resolv.conf for its options first
 *
 * Left to libc: dn_comp, dn_expand and the other message helpers (they
 * read and write memory only).
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_interfaces.c.
 */
#include <errno.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>
#include <time.h>

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

/* A query message for dname into buf (musl's layout): its length, or -1. */
static int resolver_make_query(int op, const char *dname, int class, int type,
                               unsigned char *buf, int buflen)
{
    size_t len = strnlen(dname, 255);
    if (len && dname[len - 1] == '.')
        len--;
    int n = 17 + (int)len + (len > 0);
    if (len > 253 || buflen < n || (unsigned)op > 15 || (unsigned)class > 255 ||
        (unsigned)type > 255)
        return -1;
    unsigned char q[280];
    memset(q, 0, (size_t)n);
    q[2] = (unsigned char)(op * 8 + 1); /* the opcode; recursion desired */
    q[5] = 1;                           /* one question */
    memcpy(q + 13, dname, len);
    size_t at = 13;                     /* each label's first byte */
    while (q[at]) {
        size_t end = at;
        while (q[end] && q[end] != '.')
            end++;
        if (end == at || end - at > 63)
            return -1;
        q[at - 1] = (unsigned char)(end - at);
        at = end + 1;
    }
    q[at + 1] = (unsigned char)type;
    q[at + 3] = (unsigned char)class;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now); /* the process's virtual clock */
    unsigned id = (unsigned)(now.tv_nsec + now.tv_nsec / 65536) & 0xffff;
    q[0] = (unsigned char)(id >> 8);
    q[1] = (unsigned char)id;
    memcpy(buf, q, (size_t)n);
    return n;
}

#define RESOLVER_MKQUERY_PARAMS                                                \
    (int op, const char *d, int cl, int ty, const unsigned char *data, int dlen,             \
     const unsigned char *rr, unsigned char *buf, int blen)
#define RESOLVER_MKQUERY_ARGS (op, d, cl, ty, data, dlen, rr, buf, blen)

/* res_mkquery under the name `name`: musl's query in app code. */
#define RESOLVER_MKQUERY(name)                                                 \
    LIBC_NEXT_SLOT(name);                                                      \
    int name RESOLVER_MKQUERY_PARAMS                                           \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(int (*) RESOLVER_MKQUERY_PARAMS, name) RESOLVER_MKQUERY_ARGS; \
        return resolver_make_query(op, d, cl, ty, buf, blen);                  \
    }

RESOLVER_MKQUERY(res_mkquery)
RESOLVER_MKQUERY(__res_mkquery)

LIBC_NEXT_SLOT(res_nmkquery);
int res_nmkquery(res_state st, int op, const char *d, int cl, int ty,
                 const unsigned char *data, int dlen, const unsigned char *rr,
                 unsigned char *buf, int blen)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(res_state, int, const char *, int, int, const unsigned char *,
                                 int, const unsigned char *, unsigned char *, int),
                         res_nmkquery)(st, op, d, cl, ty, data, dlen, rr, buf, blen);
    return resolver_make_query(op, d, cl, ty, buf, blen);
}
