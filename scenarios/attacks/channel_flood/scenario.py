"""channel_flood — a writer that does not wait for its reader.

Zircon lets at most 3500 messages wait unread on one channel endpoint
(kMaxPendingMessageCount). A write that leaves more than that is queued,
and then the writer's thread takes a ZX_EXCP_POLICY_ERROR exception with
synth code ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE — fatal unless someone
handles it. So a flooder cannot grow the kernel's memory through one
channel; but a server that simply stops reading kills every client that
streams to it without flow control.

A collector stalls (reads nothing for 20 ms); a producer streams 4000
events to it. Vulnerable: fire-and-forget — write 3501 kills the producer.
Mitigated: the producer keeps at most 64 events unacknowledged and waits
for acks: it waits out the stall and delivers all 4000. In both, ping and
pong — unrelated processes with a channel of their own — complete all 100
round trips: the limit is per endpoint.

Actors (C, this folder; one app, the process name picks the role):
collector.c, producer.c, bystander.c (launcher.c wires the same for
`capsim run channel_flood.so --variant=...`). C test:
tests/attacks/test_channel_flood.c. Docs: docs/scenarios/channel_flood.md.
"""
from capsim.attacks import actor_file
from capsim.scenario import Scenario

NAME = "channel_flood"
# <zircon/syscalls/exception.h>
ZX_EXCP_POLICY_ERROR = 0x8208
ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE = 16


scenario = Scenario(
    NAME,
    "A stalled server and a writer without flow control: Zircon's channel limit kills "
    "the writer",
    variants={
        "vulnerable": {"window": 0, "description": "the producer writes fire-and-forget"},
        "mitigated": {"window": 64,
                      "description": "the producer keeps at most 64 events unacknowledged"},
    },
    narration=[
        "The host makes two channels and starts four actors, each in a job of its own: "
        "the collector and the producer share one channel, ping and pong the other. "
        "Nothing connects the two pairs.",
        "The collector stalls: it reads nothing until 20 ms (busy, blocked or malicious — "
        "the producer cannot tell).",
        "The producer streams 4000 events. Fire-and-forget (vulnerable), they pile up "
        "unread; at write 3501 the queue passes Zircon's limit of 3500: the message is "
        "queued, then the producer's thread takes ZX_EXCP_POLICY_ERROR with synth code "
        "CHANNEL_FULL_WRITE (trace: an 'exception' record 'raised'). Nobody handles it: "
        "the producer is killed (-1028).",
        "With a window (mitigated), the producer sends 64 events that ask for acks and "
        "then waits for an ack before each further event: it is blocked, not killed, "
        "while the collector stalls.",
        "Snapshot 'stall' at 15 ms: vulnerable — the producer is gone and its end of the "
        "channel with it; mitigated — it is still there, connected to the collector.",
        "At 20 ms the collector wakes and drains its channel: 3501 events (vulnerable) or "
        "all 4000, acking each (mitigated). Meanwhile ping and pong did 100 round trips, "
        "one every 200 µs, unaffected in both variants.",
    ],
    graph="stall",
)


@scenario.setup
def setup(run):
    s = run.system
    app = actor_file(run, "channel_flood.so")
    c0, c1 = s.channel()
    p0, p1 = s.channel()
    run.spawn("collector", app, handles=[c0])
    run.spawn("producer", app, args=["--window=%d" % run.params["window"]], handles=[c1])
    run.spawn("ping", app, handles=[p0])
    run.spawn("pong", app, handles=[p1])


@scenario.drive
def drive(run):
    s = run.system
    s.run(until_ns=15000000)
    run.snapshot("stall")
    if not s.finished:
        s.run()
    run.finish()


def _full_write_exceptions(run):
    return [r for r in run.events("exception") if r.b == ZX_EXCP_POLICY_ERROR
            and r.c == ZX_EXCP_POLICY_CODE_CHANNEL_FULL_WRITE]


@scenario.expect("no writer takes the CHANNEL_FULL_WRITE policy exception", vulnerable=False)
def no_full_write(run):
    hits = _full_write_exceptions(run)
    return not hits, "raised at %d ns on thread koid %d" % (hits[0].time, hits[0].a) \
        if hits else ""


@scenario.expect("the producer survives the collector's stall", vulnerable=False)
def producer_survives(run):
    return run.ended("producer") == "exited" and run.return_code("producer") == 0, \
        "producer %s with %s" % (run.ended("producer"), run.return_code("producer"))


@scenario.expect("all 4000 events reach the collector", vulnerable=False)
def all_delivered(run):
    out = run.output("collector")
    return "received 4000 events" in out, out.strip().splitlines()[-1] if out.strip() else ""


@scenario.expect("the stalled collector itself is unharmed: it drains its channel and exits")
def collector_ok(run):
    return run.ended("collector") == "exited" and run.return_code("collector") == 0


@scenario.expect("ping and pong, unrelated, complete every round trip")
def bystanders(run):
    return run.return_code("ping") == 0 and run.return_code("pong") == 0 and \
        "100/100 round trips" in run.output("ping"), run.output("ping").strip()
