/* app_elf.c — checking an app's ELF image and preparing private copies.
 *
 * Models: nothing of Zircon; this is the host loader's front door. Before
 * any copy of an app is loaded, the image is checked with messages a user
 * can act on: an ELF file, 64-bit, this host's byte order and machine, a
 * shared object (not a PIE executable), a dynamic section, libcapsim linked
 * before libc (so exit() and friends resolve to capsim's interposers under
 * RTLD_DEEPBIND, libc_process.c), and `main` exported (when section headers
 * are there to tell; otherwise the test load in app_image.c tells).
 *
 * Constructors and destructors: ld.so would run an object's DT_INIT /
 * DT_INIT_ARRAY at dlopen and DT_FINI / DT_FINI_ARRAY at dlclose, i.e. on
 * the engine's stack, outside any simulated process. Each private copy gets
 * those tags rewritten to APP_ELF_HIDDEN_TAG, a value in the OS-specific
 * range that glibc ignores, and app_instance.c runs them itself on the
 * process's first thread (before main) and at exit(). Relocations still
 * apply to the arrays' contents, so after loading they hold real addresses.
 *
 * Private copies hold only what ld.so reads (headers and PT_LOAD file
 * parts); the rest of the file (section headers, symbol tables, debug
 * info) stays a hole in the copy and costs no memory.
 *
 * Invariants: every offset recorded in AppElfInfo was bounds-checked
 * against the image. Leaves out: 32-bit and big-endian images, DT_PREINIT
 * (executables only). Read next: app_image.c.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_elf.h"

#if defined(__x86_64__)
#define APP_ELF_MACHINE EM_X86_64
#define APP_ELF_MACHINE_NAME "x86-64"
#elif defined(__aarch64__)
#define APP_ELF_MACHINE EM_AARCH64
#define APP_ELF_MACHINE_NAME "aarch64"
#else
#define APP_ELF_MACHINE EM_NONE
#define APP_ELF_MACHINE_NAME "this host"
#endif

static bool app_elf_fail(char **error, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool app_elf_fail(char **error, const char *name, const char *fmt, ...)
{
    if (!error)
        return false;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(name) + strlen(msg) + 3;
    *error = malloc(n);
    if (*error)
        snprintf(*error, n, "%s: %s", name, msg);
    return false;
}

static bool app_elf_range(size_t len, uint64_t off, uint64_t size)
{
    return off <= len && size <= len - off;
}

/* File offset of virtual address `va` (inside a PT_LOAD's file part). */
static bool app_elf_va_to_off(const Elf64_Phdr *ph, int n, uint64_t va,
                              uint64_t *off)
{
    for (int i = 0; i < n; i++) {
        if (ph[i].p_type == PT_LOAD && va >= ph[i].p_vaddr &&
            va - ph[i].p_vaddr < ph[i].p_filesz) {
            *off = ph[i].p_offset + (va - ph[i].p_vaddr);
            return true;
        }
    }
    return false;
}

