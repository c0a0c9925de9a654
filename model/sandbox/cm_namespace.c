/* cm_namespace.c — appmgr's namespace rules: what each sandbox request
 * puts in a component's namespace.
 *
 * What it models: Fuchsia's NamespaceBuilder (garnet/bin/appmgr) in its
 * historical form. Every component gets
 *   /pkg   its own package, read-only and executable (pkgfs packages/<name>/0)
 *   /svc   its environment's services (filtered by "services")
 * and then, in this order, the first entry for a path winning:
 *   dev: d        /dev/<d>                 (a request for all of "class" is skipped)
 *   system: s     /system/<s>
 *   pkgfs: p      /pkgfs/<p>
 *   features:
 *     isolated-persistent-storage  /data = /data/r/<env>/<package> (created)
 *     persistent-storage           /data (all of it: the historical meaning)
 *     root-ssl-certificates        /config/ssl (root_ssl_certificates package)
 *     shell         /config/ssl, /boot, /data, /dev, /hub, /pkgfs, /system, /tmp
 *     system-temp                  /tmp (all of it)
 *     isolated-temp                /tmp = /tmp/r/<env>/<package> (created)
 *     hub                          /hub = the environment's hub
 *     deprecated-ambient-replace-as-executable  no path: the component's job
 *                                  may make VMOs executable (job policy)
 *   boot: b       /boot/<b>
 * Rights: read-only trees read (and execute for code), writable ones read
 * and write; /hub read.
 *
 * This file only plans; component_manager.c opens the channels. Read next:
 * component_manager.c.
 */
#include <lib/fdio/io.h>
#include <stdio.h>
#include <string.h>

#include "cm_namespace.h"

#define R FIO_OPEN_RIGHT_READABLE
#define W FIO_OPEN_RIGHT_WRITABLE
#define X FIO_OPEN_RIGHT_EXECUTABLE

static const char *const cm_root_names[CM_ROOT_COUNT] = {
    "/pkgfs", "/svc", "/boot", "/data", "/dev", "/hub", "/system", "/tmp"};

const char *cm_root_name(CmRoot root)
{
    return root < CM_ROOT_COUNT ? cm_root_names[root] : "?";
}

static void cm_ns_add(CmNsPlan *p, const char *path, CmRoot root, const char *sub,
                      uint32_t rights, bool create, const char *why)
{
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->entries[i].path, path) == 0)
            return;   /* the first one for a path wins, as in appmgr */
    if (p->count >= CM_NS_MAX)
        return;
    CmNsEntry *e = &p->entries[p->count++];
    snprintf(e->path, sizeof e->path, "%s", path);
    e->root = root;
    snprintf(e->subpath, sizeof e->subpath, "%s", sub);
    e->rights = rights;
    e->create = create;
    snprintf(e->why, sizeof e->why, "%s", why);
}

static void cm_ns_under(CmNsPlan *p, const SandboxManifest *m, SandboxKey key,
                        const char *prefix, CmRoot root, uint32_t rights)
{
    const SandboxList *l = &m->keys[key];
    for (size_t i = 0; i < l->count; i++) {
        char path[128], why[96];
        snprintf(why, sizeof why, "%s:%s", sandbox_key_name(key), l->items[i]);
        if (key == SANDBOX_KEY_DEV && strcmp(l->items[i], "class") == 0) {
            size_t n = strlen(p->skipped);
            snprintf(p->skipped + n, sizeof p->skipped - n, "%s%s (all device classes)",
                     n ? "; " : "", why);
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", prefix, l->items[i]);
        cm_ns_add(p, path, root, l->items[i], rights, false, why);
    }
}

static void cm_ns_shell(CmNsPlan *p, const char *env_hub)
{
    const char *why = "features:shell";
    cm_ns_add(p, "/boot", CM_ROOT_BOOT, ".", R | X, false, why);
    cm_ns_add(p, "/data", CM_ROOT_DATA, ".", R | W, false, why);
    cm_ns_add(p, "/dev", CM_ROOT_DEV, ".", R | W, false, why);
    cm_ns_add(p, "/hub", CM_ROOT_HUB, env_hub, R, false, why);
    cm_ns_add(p, "/pkgfs", CM_ROOT_PKGFS, ".", R | X, false, why);
    cm_ns_add(p, "/system", CM_ROOT_SYSTEM, ".", R | X, false, why);
    cm_ns_add(p, "/tmp", CM_ROOT_TMP, ".", R | W, false, why);
}

static void cm_ns_features(CmNsPlan *p, const SandboxManifest *m, const char *isolated,
                           const char *env_hub)
{
    const char *ssl = "packages/root_ssl_certificates/0/data";
    if (sandbox_manifest_has(m, SANDBOX_KEY_FEATURES, "isolated-persistent-storage"))
        cm_ns_add(p, "/data", CM_ROOT_DATA, isolated, R | W, true,
                  "features:isolated-persistent-storage");
    const SandboxList *l = &m->keys[SANDBOX_KEY_FEATURES];
    for (size_t i = 0; i < l->count; i++) {
        const char *f = l->items[i];
        char why[96];
        snprintf(why, sizeof why, "features:%s", f);
        if (!strcmp(f, "persistent-storage"))
            cm_ns_add(p, "/data", CM_ROOT_DATA, ".", R | W, false, why);
        else if (!strcmp(f, "root-ssl-certificates") || !strcmp(f, "shell"))
            cm_ns_add(p, "/config/ssl", CM_ROOT_PKGFS, ssl, R, false, why);
        if (!strcmp(f, "shell"))
            cm_ns_shell(p, env_hub);
        else if (!strcmp(f, "system-temp"))
            cm_ns_add(p, "/tmp", CM_ROOT_TMP, ".", R | W, false, why);
        else if (!strcmp(f, "isolated-temp"))
            cm_ns_add(p, "/tmp", CM_ROOT_TMP, isolated, R | W, true, why);
        else if (!strcmp(f, "hub"))
            cm_ns_add(p, "/hub", CM_ROOT_HUB, env_hub, R, false, why);
        else if (!strcmp(f, "deprecated-ambient-replace-as-executable"))
            p->ambient_exec = true;
    }
}

void cm_ns_plan(const SandboxManifest *m, const char *package, const char *env_path,
                const char *env_hub, CmNsPlan *out)
{
    memset(out, 0, sizeof *out);
    char pkg[160], isolated[300];
    snprintf(pkg, sizeof pkg, "packages/%s/0", package);
    snprintf(isolated, sizeof isolated, "r/%s/%s", env_path, package);
    cm_ns_add(out, "/pkg", CM_ROOT_PKGFS, pkg, R | X, false, "package");
    cm_ns_add(out, "/svc", CM_ROOT_SVC, ".", R | W, false, "environment");
    if (!m || !m->present)
        return;
    cm_ns_under(out, m, SANDBOX_KEY_DEV, "/dev", CM_ROOT_DEV, R | W);
    cm_ns_under(out, m, SANDBOX_KEY_SYSTEM, "/system", CM_ROOT_SYSTEM, R | X);
    cm_ns_under(out, m, SANDBOX_KEY_PKGFS, "/pkgfs", CM_ROOT_PKGFS, R | X);
    cm_ns_features(out, m, isolated, env_hub);
    cm_ns_under(out, m, SANDBOX_KEY_BOOT, "/boot", CM_ROOT_BOOT, R | X);
}
