/* cm_launch.c — launching a component from its package into a sandbox.
 *
 * What it models: appmgr's Realm::CreateComponentFromPackage. In order:
 *  1. find the package; read meta/sandbox (a malformed one refuses the
 *     launch with a message naming package, file and problem);
 *  2. ask the system's policy: grant-all lets everything through; an
 *     allowlist refuses the launch at the first request it does not list;
 *  3. plan the namespace (cm_namespace.c) and open every entry, pipelined,
 *     through the system directories appmgr holds; /svc is a directory
 *     appmgr serves for this component alone;
 *  4. create the component's own job under its environment's, with the
 *     system's job policy, plus ZX_POL_AMBIENT_MARK_VMO_EXEC denied unless
 *     deprecated-ambient-replace-as-executable was granted;
 *  5. start bin/app (an app object, or a built-in program named by a
 *     "#!capsim-builtin" marker) with PA_NS_DIR handles and their paths;
 *  6. tell appmgr, for the hub.
 * Every step leaves KTR_NOTE records: the launch, each namespace entry
 * (process koid, channel koid, path, source, and the request that put it
 * there), and any refusal with its reason. The handles themselves appear as
 * the usual handle_add records of launch.c.
 *
 * Left out: runners, component URLs beyond the package name, arguments
 * from the manifest. Read next: cm_namespace.c.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/object.h>

#include "app.h"
#include "cm_internal.h"
#include "far.h"
#include "job.h"
#include "package.h"
#include "policy.h"
#include "process.h"
#include "sandbox_host.h"

void cm_builtin_register(const char *name, int (*main_fn)(int argc, char **argv))
{
    app_builtin_register(name, main_fn);
}

size_t cm_component_count(CmSystem *cm)
{
    return cm->ncomps;
}

CmComponent *cm_component_at(CmSystem *cm, size_t i)
{
    return i < cm->ncomps ? cm->comps[i] : NULL;
}

const char *cm_component_package(const CmComponent *c)
{
    return c->package;
}

const char *cm_component_refusal(const CmComponent *c)
{
    return c->refusal;
}

KProcess *cm_component_process(const CmComponent *c)
{
    return c->process;
}

KJob *cm_component_job(const CmComponent *c)
{
    return c->job;
}

size_t cm_component_ns_count(const CmComponent *c)
{
    return c->nns;
}

const char *cm_component_ns_path(const CmComponent *c, size_t i)
{
    return i < c->nns ? c->ns_paths[i] : NULL;
}

const char *cm_component_ns_why(const CmComponent *c, size_t i)
{
    return i < c->nns ? c->ns_why[i] : NULL;
}

const char *cm_component_notes(const CmComponent *c)
{
    return c->notes;
}

static CmComponent *cm_record(CmSystem *cm, CmEnv *env, const char *package)
{
    CmComponent *c = calloc(1, sizeof *c);
    CmComponent **list = c ? realloc(cm->comps, (cm->ncomps + 1) * sizeof *list) : NULL;
    if (!list || !(c->package = strdup(package))) {
        free(c);
        return NULL;
    }
    cm->comps = list;
    c->env = env;
    cm->comps[cm->ncomps++] = c;
    return c;
}

/* Refuse the launch: record, trace, report. Takes `reason` (g_malloc'd). */
static CmComponent *cm_refuse(CmSystem *cm, CmComponent *c, char **error, char *reason)
{
    c->refusal = strdup(reason);
    sandbox_note(cm->k, 0, 0, "component_refused %s: %s", c->package, reason);
    if (error)
        *error = strdup(reason);
    g_free(reason);
    if (c->job) {
        job_kill(c->job, ZX_TASK_RETCODE_SYSCALL_KILL);
        kobject_unref(&c->job->base);
        c->job = NULL;
    }
    return NULL;
}

/* The program of bin/app, or NULL with *why (g_malloc'd). */
static AppImage *cm_image(const CmPackage *pkg, char **why)
{
    FarArchive *a = far_open_bytes(pkg->far, pkg->len, NULL);
    const uint8_t *data;
    size_t len;
    AppImage *img = NULL;
    size_t magic = strlen(PACKAGE_BUILTIN_MAGIC);
    if (!a || !far_lookup(a, "bin/app", &data, &len)) {
        *why = g_strdup_printf("package '%s': bin/app: missing", pkg->name);
    } else if (len > magic && memcmp(data, PACKAGE_BUILTIN_MAGIC, magic) == 0) {
        char *name = g_strndup((const char *)data + magic, len - magic);
        name[strcspn(name, "\r\n")] = '\0';
        if (!(img = app_image_builtin(name)))
            *why = g_strdup_printf("package '%s': bin/app: no built-in program '%s'",
                                   pkg->name, name);
        g_free(name);
    } else {
        char *err = NULL, *label = g_strdup_printf("%s/bin/app", pkg->name);
        if (!(img = app_image_load_bytes(label, data, len, &err)))
            *why = g_strdup_printf("package '%s': bin/app: %s", pkg->name,
                                   err ? err : "cannot load");
        free(err);
        g_free(label);
    }
    far_close(a);
    return img;
}

