/* cmd_far.c — `capsim far`: list, cat, extract and create package archives.
 *
 *   capsim far list    --archive=PATH [--long]
 *   capsim far cat     --archive=PATH --file=NAME
 *   capsim far extract --archive=PATH --output=DIR [--file=NAME]
 *   capsim far create  --archive=PATH --manifest=FILE
 *
 * The verbs and option names follow Fuchsia's host `far` tool, and `list`
 * prints exactly what it prints: one archive path per line, in archive
 * (bytewise sorted) order. `--long` adds the size in bytes before each name.
 * The format lets a name hold any byte but NUL and '/' at its ends; a
 * control character or a backslash in a name is listed as a C escape
 * (\n, \x1b, \\), so a hostile archive cannot forge or break lines.
 * All format work is in model/sandbox/far.c; this file only parses options,
 * touches the host file system and reports; `extract` checks every target
 * before writing any (symbolic links under the output folder are refused,
 * so nothing lands outside it). Exit status: 0 ok, 1 error (the
 * message names the file and the problem), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "commands.h"
#include "far.h"

typedef struct FarCliOptions {
    gchar *archive;
    gchar *file;
    gchar *output;
    gchar *manifest;
    gboolean long_format;
} FarCliOptions;

typedef int (*FarCliVerbFn)(const char *prog, const FarCliOptions *o);

typedef struct FarCliVerb {
    const char *name;
    FarCliVerbFn fn;
    const char *usage;       /* options after the verb, for messages */
    const char *needs;       /* option letters required: a f o m */
    const char *allows;      /* option letters accepted, incl. l = --long */
} FarCliVerb;

static int far_cli_list(const char *prog, const FarCliOptions *o);
static int far_cli_cat(const char *prog, const FarCliOptions *o);
static int far_cli_extract(const char *prog, const FarCliOptions *o);
static int far_cli_create(const char *prog, const FarCliOptions *o);

static const FarCliVerb far_cli_verbs[] = {
    {"list", far_cli_list, "--archive=PATH [--long]", "a", "al"},
    {"cat", far_cli_cat, "--archive=PATH --file=NAME", "af", "af"},
    {"extract", far_cli_extract, "--archive=PATH --output=DIR [--file=NAME]", "ao", "aof"},
    {"create", far_cli_create, "--archive=PATH --manifest=FILE", "am", "am"},
};

static void far_cli_usage(FILE *out, const char *prog)
{
    fprintf(out, "usage:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(far_cli_verbs); i++)
        fprintf(out, "  %s %s %s\n", prog, far_cli_verbs[i].name, far_cli_verbs[i].usage);
}

static int far_cli_error(const char *prog, const FarError *err)
{
    fprintf(stderr, "%s: %s\n", prog, err->message);
    return 1;
}

/* One name per line: control characters and backslashes escaped. */
static void far_cli_put_name(const char *name)
{
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c == '\\')
            fputs("\\\\", stdout);
        else if (*c == '\n')
            fputs("\\n", stdout);
        else if (*c == '\t')
            fputs("\\t", stdout);
        else if (*c == '\r')
            fputs("\\r", stdout);
        else if (*c < 0x20 || *c == 0x7f)
            printf("\\x%02x", *c);
        else
            putchar(*c);
    }
    putchar('\n');
}

static int far_cli_list(const char *prog, const FarCliOptions *o)
{
    FarError err;
    FarArchive *a = far_open_file(o->archive, &err);
    if (!a)
        return far_cli_error(prog, &err);
    for (size_t i = 0; i < far_count(a); i++) {
        if (o->long_format)
            printf("%10zu  ", far_size(a, i));
        far_cli_put_name(far_name(a, i));
    }
    far_close(a);
    return 0; /* a stdout that could not take it: main.c says so */
}

