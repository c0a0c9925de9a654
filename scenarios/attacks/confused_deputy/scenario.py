"""confused_deputy — a logging service writes wherever a tenant's path says.

The tenants session (a component with persistent-storage: all of /data)
starts a shared logging service with a writable connection to all of
/data, and a tenant, alice, with a connection to /data/tenants/alice only
and a channel to the logger. Vulnerable protocol: a request names the file
to append to; the logger opens that path under ITS /data, so alice can
have it write into bob's notes (tenants/bob/notes.txt), which she cannot
open herself. The request carries the name, the logger's handle carries
the authority: the logger is a confused deputy. Mitigated protocol: a
request carries a file the client opened itself (a handle); the logger
writes through it and refuses names (ZX_ERR_NOT_SUPPORTED). Alice has no
handle to bob's file and cannot get one: "../bob/notes.txt" relative to
her directory is refused by the data server (ZX_ERR_INVALID_ARGS). The
logger still holds all of /data; it just never uses it for a client.

Actors (C, this folder): session.c (packed into tenants.far with its
meta/sandbox), logger.c, tenant.c, logproto.h. C test:
tests/attacks/test_confused_deputy.c. Docs: docs/scenarios/confused_deputy.md.
"""
from capsim import Syscall
from capsim.attacks import actor_file
from capsim.scenario import Scenario

NAME = "confused_deputy"
BOB = "bob: remember the milk"

scenario = Scenario(
    NAME,
    "Confused deputy by path: a logging service writes another tenant's file",
    variants={
        "vulnerable": {"protocol": "--by-path",
                       "description": "requests name a file; the logger opens it under "
                                      "its own /data"},
        "mitigated": {"protocol": "--by-handle",
                      "description": "requests carry a file handle the client already "
                                     "holds; names are refused"},
    },
    narration=[
        "The host installs tenants.far and seeds /data with tenants/bob/notes.txt and "
        "tenants/alice/app.log, then launches the session (persistent-storage: all of "
        "/data).",
        "The session gives the logger a read-write connection to /data and one end of "
        "a channel, and alice a connection to /data/tenants/alice and the other end "
        "(snapshot 'wired' when alice first calls the logger: the logger's /data edge "
        "is the authority, alice's edge to her own directory is all she has).",
        "Alice tries bob's notes herself: openat(her dir, \"../bob/notes.txt\") is "
        "EINVAL (the data server refuses '..'); she holds nothing else.",
        "Alice logs a line of her own: by path (tenants/alice/app.log), or by opening "
        "app.log in her directory and sending the file handle.",
        "Vulnerable: alice asks the logger to append to tenants/bob/notes.txt. The "
        "logger opens that path with its own /data connection and writes: bob's notes "
        "now end with 'alice was here'.",
        "Mitigated: alice has no handle to bob's file to send, and a request naming "
        "the file is answered ZX_ERR_NOT_SUPPORTED.",
        "When both are done the session prints bob's notes.",
    ],
    graph="wired",
)

# docs/scenarios/render_graphs.py draws this part of the system (the
# component system around it has ~150 nodes).
scenario.docs_focus = ("job:tenants", 2)


@scenario.setup
def setup(run):
    s = run.system
    s.add_package(actor_file(run, "tenants.far"))
    s.put_data("tenants/bob/notes.txt", BOB + "\n")
    s.put_data("tenants/alice/app.log", "alice: first boot\n")
    run.launch("session", "tenants", args=[run.params["protocol"], actor_file(run, "logger.so"),
                                           actor_file(run, "tenant.so")])
    run.snapshot_at("wired", Syscall("channel_call", process="alice"))


def _out(run, name):
    p = run.process(name)
    if p is None:
        raise AssertionError("the session never started %s" % name)
    return p.output


@scenario.expect("the session starts the logger and alice, and alice logs her own line")
def wired(run):
    return "started the logger" in run.output("session") and \
        "log my own line" in _out(run, "alice") and "-> ZX_OK" in _out(run, "alice")


@scenario.expect("bob's notes are untouched", vulnerable=False)
def bob_intact(run):
    line = [l for l in run.output("session").splitlines() if "bob's notes now read" in l]
    return bool(line) and line[0].endswith('"%s|"' % BOB), line[0] if line else ""


@scenario.expect("the logger never writes a file a client names", vulnerable=False)
def no_named_write(run):
    wrote = [l for l in _out(run, "logger").splitlines() if "with MY authority" in l]
    return not wrote, "; ".join(wrote)


@scenario.expect("alice cannot open bob's file herself (the server refuses '..')")
def alice_alone(run):
    return "openat(my dir, \"../bob/notes.txt\"): Invalid argument" in _out(run, "alice")
