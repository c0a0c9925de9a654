"""The coursework notebooks run headless: nbclient with a python3 kernel
pinned to /usr/bin/python3 (a kernel spec written for the run, first on
JUPYTER_PATH), every cell without error, and each shows what its text
promises (pictures inline, the verdicts and witnesses it discusses)."""
import json
import os
import re

import nbformat
import pytest
from nbclient import NotebookClient


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (/usr/bin/python3)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.chdir(tmp_path)


def execute(name):
    """Run notebooks/<name> and return (text printed, number of SVG pictures)."""
    path = os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], "notebooks", name)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, "%s: %s: %s" % (name, errors[0]["ename"], errors[0]["evalue"])
    svgs = sum("image/svg+xml" in o.get("data", {}) for o in outputs)
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    return text, svgs


def test_first_look_notebook_runs(kernel_env):
    text, svgs = execute("01-first-look.ipynb")
    assert svgs >= 2                      # the graph and the witness path
    assert "read the secret: hunter2" in text
    # the client prints the VMO's rights by name, WRITE among them (cell 4 says so)
    assert re.search(r"client: got a VMO with rights \S*\bWRITE\b", text)
    assert "1." in text and "trace hash" in text
    assert "matched " in text and "vmo_write -> ZX_OK" in text
    # a share fact's witness, and the declaration that removes it
    assert "can send handles to process 'client'" in text
    assert "1 violation(s) without the declaration\n0 with it" in text
    # the client's step listing: the VMO arriving, named, and its exit
    assert re.search(r"< vmo \d+ 'secret' \[D T R W M Gp Sp S Wt I\] received from channel", text)
    assert re.search(r"! process \d+ 'client' ends \(return code 0\)", text)
    # its prints among its calls, the write's result after the write
    assert re.search(r"zx_vmo_write\(.*\) -> ZX_OK\n +\d+ ns +t\d+ +client +"
                     r"\| stdout: client: overwrite the secret: ZX_OK\n", text)


def test_races_notebook_finds_replays_and_shrinks_the_race(kernel_env):
    text, _ = execute("02-races-and-replay.ipynb")
    assert "strategy fifo" in text and "3 of 3 expectations met." in text
    passing = int(re.search(r"(\d+) of 40 seeds pass\n", text).group(1))
    assert 0 < passing < 40               # some seeds break it, not all
    assert "same trace hash: True" in text
    m = re.search(r"preemptions: (\d+) -> (\d+)", text)
    assert int(m.group(2)) <= int(m.group(1))
    assert "strategy replay" in text and "paid out 160" in text
    # the minimized run's timeline: one preemption, between a read and its write
    m = re.search(r"(\w+) +zx_vmo_read\n +\d+ +-- \1 is preempted, (\w+) runs\n"
                  r" +\d+ +\2 +zx_vmo_read\n +\d+ +\2 +zx_vmo_write\n +\d+ +\1 +zx_vmo_write\n",
                  text)
    assert m and {m.group(1), m.group(2)} == {"alice", "bob"}, text
    assert "40 of 40 seeds pass; 0 fail" in text


def test_ambient_authority_notebook_explains_the_escape_and_the_fix(kernel_env):
    text, svgs = execute("03-ambient-authority.ipynb")
    assert svgs >= 2                      # both focused graphs
    assert "untrusted: kill the victim: ZX_OK" in text
    assert "can create processes and child jobs in job 'apps'" in text
    # cell 13 compares with "the same query" on the vulnerable graph: its
    # answer must have been shown, not only its witness
    assert re.search(r"<Fact create: process 'untrusted' \(koid \d+\) -> job 'apps' "
                     r"\(koid \d+\) \[processes, jobs\]", text)
    assert "1 violation(s)" in text and "VIOLATION" in text
    assert "0 violation(s): no violations" in text
    assert "start a payload process: ZX_ERR_ACCESS_DENIED" in text
    # the fixed child may only create jobs in its sandbox, said as such
    assert re.search(r"<Fact create: process 'untrusted' \(koid \d+\) -> job 'sandbox' "
                     r"\(koid \d+\) \[jobs\] by create>", text)
