/* cm_namespace.h — from a sandbox to a namespace: which paths a component
 * gets and where each comes from. Flat C. See cm_namespace.c. */
#ifndef CAPSIM_SANDBOX_CM_NAMESPACE_H
#define CAPSIM_SANDBOX_CM_NAMESPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* The system's directories a namespace entry can come from. */
typedef enum CmRoot {
    CM_ROOT_PKGFS = 0,   /* /pkgfs (and /pkg, /config/ssl below it) */
    CM_ROOT_SVC,         /* a /svc appmgr serves for the component */
    CM_ROOT_BOOT,
    CM_ROOT_DATA,
    CM_ROOT_DEV,
    CM_ROOT_HUB,
    CM_ROOT_SYSTEM,
    CM_ROOT_TMP,
    CM_ROOT_COUNT
} CmRoot;

#define CM_NS_MAX 48

typedef struct CmNsEntry {
    char path[128];          /* where it appears: "/dev/class/framebuffer" */
    CmRoot root;
    char subpath[512];       /* below the root: "class/framebuffer", "." */
    uint32_t rights;         /* FIO_OPEN_RIGHT_* asked for */
    bool create;             /* make the directories (isolated storage) */
    char why[96];            /* the request that put it here: "dev:class/framebuffer" */
} CmNsEntry;

typedef struct CmNsPlan {
    CmNsEntry entries[CM_NS_MAX];
    size_t count;
    bool ambient_exec;       /* deprecated-ambient-replace-as-executable */
    char skipped[256];       /* requests granted but given nothing, "; "-joined */
} CmNsPlan;

/* appmgr's rules: /pkg, /svc, then dev, system, pkgfs, features, boot; the
 * first entry for a path wins. `env_path` names the environment for
 * isolated storage ("app", "app/test"...). */
void cm_ns_plan(const SandboxManifest *m, const char *package, const char *env_path,
                const char *env_hub, CmNsPlan *out);
const char *cm_root_name(CmRoot root);  /* "/pkgfs", "/svc", "/boot"... */

#endif
