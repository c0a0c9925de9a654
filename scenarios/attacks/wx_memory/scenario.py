"""wx_memory — executable memory despite policy.

A sandboxed program wants to run machine code it writes itself (what a JIT
does, and what an exploit with a write primitive needs). It marks a fresh
VMO executable with zx_vmo_replace_as_executable and no VMEX resource, then
tries two ways to run code it wrote: one mapping READ|WRITE|EXECUTE, and
two mappings of the same VMO, READ|WRITE at one address and READ|EXECUTE at
another (an alias: no single mapping is W+X). The code is real: on x86-64
and arm64 the sandbox calls the `return 42;` / `return 43;` it just wrote.

Variants (the sandbox job's policy, override DENY so the sandbox cannot
loosen it): vulnerable — none; wx_only — ZX_POL_VMAR_WX denied: the W+X
mapping is refused, the alias still runs code; mitigated — also
ZX_POL_AMBIENT_MARK_VMO_EXEC denied, as Fuchsia's component manager does for
components not allowlisted: no executable VMO, no generated code.

Actors (C, this folder; one app): sandbox.c (launcher.c sets the policy
itself for `capsim run wx_memory.so --variant=...`). C test:
tests/attacks/test_wx_memory.c. Docs: docs/scenarios/wx_memory.md.
"""
from capsim import Syscall, zx
from capsim.attacks import actor_file
from capsim.scenario import Scenario

NAME = "wx_memory"
WX = ("VMAR_WX", "DENY", "DENY")
MARK = ("AMBIENT_MARK_VMO_EXEC", "DENY", "DENY")


scenario = Scenario(
    NAME,
    "A sandbox writes code and runs it: W+X mappings, aliases, and the job policies "
    "that stop them",
    variants={
        "vulnerable": {"policy": [], "description": "the sandbox job has no policy"},
        "wx_only": {"policy": [WX], "description": "ZX_POL_VMAR_WX denied (only)"},
        "mitigated": {"policy": [WX, MARK],
                      "description": "ZX_POL_VMAR_WX and ZX_POL_AMBIENT_MARK_VMO_EXEC denied"},
    },
    narration=[
        "The host makes a job 'sandbox' with the variant's policy (override DENY: the "
        "sandbox cannot relax it in a child job) and starts the sandbox in it with the "
        "standard startup handles — its root VMAR may map executable pages, as every "
        "process's may.",
        "The sandbox creates a VMO (allowed) and calls zx_vmo_replace_as_executable with "
        "ZX_HANDLE_INVALID as the VMEX resource. Without a VMEX resource the job policy "
        "ZX_POL_AMBIENT_MARK_VMO_EXEC decides: ZX_OK and an EXECUTE handle, or "
        "ZX_ERR_ACCESS_DENIED (and the source handle is gone anyway).",
        "Way 1, 'wx': zx_vmar_map READ|WRITE|EXECUTE. ZX_POL_VMAR_WX decides. If it is "
        "mapped, the sandbox writes `return 42;` in machine code and calls it.",
        "Way 2, 'alias': map the same VMO READ|WRITE here and READ|EXECUTE there. No "
        "mapping is W+X, so ZX_POL_VMAR_WX has nothing to say: write through one, call "
        "through the other (`return 43;`).",
        "Snapshot 'mapped' is taken after its last mapping call: look at the sandbox's "
        "mapping edges (dashed purple) to the VMO and their R/W/X labels. The sandbox's "
        "return code is how many ways ran its code: 2, 1 or 0.",
    ],
    graph="mapped",
)


@scenario.setup
def setup(run):
    s = run.system
    policy = run.params["policy"]
    job = s.job("sandbox", policy=policy) if policy else s.job("sandbox")
    run.spawn("sandbox", actor_file(run, "wx_memory.so"), job=job)


@scenario.drive
def drive(run):
    """Snapshot 'mapped' after the mark-executable call, then again after each
    zx_vmar_map of the sandbox: the last one shows every mapping it made."""
    s = run.system
    for event in [Syscall("vmo_replace_as_executable", process="sandbox")] + \
            [Syscall("vmar_map", process="sandbox")] * 3:
        if s.finished or s.run(until=event).status != "matched":
            break
        run.snapshot("mapped")
    if not s.finished:
        s.run()
    run.finish()


def _mappings(run):
    """(vmo koid, rights as R/W/X) of every mapping in snapshot 'mapped'."""
    g = run.snapshots.get("mapped")
    if g is None:
        return []
    return [(e.dst, e.rights) for e in g.edges if e.kind == "mapping"]


@scenario.expect("the sandbox finishes normally")
def finishes(run):
    return run.ended("sandbox") == "exited", run.ended("sandbox")


@scenario.expect("a VMO cannot be marked executable without a VMEX resource",
                 vulnerable=False, wx_only=False)
def no_ambient_exec(run):
    refused = run.syscalls("vmo_replace_as_executable", "sandbox",
                           status="ZX_ERR_ACCESS_DENIED")
    return bool(refused), "refused by policy" if refused else "marked executable"


@scenario.expect("no mapping is writable and executable at once", vulnerable=False)
def no_wx_mapping(run):
    w, x = zx.rights("WRITE"), zx.rights("EXECUTE")
    both = [k for k, r in _mappings(run) if r & w and r & x]
    return not both, "vmo %d mapped W+X" % both[0] if both else ""


@scenario.expect("no VMO is mapped writable in one place and executable in another",
                 vulnerable=False, wx_only=False)
def no_alias(run):
    w, x = zx.rights("WRITE"), zx.rights("EXECUTE")
    maps = _mappings(run)
    writable = {k for k, r in maps if r & w}
    aliased = sorted({k for k, r in maps if r & x and k in writable})
    return not aliased, "vmo %d is both" % aliased[0] if aliased else ""


@scenario.expect("the sandbox never runs code it generated", vulnerable=False, wx_only=False)
def no_generated_code(run):
    ran = run.return_code("sandbox")
    return ran == 0, "%s way(s) ran generated code" % ran


@scenario.expect("the sandbox never holds an EXECUTE handle to a VMO",
                 vulnerable=False, wx_only=False)
def no_exec_handle(run):
    held = run.ever_held("sandbox", type="vmo", rights="EXECUTE")
    return not held, "held vmo %d with EXECUTE" % held[0][0] if held else ""
