"""capsim.graph — capability graphs: snapshots of a system, drawn with
graphviz (SVG that Jupyter shows inline), as networkx graphs, and analysed:
what a process can reach, with the witness path proving it.

    g = s.snapshot()
    g.to_svg()                      # str; Jupyter displays g itself as SVG
    g.to_json(); g.to_networkx()    # node-link JSON / networkx.MultiDiGraph
    facts = g.reach(p)              # what p holds or could come to hold
    f = g.can(p, secret, "WRITE")   # a Fact, or None
    f.witness()                     # the steps proving it; f.witness_svg()
    g.check("deny job:sandbox reach job:root")   # policy rules
    g2.diff(g)                      # what changed since g

Nodes are named as viz names them: "process:client", "job:root", "koid:12",
"/svc/fuchsia.Echo", or a bare name; a Process, Handle or koid works too.
A graph is a copy: it stays valid while the system runs on.
"""
import json
from collections import namedtuple

from . import _text, zx
from ._ffi import ffi, lib, string, take_bytes, take_string
from .errors import fail
from .files import write_whole
from .objects import check_owner

Node = namedtuple("Node", "id kind type name parent object state handle_count signals "
                          "policy_denied")
Edge = namedtuple("Edge", "kind src dst rights value arg0 arg1 label")


# What a 'create' fact's `rights` hold instead of rights (viz_authority.h).
CREATE_PROCESS, CREATE_JOB = 1, 2


class Fact:
    """A fact of the authority analysis: `kind` ('hold', 'control', 'flow',
    'create'), `rule` (how it was derived), `subject` and `object` (node
    ids: koids for objects), `rights` (for 'hold'; for 'create' what may be
    created: CREATE_PROCESS | CREATE_JOB; 0 for 'control' and 'flow')."""

    def __init__(self, graph, c):
        self.graph = graph
        self.index = int(c.index)
        self.kind = string(c.kind_name)
        self.rule = string(c.rule)
        self.subject = int(c.subject)
        self.object = int(c.object)
        self.rights = int(c.rights)

    @property
    def rights_str(self):
        """The rights held ('READ|WRITE'); for 'create', what may be created
        ('processes, jobs'); '' for 'control' and 'flow'."""
        if self.kind == "create":
            return ", ".join(what for bit, what in ((CREATE_PROCESS, "processes"),
                                                    (CREATE_JOB, "jobs"))
                             if self.rights & bit)
        if self.kind != "hold":
            return ""
        return zx.rights_str(self.rights)

    def witness(self):
        """The steps proving this fact (Facts), premises first."""
        return self.graph._facts(lambda out, n: lib().capsim_graph_witness(
            self.graph._g, self.index, out, n))

    def witness_text(self):
        """The witness as a numbered list of sentences."""
        return take_string(lib().capsim_graph_witness_text(self.graph._g, self.index))

    def witness_svg(self):
        """The witness drawn: the nodes involved, each step a numbered red edge."""
        return self.graph._render(lambda l, e, n: lib().capsim_graph_witness_render(
            self.graph._g, self.index, b"svg", l, e, n)).decode()

    def _repr_svg_(self):
        return self.witness_svg()

    def __repr__(self):
        what = " [%s]" % self.rights_str if self.rights_str else ""
        return "<Fact %s: %s -> %s%s by %s>" % (self.kind, self.graph.describe(self.subject, True),
                                               self.graph.describe(self.object, True),
                                               what, self.rule)


def focus_hops():
    """The focus radius when none is given (2: what a principal holds, who
    else holds it, and what they hold), the C side's CAPSIM_FOCUS_HOPS,
    which `capsim graph --hops` defaults to as well."""
    return int(lib().CAPSIM_FOCUS_HOPS)


def formats(pictures_only=False):
    """The output formats, as messages list them: 'dot, svg, png, pdf, json'
    (the C side's list, the one `capsim graph` names too)."""
    return string(lib().capsim_graph_formats(1 if pictures_only else 0))


