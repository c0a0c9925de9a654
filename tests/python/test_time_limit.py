"""A run ends at its virtual time limit, however it is driven: an actor
looping through syscalls forever (app_faults "spin") no longer hangs
`capsim scenario run`, an explore worker or replay. The run is reported
as such (status time_limit, a failed verdict, exit status 4), the limit
is recorded in results and schedule files so that replay reproduces the
run, and scenarios default to one (docs/automation.md, "Runaway apps")."""
import json
import os
import subprocess

import pytest

import capsim
from capsim import Syscall
from capsim import explore as ex
from capsim import scenario as sc_mod
from capsim.errors import CapsimError

EXIT_TIME_LIMIT = 4

SPINNING = '''
import os
from capsim import Syscall
from capsim.scenario import Scenario

APP = os.path.join(os.environ["CAPSIM_TEST_APPS"], "app_faults.so")
scenario = Scenario("spinning", "an actor loops through syscalls forever",
                    variants={"vulnerable": {},
                              "mitigated": {"system": {"time_limit_ns": 3000000}}},
                    time_limit_ns=2000000)

@scenario.setup
def setup(run):
    run.spawn("spinner", APP, args=["spin"])

@scenario.expect("the spinner printed")
def printed(run):
    return "spin 1000" in run.output("spinner")
'''


