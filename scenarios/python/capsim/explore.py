"""capsim.explore — many schedules of one scenario, exact replay of one, and
minimizing a failing one.

Exploration runs a scenario variant once per seed under a randomized
strategy — 'random' (a seeded random walk over every scheduling choice) or
'pct' (probabilistic concurrency testing: random thread priorities and d-1
priority-change points among the run's expected kernel entries, measured
by one FIFO run first) — in worker processes (`python3 -m
capsim._explore_worker`: each loads libcapsim itself, takes one run at a
time as a JSON line on its stdin and answers with one on its stdout).
Workers are fresh
interpreters that never import the caller's main module, so a plain script
needs no `if __name__ == "__main__"` guard; a worker that dies (a simulator
abort) marks its seed as failing with status "crash" and a new one takes
over. A scenario made in the caller (not loaded from a file) has no file
for workers to load: it is explored in the calling process. It reports
which seeds break which expectations, grouped by the set broken.

A run is a function of (scenario, variant, seed, strategy, depth, steps,
cpus, time limit, record limit): re-running it gives the same trace
hash. Every run stops at its virtual time limit (the scenario's, else
scenario.DEFAULT_TIME_LIMIT_NS) or once it keeps its record limit of
trace records (scenario.DEFAULT_RECORD_LIMIT), whichever comes first; the
results and schedule files record both: a seed whose actors loop through
syscalls forever ends as a failing seed with status 'time_limit' or
'record_limit' instead of hanging its worker or taking the host's
memory, and the commands exit with EXIT_TIME_LIMIT or EXIT_RECORD_LIMIT.
The engine also records
every choice it made (System.schedule); replaying that list with strategy
'replay' gives the same run again. `minimize` shrinks a failing schedule:
entries are replaced by "take the default" (the FIFO answer) by delta
debugging (Zeller's ddmin) after cutting the schedule to the shortest
failing prefix, keeping only changes the failure needs; it reports the
preemption counts before and after.
"""
import ctypes
import json
import math
import os
import selectors
import subprocess
import sys
import time

from . import recorded
from . import scenario as scenario_mod
from .errors import CapsimError
from .files import write_whole
from .outputs import check_output, json_alone

DEFAULT_CHOICE = 0xFFFFFFFF   # out of range for every choice: the engine takes its default


# ---- one run ------------------------------------------------------------------------

_LOADED = {}


def _scenario(which):
    if isinstance(which, scenario_mod.Scenario):
        return which
    if which not in _LOADED:
        _LOADED[which] = scenario_mod.load(which)
    return _LOADED[which]


def run_once(path, variant, seed, strategy="random", depth=3, steps=0, cpus=None,
             schedule=None, keep_schedule=False, time_limit_ns=None, record_limit=None):
    """Run a scenario variant once (`path`: its file, or a Scenario); a
    small dict (JSON-able) of its outcome."""
    sc = _scenario(path)
    extra = {"cpus": cpus} if cpus else {}
    r = sc.run(variant, seed=seed, strategy=strategy if schedule is None else None,
               pct_depth=depth, pct_steps=steps, schedule=schedule, record=False,
               time_limit_ns=time_limit_ns, record_limit=record_limit, **extra)
    out = {"seed": seed, "passed": r.passed, "failures": r.failures,
           "details": {v.name: v.detail or v.error or "" for v in r.verdicts if not v.passed},
           "trace_hash": r.trace_hash, "preemptions": r.preemptions, "status": r.status}
    if keep_schedule:
        out["schedule"] = r.schedule
    return out


def _worker(task):
    """One run of a task (run_once's arguments), or {"error": ...} when the
    scenario raised."""
    try:
        return run_once(**task)
    except (Exception, SystemExit) as e:   # sys.exit() in a scenario ends no worker
        return {"seed": task["seed"], "error": scenario_mod.raised_text(e)}


def _worker_main():
    """`python3 -m capsim._explore_worker`: tasks in, outcomes out, one
    JSON line each; anything else written to stdout goes to stderr."""
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        for line in sys.stdin:
            out.write(json.dumps(_worker(json.loads(line))) + "\n")
            out.flush()
    except BrokenPipeError:   # the exploration stopped: nobody wants the answer
        os._exit(0)


ADDR_NO_RANDOMIZE = 0x0040000   # <sys/personality.h>


