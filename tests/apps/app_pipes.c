/* app_pipes.c — pipes, socket pairs, poll and select in an app, the way a
 * POSIX program uses them (test_app_pipes.c checks what it prints).
 *   pipes roundtrip | eof | epipe | nonblock | dgram | poll | polltime MS |
 *         pollwake | select | badfd | block | handles   one process
 *   pipes parent                a child (another copy) reads a pipe the
 *                               parent keeps full, answers over a socket pair
 *   pipes child                 (started by parent)
 *   pipes stuck                 polls a pipe nobody writes: a deadlock
 *   pipes stdin                 stdin on every path, in the app and in a
 *                               child started with zx_process_start */
#include <capsim/app.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lib/fdio/fd.h>
#include <lib/fdio/limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#define MS 1000000LL
#define BIG 600000   /* more than a socket holds (257024 bytes) */

static const char *err(ssize_t r)
{
    return r < 0 ? strerrorname_np(errno) : "ok";
}

static int pipes_roundtrip(void)
{
    int p[2];
    printf("pipe: %s\n", err(pipe(p)));
    printf("write: %zd\n", write(p[1], "hello", 5));
    char buf[16] = {0};
    printf("read: %zd '%s'\n", read(p[0], buf, sizeof buf), buf);
    struct stat st;
    printf("fstat fifo: %d\n", fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
    printf("lseek: %s\n", err(lseek(p[0], 0, SEEK_SET)));
    printf("F_GETFL rdwr: %d\n", (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDWR);
    struct iovec out[2] = {{"ab", 2}, {"cde", 3}};
    printf("writev: %zd\n", writev(p[1], out, 2));
    char x[2] = {0}, y[8] = {0};
    struct iovec in[2] = {{x, 2}, {y, 8}};
    printf("readv: %zd '%.2s' '%s'\n", readv(p[0], in, 2), x, y);
    int d = dup(p[1]);
    printf("dup write: %zd\n", write(d, "via dup", 7));
    close(d);
    memset(buf, 0, sizeof buf);
    printf("read: %zd '%s'\n", read(p[0], buf, sizeof buf), buf);
    printf("reverse write: %zd\n", write(p[0], "back", 4));   /* both ends work */
    memset(buf, 0, sizeof buf);
    printf("reverse read: %zd '%s'\n", read(p[1], buf, sizeof buf), buf);
    printf("send: %zd\n", send(p[1], "sent", 4, 0));
    memset(buf, 0, sizeof buf);
    printf("recv peek: %zd '%s'\n", recv(p[0], buf, sizeof buf, MSG_PEEK), buf);
    memset(buf, 0, sizeof buf);
    printf("recv: %zd '%s'\n", recv(p[0], buf, sizeof buf, 0), buf);
    printf("recv dontwait: %s\n", err(recv(p[0], buf, sizeof buf, MSG_DONTWAIT)));
    printf("recv waitall: %s\n", err(recv(p[0], buf, sizeof buf, MSG_WAITALL)));
    printf("send on stdout: %s\n", err(send(1, "x", 1, 0)));
    printf("shutdown bad how: %s\n", err(shutdown(p[0], 7)));
    int type;
    socklen_t tl = sizeof type;
    printf("getsockopt: %s\n", err(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &type, &tl)));
    printf("listen on stdin: %s, ", err(listen(0, 1)));
    printf("on fd 99: %s\n", err(listen(99, 1)));
    printf("close: %d %d\n", close(p[0]), close(p[1]));
    return 0;
}

static int pipes_eof(void)
{
    int p[2];
    pipe(p);
    write(p[1], "last", 4);
    close(p[1]);
    char buf[16] = {0};
    printf("read: %zd '%s'\n", read(p[0], buf, sizeof buf), buf);
    printf("read at eof: %zd\n", read(p[0], buf, sizeof buf));
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    printf("shutdown wr: %d\n", shutdown(s[0], SHUT_WR));
    printf("write after shutdown: %s\n", err(write(s[0], "x", 1)));
    printf("peer reads eof: %zd\n", read(s[1], buf, sizeof buf));
    printf("peer still writes: %zd\n", write(s[1], "y", 1));
    printf("and it is read: %zd\n", read(s[0], buf, sizeof buf));
    return 0;
}

static int pipes_epipe(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    printf("write to closed pipe: %s\n", err(write(p[1], "x", 1)));
    printf("send to closed pipe: %s\n", err(send(p[1], "x", 1, MSG_NOSIGNAL)));
    printf("still alive\n");
    return 0;
}

static int pipes_nonblock(void)
{
    int p[2];
    printf("pipe2 bad flag: %s\n", err(pipe2(p, O_APPEND)));
    printf("pipe2: %s\n", err(pipe2(p, O_NONBLOCK | O_CLOEXEC)));
    printf("F_GETFL nonblock: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    char buf[4096];
    printf("read empty: %s\n", err(read(p[0], buf, sizeof buf)));
    static char big[65536];
    long total = 0;
    ssize_t r;
    while ((r = write(p[1], big, sizeof big)) > 0)
        total += r;
    printf("filled: %ld, then %s\n", total, err(r));
    fcntl(p[0], F_SETFL, 0);
    printf("F_SETFL cleared: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) == 0);
    printf("blocking read of a full pipe: %zd\n", read(p[0], buf, sizeof buf));
    return 0;
}

static int pipes_dgram(void)
{
    int s[2];
    printf("socketpair inet: %s\n", err(socketpair(AF_INET, SOCK_STREAM, 0, s)));
    printf("socketpair raw: %s\n", err(socketpair(AF_UNIX, SOCK_RAW, 0, s)));
    printf("socketpair dgram: %s\n", err(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s)));
    write(s[0], "one", 3);
    write(s[0], "second", 6);
    struct iovec two[2] = {{"thi", 3}, {"rd!", 3}};
    writev(s[0], two, 2);
    send(s[0], "truncated message", 17, 0);
    char buf[64];
    for (int i = 0; i < 3; i++) {
        memset(buf, 0, sizeof buf);
        printf("message %d: %zd '%s'\n", i, read(s[1], buf, sizeof buf), buf);
    }
    memset(buf, 0, sizeof buf);
    printf("short read: %zd '%s'\n", read(s[1], buf, 9), buf);
    printf("rest dropped: %s\n", err(recv(s[1], buf, sizeof buf, MSG_DONTWAIT)));
    return 0;
}

static int poll1(int fd, short events, int ms, short *rev)
{
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, ms);
    *rev = p.revents;
    return n;
}

/* One poll of fd, printed as "what: count revents". */
static void poll_show(const char *what, int fd, short events)
{
    short rev;
    int n = poll1(fd, events, 0, &rev);
    printf("%s: %d %#x\n", what, n, rev);
}

static int pipes_poll(void)
{
    int p[2];
    pipe(p);
    poll_show("empty POLLIN", p[0], POLLIN);
    poll_show("POLLOUT", p[1], POLLOUT);
    write(p[1], "x", 1);
    poll_show("data POLLIN", p[0], POLLIN);
    /* pipe ends, stdin, stdout, and a negative fd (ignored); files: app_files.c */
    struct pollfd all[5] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {0, POLLIN | POLLOUT, 0},
                            {1, POLLIN | POLLOUT, 0}, {-1, POLLIN | POLLOUT, 0}};
    printf("mixed: %d", poll(all, 5, 0));
    for (int i = 0; i < 5; i++)
        printf(" %#x", all[i].revents);
    printf("\n");
    close(p[1]);
    poll_show("peer closed POLLIN", p[0], POLLIN);
    poll_show("peer closed POLLIN|POLLRDHUP", p[0], POLLIN | POLLRDHUP);
    static struct pollfd many[FDIO_MAX_FD + 1];
    printf("nfds too large: %s\n", err(poll(many, FDIO_MAX_FD + 1, 0)));
    struct timespec bad = {0, 1000000000L};
    printf("ppoll bad timeout: %s\n", err(ppoll(all, 1, &bad, NULL)));
    sigset_t m;
    sigemptyset(&m);
    printf("ppoll sigmask: %s\n", err(ppoll(all, 1, NULL, &m)));
    return 0;
}

