"""Witness paths read as proofs: on the scenario library's known setups the
analysis names the short derivation a reader expects, step by step, each
step once (issue 6)."""
import re

from capsim import scenario


def steps(text):
    """The numbered sentences of a witness, without their numbers."""
    return [re.sub(r"^\s*\d+\. ", "", line) for line in text.strip().splitlines()
            if re.match(r"^\s*\d+\. ", line)]


def test_job_escape_control_is_enumerate_then_inject():
    run = scenario.load("job_escape").run("vulnerable", keep=True)
    g = run.run.snapshots["escape"]
    n, report = g.check("deny process:untrusted control process:victim\n")
    assert n == 1
    got = steps(report)
    assert len(got) == 3, report
    assert got[0].startswith("process 'untrusted'") and "holds handle" in got[0] \
        and "to job 'apps'" in got[0]
    assert "enumerates job 'apps'" in got[1] and "zx_object_get_child gives it process 'victim'" in got[1]
    assert got[2].startswith("process 'untrusted'") and "MANAGE_THREAD" in got[2] \
        and got[2].endswith("so it controls it")
    assert len(set(got)) == len(got)
    assert "exchanges handles" not in report      # no pool where none is needed
    create = [f for f in g.reach("process:untrusted", kind="create")
              if g.describe(f.object) == "job 'apps'"]
    assert [s.rule for s in create[0].witness()] == ["handle", "create"]


def test_leaky_vmo_witness_is_the_handle_or_the_transfer():
    sc = scenario.load("leaky_vmo")
    vulnerable = sc.run("vulnerable", keep=True).run.snapshots["attack"]
    f = vulnerable.can("process:client", "vmo:secret", "WRITE")
    # the client holds the writable duplicate now: that is the whole proof
    assert [s.rule for s in f.witness()] == ["handle"]
    assert "process 'client'" in f.witness_text()
    mitigated = sc.run("mitigated", keep=True).run.snapshots["attack"]
    f = mitigated.can("process:client", "vmo:secret", "WRITE")
    # it only could: the server's handle, both ends, the flow, the transfer
    assert [s.rule for s in f.witness()] == ["handle", "handle", "handle", "channel_flow", "transfer"]
    got = steps(f.witness_text())
    assert got[0].startswith("process 'server'") and "vmo 'secret'" in got[0]
    assert got[-1].startswith("so process 'client'") and "(TRANSFER)" in got[-1]
    assert len(set(got)) == len(got)


def test_facts_print_what_they_mean():
    """A create fact says what may be created, not rights; a control fact
    has no rights; every object is named with its koid, as the witnesses
    name them (two processes' 'initial-thread' stacks stay apart)."""
    sc = scenario.load("job_escape")
    g = sc.run("mitigated", keep=True).run.snapshots["escape"]
    create = g.reach("process:untrusted", kind="create")
    assert [f.rights_str for f in create] == ["jobs"]       # NEW_PROCESS is denied
    assert repr(create[0]) == ("<Fact create: process 'untrusted' (koid %d) -> job 'sandbox' "
                               "(koid %d) [jobs] by create>" % (create[0].subject, create[0].object))
    control = g.reach("process:untrusted", kind="control")[0]
    assert control.rights_str == "" and "[" not in repr(control)
    g = sc.run("vulnerable", keep=True).run.snapshots["escape"]
    create = [f for f in g.reach("process:untrusted", kind="create")
              if g.describe(f.object) == "job 'apps'"]
    assert create[0].rights_str == "processes, jobs"
    stacks = [repr(f) for f in g.reach("process:untrusted", kind="hold")
              if g.describe(f.object) == "vmo 'initial-thread'"]
    assert len(stacks) >= 2 and len(set(stacks)) == len(stacks)
    assert all("(koid " in r.split("->")[1] for r in stacks)
