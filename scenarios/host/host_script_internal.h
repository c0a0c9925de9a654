/* host_script_internal.h — the scripting state of one CapsimSystem, shared
 * by the host_*.c files behind capsim_script.h (never by its readers). */
#ifndef CAPSIM_HOST_SCRIPT_INTERNAL_H
#define CAPSIM_HOST_SCRIPT_INTERNAL_H

#include <stdarg.h>

#include "capsim_host_internal.h"
#include "capsim_script.h"
#include "process.h"

typedef struct VizRecorder VizRecorder;
typedef struct CmSystem CmSystem;
typedef struct SandboxPolicy SandboxPolicy;

typedef struct HostScript {
    KProcess *host;            /* the host's process, NULL until first used */
    VizRecorder *rec;          /* capsim_record, NULL if not recording */
    CmSystem *cm;              /* capsim_components_start */
    SandboxPolicy *policy;     /* the component system's, NULL = grant-all */
    void *job_policy;          /* its components' job policy (borrowed by it) */
    struct CmEnv **envs;       /* env index -> CmEnv (0 = root) */
    size_t nenvs;
    int last_status;           /* status of the last host_script_fail */
    size_t scan_from, scan_mark; /* capsim_run_until_event's resume point */
} HostScript;

/* The system's scripting state, created on first use. */
HostScript *host_script(CapsimSystem *sys);
/* Record `status` and a message for capsim_last_error; returns status. */
int host_script_fail(CapsimSystem *sys, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The image for `path` (cached per system), NULL with the error set. */
struct AppImage *host_script_image(CapsimSystem *sys, const char *path);
/* Host handles (host_objects.c): the Handle `value` names in the host's
 * table (NULL and the error set, *status = ZX_ERR_BAD_HANDLE, otherwise);
 * removing one (traced) and destroying it; a job handle (0 = root job). */
Handle *host_objects_lookup(CapsimSystem *sys, uint32_t value, int *status);
void host_objects_drop(CapsimSystem *sys, Handle *h);
KJob *host_objects_job(CapsimSystem *sys, uint32_t value, int *status);
/* The process that engine thread `thread` belongs to (0 if unknown). */
uint64_t host_script_thread_process(CapsimSystem *sys, uint64_t thread);

#endif
