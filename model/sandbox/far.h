/* far.h — Fuchsia package archives (FAR): read, validate, write.
 *
 * A flat C interface (opaque pointers, plain structs, no GLib types, no
 * function-like macros) so that bindings can cdef it as is. See far.c for the
 * format and the rules every archive must follow.
 *
 * Errors: every fallible call takes a FarError * (may be NULL). On failure it
 * returns false/NULL and fills err->code and a one-line err->message that
 * names the problem (and the file, for calls that take a path).
 */
#ifndef CAPSIM_MODEL_SANDBOX_FAR_H
#define CAPSIM_MODEL_SANDBOX_FAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    FAR_MAGIC_LEN = 8,
    FAR_INDEX_HEADER_LEN = 16,   /* magic + u64 length of the index entries */
    FAR_INDEX_ENTRY_LEN = 24,    /* u64 type, u64 offset, u64 length */
    FAR_DIR_ENTRY_LEN = 32,      /* u32 name off, u16 name len, u16 0, u64 off, u64 len, u64 0 */
    FAR_CONTENT_ALIGN = 4096,
    FAR_NAMES_ALIGN = 8,
    FAR_NAME_MAX = 65535,
};

typedef enum FarErrorCode {
    FAR_OK = 0,
    FAR_ERR_IO,              /* a file could not be read or written */
    FAR_ERR_TRUNCATED,       /* fewer bytes than the header or a chunk needs */
    FAR_ERR_MAGIC,           /* not a FAR archive */
    FAR_ERR_INDEX,           /* index length, order, offsets or missing chunks */
    FAR_ERR_CHUNK,           /* DIR / DIRNAMES chunk length or bounds */
    FAR_ERR_NAME,            /* a path breaks the naming rules */
    FAR_ERR_ORDER,           /* directory names unsorted or duplicated */
    FAR_ERR_CONTENT,         /* content chunk misplaced or past the end */
    FAR_ERR_NOT_FOUND,       /* no entry of that name */
    FAR_ERR_MANIFEST,        /* a manifest line is malformed */
    FAR_ERR_TOO_BIG,         /* the archive would exceed a format limit */
} FarErrorCode;

typedef struct FarError {
    FarErrorCode code;
    char message[512];
} FarError;

typedef struct FarArchive FarArchive;
typedef struct FarWriter FarWriter;

/* Reading. far_open_bytes copies data; far_open_file reads the whole file and
 * prefixes messages with its path. Entries are in name order (bytewise). */
FarArchive *far_open_bytes(const uint8_t *data, size_t len, FarError *err);
FarArchive *far_open_file(const char *path, FarError *err);
void far_close(FarArchive *a);

size_t far_count(const FarArchive *a);
/* NUL-terminated; names never contain NUL. Valid until far_close. */
const char *far_name(const FarArchive *a, size_t i);
size_t far_size(const FarArchive *a, size_t i);
const uint8_t *far_data(const FarArchive *a, size_t i);
/* Byte offset of entry i's content chunk in the archive (for `list --long`). */
uint64_t far_offset(const FarArchive *a, size_t i);
/* Binary search by name; *data stays valid until far_close. */
bool far_lookup(const FarArchive *a, const char *name, const uint8_t **data, size_t *len);

/* True if some entry's name is also a directory of another entry ("a" and
 * "a/b"): the format allows it, a file system cannot hold both. Sets the
 * indices of the file and of the first entry below it. */
bool far_file_dir_collision(const FarArchive *a, size_t *file, size_t *under);

/* Checks one archive path against the FAR naming rules. */
bool far_name_valid(const char *name, size_t len, FarError *err);

/* Writing. Entries may be added in any order; output is sorted by name and
 * byte-identical for identical contents (canonical layout, zero padding). */
FarWriter *far_writer_new(void);
void far_writer_free(FarWriter *w);
bool far_writer_add(FarWriter *w, const char *name, const uint8_t *data, size_t len,
                    FarError *err);
bool far_writer_add_file(FarWriter *w, const char *name, const char *source_path,
                         FarError *err);
/* Adds every `destination=source` line of a manifest (see far.c). */
bool far_writer_add_manifest(FarWriter *w, const char *manifest_path, FarError *err);
size_t far_writer_count(const FarWriter *w);
/* Returns a malloc'd buffer (release with free()) holding the archive. */
uint8_t *far_writer_bytes(const FarWriter *w, size_t *len, FarError *err);
bool far_writer_write_file(const FarWriter *w, const char *path, FarError *err);

#ifdef __cplusplus
}
#endif

#endif
