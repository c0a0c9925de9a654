"""Every scenario of the library and of the attack library, in every
variant, gives one trace hash per (seed, strategy, CPUs) however it is run:

- twice in one interpreter, the second time in another order, from freshly
  loaded scenario objects, after every other scenario has run (state left
  behind by one run must not reach the next);
- from the command line (`capsim scenario run --variant all --json`), a
  separate process that starts without the host's address randomization
  while this interpreter keeps it;
- in explore's worker processes (two at once) and in this interpreter;
- replayed from the schedule the run recorded.

FIFO on the variant's own CPUs, a random walk and PCT on two CPUs. Run by
`meson test library_determinism` (tests/python/meson.build), which builds
the attack library's actors and names both scenario folders in
CAPSIM_SCENARIOS (and sets CAPSIM_DETERMINISM_LIBRARY); skipped in the generic `python` suite, which
does not build them.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from capsim import scenario as sc_mod

pytestmark = pytest.mark.skipif(not os.environ.get("CAPSIM_DETERMINISM_LIBRARY"), reason="run by `meson test library_determinism`")

# (strategy, seed, cpus); None: the variant's own CPUs
CONFIGS = [("fifo", 1, None), ("random", 5, 2), ("pct", 4, 2)]
ASAN_BUILD = "libasan" in os.environ.get("LD_PRELOAD", "")


def _names():
    return [name for name, _ in sc_mod.available()]


def _cases(names, loaded):
    return [(n, v, strategy, seed, cpus)
            for n in names for v in loaded[n].variants for strategy, seed, cpus in CONFIGS]


def _run(sc, case, **extra):
    _, variant, strategy, seed, cpus = case
    kwargs = {"cpus": cpus} if cpus else {}
    kwargs.update(extra)
    return sc.run(variant, seed=seed, strategy=strategy, **kwargs)


@pytest.fixture(scope="module")
def first_pass():
    """Each case once, in name order, one Scenario object per name:
    {case: Result}."""
    names = _names()
    assert len(names) >= 19, names
    loaded = {n: sc_mod.load(n) for n in names}
    return loaded, {case: _run(loaded[case[0]], case) for case in _cases(names, loaded)}


def test_every_scenario_is_covered(first_pass):
    loaded, results = first_pass
    assert {"double_withdraw", "heap_peek", "double_fetch", "sandbox_overgrant"} <= set(loaded)
    assert len(results) == len(CONFIGS) * sum(len(sc.variants) for sc in loaded.values())


def test_again_in_another_order_from_fresh_objects(first_pass):
    loaded, results = first_pass
    cases = sorted(results, key=lambda c: (c[2], c[4] or 0, c[1]), reverse=True)
    differ = [(c, results[c].trace_hash, h) for c in cases
              if (h := _run(sc_mod.load(c[0]), c).trace_hash) != results[c].trace_hash]
    assert not differ


def test_replayed_schedules_give_the_same_hash(first_pass):
    loaded, results = first_pass
    differ = []
    for case, r in results.items():
        if case[2] == "fifo":
            continue
        again = _run(loaded[case[0]], case[:2] + (None,) + case[3:], schedule=r.schedule)
        if again.trace_hash != r.trace_hash:
            differ.append((case, r.trace_hash, again.trace_hash))
    assert not differ


def _cli(capsim_exe, name, strategy, seed, cpus):
    args = [capsim_exe, "scenario", "run", name, "--variant", "all", "--json",
            "--strategy", strategy, "--seed", str(seed)] + (["--cpus", str(cpus)] if cpus else [])
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert p.returncode in (0, 1), p.stderr
    return {(name, r["variant"], strategy, seed, cpus): r["trace_hash"]
            for r in json.loads(p.stdout)}


@pytest.mark.skipif(ASAN_BUILD, reason="an ASan build's CLI keeps the host's layout")
def test_the_command_line_gives_the_same_hashes(first_pass, capsim_exe):
    loaded, results = first_pass
    jobs = [(n,) + config for n in loaded for config in CONFIGS if config[0] != "pct"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        cli = {}
        for answer in pool.map(lambda job: _cli(capsim_exe, *job), jobs):
            cli.update(answer)
    mine = {c: r.trace_hash for c, r in results.items() if c[2] != "pct"}
    assert set(cli) == set(mine)
    assert {c: h for c, h in cli.items() if mine[c] != h} == {}


def test_explore_workers_give_the_same_hashes(first_pass):
    """Half the random and PCT runs in each of two worker processes at once,
    through explore's own worker (`python3 -m capsim._explore_worker`)."""
    loaded, results = first_pass
    cases = [c for c in results if c[2] != "fifo"]
    tasks = [{"path": loaded[n].path, "variant": v, "seed": seed, "strategy": strategy,
              "cpus": cpus, "time_limit_ns": loaded[n].time_limit(v)}
             for (n, v, strategy, seed, cpus) in cases]
    halves = [list(range(0, len(tasks), 2)), list(range(1, len(tasks), 2))]
    workers = []
    for half in halves:
        w = subprocess.Popen([sys.executable, "-m", "capsim._explore_worker"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        w.stdin.write("".join(json.dumps(tasks[i]) + "\n" for i in half))
        w.stdin.close()
        workers.append(w)
    differ = []
    for w, half in zip(workers, halves):
        answers = [json.loads(line) for line in w.stdout]
        assert w.wait() == 0 and len(answers) == len(half)
        for i, o in zip(half, answers):
            if o.get("trace_hash") != results[cases[i]].trace_hash:
                differ.append((cases[i], results[cases[i]].trace_hash, o))
    assert not differ
