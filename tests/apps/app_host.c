/* app_host.c — what an app gets from libc calls that used to answer from
 * the HOST's configuration: the time zone (model/app/libc_tz.c), names
 * and services (libc_netdb.c), users (libc_users.c), loading code
 * (libc_dl.c), the system log, queues and IPC (libc_host_services.c),
 * locales (libc_locale.c), message catalogs (libc_gettext.c), ftok and
 * setmntent (model/sdk/fdio_libc_config.c), and calls that wrote, walked
 * or connected from the host itself (libc_absent.c, getpass, cuserid,
 * psiginfo, glob's tilde).
 *
 * Prints one line per call, the same on every machine for one
 * environment: TZ, LOGNAME, LANG and LANGUAGE of its own environment
 * change what it prints, the host's never do. */
#include <dlfcn.h>
#include <errno.h>
#include <fmtmsg.h>
#include <fts.h>
#include <glob.h>
#include <libintl.h>
#include <signal.h>
#include <aliases.h>
#include <fstab.h>
#include <grp.h>
#include <gshadow.h>
#include <locale.h>
#include <mntent.h>
#include <mqueue.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <nl_types.h>
#include <pwd.h>
#include <rpc/netdb.h>
#include <ttyent.h>
#include <utmpx.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case ENOSYS: return "ENOSYS";
    case ENXIO: return "ENXIO";
    case ERANGE: return "ERANGE";
    case EINVAL: return "EINVAL";
    default: return "?";
    }
}

static const char *eai_name(int e)
{
    switch (e) {
    case 0: return "0";
    case EAI_NONAME: return "EAI_NONAME";
    case EAI_SYSTEM: return "EAI_SYSTEM";
    case EAI_SERVICE: return "EAI_SERVICE";
    case EAI_FAMILY: return "EAI_FAMILY";
    case EAI_BADFLAGS: return "EAI_BADFLAGS";
    default: return "?";
    }
}

static void print_tm(const char *what, const struct tm *tm)
{
    char buf[128];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z %z", tm);
    printf("%s: %s isdst %d\n", what, buf, tm->tm_isdst);
}

static void time_zone(void)
{
    time_t now = time(NULL);
    print_tm("localtime(now)", localtime(&now));
    time_t summer = 1751328000; /* 2025-07-01T00:00:00Z */
    struct tm tm;
    print_tm("localtime_r(2025-07-01T00:00Z)", localtime_r(&summer, &tm));
    struct tm back = {.tm_year = 125, .tm_mon = 6, .tm_mday = 1, .tm_hour = 2, .tm_isdst = -1};
    time_t t = mktime(&back);
    printf("mktime(2025-07-01 02:00 local): %lld, isdst %d\n", (long long)t, back.tm_isdst);
    struct tm winter = {.tm_year = 125, .tm_mon = 11, .tm_mday = 31, .tm_hour = 23,
                        .tm_min = 59, .tm_sec = 60, .tm_isdst = -1};
    t = mktime(&winter);
    print_tm("mktime(2025-12-31 23:59:60) normalised", &winter);
    char buf[64];
    strftime(buf, sizeof buf, "[%s] [%12s] [%-s] [%%s]", &tm);
    printf("strftime %%s of the summer tm: %s\n", buf);
    struct tm bare;
    memset(&bare, 0, sizeof bare);
    bare.tm_mday = 1;
    strftime(buf, sizeof buf, "%Z", &bare);
    printf("strftime %%Z of a tm without tm_zone: %s\n", buf);
    printf("ctime: %s", ctime(&summer));
    tzset();
    printf("tzset: tzname %s/%s timezone %ld daylight %d\n", tzname[0], tzname[1], timezone,
           daylight);
    char *own = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    printf("TZ=Europe/Paris (a file name): tzname %s, summer hour %d\n", tzname[0],
           localtime(&summer)->tm_hour);
    if (own)
        setenv("TZ", own, 1);
    else
        unsetenv("TZ");
    free(own);
    tzset();
}

