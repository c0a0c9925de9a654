/* libc_prng.c — libc's pseudo-random generators, one state per process.
 *
 * Models: the generators of Fuchsia's libc (musl, as Fuchsia ships it),
 * each process with its own state, as in any address space. glibc keeps
 * ONE state per host process: two simulated processes calling rand()
 * drew from one sequence, so what one printed depended on how often the
 * other had drawn (a channel between sandboxes Fuchsia does not have),
 * and the numbers were glibc's, not those a program prints on Fuchsia.
 *
 *   rand, srand              64-bit LCG: seed = 6364136223846793005 * seed
 *                            + 1, returns seed >> 33; srand(s) sets the
 *                            seed to s - 1 (a new process: as srand(1))
 *   rand_r                   musl's: a 32-bit LCG (1103515245, 12345) on
 *                            the caller's word, tempered, halved
 *   random, srandom          Fuchsia's: a counter. random() returns
 *                            ++counter and starts again from 0 once the
 *                            counter passed RAND_MAX; srandom(s) sets it to
 *                            s. (Fuchsia replaced musl's additive generator
 *                            with this; its sequence is 1, 2, 3, ...)
 *   initstate(seed, ...)     srandom(seed); the caller's buffer is unused;
 *                            returns the process's state word
 *   setstate(state)          changes nothing; returns the state word
 *   drand48, lrand48, mrand48 and erand48, nrand48, jrand48 (caller's
 *                            x): the 48-bit LCG x = a * x + c, a =
 *                            0x5deece66d, c = 0xb, x = 0 at start;
 *                            drand48 the top 52 bits as a double in [0, 1),
 *                            lrand48 x >> 17, mrand48 (int32_t)(x >> 16)
 *   srand48(s)               x = s << 16 | 0x330e
 *   seed48(x), lcong48(p)    set x / x, a and c; seed48 returns the
 *                            previous x in a per-process array
 *
 * The state lives in the process's AppProc (app_world.h): a process
 * launched from an image starts from libc_prng_init's; one started with
 * zx_process_start in its parent's copy gets a copy of the parent's, as
 * fork's child would (app_world.c). The rule, as in libc_random.c: app
 * code of a simulated process gets these, anyone else libc's own. Left
 * out: glibc's _r forms (random_r, drand48_r...), whose state is the
 * caller's already. Read next: libc_static_buffers.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app_world.h"
#include "libc_next.h"

/* x[3] = 0, a = 0x5deece66d, c = 0xb, as 16-bit words, low first. */
static const unsigned short libc_prng_rand48_init[7] = {0, 0, 0, 0xe66d, 0xdeec, 0x5, 0xb};

void libc_prng_init(AppPrng *s)
{
    memset(s, 0, sizeof *s);
    memcpy(s->rand48, libc_prng_rand48_init, sizeof s->rand48);
}

/* The calling process's state in app code, else NULL (libc's serves). */
static AppPrng *libc_prng_mine(void)
{
    if (!app_world_in_app_code())
        return NULL;
    AppProc *ap = app_world_current_proc();
    return ap ? &ap->prng : NULL;
}

/* Opens the body of libc function `name` of type `type`: outside app code
 * it returns libc's answer to `args`; after it, `s` is the process's
 * state. (_VOID: for a function returning nothing.) */
#define LIBC_PRNG_STATE(name, type, args)                                      \
    LIBC_NEXT_SLOT(name);                                                      \
    AppPrng *s = libc_prng_mine();                                             \
    if (!s)                                                                    \
    return LIBC_NEXT(type, name) args
#define LIBC_PRNG_STATE_VOID(name, type, args)                                 \
    LIBC_NEXT_SLOT(name);                                                      \
    AppPrng *s = libc_prng_mine();                                             \
    if (!s) {                                                                  \
        LIBC_NEXT(type, name) args;                                            \
        return;                                                                \
    }

/* ---- rand --------------------------------------------------------------------*/

int rand(void)
{
    LIBC_PRNG_STATE(rand, int (*)(void), ());
    s->rand_seed = UINT64_C(6364136223846793005) * s->rand_seed + 1;
    return (int)(s->rand_seed >> 33);
}

void srand(unsigned seed)
{
    LIBC_PRNG_STATE_VOID(srand, void (*)(unsigned), (seed));
    s->rand_seed = seed - 1u; /* in unsigned, as musl: srand(0) gives 2^32 - 1 */
}

