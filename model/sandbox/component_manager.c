/* component_manager.c — the system a component lives in: its directories,
 * their servers, appmgr, environments and their services, packages.
 *
 * What it models: a Fuchsia system of the appmgr era, as a tree of jobs and
 * processes on the simulated kernel:
 *
 *   root job
 *   └── sys          memfs "data" (/data), memfs "tmp" (/tmp),
 *       │            pkgfs "bootfs" (/boot), pkgfs "systemfs" (/system),
 *       │            pkgfs "pkgfs" (/pkgfs: packages/<name>/0),
 *       │            devmgr (/dev) + framebuffer and input drivers,
 *       │            appmgr (/hub, every component's /svc)
 *       └── app      the root environment: its service providers
 *           ├── <component jobs>
 *           └── <nested environments>, each with its own job and services
 *
 * appmgr holds the client ends of the system's directories in its handle
 * table (PA_NS_DIR /boot, /data, /dev, /hub, /pkgfs, /system, /tmp): in the
 * capability graph it is the one that owns them. The host side (this file
 * and cm_launch.c) keeps kernel references to those ends and writes through
 * them on appmgr's behalf (sandbox_host.c), so setting up a component never
 * needs the engine to run: every Open is pipelined.
 *
 * Invariants: environment ids start at 1 (the root) and grow; a package
 * name is installed once; every job and process started here is under the
 * sys job, so cm_shutdown (killing it) ends them all.
 *
 * Left out: fuchsia.sys.Launcher inside the simulation, component
 * controllers and termination callbacks, package updates. Read next:
 * cm_packages.c (installing packages), cm_launch.c (launching a component),
 * cm_namespace.c (what it gets).
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/object.h>

#include "cm_internal.h"
#include "far.h"
#include "io_path.h"
#include "job.h"
#include "package.h"
#include "process.h"
#include "sandbox_host.h"
#include "vmo.h"

static const char *const cm_dev_paths[] = {"class/framebuffer/000", "class/input/000"};
static const char *const cm_secret_names[] = {"launch-codes", "wifi-password"};
static const char *const cm_secret_values[] = {"0000-0000-0000", "hunter2"};

bool cm_fail(char **error, const char *fmt, ...)
{
    if (error) {
        va_list ap;
        va_start(ap, fmt);
        char *msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        *error = strdup(msg);
        g_free(msg);
    }
    return false;
}

Kernel *cm_kernel(CmSystem *cm)
{
    return cm->k;
}

KJob *cm_system_job(CmSystem *cm)
{
    return cm->sys_job;
}

const SandboxPolicy *cm_policy(CmSystem *cm)
{
    return cm->cfg.policy ? cm->cfg.policy : cm->own_policy;
}

CmEnv *cm_root_env(CmSystem *cm)
{
    return cm->nenvs ? cm->envs[0] : NULL;
}

const char *cm_env_name(const CmEnv *env)
{
    return env->name;
}

KJob *cm_env_job(const CmEnv *env)
{
    return env->job;
}

/* ---- spawning the system's programs ------------------------------------- */

/* Start `fn` in job with, when given, PA_DIRECTORY_REQUEST = dirreq and
 * PA_USER0 = user0 (both stay the caller's references). */
static bool cm_spawn(CmSystem *cm, KJob *job, const char *name, ThreadEntryFn fn,
                     const void *cfg, KObject *dirreq, KObject *user0, KProcess **out)
{
    LaunchHandle extra[2];
    size_t n = 0;
    if (dirreq)
        extra[n++] = (LaunchHandle){PA_HND(PA_DIRECTORY_REQUEST, 0), dirreq,
                                    ZX_DEFAULT_CHANNEL_RIGHTS};
    if (user0)
        extra[n++] = (LaunchHandle){PA_HND(PA_USER0, 0), user0, ZX_DEFAULT_CHANNEL_RIGHTS};
    return sandbox_spawn(cm->k, job, name, fn, cfg, extra, n, NULL, 0, out) == ZX_OK;
}

