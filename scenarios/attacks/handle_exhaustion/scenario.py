"""handle_exhaustion — one sandbox fills the kernel's handle arena.

Zircon keeps every process's handles in one kernel-wide arena (256 Ki
handles). A process needs no privilege to fill it: creating events, or
merely duplicating a handle it has, in a loop. Once it is full, every
other process's next call that needs a handle — creating an event, a
channel, a VMO, duplicating — fails with ZX_ERR_NO_MEMORY, until the hog
lets go. This scenario lowers the arena to 256 handles (the host API's
capsim_set_handle_limit) so that a run takes milliseconds.

Variants: vulnerable — the hog creates events. policy — the hog's job
denies every new object (ZX_POL_NEW_ANY, the usual sandbox tool), and the
hog duplicates its own process handle instead: no new object, the policy
never fires, the arena fills all the same. mitigated — capsim's per-job
handle quota (a capsim extension: capsim_job_set_handle_quota, see
docs/scenarios/handle_exhaustion.md) caps the hog's job at 64 handles:
the hog gets ZX_ERR_NO_MEMORY at its quota, the bystander never notices.

Actors (C, this folder; one app, the process name picks the role): hog.c,
bystander.c. C test: tests/attacks/test_handle_exhaustion.c.
"""
from capsim._ffi import lib
from capsim.attacks import actor_file
from capsim.errors import check
from capsim.scenario import Scenario

NAME = "handle_exhaustion"
ARENA = 256
QUOTA = 64


# The host API's resource limits (capsim_host.h, "Resource limits"), which
# the System class does not wrap (yet).
def set_handle_limit(system, limit):
    check(system._ptr(), lib().capsim_set_handle_limit(system._ptr(), limit), "handle limit")


def set_handle_quota(system, job_koid, quota):
    check(system._ptr(), lib().capsim_job_set_handle_quota(system._ptr(), job_koid, quota),
          "handle quota")


def job_handles(system, job_koid):
    return int(lib().capsim_job_handles(system._ptr(), job_koid))


scenario = Scenario(
    NAME,
    "A sandboxed hog fills the kernel's handle arena; a job policy does not stop it, a "
    "per-job handle quota does",
    variants={
        "vulnerable": {"method": "create", "policy": False, "quota": 0,
                       "description": "no limit below the kernel-wide arena"},
        "policy": {"method": "duplicate", "policy": True, "quota": 0,
                   "description": "the hog's job denies ZX_POL_NEW_ANY; the hog duplicates"},
        "mitigated": {"method": "create", "policy": False, "quota": QUOTA,
                      "description": "capsim's per-job handle quota: %d on the hog's job"
                                     % QUOTA},
    },
    narration=[
        "The host lowers the kernel's handle arena to %d handles (Zircon's is 256 Ki), "
        "starts the bystander in a job of its own, makes a job 'hog' (with the variant's "
        "policy or quota) and starts the hog in it. No handle connects the two." % ARENA,
        "The hog makes handles until the kernel refuses: events (vulnerable, mitigated) "
        "or duplicates of its own process handle (policy: its job denies every new "
        "object, which does not cover duplicates). It prints how many it got and the "
        "status that stopped it, then holds them for 20 ms.",
        "Snapshot 'full' at 5 ms: the hog's job holds ~%d handles (vulnerable, policy) or "
        "%d (mitigated). Big graphs are drawn as an overview: count the hog's edges."
        % (ARENA, QUOTA),
        "Every millisecond the bystander creates an event, a channel and a VMO and "
        "duplicates a handle. While the arena is full, all fail with ZX_ERR_NO_MEMORY; "
        "with the quota, the arena never fills and nothing fails.",
        "The hog exits; the kernel closes its handles; the bystander's calls work again.",
    ],
    graph="full",
)


@scenario.setup
def setup(run):
    s = run.system
    set_handle_limit(s, ARENA)
    app = actor_file(run, "handle_exhaustion.so")
    run.spawn("bystander", app)
    job = s.job("hog", policy=[("NEW_ANY", "DENY", "DENY")]) if run.params["policy"] \
        else s.job("hog")
    if run.params["quota"]:
        set_handle_quota(s, job.koid, run.params["quota"])
    run.data["hog_job"] = job.koid
    run.spawn("hog", app, args=["--method=" + run.params["method"]], job=job)


@scenario.drive
def drive(run):
    s = run.system
    s.run(until_ns=5000000)
    run.snapshot("full")
    run.data["held_at_5ms"] = job_handles(s, run.data["hog_job"])
    if not s.finished:
        s.run()
    run.finish()


@scenario.expect("the bystander's calls never fail", vulnerable=False, policy=False)
def bystander_ok(run):
    failed = run.return_code("bystander")
    lines = [l for l in run.output("bystander").splitlines() if "ZX_ERR" in l]
    return failed == 0, "%s of 40 rounds failed (%s)" % (failed, lines[0].split(": ", 1)[1]) \
        if lines else "%s of 40 rounds failed" % failed


@scenario.expect("the hog's job never holds more than %d handles" % QUOTA,
                 vulnerable=False, policy=False)
def hog_bounded(run):
    held = run.data["held_at_5ms"]
    return held <= QUOTA, "%d handles held by the hog's job at 5 ms" % held


@scenario.expect("the hog is stopped with ZX_ERR_NO_MEMORY and exits normally")
def hog_stopped(run):
    out = run.output("hog")
    return "then ZX_ERR_NO_MEMORY" in out and run.return_code("hog") == 0, out.strip() \
        .splitlines()[0] if out.strip() else ""


@scenario.expect("the job policy never has to refuse anything", only=["policy"])
def policy_silent(run):
    refusals = [r for r in run.events("policy") if r.a == run.actor("hog").koid]
    return not refusals, "%d policy records" % len(refusals)


@scenario.expect("the bystander recovers once the hog is gone")
def bystander_recovers(run):
    out = run.output("bystander")
    return "my calls work again" in out or run.return_code("bystander") == 0