def picture_format(format):
    """The canonical name of a picture format ('svg', 'png', 'pdf', 'dot';
    'gv' is 'dot', any case); CapsimValueError naming the known ones else."""
    known = lib().capsim_graph_format(_text.encode(format, "render: format"))
    canonical = string(known) if known != ffi.NULL else None
    if canonical is None or canonical == "json":
        hint = ": json is not a picture (to_json(), or save() to a .json file)" \
            if canonical == "json" else ""
        fail("ZX_ERR_INVALID_ARGS", "unknown picture format %r (known: %s)%s"
             % (format, formats(pictures_only=True), hint))
    return canonical


def save_format(path):
    """The format Graph.save writes to `path`, from its extension: 'svg',
    'png', 'pdf', 'dot' (also .gv) or 'json'; ZX_ERR_INVALID_ARGS else."""
    base = _text.path(path, "save: path").rsplit("/", 1)[-1]
    ext = base.rsplit(".", 1)[-1] if "." in base else ""
    known = lib().capsim_graph_format(ext.encode()) if ext else ffi.NULL
    if known == ffi.NULL:
        fail("ZX_ERR_INVALID_ARGS", "%s: cannot tell the format from the extension "
             "(known: %s)" % (path, formats()))
    return string(known)


class Graph:
    """One snapshot of a system's capability graph."""

    def __init__(self, system, ptr):
        self.system = system
        self._g = ffi.gc(ptr, lib().capsim_graph_free)
        # When it was taken: virtual time (s.now then) and the trace records
        # before it (docs/python.md, "Running": the two clocks of a syscall).
        self.time = int(lib().capsim_graph_time(self._g))
        self.trace_seq = int(lib().capsim_graph_trace_seq(self._g))
        node = ffi.new("CapsimNode *")
        self.nodes = []
        for i in range(lib().capsim_graph_node_count(self._g)):
            lib().capsim_graph_node(self._g, i, node)
            self.nodes.append(Node(int(node.id), string(node.kind_name), string(node.type_name),
                                   string(node.name), int(node.parent), int(node.object),
                                   string(node.state), int(node.handle_count),
                                   int(node.signals), int(node.policy_denied)))
        edge = ffi.new("CapsimEdge *")
        self.edges = []
        for i in range(lib().capsim_graph_edge_count(self._g)):
            lib().capsim_graph_edge(self._g, i, edge)
            self.edges.append(Edge(string(edge.kind_name), int(edge.src), int(edge.dst),
                                   int(edge.rights), int(edge.value), int(edge.arg0),
                                   int(edge.arg1), string(edge.label)))
        self._by_id = {n.id: i for i, n in enumerate(self.nodes)}

    # ---- finding nodes -------------------------------------------------------
    def index(self, spec):
        """Node index of a spec, Process, Handle, Node or koid."""
        if isinstance(spec, Node):
            spec = spec.id
        if hasattr(spec, "koid"):
            check_owner(self.system, spec, "node")
            spec = spec.koid
        if isinstance(spec, int):
            if spec not in self._by_id:
                fail("ZX_ERR_NOT_FOUND", "no node with id %d in this snapshot" % spec)
            return self._by_id[spec]
        _text.name(spec, "a node", "named by a str ('process:client', 'vmo:secret'), a "
                   "koid, a Process, a Handle or a Node")
        err = ffi.new("char[]", 256)
        i = lib().capsim_graph_find(self._g, spec.encode(), err, 256)
        if i < 0:
            fail("ZX_ERR_NOT_FOUND", string(err) + self._gone(spec))
        return int(i)

    def _gone(self, spec):
        """Why a process named by `spec` is not in this snapshot, when the
        system knows: it ended before the snapshot, or started after it."""
        name = spec.split(":", 1)[1] if spec.startswith("process:") else spec
        try:
            p = next((p for p in self.system.processes() if p.name == name), None)
        except Exception:  # a closed system says nothing more
            return ""
        if p is None:
            return ""
        if p.alive:
            return " (process %r, koid %d, started after this snapshot, taken at %d ns)" % (
                name, p.koid, self.time)
        return (" (process %r, koid %d, had ended by this snapshot, taken at %d ns: %s; "
                "draw an earlier snapshot)" % (name, p.koid, self.time, p.end))

    def node(self, spec):
        return self.nodes[self.index(spec)]

    def describe(self, node_id, koid=False):
        """"job 'apps'" (unnamed: "channel 1031"); with koid, a kernel
        object's koid follows its name, as the witnesses write it:
        "job 'apps' (koid 1025)"."""
        n = self.nodes[self._by_id[node_id]] if node_id in self._by_id else None
        if n is None:
            return "node %d" % node_id
        if not n.name:
            return "%s %d" % (n.type, n.id)
        if koid and n.kind == "object":
            return "%s %r (koid %d)" % (n.type, n.name, n.id)
        return "%s %r" % (n.type, n.name)

    def processes(self):
        return [n for n in self.nodes if n.type == "process"]

    def jobs(self):
        return [n for n in self.nodes if n.type == "job"]

    def threads(self):
        return [n for n in self.nodes if n.type == "thread"]

    def handles_of(self, spec):
        """Handle edges leaving a node (what a process holds)."""
        nid = self.nodes[self.index(spec)].id
        return [e for e in self.edges if e.kind == "handle" and e.src == nid]

    # ---- exports ---------------------------------------------------------------
    def _render(self, call):
        n = ffi.new("size_t *")
        err = ffi.new("char[]", 512)
        p = call(n, err, 512)
        if p == ffi.NULL:
            fail("ZX_ERR_INTERNAL", "rendering failed: %s" % string(err))
        return take_bytes(p, n[0])

    def render(self, format="svg", focus=None, hops=None, title=None):
        """The picture as bytes: 'svg', 'png', 'pdf' or 'dot' (another format
        raises CapsimValueError naming the known ones); the whole graph, or
        what lies within `hops` steps of `focus` (default: focus_hops(),
        as `capsim graph --hops`)."""
        format = picture_format(format)
        if hops is None:
            hops = focus_hops()
        fi = -1 if focus is None else self.index(focus)
        if focus is not None and (not isinstance(hops, int) or hops < 1):
            fail("ZX_ERR_INVALID_ARGS", "hops=%r: the focus radius is an int, 1 or more "
                 "(1: what the principal holds and who else holds it)" % (hops,))
        t = _text.encode(title, "render: title", optional=True)
        return self._render(lambda l, e, n: lib().capsim_graph_render(
            self._g, format.encode(), fi, hops, t, l, e, n))

    def to_svg(self, focus=None, hops=None, title=None):
        return self.render("svg", focus, hops, title).decode()

    def to_dot(self, focus=None, hops=None, title=None):
        return self.render("dot", focus, hops, title).decode()

    def save(self, path, focus=None, hops=None, title=None):
        """Write to `path`; the format is its extension (.svg .png .pdf .dot .json)."""
        ext = save_format(path)
        if ext == "json":
            data = self.to_json().encode()
        else:
            data = self.render(ext, focus, hops, title)
        write_whole(path, data)

    def _repr_svg_(self):
        return self.to_svg()

    def to_json(self, label=None):
        """networkx node-link JSON (str)."""
        return take_string(lib().capsim_graph_json(
            self._g, _text.encode(label, "to_json: label", optional=True)))

    def to_networkx(self):
        """A networkx.MultiDiGraph: node attributes kind, type, name...; edge
        attributes kind, rights, value..."""
        import networkx
        return networkx.node_link_graph(json.loads(self.to_json()))

    # ---- analysis ----------------------------------------------------------------
    def _facts(self, call):
        n = call(ffi.NULL, 0)
        if n < 0:
            fail("ZX_ERR_INVALID_ARGS", "no such node or fact in this snapshot")
        arr = ffi.new("CapsimFact[]", max(n, 1))
        n = call(arr, n)
        return [Fact(self, arr[i]) for i in range(n)]

    def reach(self, principal, kind=None):
        """Facts about what `principal` (a process, job or component) holds or
        could come to hold, control, send to or create in. kind filters
        ('hold', 'control', 'flow', 'create')."""
        if kind not in (None, "hold", "control", "flow", "create"):
            fail("ZX_ERR_INVALID_ARGS", "unknown fact kind %r (hold, control, flow, create)"
                 % (kind,))
        i = self.index(principal)
        facts = self._facts(lambda out, n: lib().capsim_graph_reach(self._g, i, out, n))
        return [f for f in facts if kind is None or f.kind == kind]

    def can(self, principal, target, rights=0):
        """The Fact proving `principal` may come to hold `target` with at
        least `rights`, or None."""
        p, t = self.index(principal), self.index(target)
        f = lib().capsim_graph_can(self._g, p, t, zx.rights(rights) if rights else 0)
        if f < 0:
            return None
        return self.witness_fact(f)

    def who_can(self, target, rights=0):
        """Processes that could hold `target` with `rights`: one Fact each."""
        t = self.index(target)
        r = zx.rights(rights) if rights else 0
        return self._facts(lambda out, n: lib().capsim_graph_who_can(self._g, t, r, out, n))

    def witness_fact(self, index):
        steps = self._facts(lambda out, n: lib().capsim_graph_witness(self._g, index, out, n))
        return steps[-1] if steps else None

    def check(self, rules, name="rules"):
        """Check policy rules (one per line: 'deny SUBJECT reach TARGET [with
        RIGHTS]', 'deny SUBJECT control TARGET', 'assume P no-send,...').
        Returns (number of violations, report text)."""
        crules = _text.encode(rules, "check: rules (text, one rule a line)")
        cname = _text.encode(name, "check: name")
        report = ffi.new("char **")
        err = ffi.new("char[]", 512)
        n = lib().capsim_graph_check(self._g, crules, cname, report, err, 512)
        if n < 0:
            fail("ZX_ERR_INVALID_ARGS", string(err))
        return int(n), take_string(report[0]) or ""

    def diff(self, before):
        """What changed from `before` (an earlier Graph of the same system)
        to this graph: a Diff with .changes (count), .text and .to_svg()."""
        return Diff(before, self)

    def __repr__(self):
        return "<Graph at %d ns: %d nodes, %d edges>" % (self.time, len(self.nodes),
                                                        len(self.edges))


