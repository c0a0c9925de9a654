/* test_app_pipes.c — pipes, socket pairs, poll and select in apps
 * (app_pipes.c), over zx sockets as Fuchsia's fdio builds them.
 *
 * Each test runs one mode of the app to its end and compares everything it
 * printed: which call gave what (errno names), the bytes read back, the
 * revents. Timed waits are checked to the nanosecond against the cost
 * model; the two-process test hands a pipe end to a child through PA_FD
 * and keeps the pipe full; the same seed must give the same trace. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capsim_host.h"

#define APP APPS_DIR "/app_pipes.so"

/* Engine costs of these runs (virtual ns): distinct, to see each counted. */
#define KERNEL_ENTRY 300
#define CONTEXT_SWITCH 1100
#define WAKEUP 70

static CapsimSystem *pipes_system(uint64_t seed, int cpus, int strategy)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = seed;
    cfg.cpus = cpus;
    cfg.strategy = strategy;
    cfg.cost_kernel_entry = KERNEL_ENTRY;
    cfg.cost_context_switch = CONTEXT_SWITCH;
    cfg.cost_wakeup = WAKEUP;
    CapsimSystem *s = capsim_system_new(&cfg);
    cr_assert(s, "%s", capsim_last_error(NULL));
    return s;
}

static uint64_t pipes_spawn(CapsimSystem *s, const char *mode, const char *arg)
{
    const char *argv[] = {"pipes", mode, arg, NULL};
    uint64_t koid = capsim_spawn_app(s, APP, arg ? 3 : 2, argv, NULL);
    cr_assert(koid, "%s", capsim_last_error(s));
    return koid;
}

static char *pipes_output(CapsimSystem *s, uint64_t koid)
{
    size_t n = capsim_process_output(s, koid, 3, NULL, 0);
    char *b = malloc(n + 1);
    capsim_process_output(s, koid, 3, b, n + 1);
    return b;
}

/* Run `mode` alone to a quiet end; its output (free it). */
static char *pipes_run(const char *mode, const char *arg)
{
    CapsimSystem *s = pipes_system(1, 1, CAPSIM_STRATEGY_FIFO);
    uint64_t p = pipes_spawn(s, mode, arg);
    int end = capsim_run(s);
    char *out = pipes_output(s, p), report[512];
    capsim_blocked_report(s, report, sizeof report);
    cr_expect_eq(end, CAPSIM_RUN_QUIESCENT, "%s%s", out, report);
    cr_expect_eq(capsim_process_end(s, p), CAPSIM_END_EXITED, "%s", out);
    cr_expect_eq(capsim_process_return_code(s, p), 0, "%s", out);
    capsim_system_free(s);
    return out;
}

static void pipes_expect(const char *mode, const char *arg, const char *want)
{
    char *out = pipes_run(mode, arg);
    cr_expect_str_eq(out, want);
    free(out);
}

/* The modes whose other side is a second thread (pthread_create): ASan's
 * own pthread_create interceptor comes first in the process and starts
 * its thread bookkeeping on our fiber, so not in sanitizer builds. */
#if defined(__SANITIZE_ADDRESS__)
#define SKIP_IN_ASAN_BUILDS() cr_skip_test("pthreads need a build without AddressSanitizer")
#else
#define SKIP_IN_ASAN_BUILDS() ((void)0)
#endif

Test(pipes, round_trip_in_one_process)
{
    pipes_expect("roundtrip", NULL,
                 "pipe: ok\n"
                 "write: 5\n"
                 "read: 5 'hello'\n"
                 "fstat fifo: 1\n"
                 "lseek: ESPIPE\n"
                 "F_GETFL rdwr: 1\n"
                 "writev: 5\n"
                 "readv: 5 'ab' 'cde'\n"
                 "dup write: 7\n"
                 "read: 7 'via dup'\n"
                 "reverse write: 4\n"
                 "reverse read: 4 'back'\n"
                 "send: 4\n"
                 "recv peek: 4 'sent'\n"
                 "recv: 4 'sent'\n"
                 "recv dontwait: EAGAIN\n"
                 "recv waitall: EOPNOTSUPP\n"
                 "send on stdout: ENOTSOCK\n"
                 "shutdown bad how: EINVAL\n"
                 "getsockopt: EOPNOTSUPP\n"
                 "listen on stdin: ENOTSOCK, on fd 99: EBADF\n"
                 "close: 0 0\n");
}

