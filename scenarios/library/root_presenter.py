"""root_presenter — the seed's sandbox story, under grant-all and allowlists.

Fuchsia's root_presenter drew the cursor. Its package (built by meson:
model/sandbox/apps) holds bin/app, data/cursor32.png and a meta/sandbox
asking for direct access to the framebuffer ({"dev": ["class/framebuffer"]}).
Under appmgr's historical grant-all policy that request is simply granted:
any package may ask for raw device access. An allowlist that does not list
the request refuses the launch; one that lists it grants it knowingly.
In every case the sandbox itself holds: /data/passwords is outside the
component's namespace and /pkg is read-only.
"""
from capsim.scenario import Scenario

ALLOW_NOTHING = {"packages": {"root_presenter": {}}}
ALLOW_FB = {"packages": {"root_presenter": {"dev": ["class/framebuffer"]}}}

scenario = Scenario(
    "root_presenter",
    "A component asks for the framebuffer: grant-all versus an allowlist",
    variants={
        "vulnerable": {"description": "grant-all: every meta/sandbox request is granted",
                       "system": {"sandbox": None}},
        "mitigated": {"description": "an allowlist that does not list the request",
                      "system": {"sandbox": ALLOW_NOTHING}},
        "granted": {"description": "an allowlist that lists it (a deliberate grant)",
                    "system": {"sandbox": ALLOW_FB}},
    },
    narration=[
        "The host boots a Fuchsia-like system: memfs (/data, /tmp), pkgfs, devmgr "
        "with a framebuffer and an input driver, appmgr and the root environment.",
        "It installs root_presenter.far and puts a secret in /data/passwords.",
        "appmgr launches root_presenter: it reads meta/sandbox, checks the policy and "
        "builds the namespace (/pkg, /svc, and /dev/class/framebuffer if granted).",
        "root_presenter reads its cursor from /pkg, draws it into the framebuffer's "
        "VMO (snapshot 'sandbox'), tries /data/passwords and writing to /pkg.",
        "Under the allowlist without the request the launch is refused: it never runs.",
    ],
    graph="sandbox",
    cpus=2,
)


def _drew(rec):
    return rec.kind == "output" and "drew the cursor" in (rec.text or "")


@scenario.setup
def setup(run):
    s = run.system
    s.add_package("root_presenter")
    s.put_data("passwords", "hunter2\n")
    run.launch("root_presenter", "root_presenter")
    run.snapshot_at("sandbox", _drew)


def _launched(run):
    return run.component("root_presenter").launched


@scenario.expect("root_presenter gets no direct framebuffer access",
                 vulnerable=False, granted=False)
def no_framebuffer(run):
    c = run.component("root_presenter")
    paths = [p for p, _ in c.namespace]
    return "/dev/class/framebuffer" not in paths, "namespace: " + " ".join(paths)


@scenario.expect("the refusal names the request the allowlist lacks", only=["mitigated"])
def refusal_reason(run):
    reason = run.component("root_presenter").refusal or ""
    return "dev:class/framebuffer" in reason, reason


@scenario.expect("root_presenter draws the cursor", mitigated=False)
def draws(run):
    return _launched(run) and "drew the cursor" in run.output("root_presenter")


@scenario.expect("/data/passwords stays out of its reach")
def no_passwords(run):
    if not _launched(run):
        return True, "never ran"
    out = run.output("root_presenter")
    return "escaped its sandbox" not in out and "open /data/passwords: No such file" in out


@scenario.expect("its /pkg is read-only", only=["vulnerable", "granted"])
def pkg_read_only(run):
    return "for writing: Permission denied" in run.output("root_presenter")


@scenario.expect("the graph shows it holding the framebuffer's directory",
                 only=["vulnerable", "granted"])
def graph_framebuffer(run):
    g = run.graph()
    me = run.actor("root_presenter").koid
    edges = [e for e in g.edges if e.src == me and e.kind == "namespace"]
    return any("framebuffer" in e.label for e in edges), \
        "namespace edges: " + ", ".join(e.label for e in edges)
