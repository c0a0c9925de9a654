"""capsim.scenario — the scenario format: a story told as a Python file.

A scenario file defines one `Scenario` (conventionally named `scenario`):
its actors (C apps or packages), its setup (who gets which handles, which
job policies, sandbox manifests and policy mode), named variants (at least
"vulnerable" and "mitigated"), expectations checked after the run, and a
narration. docs/scenarios.md describes the format; scenarios/library/ holds
examples.

    from capsim import Syscall
    from capsim.scenario import Scenario

    scenario = Scenario(
        "leaky_vmo", "A server hands out its secret VMO with all its rights",
        variants={"vulnerable": {"attenuate": False},
                  "mitigated": {"attenuate": True, "description": "read-only dup"}},
        narration=["The server makes a secret VMO...", "..."],
        graph="attack")

    @scenario.setup
    def setup(run):
        a, b = run.system.channel()
        run.spawn("server", "secret_server", handles=[a],
                  args=["--attenuate"] if run.params["attenuate"] else [])
        run.spawn("client", "vmo_client", handles=[b])
        run.snapshot_at("attack", Syscall("vmo_write", process="client"))

    @scenario.expect("the client cannot write the secret", vulnerable=False)
    def no_write(run):
        return not run.ever_held("client", type="vmo", rights="WRITE")

An expectation returns a truth value (or (value, detail), or raises
AssertionError with a detail). It is expected to be True in every variant
unless a keyword says otherwise (vulnerable=False: in that variant the
property is violated — the attack works); only=[...] limits it to some
variants. A verdict passes when the observed value is the expected one.
"""
import importlib.util
import json
import os
import sys
import traceback

from . import _paths, zx
from .errors import CapsimError
from .files import write_whole
from .system import System

SPECIAL_KEYS = ("description", "system")

#: The virtual time a scenario run stops at unless the scenario, a variant
#: or the caller says otherwise (time_limit_ns; 0 = none): one second, 200
#: times the longest shipped scenario (5 ms), so that an actor looping
#: through syscalls forever ends its run (status 'time_limit', a failed
#: verdict) instead of hanging `capsim scenario run` or an explore worker.
#: A busy loop of syscalls reaches it in a few seconds of host time.
DEFAULT_TIME_LIMIT_NS = 1000000000

#: The trace records a scenario run may keep in memory unless the scenario,
#: a variant or the caller says otherwise (record_limit; 0 = none): a run
#: that keeps this many stops (status 'record_limit', a failed verdict).
#: 300 times the longest shipped scenario (~3000 records); an actor
#: looping through syscalls reaches it in ~0.3 s of host time (~1 s more
#: to read the trace into the TraceRecords the expectations see), long
#: before DEFAULT_TIME_LIMIT_NS, with ~0.3 GB kept.
DEFAULT_RECORD_LIMIT = 1000000

#: The verdict a run that reached its time limit gets (it fails).
TIME_LIMIT_VERDICT = "the run ends within its time limit"

#: The verdict a run that reached its record limit gets (it fails).
RECORD_LIMIT_VERDICT = "the run ends within its record limit"


class Variant:
    """A named variant: its parameters (run.params), a description, and
    System keyword overrides (e.g. sandbox=..., faults=[...], cpus=2)."""

    def __init__(self, name, spec):
        spec = dict(spec or {})
        self.name = name
        self.description = spec.pop("description", "")
        self.system = dict(spec.pop("system", None) or {})
        self.params = spec

    def __repr__(self):
        return "<Variant %s %r>" % (self.name, self.params)


class Expectation:
    def __init__(self, name, fn, expected, only):
        self.name, self.fn, self.expected, self.only = name, fn, expected, only

    def applies(self, variant):
        return self.only is None or variant in self.only

    def expected_in(self, variant):
        return bool(self.expected.get(variant, True))


