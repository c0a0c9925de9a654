/* app_counter.c — a global counter, for the "two instances never share
 * state" tests. main(argc, argv): argv[1] = rounds (default 100); each round
 * increments the global and yields, so two instances interleave. Prints the
 * final value and returns it (each instance must see exactly `rounds`).
 * "sleep MS" as argv[2] keeps the process alive that long first (used to
 * have many instances loaded at once). */
#include <capsim/app.h>
#include <stdio.h>
#include <stdlib.h>
#include <zircon/syscalls.h>

static int counter;
static int initialised = 11; /* .data: must be 11 in every new instance */

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 100;
    if (argc > 3)
        zx_nanosleep(zx_deadline_after(ZX_MSEC(atoi(argv[3]))));
    if (initialised != 11)
        return 255;
    initialised++;
    for (int i = 0; i < rounds; i++) {
        counter++;
        capsim_yield();
    }
    printf("counter=%d\n", counter);
    return counter;
}
