/* app_files.c — libc's file calls inside a simulated process stay in its
 * namespace (model/sdk/fdio_*.c, model/app/libc_exec.c): temporary files,
 * directory walks, descriptors, and the calls refused rather than let
 * through to the host.
 *
 * "tmp" (run with a writable /tmp): makes temporary files and directories,
 * writes and reads them back, walks them, removes them; prints each name
 * it was given as "name: PATH" (the test checks the host has none of
 * them), what calls on a stream left open or never opened answer, then
 * one line per refused call with its errno, then maps a file and
 * redirects the standard streams. No argument (an
 * empty namespace): what the temporary-file calls answer without /tmp. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <utime.h>
#include <wordexp.h>

static const char *err_name(int e)
{
    static const struct { int e; const char *name; } names[] = {
        {0, "0"}, {ENOENT, "ENOENT"}, {EINVAL, "EINVAL"}, {EEXIST, "EEXIST"},
        {ENOTSUP, "ENOTSUP"}, {ENOSYS, "ENOSYS"}, {EBADF, "EBADF"}, {ENOTTY, "ENOTTY"},
        {ENODEV, "ENODEV"}, {ENOTEMPTY, "ENOTEMPTY"}, {ESPIPE, "ESPIPE"}, {EACCES, "EACCES"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].e == e)
            return names[i].name;
    return "other";
}

/* "label: result errno" for a call returning -1/NULL on failure. */
#define SHOW(label, call)                                                       \
    do {                                                                        \
        errno = 0;                                                              \
        long r_ = (long)(call);                                                 \
        printf("%s: %s %s\n", label, r_ == -1 || r_ == 0 ? (r_ ? "-1" : "0") : "ok", \
               err_name(errno));                                               \
    } while (0)

static int walked;
static int count_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
    (void)st;
    printf("  nftw %s %s level %d\n", type == FTW_DP ? "dir" : "file", path + f->base,
           f->level);
    walked++;
    return 0;
}

static void temp_file(void)
{
    char name[] = "/tmp/capsim_files_XXXXXX";
    int fd = mkstemp(name);
    printf("name: %s\n", name);
    char buf[16] = "";
    ssize_t w = write(fd, "hello, tmp", 10);
    lseek(fd, 0, SEEK_SET);
    ssize_t r = read(fd, buf, sizeof buf - 1);
    struct stat st = {0}; /* a failed fstat leaves it alone: print 0, not stack bytes */
    fstat(fd, &st);
    printf("mkstemp: fd %s, wrote %zd, read back \"%s\" (%zd), size %lld\n",
           fd >= 3 ? "ok" : "bad", w, buf, r, (long long)st.st_size);
    int d = dup(fd);
    char at[8] = "";
    printf("dup: %s, pread at 7: %zd \"%s\", pwrite: %zd\n", d > fd ? "ok" : "bad",
           pread(d, at, 3, 7), at, pwrite(d, "H", 1, 0));
    struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
    lseek(fd, 0, SEEK_END);
    printf("writev: %zd, fcntl GETFL rdwr %d\n", writev(d, iov, 2),
           (fcntl(d, F_GETFL) & O_ACCMODE) == O_RDWR);
    close(d);
    close(fd);
    FILE *f = fopen(name, "r");
    char line[32] = "";
    fgets(line, sizeof line, f);
    fclose(f);
    printf("fopen again: \"%s\"\n", line);
    SHOW("unlink", unlink(name));
    SHOW("stat after unlink", stat(name, &st));

    char named[] = "/tmp/capsim_files_XXXXXX.txt";
    fd = mkostemps(named, 4, O_APPEND);
    printf("name: %s\n", named);
    printf("mkostemps: suffix kept %d, fd %s\n", strcmp(named + strlen(named) - 4, ".txt") == 0,
           fd >= 3 ? "ok" : "bad");
    close(fd);
    SHOW("remove", remove(named));
    char bad[] = "/tmp/capsim_files_XXXXX";
    SHOW("mkstemp, five X", mkstemp(bad));
}

/* A stream left open goes with the process; one the process never opened
 * (here a zeroed block, glibc's layout with descriptor 0) is refused
 * rather than handed to the host's libc, which would read the host's
 * descriptor 0 through it. */
