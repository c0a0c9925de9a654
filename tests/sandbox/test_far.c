/* test_far.c — white-box tests of model/sandbox/far.c.
 *
 * The reference archives here are laid out by spec_build(), a second,
 * deliberately naive implementation of the spec (no sorting, no validation)
 * so that the writer is checked against the spec rather than against itself,
 * and so that malformed archives can be made by changing one field. Each
 * validation rule has a test that breaks exactly that rule and checks the
 * error code and the message. The fuzz tests flip every byte and cut every
 * prefix of a valid archive: open must succeed or fail cleanly, never crash
 * (run under -Db_sanitize=address,undefined to make "cleanly" strict).
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "far.h"

/* ---- an independent spec-following builder ----------------------------- */

typedef struct SpecFile {
    const char *name;
    size_t name_len;         /* 0: use strlen(name) */
    const char *data;
    size_t len;              /* (size_t)-1: use strlen(data) */
} SpecFile;

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static size_t round_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

/* Lays files out in the order given: index (DIR, DIRNAMES), directory,
 * names padded to 8, then each content chunk at the next 4096 boundary. */
static uint8_t *spec_build(const SpecFile *f, size_t n, size_t *out_len)
{
    size_t names_total = 0;
    for (size_t i = 0; i < n; i++)
        names_total += f[i].name_len ? f[i].name_len : strlen(f[i].name);
    size_t dir_off = 64, dir_len = 32 * n;
    size_t names_off = dir_off + dir_len, names_len = round_up(names_total, 8);
    size_t total = round_up(names_off + names_len, 4096);
    size_t *offs = calloc(n + 1, sizeof *offs);
    for (size_t i = 0; i < n; i++) {
        size_t len = f[i].len == (size_t)-1 ? strlen(f[i].data) : f[i].len;
        offs[i] = total;
        total = round_up(total + len, 4096);
    }
    uint8_t *b = calloc(1, total);
    memcpy(b, "\xc8\xbf\x0b\x48\xad\xab\xc5\x11", 8);
    put64(b + 8, 48);
    memcpy(b + 16, "DIR-----", 8);
    put64(b + 24, dir_off);
    put64(b + 32, dir_len);
    memcpy(b + 40, "DIRNAMES", 8);
    put64(b + 48, names_off);
    put64(b + 56, names_len);
    size_t name_off = 0;
    for (size_t i = 0; i < n; i++) {
        size_t nl = f[i].name_len ? f[i].name_len : strlen(f[i].name);
        size_t len = f[i].len == (size_t)-1 ? strlen(f[i].data) : f[i].len;
        uint8_t *d = b + dir_off + 32 * i;
        put32(d, (uint32_t)name_off);
        d[4] = (uint8_t)nl;
        d[5] = (uint8_t)(nl >> 8);
        put64(d + 8, offs[i]);
        put64(d + 16, len);
        memcpy(b + names_off + name_off, f[i].name, nl);
        memcpy(b + offs[i], f[i].data, len);
        name_off += nl;
    }
    free(offs);
    *out_len = total;
    return b;
}

static const SpecFile abc[] = {
    {"a", 0, "a\n", (size_t)-1},
    {"b", 0, "b\n", (size_t)-1},
    {"dir/c", 0, "dir/c\n", (size_t)-1},
};

static uint8_t *abc_archive(size_t *len) { return spec_build(abc, 3, len); }

static void expect_refused(const uint8_t *b, size_t len, FarErrorCode code, const char *msg)
{
    FarError err = {0};
    FarArchive *a = far_open_bytes(b, len, &err);
    cr_assert_null(a, "archive accepted; expected \"%s\"", msg);
    cr_expect_eq(err.code, code, "code %d, expected %d (%s)", err.code, code, err.message);
    cr_expect(strstr(err.message, msg), "message \"%s\" lacks \"%s\"", err.message, msg);
}

/* ---- the writer against the spec ---------------------------------------- */

