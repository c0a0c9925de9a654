/* far.c — the Fuchsia archive format (FAR), the container of every package.
 *
 * Layout (all integers little-endian; spec: fuchsia docs
 * development/source_code/archive_format.md):
 *
 *   0   magic c8 bf 0b 48 ad ab c5 11
 *   8   u64 length of the index entries (a multiple of 24)
 *   16  index entries, strictly increasing by 8-byte type (memcmp):
 *         u64 type ("DIR-----" < "DIRNAMES"), u64 offset, u64 length
 *       DIR-----  one 32-byte entry per file, sorted by name (memcmp):
 *         u32 name offset into DIRNAMES, u16 name length, u16 zero,
 *         u64 content offset, u64 content length, u64 zero
 *       DIRNAMES  the names, concatenated, zero-padded to 8 bytes
 *   then one content chunk per file, in directory order, each starting on a
 *   4096-byte boundary and zero-padded to the next one.
 *
 * Invariants enforced on open, the same ones Fuchsia's reader
 * (fuchsia-archive, tests/reject_invalid_fars.rs) enforces: index chunks are
 * packed back to back right after the index, in index order, and lie inside
 * the archive; DIR and DIRNAMES both exist, with lengths multiples of 32 and
 * 8; every name lies inside DIRNAMES and passes far_name_problem(); names are
 * strictly increasing; each content chunk starts exactly where the previous
 * one (or the last index chunk) ends, rounded up to 4096, and its padded end
 * lies inside the archive. Every sum is bounds-checked before it is formed,
 * so a hostile archive yields a message, never a crash. Like Fuchsia, we
 * accept unknown chunk types, non-zero reserved fields and non-zero padding:
 * they break canonical form but not meaning.
 *
 * The writer emits exactly the canonical layout above (what Fuchsia's writer
 * emits), so identical inputs give identical bytes. Not modelled: the
 * optional hash chunk of the old spec, streaming reads of huge archives.
 * Read next: scenarios/cli/cmd_far.c, tests/sandbox/test_far.c.
 */
#include "far.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "host_file.h"

static const uint8_t far_magic[FAR_MAGIC_LEN] = {0xc8, 0xbf, 0x0b, 0x48, 0xad, 0xab, 0xc5, 0x11};
static const uint8_t far_type_dir[8] = {'D', 'I', 'R', '-', '-', '-', '-', '-'};
static const uint8_t far_type_names[8] = {'D', 'I', 'R', 'N', 'A', 'M', 'E', 'S'};

typedef struct FarEntry {
    char *name;          /* NUL-terminated copy */
    size_t name_len;
    uint64_t offset;     /* of the content chunk */
    uint64_t length;
} FarEntry;

struct FarArchive {
    uint8_t *bytes;      /* the whole archive, owned */
    size_t len;
    size_t count;
    FarEntry *entries;   /* sorted by name, as on disk */
};

typedef struct FarWriterEntry {
    char *name;
    size_t name_len;
    uint8_t *data;
    size_t len;
} FarWriterEntry;

struct FarWriter {
    GPtrArray *entries;  /* FarWriterEntry *, insertion order */
    GHashTable *names;   /* name -> entry, for duplicate detection */
    uint64_t names_total;
};

/* ---- errors and little helpers ------------------------------------------ */

static bool G_GNUC_PRINTF(3, 4) far_fail(FarError *err, FarErrorCode code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Prepends "prefix: " to an error already filled in. */
static void far_error_prefix(FarError *err, const char *prefix)
{
    if (!err)
        return;
    char inner[sizeof err->message];
    memcpy(inner, err->message, sizeof inner);
    g_snprintf(err->message, sizeof err->message, "%s: %s", prefix, inner);   /* may truncate */
}

/* Quotes bytes for a message: printable ASCII kept, others as \xNN, long
 * names cut short. Names come from untrusted archives, so never print raw. */
static const char *far_quote(const uint8_t *s, size_t len, char *out, size_t outsz)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (o + 8 >= outsz) {
            memcpy(out + o, "...", 4);
            return out;
        }
        uint8_t c = s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
    }
    out[o] = '\0';
    return out;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void wr32(uint8_t *p, uint32_t v) { wr16(p, (uint16_t)v); wr16(p + 2, (uint16_t)(v >> 16)); }
static void wr64(uint8_t *p, uint64_t v) { wr32(p, (uint32_t)v); wr32(p + 4, (uint32_t)(v >> 32)); }