static int far_cli_cat(const char *prog, const FarCliOptions *o)
{
    FarError err;
    FarArchive *a = far_open_file(o->archive, &err);
    if (!a)
        return far_cli_error(prog, &err);
    const uint8_t *data;
    size_t len;
    int rc = 0;
    if (!far_lookup(a, o->file, &data, &len)) {
        fprintf(stderr, "%s: %s: no entry named '%s'\n", prog, o->archive, o->file);
        rc = 1;
    } else if (fwrite(data, 1, len, stdout) != len || fflush(stdout)) {
        fprintf(stderr, "%s: writing to stdout: %s\n", prog, g_strerror(errno));
        rc = 1;
    }
    far_close(a);
    return rc;
}

/* Why entry i cannot be written under dir, or NULL. Names were validated
 * on open (no leading '/', no '.' or '..'), but what is already under dir
 * counts too: a symbolic link there would carry the entry outside it, and
 * an existing file where a directory is needed would stop half-way. */
static char *far_cli_extract_problem(const FarArchive *a, size_t i, const char *dir)
{
    char **segs = g_strsplit(far_name(a, i), "/", -1);
    char *path = g_strdup(dir), *why = NULL;
    for (size_t k = 0; segs[k] && !why; k++) {
        char *next = g_build_filename(path, segs[k], NULL);
        g_free(path);
        path = next;
        GStatBuf st;
        bool last = segs[k + 1] == NULL;
        if (g_lstat(path, &st) != 0)
            break;                          /* nothing there yet: created below */
        if (S_ISLNK(st.st_mode))
            why = g_strdup_printf("%s: is a symbolic link; extracting '%s' through it could "
                                  "write outside %s", path, far_name(a, i), dir);
        else if (!last && !S_ISDIR(st.st_mode))
            why = g_strdup_printf("%s: is not a directory, needed for '%s'", path, far_name(a, i));
        else if (last && S_ISDIR(st.st_mode))
            why = g_strdup_printf("%s: is a directory, cannot write '%s' there", path,
                                  far_name(a, i));
    }
    g_free(path);
    g_strfreev(segs);
    return why;
}

/* Writes one entry under dir, creating parent directories. */
static int far_cli_extract_one(const char *prog, const FarArchive *a, size_t i, const char *dir)
{
    char *path = g_build_filename(dir, far_name(a, i), NULL);
    char *parent = g_path_get_dirname(path);
    GError *gerr = NULL;
    int rc = 0;
    if (g_mkdir_with_parents(parent, 0755) != 0) {
        fprintf(stderr, "%s: %s: cannot create directory: %s\n", prog, parent, g_strerror(errno));
        rc = 1;
    } else if (!g_file_set_contents(path, (const gchar *)far_data(a, i), (gssize)far_size(a, i),
                                    &gerr)) {
        fprintf(stderr, "%s: %s\n", prog, gerr->message);
        g_error_free(gerr);
        rc = 1;
    }
    g_free(parent);
    g_free(path);
    return rc;
}

/* Everything that can be known before writing is checked first, so that a
 * refused extraction leaves nothing behind: the entry asked for, names
 * that are both a file and a directory, and what is already in the way. */
static int far_cli_extract_check(const char *prog, const FarCliOptions *o, const FarArchive *a)
{
    size_t file, under;
    if (o->file && !far_lookup(a, o->file, NULL, NULL)) {
        fprintf(stderr, "%s: %s: no entry named '%s'\n", prog, o->archive, o->file);
        return 1;
    }
    if (!o->file && far_file_dir_collision(a, &file, &under)) {
        fprintf(stderr, "%s: %s: '%s' is a file and also the directory of '%s'; nothing "
                "extracted\n", prog, o->archive, far_name(a, file), far_name(a, under));
        return 1;
    }
    for (size_t i = 0; i < far_count(a); i++) {
        char *why = o->file && strcmp(o->file, far_name(a, i))
                        ? NULL : far_cli_extract_problem(a, i, o->output);
        if (why) {
            fprintf(stderr, "%s: %s; nothing extracted\n", prog, why);
            g_free(why);
            return 1;
        }
    }
    return 0;
}

