"""handle_forgery — using another process's handles by guessing their values.

The vault keeps a secret in a VMO it never shares, and hands each client a
session token that happens to be its own handle value for the client's
channel. The forger walks the values next to the token (a value's slot
bits are all that differ between handles of one process) and tries each
one. A handle value is a name in ONE process's table: a correct kernel
resolves it only in the caller's table, so every guess is
ZX_ERR_BAD_HANDLE, and under a job policy of ZX_POL_BAD_HANDLE -> KILL
the forger dies at its first guess. The vulnerable variant switches the
owner check off (fault injection `skip_owner_check`): the guesses resolve
in the vault's table, and the forger steals its job, process, VMAR,
thread and secret.

Actors (C, this folder): vault.c, forger.c. C test:
tests/attacks/test_handle_forgery.c. Docs: docs/scenarios/handle_forgery.md.
"""
from capsim import Syscall
from capsim.attacks import actor_file, expect_kernel_intact
from capsim.scenario import Scenario

NAME = "handle_forgery"
FAULT = "skip_owner_check"
GUESSES = 64

scenario = Scenario(
    NAME,
    "A process guesses handle values to use another process's handles",
    variants={
        "vulnerable": {"description": "FAULT INJECTED: skip_owner_check (a value resolves "
                                      "in any process's table)",
                       "system": {"faults": [FAULT]}},
        "mitigated": {"description": "a correct kernel: values resolve in the caller's "
                                     "table only"},
        "kill_policy": {"kill": True,
                        "description": "a correct kernel, and the forger's job kills a "
                                       "process at its first bad handle"},
    },
    narration=[
        "The vault stores its secret in a VMO ('vault-secret') and keeps the only handle.",
        "The forger says hello; the vault answers with a session token that is its own "
        "handle value for its end of the channel. In Zircon that leak is harmless: a "
        "value names a handle in one process's table only.",
        "The forger tries 64 values: the token, then the token with other slot bits "
        "(token ^ (d << 10)), asking zx_object_get_info about each.",
        "Mitigated: each guess is ZX_ERR_BAD_HANDLE; the forger ends with nothing.",
        "Kill policy: the forger's job sets ZX_POL_BAD_HANDLE to KILL; its first guess "
        "ends it (a policy record, return code -1026).",
        "Vulnerable: the guesses resolve in the vault's table. The forger duplicates "
        "each into its own table and reads the secret. Snapshot 'stolen' when the forger "
        "closes its channel: look at its edges to the vault's job, process, thread, "
        "VMAR and vault-secret.",
    ],
    graph="stolen",
)
expect_kernel_intact(scenario, FAULT,
                     "the kernel checks the owner of every handle value (no fault injected)")


@scenario.setup
def setup(run):
    s = run.system
    a, b = s.channel()
    run.spawn("vault", actor_file(run, "vault.so"), handles=[a])
    policy = {"BAD_HANDLE": "KILL"} if run.params.get("kill") else None
    run.spawn("forger", actor_file(run, "forger.so"), handles=[b],
              job=s.job("forger", policy=policy))
    run.snapshot_at("token", Syscall("channel_read", process="forger"))
    run.snapshot_at("stolen", Syscall("handle_close", process="forger"))


def _secret_koid(run):
    vmos = run.ever_held("vault", type="vmo")
    return vmos[0][0] if vmos else None


@scenario.expect("the vault's token reaches the forger")
def token(run):
    return "session token is one of its handle values" in run.output("forger")


@scenario.expect("no guessed value names a handle", vulnerable=False)
def no_hit(run):
    hits = [line for line in run.output("forger").splitlines() if " names a " in line]
    return not hits, "%d guesses named a handle of the vault" % len(hits) if hits else ""


@scenario.expect("the forger never holds the vault's secret", vulnerable=False)
def no_secret(run):
    return not run.ever_held("forger", object=_secret_koid(run)) and \
        "secret STOLEN" not in run.output("forger")


@scenario.expect("every guess is ZX_ERR_BAD_HANDLE", vulnerable=False,
                 only=["vulnerable", "mitigated"])
def bad_handles(run):
    bad = run.syscalls("object_get_info", process="forger", status="ZX_ERR_BAD_HANDLE")
    return len(bad) == GUESSES, "%d of %d guesses were" % (len(bad), GUESSES)


@scenario.expect("the forger lives through its guessing", only=["vulnerable", "mitigated"])
def forger_lives(run):
    return run.ended("forger") == "exited", "forger %s" % run.ended("forger")


@scenario.expect("the kill policy ends the forger at its first guess", only=["kill_policy"])
def killed_first(run):
    return run.ended("forger") == "killed by policy" and \
        "guess" not in run.output("forger") and len(run.events("policy", "forger")) == 1, \
        "forger %s" % run.ended("forger")


@scenario.expect("the vault serves its client and exits normally")
def vault_ok(run):
    return run.ended("vault") == "exited" and run.return_code("vault") == 0


@scenario.expect("the analysis finds no way for the forger to reach the secret",
                 vulnerable=False)
def analysis(run):
    # On the snapshot taken when the forger has its token; the vault is
    # assumed to send nothing more (it never does).
    rules = ("assume process:vault no-send\n"
             "deny process:forger reach koid:%d\n" % _secret_koid(run))
    n, report = run.snapshots["token"].check(rules, NAME)
    return n == 0, " ".join(report.split())[:300] if n else ""
