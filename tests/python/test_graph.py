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


def _cli_graph_error(capsim_exe, test_app, *args):
    import subprocess
    p = subprocess.run([capsim_exe, "graph"] + list(args) + [test_app("app_family")],
                       capture_output=True, text=True)
    assert p.returncode != 0
    return p.stderr


def test_an_unknown_picture_format_names_it_and_the_cli_s_formats(served, capsim_exe, test_app):
    import re
    g = served[0].snapshot()
    for bad in ("jpg", "json", ""):
        with pytest.raises(ValueError, match=r"unknown picture format %r \(known: dot, svg, "
                           "png, pdf\\)" % bad) as e:
            g.render(bad)
        assert e.value.status_name == "ZX_ERR_INVALID_ARGS"
    with pytest.raises(ValueError, match="json is not a picture"):
        g.render("json")
    assert g.render("GV") == g.render("dot")          # as the CLI reads formats
    # One list of formats: the CLI's refusal names the same ones.
    cli = _cli_graph_error(capsim_exe, test_app, "--format", "jpg", "-o", "-")
    known = re.search(r"unknown format 'jpg' \(known: ([^)]*)\)", cli).group(1)
    assert known == capsim.graph.formats() == "dot, svg, png, pdf, json"
    assert capsim.graph.formats(pictures_only=True) == "dot, svg, png, pdf"
    with pytest.raises(ValueError, match=r"g.jpg: cannot tell the format from the extension "
                       r"\(known: %s\)" % known):
        g.save("g.jpg")


def test_the_focus_radius_defaults_to_the_cli_s(served, capsim_exe, test_app):
    import re
    import subprocess
    g = served[0].snapshot()
    hops = capsim.graph.focus_hops()
    assert hops == 2                                   # docs/graphs.md, notebook 03
    assert "process 'client' (koid %d), %d hops" % (served[2].koid, hops) in \
        g.to_dot(focus="process:client")
    assert g.to_dot(focus="process:client") == g.to_dot(focus="process:client", hops=hops)
    assert g.to_dot(focus="process:client") != g.to_dot(focus="process:client", hops=1)
    p = subprocess.run([capsim_exe, "graph", "--at-syscall=channel_write", "--snapshot=#0",
                        "--format=dot", "-o", "-", "--focus=process:family-child",
                        test_app("app_family")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert re.search(r"focus: process 'family-child' \(koid \d+\), %d hops" % hops, p.stdout)
    help_text = subprocess.run([capsim_exe, "graph", "--help"], capture_output=True,
                               text=True).stdout
    assert "focus radius (default %d)" % hops in help_text


def test_a_snapshot_is_placed_in_the_trace_by_its_seq():
    with capsim.System(seed=2, cpus=2) as s:
        a, b = s.channel()
        s.spawn("secret_server", handles=[a], name="server")
        client = s.spawn("vmo_client", handles=[b], name="client")
        r = s.run(until=capsim.Syscall("vmo_write", process=client))
        g = s.snapshot()
        records = s.trace()
        assert g.trace_seq == len(records) == records[-1].seq + 1
        entry = [x for x in records if x.kind == "kernel_enter" and x.text == "vmo_write"][-1]
        # Effects at the entry, the exit its cost later (docs/python.md).
        assert g.time == s.now == entry.time < r.event.time
        s.run()
        later = s.snapshot()
        assert later.trace_seq > g.trace_seq and later.time >= g.time
