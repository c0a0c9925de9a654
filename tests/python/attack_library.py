"""attack_library.py — what every attack-scenario test file checks the
same way: loading a scenario from the build tree's scenarios/attacks
(CAPSIM_ATTACKS_BUILD), listing its variants for parametrisation, and the
two verdicts every scenario owes: each variant meets its expectations, and
the attack shows in `vulnerable` but not in `mitigated`."""
import os
import re

import pytest

from capsim import scenario as sc_mod

BUILD = os.environ.get("CAPSIM_ATTACKS_BUILD")


def path(name):
    return os.path.join(BUILD, name, "scenario.py")


def load(name):
    return sc_mod.load(path(name))


def variant_cases(names):
    """(scenario, variant) pairs for pytest.mark.parametrize."""
    if not BUILD:
        return []
    return [(n, v) for n in names for v in load(n).variants]


def check_variant_meets_expectations(name, variant):
    r = load(name).run(variant)
    assert r.passed, r.text()
    assert len(r.verdicts) >= 4


def check_attack_shows_only_when_vulnerable(name):
    sc = load(name)
    vuln, mit = sc.run("vulnerable"), sc.run("mitigated")
    broken = [v.name for v in vuln.verdicts if v.observed is False]
    assert broken, vuln.text()
    assert all(v.observed for v in mit.verdicts if v.expected), mit.text()
    assert vuln.trace_hash != mit.trace_hash


def check_docs_page(name):
    """docs/scenarios/<name>.md carries the scenario's narration and every
    expectation (so a change to the script shows up as a stale page), and
    the index links it."""
    docs = os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], "docs", "scenarios")
    with open(os.path.join(docs, name + ".md"), encoding="utf-8") as f:
        page = f.read()
    sc = load(name)
    for i, step in enumerate(sc.narration):
        assert "%d. %s" % (i + 1, step) in page, "step %d of %s is stale" % (i + 1, name)
    for e in sc.expectations:
        assert "| %s |" % e.name in page, "expectation %r missing from %s.md" % (e.name, name)
    for v in sc.variants:
        assert "img/%s.%s.svg" % (name, v) in page
        assert os.path.isfile(os.path.join(docs, "img", "%s.%s.svg" % (name, v)))
    with open(os.path.join(docs, "index.md"), encoding="utf-8") as f:
        assert "](%s.md)" % name in f.read()


def svg_content(path):
    """What a picture shows, without its layout: every node's and edge's
    title and every text (names, koids, rights labels, the legend), sorted."""
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    return sorted(re.findall(r"<title>([^<]*)</title>", svg) +
                  re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def check_docs_pictures_current(sc, drawn):
    """docs/scenarios/img/<name>.<variant>.svg shows what the tool draws now
    for scenario `sc` (folder `drawn`, where render_graphs.py just drew)."""
    if "address" in os.environ.get("CAPSIM_SANITIZE", ""):
        # Drawn by a build without AddressSanitizer: an ASan build's apps
        # keep ASan's malloc (no heap VMOs), so its koids move.
        pytest.skip("the docs' pictures are checked in builds without AddressSanitizer")
    docs = os.path.join(os.environ["CAPSIM_SOURCE_ROOT"], "docs", "scenarios", "img")
    name = sc.name
    for v in sc.variants:
        picture = "%s.%s.svg" % (name, v)
        assert svg_content(os.path.join(docs, picture)) == \
            svg_content(os.path.join(str(drawn), picture)), \
            ("docs/scenarios/img/%s is stale: redraw the pictures as "
             "docs/scenarios/index.md says" % picture)
