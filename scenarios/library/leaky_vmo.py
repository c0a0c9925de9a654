"""leaky_vmo — a server replies with an unattenuated duplicate of its secret.

The server keeps a secret in a VMO and, asked on its channel, hands the
client a duplicate of the VMO handle so that the client can read it. The
duplicate keeps ZX_RIGHT_SAME_RIGHTS: the client can also WRITE the secret.
The mitigation attenuates the duplicate to read-only rights (Zircon's
zx_handle_duplicate with an explicit rights mask): the client can still
read, and its write fails with ZX_ERR_ACCESS_DENIED.

Actors: scenarios/apps/secret_server.c, scenarios/apps/vmo_client.c.
"""
from capsim import Syscall
from capsim.scenario import Scenario

scenario = Scenario(
    "leaky_vmo",
    "A server hands out its secret VMO with all of its own rights",
    variants={
        "vulnerable": {"server_args": [],
                       "description": "the duplicate keeps ZX_RIGHT_SAME_RIGHTS"},
        "mitigated": {"server_args": ["--attenuate"],
                      "description": "the duplicate is attenuated to basic + READ + MAP"},
    },
    narration=[
        "The host creates a channel and gives one end to the server, the other to "
        "the client (startup handles PA_HND(PA_USER0, 0)).",
        "The server creates a VMO named 'secret' and writes 'hunter2' into it.",
        "The client sends GET; the server replies with a duplicate of the VMO handle.",
        "Vulnerable: the duplicate has every right the server's handle has, WRITE "
        "included. Mitigated: only the basic rights, READ, MAP and GET_PROPERTY.",
        "The client reads the secret, then tries to overwrite it (snapshot 'attack' "
        "is taken when that write returns).",
        "When the client hangs up, the server checks its secret: intact or overwritten.",
    ],
    graph="attack",
)


@scenario.setup
def setup(run):
    server_end, client_end = run.system.channel()
    run.spawn("server", "secret_server", args=run.params["server_args"],
              handles=[server_end])
    run.spawn("client", "vmo_client", handles=[client_end])
    run.snapshot_at("attack", Syscall("vmo_write", process="client"))


@scenario.expect("both actors finish the protocol")
def protocol_done(run):
    return run.return_code("client") == 0 and run.return_code("server") in (0, 1), \
        "client %s, server %s" % (run.return_code("client"), run.return_code("server"))


@scenario.expect("the client receives the secret VMO and reads it")
def client_reads(run):
    return bool(run.ever_held("client", type="vmo")) and \
        "read the secret: hunter2" in run.output("client")


@scenario.expect("the client never holds the secret with WRITE", vulnerable=False)
def no_write_right(run):
    held = run.ever_held("client", type="vmo", rights="WRITE")
    return not held, "held vmo koid %d with WRITE" % held[0][0] if held else ""


@scenario.expect("the client's write to the secret fails", vulnerable=False)
def write_fails(run):
    return bool(run.syscalls("vmo_write", "client", status="ZX_ERR_ACCESS_DENIED"))


@scenario.expect("at the attack, the client's handle to the secret lacks WRITE",
                 vulnerable=False)
def attack_snapshot(run):
    held = run.holds("client", type="vmo", rights="WRITE", at="attack")
    return not held, "holds vmo koid %d with WRITE" % held[0].dst if held else ""


@scenario.expect("policy check: the client cannot come to write the secret once the "
                 "server sends nothing more", vulnerable=False)
def policy_check(run):
    violations, report = run.graph().check(
        "assume process:server no-send\n"
        "deny process:client reach vmo:secret with W\n", name="leaky_vmo.rules")
    return violations == 0, report.strip().splitlines()[0] if violations else ""


@scenario.expect("the server's secret stays intact", vulnerable=False)
def secret_intact(run):
    return run.return_code("server") == 0 and "secret intact" in run.output("server")
