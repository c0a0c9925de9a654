"""capsim.cli — the scripting commands of `capsim` (the C binary hands
`scenario`, `explore` and `replay` to `/usr/bin/python3 -m capsim.cli`).

    capsim scenario list
    capsim scenario run FILE [--variant V] [--seed N] [--strategy S] [--cpus K]
                             [--pct-depth D] [--pct-steps K] [--time-limit NS]
                             [--record-limit N] [--graph OUT.svg] [--trace OUT.jsonl] [--steps OUT.txt]
                             [--explain] [--json] [--junit FILE]
    capsim scenario explain FILE
    capsim explore SCENARIO [--variant V] --seeds A:B [--strategy random|pct]
                            [--pct-depth D] [--jobs N] [--time-limit NS]
                            [--record-limit N] [--out RESULTS.json] [--quiet]
    capsim replay SCENARIO --seed N [--variant V] [--strategy S] [--pct-depth D]
                           [--pct-steps K] [--time-limit NS] [--record-limit N]
                           [--minimize]
                           [--save SCHEDULE.json]
                           [--graph OUT.svg] [--trace OUT.jsonl] [--steps OUT.txt]
    capsim replay --schedule SCHEDULE.json [--minimize] [--save ...]
    capsim replay --results RESULTS.json [--index I] [--minimize] [--save ...]

An option name means one thing in every command, `capsim run` included:
--steps FILE writes the step listing, --pct-depth D and --pct-steps K are
PCT's parameters (--depth D is accepted for --pct-depth; replay's --steps
K of old is --pct-steps K, and a number given to --steps is refused with
that advice), --time-limit NS is the virtual time a run stops at (default:
the scenario's, else capsim.scenario.DEFAULT_TIME_LIMIT_NS; 0: none), and
--record-limit N the trace records a run may keep before it stops
(default: the scenario's, else capsim.scenario.DEFAULT_RECORD_LIMIT; 0:
none).

Exit status: 0 when every expectation was met (scenario run, replay) or no
seed failed (explore); 1 otherwise; 2 for usage errors (bad file, unknown
variant...) and outputs that could not be written (a full disk); 3 when
replay re-ran a file's run and got another trace hash than the file
recorded ("NOT reproduced"), whatever the expectations did; 4 when a run
reached its time limit (replay: unless 3), whatever the expectations did;
5 when a run reached its record limit (unless 3 or 4);
141 when stdout was closed early (`| head`), as a program killed by SIGPIPE.
With --json, stdout holds the JSON document only: what a scenario's own
code prints, and replay's account of the run, go to stderr.
"""
import argparse
import json
import os
import sys

from . import explore as explore_mod
from . import scenario as scenario_mod
from .errors import CapsimError
from .files import write_whole
from .graph import formats as graph_formats
from .outputs import check_output, json_alone


def _usage_error(msg):
    sys.stderr.write("capsim: %s\n" % msg)
    return 2


def _load(name):
    try:
        return scenario_mod.load(name), None
    except FileNotFoundError as e:
        return None, _usage_error("%s\n  (`capsim scenario list` shows the scenarios it finds)" % e)
    except ValueError as e:
        return None, _usage_error(str(e))


# ---- capsim scenario -----------------------------------------------------------

def cmd_list(args):
    rows = []
    for name, path in scenario_mod.available():
        try:
            sc = scenario_mod.load(path)
            rows.append((sc.name, ", ".join(sc.variants), sc.title))
        except Exception as e:  # a broken file is listed, not fatal
            rows.append((name, "?", "cannot load: %s" % str(e).splitlines()[0]))
    if not rows:
        print("no scenarios found (folders: CAPSIM_SCENARIOS, the installed library)")
        return 0
    width = max(len(r[0]) for r in rows)
    for name, variants, title in rows:
        print("%-*s  %s  [%s]" % (width, name, title, variants))
    return 0


def cmd_explain(args):
    sc, err = _load(args.file)
    if sc is None:
        return err
    print(sc.explain())
    return 0


def cmd_run(args):
    return json_alone(args.json, _cmd_run, args)


