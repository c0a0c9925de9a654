/* commands.h — the `capsim` command-line front end's subcommands.
 *
 * Each subcommand lives in its own cmd_<name>.c and has the signature of
 * CliCommandFn: it receives argv with argv[0] set to "capsim <name>", returns
 * the process exit status, and prints its own errors (naming files and
 * problems). The table in main.c lists them for dispatch and `capsim help`.
 */
#ifndef CAPSIM_CLI_COMMANDS_H
#define CAPSIM_CLI_COMMANDS_H

typedef int (*CliCommandFn)(int argc, char **argv);

typedef struct CliCommand {
    const char *name;
    CliCommandFn fn;
    const char *summary;
} CliCommand;

int cmd_demo(int argc, char **argv);
#ifdef CAPSIM_HAVE_FAR
int cmd_far(int argc, char **argv);
#endif

#endif