class Scenario:
    """A scenario. name: a short identifier; title: one line; variants:
    {name: {param: value, 'description': str, 'system': {System kwargs}}};
    narration: the steps `capsim scenario run --explain` prints; graph: the
    label of the snapshot --graph draws ('end' by default); system: System
    keyword arguments for every variant (seed, cpus, sandbox, faults...);
    time_limit_ns: the virtual time its runs stop at (default
    DEFAULT_TIME_LIMIT_NS; 0 = none), as system={"time_limit_ns": ...};
    record_limit: the trace records its runs may keep (default
    DEFAULT_RECORD_LIMIT; 0 = none), as system={"record_limit": ...}."""

    def __init__(self, name, title="", variants=None, narration=(), description="",
                 graph="end", system=None, cpus=None, time_limit_ns=None, record_limit=None):
        if not variants:
            raise ValueError("scenario %s: give its variants (at least 'vulnerable' and "
                             "'mitigated')" % name)
        self.name = name
        self.title = title
        self.description = description
        self.variants = {k: Variant(k, v) for k, v in variants.items()}
        self.narration = list(narration)
        self.graph = graph
        self.system = dict(system or {})
        if cpus is not None:
            self.system["cpus"] = cpus
        if time_limit_ns is not None:
            self.system["time_limit_ns"] = time_limit_ns
        if record_limit is not None:
            self.system["record_limit"] = record_limit
        self.expectations = []
        self._setup = None
        self._drive = None
        self.path = None

    # ---- decorators ------------------------------------------------------------
    def setup(self, fn):
        """@scenario.setup: fn(run) wires the actors before the run."""
        self._setup = fn
        return fn

    def drive(self, fn):
        """@scenario.drive: fn(run) runs the system (default: run.run_all())."""
        self._drive = fn
        return fn

    def expect(self, name, only=None, **expected):
        """@scenario.expect("what should hold", vulnerable=False, only=[...])."""
        unknown = set(expected) - set(self.variants)
        if unknown:
            raise ValueError("scenario %s: expectation %r names unknown variants %s"
                             % (self.name, name, ", ".join(sorted(unknown))))

        def deco(fn):
            self.expectations.append(Expectation(name, fn, expected,
                                                 list(only) if only else None))
            return fn
        return deco

    # ---- running ------------------------------------------------------------------
    def variant(self, name=None):
        if name is None:
            name = "vulnerable" if "vulnerable" in self.variants else next(iter(self.variants))
        if name not in self.variants:
            raise ValueError("scenario %s has no variant %r (it has: %s)"
                             % (self.name, name, ", ".join(self.variants)))
        return self.variants[name]

    def run(self, variant=None, seed=None, strategy=None, pct_depth=3, pct_steps=0,
            schedule=None, graph=None, trace=None, steps=None, record=True, keep=False,
            time_limit_ns=None, record_limit=None, **system):
        """Run one variant and check its expectations. Returns a Result.
        graph: write the chosen snapshot there (format by extension); trace:
        write the trace as JSON lines there; steps: write the step listing
        there (System.steps); keep: keep the System open in result.run.system
        (close it yourself); time_limit_ns: the virtual time the run stops
        at, whatever the scenario says (None: the variant's, the
        scenario's, else DEFAULT_TIME_LIMIT_NS; 0: none); record_limit: the
        trace records it may keep, likewise (DEFAULT_RECORD_LIMIT)."""
        v = self.variant(variant)
        kwargs = dict(self.system)
        kwargs.update(v.system)
        kwargs.update(system)
        if seed is not None:
            kwargs["seed"] = seed
        if strategy is not None:
            kwargs["strategy"] = strategy
        if schedule is not None:
            kwargs["schedule"] = schedule
        kwargs.setdefault("seed", 1)
        kwargs["time_limit_ns"] = self.time_limit(v.name, time_limit_ns)
        kwargs["record_limit"] = self.record_limit(v.name, record_limit)
        kwargs.update(pct_depth=pct_depth, pct_steps=pct_steps, record=record,
                      trace_path=trace)
        s = System(**kwargs)
        run = Run(self, v, s)
        try:
            if self._setup is None:
                raise ValueError("scenario %s has no @scenario.setup" % self.name)
            self._setup(run)
            (self._drive or Run.run_all)(run)
            result = Result(self, run)
            if trace:
                s.close_trace()
            if steps:
                write_whole(steps, s.steps())
            if graph:
                faults = sorted(s.faults)  # a broken kernel says so in the picture
                run.graph().save(graph, title="%s (%s)%s" % (
                    self.name, v.name,
                    " — FAULT INJECTED: " + ", ".join(faults) if faults else ""))
        finally:
            if not keep:
                run.close()
        return result

    def time_limit(self, variant=None, override=None):
        """The virtual time a run of `variant` stops at (0: none): `override`
        if given, else the variant's system's time_limit_ns, the scenario's,
        else DEFAULT_TIME_LIMIT_NS."""
        return self._limit(variant, override, "time_limit_ns", DEFAULT_TIME_LIMIT_NS)

    def record_limit(self, variant=None, override=None):
        """The trace records a run of `variant` may keep (0: no limit):
        `override` if given, else the variant's system's record_limit, the
        scenario's, else DEFAULT_RECORD_LIMIT."""
        return self._limit(variant, override, "record_limit", DEFAULT_RECORD_LIMIT)

    def _limit(self, variant, override, key, default):
        if override is not None:
            return override
        v = self.variant(variant)
        for given in (v.system, self.system):
            if key in given:
                return given[key] or 0
        return default

    def explain(self):
        """The narration and what is expected, as text."""
        lines = ["scenario %s — %s" % (self.name, self.title)]
        if self.description:
            lines += ["", self.description]
        if self.narration:
            lines += ["", "What happens:"]
            lines += ["  %d. %s" % (i + 1, step) for i, step in enumerate(self.narration)]
        lines += ["", "Variants:"]
        for v in self.variants.values():
            lines.append("  %-12s %s" % (v.name, v.description))
        lines += ["", "Expectations (expected outcome per variant):"]
        for e in self.expectations:
            outs = ", ".join("%s: %s" % (v, "holds" if e.expected_in(v) else "violated")
                             for v in self.variants if e.applies(v))
            lines.append("  - %s  [%s]" % (e.name, outs))
        return "\n".join(lines)

    def __repr__(self):
        return "<Scenario %s: %s>" % (self.name, ", ".join(self.variants))


