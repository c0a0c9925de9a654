/* sandbox_policy.c — grant-all and allowlist policies for sandbox requests.
 *
 * What it models: the two regimes Fuchsia's appmgr went through. At first
 * it granted every meta/sandbox request ("In the current implementation,
 * the AppMgr grants all such requests"); later a policy checker refused to
 * launch a component that asked for certain features unless its package was
 * on an allowlist (e.g. deprecated-shell, deprecated-ambient-replace-as-
 * executable). Here the allowlist covers every request:
 *
 *   {
 *     "packages": {
 *       "root_presenter": { "dev": ["class/framebuffer"] },
 *       "shell":          { "features": ["shell", "hub"] },
 *       "*":              { "features": ["isolated-temp"] }
 *     },
 *     "restricted_services": ["capsim.Secrets"]
 *   }
 *
 * A request (key, item) of package P is granted when P's entry or the "*"
 * entry lists the item under the same key; the first request that is not
 * refuses the launch, and the reason names package, request and policy.
 * "services" requests are only checked for restricted services, which are
 * also hidden from components that did not ask (those without a
 * meta/sandbox see every other service, as in appmgr).
 *
 * Malformed files are refused with a message naming the file and the
 * problem; so are unknown top-level keys, entry names that are neither "*"
 * nor package names and restricted names that are not service names, which
 * would otherwise be silently ignored. A value of the wrong kind (a null
 * entry, a number in a list) is named by where it is — `packages entry
 * "shell"`, `"restricted_services"[2]` — and what it is. Read next:
 * cm_namespace.c.
 */
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "host_file.h"
#include "io_path.h"
#include "package.h"
#include "sandbox_json.h"
#include "sandbox_policy.h"

typedef struct PolicyEntry {
    char *package;
    SandboxManifest grants;   /* what the package may ask for */
} PolicyEntry;

struct SandboxPolicy {
    SandboxPolicyMode mode;
    char *name;
    PolicyEntry *entries;
    size_t nentries;
    SandboxList restricted;
};

SandboxPolicy *sandbox_policy_grant_all(void)
{
    SandboxPolicy *p = calloc(1, sizeof *p);
    if (p && !(p->name = strdup("grant-all"))) {
        free(p);
        return NULL;
    }
    return p;
}

void sandbox_policy_free(SandboxPolicy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nentries; i++) {
        free(p->entries[i].package);
        sandbox_manifest_free(&p->entries[i].grants);
    }
    for (size_t i = 0; i < p->restricted.count; i++)
        free(p->restricted.items[i]);
    free(p->restricted.items);
    free(p->entries);
    free(p->name);
    free(p);
}

SandboxPolicyMode sandbox_policy_mode(const SandboxPolicy *p)
{
    return p ? p->mode : SANDBOX_POLICY_GRANT_ALL;
}

const char *sandbox_policy_name(const SandboxPolicy *p)
{
    return p ? p->name : "grant-all";
}

static SandboxPolicy *policy_fail(SandboxPolicy *p, char **error, const char *name,
                                  const char *what)
{
    if (error) {
        char *msg = g_strdup_printf("%s: %s", name, what);
        *error = strdup(msg);
        g_free(msg);
    }
    sandbox_policy_free(p);
    return NULL;
}

/* One package entry: the same shape as a meta/sandbox (same checks). */
static bool policy_entry(SandboxPolicy *p, const char *pkg, JsonNode *node, char **why)
{
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        *why = g_strdup_printf("packages entry \"%s\" is %s: an entry must be an object "
                               "of the sandbox grants it allows, e.g. "
                               "{\"dev\": [\"class/framebuffer\"]} ({} allows nothing)",
                               pkg, sandbox_json_kind(node));
        return false;
    }
    JsonGenerator *gen = json_generator_new();
    json_generator_set_root(gen, node);
    gsize len = 0;
    gchar *text = json_generator_to_data(gen, &len);
    g_object_unref(gen);
    PolicyEntry *e = &p->entries[p->nentries];
    char *err = NULL;
    bool ok = sandbox_manifest_parse(pkg, (const uint8_t *)text, len, &e->grants, &err);
    g_free(text);
    if (!ok) {
        const char *tail = err ? strstr(err, "meta/sandbox: ") : NULL;
        char *msg = g_strdup_printf("packages entry \"%s\": %s", pkg,
                                    tail ? tail + 14 : "out of memory");
        *why = msg;
        free(err);
        return false;
    }
    e->package = strdup(pkg);
    p->nentries++;
    return e->package != NULL;
}

/* "restricted_services": an array of service names; NULL or why not. */
static char *policy_restricted_list(JsonNode *node, SandboxList *out)
{
    if (!JSON_NODE_HOLDS_ARRAY(node))
        return g_strdup_printf("\"restricted_services\" is %s: it must be an array of "
                               "service names", sandbox_json_kind(node));
    JsonArray *a = json_node_get_array(node);
    guint n = json_array_get_length(a);
    out->items = calloc(n ? n : 1, sizeof *out->items);
    for (guint i = 0; out->items && i < n; i++) {
        JsonNode *e = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_STRING)
            return g_strdup_printf("\"restricted_services\"[%u] is %s, not a service name "
                                   "(a string)", i, sandbox_json_kind(e));
        const char *name = json_node_get_string(e);
        if (io_path_check_name(name, strlen(name)) != ZX_OK)
            return g_strdup_printf("\"restricted_services\"[%u] \"%s\": not a valid service "
                                   "name", i, name);
        if (!(out->items[out->count++] = strdup(name)))
            return g_strdup("out of memory");
    }
    return out->items ? NULL : g_strdup("out of memory");
}