Test(pipes, eof_after_the_writer_closes)
{
    pipes_expect("eof", NULL,
                 "read: 4 'last'\n"
                 "read at eof: 0\n"
                 "shutdown wr: 0\n"
                 "write after shutdown: EPIPE\n"
                 "peer reads eof: 0\n"
                 "peer still writes: 1\n"
                 "and it is read: 1\n");
}

Test(pipes, epipe_after_the_reader_closes)
{
    pipes_expect("epipe", NULL,
                 "write to closed pipe: EPIPE\n"
                 "send to closed pipe: EPIPE\n"
                 "still alive\n");
}

Test(pipes, nonblocking_ends_give_eagain)
{
    pipes_expect("nonblock", NULL,
                 "pipe2 bad flag: EINVAL\n"
                 "pipe2: ok\n"
                 "F_GETFL nonblock: 1\n"
                 "read empty: EAGAIN\n"
                 "filled: 257024, then EAGAIN\n"
                 "F_SETFL cleared: 1\n"
                 "blocking read of a full pipe: 4096\n");
}

Test(pipes, datagram_pairs_keep_message_boundaries)
{
    pipes_expect("dgram", NULL,
                 "socketpair inet: EAFNOSUPPORT\n"
                 "socketpair raw: ESOCKTNOSUPPORT\n"
                 "socketpair dgram: ok\n"
                 "message 0: 3 'one'\n"
                 "message 1: 6 'second'\n"
                 "message 2: 6 'third!'\n"
                 "short read: 9 'truncated'\n"
                 "rest dropped: EAGAIN\n");
}

Test(pipes, blocking_read_and_write_wait_in_virtual_time)
{
    SKIP_IN_ASAN_BUILDS();
    pipes_expect("block", NULL,
                 "read blocked 1: 4 'late'\n"
                 "write 257024, then blocked 1: 65536\n");
}

Test(poll, timeout_zero_and_what_each_descriptor_is_ready_for)
{
    pipes_expect("poll", NULL,
                 "empty POLLIN: 0 0\n"
                 "POLLOUT: 1 0x4\n"
                 "data POLLIN: 1 0x1\n"
                 "mixed: 4 0x1 0x4 0x1 0x4 0\n"
                 "peer closed POLLIN: 1 0x19\n"
                 "peer closed POLLIN|POLLRDHUP: 1 0x2019\n"
                 "nfds too large: EINVAL\n"
                 "ppoll bad timeout: EINVAL\n"
                 "ppoll sigmask: ENOSYS\n");
}

Test(poll, bad_descriptors_are_pollnval_and_ebadf)
{
    pipes_expect("badfd", NULL,
                 "poll: 2 0x20 0x20 0\n"
                 "select closed fd: EBADF\n"
                 "select fd 77: EBADF\n"
                 "read closed fd: EBADF\n");
}

Test(poll, woken_by_a_write_from_another_thread)
{
    SKIP_IN_ASAN_BUILDS();
    pipes_expect("pollwake", NULL, "poll woken: 1 0x1, after 2 ms: 1, before 3 ms: 1\n");
}

Test(select, readiness_and_errors)
{
    pipes_expect("select", NULL,
                 "empty: 1 r 0 w 1\n"
                 "data: 1 r 1\n"
                 "peer closed: 1 r 1\n"
                 "negative timeout: EINVAL\n"
                 "n too large: EINVAL\n"
                 "pselect: 1 r 1\n");
}

Test(select, woken_by_a_write_from_another_thread)
{
    SKIP_IN_ASAN_BUILDS();
    pipes_expect("selectwake", NULL, "select woken: 1 0x1, after 2 ms: 1, before 3 ms: 1\n");
}

