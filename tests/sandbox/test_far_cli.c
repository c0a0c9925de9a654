/* test_far_cli.c — black-box tests of `capsim far`, run in-process.
 *
 * cmd_far() is linked in directly and called with an argv as main.c would
 * pass it ("capsim far", verb, options...). Output is captured through
 * temporary files (fds 1 and 2 are swapped for the duration of one call), so
 * the checks see exactly the bytes a user would see.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "far.h"

typedef struct CliRun {
    int rc;
    char *out;
    size_t out_len;
    char *err;
} CliRun;

static char *slurp_fd(int fd, size_t *len)
{
    lseek(fd, 0, SEEK_SET);
    GByteArray *a = g_byte_array_new();
    uint8_t buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        g_byte_array_append(a, buf, (guint)n);
    g_byte_array_append(a, (const uint8_t *)"", 1);
    if (len)
        *len = a->len - 1;
    return (char *)g_byte_array_free(a, FALSE);
}

/* Runs `capsim far ARGS...` (NULL-terminated), capturing stdout and stderr. */
static CliRun run_far(const char *first, ...)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup("capsim far"));
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, g_strdup(a));
    va_end(ap);
    int argc = (int)argv->len;
    g_ptr_array_add(argv, NULL);

    FILE *out = tmpfile(), *err = tmpfile();
    fflush(stdout);
    fflush(stderr);
    int save_out = dup(1), save_err = dup(2);
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    CliRun r = {0};
    r.rc = cmd_far(argc, (char **)argv->pdata);
    fflush(stdout);
    fflush(stderr);
    dup2(save_out, 1);
    dup2(save_err, 2);
    close(save_out);
    close(save_err);
    r.out = slurp_fd(fileno(out), &r.out_len);
    r.err = slurp_fd(fileno(err), NULL);
    fclose(out);
    fclose(err);
    g_ptr_array_free(argv, TRUE);
    return r;
}

static void run_free(CliRun *r)
{
    g_free(r->out);
    g_free(r->err);
}

static char *tmp;   /* per-test scratch directory */

static void setup(void) { tmp = g_dir_make_tmp("capsim-far-cli-XXXXXX", NULL); }

static void rm_rf(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (!d) {
        g_unlink(path);
        return;
    }
    const char *e;
    while ((e = g_dir_read_name(d))) {
        char *p = g_build_filename(path, e, NULL);
        rm_rf(p);
        g_free(p);
    }
    g_dir_close(d);
    g_rmdir(path);
}

static void teardown(void)
{
    rm_rf(tmp);
    g_free(tmp);
}

static char *in_tmp(const char *rel) { return g_build_filename(tmp, rel, NULL); }

static void write_file(const char *rel, const void *data, size_t len)
{
    char *p = in_tmp(rel);
    char *parent = g_path_get_dirname(p);
    g_mkdir_with_parents(parent, 0755);
    cr_assert(g_file_set_contents(p, data, (gssize)len, NULL));
    g_free(parent);
    g_free(p);
}

static uint8_t *pattern(size_t n, unsigned seed)
{
    uint8_t *p = g_malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 13 + (i >> 9));
    return p;
}

static const struct { const char *dst; size_t len; } pkg[] = {
    {"meta/sandbox", 40}, {"data/cursor32.png", 4097}, {"bin/app", 4096},
    {"data/empty", 0},
};

/* Writes the pkg sources and a manifest listing them out of order; returns
 * the archive path after `capsim far create`. */
static char *make_package(void)
{
    GString *m = g_string_new("# seed package\n");
    for (size_t i = 0; i < G_N_ELEMENTS(pkg); i++) {
        char *src = g_strdup_printf("src/%zu.bin", i);
        uint8_t *d = pattern(pkg[i].len, (unsigned)i);
        write_file(src, d, pkg[i].len);
        g_string_append_printf(m, "%s=%s\n", pkg[i].dst, src);
        g_free(d);
        g_free(src);
    }
    write_file("pkg.manifest", m->str, m->len);
    g_string_free(m, TRUE);
    char *archive = in_tmp("pkg.far");
    char *manifest = in_tmp("pkg.manifest");
    char *a1 = g_strdup_printf("--archive=%s", archive), *a2 = g_strdup_printf("--manifest=%s", manifest);
    CliRun r = run_far("create", a1, a2, NULL);
    cr_assert_eq(r.rc, 0, "create failed: %s", r.err);
    cr_assert_str_empty(r.err);
    run_free(&r);
    g_free(a1);
    g_free(a2);
    g_free(manifest);
    return archive;
}