static bool app_elf_header(const char *name, const uint8_t *b, size_t len,
                           char **error)
{
    if (len < sizeof(Elf64_Ehdr))
        return app_elf_fail(error, name, "too short to be an ELF file (%zu bytes)", len);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return app_elf_fail(error, name, "not an ELF file (no ELF magic); an app is a shared object built with -shared -fPIC");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return app_elf_fail(error, name, "is a 32-bit ELF file; capsim loads 64-bit shared objects");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return app_elf_fail(error, name, "is a big-endian ELF file; this host is little-endian");
    if (eh->e_machine != APP_ELF_MACHINE)
        return app_elf_fail(error, name, "is built for ELF machine %u, not for %s", eh->e_machine,
                            APP_ELF_MACHINE_NAME);
    if (eh->e_type != ET_DYN)
        return app_elf_fail(error, name, "is not a shared object (ELF type %u); build the app with -shared -fPIC",
                            eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
        !app_elf_range(len, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        return app_elf_fail(error, name, "has a truncated or malformed program header table");
    return true;
}

/* DT_NEEDED order: libcapsim must come, and before libc. */
static bool app_elf_needed(const char *name, const uint8_t *b, size_t len,
                           const char *strtab, size_t strsz,
                           const uint64_t *needed, size_t nneeded, char **error)
{
    long capsim_at = -1, libc_at = -1;
    for (size_t i = 0; i < nneeded; i++) {
        if (needed[i] >= strsz)
            return app_elf_fail(error, name, "has a DT_NEEDED entry outside its string table");
        const char *lib = strtab + needed[i];
        if (!memchr(lib, '\0', strsz - needed[i]))
            return app_elf_fail(error, name, "has an unterminated DT_NEEDED name");
        if (capsim_at < 0 && strncmp(lib, "libcapsim.so", 12) == 0)
            capsim_at = (long)i;
        if (libc_at < 0 && strncmp(lib, "libc.so", 7) == 0)
            libc_at = (long)i;
    }
    (void)b, (void)len;
    if (capsim_at < 0)
        return app_elf_fail(error, name, "does not link libcapsim; build it with "
                            "$(pkg-config --cflags --libs capsim-app) so that exit(), abort() and "
                            "stdio stay inside the simulated process");
    if (libc_at >= 0 && libc_at < capsim_at)
        return app_elf_fail(error, name, "links libc before libcapsim; put -lcapsim "
                            "(pkg-config --libs capsim-app) before -lc");
    return true;
}

static bool app_elf_dynamic(const char *name, const uint8_t *b, size_t len,
                            const Elf64_Phdr *ph, int nph, const Elf64_Phdr *dp,
                            AppElfInfo *out, char **error)
{
    if (!app_elf_range(len, dp->p_offset, dp->p_filesz))
        return app_elf_fail(error, name, "has a dynamic section outside the file");
    size_t n = dp->p_filesz / sizeof(Elf64_Dyn);
    const Elf64_Dyn *d = (const Elf64_Dyn *)(b + dp->p_offset);
    uint64_t needed[64], strtab_va = 0, strsz = 0;
    size_t nneeded = 0, i;
    for (i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
        uint64_t v = d[i].d_un.d_val;
        bool hide = true;
        switch (d[i].d_tag) {
        case DT_INIT: out->init = v; break;
        case DT_FINI: out->fini = v; break;
        case DT_INIT_ARRAY: out->init_array = v; break;
        case DT_INIT_ARRAYSZ: out->init_arraysz = v; break;
        case DT_FINI_ARRAY: out->fini_array = v; break;
        case DT_FINI_ARRAYSZ: out->fini_arraysz = v; break;
        default: hide = false; break;
        }
        if (hide && out->nhidden < APP_ELF_MAX_HIDDEN)
            out->hidden_off[out->nhidden++] = dp->p_offset + i * sizeof(Elf64_Dyn);
        if (d[i].d_tag == DT_NEEDED && nneeded < 64)
            needed[nneeded++] = v;
        else if (d[i].d_tag == DT_STRTAB)
            strtab_va = v;
        else if (d[i].d_tag == DT_STRSZ)
            strsz = v;
    }
    if (i == n)
        return app_elf_fail(error, name, "has a dynamic section without DT_NULL");
    uint64_t stroff;
    if (!strtab_va || !app_elf_va_to_off(ph, nph, strtab_va, &stroff) ||
        !app_elf_range(len, stroff, strsz))
        return app_elf_fail(error, name, "has no usable dynamic string table");
    return app_elf_needed(name, b, len, (const char *)b + stroff, strsz, needed,
                          nneeded, error);
}

/* With section headers: is `main` a defined, exported function? */
static bool app_elf_exports_main(const char *name, const uint8_t *b,
                                 size_t len, char **error)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
    if (eh->e_shnum == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !app_elf_range(len, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
        return true; /* stripped of sections: the test load decides */
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(b + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *ss = &sh[sh[i].sh_link];
        if (!app_elf_range(len, sh[i].sh_offset, sh[i].sh_size) ||
            !app_elf_range(len, ss->sh_offset, ss->sh_size))
            return true;
        const Elf64_Sym *sym = (const Elf64_Sym *)(b + sh[i].sh_offset);
        const char *str = (const char *)b + ss->sh_offset;
        for (size_t j = 0; j < sh[i].sh_size / sizeof(Elf64_Sym); j++) {
            if (sym[j].st_name + 5 > ss->sh_size || strcmp(str + sym[j].st_name, "main"))
                continue;
            if (sym[j].st_shndx != SHN_UNDEF && ELF64_ST_TYPE(sym[j].st_info) == STT_FUNC)
                return true;
        }
        return app_elf_fail(error, name, "does not export `int main(int argc, char **argv)` "
                            "(is it static, or missing?)");
    }
    return true;
}

/* Headers + PT_LOAD file parts; on anything unusual, copy everything. */
static void app_elf_ranges(const Elf64_Ehdr *eh, const Elf64_Phdr *ph,
                           size_t len, AppElfInfo *out)
{
    out->nranges = 0;
    out->ranges[out->nranges].off = 0;
    out->ranges[out->nranges++].len = eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (out->nranges == APP_ELF_MAX_RANGES ||
            !app_elf_range(len, ph[i].p_offset, ph[i].p_filesz)) {
            out->nranges = 0;
            return;
        }
        out->ranges[out->nranges].off = ph[i].p_offset;
        out->ranges[out->nranges++].len = ph[i].p_filesz;
    }
}

bool app_elf_inspect(const char *name, const uint8_t *b, size_t len,
                     AppElfInfo *out, char **error)
{
    memset(out, 0, sizeof *out);
    if (!app_elf_header(name, b, len, error))
        return false;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(b + eh->e_phoff);
    const Elf64_Phdr *dyn = NULL;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_INTERP)
            return app_elf_fail(error, name, "is a position-independent executable, not a "
                                "shared object; build the app with -shared -fPIC");
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = &ph[i];
        if (ph[i].p_type == PT_TLS)
            out->tls_memsz = ph[i].p_memsz;
        if (ph[i].p_type == PT_GNU_RELRO) {
            out->relro_vaddr = ph[i].p_vaddr;
            out->relro_memsz = ph[i].p_memsz;
        }
        if (ph[i].p_type == PT_LOAD && out->nloads < APP_ELF_MAX_RANGES) {
            out->loads[out->nloads].vaddr = ph[i].p_vaddr;
            out->loads[out->nloads].memsz = ph[i].p_memsz;
            out->loads[out->nloads++].flags = ph[i].p_flags;
        }
    }
    if (!dyn)
        return app_elf_fail(error, name, "has no dynamic section (is it statically linked?)");
    app_elf_ranges(eh, ph, len, out);
    if (!app_elf_dynamic(name, b, len, ph, eh->e_phnum, dyn, out, error))
        return false;
    return app_elf_exports_main(name, b, len, error);
}
