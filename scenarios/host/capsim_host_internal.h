/* capsim_host_internal.h — the CapsimSystem structure, shared by the files
 * of scenarios/host (never by the flat header's readers). */
#ifndef CAPSIM_HOST_INTERNAL_H
#define CAPSIM_HOST_INTERNAL_H

#include <glib.h>

#include "capsim_host.h"
#include "kernel.h"
#include "sim.h"

struct CapsimSystem {
    CapsimConfig cfg;          /* trace_path not kept: see trace_file */
    char *trace_file;          /* the JSON-lines trace's path while open */
    SimEngine *e;
    Kernel *k;
    GHashTable *images;        /* path or built-in name -> AppImage* */
    uint64_t first_app;        /* koid of the first spawned app */
    int last_result;           /* CapsimRunResult of the last run */
    char error[1024];
    uint32_t *replay;          /* copy of cfg.replay (the engine reads it) */
    struct HostScript *script; /* scripting state (host_script.c), lazy */
};

/* Release the scripting state (host_script.c); after app_shutdown. */
void host_script_free(CapsimSystem *sys);

#endif