def _fixed_layout():
    """In a worker, before it starts: the host's address randomization off,
    as `setarch -R` (and every `capsim` command, scenarios/cli/fixed_layout.c)
    does, so app copies that print their globals' addresses print the same
    ones in every run of an exploration started from a notebook or script
    too. Not with CAPSIM_HOST_ASLR set; a host that refuses keeps it on."""
    if os.environ.get("CAPSIM_HOST_ASLR"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    now = libc.personality(0xffffffff)
    if now != -1 and not now & ADDR_NO_RANDOMIZE:
        libc.personality(now | ADDR_NO_RANDOMIZE)


def _crashed(task, status):
    why = "the worker process died (%s) during this run: a simulator crash" % (
        "signal %d" % -status if status < 0 else "exit status %d" % status)
    return {"seed": task["seed"], "passed": False, "failures": ["the run crashed the simulator"],
            "details": {"the run crashed the simulator": why}, "trace_hash": None,
            "preemptions": 0, "status": "crash"}


class _Workers:
    """`jobs` worker processes, each given one task at a time."""

    def __init__(self, jobs):
        import capsim
        env = dict(os.environ)   # the workers import this very package
        root = os.path.dirname(os.path.dirname(os.path.abspath(capsim.__file__)))
        env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get(
            "PYTHONPATH", "").split(os.pathsep) if p])
        self.env, self.sel, self.busy = env, selectors.DefaultSelector(), {}
        self.idle = [self._start() for _ in range(jobs)]

    def _start(self):
        return subprocess.Popen([sys.executable, "-m", "capsim._explore_worker"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                env=self.env, text=True, bufsize=1,
                                preexec_fn=_fixed_layout)

    def give(self, task):
        w = self.idle.pop()
        w.stdin.write(json.dumps(task) + "\n")
        w.stdin.flush()
        self.busy[w] = task
        self.sel.register(w.stdout, selectors.EVENT_READ, w)

    def results(self):
        """Wait for the next finished runs: [outcome]."""
        done = []
        for key, _ in self.sel.select():
            w = key.data
            self.sel.unregister(w.stdout)
            task = self.busy.pop(w)
            line = w.stdout.readline()
            if line:
                done.append(json.loads(line))
                self.idle.append(w)
            else:
                done.append(_crashed(task, w.wait()))
                self.idle.append(self._start())
        return done

    def close(self):
        for w in self.busy:       # the exploration stopped early: drop their runs
            w.kill()
        for w in self.idle + list(self.busy):
            w.stdin.close()
            w.stdout.close()
            w.wait()


def _run_tasks(tasks, jobs, progress):
    """Every task's outcome: in this process (jobs 1), else in workers."""
    outcomes = []

    def add(o):
        if "error" in o:
            raise RuntimeError("seed %d: the scenario raised %s" % (o["seed"], o["error"]))
        outcomes.append(o)
        progress.update(not o["passed"])
    if jobs == 1 or len(tasks) < 2:
        for t in tasks:
            add(_worker(t))
        return outcomes
    workers = _Workers(min(jobs, len(tasks)))
    try:
        pending = list(reversed(tasks))
        while pending or workers.busy:
            while pending and workers.idle:
                workers.give(pending.pop())
            for o in workers.results():
                add(o)
    finally:
        workers.close()
    return outcomes


def fifo_steps(path, variant, cpus=None, time_limit_ns=None, record_limit=None):
    """Kernel entries of the FIFO run: PCT's expected number of steps."""
    sc = _scenario(path)
    extra = {"cpus": cpus} if cpus else {}
    r = sc.run(variant, seed=0, strategy="fifo", record=False, time_limit_ns=time_limit_ns,
               record_limit=record_limit, **extra)
    return max(1, r.syscalls)


# ---- exploration ------------------------------------------------------------------------

class Progress:
    """A one-line progress bar on a terminal (nothing otherwise, nor when
    enabled=False: `explore --quiet`)."""

    def __init__(self, total, stream=None, enabled=None):
        self.total, self.done, self.failing = total, 0, 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled

    def update(self, failed):
        self.done += 1
        self.failing += 1 if failed else 0
        if self.enabled:
            width = 30
            filled = width * self.done // max(self.total, 1)
            self.stream.write("\r[%s%s] %d/%d seeds, %d failing" % (
                "#" * filled, "." * (width - filled), self.done, self.total, self.failing))
            self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")


def check_numbers(depth=3, jobs=0, cpus=None, steps=0, time_limit_ns=None, record_limit=None):
    """ValueError unless PCT's depth >= 1, jobs >= 0 (0: one per CPU),
    cpus None or 1..64, steps (PCT's expected steps, --pct-steps) >= 0,
    time_limit_ns None or 0 .. 2**63-1 and record_limit None or
    0 .. 2**64-1."""
    for name, value, low, high in (("pct-depth", depth, 1, (1 << 31) - 1),
                                   ("jobs", jobs, 0, 1024),
                                   ("cpus", 1 if cpus is None else cpus, 1, 64),
                                   ("pct-steps", steps, 0, (1 << 64) - 1),
                                   ("time-limit", 0 if time_limit_ns is None
                                    else time_limit_ns, 0, (1 << 63) - 1),
                                   ("record-limit", 0 if record_limit is None
                                    else record_limit, 0, (1 << 64) - 1)):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError("%s must be an integer in %d..%d, not %r"
                             % (name, low, high, value))


def explore(scenario, variant=None, seeds=range(100), strategy="random", pct_depth=None,
            jobs=0, cpus=None, progress=False, time_limit_ns=None, record_limit=None, *,
            depth=None):
    """Run `variant` of `scenario` (a Scenario, a file or a library name)
    once per seed. `pct_depth` is PCT's depth (default 3), named as in
    Scenario.run and on the command line (`depth=` is its older name, still
    accepted).
    Returns a dict: the parameters (time_limit_ns, record_limit: the ones
    every run had; None here means the scenario's, else the default),
    'failing' (one entry per failing seed: seed, failures, details,
    trace_hash, preemptions, status: 'time_limit' or 'record_limit' for a
    run that reached one), 'groups' (failing seeds grouped by the
    expectations they break)
    and 'passing' (how many seeds met every expectation)."""
    sc = scenario if isinstance(scenario, scenario_mod.Scenario) else scenario_mod.load(scenario)
    variant = sc.variant(variant).name
    if strategy not in ("random", "pct"):
        raise ValueError("explore strategies are 'random' and 'pct', not %r" % strategy)
    if depth is not None and pct_depth is not None and depth != pct_depth:
        raise ValueError("explore: depth=%r and pct_depth=%r name one parameter; give one"
                         % (depth, pct_depth))
    depth = next((d for d in (pct_depth, depth) if d is not None), 3)
    seeds = list(seeds)
    check_numbers(depth=depth, jobs=jobs, cpus=cpus, time_limit_ns=time_limit_ns,
                  record_limit=record_limit)
    limit = sc.time_limit(variant, time_limit_ns)
    records = sc.record_limit(variant, record_limit)
    steps = fifo_steps(sc, variant, cpus, limit, records) if strategy == "pct" else 0
    if sc.path is None:   # made by the caller: no file a worker could load
        jobs = 1
    where = sc.path if jobs != 1 else sc
    tasks = [{"path": where, "variant": variant, "seed": seed, "strategy": strategy,
              "depth": depth, "steps": steps, "cpus": cpus, "time_limit_ns": limit,
              "record_limit": records}
             for seed in seeds]
    jobs = jobs or os.cpu_count() or 1
    bar = Progress(len(tasks), enabled=None if progress else False)
    try:
        outcomes = _run_tasks(tasks, jobs, bar)
    finally:
        bar.close()
    outcomes.sort(key=lambda o: o["seed"])
    failing = [dict((k, o[k]) for k in ("seed", "failures", "details", "trace_hash",
                                         "preemptions", "status"))
               for o in outcomes if not o["passed"]]
    groups = {}
    for f in failing:
        groups.setdefault(tuple(f["failures"]), []).append(f["seed"])
    return {"scenario": sc.name, "path": sc.path, "variant": variant, "strategy": strategy,
            "depth": depth, "pct_steps": steps, "cpus": cpus, "time_limit_ns": limit,
            "record_limit": records, "seeds": [seeds[0], seeds[-1] + 1] if seeds else [0, 0], "runs": len(outcomes),
            "passing": len(outcomes) - len(failing), "failing": failing,
            "groups": [{"failures": list(k), "seeds": v, "count": len(v)}
                       for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))]}