static void names(void)
{
    struct addrinfo *ai = NULL, hint = {.ai_socktype = SOCK_STREAM};
    errno = 0;
    int r = getaddrinfo("localhost", "80", &hint, &ai);
    printf("getaddrinfo(localhost): %s errno %s\n", eai_name(r), err_name(errno));
    r = getaddrinfo("192.0.2.7", "http", &hint, &ai);
    char a[64] = "";
    if (r == 0)
        inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, a, sizeof a);
    printf("getaddrinfo(192.0.2.7, http): %s %s port %d next %d\n", eai_name(r), a,
           r ? 0 : ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port),
           r ? 0 : ai->ai_next != NULL);
    if (r == 0)
        freeaddrinfo(ai);
    hint = (struct addrinfo){.ai_flags = AI_PASSIVE, .ai_family = AF_INET6,
                             .ai_socktype = SOCK_DGRAM};
    r = getaddrinfo(NULL, "8080", &hint, &ai);
    if (r == 0)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, a, sizeof a);
    printf("getaddrinfo(NULL, 8080, passive v6): %s [%s]\n", eai_name(r), a);
    if (r == 0)
        freeaddrinfo(ai);
    hint = (struct addrinfo){.ai_flags = AI_NUMERICHOST};
    printf("getaddrinfo(example.com, numeric host): %s, bad service: %s\n",
           eai_name(getaddrinfo("example.com", NULL, &hint, &ai)),
           eai_name(getaddrinfo("::1", "gopher", NULL, &ai)));
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(53)};
    inet_pton(AF_INET, "10.1.2.3", &sin.sin_addr);
    char host[64] = "", serv[16] = "";
    r = getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, serv, sizeof serv, 0);
    printf("getnameinfo: %s %s %s, name required: %s\n", eai_name(r), host, serv,
           eai_name(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, NULL,
                                0, NI_NAMEREQD)));
    struct hostent *h = gethostbyname("example.com");
    printf("gethostbyname(example.com): %s h_errno %s\n", h ? "found" : "NULL",
           h_errno == NO_RECOVERY ? "NO_RECOVERY" : "?");
    h = gethostbyname("192.0.2.7");
    printf("gethostbyname(192.0.2.7): %s\n", h ? h->h_name : "NULL");
    h = gethostbyaddr(&sin.sin_addr, 4, AF_INET);
    printf("gethostbyaddr(10.1.2.3): %s\n", h ? h->h_name : "NULL");
    struct servent *s = getservbyname("ssh", "tcp");
    int ssh = s ? ntohs(s->s_port) : -1;
    const char *nosuch = getservbyname("nosuch", NULL) ? "found" : "NULL";
    s = getservbyport(htons(80), "tcp");
    printf("getservbyname(ssh, tcp): %d, (nosuch): %s, getservbyport(80): %s\n", ssh, nosuch,
           s ? s->s_name : "NULL");
    printf("gethostent: %s, getservent: %s\n", gethostent() ? "an entry" : "NULL",
           getservent() ? "an entry" : "NULL");
}

static void users(void)
{
    errno = 0;
    struct passwd *pw = getpwuid(getuid());
    int e = errno;
    errno = 0;
    struct passwd *root = getpwnam("root");
    printf("getpwuid(me): %s %s, getpwnam(root): %s %s\n", pw ? pw->pw_name : "NULL",
           err_name(e), root ? root->pw_name : "NULL", err_name(errno));
    struct passwd pwbuf, *pres = &pwbuf;
    char buf[1024];
    int r = getpwuid_r(0, &pwbuf, buf, sizeof buf, &pres);
    errno = 0;
    struct group *g = getgrgid(0);
    printf("getpwuid_r(0): %s %s, getgrgid(0): %s %s\n", err_name(r), pres ? "found" : "NULL",
           g ? g->gr_name : "NULL", err_name(errno));
    errno = 0;
    struct spwd *sp = getspnam("root");
    int spe = errno;
    struct spwd spbuf, *spres = &spbuf;
    r = getspnam_r("root", &spbuf, buf, sizeof buf, &spres);
    printf("getspnam(root): %s %s, getspnam_r: %s %s\n", sp ? "the host's hash" : "NULL",
           err_name(spe), err_name(r), spres ? "found" : "NULL");
    const char *login = getlogin();
    r = getlogin_r(buf, sizeof buf);
    printf("getlogin: %s, getlogin_r: %s %s\n", login ? login : "NULL", err_name(r),
           r ? "-" : buf);
}

