/* libc_iconv.c — character set conversion, interposed for apps.
 *
 * Models: Fuchsia's libc (musl) converts between charsets built into it,
 * with no configuration file and no loadable module; a descriptor names
 * the pair and holds no state (no byte order marks, no shift states).
 * glibc's iconv_open instead reads its gconv configuration
 * (gconv-modules.cache, or the gconv-modules files, or the directories of
 * the process's GCONV_PATH) and loads conversion modules from the HOST's
 * installation — UTF-16 and UTF-32 among them — so what an app could
 * convert, and the code that ran, came from the host, and an app's
 * GCONV_PATH could load a host library of its choice.
 *
 * Here apps convert with this file's code alone, between:
 *
 *   UTF-8 (utf8, char, or "")       WCHAR_T (this host's 4-byte wchar_t)
 *   UCS-2, UCS-2BE, UCS-2LE         UTF-16, UTF-16BE, UTF-16LE
 *   UCS-4, UCS-4BE, UTF-32, UTF-32BE;  UCS-4LE, UTF-32LE
 *   ASCII (US-ASCII, ISO646, ISO646-US, and glibc's ANSI_X3.4-1968, what
 *   nl_langinfo(CODESET) names it)   ISO-8859-1 (LATIN1)
 *
 * Names match as musl matches them: letters without case, digits, every
 * other character skipped ("utf8" is "UTF-8"; "UTF-8//TRANSLIT" is no
 * name). The unmarked UCS-2, UTF-16, UCS-4 and UTF-32 are big-endian, and
 * a byte order mark is a character like another. musl's other charsets
 * (legacy 8-bit code pages, the CJK encodings) are left out.
 *
 *   iconv_open     a descriptor (a small number, never a pointer); another
 *                  name: (iconv_t)-1, EINVAL
 *   iconv          as musl: -1 with EILSEQ (invalid input; *in at it),
 *                  EINVAL (input ends inside a character), E2BIG (no room);
 *                  a character the target lacks becomes '*' (ASCII,
 *                  Latin-1) or U+FFFD (UCS-2) and is counted in the result;
 *                  no input (NULL in or *in, or *inb 0): 0, nothing written;
 *                  a descriptor not made here: -1, EBADF
 *   iconv_close    0 (EBADF for a descriptor not made here)
 *
 * Everyone else (the host, the engine) gets libc's own. Read next:
 * libc_users.c.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "app_world.h"
#include "libc_next.h"

typedef enum IconvCharset {
    ICONV_UTF8, ICONV_WCHAR, ICONV_UCS2BE, ICONV_UCS2LE, ICONV_UTF16BE, ICONV_UTF16LE,
    ICONV_UTF32BE, ICONV_UTF32LE, ICONV_ASCII, ICONV_LATIN1
} IconvCharset;

static const struct {
    const char *name;     /* lower case letters and digits only */
    IconvCharset charset;
} iconv_names[] = {
    {"utf8", ICONV_UTF8},        {"char", ICONV_UTF8},
    {"wchart", ICONV_WCHAR},     {"ucs2", ICONV_UCS2BE},      {"ucs2be", ICONV_UCS2BE},
    {"ucs2le", ICONV_UCS2LE},    {"utf16", ICONV_UTF16BE},    {"utf16be", ICONV_UTF16BE},
    {"utf16le", ICONV_UTF16LE},  {"ucs4", ICONV_UTF32BE},     {"ucs4be", ICONV_UTF32BE},
    {"utf32", ICONV_UTF32BE},    {"utf32be", ICONV_UTF32BE},  {"ucs4le", ICONV_UTF32LE},
    {"utf32le", ICONV_UTF32LE},  {"ascii", ICONV_ASCII},      {"usascii", ICONV_ASCII},
    {"iso646", ICONV_ASCII},     {"iso646us", ICONV_ASCII},   {"ansix341968", ICONV_ASCII},
    {"iso88591", ICONV_LATIN1},  {"latin1", ICONV_LATIN1},
};

/* A descriptor: the tag, the source charset, the target. */
#define ICONV_TAG 0x1c0d0000u

static int iconv_charset_of(const char *name)
{
    if (!*name)
        return ICONV_UTF8;
    char key[24];
    size_t n = 0;
    for (const char *c = name; *c; c++) {
        char l = (char)(*c | 32);
        if (!((l >= 'a' && l <= 'z') || (*c >= '0' && *c <= '9')))
            continue;
        if (n + 1 >= sizeof key)
            return -1;
        key[n++] = *c >= '0' && *c <= '9' ? *c : l;
    }
    key[n] = '\0';
    for (size_t i = 0; i < sizeof iconv_names / sizeof iconv_names[0]; i++)
        if (!strcmp(key, iconv_names[i].name))
            return (int)iconv_names[i].charset;
    return -1;
}

