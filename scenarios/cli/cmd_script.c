/* cmd_script.c — `capsim scenario|explore|replay`: the scripting commands,
 * which live in the Python package (scenarios/python/capsim/cli.py).
 *
 *   capsim scenario list | run FILE [--variant V] [--seed N] [--graph OUT.svg]
 *                                   [--trace OUT] [--steps OUT] [--explain] [--json]
 *                                   [--junit F] [--time-limit NS] [--record-limit N]
 *   capsim explore SCENARIO [--variant V] --seeds A:B [--strategy random|pct]
 *                           [--pct-depth D] [--jobs N] [--time-limit NS]
 *                           [--record-limit N] [--quiet]
 *   capsim replay SCENARIO --seed N [--pct-depth D --pct-steps K] | --schedule FILE
 *                 | --results FILE [--minimize] [--steps OUT]
 *                 (exit 3: the file's run was NOT reproduced; 4: a run
 *                 reached its time limit, 5: its record limit, in all
 *                 three commands)
 *
 * This file only hands over: it runs `/usr/bin/python3 -m capsim.cli
 * COMMAND ARGS...` in place of itself (Debian's Python, which sees the
 * python3-cffi and python3-networkx the set-up installed). When the capsim
 * binary runs from its build tree, it first points the package at the
 * in-tree library, apps, packages and scenarios (the library's and the
 * attack library's, environment variables the package reads, see
 * capsim/_paths.py), unless they are already set.
 * In an AddressSanitizer build, Debian's uninstrumented python3 must load
 * ASan's runtime first and this build's libcapsim before libc, and not
 * count the interpreter's own leaks (scenarios/python/meson.build says
 * why): unless LD_PRELOAD is set already, it is set to the two libraries
 * this program runs with.
 * Read next: scenarios/python/capsim/cli.py.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capsim_host.h"
#include "commands.h"

#if defined(__SANITIZE_ADDRESS__)
#include <dlfcn.h>

void __asan_init(void);

static void script_asan_env(void)
{
    Dl_info asan, capsim;
    if (getenv("LD_PRELOAD") || !dladdr((void *)__asan_init, &asan) ||
        !dladdr((void *)capsim_config_default, &capsim) || !asan.dli_fname ||
        !capsim.dli_fname)
        return;
    char value[PATH_MAX * 2 + 2];
    snprintf(value, sizeof value, "%s:%s", asan.dli_fname, capsim.dli_fname);
    setenv("LD_PRELOAD", value, 1);
    setenv("ASAN_OPTIONS", "detect_leaks=0", 0);
}
#else
static void script_asan_env(void)
{
}
#endif

#ifndef CAPSIM_BUILD_ROOT
#define CAPSIM_BUILD_ROOT ""
#endif
#ifndef CAPSIM_SOURCE_ROOT
#define CAPSIM_SOURCE_ROOT ""
#endif

#define SCRIPT_PYTHON "/usr/bin/python3"

static void script_env(const char *name, const char *root, const char *sub)
{
    char value[PATH_MAX * 2];
    snprintf(value, sizeof value, "%s/%s", root, sub);
    setenv(name, value, 0);
}

/* From the build tree: the package, library and data there. */
static void script_build_tree_env(void)
{
    char exe[PATH_MAX], root[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || !CAPSIM_BUILD_ROOT[0] || !realpath(CAPSIM_BUILD_ROOT, root))
        return;
    exe[n] = '\0';
    size_t len = strlen(root);
    if (strncmp(exe, root, len) != 0 || exe[len] != '/')
        return;
    char path[PATH_MAX * 3];
    const char *old = getenv("PYTHONPATH");
    snprintf(path, sizeof path, "%s/scenarios/python%s%s", CAPSIM_SOURCE_ROOT,
             old && *old ? ":" : "", old ? old : "");
    setenv("PYTHONPATH", path, 1);
    script_env("CAPSIM_LIB", root, "libcapsim.so.0");
    script_env("CAPSIM_APPS", root, "scenarios/apps");
    script_env("CAPSIM_PACKAGES", root, "model/sandbox/apps");
    /* the library's scripts, then the attack library's copies beside their
     * built actors (scenarios/attacks/<name>/scenario.py) */
    char scenarios[PATH_MAX * 3];
    snprintf(scenarios, sizeof scenarios, "%s/scenarios/library:%s/scenarios/attacks",
             CAPSIM_SOURCE_ROOT, root);
    setenv("CAPSIM_SCENARIOS", scenarios, 0);
}

int cmd_script(int argc, char **argv)
{
    /* argv[0] is "capsim <command>" */
    const char *cmd = strchr(argv[0], ' ');
    cmd = cmd ? cmd + 1 : argv[0];
    char **args = calloc((size_t)argc + 4, sizeof *args);
    if (!args)
        return 1;
    args[0] = "python3";
    args[1] = "-m";
    args[2] = "capsim.cli";
    args[3] = (char *)cmd;
    for (int i = 1; i < argc; i++)
        args[3 + i] = argv[i];
    script_build_tree_env();
    script_asan_env();
    fflush(stdout);
    execv(SCRIPT_PYTHON, args);
    fprintf(stderr, "capsim %s: cannot run %s: %s (the scripting commands need Debian's "
                    "python3 with python3-cffi: run `bash setup.sh`)\n",
            cmd, SCRIPT_PYTHON, strerror(errno));
    free(args);
    return 127;
}
