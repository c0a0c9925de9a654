/* libc_networks.c — the network-name database, interposed for apps.
 *
 * Models: Fuchsia's libc (musl) has no network names at all: its
 * getnetbyname and getnetbyaddr find nothing and getnetent has no
 * entries, without reading any file. Without these an app's
 * getnetbyname() read the HOST's /etc/networks (through
 * /etc/nsswitch.conf).
 *
 *   getnetbyname, getnetbyaddr, getnetent
 *                            NULL (errno and h_errno untouched, as musl)
 *   setnetent, endnetent     nothing
 *   getnetbyname_r, getnetbyaddr_r, getnetent_r (glibc's)
 *                            ENOENT, *result NULL, *h_errnop HOST_NOT_FOUND
 *
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_resolver.c.
 */
#include <errno.h>
#include <netdb.h>
#include <stdint.h>

#include "app_world.h"
#include "libc_next.h"

/* A lookup that finds nothing in app code and is libc's otherwise. */
#define NETWORKS_NONE(name, params, args)                                      \
    LIBC_NEXT_SLOT(name);                                                      \
    struct netent *name params                                                 \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(struct netent * (*) params, name) args;           \
        return NULL;                                                           \
    }

NETWORKS_NONE(getnetbyname, (const char *name), (name))
NETWORKS_NONE(getnetbyaddr, (uint32_t net, int type), (net, type))
NETWORKS_NONE(getnetent, (void), ())

/* The _r forms: no entry. */
static int networks_none_r(struct netent **res, int *h_errnop)
{
    *res = NULL;
    if (h_errnop)
        *h_errnop = HOST_NOT_FOUND;
    return ENOENT;
}

LIBC_NEXT_SLOT(getnetbyname_r);
int getnetbyname_r(const char *name, struct netent *ne, char *buf, size_t buflen,
                   struct netent **res, int *h_errnop)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, struct netent *, char *, size_t,
                                 struct netent **, int *),
                         getnetbyname_r)(name, ne, buf, buflen, res, h_errnop);
    return networks_none_r(res, h_errnop);
}

LIBC_NEXT_SLOT(getnetbyaddr_r);
int getnetbyaddr_r(uint32_t net, int type, struct netent *ne, char *buf, size_t buflen,
                   struct netent **res, int *h_errnop)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(uint32_t, int, struct netent *, char *, size_t,
                                 struct netent **, int *),
                         getnetbyaddr_r)(net, type, ne, buf, buflen, res, h_errnop);
    return networks_none_r(res, h_errnop);
}

LIBC_NEXT_SLOT(getnetent_r);
int getnetent_r(struct netent *ne, char *buf, size_t buflen, struct netent **res,
                int *h_errnop)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(struct netent *, char *, size_t, struct netent **, int *),
                         getnetent_r)(ne, buf, buflen, res, h_errnop);
    return networks_none_r(res, h_errnop);
}

LIBC_NEXT_SLOT(setnetent);
void setnetent(int stayopen)
{
    if (!app_world_in_app_code())
        LIBC_NEXT(void (*)(int), setnetent)(stayopen);
}

LIBC_NEXT_OR_NOTHING(endnetent)