/* The charsets of a descriptor made here: false if it is not one. */
static bool iconv_pair(iconv_t cd, IconvCharset *from, IconvCharset *to)
{
    uintptr_t v = (uintptr_t)cd;
    if ((v & ~(uintptr_t)0xffff) != ICONV_TAG || (v >> 8 & 0xff) > ICONV_LATIN1 ||
        (v & 0xff) > ICONV_LATIN1)
        return false;
    *from = (IconvCharset)(v >> 8 & 0xff);
    *to = (IconvCharset)(v & 0xff);
    return true;
}

static unsigned iconv_get16(const unsigned char *s, bool le)
{
    return le ? (unsigned)s[1] << 8 | s[0] : (unsigned)s[0] << 8 | s[1];
}

static void iconv_put16(unsigned char *s, unsigned c, bool le)
{
    s[le ? 1 : 0] = (unsigned char)(c >> 8);
    s[le ? 0 : 1] = (unsigned char)c;
}

static uint32_t iconv_get32(const unsigned char *s, bool le)
{
    uint32_t c = 0;
    for (int i = 0; i < 4; i++)
        c = c << 8 | s[le ? 3 - i : i];
    return c;
}

static void iconv_put32(unsigned char *s, uint32_t c, bool le)
{
    for (int i = 0; i < 4; i++)
        s[le ? i : 3 - i] = (unsigned char)(c >> (8 * i));
}

static bool iconv_scalar(uint32_t c)
{
    return c < 0x110000 && (c < 0xd800 || c > 0xdfff);
}

/* One UTF-8 character of s[0..n): its length, 0 if invalid, -1 if s ends
 * inside it. */
static int iconv_utf8_decode(const unsigned char *s, size_t n, uint32_t *c)
{
    unsigned b = s[0];
    int len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3
            : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len == 0)
        return 0;
    uint32_t v = len == 1 ? b : b & (0x7fu >> len);
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -1;
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
        /* overlong 3- and 4-byte forms, surrogates and past U+10FFFF show
         * at the second byte */
        if (i == 1 && len > 2 && (v < (len == 3 ? 0x20u : 0x10u) || !iconv_scalar(v << (6 * (len - 2)))))
            return 0;
    }
    *c = v;
    return len;
}

/* The next character of `from` at s[0..n): its length; 0 invalid (EILSEQ),
 * -1 incomplete (EINVAL). */
static int iconv_decode(IconvCharset from, const unsigned char *s, size_t n, uint32_t *c)
{
    switch (from) {
    case ICONV_UTF8:
        return iconv_utf8_decode(s, n, c);
    case ICONV_ASCII:
        *c = s[0];
        return s[0] < 0x80 ? 1 : 0;
    case ICONV_LATIN1:
        *c = s[0];
        return 1;
    case ICONV_WCHAR:
    case ICONV_UTF32BE:
    case ICONV_UTF32LE:
        if (n < 4)
            return -1;
        if (from == ICONV_WCHAR) {
            wchar_t w;
            memcpy(&w, s, sizeof w);
            *c = (uint32_t)w;
        } else {
            *c = iconv_get32(s, from == ICONV_UTF32LE);
        }
        return iconv_scalar(*c) ? 4 : 0;
    default: { /* UCS-2, UTF-16 */
        bool le = from == ICONV_UCS2LE || from == ICONV_UTF16LE;
        if (n < 2)
            return -1;
        *c = iconv_get16(s, le);
        if (*c >= 0xdc00 && *c <= 0xdfff)
            return 0;
        if (*c < 0xd800 || *c > 0xdbff)
            return 2;
        if (from == ICONV_UCS2BE || from == ICONV_UCS2LE)
            return 0;
        if (n < 4)
            return -1;
        unsigned low = iconv_get16(s + 2, le);
        if (low < 0xdc00 || low > 0xdfff)
            return 0;
        *c = 0x10000 + ((*c - 0xd800) << 10) + (low - 0xdc00);
        return 4;
    }
    }
}

/* Character c in `to` at out[0..room): bytes written, or -1 when it does
 * not fit. *lossy counts a character the charset lacks. */
