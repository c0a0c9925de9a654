/* app_world.h — the app layer's per-kernel state, shared by the files of
 * model/app. See app_world.c for the design. */
#ifndef CAPSIM_APP_WORLD_H
#define CAPSIM_APP_WORLD_H

#include <glib.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>

#include "app.h"
#include "app_instance.h"
#include "process.h"
#include "sim.h"

/* Request ops the app layer handles itself (beyond the syscall table). */
#define APP_OP_FIRST 0x10000u
#define APP_OP_SPAWN 0x10001u
#define APP_OP_PTHREAD_CANCEL 0x10002u

/* libc's data symbols each process has its own value of (app_world_io.c). */
enum {
    APP_IO_STDIN, APP_IO_STDOUT, APP_IO_STDERR, APP_IO_ENVIRON,
    APP_IO_OPTIND, APP_IO_OPTERR, APP_IO_OPTOPT, APP_IO_OPTARG,
    APP_IO_TZNAME0, APP_IO_TZNAME1, APP_IO_TIMEZONE, APP_IO_DAYLIGHT,
    APP_IO_SIGNGAM, APP_IO_GETDATE_ERR, APP_IO_PROGNAME_FULL, APP_IO_PROGNAME,
    APP_IO_NSLOTS
};

typedef struct AppWorld AppWorld;
typedef struct AppProc AppProc;

/* One stdio stream of a process: a fopencookie FILE and its cookie.
 * Reused for later processes once its own has ended (app_world_io.c). */
typedef struct AppStream {
    AppProc *proc;            /* NULL while pooled */
    FILE *f;
    int stream;               /* 0 stdin, 1 stdout, 2 stderr */
    bool closed;              /* the app fclose'd it */
    struct AppStream *next;   /* pool link */
} AppStream;

typedef struct AppChunk {
    int stream;
    size_t off, len;          /* in AppProc.bytes */
} AppChunk;

/* A process's rand/random/drand48 generators, as Fuchsia's libc keeps
 * them (libc_prng.c). */
typedef struct AppPrng {
    uint64_t rand_seed;       /* rand, srand */
    uint64_t random_counter;  /* random, srandom, initstate, setstate */
    unsigned short rand48[7]; /* drand48 family: x[3], then a[3] and c */
    unsigned short seed48_old[3]; /* seed48's answer */
} AppPrng;

struct LibcProcBuffers;
struct AppHeap;
struct LibcThreadBuffers;
struct LibcMemstream;

/* openlog's settings and setlogmask's mask (libc_host_services.c). */
typedef struct AppLog {
    const char *ident;        /* NULL: the process name */
    int option;
    int mask;                 /* 0: every priority (libc's default) */
} AppLog;

typedef struct AppAtexit {
    void (*fn)(void *);
    void *arg;
} AppAtexit;

/* Handlers a process registered, run last first (app_launch.c). */
typedef struct AppAtexitList {
    AppAtexit *fns;
    size_t n, cap;
} AppAtexitList;

