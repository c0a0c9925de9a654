/* package.h — packages: FAR archives holding bin/app, data files and
 * meta/sandbox, built from (name, bytes) pairs. Flat C. See package.c. */
#ifndef CAPSIM_SANDBOX_PACKAGE_H
#define CAPSIM_SANDBOX_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct PackageFile {
    const char *name;        /* archive path, e.g. "bin/app", "meta/sandbox" */
    const void *data;
    size_t len;
} PackageFile;

/* The archive bytes (malloc'd, free()) for `files`, or NULL with *error
 * (malloc'd) naming the file and the problem. */
uint8_t *package_build(const PackageFile *files, size_t n, size_t *out_len,
                       char **error);
/* Same, written to `path`. */
bool package_build_file(const char *path, const PackageFile *files, size_t n,
                        char **error);
/* A package name is 1..100 of [a-z0-9._-] and not "." or "..". */
bool package_name_valid(const char *name);
/* A package's name: meta/package's "name" if the archive has one, else
 * `fallback` (e.g. the archive's file name without ".far"). malloc'd, or
 * NULL with *error. */
char *package_name_of(const uint8_t *far, size_t len, const char *fallback,
                      char **error);
/* The bin/app marker of a built-in program: "#!capsim-builtin <name>\n". */
#define PACKAGE_BUILTIN_MAGIC "#!capsim-builtin "

#endif
