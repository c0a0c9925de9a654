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
 *   setlocale(cat, NULL)     the process's current name for cat
 *   setlocale(cat, "")       each category's name from the process's
 *                            environment (LC_ALL, else LC_<CATEGORY>, else
 *                            LANG, else "C"), as POSIX says; one not
 *                            allowed: NULL, nothing changed
 *   setlocale(cat, name)     an allowed name, or for LC_ALL a composite of
 *                            them naming every category (as
 *                            setlocale(LC_ALL, NULL) returns); else NULL,
 *                            nothing changed; an unknown cat: EINVAL
 *   newlocale(mask, name, base)
 *                            the same names; else NULL, errno ENOENT
 *
 *   uselocale(l)             the calling thread's (NULL: which;
 *                            LC_GLOBAL_LOCALE: its process's again)
 *   duplocale(LC_GLOBAL_LOCALE)  a copy of the process's
 *
 * The locale is the process's own, never libc's global one: setlocale
 * builds a locale object of the process (each change a new one, the old
 * freed) and answers its names (glibc's composite form
 * "LC_CTYPE=...;LC_NUMERIC=...;..." when they differ) from a buffer of
 * the process's; uselocale is the thread's. A new process starts in "C"
 * whatever the host's; one started in its parent's copy has a copy of the
 * parent's (app_world.c). app_world_locale.c puts the right one in force
 * while the code of a thread runs, with glibc's uselocale, and the host's
 * back before kernel code runs and when the run ends. Everyone but app
 * code gets libc's own. Charset conversion is libc_iconv.c's. Read next:
 * app_world_locale.c, libc_netdb.c.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"
#include "libc_static_buffers.h"

LIBC_NEXT_SLOT(setlocale);
LIBC_NEXT_SLOT(newlocale);
LIBC_NEXT_SLOT(uselocale);
LIBC_NEXT_SLOT(duplocale);

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

/* The process's name for category i ("C" before any setlocale). */
static const char *locale_cat_name(const AppProc *ap, size_t i)
{
    if (!ap->locale)
        return "C";
    return nl_langinfo_l(NL_LOCALE_NAME(locale_cats[i].cat), ap->locale);
}

/* setlocale's answer for cat: one name, or LC_ALL's composite when the
 * categories differ, in the process's buffer. */
static char *locale_answer(AppProc *ap, int cat)
{
    LibcProcBuffers *b = libc_proc_buffers();
    if (!b)
        return NULL;
    char *out = b->locale_name;
    size_t cap = sizeof b->locale_name;
    if (cat != LC_ALL) {
        snprintf(out, cap, "%s", locale_cat_name(ap, locale_index(cat)));
        return out;
    }
    bool same = true;
    for (size_t i = 1; i < LOCALE_NCATS; i++)
        same = same && !strcmp(locale_cat_name(ap, i), locale_cat_name(ap, 0));
    if (same) {
        snprintf(out, cap, "%s", locale_cat_name(ap, 0));
        return out;
    }
    size_t n = 0;
    for (size_t i = 0; i < LOCALE_NCATS && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s=%s", i ? ";" : "", locale_cats[i].env,
                              locale_cat_name(ap, i));
    return out;
}

/* names[i]: category i's new name, or NULL to keep it. From a plain name
 * or an LC_ALL composite; false when one is not allowed. */