# ---- minimizing -------------------------------------------------------------------------

def _ddmin(items, fails):
    """Zeller's ddmin: a 1-minimal sublist of `items` for which fails() holds."""
    n = 2
    while len(items) >= 2:
        size = math.ceil(len(items) / n)
        parts = [items[i:i + size] for i in range(0, len(items), size)]
        for part in parts:
            if fails(part):
                items, n = part, 2
                break
        else:
            for part in parts:
                rest = [x for x in items if x not in part]
                if fails(rest):
                    items, n = rest, max(n - 1, 2)
                    break
            else:
                if n >= len(items):
                    break
                n = min(len(items), 2 * n)
    return items


def minimize(scenario, variant, seed, schedule, failures=None, cpus=None, log=None,
             time_limit_ns=None, record_limit=None):
    """Shrink a failing schedule. Returns a dict: 'schedule' (the recorded
    choices of the minimized run, to replay), 'preemptions_before',
    'preemptions_after', 'deviations_before', 'deviations_after', 'runs',
    'failures' (what the minimized run breaks), 'trace_hash', 'status'."""
    sc = scenario if isinstance(scenario, scenario_mod.Scenario) else scenario_mod.load(scenario)
    variant = sc.variant(variant).name
    runs = [0]
    cache = {}

    def attempt(sched):
        key = tuple(sched)
        if key not in cache:
            runs[0] += 1
            cache[key] = run_once(sc, variant, seed, cpus=cpus, schedule=list(sched),
                                  keep_schedule=True, time_limit_ns=time_limit_ns,
                                  record_limit=record_limit)
        return cache[key]

    base = attempt(schedule)
    target = set(failures or base["failures"])
    if not target or not target & set(base["failures"]):
        raise ValueError("the schedule does not fail (expectations all met): nothing to minimize")

    def breaks(o):
        return bool(target & set(o["failures"]))

    def with_only(keep):
        keep = set(keep)
        return [v if i in keep else DEFAULT_CHOICE for i, v in enumerate(schedule)]

    deviations = [i for i, v in enumerate(schedule) if v != 0]
    if attempt(with_only(deviations))["trace_hash"] != base["trace_hash"]:
        deviations = list(range(len(schedule)))   # 0 is not every choice's default
    # The shortest failing prefix first: later choices cannot matter.
    lo, hi = 0, len(deviations)
    while lo < hi:
        mid = (lo + hi) // 2
        if breaks(attempt(with_only(deviations[:mid]))):
            hi = mid
        else:
            lo = mid + 1
    kept = deviations[:lo]
    if kept and not breaks(attempt(with_only([]))):
        kept = _ddmin(kept, lambda sub: breaks(attempt(with_only(sub))))
    final = attempt(with_only(kept))
    if log:
        log("minimized in %d runs: %d -> %d deviations" % (runs[0], len(deviations), len(kept)))
    return {"schedule": final["schedule"], "preemptions_before": base["preemptions"],
            "preemptions_after": final["preemptions"],
            "deviations_before": len(deviations), "deviations_after": len(kept),
            "runs": runs[0], "failures": final["failures"], "trace_hash": final["trace_hash"],
            "status": final["status"]}