def _cmd_run(args, document):
    sc, err = _load(args.file)
    if sc is None:
        return err
    outputs = {}
    try:
        variants = list(sc.variants) if args.variant == "all" else \
            [sc.variant(args.variant).name]
        explore_mod.check_numbers(depth=args.pct_depth, cpus=args.cpus, steps=args.pct_steps,
                                  time_limit_ns=args.time_limit,
                                  record_limit=args.record_limit)
        for v in variants:
            outputs[v] = {"graph": args.graph if len(variants) == 1
                          else _per_variant(args.graph, v),
                          "trace": args.trace if len(variants) == 1
                          else _per_variant(args.trace, v),
                          "steps": args.steps if len(variants) == 1
                          else _per_variant(args.steps, v)}
            check_output(outputs[v]["graph"], "--graph")
            check_output(outputs[v]["trace"], "--trace")
            check_output(outputs[v]["steps"], "--steps")
        check_output(args.junit, "--junit")
    except ValueError as e:
        return _usage_error(str(e))
    results = []
    if args.explain and not args.json:
        print(sc.explain())
        print()
    for v in variants:
        extra = {"cpus": args.cpus} if args.cpus is not None else {}
        try:
            r = sc.run(v, seed=args.seed, strategy=args.strategy, pct_depth=args.pct_depth,
                       pct_steps=args.pct_steps, time_limit_ns=args.time_limit,
                       record_limit=args.record_limit,
                       **outputs[v], **extra)
        except (CapsimError, OSError, ValueError) as e:
            return _usage_error("%s: %s" % (sc.name, e))
        except (Exception, SystemExit) as e:   # the scenario's own code: its bug
            return _usage_error("%s, variant %s: the scenario raised %s"
                                % (sc.name, v, scenario_mod.raised_text(e)))
        results.append(r)
        if not args.json:
            print("scenario %s — %s" % (sc.name, sc.title))
            print(r.text())
            if r.status == "deadlock" and args.explain:
                print("  (still blocked at the end:)\n" + "".join(
                    "    " + line + "\n" for line in r.blocked.splitlines()))
    if args.json:
        out = [r.to_dict() for r in results]
        one = args.variant != "all"   # --variant all: an array, however many variants
        print(json.dumps(out[0] if one else out, indent=2), file=document)
    if args.junit:
        write_whole(args.junit, scenario_mod.junit_xml(results))
    if any(r.time_limited for r in results):
        return explore_mod.EXIT_TIME_LIMIT
    if any(r.record_limited for r in results):
        return explore_mod.EXIT_RECORD_LIMIT
    return 0 if all(r.passed for r in results) else 1


def _per_variant(path, variant):
    if not path:
        return None
    stem, dot, ext = path.rpartition(".")
    return "%s.%s.%s" % (stem, variant, ext) if dot else "%s.%s" % (path, variant)


def _scenario_parser(sub):
    p = sub.add_parser("scenario", help="list, explain and run scenarios")
    ss = p.add_subparsers(dest="action", required=True)
    ss.add_parser("list", help="the scenarios in the library")
    e = ss.add_parser("explain", help="print a scenario's narration and expectations")
    e.add_argument("file")
    r = ss.add_parser("run", help="run a scenario and check its expectations")
    r.add_argument("file", help="a scenario file, or a name from the library")
    r.add_argument("--variant", default=None, help="a variant name, or 'all'")
    r.add_argument("--seed", type=int, default=None)
    r.add_argument("--strategy", choices=["fifo", "random", "pct"], default=None)
    _pct_arguments(r)
    r.add_argument("--cpus", type=int, default=None)
    _time_limit_argument(r)
    _record_limit_argument(r)
    r.add_argument("--graph", help="write the scenario's graph (its extension names the "
                   "format: %s)" % graph_formats())
    r.add_argument("--trace", help="write the trace as JSON lines")
    r.add_argument("--steps", help="write the step listing (every syscall, decoded, with "
                   "the graph changes it made)")
    r.add_argument("--explain", action="store_true", help="print the narration first")
    r.add_argument("--json", action="store_true", help="print the result as JSON")
    r.add_argument("--junit", help="write a JUnit XML report")


# ---- capsim explore / replay ----------------------------------------------------------

def _explore_parser(sub):
    p = sub.add_parser("explore", help="run a scenario under many schedules")
    p.add_argument("scenario")
    p.add_argument("--variant", default=None)
    p.add_argument("--seeds", required=True, help="A:B (B excluded) or N (0:N)")
    p.add_argument("--strategy", choices=["random", "pct"], default="random")
    _pct_arguments(p, steps=False)
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: CPUs)")
    p.add_argument("--cpus", type=int, default=None)
    _time_limit_argument(p)
    _record_limit_argument(p)
    p.add_argument("--out", help="results file (default SCENARIO.VARIANT.explore.json)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar and no report: one summary line on stdout "
                        "(errors still go to stderr)")