Test(far_layout, writer_matches_hand_built_reference)
{
    /* Expected bytes from a table, independent of both builders. */
    static const struct { size_t at; uint64_t v; } fields[] = {
        {8, 48},                                  /* index entries: 2 x 24 */
        {24, 64}, {32, 96},                       /* DIR-----: 3 x 32 bytes */
        {48, 160}, {56, 8},                       /* DIRNAMES: "abdir/c" + 1 pad */
        {64 + 8, 4096}, {64 + 16, 2},             /* a */
        {96 + 8, 8192}, {96 + 16, 2},             /* b */
        {128 + 8, 12288}, {128 + 16, 6},          /* dir/c */
    };
    uint8_t want[16384] = {0};
    memcpy(want, "\xc8\xbf\x0b\x48\xad\xab\xc5\x11", 8);
    memcpy(want + 16, "DIR-----", 8);
    memcpy(want + 40, "DIRNAMES", 8);
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
        put64(want + fields[i].at, fields[i].v);
    /* name offset (u32) and length (u16) of each entry */
    want[64 + 4] = 1;
    want[96 + 0] = 1, want[96 + 4] = 1;
    want[128 + 0] = 2, want[128 + 4] = 5;
    memcpy(want + 160, "abdir/c", 7);
    memcpy(want + 4096, "a\n", 2);
    memcpy(want + 8192, "b\n", 2);
    memcpy(want + 12288, "dir/c\n", 6);

    FarWriter *w = far_writer_new();
    /* out of order on purpose: the writer sorts */
    cr_assert(far_writer_add(w, "dir/c", (const uint8_t *)"dir/c\n", 6, NULL));
    cr_assert(far_writer_add(w, "b", (const uint8_t *)"b\n", 2, NULL));
    cr_assert(far_writer_add(w, "a", (const uint8_t *)"a\n", 2, NULL));
    size_t len;
    uint8_t *got = far_writer_bytes(w, &len, NULL);
    cr_assert_eq(len, sizeof want);
    for (size_t i = 0; i < len; i++)
        cr_assert_eq(got[i], want[i], "byte %zu: got 0x%02x want 0x%02x", i, got[i], want[i]);

    size_t slen;
    uint8_t *spec = abc_archive(&slen);
    cr_assert_eq(slen, len);
    cr_assert(!memcmp(spec, got, len), "spec_build disagrees with the table");
    free(spec);
    free(got);
    far_writer_free(w);
}

Test(far_layout, reference_archive_reads_back)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    FarError err;
    FarArchive *a = far_open_bytes(b, len, &err);
    cr_assert_not_null(a, "%s", err.message);
    cr_assert_eq(far_count(a), 3);
    const char *names[] = {"a", "b", "dir/c"};
    const uint64_t offs[] = {4096, 8192, 12288};
    for (size_t i = 0; i < 3; i++) {
        cr_expect_str_eq(far_name(a, i), names[i]);
        cr_expect_eq(far_offset(a, i), offs[i]);
        const uint8_t *d;
        size_t n;
        cr_assert(far_lookup(a, names[i], &d, &n));
        cr_expect_eq(n, strlen(names[i]) + 1);
        cr_expect(!memcmp(d, abc[i].data, n));
    }
    cr_expect_not(far_lookup(a, "dir", NULL, NULL));
    cr_expect_not(far_lookup(a, "c", NULL, NULL));
    cr_expect_not(far_lookup(a, "dir/c/d", NULL, NULL));
    far_close(a);
    free(b);
}

static uint8_t *make_bytes(size_t n, unsigned seed)
{
    uint8_t *p = g_malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
    return p;
}

static const struct { const char *name; size_t len; } round_trip_files[] = {
    {"meta/sandbox", 57}, {"bin/app", 10000}, {"data/empty", 0}, {"data/page", 4096},
    {"data/page+1", 4097}, {"data/z-empty-last", 0},
};

static FarWriter *round_trip_writer(void)
{
    FarWriter *w = far_writer_new();
    for (size_t i = 0; i < G_N_ELEMENTS(round_trip_files); i++) {
        uint8_t *d = make_bytes(round_trip_files[i].len, (unsigned)i);
        FarError err;
        cr_assert(far_writer_add(w, round_trip_files[i].name, d, round_trip_files[i].len, &err),
                  "%s", err.message);
        g_free(d);
    }
    return w;
}