/* Why the file's top level is not {"packages": ..., "restricted_services": ...}. */
static char *policy_root_problem(JsonNode *root)
{
    if (!root || !JSON_NODE_HOLDS_OBJECT(root))
        return g_strdup_printf("the top level is %s: it must be a JSON object "
                               "{\"packages\": ...}", sandbox_json_kind(root));
    JsonObject *obj = json_node_get_object(root);
    GList *keys = g_list_sort(json_object_get_members(obj), (GCompareFunc)strcmp);
    char *why = NULL;
    for (GList *l = keys; l && !why; l = l->next)
        if (strcmp(l->data, "packages") != 0 && strcmp(l->data, "restricted_services") != 0)
            why = g_strdup_printf("unknown key \"%s\" (known: packages, restricted_services)",
                                  (const char *)l->data);
    g_list_free(keys);
    JsonNode *pk = json_object_get_member(obj, "packages");
    if (!why && !pk)
        why = g_strdup("no \"packages\": it must be an object of package name -> "
                       "sandbox grants");
    else if (!why && !JSON_NODE_HOLDS_OBJECT(pk))
        why = g_strdup_printf("\"packages\" is %s: it must be an object of package name "
                              "-> sandbox grants", sandbox_json_kind(pk));
    return why;
}

static SandboxPolicy *policy_from_root(SandboxPolicy *p, JsonNode *root, char **error)
{
    char *why = policy_root_problem(root);
    JsonObject *obj = why ? NULL : json_node_get_object(root);
    JsonNode *rs = obj ? json_object_get_member(obj, "restricted_services") : NULL;
    if (rs)
        why = policy_restricted_list(rs, &p->restricted);
    JsonObject *pk = why ? NULL : json_object_get_object_member(obj, "packages");
    GList *names = pk ? g_list_sort(json_object_get_members(pk), (GCompareFunc)strcmp) : NULL;
    p->entries = calloc(g_list_length(names) + 1, sizeof *p->entries);
    for (GList *l = names; p->entries && l && !why; l = l->next) {
        if (strcmp(l->data, "*") != 0 && !package_name_valid(l->data))
            why = g_strdup_printf("packages entry \"%s\": not a package name (1..100 of "
                                  "[a-z0-9._-], or \"*\")", (const char *)l->data);
        else if (!policy_entry(p, l->data, json_object_get_member(pk, l->data), &why) && !why)
            why = g_strdup("out of memory");
    }
    g_list_free(names);
    if (!why && !p->entries)
        why = g_strdup("out of memory");
    if (why) {
        SandboxPolicy *r = policy_fail(p, error, p->name, why);
        g_free(why);
        return r;
    }
    return p;
}

SandboxPolicy *sandbox_policy_load_bytes(const char *name, const char *json, size_t len,
                                         char **error)
{
    SandboxPolicy *p = calloc(1, sizeof *p);
    if (error)
        *error = NULL;
    if (!p || !(p->name = strdup(name ? name : "allowlist")))
        return policy_fail(p, error, name ? name : "allowlist", "out of memory");
    p->mode = SANDBOX_POLICY_ALLOWLIST;
    char *problem = NULL;
    JsonNode *root = sandbox_json_parse(json, len, &problem);
    SandboxPolicy *r;
    if (!root) {
        r = policy_fail(p, error, p->name, problem);
        g_free(problem);
    } else {
        r = policy_from_root(p, root, error);
        json_node_unref(root);
    }
    return r;
}

SandboxPolicy *sandbox_policy_load_file(const char *path, char **error)
{
    gchar *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!host_file_read(path, &text, &len, &err)) {
        if (error) {
            char *msg = g_strdup_printf("%s: cannot read: %s", path, err->message);
            *error = strdup(msg);
            g_free(msg);
        }
        g_error_free(err);
        return NULL;
    }
    SandboxPolicy *p = sandbox_policy_load_bytes(path, text, len, error);
    g_free(text);
    return p;
}

static bool policy_grants(const SandboxPolicy *p, const char *package, SandboxKey key,
                          const char *item)
{
    for (size_t i = 0; i < p->nentries; i++) {
        const PolicyEntry *e = &p->entries[i];
        if ((strcmp(e->package, package) == 0 || strcmp(e->package, "*") == 0) &&
            sandbox_manifest_has(&e->grants, key, item))
            return true;
    }
    return false;
}

static bool policy_restricted(const SandboxPolicy *p, const char *service)
{
    for (size_t i = 0; i < p->restricted.count; i++)
        if (strcmp(p->restricted.items[i], service) == 0)
            return true;
    return false;
}

char *sandbox_policy_check(const SandboxPolicy *p, const char *package,
                           const SandboxManifest *m)
{
    if (!p || p->mode == SANDBOX_POLICY_GRANT_ALL)
        return NULL;
    for (int k = 0; k < SANDBOX_KEY_COUNT; k++) {
        for (size_t i = 0; i < m->keys[k].count; i++) {
            const char *item = m->keys[k].items[i];
            if (k == SANDBOX_KEY_SERVICES && !policy_restricted(p, item))
                continue;
            if (policy_grants(p, package, (SandboxKey)k, item))
                continue;
            char *msg = g_strdup_printf(
                "package '%s': sandbox request %s:%s is not in the allowlist %s",
                package, sandbox_key_name((SandboxKey)k), item, p->name);
            char *r = strdup(msg);
            g_free(msg);
            return r;
        }
    }
    return NULL;
}

bool sandbox_policy_service_visible(const SandboxPolicy *p, const char *package,
                                    const char *name)
{
    if (!p || p->mode == SANDBOX_POLICY_GRANT_ALL || !policy_restricted(p, name))
        return true;
    return policy_grants(p, package, SANDBOX_KEY_SERVICES, name);
}
