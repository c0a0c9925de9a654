/* app_thread_stacks.c — where an app's threads keep their stacks
 * (model/thread_stack.c, model/app/libc_pthread.c): each in a VMO of the
 * process's own address space, named as Fuchsia names it, with a guard
 * below, at the same place every run; the stack size and guard size of a
 * pthread attribute are honoured; a thread's block goes when it is joined
 * or, detached, when it ends; a blocked thread's local can be read through
 * the process handle. Prints one line per check, addresses relative to the
 * root VMAR's base.
 *
 * A thread started with bare zx_thread_start and stack 0 runs on a block
 * the kernel maps for it, "thread-stack:<its koid>", gone when it ends.
 *
 * argv[1] "overflow": a pthread on a 16 KiB stack recurses without end;
 * the process must end with a stack overflow (the guard page), the
 * simulator untouched. "overflow0": the same on a thread started with
 * stack 0. "deadlock": the main thread locks a mutex that is
 * one of its locals twice and waits for ever (the report names the word
 * by the stack that holds it). "many N": N threads alive at once, then
 * joined; prints how many were made. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#define KIB 1024u

/* The endless recursion below is on purpose. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

/* The mapping holding `addr`, and the node before it in the walk. */
typedef struct Found {
    zx_info_maps_t map, before;
    int ok;
} Found;

static zx_info_maps_t maps[256];

static size_t list_maps(void)
{
    size_t actual = 0, avail = 0;
    if (zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &actual,
                           &avail) != ZX_OK)
        return 0;
    return actual;
}

static Found find_mapping(const void *addr)
{
    Found f = {0};
    size_t n = list_maps();
    for (size_t i = 1; i < n; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING && (uintptr_t)addr >= maps[i].base &&
            (uintptr_t)addr - maps[i].base < maps[i].size) {
            f.map = maps[i];
            f.before = maps[i - 1];
            f.ok = 1;
        }
    return f;
}

/* The root VMAR: base and end. */
static uintptr_t root_base, root_end;

static void find_root(void)
{
    zx_info_vmar_t info;
    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &info, sizeof info, NULL, NULL);
    root_base = info.base;
    root_end = info.base + info.len;
}

/* Bytes of unmapped guard below a stack mapping: the gap between it and
 * the start of the sub-VMAR it is the first thing in. */
static size_t guard_of(const Found *f)
{
    if (f->before.type != ZX_INFO_MAPS_TYPE_VMAR || f->before.depth + 1 != f->map.depth)
        return 0;
    return f->map.base - f->before.base;
}

static size_t count_named(const char *prefix)
{
    size_t n = list_maps(), count = 0;
    for (size_t i = 0; i < n; i++)
        if (maps[i].type == ZX_INFO_MAPS_TYPE_MAPPING &&
            strncmp(maps[i].name, prefix, strlen(prefix)) == 0)
            count++;
    return count;
}

static void *report_own_stack(void *label)
{
    int local = 0;
    Found f = find_mapping(&local);
    char want[ZX_MAX_NAME_LEN];
    snprintf(want, sizeof want, "pthread_t:%p", (void *)pthread_self());
    uintptr_t self = (uintptr_t)pthread_self();
    char thread_name[ZX_MAX_NAME_LEN] = "";
    zx_object_get_property(zx_thread_self(), ZX_PROP_NAME, thread_name, sizeof thread_name);
    printf("%s: mapped %d, named after its pthread_t %d, the thread too %d, stack %zu KiB, "
           "guard %zu KiB, record above the stack %d\n",
           (const char *)label, f.ok, strcmp(f.map.name, want) == 0,
           strcmp(thread_name, want) == 0,
           (size_t)(self - f.map.base) / KIB, guard_of(&f) / KIB,
           self >= f.map.base && self < f.map.base + f.map.size);
    return NULL;
}

/* A thread with a secret in a local, blocked until told to finish. */
static volatile uintptr_t secret_at;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int told;

