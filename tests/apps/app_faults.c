/* app_faults.c — every way an app can end. argv[1] picks one:
 *   return, exit, _exit, zx (zx_process_exit), quick_exit (after an
 *   at_quick_exit), on_exit (refused, then exit), pthread_exit and
 *   thrd_exit (the main thread leaves, a worker ends last), kill
 *   (zx_task_kill of itself), segv (at address 16), null (at 0), bus,
 *   ill, fpe, stack, abort,
 *   breakpoint, loop (no syscall ever: the budget stops it), spin
 *   (syscalls forever, printing a line each 1000: only a time limit stops
 *   it), assert, deadlock
 *   (two threads take two mutexes in opposite orders and block forever),
 *   err, errx, error, error_at_line (report, then exit: 12 to 15).
 * A constructor, an atexit handler and a destructor print, so tests can see
 * which ran. */
#include <assert.h>
#include <err.h>
#include <errno.h>
#include <error.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <threads.h>
#include <unistd.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

static void faults_bye(void) { printf("atexit\n"); }
__attribute__((constructor)) static void faults_ctor(void) { printf("constructor\n"); }
__attribute__((destructor)) static void faults_dtor(void) { printf("destructor\n"); }

static volatile int faults_forever = 1;

static void faults_quick(void) { printf("at_quick_exit\n"); }
static void faults_on_exit(int code, void *arg) { printf("on_exit %d %p\n", code, arg); }

/* The last thread: it ends after main has left. */
static void *faults_last(void *arg)
{
    usleep(1000);
    printf("last thread\n");
    return arg;
}

static int faults_recurse(int n)
{
    volatile char buf[512];
    buf[0] = (char)n;
    return faults_forever ? faults_recurse(n + 1) + buf[0] : buf[0];
}

static void faults_bus(void)
{
    /* A shared mapping of an empty file: touching it is SIGBUS. Raw system
     * calls: libc's memfd_create and mmap of a descriptor are refused to
     * app code (it has no host descriptors, model/sdk/fdio_libc_fd.c). */
    long fd = syscall(SYS_memfd_create, "empty", 0);
    volatile char *m = (volatile char *)syscall(SYS_mmap, NULL, 4096,
                                                PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    m[0] = 1;
}

/* Exported, so the deadlock report can name them by symbol. */
pthread_mutex_t faults_lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t faults_lock_b = PTHREAD_MUTEX_INITIALIZER;

static void *faults_b_then_a(void *arg)
{
    pthread_mutex_lock(&faults_lock_b);
    pthread_mutex_lock(&faults_lock_a);
    return arg;
}

static void faults_deadlock(void)
{
    pthread_t t;
    pthread_mutex_lock(&faults_lock_a);
    pthread_create(&t, NULL, faults_b_then_a, NULL);
    usleep(1000); /* virtual time: the other thread takes b meanwhile */
    pthread_mutex_lock(&faults_lock_b);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "return";
    atexit(faults_bye);
    printf("doing %s\n", what);
    if (!strcmp(what, "exit"))
        exit(7);
    if (!strcmp(what, "_exit"))
        _exit(8);
    if (!strcmp(what, "zx"))
        zx_process_exit(9);
    if (!strcmp(what, "kill"))
        zx_task_kill(zx_process_self());
    if (!strcmp(what, "quick_exit")) {
        at_quick_exit(faults_quick);
        quick_exit(10);
    }
    errno = ENOENT;
    if (!strcmp(what, "err"))
        err(12, "err %d", 12);
    if (!strcmp(what, "errx"))
        errx(13, "errx %d", 13);
    if (!strcmp(what, "error"))
        error(14, errno, "error %d", 14);
    if (!strcmp(what, "error_at_line"))
        error_at_line(15, 0, "app_faults.c", 15, "error_at_line %d", 15);
    if (!strcmp(what, "on_exit")) {
        printf("on_exit: %d\n", on_exit(faults_on_exit, NULL));
        exit(11);
    }
    if (!strcmp(what, "pthread_exit") || !strcmp(what, "thrd_exit")) {
        pthread_t t;
        pthread_create(&t, NULL, faults_last, NULL);
        if (!strcmp(what, "thrd_exit"))
            thrd_exit(12); /* C11: as exit(EXIT_SUCCESS) once the last thread ends */
        pthread_exit(NULL);
    }
    if (!strcmp(what, "segv")) {
        volatile uintptr_t addr = 16; /* hidden from bounds analysis */
        *(volatile int *)addr = 1;
    }
    if (!strcmp(what, "null")) {
        volatile uintptr_t addr = 0; /* a null pointer, hidden from the compiler */
        *(volatile int *)addr = 1;
    }
    if (!strcmp(what, "bus"))
        faults_bus();
    if (!strcmp(what, "ill"))
        __builtin_trap();
    if (!strcmp(what, "fpe")) {
        volatile int zero = 0;
        volatile int x = 10 / zero;
        (void)x;
    }
    if (!strcmp(what, "stack"))
        return faults_recurse(0);
    if (!strcmp(what, "abort"))
        abort();
    if (!strcmp(what, "breakpoint")) {
#if defined(__x86_64__)
        __asm__ volatile("int3");
#elif defined(__aarch64__)
        __asm__ volatile("brk #0");
#endif
    }
    if (!strcmp(what, "assert"))
        assert(argc == 0);
    if (!strcmp(what, "deadlock"))
        faults_deadlock();
    if (!strcmp(what, "spin")) {
        for (unsigned long i = 1;; i++) {
            zx_info_handle_basic_t info;
            zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC, &info, sizeof info,
                               NULL, NULL);
            if (i % 1000 == 0)
                printf("spin %lu\n", i);
        }
    }
    if (!strcmp(what, "loop")) {
        volatile unsigned long i = 0;
        for (;;)
            i++;
    }
    return 3;
}
