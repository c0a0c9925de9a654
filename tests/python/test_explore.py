"""Exploration finds the interleaving bug of double_withdraw, replay
reproduces a failing seed's trace hash exactly, and minimizing keeps the
failure with fewer preemptions."""
import io
import json
import subprocess

import pytest

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
    res = ex.explore("double_withdraw", "vulnerable", range(0, 40), "pct", pct_depth=2, jobs=1)
    assert res["pct_steps"] > 0 and res["failing"] and res["depth"] == 2
    # depth= is the older name of the same parameter; naming it twice two ways is an error
    older = ex.explore("double_withdraw", "vulnerable", range(0, 40), "pct", depth=2, jobs=1)
    assert older["failing"] == res["failing"] and older["depth"] == 2
    assert ex.explore("double_withdraw", "vulnerable", range(0, 2), "pct", jobs=1)["depth"] == 3
    with pytest.raises(ValueError, match="name one parameter"):
        ex.explore("double_withdraw", "vulnerable", range(0, 2), "pct", pct_depth=2, depth=4)


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


def test_a_plain_script_explores_in_parallel_without_a_main_guard(tmp_path):
    # Workers never import the caller's main module: a script written from
    # docs/python.md, with no `if __name__ == "__main__"`, neither recurses
    # nor hangs.
    script = tmp_path / "sweep.py"
    script.write_text(
        "from capsim import explore\n"
        "found = explore.explore('double_withdraw', 'vulnerable', range(12), 'random', jobs=2)\n"
        "print('runs', found['runs'], 'failing', len(found['failing']))\n")
    p = subprocess.run(["/usr/bin/python3", str(script)], capture_output=True, text=True,
                       timeout=120, cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    serial = ex.explore("double_withdraw", "vulnerable", range(12), "random", jobs=1)
    assert p.stdout.split() == ["runs", "12", "failing", str(len(serial["failing"]))]


def _story(tmp_path, setup_body):
    script = tmp_path / "story.py"
    script.write_text(
        "import os, signal\n"
        "from capsim.scenario import Scenario\n"
        "scenario = Scenario('story', 'a story', variants={'vulnerable': {}})\n"
        "@scenario.setup\n"
        "def setup(run):\n"
        "    a, b = run.system.channel()\n"
        "    run.spawn('server', 'secret_server', handles=[a])\n"
        "    run.spawn('client', 'vmo_client', handles=[b])\n"
        + "".join("    %s\n" % line for line in setup_body) +
        "@scenario.expect('the client finishes')\n"
        "def finishes(run):\n"
        "    return run.return_code('client') == 0\n")
    return str(script)


def test_a_run_that_kills_its_worker_is_a_failing_seed(tmp_path):
    path = _story(tmp_path, ["if run.seed == 2:",
                             "    os.kill(os.getpid(), signal.SIGKILL)"])
    res = ex.explore(path, "vulnerable", range(5), "random", jobs=2)
    assert res["runs"] == 5 and res["passing"] == 4
    [crash] = res["failing"]
    assert crash["seed"] == 2 and crash["status"] == "crash"
    assert "signal 9" in crash["details"]["the run crashed the simulator"]


def test_a_scenario_that_raises_names_the_seed(tmp_path):
    path = _story(tmp_path, ["if run.seed == 3:", "    raise KeyError('no such actor')"])
    for jobs in (1, 2):
        try:
            ex.explore(path, "vulnerable", range(5), "random", jobs=jobs)
        except RuntimeError as e:
            assert "seed 3" in str(e) and "KeyError" in str(e) and "no such actor" in str(e)
        else:
            raise AssertionError("no error with jobs=%d" % jobs)


def test_a_scenario_made_in_the_script_explores_and_minimizes():
    from capsim.scenario import Scenario
    base = sc_mod.load("double_withdraw")
    sc = Scenario("inline_withdraw", "made here", variants={"vulnerable": {"mode": "direct"}})
    sc.setup(base._setup)
    for e in base.expectations:
        sc.expect(e.name)(e.fn)
    res = ex.explore(sc, "vulnerable", range(20), "random", jobs=2)
    assert res["runs"] == 20 and res["failing"]
    bad = res["failing"][0]
    again = sc.run("vulnerable", seed=bad["seed"], strategy="random")
    assert again.trace_hash == bad["trace_hash"]
    m = ex.minimize(sc, "vulnerable", bad["seed"], again.schedule)
    assert m["failures"]


def _cli(exe, *args):
    return subprocess.run([exe] + list(args), capture_output=True, text=True, timeout=300)


def test_cli_replay_says_which_file_is_wrong_and_why(capsim_exe, tmp_path):
    sched = tmp_path / "s.json"
    p = _cli(capsim_exe, "replay", "double_withdraw", "--seed", "1", "--save", str(sched))
    assert p.returncode == 1, p.stderr
    good = json.loads(sched.read_text())
    res = tmp_path / "res.json"
    p = _cli(capsim_exe, "explore", "double_withdraw", "--seeds", "0:8", "--jobs", "1",
             "--out", str(res))
    assert p.returncode == 1, p.stderr

    def write(name, value):
        f = tmp_path / name
        f.write_text(value if isinstance(value, str) else json.dumps(value))
        return str(f)
    cases = [
        (["--schedule", write("cut.json", sched.read_text()[:40])], "not JSON"),
        (["--schedule", write("empty.json", "")], "not JSON"),
        (["--schedule", write("list.json", [0, 1])], "a JSON list, not an object"),
        (["--schedule", write("nopath.json", {k: v for k, v in good.items() if k != "path"})],
         "no 'path'"),
        (["--schedule", write("words.json", dict(good, schedule=["x"]))],
         "its schedule holds 'x'"),
        (["--schedule", write("neg.json", dict(good, schedule=[-1]))], "holds -1"),
        (["--schedule", write("seed.json", dict(good, seed="1"))], "'seed' is '1'"),
        (["--schedule", str(tmp_path / "missing.json")], "cannot read the schedule file"),
        (["--schedule", str(tmp_path)], "cannot read the schedule file"),
        (["--schedule", str(res)], "it is a results file: give it with --results"),
        (["--results", str(sched)], "it is a schedule file: give it with --schedule"),
        (["--schedule", write("var.json", dict(good, variant="nope"))], "no variant 'nope'"),
        (["--schedule", write("gone.json", dict(good, path="/gone/x.py", scenario="gone"))],
         "the scenario it recorded is gone"),
        (["--schedule", str(sched), "--results", str(res)], "not both"),
        (["--schedule", str(sched), "--index", "1"], "--index picks a failing seed of --results"),
        (["double_withdraw", "--seed", "1", "--index", "0"], "give that file"),
    ]
    for args, problem in cases:
        p = _cli(capsim_exe, "replay", *args)
        assert p.returncode == 2 and problem in p.stderr, (args, p.stderr)
        assert "Traceback" not in p.stderr
        if len(args) == 2 and args[1].startswith(str(tmp_path) + "/"):
            assert args[1] in p.stderr, p.stderr          # the file is named
    # A schedule file whose scenario moved: found by name, or named on the line.
    moved = write("moved.json", dict(good, path="/gone/double_withdraw.py"))
    p = _cli(capsim_exe, "replay", "--schedule", moved)
    assert p.returncode == 1 and "reproduced: the trace hash %s" % good["trace_hash"] in p.stdout
    gone = write("gone2.json", dict(good, path="/gone/x.py", scenario="gone"))
    p = _cli(capsim_exe, "replay", "double_withdraw", "--schedule", gone)
    assert p.returncode == 1 and good["trace_hash"] in p.stdout, p.stderr
    # A replay that does not give the recorded run says so, and exits 3
    # (not 1: the expectations broke as recorded, but the run is another).
    stale = write("stale.json", dict(good, trace_hash="0" * 32))
    p = _cli(capsim_exe, "replay", "--schedule", stale, "--json")
    assert "NOT reproduced" in p.stderr and "0" * 32 in p.stderr     # --json: the account
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    out = json.loads(p.stdout)                                       # stdout: the JSON alone
    assert out["recorded_trace_hash"] == "0" * 32 and out["reproduced"] is False
    p = _cli(capsim_exe, "replay", "--schedule", str(sched), "--json")
    assert p.returncode == 1 and json.loads(p.stdout)["reproduced"] is True
    # ... from a results file too, and for a run whose expectations hold.
    data = json.loads(res.read_text())
    data["failing"][0]["trace_hash"] = "0" * 32
    p = _cli(capsim_exe, "replay", "--results", write("stale_res.json", data))
    assert p.returncode == 3 and "NOT reproduced" in p.stdout, p.stdout
    mitigated = write("mitigated.json", dict(good, variant="mitigated", trace_hash="0" * 32))
    p = _cli(capsim_exe, "replay", "--schedule", mitigated)
    assert p.returncode == 3 and "NOT reproduced" in p.stdout, p.stdout
    assert "exit status" in _cli(capsim_exe, "replay", "--help").stdout


def test_cli_explore_and_replay_check_their_options_before_running(capsim_exe, tmp_path):
    missing = tmp_path / "no" / "such"
    for args, problem in (
            (["explore", "double_withdraw", "--seeds", "0:4", "--out", str(missing / "r.json")],
             "--out %s: no such folder" % (missing / "r.json")),
            (["explore", "double_withdraw", "--seeds", "0:4", "--jobs", "-1"],
             "jobs must be an integer in 0..1024, not -1"),
            (["explore", "double_withdraw", "--seeds", "0:4", "--cpus", "0"], "cpus must be"),
            (["explore", "double_withdraw", "--seeds", "0:4", "--strategy", "pct",
              "--depth", "0"], "depth must be an integer in 1.."),
            (["replay", "double_withdraw", "--seed", "1", "--save", str(missing / "s.json")],
             "--save %s: no such folder" % (missing / "s.json")),
            (["replay", "double_withdraw", "--seed", "1", "--strategy", "pct",
              "--pct-steps", "-4"], "pct-steps must be an integer in 0.."),
            # --steps is the step-listing file everywhere; its old number is --pct-steps
            (["replay", "double_withdraw", "--seed", "1", "--strategy", "pct", "--steps",
              "500"], "PCT's expected steps are --pct-steps 500"),
            (["replay", "double_withdraw", "--seed", "1", "--steps", str(missing / "s.txt")],
             "--steps %s: no such folder" % (missing / "s.txt")),
            (["replay", "double_withdraw", "--seed", "1", "--graph", str(tmp_path / "g.gif")],
             "cannot tell the format")):
        p = _cli(capsim_exe, *args)
        assert p.returncode == 2 and problem in p.stderr, (args, p.stderr)
        assert p.stdout == "" and "Traceback" not in p.stderr, args


def test_cli_replay_options_mean_what_they_mean_in_scenario_run(capsim_exe, tmp_path):
    """explore prints the replay command for a PCT seed with --pct-steps;
    that command reproduces the seed; replay's --steps FILE writes the
    step listing, as `scenario run --steps FILE` does."""
    out = tmp_path / "res.json"
    p = _cli(capsim_exe, "explore", "double_withdraw", "--seeds", "0:40", "--strategy", "pct",
             "--pct-depth", "2", "--jobs", "1", "--out", str(out))
    assert p.returncode == 1, p.stderr
    res = json.loads(out.read_text())
    hint = [line for line in p.stdout.splitlines() if "replay the first:" in line][0]
    assert "--pct-depth 2 --pct-steps %d" % res["pct_steps"] in hint, hint
    assert " --steps" not in hint and " --depth" not in hint, hint
    cmd = hint.split("capsim replay ", 1)[1].split()
    listing = tmp_path / "replay.steps.txt"
    p = _cli(capsim_exe, "replay", *cmd, "--steps", str(listing))
    assert p.returncode == 1, p.stderr
    assert res["failing"][0]["trace_hash"] in p.stdout
    text = listing.read_text()
    assert "zx_" in text, text[:400]
    ran = tmp_path / "run.steps.txt"
    p = _cli(capsim_exe, "scenario", "run", "double_withdraw", "--steps", str(ran))
    assert p.returncode == 0, p.stderr
    assert "zx_" in ran.read_text()


def test_cli_explore_quiet_prints_one_summary_line(capsim_exe, tmp_path):
    out = tmp_path / "res.json"
    p = _cli(capsim_exe, "explore", "double_withdraw", "--seeds", "0:20", "--jobs", "1",
             "--quiet", "--out", str(out))
    res = json.loads(out.read_text())
    assert p.returncode == 1 and res["failing"] and p.stderr == ""
    assert p.stdout == ("capsim explore: double_withdraw, variant vulnerable: 20 runs, %d "
                        "passing, %d failing; results %s\n"
                        % (res["passing"], len(res["failing"]), out)), p.stdout


def test_pct_options_are_spelled_as_in_capsim_run(capsim_exe, tmp_path):
    """--pct-depth everywhere (--depth still accepted), and scenario run
    takes --pct-steps as replay does: the same run, the same hash."""
    runs = []
    for args in (["scenario", "run", "double_withdraw", "--strategy", "pct", "--pct-depth", "2",
                  "--pct-steps", "7", "--seed", "4", "--json"],
                 ["scenario", "run", "double_withdraw", "--strategy", "pct", "--depth", "2",
                  "--pct-steps", "7", "--seed", "4", "--json"],
                 ["replay", "double_withdraw", "--strategy", "pct", "--pct-depth", "2",
                  "--pct-steps", "7", "--seed", "4", "--json"]):
        p = _cli(capsim_exe, *args)
        assert p.returncode in (0, 1), (args, p.stderr)
        runs.append(json.loads(p.stdout)["trace_hash"])
    other = json.loads(_cli(capsim_exe, "scenario", "run", "double_withdraw", "--strategy", "pct",
                            "--pct-depth", "2", "--pct-steps", "3", "--seed", "4",
                            "--json").stdout)["trace_hash"]
    assert runs[0] == runs[1] == runs[2] != other
    for cmd in (["scenario", "run", "double_withdraw"], ["replay", "double_withdraw", "--seed", "1"],
                ["explore", "double_withdraw", "--seeds", "0:2"]):
        p = _cli(capsim_exe, *cmd, "--help")
        assert "--pct-depth D, --depth D" in p.stdout, (cmd, p.stdout)
    p = _cli(capsim_exe, "scenario", "run", "double_withdraw", "--pct-steps", "-1")
    assert p.returncode == 2 and "pct-steps must be" in p.stderr


@pytest.mark.parametrize("keep_aslr", [False, True])
def test_workers_start_without_the_hosts_address_randomization(monkeypatch, keep_aslr):
    """explore's workers run as `setarch -R` would start them (as every
    capsim command does), unless CAPSIM_HOST_ASLR asks to keep it."""
    if keep_aslr:
        monkeypatch.setenv("CAPSIM_HOST_ASLR", "1")
    else:
        monkeypatch.delenv("CAPSIM_HOST_ASLR", raising=False)
    mine = int(open("/proc/self/personality").read(), 16) & ex.ADDR_NO_RANDOMIZE
    workers = ex._Workers(1)
    try:
        pid = workers.idle[0].pid
        flags = int(open("/proc/%d/personality" % pid).read(), 16)
    finally:
        workers.close()
    assert bool(flags & ex.ADDR_NO_RANDOMIZE) == (not keep_aslr or bool(mine))
