/* test_app_host.c — libc calls that used to answer from the HOST's
 * configuration (app_host.c): time zone, names, users, loading code,
 * system log and IPC, locales.
 *
 * The test process runs in a non-UTC zone of its own (TZ is set below and
 * in meson.build): an app must not see it, and must not change it. Each
 * run's output is compared whole; the same seed gives the same output and
 * trace, whatever TZ the host has; the host's localtime, getpwuid and
 * dlopen work as before after a run. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <fts.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capsim_host.h"

#define APP_HOST APPS_DIR "/app_host.so"
#define HOST_TZ "CET-1CEST,M3.5.0,M10.5.0/3"

static const char *const env_none[] = {NULL};
static const char *const env_cet[] = {"TZ=" HOST_TZ, "LOGNAME=alice", "LANG=de_DE.UTF-8",
                                      "LANGUAGE=de", NULL};

/* app_host run once with envp: stdout then stderr, and the trace hash. */
static char *host_run(const char *const *envp, uint64_t seed, char hash[33])
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = seed;
    cfg.budget_ns = 2000000000;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    const char *argv[] = {APP_HOST, NULL};
    uint64_t p = capsim_spawn_app_ex(s, APP_HOST, 1, argv, envp, "app_host", 1);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    cr_expect_eq(capsim_process_return_code(s, p), 0);
    size_t n1 = capsim_process_output(s, p, 1, NULL, 0);
    size_t n2 = capsim_process_output(s, p, 2, NULL, 0);
    char *out = malloc(n1 + n2 + 1);
    capsim_process_output(s, p, 1, out, n1 + 1);
    capsim_process_output(s, p, 2, out + n1, n2 + 1);
    capsim_trace_hash(s, hash);
    capsim_system_free(s);
    return out;
}

/* What the test process sees of its own zone at a summer instant. */
typedef struct HostZone {
    long gmtoff;
    char zone[16], tzname0[16], tzname1[16];
} HostZone;

static HostZone host_zone(void)
{
    time_t summer = 1751328000;
    struct tm tm;
    HostZone z;
    memset(&z, 0, sizeof z);
    cr_assert(localtime_r(&summer, &tm));
    z.gmtoff = tm.tm_gmtoff;
    snprintf(z.zone, sizeof z.zone, "%s", tm.tm_zone);
    tzset();
    snprintf(z.tzname0, sizeof z.tzname0, "%s", tzname[0]);
    snprintf(z.tzname1, sizeof z.tzname1, "%s", tzname[1]);
    return z;
}

static void host_set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static const char common_tail[] =
    "getaddrinfo(localhost): EAI_SYSTEM errno ENOENT\n"
    "getaddrinfo(192.0.2.7, http): 0 192.0.2.7 port 80 next 0\n"
    "getaddrinfo(NULL, 8080, passive v6): 0 [::]\n"
    "getaddrinfo(example.com, numeric host): EAI_NONAME, bad service: EAI_SERVICE\n"
    "getnameinfo: 0 10.1.2.3 53, name required: EAI_NONAME\n"
    "gethostbyname(example.com): NULL h_errno NO_RECOVERY\n"
    "gethostbyname(192.0.2.7): 192.0.2.7\n"
    "gethostbyaddr(10.1.2.3): 10.1.2.3\n"
    "getservbyname(ssh, tcp): 22, (nosuch): NULL, getservbyport(80): 80\n"
    "gethostent: NULL, getservent: NULL\n"
    "getpwuid(me): NULL EIO, getpwnam(root): NULL EIO\n"
    "getpwuid_r(0): EIO NULL, getgrgid(0): NULL EIO\n"
    "getspnam(root): NULL ENOENT, getspnam_r: ENOENT NULL\n";

