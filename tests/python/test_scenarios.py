"""The scenario format and runner: every shipped scenario in each of its
variants meets its expectations (the attack works in 'vulnerable', fails in
'mitigated'), graphs are drawn, and the `capsim scenario` command prints
verdicts, JSON and JUnit and exits non-zero when an expectation fails."""
import json
import os
import re
import subprocess
import sys
import xml.dom.minidom

import pytest

from capsim import CapsimError, System
from capsim import scenario as sc_mod
from capsim.scenario import Scenario

SHIPPED = ["leaky_vmo", "job_escape", "root_presenter", "double_withdraw", "heap_peek"]


def _cases():
    for name in SHIPPED:
        for variant in sc_mod.load(name).variants:
            yield name, variant


# AddressSanitizer builds (their tests preload ASan's runtime) give apps
# ASan's malloc, not their process's heap (docs/sdk.md, "The heap"):
# heap_peek's secret is then in no mapping of the vault to find.
ASAN_BUILD = "libasan" in os.environ.get("LD_PRELOAD", "")
NEEDS_CAPSIM_HEAP = {"heap_peek"}


@pytest.mark.parametrize("name,variant", list(_cases()))
def test_shipped_scenario_variants(name, variant, tmp_path):
    if ASAN_BUILD and name in NEEDS_CAPSIM_HEAP:
        pytest.skip("apps keep ASan's malloc in AddressSanitizer builds")
    sc = sc_mod.load(name)
    graph = tmp_path / ("%s.svg" % variant)
    r = sc.run(variant, graph=str(graph))
    assert r.passed, r.text()
    assert r.verdicts and graph.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("name", ["leaky_vmo", "job_escape", "root_presenter"])
def test_the_attack_shows_only_where_expected(name):
    """In 'vulnerable' some property is violated; in 'mitigated' all hold."""
    sc = sc_mod.load(name)
    vuln = sc.run("vulnerable")
    mit = sc.run("mitigated")
    assert any(v.observed is False for v in vuln.verdicts)
    assert all(v.observed for v in mit.verdicts if v.expected)


def test_a_wrong_expectation_fails_and_a_broken_one_is_reported():
    sc = Scenario("t", "test", variants={"vulnerable": {}, "mitigated": {}})

    @sc.setup
    def setup(run):
        run.spawn("counter", os.path.join(os.environ["CAPSIM_TEST_APPS"], "app_counter.so"),
                  args=["4"])

    @sc.expect("returns 4")
    def four(run):
        return run.return_code("counter") == 4

    @sc.expect("returns 5 (wrong)", mitigated=False)
    def five(run):
        assert run.return_code("counter") == 5, "it returned %d" % run.return_code("counter")
        return True

    @sc.expect("broken")
    def broken(run):
        return run.actor("nobody")

    r = sc.run("vulnerable")
    assert [v.passed for v in r.verdicts] == [True, False, False]
    assert r.verdicts[1].detail == "it returned 4"
    assert "KeyError" in r.verdicts[2].error
    assert sc.run("mitigated").verdicts[1].passed     # expected violated there
    with pytest.raises(ValueError):
        sc.run("sideways")
    with pytest.raises(ValueError):
        sc.expect("x", nonsense=True)


def test_same_seed_same_result():
    sc = sc_mod.load("job_escape")
    a, b = sc.run("vulnerable", seed=9), sc.run("vulnerable", seed=9)
    assert a.trace_hash == b.trace_hash and a.to_dict() == b.to_dict()


def test_leaky_vmo_client_names_the_rights_it_got():
    """vmo_client prints its handle's rights by name, in bit order, as the
    graphs and the package spell them; the output (in the trace hash) is the
    same every run."""
    sc = sc_mod.load("leaky_vmo")
    want = {"vulnerable": "DUPLICATE|TRANSFER|READ|WRITE|MAP|GET_PROPERTY|SET_PROPERTY|"
                          "SIGNAL|WAIT|INSPECT",
            "mitigated": "DUPLICATE|TRANSFER|READ|MAP|GET_PROPERTY|WAIT|INSPECT"}
    for variant, rights in want.items():
        hashes = set()
        for _ in range(2):
            r = sc.run(variant, keep=True)
            try:
                out = r.run.output("client")
            finally:
                r.run.close()
            assert "client: got a VMO with rights %s\n" % rights in out, out
            hashes.add(r.trace_hash)
        assert len(hashes) == 1