class Diff:
    def __init__(self, before, after):
        if not isinstance(before, Graph):
            fail("ZX_ERR_INVALID_ARGS", "diff(before): before is a Graph, not %s"
                 % type(before).__name__)
        if before.system is not after.system:
            fail("ZX_ERR_INVALID_ARGS", "diff: the two graphs come from different systems "
                 "(koids name different objects there); a diff compares two moments of one "
                 "run: compare other runs with reach(), can() or check()")
        if before.time > after.time:
            fail("ZX_ERR_INVALID_ARGS", "diff: the graph passed as before (at %d ns) is later "
                 "than this one (at %d ns): write later.diff(earlier)" % (before.time, after.time))
        self.before, self.after = before, after
        n = ffi.new("size_t *")
        sysptr = after.system._ptr_or_null()
        self.text = take_string(lib().capsim_graph_diff_text(sysptr, before._g, after._g, n))
        self.changes = int(n[0])

    def to_svg(self):
        sysptr = self.after.system._ptr_or_null()
        return self.after._render(lambda l, e, n: lib().capsim_graph_diff_render(
            sysptr, self.before._g, self.after._g, b"svg", l, e, n)).decode()

    def _repr_svg_(self):
        return self.to_svg()

    def __repr__(self):
        return "<Diff: %d changes>\n%s" % (self.changes, self.text)
