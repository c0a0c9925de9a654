"""A run ends at its virtual time limit, however it is driven: an actor
looping through syscalls forever (app_faults "spin") no longer hangs
`capsim scenario run`, an explore worker or replay. The run is reported
as such (status time_limit, a failed verdict, exit status 4), the limit
is recorded in results and schedule files so that replay reproduces the
run, and scenarios default to one (docs/automation.md, "Runaway apps").

The record limit is the same for memory: a run stops once it keeps that
many trace records, so a spinning actor ends its run in a fraction of a
second instead of keeping ~300 bytes a record until the 1 s time limit
(13 million records, 7 GB): status record_limit, a failed verdict, exit
status 5, recorded in results and schedule files."""
import json
import os
import subprocess
import sys

import pytest

import capsim
from capsim import Syscall
from capsim import explore as ex
from capsim import scenario as sc_mod
from capsim.errors import CapsimError

EXIT_TIME_LIMIT = 4
EXIT_RECORD_LIMIT = 5

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


@pytest.mark.parametrize("option, limit, key, status, code, verdict, other, file", [
    ("--time-limit", 300000, "time_limit_ns", "time_limit", EXIT_TIME_LIMIT,
     sc_mod.TIME_LIMIT_VERDICT, 400000, "spinning"),
    ("--record-limit", 5000, "record_limit", "record_limit", EXIT_RECORD_LIMIT,
     sc_mod.RECORD_LIMIT_VERDICT, 5100, "filling")])
def test_cli_explore_and_replay_record_and_reproduce_the_limit(
        capsim_exe, request, tmp_path, option, limit, key, status, code, verdict, other, file):
    scenario = request.getfixturevalue(file)
    out = tmp_path / "res.json"
    p = _cli(capsim_exe, "explore", scenario, "--seeds", "0:3", "--jobs", "2",
             option, limit, "--out", out)
    assert p.returncode == code, p.stderr
    res = json.loads(out.read_text())
    assert res[key] == limit and res["passing"] == 0
    assert {f["status"] for f in res["failing"]} == {status}
    assert res["groups"][0]["failures"] == [verdict]
    assert "%s %d" % (option, limit) in p.stdout        # the replay hint keeps it
    sched = tmp_path / "s.json"
    p = _cli(capsim_exe, "replay", "--results", out, "--save", sched)
    assert p.returncode == code, p.stderr
    assert "reproduced: the trace hash %s" % res["failing"][0]["trace_hash"] in p.stdout
    saved = json.loads(sched.read_text())
    assert saved[key] == limit and saved["status"] == status
    p = _cli(capsim_exe, "replay", "--schedule", sched, "--json")
    assert p.returncode == code and json.loads(p.stdout)["reproduced"] is True
    # Another limit is another run: NOT reproduced (3 comes before 4 and 5).
    p = _cli(capsim_exe, "replay", "--schedule", sched, option, other)
    assert p.returncode == 3 and "NOT reproduced" in p.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(saved, **{key: -3})))
    p = _cli(capsim_exe, "replay", "--schedule", bad)
    assert p.returncode == 2 and "'%s' is -3" % key in p.stderr


def test_explore_workers_end_at_the_default_limit_of_the_scenario(spinning):
    res = ex.explore(spinning, "vulnerable", range(2), "random", jobs=2)
    assert res["time_limit_ns"] == 2000000 and len(res["failing"]) == 2
    pct = ex.explore(spinning, "mitigated", range(2), "pct", jobs=1, time_limit_ns=250000)
    assert pct["time_limit_ns"] == 250000 and pct["pct_steps"] > 0
    assert all(f["status"] == "time_limit" for f in pct["failing"])


# ---- the record limit ------------------------------------------------------------------

# The spinning scenario, limited by records instead of time.
FILLING = SPINNING.replace('"spinning"', '"filling"').replace(
    '"time_limit_ns": 3000000', '"record_limit": 6000').replace(
    "time_limit_ns=2000000", "record_limit=5000")


@pytest.fixture
def filling(tmp_path):
    path = tmp_path / "filling.py"
    path.write_text(FILLING)
    return str(path)


def test_a_system_stops_once_it_keeps_its_record_limit(test_app):
    with _spinner(test_app, record_limit=3000) as s:
        assert s.record_limit == 3000 and not s.record_limit_reached
        assert s.run().status == "record_limit"
        assert s.record_limit_reached and s.finished and not s.time_limit_reached
        kept, now = len(s.trace()), s.now
        assert 3000 <= kept < 3010                    # the last step's records too
        # every later run, step or run-until stops there at once
        assert s.run().status == "record_limit"
        assert s.step().status == "record_limit"
        assert s.run(until_ns=now + 10 ** 6).status == "record_limit"
        assert s.run(until=Syscall("channel_write")).status == "record_limit"
        assert s.run(until=lambda rec: False).status == "record_limit"
        assert len(s.trace()) == kept and s.now == now
        assert s.summary == "record limit" and s.report()["result"] == "record limit"
    for bad in (-1, 2 ** 64, 1.5, "10"):
        with pytest.raises(CapsimError, match="record_limit"):
            capsim.System(record_limit=bad)