static int iconv_encode(IconvCharset to, uint32_t c, unsigned char *out, size_t room,
                        size_t *lossy)
{
    unsigned char b[4];
    int len;
    switch (to) {
    case ICONV_UTF8:
        if (c < 0x80) {
            b[0] = (unsigned char)c, len = 1;
        } else if (c < 0x800) {
            b[0] = (unsigned char)(0xc0 | c >> 6), len = 2;
        } else if (c < 0x10000) {
            b[0] = (unsigned char)(0xe0 | c >> 12), len = 3;
        } else {
            b[0] = (unsigned char)(0xf0 | c >> 18), len = 4;
        }
        for (int i = 1; i < len; i++)
            b[i] = (unsigned char)(0x80 | (c >> (6 * (len - 1 - i)) & 0x3f));
        break;
    case ICONV_ASCII:
    case ICONV_LATIN1:
        if (c > (to == ICONV_ASCII ? 0x7fu : 0xffu))
            c = '*', (*lossy)++;
        b[0] = (unsigned char)c, len = 1;
        break;
    case ICONV_WCHAR: {
        wchar_t w = (wchar_t)c;
        memcpy(b, &w, sizeof w);
        len = 4;
        break;
    }
    case ICONV_UTF32BE:
    case ICONV_UTF32LE:
        iconv_put32(b, c, to == ICONV_UTF32LE);
        len = 4;
        break;
    case ICONV_UCS2BE:
    case ICONV_UCS2LE:
        if (c > 0xffff)
            c = 0xfffd, (*lossy)++;
        iconv_put16(b, c, to == ICONV_UCS2LE);
        len = 2;
        break;
    default: /* UTF-16 */
        if (c < 0x10000) {
            iconv_put16(b, c, to == ICONV_UTF16LE);
            len = 2;
        } else {
            iconv_put16(b, 0xd800 | (c - 0x10000) >> 10, to == ICONV_UTF16LE);
            iconv_put16(b + 2, 0xdc00 | ((c - 0x10000) & 0x3ff), to == ICONV_UTF16LE);
            len = 4;
        }
        break;
    }
    if ((size_t)len > room)
        return -1;
    memcpy(out, b, (size_t)len);
    return len;
}

static size_t iconv_convert(IconvCharset from, IconvCharset to, char **in, size_t *inb,
                            char **out, size_t *outb)
{
    if (!in || !*in || !*inb)
        return 0;
    size_t lossy = 0;
    while (*inb) {
        uint32_t c = 0;
        int used = iconv_decode(from, (const unsigned char *)*in, *inb, &c);
        if (used <= 0) {
            errno = used == 0 ? EILSEQ : EINVAL;
            return (size_t)-1;
        }
        if (!out || !*out) {
            errno = E2BIG;
            return (size_t)-1;
        }
        size_t lost = lossy;
        int made = iconv_encode(to, c, (unsigned char *)*out, *outb, &lost);
        if (made < 0) {
            errno = E2BIG;
            return (size_t)-1;
        }
        lossy = lost;
        *in += used, *inb -= (size_t)used;
        *out += made, *outb -= (size_t)made;
    }
    return lossy;
}

LIBC_NEXT_SLOT(iconv_open);
iconv_t iconv_open(const char *to, const char *from)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(iconv_t (*)(const char *, const char *), iconv_open)(to, from);
    int t = to ? iconv_charset_of(to) : -1;
    int f = from ? iconv_charset_of(from) : -1;
    if (t < 0 || f < 0) {
        errno = EINVAL;
        return (iconv_t)-1;
    }
    return (iconv_t)(uintptr_t)(ICONV_TAG | (unsigned)f << 8 | (unsigned)t);
}

LIBC_NEXT_SLOT(iconv);
size_t iconv(iconv_t cd, char **restrict in, size_t *restrict inb, char **restrict out,
             size_t *restrict outb)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(size_t (*)(iconv_t, char **, size_t *, char **, size_t *), iconv)(
            cd, in, inb, out, outb);
    IconvCharset from, to;
    if (!iconv_pair(cd, &from, &to)) {
        errno = EBADF;
        return (size_t)-1;
    }
    return iconv_convert(from, to, in, inb, out, outb);
}

LIBC_NEXT_SLOT(iconv_close);
int iconv_close(iconv_t cd)
{
    if (!app_world_in_app_code())
        return LIBC_NEXT(int (*)(iconv_t), iconv_close)(cd);
    IconvCharset from, to;
    if (!iconv_pair(cd, &from, &to)) {
        errno = EBADF;
        return -1;
    }
    return 0;
}
