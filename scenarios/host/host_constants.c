/* host_constants.c — Zircon's constants and status names for the bindings
 * (capsim_script.h).
 *
 * Models nothing: it lets a script say ZX_RIGHT_WRITE or PA_USER0 and get
 * exactly the value the C headers define. The table is generated at build
 * time by gen_constants.py from the headers themselves (names found there,
 * values computed by the compiler), so it cannot drift from them.
 * Read next: gen_constants.py.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zircon/status.h>

#include "capsim_script.h"

typedef struct HostConstant {
    const char *name;
    int64_t value;
} HostConstant;

extern const HostConstant host_constants_table[];

const char *capsim_status_name(int status)
{
    const char *s = zx_status_get_string(status);
    if (s && strcmp(s, "(UNKNOWN)") != 0)
        return s;
    static char buf[32]; /* unknown codes only; not reentrant */
    snprintf(buf, sizeof buf, "ZX_ERR_(%d)", status);
    return buf;
}

size_t capsim_constant_count(void)
{
    size_t n = 0;
    while (host_constants_table[n].name)
        n++;
    return n;
}

const char *capsim_constant(size_t index, int64_t *value)
{
    if (index >= capsim_constant_count())
        return NULL;
    if (value)
        *value = host_constants_table[index].value;
    return host_constants_table[index].name;
}
