/* test_app_host_data.c — protocols, network names, the resolver, network
 * interfaces and charset conversion as an app sees them (app_host_data.c)
 * and as the host keeps them.
 *
 * Each section of the app runs in a system of its own; its output is
 * compared whole. Before, each answered from the host: its
 * /etc/protocols and /etc/networks, DNS sent to the host's name servers,
 * the host's interfaces, glibc's conversion modules (a UTF-16 byte order
 * mark, EBCDIC converted). The host's own calls are compared with libc's
 * functions looked up in libc itself. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <iconv.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "capsim_host.h"

#define APP_HOST_DATA APPS_DIR "/app_host_data.so"

/* The output of `app_host_data section` (and that it returned 0). */
static char *host_data_run(const char *section)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.budget_ns = 2000000000;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    const char *argv[] = {"app_host_data", section, NULL};
    uint64_t p = capsim_spawn_app(s, APP_HOST_DATA, 2, argv, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_return_code(s, p), 0, "%s", section);
    size_t n = capsim_process_output(s, p, 3, NULL, 0);
    char *out = malloc(n + 1);
    capsim_process_output(s, p, 3, out, n + 1);
    capsim_system_free(s);
    return out;
}

static void host_data_expect(const char *section, const char *want)
{
    char *out = host_data_run(section);
    cr_expect_str_eq(out, want, "section %s", section);
    free(out);
}

/* musl's built-in table: no aliases, no "TCP", 36 entries. */
Test(host_data, protocols_come_from_the_built_in_table)
{
    host_data_expect("protocols",
                     "getprotobyname(tcp): 6, aliases 0\n"
                     "getprotobyname(ipv6-icmp): 58, (TCP): NULL\n"
                     "getprotobynumber(89): ospf, (7): NULL\n"
                     "getprotoent: 36 entries, first ip 0, last raw 255\n"
                     "getprotoent after getprotobyname(udp): hmp\n"
                     "getprotobyname_r(gre): 0 47, (nosuch): ENOENT NULL, "
                     "getprotobynumber_r(6) in 1 byte: ERANGE\n");
}

Test(host_data, there_are_no_network_names)
{
    host_data_expect("networks",
                     "getnetbyname(loopback): NULL, getnetbyaddr(127): NULL, getnetent: NULL\n"
                     "getnetbyname_r(loopback): ENOENT NULL h_errno HOST_NOT_FOUND\n");
}

/* Every query fails before anything is sent (no resolv.conf, no socket);
 * a query message is made without reading any file. */
Test(host_data, the_resolver_sends_nothing)
{
    host_data_expect("resolver",
                     "res_init: 0\n"
                     "res_query(example.com, A): -1, res_search: -1, res_querydomain: -1\n"
                     "res_send: -1\n"
                     "res_ninit: 0, name servers 0, res_nquery: -1, res_nsend: -1\n"
                     "res_mkquery(example.com.): 29, id from the virtual clock 1, 01 00 00 01 00 00 00 00 00 00 07 65 78 61 "
                     "6d 70 6c 65 03 63 6f 6d 00 00 01 00 01; type 256: -1, a 64-letter "
                     "label: -1, empty label: -1, no room: -1\n");
}

Test(host_data, there_are_no_interfaces)
{
    host_data_expect("interfaces",
                     "getifaddrs: -1 ENOENT, list none\n"
                     "if_nametoindex(lo): 0 EIO\n"
                     "if_indextoname(1): NULL EIO\n"
                     "if_nameindex: NULL ENOBUFS\n");
}

/* musl's conversions: UTF-16 is big-endian without a mark; names outside
 * the built-in set (EBCDIC, KOI8-R, a //TRANSLIT suffix) are refused. */
