/* app_heap_calls.c — whose heap serves an app's allocations that libc's
 * return-address rule used to miss (model/app/app_call.c,
 * model/app/libc_malloc.c); test_app_heap_calls.c runs it as a component
 * with a writable /tmp.
 *
 * Built with -O2 whatever the build type, so that each function below
 * ending in `return malloc(n);` (or a void one ending in a call) is a tail
 * call: a jump, which leaves the return address of whoever called the
 * function. Each such function is one that libcapsim calls (a constructor,
 * main, a thread's function, an atexit handler...). One line per site or
 * call: "SITE: heap" when the block lies in a heap mapping of the
 * process (scudo:*), else the name of the mapping holding it, or "host"
 * (not the process's memory at all).
 *   calls          the sites libcapsim calls, then main's own return
 *   calls quick    an at_quick_exit handler
 *   libc           libc calls that hand memory to free (asprintf,
 *                  open_memstream, realpath, getcwd, scandir...) */
#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>
#include <wchar.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

/* Where p lies: "heap" (a heap mapping of this process), another
 * mapping's name, or "host". */
static const char *where(const void *p)
{
    static zx_info_maps_t maps[256];
    size_t n = 0, avail = 0;
    if (!p)
        return "NULL";
    zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &n, &avail);
    for (size_t i = 0; i < n; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING && (uintptr_t)p >= maps[i].base &&
            (uintptr_t)p < maps[i].base + maps[i].size)
            return strncmp(maps[i].name, "scudo:", 6) == 0 ? "heap" : maps[i].name;
    return "host";
}

/* Show where p lies, then free it (free goes by the address: a heap
 * block in its heap, anything else in libc's). */
static void show(const char *site, void *p)
{
    printf("%s: %s\n", site, where(p));
    free(p);
}

/* ---- sites libcapsim calls: each ends in a tail call ----------------------*/

static int in_calls; /* the destructors' part runs in "calls" only */
static void *from_ctor, *from_key, *from_once, *from_raw, *from_filter, *from_nftw,
    *from_thrd, *from_main, *from_atexit, *from_dtor, *from_quick;

__attribute__((constructor)) static void ctor_allocates(void)
{
    posix_memalign(&from_ctor, 16, 40);
}

static void *thread_allocates(void *arg)
{
    return malloc((size_t)(uintptr_t)arg);
}

static int thrd_allocates(void *arg)
{
    return posix_memalign(&from_thrd, 16, (size_t)(uintptr_t)arg);
}

static pthread_key_t key;

static void key_destructor_allocates(void *value)
{
    posix_memalign(&from_key, 16, (size_t)(uintptr_t)value);
}

static void *thread_sets_key(void *arg)
{
    pthread_setspecific(key, (void *)(uintptr_t)24);
    return arg;
}

static void once_allocates(void)
{
    posix_memalign(&from_once, 16, 32);
}

static void raw_entry_allocates(uintptr_t arg1, uintptr_t arg2)
{
    posix_memalign(&from_raw, 16, (size_t)arg1 + arg2);
}

static int filter_allocates(const struct dirent *e)
{
    return posix_memalign(&from_filter, 16, 1 + strlen(e->d_name) % 2);
}

static int nftw_allocates(const char *path, const struct stat *st, int type, struct FTW *f)
{
    return posix_memalign(&from_nftw, 16, 56);
}

static void atexit_allocates(void)
{
    posix_memalign(&from_atexit, 16, 72);
}

static void atexit_reports(void)
{
    show("main's return (tail call)", from_main);
    show("atexit handler", from_atexit);
}

__attribute__((destructor(200))) static void dtor_allocates(void)
{
    if (in_calls)
        posix_memalign(&from_dtor, 16, 88);
}

__attribute__((destructor(150))) static void dtor_reports(void)
{
    if (in_calls)
        show("destructor", from_dtor);
}

static void quick_allocates(void)
{
    posix_memalign(&from_quick, 16, 104);
}

static void quick_reports(void)
{
    show("at_quick_exit handler", from_quick);
}

/* Not inlined: main, whose locals' addresses would escape, could not end
 * in a tail call. */