static void dir_streams(void)
{
    DIR *kept = opendir("/tmp");
    printf("opendir, never closed: %s\n", kept ? "ok" : err_name(errno));
    DIR *forged = calloc(1, 4096);
    errno = 0;
    struct dirent *e = readdir(forged);
    printf("readdir of a stream never opened: %s %s\n", e ? "an entry" : "NULL",
           err_name(errno));
    errno = 0;
    int fd = dirfd(forged);
    printf("dirfd of a stream never opened: %d %s\n", fd, err_name(errno));
    free(forged);
}

static void temp_dir(void)
{
    char dir[] = "/tmp/capsim_files_dXXXXXX";
    printf("mkdtemp: %s\n", mkdtemp(dir) ? "ok" : err_name(errno));
    printf("name: %s\n", dir);
    char path[64];
    snprintf(path, sizeof path, "%s/inner", dir);
    FILE *f = fopen(path, "w");
    fputs("x", f);
    fclose(f);
    char pattern[64];
    snprintf(pattern, sizeof pattern, "%s/*", dir);
    glob_t g;
    int gr = glob(pattern, 0, NULL, &g);
    printf("glob: %d, %zu match, %s\n", gr, g.gl_pathc,
           gr == 0 && !strcmp(g.gl_pathv[0], path) ? "the inner file" : "?");
    globfree(&g);
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    printf("scandir: %d:", n);
    for (int i = 0; i < n; i++) {
        printf(" %s", list[i]->d_name);
        free(list[i]);
    }
    free(n >= 0 ? list : NULL);
    printf("\n");
    int nr = nftw(dir, count_entry, 4, FTW_DEPTH | FTW_PHYS);
    printf("nftw: %d, %d entries\n", nr, walked);
    char *real = realpath(path, NULL);
    printf("realpath: %s\n", real && !strcmp(real, path) ? "same" : "?");
    free(real);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    int made = mkdirat(dfd, "sub", 0700);
    int seen = faccessat(dfd, "sub/", F_OK, 0);
    int gone = unlinkat(dfd, "sub", AT_REMOVEDIR);
    errno = 0;
    int again = faccessat(dfd, "sub", F_OK, 0);
    printf("at: mkdirat %d, faccessat %d, unlinkat %d, then %d %s\n", made, seen, gone, again,
           err_name(errno));
    close(dfd);
    SHOW("rmdir, not empty", rmdir(dir));
    SHOW("unlink inner", unlink(path));
    SHOW("rmdir", rmdir(dir));
}

static void temp_stream(void)
{
    FILE *f = tmpfile();
    char line[32] = "";
    fprintf(f, "tmpfile %d\n", 42);
    rewind(f);
    fgets(line, sizeof line, f);
    printf("tmpfile: %s", f ? line : "NULL\n");
    fclose(f);
    /* A stream's descriptor, used directly as C++'s filebuf uses it. */
    FILE *g = fopen("/tmp/capsim_files_n", "w+");
    int gfd = g ? fileno(g) : -1;
    SHOW("write to fileno", write(gfd, "by fd\n", 6));
    rewind(g);
    line[0] = 0;
    fgets(line, sizeof line, g);
    printf("fileno: %d, read back: %s", gfd >= 3, line);
    fclose(g);
    unlink("/tmp/capsim_files_n");
    char *t = tmpnam(NULL);
    struct stat st;
    printf("tmpnam: in /tmp %d, free %d\n", t && !strncmp(t, "/tmp/file", 9),
           t && stat(t, &st) < 0 && errno == ENOENT);
    if (t)
        printf("name: %s\n", t);
}

