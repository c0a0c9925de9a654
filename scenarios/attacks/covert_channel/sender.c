/* sender.c — the covert_channel scenario's sender: transmits a message
 * through nothing but its own use of the CPU.
 *
 * Slot i (from the protocol's start, one slot per bit, most significant
 * bit of each byte first): bit 1 — compute until the slot ends (units of
 * COVERT_UNIT virtual ns, each a preemption point); bit 0 — sleep until
 * the slot ends. It holds no handle that reaches the receiver: nothing in
 * the capability graph connects them. What connects them is the CPU they
 * share: a thread that computes keeps it (Zircon switches equal-priority
 * threads only when one blocks, yields or uses up its time slice).
 * Prints the bits it sent; returns 0.
 */
#include <capsim/app.h>
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "covert.h"

int covert_sender_main(int argc, char **argv)
{
    CovertProto p;
    covert_proto(argc, argv, &p);
    const char *msg = attack_arg(argc, argv, "--message=", NULL);
    if (!msg)
        msg = "capsim";
    size_t nbits = strlen(msg) * 8;
    if (nbits > COVERT_MAX_BITS)
        nbits = COVERT_MAX_BITS;
    char bits[COVERT_MAX_BITS + 1];
    for (size_t i = 0; i < nbits; i++)
        bits[i] = ((unsigned char)msg[i / 8] >> (7 - i % 8)) & 1 ? '1' : '0';
    bits[nbits] = '\0';
    zx_nanosleep(p.start);
    for (size_t i = 0; i < nbits; i++) {
        int64_t end = p.start + (int64_t)(i + 1) * p.slot;
        if (bits[i] == '1') {
            while (capsim_now() < end)
                capsim_preempt_point(COVERT_UNIT);
        } else {
            zx_nanosleep(end);
        }
    }
    printf("sender: sent %zu bits: %s\n", nbits, bits);
    return 0;
}
