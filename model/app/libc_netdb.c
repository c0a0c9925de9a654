/* libc_netdb.c — name and service lookups, interposed for apps.
 *
 * Models: what Fuchsia's libc answers a process that has no name service
 * (capsim has none: no fuchsia.net.NameLookup, no socket provider).
 * Fuchsia reads no /etc/hosts or /etc/services: a name that is no address
 * literal goes to the NameLookup service, and connecting to it fails.
 * Without these an app's getaddrinfo() read the HOST's /etc/nsswitch.conf
 * and /etc/hosts and sent DNS queries from the host.
 *
 *   getaddrinfo              no name: loopback (any with AI_PASSIVE); an
 *                            IPv4 (inet_aton forms) or IPv6 literal (a
 *                            numeric %scope): that address; another name:
 *                            EAI_NONAME with AI_NUMERICHOST, else
 *                            EAI_SYSTEM with errno ENOENT (no name service);
 *                            services: numbers, or the few names Fuchsia's
 *                            libc knows (echo, ftp, ssh, telnet, tftp, http,
 *                            ntp, imap, irc, ldap, https); AI_ADDRCONFIG
 *                            changes nothing; bad flags EAI_BADFLAGS, other
 *                            families EAI_FAMILY
 *   getnameinfo              always numeric (no reverse lookup);
 *                            NI_NAMEREQD: EAI_NONAME
 *   gethostbyname(2)(_r)     getaddrinfo's answers: literals only, else
 *                            h_errno NO_RECOVERY (HOST_NOT_FOUND for
 *                            EAI_NONAME)
 *   gethostbyaddr(_r)        the address written as its name
 *   getservbyname(_r)        the table above (numbers too); else ENOENT
 *   getservbyport(_r)        the port number as the name
 *   gethostent, getservent   NULL (no database); set/end: nothing
 *
 * The results are laid out as glibc lays out its own (one allocation per
 * addrinfo with its address, the canonical name apart), so libc's
 * freeaddrinfo frees them. The non-_r functions answer in buffers of the
 * process's own (libc_static_buffers.c); h_errno is the calling thread's
 * (libc_h_errno.c). Read next: libc_protocols.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

typedef struct NetdbAddr {
    int family;
    uint8_t addr[16];
    uint32_t scope;
} NetdbAddr;

typedef struct NetdbServ {
    int port, socktype, proto;
} NetdbServ;

/* The names Fuchsia's libc knows; tcp_only ones match only for tcp. */
static const struct {
    const char *name;
    int port;
    int proto;   /* 0: any */
} netdb_services[] = {
    {"echo", 7, 0},     {"ftp", 21, IPPROTO_TCP},   {"ssh", 22, IPPROTO_TCP},
    {"telnet", 23, IPPROTO_TCP}, {"tftp", 69, IPPROTO_UDP}, {"http", 80, IPPROTO_TCP},
    {"ntp", 123, 0},    {"imap", 143, IPPROTO_TCP}, {"irc", 194, 0},
    {"ldap", 389, 0},   {"https", 443, IPPROTO_TCP},
};

static int netdb_port_of(const char *name, int proto)
{
    for (size_t i = 0; i < sizeof netdb_services / sizeof netdb_services[0]; i++)
        if (!strcmp(name, netdb_services[i].name) &&
            (!netdb_services[i].proto || netdb_services[i].proto == proto))
            return netdb_services[i].port;
    return 0;
}

/* Services for (name, socktype, proto): count, or an EAI_ error (< 0). */
static int netdb_services_of(const char *name, int socktype, int proto, int flags,
                             NetdbServ out[2])
{
    if (socktype == SOCK_STREAM) {
        if (proto && proto != IPPROTO_TCP)
            return EAI_SERVICE;
        proto = IPPROTO_TCP;
    } else if (socktype == SOCK_DGRAM) {
        if (proto && proto != IPPROTO_UDP)
            return EAI_SERVICE;
        proto = IPPROTO_UDP;
    } else if (socktype != 0) {
        if (name)
            return EAI_SERVICE;
        out[0] = (NetdbServ){0, socktype, proto};
        return 1;
    }
    char *end = (char *)"";
    unsigned long port = 0;
    if (name) {
        if (!*name)
            return EAI_SERVICE;
        port = strtoul(name, &end, 10);
    }
    if (!*end) {
        if (port > 65535)
            return EAI_SERVICE;
        int n = 0;
        if (proto != IPPROTO_UDP)
            out[n++] = (NetdbServ){(int)port, SOCK_STREAM, IPPROTO_TCP};
        if (proto != IPPROTO_TCP)
            out[n++] = (NetdbServ){(int)port, SOCK_DGRAM, IPPROTO_UDP};
        return n;
    }
    if ((flags & AI_NUMERICSERV) || !(port = (unsigned long)netdb_port_of(name, proto)))
        return EAI_SERVICE;
    out[0] = (NetdbServ){(int)port, socktype, proto};
    return 1;
}

