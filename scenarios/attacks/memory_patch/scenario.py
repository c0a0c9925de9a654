"""memory_patch — a watchdog with WRITE on a process patches its stack.

A careless launcher starts a door service (the victim) and a watchdog (the
attacker) and sends the watchdog, over a channel, a duplicate of its
handle to the victim's process with ZX_RIGHT_SAME_RIGHTS: READ and WRITE
come with it, a debugger's rights. The victim keeps its session (user id,
role) in a local on its stack and reads the role afresh for each request.
The attacker lists the victim's mappings, searches its "initial-thread"
stack for the session with zx_process_read_memory and writes role = ADMIN
with zx_process_write_memory: the victim's next request unlocks the vault.
Mitigated: the launcher sends WAIT|INSPECT (and TRANSFER) only; the
attacker can still list the mappings, but reading and writing the
victim's memory fail with ZX_ERR_ACCESS_DENIED. Variant debugging_off:
the vulnerable launcher on a kernel with debugging syscalls off (Zircon's
default): the attacker finds the session, and its write fails with
ZX_ERR_NOT_SUPPORTED.

Actors (C, this folder; one app, the process name picks the role):
launcher.c, victim.c, attacker.c. C test: tests/attacks/test_memory_patch.c.
Docs: docs/scenarios/memory_patch.md.
"""
from capsim import Syscall, zx
from capsim.attacks import actor_file, adopt
from capsim.scenario import Scenario

NAME = "memory_patch"
SECRET = "vault combination 31-7-12"
DEBUGGING_ON = {"debugging_syscalls": True}


scenario = Scenario(
    NAME,
    "A watchdog sent a full process handle rewrites the victim's session on its stack",
    variants={
        "vulnerable": {"args": ["--variant=vulnerable"], "system": DEBUGGING_ON,
                       "description": "the launcher sends the victim's process handle with "
                                      "ZX_RIGHT_SAME_RIGHTS; debugging syscalls on"},
        "mitigated": {"args": ["--variant=mitigated"], "system": DEBUGGING_ON,
                      "description": "the launcher sends ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT "
                                     "(+ TRANSFER) only; debugging syscalls on"},
        "debugging_off": {"args": ["--variant=vulnerable"],
                          "description": "the vulnerable launcher on a kernel with debugging "
                                         "syscalls off (Zircon's default)"},
    },
    narration=[
        "The launcher starts the victim, a door service, in a job 'services', and "
        "the attacker, a watchdog, in a job 'sandbox' with one end of a channel.",
        "The victim keeps its session (a tag, user 1000, role 1 = guest) in a local "
        "of its main: on its 'initial-thread' stack mapping. It serves three "
        "requests, at 0, 1 and 2 ms, reading the role afresh for each.",
        "THE BUG: the launcher sends the watchdog a 'WATCH' message carrying a "
        "duplicate of its handle to the victim's process. Look at the attacker's "
        "edge to process 'victim' in the graph: all rights (vulnerable, "
        "debugging_off) or WAIT|INSPECT|TRANSFER (mitigated).",
        "The attacker lists the victim's mappings (ZX_INFO_PROCESS_MAPS, needs "
        "INSPECT: works in every variant) and reads its stack from the top down "
        "with zx_process_read_memory, which needs READ and WRITE, looking for the "
        "session's tag: found, or ZX_ERR_ACCESS_DENIED.",
        "It writes role = 7 (ADMIN) over the session with zx_process_write_memory "
        "(needs WRITE, and debugging syscalls on: ZX_ERR_NOT_SUPPORTED otherwise; "
        "refused the read, it probes a write at the bottom of the stack). "
        "Snapshot 'patch' is taken when that call returns.",
        "Vulnerable: the victim's requests 2 and 3 run as ADMIN and print the vault's "
        "combination; it returns 2. Otherwise every request stays a guest's and "
        "it returns 0.",
    ],
    graph="patch",
)


@scenario.setup
def setup(run):
    run.spawn("launcher", actor_file(run, "memory_patch.so"), args=run.params["args"])
    run.snapshot_at("patch", Syscall("process_write_memory", process="attacker"))


@scenario.drive
def drive(run):
    run.run_all()
    adopt(run, "victim", "attacker")
    run.finish()


@scenario.expect("the launcher sets everything up")
def launcher_ok(run):
    return run.return_code("launcher") == 0 and "victim" in run.actors and \
        "attacker" in run.actors, (run.output("launcher").strip().splitlines() or [""])[-1]


@scenario.expect("the attacker lists the victim's mappings")
def lists_mappings(run):
    return "list the victim's mappings: ZX_OK" in run.output("attacker")


@scenario.expect("the attacker never holds the victim's process handle with WRITE",
                 vulnerable=False, debugging_off=False)
def no_write_right(run):
    held = run.ever_held("attacker", type="process", rights="WRITE",
                         object=run.actor("victim").koid)
    return not held, "held process koid %d with WRITE" % held[0][0] if held else ""


@scenario.expect("the attacker cannot read the victim's memory",
                 vulnerable=False, debugging_off=False)
def read_denied(run):
    ok = run.syscalls("process_read_memory", "attacker", status="ZX_OK")
    denied = run.syscalls("process_read_memory", "attacker", status="ZX_ERR_ACCESS_DENIED")
    return not ok and bool(denied), "%d read(s) succeeded" % len(ok) if ok else \
        "ZX_ERR_ACCESS_DENIED"


@scenario.expect("no write into the victim's memory succeeds", vulnerable=False)
def no_write(run):
    ok = run.syscalls("process_write_memory", "attacker", status="ZX_OK")
    refused = [r.status for r in run.syscalls("process_write_memory", "attacker")
               if r.status != "ZX_OK"]
    return not ok, "%d write(s) succeeded" % len(ok) if ok else ", ".join(refused)


@scenario.expect("the victim serves every request as a guest", vulnerable=False)
def stays_guest(run):
    return run.return_code("victim") == 0, \
        "%s request(s) served as ADMIN" % run.return_code("victim")


@scenario.expect("the vault's combination never shows up in anyone's output",
                 vulnerable=False)
def secret_kept(run):
    leaked = [n for n in ("victim", "attacker", "launcher") if SECRET in run.output(n)]
    return not leaked, "printed by: " + ", ".join(leaked) if leaked else ""
