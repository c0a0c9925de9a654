"""What the pages show a reader, checked against the tool. The pages are the
source: each test reads its commands and the output pasted under them from
the page itself, runs them against this build and compares, so an edited
page is checked as written and a changed tool fails here until the page
says what it prints now.

- ```sh blocks of README.md and docs/*.md: a `capsim ...` line followed by
  `# ...` lines (its output); docs/graphs.md's plain-text excerpts (the
  snapshot list, a diff, a rules check, a step listing, a directory
  witness) under the command they show;
- docs/img's text files (docs/make_pictures.sh writes them) as the tool
  writes them now;
- README.md's example app is tests/apps/hello.c (sdk_install builds and runs
  that file), and its ```python example runs;
- graphs.md's networkx example runs on the JSON the command beside it
  writes; double_fetch.md's count of racy seeds and of the preemptions
  minimizing keeps;
- the keys docs/automation.md lists for each JSON output are the keys the
  commands write, and its table of trace kinds is the set the engine and
  the kernel register, with the argument names the traces carry.

In an excerpt, a line "..." skips lines, a line ending in "..." is a prefix,
runs of blank space compare equal, and lines must come in order. Pasted
outputs are compared in builds without AddressSanitizer only (koids move
there, see pasted_outputs_hold_here).
"""
import json
import os
import re
import shlex
import subprocess

import pytest

import capsim
from capsim import trace as trace_mod

ROOT = os.environ.get("CAPSIM_SOURCE_ROOT", "")
BUILD = os.environ.get("CAPSIM_BUILD_ROOT", "")
# The commands run as a user's shell runs them: without the test's preloads
# (an AddressSanitizer build's capsim sets up its python3 itself) and
# without CAPSIM_SCENARIOS, so that the build tree's attack library is found.
USER_ENV = {k: v for k, v in os.environ.items()
            if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "CAPSIM_SCENARIOS")}
PAGES = ["README.md"] + ["docs/" + p for p in ("automation.md", "graphs.md", "python.md",
                                               "sandbox.md", "scenarios.md", "sdk.md")]


