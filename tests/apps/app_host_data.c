/* app_host_data.c — libc calls that used to answer from the HOST's data
 * files, interfaces and installed modules: protocols
 * (model/app/libc_protocols.c), network names (libc_networks.c), the DNS
 * resolver (libc_resolver.c), network interfaces (libc_interfaces.c),
 * character set conversion (libc_iconv.c).
 *
 *   app_host_data protocols|networks|resolver|interfaces|iconv
 *
 * Prints one line per check, what a Fuchsia program without a netstack
 * gets, the same on every machine. */
#include <errno.h>
#include <iconv.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/nameser.h>
#include <resolv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case ERANGE: return "ERANGE";
    case EINVAL: return "EINVAL";
    case EILSEQ: return "EILSEQ";
    case E2BIG: return "E2BIG";
    case EBADF: return "EBADF";
    case ENOBUFS: return "ENOBUFS";
    default: return "?";
    }
}

static int count_aliases(char **aliases)
{
    int n = 0;
    while (aliases && aliases[n])
        n++;
    return n;
}

static void protocols(void)
{
    struct protoent *p = getprotobyname("tcp");
    printf("getprotobyname(tcp): %d, aliases %d\n", p ? p->p_proto : -1,
           p ? count_aliases(p->p_aliases) : -1);
    p = getprotobyname("ipv6-icmp");
    int icmp6 = p ? p->p_proto : -1;
    printf("getprotobyname(ipv6-icmp): %d, (TCP): %s\n", icmp6,
           getprotobyname("TCP") ? "found" : "NULL");
    p = getprotobynumber(89);
    printf("getprotobynumber(89): %s, (7): %s\n", p ? p->p_name : "NULL",
           getprotobynumber(7) ? "found" : "NULL");
    setprotoent(0);
    int n = 0;
    char first[16] = "", last[16] = "";
    int first_number = -1, last_number = -1;
    while ((p = getprotoent())) {
        if (n++ == 0)
            snprintf(first, sizeof first, "%s", p->p_name), first_number = p->p_proto;
        snprintf(last, sizeof last, "%s", p->p_name), last_number = p->p_proto;
    }
    endprotoent();
    printf("getprotoent: %d entries, first %s %d, last %s %d\n", n, first, first_number, last,
           last_number);
    getprotobyname("udp");
    p = getprotoent();
    printf("getprotoent after getprotobyname(udp): %s\n", p ? p->p_name : "NULL");
    struct protoent pe, *res = &pe;
    char buf[64];
    int r = getprotobyname_r("gre", &pe, buf, sizeof buf, &res);
    printf("getprotobyname_r(gre): %s %d", err_name(r), res ? res->p_proto : -1);
    r = getprotobyname_r("nosuch", &pe, buf, sizeof buf, &res);
    printf(", (nosuch): %s %s", err_name(r), res ? "found" : "NULL");
    r = getprotobynumber_r(6, &pe, buf, 1, &res);
    printf(", getprotobynumber_r(6) in 1 byte: %s\n", err_name(r));
}

static void networks(void)
{
    struct netent *n = getnetbyname("loopback");
    const char *by_addr = getnetbyaddr(127, AF_INET) ? "found" : "NULL";
    setnetent(1);
    const char *ent = getnetent() ? "an entry" : "NULL";
    endnetent();
    printf("getnetbyname(loopback): %s, getnetbyaddr(127): %s, getnetent: %s\n",
           n ? "found" : "NULL", by_addr, ent);
    struct netent ne, *res = &ne;
    char buf[256];
    int herr = 0;
    int r = getnetbyname_r("loopback", &ne, buf, sizeof buf, &res, &herr);
    printf("getnetbyname_r(loopback): %s %s h_errno %s\n", err_name(r), res ? "found" : "NULL",
           herr == HOST_NOT_FOUND ? "HOST_NOT_FOUND" : "?");
}

/* Whether musl's query id of some instant in [a, b] (same second) is id. */
static int id_of_a_time_between(struct timespec a, struct timespec b, unsigned id)
{
    if (a.tv_sec != b.tv_sec)
        return 0;
    for (long ns = a.tv_nsec; ns <= b.tv_nsec; ns++)
        if ((((unsigned long)ns + (unsigned long)ns / 65536) & 0xffff) == id)
            return 1;
    return 0;
}