Test(far_layout, round_trip_and_canonical_form)
{
    FarWriter *w = round_trip_writer();
    size_t len;
    uint8_t *b = far_writer_bytes(w, &len, NULL);
    cr_assert_not_null(b);

    /* canonical: magic, two index entries, packed chunks, 4096-aligned content */
    cr_expect(!memcmp(b, "\xc8\xbf\x0b\x48\xad\xab\xc5\x11", 8));
    cr_expect_eq(get64(b + 8), 48);
    cr_expect(!memcmp(b + 16, "DIR-----", 8));
    cr_expect_eq(get64(b + 24), 64);
    size_t n = G_N_ELEMENTS(round_trip_files);
    cr_expect_eq(get64(b + 32), 32 * n);
    cr_expect(!memcmp(b + 40, "DIRNAMES", 8));
    cr_expect_eq(get64(b + 48), 64 + 32 * n);
    cr_expect_eq(get64(b + 56) % 8, 0);
    cr_expect_eq(len % 4096, 0);

    FarError err;
    FarArchive *a = far_open_bytes(b, len, &err);
    cr_assert_not_null(a, "%s", err.message);
    cr_assert_eq(far_count(a), n);
    /* zero padding everywhere outside chunks */
    size_t names_end = (size_t)(get64(b + 48) + get64(b + 56));
    size_t covered = names_end;
    for (size_t i = 0; i < n; i++) {
        size_t off = (size_t)far_offset(a, i);
        cr_expect_eq(off % 4096, 0, "%s at %zu", far_name(a, i), off);
        for (size_t k = covered; k < off; k++)
            cr_assert_eq(b[k], 0, "padding byte %zu", k);
        covered = off + far_size(a, i);
    }
    for (size_t k = covered; k < len; k++)
        cr_assert_eq(b[k], 0, "padding byte %zu", k);

    /* sorted names, same bytes back */
    for (size_t i = 0; i + 1 < n; i++)
        cr_expect_lt(strcmp(far_name(a, i), far_name(a, i + 1)), 0);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *d;
        size_t dlen;
        cr_assert(far_lookup(a, round_trip_files[i].name, &d, &dlen));
        cr_assert_eq(dlen, round_trip_files[i].len);
        uint8_t *want = make_bytes(dlen, (unsigned)i);
        cr_expect(!memcmp(d, want, dlen), "%s differs", round_trip_files[i].name);
        g_free(want);
    }
    far_close(a);

    /* deterministic: same content added in another order gives the same bytes */
    FarWriter *w2 = far_writer_new();
    for (size_t i = n; i-- > 0;) {
        uint8_t *d = make_bytes(round_trip_files[i].len, (unsigned)i);
        cr_assert(far_writer_add(w2, round_trip_files[i].name, d, round_trip_files[i].len, NULL));
        g_free(d);
    }
    size_t len2;
    uint8_t *b2 = far_writer_bytes(w2, &len2, NULL);
    cr_expect(len2 == len && !memcmp(b, b2, len), "writer output depends on insertion order");
    free(b2);
    far_writer_free(w2);
    free(b);
    far_writer_free(w);
}

Test(far_layout, empty_archive)
{
    FarWriter *w = far_writer_new();
    size_t len;
    uint8_t *b = far_writer_bytes(w, &len, NULL);
    cr_assert_eq(len, 4096);
    FarArchive *a = far_open_bytes(b, len, NULL);
    cr_assert_not_null(a);
    cr_expect_eq(far_count(a), 0);
    cr_expect_not(far_lookup(a, "a", NULL, NULL));
    far_close(a);
    free(b);
    far_writer_free(w);
}

