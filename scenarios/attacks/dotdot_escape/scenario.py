"""dotdot_escape — a component climbs out of its storage with "..".

The package app1 asks for isolated-persistent-storage, so its /data is
/data/r/app/app1 on the data server (memfs) and nothing else of /data. Its
neighbour app2 keeps a secret in /data/r/app/app2/secret. app1 tries
"/data/../app2/secret" (fdio cleans it on the client side: ENOENT), then
sends "../app2/secret" to the server itself, relative to its /data
connection (fdio_open_fd_at, openat). A correct server refuses a ".."
segment with ZX_ERR_INVALID_ARGS (Fuchsia's name rules; the code of its
name parser, docs/io-protocol.md). The vulnerable variant turns on the
directory servers' fault switch `accept_dotdot`: the server climbs from
app1's directory to /data/r/app and opens app2's secret.

Actor (C, this folder): app1.c, packed into app1.far with its
meta/sandbox. C test: tests/attacks/test_dotdot_escape.c.
Docs: docs/scenarios/dotdot_escape.md.
"""
from capsim.attacks import actor_file, expect_kernel_intact
from capsim.scenario import Scenario

NAME = "dotdot_escape"
FAULT = "accept_dotdot"
SECRET = "app2's secret: swordfish"

scenario = Scenario(
    NAME,
    "A component opens ../app2/secret through its own /data",
    variants={
        "vulnerable": {"description": "FAULT INJECTED: accept_dotdot (directory servers "
                                      "let '..' climb past a connection's root)",
                       "system": {"faults": [FAULT]}},
        "mitigated": {"description": "the server refuses '..' (ZX_ERR_INVALID_ARGS)"},
    },
    narration=[
        "The host installs app1.far and seeds app2's isolated storage with "
        "/data/r/app/app2/secret. app1 is launched: its meta/sandbox asks for "
        "isolated-persistent-storage, so its namespace's /data is a connection to "
        "/data/r/app/app1 — look at its namespace edges in the graph.",
        "app1 writes /data/mine: its own storage works.",
        "app1 opens \"/data/../app2/secret\": fdio cleans the path before anything is "
        "sent (\"/app2/secret\"), which is not in its namespace: ENOENT, in both variants.",
        "app1 sends \"../app2/secret\" on its /data connection (fdio_open_fd_at). "
        "Mitigated: the server answers ZX_ERR_INVALID_ARGS. Vulnerable: the server walks "
        "up to /data/r/app and opens app2's secret (snapshot 'escape' when app1 reports "
        "the result: in the vulnerable graph app1 holds a connection to app2's file).",
        "The same through POSIX openat(dirfd, \"../app2/secret\"): EINVAL, or the secret.",
        "Every '..' the server accepts is a fault_injected record in the trace.",
    ],
    graph="escape",
)

# docs/scenarios/render_graphs.py draws this part of the system (the
# component system around it has ~150 nodes).
scenario.docs_focus = ("process:app1", 1)
expect_kernel_intact(scenario, FAULT,
                     "the directory servers refuse '..' (no fault injected)")


@scenario.setup
def setup(run):
    s = run.system
    s.add_package(actor_file(run, "app1.far"))
    s.put_data("r/app/app2/secret", SECRET + "\n")
    run.launch("app1", "app1")
    run.snapshot_at("escape", lambda rec: rec.kind == "output" and rec.text
                    and "fdio_open_fd_at" in rec.text)


@scenario.expect("app1 is launched with /data = its own storage")
def launched(run):
    c = run.component("app1")
    return c.refusal is None and "wrote /data/mine" in run.output("app1")


@scenario.expect("client-side path cleaning keeps '/data/../' inside the namespace")
def cleaned(run):
    return "open(\"/data/../app2/secret\"): No such file or directory" in run.output("app1")


@scenario.expect("the server answers '..' with ZX_ERR_INVALID_ARGS", vulnerable=False)
def refused(run):
    return "\"../app2/secret\") -> ZX_ERR_INVALID_ARGS" in run.output("app1")


@scenario.expect("app1 never reads app2's secret", vulnerable=False)
def no_secret(run):
    return SECRET not in run.output("app1") and run.return_code("app1") == 0
