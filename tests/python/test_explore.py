"""Exploration finds the interleaving bug of double_withdraw, replay
reproduces a failing seed's trace hash exactly, and minimizing keeps the
failure with fewer preemptions."""
import io
import json
import subprocess

from capsim import explore as ex
from capsim import scenario as sc_mod


def test_fifo_hides_the_race_and_explore_finds_it():
    sc = sc_mod.load("double_withdraw")
    assert sc.run("vulnerable").passed            # FIFO on one CPU: no race
    res = ex.explore(sc, "vulnerable", range(0, 60), "random", jobs=2)
    assert res["runs"] == 60 and 0 < len(res["failing"]) < 60
    assert res["groups"][0]["failures"]
    seeds = [f["seed"] for f in res["failing"]]
    assert seeds == sorted(seeds)
    ok = ex.explore(sc, "mitigated", range(0, 60), "random", jobs=2)
    assert ok["failing"] == [] and ok["passing"] == 60


def test_pct_finds_it_too():
    res = ex.explore("double_withdraw", "vulnerable", range(0, 40), "pct", depth=2, jobs=1)
    assert res["pct_steps"] > 0 and res["failing"]


def test_replay_reproduces_the_hash_and_minimize_shrinks():
    sc = sc_mod.load("double_withdraw")
    res = ex.explore(sc, "vulnerable", range(0, 30), "random", jobs=1)
    bad = res["failing"][0]
    again = sc.run("vulnerable", seed=bad["seed"], strategy="random")
    assert again.trace_hash == bad["trace_hash"] and not again.passed
    replayed = sc.run("vulnerable", seed=bad["seed"], schedule=again.schedule)
    assert replayed.trace_hash == bad["trace_hash"]
    m = ex.minimize(sc, "vulnerable", bad["seed"], again.schedule)
    assert m["preemptions_after"] <= m["preemptions_before"]
    assert m["preemptions_after"] >= 1 and m["failures"]
    final = sc.run("vulnerable", seed=bad["seed"], schedule=m["schedule"])
    assert final.trace_hash == m["trace_hash"] and not final.passed


def test_cli_explore_and_replay(capsim_exe, tmp_path):
    out = tmp_path / "res.json"
    p = subprocess.run([capsim_exe, "explore", "double_withdraw", "--seeds", "0:40",
                        "--jobs", "2", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    assert "failing" in p.stdout and "seed(s) break" in p.stdout
    res = json.loads(out.read_text())
    first = res["failing"][0]
    sched = tmp_path / "s.json"
    p = subprocess.run([capsim_exe, "replay", "--results", str(out), "--minimize",
                        "--save", str(sched)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 1 and first["trace_hash"] in p.stdout
    assert "preemptions" in p.stdout and "->" in p.stdout
    saved = json.loads(sched.read_text())
    p = subprocess.run([capsim_exe, "replay", "--schedule", str(sched)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 1 and saved["trace_hash"] in p.stdout
    p = subprocess.run([capsim_exe, "explore", "double_withdraw", "--seeds", "5:2"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "--seeds" in p.stderr


def test_progress_line():
    out = io.StringIO()
    bar = ex.Progress(3, stream=out, enabled=True)
    for failed in (False, True, False):
        bar.update(failed)
    bar.close()
    assert out.getvalue().endswith("3/3 seeds, 1 failing\n") and "\r[" in out.getvalue()
    quiet = io.StringIO()
    bar = ex.Progress(3, stream=quiet)          # not a terminal: nothing
    bar.update(True)
    bar.close()
    assert quiet.getvalue() == ""