/* The other databases glibc reads from the host's /etc and /var/run. */
static void etc_files(void)
{
    errno = 0;
    struct sgrp *sg = getsgnam("root");
    printf("getsgnam(root): %s %s\n", sg ? "the host's hash" : "NULL", err_name(errno));
    struct passwd pw, *pwr = &pw;
    struct group gr, *grr = &gr;
    char buf[1024];
    int pe = getpwent_r(&pw, buf, sizeof buf, &pwr);
    int ge = getgrent_r(&gr, buf, sizeof buf, &grr);
    errno = 0;
    int gp = getpw(0, buf);
    printf("getpwent_r: %s %s, getgrent_r: %s %s, getpw(0): %d %s\n", err_name(pe),
           pwr ? "found" : "NULL", err_name(ge), grr ? "found" : "NULL", gp, err_name(errno));
    struct ether_addr ea;
    printf("getfsent: %s, getrpcbyname(portmapper): %s, ether_hostton: %d\n",
           getfsent() ? "an entry" : "NULL", getrpcbyname("portmapper") ? "found" : "NULL",
           ether_hostton("localhost", &ea));
    setutxent();
    printf("getutxent: %s, getttyent: %s, getaliasent: %s, innetgr: %d, gethostid: %ld\n",
           getutxent() ? "a record" : "NULL", getttyent() ? "an entry" : "NULL",
           getaliasent() ? "an entry" : "NULL", innetgr("g", "h", "u", "d"), gethostid());
    endutxent();
    printf("getusershell:");
    for (int i = 0; i < 3; i++) {   /* each answer lasts until the next call */
        char *sh = getusershell();
        printf(" %s", sh ? sh : "NULL");
    }
    setusershell();
    char *sh = getusershell();
    printf(", again %s\n", sh ? sh : "NULL");
    endusershell();
}

static void loading(void)
{
    void *h = dlopen("libm.so.6", RTLD_NOW);
    printf("dlopen(libm.so.6): %s, %s\n", h ? "loaded" : "NULL", h ? "-" : dlerror());
    printf("dlerror again: %s\n", dlerror() ? "a message" : "NULL");
    printf("dlmopen: %s, dlopen(NULL): %s\n",
           dlmopen(LM_ID_NEWLM, "libz.so.1", RTLD_NOW) ? "loaded" : "NULL",
           dlopen(NULL, RTLD_NOW) ? "the program" : "NULL");
}

static void services(void)
{
    openlog("apphost", LOG_PERROR, LOG_USER);
    syslog(LOG_INFO, "hello %d", 7);
    int old = setlogmask(LOG_UPTO(LOG_ERR));
    syslog(LOG_INFO, "masked");
    syslog(LOG_ERR, "an error");
    setlogmask(old);
    closelog();
    syslog(LOG_ERR, "closed, not shown");
    printf("syslog: done\n");
    errno = 0;
    key_t k = ftok("/etc/passwd", 1);
    printf("ftok(/etc/passwd): %d %s\n", (int)k, err_name(errno));
    errno = 0;
    mqd_t q = mq_open("/q", O_RDWR | O_CREAT, 0600, NULL);
    int e = errno;
    errno = 0;
    int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    printf("mq_open: %d %s, shmget: %d %s\n", (int)q, err_name(e), shm, err_name(errno));
    errno = 0;
    FILE *m = setmntent("/proc/mounts", "r");
    e = errno;
    errno = 0;
    nl_catd cat = catopen("libc", 0);
    printf("setmntent(/proc/mounts): %s %s, catopen: %s %s, catgets: %s\n",
           m ? "opened" : "NULL", err_name(e), cat == (nl_catd)-1 ? "-1" : "opened",
           err_name(errno), catgets(cat, 1, 1, "default"));
}

