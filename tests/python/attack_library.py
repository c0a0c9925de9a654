"""attack_library.py — what every attack-scenario test file checks the
same way: loading a scenario from the build tree's scenarios/attacks
(CAPSIM_ATTACKS_BUILD), listing its variants for parametrisation, and the
two verdicts every scenario owes: each variant meets its expectations, and
the attack shows in `vulnerable` but not in `mitigated`."""
import os

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
