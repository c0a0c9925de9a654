/* test_app_files.c — an app's file calls never reach the host (app_files.c).
 *
 * The app runs as a component with a writable /tmp (isolated-temp, a memfs
 * directory) and makes temporary files and directories there; the test
 * checks what it read back, that none of the names it got exists on the
 * host and that the host's /tmp gained nothing, that the same seed gives
 * the same names and trace, and the errno of every call refused. Without
 * a namespace (a plain spawn) the temporary-file calls answer ENOENT. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "app_component.h"
#include "capsim_host.h"
#include "package.h"
#include "process.h"
#include "sbtest.h"

#define APP_FILES APPS_DIR "/app_files.so"

/* Host /tmp entries whose name starts with the app's prefix, one string. */
static char *host_tmp_listing(void)
{
    size_t cap = 1, len = 0;
    char *out = calloc(1, cap);
    DIR *d = opendir("/tmp");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "capsim_files_", 13) != 0)
            continue;
        size_t n = strlen(e->d_name) + 1;
        out = realloc(out, cap += n);
        memcpy(out + len, e->d_name, n - 1);
        out[len += n - 1] = ' ';
        out[++len] = '\0';
    }
    if (d)
        closedir(d);
    return out;
}

/* app_files "tmp" as a component with an isolated /tmp: its output. */
static char *files_run_with_tmp(uint64_t seed, char hash[33])
{
    SbTest *t = sbtest_new(seed, NULL);
    const char *argv[] = {"files", "tmp"};
    CmComponent *c = app_component_launch_with_tmp(t, "files", APP_FILES, 2, argv);
    sbtest_run(t);
    AppProcInfo pi;
    cr_assert(app_proc_info_by_koid(t->kernel, cm_component_process(c)->base.koid, &pi));
    cr_expect_eq(pi.end, APP_END_EXITED, "ended %s", app_end_name(pi.end));
    char *out = sbtest_output(t, c);
    sim_trace_hash_hex(t->engine, hash);
    sbtest_free(t);
    return out;
}

static const char *files_want[] = {
    "mkstemp: fd ok, wrote 10, read back \"hello, tmp\" (10), size 10\n",
    "dup: ok, pread at 7: 3 \"tmp\", pwrite: 1\n",
    "writev: 4, fcntl GETFL rdwr 1\n",
    "fopen again: \"Hello, tmpabcd\"\n",
    "unlink: 0 0\n",
    "stat after unlink: -1 ENOENT\n",
    "mkostemps: suffix kept 1, fd ok\n",
    "remove: 0 0\n",
    "mkstemp, five X: -1 EINVAL\n",
    "mkdtemp: ok\n",
    "glob: 0, 1 match, the inner file\n",
    "scandir: 2: . inner\n",
    "  nftw file inner level 1\n  nftw dir capsim_files_d",
    "nftw: 0, 2 entries\n",
    "realpath: same\n",
    "at: mkdirat 0, faccessat 0, unlinkat 0, then -1 ENOENT\n",
    "rmdir, not empty: -1 ENOTEMPTY\n",
    "unlink inner: 0 0\n",
    "rmdir: 0 0\n",
    "tmpfile: tmpfile 42\n",
    "write to fileno: ok 0\n",
    "fileno: 1, read back: by fd\n",
    "tmpnam: in /tmp 1, free 1\n",
    "opendir, never closed: ok\n",
    "readdir of a stream never opened: NULL EBADF\n",
    "dirfd of a stream never opened: -1 EBADF\n",
    "rename: -1 ENOTSUP\n",
    "rename, no source: -1 ENOENT\n",
    "link: -1 ENOTSUP\n",
    "symlink: -1 ENOSYS\n",
    "readlink: -1 EINVAL\n",
    "chmod rwx: 0 0\n",
    "chmod setuid: -1 ENOSYS\n",
    "chown: -1 ENOSYS\n",
    "utime: -1 ENOTSUP\n",
    "statvfs: -1 ENOTSUP\n",
    "setxattr: -1 ENOTSUP\n",
    "getxattr, no file: -1 ENOENT\n",
    "listxattr: -1 ENOTSUP\n",
    "fsetxattr: -1 ENOTSUP\n",
    "name_to_handle_at: -1 ENOSYS\n",
    "mkfifo: -1 ENOSYS\n",
    "freopen r+: 0 ENOTSUP\n",
    "popen: 0 ENOSYS\n",
    "system: -1 ENOSYS\n",
    "system(NULL): 0 0\n",
    "fork: -1 ENOSYS\n",
    "wordexp: 1, 0 words\n",
    "wordexp NOCMD: 4 2 1\n",
    "pipe: 0 0\n",
    "poll file, dir, stdin: 3 0x5 0x1 0x1\n",
    "socket: -1 ENOSYS\n",
    "dup stdout: ok 0\n",
    "isatty stdout: 0 ENOTTY\n",
    "tcgetattr stdin: -1 ENOTTY\n",
    "tcsetattr a file: -1 ENOTTY\n",
    "tcgetattr never opened: -1 EBADF\n",
    "posix_openpt: -1 ENOENT\n",
    "ptsname_r stdout: ENOTTY\n",
    "write to a descriptor never opened: -1 EBADF\n",
    "pread stdin: -1 ESPIPE\n",
    "preadv2: -1 ENOTSUP\n",
    "pwritev2 stdout: -1 ENOTSUP\n",
    "readahead: -1 ENOTSUP\n",
    "splice stdin: -1 ENOTSUP\n",
    "tee stdin: -1 ENOTSUP\n",
    "epoll_ctl a file: -1 EINVAL\n",
    "inotify_add_watch a file: -1 EINVAL\n",
    "timerfd_settime stdout: -1 EINVAL\n",
    "fanotify_init: -1 ENOSYS\n",
    "eventfd_write a file: 0 0\n",
    "close_range: -1 ENOSYS\n",
    "dup2 to 100: ok 0\n",
    "100 after closefrom(100): -1 EBADF\n",
    "mmap private of 4107 bytes: [0] a, [4096] \"second page\", then 0\n",
    "mmap shared at 4096: \"second page\"\n",
    "mmap private writable: mapping Z, file a\n",
    "munmap: 0 0 0\n",
    "mmap shared writable: -1 ENOTSUP\n",
    "mmap at offset 100: -1 EINVAL\n",
    "mmap read-only file, writable: -1 EACCES\n",
    "mmap write-only file: -1 EACCES\n",
    "mmap pipe: -1 EACCES\n",
    "mmap stdout: -1 EACCES\n",
    "mmap never opened: -1 EBADF\n",
    "freopen stdout: the same stream\n",
    "freopen stdin: the same stream, read: a line into the file\n",
};