static bool locale_resolve(int cat, const char *name, const char *names[LOCALE_NCATS],
                           char *scratch, size_t cap)
{
    for (size_t i = 0; i < LOCALE_NCATS; i++)
        names[i] = NULL;
    if (!*name) {
        for (size_t i = 0; i < LOCALE_NCATS; i++) {
            if (cat != LC_ALL && locale_cats[i].cat != cat)
                continue;
            names[i] = locale_from_env(i);
            if (!locale_name_allowed(names[i], strlen(names[i])))
                return false;
        }
        return true;
    }
    if (!locale_allowed(name))
        return false;
    if (!strchr(name, '=')) {
        for (size_t i = 0; i < LOCALE_NCATS; i++)
            if (cat == LC_ALL || locale_cats[i].cat == cat)
                names[i] = name;
        return true;
    }
    if (cat != LC_ALL || strlen(name) >= cap)
        return false;   /* glibc: a composite names LC_ALL only */
    memcpy(scratch, name, strlen(name) + 1);
    for (char *p = scratch, *next; p && *p; p = next) {
        next = strchr(p, ';');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        *eq = '\0';
        size_t i = 0;
        while (i < LOCALE_NCATS && strcmp(locale_cats[i].env, p))
            i++;
        if (i == LOCALE_NCATS)
            return false;
        names[i] = eq + 1;
    }
    for (size_t i = 0; i < LOCALE_NCATS; i++)
        if (!names[i])
            return false;   /* glibc: a composite names every category */
    return true;
}

/* The process's locale with the categories in names[] changed: a new
 * object, or NULL (nothing changed). */
static locale_t locale_build(const AppProc *ap, const char *const names[LOCALE_NCATS])
{
    LocaleNewFn next = LIBC_NEXT(LocaleNewFn, newlocale);
    locale_t l = ap->locale ? LIBC_NEXT(locale_t (*)(locale_t), duplocale)(ap->locale)
                            : next(LC_ALL_MASK, "C", NULL);
    for (size_t i = 0; l && i < LOCALE_NCATS; i++) {
        if (!names[i])
            continue;
        locale_t n = next(1 << locale_cats[i].cat, names[i], l);
        if (!n)
            freelocale(l);   /* glibc left l as it was: ours to free */
        l = n;
    }
    return l;
}

/* Is every category of l plain "C"? */
static bool locale_is_c(locale_t l)
{
    for (size_t i = 0; i < LOCALE_NCATS; i++)
        if (strcmp(nl_langinfo_l(NL_LOCALE_NAME(locale_cats[i].cat), l), "C"))
            return false;
    return true;
}

char *setlocale(int cat, const char *name)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(LocaleSetFn, setlocale)(cat, name);
    AppProc *ap = app_world_current_proc();
    if (cat != LC_ALL && locale_index(cat) == LOCALE_NCATS) {
        errno = EINVAL;
        return NULL;
    }
    if (!name)
        return locale_answer(ap, cat);
    const char *names[LOCALE_NCATS];
    char scratch[512];
    if (!locale_resolve(cat, name, names, scratch, sizeof scratch))
        return NULL;
    locale_t l = locale_build(ap, names);
    if (!l)
        return NULL;
    if (locale_is_c(l)) {   /* what a process starts with: nothing to install */
        freelocale(l);
        l = NULL;
    }
    locale_t old = ap->locale;
    ap->locale = l;
    app_locale_refresh();
    if (old)
        freelocale(old);
    return locale_answer(ap, cat);
}

locale_t uselocale(locale_t l)
{
    AppThread *at = app_world_current_thread();
    if (!at)
        return LIBC_NEXT(locale_t (*)(locale_t), uselocale)(l);
    locale_t old = at->locale ? at->locale : LC_GLOBAL_LOCALE;
    if (l) {
        at->locale = l == LC_GLOBAL_LOCALE ? NULL : l;
        app_locale_refresh();
    }
    return old;
}

locale_t duplocale(locale_t l)
{
    typedef locale_t (*Fn)(locale_t);
    if (l != LC_GLOBAL_LOCALE || !app_world_in_app_code())
        return LIBC_NEXT(Fn, duplocale)(l);
    AppProc *ap = app_world_current_proc();
    if (ap->locale)
        return LIBC_NEXT(Fn, duplocale)(ap->locale);
    return LIBC_NEXT(LocaleNewFn, newlocale)(LC_ALL_MASK, "C", NULL);
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
