/* app_image.c — programs: app images loaded from files or bytes, and the
 * registry of built-in programs.
 *
 * Models: the executable file a process is started from (in Fuchsia, an ELF
 * in a package, handed to the process loader as a VMO). An image is
 * immutable once loaded: its bytes, its name for messages, what app_elf.c
 * learned about it. Each process launched from it loads a private copy
 * (app_instance.c); the image itself never runs.
 *
 * Loading checks everything it can up front, so that launching only fails
 * for lack of host resources: the ELF checks (app_elf.c), then one test
 * load of a private copy (resolves every symbol with RTLD_NOW, finds main),
 * unloaded at once. Errors are malloc'd strings "<file>: <problem>".
 *
 * Built-ins: programs compiled into the host (system services, test
 * helpers) registered by name with their main. They are launched the same
 * way but share one copy of their globals (they are part of the host
 * binary); they get no private TLS either. Registry lookups are by name
 * only (never iterated), under a mutex (registration may come from any
 * host thread).
 *
 * Reference counts are atomic: an image may be shared by several kernels.
 * Read next: app_instance.c.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_image.h"
#include "app_instance.h"
#include "host_file.h"

static GMutex app_builtins_lock;
static GHashTable *app_builtins; /* name -> AppImage* (one reference) */

static char *app_image_strdup_error(const char *name, const char *problem)
{
    size_t n = strlen(name) + strlen(problem) + 3;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s: %s", name, problem);
    return s;
}

AppImage *app_image_load_bytes(const char *name, const void *data, size_t len,
                               char **error)
{
    if (error)
        *error = NULL;
    if (!name)
        name = "(unnamed app)";
    if (!data) {
        if (error)
            *error = app_image_strdup_error(name, "no data");
        return NULL;
    }
    AppImage *img = calloc(1, sizeof *img);
    if (!img || !(img->bytes = malloc(len ? len : 1)) || !(img->name = strdup(name))) {
        if (img)
            free(img->bytes);
        free(img);
        if (error)
            *error = app_image_strdup_error(name, "out of memory");
        return NULL;
    }
    memcpy(img->bytes, data, len);
    img->len = len;
    img->refs = 1;
    if (!app_elf_inspect(name, img->bytes, len, &img->elf, error) ||
        !app_instance_test_load(img, error)) {
        app_image_release(img);
        return NULL;
    }
    return img;
}

AppImage *app_image_load_file(const char *path, char **error)
{
    if (error)
        *error = NULL;
    if (!path) {
        if (error)
            *error = app_image_strdup_error("(null)", "no file name given");
        return NULL;
    }
    gchar *data = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!host_file_read(path, &data, &len, &err)) {
        /* GLib's message already names the file. */
        if (error)
            *error = strdup(err->message);
        g_error_free(err);
        return NULL;
    }
    AppImage *img = app_image_load_bytes(path, data, len, error);
    g_free(data);
    return img;
}

void app_builtin_register(const char *name, AppMainFn main_fn)
{
    if (!name || !main_fn)
        return;
    AppImage *img = calloc(1, sizeof *img);
    if (!img || !(img->name = strdup(name))) {
        free(img);
        return;
    }
    img->builtin = main_fn;
    img->refs = 1;
    g_mutex_lock(&app_builtins_lock);
    if (!app_builtins)
        app_builtins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)app_image_release);
    g_hash_table_replace(app_builtins, g_strdup(name), img);
    g_mutex_unlock(&app_builtins_lock);
}

AppImage *app_image_builtin(const char *name)
{
    AppImage *img = NULL;
    if (!name)
        return NULL;
    g_mutex_lock(&app_builtins_lock);
    if (app_builtins && (img = g_hash_table_lookup(app_builtins, name)))
        app_image_ref(img);
    g_mutex_unlock(&app_builtins_lock);
    return img;
}

AppImage *app_image_ref(AppImage *img)
{
    if (img)
        g_atomic_int_inc(&img->refs);
    return img;
}

void app_image_release(AppImage *img)
{
    if (!img || !g_atomic_int_dec_and_test(&img->refs))
        return;
    free(img->bytes);
    free(img->name);
    free(img);
}

const char *app_image_name(const AppImage *img)
{
    return img ? img->name : NULL;
}
