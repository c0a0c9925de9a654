/* run_stream.c — `capsim run`'s run, with the apps' output printed as it
 * is produced, and a clean stop on SIGTERM or SIGINT.
 *
 * The run goes in slices of virtual time: each slice runs until
 * RUN_STREAM_SLICE_NS after the next thing the engine has to do (idle
 * stretches, a long sleep, are skipped at once), then every line some
 * process completed meanwhile is printed, prefixed "[name] ", in the
 * order the run wrote them (stdout lines on stdout, stderr lines on
 * stderr, stdout flushed before each stderr line so that 2>&1 keeps that
 * order), and stdout is flushed. The slices are virtual time, so where
 * they fall is part of the run's determinism: the same run prints the
 * same bytes, and stopping and going on leaves the trace of one run
 * (tests/sim/test_sched.c). A line is printed once complete; what a
 * process left without a final newline is printed at the end, one line
 * per process and stream, in the order they first wrote.
 *
 * SIGTERM and SIGINT (`timeout`, Ctrl-C) end the run at the end of the
 * slice going on: what was printed stays printed, the unfinished lines
 * follow, and the caller exits with 128 + the signal. A second Ctrl-C
 * ends the program at once (a second SIGTERM does not: `timeout` sends
 * one to the program and one to its process group). `timeout -s INT`
 * sends SIGINT in such a pair too, both from timeout itself: a second
 * SIGINT sent by the same process as the first (SI_USER, same pid) is
 * that pair and counts once; one from the terminal or from anyone else
 * ends the program at once. SIGPIPE is ignored
 * while the run goes: a reader that leaves (`| head`) must not take the
 * trace file along: the run stops at the end of the slice, as for
 * SIGTERM (an app that never ends must not keep a reader-less command
 * going), run_stream_stdout_errno says EPIPE, and the caller dies of
 * SIGPIPE once the trace is written (no report: the run did not end).
 * A run that ends within the slice the reader left in writes its report.
 * Any other failed write to stdout (a full disk: ENOSPC, EIO...) stops
 * the run the same way, for the same reason: nobody will get what the
 * app prints; run_stream_stdout_errno names the failure and the caller
 * exits with status 1 once the trace is written.
 *
 * Read next: cmd_run.c.
 */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capsim_host.h"
#include "run_stream.h"

/* One millisecond of virtual time: ~6000 syscalls of a busy app, a few ms
 * of host time. */
#define RUN_STREAM_SLICE_NS 1000000

typedef struct StreamLine {
    uint64_t koid;
    int stream;
    GString *text;
} StreamLine;

struct RunStream {
    CapsimSystem *sys;
    size_t next_chunk;          /* capsim_output_chunk index not yet seen */
    GHashTable *by_key;         /* koid * 4 + stream -> StreamLine* */
    GPtrArray *lines;           /* StreamLine*, in first-written order */
    int stdout_errno;           /* first failed write to stdout, 0 if none */
    bool stopped;               /* run_stream_run stopped the run early */
    struct sigaction old_term, old_int, old_pipe;
};

static volatile sig_atomic_t run_stream_signal;
static volatile sig_atomic_t run_stream_int_sender; /* pid of a kill()ed SIGINT, else 0 */

static void run_stream_on_signal(int signo, siginfo_t *info, void *context)
{
    (void)context;
    bool sent = info && info->si_code == SI_USER && info->si_pid > 0;
    if (signo == SIGINT && run_stream_signal == SIGINT) {
        if (sent && info->si_pid == run_stream_int_sender)
            return;                   /* the same sender's pair (timeout -s INT) */
        signal(SIGINT, SIG_DFL);      /* Ctrl-C twice: at once */
        raise(SIGINT);
        return;
    }
    if (!run_stream_signal) {
        run_stream_signal = signo;
        if (signo == SIGINT)
            run_stream_int_sender = sent ? info->si_pid : 0;
    }
}

RunStream *run_stream_new(CapsimSystem *sys)
{
    RunStream *s = g_new0(RunStream, 1);
    s->sys = sys;
    s->by_key = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    s->lines = g_ptr_array_new();
    run_stream_signal = 0;
    run_stream_int_sender = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = run_stream_on_signal;
    sa.sa_flags = SA_RESTART | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &s->old_term);
    sigaction(SIGINT, &sa, &s->old_int);
    sa.sa_flags = 0;
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &s->old_pipe);
    return s;
}

