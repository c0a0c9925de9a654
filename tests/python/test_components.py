"""The component manager from Python: packages, launches under grant-all
and an allowlist, plans, data."""
import pytest

import capsim


def test_grant_all_launch_and_namespace():
    with capsim.System(seed=1, cpus=2) as s:
        name = s.add_package("root_presenter")
        assert name == "root_presenter"
        s.put_data("passwords", "hunter2\n")
        plan = dict(s.plan(name))
        assert plan["/dev/class/framebuffer"] == "dev:class/framebuffer"
        c = s.launch(name)
        assert c.launched and c.refusal is None
        assert [p for p, _ in c.namespace] == ["/dev/class/framebuffer", "/pkg", "/svc"]
        r = s.run()
        assert r.status == "quiescent"                  # servers idle, not deadlocked
        assert s.idle_servers == 12
        assert s.summary == "quiescent: 12 server threads idle"
        assert "'devmgr' (server) blocked since" in s.blocked()
        assert c.process.return_code == 0
        assert "drew the cursor" in c.process.output
        assert "open /data/passwords: No such file" in c.process.output
        assert s.components()[0].package == name


def test_allowlist_refuses_what_it_does_not_list():
    policy = {"packages": {"root_presenter": {}}}
    with capsim.System(seed=1, sandbox=policy) as s:
        s.add_package("root_presenter")
        with pytest.raises(capsim.CapsimError) as e:
            s.plan("root_presenter")
        assert "dev:class/framebuffer" in str(e.value)
        c = s.launch("root_presenter")
        assert not c.launched and "not in the allowlist" in c.refusal
        assert s.trace(kind="note")                      # the refusal is traced


def test_bad_package_and_policy_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        capsim.System().add_package(str(tmp_path / "none.far"))
    with pytest.raises(FileNotFoundError, match="a directory, not a package archive file"):
        capsim.System().add_package(str(tmp_path))
    bad = tmp_path / "bad.far"
    bad.write_bytes(b"not a far archive")
    with capsim.System() as s:
        with pytest.raises(capsim.CapsimError) as e:
            s.add_package(str(bad))
        assert "bad.far" in str(e.value)
    with capsim.System(sandbox="{not json") as s:
        with pytest.raises(capsim.CapsimError) as e:
            s.add_package("root_presenter")
        assert "allowlist.json" in str(e.value)


def test_build_package_from_a_script(tmp_path):
    far = tmp_path / "viewer.far"
    capsim.build_package(far, {"bin/app": b"#!capsim-builtin viewer\n",
                               "data/hello.txt": "hello\n"},
                         sandbox={"dev": ["class/input"]})
    assert far.read_bytes()[:8] == b"\xc8\xbf\x0b\x48\xad\xab\xc5\x11"
    with capsim.System(seed=1) as s:
        name = s.add_package(str(far))
        assert name == "viewer"
        plan = dict(s.plan(name))
        assert set(plan) == {"/dev/class/input", "/pkg", "/svc"}


def test_build_package_refuses_bad_names(tmp_path):
    with pytest.raises(capsim.CapsimValueError) as e:
        capsim.build_package(tmp_path / "x.far", {"../escape": b"x"})
    assert "x.far" in str(e.value) and ".." in str(e.value)
    with pytest.raises(capsim.CapsimValueError):
        capsim.build_package(tmp_path / "y.far", {"bin/app": 42})


def test_scenario_with_servers_ends_quiescent():
    from capsim import scenario
    sc = scenario.load("root_presenter")
    r = sc.run("granted", seed=1)
    assert r.status == "quiescent"
    assert "quiescent at" in r.text() and "(12 server threads idle)" in r.text()
    assert r.to_dict()["end"] == "quiescent: 12 server threads idle"


def test_a_snapshot_names_components_as_principals():
    systems = [capsim.System(seed=1, cpus=2) for _ in range(10)]    # all alive at once
    try:
        for s in systems:
            s.add_package("root_presenter")
            c = s.launch("root_presenter")
            s.run(until=capsim.Syscall("channel_read", process=c.process))
        for s in systems:
            g = s.snapshot()
            node = g.node("component:root_presenter")
            assert node.kind == "component"
            members = {e.dst for e in g.edges if e.kind == "member" and e.src == node.id}
            assert g.node("process:root_presenter").id in members
            assert g.reach("component:root_presenter", kind="hold")
            assert g.can("component:root_presenter", "/dev/class/framebuffer") is not None
            assert "<svg" in g.to_svg(focus="component:root_presenter", hops=2)
            violations, _ = g.check("deny component:root_presenter reach /svc/capsim.Secrets\n")
            assert violations == 0
    finally:
        for s in systems:
            s.close()