/* poll (or select) with a timeout on a pipe nobody writes: prints the
 * virtual time it took. */
static int pipes_polltime(int ms, int use_select)
{
    int p[2];
    pipe(p);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    int n;
    if (use_select) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(p[0], &r);
        struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
        n = select(p[0] + 1, &r, NULL, NULL, &tv);
    } else {
        struct pollfd pf = {p[0], POLLIN, 0};
        n = poll(&pf, 1, ms);
    }
    zx_instant_mono_t t1 = zx_clock_get_monotonic();
    printf("%s %d ms: %d after %lld ns\n", use_select ? "select" : "poll", ms, n,
           (long long)(t1 - t0));
    return 0;
}

static int wake_fd;
static void *pipes_writer(void *arg)
{
    (void)arg;
    zx_nanosleep(zx_deadline_after(2 * MS));
    write(wake_fd, "w", 1);
    return NULL;
}

static int pipes_pollwake(int use_select)
{
    int p[2];
    pipe(p);
    wake_fd = p[1];
    pthread_t t;
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    pthread_create(&t, NULL, pipes_writer, NULL);
    int n;
    short rev = 0;
    if (use_select) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(p[0], &r);
        struct timeval tv = {1, 0};
        n = select(p[0] + 1, &r, NULL, NULL, &tv);
        rev = FD_ISSET(p[0], &r) ? POLLIN : 0;
    } else {
        n = poll1(p[0], POLLIN, -1, &rev);
    }
    zx_instant_mono_t took = zx_clock_get_monotonic() - t0;
    pthread_join(t, NULL);
    printf("%s woken: %d %#x, after 2 ms: %d, before 3 ms: %d\n", use_select ? "select" : "poll",
           n, rev, took >= 2 * MS, took < 3 * MS);
    return 0;
}

