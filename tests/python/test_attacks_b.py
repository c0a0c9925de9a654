"""The attack-scenario library, second half (issue 8): exception_hijack,
wx_memory, channel_flood, handle_exhaustion, covert_channel, revocation
and memory_patch, run from the build tree the way users run them.

Every variant meets its expectations (the attack works where the variant
says it does and fails elsewhere, visibly); runs replay by seed, also
across host processes (exception_hijack redirects a thread to a host code
address: nothing of it may reach the trace); the covert channel's measured
numbers; the resource-limit host API's errors; `capsim scenario run
--variant all --graph` draws every variant's graph; the docs' pictures
render and the docs pages carry each script's narration and expectations.

Run by `meson test attack_scenarios_b` (registered in
scenarios/attacks/meson.build, `attack_python_tests`: a scenario added to
NAMES goes in that group's `dirs` too; CAPSIM_ATTACKS_BUILD names
the build tree's scenarios/attacks); skipped in the generic `python`
suite, which does not build these actors.
"""
import json
import os
import subprocess
import sys

import pytest

import attack_library

from capsim import CapsimError, System

BUILD = os.environ.get("CAPSIM_ATTACKS_BUILD")
pytestmark = pytest.mark.skipif(not BUILD, reason="run by `meson test attack_scenarios_b`")

NAMES = ["exception_hijack", "wx_memory", "channel_flood", "handle_exhaustion",
         "covert_channel", "revocation", "memory_patch"]


_path = attack_library.path
_load = attack_library.load


@pytest.mark.parametrize("name,variant", attack_library.variant_cases(NAMES))
def test_every_variant_meets_its_expectations(name, variant):
    attack_library.check_variant_meets_expectations(name, variant)


@pytest.mark.parametrize("name", NAMES)
def test_the_attack_shows_in_vulnerable_and_not_in_mitigated(name):
    attack_library.check_attack_shows_only_when_vulnerable(name)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_trace(name):
    sc = _load(name)
    assert sc.run("vulnerable", seed=7).trace_hash == sc.run("vulnerable", seed=7).trace_hash


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "capsim.cli", "scenario", "run"] + list(args),
                          capture_output=True, text=True, timeout=300)


def test_hijack_trace_hash_is_the_same_in_another_host_process():
    """The payload's address differs between host processes (ASLR); the
    trace must not."""
    hashes = []
    for _ in range(2):
        p = _cli(_path("exception_hijack"), "--json")
        assert p.returncode == 0, p.stdout + p.stderr
        hashes.append(json.loads(p.stdout)["trace_hash"])
    assert hashes[0] == hashes[1]


def test_covert_channel_numbers():
    sc = _load("covert_channel")
    vuln, mit = sc.run("vulnerable", keep=True), sc.run("mitigated", keep=True)
    try:
        measure = sc.expectations[1].fn.__globals__["measure"]  # the script's own
        ber, info = measure(vuln.run)
        assert ber == 0.0 and info > 0.95
        ber, info = measure(mit.run)
        assert info < 0.01 and ber > 0.3
        out = mit.run.output("receiver")
        assert "units per slot ranged 9" in out, out
    finally:
        vuln.run.close()
        mit.run.close()


def test_resource_limit_errors_name_the_problem():
    from capsim._ffi import lib
    from capsim.errors import check
    with System() as s:
        with pytest.raises(CapsimError) as e:
            check(s._ptr(), lib().capsim_set_handle_limit(s._ptr(), 0), "limit")
        assert "must be 1.." in str(e.value)
        with pytest.raises(CapsimError) as e:
            check(s._ptr(), lib().capsim_job_set_cpu_mask(s._ptr(), 424242, 1), "mask")
        assert "no live job with koid 424242" in str(e.value)
        job = s.job("j")
        with pytest.raises(CapsimError) as e:
            check(s._ptr(), lib().capsim_job_set_cpu_mask(s._ptr(), job.koid, 0x2), "mask")
        assert e.value.status_name == "ZX_ERR_INVALID_ARGS" and "1 CPUs" in str(e.value)
        assert lib().capsim_job_set_handle_quota(s._ptr(), job.koid, 10) == 0
        assert lib().capsim_job_handles(s._ptr(), job.koid) == 0


def test_cli_runs_every_variant_and_draws_every_graph(tmp_path):
    for name in NAMES:
        out = tmp_path / (name + ".svg")
        p = _cli(_path(name), "--variant", "all", "--graph", str(out), "--explain")
        assert p.returncode == 0, p.stdout + p.stderr
        assert "What happens:" in p.stdout
        for v in _load(name).variants:
            assert (tmp_path / ("%s.%s.svg" % (name, v))).read_text().lstrip() \
                .startswith("<?xml"), (name, v)


def test_the_docs_pictures_render(tmp_path):
    root = os.environ["CAPSIM_SOURCE_ROOT"]
    sys.path.insert(0, os.path.join(root, "docs", "scenarios"))
    try:
        import render_graphs
    finally:
        sys.path.pop(0)
    assert render_graphs.main(["--out", str(tmp_path)] + [_path(n) for n in NAMES]) == 0
    for n in NAMES:
        attack_library.check_docs_pictures_current(_load(n), tmp_path)
        for v in _load(n).variants:
            assert "<svg" in (tmp_path / ("%s.%s.svg" % (n, v))).read_text()


@pytest.mark.parametrize("name", NAMES)
def test_the_docs_page_tells_the_scenario_as_it_is(name):
    attack_library.check_docs_page(name)