/* An address literal: 1, or 0 if name is none for this family. */
static int netdb_literal(const char *name, int family, NetdbAddr *a)
{
    struct in_addr v4;
    if (inet_aton(name, &v4)) {
        if (family == AF_INET6)
            return 0;
        *a = (NetdbAddr){.family = AF_INET};
        memcpy(a->addr, &v4, 4);
        return 1;
    }
    if (family == AF_INET)
        return 0;
    char buf[64];
    const char *pct = strchr(name, '%');
    size_t n = pct ? (size_t)(pct - name) : strlen(name);
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, name, n);
    buf[n] = '\0';
    *a = (NetdbAddr){.family = AF_INET6};
    if (inet_pton(AF_INET6, buf, a->addr) != 1)
        return 0;
    if (pct) {
        char *end;
        unsigned long scope = strtoul(pct + 1, &end, 10);
        if (!pct[1] || *end || scope > UINT32_MAX)
            return 0;   /* an interface name would ask the host */
        a->scope = (uint32_t)scope;
    }
    return 1;
}

/* Addresses for name: count, or an EAI_ error. */
static int netdb_addrs_of(const char *name, int family, int flags, NetdbAddr out[2])
{
    int n = 0;
    if (!name) {
        if (family != AF_INET6) {
            out[n] = (NetdbAddr){.family = AF_INET};
            if (!(flags & AI_PASSIVE))
                memcpy(out[n].addr, (uint8_t[]){127, 0, 0, 1}, 4);
            n++;
        }
        if (family != AF_INET) {
            out[n] = (NetdbAddr){.family = AF_INET6};
            out[n].addr[15] = !(flags & AI_PASSIVE);
            n++;
        }
        return n;
    }
    size_t len = strnlen(name, 255);
    if (len == 0 || len >= 255)
        return EAI_NONAME;
    if (netdb_literal(name, family, &out[0]))
        return 1;
    if (flags & AI_NUMERICHOST)
        return EAI_NONAME;
    errno = ENOENT;   /* fdio_service_connect: no fuchsia.net.NameLookup */
    return EAI_SYSTEM;
}

static struct addrinfo *netdb_entry(const NetdbAddr *a, const NetdbServ *s)
{
    struct {
        struct addrinfo ai;
        union {
            struct sockaddr_in v4;
            struct sockaddr_in6 v6;
        } sa;
    } *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->ai.ai_family = a->family;
    e->ai.ai_socktype = s->socktype;
    e->ai.ai_protocol = s->proto;
    e->ai.ai_addr = (struct sockaddr *)&e->sa;
    if (a->family == AF_INET) {
        e->ai.ai_addrlen = sizeof e->sa.v4;
        e->sa.v4.sin_family = AF_INET;
        e->sa.v4.sin_port = htons((uint16_t)s->port);
        memcpy(&e->sa.v4.sin_addr, a->addr, 4);
    } else {
        e->ai.ai_addrlen = sizeof e->sa.v6;
        e->sa.v6.sin6_family = AF_INET6;
        e->sa.v6.sin6_port = htons((uint16_t)s->port);
        e->sa.v6.sin6_scope_id = a->scope;
        memcpy(&e->sa.v6.sin6_addr, a->addr, 16);
    }
    return &e->ai;
}