static int pipes_select(void)
{
    int p[2];
    pipe(p);
    fd_set r, w;
    struct timeval zero = {0, 0};
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    int n = select(p[1] + 1, &r, &w, NULL, &zero);
    printf("empty: %d r %d w %d\n", n, FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
    write(p[1], "x", 1);
    FD_SET(p[0], &r);
    n = select(p[0] + 1, &r, NULL, NULL, &zero);
    printf("data: %d r %d\n", n, FD_ISSET(p[0], &r));
    close(p[1]);
    char c;
    read(p[0], &c, 1);
    FD_SET(p[0], &r);
    n = select(p[0] + 1, &r, NULL, NULL, &zero);
    printf("peer closed: %d r %d\n", n, FD_ISSET(p[0], &r));
    struct timeval neg = {-1, 0};
    printf("negative timeout: %s\n", err(select(1, &r, NULL, NULL, &neg)));
    printf("n too large: %s\n", err(select(FD_SETSIZE + 1, NULL, NULL, NULL, &zero)));
    struct timespec ts = {0, 0};
    FD_SET(p[0], &r);
    n = pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL);
    printf("pselect: %d r %d\n", n, FD_ISSET(p[0], &r));
    return 0;
}

static int pipes_badfd(void)
{
    int p[2];
    pipe(p);
    close(p[1]);
    struct pollfd pf[3] = {{77, POLLIN, 0}, {p[1], POLLIN, 0}, {-1, POLLIN, 0}};
    int n = poll(pf, 3, 0);
    printf("poll: %d %#x %#x %#x\n", n, pf[0].revents, pf[1].revents, pf[2].revents);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[1], &r);
    struct timeval zero = {0, 0};
    printf("select closed fd: %s\n", err(select(p[1] + 1, &r, NULL, NULL, &zero)));
    FD_ZERO(&r);
    FD_SET(77, &r);
    printf("select fd 77: %s\n", err(select(78, &r, NULL, NULL, NULL)));
    printf("read closed fd: %s\n", err(read(p[1], &n, 1)));
    return 0;
}

/* A thread blocks in read on an empty pipe and in write on a full one; the
 * main thread unblocks each after 1 ms of virtual time. */
static int block_fds[2];
static void *pipes_drain_later(void *arg)
{
    (void)arg;
    static char buf[65536];
    zx_nanosleep(zx_deadline_after(MS));
    write(block_fds[1], "late", 4);
    zx_nanosleep(zx_deadline_after(MS));
    read(block_fds[0], buf, sizeof buf);   /* room for the blocked writer */
    return NULL;
}

static int pipes_block(void)
{
    pipe(block_fds);
    pthread_t t;
    pthread_create(&t, NULL, pipes_drain_later, NULL);
    zx_instant_mono_t t0 = zx_clock_get_monotonic();
    char buf[8] = {0};
    ssize_t r = read(block_fds[0], buf, sizeof buf);
    printf("read blocked %d: %zd '%s'\n", zx_clock_get_monotonic() - t0 >= MS, r, buf);
    static char big[BIG];
    r = write(block_fds[1], big, sizeof big);   /* takes what fits */
    t0 = zx_clock_get_monotonic();
    ssize_t r2 = write(block_fds[1], big, sizeof big);
    printf("write %zd, then blocked %d: %zd\n", r, zx_clock_get_monotonic() - t0 >= MS / 2, r2);
    pthread_join(t, NULL);
    return 0;
}