Test(host_data, iconv_converts_the_built_in_charsets_only)
{
    host_data_expect("iconv",
                     "UTF-8 -> UTF-16: 0 0\n"
                     "UTF-16 bytes (big-endian, no mark): 00 41 00 e9 20 ac d8 3d de 00\n"
                     "UTF-16 -> UTF-8: 0 0, round trip equal\n"
                     "utf16le: 41 00 e9 00 ac 20 3d d8 00 de\n"
                     "UTF-32LE of the euro sign: ac 20 00 00\n"
                     "WCHAR_T: 0, 16 bytes, U+0041 U+00E9 U+20AC U+1F600\n"
                     "to ISO-8859-1: 2 lost\n"
                     "ISO-8859-1 bytes: 41 e9 2a 2a\n"
                     "to ASCII: 3 lost, A***\n"
                     "U+1F600 to UCS-2 (1 lost): ff fd\n"
                     "iconv_open(EBCDIC-US): -1 EINVAL, (UTF-8//TRANSLIT): -1 EINVAL, "
                     "(from KOI8-R): -1 EINVAL\n"
                     "invalid UTF-8: -1 EILSEQ after 2 bytes, cut short: -1 EINVAL after 2, "
                     "no room: -1 E2BIG after 4, lone low surrogate: -1 EILSEQ\n"
                     "iconv_close of no descriptor: -1 EBADF\n");
}

/* libc's own function `name`, looked up in libc itself. */
static void *host_data_libc(const char *name)
{
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    cr_assert(libc);
    void *fn = dlsym(libc, name);
    cr_assert(fn, "%s", name);
    return fn;
}

/* The test process is the host: the same calls give libc's answers, after
 * a run as before it. */
Test(host_data, the_host_keeps_libcs_answers)
{
    free(host_data_run("protocols"));
    free(host_data_run("iconv"));
    struct protoent *(*libc_byname)(const char *) = host_data_libc("getprotobyname");
    struct protoent *own = libc_byname("tcp");
    int own_proto = own ? own->p_proto : -1, own_aliases = 0;
    while (own && own->p_aliases[own_aliases])
        own_aliases++;
    struct protoent *p = getprotobyname("tcp");
    cr_expect_eq(p ? p->p_proto : -1, own_proto);
    int aliases = 0;
    while (p && p->p_aliases[aliases])
        aliases++;
    cr_expect_eq(aliases, own_aliases, "the host's aliases of tcp");
    struct netent *(*libc_netbyname)(const char *) = host_data_libc("getnetbyname");
    cr_expect_eq(getnetbyname("loopback") != NULL, libc_netbyname("loopback") != NULL);
    unsigned (*libc_nametoindex)(const char *) = host_data_libc("if_nametoindex");
    cr_expect_eq(if_nametoindex("lo"), libc_nametoindex("lo"));

    /* glibc's UTF-16 starts with a byte order mark; EBCDIC-US is a module. */
    iconv_t cd = iconv_open("UTF-16", "UTF-8");
    cr_assert_neq(cd, (iconv_t)-1);
    char in[] = "A", out[8], *ip = in, *op = out;
    size_t il = 1, ol = sizeof out;
    cr_expect_eq(iconv(cd, &ip, &il, &op, &ol), 0);
    cr_expect_eq(sizeof out - ol, 4, "a mark and the letter");
    cr_expect(((unsigned char)out[0] == 0xff && (unsigned char)out[1] == 0xfe) ||
              ((unsigned char)out[0] == 0xfe && (unsigned char)out[1] == 0xff));
    cr_expect_eq(iconv_close(cd), 0);
    iconv_t (*libc_open)(const char *, const char *) = host_data_libc("iconv_open");
    iconv_t mine = iconv_open("EBCDIC-US", "UTF-8"), theirs = libc_open("EBCDIC-US", "UTF-8");
    cr_expect_eq(mine == (iconv_t)-1, theirs == (iconv_t)-1);
    if (mine != (iconv_t)-1)
        iconv_close(mine);
    if (theirs != (iconv_t)-1)
        iconv_close(theirs);
}