Test(far_layout, file_round_trip_and_messages_name_the_file)
{
    char *dir = g_dir_make_tmp("capsim-far-XXXXXX", NULL);
    char *path = g_build_filename(dir, "root_presenter.far", NULL);
    FarWriter *w = round_trip_writer();
    FarError err;
    cr_assert(far_writer_write_file(w, path, &err), "%s", err.message);
    FarArchive *a = far_open_file(path, &err);
    cr_assert_not_null(a, "%s", err.message);
    cr_expect_eq(far_count(a), G_N_ELEMENTS(round_trip_files));
    far_close(a);

    SpecFile bad[] = {{"a/../b", 0, "x", 1}};
    size_t len;
    uint8_t *b = spec_build(bad, 1, &len);
    cr_assert(g_file_set_contents(path, (const char *)b, (gssize)len, NULL));
    cr_assert_null(far_open_file(path, &err));
    char *want = g_strdup_printf("%s: entry 0 name 'a/../b' has a '..' segment", path);
    cr_expect_str_eq(err.message, want);
    g_free(want);

    char *missing = g_build_filename(dir, "missing.far", NULL);
    cr_assert_null(far_open_file(missing, &err));
    cr_expect_eq(err.code, FAR_ERR_IO);
    cr_expect(g_str_has_prefix(err.message, missing), "%s", err.message);
    char *nodir = g_build_filename(dir, "no/such/dir.far", NULL);
    cr_expect_not(far_writer_write_file(w, nodir, &err));
    cr_expect(g_str_has_prefix(err.message, nodir), "%s", err.message);

    g_unlink(path);
    g_rmdir(dir);
    g_free(nodir);
    g_free(missing);
    free(b);
    far_writer_free(w);
    g_free(path);
    g_free(dir);
}

/* ---- every validation rule ---------------------------------------------- */

Test(far_malformed, truncated_header)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    expect_refused(b, 0, FAR_ERR_TRUNCATED, "too short for the 16-byte index header");
    expect_refused(b, 15, FAR_ERR_TRUNCATED, "archive is 15 bytes");
    expect_refused(NULL, 0, FAR_ERR_TRUNCATED, "archive is 0 bytes");
    free(b);
}

Test(far_malformed, bad_magic)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    b[0] = 0;
    expect_refused(b, len, FAR_ERR_MAGIC, "not a FAR archive");
    free(b);
}

Test(far_malformed, index_length_not_multiple_of_24)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 8, 49);
    expect_refused(b, len, FAR_ERR_INDEX, "index length 49 is not a multiple of 24");
    free(b);
}

Test(far_malformed, index_longer_than_archive)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 8, 24 * ((uint64_t)1 << 58));  /* multiple of 24, 16 + it overflows nothing */
    expect_refused(b, len, FAR_ERR_TRUNCATED, "runs past the end of the archive");
    put64(b + 8, UINT64_MAX - 15);           /* a multiple of 24; 16 + this wraps to 0 */
    expect_refused(b, len, FAR_ERR_TRUNCATED, "runs past the end of the archive");
    free(b);
}

Test(far_malformed, index_entries_out_of_order)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    memcpy(b + 16, "DIRNAMES", 8);           /* types swapped, offsets kept */
    memcpy(b + 40, "DIR-----", 8);
    expect_refused(b, len, FAR_ERR_INDEX, "index entry 1 type 'DIR-----' sorts before 'DIRNAMES'");
    free(b);
}

Test(far_malformed, index_entry_type_repeated)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    memcpy(b + 40, "DIR-----", 8);
    expect_refused(b, len, FAR_ERR_INDEX, "index entry 1 type 'DIR-----' repeats 'DIR-----'");
    free(b);
}

Test(far_malformed, missing_dir_or_dirnames)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    memcpy(b + 16, "AIR-----", 8);           /* unknown types are allowed, DIR is not optional */
    expect_refused(b, len, FAR_ERR_INDEX, "index has no 'DIR-----' chunk");
    memcpy(b + 16, "DIR-----", 8);
    memcpy(b + 40, "DIRNAMEZ", 8);
    expect_refused(b, len, FAR_ERR_INDEX, "index has no 'DIRNAMES' chunk");
    free(b);
}

Test(far_malformed, chunk_not_tightly_packed)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 24, 72);
    expect_refused(b, len, FAR_ERR_INDEX, "chunk 'DIR-----' starts at 72, expected 64");
    free(b);
}

Test(far_malformed, chunks_overlap)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 48, 152);
    expect_refused(b, len, FAR_ERR_INDEX, "chunk 'DIRNAMES' starts at 152, expected 160");
    free(b);
}

Test(far_malformed, chunk_length_past_end_or_overflowing)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 56, UINT64_MAX - 7);           /* offset + length wraps */
    expect_refused(b, len, FAR_ERR_TRUNCATED, "chunk 'DIRNAMES' of 18446744073709551608 bytes");
    put64(b + 56, 8);
    put64(b + 32, UINT64_MAX - 32);
    expect_refused(b, len, FAR_ERR_TRUNCATED, "runs past the end of the archive");
    free(b);
}

