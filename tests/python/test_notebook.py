"""notebooks/01-first-look.ipynb runs headless: nbclient with a python3
kernel pinned to /usr/bin/python3 (a kernel spec written for the run, first
on JUPYTER_PATH), every cell without error, the graph shown inline as SVG
and the witness path printed."""
import json
import os

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


def test_first_look_notebook_runs(kernel_env):
    path = os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], "notebooks", "01-first-look.ipynb")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) >= 2                      # the graph and the witness path
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "read the secret: hunter2" in text
    assert "1." in text and "trace hash" in text