# ---- the command line ---------------------------------------------------------------------

def _parse_seeds(text):
    try:
        if ":" in text:
            a, b = text.split(":", 1)
            a, b = int(a), int(b)
        else:
            a, b = 0, int(text)
    except ValueError:
        raise ValueError("--seeds is A:B (B excluded) or N, not %r" % text)
    if a < 0 or b <= a:
        raise ValueError("--seeds %s: need 0 <= A < B" % text)
    return range(a, b)


def cli_explore(args):
    try:
        sc = scenario_mod.load(args.scenario)
        seeds = _parse_seeds(args.seeds)
        variant = sc.variant(args.variant).name
        check_numbers(depth=args.pct_depth, jobs=args.jobs, cpus=args.cpus,
                      time_limit_ns=args.time_limit, record_limit=args.record_limit)
        out = args.out or "%s.%s.explore.json" % (sc.name, variant)
        check_output(out, "--out")
    except (FileNotFoundError, ValueError) as e:
        sys.stderr.write("capsim explore: %s\n" % e)
        return 2
    start = time.monotonic()
    try:
        res = explore(sc, variant, seeds, args.strategy, args.pct_depth, args.jobs, args.cpus,
                      progress=not args.quiet, time_limit_ns=args.time_limit,
                      record_limit=args.record_limit)
    except (CapsimError, RuntimeError, FileNotFoundError, ValueError) as e:
        sys.stderr.write("capsim explore: %s: %s\n" % (sc.name, e))
        return 2
    elapsed = time.monotonic() - start
    write_whole(out, json.dumps(res, indent=2) + "\n")
    limited = sum(1 for f in res["failing"] if f["status"] == "time_limit")
    full = sum(1 for f in res["failing"] if f["status"] == "record_limit")
    if args.quiet:
        print("capsim explore: %s, variant %s: %d runs, %d passing, %d failing%s%s; results %s"
              % (sc.name, variant, res["runs"], res["passing"], len(res["failing"]),
                 " (%d at the time limit)" % limited if limited else "",
                 " (%d at the record limit)" % full if full else "", out))
    else:
        _print_explored(sc, variant, args, res, seeds, elapsed, out)
    if limited:
        return EXIT_TIME_LIMIT
    if full:
        return EXIT_RECORD_LIMIT
    return 1 if res["failing"] else 0