class Snapshots(dict):
    """A run's graphs by label; a missing label names the ones taken."""

    def __missing__(self, label):
        raise KeyError("no snapshot %r: this run took %s" % (
            label, ", ".join(repr(k) for k in self) or "none yet"))


class Run:
    """One run of a scenario: what setup, drive and expectations see."""

    def __init__(self, scenario, variant, system):
        self.scenario = scenario
        self.variant = variant.name
        self.params = dict(variant.params)
        self.system = system
        self.seed = system.seed
        self.actors = {}
        self.components = {}
        self.data = {}              # the scenario's own values (handles...)
        self.snapshots = Snapshots()
        self._pending = []          # (label, event) to snapshot during the run
        self.status = None
        self.time_limited = False
        self.record_limited = False
        self.trace_hash = None
        self._trace = None
        self._holdings = None

    # ---- setup --------------------------------------------------------------------
    def spawn(self, actor, app, **kwargs):
        """Start an actor (an app) named `actor`: System.spawn's arguments.
        An app named by a bare file name is also looked for beside the
        scenario's file, so a scenario and its actors run from any folder."""
        kwargs.setdefault("name", actor)
        beside = os.path.dirname(self.scenario.path) if self.scenario.path else None
        p = self.system.spawn(_paths.find_app(app, beside=beside), **kwargs)
        self.actors[actor] = p
        return p

    def launch(self, actor, package, **kwargs):
        """Launch a package as a component named `actor`; a refused launch
        is recorded (run.component(actor).refusal)."""
        c = self.system.launch(package, **kwargs)
        self.components[actor] = c
        if c.process is not None:
            self.actors[actor] = c.process
        return c

    def snapshot_at(self, label, event):
        """Take snapshot `label` when `event` (capsim.Syscall...) happens."""
        self._pending.append((label, event))

    def snapshot(self, label):
        """Take snapshot `label` now."""
        self.snapshots[label] = self.system.snapshot()
        return self.snapshots[label]

    # ---- driving ---------------------------------------------------------------------
    def run_all(self):
        """The default drive: run to each snapshot_at event in turn, then to
        the end; snapshot 'end'."""
        for label, event in self._pending:
            if self.system.finished:
                break
            r = self.system.run(until=event)
            if r.status == "matched":
                self.snapshot(label)
        if not self.system.finished:
            self.system.run()
        self.finish()

    def finish(self):
        """Record the end (custom drives call it last)."""
        self.time_limited = self.system.time_limit_reached
        self.record_limited = self.system.record_limit_reached
        self.status = "time_limit" if self.time_limited else \
            "record_limit" if self.record_limited else self.system.result
        self.snapshot("end")
        self.trace_hash = self.system.trace_hash
        self._trace = self.system.trace()
        self.record_count = len(self._trace)
        self.preemptions = self.system.preemptions
        self.schedule = self.system.schedule
        self.now = self.system.now
        self.syscall_count = self.system.syscalls
        self.blocked = self.system.blocked()
        self.summary = self.system.summary
        self._ends = {name: (p.end, p.return_code, p.output)
                      for name, p in self.actors.items()}

    def close(self):
        self.system.close()

    # ---- questions for expectations ----------------------------------------------------
    def actor(self, name):
        if name not in self.actors:
            raise KeyError("no actor %r (actors: %s)" % (name, ", ".join(self.actors)))
        return self.actors[name]

    def component(self, name):
        return self.components[name]

    def _end(self, name):
        self.actor(name)
        return self._ends[name]

    def output(self, name):
        """What actor `name` printed."""
        return self._end(name)[2]

    def return_code(self, name):
        """Its return code, None if it was still running at the end."""
        return self._end(name)[1]

    def ended(self, name):
        """'exited', 'killed by syscall', 'killed by policy', 'exception', 'running'."""
        return self._end(name)[0]

    def killed(self, name):
        return self.ended(name).startswith("killed")

    def process(self, name):
        """A process by name among all processes (not only actors), or None."""
        for p in self.system.processes() if self.system._sys else []:
            if p.name == name:
                return p
        return None

    @property
    def trace(self):
        return self._trace

    def _koid(self, process):
        if process is None or isinstance(process, int):
            return process
        if process in self.actors:
            return self.actors[process].koid
        p = self.process(process)
        return p.koid if p is not None else -1

    def events(self, kind, process=None):
        """Trace records of `kind` ('task_kill', 'policy', 'kernel_exit'...),
        by or about `process` (an actor's or any process's name, or a koid)."""
        koid = self._koid(process)
        return [r for r in self._trace if r.kind == kind and (koid is None or r.process == koid
                                                              or r.a == koid)]

    def syscalls(self, name, process=None, status=None):
        """Kernel exits of syscall `name` (by `process`, with `status`)."""
        koid = self._koid(process)
        recs = [r for r in self._trace if r.kind == "kernel_exit" and r.syscall == name
                and (koid is None or r.process == koid)]
        return [r for r in recs if status is None or r.status == status]

    def _holding_records(self):
        """Per process koid: every (object koid, rights) it ever held."""
        if self._holdings is None:
            self._holdings = {}
            for r in self._trace:
                if r.kind == "handle_add":
                    self._holdings.setdefault(r.a, []).append((r.b, r.c))
        return self._holdings

    def object_type(self, koid):
        """Type name of an object from the trace ('vmo', 'channel'...)."""
        for r in self._trace:
            if r.kind == "object_create" and r.a == koid:
                return zx.type_name(r.b)
        return None

    def ever_held(self, name, type=None, rights=None, object=None):
        """Handles actor `name` ever held (from the trace): [(koid, type,
        rights)], filtered by object type, rights it must include, object koid."""
        need = zx.rights(rights) if rights else 0
        koid = self.actor(name).koid
        out = []
        for obj, r in self._holding_records().get(koid, []):
            t = self.object_type(obj)
            if (type is None or t == type) and (r & need) == need and \
                    (object is None or obj == object):
                out.append((obj, t, r))
        return out

    def holds(self, name, type=None, rights=None, at="end"):
        """Handle edges of actor `name` in snapshot `at` (live holdings)."""
        g = self.snapshots[at]
        need = zx.rights(rights) if rights else 0
        nid = self.actor(name).koid
        if nid not in g._by_id:
            return []
        return [e for e in g.handles_of(nid)
                if (type is None or g.nodes[g._by_id[e.dst]].type == type)
                and (e.rights & need) == need]

    def reach(self, name, target, rights=0, at=None):
        """The authority fact proving actor `name` may hold `target` (a node
        spec, koid...) with `rights` in snapshot `at` (default: the
        scenario's graph), or None."""
        g = self.snapshots[at] if at else self.graph()
        who = self.actors[name].koid if name in self.actors else name
        return g.can(who, target, rights)

    def graph(self):
        """The snapshot --graph draws: the scenario's `graph` label, else 'end'."""
        return self.snapshots.get(self.scenario.graph) or self.snapshots["end"]


