/* app_instance.h — one private, loaded copy of an app. See app_instance.c. */
#ifndef CAPSIM_APP_INSTANCE_H
#define CAPSIM_APP_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app_image.h"

struct AppThread;

typedef struct AppInstance {
    int refs;                 /* processes running its code */
    AppImage *img;            /* holds a reference */
    void *handle;             /* dlopen handle; NULL for a built-in */
    struct link_map *map;
    AppMainFn main;
    size_t tls_modid;         /* 0: the copy has no TLS */
    size_t tls_size;
    uint8_t *tls_init;        /* the block's contents before any code ran */
    struct AppThread *tls_owner; /* whose values the live block holds */
    bool inited, finished;    /* its constructors ran / its destructors ran */
} AppInstance;

/* Load a private copy (or wrap a built-in). NULL and *error on failure. */
AppInstance *app_instance_load(AppImage *img, char **error);
/* Load one copy and unload it: proves the image loads and exports main. */
bool app_instance_test_load(AppImage *img, char **error);
AppInstance *app_instance_ref(AppInstance *in);
/* Unloads the copy when the last process running it is gone. */
void app_instance_unref(AppInstance *in);
/* On the process's first thread: DT_INIT, DT_INIT_ARRAY (in order). */
void app_instance_run_init(AppInstance *in, int argc, char **argv, char **envp);
/* At exit(): DT_FINI_ARRAY (reverse order), DT_FINI. */
void app_instance_run_fini(AppInstance *in);
/* The copy's TLS block as seen by the calling host thread. */
void *app_instance_tls_block(AppInstance *in);
/* The loaded copy holding code or data address `addr`, or NULL. No
 * reference is taken. */
AppInstance *app_instance_containing(const void *addr);
/* One piece of a loaded copy's memory: a PT_LOAD segment's pages, with
 * the pages ld.so made read-only after relocating (PT_GNU_RELRO) a piece
 * of their own. */
typedef struct AppSegmentSpan {
    uintptr_t start, end;     /* host addresses, page-aligned */
    bool writable;            /* the host may write it (PF_W, not RELRO) */
} AppSegmentSpan;

/* The piece of in's memory holding `addr` (a readable PT_LOAD segment of
 * the copy, rounded out to whole pages as ld.so maps it). False for a
 * built-in or an address in none. O(segments). */
bool app_instance_segment_at(const AppInstance *in, uintptr_t addr, AppSegmentSpan *out);
/* Changes each time a copy is loaded or unloaded: what
 * app_instance_containing answers for an address holds until then. */
unsigned app_instance_generation(void);
/* Names `addr` in its loaded copy as "<image file>+0x<offset>", with the
 * nearest exported symbol if any: the same every run, unlike the address.
 * False if no copy holds it. */
bool app_instance_name_address(uintptr_t addr, char *buf, size_t len);

#endif
