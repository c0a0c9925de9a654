/* app_tls.c — __thread variables are per simulated thread. Four threads of
 * one process each count to ROUNDS in their own __thread counter, yielding
 * every step (so the others run in between); each also checks that its
 * initialised __thread string started as "init". Returns the number of
 * threads that saw anything else (0 = TLS is per thread). */
#include <capsim/app.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define TLS_ROUNDS 50
#define TLS_THREADS 3

static __thread int tls_count;
static __thread char tls_name[16] = "init";
static int tls_failures;

static void tls_work(const char *who)
{
    if (strcmp(tls_name, "init") != 0)
        tls_failures++;
    snprintf(tls_name, sizeof tls_name, "%s", who);
    for (int i = 0; i < TLS_ROUNDS; i++) {
        tls_count++;
        capsim_yield();
    }
    if (tls_count != TLS_ROUNDS || strcmp(tls_name, who) != 0)
        tls_failures++;
}

static void tls_thread(uintptr_t id, uintptr_t unused)
{
    char who[16];
    (void)unused;
    snprintf(who, sizeof who, "thread-%d", (int)id);
    tls_work(who);
    zx_thread_exit();
}

int main(void)
{
    zx_handle_t th[TLS_THREADS];
    for (int i = 0; i < TLS_THREADS; i++) {
        if (zx_thread_create(zx_process_self(), "worker", 6, 0, &th[i]) != ZX_OK ||
            zx_thread_start(th[i], (uintptr_t)tls_thread, 0, (uintptr_t)i, 0) != ZX_OK)
            return 100;
    }
    tls_work("main");
    for (int i = 0; i < TLS_THREADS; i++)
        zx_object_wait_one(th[i], ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    printf("tls failures %d\n", tls_failures);
    return tls_failures;
}
