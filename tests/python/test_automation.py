"""capsim driven the way CI jobs and batch scripts drive it: exit status
and machine-readable outputs only. Every JSON document the commands write
parses (names and output that are not UTF-8 included), stdout stays one
JSON document under --json, an output that cannot be written is a clear
error on stderr with the documented status (never a traceback, never a
silent success), `>> file` appends, a closed pipe is not reported as
success, --time-limit ends an app that would run forever, and a report
says a seed of 2^64-1 as it is (docs/automation.md)."""
import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

import capsim
from capsim import scenario as sc_mod


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=300, **kw)


def load_json_utf8(data):
    return json.loads(data.decode("utf-8"))      # strict: JSON is UTF-8


# ---- the C commands ------------------------------------------------------------------

@pytest.fixture
def odd_app(test_app, tmp_path):
    """app_family under a file name that is not UTF-8 (its process's name)."""
    path = os.path.join(os.fsencode(tmp_path), b"f\xffmily.so")
    shutil.copy(test_app("app_family"), path)
    return path


def test_every_json_output_is_utf8_json_whatever_the_names(capsim_exe, odd_app, tmp_path):
    t = os.fsencode(tmp_path)
    p = run([capsim_exe, "run", "--report", t + b"/r.json", "--trace", t + b"/r.jsonl", odd_app])
    assert p.returncode == 53, p.stderr                 # app_family's own code
    report = load_json_utf8(open(t + b"/r.json", "rb").read())
    assert report["processes"][0]["name"] == "f\ufffdmily"
    for line in open(t + b"/r.jsonl", "rb"):
        load_json_utf8(line)
    p = run([capsim_exe, "trace", "--format=perfetto", odd_app])
    assert p.returncode == 0, p.stderr
    assert any(e.get("args", {}).get("name", "").startswith("f\ufffdmily (koid")
               for e in load_json_utf8(p.stdout)["traceEvents"])
    p = run([capsim_exe, "graph", "--format=json", "--at-syscall=channel_create",
             "--snapshot=#0", odd_app])
    assert p.returncode == 0, p.stderr
    names = [n["name"] for n in load_json_utf8(p.stdout)["nodes"]]
    assert "f\ufffdmily" in names


def test_report_gives_a_null_pointer_fault_its_address(capsim_exe, test_app, tmp_path):
    """fault_addr is written for every fault at a fixed low address, 0 too."""
    for what, addr in (("null", 0), ("segv", 16)):
        out = tmp_path / (what + ".json")
        p = run([capsim_exe, "run", "-q", "--report", str(out), test_app("app_faults"), what])
        assert p.returncode == 252, p.stderr
        proc = json.loads(out.read_text())["processes"][0]
        assert proc["fault"] == "page fault" and proc["fault_addr"] == addr, proc
    out = tmp_path / "abort.json"
    run([capsim_exe, "run", "-q", "--report", str(out), test_app("app_faults"), "abort"])
    assert "fault_addr" not in json.loads(out.read_text())["processes"][0]


def test_run_lists_blocked_threads_under_its_summary(capsim_exe, test_app, tmp_path):
    if "address" in os.environ.get("CAPSIM_SANITIZE", ""):
        pytest.skip("ASan builds: the app's sleep is the host's, so no deadlock (cli_run.sh)")
    out = tmp_path / "r.json"
    p = run([capsim_exe, "run", "--report", str(out), test_app("app_faults"), "deadlock"])
    lines = p.stdout.decode().splitlines()
    at = lines.index("  still blocked:")
    assert lines[at + 1].startswith("    thread 1 'app_faults' blocked since "), lines
    assert lines[at + 2].startswith("    thread 2 "), lines
    blocked = json.loads(out.read_text())["blocked"]
    assert [l.strip() for l in lines[at + 1:at + 3]] == blocked


def test_report_says_the_seed_as_an_unsigned_number(capsim_exe, test_app, tmp_path):
    out = tmp_path / "r.json"
    p = run([capsim_exe, "run", "-q", "--seed", str(2**64 - 1), "--report", str(out),
             test_app("app_counter"), "3"])
    assert p.returncode == 3, p.stderr
    assert json.loads(out.read_text())["seed"] == 2**64 - 1


