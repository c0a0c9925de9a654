"""heap_peek — a service hands a helper a handle to itself with every right.

The vault keeps a secret in its malloc heap and a PIN in a local: on
Fuchsia (and in capsim) the heap is VMOs mapped into the vault's own
address space, regions named "scudo:primary", and its first thread's stack
is one too, "initial-thread". Asked on its channel, the vault hands a
monitoring helper a duplicate of its own process handle. Vulnerable: the
duplicate keeps all of the vault's rights, READ and WRITE included, so the
helper lists the vault's mappings and reads its heap and its stack with
zx_process_read_memory. The mitigation attenuates the duplicate to the
basic rights and INSPECT: the helper can still list the mappings, and its
reads fail with ZX_ERR_ACCESS_DENIED.

Actors: scenarios/apps/heap_vault.c, scenarios/apps/heap_monitor.c.
"""
from capsim import Syscall
from capsim.scenario import Scenario

scenario = Scenario(
    "heap_peek",
    "A service hands a helper a handle to itself with READ and WRITE: its heap and stack leak",
    variants={
        "vulnerable": {"vault_args": [],
                       "description": "the duplicate keeps ZX_RIGHT_SAME_RIGHTS"},
        "mitigated": {"vault_args": ["--attenuate"],
                      "description": "the duplicate is attenuated to basic + INSPECT"},
    },
    narration=[
        "The host creates a channel and gives one end to the vault, the other to "
        "the monitor (startup handles PA_HND(PA_USER0, 0)).",
        "The vault mallocs a block and writes 'SECRET=hunter2' into it: the block "
        "lies in a 'scudo:primary' mapping of the vault's own address space. It "
        "keeps 'PIN=4711' in a local, on its 'initial-thread' stack mapping.",
        "The monitor sends ATTACH; the vault replies with a duplicate of its own "
        "process handle.",
        "Vulnerable: the duplicate has every right, READ and WRITE included. "
        "Mitigated: only the basic rights and INSPECT.",
        "The monitor lists the vault's mappings (ZX_INFO_PROCESS_MAPS) and reads "
        "each heap region, then the stack from its top down, with "
        "zx_process_read_memory (snapshot 'attack' is taken when the first read "
        "returns).",
    ],
    graph="attack",
)


@scenario.setup
def setup(run):
    vault_end, monitor_end = run.system.channel()
    run.spawn("vault", "heap_vault", args=run.params["vault_args"], handles=[vault_end])
    run.spawn("monitor", "heap_monitor", handles=[monitor_end])
    run.snapshot_at("attack", Syscall("process_read_memory", process="monitor"))


@scenario.expect("both actors finish the protocol")
def protocol_done(run):
    return run.return_code("monitor") == 0 and run.return_code("vault") == 0, \
        "monitor %s, vault %s" % (run.return_code("monitor"), run.return_code("vault"))


@scenario.expect("the monitor lists the vault's mappings")
def monitor_lists(run):
    return "list the vault's mappings: ZX_OK" in run.output("monitor")


@scenario.expect("the monitor finds the secret in the vault's heap", mitigated=False)
def secret_found(run):
    return "found in the vault's heap: SECRET=hunter2" in run.output("monitor")


@scenario.expect("the monitor finds the PIN on the vault's stack", mitigated=False)
def pin_found(run):
    return "found in the vault's stack: PIN=4711" in run.output("monitor")


@scenario.expect("the monitor never holds the vault's process handle with READ",
                 vulnerable=False)
def no_read_right(run):
    held = run.ever_held("monitor", type="process", rights="READ",
                         object=run.actor("vault").koid)
    return not held, "held process koid %d with READ" % held[0][0] if held else ""


@scenario.expect("the monitor's read of the vault's memory is denied", vulnerable=False)
def read_denied(run):
    return bool(run.syscalls("process_read_memory", "monitor", status="ZX_ERR_ACCESS_DENIED"))


@scenario.expect("the secret never reaches the monitor", vulnerable=False)
def secret_kept(run):
    return "hunter2" not in run.output("monitor")


@scenario.expect("the PIN never reaches the monitor", vulnerable=False)
def pin_kept(run):
    return "4711" not in run.output("monitor")
