/* output_check.c — an output file is checked before the run that fills it
 * (run's --report and --trace; graph, trace and analyze's -o and --draw):
 * a long run must not end in "cannot write" after all its work, as the
 * scripting commands check theirs (scenarios/python/capsim/outputs.py).
 *
 * A path is usable when it is not a folder, its folder exists, and the
 * file can be written there (an existing file: written to). "-" is
 * stdout where the file is all a command prints (graph's and trace's -o);
 * elsewhere stdout carries the command's own output, so "-" is refused
 * rather than written as a file of that name. What only writing can tell
 * (a full disk, /dev/full) is still reported when it happens, by the
 * writer. */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

bool cli_output_ok(const char *prog, const char *option, const char *path)
{
    if (path && !strcmp(path, "-")) {
        fprintf(stderr, "%s: %s -: stdout carries this command's own output; name a file "
                        "(capsim trace and capsim graph write to stdout)\n", prog, option);
        return false;
    }
    return cli_output_or_stdout_ok(prog, option, path);
}

bool cli_output_or_stdout_ok(const char *prog, const char *option, const char *path)
{
    if (!path || !strcmp(path, "-"))
        return true;
    gchar *folder = g_path_get_dirname(path);
    gchar *problem = NULL;
    if (!*path)
        problem = g_strdup("an empty file name");
    else if (g_file_test(path, G_FILE_TEST_IS_DIR))
        problem = g_strdup("is a folder");
    else if (!g_file_test(folder, G_FILE_TEST_IS_DIR))
        problem = g_strdup_printf("no such folder %s", folder);
    else if (g_file_test(path, G_FILE_TEST_EXISTS) ? access(path, W_OK) != 0
                                                    : access(folder, W_OK | X_OK) != 0)
        problem = g_strdup(g_strerror(errno));
    bool ok = problem == NULL;
    if (!ok)
        fprintf(stderr, "%s: %s %s: %s\n", prog, option, path, problem);
    g_free(folder);
    g_free(problem);
    return ok;
}