/* A directory server: roots[root] becomes the client end of its directory;
 * *ctl (if ctl != NULL) the client end of its control channel. */
static bool cm_start_fs(CmSystem *cm, CmRoot root, const char *name, ThreadEntryFn fn,
                        const void *cfg, KObject **ctl)
{
    KObject *c, *s, *cc = NULL, *cs = NULL;
    if (sandbox_channel(cm->k, &c, &s) != ZX_OK)
        return false;
    if (ctl && sandbox_channel(cm->k, &cc, &cs) != ZX_OK) {
        kobject_unref(c);
        kobject_unref(s);
        return false;
    }
    bool ok = cm_spawn(cm, cm->sys_job, name, fn, cfg, s, cs, NULL);
    kobject_unref(s);
    if (cs)
        kobject_unref(cs);
    cm->roots[root] = c;
    if (ctl)
        *ctl = cc;
    return ok;
}

static bool cm_start_dev(CmSystem *cm)
{
    KObject *conn[2][2];
    ThreadEntryFn drivers[2] = {fb_driver_program, input_driver_program};
    const char *names[2] = {"fb-driver", "input-driver"};
    bool ok = true;
    for (int i = 0; i < 2; i++) {
        if (sandbox_channel(cm->k, &conn[i][0], &conn[i][1]) != ZX_OK)
            return false;
        ok = ok && cm_spawn(cm, cm->sys_job, names[i], drivers[i], &cm->fb_cfg, NULL,
                            conn[i][1], NULL);
        kobject_unref(conn[i][1]);
    }
    cm->dev_cfg.ndevices = 2;
    cm->dev_cfg.paths = cm_dev_paths;
    KObject *c, *s;
    ok = ok && sandbox_channel(cm->k, &c, &s) == ZX_OK;
    if (ok) {
        LaunchHandle extra[3] = {
            {PA_HND(PA_DIRECTORY_REQUEST, 0), s, ZX_DEFAULT_CHANNEL_RIGHTS},
            {PA_HND(PA_USER1, 0), conn[0][0], ZX_DEFAULT_CHANNEL_RIGHTS},
            {PA_HND(PA_USER1, 1), conn[1][0], ZX_DEFAULT_CHANNEL_RIGHTS}};
        ok = sandbox_spawn(cm->k, cm->sys_job, "devmgr", devmgr_program, &cm->dev_cfg,
                           extra, 3, NULL, 0, NULL) == ZX_OK;
        kobject_unref(s);
        cm->roots[CM_ROOT_DEV] = c;
    }
    kobject_unref(conn[0][0]);
    kobject_unref(conn[1][0]);
    return ok;
}

/* appmgr: control (PA_USER0), hub (PA_DIRECTORY_REQUEST), and the system's
 * directories in its namespace table. */
static bool cm_start_appmgr(CmSystem *cm)
{
    static const CmRoot held[] = {CM_ROOT_BOOT, CM_ROOT_DATA, CM_ROOT_DEV, CM_ROOT_HUB,
                                  CM_ROOT_PKGFS, CM_ROOT_SYSTEM, CM_ROOT_TMP};
    const char *names[G_N_ELEMENTS(held)];
    KObject *ctl_srv, *hub_srv;
    if (sandbox_channel(cm->k, &cm->appmgr_ctl, &ctl_srv) != ZX_OK)
        return false;
    if (sandbox_channel(cm->k, &cm->roots[CM_ROOT_HUB], &hub_srv) != ZX_OK)
        return false;
    LaunchHandle extra[3 + G_N_ELEMENTS(held)];
    size_t n = 0;
    extra[n++] = (LaunchHandle){PA_HND(PA_USER0, 0), ctl_srv, ZX_DEFAULT_CHANNEL_RIGHTS};
    extra[n++] = (LaunchHandle){PA_HND(PA_DIRECTORY_REQUEST, 0), hub_srv,
                                ZX_DEFAULT_CHANNEL_RIGHTS};
    extra[n++] = (LaunchHandle){PA_HND(PA_USER2, 0), cm->pkgfs_ctl, ZX_DEFAULT_CHANNEL_RIGHTS};
    for (size_t i = 0; i < G_N_ELEMENTS(held); i++) {
        names[i] = cm_root_name(held[i]);
        extra[n++] = (LaunchHandle){PA_HND(PA_NS_DIR, i), cm->roots[held[i]],
                                    ZX_DEFAULT_CHANNEL_RIGHTS};
    }
    bool ok = sandbox_spawn(cm->k, cm->sys_job, "appmgr", appmgr_program, &cm->appmgr_cfg,
                            extra, n, names, G_N_ELEMENTS(held), &cm->appmgr) == ZX_OK;
    kobject_unref(ctl_srv);
    kobject_unref(hub_srv);
    return ok;
}

