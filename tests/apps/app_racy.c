/* app_racy.c — a double fetch, built instrumented (every basic block edge a
 * preemption point). The main thread checks a shared value, then uses it
 * again; a second thread keeps changing it. The race shows only if the
 * scheduler switches between the two fetches: never under FIFO on one CPU
 * (main finishes its loop before the writer first runs), under some seeds
 * of the random walk. Prints and returns the number of races seen (capped
 * at 100). */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define RACY_ROUNDS 500

static volatile int racy_shared;
static int racy_races;

static void racy_writer(uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    for (int i = 0; i < RACY_ROUNDS; i++)
        racy_shared = i % 100;
    zx_thread_exit();
}

int main(void)
{
    zx_handle_t th;
    if (zx_thread_create(zx_process_self(), "writer", 6, 0, &th) != ZX_OK ||
        zx_thread_start(th, (uintptr_t)racy_writer, 0, 0, 0) != ZX_OK)
        return 200;
    for (int i = 0; i < RACY_ROUNDS; i++) {
        int len = racy_shared;          /* fetch 1: the check */
        if (len >= 0 && len < 100) {
            int again = racy_shared;    /* fetch 2: the use */
            if (again != len)
                racy_races++;
        }
    }
    zx_object_wait_one(th, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
    printf("races %d\n", racy_races);
    return racy_races > 100 ? 100 : racy_races;
}