static void locales(void)
{
    char *saved = strdup(setlocale(LC_ALL, NULL));
    const char *r = setlocale(LC_ALL, "");
    printf("setlocale(LC_ALL, \"\"): %s\n", r ? r : "NULL");
    r = setlocale(LC_ALL, "de_DE.UTF-8");
    printf("setlocale(de_DE.UTF-8): %s, newlocale: %s\n", r ? r : "NULL",
           newlocale(LC_ALL_MASK, "de_DE.UTF-8", NULL) ? "made" : "NULL");
    r = setlocale(LC_CTYPE, "C.UTF-8");
    printf("setlocale(LC_CTYPE, C.UTF-8): %s, printf %%.1f: %.1f\n", r ? r : "NULL", 3.5);
    /* glibc's gettext honours LANGUAGE (env_cet: de) outside plain C and
     * read the host's catalogs: German where they are installed. */
    setlocale(LC_ALL, "C.UTF-8");
    printf("C.UTF-8 dgettext: %s, ngettext(2): %s\n",
           dgettext("libc", "No such file or directory"), ngettext("file", "files", 2));
    setlocale(LC_ALL, saved);
    free(saved);
}

/* Calls whose glibc versions wrote the host's /etc/hostid, walked and
 * fchdir'ed into its directories, read its terminal, users and
 * .rhosts, armed a host timer, logged to /dev/log or wrote past stdio. */
static void reaching_the_host(void)
{
    errno = 0;
    int r = sethostid(0x2a);
    printf("sethostid: %d %s\n", r, err_name(errno));
    char *roots[] = {"/", NULL};
    errno = 0;
    FTS *fts = fts_open(roots, FTS_PHYSICAL, NULL);
    printf("fts_open(/): %s %s\n", fts ? "opened" : "NULL", err_name(errno));
    if (fts)
        fts_close(fts);
    errno = 0;
    r = ruserok("localhost", 0, "root", "root");
    int e = errno;
    errno = 0;
    int slot = ttyslot();
    printf("ruserok: %d %s, ttyslot: %d %s\n", r, err_name(e), slot, err_name(errno));
    unsigned short samples[64];
    errno = 0;
    r = profil(samples, sizeof samples, 0, 0x10000);
    e = errno;
    if (r == 0)
        profil(samples, sizeof samples, 0, 0); /* scale 0: off */
    errno = 0;
    int fm = fmtmsg(MM_CONSOLE | MM_PRINT, "apphost:fmtmsg", MM_ERROR, "text", MM_NULLACT,
                    MM_NULLTAG);
    printf("profil: %d %s, fmtmsg: %d %s\n", r, err_name(e), fm, err_name(errno));
    errno = 0;
    char *pass = getpass("password: ");
    e = errno;
    char name[L_cuserid];
    errno = 0;
    char *user = cuserid(name);
    printf("getpass: %s %s, cuserid: %s %s\n", pass ? "a password" : "NULL", err_name(e),
           user ? user : "NULL", err_name(errno));
    glob_t g;
    r = glob("~root", GLOB_TILDE_CHECK, NULL, &g);
    printf("glob(~root, GLOB_TILDE_CHECK): %s\n",
           r == GLOB_NOMATCH ? "GLOB_NOMATCH" : r ? "an error" : g.gl_pathv[0]);
    if (r == 0)
        globfree(&g);
    psiginfo(&(siginfo_t){.si_signo = SIGINT}, "psiginfo");
}

int main(void)
{
    time_zone();
    names();
    users();
    etc_files();
    loading();
    services();
    reaching_the_host();
    locales();
    return 0;
}