/* Descriptors made of socket handles and handles taken out of them. */
static int pipes_handles(void)
{
    zx_handle_t a, b, c;
    int fa = -1, fb = -1, fc = -1;
    zx_socket_create(ZX_SOCKET_DATAGRAM, &a, &b);
    printf("create: %d %d\n", fdio_fd_create(a, &fa), fdio_fd_create(b, &fb));
    write(fa, "one", 3);
    write(fa, "two", 3);
    char buf[8] = {0};
    printf("datagram kept: %zd '%s'\n", read(fb, buf, sizeof buf), buf);
    printf("clone: %d\n", fdio_fd_clone(fa, &c));
    printf("create from clone: %d\n", fdio_fd_create(c, &fc));
    write(fc, "three", 5);
    memset(buf, 0, sizeof buf);
    read(fb, buf, sizeof buf);
    printf("via clone: '%s' ", buf);
    memset(buf, 0, sizeof buf);
    printf("then '%.*s'\n", (int)read(fb, buf, sizeof buf), buf);
    int d = dup(fb);
    printf("transfer while dup'd: %d\n", fdio_fd_transfer(fb, &c));
    close(d);
    zx_status_t t = fdio_fd_transfer(fb, &c);
    printf("transfer: %d, fd gone: %s\n", t, err(read(fb, buf, 1)));
    zx_info_handle_basic_t info;
    zx_object_get_info(c, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL);
    printf("a socket: %d\n", info.type == ZX_OBJ_TYPE_SOCKET);
    zx_handle_t ev;
    zx_event_create(0, &ev);
    printf("create from an event: %d\n", fdio_fd_create(ev, &fa));
    return 0;
}

/* ---- two processes ------------------------------------------------------------ */
static int pipes_child(void)
{
    static char buf[32768];
    long total = 0;
    unsigned sum = 0;
    ssize_t r;
    while ((r = read(3, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < r; i++)
            sum = sum * 31u + (unsigned char)buf[i];
        total += r;
    }
    char msg[64];
    int n = snprintf(msg, sizeof msg, "child read %ld bytes, sum %u, end %s", total, sum,
                     r == 0 ? "eof" : strerrorname_np(errno));
    send(4, msg, (size_t)n, 0);
    return 0;
}

static int pipes_parent(void)
{
    int p[2], s[2];
    if (pipe2(p, O_NONBLOCK) != 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, s) != 0)
        return 90;
    static char big[BIG];
    unsigned sum = 0;
    for (int i = 0; i < BIG; i++) {
        big[i] = (char)(i * 7 + i / 1000);
        sum = sum * 31u + (unsigned char)big[i];
    }
    ssize_t filled = write(p[1], big, BIG);   /* full, without blocking */
    printf("filled %zd, more: %s\n", filled, err(write(p[1], big, 1)));
    fcntl(p[1], F_SETFL, 0);
    zx_handle_t rd, rep;
    if (fdio_fd_transfer(p[0], &rd) != ZX_OK || fdio_fd_transfer(s[1], &rep) != ZX_OK)
        return 91;
    capsim_spawn_handle_t h[2] = {{PA_HND(PA_FD, 3), rd}, {PA_HND(PA_FD, 4), rep}};
    const char *av[] = {"pipes-child", "child", NULL};
    zx_handle_t proc;
    if (capsim_spawn(zx_job_default(), CAPSIM_SPAWN_STANDARD, NULL, av, h, 2, &proc) != ZX_OK)
        return 92;
    long sent = filled;
    while (sent < BIG) {   /* blocks on the full pipe until the child reads */
        ssize_t r = write(p[1], big + sent, (size_t)(BIG - sent));
        if (r <= 0)
            return 93;
        sent += r;
    }
    close(p[1]);
    char msg[80] = {0};
    ssize_t n = read(s[0], msg, sizeof msg - 1);
    printf("parent wrote %ld bytes, sum %u\n", sent, sum);
    printf("%zd: %s\n", n, msg);
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    return 0;
}

/* A child whose stdio is one end of a pipe (PA_FD 1 flagged
 * FDIO_FLAG_USE_FOR_STDIO: it becomes 0 and 2 as well): its printf,
 * stderr and write(1) all reach the parent through the pipe. */
