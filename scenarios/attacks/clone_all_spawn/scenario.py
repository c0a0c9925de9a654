"""clone_all_spawn — a component hands an untrusted helper everything it holds.

The viewer is a component with a rich sandbox: the framebuffer
(/dev/class/framebuffer), its own storage (/data, with an account token in
/data/passwords and photos in /data/thumbs), /pkg and /svc. It starts a
thumbnailer helper with capsim_spawn. Vulnerable: the FDIO_SPAWN_CLONE_ALL
habit — a clone of every namespace entry and the viewer's own job. The
helper does its job, then reads the token, takes the screen's VMO and
starts a process of its own. Mitigated: only /pkg plus the one directory
it needs (/data/thumbs, bound at /work), and a child job whose policy
denies ZX_POL_NEW_PROCESS: the other paths do not exist for it (ENOENT)
and its spawn is ZX_ERR_ACCESS_DENIED.

Actors (C, this folder): viewer.c (packed into viewer.far with its
meta/sandbox), helper.c. C test: tests/attacks/test_clone_all_spawn.c.
Docs: docs/scenarios/clone_all_spawn.md.
"""
from capsim import Syscall
from capsim.attacks import actor_file
from capsim.scenario import Scenario

NAME = "clone_all_spawn"
TOKEN = "viewer account token: 7f3a-c0ffee"

scenario = Scenario(
    NAME,
    "Spawning an untrusted helper with the whole namespace and job",
    variants={
        "vulnerable": {"mode": "--clone-all",
                       "description": "the helper gets a clone of every namespace entry "
                                      "and the viewer's own job"},
        "mitigated": {"mode": "--least-privilege",
                      "description": "/pkg, /work and a child job denying NEW_PROCESS"},
    },
    narration=[
        "The host installs viewer.far and seeds the viewer's isolated storage "
        "(/data/r/app/viewer) with passwords and thumbs/photo.txt, then launches it: "
        "its namespace is /data, /dev/class/framebuffer, /pkg and /svc.",
        "Vulnerable: the viewer exports its whole namespace (fdio_ns_export_root: a "
        "clone of every entry) and spawns the helper in its own job, handing it "
        "PA_JOB_DEFAULT = that job.",
        "Mitigated: the viewer opens /pkg and /data/thumbs (bound at /work) for the "
        "helper, creates a child job 'helper-job' with ZX_POL_NEW_PROCESS -> DENY, and "
        "spawns the helper there.",
        "The helper binds what it got and lists its namespace, makes its thumbnail in "
        "/work (both variants: the least-privilege helper still does its job).",
        "It reads /data/passwords, asks the framebuffer for its VMO, and starts a "
        "'payload' process in its default job (snapshot 'spawned' when that spawn "
        "returns: compare the helper's edges, and the payload in the viewer's job).",
    ],
    graph="spawned",
)

# docs/scenarios/render_graphs.py draws this part of the system (the
# component system around it has ~150 nodes).
scenario.docs_focus = ("process:helper", 1)


@scenario.setup
def setup(run):
    s = run.system
    s.add_package(actor_file(run, "viewer.far"))
    s.put_data("r/app/viewer/passwords", TOKEN + "\n")
    s.put_data("r/app/viewer/thumbs/photo.txt", "a photo of a cat\n")
    run.launch("viewer", "viewer", args=[run.params["mode"], actor_file(run, "helper.so")])
    run.snapshot_at("spawned", Syscall("capsim_spawn", process="helper"))


def _helper(run):
    p = run.process("helper")
    if p is None:
        raise AssertionError("the viewer never started its helper")
    return p.output


@scenario.expect("the viewer starts the helper, which makes its thumbnail")
def does_its_job(run):
    return "made a thumbnail of /work/photo.txt" in _helper(run) and \
        run.return_code("viewer") == 0


@scenario.expect("the helper's namespace is /pkg and /work only", vulnerable=False)
def small_namespace(run):
    line = [l for l in _helper(run).splitlines() if "namespace holds" in l]
    return bool(line) and line[0].endswith(": /pkg /work"), line[0] if line else ""


@scenario.expect("the helper cannot read the viewer's /data/passwords", vulnerable=False)
def no_token(run):
    return TOKEN not in _helper(run)


@scenario.expect("the helper cannot open the framebuffer", vulnerable=False)
def no_screen(run):
    return "framebuffer: ZX_OK" not in _helper(run)


@scenario.expect("the helper's job refuses it new processes", vulnerable=False)
def no_spawn(run):
    return "start a process of my own: ZX_ERR_ACCESS_DENIED" in _helper(run)


@scenario.expect("no payload process ever runs", vulnerable=False)
def no_payload(run):
    p = run.process("payload")
    return p is None, "a payload process ran (koid %d)" % p.koid if p else ""
