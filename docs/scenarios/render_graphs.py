"""render_graphs.py — draw the capability graphs of docs/scenarios/*.md.

Every picture in these pages is produced by this script, never by hand:
it runs each variant of each scenario given, takes the snapshot the
scenario names as its graph (Scenario(graph=...)), and writes
<OUT>/<scenario>.<variant>.svg. A scenario may set `scenario.docs_focus =
(node specs, hops)` to draw one principal and its surroundings instead of
the whole system (the component system has ~150 nodes). The title says
which fault switches the variant turned on.

    PYTHONPATH=scenarios/python CAPSIM_LIB=build/libcapsim.so.0 \\
      /usr/bin/python3 docs/scenarios/render_graphs.py --out docs/scenarios/img \\
      build/scenarios/attacks/*/scenario.py

The test suite runs it on the attack scenarios into a scratch folder
(tests/python/test_attacks_a.py), so the pictures stay drawable. The
library's own scenarios are drawn the same way, e.g.

    ... render_graphs.py --out docs/scenarios/img --focus process:root_presenter \
      --hops 1 scenarios/library/root_presenter.py

Exit
status: 0, or 1 if a variant missed an expectation (its graph is still
written), 2 for a scenario that cannot be loaded.
"""
import argparse
import os
import sys

from capsim import scenario as scenario_mod
from capsim.errors import CapsimError


def title_of(sc, variant, system):
    """'<name> (<variant>)', plus the fault switches the run turned on and
    whether debugging syscalls were (Zircon's are off by default)."""
    faults = sorted(system.faults)
    extra = " — FAULT INJECTED: %s" % ", ".join(faults) if faults else ""
    if system.debugging_syscalls:
        extra += " — debugging syscalls on"
    return "%s (%s)%s" % (sc.name, variant, extra)


def first_present(graph, focus):
    """The first of the comma-separated node specs in `focus` that this
    snapshot has (a refused component has no process), else None: the
    whole system."""
    for spec in (focus or "").split(","):
        try:
            if spec.strip():
                graph.index(spec.strip())
                return spec.strip()
        except CapsimError:
            continue
    return None


def render(sc, out, fmt="svg", focus=None, hops=None):
    """Draw every variant of scenario `sc` into folder `out`; returns
    [(variant, path, passed)]. focus/hops: as --focus/--hops, else the
    scenario's docs_focus, else the whole system."""
    if focus is None:
        focus, hops = getattr(sc, "docs_focus", None) or (None, None)
    done = []
    for variant in sc.variants:
        r = sc.run(variant, keep=True)
        try:
            path = os.path.join(out, "%s.%s.%s" % (sc.name, variant, fmt))
            g = r.run.graph()
            g.save(path, focus=first_present(g, focus), hops=hops,
                   title=title_of(sc, variant, r.run.system))
        finally:
            r.run.close()
        done.append((variant, path, r.passed))
    return done


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=".", help="folder for the pictures")
    ap.add_argument("--format", default="svg", choices=["svg", "png", "pdf", "dot"])
    ap.add_argument("--focus", help="draw this node spec and its surroundings (e.g. "
                    "process:root_presenter; a comma-separated list: the first one the "
                    "snapshot has) instead of docs_focus or the whole system")
    ap.add_argument("--hops", type=int, default=None,
                    help="with --focus: how far around it (default: as capsim graph)")
    ap.add_argument("scenarios", nargs="+", help="scenario files (or names)")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    status = 0
    for name in args.scenarios:
        try:
            sc = scenario_mod.load(name)
        except (FileNotFoundError, ValueError) as e:
            sys.stderr.write("render_graphs: %s\n" % e)
            return 2
        for variant, path, passed in render(sc, args.out, args.format, args.focus, args.hops):
            print("%s: %s%s" % (path, variant, "" if passed else " (expectations missed)"))
            status = status or (0 if passed else 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
