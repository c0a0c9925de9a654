/* rng.c — the seeded random generator and its named streams.
 *
 * Models: all randomness in a simulation. The generator is xoshiro256**
 * (Blackman & Vigna, 2018): 256 bits of state, period 2^256 - 1, fast and
 * statistically strong for simulation (it is not a CSPRNG; zx_cprng_draw in
 * the model only needs reproducibility, not secrecy).
 *
 * Streams: the state of stream "name" is SplitMix64 expanded from
 * seed XOR FNV-1a-64(name). Each consumer draws from its own stream, so adding
 * a consumer (or a draw) in one stream never perturbs the others.
 *
 * Invariants: the state is never all zero (SplitMix64 cannot produce four
 * zero words in a row from one seed). sim_rng_below() is unbiased (Lemire's
 * multiply-and-reject, 2019) and consumes a deterministic number of draws for
 * a given state.
 *
 * Mixing (sim_rng_mix, what zx_cprng_add_entropy does to the "cprng"
 * stream): the bytes, taken as little-endian words with their length, are
 * absorbed into a SplitMix64 chain started from the state; each state word
 * is XORed with the chain's next output. Deterministic (same state, same
 * bytes: same result), and every later draw depends on every byte. A state
 * that came out all zero (a 2^-256 chance) is re-expanded from the chain.
 *
 * Leaves out: jump-ahead (streams are separated by seeding instead) and
 * floating-point draws (virtual time is integral; nothing needs them).
 *
 * Read next: engine.c (which owns one SimRng per SimStream).
 */
#include "sim.h"

static const char *const rng_stream_names[SIM_STREAM_COUNT] = {
    [SIM_STREAM_SCHED] = "sched",
    [SIM_STREAM_HANDLES] = "handles",
    [SIM_STREAM_CPRNG] = "cprng",
    [SIM_STREAM_FAULTS] = "faults",
    [SIM_STREAM_SCENARIO] = "scenario",
};

const char *rng_stream_name(SimStream which)
{
    return (unsigned)which < SIM_STREAM_COUNT ? rng_stream_names[which] : "?";
}

static uint64_t rng_fnv1a64(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t rng_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void sim_rng_init(SimRng *rng, uint64_t seed, const char *stream_name)
{
    uint64_t x = seed ^ rng_fnv1a64(stream_name);
    for (int i = 0; i < 4; i++)
        rng->s[i] = rng_splitmix64(&x);
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(SimRng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

/* Lemire, "Fast Random Integer Generation in an Interval" (TOMACS 2019):
 * the high word of a 64x64->128 product is uniform once the low word is
 * outside the biased zone [0, 2^64 mod bound). */
uint64_t sim_rng_below(SimRng *rng, uint64_t bound)
{
    if (bound <= 1)
        return 0;
    unsigned __int128 m = (unsigned __int128)sim_rng_next(rng) * bound;
    uint64_t lo = (uint64_t)m;
    if (lo < bound) {
        uint64_t threshold = -bound % bound;
        while (lo < threshold) {
            m = (unsigned __int128)sim_rng_next(rng) * bound;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

void sim_rng_mix(SimRng *rng, const void *bytes, size_t len)
{
    if (len == 0)
        return;
    const unsigned char *p = bytes;
    uint64_t x = rng->s[0] ^ rng_rotl(rng->s[1], 16) ^ rng_rotl(rng->s[2], 32) ^
                 rng_rotl(rng->s[3], 48) ^ len;
    for (size_t at = 0; at < len; at += 8) {
        uint64_t word = 0;
        for (size_t k = 0; k < 8 && at + k < len; k++)
            word |= (uint64_t)p[at + k] << (8 * k);   /* the same on any host */
        x ^= word;
        x = rng_splitmix64(&x);
    }
    uint64_t any = 0;
    for (int i = 0; i < 4; i++)
        any |= rng->s[i] ^= rng_splitmix64(&x);
    for (int i = 0; !any && i < 4; i++)
        any |= rng->s[i] = rng_splitmix64(&x);
}
