/* app_component.h — for sandbox-harness app tests: run a test app (a
 * shared object of this build) as a component with a writable /tmp
 * (isolated-temp, a memfs directory). */
#ifndef CAPSIM_TESTS_APP_COMPONENT_H
#define CAPSIM_TESTS_APP_COMPONENT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "package.h"
#include "sbtest.h"

static inline uint8_t *app_component_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = malloc(*len);
    cr_assert_eq(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

/* Package the app at so_path as `name` (bin/app, meta/sandbox asking for
 * isolated-temp) and launch it with argv. */
static inline CmComponent *app_component_launch_with_tmp(SbTest *t, const char *name,
                                                        const char *so_path, int argc,
                                                        const char **argv)
{
    size_t applen, farlen;
    uint8_t *app = app_component_read_file(so_path, &applen);
    const char *sandbox = "{\"features\": [\"isolated-temp\"]}";
    PackageFile files[] = {{"bin/app", app, applen},
                           {"meta/sandbox", sandbox, strlen(sandbox)}};
    char *err = NULL;
    uint8_t *far = package_build(files, 2, &farlen, &err);
    cr_assert(far && cm_add_package(t->cm, name, far, farlen, &err), "%s", err);
    free(far);
    free(app);
    CmComponent *c = cm_launch(t->cm, NULL, name, argc, argv, &err);
    cr_assert(c, "%s", err);
    return c;
}

#endif