/* The calls not simulated: each refused with its errno, on a real file. */
static void refused(void)
{
    int fd = open("/tmp/capsim_files_r", O_CREAT | O_RDWR, 0644);
    SHOW("rename", rename("/tmp/capsim_files_r", "/tmp/capsim_files_s"));
    SHOW("rename, no source", rename("/tmp/capsim_files_none", "/tmp/capsim_files_s"));
    SHOW("link", link("/tmp/capsim_files_r", "/tmp/capsim_files_s"));
    SHOW("symlink", symlink("/tmp/capsim_files_r", "/tmp/capsim_files_s"));
    char buf[16];
    SHOW("readlink", readlink("/tmp/capsim_files_r", buf, sizeof buf));
    SHOW("chmod rwx", chmod("/tmp/capsim_files_r", 0600));
    SHOW("chmod setuid", chmod("/tmp/capsim_files_r", 04755));
    SHOW("chown", chown("/tmp/capsim_files_r", 0, 0));
    SHOW("utime", utime("/tmp/capsim_files_r", NULL));
    struct statvfs sv;
    SHOW("statvfs", statvfs("/tmp", &sv));
    SHOW("setxattr", setxattr("/tmp/capsim_files_r", "user.capsim", "v", 1, 0));
    SHOW("getxattr, no file", getxattr("/tmp/capsim_files_none", "user.capsim", buf, sizeof buf));
    SHOW("listxattr", listxattr("/tmp", buf, sizeof buf));
    SHOW("fsetxattr", fsetxattr(fd, "user.capsim", "v", 1, 0));
    SHOW("name_to_handle_at", name_to_handle_at(AT_FDCWD, "/tmp", NULL, NULL, 0));
    SHOW("mkfifo", mkfifo("/tmp/capsim_files_f", 0600));
    SHOW("freopen r+", freopen("/tmp/capsim_files_r", "r+", stdin));
    SHOW("popen", popen("true", "r"));
    SHOW("system", system("true"));
    SHOW("system(NULL)", system(NULL));
    SHOW("fork", fork());
    wordexp_t we = {0};
    int wr = wordexp("echo $(echo escaped) x", &we, 0);
    printf("wordexp: %d, %zu words\n", wr, we.we_wordc);
    if (wr == 0)
        wordfree(&we);
    printf("wordexp NOCMD: %d %d %d\n", wordexp("$(true)", &we, WRDE_NOCMD),
           wordexp("a;b", &we, WRDE_NOCMD), wordexp("'a;b' \"$((1+2))\"", &we, WRDE_NOCMD));
    int p[2];
    SHOW("pipe", pipe(p));   /* a socket pair, see app_pipes.c */
    close(p[0]);
    close(p[1]);
    int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
    struct pollfd pf[3] = {{fd, POLLIN | POLLOUT, 0}, {dfd, POLLIN, 0}, {0, POLLIN, 0}};
    int ready = poll(pf, 3, -1);   /* files never make it wait */
    printf("poll file, dir, stdin: %d %#x %#x %#x\n", ready, pf[0].revents, pf[1].revents,
           pf[2].revents);
    close(dfd);
    SHOW("socket", socket(AF_INET, SOCK_STREAM, 0));
    SHOW("dup stdout", dup(1));
    SHOW("isatty stdout", isatty(1));
    struct termios tio;
    SHOW("tcgetattr stdin", tcgetattr(0, &tio));
    SHOW("tcsetattr a file", tcsetattr(fd, TCSANOW, &tio));
    SHOW("tcgetattr never opened", tcgetattr(fd + 7, &tio));
    SHOW("posix_openpt", posix_openpt(O_RDWR | O_NOCTTY));
    char pts[32];
    printf("ptsname_r stdout: %s\n", err_name(ptsname_r(1, pts, sizeof pts)));
    SHOW("write to a descriptor never opened", write(fd + 7, "x", 1));
    SHOW("pread stdin", pread(0, buf, 1, 0));
    /* glibc's took these numbers as the HOST's descriptors. */
    struct iovec one = {buf, 1};
    SHOW("preadv2", preadv2(fd, &one, 1, 0, 0));
    SHOW("pwritev2 stdout", pwritev2(1, &one, 1, -1, 0));
    SHOW("readahead", readahead(fd, 0, 1));
    SHOW("splice stdin", splice(0, NULL, 1, NULL, 1, SPLICE_F_NONBLOCK));
    SHOW("tee stdin", tee(0, 1, 1, SPLICE_F_NONBLOCK));
    SHOW("epoll_ctl a file", epoll_ctl(fd, EPOLL_CTL_DEL, 0, NULL));
    SHOW("inotify_add_watch a file", inotify_add_watch(fd, "/tmp", IN_ALL_EVENTS));
    static const struct itimerspec disarmed;
    SHOW("timerfd_settime stdout", timerfd_settime(1, 0, &disarmed, NULL));
    SHOW("fanotify_init", fanotify_init(FAN_CLASS_NOTIF, O_RDONLY));
    SHOW("eventfd_write a file", eventfd_write(fd, 7));
    SHOW("close_range", close_range(100, 200, 0));
    SHOW("dup2 to 100", dup2(fd, 100));
    closefrom(100);
    SHOW("100 after closefrom(100)", fcntl(100, F_GETFD));
    close(fd);
    SHOW("remove", remove("/tmp/capsim_files_r"));
}

