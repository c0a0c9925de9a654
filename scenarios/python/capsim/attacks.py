"""capsim.attacks — what the scripts of the attack-scenario library share
(scenarios/attacks/<name>/scenario.py; docs/scenarios/index.md).

    from capsim.attacks import actor_file, adopt, expect_kernel_intact

    run.spawn("owner", actor_file(run, "owner.so"), handles=[a])
    adopt(run, "service", "client")     # processes the owner started
    expect_kernel_intact(scenario, "skip_rights_subset",
                         "the kernel's rights-subset check is in place")

An attack scenario keeps its actors (app .so files, package archives)
beside its script: meson copies the script into the build tree's
scenarios/attacks/<name>/ next to the built actors and installs both in
share/capsim/attacks/<name>/; a second copy of the script in
share/capsim/scenarios/ (where `capsim scenario list` looks) finds them in
../attacks/<name>/.

A variant that switches a kernel check off (System(faults=[...]), the
KernelFaults of model/kernel.h) must say so in its verdict:
expect_kernel_intact adds the expectation that does, violated exactly in
the variants that turn the switch on.
"""
import os


def actor_file(run, name):
    """Path of `name` (an actor .so, a .far) of the running scenario: beside
    its script, or in ../attacks/<scenario>/ for the copy installed in
    share/capsim/scenarios/. FileNotFoundError says where it looked."""
    sc = run.scenario
    here = os.path.dirname(os.path.abspath(sc.path or "."))
    tried = [here, os.path.join(here, "..", "attacks", sc.name)]
    for d in tried:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            return os.path.normpath(path)
    raise FileNotFoundError("%s: %s is not beside the script (looked in %s): run the copy "
                            "in the build tree (scenarios/attacks/%s/) or the installed one"
                            % (sc.name, name, ", ".join(tried), sc.name))


def adopt(run, *names):
    """Make processes an actor started (found by name) into actors of the
    run too, so expectations can ask about them; a name not (yet) running
    is skipped."""
    for name in names:
        p = run.process(name)
        if p is not None:
            run.actors[name] = p


def expect_kernel_intact(scenario, switch, name):
    """Add the expectation `name`: no use of the fault switch `switch` was
    traced. It is expected violated in every variant whose system turns
    the switch on, and its detail then reads "FAULT INJECTED: <switch>,
    used N times"."""
    on = {v.name: False for v in scenario.variants.values()
          if switch in (v.system.get("faults") or ())}

    def kernel_intact(run):
        uses = [r for r in run.events("fault_injected") if switch in (r.text or "")]
        return not uses, ("FAULT INJECTED: %s, used %d times" % (switch, len(uses))
                          if uses else "")
    return scenario.expect(name, **on)(kernel_intact)