def page(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        return f.read()


def fenced(text, lang=None):
    """The fenced blocks of a page, as lists of lines (of one language)."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.S | re.M)
    return [body.splitlines() for tag, body in blocks if lang is None or tag == lang]


def block_with(text, start):
    """(the lines from the one starting with `start`, to the block's end)."""
    for lines in fenced(text):
        for i, line in enumerate(lines):
            if line.startswith(start):
                return lines[i:]
    raise AssertionError("no block has a line starting %r" % start)


def command_and_output(lines):
    """Split a block's lines at the command: (command, the lines under it
    up to the next command or a blank line). Continuation lines (`\\`)
    join; a `#` comment after the command goes."""
    cmd = lines[0]
    rest = lines[1:]
    while cmd.endswith("\\"):
        cmd = cmd[:-1] + " " + rest.pop(0).strip()
    cmd = re.sub(r"\s+#\s.*$", "", cmd).strip()
    out = []
    for line in rest:
        if not line.strip() or line.startswith(("capsim ", "$ ")):
            break
        out.append(line)
    return cmd, out


def tool_path(word):
    """A path as the pages write it, in this build: `build/...`, an app or
    package named bare, the installed package folder."""
    word = word.replace("/usr/local/share/capsim/packages/", "build/model/sandbox/apps/")
    if word.startswith("build/"):
        return os.path.join(BUILD, word[len("build/"):])
    if re.fullmatch(r"app_\w+\.so", word):
        return os.path.join(BUILD, "tests", "apps", word)
    return word


def run_doc_command(cmd, cwd):
    """Run a page's `capsim ...` line with this build's capsim."""
    argv = shlex.split(cmd)
    assert argv[0] == "capsim", cmd
    argv = [os.path.join(BUILD, "scenarios", "capsim")] + [
        "=".join(tool_path(part) for part in a.split("=", 1)) if a.startswith("-") else tool_path(a)
        for a in argv[1:]]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=USER_ENV)


def _norm(line):
    # The host picks strict memory's mechanism: pkey where it has protection keys.
    return " ".join(line.replace("(mprotect)", "(pkey)").split())


def assert_shows(expected, actual, what):
    """Each expected line, in order, among the actual ones (see the top)."""
    got = [_norm(a) for a in actual.splitlines()]
    at = 0
    for line in expected:
        want = _norm(line)
        if want == "...":
            continue
        prefix = want.endswith("...")
        want = want[:-3].rstrip() if prefix else want
        for i in range(at, len(got)):
            if got[i] == want or (prefix and got[i].startswith(want)):
                at = i + 1
                break
        else:
            raise AssertionError("%s: the page shows\n  %s\nwhich is not (in that order) in "
                                 "what the tool prints now:\n%s" % (what, line, actual))


def pasted_outputs_hold_here():
    """The outputs the pages show come from a build without AddressSanitizer:
    an ASan build's apps keep ASan's malloc (no heap VMOs), so koids and
    counts move there, as for the attack pages' pictures."""
    if "address" in os.environ.get("CAPSIM_SANITIZE", ""):
        pytest.skip("the pages' outputs are checked in builds without AddressSanitizer")


@pytest.fixture(autouse=True)
def _need_env():
    if not ROOT or not BUILD:
        pytest.fail("CAPSIM_SOURCE_ROOT and CAPSIM_BUILD_ROOT are not set: run through meson test")


# ---- commands with their output pasted under them -----------------------------------

def _commented_examples():
    for name in PAGES:
        for lines in fenced(page(name), "sh"):
            for i, line in enumerate(lines):
                if (line.startswith("capsim ") and i + 1 < len(lines)
                        and lines[i + 1].startswith("# ")):
                    out = []
                    for more in lines[i + 1:]:
                        if not more.startswith("# "):
                            break
                        out.append(more[2:])
                    yield pytest.param(name, line, out, id="%s: %s" % (name, line[:60]))


@pytest.mark.parametrize("name,cmd,expected", list(_commented_examples()))
def test_commented_examples_print_what_the_page_says(name, cmd, expected, tmp_path):
    pasted_outputs_hold_here()
    cmd, _ = command_and_output([cmd])
    p = run_doc_command(cmd, tmp_path)
    assert_shows(expected, p.stdout + p.stderr, "%s, `%s`" % (name, cmd))


def test_the_pages_have_commented_examples():
    assert len(list(_commented_examples())) >= 3       # README's far cat, sdk.md's strict memory


# ---- docs/graphs.md's excerpts -------------------------------------------------------

# (the block's first line, where the excerpt is printed, the folder it runs in)
GRAPHS_EXCERPTS = [
    ("capsim graph --at-syscall=channel_write --list", "stdout", None),
    ("capsim graph --at-syscall=channel_write --diff=", "stderr", None),
    ("capsim analyze --package=app1.far", "stdout", "scenarios/attacks/dotdot_escape"),
]


@pytest.mark.parametrize("start,stream,folder", GRAPHS_EXCERPTS)
def test_graphs_excerpts_are_what_the_commands_print(start, stream, folder, tmp_path):
    pasted_outputs_hold_here()
    cmd, expected = command_and_output(block_with(page("docs/graphs.md"), start))
    p = run_doc_command(cmd, os.path.join(BUILD, folder) if folder else tmp_path)
    assert p.returncode == 0, p.stderr
    assert_shows(expected, getattr(p, stream), "graphs.md, `%s`" % cmd)


def test_analyze_check_reports_the_violation_shown(tmp_path):
    pasted_outputs_hold_here()
    lines = block_with(page("docs/graphs.md"), "$ cat family_rules.txt")
    rules = [line for line in lines[1:] if not line.startswith("$ ")][:1]
    (tmp_path / "family_rules.txt").write_text(rules[0] + "\n")
    run_at = next(i for i, line in enumerate(lines) if line.startswith("$ capsim analyze"))
    cmd, expected = command_and_output([lines[run_at][2:]] + lines[run_at + 1:])
    p = run_doc_command(cmd, tmp_path)
    assert p.returncode == 1, p.stderr                 # violations: exit status 1
    assert_shows(expected, p.stdout, "graphs.md, `%s`" % cmd)


def test_the_step_listing_excerpt_is_what_trace_steps_writes(tmp_path):
    pasted_outputs_hold_here()
    excerpt = next(lines for lines in fenced(page("docs/graphs.md"))
                   if lines and "zx_channel_create(options=" in lines[0])
    p = run_doc_command("capsim trace --format=steps app_family.so", tmp_path)
    assert p.returncode == 0, p.stderr
    assert_shows(excerpt, p.stdout, "graphs.md's step listing")


def test_the_networkx_example_reads_the_json_written_beside_it(tmp_path, monkeypatch):
    text = page("docs/graphs.md")
    m = re.search(r"\(`(capsim graph [^`]*-o family\.json\s+app_family\.so)`\)", text)
    assert m, "graphs.md no longer says how family.json is made"
    p = run_doc_command(" ".join(m.group(1).split()), tmp_path)
    assert p.returncode == 0, p.stderr
    code = next("\n".join(b) for b in fenced(text, "python") if "family.json" in "\n".join(b))
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(code, "graphs.md's JSON example", "exec"), namespace)
    assert namespace["g"].number_of_nodes() == len(json.load(open("family.json"))["nodes"]) > 5