Test(far_malformed, dir_chunk_length_not_multiple_of_32)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 32, 40);
    put64(b + 48, 104);                      /* keep the chunks packed */
    expect_refused(b, len, FAR_ERR_CHUNK, "'DIR-----' chunk length 40 is not a multiple of 32");
    free(b);
}

Test(far_malformed, dirnames_length_not_multiple_of_8)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 56, 7);
    expect_refused(b, len, FAR_ERR_CHUNK, "'DIRNAMES' chunk length 7 is not a multiple of 8");
    free(b);
}

Test(far_malformed, name_offset_and_length_out_of_bounds)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put32(b + 64, 9);
    expect_refused(b, len, FAR_ERR_CHUNK, "entry 0 name offset 9 is past the end of the names chunk");
    put32(b + 64, 8);
    expect_refused(b, len, FAR_ERR_CHUNK, "entry 0 name offset 8 is past");
    put32(b + 64, 0);
    b[64 + 4] = 9;
    expect_refused(b, len, FAR_ERR_CHUNK, "entry 0 name (9 bytes at 0) runs past the end");
    b[64 + 4] = 0xff, b[64 + 5] = 0xff;
    expect_refused(b, len, FAR_ERR_CHUNK, "entry 0 name (65535 bytes at 0) runs past the end");
    free(b);
}

static void expect_name_refused(const char *name, size_t name_len, const char *msg)
{
    SpecFile f[] = {{"0", 0, "x", 1}, {name, name_len, "y", 1}};
    size_t len;
    uint8_t *b = spec_build(f, 2, &len);
    expect_refused(b, len, FAR_ERR_NAME, msg);
    free(b);
}

Test(far_malformed, bad_names)
{
    /* entry 0 has name "0" so that entry 1's name can be empty */
    SpecFile f[] = {{"0", 0, "x", 1}, {"", 0, "y", 1}};
    size_t len;
    uint8_t *b = spec_build(f, 2, &len);
    b[96 + 0] = 0;                           /* empty name at offset 0 */
    expect_refused(b, len, FAR_ERR_NAME, "entry 1 name '' is empty");
    free(b);
    expect_name_refused("a\0b", 3, "entry 1 name 'a\\x00b' contains a NUL byte");
    expect_name_refused("/a", 0, "entry 1 name '/a' starts with '/'");
    expect_name_refused("a/", 0, "entry 1 name 'a/' ends with '/'");
    expect_name_refused("a//b", 0, "entry 1 name 'a//b' has an empty segment");
    expect_name_refused(".", 0, "entry 1 name '.' has a '.' segment");
    expect_name_refused("a/./b", 0, "entry 1 name 'a/./b' has a '.' segment");
    expect_name_refused("a/.", 0, "has a '.' segment");
    expect_name_refused("..", 0, "entry 1 name '..' has a '..' segment");
    expect_name_refused("a/../b", 0, "entry 1 name 'a/../b' has a '..' segment");
    expect_name_refused("../b", 0, "has a '..' segment");
}

Test(far_malformed, names_unsorted_or_repeated)
{
    SpecFile unsorted[] = {{"b", 0, "b", 1}, {"a", 0, "a", 1}};
    size_t len;
    uint8_t *b = spec_build(unsorted, 2, &len);
    expect_refused(b, len, FAR_ERR_ORDER, "entry 1 name 'a' sorts before entry 0 'b'");
    free(b);
    SpecFile twice[] = {{"a", 0, "a", 1}, {"a", 0, "a", 1}};
    b = spec_build(twice, 2, &len);
    expect_refused(b, len, FAR_ERR_ORDER, "entry 1 name 'a' repeats entry 0 'a'");
    free(b);
    SpecFile prefix[] = {{"ab", 0, "a", 1}, {"a", 0, "a", 1}};
    b = spec_build(prefix, 2, &len);
    expect_refused(b, len, FAR_ERR_ORDER, "entry 1 name 'a' sorts before entry 0 'ab'");
    free(b);
    /* bytewise, not signed-char, order: 0xff sorts after 'z' */
    SpecFile high[] = {{"z", 0, "a", 1}, {"\xff", 0, "a", 1}};
    b = spec_build(high, 2, &len);
    FarArchive *a = far_open_bytes(b, len, NULL);
    cr_expect_not_null(a);
    far_close(a);
    free(b);
}

