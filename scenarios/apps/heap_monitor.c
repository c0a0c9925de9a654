/* heap_monitor.c — given a handle to another process, searches its heap.
 *
 * Scenario heap_peek. Sends "ATTACH" on its channel (startup handle 0),
 * takes the process handle from the reply, lists the process's mappings
 * (ZX_INFO_PROCESS_MAPS, needs INSPECT) and reads every one named
 * "scudo:primary" (the heap's regions) with zx_process_read_memory (needs
 * READ and WRITE), looking for "SECRET=". Prints what it found or the
 * status that stopped it. Returns 0 when the protocol worked (whatever it
 * found), 2 otherwise.
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "actor.h"

#define MONITOR_MAPS 64
#define MONITOR_CHUNK 4096

/* Search one mapping; ZX_OK and *found when the secret is there. */
static zx_status_t monitor_search(zx_handle_t proc, const zx_info_maps_t *m, char *found,
                                  size_t len)
{
    static char buf[MONITOR_CHUNK + 1];
    for (uint64_t off = 0; off < m->size; off += MONITOR_CHUNK) {
        size_t got = 0;
        zx_status_t st = zx_process_read_memory(proc, m->base + off, buf, MONITOR_CHUNK, &got);
        if (st != ZX_OK)
            return st;
        for (size_t i = 0; i + 7 < got; i++)
            if (!memcmp(buf + i, "SECRET=", 7)) {
                buf[got] = '\0';
                snprintf(found, len, "%s at %#lx", buf + i, (unsigned long)(m->base + off + i));
                return ZX_OK;
            }
    }
    return ZX_ERR_NOT_FOUND;
}

int main(void)
{
    zx_handle_t proc = ZX_HANDLE_INVALID;
    zx_status_t st = actor_ask_for_handle(actor_handle(0), "ATTACH", &proc);
    if (st != ZX_OK) {
        printf("monitor: no process handle: %s\n", actor_status(st));
        return 2;
    }
    static zx_info_maps_t maps[MONITOR_MAPS];
    size_t count = 0, avail = 0;
    st = zx_object_get_info(proc, ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &count, &avail);
    printf("monitor: list the vault's mappings: %s\n", actor_status(st));
    char found[64] = "";
    zx_status_t read = ZX_ERR_NOT_FOUND;
    for (size_t i = 0; st == ZX_OK && i < count && read != ZX_OK; i++) {
        if (maps[i].type != ZX_INFO_MAPS_TYPE_MAPPING || strcmp(maps[i].name, "scudo:primary"))
            continue;
        read = monitor_search(proc, &maps[i], found, sizeof found);
        if (read == ZX_OK)
            printf("monitor: found in the vault's heap: %s\n", found);
        else if (read != ZX_ERR_NOT_FOUND)
            break;
    }
    if (read != ZX_OK)
        printf("monitor: read the vault's heap: %s\n", actor_status(read));
    zx_handle_close(proc);
    return 0;
}