static const char loading_and_services[] =
    "getsgnam(root): NULL ENOENT\n"
    "getpwent_r: ENOENT NULL, getgrent_r: ENOENT NULL, getpw(0): -1 EIO\n"
    "getfsent: NULL, getrpcbyname(portmapper): NULL, ether_hostton: -1\n"
    "getutxent: NULL, getttyent: NULL, getaliasent: NULL, innetgr: 0, gethostid: 0\n"
    "getusershell: /bin/sh /bin/csh NULL, again /bin/sh\n"
    "dlopen(libm.so.6): NULL, libm.so.6: apps load code from their package, not from the "
    "host (capsim has no loader service)\n"
    "dlerror again: NULL\n"
    "dlmopen: NULL, dlopen(NULL): the program\n"
    "syslog: done\n"
    "ftok(/etc/passwd): -1 ENOENT\n"
    "mq_open: -1 ENOSYS, shmget: -1 ENOSYS\n"
    "setmntent(/proc/mounts): NULL ENOENT, catopen: -1 ENOENT, catgets: default\n"
    "sethostid: -1 ENOSYS\n"
    "fts_open(/): NULL ENOSYS\n"
    "ruserok: -1 ENOSYS, ttyslot: 0 ENOSYS\n"
    "profil: -1 ENOSYS, fmtmsg: -1 ENOSYS\n"
    "getpass: NULL 0, cuserid: NULL EIO\n"
    "glob(~root, GLOB_TILDE_CHECK): GLOB_NOMATCH\n";

static const char stderr_lines[] =
    "apphost: hello 7\napphost: an error\npsiginfo: Interrupt\n";

static const char out_utc[] =
    "localtime(now): 2026-01-01 00:00:00 UTC +0000 isdst 0\n"
    "localtime_r(2025-07-01T00:00Z): 2025-07-01 00:00:00 UTC +0000 isdst 0\n"
    "mktime(2025-07-01 02:00 local): 1751335200, isdst 0\n"
    "mktime(2025-12-31 23:59:60) normalised: 2026-01-01 00:00:00 UTC +0000 isdst 0\n"
    "strftime %s of the summer tm: [1751328000] [001751328000] [1751328000] [%s]\n"
    "strftime %Z of a tm without tm_zone: UTC\n"
    "ctime: Tue Jul  1 00:00:00 2025\n"
    "tzset: tzname UTC/UTC timezone 0 daylight 0\n"
    "TZ=Europe/Paris (a file name): tzname UTC, summer hour 0\n";

static const char out_utc_rest[] =
    "getlogin: NULL, getlogin_r: ENXIO -\n";

static const char out_utc_locale[] =
    "setlocale(LC_ALL, \"\"): C\n"
    "setlocale(de_DE.UTF-8): NULL, newlocale: NULL\n"
    "setlocale(LC_CTYPE, C.UTF-8): C.UTF-8, printf %.1f: 3.5\n"
    "C.UTF-8 dgettext: No such file or directory, ngettext(2): files\n";

static const char out_cet[] =
    "localtime(now): 2026-01-01 01:00:00 CET +0100 isdst 0\n"
    "localtime_r(2025-07-01T00:00Z): 2025-07-01 02:00:00 CEST +0200 isdst 1\n"
    "mktime(2025-07-01 02:00 local): 1751328000, isdst 1\n"
    "mktime(2025-12-31 23:59:60) normalised: 2026-01-01 00:00:00 CET +0100 isdst 0\n"
    "strftime %s of the summer tm: [1751328000] [001751328000] [1751328000] [%s]\n"
    "strftime %Z of a tm without tm_zone: CET\n"
    "ctime: Tue Jul  1 02:00:00 2025\n"
    "tzset: tzname CET/CEST timezone -3600 daylight 1\n"
    "TZ=Europe/Paris (a file name): tzname UTC, summer hour 0\n";

static const char out_cet_rest[] =
    "getlogin: alice, getlogin_r: 0 alice\n";

static const char out_cet_locale[] =
    "setlocale(LC_ALL, \"\"): NULL\n"
    "setlocale(de_DE.UTF-8): NULL, newlocale: NULL\n"
    "setlocale(LC_CTYPE, C.UTF-8): C.UTF-8, printf %.1f: 3.5\n"
    "C.UTF-8 dgettext: No such file or directory, ngettext(2): files\n";

