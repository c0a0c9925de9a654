"""covert_channel — information flows where no capability does.

A sender and a receiver run in jobs of their own; neither holds a handle
that reaches the other, and the authority analysis finds no path between
them. Yet they share a virtual CPU: the sender computes through a 1 ms time
slot to send a 1 and sleeps through it to send a 0; the receiver does small
units of work all the time and counts how many complete per slot — almost
none when the sender held the CPU. It decodes the message bit for bit.

Both variants run on 2 virtual CPUs with capsim's per-job CPU mask (a
capsim extension: capsim_job_set_cpu_mask, model/job_limits.c).
Vulnerable: both sandboxes' jobs may use CPU 0 only (say CPU 1 is reserved
for the system) — they share it. Mitigated: the CPUs are partitioned by
domain — the sender's job gets CPU 0, the receiver's CPU 1 — and the
receiver reads only zeros: the channel's capacity drops to zero.

Actors (C, this folder; one app, the process name picks the role):
sender.c, receiver.c. C test: tests/attacks/test_covert_channel.c.
Docs: docs/scenarios/covert_channel.md.
"""
import math

from capsim._ffi import lib
from capsim.attacks import actor_file
from capsim.errors import check
from capsim.scenario import Scenario

NAME = "covert_channel"
MESSAGE = "capsim!"
NBITS = 8 * len(MESSAGE)
SLOT_NS = 1000000


# The host API's per-job CPU mask (capsim_host.h, "Resource limits"),
# which the System class does not wrap (yet).
def set_cpu_mask(system, job_koid, mask):
    check(system._ptr(), lib().capsim_job_set_cpu_mask(system._ptr(), job_koid, mask),
          "cpu mask")


scenario = Scenario(
    NAME,
    "Two processes with no capability path between them talk through CPU contention",
    variants={
        "vulnerable": {"masks": (0x1, 0x1),
                       "description": "both sandboxes run on CPU 0 (a shared virtual CPU)"},
        "mitigated": {"masks": (0x1, 0x2),
                      "description": "CPUs partitioned by domain: sender CPU 0, receiver CPU 1"},
    },
    system={"cpus": 2},
    narration=[
        "The host starts the sender and the receiver, each in a new job under the root "
        "job, with only the standard startup handles, and sets each job's CPU mask "
        "(capsim's per-job CPU mask; the same CPU in the vulnerable variant, disjoint "
        "CPUs in the mitigated one). Snapshot 'start': two islands — nothing connects them.",
        "From 1 ms on, time is cut in 1 ms slots, one per bit of \"%s\" (%d bits). The "
        "sender computes through a slot for a 1 and sleeps through it for a 0." % (MESSAGE, NBITS),
        "The receiver computes in units of 10 µs, yielding after each, and counts the "
        "units that complete in each slot: about 100 alone, almost none when a busy "
        "sender shares its CPU (an equal-priority thread that computes keeps the CPU "
        "until its time slice ends). Fewer than half reads as a 1.",
        "Vulnerable: the receiver prints the message it decoded; the bit error rate is 0 "
        "and the mutual information between sent and received bits is ~1 bit per slot: "
        "~1000 bit/s of virtual time, along no path the capability graph has.",
        "Mitigated: the receiver always gets its full CPU, reads only zeros, and the "
        "mutual information is 0: the channel is gone, while the graph did not change.",
    ],
    graph="start",
)


@scenario.setup
def setup(run):
    s = run.system
    app = actor_file(run, "covert_channel.so")
    sender = run.spawn("sender", app, args=["--message=" + MESSAGE])
    receiver = run.spawn("receiver", app, args=["--bits=%d" % NBITS])
    smask, rmask = run.params["masks"]
    set_cpu_mask(s, sender.job, smask)
    set_cpu_mask(s, receiver.job, rmask)
    run.snapshot("start")


def _bits(run, actor_name, key):
    out = run.output(actor_name)
    at = out.find(key)
    return out[at + len(key):at + len(key) + NBITS] if at >= 0 else ""


def measure(run):
    """(bit error rate, mutual information in bit/slot) of the run."""
    sent, got = _bits(run, "sender", "sent %d bits: " % NBITS), \
        _bits(run, "receiver", "got %d bits: " % NBITS)
    if len(sent) != NBITS or len(got) != NBITS:
        raise AssertionError("missing bits (sender %r, receiver %r)" % (sent, got))
    ber = sum(a != b for a, b in zip(sent, got)) / NBITS
    joint = {(x, y): sum(1 for a, b in zip(sent, got) if (a, b) == (x, y)) / NBITS
             for x in "01" for y in "01"}
    px = {x: joint[(x, "0")] + joint[(x, "1")] for x in "01"}
    py = {y: joint[("0", y)] + joint[("1", y)] for y in "01"}
    info = sum(p * math.log2(p / (px[x] * py[y])) for (x, y), p in joint.items() if p > 0)
    return ber, info


@scenario.expect("no capability path connects the sender and the receiver")
def no_path(run):
    g = run.snapshots["start"]
    s, r = run.actor("sender").koid, run.actor("receiver").koid
    bad = [f for f in g.reach(s) if f.object == r] + [f for f in g.reach(r) if f.object == s]
    return not bad, "%s %s" % (bad[0].kind, bad[0].rule) if bad else \
        "%d facts for the sender, none about the receiver" % len(g.reach(s))


@scenario.expect("no information flows from the sender to the receiver", vulnerable=False)
def no_flow(run):
    ber, info = measure(run)
    return info < 0.05, "bit error rate %.2f, mutual information %.3f bit/slot = %.0f bit/s " \
        "of virtual time" % (ber, info, info * 1e9 / SLOT_NS)


@scenario.expect("the receiver gets at least one bit in ten wrong", vulnerable=False)
def errors(run):
    ber, _ = measure(run)
    lines = run.output("receiver").splitlines()
    return ber >= 0.1, "bit error rate %.2f; %s" % (ber, lines[1].strip() if len(lines) > 1 else "")


@scenario.expect("each domain's threads run only on its own CPU", only=["mitigated"])
def partitioned(run):
    s, r = run.actor("sender").koid, run.actor("receiver").koid
    seen = {s: set(), r: set()}
    for rec in run.trace:
        if rec.process in seen and rec.cpu >= 0:
            seen[rec.process].add(rec.cpu)
    return seen[s] == {0} and seen[r] == {1}, "sender on CPUs %s, receiver on %s" % (
        sorted(seen[s]), sorted(seen[r]))


@scenario.expect("both actors finish")
def finish(run):
    return run.return_code("sender") == 0 and run.return_code("receiver") == 0
