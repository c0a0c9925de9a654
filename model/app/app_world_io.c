/* app_world_io.c — each process's stdin, stdout, stderr, environment,
 * getopt state, time zone globals, signgam, getdate_err and program name,
 * multiplexed onto libc's (and libm's) process-wide globals.
 *
 * Models: fds 0-2, the environment block and the C runtime globals a
 * Fuchsia process has to itself. App code and libc's own functions use
 * libc's stdin, stdout, stderr, environ, optind, opterr, optopt, optarg,
 * tzname, timezone, daylight, getdate_err, program_invocation_name and
 * program_invocation_short_name (glibc's __progname_full and __progname:
 * what err(), warn() and error() print first) and libm's signgam (lgamma's
 * sign, written by lgamma, lgammaf, lgammal and gamma: a data symbol,
 * swapped, covers every writer, glibc's own included, where interposing
 * the functions would miss some). Each process gets its own: fopencookie FILEs
 * (stdout/stderr record what is written, app_output.c, unbuffered so a
 * killed process loses nothing; stdin reads end-of-file; they follow
 * what fds 0-2 hold: an fdio object given at startup or dup2'ed there is
 * read or written instead, a closed one is EBADF), its environment,
 * getopt from optind 1 (its place inside "-abc" is AppProc's, libc_getopt.c),
 * UTC until its tzset (libc_tz.c) says else, signgam and getdate_err 0,
 * its program named after its argv[0] and that path's last component, as
 * Fuchsia's libc names it (else by the process's name; before, every app
 * was the host's /.../capsim). The
 * resume hook installs them when a thread of another process is about to
 * run, after reading back the outgoing process's (setenv, freopen, getopt
 * keep their effects).
 *
 * Two addresses per symbol: a PIE host executable has COPY relocations for
 * the ones it uses (libc's code and libcapsim use the copy) while apps,
 * loaded with RTLD_DEEPBIND, bind to libc's original. Both are written; on
 * read-back a value the app changed in the original wins, else the copy's.
 *
 * Host side: the first install saves the host's values, installing NULL
 * restores them. The engine does not restore them around its own work:
 * what host code writes to an app's FILE while no fiber runs goes to the
 * host's stream, so a simulator panic still reaches the terminal. Streams
 * are pooled, never fclose'd (see app_io_stream_put). State is static (one
 * libc per host process), one host thread at a time. Leaves out: other
 * libc globals. Read next: app_output.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app_world.h"
#include "sdk/fdio_internal.h"
#include "sdk/runtime.h"

extern char **environ;

typedef struct AppIoSlot {
    void *global;   /* &symbol as libcapsim (and libc's code) sees it */
    void *libc;     /* libc's own definition (what DEEPBIND'd apps see) */
    size_t size;
    uint64_t installed; /* the value last written while a process runs */
} AppIoSlot;

static AppIoSlot app_io_slots[APP_IO_NSLOTS];
static pthread_once_t app_io_once = PTHREAD_ONCE_INIT;
static AppProc *app_io_cur;              /* whose values libc holds, or NULL */
static uint64_t app_io_host[APP_IO_NSLOTS];
static char *app_io_empty_env[1];        /* the environment of a process given none */
static char app_io_utc[] = "UTC";         /* tzname of a process before its tzset */
static uint64_t app_io_no_symbol;        /* a slot whose library is absent */

/* Where each slot's symbol lives: libc, but signgam is libm's (lgamma,
 * lgammaf, lgammal and glibc's gamma write it). libm is loaded here if no
 * one has yet (apps linking it later get this same object), and kept. */
static void *app_io_library(int slot)
{
    static void *libc, *libm;
    if (slot != APP_IO_SIGNGAM)
        return libc ? libc : (libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD));
    return libm ? libm : (libm = dlopen("libm.so.6", RTLD_NOW));
}

static void app_io_find(void)
{
    static const char *const names[APP_IO_NSLOTS] = {
        "stdin", "stdout", "stderr", "environ", "optind", "opterr", "optopt", "optarg",
        "tzname", "tzname", "timezone", "daylight", "signgam", "getdate_err",
        "program_invocation_name", "program_invocation_short_name"};
    /* signgam: libcapsim does not link libm; the name as the host binds it. */
    void *addr[APP_IO_NSLOTS] = {&stdin, &stdout, &stderr, &environ,
                                 &optind, &opterr, &optopt, &optarg,
                                 &tzname[0], &tzname[1], &timezone, &daylight,
                                 dlsym(RTLD_DEFAULT, "signgam"), &getdate_err,
                                 &program_invocation_name, &program_invocation_short_name};
    size_t size[APP_IO_NSLOTS] = {sizeof stdin, sizeof stdout, sizeof stderr,
                                  sizeof environ, sizeof optind, sizeof opterr,
                                  sizeof optopt, sizeof optarg, sizeof tzname[0],
                                  sizeof tzname[1], sizeof timezone, sizeof daylight,
                                  sizeof(int), sizeof getdate_err,
                                  sizeof program_invocation_name,
                                  sizeof program_invocation_short_name};
    for (int i = 0; i < APP_IO_NSLOTS; i++) {
        void *lib = app_io_library(i);
        char *own = lib ? dlsym(lib, names[i]) : NULL;
        if (own && i == APP_IO_TZNAME1)
            own += sizeof tzname[0];
        if (!addr[i])
            addr[i] = own ? own : (void *)&app_io_no_symbol; /* no libm: harmless */
        app_io_slots[i] = (AppIoSlot){addr[i], own ? own : addr[i], size[i], 0};
    }
}

