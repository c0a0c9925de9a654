/* test_fdio.c — the fdio client library as a component uses it: the
 * namespace API, descriptors and channels, FILE and DIR streams over
 * fdio, the working directory, and what stays out of reach (the host's
 * files and descriptors). The checks run inside the component
 * (fdio_checks) and print one line each; the test reads them back. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lib/fdio/directory.h>
#include <lib/fdio/fd.h>
#include <lib/fdio/io.h>
#include <lib/fdio/namespace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "sbtest.h"

#define SAY(...) printf(__VA_ARGS__)

static void check_ns_api(void)
{
    fdio_ns_t *ns;
    SAY("installed: %d\n", fdio_ns_get_installed(&ns));
    SAY("is_bound /pkg: %d, /nope: %d\n", fdio_ns_is_bound(ns, "/pkg"),
        fdio_ns_is_bound(ns, "/nope"));
    SAY("destroy installed: %d\n", fdio_ns_destroy(ns));
    fdio_ns_t *mine;
    fdio_ns_create(&mine);
    zx_handle_t a, b;
    zx_channel_create(0, &a, &b);
    SAY("bind bad path: %d\n", fdio_ns_bind(mine, "rel/path", a));
    zx_channel_create(0, &a, &b);
    SAY("bind /x/y: %d\n", fdio_ns_bind(mine, "/x/y", a));
    zx_handle_close(b);
    zx_channel_create(0, &a, &b);
    SAY("bind /x/y again: %d\n", fdio_ns_bind(mine, "/x/y", a));
    zx_handle_close(b);
    SAY("bind /x/../z: %d\n", fdio_ns_bind(mine, "/x/../z", ZX_HANDLE_INVALID));
    zx_status_t u1 = fdio_ns_unbind(mine, "/x/y");
    zx_status_t u2 = fdio_ns_unbind(mine, "/x/y");
    SAY("unbind /x/y: %d, again: %d\n", u1, u2);
    SAY("destroy mine: %d\n", fdio_ns_destroy(mine));
    fdio_flat_namespace_t *flat;
    if (fdio_ns_export_root(&flat) == ZX_OK) {
        SAY("export:");
        for (size_t i = 0; i < flat->count; i++)
            SAY(" %s(%u)", flat->path[i], PA_HND_TYPE(flat->type[i]) == PA_NS_DIR);
        SAY("\n");
        fdio_ns_free_flat_ns(flat);
    }
}

static void check_streams(void)
{
    FILE *f = fopen("/data/notes.txt", "w+");
    SAY("fopen w+: %s\n", f ? "ok" : strerror(errno));
    if (f) {
        fprintf(f, "line %d\nline %d\n", 1, 2);
        rewind(f);
        char line[32] = "";
        fgets(line, sizeof line, f);
        SAY("fgets: %s", line);
        fclose(f);
    }
    int fd = open("/data/notes.txt", O_RDWR | O_APPEND);
    struct stat st;
    fstat(fd, &st);
    SAY("fstat: regular %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    write(fd, "tail\n", 5);
    SAY("lseek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    SAY("ftruncate: %d\n", ftruncate(fd, 4));
    fstat(fd, &st);
    SAY("size after truncate: %lld\n", (long long)st.st_size);
    zx_handle_t h;
    SAY("fd_clone: %d\n", fdio_fd_clone(fd, &h));
    int fd2 = -1;
    SAY("fd_create: %d\n", fdio_fd_create(h, &fd2));
    char buf[8] = {0};
    read(fd2, buf, sizeof buf - 1);
    SAY("read through the clone: %s\n", buf);
    close(fd2);
    close(fd);
    ssize_t r = read(fd, buf, 1);
    SAY("read closed fd: %zd %s\n", r, strerror(errno));
    r = write(99, "x", 1);
    SAY("write to fd 99: %zd %s\n", r, strerror(errno));
}

/* A server's directory opened to be modified is EISDIR, as fdio makes it
 * (it asks the server for NOT_DIRECTORY); read-only, or as a directory, it
 * opens. */