def _cli(exe, *args):
    return subprocess.run([exe] + [str(a) for a in args], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def spinning(tmp_path):
    path = tmp_path / "spinning.py"
    path.write_text(SPINNING)
    return str(path)


def _spinner(test_app, **kw):
    s = capsim.System(**kw)
    s.spawn(test_app("app_faults"), args=["spin"], name="spinner")
    return s


def test_a_system_stops_at_its_time_limit_however_it_is_run(test_app):
    with _spinner(test_app, time_limit_ns=400000) as s:
        assert s.time_limit_ns == 400000 and not s.time_limit_reached
        assert s.run(until_ns=100000).status == "time_limit"     # its own until-time
        assert not s.time_limit_reached and not s.finished
        assert s.run().status == "time_limit" and s.now == 400000
        assert s.time_limit_reached and s.finished
        # every later run, step or run-until stops there at once, never raises
        assert s.run().status == "time_limit"
        assert s.step().status == "time_limit"
        assert s.run(until_ns=900000).status == "time_limit"
        assert s.run(until=Syscall("channel_write")).status == "time_limit"
        assert s.run(until=lambda rec: False).status == "time_limit"
        assert s.now == 400000 and s.summary == "time limit"
        assert s.report()["result"] == "time limit"
    for bad in (-1, 2 ** 63, 1.5, "10"):
        with pytest.raises(CapsimError, match="time_limit_ns"):
            capsim.System(time_limit_ns=bad)


def test_a_loop_of_steps_ends_too(test_app):
    with _spinner(test_app, time_limit_ns=30000) as s:
        steps = 0
        while not s.finished:
            s.step()
            steps += 1
        assert s.time_limit_reached and steps > 10


def test_a_limit_not_reached_changes_nothing():
    sc = sc_mod.load("double_withdraw")
    free = sc.run("vulnerable", seed=3, strategy="random", time_limit_ns=0)
    capped = sc.run("vulnerable", seed=3, strategy="random")
    assert capped.time_limit_ns == sc_mod.DEFAULT_TIME_LIMIT_NS
    assert free.time_limit_ns is None and not capped.time_limited
    assert free.trace_hash == capped.trace_hash and free.status == capped.status


def test_a_scenario_run_reaching_its_limit_fails_and_says_so(spinning):
    sc = sc_mod.load(spinning)
    assert sc.time_limit("vulnerable") == 2000000 and sc.time_limit("mitigated") == 3000000
    assert sc.time_limit("mitigated", 5000) == 5000
    r = sc.run("vulnerable")
    assert r.status == "time_limit" and r.time_limited and r.virtual_time == 2000000
    assert not r.passed and r.failures == [sc_mod.TIME_LIMIT_VERDICT]
    assert [v.passed for v in r.verdicts] == [False, True]   # the rest still judged
    assert r.to_dict()["status"] == "time_limit" and r.to_dict()["time_limit_ns"] == 2000000
    assert "time_limit at 2000000 ns" in r.text()
    assert sc.run("mitigated").virtual_time == 3000000
    assert sc.run("vulnerable", time_limit_ns=700000).virtual_time == 700000


def test_a_custom_drive_that_runs_itself_is_stopped_too(tmp_path):
    path = tmp_path / "driving.py"
    path.write_text(SPINNING + '''
@scenario.drive
def drive(run):
    while not run.system.finished:        # would never end without the limit
        run.system.run(until=Syscall("channel_write"))
        run.system.step()
    run.finish()
''')
    r = sc_mod.load(str(path)).run("vulnerable", time_limit_ns=60000)
    assert r.status == "time_limit" and r.virtual_time == 60000


def test_scenarios_have_a_limit_by_default():
    sc = sc_mod.load("leaky_vmo")
    assert sc.time_limit() == sc_mod.DEFAULT_TIME_LIMIT_NS == 10 ** 9
    r = sc.run(keep=True)
    try:
        assert r.run.system.time_limit_ns == sc_mod.DEFAULT_TIME_LIMIT_NS
        assert r.to_dict()["time_limit_ns"] == sc_mod.DEFAULT_TIME_LIMIT_NS
    finally:
        r.run.close()


def test_cli_scenario_run_exits_4_at_the_limit(capsim_exe, spinning):
    p = _cli(capsim_exe, "scenario", "run", spinning, "--variant", "all", "--json")
    assert p.returncode == EXIT_TIME_LIMIT, p.stderr
    docs = json.loads(p.stdout)
    assert [d["status"] for d in docs] == ["time_limit", "time_limit"]
    assert [d["virtual_time_ns"] for d in docs] == [2000000, 3000000]
    assert docs[0]["verdicts"][0]["name"] == sc_mod.TIME_LIMIT_VERDICT
    p = _cli(capsim_exe, "scenario", "run", spinning, "--time-limit", "500000")
    assert p.returncode == EXIT_TIME_LIMIT and "time_limit at 500000 ns" in p.stdout
    assert "FAIL  the run ends within its time limit" in p.stdout
    p = _cli(capsim_exe, "scenario", "run", spinning, "--time-limit", "-1")
    assert p.returncode == 2 and "time-limit must be" in p.stderr


def test_cli_explore_and_replay_record_and_reproduce_the_limit(capsim_exe, spinning, tmp_path):
    out = tmp_path / "res.json"
    p = _cli(capsim_exe, "explore", spinning, "--seeds", "0:3", "--jobs", "2",
             "--time-limit", "300000", "--out", out)
    assert p.returncode == EXIT_TIME_LIMIT, p.stderr
    res = json.loads(out.read_text())
    assert res["time_limit_ns"] == 300000 and res["passing"] == 0
    assert {f["status"] for f in res["failing"]} == {"time_limit"}
    assert res["groups"][0]["failures"] == [sc_mod.TIME_LIMIT_VERDICT]
    assert "--time-limit 300000" in p.stdout        # the replay hint keeps it
    sched = tmp_path / "s.json"
    p = _cli(capsim_exe, "replay", "--results", out, "--save", sched)
    assert p.returncode == EXIT_TIME_LIMIT, p.stderr
    assert "reproduced: the trace hash %s" % res["failing"][0]["trace_hash"] in p.stdout
    saved = json.loads(sched.read_text())
    assert saved["time_limit_ns"] == 300000 and saved["status"] == "time_limit"
    p = _cli(capsim_exe, "replay", "--schedule", sched, "--json")
    assert p.returncode == EXIT_TIME_LIMIT and json.loads(p.stdout)["reproduced"] is True
    # A longer limit is another run: NOT reproduced (3 comes before 4).
    p = _cli(capsim_exe, "replay", "--schedule", sched, "--time-limit", "400000")
    assert p.returncode == 3 and "NOT reproduced" in p.stdout


def test_explore_workers_end_at_the_default_limit_of_the_scenario(spinning):
    res = ex.explore(spinning, "vulnerable", range(2), "random", jobs=2)
    assert res["time_limit_ns"] == 2000000 and len(res["failing"]) == 2
    pct = ex.explore(spinning, "mitigated", range(2), "pct", jobs=1, time_limit_ns=250000)
    assert pct["time_limit_ns"] == 250000 and pct["pct_steps"] > 0
    assert all(f["status"] == "time_limit" for f in pct["failing"])