struct AppProc {
    AppWorld *w;
    KProcess *p;              /* NULL once it has ended */
    zx_koid_t koid;
    char name[ZX_MAX_NAME_LEN];
    AppInstance *inst;        /* copy its code runs in (reference), or NULL */
    bool owns_inst;           /* launched from it: runs its init and fini */
    bool owns_runtime;        /* launched by app_launch: free the runtime block */
    /* libc's per-process globals while its threads run (app_world_io.c):
     * stdin, stdout, stderr, environ, optind, opterr, optopt, optarg,
     * tzname[0], tzname[1], timezone, daylight, signgam (libm's),
     * getdate_err, program_invocation_name and _short_name. */
    uint64_t io[APP_IO_NSLOTS];
    AppStream *streams[3];    /* its stdin, stdout, stderr */
    /* Captured output (app_output.c). */
    GByteArray *bytes;
    GArray *chunks;           /* AppChunk */
    bool truncated;
    bool closing;             /* its FILEs are being closed at its end */
    /* exit() and quick_exit() (app_launch.c). */
    AppAtexitList atexit_list;   /* atexit, __cxa_atexit */
    AppAtexitList quick_list;    /* at_quick_exit */
    bool exiting;             /* exit() is running its handlers */
    bool exited;              /* ended by its own request */
    /* getprotoent's place in the protocol table (libc_protocols.c). */
    size_t protocols_next;
    /* getopt's place inside a cluster like "-abc" (libc_getopt.c). */
    int getopt_pos;
    AppLog log;               /* syslog's settings (libc_host_services.c) */
    /* libc's hidden state a process owns, each a copy of its own. */
    AppPrng prng;             /* libc_prng.c */
    struct LibcProcBuffers *buffers; /* static results (libc_static_buffers.c), lazily */
    locale_t locale;          /* setlocale's (libc_locale.c); NULL: "C" */
    char **environ_own;       /* the array setenv & co. edit (libc_environ.c) */
    size_t environ_cap;
    GPtrArray *environ_strings; /* the strings setenv made, lazily */
    struct AppHeap *heap;     /* its malloc heap (app_heap.c), lazily */
    struct LibcMemstream *memstreams; /* its open_memstream streams (libc_memstream.c) */
    /* How it ended. */
    AppEnd end;
    int64_t return_code;
    int fault_kind;
    uint64_t fault_addr;
    bool fault_addr_known;
};

typedef struct AppThread {
    AppProc *proc;            /* NULL: not a thread of a process */
    uint8_t *tls_save;        /* its values of proc->inst's TLS block */
    /* libc's hidden per-thread state. */
    int h_errno_value;        /* libc_h_errno.c */
    locale_t locale;          /* uselocale's (libc_locale.c); NULL: the process's */
    struct LibcThreadBuffers *buffers; /* libc_static_buffers.c, lazily */
} AppThread;

struct AppWorld {
    Kernel *k;
    SimHookFn prev_hook;
    SimThreadExitFn prev_exit;
    SimFaultFn prev_fault;
    void *prev_ctx;
    GHashTable *by_koid;      /* koid -> AppProc* (lookup only) */
    GPtrArray *procs;         /* AppProc*, sorted by koid */
    AppThread **threads;      /* by engine thread id */
    size_t threads_cap;
    size_t output_limit;
    GArray *order;            /* AppOutputRef: every chunk, in write order */
    GHashTable *images;       /* path -> AppImage* spawned by path (cache) */
};

/* One chunk of one process, in the world's global write order. */
typedef struct AppOutputRef {
    zx_koid_t koid;
    size_t index;             /* in that process's chunks */
} AppOutputRef;

/* The world attached to k (NULL if none) / attach one. */
AppWorld *app_world_of(Kernel *k);
AppWorld *app_world_get(Kernel *k);
/* The AppProc for process p, created on first sight; `inst` (may be NULL)
 * is what its code runs in (a reference is taken). */
AppProc *app_world_proc(AppWorld *w, KProcess *p, AppInstance *inst);
AppProc *app_world_proc_by_koid(AppWorld *w, zx_koid_t koid);
/* Kernel.image_memory (app_image_memory.c): the piece of p's loaded copy
 * holding addr, its end, and whether the kernel may write it. */
bool app_image_memory(Kernel *k, KProcess *p, uintptr_t addr, uintptr_t *end,
                      bool *writable);
/* On a fiber: the calling thread's process record, NULL for a bare engine
 * thread or when no world is attached. */
AppProc *app_world_current_proc(void);
/* Is app code of a simulated process running? The libc interposers'
 * question (libc_*.c): then they simulate the call; otherwise (the host,
 * the engine, kernel code serving an app thread) libc's own runs. */