def _capsim(exe, *args):
    return subprocess.run([exe] + list(args), capture_output=True, text=True, timeout=120)


def test_cli_scripts_need_no_environment(capsim_exe):
    # What a user's shell gives: none of the test environment's preloads
    # (an AddressSanitizer build's capsim sets up its python3 itself).
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS")}
    p = subprocess.run([capsim_exe, "scenario", "run", "leaky_vmo", "--variant", "mitigated"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stderr


def test_cli_from_the_build_tree_finds_the_attack_library(capsim_exe):
    # docs/scenarios/index.md runs the attacks by name: from a build tree,
    # capsim finds their scripts beside their built actors.
    env = {k: v for k, v in os.environ.items()
           if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "CAPSIM_SCENARIOS")}
    p = subprocess.run([capsim_exe, "scenario", "list"], capture_output=True, text=True,
                       timeout=120, env=env)
    assert p.returncode == 0, p.stderr
    assert "rights_amplification" in p.stdout and "leaky_vmo" in p.stdout
    p = subprocess.run([capsim_exe, "scenario", "run", "rights_amplification", "--variant",
                        "mitigated"], capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stderr
    assert "variant mitigated" in p.stdout and "FAIL" not in p.stdout
    p = subprocess.run([capsim_exe, "scenario", "run", "rights_amplificaton"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 2 and "no such scenario" in p.stderr
    assert "capsim scenario list" in p.stderr
    looked = p.stderr.split("looked in ")[1].split(")")[0].split(", ")
    assert len(looked) == len(set(looked)), "a folder named twice: " + p.stderr


def test_a_scenario_in_its_own_folder_is_found_by_name(tmp_path, monkeypatch):
    folder = tmp_path / "lib" / "my_attack"
    folder.mkdir(parents=True)
    (folder / "scenario.py").write_text(
        "from capsim.scenario import Scenario\n"
        "scenario = Scenario('my_attack', 'in a folder', variants={'vulnerable': {}, "
        "'mitigated': {}})\n")
    monkeypatch.setenv("CAPSIM_SCENARIOS", str(tmp_path / "lib"))
    assert ("my_attack", str(folder / "scenario.py")) in sc_mod.available()
    assert sc_mod.load("my_attack").path == str(folder / "scenario.py")


def test_a_scenario_finds_its_actors_beside_it_from_any_folder(capsim_exe, tmp_path,
                                                               monkeypatch):
    """A student's scenario and the apps it spawns by file name live in one
    folder; it runs from anywhere, and a missing app's message says where
    it was looked for."""
    lab = tmp_path / "lab"
    lab.mkdir()
    with open(os.path.join(os.environ["CAPSIM_APPS"], "vmo_client.so"), "rb") as f:
        (lab / "my_client.so").write_bytes(f.read())
    script = (
        "from capsim.scenario import Scenario\n"
        "scenario = Scenario('lab', 'actors beside the script', "
        "variants={'vulnerable': {}, 'mitigated': {}})\n"
        "@scenario.setup\n"
        "def setup(run):\n"
        "    a, b = run.system.channel()\n"
        "    run.data['end'] = a\n"
        "    run.spawn('client', %r, handles=[b])\n"
        "@scenario.expect('the client ran')\n"
        "def ran(run):\n"
        "    return run.actor('client').koid > 0\n")
    (lab / "lab.py").write_text(script % "my_client.so")
    (lab / "typo.py").write_text(script % "my_clent.so")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert sc_mod.load(str(lab / "lab.py")).run("vulnerable").passed
    p = subprocess.run([capsim_exe, "scenario", "run", str(lab / "lab.py")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    with pytest.raises(FileNotFoundError, match=r"my_clent\.so: no such app \(looked in the "
                       r"current folder, beside the scenario \(%s\)" % re.escape(str(lab))):
        sc_mod.load(str(lab / "typo.py")).run("vulnerable")


def test_cli_run_list_explain_json_junit(capsim_exe, tmp_path):
    p = _capsim(capsim_exe, "scenario", "list")
    assert p.returncode == 0
    for name in SHIPPED:
        assert name in p.stdout
    p = _capsim(capsim_exe, "scenario", "run", "leaky_vmo", "--variant", "mitigated",
                "--explain", "--graph", str(tmp_path / "g.svg"),
                "--trace", str(tmp_path / "t.jsonl"), "--junit", str(tmp_path / "j.xml"))
    assert p.returncode == 0, p.stderr
    assert "What happens:" in p.stdout and "PASS" in p.stdout and "FAIL" not in p.stdout
    assert (tmp_path / "g.svg").exists()
    assert json.loads((tmp_path / "t.jsonl").read_text().splitlines()[0])
    junit = xml.dom.minidom.parse(str(tmp_path / "j.xml"))
    assert junit.getElementsByTagName("testcase") and not junit.getElementsByTagName("failure")
    p = _capsim(capsim_exe, "scenario", "run", "double_withdraw", "--json", "--seed", "1",
                "--strategy", "random")
    assert p.returncode == 1
    d = json.loads(p.stdout)
    assert not d["passed"] and d["seed"] == 1
    assert "money is conserved (balance + paid out == 100)" in \
        [v["name"] for v in d["verdicts"] if not v["passed"]]
    p = _capsim(capsim_exe, "scenario", "run", "leaky_vmo", "--variant", "nope")
    assert p.returncode == 2 and "no variant 'nope'" in p.stderr
    p = _capsim(capsim_exe, "scenario", "run", str(tmp_path / "missing.py"))
    assert p.returncode == 2 and "missing.py" in p.stderr


def test_cli_failing_expectation_exits_1_with_junit_failure(capsim_exe, tmp_path):
    script = tmp_path / "fails.py"
    script.write_text(
        "from capsim.scenario import Scenario\n"
        "scenario = Scenario('fails', 'always fails', variants={'vulnerable': {}, "
        "'mitigated': {}})\n"
        "@scenario.setup\n"
        "def setup(run):\n"
        "    run.spawn('victim', 'job_launcher', args=['victim'])\n"
        "@scenario.expect('the victim is killed')\n"
        "def killed(run):\n"
        "    return run.killed('victim')\n")
    p = _capsim(capsim_exe, "scenario", "run", str(script), "--junit", str(tmp_path / "j.xml"))
    assert p.returncode == 1 and "FAIL  the victim is killed: violated" in p.stdout
    junit = xml.dom.minidom.parse(str(tmp_path / "j.xml"))
    assert len(junit.getElementsByTagName("failure")) == 1


def test_the_docs_pictures_of_the_library_are_current(tmp_path):
    # docs/scenarios/<name>.md of the library's scenarios show these, drawn
    # as docs/scenarios/render_graphs.py says (root_presenter focused, 1 hop).
    sys.path.insert(0, os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], "docs", "scenarios"))
    sys.path.insert(0, os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], "tests", "python"))
    try:
        import attack_library
        import render_graphs
    finally:
        del sys.path[:2]
    assert render_graphs.main(["--out", str(tmp_path), "leaky_vmo", "job_escape"]) == 0
    assert render_graphs.main(["--out", str(tmp_path), "--focus", "process:root_presenter",
                               "--hops", "1", "root_presenter"]) == 0
    for name in ("leaky_vmo", "job_escape", "root_presenter"):
        attack_library.check_docs_pictures_current(sc_mod.load(name), tmp_path)


def test_cli_writes_the_step_listing_of_each_variant(capsim_exe, tmp_path):
    p = _capsim(capsim_exe, "scenario", "run", "job_escape", "--variant", "all",
                "--steps", str(tmp_path / "steps.txt"))
    assert p.returncode == 0, p.stderr
    fixed = (tmp_path / "steps.mitigated.txt").read_text()
    # the refused spawn, the policy action behind it, in words
    assert re.search(r"t\d+\s+untrusted\s+capsim_spawn\(\.\.\.\) -> ZX_ERR_ACCESS_DENIED\n"
                     r"\s+! job policy of process \d+ 'untrusted': NEW_PROCESS -> DENY\n", fixed)
    escaped = (tmp_path / "steps.vulnerable.txt").read_text()
    assert re.search(r"! killed process \d+ 'victim' \(return code -1024, "
                     r"ZX_TASK_RETCODE_SYSCALL_KILL\)", escaped)
    assert "job policy" not in escaped


def test_steps_need_a_recording_system():
    s = System(record=False)
    with pytest.raises(CapsimError, match="does not record"):
        s.steps()
    s.close()
def test_a_detail_of_several_lines_stays_under_its_verdict():
    from capsim.scenario import Verdict
    line = Verdict("the client cannot write", True, False, "1. holds\n2. sends\n").line()
    assert line.splitlines() == ["  FAIL  the client cannot write: violated — 1. holds",
                                 "        2. sends"]


def test_cli_run_checks_its_options_and_outputs_before_running(capsim_exe, tmp_path):
    missing = tmp_path / "no" / "such"
    for args, problem in (
            (["--graph", str(missing / "g.svg")],
             "--graph %s: no such folder" % (missing / "g.svg")),
            (["--graph", str(tmp_path / "g.jpeg")], "--graph %s: cannot tell the format"
             % (tmp_path / "g.jpeg")),
            (["--variant", "all", "--graph", str(tmp_path / "g.bmp")], "g.vulnerable.bmp"),
            (["--trace", str(missing / "t.jsonl")], "--trace"),
            (["--junit", str(missing / "j.xml")], "--junit"),
            (["--junit", str(tmp_path)], "is a folder"),
            (["--cpus", "0"], "cpus must be an integer in 1..64, not 0"),
            (["--strategy", "pct", "--depth", "0"], "depth must be an integer in 1..")):
        p = _capsim(capsim_exe, "scenario", "run", "leaky_vmo", *args)
        assert p.returncode == 2 and problem in p.stderr, (args, p.stderr)
        assert p.stdout == "" and "Traceback" not in p.stderr, args   # nothing ran


def test_a_setup_that_raises_is_reported_with_the_scenarios_own_lines(capsim_exe, tmp_path):
    script = tmp_path / "raises.py"
    script.write_text(
        "from capsim.scenario import Scenario\n"
        "scenario = Scenario('raises', 'a broken setup', variants={'vulnerable': {}})\n"
        "@scenario.setup\n"
        "def setup(run):\n"
        "    raise KeyError('no such actor')\n")
    for args in (["scenario", "run", str(script)], ["replay", str(script), "--seed", "1"],
                 ["explore", str(script), "--seeds", "0:6", "--jobs", "2",
                  "--out", str(tmp_path / "r.json")]):
        p = _capsim(capsim_exe, *args)
        assert p.returncode == 2, (args, p.stderr)
        assert "variant vulnerable" in p.stderr or "seed " in p.stderr, p.stderr
        assert "the scenario raised KeyError: 'no such actor'" in p.stderr, p.stderr
        assert '%s", line 5' % script in p.stderr, p.stderr
        assert "Traceback" not in p.stderr and "capsim/scenario.py" not in p.stderr, p.stderr


def test_sys_exit_in_a_scenario_is_reported_not_passed_on(capsim_exe, tmp_path):
    # A scenario's sys.exit(3) is its own bug: the command says so and exits
    # 2, never 3 without a word; in its file's body it is a load error.
    script = tmp_path / "exits.py"
    script.write_text(
        "import sys\n"
        "from capsim.scenario import Scenario\n"
        "scenario = Scenario('exits', 'exits in setup', variants={'vulnerable': {}})\n"
        "@scenario.setup\n"
        "def setup(run):\n"
        "    sys.exit(3)\n")
    body = tmp_path / "exits_at_load.py"
    body.write_text("import sys\nsys.exit(4)\n")
    for args, said in ((["scenario", "run", str(script)], "the scenario raised SystemExit: 3"),
                       (["replay", str(script), "--seed", "1"], "the scenario raised SystemExit: 3"),
                       (["explore", str(script), "--seeds", "0:4", "--jobs", "2",
                         "--out", str(tmp_path / "r.json")], "the scenario raised SystemExit: 3"),
                       (["scenario", "run", str(body)],
                        "%s: cannot load the scenario: it raised SystemExit: 4" % body)):
        p = _capsim(capsim_exe, *args)
        assert p.returncode == 2 and said in p.stderr, (args, p.returncode, p.stderr)
        assert "Traceback" not in p.stderr and "<frozen" not in p.stderr, p.stderr


def test_a_scenario_that_does_not_parse_shows_its_own_line(capsim_exe, tmp_path):
    script = tmp_path / "typo.py"
    script.write_text("from capsim.scenario import Scenario\n"
                      "scenario = Scenario('typo', 'a typo'\n")
    p = _capsim(capsim_exe, "scenario", "run", str(script))
    assert p.returncode == 2, p.stderr
    assert "cannot load the scenario: it raised SyntaxError: '(' was never closed\n" \
        '  File "%s", line 2\n' % script in p.stderr, p.stderr
    caret = " " * len("    scenario = Scenario") + "^"      # under the unclosed '('
    assert "    scenario = Scenario('typo', 'a typo'\n%s\n" % caret in p.stderr, p.stderr
    assert "<frozen" not in p.stderr, p.stderr