static void check_dir_for_writing(void)
{
    static const struct { const char *path; int flags; const char *what; } opens[] = {
        {"/data", O_WRONLY, "O_WRONLY"},
        {"/data", O_RDWR, "O_RDWR"},
        {"/data/", O_RDWR, "O_RDWR, trailing slash"},
        {"/data", O_WRONLY | O_CREAT, "O_WRONLY | O_CREAT"},
        {"/data", O_RDONLY | O_CREAT, "O_RDONLY | O_CREAT"},
        {"/data", O_RDONLY, "O_RDONLY"},
        {"/data", O_RDONLY | O_DIRECTORY, "O_RDONLY | O_DIRECTORY"},
    };
    for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++) {
        errno = 0;
        int fd = open(opens[i].path, opens[i].flags, 0644);
        SAY("open %s %s: %s %s\n", opens[i].path, opens[i].what, fd >= 0 ? "ok" : "-1",
            strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    int dfd = open("/data", O_RDONLY | O_DIRECTORY);
    mkdir("/data/d", 0755);
    errno = 0;
    int fd = openat(dfd, "d", O_RDWR);
    SAY("openat d O_RDWR: %d %s\n", fd, strerror(errno));
    errno = 0;
    fd = openat(dfd, "d", O_RDONLY);
    SAY("openat d O_RDONLY: %s %s\n", fd >= 0 ? "ok" : "-1", strerror(errno));
    close(fd);
    int made = mkdir("/data/d/e/", 0755);
    SAY("mkdir d/e/, rmdir d/e/: %d %d\n", made, rmdir("/data/d/e/"));
    rmdir("/data/d");
    close(dfd);
}

static void check_dirs(void)
{
    SAY("mkdir: %d\n", mkdir("/data/sub", 0755));
    int rc = mkdir("/data/sub", 0755);
    SAY("mkdir again: %d %s\n", rc, strerror(errno));
    SAY("chdir: %d\n", chdir("/data/sub"));
    char cwd[64];
    SAY("getcwd: %s\n", getcwd(cwd, sizeof cwd));
    int fd = open("rel.txt", O_CREAT | O_WRONLY, 0644);
    close(fd);
    SAY("stat relative: %d\n", access("/data/sub/rel.txt", F_OK));
    rc = rmdir("/data/sub");
    SAY("rmdir non-empty: %d %s\n", rc, strerror(errno));
    SAY("unlink: %d\n", unlink("rel.txt"));
    SAY("rmdir: %d\n", rmdir("/data/sub"));
    DIR *d = opendir("/dev");
    struct dirent *e;
    SAY("ls /dev (namespace dir):");
    while (d && (e = readdir(d)))
        SAY(" %s", e->d_name);
    SAY("\n");
    if (d)
        closedir(d);
    rc = open("/dev", O_WRONLY);
    SAY("open /dev for writing: %d %s\n", rc, strerror(errno));
    check_dir_for_writing();
    SAY("host file: %s\n", fopen("/etc/hostname", "r") ? "visible!" : strerror(errno));
    zx_handle_t c, s;
    zx_channel_create(0, &c, &s);
    SAY("fdio_open outside: %d\n", fdio_open("/etc", FIO_OPEN_RIGHT_READABLE, s));
    zx_handle_close(c);
}

static int fdio_checks_main(int argc, char **argv)
{
    check_ns_api();
    check_streams();
    check_dirs();
    return 0;
}

Test(fdio, the_library_inside_a_component)
{
    SbTest *t = sbtest_new(21, NULL);
    cm_builtin_register("fdio_checks", fdio_checks_main);
    sbtest_package_program(t, "fdiocheck", "fdio_checks",
                           "{\"dev\": [\"class/framebuffer\", \"class/input\"],"
                           " \"features\": [\"persistent-storage\"]}");
    CmComponent *c = cm_launch(t->cm, NULL, "fdiocheck", 0, NULL, NULL);
    cr_assert(c);
    sbtest_run(t);
    char *out = sbtest_output(t, c);
    static const char *want[] = {
        "installed: 0\n", "is_bound /pkg: 1, /nope: 0\n", "destroy installed: -20\n",
        "bind bad path: -10\n", "bind /x/y: 0\n", "bind /x/y again: -26\n",
        "bind /x/../z: -10\n", "unbind /x/y: 0, again: -25\n", "destroy mine: 0\n",
        "export: /data(1) /dev/class/framebuffer(1) /dev/class/input(1) /pkg(1) /svc(1)\n",
        "fopen w+: ok\n", "fgets: line 1\n", "fstat: regular 1 size 14\n",
        "lseek end: 19\n", "ftruncate: 0\n", "size after truncate: 4\n", "fd_clone: 0\n",
        "fd_create: 0\n", "read through the clone: line\n",
        "read closed fd: -1 Bad file descriptor\n", "write to fd 99: -1 Bad file descriptor\n",
        "mkdir: 0\n", "mkdir again: -1 File exists\n", "chdir: 0\n", "getcwd: /data/sub\n",
        "stat relative: 0\n", "rmdir non-empty: -1 Directory not empty\n", "unlink: 0\n",
        "rmdir: 0\n", "ls /dev (namespace dir): . class\n",
        "open /dev for writing: -1 Is a directory\n",
        "open /data O_WRONLY: -1 Is a directory\n", "open /data O_RDWR: -1 Is a directory\n",
        "open /data/ O_RDWR, trailing slash: -1 Is a directory\n",
        "open /data O_WRONLY | O_CREAT: -1 Is a directory\n",
        "open /data O_RDONLY | O_CREAT: -1 Is a directory\n",
        "open /data O_RDONLY: ok Success\n", "open /data O_RDONLY | O_DIRECTORY: ok Success\n",
        "openat d O_RDWR: -1 Is a directory\n", "openat d O_RDONLY: ok Success\n",
        "mkdir d/e/, rmdir d/e/: 0 0\n", "host file: No such file or directory\n",
        "fdio_open outside: -25\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_expect(strstr(out, want[i]), "expected \"%s\" in:\n%s", want[i], out);
    free(out);
    sbtest_free(t);
}
