/* app_world_locale.c — which locale is in force on the host thread: an
 * app's while its code runs, the host's otherwise.
 *
 * Models: a locale per process (setlocale) and per thread (uselocale), as
 * in any process. glibc has ONE global locale per host process, and every
 * simulated thread runs on one host thread: an app's setlocale() changed
 * it for the host (its Python, the CLI, the tests) and for every other
 * process. Here an app's setlocale builds a locale object of its process
 * (libc_locale.c) and glibc's global locale is never written by app code;
 * the object is put in force with glibc's per-thread uselocale(), which
 * is what every locale-dependent libc function reads (MB_CUR_MAX,
 * isalpha, printf's decimal point, strtod, mbrtowc...).
 *
 *   wanted for a thread      its uselocale() locale, else its process's
 *                            setlocale() one, else plain C — which is
 *                            nothing to install when the host's own global
 *                            locale is C (checked once per run)
 *   app_locale_enter         the resume hook: installs what the resuming
 *                            thread wants when something else is in force;
 *                            saves the host's on the first install
 *   app_locale_leave         the host's back. At every kernel entry while
 *                            an app's own locale is in force (kernel code
 *                            never runs under it), and when the run returns
 *                            to the host (app_restore_host, app_shutdown)
 *
 * Cost: nothing on a switch between threads wanting the same (a compare);
 * a uselocale() (tens of ns) when it changes, and two per system call of
 * a process that chose a locale of its own. The plain C locale given to
 * apps while the host's global is another (Python's usual C.UTF-8) is left
 * in force across kernel entries and engine work until the run returns:
 * no app chose it, and the engine's code reads no locale. Not per thread:
 * the state below (one host thread runs every simulated thread). Read
 * next: libc_locale.c.
 */
#include <string.h>

#include "app_world.h"
#include "libc_next.h"

LIBC_NEXT_SLOT(setlocale);
LIBC_NEXT_SLOT(uselocale);
LIBC_NEXT_SLOT(newlocale);

static locale_t app_locale_installed; /* NULL: the host's is in force */
static bool app_locale_is_app;        /* installed is an app's choice */
static locale_t app_locale_host;      /* the host thread's, while installed */
static int app_locale_host_c = -1;    /* the host's global is C; -1: not checked */
static locale_t app_locale_c;         /* glibc's C locale object */

static locale_t app_locale_use(locale_t l)
{
    return LIBC_NEXT(locale_t (*)(locale_t), uselocale)(l);
}

/* What a thread of an app that chose nothing runs under: NULL when the
 * host's global locale is C already. */
static locale_t app_locale_plain(void)
{
    if (app_locale_host_c < 0) {
        const char *g = LIBC_NEXT(char *(*)(int, const char *), setlocale)(LC_ALL, NULL);
        app_locale_host_c = g && !strcmp(g, "C");
    }
    if (app_locale_host_c)
        return NULL;
    if (!app_locale_c)
        app_locale_c = LIBC_NEXT(locale_t (*)(int, const char *, locale_t),
                                 newlocale)(LC_ALL_MASK, "C", NULL);
    return app_locale_c;
}

static void app_locale_install(locale_t want, bool is_app)
{
    if (want == app_locale_installed) {
        app_locale_is_app = is_app;
        return;
    }
    if (!want) {
        app_locale_leave();
        return;
    }
    locale_t prev = app_locale_use(want);
    if (!app_locale_installed)
        app_locale_host = prev;
    app_locale_installed = want;
    app_locale_is_app = is_app;
}

void app_locale_enter(AppThread *at)
{
    locale_t own = at->locale ? at->locale : at->proc->locale;
    if (own)
        app_locale_install(own, true);
    else if (app_locale_installed || app_locale_host_c != 1)
        app_locale_install(app_locale_plain(), false);
}

void app_locale_leave(void)
{
    if (!app_locale_installed)
        return;
    app_locale_use(app_locale_host);
    app_locale_installed = NULL;
    app_locale_is_app = false;
}

void app_locale_leave_to_host(void)
{
    app_locale_leave();
    app_locale_host_c = -1; /* the host may change its own before the next run */
}

bool app_locale_app_installed(void)
{
    return app_locale_is_app;
}

void app_locale_refresh(void)
{
    AppThread *at = app_world_current_thread();
    if (at)
        app_locale_enter(at);
}

void app_locale_forget(locale_t l)
{
    if (l && l == app_locale_installed)
        app_locale_leave();
}
