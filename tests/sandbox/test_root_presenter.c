/* test_root_presenter.c — the demo package, built by meson from a real C
 * app (model/sandbox/apps): loaded from its archive, launched under both
 * policies, and what it could open in each. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "process.h"
#include "sbtest.h"

static const char *expected[] = {
    "root_presenter: read /pkg/data/cursor32.png: 129 bytes, PNG 32x32\n",
    "root_presenter: open /dev/class/framebuffer/000: framebuffer 640x480, drew the cursor, "
    "frame 1\n",
    "root_presenter: open /data/passwords: No such file or directory\n",
    "root_presenter: open /pkg/data/cursor32.png for writing: Permission denied\n",
    "root_presenter: its namespace holds: /dev /pkg /svc\n",
};

static CmComponent *launch(SbTest *t, char **err)
{
    char *name = cm_add_package_file(t->cm, ROOT_PRESENTER_FAR, err);
    cr_assert(name, "%s", *err);
    cr_expect_str_eq(name, "root_presenter");
    free(name);
    cr_assert(cm_data_put(t->cm, "passwords", "hunter2\n", 8, NULL));
    return cm_launch(t->cm, NULL, "root_presenter", 0, NULL, err);
}

Test(root_presenter, grant_all_gives_it_the_framebuffer)
{
    SbTest *t = sbtest_new(1, NULL);
    char *err = NULL;
    CmComponent *c = launch(t, &err);
    cr_assert(c, "%s", err);
    sbtest_run(t);
    char *out = sbtest_output(t, c);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        cr_expect(strstr(out, expected[i]), "expected \"%s\" in:\n%s", expected[i], out);
    cr_expect_eq(cm_component_process(c)->return_code, 0);
    free(out);
    sbtest_free(t);
}

Test(root_presenter, allowlist_without_it_refuses_the_launch)
{
    SbTest *t = sbtest_new(1, "{\"packages\": {}}");
    char *err = NULL;
    CmComponent *c = launch(t, &err);
    cr_expect_null(c);
    cr_expect_str_eq(err, "package 'root_presenter': sandbox request dev:class/framebuffer "
                          "is not in the allowlist test-allowlist.json");
    free(err);
    sbtest_free(t);
}