# ---- an attack page's numbers -------------------------------------------------------

def test_double_fetch_page_says_what_explore_and_minimize_find(tmp_path):
    text = page("docs/scenarios/double_fetch.md")
    explore_cmd = re.search(r"^    (capsim explore double_fetch .*)$", text, flags=re.M).group(1)
    replay_cmd = re.search(r"^    (capsim replay double_fetch .*)$", text, flags=re.M).group(1)
    m = re.search(r"\((\d+) of the (\d+) seeds \d+\.\.\d+ overflow: ([\d, and]+); minimizing\s+"
                  r"seed (\d+)'s schedule keeps (\d+) of its (\d+) preemptions\.\)", text)
    assert m, "double_fetch.md no longer says what exploring finds"
    failing, runs = int(m.group(1)), int(m.group(2))
    seeds = [int(x) for x in re.findall(r"\d+", m.group(3))]
    p = run_doc_command(explore_cmd + " --jobs 2", tmp_path)
    assert p.returncode == 1, p.stderr                 # some seed fails
    assert "%d runs" % runs in p.stdout and "%d failing" % failing in p.stdout, p.stdout
    assert "seeds " + ", ".join(map(str, seeds)) + "\n" in p.stdout, p.stdout
    assert "--seed %s " % m.group(4) in replay_cmd
    p = run_doc_command(replay_cmd, tmp_path)
    assert "preemptions %s -> %s" % (m.group(6), m.group(5)) in p.stdout, p.stdout


# ---- docs/img's text files ------------------------------------------------------------

def test_docs_img_texts_are_what_the_tool_writes(tmp_path):
    """The commands of docs/make_pictures.sh that write text."""
    pasted_outputs_hold_here()
    at = "--at-syscall=channel_write"
    img = os.path.join(ROOT, "docs", "img")
    with open(os.path.join(img, "family_rules.txt")) as f:
        (tmp_path / "family_rules.txt").write_text(f.read())
    now = {
        "family_diff.txt": run_doc_command("capsim graph %s --diff=#0:#1 --no-legend "
                                           "-o family_diff.png app_family.so" % at, tmp_path).stderr,
        "family_check.txt": run_doc_command("capsim analyze %s --snapshot=#0 "
                                            "--check=family_rules.txt app_family.so" % at,
                                            tmp_path).stdout,
        "family_steps.txt": "".join(run_doc_command("capsim trace --format=steps app_family.so",
                                                    tmp_path).stdout.splitlines(True)[:40]),
    }
    for name, text in now.items():
        with open(os.path.join(img, name)) as f:
            assert f.read() == text, "docs/img/%s is stale: run sh docs/make_pictures.sh" % name


# ---- README.md -----------------------------------------------------------------------

def test_readme_app_is_the_one_sdk_install_builds():
    example = "\n".join(fenced(page("README.md"), "c")[0]).strip()
    with open(os.path.join(ROOT, "tests", "apps", "hello.c")) as f:
        hello = re.sub(r"^/\*.*?\*/\s*", "", f.read(), flags=re.S).strip()
    assert example == hello, "README.md's example app and tests/apps/hello.c differ"
    assert "# [hello] hello.so: got ping through a channel" in page("README.md")


def test_readme_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = fenced(page("README.md"), "python")
    assert blocks
    namespace = {"__name__": "__readme__"}
    for i, lines in enumerate(blocks, 1):
        exec(compile("\n".join(lines), "README.md, example %d" % i, "exec"), namespace)
    for v in list(namespace.values()):
        if isinstance(v, capsim.System):
            v.close()


# ---- docs/automation.md's schemas ----------------------------------------------------

def schema(heading):
    """{key: optional?} of the table under the heading starting `heading`."""
    text = page("docs/automation.md")
    section = text[text.index("\n### " + heading) + 1:]
    end = section.find("\n### ")
    section = section if end < 0 else section[:end]
    keys = {}
    for row in re.findall(r"^\| (`[^|]*) \| ([^|]*) \|", section, flags=re.M):
        names = re.findall(r"`(\w+)`", row[0])
        for n in names:
            keys[n] = "*(optional" in row[1]
    assert keys, "no key table under " + heading
    return keys