TestSuite(far_cli, .init = setup, .fini = teardown);

Test(far_cli, list_prints_sorted_names_like_fuchsia)
{
    char *archive = make_package();
    char *opt = g_strdup_printf("--archive=%s", archive);
    CliRun r = run_far("list", opt, NULL);
    cr_expect_eq(r.rc, 0);
    cr_expect_str_eq(r.out, "bin/app\ndata/cursor32.png\ndata/empty\nmeta/sandbox\n");
    run_free(&r);

    r = run_far("list", "--long", opt, NULL);
    cr_expect_eq(r.rc, 0);
    cr_expect_str_eq(r.out, "      4096  bin/app\n      4097  data/cursor32.png\n"
                            "         0  data/empty\n        40  meta/sandbox\n");
    run_free(&r);
    g_free(opt);
    g_free(archive);
}

Test(far_cli, seed_example_lists_three_lines)
{
    write_file("app.so", "\x7f" "ELF", 4);
    write_file("cursor32.png", "PNG", 3);
    write_file("sandbox", "{}", 2);
    const char *m = "meta/sandbox=sandbox\nbin/app=app.so\ndata/cursor32.png=cursor32.png\n";
    write_file("m", m, strlen(m));
    char *archive = in_tmp("root_presenter.far"), *manifest = in_tmp("m");
    char *a = g_strdup_printf("--archive=%s", archive), *mo = g_strdup_printf("--manifest=%s", manifest);
    CliRun r = run_far("create", a, mo, NULL);
    cr_assert_eq(r.rc, 0, "%s", r.err);
    run_free(&r);
    r = run_far("list", a, NULL);
    cr_expect_eq(r.rc, 0);
    cr_expect_str_eq(r.out, "bin/app\ndata/cursor32.png\nmeta/sandbox\n");
    run_free(&r);
    g_free(a);
    g_free(mo);
    g_free(archive);
    g_free(manifest);
}

Test(far_cli, cat_writes_exact_bytes)
{
    char *archive = make_package();
    char *opt = g_strdup_printf("--archive=%s", archive);
    for (size_t i = 0; i < G_N_ELEMENTS(pkg); i++) {
        char *file = g_strdup_printf("--file=%s", pkg[i].dst);
        CliRun r = run_far("cat", opt, file, NULL);
        cr_expect_eq(r.rc, 0, "%s", r.err);
        uint8_t *want = pattern(pkg[i].len, (unsigned)i);
        cr_expect(r.out_len == pkg[i].len && !memcmp(r.out, want, pkg[i].len), "%s", pkg[i].dst);
        g_free(want);
        run_free(&r);
        g_free(file);
    }
    CliRun r = run_far("cat", opt, "--file=bin", NULL);
    cr_expect_eq(r.rc, 1);
    char *want = g_strdup_printf("capsim far cat: %s: no entry named 'bin'\n", archive);
    cr_expect_str_eq(r.err, want);
    g_free(want);
    run_free(&r);
    g_free(opt);
    g_free(archive);
}

