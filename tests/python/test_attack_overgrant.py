"""Attack scenario #4 of issue 8, sandbox_overgrant, run from the build
tree the way users run it: a package whose meta/sandbox asks for device
classes and the "shell" feature.

Both variants meet their expectations; under grant-all the package holds
/boot, /data, /dev and /hub and reads another tenant's secret, under the
allowlist without "shell" its launch is refused with the recorded reason
and nothing is opened for it; the CLI runs both; the docs page carries the
script's narration and expectations and its pictures render.

Run by `meson test attack_sandbox_overgrant_scenario` (registered in
scenarios/attacks/sandbox_overgrant/meson.build, with CAPSIM_OVERGRANT_BUILD
naming the scenario's folder in the build tree); skipped in the generic
`python` suite, which does not build this actor.
"""
import os
import subprocess
import sys

import pytest

import attack_library

from capsim import scenario as sc_mod

BUILD = os.environ.get("CAPSIM_OVERGRANT_BUILD")
pytestmark = pytest.mark.skipif(not BUILD,
                                reason="run by `meson test attack_sandbox_overgrant_scenario`")
NAME = "sandbox_overgrant"


def _path():
    return os.path.join(BUILD, "scenario.py")


def _load():
    return sc_mod.load(_path())


def _docs():
    return os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], "docs", "scenarios")


@pytest.mark.parametrize("variant", ["vulnerable", "mitigated"])
def test_every_variant_meets_its_expectations(variant):
    r = _load().run(variant)
    assert r.passed, r.text()
    assert len(r.verdicts) >= 4


def test_grant_all_hands_out_the_system_and_the_secret_is_read():
    r = _load().run("vulnerable", keep=True)
    try:
        c = r.run.component("photoframe")
        ns = dict(c.namespace)
        for path in ("/boot", "/data", "/dev", "/hub"):
            assert ns.get(path) == "features:shell", ns
        out = r.run.output("photoframe")
        assert "ls /dev/class: framebuffer input" in out, out
        assert "wallet keys: 5eed-ca11-ab1e" in out, out
        assert r.run.return_code("photoframe") == 1
    finally:
        r.run.close()
    broken = [v.name for v in r.verdicts if v.observed is False]
    assert "photoframe never reads the wallet's keys" in broken, r.text()


def test_the_allowlist_refuses_shell_and_opens_nothing():
    r = _load().run("mitigated", keep=True)
    try:
        c = r.run.component("photoframe")
        assert c.refusal == ("package 'photoframe': sandbox request features:shell is not "
                             "in the allowlist " + c.refusal.rsplit(" ", 1)[-1])
        assert c.process is None and c.namespace == [] and not c.job
        assert r.run.process("photoframe") is None
        notes = [e.text for e in r.run.events("note") if "photoframe" in (e.text or "")]
        assert any(n.startswith("component_refused photoframe") for n in notes), notes
        assert not any(n.startswith("ns_entry") for n in notes), notes
    finally:
        r.run.close()
    assert all(v.observed for v in r.verdicts if v.expected), r.text()


def test_the_variants_differ_and_replay_by_seed():
    sc = _load()
    a, b = sc.run("vulnerable", seed=3), sc.run("vulnerable", seed=3)
    assert a.trace_hash == b.trace_hash
    assert a.trace_hash != sc.run("mitigated", seed=3).trace_hash


def test_cli_runs_both_variants_and_draws_both_graphs(tmp_path):
    out = tmp_path / "og.svg"
    p = subprocess.run([sys.executable, "-m", "capsim.cli", "scenario", "run", _path(),
                        "--variant", "all", "--graph", str(out), "--explain"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "What happens:" in p.stdout
    for v in ("vulnerable", "mitigated"):
        assert (tmp_path / ("og.%s.svg" % v)).read_text().lstrip().startswith("<?xml")


def test_the_docs_pictures_render(tmp_path):
    sys.path.insert(0, _docs())
    try:
        import render_graphs
    finally:
        sys.path.pop(0)
    assert render_graphs.main(["--out", str(tmp_path), _path()]) == 0
    attack_library.check_docs_pictures_current(_load(), tmp_path)
    assert "photoframe" in (tmp_path / ("%s.vulnerable.svg" % NAME)).read_text()
    assert "<svg" in (tmp_path / ("%s.mitigated.svg" % NAME)).read_text()


def test_the_docs_page_tells_the_scenario_as_it_is():
    with open(os.path.join(_docs(), NAME + ".md"), encoding="utf-8") as f:
        page = f.read()
    sc = _load()
    for i, step in enumerate(sc.narration):
        assert "%d. %s" % (i + 1, step) in page, "step %d is stale" % (i + 1)
    for e in sc.expectations:
        assert "| %s |" % e.name in page, "expectation %r missing" % e.name
    for v in sc.variants:
        assert "img/%s.%s.svg" % (NAME, v) in page
        assert os.path.isfile(os.path.join(_docs(), "img", "%s.%s.svg" % (NAME, v)))
    with open(os.path.join(_docs(), "index.md"), encoding="utf-8") as f:
        assert "](%s.md)" % NAME in f.read()
