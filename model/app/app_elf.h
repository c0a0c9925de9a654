/* app_elf.h — what the loader needs to know about an app's ELF image.
 * See app_elf.c. */
#ifndef CAPSIM_APP_ELF_H
#define CAPSIM_APP_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Dynamic tags the loader hides from ld.so (it runs them on the app's own
 * fiber instead): DT_INIT, DT_FINI, DT_INIT_ARRAY(SZ), DT_FINI_ARRAY(SZ). */
#define APP_ELF_MAX_HIDDEN 8
/* What their d_tag becomes in a private copy: a value in the OS-specific
 * range that glibc's ld.so ignores. */
#define APP_ELF_HIDDEN_TAG 0x6fff0000
#define APP_ELF_MAX_RANGES 16

typedef struct AppElfInfo {
    /* Virtual addresses (relative to the load base) and byte sizes. */
    uint64_t init, fini;                  /* DT_INIT / DT_FINI, 0 if none */
    uint64_t init_array, init_arraysz;
    uint64_t fini_array, fini_arraysz;
    /* File offsets of the d_tag words to rewrite in each private copy. */
    size_t hidden_off[APP_ELF_MAX_HIDDEN];
    size_t nhidden;
    /* PT_TLS: the size of the module's TLS block (0: no TLS). */
    uint64_t tls_memsz;
    /* The file bytes ld.so reads: headers and each PT_LOAD's file part.
     * The rest (section headers, symbols, debug info) need not be in a
     * private copy. nranges == 0: copy everything. */
    struct { uint64_t off, len; } ranges[APP_ELF_MAX_RANGES];
    size_t nranges;
    /* The PT_LOAD segments (virtual address relative to the load base,
     * size in memory, PF_* flags) and PT_GNU_RELRO's range (0 size: none):
     * what a loaded copy's memory is (app_instance_segment_at). */
    struct { uint64_t vaddr, memsz; uint32_t flags; } loads[APP_ELF_MAX_RANGES];
    size_t nloads;
    uint64_t relro_vaddr, relro_memsz;
} AppElfInfo;

/* Check that `b` is a loadable app for this host and collect the above.
 * On failure returns false and sets *error (malloc'd) to
 * "<name>: <problem>". */
bool app_elf_inspect(const char *name, const uint8_t *b, size_t len,
                     AppElfInfo *out, char **error);
#endif
