"""revocation — taking back access that was handed out.

Zircon has no revoke: a handle in another process's table is that
process's until it closes it. An owner that connects a client to a service
by handing it an end of the service's channel cannot take that access back
(a channel end cannot even be duplicated, so it keeps no copy) short of
killing the service for everyone. The classic remedy is Redell's caretaker:
the owner interposes a forwarding process it controls, and gives the client
an end of a channel to the caretaker instead. To revoke, it kills the
caretaker: the kernel closes the caretaker's ends, the client's calls fail
with ZX_ERR_PEER_CLOSED, and the capability graph has no path from the
client to the service any more.

Actors (C, this folder; one app, the process name picks the role): owner.c
(the entry point; it starts the others), service.c, client.c, caretaker.c.
C test: tests/attacks/test_revocation.c. Docs: docs/scenarios/revocation.md.
"""
from capsim.attacks import actor_file, adopt
from capsim.scenario import Scenario

NAME = "revocation"
REVOKE_NS = 10500000


scenario = Scenario(
    NAME,
    "An owner takes back a client's access to a service: impossible directly, easy "
    "through a caretaker",
    variants={
        "vulnerable": {"args": ["--variant=vulnerable"],
                       "description": "the client holds an end of the service's channel"},
        "mitigated": {"args": ["--variant=mitigated"],
                      "description": "the client reaches the service through a caretaker "
                                     "the owner can kill"},
    },
    narration=[
        "The owner makes the service's channel and starts the service with one end, "
        "each actor in a job of its own.",
        "Vulnerable: it gives the client the other end itself. Mitigated: it starts a "
        "caretaker with that end and a channel of its own, and gives the client the "
        "caretaker's other end; the owner keeps the caretaker's process handle.",
        "The client calls the service (zx_channel_call, echoed) every millisecond, 20 "
        "times; the caretaker forwards requests and replies (bytes and handles alike). "
        "Snapshot 'granted' at 10 ms: follow the client's channel to the service.",
        "At 10.5 ms the owner revokes. Vulnerable: it holds nothing that reaches the "
        "client's end — Zircon has no revoke — so nothing happens. Mitigated: "
        "zx_task_kill on the caretaker; the kernel closes both of its channel ends.",
        "Snapshot 'revoked' at 12 ms: vulnerable — the client's path to the service is "
        "intact; mitigated — the caretaker is dead and the client's end is peer-closed: "
        "no path.",
        "From call 11 on the client's calls are answered (vulnerable) or fail with "
        "ZX_ERR_PEER_CLOSED (mitigated); the service, which saw its client side go, "
        "exits cleanly.",
    ],
    graph="revoked",
)


@scenario.setup
def setup(run):
    run.spawn("owner", actor_file(run, "revocation.so"), args=run.params["args"])


@scenario.drive
def drive(run):
    s = run.system
    s.run(until_ns=REVOKE_NS - 500000)
    adopt(run, "service", "client", "caretaker")
    run.snapshot("granted")
    s.run(until_ns=REVOKE_NS + 1500000)
    run.snapshot("revoked")
    if not s.finished:
        s.run()
    run.finish()


def _reaches_service(run, label):
    g = run.snapshots[label]
    client, service = run.actor("client").koid, run.actor("service").koid
    if client not in g._by_id:
        return []
    return [f for f in g.reach(client) if f.object == service]


@scenario.expect("before the revocation, the client reaches the service")
def granted(run):
    facts = _reaches_service(run, "granted")
    return bool(facts), "%s (%s)" % (facts[0].kind, facts[0].rule) if facts else "no path"


@scenario.expect("after the revocation, no path leads from the client to the service",
                 vulnerable=False)
def no_path_after(run):
    facts = _reaches_service(run, "revoked")
    return not facts, "still %s (%s)" % (facts[0].kind, facts[0].rule) if facts else ""


@scenario.expect("after the revocation, the client gets no answer", vulnerable=False)
def no_answers(run):
    after = run.return_code("client")
    return after == 0, "%s calls answered after the revocation" % after


@scenario.expect("the client's calls fail with ZX_ERR_PEER_CLOSED", vulnerable=False)
def peer_closed(run):
    failed = run.syscalls("channel_call", "client", status="ZX_ERR_PEER_CLOSED")
    return bool(failed), "%d calls failed so" % len(failed)


@scenario.expect("the service answers until its client side goes away, then exits cleanly")
def service_ok(run):
    return run.ended("service") == "exited" and run.return_code("service") == 0, \
        run.output("service").strip()


@scenario.expect("the owner sets everything up and reports")
def owner_ok(run):
    return run.return_code("owner") == 0 and "client" in run.actors, \
        (run.output("owner").strip().splitlines() or [""])[-1]