Test(far_malformed, content_chunk_misplaced)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    put64(b + 64 + 8, 4095);
    expect_refused(b, len, FAR_ERR_CONTENT, "entry 0 'a' content starts at 4095, expected 4096");
    put64(b + 64 + 8, 4097);
    expect_refused(b, len, FAR_ERR_CONTENT, "entry 0 'a' content starts at 4097, expected 4096");
    put64(b + 64 + 8, 4096);
    put64(b + 96 + 8, 8191);
    expect_refused(b, len, FAR_ERR_CONTENT, "entry 1 'b' content starts at 8191, expected 8192");
    put64(b + 96 + 8, 12288);                /* not tightly packed */
    expect_refused(b, len, FAR_ERR_CONTENT, "entry 1 'b' content starts at 12288, expected 8192");
    put64(b + 96 + 8, 8192);
    put64(b + 96 + 16, 4097);                /* b now runs into dir/c's chunk */
    expect_refused(b, len, FAR_ERR_CONTENT, "entry 2 'dir/c' content starts at 12288, expected 16384");
    free(b);
}

Test(far_malformed, content_chunk_past_end)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    expect_refused(b, len - 1, FAR_ERR_CONTENT,
                   "entry 2 'dir/c' content (6 bytes at 12288, padded to 4096) runs past the end "
                   "of the archive (16383 bytes)");
    expect_refused(b, 4097, FAR_ERR_CONTENT, "entry 0 'a' content (2 bytes at 4096");
    expect_refused(b, 168, FAR_ERR_CONTENT, "entry 0 'a'");
    put64(b + 128 + 16, UINT64_MAX);         /* offset + length overflows */
    expect_refused(b, len, FAR_ERR_CONTENT, "entry 2 'dir/c' content (18446744073709551615 bytes");
    put64(b + 128 + 16, UINT64_MAX - 12288 - 100);  /* no overflow, still past the end */
    expect_refused(b, len, FAR_ERR_CONTENT, "runs past the end of the archive");
    free(b);
}

Test(far_malformed, tolerated_like_fuchsia)
{
    /* Reserved fields, padding and unknown chunk types are not meaning. */
    size_t len;
    uint8_t *b = abc_archive(&len);
    b[64 + 6] = 1;
    b[64 + 24] = 1;
    b[4096 + 100] = 0x55;
    FarArchive *a = far_open_bytes(b, len, NULL);
    cr_expect_not_null(a);
    far_close(a);
    free(b);
}

Test(far_layout, file_dir_collision_found)
{
    /* "a-c" sorts between "a" and "a/b": the search must not stop at it. */
    const SpecFile clash[] = {{"a", 0, "1", 1}, {"a-c", 0, "2", 1}, {"a/b", 0, "3", 1},
                              {"z", 0, "4", 1}};
    const SpecFile fine[] = {{"a-c", 0, "1", 1}, {"a/b", 0, "2", 1}, {"ab", 0, "3", 1}};
    size_t len, file = 9, under = 9;
    uint8_t *b = spec_build(clash, 4, &len);
    FarArchive *a = far_open_bytes(b, len, NULL);
    cr_assert_not_null(a);
    cr_expect(far_file_dir_collision(a, &file, &under));
    cr_expect_str_eq(far_name(a, file), "a");
    cr_expect_str_eq(far_name(a, under), "a/b");
    far_close(a);
    free(b);
    b = spec_build(fine, 3, &len);
    a = far_open_bytes(b, len, NULL);
    cr_assert_not_null(a);
    cr_expect_not(far_file_dir_collision(a, &file, &under));
    far_close(a);
    free(b);
}

/* ---- names and manifests on the write side ------------------------------ */

