/* cm_packages.c — what the component manager installs: packages in pkgfs
 * and files in /data.
 *
 * What it models: installing a package on a Fuchsia system of the appmgr
 * era: the archive is checked (a malformed one, or one holding a file
 * and a directory of the same name, which pkgfs cannot mount, is refused
 * with a message naming the package and the problem), kept by the host for launches
 * (bin/app, meta/sandbox) and mounted read-only and executable in pkgfs at
 * packages/<name>/0 — which is what a component's /pkg is. Its name is the
 * caller's, meta/package's, or the archive file's. cm_data_put seeds /data
 * (say, a secret a sandbox should keep a component away from) with
 * pipelined Opens and Writes on the data server, as appmgr would.
 *
 * Invariants: a name is installed once; no trace record depends on an
 * archive's size (an app's bytes differ between builds, the trace must
 * not). Read next: cm_launch.c.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_internal.h"
#include "far.h"
#include "host_file.h"
#include "io_path.h"
#include "package.h"
#include "sandbox_host.h"

const CmPackage *cm_package_find(const CmSystem *cm, const char *name)
{
    for (size_t i = 0; i < cm->npkgs; i++)
        if (strcmp(cm->pkgs[i].name, name) == 0)
            return &cm->pkgs[i];
    return NULL;
}

/* Why the archive cannot be installed as `n`, or NULL. */
static char *cm_package_problem(CmSystem *cm, const char *n, const uint8_t *far, size_t len)
{
    FarError ferr = {0};
    FarArchive *a = far_open_bytes(far, len, &ferr);
    size_t file = 0, under = 0;
    char *collision = a && far_file_dir_collision(a, &file, &under)
                          ? g_strdup_printf("package '%s': '%s' is a file and also the "
                                            "directory of '%s'", n, far_name(a, file),
                                            far_name(a, under))
                          : NULL;
    far_close(a);
    if (!package_name_valid(n)) {
        g_free(collision);
        return g_strdup_printf("package '%s': not a valid name (1..100 of [a-z0-9._-])", n);
    }
    if (!a)
        return g_strdup_printf("package '%s': %s", n, ferr.message);
    if (collision)
        return collision;
    if (cm_package_find(cm, n))
        return g_strdup_printf("package '%s': already installed", n);
    return NULL;
}

bool cm_add_package(CmSystem *cm, const char *name, const uint8_t *far, size_t len,
                    char **error)
{
    char *err = NULL;
    char *n = name ? strdup(name) : package_name_of(far, len, NULL, &err);
    if (!n) {
        cm_fail(error, "%s", err ? err : "package: out of memory");
        free(err);
        return false;
    }
    char *problem = cm_package_problem(cm, n, far, len);
    CmPackage *pkgs = problem ? NULL : realloc(cm->pkgs, (cm->npkgs + 1) * sizeof *pkgs);
    if (pkgs)
        cm->pkgs = pkgs;
    uint8_t *copy = pkgs ? malloc(len ? len : 1) : NULL;
    if (!copy) {
        cm_fail(error, "%s", problem ? problem : "package: out of memory");
        g_free(problem);
        free(n);
        return false;
    }
    memcpy(copy, far, len);
    cm->pkgs[cm->npkgs++] = (CmPackage){n, copy, len};
    char path[160];
    snprintf(path, sizeof path, "packages/%s/0", n);
    /* No size in the trace: an app's bytes differ between builds. */
    sandbox_note(cm->k, 0, 0, "package %s installed", n);
    return cm_mount(cm, cm->pkgfs_ctl, path, far, len) ||
           cm_fail(error, "package '%s': pkgfs is gone", n);
}

char *cm_add_package_file(CmSystem *cm, const char *path, char **error)
{
    gchar *bytes = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!host_file_read(path, &bytes, &len, &err)) {
        cm_fail(error, "%s: cannot read: %s", path, err->message);
        g_error_free(err);
        return NULL;
    }
    gchar *base = g_path_get_basename(path);
    if (g_str_has_suffix(base, ".far"))
        base[strlen(base) - 4] = '\0';
    char *name = package_name_of((const uint8_t *)bytes, len, base, error);
    if (name && !cm_add_package(cm, name, (const uint8_t *)bytes, len, error)) {
        free(name);
        name = NULL;
    }
    if (!name && error && *error && !strstr(*error, path)) {
        char *msg = g_strdup_printf("%s: %s", path, *error);
        free(*error);
        *error = strdup(msg);
        g_free(msg);
    }
    g_free(base);
    g_free(bytes);
    return name;
}

/* Pipelined: Open each directory (CREATE), then the file (CREATE|TRUNCATE),
 * then Write messages; the replies go nowhere (no one reads them). */
bool cm_data_put(CmSystem *cm, const char *path, const void *data, size_t len,
                 char **error)
{
    IoPath checked;
    if (!path || io_path_check(path, strlen(path), false, &checked) != ZX_OK ||
        checked.is_self || checked.must_be_dir)
        return cm_fail(error, "/data/%s: not a relative path of names (no '.', '..', "
                              "empty segments, leading or trailing '/')", path ? path : "");
    gchar **segs = g_strsplit(path, "/", -1);
    KObject *dir = cm->roots[CM_ROOT_DATA];
    kobject_ref(dir);
    bool ok = segs[0] != NULL;
    uint32_t rw = FIO_OPEN_RIGHT_READABLE | FIO_OPEN_RIGHT_WRITABLE | FIO_OPEN_FLAG_CREATE;
    for (size_t i = 0; ok && segs[i]; i++) {
        bool last = segs[i + 1] == NULL;
        KObject *next;
        ok = segs[i][0] && sandbox_open(cm->k, dir, segs[i],
                                        rw | (last ? FIO_OPEN_FLAG_TRUNCATE
                                                   : FIO_OPEN_FLAG_DIRECTORY),
                                        &next) == ZX_OK;
        kobject_unref(dir);
        dir = ok ? next : NULL;
    }
    const uint8_t *p = data;
    for (size_t off = 0; ok && off < len; off += FIO_MAX_BUF) {
        size_t n = len - off < FIO_MAX_BUF ? len - off : FIO_MAX_BUF;
        uint8_t buf[sizeof(FioWriteRequest) + FIO_MAX_BUF];
        FioWriteRequest req = {.hdr.ordinal = FIO_OP_WRITE, .count = n};
        memcpy(buf, &req, sizeof req);
        memcpy(buf + sizeof req, p + off, n);
        ok = sandbox_write(cm->k, dir, buf, (uint32_t)(sizeof req + n), NULL, NULL, 0) == ZX_OK;
    }
    if (dir)
        kobject_unref(dir);
    g_strfreev(segs);
    return ok || cm_fail(error, "/data/%s: cannot write (bad path or data server gone)", path);
}
