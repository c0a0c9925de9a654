/* libc_static_buffers.h — the buffers behind libc's non-reentrant results,
 * one set per simulated process or thread. See libc_static_buffers.c. */
#ifndef CAPSIM_APP_LIBC_STATIC_BUFFERS_H
#define CAPSIM_APP_LIBC_STATIC_BUFFERS_H

#include <locale.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <search.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <wchar.h>

/* glibc's asctime buffer: room for any int year. */
#define LIBC_ASCTIME_MAX (3 + 1 + 3 + 1 + 20 + 1 + 20 + 1 + 20 + 1 + 20 + 1 + 20 + 1 + 1)
/* ecvt's and fcvt's: 17 significant digits and room; fcvt's as many
 * digits as a double has before the point, too (glibc's sizes). */
#define LIBC_ECVT_MAX (17 + 3)
#define LIBC_FCVT_MAX (308 + LIBC_ECVT_MAX)

/* The conversions with an internal state of their own (libc_mbstate.c). */
enum {
    LIBC_MB_MBRTOWC, LIBC_MB_MBRLEN, LIBC_MB_WCRTOMB, LIBC_MB_MBSRTOWCS,
    LIBC_MB_WCSRTOMBS, LIBC_MB_MBSNRTOWCS, LIBC_MB_WCSNRTOMBS, LIBC_MB_MBRTOC8,
    LIBC_MB_C8RTOMB, LIBC_MB_MBRTOC16, LIBC_MB_C16RTOMB, LIBC_MB_MBTOWC,
    LIBC_MB_NSTATES
};

/* A process's: what POSIX lets the next call of the same function (or of
 * its family) overwrite, and no other process. */
typedef struct LibcProcBuffers {
    char *strtok_next;            /* strtok's place */
    struct tm localtime_tm;       /* localtime (libc_tz.c) */
    struct tm gmtime_tm;          /* gmtime */
    char asctime[LIBC_ASCTIME_MAX]; /* asctime, ctime */
    char ecvt[LIBC_ECVT_MAX];
    char fcvt[LIBC_FCVT_MAX];
    char l64a[7];
    char tmpnam[L_tmpnam];        /* tmpnam(NULL) (model/sdk/fdio_temp.c) */
    struct hostent host;          /* gethostbyname(2), gethostbyaddr (libc_netdb.c) */
    char host_buf[1024];
    struct servent serv;          /* getservbyname, getservbyport */
    char serv_buf[64];
    struct protoent proto;        /* getprotoent, -byname, -bynumber (libc_protocols.c) */
    char *proto_aliases[1];
    char locale_name[512];        /* setlocale's answer (libc_locale.c) */
    struct lconv lconv;           /* localeconv */
    char ether_ntoa[18];
    struct ether_addr ether_aton;
    struct hsearch_data htab;     /* hcreate, hsearch, hdestroy */
    mbstate_t mbstate[LIBC_MB_NSTATES]; /* conversions given no state */
    struct tm getdate_tm;         /* getdate's answer (libc_getdate.c) */
    unsigned usershell_next;      /* getusershell's place (libc_etc_files.c) */
    char usershell[16];           /* and its answer */
} LibcProcBuffers;

/* A thread's: where glibc keeps one per thread. */
typedef struct LibcThreadBuffers {
    char strerror[64];            /* strerror, strerror_l: unknown codes */
    char strsignal[64];           /* strsignal: unknown and real-time */
    char inet_ntoa[18];
    char dlerror[512];            /* libc_dl.c */
    bool dlerror_pending;
} LibcThreadBuffers;

/* The calling process's / thread's, made on first use; NULL outside app
 * code or when out of memory (errno ENOMEM). */
LibcProcBuffers *libc_proc_buffers(void);
LibcThreadBuffers *libc_thread_buffers(void);

#endif
