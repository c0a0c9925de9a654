/* package.c — building and naming package archives.
 *
 * What it models: Fuchsia packages as appmgr saw them — an archive (FAR,
 * far.c) with the program (bin/app), its data (data/...), and metadata
 * (meta/sandbox, optionally meta/package naming the package). Scenario
 * scripts and tests build packages in memory from (name, bytes) pairs; the
 * build system uses `capsim far create` (model/sandbox/meson.build).
 *
 * bin/app is either a shared object (an app built against libcapsim) or a
 * one-line marker "#!capsim-builtin <name>" naming a program registered
 * in-process (app_builtin_register): tests and the standard services use
 * the latter.
 *
 * Read next: component_manager.c.
 */
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "far.h"
#include "package.h"
#include "sandbox_json.h"

static char *package_error(const char *fmt, const char *a, const char *b)
{
    char *msg = g_strdup_printf(fmt, a, b);
    char *r = strdup(msg);
    g_free(msg);
    return r;
}

uint8_t *package_build(const PackageFile *files, size_t n, size_t *out_len,
                       char **error)
{
    FarWriter *w = far_writer_new();
    FarError err = {0};
    uint8_t *bytes = NULL;
    bool ok = w != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = far_writer_add(w, files[i].name, files[i].data, files[i].len, &err);
    if (ok)
        bytes = far_writer_bytes(w, out_len, &err);
    if (!bytes && error)
        *error = package_error("package: %s%s", err.message[0] ? err.message : "out of memory",
                               "");
    far_writer_free(w);
    return bytes;
}

bool package_build_file(const char *path, const PackageFile *files, size_t n,
                        char **error)
{
    size_t len = 0;
    uint8_t *bytes = package_build(files, n, &len, error);
    if (!bytes)
        return false;
    GError *err = NULL;
    bool ok = g_file_set_contents(path, (const gchar *)bytes, (gssize)len, &err);
    if (!ok) {
        if (error)
            *error = package_error("%s: cannot write: %s", path, err->message);
        g_error_free(err);
    }
    free(bytes);
    return ok;
}

bool package_name_valid(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > 100 || !strcmp(name, ".") || !strcmp(name, ".."))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    }
    return true;
}

#define PACKAGE_NAME_RULE "1..100 of [a-z0-9._-]"

/* What is wrong with meta/package's root (NULL if nothing), saying what
 * was found where a name was wanted, as the allowlist's messages do
 * (sandbox_json_kind); g_free it. */
static char *package_meta_problem(JsonNode *root)
{
    if (!JSON_NODE_HOLDS_OBJECT(root))
        return g_strdup_printf("the top level is %s: it must be an object {\"name\": ...}",
                               sandbox_json_kind(root));
    JsonNode *v = json_object_get_member(json_node_get_object(root), "name");
    if (!v)
        return g_strdup("no \"name\": it must be a string of " PACKAGE_NAME_RULE);
    if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING)
        return g_strdup_printf("\"name\" is %s: it must be a string of " PACKAGE_NAME_RULE,
                               sandbox_json_kind(v));
    const char *n = json_node_get_string(v);
    if (package_name_valid(n))
        return NULL;
    if (!*n)
        return g_strdup("\"name\" is an empty string: it must be " PACKAGE_NAME_RULE);
    gchar *shown = g_strescape(n, NULL);
    char *why = g_strdup_printf("\"name\" is \"%.60s%s\": a package name is " PACKAGE_NAME_RULE,
                                shown, strlen(shown) > 60 ? "..." : "");
    g_free(shown);
    return why;
}

/* meta/package {"name": ...}: the name, or NULL with *error. */
static char *package_meta_name(const uint8_t *data, size_t len, const char *where,
                               char **error)
{
    char *problem = NULL;
    JsonNode *root = sandbox_json_parse((const char *)data, len, &problem);
    char *name = NULL;
    if (root && !(problem = package_meta_problem(root)))
        name = strdup(json_object_get_string_member(json_node_get_object(root), "name"));
    if (problem)
        *error = package_error("%s: meta/package: %s", where, problem);
    g_free(problem);
    if (root)
        json_node_unref(root);
    return name;
}

char *package_name_of(const uint8_t *far, size_t len, const char *fallback,
                      char **error)
{
    char *dummy = NULL;
    if (!error)
        error = &dummy;
    *error = NULL;
    FarError ferr = {0};
    FarArchive *a = far_open_bytes(far, len, &ferr);
    if (!a) {
        *error = package_error("package '%s': %s", fallback ? fallback : "?", ferr.message);
        return NULL;
    }
    const uint8_t *meta;
    size_t mlen;
    char *name = NULL;
    if (far_lookup(a, "meta/package", &meta, &mlen))
        name = package_meta_name(meta, mlen, fallback ? fallback : "package", error);
    else if (fallback && package_name_valid(fallback))
        name = strdup(fallback);
    else
        *error = package_error("%s: %s", fallback ? fallback : "package",
                               "no meta/package and not a valid package name "
                               "(1..100 of [a-z0-9._-])");
    far_close(a);
    free(dummy);
    return name;
}
