/* launch.h — starting a process the processargs way, from the host side.
 *
 * What a launcher (capsim run, the component manager, tests, scenarios)
 * uses to create a process in a job, give it exactly the startup handles it
 * should have — PA_PROC_SELF, PA_THREAD_SELF, PA_VMAR_ROOT, PA_JOB_DEFAULT,
 * plus any extra handles with their PA_* info — and run a C entry point on
 * its first thread. A process launched with no handles really has none.
 * Read next: launch.c.
 */
#ifndef CAPSIM_MODEL_LAUNCH_H
#define CAPSIM_MODEL_LAUNCH_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "kernel.h"
#include "thread.h"

typedef struct KJob KJob;
typedef struct KProcess KProcess;

#define LAUNCH_MAX_EXTRA 32

/* Which standard startup handles to give (bit per PA type). */
enum {
    LAUNCH_GIVE_PROC_SELF = 1u << 0,
    LAUNCH_GIVE_THREAD_SELF = 1u << 1,
    LAUNCH_GIVE_VMAR_ROOT = 1u << 2,
    LAUNCH_GIVE_JOB_DEFAULT = 1u << 3,
    LAUNCH_GIVE_STANDARD = 0xFu
};

typedef struct LaunchHandle {
    uint32_t info;           /* PA_HND(type, arg) */
    KObject *object;         /* the launcher keeps its own reference */
    zx_rights_t rights;
} LaunchHandle;

typedef struct LaunchSpec {
    const char *name;
    ThreadEntryFn entry;     /* runs on the first thread */
    uintptr_t arg1, arg2;
    uint32_t give;           /* LAUNCH_GIVE_* bits */
    KJob *default_job;       /* for PA_JOB_DEFAULT; NULL = the process's job */
    zx_rights_t job_rights;  /* 0 = ZX_DEFAULT_JOB_RIGHTS */
    LaunchHandle extra[LAUNCH_MAX_EXTRA];
    size_t nextra;
    int argc;
    char **argv;             /* copied into the runtime block */
    char **envp;
    void *loader;            /* passed to the runtime block */
    /* processargs name table: the path of a PA_HND(PA_NS_DIR, i) handle is
     * names[i]; copied into the runtime block. */
    const char *const *names;
    size_t nnames;
    /* A server (directory server, driver, service): its threads waiting
     * for requests are idle, so a run ending with only them blocked is
     * quiescent, not a deadlock (sim_thread_set_server). */
    bool server;
    /* The first thread's stack ("initial-thread", thread_stack.h); 0 =
     * Fuchsia's default, 256 KiB. */
    size_t stack_size;
} LaunchSpec;

/* Create the process in `job`, install its startup handles, start its first
 * thread. On success *out has a reference the caller must drop
 * (kobject_unref). */
zx_status_t launch_process(Kernel *k, KJob *job, const LaunchSpec *spec,
                           KProcess **out);
/* Free the runtime block of a dead process (launch.c allocates it). */
void launch_release(KProcess *p);

#endif
