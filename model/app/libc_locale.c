/* libc_locale.c — locales an app may select, interposed.
 *
 * Models: a Fuchsia process has the C locale (its libc's is UTF-8
 * capable) and no locale files. glibc's setlocale(LC_ALL, "") reads the
 * environment and then the HOST's locale archive: an app whose environment
 * said LANG=de_DE.UTF-8 printed "3,5" on a machine with that locale and
 * "3.5" on one without. Only locales that need nothing of the host's, or
 * the same bytes on every glibc host, are allowed:
 *
 *   C, POSIX                 built into libc
 *   C.UTF-8, C.utf8          glibc's C.UTF-8 (shipped with glibc since
 *                            2.35, identical everywhere; a host without it
 *                            answers NULL)
 *
 *   setlocale(cat, NULL)     libc's: the current name
 *   setlocale(cat, "")       each category's name from the process's
 *                            environment (LC_ALL, else LC_<CATEGORY>, else
 *                            LANG, else "C"), as POSIX says; one not
 *                            allowed: NULL, nothing changed
 *   setlocale(cat, name)     an allowed name (or a composite of them, as
 *                            setlocale(LC_ALL, NULL) returns): libc's;
 *                            else NULL, nothing changed
 *   newlocale(mask, name, base)
 *                            the same names; else NULL, errno ENOENT
 *
 * The selected locale is still libc's one global locale, shared with the
 * host and every process (docs/sdk.md, "libc inside a simulated
 * process"). Everyone but app code gets libc's own. Charset conversion
 * is libc_iconv.c's. Read next: libc_netdb.c.
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"

LIBC_NEXT_SLOT(setlocale);
LIBC_NEXT_SLOT(newlocale);

typedef char *(*LocaleSetFn)(int, const char *);
typedef locale_t (*LocaleNewFn)(int, const char *, locale_t);

static const struct {
    int cat;
    const char *env;
} locale_cats[] = {
    {LC_CTYPE, "LC_CTYPE"},       {LC_NUMERIC, "LC_NUMERIC"},
    {LC_TIME, "LC_TIME"},         {LC_COLLATE, "LC_COLLATE"},
    {LC_MONETARY, "LC_MONETARY"}, {LC_MESSAGES, "LC_MESSAGES"},
    {LC_PAPER, "LC_PAPER"},       {LC_NAME, "LC_NAME"},
    {LC_ADDRESS, "LC_ADDRESS"},   {LC_TELEPHONE, "LC_TELEPHONE"},
    {LC_MEASUREMENT, "LC_MEASUREMENT"}, {LC_IDENTIFICATION, "LC_IDENTIFICATION"},
};
#define LOCALE_NCATS (sizeof locale_cats / sizeof locale_cats[0])

static bool locale_name_allowed(const char *name, size_t n)
{
    static const char *const ok[] = {"C", "POSIX", "C.UTF-8", "C.utf8"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strlen(ok[i]) == n && !strncmp(name, ok[i], n))
            return true;
    return false;
}

/* An allowed name, or a composite "LC_X=name;LC_Y=name..." of them. */
static bool locale_allowed(const char *name)
{
    if (!strchr(name, '='))
        return locale_name_allowed(name, strlen(name));
    for (const char *p = name; *p;) {
        const char *eq = strchr(p, '=');
        if (!eq)
            return false;
        const char *end = strchr(eq + 1, ';');
        size_t n = end ? (size_t)(end - eq - 1) : strlen(eq + 1);
        if (!locale_name_allowed(eq + 1, n))
            return false;
        p = end ? end + 1 : eq + 1 + n;
    }
    return true;
}

/* What "" means for category i: the environment's word, POSIX's order. */
static const char *locale_from_env(size_t i)
{
    const char *v = getenv("LC_ALL");
    if (!v || !*v)
        v = getenv(locale_cats[i].env);
    if (!v || !*v)
        v = getenv("LANG");
    return v && *v ? v : "C";
}

static size_t locale_index(int cat)
{
    for (size_t i = 0; i < LOCALE_NCATS; i++)
        if (locale_cats[i].cat == cat)
            return i;
    return LOCALE_NCATS;
}

char *setlocale(int cat, const char *name)
{
    LocaleSetFn next = LIBC_NEXT(LocaleSetFn, setlocale);
    if (!name || !app_world_in_app_code())
        return next(cat, name);
    if (*name)
        return locale_allowed(name) ? next(cat, name) : NULL;
    if (cat != LC_ALL) {
        size_t i = locale_index(cat);
        if (i == LOCALE_NCATS)
            return next(cat, name);   /* libc's EINVAL */
        const char *v = locale_from_env(i);
        return locale_allowed(v) ? next(cat, v) : NULL;
    }
    for (size_t i = 0; i < LOCALE_NCATS; i++)
        if (!locale_allowed(locale_from_env(i)))
            return NULL;
    for (size_t i = 0; i < LOCALE_NCATS; i++)
        if (!next(locale_cats[i].cat, locale_from_env(i)))
            return NULL;
    return next(LC_ALL, NULL);
}

locale_t newlocale(int mask, const char *name, locale_t base)
{
    LocaleNewFn next = LIBC_NEXT(LocaleNewFn, newlocale);
    if (!name || !app_world_in_app_code())
        return next(mask, name, base);
    if (*name) {
        if (locale_allowed(name))
            return next(mask, name, base);
        errno = ENOENT;
        return NULL;
    }
    for (size_t i = 0; i < LOCALE_NCATS; i++) {
        if ((mask & (1 << locale_cats[i].cat)) && !locale_allowed(locale_from_env(i))) {
            errno = ENOENT;
            return NULL;
        }
    }
    locale_t l = base;
    for (size_t i = 0; i < LOCALE_NCATS; i++) {
        if (!(mask & (1 << locale_cats[i].cat)))
            continue;
        locale_t n = next(1 << locale_cats[i].cat, locale_from_env(i), l);
        if (!n)
            return NULL;   /* glibc freed nothing of l: the caller's base stays theirs */
        l = n;
    }
    return l == base && !base ? next(mask, "C", NULL) : l;
}
