"""Capability graphs from Python: snapshots, rendering, networkx, authority
analysis with witnesses, policy checks, diffs."""
import json
import xml.dom.minidom

import networkx
import pytest

import capsim


@pytest.fixture
def served():
    """A server blocked after handing the client its VMO (the client parked
    by the end of its own run is gone; the server is still alive)."""
    s = capsim.System(seed=4)
    a, b = s.channel()
    server = s.spawn("secret_server", handles=[a], name="server")
    client = s.spawn("vmo_client", handles=[b], name="client")
    s.run(until=capsim.Syscall("vmo_write", process=client))
    yield s, server, client
    s.close()


def test_snapshot_nodes_edges_and_lookups(served):
    s, server, client = served
    g = s.snapshot()
    assert g.time == s.now
    ids = [n.id for n in g.nodes]
    assert ids == sorted(ids)
    assert g.node("process:client").id == client.koid
    assert g.node(server).name == "server"
    secret = g.node("vmo:secret")
    holders = {e.src for e in g.edges if e.kind == "handle" and e.dst == secret.id}
    assert holders == {server.koid, client.koid}
    assert {n.name for n in g.processes()} >= {"server", "client", "host"}
    assert g.jobs() and g.threads()
    assert any(e.dst == secret.id for e in g.handles_of("client"))
    with pytest.raises(capsim.CapsimError) as e:
        g.node("process:nobody")
    assert e.value.status_name == "ZX_ERR_NOT_FOUND"


def test_svg_json_networkx(served, tmp_path):
    s, _, client = served
    g = s.snapshot()
    svg = g.to_svg()
    xml.dom.minidom.parseString(svg)            # well-formed
    assert "<svg" in svg and g._repr_svg_() == svg
    assert "digraph" in g.to_dot()
    focus = g.to_svg(focus=client, hops=1)
    assert len(focus) < len(svg)
    data = json.loads(g.to_json())
    assert data["multigraph"] and len(data["nodes"]) == len(g.nodes)
    nx = g.to_networkx()
    assert isinstance(nx, networkx.MultiDiGraph)
    assert nx.number_of_nodes() == len(g.nodes) and nx.number_of_edges() == len(g.edges)
    g.save(str(tmp_path / "g.png"))
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(capsim.CapsimValueError):
        g.save(str(tmp_path / "g.bmp"))


def test_reach_can_witness(served):
    s, server, client = served
    g = s.snapshot()
    facts = g.reach(client)
    assert facts and all(f.subject == client.koid for f in facts)
    secret = g.node("vmo:secret")
    f = g.can(client, secret, "WRITE")
    assert f is not None and f.kind == "hold" and f.rights & capsim.zx.ZX_RIGHT_WRITE
    steps = f.witness()
    assert steps[-1].index == f.index
    text = f.witness_text()
    assert "client" in text and text.strip().startswith("1.")
    assert "<svg" in f.witness_svg()
    who = {w.subject for w in g.who_can(secret, "READ")}
    assert {server.koid, client.koid} <= who


def test_policy_check(served):
    s, _, _ = served
    g = s.snapshot()
    n, report = g.check("deny process:client reach vmo:secret with W\n")
    assert n >= 1 and "VIOLATION" in report
    n, report = g.check("deny process:client reach job:root\n")
    assert n == 0
    with pytest.raises(capsim.CapsimValueError) as e:
        g.check("allow everything\n", name="bad.rules")
    assert "bad.rules:1" in str(e.value)


def test_diff_names_the_cause(served):
    s, _, client = served
    before = s.snapshot()
    s.run()
    after = s.snapshot()
    d = after.diff(before)
    assert d.changes > 0 and "removed" in d.text
    # Each change names the trace event behind it (the system records).
    assert "zx_process_exit" in d.text
    assert "<svg" in d.to_svg()


def test_wrong_diff_and_focus_arguments_are_named(served):
    s, _, client = served
    before = s.snapshot()
    s.run()
    after = s.snapshot()
    with pytest.raises(capsim.CapsimValueError, match=r"later than this one.*later\.diff\(earlier\)"):
        before.diff(after)
    other = capsim.System(seed=4)
    try:
        with pytest.raises(capsim.CapsimValueError, match="different systems"):
            after.diff(other.snapshot())
    finally:
        other.close()
    for hops in (0, -1, "2"):
        with pytest.raises(capsim.CapsimValueError, match="focus radius"):
            before.to_svg(focus="process:server", hops=hops)
    # the client exited: the end graph says so instead of only "not found"
    with pytest.raises(capsim.CapsimError, match=r"had ended by this snapshot.*exited.*earlier"):
        after.to_svg(focus="process:client")
    assert "<svg" in before.to_svg(focus="process:client", hops=1)


def test_a_missing_snapshot_label_lists_the_taken_ones():
    from capsim import scenario
    run = scenario.load("job_escape").run("mitigated", keep=True).run
    try:
        with pytest.raises(KeyError, match="no snapshot 'escaped': this run took 'escape', 'end'"):
            run.snapshots["escaped"]
    finally:
        run.close()


def test_wrong_node_names_fact_kinds_and_rules_are_named(served):
    s, _, client = served
    g = s.snapshot()
    for spec in (None, 1.5, b"process:client"):
        with pytest.raises(TypeError, match=r"a node must be named by a str \('process:client'"):
            g.reach(spec)
    assert g.reach(client, kind="hold")
    with pytest.raises(capsim.CapsimValueError, match=r"unknown fact kind 'holds' \(hold,"):
        g.reach(client, kind="holds")
    with pytest.raises(TypeError, match=r"check: rules \(text, one rule a line\) must be a str"):
        g.check(None)