/* Rounds v up to a multiple of the power of two a; false on overflow. */
static bool far_align(uint64_t v, uint64_t a, uint64_t *out)
{
    if (v > UINT64_MAX - (a - 1))
        return false;
    *out = (v + a - 1) & ~(a - 1);
    return true;
}

/* ---- names --------------------------------------------------------------- */

/* Returns why a path is not a valid archive name, or NULL if it is. */
static const char *far_name_problem(const uint8_t *name, size_t len)
{
    if (len == 0)
        return "is empty";
    if (memchr(name, '\0', len))
        return "contains a NUL byte";
    if (name[0] == '/')
        return "starts with '/'";
    if (name[len - 1] == '/')
        return "ends with '/'";
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '/')
            continue;
        size_t seg = i - start;
        if (seg == 0)
            return "has an empty segment ('//')";
        if (seg == 1 && name[start] == '.')
            return "has a '.' segment";
        if (seg == 2 && name[start] == '.' && name[start + 1] == '.')
            return "has a '..' segment";
        start = i + 1;
    }
    return NULL;
}

bool far_name_valid(const char *name, size_t len, FarError *err)
{
    char q[128];
    const char *problem = far_name_problem((const uint8_t *)name, len);
    if (problem)
        return far_fail(err, FAR_ERR_NAME, "name '%s' %s",
                        far_quote((const uint8_t *)name, len, q, sizeof q), problem);
    if (len > FAR_NAME_MAX)
        return far_fail(err, FAR_ERR_NAME, "name '%s' is %zu bytes, longer than %d",
                        far_quote((const uint8_t *)name, len, q, sizeof q), len, FAR_NAME_MAX);
    return true;
}

/* Bytewise (memcmp) order, shorter prefix first: the order the spec sorts by. */
static int far_name_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* ---- reading ------------------------------------------------------------- */

typedef struct FarChunk {
    bool present;
    uint64_t offset, length;
} FarChunk;

/* Validates the index and finds DIR and DIRNAMES; *end is where the last
 * index chunk ends (content starts at the next 4096 boundary). */
static bool far_parse_index(const uint8_t *p, size_t n, FarChunk *dir, FarChunk *names,
                            uint64_t *end, FarError *err)
{
    char q1[64], q2[64];
    if (n < FAR_INDEX_HEADER_LEN)
        return far_fail(err, FAR_ERR_TRUNCATED,
                        "archive is %zu bytes, too short for the 16-byte index header", n);
    if (memcmp(p, far_magic, FAR_MAGIC_LEN))
        return far_fail(err, FAR_ERR_MAGIC, "bad magic '%s', not a FAR archive",
                        far_quote(p, FAR_MAGIC_LEN, q1, sizeof q1));
    uint64_t index_len = rd64(p + 8);
    if (index_len % FAR_INDEX_ENTRY_LEN)
        return far_fail(err, FAR_ERR_INDEX, "index length %" PRIu64 " is not a multiple of %d",
                        index_len, FAR_INDEX_ENTRY_LEN);
    if (index_len > n - FAR_INDEX_HEADER_LEN)
        return far_fail(err, FAR_ERR_TRUNCATED,
                        "index of %" PRIu64 " bytes runs past the end of the archive (%zu bytes)",
                        index_len, n);
    uint64_t expected = FAR_INDEX_HEADER_LEN + index_len;
    const uint8_t *prev = NULL;
    for (uint64_t i = 0; i < index_len / FAR_INDEX_ENTRY_LEN; i++) {
        const uint8_t *e = p + FAR_INDEX_HEADER_LEN + i * FAR_INDEX_ENTRY_LEN;
        uint64_t off = rd64(e + 8), len = rd64(e + 16);
        far_quote(e, 8, q1, sizeof q1);
        if (prev && memcmp(prev, e, 8) >= 0)
            return far_fail(err, FAR_ERR_INDEX,
                            memcmp(prev, e, 8) ? "index entry %" PRIu64 " type '%s' sorts before '%s'"
                                               : "index entry %" PRIu64 " type '%s' repeats '%s'",
                            i, q1, far_quote(prev, 8, q2, sizeof q2));
        if (off != expected)
            return far_fail(err, FAR_ERR_INDEX,
                            "chunk '%s' starts at %" PRIu64 ", expected %" PRIu64
                            " (chunks are packed in index order)", q1, off, expected);
        if (len > n - off)
            return far_fail(err, FAR_ERR_TRUNCATED,
                            "chunk '%s' of %" PRIu64 " bytes at %" PRIu64
                            " runs past the end of the archive (%zu bytes)", q1, len, off, n);
        FarChunk *c = !memcmp(e, far_type_dir, 8) ? dir : !memcmp(e, far_type_names, 8) ? names : NULL;
        if (c)
            *c = (FarChunk){true, off, len};
        expected = off + len;
        prev = e;
    }
    *end = expected;
    if (!dir->present)
        return far_fail(err, FAR_ERR_INDEX, "index has no 'DIR-----' chunk");
    if (!names->present)
        return far_fail(err, FAR_ERR_INDEX, "index has no 'DIRNAMES' chunk");
    if (dir->length % FAR_DIR_ENTRY_LEN)
        return far_fail(err, FAR_ERR_CHUNK, "'DIR-----' chunk length %" PRIu64
                        " is not a multiple of %d", dir->length, FAR_DIR_ENTRY_LEN);
    if (names->length % FAR_NAMES_ALIGN)
        return far_fail(err, FAR_ERR_CHUNK, "'DIRNAMES' chunk length %" PRIu64
                        " is not a multiple of %d", names->length, FAR_NAMES_ALIGN);
    return true;
}