def test_the_stop_is_the_same_however_the_run_is_driven(test_app):
    """sim_run's fast paths and a loop of steps stop after the same record,
    recorded or not: the hash is the run's."""
    ends = []
    for record, stepping in ((True, False), (False, False), (True, True)):
        with _spinner(test_app, record_limit=2500, record=record, seed=4,
                      strategy="random") as s:
            if stepping:
                while s.step().status == "stepped":
                    pass
            else:
                s.run()
            assert s.record_limit_reached
            ends.append((s.trace_hash, len(s.trace()), s.now))
    assert ends[0] == ends[1] == ends[2]


def test_without_a_limit_or_a_kept_trace_nothing_stops(test_app):
    with _spinner(test_app, time_limit_ns=200000, record_limit=10, keep_trace=False,
                  record=False) as s:
        assert s.run().status == "time_limit"


def test_a_scenario_run_reaching_its_record_limit_fails_and_says_so(filling):
    sc = sc_mod.load(filling)
    assert sc.record_limit("vulnerable") == 5000 and sc.record_limit("mitigated") == 6000
    assert sc.record_limit("mitigated", 5000) == 5000
    r = sc.run("vulnerable")
    assert r.status == "record_limit" and r.record_limited and not r.time_limited
    assert not r.passed and r.failures == [sc_mod.RECORD_LIMIT_VERDICT]
    assert [v.passed for v in r.verdicts] == [False, True]   # the rest still judged
    d = r.to_dict()
    assert d["status"] == "record_limit" and d["record_limit"] == 5000
    assert 5000 <= d["trace_records"] < 5010
    assert "record_limit at" in r.text() and "--record-limit N" in r.text()
    assert sc.run("mitigated").records >= 6000
    assert sc.run("vulnerable", record_limit=700).records < 710
    # a time limit that comes first wins
    r = sc.run("vulnerable", time_limit_ns=20000)
    assert r.status == "time_limit" and not r.record_limited


def test_scenarios_have_a_record_limit_by_default():
    sc = sc_mod.load("leaky_vmo")
    assert sc.record_limit() == sc_mod.DEFAULT_RECORD_LIMIT == 10 ** 6
    r = sc.run()
    assert r.to_dict()["record_limit"] == sc_mod.DEFAULT_RECORD_LIMIT and r.passed
    free = sc.run(record_limit=0)
    assert free.record_limit is None and free.trace_hash == r.trace_hash


def test_cli_scenario_run_exits_5_at_the_record_limit(capsim_exe, filling):
    p = _cli(capsim_exe, "scenario", "run", filling, "--variant", "all", "--json")
    assert p.returncode == EXIT_RECORD_LIMIT, p.stderr
    docs = json.loads(p.stdout)
    assert [(d["status"], d["record_limit"]) for d in docs] == [("record_limit", 5000),
                                                                ("record_limit", 6000)]
    assert docs[0]["verdicts"][0]["name"] == sc_mod.RECORD_LIMIT_VERDICT
    runs = {limit: _cli(capsim_exe, "scenario", "run", filling, *limit)
            for limit in (("--record-limit", "500"), ("--time-limit", "10000"),
                          ("--record-limit", "-1"))}
    assert runs["--record-limit", "500"].returncode == EXIT_RECORD_LIMIT
    assert "FAIL  the run ends within its record limit" in runs["--record-limit", "500"].stdout
    assert runs["--time-limit", "10000"].returncode == 4    # the time limit's 4 first
    assert runs["--record-limit", "-1"].returncode == 2
    assert "record-limit must be" in runs["--record-limit", "-1"].stderr


MEMORY_PER_RECORD = '''
import os, resource, sys
import capsim
s = capsim.System(record_limit=300000)
s.spawn(os.path.join(os.environ["CAPSIM_TEST_APPS"], "app_faults.so"), args=["spin"])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert s.run().status == "record_limit"
records = s.trace()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024 // len(records))
'''


def test_a_kept_record_costs_a_few_hundred_bytes():
    """What the record limit buys: the engine's record, the recorder's
    decoded syscall and the Python TraceRecord together stay under 400
    bytes a record (they took ~560 when the recorder kept 344 bytes a
    syscall and every record its own text)."""
    if os.environ.get("CAPSIM_SANITIZE"):
        pytest.skip("a sanitizer's allocator has costs of its own")
    p = subprocess.run([sys.executable, "-c", MEMORY_PER_RECORD], capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert int(p.stdout) < 400, p.stdout
