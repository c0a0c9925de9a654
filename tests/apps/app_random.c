/* app_random.c — libc's random bytes inside a simulated process
 * (model/app/libc_random.c): getrandom, getentropy, the arc4random family
 * and syscall(SYS_getrandom) draw from the seeded CPRNG.
 *
 * No argument: prints bytes from each function (the same for one seed,
 * other bytes for another), then, after "checks:", one line per check
 * that reads the same in every run. "bad-buf": arc4random_buf into memory
 * that cannot be written, which must end the process. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

static void print_hex(const char *what, const uint8_t *b, size_t n)
{
    printf("%s:", what);
    for (size_t i = 0; i < n; i++)
        printf(" %02x", b[i]);
    printf("\n");
}

/* A pointer nothing can be written through, hidden from the compiler's
 * checks of the calls below. */
static void *volatile bad_pointer = (void *)8;

static const char *err_name(int e)
{
    return e == EINVAL ? "EINVAL" : e == EIO ? "EIO" : e == EFAULT ? "EFAULT"
         : e == ENOENT ? "ENOENT" : "?";
}

static void print_bytes(void)
{
    uint8_t b[600];
    printf("getrandom 16: %zd\n", getrandom(b, 16, 0));
    print_hex("  bytes", b, 16);
    printf("getrandom 600: %zd\n", getrandom(b, 600, GRND_NONBLOCK));
    print_hex("  last bytes", b + 592, 8);
    printf("getentropy 32: %d\n", getentropy(b, 32));
    print_hex("  bytes", b, 8);
    printf("arc4random: %08x %08x\n", arc4random(), arc4random());
    arc4random_buf(b, 300);
    print_hex("arc4random_buf 300, last bytes", b + 292, 8);
    printf("arc4random_uniform(10):");
    for (int i = 0; i < 16; i++)
        printf(" %u", arc4random_uniform(10));
    printf("\n");
    printf("syscall(SYS_getrandom) 16: %ld\n", syscall(SYS_getrandom, b, 16, 0));
    print_hex("  bytes", b, 16);
}

static int uniform_in_range(void)
{
    static const uint32_t bounds[] = {2, 3, 7, 10, 1000, 0x80000001u, UINT32_MAX};
    int ok = 1;
    for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++)
        for (int i = 0; i < 200; i++)
            ok &= arc4random_uniform(bounds[k]) < bounds[k];
    int seen[3] = {0};
    for (int i = 0; i < 300; i++)
        seen[arc4random_uniform(3)]++;
    return ok && seen[0] && seen[1] && seen[2];
}

/* getrandom into a buffer whose second half is a page that cannot be
 * written: only the first half is, and counted. */
static ssize_t half_writable(void)
{
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect(m + page, page, PROT_READ) != 0)
        return -2;
    ssize_t n = getrandom(m + page - 100, 200, 0);
    munmap(m, 2 * page);
    return n;
}

static void print_checks(void)
{
    printf("checks:\n");
    int in_range = uniform_in_range();
    printf("uniform in range and hits every value: %d, bounds 0 and 1: %u %u\n", in_range,
           arc4random_uniform(0), arc4random_uniform(1));

    uint8_t b[300];
    errno = 0;
    int r = getentropy(b, 257);
    printf("getentropy 257: %d %s, 256: %d\n", r, err_name(errno), getentropy(b, 256));
    errno = 0;
    ssize_t n = getrandom(b, 16, 0x80);
    int e = errno;
    errno = 0;
    ssize_t n2 = getrandom(b, 16, GRND_RANDOM | GRND_INSECURE);
    printf("getrandom bad flag: %zd %s, RANDOM with INSECURE: %zd %s\n", n, err_name(e), n2,
           err_name(errno));
    printf("getrandom flags NONBLOCK RANDOM INSECURE: %zd %zd %zd, none of 0 bytes: %zd\n",
           getrandom(b, 8, GRND_NONBLOCK), getrandom(b, 8, GRND_RANDOM),
           getrandom(b, 8, GRND_INSECURE), getrandom(NULL, 0, 0));

    errno = 0;
    n = getrandom(bad_pointer, 16, 0);
    e = errno;
    errno = 0;
    r = getentropy(bad_pointer, 16);
    printf("bad buffer: getrandom %zd %s, getentropy %d %s, half writable: %zd of 200\n", n,
           err_name(e), r, err_name(errno), half_writable());
    errno = 0;
    long sn = syscall(SYS_getrandom, b, 16, 0x80);
    printf("syscall(SYS_getrandom) bad flag: %ld %s, other numbers forwarded: %d\n", sn,
           err_name(errno), syscall(SYS_getpid) > 0);

    errno = 0;
    int fd = open("/dev/urandom", O_RDONLY);
    e = errno;
    errno = 0;
    FILE *f = fopen("/dev/random", "r");
    printf("/dev/urandom: %d %s, /dev/random: %s %s\n", fd, err_name(e), f ? "opened" : "NULL",
           err_name(errno));
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "bad-buf") == 0) {
        printf("drawing into a bad buffer\n");
        arc4random_buf(bad_pointer, 16);
        printf("survived\n");
        return 0;
    }
    print_bytes();
    print_checks();
    return 0;
}