int rand_r(unsigned *seed)
{
    LIBC_PRNG_STATE(rand_r, int (*)(unsigned *), (seed));
    (void)s; /* the caller's word is the state */
    unsigned x = *seed = *seed * 1103515245u + 12345u;
    x ^= x >> 11;
    x ^= x << 7 & 0x9d2c5680u;
    x ^= x << 15 & 0xefc60000u;
    x ^= x >> 18;
    return (int)(x / 2);
}

/* ---- random: Fuchsia's counter -------------------------------------------------*/

long random(void)
{
    LIBC_PRNG_STATE(random, long (*)(void), ());
    uint64_t value = ++s->random_counter;
    if (s->random_counter > RAND_MAX)
        s->random_counter = 0;
    return (long)value;
}

void srandom(unsigned seed)
{
    LIBC_PRNG_STATE_VOID(srandom, void (*)(unsigned), (seed));
    s->random_counter = seed;
}

char *initstate(unsigned seed, char *state, size_t n)
{
    LIBC_PRNG_STATE(initstate, char *(*)(unsigned, char *, size_t), (seed, state, n));
    s->random_counter = seed;
    return (char *)&s->random_counter;
}

char *setstate(char *state)
{
    LIBC_PRNG_STATE(setstate, char *(*)(char *), (state));
    return (char *)&s->random_counter;
}

/* ---- the drand48 family -------------------------------------------------------*/

/* One step of x = a * x + c (mod 2^48) on x (3 words), with the
 * process's a and c; the new x. */
static uint64_t libc_prng_step48(const AppPrng *s, unsigned short x[3])
{
    const unsigned short *p = s->rand48 + 3;
    uint64_t v = x[0] | (uint64_t)x[1] << 16 | (uint64_t)x[2] << 32;
    uint64_t a = p[0] | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 32;
    v = (a * v + p[3]) & UINT64_C(0xffffffffffff);
    x[0] = (unsigned short)v;
    x[1] = (unsigned short)(v >> 16);
    x[2] = (unsigned short)(v >> 32);
    return v;
}

/* 48 bits as a double in [0, 1): the top 52 bits of a mantissa. */
static double libc_prng_double(uint64_t x48)
{
    union {
        uint64_t u;
        double d;
    } v = {UINT64_C(0x3ff0000000000000) | x48 << 4};
    return v.d - 1.0;
}

double erand48(unsigned short x[3])
{
    LIBC_PRNG_STATE(erand48, double (*)(unsigned short *), (x));
    return libc_prng_double(libc_prng_step48(s, x));
}

double drand48(void)
{
    LIBC_PRNG_STATE(drand48, double (*)(void), ());
    return libc_prng_double(libc_prng_step48(s, s->rand48));
}

long nrand48(unsigned short x[3])
{
    LIBC_PRNG_STATE(nrand48, long (*)(unsigned short *), (x));
    return (long)(libc_prng_step48(s, x) >> 17);
}

long lrand48(void)
{
    LIBC_PRNG_STATE(lrand48, long (*)(void), ());
    return (long)(libc_prng_step48(s, s->rand48) >> 17);
}

long jrand48(unsigned short x[3])
{
    LIBC_PRNG_STATE(jrand48, long (*)(unsigned short *), (x));
    return (long)(int32_t)(libc_prng_step48(s, x) >> 16);
}

long mrand48(void)
{
    LIBC_PRNG_STATE(mrand48, long (*)(void), ());
    return (long)(int32_t)(libc_prng_step48(s, s->rand48) >> 16);
}

/* seed48's work (srand48 does it too, as musl's calls seed48). */
static unsigned short *libc_prng_seed48(AppPrng *s, const unsigned short x[3])
{
    memcpy(s->seed48_old, s->rand48, sizeof s->seed48_old);
    memcpy(s->rand48, x, 3 * sizeof *x);
    return s->seed48_old;
}

unsigned short *seed48(unsigned short x[3])
{
    LIBC_PRNG_STATE(seed48, unsigned short *(*)(unsigned short *), (x));
    return libc_prng_seed48(s, x);
}

void srand48(long seed)
{
    LIBC_PRNG_STATE_VOID(srand48, void (*)(long), (seed));
    unsigned short x[3] = {0x330e, (unsigned short)seed, (unsigned short)(seed >> 16)};
    libc_prng_seed48(s, x);
}

void lcong48(unsigned short p[7])
{
    LIBC_PRNG_STATE_VOID(lcong48, void (*)(unsigned short *), (p));
    memcpy(s->rand48, p, sizeof s->rand48);
}
