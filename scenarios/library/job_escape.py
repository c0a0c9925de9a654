"""job_escape — a launcher gives an untrusted child its own job handle.

The launcher is meant to run an untrusted child that must not start
processes of its own. It starts the child in its own job, so the child's
PA_JOB_DEFAULT is the launcher's job handle: the child can create
processes there (outside any sandbox policy) and enumerate and kill its
neighbours. The mitigation runs the child in a child job "sandbox" whose
job policy denies ZX_POL_NEW_PROCESS: the child's spawn fails with
ZX_ERR_ACCESS_DENIED and the only job it can see is its own.

Actor: scenarios/apps/job_launcher.c (roles launcher, untrusted, payload,
victim).
"""
from capsim import Syscall
from capsim.scenario import Scenario

scenario = Scenario(
    "job_escape",
    "An untrusted child gets its launcher's job handle",
    variants={
        "vulnerable": {"mode": "shared-job",
                       "description": "the child runs in the launcher's job, with its handle"},
        "mitigated": {"mode": "child-job",
                      "description": "the child runs in job 'sandbox', NEW_PROCESS denied"},
    },
    narration=[
        "The host makes a job 'apps' and starts two processes in it: 'victim', a "
        "service that works for 5 ms, and 'launcher'.",
        "Vulnerable: the launcher starts the untrusted child in its own job; the "
        "child's default job handle is the launcher's job handle.",
        "Mitigated: the launcher creates a child job 'sandbox', sets its policy "
        "NEW_PROCESS -> DENY, and starts the child there.",
        "The child tries to start a 'payload' process in its default job (snapshot "
        "'escape' when that spawn returns).",
        "The child lists the processes of its default job and kills 'victim' if it "
        "can find it.",
    ],
    graph="escape",
)


@scenario.setup
def setup(run):
    s = run.system
    apps = s.job("apps")
    run.spawn("victim", "job_launcher", args=["victim"], job=apps.duplicate())
    run.spawn("launcher", "job_launcher", args=["launcher", run.params["mode"]], job=apps)
    run.snapshot_at("escape", Syscall("capsim_spawn", process="untrusted"))


def _payload(run):
    return run.process("payload")


@scenario.expect("the launcher starts the child and sees it finish")
def launcher_ok(run):
    return run.return_code("launcher") == 0 and "the child is done" in run.output("launcher")


@scenario.expect("the untrusted child cannot start a process", vulnerable=False)
def no_payload(run):
    child = run.process("untrusted")
    if child is None:
        return False, "the child never ran"
    return "start a payload process: ZX_ERR_ACCESS_DENIED" in child.output, \
        child.output.splitlines()[0] if child.output else ""


@scenario.expect("no payload process ever runs", vulnerable=False)
def payload_absent(run):
    p = _payload(run)
    if p is None:
        return True
    g = run.snapshots.get("escape")
    if g is not None and p.koid in g._by_id:
        job = g.node(g.node(p.koid).parent)
        return False, "payload ran in job %r (koid %d)" % (job.name, job.id)
    return False, "payload ran"


@scenario.expect("the victim survives the child", vulnerable=False)
def victim_survives(run):
    return run.ended("victim") == "exited" and run.return_code("victim") == 0, \
        "victim %s" % run.ended("victim")


@scenario.expect("no zx_task_kill by the child succeeds", vulnerable=False)
def no_kill(run):
    kills = run.syscalls("task_kill", "untrusted", status="ZX_OK")
    return not kills, "%d successful zx_task_kill" % len(kills)


@scenario.expect("the analysis finds no way for the child to create in job 'apps'",
                 vulnerable=False)
def no_reach_apps(run):
    g = run.graph()
    facts = [f for f in g.reach("process:untrusted", kind="create") if g.describe(f.object) == "job 'apps'"]
    if not facts:
        return True
    return False, facts[0].witness_text().strip().splitlines()[-1].strip()