Test(far_cli, extract_round_trip)
{
    char *archive = make_package();
    char *out = in_tmp("out");
    char *a = g_strdup_printf("--archive=%s", archive), *o = g_strdup_printf("--output=%s", out);
    CliRun r = run_far("extract", a, o, NULL);
    cr_expect_eq(r.rc, 0, "%s", r.err);
    run_free(&r);
    for (size_t i = 0; i < G_N_ELEMENTS(pkg); i++) {
        char *p = g_build_filename(out, pkg[i].dst, NULL);
        char *got;
        gsize len;
        cr_assert(g_file_get_contents(p, &got, &len, NULL), "%s missing", p);
        uint8_t *want = pattern(pkg[i].len, (unsigned)i);
        cr_expect(len == pkg[i].len && !memcmp(got, want, len), "%s differs", p);
        g_free(want);
        g_free(got);
        g_free(p);
    }

    /* re-create from the extracted tree: byte-identical archive */
    GString *m = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(pkg); i++)
        g_string_append_printf(m, "%s=out/%s\n", pkg[i].dst, pkg[i].dst);
    write_file("again.manifest", m->str, m->len);
    g_string_free(m, TRUE);
    char *again = in_tmp("again.far"), *mpath = in_tmp("again.manifest");
    char *a2 = g_strdup_printf("--archive=%s", again), *m2 = g_strdup_printf("--manifest=%s", mpath);
    r = run_far("create", a2, m2, NULL);
    cr_expect_eq(r.rc, 0, "%s", r.err);
    run_free(&r);
    char *b1, *b2;
    gsize l1, l2;
    cr_assert(g_file_get_contents(archive, &b1, &l1, NULL));
    cr_assert(g_file_get_contents(again, &b2, &l2, NULL));
    cr_expect(l1 == l2 && !memcmp(b1, b2, l1), "archives differ");
    g_free(b1);
    g_free(b2);

    /* --file extracts just one */
    char *one = in_tmp("one");
    char *o1 = g_strdup_printf("--output=%s", one);
    r = run_far("extract", a, o1, "--file=data/empty", NULL);
    cr_expect_eq(r.rc, 0, "%s", r.err);
    run_free(&r);
    char *p = g_build_filename(one, "data/empty", NULL);
    char *q = g_build_filename(one, "bin/app", NULL);
    cr_expect(g_file_test(p, G_FILE_TEST_IS_REGULAR));
    cr_expect_not(g_file_test(q, G_FILE_TEST_EXISTS));
    r = run_far("extract", a, o1, "--file=nope", NULL);
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, "no entry named 'nope'"), "%s", r.err);
    run_free(&r);
    g_free(p);
    g_free(q);
    g_free(o1);
    g_free(one);
    g_free(a2);
    g_free(m2);
    g_free(again);
    g_free(mpath);
    g_free(a);
    g_free(o);
    g_free(out);
    g_free(archive);
}

/* An extraction that cannot finish starts nothing: no folder, no file. */
Test(far_cli, extract_refusals_leave_nothing_behind)
{
    FarWriter *w = far_writer_new();
    cr_assert(far_writer_add(w, "a", (const uint8_t *)"1", 1, NULL));
    cr_assert(far_writer_add(w, "a/b", (const uint8_t *)"2", 1, NULL));
    char *clash = in_tmp("clash.far"), *out = in_tmp("out");
    cr_assert(far_writer_write_file(w, clash, NULL));
    far_writer_free(w);
    char *a = g_strdup_printf("--archive=%s", clash), *o = g_strdup_printf("--output=%s", out);
    CliRun r = run_far("extract", a, o, NULL);
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, "clash.far: 'a' is a file and also the directory of 'a/b'; "
                            "nothing extracted"), "%s", r.err);
    cr_expect_not(g_file_test(out, G_FILE_TEST_EXISTS));
    run_free(&r);
    r = run_far("extract", a, o, "--file=nope", NULL);
    cr_expect_eq(r.rc, 1);
    cr_expect_not(g_file_test(out, G_FILE_TEST_EXISTS));
    run_free(&r);

    /* a symbolic link already in the output folder would lead outside it */
    char *archive = make_package(), *outside = in_tmp("outside"), *link = in_tmp("out/bin");
    char *a2 = g_strdup_printf("--archive=%s", archive);
    cr_assert_eq(g_mkdir_with_parents(outside, 0755), 0);
    cr_assert_eq(g_mkdir_with_parents(out, 0755), 0);
    cr_assert_eq(symlink(outside, link), 0);
    r = run_far("extract", a2, o, NULL);
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, "/out/bin: is a symbolic link; extracting 'bin/app' through it"),
              "%s", r.err);
    GDir *d = g_dir_open(outside, 0, NULL);
    cr_expect_null(g_dir_read_name(d), "something was written outside the output folder");
    g_dir_close(d);
    char *data = g_build_filename(out, "data", NULL);
    cr_expect_not(g_file_test(data, G_FILE_TEST_EXISTS));
    run_free(&r);
    g_free(data);
    g_free(a2);
    g_free(link);
    g_free(outside);
    g_free(archive);
    g_free(a);
    g_free(o);
    g_free(out);
    g_free(clash);
}