def test_a_full_disk_is_an_error_never_a_silent_success(capsim_exe, test_app):
    app = test_app("app_family")
    for cmd, status in ((["run", "-q", "--trace", "/dev/full"], 1),
                        (["run", "-q", "--report", "/dev/full"], 1),
                        (["trace", "--format=jsonl", "-o", "/dev/full"], 1),
                        (["trace", "--format=perfetto", "-o", "/dev/full"], 1),
                        (["graph", "--format=json", "-o", "/dev/full"], 1)):
        p = run([capsim_exe] + cmd + [app])
        assert p.returncode == status, (cmd, p.returncode, p.stderr)
        assert b"/dev/full: cannot write" in p.stderr, (cmd, p.stderr)
    with open("/dev/full", "wb") as full:
        p = subprocess.run([capsim_exe, "trace", "--format=jsonl", app], stdout=full,
                           stderr=subprocess.PIPE, timeout=300)
    assert p.returncode == 1 and b"stdout: cannot write the trace" in p.stderr


def test_every_command_reports_a_full_stdout(capsim_exe, test_app):
    """Whatever a command prints, into /dev/full it is an error (status 1,
    one line naming stdout), never a silent 0."""
    app = test_app("app_family")
    far = os.path.join(os.environ["CAPSIM_PACKAGES"], "root_presenter.far")
    for cmd in (["demo"], ["run", app], ["graph", "--list", app],
                ["trace", "--format=steps", app], ["far", "list", "--archive=" + far]):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([capsim_exe] + cmd, stdout=full, stderr=subprocess.PIPE,
                               timeout=300)
        assert p.returncode == 1, (cmd, p.returncode, p.stderr)
        assert b"stdout: cannot write" in p.stderr, (cmd, p.stderr)


def test_component_run_reports_a_lost_trace(capsim_exe):
    far = os.path.join(os.environ["CAPSIM_PACKAGES"], "root_presenter.far")
    p = run([capsim_exe, "component", "run", "--package=" + far, "--trace", "/dev/full"])
    assert p.returncode == 1 and b"/dev/full: cannot write the trace" in p.stderr


def test_unwritable_outputs_are_refused_before_the_run(capsim_exe, test_app, tmp_path):
    app = test_app("app_counter")
    for cmd in (["run", "--report", "/no/such/dir/r.json"],
                ["run", "--trace", str(tmp_path)],
                ["graph", "-o", "/no/such/dir/g.svg"],
                ["trace", "--format=steps", "-o", "/no/such/dir/s.txt"]):
        p = run([capsim_exe] + cmd + [app])
        assert p.returncode == 2, (cmd, p.returncode, p.stderr)
        assert p.stdout == b"", (cmd, p.stdout)          # nothing ran
        assert b"no such folder" in p.stderr or b"is a folder" in p.stderr
    far = os.path.join(os.environ["CAPSIM_PACKAGES"], "root_presenter.far")
    for action in ("run", "plan"):
        for trace, problem in (("/no/such/dir/t.jsonl", b"no such folder /no/such/dir"),
                               (str(tmp_path), b"is a folder")):
            p = run([capsim_exe, "component", action, "--package=" + far, "--trace", trace])
            assert p.returncode == 2 and p.stdout == b"", (action, trace, p.stderr)
            assert b"--trace %s: %s" % (trace.encode(), problem) in p.stderr, p.stderr