static void resolver(void)
{
    unsigned char answer[512];
    printf("res_init: %d\n", res_init());
    printf("res_query(example.com, A): %d, res_search: %d, res_querydomain: %d\n",
           res_query("example.com", C_IN, T_A, answer, sizeof answer),
           res_search("example", C_IN, T_A, answer, sizeof answer),
           res_querydomain("example", "com", C_IN, T_A, answer, sizeof answer));
    static const unsigned char query[] = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                          7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
                                          'm', 0, 0, 1, 0, 1};
    printf("res_send: %d\n", res_send(query, sizeof query, answer, sizeof answer));
    struct __res_state st;
    memset(&st, 0xff, sizeof st);
    int r = res_ninit(&st);
    printf("res_ninit: %d, name servers %d, res_nquery: %d, res_nsend: %d\n", r, st.nscount,
           res_nquery(&st, "example.com", C_IN, T_A, answer, sizeof answer),
           res_nsend(&st, query, sizeof query, answer, sizeof answer));
    res_nclose(&st);
    unsigned char q[64];
    struct timespec before, after;
    clock_gettime(CLOCK_REALTIME, &before);
    int n = res_mkquery(QUERY, "example.com.", C_IN, T_A, NULL, 0, NULL, q, sizeof q);
    clock_gettime(CLOCK_REALTIME, &after);
    printf("res_mkquery(example.com.): %d, id from the virtual clock %d,", n,
           id_of_a_time_between(before, after, q[0] << 8 | q[1]));
    for (int i = 2; i < n; i++)
        printf(" %02x", q[i]);
    char long_label[80];
    memset(long_label, 'a', 64);
    long_label[64] = '\0';
    printf("; type 256: %d, a 64-letter label: %d, empty label: %d, no room: %d\n",
           res_mkquery(QUERY, "example.com", C_IN, 256, NULL, 0, NULL, q, sizeof q),
           res_mkquery(QUERY, long_label, C_IN, T_A, NULL, 0, NULL, q, sizeof q),
           res_mkquery(QUERY, "a..b", C_IN, T_A, NULL, 0, NULL, q, sizeof q),
           res_mkquery(QUERY, "example.com", C_IN, T_A, NULL, 0, NULL, q, 28));
}

static void interfaces(void)
{
    struct ifaddrs *ifa = NULL;
    errno = 0;
    int r = getifaddrs(&ifa);
    printf("getifaddrs: %d %s, list %s\n", r, err_name(errno), ifa ? "given" : "none");
    errno = 0;
    unsigned idx = if_nametoindex("lo");
    printf("if_nametoindex(lo): %u %s\n", idx, err_name(errno));
    char name[IF_NAMESIZE];
    errno = 0;
    char *got = if_indextoname(1, name);
    printf("if_indextoname(1): %s %s\n", got ? got : "NULL", err_name(errno));
    errno = 0;
    struct if_nameindex *all = if_nameindex();
    printf("if_nameindex: %s %s\n", all ? "a list" : "NULL", err_name(errno));
}

static void print_bytes(const char *what, const unsigned char *b, size_t n)
{
    printf("%s:", what);
    for (size_t i = 0; i < n; i++)
        printf(" %02x", b[i]);
    printf("\n");
}

/* Convert n bytes of in from `from` to `to`: result, errno, bytes out. */
static size_t convert(const char *to, const char *from, const void *in, size_t n,
                      unsigned char *out, size_t room, size_t *made, int *e)
{
    iconv_t cd = iconv_open(to, from);
    *made = 0;
    if (cd == (iconv_t)-1) {
        *e = errno;
        return (size_t)-1;
    }
    char *ip = (char *)in, *op = (char *)out;
    size_t il = n, ol = room;
    errno = 0;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    *e = errno;
    *made = room - ol;
    iconv_close(cd);
    return r;
}

