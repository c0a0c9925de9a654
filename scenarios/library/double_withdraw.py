"""double_withdraw — two withdrawers race on one account through the kernel.

The account is a VMO holding an int64 balance of 100. Two withdrawers each
want 80. Vulnerable: both hold the account VMO and do check-then-debit with
two syscalls (zx_vmo_read, then zx_vmo_write). If the scheduler switches
between them, both see 100 and both withdraw: 160 paid out of 100. FIFO on
one CPU never switches there, so the default run looks fine; some seeds of
the random walk (and of PCT) do — `capsim explore` finds them and
`capsim replay` reproduces them exactly. Mitigated: only a bank process
holds the account; withdrawers ask it over their own channels and it serves
one request at a time, so no interleaving can break the invariant.

Actor: scenarios/apps/bank.c (roles withdrawer, bank).
"""
import struct

from capsim.scenario import Scenario

BALANCE = 100
AMOUNT = 80

scenario = Scenario(
    "double_withdraw",
    "Check-then-debit on shared memory: a race only some schedules show",
    variants={
        "vulnerable": {"mode": "direct",
                       "description": "both withdrawers hold the account VMO"},
        "mitigated": {"mode": "bank",
                      "description": "a bank process owns it and serves requests in turn"},
    },
    narration=[
        "The host creates the account: a VMO named 'account' holding 100.",
        "Vulnerable: withdrawers 'alice' and 'bob' each get a duplicate of the account "
        "VMO (startup handle 0) and want 80.",
        "Each reads the balance (zx_vmo_read), checks it, and writes the new balance "
        "(zx_vmo_write): a preemption between the two lets the other read the old "
        "balance too.",
        "Mitigated: 'bank' gets the account and one channel per withdrawer; alice and "
        "bob send their request and wait for the answer.",
        "Afterwards the host reads the balance: money must be conserved.",
    ],
)


@scenario.setup
def setup(run):
    s = run.system
    account = s.vmo(struct.pack("<q", BALANCE), name="account")
    run.data["account"] = account
    names = ["alice", "bob"]
    if run.params["mode"] == "direct":
        for name in names:
            run.spawn(name, "bank", args=["withdrawer", AMOUNT, "direct"],
                      handles=[account.duplicate()])
        return
    ends = [s.channel() for _ in names]
    run.spawn("bank", "bank", args=["bank", len(names)],
              handles=[account.duplicate()] + [bank_end for bank_end, _ in ends])
    for name, (_, client_end) in zip(names, ends):
        run.spawn(name, "bank", args=["withdrawer", AMOUNT, "bank"], handles=[client_end])


def _paid(run):
    return [n for n in ("alice", "bob") if run.return_code(n) == 0]


def _balance(run):
    return struct.unpack("<q", run.data["account"].read_vmo(0, 8))[0]


@scenario.expect("both withdrawers finish")
def finished(run):
    return all(run.ended(n) == "exited" for n in ("alice", "bob"))


@scenario.expect("at most one withdrawal of 80 succeeds")
def one_withdrawal(run):
    paid = _paid(run)
    return len(paid) <= 1, "paid: " + (", ".join(paid) or "nobody")


@scenario.expect("money is conserved (balance + paid out == 100)")
def conserved(run):
    paid, balance = _paid(run), _balance(run)
    return balance + AMOUNT * len(paid) == BALANCE, \
        "balance %d, paid out %d" % (balance, AMOUNT * len(paid))
