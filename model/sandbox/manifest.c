/* manifest.c — parsing and checking a package's meta/sandbox.
 *
 * What it models: the sandbox section of Fuchsia's component manifests as
 * appmgr read it from meta/sandbox: a JSON object whose keys are arrays of
 * strings —
 *   "dev":      device paths under /dev, e.g. "class/framebuffer"
 *   "system":   paths under /system
 *   "pkgfs":    paths under /pkgfs
 *   "boot":     paths under /boot
 *   "features": persistent-storage, isolated-persistent-storage,
 *               isolated-temp, system-temp, shell, root-ssl-certificates,
 *               hub, deprecated-ambient-replace-as-executable
 *   "services": the /svc entries the component may see
 * What each grants is the component manager's business (cm_namespace.c).
 *
 * Stricter than appmgr, on purpose (a sandbox that silently ignores a typo
 * grants something else than its author meant): unknown keys, unknown
 * features, non-string items and paths that break the fuchsia.io rules
 * ("..", ".", empty segments, a leading '/') are refused, each with a
 * message naming the package, the file and the problem. Duplicates are
 * dropped; the order of first appearance is kept.
 *
 * Read next: sandbox_policy.c (what an allowlist lets through).
 */
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "io_path.h"
#include "manifest.h"
#include "sandbox_json.h"

static const char *const manifest_keys[SANDBOX_KEY_COUNT] = {
    "dev", "system", "pkgfs", "features", "boot", "services"};

static const char *const manifest_features[] = {
    "persistent-storage", "isolated-persistent-storage", "isolated-temp",
    "system-temp", "shell", "root-ssl-certificates", "hub",
    "deprecated-ambient-replace-as-executable"};

const char *sandbox_key_name(SandboxKey key)
{
    return key < SANDBOX_KEY_COUNT ? manifest_keys[key] : "?";
}

bool sandbox_feature_known(const char *feature)
{
    for (size_t i = 0; i < G_N_ELEMENTS(manifest_features); i++)
        if (strcmp(feature, manifest_features[i]) == 0)
            return true;
    return false;
}

bool sandbox_manifest_has(const SandboxManifest *m, SandboxKey key, const char *item)
{
    const SandboxList *l = &m->keys[key];
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], item) == 0)
            return true;
    return false;
}

void sandbox_manifest_free(SandboxManifest *m)
{
    for (int k = 0; k < SANDBOX_KEY_COUNT; k++) {
        for (size_t i = 0; i < m->keys[k].count; i++)
            free(m->keys[k].items[i]);
        free(m->keys[k].items);
    }
    memset(m, 0, sizeof *m);
}

static bool manifest_fail(char **error, const char *package, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static bool manifest_fail(char **error, const char *package, const char *fmt, ...)
{
    if (error) {
        va_list ap;
        va_start(ap, fmt);
        char *what = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        char *msg = g_strdup_printf("package '%s': meta/sandbox: %s", package, what);
        *error = strdup(msg);
        g_free(msg);
        g_free(what);
    }
    return false;
}

/* Why `item` is not acceptable under `key`, or NULL. */
static const char *manifest_item_problem(SandboxKey key, const char *item)
{
    size_t len = strlen(item);
    switch (key) {
    case SANDBOX_KEY_FEATURES:
        return sandbox_feature_known(item) ? NULL : "unknown feature";
    case SANDBOX_KEY_SERVICES:
        return io_path_check_name(item, len) == ZX_OK ? NULL : "not a valid service name";
    default: {
        IoPath p;
        if (io_path_check(item, len, false, &p) != ZX_OK || p.is_self || p.must_be_dir)
            return "not a relative path of names (no '.', '..', empty segments, "
                   "leading or trailing '/')";
        return NULL;
    }
    }
}

static bool manifest_list(const char *package, SandboxKey key, JsonNode *node,
                          SandboxList *out, char **error)
{
    const char *name = manifest_keys[key];
    if (!JSON_NODE_HOLDS_ARRAY(node))
        return manifest_fail(error, package, "\"%s\" is %s: it must be an array of strings",
                             name, sandbox_json_kind(node));
    JsonArray *a = json_node_get_array(node);
    guint n = json_array_get_length(a);
    out->items = calloc(n ? n : 1, sizeof *out->items);
    if (!out->items)
        return manifest_fail(error, package, "out of memory");
    for (guint i = 0; i < n; i++) {
        JsonNode *e = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_STRING)
            return manifest_fail(error, package, "\"%s\"[%u] is %s, not a string", name, i,
                                 sandbox_json_kind(e));
        const char *item = json_node_get_string(e);
        const char *problem = manifest_item_problem(key, item);
        if (problem)
            return manifest_fail(error, package, "\"%s\"[%u] \"%s\": %s", name, i, item,
                                 problem);
        bool dup = false;
        for (size_t j = 0; j < out->count && !dup; j++)
            dup = strcmp(out->items[j], item) == 0;
        if (!dup && !(out->items[out->count++] = strdup(item)))
            return manifest_fail(error, package, "out of memory");
    }
    return true;
}

static bool manifest_object(const char *package, JsonObject *obj, SandboxManifest *out,
                            char **error)
{
    GList *members = json_object_get_members(obj);
    members = g_list_sort(members, (GCompareFunc)strcmp);
    bool ok = true;
    for (GList *l = members; ok && l; l = l->next) {
        const char *key = l->data;
        int k = 0;
        while (k < SANDBOX_KEY_COUNT && strcmp(key, manifest_keys[k]) != 0)
            k++;
        if (k == SANDBOX_KEY_COUNT) {
            ok = manifest_fail(error, package,
                               "unknown key \"%s\" (known: dev, system, pkgfs, features, "
                               "boot, services)", key);
            break;
        }
        ok = manifest_list(package, (SandboxKey)k, json_object_get_member(obj, key),
                           &out->keys[k], error);
        if (k == SANDBOX_KEY_SERVICES)
            out->has_services = true;
    }
    g_list_free(members);
    return ok;
}

bool sandbox_manifest_parse(const char *package, const uint8_t *data, size_t len,
                            SandboxManifest *out, char **error)
{
    memset(out, 0, sizeof *out);
    if (error)
        *error = NULL;
    if (len > (1u << 20))
        return manifest_fail(error, package, "larger than 1 MiB");
    if (memchr(data, '\0', len))
        return manifest_fail(error, package, "contains a NUL byte (not JSON text)");
    char *problem = NULL;
    JsonNode *root = sandbox_json_parse((const char *)data, len, &problem);
    bool ok;
    if (!root) {
        ok = manifest_fail(error, package, "%s", problem);
        g_free(problem);
    } else {
        if (!JSON_NODE_HOLDS_OBJECT(root))
            ok = manifest_fail(error, package, "the top level is %s: it must be a JSON object",
                               sandbox_json_kind(root));
        else
            ok = manifest_object(package, json_node_get_object(root), out, error);
        json_node_unref(root);
    }
    if (!ok)
        sandbox_manifest_free(out);
    else
        out->present = true;
    return ok;
}