def assert_keys(doc_keys, documents, what):
    required = {k for k, opt in doc_keys.items() if not opt}
    seen = set()
    for d in documents:
        assert required <= set(d), "%s: documented keys missing: %s" % (
            what, sorted(required - set(d)))
        assert set(d) <= set(doc_keys), "%s: keys automation.md does not list: %s" % (
            what, sorted(set(d) - set(doc_keys)))
        seen |= set(d)
    assert seen == set(doc_keys), "%s: documented but never written: %s" % (
        what, sorted(set(doc_keys) - seen))


def cli(args, cwd, ok=(0, 1)):
    p = subprocess.run([os.path.join(BUILD, "scenarios", "capsim")] + args, cwd=cwd,
                       capture_output=True, text=True, timeout=300, env=USER_ENV)
    assert p.returncode in ok, (args, p.returncode, p.stderr)
    return p


def test_run_report_keys(tmp_path):
    cli(["run", "-q", "--report", "r.json", tool_path("app_family.so")], tmp_path, ok=(53,))
    report = json.load(open(tmp_path / "r.json"))
    assert_keys(schema("`capsim run --report FILE`"), [report], "capsim run --report")


def test_scenario_run_json_keys(tmp_path):
    p = cli(["scenario", "run", "leaky_vmo", "--json"], tmp_path)
    assert_keys(schema("`capsim scenario run --json`"), [json.loads(p.stdout)],
                "capsim scenario run --json")


def test_explore_and_replay_file_keys(tmp_path):
    cli(["explore", "double_withdraw", "--seeds", "0:20", "--jobs", "1", "--out", "x.json"],
        tmp_path)
    assert_keys(schema("`capsim explore --out FILE`"), [json.load(open(tmp_path / "x.json"))],
                "capsim explore --out")
    cli(["replay", "double_withdraw", "--seed", "1", "--strategy", "random", "--minimize",
         "--save", "bug.json"], tmp_path)
    saved = json.load(open(tmp_path / "bug.json"))
    p = cli(["replay", "--schedule", "bug.json", "--json"], tmp_path)
    replayed = json.loads(p.stdout)
    assert saved["strategy"] == replayed["strategy"] == "replay" and replayed["reproduced"]
    assert_keys(schema("`capsim replay --save FILE` and `capsim replay --json`"),
                [saved, replayed], "capsim replay --save / --json")
    assert_keys(schema("`capsim scenario run --json`"), [replayed["run"]],
                "capsim replay --json's run")
    assert replayed["run"]["trace_hash"] == replayed["trace_hash"]
    assert not replayed["run"]["passed"] and {v["name"] for v in replayed["run"]["verdicts"]
                                              if not v["passed"]} == set(replayed["failures"])


def trace_kind_table():
    """{kind: [(argument, optional?)...]} of automation.md's table."""
    text = page("docs/automation.md")
    section = text[text.index("| kind | arguments |"):].split("\n\n", 1)[0]
    kinds = {}
    for left, right in re.findall(r"^\| (`[^|]*) \| ([^|]*) \|", section, flags=re.M):
        names = re.findall(r"`(\w+)`", left)
        groups = right.split(" / ") if len(names) > 1 and " / " in right else [right] * len(names)
        assert len(groups) == len(names), left
        for name, group in zip(names, groups):
            args = [(a, opt == "(") for opt, a in re.findall(r"(\(?)`(\w+)`", group)]
            kinds[name] = args
    return kinds


def test_trace_kinds_and_their_arguments(tmp_path):
    table = trace_kind_table()
    with capsim.System() as s:
        registered = set(trace_mod.kind_names(s._ptr()))
    assert set(table) == registered, ("automation.md's kinds differ from the registered ones: "
                                      "listed only %s, registered only %s" % (
                                          sorted(set(table) - registered),
                                          sorted(registered - set(table))))
    cli(["trace", "--format=jsonl", "-o", "t1.jsonl", tool_path("app_family.so")], tmp_path)
    cli(["scenario", "run", "job_escape", "--variant", "all", "--trace", "t2.jsonl"], tmp_path)
    cli(["scenario", "run", "double_withdraw", "--strategy", "random", "--trace", "t3.jsonl"],
        tmp_path)
    common = {"time", "seq", "kind", "cpu", "thread", "text"}
    seen = set()
    for name in ("t1.jsonl", "t2.vulnerable.jsonl", "t2.mitigated.jsonl", "t3.jsonl"):
        for line in open(tmp_path / name):
            rec = json.loads(line)
            kind, args = rec["kind"], set(rec) - common
            documented = table[kind]
            required = {a for a, opt in documented if not opt}
            assert required <= args <= {a for a, _ in documented}, (
                "trace kind %s: the records carry %s, automation.md lists %s"
                % (kind, sorted(args), documented))
            seen.add(kind)
    assert len(seen) >= 15            # the traces above meet most kinds
