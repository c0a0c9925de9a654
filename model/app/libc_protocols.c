/* libc_protocols.c — the protocol database, interposed for apps.
 *
 * Models: Fuchsia's libc (musl) reads no /etc/protocols: it answers from a
 * table built into it, 36 protocols from ip (0) to raw (255), with no
 * aliases. Without these an app's getprotobyname() read the HOST's
 * /etc/protocols (through /etc/nsswitch.conf): its names, aliases and
 * numbers, or nothing on a host without the file.
 *
 *   getprotoent              the table's next entry, NULL past the end; the
 *                            place is the process's own
 *   setprotoent, endprotoent back to the first entry
 *   getprotobyname, getprotobynumber
 *                            the entry, or NULL; as in musl, the search
 *                            leaves getprotoent's place after it
 *   getprotobyname_r, getprotobynumber_r, getprotoent_r (glibc's)
 *                            0 and the entry, ENOENT and NULL when there is
 *                            none, ERANGE when buf cannot hold the (empty)
 *                            alias list
 *
 * Names match exactly (musl's strcmp). The non-_r functions answer in a
 * protoent of the process's own (libc_static_buffers.c).
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_networks.c.
 */
#include <errno.h>
#include <netdb.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

static const struct {
    int number;
    const char *name;
} protocols_table[] = {
    {0, "ip"},          {1, "icmp"},       {2, "igmp"},        {3, "ggp"},
    {4, "ipencap"},     {5, "st"},         {6, "tcp"},         {8, "egp"},
    {12, "pup"},        {17, "udp"},       {20, "hmp"},        {22, "xns-idp"},
    {27, "rdp"},        {29, "iso-tp4"},   {36, "xtp"},        {37, "ddp"},
    {38, "idpr-cmtp"},  {41, "ipv6"},      {43, "ipv6-route"}, {44, "ipv6-frag"},
    {45, "idrp"},       {46, "rsvp"},      {47, "gre"},        {50, "esp"},
    {51, "ah"},         {57, "skip"},      {58, "ipv6-icmp"},  {59, "ipv6-nonxt"},
    {60, "ipv6-opts"},  {73, "rspf"},      {81, "vmtp"},       {89, "ospf"},
    {94, "ipip"},       {98, "encap"},     {103, "pim"},       {255, "raw"},
};

#define PROTOCOLS_COUNT (sizeof protocols_table / sizeof protocols_table[0])

/* The calling process's getprotoent place. */
static size_t *protocols_place(void)
{
    static size_t outside_a_process;
    AppProc *p = app_world_current_proc();
    return p ? &p->protocols_next : &outside_a_process;
}

/* Entry i (< PROTOCOLS_COUNT) into pe, its empty alias list in buf: 0 or
 * ERANGE. */
static int protocols_fill(size_t i, struct protoent *pe, char *buf, size_t buflen)
{
    if (buflen < sizeof(char *))
        return ERANGE;
    char **aliases = (char **)buf;
    aliases[0] = NULL;
    pe->p_name = (char *)protocols_table[i].name;
    pe->p_aliases = aliases;
    pe->p_proto = protocols_table[i].number;
    return 0;
}

/* The first entry from the start matching name (if not NULL) or number:
 * its index, PROTOCOLS_COUNT if none; getprotoent goes on after it. */
static size_t protocols_find(const char *name, int number)
{
    size_t i = 0;
    while (i < PROTOCOLS_COUNT && (name ? strcmp(name, protocols_table[i].name)
                                        : protocols_table[i].number != number))
        i++;
    *protocols_place() = i < PROTOCOLS_COUNT ? i + 1 : PROTOCOLS_COUNT;
    return i;
}

/* Entry i (or none) as a _r answer. */
static int protocols_answer(size_t i, struct protoent *pe, char *buf, size_t buflen,
                            struct protoent **res)
{
    *res = NULL;
    if (i >= PROTOCOLS_COUNT)
        return ENOENT;
    int rc = protocols_fill(i, pe, buf, buflen);
    if (rc == 0)
        *res = pe;
    return rc;
}

static size_t protocols_next_entry(void)
{
    size_t *place = protocols_place();
    return *place < PROTOCOLS_COUNT ? (*place)++ : PROTOCOLS_COUNT;
}

/* The non-_r forms' answer, in the process's buffers. */
static struct protoent *protocols_answer_mine(size_t i)
{
    LibcProcBuffers *b = libc_proc_buffers();
    struct protoent *res = NULL;
    if (b)
        protocols_answer(i, &b->proto, (char *)b->proto_aliases, sizeof b->proto_aliases,
                         &res);
    return res;
}

#define PROTOCOLS_NEXT(ret, name, params, args)                                \
    LIBC_NEXT_SLOT(name);                                                      \
    if (!app_world_in_app_code())                                              \
        return LIBC_NEXT(ret(*) params, name) args

struct protoent *getprotoent(void)
{
    PROTOCOLS_NEXT(struct protoent *, getprotoent, (void), ());
    return protocols_answer_mine(protocols_next_entry());
}

struct protoent *getprotobyname(const char *name)
{
    PROTOCOLS_NEXT(struct protoent *, getprotobyname, (const char *), (name));
    return name ? protocols_answer_mine(protocols_find(name, 0)) : NULL;
}

struct protoent *getprotobynumber(int number)
{
    PROTOCOLS_NEXT(struct protoent *, getprotobynumber, (int), (number));
    return protocols_answer_mine(protocols_find(NULL, number));
}

int getprotoent_r(struct protoent *pe, char *buf, size_t buflen, struct protoent **res)
{
    PROTOCOLS_NEXT(int, getprotoent_r, (struct protoent *, char *, size_t, struct protoent **),
                   (pe, buf, buflen, res));
    return protocols_answer(protocols_next_entry(), pe, buf, buflen, res);
}

int getprotobyname_r(const char *name, struct protoent *pe, char *buf, size_t buflen,
                     struct protoent **res)
{
    PROTOCOLS_NEXT(int, getprotobyname_r,
                   (const char *, struct protoent *, char *, size_t, struct protoent **),
                   (name, pe, buf, buflen, res));
    return protocols_answer(name ? protocols_find(name, 0) : PROTOCOLS_COUNT, pe, buf, buflen,
                            res);
}

int getprotobynumber_r(int number, struct protoent *pe, char *buf, size_t buflen,
                       struct protoent **res)
{
    PROTOCOLS_NEXT(int, getprotobynumber_r,
                   (int, struct protoent *, char *, size_t, struct protoent **),
                   (number, pe, buf, buflen, res));
    return protocols_answer(protocols_find(NULL, number), pe, buf, buflen, res);
}

LIBC_NEXT_SLOT(setprotoent);
void setprotoent(int stayopen)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(int), setprotoent)(stayopen);
        return;
    }
    *protocols_place() = 0;
}

LIBC_NEXT_SLOT(endprotoent);
void endprotoent(void)
{
    if (!app_world_in_app_code()) {
        LIBC_NEXT(void (*)(void), endprotoent)();
        return;
    }
    *protocols_place() = 0;
}