/* meta/sandbox of the package (absent: m->present false), or *why. */
static bool cm_manifest(const CmPackage *pkg, SandboxManifest *m, char **why)
{
    memset(m, 0, sizeof *m);
    FarArchive *a = far_open_bytes(pkg->far, pkg->len, NULL);
    const uint8_t *data;
    size_t len;
    bool ok = true;
    char *err = NULL;
    if (a && far_lookup(a, "meta/sandbox", &data, &len))
        ok = sandbox_manifest_parse(pkg->name, data, len, m, &err);
    if (!ok)
        *why = g_strdup(err ? err : "meta/sandbox: out of memory");
    free(err);
    far_close(a);
    return ok;
}

/* Names for SERVE_SVC; *all when the whole environment is visible. */
static GPtrArray *cm_svc_names(CmSystem *cm, CmEnv *env, const char *package,
                               const SandboxManifest *m, bool *all)
{
    const SandboxPolicy *pol = cm_policy(cm);
    GPtrArray *names = g_ptr_array_new();
    *all = false;
    if (m->present) {
        for (size_t i = 0; i < m->keys[SANDBOX_KEY_SERVICES].count; i++)
            g_ptr_array_add(names, m->keys[SANDBOX_KEY_SERVICES].items[i]);
        return names;
    }
    if (sandbox_policy_mode(pol) == SANDBOX_POLICY_GRANT_ALL) {
        *all = true;
        return names;
    }
    for (CmEnv *e = env; e; e = e->inherit ? e->parent : NULL)
        for (size_t i = 0; i < e->nservices; i++)
            if (sandbox_policy_service_visible(pol, package, e->services[i]->name))
                g_ptr_array_add(names, e->services[i]->name);
    return names;
}

static zx_status_t cm_open_svc(CmSystem *cm, CmEnv *env, const char *package,
                               const SandboxManifest *m, KObject **client)
{
    bool all = false;
    GPtrArray *names = cm_svc_names(cm, env, package, m, &all);
    GString *data = g_string_new(NULL);
    for (guint i = 0; i < names->len; i++)
        g_string_append_len(data, names->pdata[i], (gssize)strlen(names->pdata[i]) + 1);
    KObject *srv;
    zx_status_t s = sandbox_channel(cm->k, client, &srv);
    if (s == ZX_OK) {
        AppmgrMsg msg = {.hdr.ordinal = APPMGR_OP_SERVE_SVC, .env_id = env->id,
                         .count = all ? APPMGR_ALL_SERVICES : names->len,
                         .len = (uint32_t)data->len};
        s = cm_appmgr_send(cm, &msg, data->str, srv);
        kobject_unref(srv);
        if (s != ZX_OK)
            kobject_unref(*client);
    }
    g_string_free(data, TRUE);
    g_ptr_array_free(names, TRUE);
    return s;
}

/* Open e->subpath under its root, creating directories if asked. */
static zx_status_t cm_open_entry(CmSystem *cm, const CmNsEntry *e, KObject **client)
{
    KObject *dir = cm->roots[e->root];
    uint32_t flags = e->rights | FIO_OPEN_FLAG_DIRECTORY;
    if (!e->create)
        return sandbox_open(cm->k, dir, e->subpath, flags, client);
    gchar **segs = g_strsplit(e->subpath, "/", -1);
    zx_status_t s = ZX_OK;
    kobject_ref(dir);
    for (size_t i = 0; s == ZX_OK && segs[i]; i++) {
        KObject *next;
        s = sandbox_open(cm->k, dir, segs[i], flags | FIO_OPEN_FLAG_CREATE, &next);
        kobject_unref(dir);
        dir = s == ZX_OK ? next : NULL;
    }
    g_strfreev(segs);
    if (s == ZX_OK)
        *client = dir;
    return s;
}