/* ---- archives ---------------------------------------------------------------- */

bool cm_mount(CmSystem *cm, KObject *ctl, const char *path, const uint8_t *far,
              size_t len)
{
    KVmo *vmo;
    if (vmo_create(cm->k, len, 0, &vmo) != ZX_OK)
        return false;
    memcpy(vmo_bytes(vmo, 0), far, len);
    kobject_set_name((KObject *)vmo, path, strlen(path));
    size_t plen = strlen(path);
    uint8_t *msg = calloc(1, sizeof(PkgfsAddArchive) + plen);
    bool ok = msg != NULL;
    if (ok) {
        PkgfsAddArchive req = {.hdr.ordinal = PKGFS_OP_ADD_ARCHIVE,
                               .path_len = (uint32_t)plen, .size = len};
        memcpy(msg, &req, sizeof req);
        memcpy(msg + sizeof req, path, plen);
        KObject *o = (KObject *)vmo;
        zx_rights_t r = ZX_RIGHTS_BASIC | ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_GET_PROPERTY;
        ok = sandbox_write(cm->k, ctl, msg, (uint32_t)(sizeof req + plen), &o, &r, 1) == ZX_OK;
    }
    free(msg);
    kobject_unref((KObject *)vmo);
    return ok;
}

/* A small read-only image for a pkgfs instance (boot, system) at its root. */
static bool cm_mount_image(CmSystem *cm, const char *name, const PackageFile *files,
                           size_t n)
{
    KObject *ctl, *s;
    size_t len = 0;
    uint8_t *far = package_build(files, n, &len, NULL);
    bool ok = far && sandbox_channel(cm->k, &ctl, &s) == ZX_OK;
    if (ok) {
        /* Queue the image, then let go of our end: the program reads it and
         * sees its control channel close — nothing more will come. */
        ok = cm_mount(cm, ctl, "", far, len);
        kobject_unref(ctl);
    }
    free(far);
    if (!ok)
        return false;
    PkgfsConfig *cfg = !strcmp(name, "bootfs") ? &cm->boot_cfg : &cm->system_cfg;
    sandbox_io_config(cm->k, name, &cfg->io);
    cfg->io.path = !strcmp(name, "bootfs") ? "/boot" : "/system";
    CmRoot root = !strcmp(name, "bootfs") ? CM_ROOT_BOOT : CM_ROOT_SYSTEM;
    KObject *dc, *ds;
    ok = sandbox_channel(cm->k, &dc, &ds) == ZX_OK;
    if (ok) {
        ok = cm_spawn(cm, cm->sys_job, name, pkgfs_program, cfg, ds, s, NULL);
        kobject_unref(ds);
        cm->roots[root] = dc;
    }
    kobject_unref(s);
    return ok;
}