static void *keep_a_secret(void *unused)
{
    (void)unused;
    char secret[16];
    strcpy(secret, "on the stack");
    pthread_mutex_lock(&lock);
    secret_at = (uintptr_t)secret;
    pthread_cond_broadcast(&cond);
    while (!told)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *wait_for_go(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    while (!told)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static int make_many(int n)
{
    pthread_t *ts = calloc((size_t)n, sizeof *ts);
    int made = 0;
    while (ts && made < n && pthread_create(&ts[made], NULL, wait_for_go, NULL) == 0)
        made++;
    pthread_mutex_lock(&lock);
    told = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < made; i++)
        pthread_join(ts[i], NULL);
    free(ts);
    printf("made %d threads\n", made);
    return 0;
}

static int c11_body(void *unused)
{
    (void)unused;
    int local = 0;
    Found f = find_mapping(&local);
    return strncmp(f.map.name, "thrd_t:0x", 9) == 0;
}

static void *detached_body(void *unused)
{
    (void)unused;
    return NULL;
}

static unsigned recurse(unsigned n)
{
    volatile char frame[512];
    frame[0] = (char)n;
    return recurse(n + 1) + frame[0];
}

static void *overflow_body(void *unused)
{
    (void)unused;
    printf("%u\n", recurse(0));
    return NULL;
}

static void overflow_entry(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    overflow_body(NULL);
    zx_thread_exit();
}

static Found stack0_found;

static void stack0_entry(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    int local = 0;
    stack0_found = find_mapping(&local);
    zx_thread_exit();
}

/* Start entry on a thread with stack 0; its koid. */
static zx_koid_t start_stack0(void (*entry)(uintptr_t, uintptr_t), zx_handle_t *th)
{
    zx_info_handle_basic_t info = {0};
    if (zx_thread_create(zx_process_self(), "zero", 4, 0, th) != ZX_OK ||
        zx_thread_start(*th, (uintptr_t)entry, 0, 0, 0) != ZX_OK)
        return 0;
    zx_object_get_info(*th, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL);
    return info.koid;
}

int main(int argc, char **argv)
{
    find_root();
    pthread_t t;
    pthread_attr_t attr;
    if (argc > 2 && strcmp(argv[1], "many") == 0)
        return make_many(atoi(argv[2]));
    if (argc > 1 && strcmp(argv[1], "deadlock") == 0) {
        pthread_mutex_t mine = PTHREAD_MUTEX_INITIALIZER;
        pthread_mutex_lock(&mine);
        pthread_mutex_lock(&mine);
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "overflow0") == 0) {
        zx_handle_t th;
        start_stack0(overflow_entry, &th);
        zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
        printf("the overflow went unnoticed\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 16 * KIB);
        pthread_create(&t, &attr, overflow_body, NULL);
        pthread_join(t, NULL);
        printf("the overflow went unnoticed\n");
        return 0;
    }

    int local = 0;
    Found f = find_mapping(&local);
    printf("main thread: mapped %d, named %s, %zu KiB, guard %zu KiB, at the top %d\n", f.ok,
           f.map.name, (size_t)f.map.size / KIB, guard_of(&f) / KIB,
           f.before.base + f.before.size == root_end);
    printf("its offset: %#lx\n", (unsigned long)(f.map.base - root_base));

    pthread_create(&t, NULL, report_own_stack, "default thread");
    pthread_join(t, NULL);
    printf("blocks left after the join: %zu\n", count_named("pthread_t:"));
    pthread_t again;
    pthread_create(&again, NULL, detached_body, NULL);
    pthread_join(again, NULL);
    printf("the next thread took its place: %d\n", again == t);

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * KIB);
    pthread_attr_setguardsize(&attr, 16 * KIB);
    pthread_create(&t, &attr, report_own_stack, "64 KiB thread");
    pthread_join(t, NULL);
    pthread_attr_setguardsize(&attr, 0);
    pthread_create(&t, &attr, report_own_stack, "no guard");
    pthread_join(t, NULL);
    static char own_stack[64 * KIB];
    pthread_attr_setstack(&attr, own_stack, sizeof own_stack);
    int rc = pthread_create(&t, &attr, report_own_stack, "given stack");
    printf("a stack from the attribute: %s\n", rc == ENOTSUP ? "ENOTSUP" : "made");
    pthread_attr_destroy(&attr);
    thrd_t c11;
    int c11_named = 0;
    thrd_create(&c11, c11_body, NULL);
    thrd_join(c11, &c11_named);
    printf("a C11 thread's stack is named thrd_t: %d\n", c11_named);

    zx_handle_t th0;
    zx_koid_t koid0 = start_stack0(stack0_entry, &th0);
    zx_object_wait_one(th0, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    zx_handle_close(th0);
    char want0[ZX_MAX_NAME_LEN];
    snprintf(want0, sizeof want0, "thread-stack:%lu", (unsigned long)koid0);
    printf("a thread started with stack 0: mapped %d, named after its koid %d, %zu KiB, "
           "guard %zu KiB; blocks left after it ended: %zu\n",
           stack0_found.ok, strcmp(stack0_found.map.name, want0) == 0,
           (size_t)stack0_found.map.size / KIB, guard_of(&stack0_found) / KIB,
           count_named("thread-stack:"));

    pthread_create(&t, NULL, keep_a_secret, NULL);
    pthread_mutex_lock(&lock);
    while (!secret_at)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    Found s = find_mapping((void *)secret_at);
    char got[16] = "";
    size_t actual = 0;
    zx_status_t st = zx_process_read_memory(zx_process_self(), secret_at, got, sizeof got,
                                            &actual);
    printf("a blocked thread's local: in %.10s, read %d: %s\n", s.map.name, st, got);
    pthread_mutex_lock(&lock);
    told = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    pthread_join(t, NULL);

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &attr, detached_body, NULL);
    pthread_attr_destroy(&attr);
    zx_nanosleep(zx_deadline_after(ZX_MSEC(1)));
    printf("blocks left after a detached thread ended: %zu\n", count_named("pthread_t:"));
    return 0;
}