/* Before, mkstemp made a real host file (a name from host entropy) and
 * returned a host descriptor; tmpfile, mkdtemp and tmpnam likewise. Now
 * everything happens in the component's /tmp (memfs) and the host has
 * none of the names. */
Test(files, temporary_files_are_made_in_the_namespace_never_on_the_host)
{
    char *before = host_tmp_listing(), hash[33];
    char *out = files_run_with_tmp(7, hash);
    for (size_t i = 0; i < sizeof files_want / sizeof files_want[0]; i++)
        cr_expect(strstr(out, files_want[i]), "expected \"%s\" in:\n%s", files_want[i], out);
    cr_expect(!strstr(out, "\na line into the file"), "freopen's line reached stdout:\n%s", out);
    int names = 0;
    for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        char path[128];
        if (sscanf(p, "name: %127s", path) != 1)
            continue;
        struct stat st;
        cr_expect_eq(stat(path, &st), -1, "%s exists on the host", path);
        cr_expect(strncmp(path, "/tmp/", 5) == 0 && !strstr(path, "XXXXXX"), "name %s", path);
        names++;
    }
    cr_expect_eq(names, 4, "names in:\n%s", out);
    char *after = host_tmp_listing();
    cr_expect_str_eq(after, before, "the host's /tmp changed");
    free(before), free(after), free(out);
}

/* The letters come from the seeded CPRNG: the same seed gives the same
 * names (and trace), another seed others. */
Test(files, temporary_names_follow_the_seed)
{
    char hash[3][33];
    char *a = files_run_with_tmp(7, hash[0]);
    char *b = files_run_with_tmp(7, hash[1]);
    char *c = files_run_with_tmp(8, hash[2]);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(hash[0], hash[1]);
    cr_expect_str_neq(strstr(a, "name: "), strstr(c, "name: "), "seeds 7 and 8, same names");
    free(a), free(b), free(c);
}

/* A process with no /tmp in its namespace: the calls fail as fdio's open
 * does there (ENOENT), and the template is left as it was. */
Test(files, without_a_tmp_the_calls_answer_enoent)
{
    CapsimConfig cfg;
    capsim_config_default(&cfg);
    cfg.seed = 3;
    CapsimSystem *s = capsim_system_new(&cfg);
    const char *argv[] = {APP_FILES};
    uint64_t p = capsim_spawn_app(s, APP_FILES, 1, argv, NULL);
    cr_assert(p, "%s", capsim_last_error(s));
    cr_assert_eq(capsim_run(s), CAPSIM_RUN_QUIESCENT);
    char out[1024];
    capsim_process_output(s, p, 3, out, sizeof out);
    cr_expect_str_eq(out, "mkstemp: -1 ENOENT\n"
                          "template kept: 1\n"
                          "mkdtemp: 0 ENOENT\n"
                          "tmpfile: 0 ENOENT\n"
                          "tmpnam: 0 ENOENT\n"
                          "system: -1 ENOSYS\n");
    cr_expect_eq(capsim_process_return_code(s, p), 0);
    capsim_system_free(s);
}