static int pipes_stdout_parent(void)
{
    int p[2];
    zx_handle_t end, proc;
    if (pipe(p) != 0 || fdio_fd_transfer(p[1], &end) != ZX_OK)
        return 94;
    capsim_spawn_handle_t h[1] = {{PA_HND(PA_FD, 1 | FDIO_FLAG_USE_FOR_STDIO), end}};
    const char *av[] = {"pipes-writer", "stdoutchild", NULL};
    if (capsim_spawn(zx_job_default(), CAPSIM_SPAWN_STANDARD, NULL, av, h, 1, &proc) != ZX_OK)
        return 95;
    char got[256] = {0};
    size_t n = 0;
    ssize_t r;
    while (n < sizeof got - 1 && (r = read(p[0], got + n, sizeof got - 1 - n)) > 0)
        n += (size_t)r;
    printf("parent read %zu bytes from the child's stdio:\n%s", n, got);
    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
    return 0;
}

static int pipes_stdout_child(void)
{
    printf("child: printf\n");
    fflush(stdout);
    fprintf(stderr, "child: stderr\n");
    write(1, "child: write(1)\n", 16);
    return 0;
}

/* dup2 of a pipe end over 1, as a shell redirects: printf and write(1) go
 * down the pipe; the stdout saved with dup(1) and put back with dup2 is
 * the captured one again. */
static int pipes_dup2_stdout(void)
{
    int p[2];
    if (pipe(p) != 0)
        return 97;
    int saved = dup(1);
    int r = dup2(p[1], 1);
    printf("printf into the pipe\n");
    fflush(stdout);
    write(1, "write(1) into the pipe\n", 23);
    int back = dup2(saved, 1);
    close(saved);
    char got[128] = {0};
    ssize_t n = read(p[0], got, sizeof got - 1);
    printf("saved as %d, dup2: %d, back: %d, read %zd bytes:\n%s", saved, r, back, n, got);
    write(1, "write(1) captured again\n", 24);
    return 0;
}

/* Closed descriptors 0-2 are free, as POSIX says: the lowest free one is
 * what dup, fcntl(F_DUPFD) and pipe give next, and stdout follows what 1
 * holds (a pipe end dup'ed there; nothing once closed: EBADF). Reports on
 * stderr. */
static int pipes_closed_stdio(void)
{
    int p[2];
    if (pipe(p) != 0)
        return 97;
    close(1);
    int d = dup(p[1]);
    printf("stdout into the pipe\n");
    close(1);
    char got[64] = {0};
    ssize_t n = read(p[0], got, sizeof got - 1);
    fprintf(stderr, "dup after close(1): %d, the pipe read %zd bytes: %s", d, n, got);
    errno = 0;
    int w = write(1, "x", 1);
    fprintf(stderr, "write(1) closed: %d %s\n", w, err(w));
    errno = 0;
    int pr = printf("lost\n");
    fprintf(stderr, "printf, 1 closed: %d %s\n", pr, err(pr));
    d = dup(1);
    fprintf(stderr, "dup(1) closed: %d %s\n", d, err(d));
    close(0);
    int f = fcntl(p[1], F_DUPFD, 0);
    fprintf(stderr, "F_DUPFD from 0 after close(0): %d\n", f);
    close(0);
    int q[2];
    int r = pipe(q);
    fprintf(stderr, "pipe after close(0): %d, ends %d and %d\n", r, q[0], q[1]);
    struct stat st;
    fstat(2, &st);
    fprintf(stderr, "stderr: character device %d, lseek %s, F_GETFL write-only %d\n",
            S_ISCHR(st.st_mode), err(lseek(2, 0, SEEK_CUR)),
            (fcntl(2, F_GETFL) & O_ACCMODE) == O_WRONLY);
    errno = 0;
    DIR *dir = fdopendir(2);
    fprintf(stderr, "fdopendir(2): %s %s, stderr still open\n", dir ? "a stream" : "NULL",
            err(-1));
    int e = dup(2);
    n = write(e, "a duplicate of stderr writes stderr\n", 36);
    fprintf(stderr, "read(stderr's duplicate): %s\n", err(read(e, got, 1)));
    return n == 36 ? 0 : 1;
}

static int pipes_stuck(void)
{
    int p[2];
    pipe(p);
    struct pollfd pf = {p[0], POLLIN, 0};
    printf("polling\n");
    fflush(stdout);
    poll(&pf, 1, -1);
    printf("never\n");
    return 1;
}

