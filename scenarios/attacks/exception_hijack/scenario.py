"""exception_hijack — a debugger exception channel turns a crash into control.

A buggy launcher starts a victim that holds a secret, then gives an
attacker in a sandbox job a handle to the victim's process "so that it can
watch it" — duplicated with ZX_RIGHT_SAME_RIGHTS, so the watcher gets
MANAGE_THREAD and ENUMERATE too. The attacker binds the victim's debugger
exception channel, waits for the victim to crash on bad input, rewrites the
stopped thread's registers to point at its own payload and resumes it: the
payload runs on the victim's thread, with the victim's handle table, and
reads the secret. Mitigated: the launcher passes WAIT|INSPECT (and TRANSFER,
to hand it over) only; binding fails with ZX_ERR_ACCESS_DENIED and the
crash merely kills the victim.

Actors (C, this folder; one app, the process name picks the role):
launcher.c, victim.c, attacker.c. C test: tests/attacks/test_exception_hijack.c.
Docs: docs/scenarios/exception_hijack.md.
"""
from capsim import Syscall, zx
from capsim.attacks import actor_file, adopt
from capsim.scenario import Scenario

NAME = "exception_hijack"
SECRET = "launch-code 0451"


scenario = Scenario(
    NAME,
    "A watcher given a full process handle binds the debugger exception channel and "
    "hijacks a crash",
    variants={
        "vulnerable": {"args": ["--variant=vulnerable"],
                       "description": "the launcher duplicates the victim's process handle "
                                      "with ZX_RIGHT_SAME_RIGHTS"},
        "mitigated": {"args": ["--variant=mitigated"],
                      "description": "the launcher passes ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT "
                                     "(+ TRANSFER) only"},
    },
    narration=[
        "The launcher makes a VMO holding the secret, starts the victim in a job "
        "'victims' with it as PA_USER0, and starts the attacker in a job 'sandbox'.",
        "THE BUG: it hands the attacker a duplicate of its handle to the victim's "
        "process. Look at the attacker's edge to process 'victim' in the graph: all "
        "rights (vulnerable) or WAIT|INSPECT|TRANSFER (mitigated).",
        "The attacker calls zx_task_create_exception_channel(victim, "
        "ZX_EXCEPTION_CHANNEL_DEBUGGER). It needs INSPECT, DUPLICATE, TRANSFER, "
        "MANAGE_THREAD and ENUMERATE: ZX_OK, or ZX_ERR_ACCESS_DENIED. Snapshot 'bind' "
        "is taken when that call returns: with the bug, the victim's process has an "
        "exception edge to a channel whose other end the attacker holds.",
        "At 1 ms the victim stores through a NULL pointer: a page fault. Zircon stops "
        "the thread and asks the debugger channel first.",
        "The attacker reads the exception, gets the faulting thread from it, rewrites "
        "its registers (pc = its payload) and closes the exception as HANDLED: the "
        "thread restarts at the payload (trace note 'exception: thread redirected').",
        "The payload runs in the victim: it lists the victim's handle table, reads the "
        "secret from the VMO it finds and exits the victim with code 66. Mitigated: "
        "nobody handles the fault and the victim is killed with -1028.",
    ],
    graph="bind",
)


@scenario.setup
def setup(run):
    run.spawn("launcher", actor_file(run, "exception_hijack.so"), args=run.params["args"])


@scenario.drive
def drive(run):
    s = run.system
    r = s.run(until=Syscall("task_create_exception_channel", process="attacker"))
    if r.status == "matched":
        run.snapshot("bind")
    if not s.finished:
        s.run()
    adopt(run, "victim", "attacker")
    run.finish()


@scenario.expect("the launcher sets everything up")
def launcher_ok(run):
    return run.return_code("launcher") == 0 and "victim" in run.actors and \
        "attacker" in run.actors, (run.output("launcher").strip().splitlines() or [""])[-1]


@scenario.expect("the attacker's handle to the victim lacks MANAGE_THREAD", vulnerable=False)
def weak_handle(run):
    g = run.snapshots["bind"]
    victim = run.actor("victim").koid
    edges = [e for e in g.handles_of(run.actor("attacker").koid) if e.dst == victim]
    strong = [e for e in edges if e.rights & zx.rights("MANAGE_THREAD")]
    return bool(edges) and not strong, \
        "rights %s" % ", ".join(zx.rights_str(e.rights) for e in edges)


@scenario.expect("binding the victim's debugger exception channel is refused", vulnerable=False)
def bind_refused(run):
    refused = run.syscalls("task_create_exception_channel", "attacker",
                           status="ZX_ERR_ACCESS_DENIED")
    return bool(refused), "bound" if not refused else "ZX_ERR_ACCESS_DENIED"


@scenario.expect("no thread is redirected by an exception handler", vulnerable=False)
def not_redirected(run):
    notes = [r for r in run.events("note") if "thread redirected" in (r.text or "")]
    return not notes, "%d redirect(s)" % len(notes) if notes else ""


@scenario.expect("the secret never shows up in anyone's output", vulnerable=False)
def secret_kept(run):
    leaked = [n for n in ("victim", "attacker", "launcher") if SECRET in run.output(n)]
    return not leaked, "printed by: " + ", ".join(leaked) if leaked else ""


@scenario.expect("the victim dies of its own crash (exception kill), not by the payload",
                 vulnerable=False)
def victim_crashes(run):
    return run.ended("victim") == "exception" and \
        run.return_code("victim") == zx.CONSTANTS["ZX_TASK_RETCODE_EXCEPTION_KILL"], \
        "victim %s with %s" % (run.ended("victim"), run.return_code("victim"))
