/* covert.h — the actors of the covert_channel scenario (one app,
 * covert_channel.so; the role is --role=NAME or the process name):
 *
 *   sender.c    knows a secret and no one to tell it to: it holds no
 *               handle reaching the receiver; it modulates its CPU use,
 *               one bit per time slot (busy = 1, asleep = 0);
 *   receiver.c  does small units of work all the time and counts how many
 *               complete in each slot: few when it shared the CPU with a
 *               busy sender. It prints what it decoded.
 *
 * Both agree on the protocol (start time, slot length, number of bits) as
 * covert-channel peers do, and read the same clock (virtual time since
 * boot). The host starts each in a job of its own; the mitigation is the
 * host's too: capsim_job_set_cpu_mask puts the two jobs on disjoint
 * virtual CPUs (capsim's per-job CPU mask, model/job_limits.c).
 * Options: --start-us=N (first slot, default 1000), --slot-us=N (default
 * 1000); sender --message=TEXT (default "capsim"); receiver --bits=N
 * (default 48). Read next: sender.c, receiver.c.
 */
#ifndef CAPSIM_ATTACK_COVERT_H
#define CAPSIM_ATTACK_COVERT_H

#include <stdint.h>

#include "attack_actor.h"

/* One unit of the receiver's work, and of the sender's busy loop (ns). */
#define COVERT_UNIT 10000
#define COVERT_MAX_BITS 512

typedef struct CovertProto {
    int64_t start;            /* absolute ns of slot 0 */
    int64_t slot;             /* ns per slot (= per bit) */
} CovertProto;

/* Reads --start-us / --slot-us. */
void covert_proto(int argc, char **argv, CovertProto *p);

int covert_sender_main(int argc, char **argv);
int covert_receiver_main(int argc, char **argv);

#endif