bool app_world_in_app_code(void);
/* The same, and the call comes from `caller` (a return address) in an app
 * copy rather than a host library running on the app's thread (GLib,
 * libstdc++...; the rule is fdio_libc_host_caller's): for calls whose
 * state the host's libraries keep in libc's tables, as thread-specific
 * keys or memory. */
bool app_world_app_caller(const void *caller);
/* Is `caller` (a return address) code of a loaded app copy? Unlike the
 * above, code of the host executable (built-in programs, test harnesses)
 * is not: their globals outlive any one process. */
bool app_world_caller_in_copy(const void *caller);
/* The calling thread's record while app code runs (NULL otherwise). */
AppThread *app_world_current_thread(void);

/* app_world_io.c: which process's stdio/environ are in libc's globals. */
void app_io_prepare(void);                  /* find libc's symbols (engine side) */
void app_io_install(AppProc *ap);          /* NULL: the host's */
AppProc *app_io_installed(void);
FILE *app_io_host_stream(int stream);       /* the host's stdout (1)/stderr (2) */
bool app_io_open(AppProc *ap);
void app_io_set_environ(AppProc *ap, char **envp);
/* Set one of the running process's libc globals, at both addresses (a
 * host executable's COPY relocation and libc's own, which apps see). */
void app_io_set_running(int slot, uint64_t value);
/* The running process's value of one of them, as the app last left it. */
uint64_t app_io_running(int slot);
void app_io_close(AppProc *ap);
char **app_io_environ(AppProc *ap);         /* its current environment */

/* libc_prng.c: the state a new process starts from (as after srand(1)). */
void libc_prng_init(AppPrng *s);

/* libc_static_buffers.c: free a process's / a thread's buffers (nothing of
 * it runs again). */
void libc_static_buffers_free_proc(AppProc *ap);
void libc_static_buffers_free_thread(AppThread *at);

/* libc_environ.c: free the environment a process's setenv & co. made. */
void libc_environ_free_proc(AppProc *ap);

/* libc_memstream.c: the process's memory streams never touch it again. */
void libc_memstream_orphan_proc(AppProc *ap);

/* app_world_locale.c: the locale in force on the host thread. Before a
 * thread of an app runs: its own (uselocale), else its process's, else C;
 * app_locale_leave puts the host's back (at kernel entry), and
 * app_locale_leave_to_host when the run returns to the host. */
void app_locale_enter(AppThread *at);
void app_locale_leave(void);
void app_locale_leave_to_host(void);
/* Is an app's own (not the plain C) locale in force? */
bool app_locale_app_installed(void);
/* The process's or thread's locale changed: take effect now. */
void app_locale_refresh(void);
/* A process's locale has ended: never installed again. */
void app_locale_forget(locale_t l);

/* app_output.c */
void app_output_init(AppProc *ap);
void app_output_free(AppProc *ap);
void app_output_record(AppProc *ap, int stream, const char *buf, size_t n);

/* app_launch.c */
void app_launch_exit(int code, bool run_handlers) __attribute__((noreturn));
void app_launch_quick_exit(int code) __attribute__((noreturn));
int app_launch_add_atexit(AppAtexitList *list, void (*fn)(void *), void *arg);
void app_launch_free_atexit(AppProc *ap);

/* libc_signal.c: libc's own raise(), whoever calls (abort() in app code
 * must still raise the real SIGABRT the engine contains). */
int libc_signal_host_raise(int sig);

/* app_cancel.c: the APP_OP_PTHREAD_CANCEL request, on the engine side,
 * and the check at every kernel entry of an app thread: true if the
 * request is answered without being made (a pending cancellation). */
int64_t app_cancel_handle(SimThread *caller, SimRequest *req);
bool app_cancel_at_entry(SimThread *caller, SimRequest *req);
/* app_spawn.c: the APP_OP_SPAWN request, on the engine side. */
int64_t app_spawn_handle(AppWorld *w, SimThread *caller, SimRequest *req);

#endif
