/* component_manager.h — a Fuchsia-like system of components: the system's
 * directories and their servers, appmgr, environments with their services,
 * packages, and launching components into sandboxes. Host side (never from
 * a simulated thread). Flat C: opaque pointers, plain enums and structs.
 * See component_manager.c (the system) and cm_launch.c (launching).
 */
#ifndef CAPSIM_SANDBOX_COMPONENT_MANAGER_H
#define CAPSIM_SANDBOX_COMPONENT_MANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/syscalls/policy.h>
#include <zircon/types.h>

#include "sandbox_policy.h"

typedef struct Kernel Kernel;
typedef struct KJob KJob;
typedef struct KProcess KProcess;
typedef struct CmSystem CmSystem;
typedef struct CmEnv CmEnv;
typedef struct CmComponent CmComponent;

typedef struct CmConfig {
    const SandboxPolicy *policy;   /* NULL: grant-all. Borrowed: must outlive the system */
    uint32_t fb_width, fb_height;  /* the framebuffer; 0 = 640 x 480 */
    /* Job policy applied to every component's job (ZX_JOB_POL_RELATIVE). */
    const zx_policy_basic_v2_t *job_policy;
    size_t njob_policy;
    bool bare_root_env;            /* no logger, echo, secrets in the root env */
} CmConfig;

typedef enum CmServiceKind {
    CM_SERVICE_LOGGER = 0,         /* fuchsia.logger.LogSink */
    CM_SERVICE_ECHO,               /* fidl.examples.echo.Echo */
    CM_SERVICE_SECRETS             /* capsim.Secrets */
} CmServiceKind;

/* Start the system on kernel k: a "sys" job holding memfs (/data, /tmp),
 * bootfs (/boot), systemfs (/system), pkgfs (/pkgfs), devmgr and its
 * drivers (/dev), appmgr (/hub, every /svc), and the root environment
 * "app" (with a logger, an echo and a secrets service unless bare). Nothing
 * runs until the engine does. NULL with *error (malloc'd) on failure. */
CmSystem *cm_new(Kernel *k, const CmConfig *cfg, char **error);
/* Kill every process and job the system started (the "sys" job tree). */
void cm_shutdown(CmSystem *cm);
/* Free the host-side records (after cm_shutdown and running the engine
 * until the processes are gone, or with the kernel itself). */
void cm_free(CmSystem *cm);
KJob *cm_system_job(CmSystem *cm);
Kernel *cm_kernel(CmSystem *cm);
const SandboxPolicy *cm_policy(CmSystem *cm);

/* ---- environments ---------------------------------------------------------- */
CmEnv *cm_root_env(CmSystem *cm);
/* A nested environment with its own job and service set; `inherit` makes
 * the parent's services visible in it too. */
CmEnv *cm_env_new(CmSystem *cm, CmEnv *parent, const char *name, bool inherit,
                  char **error);
/* Start a service provider in env's job, registered as `name` (NULL: the
 * kind's standard name). */
bool cm_env_add_service(CmSystem *cm, CmEnv *env, CmServiceKind kind,
                        const char *name, char **error);
const char *cm_env_name(const CmEnv *env);
KJob *cm_env_job(const CmEnv *env);

/* ---- packages ------------------------------------------------------------- */
/* Install an archive in pkgfs as packages/<name>/0. name NULL: meta/package's
 * name. The archive is checked first (malformed: refused, *error says why). */
bool cm_add_package(CmSystem *cm, const char *name, const uint8_t *far, size_t len,
                    char **error);
/* From a file; the name is meta/package's or the file's (without ".far").
 * Returns the installed name (malloc'd) or NULL. */
char *cm_add_package_file(CmSystem *cm, const char *path, char **error);
/* Register a built-in program a package's bin/app may name with
 * "#!capsim-builtin <name>" (once per host process is enough). */
void cm_builtin_register(const char *name, int (*main_fn)(int argc, char **argv));
/* Put a file (and its directories) in /data, e.g. something to leak. */
bool cm_data_put(CmSystem *cm, const char *path, const void *data, size_t len,
                 char **error);

/* ---- components ------------------------------------------------------------ */
/* Launch `package` in env: parse meta/sandbox, check the policy, build the
 * namespace, create its job (with the configured job policy), start bin/app
 * with argv. A refused launch (unknown package, malformed manifest, policy)
 * returns NULL with *error, and is recorded (cm_component_* and a KTR_NOTE
 * "component_refused ..." trace record). */
CmComponent *cm_launch(CmSystem *cm, CmEnv *env, const char *package, int argc,
                       const char *const *argv, char **error);
/* What launching `package` in env would give, without launching: one
 * "<path> <request>" line per namespace entry, sorted by path (malloc'd),
 * or NULL with *error saying why the launch would be refused. */
char *cm_plan(CmSystem *cm, CmEnv *env, const char *package, char **error);
/* Every launch attempt, in order (refused ones included). */
size_t cm_component_count(CmSystem *cm);
CmComponent *cm_component_at(CmSystem *cm, size_t i);
const char *cm_component_package(const CmComponent *c);
const char *cm_component_refusal(const CmComponent *c);   /* NULL if launched */
KProcess *cm_component_process(const CmComponent *c);     /* NULL if refused */
KJob *cm_component_job(const CmComponent *c);
/* The namespace it was given: sorted by path. */
size_t cm_component_ns_count(const CmComponent *c);
const char *cm_component_ns_path(const CmComponent *c, size_t i);
/* Which request put entry i there ("package", "dev:class/framebuffer"...). */
const char *cm_component_ns_why(const CmComponent *c, size_t i);
/* Requests granted without a namespace entry (policy notes), or "". */
const char *cm_component_notes(const CmComponent *c);

#endif
