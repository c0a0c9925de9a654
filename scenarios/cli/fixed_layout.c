/* fixed_layout.c — the capsim process without the host's address
 * randomization.
 *
 * Why: simulated memory (process address spaces, app heaps, fiber stacks)
 * lies at fixed addresses, but the private copies of app images are loaded
 * by the host's dynamic loader wherever the kernel's randomized mmap base
 * puts them. An app printing the address of a global or a function (a
 * classic of security teaching) then printed another address every run,
 * and its output is part of the trace hash. So `capsim` starts itself
 * again once with ADDR_NO_RANDOMIZE (what `setarch -R` does): the same
 * binary, libraries and inputs then load everything at the same addresses.
 *
 * Not done when the personality already has it (gdb sets it), when
 * CAPSIM_HOST_ASLR is set (keep the host's randomization), under valgrind
 * (its tools would not follow the new program), or when the host refuses
 * (a container's seccomp filter may): the run goes on as before. The
 * Python module cannot do this for its interpreter: `setarch -R python3`
 * does. Read next: main.c.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <unistd.h>

#include "commands.h"

void cli_fix_address_layout(char **argv)
{
    int now = personality(0xffffffff);
    if (now == -1 || (now & ADDR_NO_RANDOMIZE) || getenv("CAPSIM_HOST_ASLR"))
        return;
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        return;
    if (personality((unsigned long)now | ADDR_NO_RANDOMIZE) == -1)
        return;
    execv("/proc/self/exe", argv);
    personality((unsigned long)now); /* could not start again: go on */
}