static void charsets(void)
{
    static const char text[] = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"; /* A é € U+1F600 */
    unsigned char u16[32], back[32];
    size_t n16, nback;
    int e;
    size_t r = convert("UTF-16", "UTF-8", text, strlen(text), u16, sizeof u16, &n16, &e);
    printf("UTF-8 -> UTF-16: %d %s\n", (int)r, err_name(e));
    print_bytes("UTF-16 bytes (big-endian, no mark)", u16, n16);
    r = convert("UTF-8", "UTF-16", u16, n16, back, sizeof back, &nback, &e);
    printf("UTF-16 -> UTF-8: %d %s, round trip %s\n", (int)r, err_name(e),
           nback == strlen(text) && !memcmp(back, text, nback) ? "equal" : "differs");
    unsigned char out[32];
    size_t n;
    convert("utf16le", "utf8", text, strlen(text), out, sizeof out, &n, &e);
    print_bytes("utf16le", out, n);
    convert("UTF-32LE", "UTF-8", "\xe2\x82\xac", 3, out, sizeof out, &n, &e);
    print_bytes("UTF-32LE of the euro sign", out, n);
    r = convert("WCHAR_T", "UTF-8", text, strlen(text), out, sizeof out, &n, &e);
    wchar_t w[4];
    memcpy(w, out, sizeof w);
    printf("WCHAR_T: %d, %zu bytes, U+%04X U+%04X U+%04X U+%05X\n", (int)r, n, (unsigned)w[0],
           (unsigned)w[1], (unsigned)w[2], (unsigned)w[3]);
    r = convert("ISO-8859-1", "UTF-8", text, strlen(text), out, sizeof out, &n, &e);
    printf("to ISO-8859-1: %d lost\n", (int)r);
    print_bytes("ISO-8859-1 bytes", out, n);
    r = convert("ANSI_X3.4-1968", "UTF-8", text, strlen(text), out, sizeof out, &n, &e);
    printf("to ASCII: %d lost, %.*s\n", (int)r, (int)n, (char *)out);
    r = convert("UCS-2", "UTF-8", "\xf0\x9f\x98\x80", 4, out, sizeof out, &n, &e);
    print_bytes("U+1F600 to UCS-2 (1 lost)", out, n);

    errno = 0;
    iconv_t cd = iconv_open("EBCDIC-US", "UTF-8");
    int e1 = errno;
    errno = 0;
    iconv_t cd2 = iconv_open("UTF-8//TRANSLIT", "UTF-8");
    int e2 = errno;
    errno = 0;
    iconv_t cd3 = iconv_open("UTF-8", "KOI8-R");
    printf("iconv_open(EBCDIC-US): %s %s, (UTF-8//TRANSLIT): %s %s, (from KOI8-R): %s %s\n",
           cd == (iconv_t)-1 ? "-1" : "made", err_name(e1), cd2 == (iconv_t)-1 ? "-1" : "made",
           err_name(e2), cd3 == (iconv_t)-1 ? "-1" : "made", err_name(errno));

    r = convert("UTF-16", "UTF-8", "a\xff", 2, out, sizeof out, &n, &e);
    printf("invalid UTF-8: %d %s after %zu bytes", (int)r, err_name(e), n);
    r = convert("UTF-16", "UTF-8", "a\xe2\x82", 3, out, sizeof out, &n, &e);
    printf(", cut short: %d %s after %zu", (int)r, err_name(e), n);
    r = convert("UTF-16", "UTF-8", "abc", 3, out, 4, &n, &e);
    printf(", no room: %d %s after %zu", (int)r, err_name(e), n);
    r = convert("UTF-8", "UTF-16BE", "\xdc\x00", 2, out, sizeof out, &n, &e);
    printf(", lone low surrogate: %d %s\n", (int)r, err_name(e));
    errno = 0;
    volatile uintptr_t none = 0x1234; /* no descriptor of anyone's */
    int closed = iconv_close((iconv_t)none);
    printf("iconv_close of no descriptor: %d %s\n", closed, err_name(errno));
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "protocols"))
        protocols();
    else if (!strcmp(what, "networks"))
        networks();
    else if (!strcmp(what, "resolver"))
        resolver();
    else if (!strcmp(what, "interfaces"))
        interfaces();
    else if (!strcmp(what, "iconv"))
        charsets();
    else
        return 2;
    return 0;
}