/* A timed-out wait on an idle pipe takes exactly its timeout plus the
 * costs around it. A clock read returns the time of its kernel entry and
 * is charged after, so from t0 to t1: t0's own kernel entry; then the
 * deadline is 5 ms after the clock read poll makes (its entry, the wait's
 * entry and wait_setup fall inside those 5 ms); the wait ends exactly at
 * the deadline and the idle CPU switches back to the thread (one context
 * switch; a timeout charges no wakeup); t1 reads the time at its entry. */
static void pipes_timed(const char *mode, const char *what)
{
    char *out = pipes_run(mode, "5");
    char want[128];
    snprintf(want, sizeof want, "%s 5 ms: 0 after %lld ns\n", what,
             5000000LL + KERNEL_ENTRY + CONTEXT_SWITCH);
    cr_expect_str_eq(out, want);
    free(out);
}

Test(poll, finite_timeout_expires_in_virtual_time)
{
    pipes_timed("polltime", "poll");
}

Test(select, finite_timeout_expires_in_virtual_time)
{
    pipes_timed("selecttime", "select");
}

Test(pipes, descriptors_from_socket_handles_and_back)
{
    pipes_expect("handles", NULL,
                 "create: 0 0\n"
                 "datagram kept: 3 'one'\n"
                 "clone: 0\n"
                 "create from clone: 0\n"
                 "via clone: 'two' then 'three'\n"
                 "transfer while dup'd: -28\n"
                 "transfer: 0, fd gone: EBADF\n"
                 "a socket: 1\n"
                 "create from an event: -2\n");
}

/* The parent fills a pipe (O_NONBLOCK: EAGAIN when full), hands the read
 * end to a child as its fd 3 (PA_FD) and keeps writing, blocking on the
 * full pipe while the child drains it; the child's answer comes back over
 * a datagram socket pair end given as its fd 4. */