Test(far_writer, names_validated)
{
    static const struct { const char *name; const char *msg; } bad[] = {
        {"", "name '' is empty"},
        {"/a", "name '/a' starts with '/'"},
        {"a/", "name 'a/' ends with '/'"},
        {"a//b", "name 'a//b' has an empty segment"},
        {".", "name '.' has a '.' segment"},
        {"./a", "has a '.' segment"},
        {"..", "name '..' has a '..' segment"},
        {"a/../b", "name 'a/../b' has a '..' segment"},
        {"a/..", "has a '..' segment"},
    };
    FarWriter *w = far_writer_new();
    FarError err;
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        cr_expect_not(far_writer_add(w, bad[i].name, (const uint8_t *)"x", 1, &err), "%s", bad[i].name);
        cr_expect_eq(err.code, FAR_ERR_NAME);
        cr_expect(strstr(err.message, bad[i].msg), "\"%s\" lacks \"%s\"", err.message, bad[i].msg);
    }
    static const char *good[] = {"a", ".a", "a.", "..a", "a..", "a/.b/..c", "meta/sandbox"};
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
        cr_expect(far_writer_add(w, good[i], NULL, 0, &err), "%s: %s", good[i], err.message);
    cr_expect_not(far_writer_add(w, "a", NULL, 0, &err));
    cr_expect_str_eq(err.message, "name 'a' is already in the archive");
    char *huge = g_strnfill(65536, 'x');
    cr_expect_not(far_writer_add(w, huge, NULL, 0, &err));
    cr_expect(strstr(err.message, "is 65536 bytes, longer than 65535"), "%s", err.message);
    huge[65535] = '\0';
    cr_expect(far_writer_add(w, huge, NULL, 0, &err), "%s", err.message);
    g_free(huge);
    cr_expect_eq(far_writer_count(w), G_N_ELEMENTS(good) + 1);

    size_t len;
    uint8_t *b = far_writer_bytes(w, &len, NULL);
    FarArchive *a = far_open_bytes(b, len, &err);
    cr_expect_not_null(a, "%s", err.message);
    far_close(a);
    free(b);
    far_writer_free(w);
}

static char *tmp_write(const char *dir, const char *rel, const char *text)
{
    char *path = g_build_filename(dir, rel, NULL);
    char *parent = g_path_get_dirname(path);
    g_mkdir_with_parents(parent, 0755);
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    g_free(parent);
    return path;
}