static int netdb_getaddrinfo(const char *host, const char *serv, const struct addrinfo *hint,
                             struct addrinfo **res)
{
    int family = hint ? hint->ai_family : AF_UNSPEC;
    int flags = hint ? hint->ai_flags : 0;
    const int known = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL |
                      AI_ADDRCONFIG | AI_NUMERICSERV;
    if (flags & ~known)
        return EAI_BADFLAGS;
    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
        return EAI_FAMILY;
    if (!host && !serv)
        return EAI_NONAME;
    NetdbServ servs[2];
    int ns = netdb_services_of(serv, hint ? hint->ai_socktype : 0,
                               hint ? hint->ai_protocol : 0, flags, servs);
    if (ns < 0)
        return ns;
    bool mapped = family == AF_INET6 && (flags & AI_V4MAPPED);
    NetdbAddr addrs[2];
    int na = netdb_addrs_of(host, mapped ? AF_UNSPEC : family, flags, addrs);
    if (na < 0)
        return na;
    for (int i = 0; mapped && i < na; i++) {
        if (addrs[i].family != AF_INET)
            continue;
        memmove(addrs[i].addr + 12, addrs[i].addr, 4);
        memcpy(addrs[i].addr, (uint8_t[]){0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 12);
        addrs[i].family = AF_INET6;
    }
    struct addrinfo *head = NULL, **tail = &head;
    for (int i = 0; i < na; i++) {
        for (int k = 0; k < ns; k++) {
            if (!(*tail = netdb_entry(&addrs[i], &servs[k]))) {
                freeaddrinfo(head);
                return EAI_MEMORY;
            }
            tail = &(*tail)->ai_next;
        }
    }
    if ((flags & AI_CANONNAME) && host && !(head->ai_canonname = strdup(host))) {
        freeaddrinfo(head);
        return EAI_MEMORY;
    }
    *res = head;
    return 0;
}

LIBC_NEXT_SLOT(getaddrinfo);
int getaddrinfo(const char *host, const char *serv, const struct addrinfo *hint,
                struct addrinfo **res)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, const char *, const struct addrinfo *,
                                 struct addrinfo **),
                         getaddrinfo)(host, serv, hint, res);
    return netdb_getaddrinfo(host, serv, hint, res);
}

static int netdb_getnameinfo(const struct sockaddr *sa, socklen_t len, char *host,
                             socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
    const void *addr;
    uint32_t scope = 0;
    int port;
    if (!sa)
        return EAI_FAMILY;
    if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
        addr = &((const struct sockaddr_in *)sa)->sin_addr;
        port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
    } else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        addr = &s6->sin6_addr;
        scope = s6->sin6_scope_id;
        port = ntohs(s6->sin6_port);
    } else {
        return EAI_FAMILY;
    }
    char buf[INET6_ADDRSTRLEN + 16];
    if (host && hostlen) {
        if (flags & NI_NAMEREQD)
            return EAI_NONAME;   /* no reverse lookup without a name service */
        inet_ntop(sa->sa_family, addr, buf, sizeof buf);
        if (scope)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%%%u", scope);
        if (strlen(buf) >= hostlen)
            return EAI_OVERFLOW;
        strcpy(host, buf);
    }
    if (serv && servlen) {
        snprintf(buf, sizeof buf, "%d", port);
        if (strlen(buf) >= servlen)
            return EAI_OVERFLOW;
        strcpy(serv, buf);
    }
    return 0;
}

LIBC_NEXT_SLOT(getnameinfo);
int getnameinfo(const struct sockaddr *sa, socklen_t len, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const struct sockaddr *, socklen_t, char *, socklen_t, char *,
                                 socklen_t, int),
                         getnameinfo)(sa, len, host, hostlen, serv, servlen, flags);
    return netdb_getnameinfo(sa, len, host, hostlen, serv, servlen, flags);
}

/* ---- hostent ------------------------------------------------------------------*/

static size_t netdb_round(size_t n)
{
    return (n + sizeof(char *) - 1) & ~(sizeof(char *) - 1);
}

static int netdb_host_by_name(const char *name, int af, struct hostent *h, char *buf,
                              size_t buflen, struct hostent **res, int *err)
{
    *res = NULL;
    *err = 0;
    struct addrinfo hint = {.ai_family = af, .ai_socktype = SOCK_STREAM}, *ai;
    int eai = name ? netdb_getaddrinfo(name, NULL, &hint, &ai) : EAI_NONAME;
    if (eai) {
        *err = eai == EAI_NONAME ? HOST_NOT_FOUND : eai == EAI_AGAIN ? TRY_AGAIN : NO_RECOVERY;
        return 0;
    }
    size_t alen = af == AF_INET ? 4 : 16, naddr = 0, namelen = strlen(name);
    for (struct addrinfo *p = ai; p; p = p->ai_next)
        naddr++;
    size_t need = netdb_round(namelen + 1) + sizeof(char *) * (naddr + 2) + alen * naddr;
    if (need > buflen) {
        freeaddrinfo(ai);
        *err = NETDB_INTERNAL;
        return ERANGE;
    }
    memcpy(buf, name, namelen + 1);
    h->h_name = buf;
    buf += netdb_round(namelen + 1);
    h->h_aliases = (char **)buf;
    h->h_aliases[0] = NULL;
    buf += sizeof(char *);
    h->h_addr_list = (char **)buf;
    buf += sizeof(char *) * (naddr + 1);
    size_t i = 0;
    for (struct addrinfo *p = ai; p; p = p->ai_next, buf += alen) {
        const void *src = af == AF_INET
                              ? (const void *)&((struct sockaddr_in *)p->ai_addr)->sin_addr
                              : (const void *)&((struct sockaddr_in6 *)p->ai_addr)->sin6_addr;
        memcpy(buf, src, alen);
        h->h_addr_list[i++] = buf;
    }
    h->h_addr_list[i] = NULL;
    h->h_addrtype = af;
    h->h_length = (int)alen;
    freeaddrinfo(ai);
    *res = h;
    return 0;
}