/* Open every planned entry; extra[i] / names[i] as launch.h wants them. */
static zx_status_t cm_open_namespace(CmSystem *cm, CmEnv *env, const char *package,
                                     const SandboxManifest *m, const CmNsPlan *plan,
                                     LaunchSpec *spec, const char **names)
{
    zx_status_t s = ZX_OK;
    for (size_t i = 0; s == ZX_OK && i < plan->count; i++) {
        const CmNsEntry *e = &plan->entries[i];
        KObject *client = NULL;
        s = e->root == CM_ROOT_SVC ? cm_open_svc(cm, env, package, m, &client)
                                   : cm_open_entry(cm, e, &client);
        if (s != ZX_OK)
            break;
        spec->extra[spec->nextra++] = (LaunchHandle){PA_HND(PA_NS_DIR, i), client,
                                                     ZX_DEFAULT_CHANNEL_RIGHTS};
        names[i] = e->path;
    }
    return s;
}

static zx_status_t cm_job(CmSystem *cm, CmEnv *env, const char *package, bool ambient,
                          KJob **out)
{
    size_t n = cm->cfg.njob_policy;
    zx_policy_basic_v2_t *pol = calloc(n + 1, sizeof *pol);
    if (!pol)
        return ZX_ERR_NO_MEMORY;
    if (n)
        memcpy(pol, cm->cfg.job_policy, n * sizeof *pol);
    if (!ambient)
        pol[n++] = (zx_policy_basic_v2_t){ZX_POL_AMBIENT_MARK_VMO_EXEC, ZX_POL_ACTION_DENY,
                                          ZX_POL_OVERRIDE_DENY};
    KJob *job;
    zx_status_t s = job_create(env->job, &job);
    if (s == ZX_OK) {
        kobject_set_name(&job->base, package, strlen(package));
        s = policy_apply_basic(&job->policy, ZX_JOB_POL_RELATIVE, pol, (uint32_t)n);
        if (s != ZX_OK) {
            job_kill(job, ZX_TASK_RETCODE_SYSCALL_KILL);
            kobject_unref(&job->base);
        }
    }
    free(pol);
    if (s == ZX_OK)
        *out = job;
    return s;
}

static void cm_trace_launch(CmSystem *cm, CmComponent *c, const CmNsPlan *plan,
                            const LaunchSpec *spec)
{
    zx_koid_t pk = c->process->base.koid;
    sandbox_note(cm->k, pk, c->job->base.koid, "component_launch %s in %s, policy %s",
                 c->package, c->env->path, sandbox_policy_name(cm_policy(cm)));
    for (size_t i = 0; i < plan->count; i++) {
        const CmNsEntry *e = &plan->entries[i];
        sandbox_note(cm->k, pk, spec->extra[i].object->koid, "ns_entry %s %s <- %s/%s (%s)",
                     c->package, e->path, cm_root_name(e->root), e->subpath, e->why);
    }
    if (plan->ambient_exec)
        sandbox_note(cm->k, pk, c->job->base.koid,
                     "job_policy %s: ambient mark-VMO-executable allowed", c->package);
    if (plan->skipped[0])
        sandbox_note(cm->k, pk, 0, "sandbox_skipped %s: %s", c->package, plan->skipped);
}

static void cm_record_ns(CmComponent *c, const CmNsPlan *plan)
{
    size_t order[CM_NS_MAX];
    for (size_t i = 0; i < plan->count; i++)
        order[i] = i;
    for (size_t i = 1; i < plan->count; i++)   /* insertion sort by path */
        for (size_t j = i; j > 0 && strcmp(plan->entries[order[j - 1]].path,
                                           plan->entries[order[j]].path) > 0; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < plan->count; i++) {
        c->ns_paths[i] = strdup(plan->entries[order[i]].path);
        c->ns_why[i] = strdup(plan->entries[order[i]].why);
    }
    c->nns = plan->count;
    snprintf(c->notes, sizeof c->notes, "%s", plan->skipped);
}

static void cm_hub_add(CmSystem *cm, CmComponent *c)
{
    char *url = g_strdup_printf("fuchsia-pkg://capsim/%s#meta/%s.cmx", c->package, c->package);
    GString *d = g_string_new(NULL);
    g_string_append_len(d, c->package, (gssize)strlen(c->package) + 1);
    g_string_append_len(d, url, (gssize)strlen(url) + 1);
    AppmgrMsg msg = {.hdr.ordinal = APPMGR_OP_ADD_COMPONENT, .env_id = c->env->id,
                     .process_koid = c->process->base.koid,
                     .job_koid = c->job->base.koid, .len = (uint32_t)d->len};
    cm_appmgr_send(cm, &msg, d->str, NULL);
    g_string_free(d, TRUE);
    g_free(url);
}