static bool cm_start_images(CmSystem *cm)
{
    static const char build[] = "capsim 0.1.0 (simulated Fuchsia, appmgr era)\n";
    static const char devcfg[] = "class/framebuffer/000\nclass/input/000\n";
    static const char cert[] = "-----BEGIN CERTIFICATE-----\nY2Fwc2ltIHJvb3QgQ0E=\n"
                               "-----END CERTIFICATE-----\n";
    PackageFile boot[] = {{"config/build-info", build, sizeof build - 1},
                          {"config/devmgr", devcfg, sizeof devcfg - 1}};
    PackageFile sys[] = {{"data/boringssl/cert.pem", cert, sizeof cert - 1},
                         {"data/build-info", build, sizeof build - 1}};
    static const char meta[] = "{\"name\": \"root_ssl_certificates\", \"version\": \"0\"}";
    PackageFile ssl[] = {{"data/cert.pem", cert, sizeof cert - 1},
                         {"meta/package", meta, sizeof meta - 1}};
    size_t len = 0;
    uint8_t *far = package_build(ssl, 2, &len, NULL);
    bool ok = cm_mount_image(cm, "bootfs", boot, 2) && cm_mount_image(cm, "systemfs", sys, 2) &&
              far && cm_add_package(cm, NULL, far, len, NULL);
    free(far);
    return ok;
}

/* ---- the system ------------------------------------------------------------ */

static bool cm_start(CmSystem *cm)
{
    Kernel *k = cm->k;
    sandbox_io_config(k, "data", &cm->data_cfg.io);
    sandbox_io_config(k, "tmp", &cm->tmp_cfg.io);
    sandbox_io_config(k, "pkgfs", &cm->pkgfs_cfg.io);
    sandbox_io_config(k, "devmgr", &cm->dev_cfg.io);
    sandbox_io_config(k, "appmgr", &cm->appmgr_cfg.io);
    cm->data_cfg.io.path = "/data";
    cm->tmp_cfg.io.path = "/tmp";
    cm->pkgfs_cfg.io.path = "/pkgfs";
    cm->dev_cfg.io.path = "/dev";
    cm->appmgr_cfg.io.path = "/hub";
    cm->fb_cfg.width = cm->cfg.fb_width ? cm->cfg.fb_width : 640;
    cm->fb_cfg.height = cm->cfg.fb_height ? cm->cfg.fb_height : 480;
    return cm_start_fs(cm, CM_ROOT_DATA, "data", memfs_program, &cm->data_cfg, NULL) &&
           cm_start_fs(cm, CM_ROOT_TMP, "tmp", memfs_program, &cm->tmp_cfg, NULL) &&
           cm_start_fs(cm, CM_ROOT_PKGFS, "pkgfs", pkgfs_program, &cm->pkgfs_cfg,
                       &cm->pkgfs_ctl) &&
           cm_start_dev(cm) && cm_start_images(cm) && cm_start_appmgr(cm);
}

static CmEnv *cm_env_make(CmSystem *cm, CmEnv *parent, const char *name, bool inherit,
                          char **error);

CmSystem *cm_new(Kernel *k, const CmConfig *cfg, char **error)
{
    CmSystem *cm = calloc(1, sizeof *cm);
    if (!cm) {
        cm_fail(error, "component manager: out of memory");
        return NULL;
    }
    cm->k = k;
    if (cfg)
        cm->cfg = *cfg;
    cm->own_policy = cm->cfg.policy ? NULL : sandbox_policy_grant_all();
    cm->next_env_id = 1;
    bool ok = job_create(k->root_job, &cm->sys_job) == ZX_OK;
    if (ok)
        kobject_set_name(&cm->sys_job->base, "sys", 3);
    ok = ok && cm_start(cm) && cm_env_make(cm, NULL, "app", false, error);
    for (int i = 0; ok && !cm->cfg.bare_root_env && i < 3; i++)
        ok = cm_env_add_service(cm, cm->envs[0], (CmServiceKind)i, NULL, error);
    if (!ok) {
        if (error && !*error)
            cm_fail(error, "component manager: cannot start the system (out of resources)");
        cm_shutdown(cm);
        cm_free(cm);
        return NULL;
    }
    sandbox_note(k, cm->sys_job->base.koid, 0, "component manager: system up, policy %s",
                 sandbox_policy_name(cm_policy(cm)));
    return cm;
}