def _print_explored(sc, variant, args, res, seeds, elapsed, out):
    """What `capsim explore` prints without --quiet: the groups, how to
    replay the first failing seed, where the results went."""
    print("capsim explore: %s, variant %s, strategy %s%s, seeds %d:%d: %d runs in %.1f s"
          % (sc.name, variant, args.strategy,
             " (PCT depth %d, %d steps)" % (args.pct_depth, res["pct_steps"])
             if args.strategy == "pct" else "", seeds.start, seeds.stop, res["runs"], elapsed))
    print("  %d passing, %d failing" % (res["passing"], len(res["failing"])))
    for g in res["groups"]:
        shown = ", ".join(str(s) for s in g["seeds"][:12])
        more = " ..." if g["count"] > 12 else ""
        print("  %d seed(s) break: %s" % (g["count"], "; ".join(g["failures"])))
        print("    seeds %s%s" % (shown, more))
    if res["failing"]:
        first = res["failing"][0]
        print("  replay the first: capsim replay %s --variant %s --seed %d --strategy %s%s%s%s"
              % (sc.path, variant, first["seed"], args.strategy,
                 " --pct-depth %d --pct-steps %d" % (args.pct_depth, res["pct_steps"])
                 if args.strategy == "pct" else "",
                 "" if args.time_limit is None else " --time-limit %d" % args.time_limit,
                 "" if args.record_limit is None else " --record-limit %d" % args.record_limit))
    print("  results: %s" % out)


def _replay_target(args):
    """The run to re-do, as a capsim.recorded.Recorded."""
    if args.schedule and args.results:
        raise ValueError("give --schedule FILE or --results FILE, not both")
    if args.index is not None and not args.results:
        raise ValueError("--index picks a failing seed of --results FILE; give that file")
    if args.schedule:
        return recorded.read_schedule(args.schedule, args.scenario)
    if args.results:
        return recorded.read_results(args.results, args.index or 0, args.scenario)
    if not args.scenario or args.seed is None:
        raise ValueError("give SCENARIO --seed N, or --schedule FILE, or --results FILE")
    check_numbers(depth=args.pct_depth, cpus=args.cpus, steps=args.pct_steps)
    return recorded.Recorded(scenario_mod.load(args.scenario), args.variant, args.seed,
                             args.strategy, args.pct_depth, args.pct_steps, args.cpus, None,
                             None, None, None)


def _check_steps_listing(path):
    """`replay --steps` names the step-listing file, as in `scenario run`; a
    number there is the old spelling of --pct-steps, refused with the new one."""
    if path is not None and path.strip().lstrip("+-").isdigit():
        raise ValueError("--steps %s: --steps names the step-listing file to write (as in "
                         "`capsim scenario run`); PCT's expected steps are --pct-steps %s "
                         "(for a file of that name, give ./%s)" % (path, path.strip(), path))


#: `capsim replay`'s exit status when the run is not the one the file recorded
#: (another trace hash), whatever its expectations did: 0 and 1 say whether
#: they were met, 2 is a usage error.
EXIT_NOT_REPRODUCED = 3

#: The exit status of `capsim scenario run`, `explore` and `replay` when a
#: run reached its virtual time limit (its expectations saw a cut-short
#: run), whatever the expectations did; replay's 3 comes first.
EXIT_TIME_LIMIT = 4

#: Their exit status when a run kept its record limit of trace records
#: (its expectations saw a cut-short run) and none reached its time limit;
#: replay's 3 comes first.
EXIT_RECORD_LIMIT = 5