/* Validates directory entry i against its predecessor and fills a->entries[i].
 * *content_end is where the previous content chunk (or the index chunks) end. */
static bool far_parse_entry(FarArchive *a, size_t i, const FarChunk *dir, const FarChunk *names,
                            uint64_t *content_end, FarError *err)
{
    char q[128], q2[128];
    const uint8_t *e = a->bytes + dir->offset + (uint64_t)i * FAR_DIR_ENTRY_LEN;
    uint32_t name_off = rd32(e);
    uint16_t name_len = rd16(e + 4);
    uint64_t off = rd64(e + 8), len = rd64(e + 16);
    if (name_off >= names->length)
        return far_fail(err, FAR_ERR_CHUNK, "entry %zu name offset %" PRIu32
                        " is past the end of the names chunk (%" PRIu64 " bytes)",
                        i, name_off, names->length);
    if (name_len > names->length - name_off)
        return far_fail(err, FAR_ERR_CHUNK, "entry %zu name (%u bytes at %" PRIu32
                        ") runs past the end of the names chunk (%" PRIu64 " bytes)",
                        i, (unsigned)name_len, name_off, names->length);
    const uint8_t *name = a->bytes + names->offset + name_off;
    far_quote(name, name_len, q, sizeof q);
    const char *problem = far_name_problem(name, name_len);
    if (problem)
        return far_fail(err, FAR_ERR_NAME, "entry %zu name '%s' %s", i, q, problem);
    if (i > 0) {
        const FarEntry *p = &a->entries[i - 1];
        int c = far_name_cmp((const uint8_t *)p->name, p->name_len, name, name_len);
        if (c >= 0)
            return far_fail(err, FAR_ERR_ORDER, c ? "entry %zu name '%s' sorts before entry %zu '%s'"
                                                  : "entry %zu name '%s' repeats entry %zu '%s'",
                            i, q, i - 1, far_quote((const uint8_t *)p->name, p->name_len, q2, sizeof q2));
    }
    uint64_t expected = 0, padded_end = 0;
    if (!far_align(*content_end, FAR_CONTENT_ALIGN, &expected) || off != expected)
        return far_fail(err, FAR_ERR_CONTENT, "entry %zu '%s' content starts at %" PRIu64
                        ", expected %" PRIu64, i, q, off, expected);
    if (off > a->len || len > a->len - off ||
        !far_align(off + len, FAR_CONTENT_ALIGN, &padded_end) || padded_end > a->len)
        return far_fail(err, FAR_ERR_CONTENT, "entry %zu '%s' content (%" PRIu64 " bytes at %" PRIu64
                        ", padded to 4096) runs past the end of the archive (%zu bytes)",
                        i, q, len, off, a->len);
    a->entries[i] = (FarEntry){g_strndup((const char *)name, name_len), name_len, off, len};
    *content_end = off + len;
    return true;
}