static int netdb_host_by_addr(const void *a, socklen_t l, int af, struct hostent *h,
                              char *buf, size_t buflen, struct hostent **res, int *err)
{
    *res = NULL;
    if (!a || !((af == AF_INET && l == 4) || (af == AF_INET6 && l == 16))) {
        *err = NO_RECOVERY;
        return EINVAL;
    }
    char name[INET6_ADDRSTRLEN];
    inet_ntop(af, a, name, sizeof name);
    size_t namelen = strlen(name);
    if (buflen < sizeof(char *) * 4 + netdb_round(l) + namelen + 1) {
        *err = NETDB_INTERNAL;
        return ERANGE;
    }
    h->h_addr_list = (char **)buf;
    h->h_aliases = (char **)buf + 2;
    buf += sizeof(char *) * 4;
    memcpy(buf, a, l);
    h->h_addr_list[0] = buf;
    h->h_addr_list[1] = NULL;
    buf += netdb_round(l);
    memcpy(buf, name, namelen + 1);
    h->h_aliases[0] = NULL;
    h->h_name = buf;
    h->h_addrtype = af;
    h->h_length = (int)l;
    *res = h;
    return 0;
}

#define NETDB_HOST_NEXT(name, params, args)                                    \
    LIBC_NEXT_SLOT(name);                                                      \
    if (!app_world_in_app_code())                                              \
        return LIBC_NEXT(struct hostent * (*) params, name) args

struct hostent *gethostbyname2(const char *name, int af)
{
    NETDB_HOST_NEXT(gethostbyname2, (const char *, int), (name, af));
    LibcProcBuffers *b = libc_proc_buffers();
    if (!b)
        return NULL;
    struct hostent *res;
    int err;
    netdb_host_by_name(name, af, &b->host, b->host_buf, sizeof b->host_buf, &res, &err);
    if (!res)
        h_errno = err;
    return res;
}

struct hostent *gethostbyname(const char *name)
{
    NETDB_HOST_NEXT(gethostbyname, (const char *), (name));
    return gethostbyname2(name, AF_INET);
}

struct hostent *gethostbyaddr(const void *a, socklen_t l, int af)
{
    NETDB_HOST_NEXT(gethostbyaddr, (const void *, socklen_t, int), (a, l, af));
    LibcProcBuffers *b = libc_proc_buffers();
    if (!b)
        return NULL;
    struct hostent *res;
    int err = 0;
    netdb_host_by_addr(a, l, af, &b->host, b->host_buf, sizeof b->host_buf, &res, &err);
    if (!res)
        h_errno = err;
    return res;
}

struct hostent *gethostent(void)
{
    NETDB_HOST_NEXT(gethostent, (void), ());
    return NULL;
}

typedef int (*NetdbByNameR)(const char *, int, struct hostent *, char *, size_t,
                            struct hostent **, int *);

LIBC_NEXT_SLOT(gethostbyname2_r);
int gethostbyname2_r(const char *name, int af, struct hostent *h, char *buf, size_t buflen,
                     struct hostent **res, int *err)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(NetdbByNameR, gethostbyname2_r)(name, af, h, buf, buflen, res, err);
    return netdb_host_by_name(name, af, h, buf, buflen, res, err);
}

LIBC_NEXT_SLOT(gethostbyname_r);
int gethostbyname_r(const char *name, struct hostent *h, char *buf, size_t buflen,
                    struct hostent **res, int *err)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, struct hostent *, char *, size_t,
                                 struct hostent **, int *),
                         gethostbyname_r)(name, h, buf, buflen, res, err);
    return netdb_host_by_name(name, AF_INET, h, buf, buflen, res, err);
}

