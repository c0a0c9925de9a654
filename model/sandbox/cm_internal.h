/* cm_internal.h — the component manager's host-side records, shared by
 * component_manager.c and cm_launch.c. Not for bindings. */
#ifndef CAPSIM_SANDBOX_CM_INTERNAL_H
#define CAPSIM_SANDBOX_CM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_namespace.h"
#include "component_manager.h"
#include "kernel.h"
#include "programs.h"

typedef struct CmService {
    char *name;
    CmServiceKind kind;
    ServiceConfig cfg;
    KProcess *provider;
} CmService;

struct CmEnv {
    uint64_t id;
    char *name;
    char *path;               /* "app", "app/test": isolated storage paths */
    char *hub;                /* its hub directory, relative to the hub root */
    CmEnv *parent;
    bool inherit;
    KJob *job;                /* the host's reference */
    CmService **services;
    size_t nservices;
};

typedef struct CmPackage {
    char *name;
    uint8_t *far;
    size_t len;
} CmPackage;

struct CmComponent {
    char *package;
    char *refusal;
    CmEnv *env;
    KProcess *process;        /* the host's reference */
    KJob *job;
    size_t nns;
    char *ns_paths[CM_NS_MAX];
    char *ns_why[CM_NS_MAX];
    char notes[256];
};

struct CmSystem {
    Kernel *k;
    CmConfig cfg;
    SandboxPolicy *own_policy;  /* grant-all when cfg.policy was NULL */
    KJob *sys_job;
    /* Client ends of the system's directories, held by appmgr (PA_NS_DIR);
     * the host keeps references to write through them. CM_ROOT_SVC: none. */
    KObject *roots[CM_ROOT_COUNT];
    KObject *appmgr_ctl;        /* client end of appmgr's control channel */
    KObject *pkgfs_ctl;         /* client end of pkgfs's control channel */
    KProcess *appmgr;
    /* Program configurations (they run as long as the system). */
    MemfsConfig data_cfg, tmp_cfg;
    PkgfsConfig boot_cfg, system_cfg, pkgfs_cfg;
    DevmgrConfig dev_cfg;
    FbDriverConfig fb_cfg;
    AppmgrConfig appmgr_cfg;
    CmEnv **envs;
    size_t nenvs;
    uint64_t next_env_id;
    CmPackage *pkgs;
    size_t npkgs;
    CmComponent **comps;
    size_t ncomps;
};

const CmPackage *cm_package_find(const CmSystem *cm, const char *name);
/* Mount an archive through a pkgfs control channel at `path`. */
bool cm_mount(CmSystem *cm, KObject *ctl, const char *path, const uint8_t *far, size_t len);
/* Fill *error (if non-NULL, malloc'd) and return false. */
bool cm_fail(char **error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Send an AppmgrMsg (+ data, + one handle to `obj` if non-NULL). */
zx_status_t cm_appmgr_send(CmSystem *cm, const AppmgrMsg *msg, const void *data,
                           KObject *obj);

#endif