static bool far_parse(FarArchive *a, FarError *err)
{
    FarChunk dir = {0}, names = {0};
    uint64_t end = 0;
    if (!far_parse_index(a->bytes, a->len, &dir, &names, &end, err))
        return false;
    size_t count = (size_t)(dir.length / FAR_DIR_ENTRY_LEN);   /* <= len / 32 */
    a->entries = g_new0(FarEntry, count ? count : 1);
    for (size_t i = 0; i < count; i++) {
        if (!far_parse_entry(a, i, &dir, &names, &end, err))
            return false;
        a->count = i + 1;
    }
    return true;
}

static FarArchive *far_open_owned(uint8_t *bytes, size_t len, FarError *err)
{
    FarArchive *a = g_new0(FarArchive, 1);
    a->bytes = bytes;
    a->len = len;
    if (!far_parse(a, err)) {
        far_close(a);
        return NULL;
    }
    if (err) {
        err->code = FAR_OK;
        err->message[0] = '\0';
    }
    return a;
}

FarArchive *far_open_bytes(const uint8_t *data, size_t len, FarError *err)
{
    if (!data && len)
        return far_fail(err, FAR_ERR_IO, "no data"), NULL;
    return far_open_owned(len ? g_memdup2(data, len) : NULL, len, err);
}

FarArchive *far_open_file(const char *path, FarError *err)
{
    gchar *contents = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    if (!host_file_read(path, &contents, &len, &gerr)) {
        far_fail(err, FAR_ERR_IO, "%s: cannot read: %s", path, gerr->message);
        g_error_free(gerr);
        return NULL;
    }
    FarArchive *a = far_open_owned((uint8_t *)contents, len, err);
    if (!a)
        far_error_prefix(err, path);
    return a;
}

void far_close(FarArchive *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->count; i++)
        g_free(a->entries[i].name);
    g_free(a->entries);
    g_free(a->bytes);
    g_free(a);
}

size_t far_count(const FarArchive *a) { return a->count; }

const char *far_name(const FarArchive *a, size_t i)
{
    g_return_val_if_fail(i < a->count, NULL);
    return a->entries[i].name;
}

size_t far_size(const FarArchive *a, size_t i)
{
    g_return_val_if_fail(i < a->count, 0);
    return (size_t)a->entries[i].length;
}

uint64_t far_offset(const FarArchive *a, size_t i)
{
    g_return_val_if_fail(i < a->count, 0);
    return a->entries[i].offset;
}

const uint8_t *far_data(const FarArchive *a, size_t i)
{
    g_return_val_if_fail(i < a->count, NULL);
    return a->bytes + a->entries[i].offset;
}