void cm_shutdown(CmSystem *cm)
{
    if (cm && cm->sys_job)
        job_kill(cm->sys_job, ZX_TASK_RETCODE_SYSCALL_KILL);
}

static void cm_component_free(CmComponent *c)
{
    free(c->package);
    free(c->refusal);
    for (size_t i = 0; i < c->nns; i++) {
        free(c->ns_paths[i]);
        free(c->ns_why[i]);
    }
    if (c->process)
        kobject_unref(&c->process->base);
    if (c->job)
        kobject_unref(&c->job->base);
    free(c);
}

static void cm_env_free(CmEnv *e)
{
    for (size_t i = 0; i < e->nservices; i++) {
        CmService *s = e->services[i];
        if (s->provider)
            kobject_unref(&s->provider->base);
        free(s->name);
        free(s);
    }
    free(e->services);
    free(e->name);
    free(e->path);
    free(e->hub);
    if (e->job)
        kobject_unref(&e->job->base);
    free(e);
}

void cm_free(CmSystem *cm)
{
    if (!cm)
        return;
    for (size_t i = 0; i < cm->ncomps; i++)
        cm_component_free(cm->comps[i]);
    for (size_t i = cm->nenvs; i-- > 0;)
        cm_env_free(cm->envs[i]);
    for (size_t i = 0; i < cm->npkgs; i++) {
        free(cm->pkgs[i].name);
        free(cm->pkgs[i].far);
    }
    for (int i = 0; i < CM_ROOT_COUNT; i++)
        if (cm->roots[i])
            kobject_unref(cm->roots[i]);
    if (cm->appmgr_ctl)
        kobject_unref(cm->appmgr_ctl);
    if (cm->pkgfs_ctl)
        kobject_unref(cm->pkgfs_ctl);
    if (cm->appmgr)
        kobject_unref(&cm->appmgr->base);
    if (cm->sys_job)
        kobject_unref(&cm->sys_job->base);
    sandbox_policy_free(cm->own_policy);
    free(cm->comps);
    free(cm->envs);
    free(cm->pkgs);
    free(cm);
}

zx_status_t cm_appmgr_send(CmSystem *cm, const AppmgrMsg *msg, const void *data,
                           KObject *obj)
{
    size_t n = sizeof *msg + msg->len;
    uint8_t *buf = malloc(n);
    if (!buf)
        return ZX_ERR_NO_MEMORY;
    memcpy(buf, msg, sizeof *msg);
    if (msg->len)
        memcpy(buf + sizeof *msg, data, msg->len);
    zx_rights_t r = ZX_DEFAULT_CHANNEL_RIGHTS;
    zx_status_t s = sandbox_write(cm->k, cm->appmgr_ctl, buf, (uint32_t)n, obj ? &obj : NULL,
                                  &r, obj ? 1 : 0);
    free(buf);
    return s;
}

/* ---- environments ------------------------------------------------------------ */