static uint64_t app_io_load(const void *p, size_t size)
{
    uint64_t v = 0;
    memcpy(&v, p, size);
    return v;
}

static uint64_t app_io_read_slot(const AppIoSlot *s)
{
    uint64_t mine = app_io_load(s->libc, s->size);
    return mine != s->installed ? mine : app_io_load(s->global, s->size);
}

static void app_io_read_back(uint64_t *vals)
{
    for (int i = 0; i < APP_IO_NSLOTS; i++)
        vals[i] = app_io_read_slot(&app_io_slots[i]);
}

static void app_io_write(const uint64_t *vals)
{
    for (int i = 0; i < APP_IO_NSLOTS; i++) {
        AppIoSlot *s = &app_io_slots[i];
        memcpy(s->global, &vals[i], s->size);
        memcpy(s->libc, &vals[i], s->size);
        s->installed = vals[i];
    }
}

void app_io_prepare(void)
{
    pthread_once(&app_io_once, app_io_find);
}

AppProc *app_io_installed(void)
{
    return app_io_cur;
}

FILE *app_io_host_stream(int stream)
{
    if (!app_io_cur)
        return stream == 2 ? stderr : stdout;
    return (FILE *)(uintptr_t)app_io_host[stream == 2 ? APP_IO_STDERR : APP_IO_STDOUT];
}

void app_io_install(AppProc *ap)
{
    if (app_io_cur == ap)
        return;
    pthread_once(&app_io_once, app_io_find);
    if (app_io_cur) {
        app_io_read_back(app_io_cur->io);
    } else {
        for (int i = 0; i < APP_IO_NSLOTS; i++)
            app_io_host[i] = app_io_load(app_io_slots[i].global, app_io_slots[i].size);
    }
    app_io_write(ap ? ap->io : app_io_host);
    app_io_cur = ap;
}

/* A stdio FILE reads and writes what the process's descriptor 0, 1 or 2
 * holds, as on Fuchsia, where stdin/stdout/stderr are fds 0-2: a captured
 * stream (its own at the start, another after dup2(2, 1)), an fdio object
 * (given at startup, or dup2'ed over), or nothing once closed (EBADF). */
static ssize_t app_io_read(void *cookie, char *buf, size_t n)
{
    AppStream *s = cookie;
    int to = s->proc ? fdio_stdio_target(s->stream) : 0;
    if (to == FDIO_STDIO_TO_FD)
        return read(s->stream, buf, n);
    if (to == 0)
        return 0; /* end of file: a process has no terminal */
    errno = EBADF; /* closed, or an output stream */
    return -1;
}

static ssize_t app_io_write_cookie(void *cookie, const char *buf, size_t n)
{
    AppStream *s = cookie;
    if (!s->proc)
        return (ssize_t)n; /* a stale pointer to a pooled stream */
    if (!sim_current() && !s->proc->closing) {
        /* Host code writing through an app's FILE left in libc's globals. */
        return (ssize_t)fwrite(buf, 1, n, app_io_host_stream(s->stream));
    }
    int to = fdio_stdio_target(s->stream);
    if (to == FDIO_STDIO_TO_FD)
        return write(s->stream, buf, n);
    if (to != 1 && to != 2) {
        errno = EBADF; /* closed, or stdin put there */
        return -1;
    }
    app_output_record(s->proc, to, buf, n);
    return (ssize_t)n;
}

static int app_io_close_cookie(void *cookie)
{
    ((AppStream *)cookie)->closed = true; /* freed when it leaves its owner or the pool */
    return 0;
}

/* Streams are never fclose'd while the host runs: glibc unlinks a FILE by
 * walking its list of all FILEs, which made thousands of process ends
 * quadratic. A process's streams go back to a pool and serve the next. */
static AppStream *app_io_pool[3];

