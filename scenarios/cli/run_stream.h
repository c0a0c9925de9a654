/* run_stream.h — `capsim run`'s run in slices, printing the apps' output
 * as it is produced (run_stream.c). */
#ifndef CAPSIM_CLI_RUN_STREAM_H
#define CAPSIM_CLI_RUN_STREAM_H

#include <stdbool.h>

#include "capsim_host.h"

typedef struct RunStream RunStream;

/* Takes SIGTERM and SIGINT (a clean stop) and ignores SIGPIPE until freed. */
RunStream *run_stream_new(CapsimSystem *sys);
void run_stream_free(RunStream *s);
/* Run to the end, printing each line as it completes; the CapsimRunResult.
 * The run stops early, at the end of a slice, on SIGTERM or SIGINT or
 * when a write to stdout failed. *signo: the signal that stopped it
 * (SIGPIPE: stdout's reader left), else 0. */
int run_stream_run(RunStream *s, int *signo);
/* Whether run_stream_run stopped the run before its end (a signal, or
 * stdout could not be written: run_stream_stdout_errno). */
bool run_stream_stopped(const RunStream *s);
/* Print the lines left unfinished (each ended with a newline). */
void run_stream_finish(RunStream *s);
/* errno of the first write to stdout that failed (EPIPE: the reader left),
 * 0 when stdout took everything. */
int run_stream_stdout_errno(const RunStream *s);

#endif
