/* libc_gettext.c — message catalogs, for app code.
 *
 * Models: Fuchsia's libc (musl) translates a message only through the
 * catalog of the LC_MESSAGES locale, and the locales a process may select
 * here (libc_locale.c: C, POSIX, C.UTF-8) have none there: every message
 * is its own text. glibc's gettext also honours LANGUAGE once the locale is
 * not plain C (C.UTF-8 is not), and reads the HOST's .mo files: an app
 * whose environment said LANGUAGE=de printed "Aufruf:" on a machine with
 * German catalogs installed and "Usage:" on one without. From app code:
 *
 *   gettext, dgettext, dcgettext    msgid
 *   ngettext, dngettext, dcngettext msgid when n is 1, else msgid_plural
 *
 * textdomain and bindtextdomain stay glibc's: they only record names.
 * glibc's own messages (strerror, perror, strsignal...) are translated
 * inside libc, past any interposer: docs/sdk.md lists them as still
 * reaching the host. Everyone else gets libc's own. Read next:
 * libc_iconv.c.
 */
#include <libintl.h>
/* <libintl.h> turns some of these into macros when optimizing. */
#undef gettext
#undef dgettext
#undef dcgettext
#undef ngettext
#undef dngettext
#undef dcngettext

#include "app_world.h"
#include "libc_next.h"

#define GETTEXT_ONE(name, params, args, msgid)                                 \
    LIBC_NEXT_SLOT(name);                                                      \
    char *name params                                                          \
    {                                                                          \
        if (!app_world_in_app_code())                                          \
            return LIBC_NEXT(char *(*) params, name) args;                     \
        return (char *)(msgid);                                                \
    }

GETTEXT_ONE(gettext, (const char *msgid), (msgid), msgid)
GETTEXT_ONE(dgettext, (const char *domain, const char *msgid), (domain, msgid), msgid)
GETTEXT_ONE(dcgettext, (const char *domain, const char *msgid, int cat), (domain, msgid, cat),
            msgid)
GETTEXT_ONE(ngettext, (const char *msgid, const char *plural, unsigned long n),
            (msgid, plural, n), n == 1 ? msgid : plural)
GETTEXT_ONE(dngettext,
            (const char *domain, const char *msgid, const char *plural, unsigned long n),
            (domain, msgid, plural, n), n == 1 ? msgid : plural)
GETTEXT_ONE(dcngettext,
            (const char *domain, const char *msgid, const char *plural, unsigned long n,
             int cat),
            (domain, msgid, plural, n, cat), n == 1 ? msgid : plural)
