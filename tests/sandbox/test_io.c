/* test_io.c — the sandbox layer's pure parts, without a simulation: the
 * servers' path rules, fdio's path cleaning, vnode trees, meta/sandbox
 * parsing, allowlist files, package names and builds, namespace plans. */
#include <criterion/criterion.h>
#include <errno.h>
#include <lib/fdio/io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/errors.h>

#include "cm_namespace.h"
#include "far.h"
#include "io_path.h"
#include "manifest.h"
#include "package.h"
#include "sandbox_policy.h"
#include "sdk/fdio_internal.h"
#include "vnode.h"

static zx_status_t check(const char *p, bool dotdot)
{
    IoPath out;
    return io_path_check(p, strlen(p), dotdot, &out);
}

Test(io_path, fuchsia_io_rules_and_errors)
{
    cr_expect_eq(check("a", false), ZX_OK);
    cr_expect_eq(check("a/b/c", false), ZX_OK);
    cr_expect_eq(check("a/b/", false), ZX_OK);           /* trailing '/': a directory */
    cr_expect_eq(check(".", false), ZX_OK);              /* the node itself */
    cr_expect_eq(check("", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(check("/a", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(check("a//b", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(check("a/./b", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(check("./a", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(check("..", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(check("a/../b", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(check("a//", false), ZX_ERR_INVALID_ARGS);
    cr_expect_eq(io_path_check("a\0b", 3, false, &(IoPath){0}), ZX_ERR_INVALID_ARGS);
    char name[300];
    memset(name, 'n', 255);
    name[255] = '\0';
    cr_expect_eq(check(name, false), ZX_OK);
    strcat(name, "n");
    cr_expect_eq(check(name, false), ZX_ERR_BAD_PATH);
    char path[FIO_MAX_PATH + 4];
    memset(path, 'a', sizeof path);
    for (size_t i = 1; i < sizeof path; i += 2)
        path[i] = '/';
    path[FIO_MAX_PATH] = '\0';               /* 4095 bytes, ends in 'a' */
    cr_expect_eq(check(path, false), ZX_OK);
    path[FIO_MAX_PATH] = 'a';
    path[FIO_MAX_PATH + 1] = '\0';           /* 4096 */
    cr_expect_eq(check(path, false), ZX_ERR_BAD_PATH);
}

Test(io_path, dotdot_only_with_the_fault_switch)
{
    IoPath p;
    cr_expect_eq(io_path_check("a/../b", 6, true, &p), ZX_OK);
    cr_expect(p.has_dotdot);
    cr_expect_eq(check("a/./b", true), ZX_ERR_INVALID_ARGS); /* "." stays refused */
    size_t pos = 0, n;
    const char *seg;
    bool last;
    int count = 0;
    while (io_path_next(&p, &pos, &seg, &n, &last))
        count++;
    cr_expect_eq(count, 3);
    cr_expect(last);
}

static const char *clean(const char *cwd, const char *in)
{
    static char out[FIO_MAX_PATH + 2];
    zx_status_t s = fdio_path_clean(cwd, in, out, sizeof out, NULL);
    if (s != ZX_OK)
        snprintf(out, sizeof out, "error %d", s);
    return out;
}

Test(fdio_path, cleaning_never_leaves_the_root)
{
    cr_expect_str_eq(clean("/", "/pkg/data/x"), "/pkg/data/x");
    cr_expect_str_eq(clean("/", "/pkg/../data"), "/data");
    cr_expect_str_eq(clean("/", "/../../etc/passwd"), "/etc/passwd");
    cr_expect_str_eq(clean("/", "//pkg///./data/"), "/pkg/data");
    cr_expect_str_eq(clean("/pkg/data", "x"), "/pkg/data/x");
    cr_expect_str_eq(clean("/pkg/data", "../../.."), "/");
    cr_expect_str_eq(clean("/", ""), "error -25");  /* ZX_ERR_NOT_FOUND */
    cr_expect_eq(fdio_status_to_errno(ZX_ERR_ACCESS_DENIED), EACCES);
    cr_expect_eq(fdio_status_to_errno(ZX_ERR_BAD_PATH), ENAMETOOLONG);
    cr_expect_eq(fdio_status_to_errno(ZX_ERR_NOT_FOUND), ENOENT);
}

Test(vnode, tree_invariants_and_readonly)
{
    VnodeTree *t = vnode_tree_new(false, false);
    Vnode *d = vnode_mkdir_p(t->root, "a/b");
    cr_assert(d);
    cr_expect_not_null(vnode_add_file(d, "z", "zz", 2));
    cr_expect_not_null(vnode_add_file(d, "m", "m", 1));
    cr_expect_null(vnode_add_file(d, "m", "again", 5));     /* names are unique */
    cr_expect_null(vnode_add_file(d, "..", "x", 1));        /* and valid */
    cr_expect_str_eq(d->kids[0]->name, "m");                 /* sorted */
    cr_expect_str_eq(d->kids[1]->name, "z");
    Vnode *f = d->kids[1], *n;
    size_t actual;
    cr_expect_eq(vnode_write(f, 4, "!", 1, &actual), ZX_OK);
    cr_expect_eq(f->size, 5);                                /* hole filled with zeros */
    cr_expect_eq(vnode_create(d, "z", 1, false, &n), ZX_ERR_ALREADY_EXISTS);
    cr_expect_eq(vnode_unlink(t->root, "a", 1, false), ZX_ERR_NOT_EMPTY);
    vnode_ref(f);                                            /* an open connection */
    cr_expect_eq(vnode_unlink(d, "z", 1, false), ZX_OK);
    char buf[8];
    cr_expect_eq(vnode_read(f, 0, buf, sizeof buf, &actual), ZX_OK); /* still readable */
    cr_expect_eq(actual, 5);
    vnode_unref(f);
    t->immutable = true;
    cr_expect_eq(vnode_create(d, "q", 1, false, &n), ZX_ERR_ACCESS_DENIED);
    cr_expect_eq(vnode_truncate(d->kids[0], 0), ZX_ERR_ACCESS_DENIED);
    vnode_tree_free(t);
}

static char *parse_error(const char *json)
{
    SandboxManifest m;
    char *err = NULL;
    if (sandbox_manifest_parse("p", (const uint8_t *)json, strlen(json), &m, &err)) {
        sandbox_manifest_free(&m);
        return NULL;
    }
    return err;
}

Test(manifest, parses_every_key)
{
    const char *json = "{\"dev\": [\"class/framebuffer\", \"class/framebuffer\"],"
                       " \"features\": [\"shell\"], \"services\": [\"a.B\"],"
                       " \"system\": [\"data\"], \"boot\": [\"config\"], \"pkgfs\": [\"packages\"]}";
    SandboxManifest m;
    char *err = NULL;
    cr_assert(sandbox_manifest_parse("p", (const uint8_t *)json, strlen(json), &m, &err), "%s", err);
    cr_expect(m.present && m.has_services);
    cr_expect_eq(m.keys[SANDBOX_KEY_DEV].count, 1);          /* duplicates dropped */
    cr_expect(sandbox_manifest_has(&m, SANDBOX_KEY_FEATURES, "shell"));
    cr_expect(sandbox_manifest_has(&m, SANDBOX_KEY_BOOT, "config"));
    sandbox_manifest_free(&m);
    char *e = parse_error("{\"dev\": [\"a/../b\"]}");
    cr_expect(e && strstr(e, "package 'p': meta/sandbox: \"dev\"[0] \"a/../b\""), "%s", e);
    free(e);
    e = parse_error("{\"dev\": [\"class\"], \"zzz\": 1}");
    cr_expect(e && strstr(e, "unknown key \"zzz\""), "%s", e);
    free(e);
    e = parse_error("{\"dev\": [\"class/input\"], \"dev\": []}");
    cr_expect(e && strstr(e, "package 'p': meta/sandbox: the key \"dev\" appears twice in one object"),
              "%s", e);
    free(e);
    e = parse_error("\"just a string\"");
    cr_expect(e && strstr(e, "the top level is a string: it must be a JSON object"), "%s", e);
    free(e);
}

Test(policy, allowlist_files_and_checks)
{
    char *err = NULL;
    const char *bad[][2] = {
        {"[", "not valid JSON"},
        {"{}", "no \"packages\": it must be an object"},
        {"{\"packages\": null}", "\"packages\" is null: it must be an object"},
        {"null", "the top level is null: it must be a JSON object"},
        {"{\"packages\": {\"x\": {\"dev\": 3}}}",
         "packages entry \"x\": \"dev\" is a number: it must be an array"},
        {"{\"packages\": {}, \"restricted_services\": [1]}",
         "\"restricted_services\"[0] is a number, not a service name"},
        /* a null where something is expected names the entry, not the top level */
        {"{\"packages\": {\"a\": {}, \"shell\": null}}",
         "packages entry \"shell\" is null: an entry must be an object of the sandbox grants"},
        {"{\"packages\": {\"*\": [\"dev\"]}}", "packages entry \"*\" is an array: an entry"},
        {"{\"packages\": {\"x\": {\"dev\": null}}}",
         "packages entry \"x\": \"dev\" is null: it must be an array of strings"},
        {"{\"packages\": {\"x\": {\"features\": [\"hub\", null]}}}",
         "packages entry \"x\": \"features\"[1] is null, not a string"},
        {"{\"packages\": {}, \"restricted_services\": [\"capsim.Secrets\", null]}",
         "\"restricted_services\"[1] is null, not a service name"},
        {"{\"packages\": {}, \"restricted_services\": null}",
         "\"restricted_services\" is null: it must be an array of service names"},
        /* a misspelt key would silently lift every restriction */
        {"{\"packages\": {}, \"restricted_service\": [\"capsim.Secrets\"]}",
         "unknown key \"restricted_service\" (known: packages, restricted_services)"},
        /* an entry no package can ever match */
        {"{\"packages\": {\"Root Presenter\": {}}}",
         "packages entry \"Root Presenter\": not a package name (1..100 of [a-z0-9._-], or \"*\")"},
        {"{\"packages\": {}, \"restricted_services\": [\"a/b\"]}",
         "\"restricted_services\"[0] \"a/b\": not a valid service name"},
        {"{\"packages\": {}, \"restricted_services\": [\"\"]}",
         "\"restricted_services\"[0] \"\": not a valid service name"},
        /* a key twice: JSON keeps the last silently, dropping the first */
        {"{\"packages\": {\"a\": {}}, \"packages\": {}}",
         "the key \"packages\" appears twice in one object"},
        {"{\"packages\": {\"a\": {\"dev\": [\"x\"]}, \"a\": {}}}",
         "the key \"a\" appears twice in one object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_null(sandbox_policy_load_bytes("pol.json", bad[i][0], strlen(bad[i][0]), &err));
        cr_expect(err && strncmp(err, "pol.json: ", 10) == 0 && strstr(err, bad[i][1]),
                  "case %zu: %s", i, err);
        free(err);
        err = NULL;
    }
    cr_expect_null(sandbox_policy_load_file("/nonexistent/policy.json", &err));
    cr_expect(err && strstr(err, "/nonexistent/policy.json: cannot read"), "%s", err);
    free(err);
    const char *ok = "{\"packages\": {\"a\": {\"dev\": [\"class/input\"]},"
                     " \"*\": {\"features\": [\"hub\"]}}}";
    SandboxPolicy *p = sandbox_policy_load_bytes("pol.json", ok, strlen(ok), &err);
    cr_assert(p, "%s", err);
    cr_expect_eq(sandbox_policy_mode(p), SANDBOX_POLICY_ALLOWLIST);
    SandboxManifest m = {.present = true};
    char *items[] = {"class/input"}, *feats[] = {"hub"};
    m.keys[SANDBOX_KEY_DEV] = (SandboxList){items, 1};
    m.keys[SANDBOX_KEY_FEATURES] = (SandboxList){feats, 1};
    cr_expect_null(sandbox_policy_check(p, "a", &m));
    char *why = sandbox_policy_check(p, "b", &m);
    cr_expect_str_eq(why, "package 'b': sandbox request dev:class/input is not in the "
                          "allowlist pol.json");
    free(why);
    sandbox_policy_free(p);
    SandboxPolicy *all = sandbox_policy_grant_all();
    cr_expect_null(sandbox_policy_check(all, "b", &m));
    sandbox_policy_free(all);
}

Test(package, names_builds_and_meta_package)
{
    cr_expect(package_name_valid("root_presenter"));
    cr_expect(package_name_valid("a-b.c_0"));
    cr_expect_not(package_name_valid("Root"));
    cr_expect_not(package_name_valid(".."));
    cr_expect_not(package_name_valid(""));
    const char meta[] = "{\"name\": \"named\", \"version\": \"0\"}";
    PackageFile files[] = {{"meta/package", meta, sizeof meta - 1}, {"bin/app", "x", 1}};
    size_t len;
    char *err = NULL;
    uint8_t *far = package_build(files, 2, &len, &err);
    cr_assert(far, "%s", err);
    char *name = package_name_of(far, len, "fallback", &err);
    cr_expect_str_eq(name, "named");
    free(name);
    free(far);
    PackageFile dup[] = {{"bin/app", "x", 1}, {"bin/app", "y", 1}};
    cr_expect_null(package_build(dup, 2, &len, &err));
    cr_expect(err && strstr(err, "bin/app"), "%s", err);
    free(err);
}

/* A meta/package that names no usable package says what it found where
 * the name should be, as the allowlist's messages do. */
Test(package, meta_package_errors_say_what_was_found)
{
    static const struct {
        const char *meta, *message;
    } cases[] = {
        {"[\"named\"]", "meta/package: the top level is an array: it must be an object"},
        {"{\"version\": \"0\"}", "meta/package: no \"name\": it must be a string of 1..100"},
        {"{\"name\": [\"list\"]}", "meta/package: \"name\" is an array: it must be a string"},
        {"{\"name\": null}", "meta/package: \"name\" is null: it must be a string"},
        {"{\"name\": 7}", "meta/package: \"name\" is a number: it must be a string"},
        {"{\"name\": \"\"}", "meta/package: \"name\" is an empty string"},
        {"{\"name\": \"Root Presenter\"}",
         "meta/package: \"name\" is \"Root Presenter\": a package name is 1..100 of"},
        {"{\"name\": \"x\", \"name\": \"y\"}", "the key \"name\" appears twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PackageFile files[] = {{"meta/package", cases[i].meta, strlen(cases[i].meta)},
                               {"bin/app", "x", 1}};
        size_t len;
        char *err = NULL;
        uint8_t *far = package_build(files, 2, &len, &err);
        cr_assert(far, "%s", err);
        char *name = package_name_of(far, len, "fallback", &err);
        cr_expect_null(name, "%s gave a name", cases[i].meta);
        cr_expect(err && strstr(err, cases[i].message), "%s: got '%s', wanted '%s'",
                  cases[i].meta, err ? err : "(none)", cases[i].message);
        free(name);
        free(err);
        free(far);
    }
}

Test(namespace_plan, appmgr_rules)
{
    const char *json = "{\"dev\": [\"class/framebuffer\", \"class\"], \"features\": [\"shell\","
                       " \"isolated-temp\", \"deprecated-ambient-replace-as-executable\"]}";
    SandboxManifest m;
    cr_assert(sandbox_manifest_parse("p", (const uint8_t *)json, strlen(json), &m, NULL));
    CmNsPlan plan;
    cm_ns_plan(&m, "p", "app", ".", &plan);
    const char *want[] = {"/pkg", "/svc", "/dev/class/framebuffer", "/config/ssl", "/boot",
                          "/data", "/dev", "/hub", "/pkgfs", "/system", "/tmp"};
    cr_assert_eq(plan.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < plan.count; i++)
        cr_expect_str_eq(plan.entries[i].path, want[i]);
    /* shell's /tmp came first: isolated-temp does not replace it. */
    cr_expect_str_eq(plan.entries[10].subpath, ".");
    cr_expect(plan.ambient_exec);
    cr_expect(strstr(plan.skipped, "dev:class"));
    sandbox_manifest_free(&m);
    cm_ns_plan(NULL, "q", "app", ".", &plan);
    cr_expect_eq(plan.count, 2);
    cr_expect_str_eq(plan.entries[0].subpath, "packages/q/0");
}