static char *expected(const char *tz, const char *rest, const char *locale)
{
    size_t n = strlen(tz) + strlen(common_tail) + strlen(rest) + strlen(loading_and_services) +
               strlen(locale) + strlen(stderr_lines) + 1;
    char *e = malloc(n);
    snprintf(e, n, "%s%s%s%s%s%s", tz, common_tail, rest, loading_and_services, locale,
             stderr_lines);
    return e;
}

/* Without TZ, LOGNAME or LANG an app sees UTC, no user, the C locale,
 * and no host name service, user, library, log or queue, whatever the
 * host's zone (the test process's is CET). */
Test(app_host, an_empty_environment_sees_utc_and_nothing_of_the_host)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("apps keep the host's clocks in AddressSanitizer builds, "
                 "and the expected output reads the clock");
#endif
    host_set_tz(HOST_TZ);
    char hash[2][33];
    char *a = host_run(env_none, 7, hash[0]);
    char *want = expected(out_utc, out_utc_rest, out_utc_locale);
    cr_expect_str_eq(a, want);
    char *b = host_run(env_none, 7, hash[1]);
    cr_expect_str_eq(a, b, "same seed, same output");
    cr_expect_str_eq(hash[0], hash[1]);
    free(a), free(b), free(want);
}

/* The app's own TZ (a POSIX string) is its zone; its LOGNAME its login;
 * its LANG names a host locale, which it does not get. */
Test(app_host, the_apps_own_environment_decides)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("apps keep the host's clocks in AddressSanitizer builds, "
                 "and the expected output reads the clock");
#endif
    host_set_tz("UTC0");
    char hash[33];
    char *a = host_run(env_cet, 7, hash);
    char *want = expected(out_cet, out_cet_rest, out_cet_locale);
    cr_expect_str_eq(a, want);
    free(a), free(want);
}

/* The host's zone changes nothing an app prints or traces. */
Test(app_host, output_does_not_depend_on_the_hosts_zone)
{
#if defined(__SANITIZE_ADDRESS__)
    cr_skip_test("apps keep the host's clocks in AddressSanitizer builds, "
                 "and the expected output reads the clock");
#endif
    char hash[4][33];
    host_set_tz(HOST_TZ);
    char *a = host_run(env_none, 3, hash[0]);
    char *c = host_run(env_cet, 3, hash[2]);
    host_set_tz("EST5EDT");
    char *b = host_run(env_none, 3, hash[1]);
    char *d = host_run(env_cet, 3, hash[3]);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(hash[0], hash[1]);
    cr_expect_str_eq(c, d);
    cr_expect_str_eq(hash[2], hash[3]);
    free(a), free(b), free(c), free(d);
}

/* The host keeps its zone (tzname, offsets: glibc's state is one for the
 * whole process), its users, its dlopen and its fts after apps ran. */
Test(app_host, the_host_keeps_its_zone_users_and_loader)
{
    host_set_tz(HOST_TZ);
    HostZone before = host_zone();
    cr_assert_eq(before.gmtoff, 7200, "the host runs in CEST in July");
    cr_assert_str_eq(before.tzname0, "CET");
    char hash[33];
    free(host_run(env_none, 1, hash));
    free(host_run(env_cet, 1, hash));
    HostZone after = host_zone();
    cr_expect_eq(after.gmtoff, before.gmtoff);
    cr_expect_str_eq(after.zone, before.zone);
    cr_expect_str_eq(after.tzname0, before.tzname0);
    cr_expect_str_eq(after.tzname1, before.tzname1);
    time_t summer = 1751328000;
    cr_expect_eq(localtime(&summer)->tm_hour, 2, "host localtime in CEST");
    cr_expect_str_eq(getenv("TZ"), HOST_TZ);
    struct passwd *pw = getpwuid(getuid());
    cr_expect(pw && pw->pw_name[0], "the host's own user is found");
    void *m = dlopen("libm.so.6", RTLD_NOW);
    cr_expect(m, "host dlopen: %s", dlerror());
    if (m)
        dlclose(m);
    cr_expect(cuserid(NULL), "the host's cuserid finds its user");
    char *roots[] = {"/", NULL};
    FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
    cr_expect(fts, "the host's fts_open walks: %s", strerror(errno));
    if (fts)
        fts_close(fts);
}