class Verdict:
    def __init__(self, name, expected, observed, detail, error=None):
        self.name, self.expected, self.observed = name, expected, observed
        self.detail, self.error = detail, error

    @property
    def passed(self):
        return self.error is None and self.observed == self.expected

    def line(self):
        mark = "PASS" if self.passed else "FAIL"
        if self.error:
            what = "error: %s" % self.error
        elif self.observed:
            what = "holds" if self.expected else "holds, but this variant expects it violated"
        else:
            what = "violated, as this variant expects" if not self.expected else "violated"
        # A detail of several lines (a witness path...) stays under its verdict.
        detail = " — %s" % self.detail.rstrip("\n").replace("\n", "\n        ") \
            if self.detail else ""
        return "  %s  %s: %s%s" % (mark, self.name, what, detail)

    def to_dict(self):
        return {"name": self.name, "expected": self.expected, "observed": self.observed,
                "passed": self.passed, "detail": self.detail, "error": self.error}


def raised_text(ex):
    """What a scenario's own code raised, for a report: the exception and
    the frames of its traceback outside this package (the scenario's)."""
    if isinstance(ex, SyntaxError):   # its frames are the import machinery's: show the line
        line = (ex.text or "").rstrip("\n")
        shown = line.strip()
        caret = " " * max((ex.offset or 1) - 1 - (len(line) - len(line.lstrip())), 0) + "^"
        return "%s: %s\n  File \"%s\", line %s\n    %s\n    %s" % (
            type(ex).__name__, ex.msg, ex.filename, ex.lineno, shown, caret)
    here = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frames = traceback.extract_tb(ex.__traceback__)
    own = [f for f in frames if not os.path.abspath(f.filename).startswith(here)
           and not f.filename.startswith("<frozen")]   # nor the import machinery
    return "%s: %s\n%s" % (type(ex).__name__, ex,
                           "".join(traceback.format_list(own or frames[-3:])).rstrip())


