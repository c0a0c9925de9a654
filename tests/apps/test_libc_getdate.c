/* test_libc_getdate.c — getdate reads DATEMSK in the process's namespace
 * and answers in the process's own struct tm (model/app/libc_getdate.c),
 * with app_libc_musl.c "getdate".
 *
 * The app runs as components of a package holding data/datemsk (two
 * formats), which each names as /pkg/data/datemsk: two components parse
 * dates at once and yield between getdate and reading its answer, a third
 * gives text no format takes. glibc's getdate looked for that path on
 * the HOST (not there: getdate_err 3) and answered everyone in one tm. */
#include <criterion/criterion.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "package.h"
#include "sbtest.h"

#define APP_MUSL APPS_DIR "/app_libc_musl.so"

static const char datemsk[] = "%Y-%m-%d\n%d/%m/%Y %H:%M\n";

/* A package "dates" running app_libc_musl, with data/datemsk. */
static void dates_package(SbTest *t)
{
    gchar *app = NULL;
    gsize applen = 0;
    cr_assert(g_file_get_contents(APP_MUSL, &app, &applen, NULL), "cannot read %s", APP_MUSL);
    PackageFile files[] = {{"bin/app", app, applen},
                           {"data/datemsk", datemsk, strlen(datemsk)}};
    char *err = NULL;
    size_t farlen;
    uint8_t *far = package_build(files, 2, &farlen, &err);
    cr_assert(far && cm_add_package(t->cm, "dates", far, farlen, &err), "%s", err);
    free(far);
    g_free(app);
}

static CmComponent *dates_launch(SbTest *t, const char *text)
{
    const char *ops[] = {"getdate", "/pkg/data/datemsk", text, NULL};
    char *err = NULL;
    CmComponent *c = sbtest_launch(t, NULL, "dates", ops, &err);
    cr_assert(c, "%s", err);
    return c;
}

Test(getdate, formats_come_from_the_namespace_and_answers_are_each_process_own)
{
    SbTest *t = sbtest_new(3, NULL);
    dates_package(t);
    CmComponent *a = dates_launch(t, "2026-03-04");
    CmComponent *b = dates_launch(t, "05/06/2027 07:08");
    CmComponent *c = dates_launch(t, "next tuesday");
    sbtest_run(t);
    char *oa = sbtest_output(t, a), *ob = sbtest_output(t, b), *oc = sbtest_output(t, c);
    cr_expect_str_eq(oa, "getdate 2026-03-04 00:00:00\ngetdate_r 0 2026-03-04\n");
    cr_expect_str_eq(ob, "getdate 2027-06-05 07:08:00\ngetdate_r 0 2027-06-05\n");
    cr_expect_str_eq(oc, "getdate NULL getdate_err 7\ngetdate_r 7 1900-01-00\n");
    free(oa), free(ob), free(oc);
    sbtest_free(t);
}
