"""sandbox_overgrant — grant-all hands a photo frame the whole system.

The package photoframe asks in its meta/sandbox for two device classes
(class/framebuffer, class/input) and the features "shell",
"persistent-storage" and "hub". Under appmgr's historical grant-all policy
every request is granted, and "shell" alone brings /boot, all of /data,
every device class under /dev, the hub, /pkgfs, /system and /tmp: the app
lists them and reads another tenant's secret, /data/r/app/wallet/keys.
Mitigated: an allowlist that lists this package's device classes, "hub"
and isolated-persistent-storage, but not "shell": the launch is refused
with the recorded reason, and nothing is opened for it (no namespace
entry, no job, no process).

Actor (C, this folder): photoframe.c, packed into photoframe.far with its
meta/sandbox (photoframe.sandbox). C test:
tests/attacks/test_sandbox_overgrant.c. Docs:
docs/scenarios/sandbox_overgrant.md.
"""
from capsim.attacks import actor_file
from capsim.scenario import Scenario

NAME = "sandbox_overgrant"
SECRET = "wallet keys: 5eed-ca11-ab1e"
# What the platform owner agreed to give photoframe: its device classes, the
# hub and its own storage; not "shell", not all of /data.
ALLOWLIST = {"packages": {"photoframe": {
    "dev": ["class/framebuffer", "class/input"],
    "features": ["isolated-persistent-storage", "hub"]}}}
SHELL_PATHS = ["/boot", "/data", "/dev", "/hub"]

scenario = Scenario(
    NAME,
    "A package's meta/sandbox asks for 'shell': grant-all gives it the system",
    variants={
        "vulnerable": {"description": "grant-all: every meta/sandbox request is granted "
                                      "(appmgr's historical policy)",
                       "system": {"sandbox": None}},
        "mitigated": {"description": "an allowlist that lists photoframe's device classes, "
                                     "'hub' and isolated-persistent-storage, not 'shell'",
                      "system": {"sandbox": ALLOWLIST}},
    },
    narration=[
        "The host boots the component system, installs photoframe.far and seeds "
        "another tenant's storage with /data/r/app/wallet/keys.",
        "photoframe's meta/sandbox asks for dev class/framebuffer and class/input, and "
        "the features shell, persistent-storage and hub.",
        "Vulnerable (grant-all): appmgr grants every request. 'shell' alone gives /boot, "
        "all of /data, /dev (every device class), /hub, /pkgfs, /system and /tmp; one "
        "ns_entry record per namespace entry shows which request put it there.",
        "photoframe lists /dev, /dev/class, /data, /boot and /hub, and reads "
        "/data/r/app/wallet/keys (snapshot 'overgrant' when it reports the result: its "
        "namespace edges reach every system directory).",
        "Mitigated (allowlist): the device classes are listed, but the feature 'shell' is "
        "not: the launch is refused with the reason 'sandbox request features:shell is "
        "not in the allowlist', recorded as a component_refused trace record. No "
        "namespace entry is opened, no job or process is created.",
    ],
    graph="overgrant",
)

# docs/scenarios/render_graphs.py draws this part of the system (the
# component system around it has ~150 nodes); a refused photoframe has no
# process, so the mitigated picture shows appmgr, which never handed it anything.
scenario.docs_focus = ("process:photoframe,process:appmgr", 1)


@scenario.setup
def setup(run):
    s = run.system
    s.add_package(actor_file(run, "photoframe.far"))
    s.put_data("r/app/wallet/keys", SECRET + "\n")
    run.launch("photoframe", "photoframe")
    run.snapshot_at("overgrant", lambda rec: rec.kind == "output" and rec.text
                    and "the wallet's keys are" in rec.text)


def _component(run):
    return run.component("photoframe")


def _output(run):
    return run.output("photoframe") if _component(run).launched else ""


def _notes(run, prefix):
    return [r for r in run.events("note")
            if (r.text or "").startswith(prefix) and "photoframe" in r.text]


@scenario.expect("the launch is refused for the unlisted feature 'shell'", vulnerable=False)
def refused(run):
    reason = _component(run).refusal or ""
    ok = ("package 'photoframe': sandbox request features:shell is not in the allowlist"
          in reason)
    return ok, reason or "launched (no refusal)"


@scenario.expect("the refusal is recorded in the trace", vulnerable=False)
def refusal_traced(run):
    recs = _notes(run, "component_refused")
    return any("features:shell" in r.text for r in recs), \
        "; ".join(r.text for r in recs) or "no component_refused record"


@scenario.expect("nothing is opened for it: no namespace entry, job or process",
                 vulnerable=False)
def nothing_opened(run):
    c = _component(run)
    entries = _notes(run, "ns_entry")
    return (not c.launched and not c.namespace and not c.job and not entries,
            "%d namespace entries, %d ns_entry records" % (len(c.namespace), len(entries)))


@scenario.expect("photoframe gets no /boot, /data, /dev or /hub", vulnerable=False)
def no_system_dirs(run):
    paths = [p for p, _ in _component(run).namespace]
    got = [p for p in SHELL_PATHS if p in paths]
    return not got, "namespace: " + (" ".join(paths) or "(none)")


@scenario.expect("grant-all hands it /boot, /data, /dev and /hub through 'shell'",
                 only=["vulnerable"])
def shell_grants(run):
    ns = dict(_component(run).namespace)
    return all(ns.get(p) == "features:shell" for p in SHELL_PATHS), \
        "; ".join("%s <- %s" % (p, w) for p, w in sorted(ns.items()))


@scenario.expect("photoframe never reads the wallet's keys", vulnerable=False)
def no_secret(run):
    out = _output(run)
    return SECRET not in out, ("read the keys; exit code %s" % run.return_code("photoframe")
                               if SECRET in out else "")