def _reproduced(target, r):
    """Whether the run is the one the file recorded (None: the file recorded
    no trace hash, or the run came from the command line) and the line
    saying so."""
    if not target.trace_hash:
        return None, None
    if target.trace_hash == r.trace_hash:
        return True, "  reproduced: the trace hash %s recorded in %s" % (r.trace_hash,
                                                                        target.source)
    return False, ("  NOT reproduced: %s recorded trace hash %s; the scenario, its actors or "
                   "capsim changed since" % (target.source, target.trace_hash))


def cli_replay(args):
    return json_alone(args.json, _replay, args)


def _replay(args, document):
    try:
        target = _replay_target(args)
        sc, seed, strategy, depth, steps, cpus, schedule = (
            target.scenario, target.seed, target.strategy, target.depth, target.steps,
            target.cpus, target.schedule)
        try:
            variant = sc.variant(target.variant).name
        except ValueError as e:
            raise ValueError("%s: %s" % (target.source, e) if target.source else str(e))
        _check_steps_listing(args.steps)
        check_numbers(time_limit_ns=args.time_limit, record_limit=args.record_limit)
        limit = sc.time_limit(variant, args.time_limit if args.time_limit is not None
                              else target.time_limit_ns)
        records = sc.record_limit(variant, args.record_limit if args.record_limit is not None
                                  else target.record_limit)
        for path, option in ((args.save, "--save"), (args.graph, "--graph"),
                             (args.trace, "--trace"), (args.steps, "--steps")):
            check_output(path, option)
    except (FileNotFoundError, ValueError) as e:
        sys.stderr.write("capsim replay: %s\n" % e)
        return 2
    extra = {"cpus": cpus} if cpus is not None else {}
    try:
        r = sc.run(variant, seed=seed, strategy=None if schedule is not None else strategy,
                   pct_depth=depth, pct_steps=steps, schedule=schedule, graph=args.graph,
                   trace=args.trace, steps=args.steps, time_limit_ns=limit,
                   record_limit=records, **extra)
    except (CapsimError, OSError, ValueError) as e:
        sys.stderr.write("capsim replay: %s: %s\n" % (sc.name, e))
        return 2
    except (Exception, SystemExit) as e:   # the scenario's own code: its bug
        sys.stderr.write("capsim replay: %s, variant %s: the scenario raised %s\n"
                         % (sc.name, variant, scenario_mod.raised_text(e)))
        return 2
    how = "a recorded schedule (%d choices)" % len(schedule) if schedule is not None else \
        "strategy %s" % strategy
    print("capsim replay: %s, variant %s, seed %d, %s" % (sc.name, variant, seed, how))
    print(r.text())
    print("  preemptions %d, schedule of %d choices" % (r.preemptions, len(r.schedule)))
    reproduced, line = _reproduced(target, r)
    if line:
        print(line)
    saved = {"scenario": sc.name, "path": sc.path, "variant": variant, "seed": seed,
             "cpus": cpus, "strategy": "replay", "schedule": r.schedule,
             "trace_hash": r.trace_hash, "preemptions": r.preemptions,
             "failures": r.failures, "time_limit_ns": limit, "record_limit": records,
             "status": r.status}
    if args.minimize:
        if r.passed:
            print("  nothing to minimize: every expectation was met")
        else:
            m = minimize(sc, variant, seed, r.schedule, r.failures, cpus,
                         time_limit_ns=limit, record_limit=records)
            print("  minimized in %d runs: preemptions %d -> %d, deviations from FIFO %d -> %d"
                  % (m["runs"], m["preemptions_before"], m["preemptions_after"],
                     m["deviations_before"], m["deviations_after"]))
            print("  still breaks: %s (trace hash %s)" % ("; ".join(m["failures"]),
                                                         m["trace_hash"]))
            saved.update(schedule=m["schedule"], trace_hash=m["trace_hash"],
                         preemptions=m["preemptions_after"], failures=m["failures"],
                         status=m["status"],
                         preemptions_before=m["preemptions_before"])
    if args.save:
        write_whole(args.save, json.dumps(saved) + "\n")
        print("  schedule: %s (capsim replay --schedule %s)" % (args.save, args.save))
    if args.json:
        if target.trace_hash:
            saved["recorded_trace_hash"] = target.trace_hash
            saved["reproduced"] = reproduced
        saved["run"] = r.to_dict()   # the replayed run, as `scenario run --json` has it
        print(json.dumps(saved), file=document)
    if reproduced is False:
        return EXIT_NOT_REPRODUCED
    if r.time_limited:
        return EXIT_TIME_LIMIT
    if r.record_limited:
        return EXIT_RECORD_LIMIT
    return 0 if r.passed else 1