__attribute__((noinline)) static void calls_sites(void)
{
    in_calls = 1;
    show("constructor", from_ctor);

    pthread_t t;
    void *got = NULL;
    pthread_create(&t, NULL, thread_allocates, (void *)(uintptr_t)64);
    pthread_join(t, &got);
    show("pthread function", got);

    thrd_t c;
    thrd_create(&c, thrd_allocates, (void *)(uintptr_t)80);
    thrd_join(c, NULL);
    show("thrd function", from_thrd);

    pthread_key_create(&key, key_destructor_allocates);
    pthread_create(&t, NULL, thread_sets_key, NULL);
    pthread_join(t, NULL);
    show("key destructor", from_key);

    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, once_allocates);
    show("pthread_once routine", from_once);

    zx_handle_t th;
    zx_thread_create(zx_process_self(), "raw", 3, 0, &th);
    zx_thread_start(th, (uintptr_t)raw_entry_allocates, 0, 20, 4);
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_handle_close(th);
    show("zx_thread_start entry", from_raw);

    struct dirent **names = NULL;
    int n = scandir("/tmp", &names, filter_allocates, NULL);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    show("scandir filter", from_filter);

    nftw("/tmp", nftw_allocates, 4, 0);
    show("nftw callback", from_nftw);

    atexit(atexit_reports);
    atexit(atexit_allocates);
}

__attribute__((noinline)) static int calls_quick(void)
{
    at_quick_exit(quick_reports);
    at_quick_exit(quick_allocates);
    quick_exit(0);
}

/* ---- libc calls that hand memory to the caller ----------------------------*/

static char *via_vasprintf(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    return n < 0 ? NULL : s;
}

__attribute__((noinline)) static int libc_calls(void)
{
    char *s = NULL;
    int n = asprintf(&s, "%s %d", "forty", 2);
    printf("asprintf %d \"%s\", ", n, s);
    show("asprintf", s);
    s = via_vasprintf("%05d", 42);
    printf("vasprintf \"%s\", ", s);
    show("vasprintf", s);

    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    fprintf(m, "hello");
    fflush(m);
    printf("open_memstream after fflush: \"%s\" %zu, %s\n", buf, size, where(buf));
    for (int i = 0; i < 1000; i++)
        fputs("0123456789", m);
    fclose(m);
    printf("open_memstream after fclose: %zu bytes, ends \"%s\", ", size, buf + size - 4);
    show("open_memstream", buf);
    m = open_memstream(&buf, &size);
    fputs("abcdef", m);
    fseek(m, 2, SEEK_SET);
    fputs("XY", m);
    fflush(m);
    printf("open_memstream, written over: \"%s\" %zu\n", buf, size);
    fseek(m, 8, SEEK_SET);
    fputc('Z', m);
    fclose(m);
    printf("open_memstream, past the end: %zu, zeros between: %d\n", size,
           buf[6] == 0 && buf[7] == 0 && buf[8] == 'Z' && buf[9] == 0);
    free(buf);

    mkdir("/tmp/sub", 0700);
    chdir("/tmp/sub");
    char *r = realpath("../sub/./", NULL);
    printf("realpath \"%s\", ", r);
    show("realpath", r);
    r = canonicalize_file_name("/tmp//sub");
    printf("canonicalize_file_name \"%s\", ", r);
    show("canonicalize_file_name", r);
    r = getcwd(NULL, 0);
    printf("getcwd(NULL, 0) \"%s\", ", r);
    show("getcwd(NULL, 0)", r);
    r = getcwd(NULL, 64);
    printf("getcwd(NULL, 64) \"%s\", ", r);
    show("getcwd(NULL, 64)", r);
    r = get_current_dir_name();
    printf("get_current_dir_name \"%s\", ", r);
    show("get_current_dir_name", r);

    show("strdup", strdup("copy"));
    show("strndup", strndup("copy", 2));
    wchar_t *w = wcsdup(L"wide copy");
    printf("wcsdup \"%ls\", ", w);
    show("wcsdup", w);
    r = tempnam("/tmp", "pre");
    printf("tempnam in /tmp: %d, ", r && strncmp(r, "/tmp/pre", 8) == 0);
    show("tempnam", r);

    fclose(fopen("/tmp/sub/file", "w"));
    struct dirent **names = NULL;
    n = scandir("/tmp/sub", &names, NULL, alphasort);
    printf("scandir %d:", n);
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]->d_name);
    printf(", ");
    for (int i = 0; i < n; i++)
        show(i == 0 ? "scandir entry" : "  and", names[i]);
    show("scandir list", names);

    FILE *f = fopen("/tmp/sub/file", "r");
    printf("fopen's FILE stays libc's: %s\n", where(f));
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "calls") == 0 && strcmp(argv[2], "quick") == 0)
        return calls_quick();
    if (argc > 1 && strcmp(argv[1], "calls") == 0) {
        calls_sites();
        return posix_memalign(&from_main, 16, 96);
    }
    if (argc > 1 && strcmp(argv[1], "libc") == 0)
        return libc_calls();
    return 2;
}
