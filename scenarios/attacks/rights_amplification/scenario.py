"""rights_amplification — asking the kernel for more rights than a handle has.

The owner shares a READ-only view of its configuration VMO and a
monitor-only handle (ENUMERATE|INSPECT) to its own job. The attacker asks
the kernel to turn them into strong handles four ways: zx_handle_duplicate
and zx_handle_replace asking for WRITE, zx_vmo_replace_as_executable with
no VMEX resource while its job denies ZX_POL_AMBIENT_MARK_VMO_EXEC, and
zx_object_get_child asking for a process handle with DESTROY. A correct
kernel refuses each with its documented code (INVALID_ARGS, INVALID_ARGS,
ACCESS_DENIED, ACCESS_DENIED): rights only ever shrink. The vulnerable
variant switches the kernel's rights-subset check off (fault injection
`skip_rights_subset`): the attacker writes the owner's config, maps it
executable and kills the owner.

Actors (C, this folder): owner.c, attacker.c. C test:
tests/attacks/test_rights_amplification.c. Docs: docs/scenarios/rights_amplification.md.
"""
from capsim import Syscall, zx
from capsim.attacks import actor_file, expect_kernel_intact
from capsim.scenario import Scenario

NAME = "rights_amplification"
FAULT = "skip_rights_subset"

scenario = Scenario(
    NAME,
    "Duplicate, replace, get_child and replace_as_executable asking for more rights",
    variants={
        "vulnerable": {"description": "FAULT INJECTED: skip_rights_subset (the kernel's "
                                      "rights-subset check is removed)",
                       "system": {"faults": [FAULT]}},
        "mitigated": {"description": "a correct kernel: every derived handle has at most "
                                     "its source's rights"},
    },
    narration=[
        "The owner creates its configuration VMO ('mode=safe') and sends the attacker a "
        "READ-only duplicate (no WRITE) and a monitor handle to its own job (ENUMERATE|"
        "INSPECT, no DESTROY). Snapshot 'shared': look at the attacker's two weak edges.",
        "The attacker asks zx_handle_duplicate for READ|WRITE|MAP on the view. Look at "
        "the status: ZX_ERR_INVALID_ARGS on a correct kernel; ZX_OK and a write of "
        "'mode=pwned' when the subset check is skipped.",
        "It tries zx_handle_replace with WRITE on a copy: INVALID_ARGS (and the copy is "
        "consumed anyway) or ZX_OK.",
        "Its job denies ZX_POL_AMBIENT_MARK_VMO_EXEC, as a sandbox's does. It calls "
        "zx_vmo_replace_as_executable without a VMEX resource: ACCESS_DENIED, or an "
        "EXECUTE handle it maps READ|EXECUTE.",
        "The owner reports what its config reads now.",
        "The attacker lists the owner's job and asks zx_object_get_child for the owner's "
        "process with Zircon's default process rights: ACCESS_DENIED (the monitor handle "
        "has no DESTROY), or a full handle it kills the owner with. Snapshot 'amplified' "
        "at that call's exit: compare the attacker's edges in the two variants.",
        "Every skipped check is a fault_injected record in the trace.",
    ],
    graph="amplified",
)
expect_kernel_intact(scenario, FAULT,
                     "the kernel's rights-subset check is in place (no fault injected)")


@scenario.setup
def setup(run):
    s = run.system
    a, b = s.channel()
    run.spawn("owner", actor_file(run, "owner.so"), handles=[a])
    sandbox = s.job("attacker", policy={"AMBIENT_MARK_VMO_EXEC": "DENY"})
    run.spawn("attacker", actor_file(run, "attacker.so"), handles=[b], job=sandbox)
    run.snapshot_at("shared", Syscall("channel_read", process="attacker"))
    run.snapshot_at("amplified", Syscall("object_get_child", process="attacker"))


def _config_koid(run):
    vmos = run.ever_held("owner", type="vmo")
    return vmos[0][0] if vmos else None


@scenario.expect("the owner shares only a read-only view and a monitor handle")
def shared(run):
    return "sharing a read-only config view" in run.output("owner") and \
        "got a config view" in run.output("attacker")


@scenario.expect("the attacker never holds the owner's config with WRITE", vulnerable=False)
def no_write(run):
    got = run.ever_held("attacker", object=_config_koid(run), rights="WRITE")
    return not got, "held with %s" % ", ".join(zx.rights_str(r) for _, _, r in got) if got else ""


@scenario.expect("the attacker never holds an EXECUTE handle", vulnerable=False)
def no_execute(run):
    return not run.ever_held("attacker", type="vmo", rights="EXECUTE")


@scenario.expect("every amplifying call fails with its documented status", vulnerable=False)
def documented_codes(run):
    want = [("handle_duplicate", "ZX_ERR_INVALID_ARGS"),
            ("handle_replace", "ZX_ERR_INVALID_ARGS"),
            ("vmo_replace_as_executable", "ZX_ERR_ACCESS_DENIED"),
            ("object_get_child", "ZX_ERR_ACCESS_DENIED")]
    missing = [call for call, status in want
               if not run.syscalls(call, process="attacker", status=status)]
    return not missing, ("not refused: " + ", ".join(missing)) if missing else "all refused"


@scenario.expect("the owner's config still reads 'mode=safe'", vulnerable=False)
def config_intact(run):
    return "my config reads 'mode=safe'\n" in run.output("owner")


@scenario.expect("the owner survives", vulnerable=False)
def owner_alive(run):
    return run.ended("owner") == "exited", "owner %s" % run.ended("owner")


@scenario.expect("the analysis finds no way for the attacker alone to write the config",
                 vulnerable=False)
def analysis(run):
    # Taken when the attacker has its two weak handles; the owner is
    # assumed to send nothing more (else it could simply hand over WRITE).
    rules = ("assume process:owner no-send\n"
             "deny process:attacker reach koid:%d with W\n" % _config_koid(run))
    n, report = run.snapshots["shared"].check(rules, NAME)
    return n == 0, " ".join(report.split())[:300] if n else ""