Test(far_cli, errors_and_exit_codes)
{
    CliRun r = run_far(NULL);
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "usage:"), "%s", r.err);
    run_free(&r);

    r = run_far("frobnicate", NULL);
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "unknown subcommand 'frobnicate'"), "%s", r.err);
    run_free(&r);

    r = run_far("help", NULL);
    cr_expect_eq(r.rc, 0);
    cr_expect(strstr(r.out, "capsim far extract --archive=PATH --output=DIR"), "%s", r.out);
    run_free(&r);

    r = run_far("list", NULL);
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "capsim far list: missing --archive"), "%s", r.err);
    run_free(&r);

    r = run_far("cat", "--archive=x.far", NULL);
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "missing --file"), "%s", r.err);
    run_free(&r);

    r = run_far("list", "--archive=x.far", "--manifest=m", NULL);
    cr_expect_eq(r.rc, 2, "list must not accept --manifest");
    run_free(&r);

    r = run_far("list", "--archive=x.far", "stray", NULL);
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "unexpected argument 'stray'"), "%s", r.err);
    run_free(&r);

    char *missing = in_tmp("missing.far");
    char *a = g_strdup_printf("--archive=%s", missing);
    r = run_far("list", a, NULL);
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, missing) && strstr(r.err, "cannot read"), "%s", r.err);
    run_free(&r);

    write_file("junk.far", "not an archive at all", 21);
    char *junk = in_tmp("junk.far");
    char *j = g_strdup_printf("--archive=%s", junk);
    r = run_far("list", j, NULL);
    cr_expect_eq(r.rc, 1);
    char *want = g_strdup_printf("capsim far list: %s: bad magic 'not an a', not a FAR archive\n", junk);
    cr_expect_str_eq(r.err, want);
    cr_expect_str_empty(r.out);
    run_free(&r);

    write_file("bad.manifest", "bin/app=nowhere\n", 16);
    char *bm = in_tmp("bad.manifest");
    char *m = g_strdup_printf("--manifest=%s", bm);
    char *outp = in_tmp("never.far");
    char *o = g_strdup_printf("--archive=%s", outp);
    r = run_far("create", o, m, NULL);
    cr_expect_eq(r.rc, 1);
    char *wantm = g_strdup_printf("capsim far create: %s:1: ", bm);
    cr_expect(g_str_has_prefix(r.err, wantm), "%s", r.err);
    cr_expect_not(g_file_test(outp, G_FILE_TEST_EXISTS), "failed create left an archive");
    run_free(&r);

    g_free(wantm);
    g_free(want);
    g_free(o);
    g_free(outp);
    g_free(m);
    g_free(bm);
    g_free(j);
    g_free(junk);
    g_free(a);
    g_free(missing);
}

/* An archive that is no regular file is refused at once, by name and kind:
 * a named pipe would block the reader until some writer came, a device
 * like /dev/zero would never end. */
Test(far_cli, a_pipe_or_a_device_is_refused_at_once, .timeout = 30)
{
    char *fifo = in_tmp("pipe.far");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    const char *paths[] = {fifo, "/dev/zero"};
    const char *kinds[] = {"a named pipe, not a regular file",
                           "a character device, not a regular file"};
    for (size_t i = 0; i < 2; i++) {
        char *a = g_strdup_printf("--archive=%s", paths[i]);
        CliRun r = run_far("list", a, NULL);
        cr_expect_eq(r.rc, 1);
        cr_expect(strstr(r.err, paths[i]) && strstr(r.err, kinds[i]), "%s", r.err);
        cr_expect_str_empty(r.out);
        run_free(&r);
        g_free(a);
    }
    g_free(fifo);
}

/* A name may hold control characters: list escapes them (and backslashes),
 * one entry per line whatever the archive holds. */
Test(far_cli, list_escapes_control_characters_in_names)
{
    FarWriter *w = far_writer_new();
    FarError err;
    const uint8_t byte = 'x';
    cr_assert(far_writer_add(w, "a\nfake/line", &byte, 1, &err));
    cr_assert(far_writer_add(w, "b\\c\x1b[31m", &byte, 1, &err));
    cr_assert(far_writer_add(w, "plain/name", &byte, 1, &err));
    char *path = in_tmp("odd.far");
    cr_assert(far_writer_write_file(w, path, &err), "%s", err.message);
    far_writer_free(w);
    char *a = g_strdup_printf("--archive=%s", path);
    CliRun r = run_far("list", a, NULL);
    cr_expect_eq(r.rc, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "a\\nfake/line\nb\\\\c\\x1b[31m\nplain/name\n");
    run_free(&r);
    r = run_far("list", a, "--long", NULL);
    cr_expect(strstr(r.out, "         1  a\\nfake/line\n"), "%s", r.out);
    run_free(&r);
    g_free(a);
    g_free(path);
}
