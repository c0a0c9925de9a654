/* receiver.c — the covert_channel scenario's receiver: decodes the
 * sender's CPU use from how much work it gets done itself.
 *
 * It runs units of COVERT_UNIT virtual ns of computation, yielding after
 * each (so a runnable sender gets the CPU at once), and counts the units
 * that complete in each slot. Alone on its CPU it completes about
 * slot / unit of them; when the sender computes through a slot on the same
 * CPU, it completes almost none. A count below half the slot's capacity
 * reads as 1. Prints the decoded bits, the text they spell (non-printable
 * bytes as '.') and the per-slot counts' range; returns 0.
 */
#include <capsim/app.h>
#include <stdio.h>
#include <stdlib.h>

#include "covert.h"

static void covert_print_text(const char *bits, int nbits)
{
    char text[COVERT_MAX_BITS / 8 + 1];
    int n = 0;
    for (int i = 0; i + 8 <= nbits; i += 8) {
        int c = 0;
        for (int j = 0; j < 8; j++)
            c = (c << 1) | (bits[i + j] == '1');
        text[n++] = c >= 32 && c < 127 ? (char)c : '.';
    }
    text[n] = '\0';
    printf("receiver: as text: \"%s\"\n", text);
}

int covert_receiver_main(int argc, char **argv)
{
    CovertProto p;
    covert_proto(argc, argv, &p);
    const char *b = attack_arg(argc, argv, "--bits=", NULL);
    int nbits = b ? atoi(b) : 48;
    if (nbits < 1 || nbits > COVERT_MAX_BITS)
        nbits = 48;
    static int count[COVERT_MAX_BITS];
    int64_t end = p.start + (int64_t)nbits * p.slot;
    while (capsim_now() < end) {
        capsim_charge(COVERT_UNIT);
        capsim_yield();
        int64_t t = capsim_now();
        if (t >= p.start && t < end)
            count[(t - p.start) / p.slot]++;
    }
    int full = (int)(p.slot / COVERT_UNIT), lo = full, hi = 0;
    char bits[COVERT_MAX_BITS + 1];
    for (int i = 0; i < nbits; i++) {
        bits[i] = count[i] < full / 2 ? '1' : '0';
        lo = count[i] < lo ? count[i] : lo;
        hi = count[i] > hi ? count[i] : hi;
    }
    bits[nbits] = '\0';
    printf("receiver: got %d bits: %s\n", nbits, bits);
    covert_print_text(bits, nbits);
    printf("receiver: units per slot ranged %d..%d (about %d when alone)\n", lo, hi, full);
    return 0;
}