/* stdin on every path that reads it, and a descriptor the process never
 * opened, in one line: a process's stdin is at its end whatever the
 * host's descriptor 0 holds. */
static void stdin_probe(char *line, size_t cap)
{
    char b[16];
    struct iovec iov = {b, sizeof b};
    struct pollfd pfd = {0, POLLIN, 0};
    ssize_t r = read(0, b, sizeof b), rv = readv(0, &iov, 1);
    ssize_t pr = pread(0, b, sizeof b, 0);
    const char *pr_err = err(pr);
    ssize_t rc = recv(0, b, sizeof b, 0);
    const char *rc_err = err(rc);
    int polled = poll(&pfd, 1, 0);
    int d = dup(0);
    ssize_t rd = d >= 0 ? read(d, b, sizeof b) : -1;
    int getfl = fcntl(0, F_GETFL);
    int c = getchar();
    size_t fr = fread(b, 1, sizeof b, stdin);
    ssize_t w7 = write(7, "x", 1);
    const char *w7_err = err(w7);
    FILE *host = fopen("/etc/hostname", "r");
    snprintf(line, cap,
             "read %zd, readv %zd, pread %s, recv %s, poll %d %#x, dup'ed %d read %zd, "
             "F_GETFL %#x, getchar %d, fread %zu, write(7) %s, fopen /etc/hostname %s",
             r, rv, pr_err, rc_err, polled, pfd.revents, d, rd, getfl, c, fr, w7_err,
             host ? "opened" : strerrorname_np(errno));
}

/* The line from a process started with zx_process_start in this copy,
 * which had no fdio: its descriptor calls reached the HOST's. */
static void stdin_child_entry(uintptr_t ch, uintptr_t unused)
{
    char line[512];
    stdin_probe(line, sizeof line);
    zx_channel_write((zx_handle_t)ch, 0, line, (uint32_t)strlen(line), NULL, 0);
    zx_process_exit(0);
}

static int pipes_stdin(void)
{
    char line[512];
    stdin_probe(line, sizeof line);
    printf("app: %s\n", line);
    zx_handle_t p, vmar, th, mine, theirs;
    if (zx_process_create(zx_job_default(), "stdin-child", 11, 0, &p, &vmar) != ZX_OK ||
        zx_thread_create(p, "main", 4, 0, &th) != ZX_OK ||
        zx_channel_create(0, &mine, &theirs) != ZX_OK ||
        zx_process_start(p, th, (uintptr_t)stdin_child_entry, 0, theirs, 0) != ZX_OK)
        return 1;
    uint32_t n = 0;
    if (zx_object_wait_one(mine, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
        zx_channel_read(mine, 0, line, NULL, sizeof line - 1, 0, &n, NULL) != ZX_OK)
        return 2;
    line[n] = '\0';
    printf("zx_process_start child: %s\n", line);
    return 0;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    if (!strcmp(m, "stdin")) return pipes_stdin();
    if (!strcmp(m, "roundtrip")) return pipes_roundtrip();
    if (!strcmp(m, "eof")) return pipes_eof();
    if (!strcmp(m, "epipe")) return pipes_epipe();
    if (!strcmp(m, "nonblock")) return pipes_nonblock();
    if (!strcmp(m, "dgram")) return pipes_dgram();
    if (!strcmp(m, "poll")) return pipes_poll();
    if (!strcmp(m, "polltime")) return pipes_polltime(atoi(argv[2]), 0);
    if (!strcmp(m, "selecttime")) return pipes_polltime(atoi(argv[2]), 1);
    if (!strcmp(m, "pollwake")) return pipes_pollwake(0);
    if (!strcmp(m, "selectwake")) return pipes_pollwake(1);
    if (!strcmp(m, "select")) return pipes_select();
    if (!strcmp(m, "badfd")) return pipes_badfd();
    if (!strcmp(m, "block")) return pipes_block();
    if (!strcmp(m, "handles")) return pipes_handles();
    if (!strcmp(m, "parent")) return pipes_parent();
    if (!strcmp(m, "child")) return pipes_child();
    if (!strcmp(m, "stuck")) return pipes_stuck();
    if (!strcmp(m, "stdoutparent")) return pipes_stdout_parent();
    if (!strcmp(m, "stdoutchild")) return pipes_stdout_child();
    if (!strcmp(m, "dup2stdout")) return pipes_dup2_stdout();
    if (!strcmp(m, "closedstdio")) return pipes_closed_stdio();
    return 99;
}
