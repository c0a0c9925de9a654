"""capsim — script a deterministic simulation of Fuchsia's Zircon kernel.

    import capsim
    s = capsim.System(seed=1, cpus=2)
    p = s.spawn("app.so", args=["x"], name="client")
    s.run()                       # also s.step(), s.run(until_ns=...), s.run(until=event)
    p.return_code, p.output, p.handles()
    g = s.snapshot()
    g.to_svg(), g.to_json(), g.to_networkx(), g.reach(p)
    s.trace_hash

The C library (libcapsim, through cffi) does the work; this package is a
thin layer over its flat host API (capsim_host.h, capsim_script.h). The
reference is docs/python.md; scenarios are described in docs/scenarios.md.
"""
from . import zx
from .errors import CapsimError, CapsimLookupError, CapsimTypeError, CapsimValueError
from .graph import Diff, Edge, Fact, Graph, Node
from .objects import Handle, HandleInfo, Process
from .packages import build_package
from .system import Component, RunResult, System, loaded_app_copies
from .trace import Event, GraphChange, Kill, Syscall, TraceEvent, TraceRecord

__all__ = [
    "build_package", "loaded_app_copies",
    "System", "Process", "Handle", "HandleInfo", "Component", "RunResult",
    "Graph", "Node", "Edge", "Fact", "Diff",
    "Event", "Syscall", "GraphChange", "Kill", "TraceEvent", "TraceRecord",
    "CapsimError", "CapsimValueError", "CapsimTypeError", "CapsimLookupError", "zx",
]
__version__ = "0.1.0"