def _replay_parser(sub):
    p = sub.add_parser("replay", help="re-run one schedule exactly; minimize it",
                       epilog=_replay_epilog())
    p.add_argument("scenario", nargs="?")
    p.add_argument("--variant", default=None)
    p.add_argument("--seed", type=int)
    p.add_argument("--strategy", choices=["fifo", "random", "pct"], default="random")
    _pct_arguments(p)
    p.add_argument("--cpus", type=int, default=None)
    _time_limit_argument(p, "(default: the file's, else the scenario's)")
    _record_limit_argument(p, "(default: the file's, else the scenario's)")
    p.add_argument("--schedule", help="a schedule file (capsim replay --save)")
    p.add_argument("--results", help="an explore results file: replay a failing seed")
    p.add_argument("--index", type=int, default=None,
                   help="which failing seed of --results (default 0, the first)")
    p.add_argument("--minimize", action="store_true",
                   help="shrink the schedule to the fewest preemptions that still fail")
    p.add_argument("--save", help="write the (minimized) schedule file here")
    p.add_argument("--graph", help="write the scenario's graph (.svg .png .pdf .dot .json)")
    p.add_argument("--trace", help="write the trace as JSON lines")
    p.add_argument("--steps", metavar="FILE",
                   help="write the step listing, as `scenario run --steps` (PCT's expected "
                   "steps are --pct-steps)")
    p.add_argument("--json", action="store_true")


def _pct_arguments(p, steps=True):
    """PCT's parameters, named as `capsim run` names them (--depth: the
    older spelling of --pct-depth, still accepted)."""
    p.add_argument("--pct-depth", "--depth", dest="pct_depth", type=int, default=3,
                   metavar="D", help="PCT bug depth d (default 3)")
    if steps:
        p.add_argument("--pct-steps", type=int, default=0, metavar="K",
                       help="PCT's expected kernel entries (explore prints them; default "
                            "0: the engine's)")


def _time_limit_argument(p, default="(default: the scenario's, else %d)"
                         % scenario_mod.DEFAULT_TIME_LIMIT_NS):
    p.add_argument("--time-limit", type=int, default=None, metavar="NS",
                   help="stop every run at virtual time NS, as `capsim run --time-limit`; "
                        "a run that reaches it fails (status time_limit, exit status %d) "
                        "%s; 0: no limit" % (explore_mod.EXIT_TIME_LIMIT, default))


def _record_limit_argument(p, default="(default: the scenario's, else %d)"
                           % scenario_mod.DEFAULT_RECORD_LIMIT):
    p.add_argument("--record-limit", type=int, default=None, metavar="N",
                   help="stop every run once it keeps N trace records in memory (at the "
                        "end of that step); a run that reaches it fails (status "
                        "record_limit, exit status %d) %s; 0: no limit"
                        % (explore_mod.EXIT_RECORD_LIMIT, default))


def _replay_epilog():
    return ("exit status: 0 every expectation met, 1 one was not, 2 usage error, "
            "%d NOT reproduced (the file recorded another trace hash), %d the run "
            "reached its time limit, %d its record limit"
            % (explore_mod.EXIT_NOT_REPRODUCED, explore_mod.EXIT_TIME_LIMIT,
               explore_mod.EXIT_RECORD_LIMIT))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="capsim", description="capsim scripting commands")
    sub = parser.add_subparsers(dest="command", required=True)
    _scenario_parser(sub)
    _explore_parser(sub)
    _replay_parser(sub)
    args = parser.parse_args(argv)
    try:
        rc = _dispatch(args)
        sys.stdout.flush()         # a failure to deliver stdout is one too
        return rc
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:        # `| head`: the reader left; say so as C tools do
        _drop_stdout()
        return 141
    except OSError as e:           # a result, or stdout itself, could not be written
        _drop_stdout()
        return _usage_error(str(e) if e.filename else "stdout: cannot write: %s"
                            % (e.strerror or e))


def _dispatch(args):
    if args.command == "scenario":
        return {"list": cmd_list, "explain": cmd_explain, "run": cmd_run}[args.action](args)
    if args.command == "explore":
        return explore_mod.cli_explore(args)
    return explore_mod.cli_replay(args)


def _drop_stdout():
    """Point stdout at /dev/null: the interpreter's own flush at exit
    must not fail again on a closed pipe or a full disk."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