/* freopen of stdout and stdin onto a file, as musl does it (the file put
 * over 1 or 0); stdout given back with dup2. */
static void redirect(void)
{
    int saved = dup(1);
    FILE *out = freopen("/tmp/capsim_files_o", "w", stdout);
    printf("a line into the file\n");
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    printf("freopen stdout: %s\n", out == stdout ? "the same stream" : "NULL");
    FILE *in = freopen("/tmp/capsim_files_o", "r", stdin);
    char line[64] = "";
    fgets(line, sizeof line, stdin);
    printf("freopen stdin: %s, read: %s", in == stdin ? "the same stream" : "NULL", line);
    unlink("/tmp/capsim_files_o");
}

/* -1 for MAP_FAILED, else 1: what SHOW prints as "ok". */
static long mapped(void *m)
{
    return m == MAP_FAILED ? -1 : 1;
}

/* mmap of files: the server's copy of the file mapped, as Fuchsia's fdio
 * maps it; what has no VMO, EACCES. */
static void file_mappings(void)
{
    const char *path = "/tmp/capsim_files_m";
    int fd = open(path, O_CREAT | O_RDWR, 0644);
    char page[4096];
    memset(page, 'a', sizeof page);
    ssize_t wrote = write(fd, page, sizeof page);
    wrote += write(fd, "second page", 11);
    char *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        printf("mmap private: MAP_FAILED %s\n", err_name(errno));
        return;
    }
    printf("mmap private of %zd bytes: [0] %c, [4096] \"%.11s\", then %d\n", wrote, m[0],
           m + 4096, m[4096 + 11]);
    char *at = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
    printf("mmap shared at 4096: \"%.11s\"\n", at == MAP_FAILED ? "MAP_FAILED" : at);
    char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char first = 0;
    if (w != MAP_FAILED)
        w[0] = 'Z';
    pread(fd, &first, 1, 0);
    printf("mmap private writable: mapping %c, file %c\n", w == MAP_FAILED ? '-' : w[0], first);
    printf("munmap: %d %d %d\n", munmap(m, 8192), munmap(at, 4096), munmap(w, 4096));
    SHOW("mmap shared writable",
         mapped(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)));
    SHOW("mmap at offset 100", mapped(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100)));
    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
    SHOW("mmap read-only file, writable",
         mapped(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0)));
    SHOW("mmap write-only file", mapped(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, wo, 0)));
    int p[2];
    pipe(p);
    SHOW("mmap pipe", mapped(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0)));
    SHOW("mmap stdout", mapped(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 1, 0)));
    SHOW("mmap never opened", mapped(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[1] + 9, 0)));
    close(p[0]), close(p[1]), close(ro), close(wo), close(fd);
    unlink(path);
}

static void no_tmp(void)
{
    char name[] = "/tmp/capsim_files_XXXXXX";
    SHOW("mkstemp", mkstemp(name));
    printf("template kept: %d\n", !strcmp(name, "/tmp/capsim_files_XXXXXX"));
    SHOW("mkdtemp", mkdtemp(name));
    SHOW("tmpfile", tmpfile());
    SHOW("tmpnam", tmpnam(NULL));
    SHOW("system", system("true"));
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "tmp")) {
        temp_file();
        temp_dir();
        temp_stream();
        dir_streams();
        refused();
        file_mappings();
        redirect();
    } else {
        no_tmp();
    }
    return 0;
}
