/* hog.c — the handle_exhaustion scenario's attacker: it makes handles until
 * the kernel says no, and sits on them.
 *
 * Zircon keeps every handle of every process in one kernel-wide arena
 * (256 Ki handles; scenarios lower it with capsim_set_handle_limit to run
 * fast). Filling it needs no privilege at all:
 *   --method=create     zx_event_create in a loop (each makes an object);
 *   --method=duplicate  zx_handle_duplicate of one handle in a loop: no new
 *                       object, so a job policy denying new objects
 *                       (ZX_POL_NEW_ANY) does not stop it — the hog starts
 *                       from its own process handle, which it always has.
 * When the arena is full, every process's next call that needs a handle
 * fails with ZX_ERR_NO_MEMORY. capsim's per-job handle quota stops the hog
 * at its quota instead, with the same error, and nobody else notices.
 * It holds everything for EXHAUST_HOLD, then exits (the kernel closes its
 * handles). Returns 0; prints how many handles it got and why it stopped.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

#include "exhaust.h"

static zx_status_t hog_one(bool duplicate, zx_handle_t seed)
{
    zx_handle_t h;
    return duplicate ? zx_handle_duplicate(seed, ZX_RIGHT_SAME_RIGHTS, &h)
                     : zx_event_create(0, &h);
}

int exhaust_hog_main(int argc, char **argv)
{
    bool duplicate = false;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--method=duplicate"))
            duplicate = true;
    unsigned made = 0;
    zx_status_t s;
    while ((s = hog_one(duplicate, zx_process_self())) == ZX_OK)
        made++;
    printf("hog: made %u handles by %s, then %s\n", made,
           duplicate ? "duplicating my process handle" : "creating events",
           zx_status_get_string(s));
    zx_nanosleep(zx_deadline_after(EXHAUST_HOLD));
    printf("hog: exiting (the kernel closes my handles)\n");
    return 0;
}
