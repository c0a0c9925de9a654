"""double_fetch — a server checks a length in shared memory, then reads it again.

The client shares a VMO with the server and writes requests into it; the
server's session keeps a request's body in a 64-byte buffer followed by
the session's role ("guest"). The vulnerable server checks `len` in the
shared memory and then reads it AGAIN to copy; the client's second thread
flips `len` between 16 and 70 while the request is in flight. If the
scheduler switches threads between the server's two reads, the server
copies 70 bytes and the 6 past its buffer ("ADMIN") become its role. Both
actors are built instrumented (pkg-config capsim-app-instrumented: every
basic block a preemption point), so the race lives in app code, where
FIFO never shows it and some seeds of the random walk do. The mitigated
server copies the header once and uses only its copy.

Variants: 'vulnerable' and 'mitigated' run under the random walk with seed
RACY_SEED, one that `capsim explore` found to overflow the fetch-twice
server (it replays exactly); 'explore' is the fetch-twice server under the
default FIFO schedule, for exploring:

    capsim explore double_fetch --variant explore --seeds 1:60
    capsim replay double_fetch --variant explore --seed <a failing seed>

Actors (C, this folder): server.c, client.c, double_fetch.h. C test:
tests/attacks/test_double_fetch.c. Docs: docs/scenarios/double_fetch.md.
"""
from capsim import Syscall
from capsim.attacks import actor_file
from capsim.scenario import Scenario

NAME = "double_fetch"
RACY_SEED = 3          # found by: capsim explore double_fetch --variant explore --seeds 1:60

RACY = {"strategy": "random", "seed": RACY_SEED}

scenario = Scenario(
    NAME,
    "Shared-memory double fetch: checked once, used twice",
    variants={
        "vulnerable": {"fetch": "twice", "system": RACY,
                       "description": "fetch-twice server, random walk seed %d (races)"
                                      % RACY_SEED},
        "mitigated": {"fetch": "once", "system": RACY,
                      "description": "fetch-once server, same schedule seed"},
        "explore": {"fetch": "twice",
                    "description": "fetch-twice server under FIFO: run `capsim explore` on it"},
    },
    narration=[
        "The client creates the VMO 'shared-request', maps it read-write and sends the "
        "server a read-only duplicate; the server maps it read-only.",
        "The client writes an honest request (len 16; bytes 64..69 of its data are "
        "'ADMIN') and starts a second thread that keeps setting len to 70 and back to 16.",
        "The client tells the server to look (a 'req' message) and waits for the reply.",
        "Vulnerable server: reads len (16 <= 64: fine), then reads len again to copy. "
        "Under seed %d the scheduler switches to the flipper between the two reads: the "
        "copy is 70 bytes, and the server's role becomes 'ADMIN'." % RACY_SEED,
        "Mitigated server: copies the header into private memory once; whatever the "
        "flipper does afterwards, the copy it checked is the copy it uses.",
        "The capability graph is the same in every variant (snapshot 'reply', when the "
        "server answers): the bug is not a capability the client holds but memory both "
        "map — look at the two mapping edges to 'shared-request'.",
    ],
    graph="reply",
)


@scenario.setup
def setup(run):
    a, b = run.system.channel()
    run.spawn("server", actor_file(run, "server.so"), handles=[a],
              args=["--fetch-%s" % run.params["fetch"]])
    run.spawn("client", actor_file(run, "client.so"), handles=[b])
    run.snapshot_at("reply", Syscall("channel_write", process="server"))


@scenario.expect("the client gets an answer to its request")
def answered(run):
    return "client: request 0:" in run.output("client")


@scenario.expect("the server never copies past its 64-byte buffer", vulnerable=False)
def no_overflow(run):
    lines = [l for l in run.output("server").splitlines() if "OVERFLOW" in l]
    return not lines, lines[0] if lines else ""


@scenario.expect("the client stays a guest", vulnerable=False)
def still_guest(run):
    return "still a guest" in run.output("client") and run.return_code("client") == 0


@scenario.expect("both processes finish cleanly")
def finished(run):
    return run.ended("server") == "exited" and run.ended("client") == "exited"