def test_dash_is_stdout_only_where_the_file_is_all_a_command_prints(capsim_exe, test_app,
                                                                    tmp_path):
    """`-` is stdout for graph -o and trace -o; every other output option
    refuses it (status 2, nothing run) instead of writing a file named -."""
    app = test_app("app_counter")
    far = os.path.join(os.environ["CAPSIM_PACKAGES"], "root_presenter.far")
    for cmd in (["run", "--trace", "-", app], ["run", "--report", "-", app],
                ["analyze", "--reach=app_counter", "--object=1", "--draw", "-", app],
                ["component", "run", "--package=" + far, "--trace", "-"],
                ["scenario", "run", "leaky_vmo", "--trace", "-"],
                ["scenario", "run", "leaky_vmo", "--junit", "-"],
                ["explore", "leaky_vmo", "--seeds", "0:2", "--out", "-"],
                ["replay", "leaky_vmo", "--seed", "1", "--save", "-"]):
        p = run([capsim_exe] + cmd, cwd=tmp_path)
        assert p.returncode == 2 and p.stdout == b"", (cmd, p.returncode, p.stderr)
        assert b" -: stdout carries this command's own output" in p.stderr, (cmd, p.stderr)
    assert not (tmp_path / "-").exists()
    p = run([capsim_exe, "trace", "--format=jsonl", "-o", "-", app, "3"], cwd=tmp_path)
    assert p.returncode == 0 and json.loads(p.stdout.splitlines()[0])["seq"] == 0
    p = run([capsim_exe, "graph", "--format=dot", "-o", "-", app], cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.startswith(b"digraph")
    assert not (tmp_path / "-").exists()


def test_jsonl_to_stdout_appends_and_starts_at_the_first_record(capsim_exe, test_app, tmp_path):
    out = tmp_path / "all.jsonl"
    out.write_text('{"earlier": true}\n')
    with open(out, "ab") as f:
        p = subprocess.run([capsim_exe, "trace", "--format=jsonl", test_app("app_counter"), "3"],
                           stdout=f, timeout=300)
    assert p.returncode == 0
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    assert lines[0] == {"earlier": True}
    assert lines[1]["seq"] == 0 and [l["seq"] for l in lines[1:]] == list(range(len(lines) - 1))


def test_a_closed_pipe_leaves_the_report_and_trace_whole(capsim_exe, test_app, tmp_path):
    p = subprocess.Popen([capsim_exe, "run", "--report", str(tmp_path / "r.json"),
                          "--trace", str(tmp_path / "t.jsonl"), test_app("app_counter"), "3"],
                         stdout=subprocess.PIPE)
    p.stdout.close()                                  # the reader left at once
    assert p.wait(timeout=300) == -13                 # SIGPIPE, as for any C tool
    report = json.loads((tmp_path / "r.json").read_text())
    lines = (tmp_path / "t.jsonl").read_text().splitlines()
    assert report["exit_code"] == 3 and len(lines) == report["trace_records"]


def _run_spinning_app(capsim_exe, test_app, trace, report):
    """`capsim run` of an app that never ends, its stdout and stderr piped."""
    return subprocess.Popen([capsim_exe, "run", "--trace", str(trace), "--report", str(report),
                             test_app("app_faults"), "spin"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_reader_that_leaves_stops_an_app_that_would_run_forever(capsim_exe, test_app, tmp_path):
    """`capsim run APP | head -3` on an app that never ends: once a line
    finds the pipe closed the run stops (no --time-limit needed), the trace
    holds what ran, no report, and the command dies of SIGPIPE."""
    trace, report = tmp_path / "t.jsonl", tmp_path / "r.json"
    p = _run_spinning_app(capsim_exe, test_app, trace, report)
    try:
        assert _line_within(p.stdout, 60) == b"[app_faults] constructor\n"
        p.stdout.close()                                  # the reader left
        assert p.wait(timeout=60) == -13                  # not a run that goes on
        err = p.stderr.read()
    finally:
        p.kill()
    assert b"stdout closed, run stopped: no report written" in err and not report.exists()
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    assert records and records[-1]["seq"] == len(records) - 1


def test_a_full_stdout_stops_an_app_that_would_run_forever(capsim_exe, test_app, tmp_path):
    """`capsim run APP > /dev/full` on an app that never ends: the first
    slice whose output cannot be written ends the run (no --time-limit
    needed), the trace is whole, no report, status 1 naming the failure."""
    trace, report = tmp_path / "t.jsonl", tmp_path / "r.json"
    with open("/dev/full", "wb") as full:
        p = subprocess.run([capsim_exe, "run", "--trace", str(trace), "--report", str(report),
                            test_app("app_faults"), "spin"],
                           stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 1, p.stderr
    assert b"stdout: cannot write: No space left on device; the run was stopped at " \
        b"virtual time 1000000 ns" in p.stderr
    assert b"stdout failed, run stopped: no report written" in p.stderr
    assert not report.exists()
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    assert records and records[-1]["seq"] == len(records) - 1


def test_time_limit_ends_an_app_that_would_run_forever(capsim_exe, test_app, tmp_path):
    out = tmp_path / "r.json"
    p = run([capsim_exe, "run", "--time-limit", "200000", "--report", str(out),
             test_app("app_counter"), "2000000000"])
    assert p.returncode == 125, p.stderr
    assert b"time limit: stopped at virtual time 200000 ns" in p.stdout
    report = json.loads(out.read_text())
    assert report["result"] == "time limit" and report["exit_code"] is None
    assert report["virtual_time_ns"] == 200000
    p = run([capsim_exe, "run", "--time-limit", "-5", test_app("app_counter")])
    assert p.returncode == 2 and b"--time-limit" in p.stderr


def test_drawing_commands_stop_an_app_that_would_run_forever(capsim_exe, test_app, tmp_path):
    """graph, trace and analyze keep the whole trace: an endless app stops at
    the record limit (default 1,000,000) or the time limit, what it recorded
    is still written, stderr names the limit, and the status is 5 or 4."""
    app = test_app("app_faults")
    p = run([capsim_exe, "graph", "-f", "dot", "-o", str(tmp_path / "g.dot"), app, "spin"])
    assert p.returncode == 5, p.stderr
    assert b"reached its record limit, 1000000 kept trace records" in p.stderr
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
    trace = tmp_path / "t.jsonl"
    p = run([capsim_exe, "trace", "-f", "jsonl", "-o", str(trace), "--record-limit", "5000",
             app, "spin"])
    assert p.returncode == 5 and b"record limit, 5000 kept" in p.stderr, p.stderr
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    assert 5000 <= len(records) < 5100 and records[-1]["seq"] == len(records) - 1
    p = run([capsim_exe, "trace", "-f", "jsonl", "-o", str(trace), "--time-limit", "100000",
             "--record-limit", "0", app, "spin"])
    assert p.returncode == 4 and b"time limit, 100000 ns" in p.stderr, p.stderr
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    # nothing starts past the limit (a call entered before it exits at its end)
    assert records and max(r["time"] for r in records if r["kind"] != "kernel_exit") <= 100000
    p = run([capsim_exe, "analyze", "--reach=app_faults", "--record-limit", "5000", app, "spin"])
    assert p.returncode == 5 and b"app_faults" in p.stdout, p.stderr
    far = os.path.join(os.environ["CAPSIM_PACKAGES"], "root_presenter.far")
    p = run([capsim_exe, "graph", "--list", "--package=" + far, "--time-limit", "1"])
    assert p.returncode == 4 and b"time limit, 1 ns" in p.stderr, p.stderr
    p = run([capsim_exe, "graph", "--list", "--package=" + far])
    assert p.returncode == 0, p.stderr               # a run that ends: no limit met
    for option in ("--time-limit", "--record-limit", "--budget-ms"):
        p = run([capsim_exe, "trace", "-f", "jsonl", option, "-1", app, "spin"])
        assert p.returncode == 2 and (option + " must be >= 0").encode() in p.stderr


# ---- the scripting commands ----------------------------------------------------------

def test_replay_json_is_the_only_thing_on_stdout(capsim_exe):
    p = run([capsim_exe, "replay", "double_withdraw", "--seed", "1", "--json"])
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    assert doc["seed"] == 1 and doc["failures"] and len(doc["trace_hash"]) == 32
    assert b"capsim replay: double_withdraw" in p.stderr       # the account: stderr


PRINTING = '''
from capsim.scenario import Scenario
scenario = Scenario("printing", "its code prints", variants={"vulnerable": {}, "mitigated": {}})

@scenario.setup
def setup(run):
    print("setting up")
    run.spawn("a", "vmo_client", handles=[run.system.channel()[0]])

@scenario.expect("it ran")
def ran(run):
    print("checking")
    return True
'''


def test_scenario_json_stays_json_when_the_scenario_prints(capsim_exe, tmp_path):
    path = tmp_path / "printing.py"
    path.write_text(PRINTING)
    p = run([capsim_exe, "scenario", "run", str(path), "--variant", "all", "--json"])
    assert p.returncode == 0, p.stderr
    assert [r["variant"] for r in json.loads(p.stdout)] == ["vulnerable", "mitigated"]
    assert b"setting up" in p.stderr
    p = run([capsim_exe, "scenario", "run", str(path), "--variant", "mitigated", "--json"])
    assert json.loads(p.stdout)["variant"] == "mitigated"      # one variant: one object


def test_variant_all_is_an_array_even_of_one(capsim_exe, tmp_path):
    path = tmp_path / "single.py"
    path.write_text(PRINTING.replace(', "mitigated": {}', ""))
    p = run([capsim_exe, "scenario", "run", str(path), "--variant", "all", "--json"])
    assert p.returncode == 0, p.stderr
    assert [r["variant"] for r in json.loads(p.stdout)] == ["vulnerable"]


@pytest.mark.parametrize("cmd", [
    ["explore", "double_withdraw", "--seeds", "0:4", "--jobs", "1", "--out", "/dev/full"],
    ["scenario", "run", "leaky_vmo", "--junit", "/dev/full"],
    ["scenario", "run", "leaky_vmo", "--trace", "/dev/full"],
    ["scenario", "run", "leaky_vmo", "--steps", "/dev/full"],
    ["replay", "double_withdraw", "--seed", "1", "--save", "/dev/full"],
    ["replay", "double_withdraw", "--seed", "1", "--trace", "/dev/full"],
])
def test_scripting_commands_report_a_full_disk(capsim_exe, cmd):
    p = run([capsim_exe] + cmd)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert b"/dev/full: cannot write" in p.stderr and b"Traceback" not in p.stderr


def test_a_full_stdout_is_an_error(capsim_exe):
    with open("/dev/full", "wb") as full:
        p = subprocess.run([capsim_exe, "scenario", "run", "leaky_vmo", "--json"],
                           stdout=full, stderr=subprocess.PIPE, timeout=300)
    assert p.returncode == 2 and b"stdout: cannot write" in p.stderr
    assert b"Traceback" not in p.stderr and b"Exception ignored" not in p.stderr


def test_a_closed_pipe_is_not_success(capsim_exe, tmp_path):
    p = subprocess.Popen([capsim_exe, "explore", "double_withdraw", "--seeds", "0:30",
                          "--jobs", "1", "--out", str(tmp_path / "r.json")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()                                  # the reader left at once
    err = p.stderr.read()
    assert p.wait(timeout=300) == 141, err
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_results_are_replaced_whole(capsim_exe, tmp_path):
    out = tmp_path / "res.json"
    os.symlink("target.json", out)
    (tmp_path / "target.json").write_text("old")
    p = run([capsim_exe, "explore", "double_withdraw", "--seeds", "0:6", "--jobs", "1",
             "--out", str(out)])
    assert p.returncode in (0, 1), p.stderr
    assert os.path.islink(out) and json.loads(out.read_text())["runs"] == 6
    assert sorted(os.listdir(tmp_path)) == ["res.json", "target.json"]


def test_report_of_a_replayed_schedule_says_replay():
    with capsim.System(seed=4, strategy="random", cpus=2) as s:
        a, b = s.channel()
        s.spawn("secret_server", handles=[a], server=True)
        s.spawn("vmo_client", handles=[b])
        s.run()
        first = s.report()
        schedule = s.schedule
    with capsim.System(seed=4, cpus=2, schedule=schedule) as s:
        a, b = s.channel()
        s.spawn("secret_server", handles=[a], server=True)
        s.spawn("vmo_client", handles=[b])
        s.run()
        again = s.report()
    assert first["strategy"] == "random" and again["strategy"] == "replay"
    assert again["trace_hash"] == first["trace_hash"]


def test_python_api_reports_a_lost_trace(tmp_path):
    with capsim.System(seed=1, trace_path="/dev/full") as s:
        a, b = s.channel()
        s.spawn("vmo_client", handles=[b])
        s.run()
        with pytest.raises(OSError, match="/dev/full: cannot write the trace"):
            s.close_trace()
        s.close_trace()                               # finished: nothing more to say
    with pytest.raises(OSError, match="/dev/full"):
        sc_mod.load("leaky_vmo").run(trace="/dev/full")


def _line_within(stream, seconds):
    """The next line of a pipe, or None if none came in time."""
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    line = b""
    while not line.endswith(b"\n"):
        if not sel.select(timeout=seconds):
            return None
        chunk = os.read(stream.fileno(), 1)
        if not chunk:
            break
        line += chunk
    return line


def test_timeout_with_sigint_stops_the_run_cleanly(capsim_exe, test_app, tmp_path):
    """`timeout -s INT` sends its SIGINT twice, to the command and to its
    process group, both from timeout: that pair counts as one Ctrl-C (the
    summary is printed), where a second Ctrl-C would end the program."""
    trace = tmp_path / "t.jsonl"
    p = subprocess.run(["timeout", "--preserve-status", "-s", "INT", "2", capsim_exe, "run",
                        "--trace", str(trace), test_app("app_faults"), "spin"],
                       capture_output=True, timeout=120)
    assert p.returncode == 130, p.stderr
    assert b"interrupted: SIGINT stopped the run at virtual time" in p.stdout
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    assert records[-1]["seq"] == len(records) - 1
    # the pair without timeout's luck: the second SIGINT once the first was taken
    p = _run_spinning_app(capsim_exe, test_app, trace, tmp_path / "r.json")
    try:
        assert _line_within(p.stdout, 60) == b"[app_faults] constructor\n"
        p.send_signal(signal.SIGINT)
        time.sleep(0.002)
        p.send_signal(signal.SIGINT)               # the same sender again: counts once
        out, err = p.communicate(timeout=120)
    finally:
        p.kill()
    assert p.returncode == 130 and b"interrupted: SIGINT stopped the run" in out, err


@pytest.mark.parametrize("signo,status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_run_streams_output_and_a_signal_keeps_it(capsim_exe, test_app, tmp_path, signo, status):
    """An app that never ends: its lines come out while it runs; killing
    the command (timeout's SIGTERM, Ctrl-C) loses none of them, leaves a
    whole trace and exits with 128 + the signal."""
    trace, report = tmp_path / "t.jsonl", tmp_path / "r.json"
    p = _run_spinning_app(capsim_exe, test_app, trace, report)
    try:
        assert _line_within(p.stdout, 60) == b"[app_faults] constructor\n"
        assert _line_within(p.stdout, 60) == b"[app_faults] doing spin\n"
        assert _line_within(p.stdout, 60) == b"[app_faults] spin 1000\n"
        p.send_signal(signo)
        out, err = p.communicate(timeout=120)
    finally:
        p.kill()
    assert p.returncode == status, err
    name = "SIGTERM" if signo == signal.SIGTERM else "SIGINT"
    assert ("interrupted: %s stopped the run at virtual time" % name).encode() in out
    # the way to stop such an app without a signal, where it stops every run
    assert b"(--time-limit NS stops a run that does not end at virtual time NS" in out
    assert b"no report written" in err and not report.exists()
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    assert records[-1]["seq"] == len(records) - 1
    printed = _lines_written(records, {}, default="app_faults")
    assert len(printed) > 4 and printed[:3] == ["[app_faults] constructor\n",
                                                "[app_faults] doing spin\n",
                                                "[app_faults] spin 1000\n"]
    assert out.decode().startswith("".join(printed[3:]) + "capsim run: seed 1")


def _lines_written(records, names, default=None):
    """The lines `capsim run` prints for the output records of a trace:
    each process's stream cut at newlines, prefixed with its name."""
    pending, lines = {}, []
    for r in records:
        if r["kind"] != "output":
            continue
        key = (r["process"], r["stream"])
        pending[key] = pending.get(key, "") + r["text"]
        while "\n" in pending[key]:
            line, pending[key] = pending[key].split("\n", 1)
            lines.append("[%s] %s\n" % (names.get(r["process"], default), line))
    return lines


def test_run_prints_what_it_streams_in_the_order_written(capsim_exe, test_app, tmp_path):
    """Streamed, the output is what the run wrote, in its order: stdout
    and stderr lines interleaved as written (2>&1), every line whole, each
    prefixed with its process's name."""
    trace, report = tmp_path / "t.jsonl", tmp_path / "r.json"
    p = subprocess.run([capsim_exe, "run", "--seed", "5", "--cpus", "2", "--strategy", "random",
                        "--trace", str(trace), "--report", str(report), "-q",
                        test_app("app_faults"), "assert"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    names = {proc["koid"]: proc["name"] for proc in json.loads(report.read_text())["processes"]}
    text = "".join(_lines_written([json.loads(line) for line in trace.read_text().splitlines()],
                                  names))
    assert "Assertion failed" in text and text.count("\n") >= 3
    assert _without_asan_warnings(p.stdout.decode()) == text


def _without_asan_warnings(out):
    """What capsim printed, without the warnings AddressSanitizer's runtime
    writes to stderr itself in sanitizer builds (an abort's stack switch)."""
    if "address" not in os.environ.get("CAPSIM_SANITIZE", ""):
        return out
    asan = re.compile(r"^(==\d+==|False positive error reports may follow|"
                      r"For details see https://github.com/google/sanitizers/)")
    return "".join(line for line in out.splitlines(True) if not asan.match(line))