void run_stream_free(RunStream *s)
{
    if (!s)
        return;
    sigaction(SIGTERM, &s->old_term, NULL);
    sigaction(SIGINT, &s->old_int, NULL);
    sigaction(SIGPIPE, &s->old_pipe, NULL);
    for (guint i = 0; i < s->lines->len; i++) {
        StreamLine *l = s->lines->pdata[i];
        g_string_free(l->text, TRUE);
        g_free(l);
    }
    g_ptr_array_free(s->lines, TRUE);
    g_hash_table_destroy(s->by_key);
    g_free(s);
}

/* Write one line of a process; remember the first failure of stdout and
 * write nothing more there. */
static void run_stream_put(RunStream *s, const StreamLine *l, const char *end)
{
    if (s->stdout_errno)
        return;
    CapsimProcessInfo pi;
    if (capsim_process_info(s->sys, l->koid, &pi) != 0)
        snprintf(pi.name, sizeof pi.name, "koid %llu", (unsigned long long)l->koid);
    if (l->stream == 2) {
        if (fflush(stdout) != 0)
            s->stdout_errno = errno ? errno : EIO;
        fprintf(stderr, "[%s] %s%s", pi.name, l->text->str, end);
    } else if (fprintf(stdout, "[%s] %s%s", pi.name, l->text->str, end) < 0) {
        s->stdout_errno = errno ? errno : EIO;
    }
}

static StreamLine *run_stream_line(RunStream *s, uint64_t koid, int stream)
{
    int64_t key = (int64_t)(koid * 4 + (uint64_t)stream);
    StreamLine *l = g_hash_table_lookup(s->by_key, &key);
    if (!l) {
        l = g_new0(StreamLine, 1);
        l->koid = koid;
        l->stream = stream;
        l->text = g_string_new(NULL);
        g_hash_table_insert(s->by_key, g_memdup2(&key, sizeof key), l);
        g_ptr_array_add(s->lines, l);
    }
    return l;
}

/* Print the lines completed since the last call, then flush stdout. */
static void run_stream_print_new(RunStream *s)
{
    size_t n = capsim_output_count(s->sys);
    for (; s->next_chunk < n; s->next_chunk++) {
        uint64_t koid;
        int stream;
        const char *data;
        size_t len;
        if (capsim_output_chunk(s->sys, s->next_chunk, &koid, &stream, &data, &len) != 0)
            continue;
        StreamLine *l = run_stream_line(s, koid, stream == 2 ? 2 : 1);
        for (size_t j = 0; j < len; j++) {
            g_string_append_c(l->text, data[j]);
            if (data[j] == '\n') {
                run_stream_put(s, l, "");
                g_string_truncate(l->text, 0);
            }
        }
    }
    if (!s->stdout_errno && fflush(stdout) != 0)
        s->stdout_errno = errno ? errno : EIO;
}

int run_stream_run(RunStream *s, int *signo)
{
    int r;
    *signo = 0;
    for (;;) {
        int64_t next = capsim_next_event_time(s->sys);
        r = next < 0 || next > INT64_MAX - RUN_STREAM_SLICE_NS
                ? capsim_run(s->sys)
                : capsim_run_until(s->sys, next + RUN_STREAM_SLICE_NS);
        run_stream_print_new(s);
        if (r != CAPSIM_RUN_TIME_LIMIT || capsim_time_limit_reached(s->sys))
            return r;
        if (s->stdout_errno || run_stream_signal) {
            s->stopped = true;
            /* a closed pipe: the reader left; else stdout failed (a full
             * disk): either way nobody gets what the apps print */
            *signo = s->stdout_errno == EPIPE ? SIGPIPE
                     : s->stdout_errno        ? 0
                                              : run_stream_signal;
            return r;
        }
    }
}

bool run_stream_stopped(const RunStream *s)
{
    return s->stopped;
}

void run_stream_finish(RunStream *s)
{
    run_stream_print_new(s);
    for (guint i = 0; i < s->lines->len; i++) {
        StreamLine *l = s->lines->pdata[i];
        if (l->text->len)
            run_stream_put(s, l, "\n");
        g_string_truncate(l->text, 0);
    }
    if (!s->stdout_errno && fflush(stdout) != 0)
        s->stdout_errno = errno ? errno : EIO;
}

int run_stream_stdout_errno(const RunStream *s)
{
    return s->stdout_errno;
}
