/* bystander.c — the handle_exhaustion scenario's victim: an unrelated
 * process (its own job, no handle to or from the hog) doing ordinary work.
 * Every EXHAUST_PERIOD, EXHAUST_ROUNDS times, it creates an event, a
 * channel and a VMO and duplicates its own process handle, then closes
 * what it made. It prints a line when its calls start failing and when
 * they work again, then a summary. Returns the number of rounds in which
 * some call failed (0 when the hog was contained).
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "exhaust.h"

/* One round; the first failing status, ZX_OK if none. */
static zx_status_t bystander_round(void)
{
    zx_handle_t h[5];
    int n = 0;
    zx_status_t first = ZX_OK, s;
    if ((s = zx_event_create(0, &h[n])) == ZX_OK)
        n++;
    first = first ? first : s;
    if ((s = zx_channel_create(0, &h[n], &h[n + 1])) == ZX_OK)
        n += 2;
    first = first ? first : s;
    if ((s = zx_vmo_create(4096, 0, &h[n])) == ZX_OK)
        n++;
    first = first ? first : s;
    if ((s = zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &h[n])) == ZX_OK)
        n++;
    first = first ? first : s;
    zx_handle_close_many(h, (size_t)n);
    return first;
}

int exhaust_bystander_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int failed = 0;
    zx_status_t last = ZX_OK;
    for (int i = 1; i <= EXHAUST_ROUNDS; i++) {
        zx_nanosleep(zx_deadline_after(EXHAUST_PERIOD));
        zx_status_t s = bystander_round();
        if (s != last)
            printf("bystander: round %d: %s\n", i,
                   s == ZX_OK ? "my calls work again" : zx_status_get_string(s));
        failed += s != ZX_OK;
        last = s;
    }
    printf("bystander: %d of %d rounds had a failing call\n", failed, EXHAUST_ROUNDS);
    return failed;
}