static AppStream *app_io_stream_get(AppProc *ap, int stream)
{
    AppStream *s;
    while ((s = app_io_pool[stream]) && s->closed) { /* fclose'd through a stale pointer */
        app_io_pool[stream] = s->next;
        free(s);
    }
    if (s) {
        app_io_pool[stream] = s->next;
    } else {
        cookie_io_functions_t fns = {
            .read = app_io_read,
            .write = app_io_write_cookie,
            .seek = NULL,
            .close = app_io_close_cookie,
        };
        if (!(s = calloc(1, sizeof *s)))
            return NULL;
        s->stream = stream;
        if (!(s->f = fopencookie(s, stream == 0 ? "r" : "w", fns))) {
            free(s);
            return NULL;
        }
    }
    s->proc = ap;
    s->closed = false;
    s->next = NULL;
    if (stream != 0)
        setvbuf(s->f, NULL, _IONBF, 0);
    return s;
}

static void app_io_stream_put(AppStream *s)
{
    if (s->closed) { /* the app fclose'd it: glibc freed the FILE */
        free(s);
        return;
    }
    fflush(s->f);    /* if the app buffered it: still this process's bytes */
    clearerr(s->f);
    s->proc = NULL;
    s->next = app_io_pool[s->stream];
    app_io_pool[s->stream] = s;
}

/* argv[0] and its last component, as Fuchsia's libc takes them; a
 * process given no argv (zx_process_start) is named by its name. */
static void app_io_progname(AppProc *ap)
{
    const CapsimProcessRuntime *rt = ap->p ? ap->p->runtime : NULL;
    const char *full = rt && rt->argc > 0 && rt->argv && rt->argv[0] ? rt->argv[0] : ap->name;
    const char *slash = strrchr(full, '/');
    ap->io[APP_IO_PROGNAME_FULL] = (uintptr_t)full;
    ap->io[APP_IO_PROGNAME] = (uintptr_t)(slash ? slash + 1 : full);
}

static void app_io_defaults(AppProc *ap)
{
    for (int i = 0; i < 3; i++)
        ap->io[APP_IO_STDIN + i] = (uintptr_t)ap->streams[i]->f;
    ap->io[APP_IO_ENVIRON] = (uintptr_t)app_io_empty_env;
    ap->io[APP_IO_OPTIND] = 1;
    ap->io[APP_IO_OPTERR] = 1;
    ap->io[APP_IO_OPTOPT] = 0;       /* Fuchsia's (musl's); glibc starts at '?' */
    ap->io[APP_IO_OPTARG] = 0;
    ap->io[APP_IO_TZNAME0] = ap->io[APP_IO_TZNAME1] = (uintptr_t)app_io_utc;
    ap->io[APP_IO_TIMEZONE] = 0;
    ap->io[APP_IO_DAYLIGHT] = 0;
    ap->io[APP_IO_SIGNGAM] = 0;
    ap->io[APP_IO_GETDATE_ERR] = 0;
    app_io_progname(ap);
}

bool app_io_open(AppProc *ap)
{
    for (int i = 0; i < 3; i++) {
        if (!(ap->streams[i] = app_io_stream_get(ap, i))) {
            app_io_close(ap);
            return false;
        }
    }
    app_io_defaults(ap);
    return true;
}

void app_io_set_running(int slot, uint64_t value)
{
    /* A process runs: app_io_install found the symbols (no pthread_once
     * here: in app code it is the simulated one). */
    AppIoSlot *s = &app_io_slots[slot];
    memcpy(s->global, &value, s->size);
    memcpy(s->libc, &value, s->size);
    s->installed = value;
    if (app_io_cur)
        app_io_cur->io[slot] = value;
}

uint64_t app_io_running(int slot)
{
    return app_io_read_slot(&app_io_slots[slot]);
}

void app_io_set_environ(AppProc *ap, char **envp)
{
    ap->io[APP_IO_ENVIRON] = (uintptr_t)(envp ? envp : app_io_empty_env);
}

char **app_io_environ(AppProc *ap)
{
    if (ap != app_io_cur)
        return (char **)(uintptr_t)ap->io[APP_IO_ENVIRON];
    uint64_t now[APP_IO_NSLOTS];
    app_io_read_back(now);
    return (char **)(uintptr_t)now[APP_IO_ENVIRON];
}

void app_io_close(AppProc *ap)
{
    if (app_io_cur == ap)
        app_io_install(NULL);
    ap->closing = true;
    for (int i = 0; i < 3; i++) {
        if (ap->streams[i])
            app_io_stream_put(ap->streams[i]);
        ap->streams[i] = NULL;
    }
    ap->closing = false;
    memset(ap->io, 0, sizeof ap->io);
    ap->io[APP_IO_ENVIRON] = (uintptr_t)app_io_empty_env;
    ap->io[APP_IO_TZNAME0] = ap->io[APP_IO_TZNAME1] = (uintptr_t)app_io_utc;
}
