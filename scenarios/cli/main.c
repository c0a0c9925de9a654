/* main.c — `capsim`, the command-line front end.
 *
 * Dispatches `capsim <command> [args...]` to the subcommand table below. Each
 * subcommand parses its own options (GLib's GOptionContext) and reports its
 * own errors; this file only finds the command and prints help. Read next:
 * cmd_demo.c.
 */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const CliCommand cli_commands[] = {
    {"demo", cmd_demo, "run the demonstration simulation and print its trace hash"},
    {"run", cmd_run, "run an app (a shared object) in a fresh simulated system"},
    {"component", cmd_component, "run packaged components in sandboxes (appmgr-style)"},
    {"scenario", cmd_script, "list and run scenario scripts, check their expectations"},
    {"explore", cmd_script, "run a scenario under many schedules, find the failing ones"},
    {"replay", cmd_script, "re-run one schedule exactly; minimize a failing one"},
    {"graph", cmd_graph, "draw the capability graph of a run (DOT, SVG, PNG, PDF, JSON)"},
    {"analyze", cmd_analyze, "authority analysis of a run: reach, who-can, policy checks"},
    {"trace", cmd_trace, "export a run's trace: JSON lines, Perfetto, step listing"},
#ifdef CAPSIM_HAVE_FAR
    {"far", cmd_far, "list, read, extract and create package archives (FAR)"},
#endif
};

static void cli_usage(FILE *out)
{
    fprintf(out, "usage: capsim <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(out, "\n`capsim <command> --help` describes a command's options.\n");
}

/* What every command's stdout owes its reader: a command that printed
 * into a full disk or a closed descriptor (`> /dev/full`) must not exit 0
 * as if its output were there. The commands that check their own writes
 * (run, far) have said so already; this catches the others (demo, graph
 * --list, analyze, trace...). */
static int cli_check_stdout(const char *name, int status)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return status;
    int e = errno ? errno : EIO;
    if (e == EPIPE) {
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
    }
    if (status == 0)
        fprintf(stderr, "%s: stdout: cannot write: %s\n", name, g_strerror(e));
    return status ? status : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        cli_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("capsim %s\n", CAPSIM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++) {
        if (!strcmp(argv[1], cli_commands[i].name)) {
            cli_fix_address_layout(argv);
            char name[64];
            snprintf(name, sizeof name, "capsim %s", cli_commands[i].name);
            argv[1] = name;
            return cli_check_stdout(name, cli_commands[i].fn(argc - 1, argv + 1));
        }
    }
    fprintf(stderr, "capsim: unknown command '%s'\n\n", argv[1]);
    cli_usage(stderr);
    return 2;
}
