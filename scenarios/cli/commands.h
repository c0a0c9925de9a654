/* commands.h — the `capsim` command-line front end's subcommands.
 *
 * Each subcommand lives in its own cmd_<name>.c and has the signature of
 * CliCommandFn: it receives argv with argv[0] set to "capsim <name>", returns
 * the process exit status, and prints its own errors (naming files and
 * problems). The table in main.c lists them for dispatch and `capsim help`.
 */
#ifndef CAPSIM_CLI_COMMANDS_H
#define CAPSIM_CLI_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

typedef int (*CliCommandFn)(int argc, char **argv);

typedef struct CliCommand {
    const char *name;
    CliCommandFn fn;
    const char *summary;
} CliCommand;

/* Start this program again without the host's address randomization,
 * where that is possible and wanted (fixed_layout.c); returns otherwise. */
void cli_fix_address_layout(char **argv);

/* `--seed N` (seed_option.c): the option reads the text, cli_seed_parse
 * checks it (0..2^64-1, decimal) and stores it, or prints why not and
 * returns false. NULL text leaves *seed as it was (the default). */
#define CLI_SEED_OPTION(text_ptr) \
    {"seed", 's', 0, G_OPTION_ARG_STRING, (text_ptr), "seed of the run, 0..2^64-1 (default 1)", "N"}
bool cli_seed_parse(const char *prog, const char *text, uint64_t *seed);

/* An output file the run will write (output_check.c): true when it can be
 * written (NULL too), else prints "PROG: OPTION PATH: why". "-" (stdout)
 * is refused: the command prints its own output there. */
bool cli_output_ok(const char *prog, const char *option, const char *path);
/* The same, where "-" is stdout: the file is all the command prints. */
bool cli_output_or_stdout_ok(const char *prog, const char *option, const char *path);

/* `--debugging-syscalls` (a gboolean): Zircon's
 * kernel.enable-debugging-syscalls for the run, offered by every
 * subcommand that makes one. */
#define CLI_DEBUGGING_SYSCALLS_OPTION(flag_ptr) \
    {"debugging-syscalls", 0, 0, G_OPTION_ARG_NONE, (flag_ptr), \
     "as Zircon's kernel.enable-debugging-syscalls: zx_process_write_memory works " \
     "(default: ZX_ERR_NOT_SUPPORTED)", NULL}

int cmd_demo(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_trace(int argc, char **argv);

/* Limits of the runs that keep their whole trace (graph, analyze, trace):
 * the scenarios' record limit (capsim.scenario.DEFAULT_RECORD_LIMIT) and
 * capsim run's host-time budget; the exit statuses docs/automation.md
 * gives a run stopped by a limit. */
#define CLI_RECORD_LIMIT 1000000
#define CLI_BUDGET_MS 10000
#define CLI_EXIT_TIME_LIMIT 4
#define CLI_EXIT_RECORD_LIMIT 5

/* The run `capsim graph|analyze|trace` watch (cmd_graph.c): an app
 * (APP.so ARGS) or packaged components (--package), with a recorder. */
typedef struct GraphSource GraphSource;
typedef struct _GOptionContext GOptionContext;
typedef struct CapsimViz CapsimViz;
GraphSource *graph_source_new(void);
void graph_source_add_options(GraphSource *s, GOptionContext *ctx);
int graph_source_start(GraphSource *s, const char *prog); /* 0 or exit status */
CapsimViz *graph_source_viz(GraphSource *s);
int graph_source_run(GraphSource *s);
/* After the run: a stderr line for each limit that stopped it, and the
 * exit status it gives (0, CLI_EXIT_TIME_LIMIT, CLI_EXIT_RECORD_LIMIT). */
int graph_source_limits(GraphSource *s, const char *prog);
int graph_source_snapshot(GraphSource *s, const char *prog, const char *which);
void graph_source_free(GraphSource *s);
int cmd_component(int argc, char **argv);
/* After a run of a component system: how it ended, in one line
 * ("run: quiescent: 12 server threads idle"), and on a deadlock the
 * threads left blocked (cmd_component.c; the demo uses it too). */
typedef struct SimEngine SimEngine;
void component_print_end(SimEngine *e);
/* "  still blocked:" and each line of a blocked report under it, indented
 * (the end of capsim run and capsim component run alike). */
void cli_print_blocked(const char *lines);
/* " (page fault at address 0x10: a null pointer)": how a process's fault
 * is said at the end of capsim run and capsim component run (the address
 * only when it is the same every run). */
void cli_print_fault(const char *name, bool addr_known, uint64_t addr);
/* scenario, explore, replay: handed to the Python package (cmd_script.c) */
int cmd_script(int argc, char **argv);
#ifdef CAPSIM_HAVE_FAR
int cmd_far(int argc, char **argv);
#endif

#endif
