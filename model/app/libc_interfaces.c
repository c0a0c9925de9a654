/* libc_interfaces.c — the network interfaces, interposed for apps.
 *
 * Models: on Fuchsia the interfaces are the netstack's, asked for through
 * the socket provider service (fuchsia.posix.socket.Provider); capsim
 * serves none. fdio's getifaddrs asks the provider and fails when it
 * cannot connect (ENOENT, as getaddrinfo's name service in
 * libc_netdb.c); musl's if_nametoindex and if_indextoname first make a
 * datagram socket, which fdio's socket() refuses with EIO without a
 * provider; its if_nameindex enumerates over a netlink socket and reports
 * any failure as ENOBUFS. Without these an app listed the HOST's
 * interfaces, addresses and index numbers.
 *
 *   getifaddrs               -1, errno ENOENT, *ifap untouched
 *   if_nametoindex           0, errno EIO
 *   if_indextoname           NULL, errno EIO
 *   if_nameindex             NULL, errno ENOBUFS
 *
 * freeifaddrs and if_freenameindex stay libc's (they free memory only).
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_iconv.c.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>

#include "app_world.h"
#include "libc_next.h"

#define INTERFACES_REFUSE(ret, fail, err, name, params, args)                  \
    LIBC_REFUSED(app_world_in_app_code(), ret, fail, err, name, params, args)

INTERFACES_REFUSE(int, -1, ENOENT, getifaddrs, (struct ifaddrs **ifap), (ifap))
INTERFACES_REFUSE(unsigned int, 0, EIO, if_nametoindex, (const char *name), (name))
INTERFACES_REFUSE(char *, NULL, EIO, if_indextoname, (unsigned int index, char name[IF_NAMESIZE]),
                  (index, name))
INTERFACES_REFUSE(struct if_nameindex *, NULL, ENOBUFS, if_nameindex, (void), ())