static CmEnv *cm_env_make(CmSystem *cm, CmEnv *parent, const char *name, bool inherit,
                          char **error)
{
    if (!package_name_valid(name)) {
        cm_fail(error, "environment name '%s': must be 1..100 of [a-z0-9._-]", name);
        return NULL;
    }
    CmEnv *e = calloc(1, sizeof *e);
    CmEnv **envs = e ? realloc(cm->envs, (cm->nenvs + 1) * sizeof *envs) : NULL;
    if (!envs || job_create(parent ? parent->job : cm->sys_job, &e->job) != ZX_OK) {
        free(e);
        cm_fail(error, "environment '%s': cannot create its job", name);
        return NULL;
    }
    cm->envs = envs;
    e->id = cm->next_env_id++;
    e->parent = parent;
    e->inherit = inherit;
    e->name = strdup(name);
    e->path = parent ? g_strdup_printf("%s/%s", parent->path, name) : strdup(name);
    e->hub = !parent ? strdup(".")
             : !strcmp(parent->hub, ".")
                 ? g_strdup_printf("r/%s/%llu", name, (unsigned long long)e->id)
                 : g_strdup_printf("%s/r/%s/%llu", parent->hub, name, (unsigned long long)e->id);
    kobject_set_name(&e->job->base, name, strlen(name));
    cm->envs[cm->nenvs++] = e;
    AppmgrMsg msg = {.hdr.ordinal = APPMGR_OP_ADD_ENV, .env_id = e->id,
                     .parent_id = parent ? parent->id : 0, .count = inherit,
                     .len = (uint32_t)strlen(name)};
    cm_appmgr_send(cm, &msg, name, NULL);
    sandbox_note(cm->k, e->job->base.koid, e->id, "environment %s (id %llu)%s", e->path,
                 (unsigned long long)e->id, inherit ? ", inherits its parent's services" : "");
    return e;
}

CmEnv *cm_env_new(CmSystem *cm, CmEnv *parent, const char *name, bool inherit,
                  char **error)
{
    if (!parent)
        parent = cm_root_env(cm);
    return cm_env_make(cm, parent, name ? name : "", inherit, error);
}

static const char *cm_service_default_name(CmServiceKind kind)
{
    switch (kind) {
    case CM_SERVICE_LOGGER: return "fuchsia.logger.LogSink";
    case CM_SERVICE_ECHO: return "fidl.examples.echo.Echo";
    default: return "capsim.Secrets";
    }
}

bool cm_env_add_service(CmSystem *cm, CmEnv *env, CmServiceKind kind,
                        const char *name, char **error)
{
    if (!name)
        name = cm_service_default_name(kind);
    if (!env || kind > CM_SERVICE_SECRETS || io_path_check_name(name, strlen(name)) != ZX_OK)
        return cm_fail(error, "service '%s': bad environment, kind or name (a name is "
                              "1..255 bytes, not '.' or '..', no '/')", name);
    CmService *s = calloc(1, sizeof *s);
    CmService **list = s ? realloc(env->services, (env->nservices + 1) * sizeof *list) : NULL;
    if (!list) {
        free(s);
        return cm_fail(error, "service '%s': out of memory", name);
    }
    env->services = list;
    s->name = strdup(name);
    s->kind = kind;
    sandbox_io_config(cm->k, s->name, &s->cfg.io);
    s->cfg.io.path = "/svc";   /* its outgoing directory: /svc/<name> */
    s->cfg.name = s->name;
    s->cfg.nsecrets = kind == CM_SERVICE_SECRETS ? G_N_ELEMENTS(cm_secret_names) : 0;
    s->cfg.secret_names = cm_secret_names;
    s->cfg.secret_values = cm_secret_values;
    env->services[env->nservices++] = s;
    ThreadEntryFn fns[3] = {logger_program, echo_program, secrets_program};
    KObject *c, *srv;
    if (sandbox_channel(cm->k, &c, &srv) != ZX_OK)
        return cm_fail(error, "service '%s': out of kernel resources", name);
    bool ok = cm_spawn(cm, env->job, name, fns[kind], &s->cfg, srv, NULL, &s->provider);
    kobject_unref(srv);
    AppmgrMsg msg = {.hdr.ordinal = APPMGR_OP_ADD_SERVICE, .env_id = env->id,
                     .len = (uint32_t)strlen(name)};
    ok = ok && cm_appmgr_send(cm, &msg, name, c) == ZX_OK;
    kobject_unref(c);
    if (!ok)
        return cm_fail(error, "service '%s': cannot start its provider", name);
    return true;
}