def _check(e, run):
    try:
        value = e.fn(run)
    except AssertionError as ex:
        text = str(ex).strip()
        return False, text.splitlines()[0] if text else "assertion failed", None
    except Exception as ex:  # a broken expectation is a failure, not a crash
        return None, "", "%s: %s" % (type(ex).__name__, ex)
    detail = ""
    if isinstance(value, tuple):
        value, detail = value[0], str(value[1])
    return bool(value), detail, None


class Result:
    """The outcome of one scenario run: verdicts and what identifies the run."""

    def __init__(self, scenario, run):
        self.scenario = scenario.name
        self.variant = run.variant
        self.seed = run.seed
        self.strategy = run.system.strategy
        self.status = run.status
        self.trace_hash = run.trace_hash
        self.virtual_time = run.now
        self.preemptions = run.preemptions
        self.schedule = run.schedule
        self.syscalls = run.syscall_count
        self.blocked = run.blocked
        self.summary = run.summary
        self.time_limit_ns = run.system.time_limit_ns
        self.time_limited = run.time_limited
        self.record_limit = run.system.record_limit
        self.record_limited = run.record_limited
        self.records = run.record_count
        self.run = run
        self.verdicts = []
        if self.time_limited:
            self.verdicts.append(Verdict(
                TIME_LIMIT_VERDICT, True, False,
                "stopped at virtual time %d ns with threads still running (an actor looping "
                "through syscalls?): the expectations below saw a cut-short run; give "
                "--time-limit NS or Scenario(time_limit_ns=...) for a longer one"
                % self.virtual_time))
        if self.record_limited:
            self.verdicts.append(Verdict(
                RECORD_LIMIT_VERDICT, True, False,
                "stopped at virtual time %d ns with %d trace records kept (limit %d) and "
                "threads still running (an actor looping through syscalls?): the "
                "expectations below saw a cut-short run; give --record-limit N or "
                "Scenario(record_limit=...) for a longer one"
                % (self.virtual_time, self.records, self.record_limit)))
        for e in scenario.expectations:
            if not e.applies(run.variant):
                continue
            observed, detail, error = _check(e, run)
            self.verdicts.append(Verdict(e.name, e.expected_in(run.variant), observed,
                                         detail, error))

    @property
    def passed(self):
        return all(v.passed for v in self.verdicts)

    @property
    def failures(self):
        return [v.name for v in self.verdicts if not v.passed]

    def text(self):
        _, _, details = self.summary.partition(": ")
        lines = ["variant %s, seed %d, strategy %s: %s at %d ns%s, trace hash %s"
                 % (self.variant, self.seed, self.strategy, self.status, self.virtual_time,
                    " (%s)" % details if details else "", self.trace_hash)]
        lines += [v.line() for v in self.verdicts]
        met = sum(v.passed for v in self.verdicts)
        lines.append("%d of %d expectations met." % (met, len(self.verdicts)))
        return "\n".join(lines)

    def to_dict(self):
        return {"scenario": self.scenario, "variant": self.variant, "seed": self.seed,
                "strategy": self.strategy, "status": self.status, "end": self.summary,
                "time_limit_ns": self.time_limit_ns or 0,
                "record_limit": self.record_limit or 0, "trace_records": self.records,
                "trace_hash": self.trace_hash, "virtual_time_ns": self.virtual_time,
                "preemptions": self.preemptions, "passed": self.passed,
                "verdicts": [v.to_dict() for v in self.verdicts]}

    def __repr__(self):
        return "<Result %s/%s seed %d: %s>" % (self.scenario, self.variant, self.seed,
                                              "passed" if self.passed else
                                              "failed: " + ", ".join(self.failures))