/* The first entry whose name sorts at or after (name, len). */
static size_t far_lower_bound(const FarArchive *a, const uint8_t *name, size_t len)
{
    size_t lo = 0, hi = a->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const FarEntry *e = &a->entries[mid];
        if (far_name_cmp((const uint8_t *)e->name, e->name_len, name, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool far_lookup(const FarArchive *a, const char *name, const uint8_t **data, size_t *len)
{
    size_t nlen = strlen(name);
    size_t i = far_lower_bound(a, (const uint8_t *)name, nlen);
    const FarEntry *e = i < a->count ? &a->entries[i] : NULL;
    if (!e || far_name_cmp((const uint8_t *)e->name, e->name_len, (const uint8_t *)name, nlen))
        return false;
    if (data)
        *data = far_data(a, i);
    if (len)
        *len = (size_t)e->length;
    return true;
}

/* Entries "d/..." sort in one block after "d/", so one search per entry
 * finds whether a file's name is also some other entry's directory. */
bool far_file_dir_collision(const FarArchive *a, size_t *file, size_t *under)
{
    for (size_t i = 0; i < a->count; i++) {
        const FarEntry *e = &a->entries[i];
        char *dir = g_strconcat(e->name, "/", NULL);
        size_t j = far_lower_bound(a, (const uint8_t *)dir, e->name_len + 1);
        bool hit = j < a->count && a->entries[j].name_len > e->name_len &&
                   !memcmp(a->entries[j].name, dir, e->name_len + 1);
        g_free(dir);
        if (hit) {
            *file = i;
            *under = j;
            return true;
        }
    }
    return false;
}

/* ---- writing ------------------------------------------------------------- */

static void far_writer_entry_free(gpointer p)
{
    FarWriterEntry *e = p;
    g_free(e->name);
    g_free(e->data);
    g_free(e);
}

FarWriter *far_writer_new(void)
{
    FarWriter *w = g_new0(FarWriter, 1);
    w->entries = g_ptr_array_new_with_free_func(far_writer_entry_free);
    w->names = g_hash_table_new(g_str_hash, g_str_equal);
    return w;
}

void far_writer_free(FarWriter *w)
{
    if (!w)
        return;
    g_hash_table_destroy(w->names);
    g_ptr_array_free(w->entries, TRUE);
    g_free(w);
}

size_t far_writer_count(const FarWriter *w) { return w->entries->len; }

/* Takes ownership of data (g_malloc'd) only on success. */
static bool far_writer_add_owned(FarWriter *w, const char *name, uint8_t *data, size_t len,
                                 FarError *err)
{
    char q[128];
    size_t name_len = strlen(name);
    if (!far_name_valid(name, name_len, err))
        return false;
    if (g_hash_table_contains(w->names, name))
        return far_fail(err, FAR_ERR_NAME, "name '%s' is already in the archive",
                        far_quote((const uint8_t *)name, name_len, q, sizeof q));
    if (w->names_total + name_len > UINT32_MAX)
        return far_fail(err, FAR_ERR_TOO_BIG, "names exceed the 4 GiB the format can address");
    FarWriterEntry *e = g_new0(FarWriterEntry, 1);
    *e = (FarWriterEntry){g_strdup(name), name_len, data, len};
    g_ptr_array_add(w->entries, e);
    g_hash_table_insert(w->names, e->name, e);
    w->names_total += name_len;
    return true;
}

bool far_writer_add(FarWriter *w, const char *name, const uint8_t *data, size_t len, FarError *err)
{
    if (!data && len)
        return far_fail(err, FAR_ERR_IO, "no data for %zu bytes", len);
    uint8_t *copy = len ? g_memdup2(data, len) : NULL;
    if (far_writer_add_owned(w, name, copy, len, err))
        return true;
    g_free(copy);
    return false;
}

bool far_writer_add_file(FarWriter *w, const char *name, const char *source_path, FarError *err)
{
    gchar *contents = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    if (!host_file_read(source_path, &contents, &len, &gerr)) {
        far_fail(err, FAR_ERR_IO, "%s: cannot read: %s", source_path, gerr->message);
        g_error_free(gerr);
        return false;
    }
    if (far_writer_add_owned(w, name, (uint8_t *)contents, len, err))
        return true;
    g_free(contents);
    return false;
}

static gint far_writer_entry_cmp(gconstpointer pa, gconstpointer pb)
{
    const FarWriterEntry *a = *(FarWriterEntry *const *)pa, *b = *(FarWriterEntry *const *)pb;
    return far_name_cmp((const uint8_t *)a->name, a->name_len, (const uint8_t *)b->name, b->name_len);
}

uint8_t *far_writer_bytes(const FarWriter *w, size_t *out_len, FarError *err)
{
    size_t n = w->entries->len;
    GPtrArray *sorted = g_ptr_array_sized_new((guint)n);
    for (size_t i = 0; i < n; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(w->entries, i));
    g_ptr_array_sort(sorted, far_writer_entry_cmp);

    /* Layout: index header, two index entries, DIR, DIRNAMES, content. */
    uint64_t index_len = 2 * FAR_INDEX_ENTRY_LEN;
    uint64_t dir_off = FAR_INDEX_HEADER_LEN + index_len;
    uint64_t dir_len = (uint64_t)n * FAR_DIR_ENTRY_LEN;
    uint64_t names_off = dir_off + dir_len, names_len = 0, total = 0;
    far_align(w->names_total, FAR_NAMES_ALIGN, &names_len);
    uint64_t *offsets = g_new(uint64_t, n ? n : 1);
    bool ok = far_align(names_off + names_len, FAR_CONTENT_ALIGN, &total);
    for (size_t i = 0; ok && i < n; i++) {
        const FarWriterEntry *e = g_ptr_array_index(sorted, i);
        offsets[i] = total;
        ok = e->len <= UINT64_MAX - total && far_align(total + e->len, FAR_CONTENT_ALIGN, &total);
    }
    uint8_t *buf = ok && total <= SIZE_MAX ? calloc(1, (size_t)total ? (size_t)total : 1) : NULL;
    if (!buf) {
        g_free(offsets);
        g_ptr_array_free(sorted, TRUE);
        far_fail(err, FAR_ERR_TOO_BIG, "archive of %zu entries is too large to build", n);
        return NULL;
    }

    memcpy(buf, far_magic, FAR_MAGIC_LEN);
    wr64(buf + 8, index_len);
    memcpy(buf + 16, far_type_dir, 8);
    wr64(buf + 24, dir_off);
    wr64(buf + 32, dir_len);
    memcpy(buf + 40, far_type_names, 8);
    wr64(buf + 48, names_off);
    wr64(buf + 56, names_len);
    uint32_t name_off = 0;
    for (size_t i = 0; i < n; i++) {
        const FarWriterEntry *e = g_ptr_array_index(sorted, i);
        uint8_t *d = buf + dir_off + i * FAR_DIR_ENTRY_LEN;
        wr32(d, name_off);
        wr16(d + 4, (uint16_t)e->name_len);
        wr64(d + 8, offsets[i]);
        wr64(d + 16, e->len);
        memcpy(buf + names_off + name_off, e->name, e->name_len);
        name_off += (uint32_t)e->name_len;
        if (e->len)
            memcpy(buf + offsets[i], e->data, e->len);
    }
    g_free(offsets);
    g_ptr_array_free(sorted, TRUE);
    *out_len = (size_t)total;
    return buf;
}

bool far_writer_write_file(const FarWriter *w, const char *path, FarError *err)
{
    size_t len;
    uint8_t *buf = far_writer_bytes(w, &len, err);
    if (!buf) {
        far_error_prefix(err, path);
        return false;
    }
    GError *gerr = NULL;
    bool ok = g_file_set_contents(path, (const gchar *)buf, (gssize)len, &gerr);
    free(buf);
    if (!ok) {
        far_fail(err, FAR_ERR_IO, "%s: cannot write: %s", path, gerr->message);
        g_error_free(gerr);
    }
    return ok;
}

/* ---- manifests ----------------------------------------------------------- */

/* A manifest lists one `destination=source` per line; destination is the
 * archive name, source a host path relative to the manifest's directory
 * unless absolute. Blank lines and lines whose first non-blank character is
 * '#' are skipped; a trailing '\r' is dropped; nothing else is trimmed (the
 * first '=' splits). Errors read "MANIFEST:LINE: problem". */
static bool far_manifest_line(FarWriter *w, const char *manifest, const char *dir, char *line,
                              GHashTable *seen, unsigned lineno, FarError *err)
{
    char q[128];
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || *p == '#')
        return true;
    char *eq = strchr(line, '=');
    if (!eq)
        return far_fail(err, FAR_ERR_MANIFEST, "%s:%u: expected 'destination=source', found '%s'",
                        manifest, lineno, far_quote((const uint8_t *)line, n, q, sizeof q));
    *eq = '\0';
    const char *dst = line, *src = eq + 1;
    if (*src == '\0')
        return far_fail(err, FAR_ERR_MANIFEST, "%s:%u: no source for '%s'", manifest, lineno,
                        far_quote((const uint8_t *)dst, strlen(dst), q, sizeof q));
    gpointer first = g_hash_table_lookup(seen, dst);
    if (first)
        return far_fail(err, FAR_ERR_MANIFEST, "%s:%u: destination '%s' repeats line %u", manifest,
                        lineno, far_quote((const uint8_t *)dst, strlen(dst), q, sizeof q),
                        GPOINTER_TO_UINT(first));
    char *path = g_path_is_absolute(src) ? g_strdup(src) : g_build_filename(dir, src, NULL);
    bool ok = far_writer_add_file(w, dst, path, err);
    g_free(path);
    if (!ok) {
        char where[512];
        g_snprintf(where, sizeof where, "%s:%u", manifest, lineno);
        far_error_prefix(err, where);
        return false;
    }
    g_hash_table_insert(seen, g_strdup(dst), GUINT_TO_POINTER(lineno));
    return true;
}

bool far_writer_add_manifest(FarWriter *w, const char *manifest_path, FarError *err)
{
    gchar *text = NULL;
    GError *gerr = NULL;
    if (!host_file_read(manifest_path, &text, NULL, &gerr)) {
        far_fail(err, FAR_ERR_IO, "%s: cannot read: %s", manifest_path, gerr->message);
        g_error_free(gerr);
        return false;
    }
    char *dir = g_path_get_dirname(manifest_path);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char **lines = g_strsplit(text, "\n", -1);
    bool ok = true;
    for (unsigned i = 0; ok && lines[i]; i++)
        ok = far_manifest_line(w, manifest_path, dir, lines[i], seen, i + 1, err);
    g_strfreev(lines);
    g_hash_table_destroy(seen);
    g_free(dir);
    g_free(text);
    return ok;
}
