/* libc_environ.c — changing a process's environment, interposed for apps.
 *
 * Models: each process's own environment block (app_world_io.c installs
 * it in libc's environ while its threads run). glibc's setenv keeps one
 * hidden pointer to the last array IT allocated and reallocates that
 * array when a variable is added, copying in the current environ: after
 * the host had added a variable, an app's setenv() of a new name
 * reallocated the HOST's environment array and filled it with the app's
 * variables — the host lost its TZ, PATH, everything. Here the arrays are
 * the process's:
 *
 *   setenv(name, value, overwrite)  a new "name=value" string (an
 *                            overwritten one is left in place, as glibc
 *                            leaves its strings); empty name or one with
 *                            '=': EINVAL
 *   putenv(string)           the string itself; without '=': unsetenv
 *   unsetenv(name)           entries removed in place; bad name: EINVAL
 *   clearenv                 an empty environment
 *
 * Edits go to an array the process owns (AppProc.environ_own), made the
 * first time and grown as glibc's is: never to the block the process was
 * launched with, which launch_release frees string by string (an edit in
 * place lost strings or handed it an app's own putenv string). That array
 * and the strings setenv made are freed with the process
 * (libc_environ_free_proc); before, each one leaked. The array in use is
 * written where the app and libc both read it (app_io_set_running).
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_tz.c, which reads TZ from it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"

extern char **environ;

static bool environ_name_ok(const char *name)
{
    return name && *name && !strchr(name, '=');
}

/* Index of name's entry (name is len bytes), or the entry count. */
static size_t environ_find(char **env, const char *name, size_t len, size_t *count)
{
    size_t i, at = SIZE_MAX;
    for (i = 0; env && env[i]; i++)
        if (at == SIZE_MAX && !strncmp(env[i], name, len) && env[i][len] == '=')
            at = i;
    *count = i;
    return at == SIZE_MAX ? i : at;
}

/* The running process's own array, holding the current environment with
 * room for `room` more entries; NULL when out of memory. */
static char **environ_writable(size_t room)
{
    AppProc *ap = app_world_current_proc();
    char **env = environ;
    size_t n = 0;
    while (env && env[n])
        n++;
    if (env == ap->environ_own && n + room < ap->environ_cap)
        return env;
    size_t cap = 2 * (n + room + 1);
    char **own = malloc(cap * sizeof *own);
    if (!own)
        return NULL;
    if (n)
        memcpy(own, env, n * sizeof *own);
    own[n] = NULL;
    free(ap->environ_own);
    ap->environ_own = own;
    ap->environ_cap = cap;
    app_io_set_running(APP_IO_ENVIRON, (uintptr_t)own);
    return own;
}

/* Put entry (for name, len bytes) in place of an existing one or at the
 * end. */
static int environ_put(const char *name, size_t len, char *entry)
{
    char **env = environ_writable(1);
    if (!env) {
        errno = ENOMEM;
        return -1;
    }
    size_t n, at = environ_find(env, name, len, &n);
    env[at] = entry;
    if (at == n)
        env[n + 1] = NULL;
    return 0;
}

void libc_environ_free_proc(AppProc *ap)
{
    free(ap->environ_own);
    ap->environ_own = NULL;
    ap->environ_cap = 0;
    if (ap->environ_strings)
        g_ptr_array_free(ap->environ_strings, TRUE);
    ap->environ_strings = NULL;
}

LIBC_NEXT_SLOT(setenv);
int setenv(const char *name, const char *value, int overwrite)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *, const char *, int), setenv)(name, value,
                                                                           overwrite);
    if (!environ_name_ok(name)) {
        errno = EINVAL;
        return -1;
    }
    size_t len = strlen(name), vlen = strlen(value);
    size_t n;
    if (!overwrite && environ_find(environ, name, len, &n) < n)
        return 0;
    char *entry = malloc(len + vlen + 2);
    if (!entry) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(entry, name, len);
    entry[len] = '=';
    memcpy(entry + len + 1, value, vlen + 1);
    if (environ_put(name, len, entry) != 0) {
        free(entry);
        return -1;
    }
    AppProc *ap = app_world_current_proc();
    if (!ap->environ_strings)
        ap->environ_strings = g_ptr_array_new_with_free_func(free);
    g_ptr_array_add(ap->environ_strings, entry);
    return 0;
}

LIBC_NEXT_SLOT(unsetenv);
int unsetenv(const char *name)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(const char *), unsetenv)(name);
    if (!environ_name_ok(name)) {
        errno = EINVAL;
        return -1;
    }
    size_t len = strlen(name), out = 0, n;
    if (environ_find(environ, name, len, &n) == n)
        return 0;
    char **env = environ_writable(0);
    if (!env) {
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; env[i]; i++)
        if (strncmp(env[i], name, len) || env[i][len] != '=')
            env[out++] = env[i];
    env[out] = NULL;
    return 0;
}

LIBC_NEXT_SLOT(putenv);
int putenv(char *string)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(char *), putenv)(string);
    const char *eq = strchr(string, '=');
    if (!eq)
        return unsetenv(string);
    if (eq == string) {
        errno = EINVAL;
        return -1;
    }
    return environ_put(string, (size_t)(eq - string), string);
}

LIBC_NEXT_SLOT(clearenv);
int clearenv(void)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(void), clearenv)();
    static char *empty[1];
    app_io_set_running(APP_IO_ENVIRON, (uintptr_t)empty);
    return 0;
}