def load(name):
    """Load a scenario from a file path or a name in the scenario folders."""
    path = _paths.find_scenario(name)
    modname = "capsim_scenario_" + _name_of(path).replace("-", "_")
    spec = importlib.util.spec_from_file_location(modname, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except CapsimError:
        raise
    except (Exception, SystemExit) as ex:   # sys.exit() in the file ends no command
        raise ValueError("%s: cannot load the scenario: it raised %s"
                         % (path, raised_text(ex))) from ex
    found = [v for v in vars(module).values() if isinstance(v, Scenario)]
    if not found:
        raise ValueError("%s: defines no Scenario (write `scenario = Scenario(...)`)" % path)
    sc = getattr(module, "scenario", None)
    if not isinstance(sc, Scenario):
        sc = found[0]
    sc.path = path
    return sc


def _name_of(path):
    """A script's scenario name: NAME.py, or the folder of NAME/scenario.py."""
    base = os.path.basename(path)
    if base == _paths.SCENARIO_IN_FOLDER:
        return os.path.basename(os.path.dirname(os.path.abspath(path)))
    return base[:-3] if base.endswith(".py") else base


def available():
    """Every scenario in the scenario folders (NAME.py, NAME/scenario.py):
    [(name, path)], sorted by name; the first folder naming one wins."""
    seen = {}
    for d in _paths.scenario_dirs():
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            path = os.path.join(d, f)
            if f.startswith("_"):
                continue
            if f.endswith(".py") and os.path.isfile(path):
                seen.setdefault(f[:-3], path)
            elif os.path.isfile(os.path.join(path, _paths.SCENARIO_IN_FOLDER)):
                seen.setdefault(f, os.path.join(path, _paths.SCENARIO_IN_FOLDER))
    return sorted(seen.items())


def junit_xml(results, name="capsim-scenarios"):
    """JUnit XML text for scenario results: one testcase per verdict."""
    from xml.sax.saxutils import quoteattr, escape
    cases = []
    failures = 0
    for r in results:
        for v in r.verdicts:
            cls = "%s.%s" % (r.scenario, r.variant)
            body = ""
            if not v.passed:
                failures += 1
                msg = v.error or v.line().strip()
                body = "<failure message=%s>%s</failure>" % (quoteattr(msg), escape(r.text()))
            cases.append("    <testcase classname=%s name=%s>%s</testcase>"
                         % (quoteattr(cls), quoteattr(v.name), body))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
            '  <testsuite name=%s tests="%d" failures="%d">\n%s\n  </testsuite>\n'
            '</testsuites>\n' % (quoteattr(name), len(cases), failures, "\n".join(cases)))
