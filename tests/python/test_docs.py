"""The examples of docs/python.md and docs/scenarios.md run as written: each
document's ```python blocks, in order, in one namespace (in a scratch
folder). A block that raises fails the test with the block's number."""
import os
import re

import pytest

DOCS = ["docs/python.md", "docs/scenarios.md"]


def _blocks(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


@pytest.mark.parametrize("doc", DOCS)
def test_doc_examples_run(doc, tmp_path, monkeypatch, capsys):
    path = os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], doc)
    blocks = _blocks(path)
    assert blocks, "%s has no ```python examples" % doc
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__doc_example__"}
    for i, code in enumerate(blocks, 1):
        try:
            exec(compile(code, "%s, example %d" % (doc, i), "exec"), namespace)
        except Exception as e:
            pytest.fail("%s, example %d raised %s: %s\n%s" % (doc, i, type(e).__name__, e, code))
    sys_open = [v for v in namespace.values() if type(v).__name__ == "System"]
    for s in sys_open:
        s.close()