static void rm_rf(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
        const char *e;
        while ((e = g_dir_read_name(d))) {
            char *p = g_build_filename(path, e, NULL);
            rm_rf(p);
            g_free(p);
        }
        g_dir_close(d);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

Test(far_manifest, good_manifest)
{
    char *dir = g_dir_make_tmp("capsim-far-XXXXXX", NULL);
    g_free(tmp_write(dir, "src/app.so", "ELF"));
    g_free(tmp_write(dir, "src/empty", ""));
    char *abs = tmp_write(dir, "elsewhere/cursor.png", "PNG");
    char *text = g_strdup_printf("# a package\n\n   \nbin/app=src/app.so\r\n"
                                 "data/cursor32.png=%s\n  # indented comment\n"
                                 "meta/sandbox=src/empty", abs);
    char *m = tmp_write(dir, "pkg/../manifest", text);
    FarWriter *w = far_writer_new();
    FarError err;
    cr_assert(far_writer_add_manifest(w, m, &err), "%s", err.message);
    cr_expect_eq(far_writer_count(w), 3);
    size_t len;
    uint8_t *b = far_writer_bytes(w, &len, NULL);
    FarArchive *a = far_open_bytes(b, len, NULL);
    cr_assert_not_null(a);
    cr_expect_str_eq(far_name(a, 0), "bin/app");
    cr_expect_str_eq(far_name(a, 1), "data/cursor32.png");
    cr_expect_str_eq(far_name(a, 2), "meta/sandbox");
    const uint8_t *d;
    size_t n;
    cr_assert(far_lookup(a, "bin/app", &d, &n));
    cr_expect(n == 3 && !memcmp(d, "ELF", 3));
    cr_assert(far_lookup(a, "meta/sandbox", &d, &n));
    cr_expect_eq(n, 0);
    far_close(a);
    free(b);
    far_writer_free(w);
    rm_rf(dir);
    g_free(m);
    g_free(text);
    g_free(abs);
    g_free(dir);
}

static void expect_manifest_error(const char *text, FarErrorCode code, const char *msg_fmt)
{
    char *dir = g_dir_make_tmp("capsim-far-XXXXXX", NULL);
    g_free(tmp_write(dir, "x", "x"));
    char *m = tmp_write(dir, "m.txt", text);
    FarWriter *w = far_writer_new();
    FarError err;
    cr_expect_not(far_writer_add_manifest(w, m, &err), "manifest accepted: %s", text);
    char *want = g_strdup_printf(msg_fmt, m, dir);
    cr_expect_eq(err.code, code, "code %d (%s)", err.code, err.message);
    cr_expect(g_str_has_prefix(err.message, want), "\"%s\" does not start \"%s\"", err.message, want);
    g_free(want);
    far_writer_free(w);
    rm_rf(dir);
    g_free(m);
    g_free(dir);
}

Test(far_manifest, errors_name_file_and_line)
{
    expect_manifest_error("a=x\nno equals sign\n", FAR_ERR_MANIFEST,
                          "%s:2: expected 'destination=source', found 'no equals sign'");
    expect_manifest_error("# c\na=\n", FAR_ERR_MANIFEST, "%s:2: no source for 'a'");
    expect_manifest_error("=x\n", FAR_ERR_NAME, "%s:1: name '' is empty");
    expect_manifest_error("\n\na/../b=x\n", FAR_ERR_NAME, "%s:3: name 'a/../b' has a '..' segment");
    expect_manifest_error("/abs=x\n", FAR_ERR_NAME, "%s:1: name '/abs' starts with '/'");
    expect_manifest_error("a=x\nb=x\na=x\n", FAR_ERR_MANIFEST, "%s:3: destination 'a' repeats line 1");
    expect_manifest_error("a=missing\n", FAR_ERR_IO, "%s:1: %s/missing: cannot read");

    FarWriter *w = far_writer_new();
    FarError err;
    cr_expect_not(far_writer_add_manifest(w, "/nonexistent/manifest", &err));
    cr_expect(g_str_has_prefix(err.message, "/nonexistent/manifest: cannot read"), "%s", err.message);
    far_writer_free(w);
}

/* ---- never crash ---------------------------------------------------------- */

/* On success every entry must lie inside the archive and have a valid name. */
static void check_open_is_clean(const uint8_t *b, size_t len)
{
    FarError err = {.code = FAR_OK};
    FarArchive *a = far_open_bytes(b, len, &err);
    if (!a) {
        cr_assert_neq(err.code, FAR_OK);
        cr_assert_gt(strlen(err.message), 0);
        return;
    }
    for (size_t i = 0; i < far_count(a); i++) {
        const char *name = far_name(a, i);
        cr_assert(far_name_valid(name, strlen(name), NULL), "accepted bad name");
        cr_assert_leq(far_offset(a, i) + far_size(a, i), len);
        cr_assert(far_lookup(a, name, NULL, NULL));
    }
    far_close(a);
}

Test(far_fuzz, every_byte_flipped)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    for (size_t pos = 0; pos < len; pos++) {
        for (size_t m = 0; m < G_N_ELEMENTS(masks); m++) {
            b[pos] ^= masks[m];
            check_open_is_clean(b, len);
            b[pos] ^= masks[m];
        }
        uint8_t keep = b[pos];
        b[pos] = 0;
        check_open_is_clean(b, len);
        b[pos] = keep;
    }
    free(b);
}

Test(far_fuzz, every_prefix_and_random_header_damage)
{
    size_t len;
    uint8_t *b = abc_archive(&len);
    for (size_t cut = 0; cut < len; cut++) {
        FarArchive *a = far_open_bytes(b, cut, NULL);
        cr_assert_null(a, "prefix of %zu bytes accepted", cut);
    }
    GRand *r = g_rand_new_with_seed(20240601);
    uint8_t *m = g_malloc(len);
    for (int round = 0; round < 20000; round++) {
        memcpy(m, b, len);
        int hits = g_rand_int_range(r, 1, 6);
        for (int k = 0; k < hits; k++)
            m[g_rand_int_range(r, 0, 176)] = (uint8_t)g_rand_int(r);
        check_open_is_clean(m, len);
    }
    g_free(m);
    g_rand_free(r);
    free(b);
}
