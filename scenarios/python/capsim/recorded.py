"""capsim.recorded — reading back what `capsim explore` and `capsim replay`
wrote, to re-run it: a results file (`explore --out`: the parameters and
every failing seed with its trace hash) or a schedule file (`replay
--save`: one run's scenario, variant, seed and recorded choices).

A file that cannot be used is a ValueError naming the file and the problem
(unreadable, not JSON, the other kind of file, a field missing or of the
wrong type), never a traceback. The scenario is found by the path the file
recorded, else — the file was moved to another tree, or the tree was —
by its name in the scenario folders; a SCENARIO given on the command line
overrides both. What is re-run comes with the trace hash the file
recorded, so that replay can say whether it reproduced the run.
"""
import json
from collections import namedtuple

from . import scenario as scenario_mod

#: One run to re-do: the Scenario, its variant, seed, strategy (with PCT's
#: depth and steps), cpus, the recorded choices (or None), the trace hash
#: the file recorded (or None), the file's path, the virtual time limit and
#: the record limit the run had (None: a file from before limits were
#: recorded, or the command line: the scenario's own).
Recorded = namedtuple("Recorded", "scenario variant seed strategy depth steps cpus "
                                  "schedule trace_hash source time_limit_ns record_limit",
                      defaults=(None,))

_WRITERS = {"schedule file": "capsim replay --save", "results file": "capsim explore --out"}


def _problem(path, what, text):
    return ValueError("%s: not a usable %s (%s writes them): %s"
                      % (path, what, _WRITERS[what], text))


def _read(path, what, fields):
    """The JSON object in `path`, with each of `fields` (name: type)."""
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except OSError as e:
        raise ValueError("%s: cannot read the %s: %s" % (path, what, e.strerror or e))
    except ValueError as e:   # JSON or UTF-8
        raise _problem(path, what, "not JSON (%s)" % e)
    if not isinstance(d, dict):
        raise _problem(path, what, "a JSON %s, not an object" % type(d).__name__)
    other = "results file" if what == "schedule file" else "schedule file"
    if what == "schedule file" and "failing" in d or what == "results file" and "schedule" in d:
        raise _problem(path, what, "it is a %s: give it with --%s"
                       % (other, other.split()[0]))
    for name, kind in fields.items():
        if name not in d:
            raise _problem(path, what, "no '%s'" % name)
        if not isinstance(d[name], kind) or isinstance(d[name], bool):
            raise _problem(path, what, "'%s' is %r" % (name, d[name]))
    for name, top in (("time_limit_ns", 1 << 63), ("record_limit", 1 << 64)):
        limit = d.get(name)
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)
                                  or not 0 <= limit < top):
            raise _problem(path, what, "'%s' is %r" % (name, limit))
    return d


def _scenario(path, what, d, override):
    """The scenario the file names (or `override`, a SCENARIO argument)."""
    if override:
        return scenario_mod.load(override)
    try:
        return scenario_mod.load(d["path"])
    except FileNotFoundError:
        try:
            return scenario_mod.load(d["scenario"])
        except FileNotFoundError:
            raise ValueError("%s: the scenario it recorded is gone (%s) and none named %r is "
                             "in the scenario folders: give SCENARIO before --%s"
                             % (path, d["path"], d["scenario"], what.split()[0]))


def read_schedule(path, scenario=None):
    """The run a schedule file recorded, as a Recorded."""
    what = "schedule file"
    d = _read(path, what, {"scenario": str, "path": str, "variant": str, "seed": int,
                           "schedule": list})
    bad = [c for c in d["schedule"] if not isinstance(c, int) or isinstance(c, bool)
           or not 0 <= c < 1 << 32]
    if bad:
        raise _problem(path, what, "its schedule holds %r: recorded choices are integers "
                       "0 .. 2**32-1" % (bad[0],))
    if d.get("cpus") is not None and not isinstance(d["cpus"], int):
        raise _problem(path, what, "'cpus' is %r" % (d["cpus"],))
    return Recorded(_scenario(path, what, d, scenario), d["variant"], d["seed"], "replay",
                    3, 0, d.get("cpus"), d["schedule"], d.get("trace_hash"), path,
                    d.get("time_limit_ns"), d.get("record_limit"))


def read_results(path, index=0, scenario=None):
    """The `index`-th failing seed of a results file, as a Recorded."""
    what = "results file"
    d = _read(path, what, {"scenario": str, "path": str, "variant": str, "strategy": str,
                           "depth": int, "pct_steps": int, "failing": list})
    if not d["failing"]:
        raise ValueError("%s: no failing seed to replay" % path)
    if not 0 <= index < len(d["failing"]):
        raise ValueError("--index %d: %s has %d failing seed%s (0..%d)" % (
            index, path, len(d["failing"]), "" if len(d["failing"]) == 1 else "s",
            len(d["failing"]) - 1))
    seed = d["failing"][index]
    if not isinstance(seed, dict) or not isinstance(seed.get("seed"), int):
        raise _problem(path, what, "failing seed %d is %r" % (index, seed))
    return Recorded(_scenario(path, what, d, scenario), d["variant"], seed["seed"],
                    d["strategy"], d["depth"], d["pct_steps"], d.get("cpus"), None,
                    seed.get("trace_hash"), path, d.get("time_limit_ns"),
                    d.get("record_limit"))