LIBC_NEXT_SLOT(gethostbyaddr_r);
int gethostbyaddr_r(const void *a, socklen_t l, int af, struct hostent *h, char *buf,
                    size_t buflen, struct hostent **res, int *err)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const void *, socklen_t, int, struct hostent *, char *,
                                 size_t, struct hostent **, int *),
                         gethostbyaddr_r)(a, l, af, h, buf, buflen, res, err);
    return netdb_host_by_addr(a, l, af, h, buf, buflen, res, err);
}

#define NETDB_NOTHING(name)                                                    \
    LIBC_NEXT_SLOT(name);                                                      \
    void name(int stayopen)                                                    \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            LIBC_NEXT(void (*)(int), name)(stayopen);                          \
    }

NETDB_NOTHING(sethostent)
NETDB_NOTHING(setservent)

LIBC_NEXT_OR_NOTHING(endhostent)
LIBC_NEXT_OR_NOTHING(endservent)

/* ---- servent ------------------------------------------------------------------*/

static int netdb_serv_by_name(const char *name, const char *prots, struct servent *se,
                              char *buf, size_t buflen, struct servent **res)
{
    *res = NULL;
    if (buflen < 2 * sizeof(char *))
        return ERANGE;
    int proto = 0;
    if (prots && !strcmp(prots, "tcp"))
        proto = IPPROTO_TCP;
    else if (prots && !strcmp(prots, "udp"))
        proto = IPPROTO_UDP;
    else if (prots)
        return EINVAL;
    NetdbServ s[2];
    if (!name || netdb_services_of(name, 0, proto, 0, s) < 0)
        return ENOENT;
    se->s_name = (char *)name;
    se->s_aliases = (char **)buf;
    se->s_aliases[0] = se->s_name;
    se->s_aliases[1] = NULL;
    se->s_port = htons((uint16_t)s[0].port);
    se->s_proto = (char *)(s[0].proto == IPPROTO_TCP ? "tcp" : "udp");
    *res = se;
    return 0;
}

static int netdb_serv_by_port(int port, const char *prots, struct servent *se, char *buf,
                              size_t buflen, struct servent **res)
{
    *res = NULL;
    if (!prots)
        prots = "tcp";
    if (strcmp(prots, "tcp") && strcmp(prots, "udp"))
        return EINVAL;
    if (buflen < 2 * sizeof(char *) + 6)
        return ERANGE;
    se->s_aliases = (char **)buf;
    se->s_name = buf + 2 * sizeof(char *);
    snprintf(se->s_name, 6, "%u", ntohs((uint16_t)port));
    se->s_aliases[0] = se->s_name;
    se->s_aliases[1] = NULL;
    se->s_port = port;
    se->s_proto = (char *)(strcmp(prots, "udp") ? "tcp" : "udp");
    *res = se;
    return 0;
}

LIBC_NEXT_SLOT(getservbyname);
struct servent *getservbyname(const char *name, const char *prots)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(struct servent * (*)(const char *, const char *), getservbyname)(
            name, prots);
    LibcProcBuffers *b = libc_proc_buffers();
    if (!b)
        return NULL;
    struct servent *res;
    errno = netdb_serv_by_name(name, prots, &b->serv, b->serv_buf, sizeof b->serv_buf, &res)
                ?: errno;
    return res;
}

LIBC_NEXT_SLOT(getservbyport);
struct servent *getservbyport(int port, const char *prots)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(struct servent * (*)(int, const char *), getservbyport)(port, prots);
    LibcProcBuffers *b = libc_proc_buffers();
    if (!b)
        return NULL;
    struct servent *res;
    errno = netdb_serv_by_port(port, prots, &b->serv, b->serv_buf, sizeof b->serv_buf, &res)
                ?: errno;
    return res;
}

LIBC_NEXT_SLOT(getservbyname_r);
int getservbyname_r(const char *name, const char *prots, struct servent *se, char *buf,
                    size_t buflen, struct servent **res)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, const char *, struct servent *, char *, size_t,
                                 struct servent **),
                         getservbyname_r)(name, prots, se, buf, buflen, res);
    return netdb_serv_by_name(name, prots, se, buf, buflen, res);
}

LIBC_NEXT_SLOT(getservbyport_r);
int getservbyport_r(int port, const char *prots, struct servent *se, char *buf, size_t buflen,
                    struct servent **res)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(int, const char *, struct servent *, char *, size_t,
                                 struct servent **),
                         getservbyport_r)(port, prots, se, buf, buflen, res);
    return netdb_serv_by_port(port, prots, se, buf, buflen, res);
}

LIBC_NEXT_SLOT(getservent);
struct servent *getservent(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(struct servent * (*)(void), getservent)();
    return NULL;
}