/* Steps 3-6 once the launch is allowed; *why on failure. */
static bool cm_start(CmSystem *cm, CmComponent *c, const SandboxManifest *m,
                     AppImage *img, int argc, const char *const *argv, char **why)
{
    CmNsPlan plan;
    cm_ns_plan(m, c->package, c->env->path, c->env->hub, &plan);
    zx_status_t s = cm_job(cm, c->env, c->package, plan.ambient_exec, &c->job);
    if (s != ZX_OK) {
        *why = g_strdup_printf("package '%s': cannot create its job (status %d)",
                               c->package, s);
        return false;
    }
    LaunchSpec spec;
    memset(&spec, 0, sizeof spec);
    const char *names[CM_NS_MAX];
    spec.name = c->package;
    spec.give = LAUNCH_GIVE_STANDARD;
    spec.argc = argc;
    spec.argv = (char **)argv;
    spec.names = names;
    spec.nnames = plan.count;
    s = cm_open_namespace(cm, c->env, c->package, m, &plan, &spec, names);
    if (s == ZX_OK)
        s = app_launch(cm->k, c->job, img, &spec, &c->process);
    if (s == ZX_OK)
        cm_trace_launch(cm, c, &plan, &spec);
    for (size_t i = 0; i < spec.nextra; i++)
        kobject_unref(spec.extra[i].object);
    if (s != ZX_OK) {
        *why = g_strdup_printf("package '%s': cannot start (status %d)", c->package, s);
        return false;
    }
    cm_record_ns(c, &plan);
    cm_hub_add(cm, c);
    return true;
}

CmComponent *cm_launch(CmSystem *cm, CmEnv *env, const char *package, int argc,
                       const char *const *argv, char **error)
{
    if (error)
        *error = NULL;
    if (!env)
        env = cm_root_env(cm);
    CmComponent *c = package ? cm_record(cm, env, package) : NULL;
    if (!c) {
        if (error)
            *error = strdup("component manager: no package name, or out of memory");
        return NULL;
    }
    const CmPackage *pkg = cm_package_find(cm, package);
    if (!pkg)
        return cm_refuse(cm, c, error,
                         g_strdup_printf("package '%s': not installed", package));
    SandboxManifest m;
    char *why = NULL;
    if (!cm_manifest(pkg, &m, &why))
        return cm_refuse(cm, c, error, why);
    char *denied = sandbox_policy_check(cm_policy(cm), package, &m);
    AppImage *img = denied ? NULL : cm_image(pkg, &why);
    bool ok = img && cm_start(cm, c, &m, img, argc, argv, &why);
    if (img)
        app_image_release(img);
    sandbox_manifest_free(&m);
    if (denied) {
        why = g_strdup(denied);
        free(denied);
    }
    return ok ? c : cm_refuse(cm, c, error, why);
}

char *cm_plan(CmSystem *cm, CmEnv *env, const char *package, char **error)
{
    if (!env)
        env = cm_root_env(cm);
    const CmPackage *pkg = package ? cm_package_find(cm, package) : NULL;
    SandboxManifest m;
    char *why = NULL, *denied = NULL;
    if (!pkg) {
        if (error)
            *error = g_strdup_printf("package '%s': not installed", package ? package : "");
        return NULL;
    }
    if (!cm_manifest(pkg, &m, &why)) {
        if (error)
            *error = strdup(why);
        g_free(why);
        return NULL;
    }
    if ((denied = sandbox_policy_check(cm_policy(cm), package, &m)) != NULL) {
        if (error)
            *error = denied;
        else
            free(denied);
        sandbox_manifest_free(&m);
        return NULL;
    }
    CmNsPlan plan;
    cm_ns_plan(&m, package, env->path, env->hub, &plan);
    CmComponent tmp = {0};
    cm_record_ns(&tmp, &plan);
    GString *text = g_string_new(NULL);
    for (size_t i = 0; i < tmp.nns; i++) {
        g_string_append_printf(text, "%s %s\n", tmp.ns_paths[i], tmp.ns_why[i]);
        free(tmp.ns_paths[i]);
        free(tmp.ns_why[i]);
    }
    if (plan.ambient_exec)
        g_string_append(text, "(job policy) ambient mark-VMO-executable allowed\n");
    if (plan.skipped[0])
        g_string_append_printf(text, "(granted, gives nothing) %s\n", plan.skipped);
    sandbox_manifest_free(&m);
    char *r = strdup(text->str);
    g_string_free(text, TRUE);
    return r;
}