static char *pipes_family(uint64_t seed, int cpus, int strategy, char hash[33])
{
    CapsimSystem *s = pipes_system(seed, cpus, strategy);
    uint64_t p = pipes_spawn(s, "parent", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char *out = pipes_output(s, p);
    cr_expect_eq(capsim_process_return_code(s, p), 0, "%s", out);
    cr_expect_eq(capsim_process_count(s), 2);
    capsim_trace_hash(s, hash);
    capsim_system_free(s);
    return out;
}

Test(pipes, parent_and_child_over_a_full_pipe)
{
    char hash[33];
    char *out = pipes_family(1, 1, CAPSIM_STRATEGY_FIFO, hash);
    cr_expect_str_eq(out, "filled 257024, more: EAGAIN\n"
                          "parent wrote 600000 bytes, sum 4186346272\n"
                          "48: child read 600000 bytes, sum 4186346272, end eof\n");
    free(out);
}

/* A pipe end given as the child's fd 1 with FDIO_FLAG_USE_FOR_STDIO is
 * its 0, 1 and 2: printf, stderr and write(1) go down the pipe, not to
 * the child's captured output. */
Test(pipes, a_pipe_as_a_childs_stdio)
{
    pipes_expect("stdoutparent", NULL,
                 "parent read 44 bytes from the child's stdio:\n"
                 "child: printf\n"
                 "child: stderr\n"
                 "child: write(1)\n");
}

/* A process redirects its own stdout with dup2, as on Fuchsia (fdio holds
 * 1 from then on), and puts back the stdout it saved with dup(1). */
Test(pipes, dup2_over_stdout_redirects_it)
{
    pipes_expect("dup2stdout", NULL,
                 "saved as 5, dup2: 1, back: 1, read 44 bytes:\n"
                 "printf into the pipe\n"
                 "write(1) into the pipe\n"
                 "write(1) captured again\n");
}

/* Descriptors 0-2 closed are the lowest free ones: dup, F_DUPFD and pipe
 * hand them out, and stdout follows what 1 holds. Before, dup never gave
 * 0-2, close(1) closed the HOST's stdout, and dup(1) was ENOTSUP. */
/* In AddressSanitizer builds ASan's own fstat interceptor answers the
 * app from the host's descriptor 2, so that line is left out there. */
#if defined(__SANITIZE_ADDRESS__)
#define PIPES_STDERR_FSTAT_LINE ""
#else
#define PIPES_STDERR_FSTAT_LINE "stderr: character device 1, lseek ESPIPE, F_GETFL write-only 1\n"
#endif

Test(pipes, closed_stdio_descriptors_are_reused_lowest_first)
{
    char *out = pipes_run("closedstdio", NULL);
#if defined(__SANITIZE_ADDRESS__)
    char *line = strstr(out, "stderr: character device ");
    if (line)
        memmove(line, strchr(line, '\n') + 1, strlen(strchr(line, '\n') + 1) + 1);
#endif
    cr_expect_str_eq(out,
                     "dup after close(1): 1, the pipe read 21 bytes: stdout into the pipe\n"
                     "write(1) closed: -1 EBADF\n"
                     "printf, 1 closed: -1 EBADF\n"
                     "dup(1) closed: -1 EBADF\n"
                     "F_DUPFD from 0 after close(0): 0\n"
                     "pipe after close(0): 0, ends 0 and 1\n"
                     PIPES_STDERR_FSTAT_LINE
                     "fdopendir(2): NULL ENOTDIR, stderr still open\n"
                     "a duplicate of stderr writes stderr\n"
                     "read(stderr's duplicate): EBADF\n");
    free(out);
}

/* The host's descriptor 0 holds bytes while the app runs: neither the app
 * nor a child it starts with zx_process_start in its copy (which had no
 * fdio, so its readv, pread, dup, fcntl... reached the HOST's descriptors)
 * reads them; each sees stdin at its end, on every path, and no host
 * descriptor. Afterwards the bytes are all still there. */
Test(pipes, stdin_is_at_its_end_on_every_path_whatever_the_host_holds)
{
    int host[2], saved = dup(0);
    cr_assert(pipe(host) == 0 && saved >= 0);
    cr_assert_eq(write(host[1], "host stdin\n", 11), 11);
    cr_assert_eq(dup2(host[0], 0), 0);
    close(host[1]); /* a read that leaks reaches the bytes, then end of file */
    char *out = pipes_run("stdin", NULL);
    char left[32] = {0};
    ssize_t n = read(0, left, sizeof left - 1);
    dup2(saved, 0);
    close(saved);
    close(host[0]);
    const char *line = "read 0, readv 0, pread ESPIPE, recv ENOTSOCK, poll 1 0x1, dup'ed 3 "
                       "read 0, F_GETFL 0, getchar -1, fread 0, write(7) EBADF, fopen "
                       "/etc/hostname ENOENT\n";
    char want[512];
    snprintf(want, sizeof want, "app: %szx_process_start child: %s", line, line);
    cr_expect_str_eq(out, want);
    cr_expect_eq(n, 11, "the host's stdin lost bytes");
    cr_expect_str_eq(left, "host stdin\n");
    free(out);
}

Test(pipes, same_seed_same_trace)
{
    char h1[33], h2[33], h3[33];
    char *a = pipes_family(7, 2, CAPSIM_STRATEGY_RANDOM, h1);
    char *b = pipes_family(7, 2, CAPSIM_STRATEGY_RANDOM, h2);
    char *c = pipes_family(8, 2, CAPSIM_STRATEGY_RANDOM, h3);
    cr_expect_str_eq(h1, h2);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(a, c);   /* the same bytes whatever the interleaving */
    free(a);
    free(b);
    free(c);
}

Test(poll, blocked_forever_is_a_reported_deadlock)
{
    CapsimSystem *s = pipes_system(1, 1, CAPSIM_STRATEGY_FIFO);
    uint64_t p = pipes_spawn(s, "stuck", NULL);
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_DEADLOCK);
    char report[1024], summary[128];
    cr_expect_eq(capsim_blocked_report(s, report, sizeof report), 1);
    capsim_end_summary(s, summary, sizeof summary);
    cr_expect_str_eq(summary, "deadlock: 1 thread blocked");
    cr_expect(strstr(report, "object_wait_many on socket"), "%s", report);
    cr_expect(strstr(report, "forever"), "%s", report);
    char *out = pipes_output(s, p);
    cr_expect_str_eq(out, "polling\n");
    free(out);
    capsim_system_free(s);
}