static int far_cli_extract(const char *prog, const FarCliOptions *o)
{
    FarError err;
    FarArchive *a = far_open_file(o->archive, &err);
    if (!a)
        return far_cli_error(prog, &err);
    int rc = far_cli_extract_check(prog, o, a);
    if (rc == 0 && g_mkdir_with_parents(o->output, 0755) != 0) {
        fprintf(stderr, "%s: %s: cannot create directory: %s\n", prog, o->output, g_strerror(errno));
        rc = 1;
    }
    for (size_t i = 0; rc == 0 && i < far_count(a); i++)
        if (!o->file || !strcmp(o->file, far_name(a, i)))
            rc = far_cli_extract_one(prog, a, i, o->output);
    far_close(a);
    return rc;
}

static int far_cli_create(const char *prog, const FarCliOptions *o)
{
    FarError err;
    FarWriter *w = far_writer_new();
    int rc = 0;
    if (!far_writer_add_manifest(w, o->manifest, &err) || !far_writer_write_file(w, o->archive, &err))
        rc = far_cli_error(prog, &err);
    far_writer_free(w);
    return rc;
}

/* Parses the verb's options into o; returns -1 on success, else an exit code. */
static int far_cli_parse(const FarCliVerb *v, const char *prog, gchar ***args, FarCliOptions *o)
{
    GOptionEntry all[] = {
        {"archive", 'a', 0, G_OPTION_ARG_FILENAME, &o->archive, "the FAR archive", "PATH"},
        {"file", 'f', 0, G_OPTION_ARG_STRING, &o->file, "a path inside the archive", "NAME"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, "directory to extract into", "DIR"},
        {"manifest", 'm', 0, G_OPTION_ARG_FILENAME, &o->manifest,
         "lines of destination=source", "FILE"},
        {"long", 'l', 0, G_OPTION_ARG_NONE, &o->long_format, "also print sizes in bytes", NULL},
    };
    GOptionEntry entries[G_N_ELEMENTS(all) + 1];
    size_t n = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
        if (strchr(v->allows, all[i].short_name))
            entries[n++] = all[i];
    entries[n] = (GOptionEntry){0};

    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, v->usage);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *gerr = NULL;
    bool ok = g_option_context_parse_strv(ctx, args, &gerr);
    g_option_context_free(ctx);
    if (!ok) {
        fprintf(stderr, "%s: %s\n", prog, gerr->message);
        g_error_free(gerr);
        return 2;
    }
    if ((*args)[0] && (*args)[1]) {
        fprintf(stderr, "%s: unexpected argument '%s'\nusage: %s %s\n", prog, (*args)[1], prog,
                v->usage);
        return 2;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
        if (strchr(v->needs, all[i].short_name) && !*(gchar **)all[i].arg_data) {
            fprintf(stderr, "%s: missing --%s\nusage: %s %s\n", prog, all[i].long_name, prog,
                    v->usage);
            return 2;
        }
    }
    return -1;
}

int cmd_far(int argc, char **argv)
{
    const char *prog = argc > 0 ? argv[0] : "capsim far";
    if (argc < 2) {
        far_cli_usage(stderr, prog);
        return 2;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        far_cli_usage(stdout, prog);
        return 0;
    }
    const FarCliVerb *v = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(far_cli_verbs); i++)
        if (!strcmp(argv[1], far_cli_verbs[i].name))
            v = &far_cli_verbs[i];
    if (!v) {
        fprintf(stderr, "%s: unknown subcommand '%s'\n", prog, argv[1]);
        far_cli_usage(stderr, prog);
        return 2;
    }

    char *verb_prog = g_strdup_printf("%s %s", prog, v->name);
    gchar **args = g_new0(gchar *, (gsize)argc);
    args[0] = g_strdup(verb_prog);
    for (int i = 2; i < argc; i++)
        args[i - 1] = g_strdup(argv[i]);
    FarCliOptions o = {0};
    int rc = far_cli_parse(v, verb_prog, &args, &o);
    if (rc < 0)
        rc = v->fn(verb_prog, &o);
    g_strfreev(args);
    g_free(o.archive);
    g_free(o.file);
    g_free(o.output);
    g_free(o.manifest);
    g_free(verb_prog);
    return rc;
}
