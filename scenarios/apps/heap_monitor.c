/* heap_monitor.c — given a handle to another process, searches its heap
 * and its first thread's stack.
 *
 * Scenario heap_peek. Sends "ATTACH" on its channel (startup handle 0),
 * takes the process handle from the reply, lists the process's mappings
 * (ZX_INFO_PROCESS_MAPS, needs INSPECT) and reads them with
 * zx_process_read_memory (needs READ and WRITE): every one named
 * "scudo:primary" (the heap's regions) looking for "SECRET=", then the one
 * named "initial-thread" (the first thread's stack, from its top down, where
 * locals are) looking for "PIN=". Prints what it found or the status that
 * stopped it. Returns 0 when the protocol worked (whatever it found), 2
 * otherwise.
 */
#include <stdbool.h>
#include <string.h>
#include <zircon/syscalls/object.h>

#include "actor.h"

#define MONITOR_MAPS 64
#define MONITOR_CHUNK 4096

/* Search one mapping, chunk by chunk (from its top down if `down`): ZX_OK
 * and *found when `needle` is there. */
static zx_status_t monitor_search(zx_handle_t proc, const zx_info_maps_t *m, const char *needle,
                                  bool down, char *found, size_t len)
{
    static char buf[MONITOR_CHUNK + 1];
    size_t nlen = strlen(needle), chunks = m->size / MONITOR_CHUNK;
    for (size_t c = 0; c < chunks; c++) {
        uint64_t off = (down ? chunks - 1 - c : c) * MONITOR_CHUNK;
        size_t got = 0;
        zx_status_t st = zx_process_read_memory(proc, m->base + off, buf, MONITOR_CHUNK, &got);
        if (st != ZX_OK)
            return st;
        for (size_t i = 0; i + nlen < got; i++)
            if (!memcmp(buf + i, needle, nlen)) {
                buf[got] = '\0';
                snprintf(found, len, "%s at %#lx", buf + i, (unsigned long)(m->base + off + i));
                return ZX_OK;
            }
    }
    return ZX_ERR_NOT_FOUND;
}

/* Search the mappings named `name` for `needle`; prints the outcome as
 * found in / read `where`. */
static void monitor_look(zx_handle_t proc, const zx_info_maps_t *maps, size_t count,
                         const char *name, const char *needle, bool down, const char *where)
{
    char found[64] = "";
    zx_status_t read = ZX_ERR_NOT_FOUND;
    for (size_t i = 0; i < count && read != ZX_OK; i++) {
        if (maps[i].type != ZX_INFO_MAPS_TYPE_MAPPING || strcmp(maps[i].name, name))
            continue;
        read = monitor_search(proc, &maps[i], needle, down, found, sizeof found);
        if (read == ZX_OK)
            printf("monitor: found in the vault's %s: %s\n", where, found);
        else if (read != ZX_ERR_NOT_FOUND)
            break;
    }
    if (read != ZX_OK)
        printf("monitor: read the vault's %s: %s\n", where, actor_status(read));
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
    if (st == ZX_OK) {
        monitor_look(proc, maps, count, "scudo:primary", "SECRET=", false, "heap");
        monitor_look(proc, maps, count, "initial-thread", "PIN=", true, "stack");
    }
    zx_handle_close(proc);
    return 0;
}
