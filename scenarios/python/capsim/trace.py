"""capsim.trace — the trace as Python records, and events to run until.

Every record the engine kept (time, seq, kind, cpu, thread, the process the
thread belongs to, four arguments a..d and a text) becomes a TraceRecord.
Kinds are named as the trace names them: 'kernel_enter', 'kernel_exit',
'switch', 'handle_add', 'object_create', 'task_kill', 'policy', 'output'...

Events say what System.run(until=...) stops at:

    capsim.Syscall("channel_write", process=p)          # its kernel exit
    capsim.Syscall("vmo_write", status="ZX_ERR_ACCESS_DENIED")
    capsim.GraphChange()                                 # a handle or object moved
    capsim.Kill(p)                                       # zx_task_kill / policy kill of p
    capsim.TraceEvent("policy")                          # any record of that kind
    lambda rec: rec.kind == "output" and "done" in rec.text   # any predicate

The first four are matched in C while the engine steps; a plain callable is
called with each new record (slower, but anything goes).
"""
import struct
from collections import namedtuple

from . import _text, zx
from ._ffi import ffi, lib, string
from .errors import fail
from .objects import check_owner

_FIELDS = "time seq kind kind_id cpu thread process a b c d text"


class TraceRecord(namedtuple("TraceRecord", _FIELDS)):
    """One trace record. For kernel_enter/kernel_exit `syscall` is the
    syscall's name; for kernel_exit `status` is its result's name."""
    __slots__ = ()

    @property
    def syscall(self):
        return self.text if self.kind in ("kernel_enter", "kernel_exit") else None

    @property
    def status(self):
        if self.kind != "kernel_exit":
            return None
        value = self.b - (1 << 64) if self.b >= (1 << 63) else self.b
        return string(lib().capsim_status_name(value))

    def __str__(self):
        what = self.text or ""
        if self.kind == "kernel_exit":
            what = "%s -> %s" % (self.text, self.status)
        elif self.kind not in ("kernel_enter", "switch"):
            what = "a=%d b=%d c=%#x d=%#x %s" % (self.a, self.b, self.c, self.d, what)
        return "%10d ns  #%-6d %-14s thread %-3d %s" % (self.time, self.seq, self.kind,
                                                       self.thread, what)


_KINDS = {}


def kind_names(sysptr):
    """{name: number} of every trace kind the system registered."""
    if not _KINDS:
        for k in range(1, 160):
            name = string(lib().capsim_trace_kind_name(sysptr, k))
            if name and name != "unknown":
                _KINDS[name] = k
    return _KINDS


def kind_number(sysptr, name):
    _text.name(name, "trace kind")
    kinds = kind_names(sysptr)
    if name not in kinds:
        fail("ZX_ERR_INVALID_ARGS", "unknown trace kind %r (known: %s)"
             % (name, ", ".join(sorted(kinds))))
    return kinds[name]


#: CapsimTraceRecord as the C compiler lays it out (capsim_script.h): a
#: chunk of records is unpacked at once, not field by field through cffi.
_RECORD = struct.Struct("@qQIiQQQQQQP")


def read_records(system, start=0, end=None):
    """TraceRecords [start, end) of a system's kept trace. Records share
    their texts (the engine keeps each text once: one str per address) and
    process koids: a long trace costs ~200 bytes a record here, and ~2
    microseconds."""
    sysptr = system._ptr()
    assert _RECORD.size == ffi.sizeof("CapsimTraceRecord")
    total = lib().capsim_trace_count(sysptr)
    end = total if end is None else min(end, total)
    names = {v: k for k, v in kind_names(sysptr).items()}
    texts = system.__dict__.setdefault("_trace_texts", {})
    koids = {}
    out = []
    make = tuple.__new__
    chunk = 4096
    buf = ffi.new("CapsimTraceRecord[]", chunk)
    pos = start
    while pos < end:
        n = lib().capsim_trace_get(sysptr, pos, buf, min(chunk, end - pos))
        if n == 0:
            break
        for time, seq, kind, cpu, thread, process, a, b, c, d, where in \
                _RECORD.iter_unpack(ffi.buffer(buf, n * _RECORD.size)):
            text = texts.get(where)
            if text is None:
                text = texts[where] = string(ffi.cast("const char *", where))
            out.append(make(TraceRecord, (time, seq, names.get(kind) or str(kind), kind, cpu,
                                          thread, koids.setdefault(process, process),
                                          a, b, c, d, text)))
        pos += n
    return out


class Unresolved(Exception):
    """An event the C matcher cannot take yet (a process named before it
    exists, an SDK operation): matched in Python instead."""


#: Operations of the app SDK and its libc that enter the kernel like
#: syscalls.
SDK_OPS = ("capsim_spawn", "pthread_cancel")


class Event:
    """Base of the events System.run(until=...) takes. spec() gives the C
    matcher's CapsimEventSpec (or raises Unresolved); matches() is the same
    test in Python."""

    def spec(self, system):
        raise Unresolved()

    def matches(self, system, rec):
        raise NotImplementedError


def _koid(system, process, strict=True):
    """A process's koid (0 = any); names resolve among existing processes."""
    if process is None:
        return 0
    if isinstance(process, int):
        return process
    if isinstance(process, str):
        for p in system.processes():
            if p.name == process:
                return p.koid
        if strict:
            raise Unresolved()
        return None
    check_owner(system, process, "process")
    return process.koid


def _process_matches(system, process, rec, also_a=False):
    if process is None:
        return True
    koid = _koid(system, process, strict=False)
    if koid is None:
        return False
    return rec.process == koid or (also_a and rec.a == koid)


class Syscall(Event):
    """A syscall by name ('channel_write' or 'zx_channel_write'; also the
    SDK's 'capsim_spawn'), optionally made by `process` (a Process, koid or
    name — a name may belong to a process that does not exist yet),
    returning `status` (a name or number). phase 'exit' (default) or 'enter'."""

    def __init__(self, name=None, process=None, status=None, phase="exit"):
        if phase not in ("enter", "exit"):
            raise ValueError("phase is 'enter' or 'exit'")
        if status is not None and phase != "exit":
            raise ValueError("a status is only known at the syscall's exit")
        if name is not None:
            _text.name(name, "Syscall: name")
        self.name = name[3:] if name and name.startswith("zx_") else name
        if self.name and self.name not in SDK_OPS and \
                lib().capsim_syscall_op(self.name.encode()) < 0:
            fail("ZX_ERR_INVALID_ARGS", "%r is not a syscall capsim models" % name)
        self.process, self.phase = process, phase
        self.status = zx.constant(status) if isinstance(status, str) else status

    def spec(self, system):
        if self.name in SDK_OPS:
            raise Unresolved()
        s = ffi.new("CapsimEventSpec *")
        s.kind = 5 if self.phase == "enter" else 6  # SIM_TR_KERNEL_ENTER / EXIT
        s.op = lib().capsim_syscall_op(self.name.encode()) if self.name else -1
        s.process = _koid(system, self.process)
        if self.status is not None:
            s.match_result = 1
            s.result = self.status
        return s

    def matches(self, system, rec):
        if rec.kind != ("kernel_enter" if self.phase == "enter" else "kernel_exit"):
            return False
        if self.name and rec.text != self.name:
            return False
        if self.status is not None:
            value = rec.b - (1 << 64) if rec.b >= (1 << 63) else rec.b
            if value != self.status:
                return False
        return _process_matches(system, self.process, rec)

    def __repr__(self):
        return "Syscall(%r, process=%r, status=%r)" % (self.name, self.process, self.status)


_GRAPH_KINDS = ("object_create", "object_destroy", "handle_add", "handle_remove",
                "handle_send", "handle_receive")
_TASK_KINDS = ("handle_add", "handle_remove", "handle_send", "handle_receive", "task_kill",
               "policy")


class GraphChange(Event):
    """Any change of the capability graph: an object created or destroyed, a
    handle added, removed, sent or received (by `process`, about `object`
    (a koid or Handle) when given)."""

    def __init__(self, process=None, object=None):
        self.process = process
        self.object = object if isinstance(object, int) or object is None else object.koid

    def spec(self, system):
        s = ffi.new("CapsimEventSpec *")
        s.op = -1
        s.graph_change = 1
        s.process = _koid(system, self.process)
        s.object = self.object or 0
        return s

    def matches(self, system, rec):
        if rec.kind not in _GRAPH_KINDS:
            return False
        if self.object and self.object not in (rec.a, rec.b):
            return False
        return _process_matches(system, self.process, rec,
                                also_a=rec.kind in _TASK_KINDS)


class TraceEvent(Event):
    """Any record of a kind ('task_kill', 'policy', 'output', 'note'...),
    about `object` (koid, Process or name: in argument a or b) or by
    `process`."""

    def __init__(self, kind, process=None, object=None):
        self.kind, self.process, self.object = kind, process, object

    def spec(self, system):
        s = ffi.new("CapsimEventSpec *")
        s.kind = kind_number(system._ptr(), self.kind)
        s.op = -1
        s.process = _koid(system, self.process)
        s.object = _koid(system, self.object)
        return s

    def matches(self, system, rec):
        if rec.kind != self.kind:
            return False
        if self.object is not None:
            koid = _koid(system, self.object, strict=False)
            if koid is None or koid not in (rec.a, rec.b):
                return False
        return _process_matches(system, self.process, rec, also_a=rec.kind in _TASK_KINDS)


class Kill(Event):
    """A task killed (zx_task_kill, a job kill, a policy or exception kill;
    not a plain exit): `process` (a Process, koid or name), or any task."""

    def __init__(self, process=None):
        self.process = process

    def matches(self, system, rec):
        if rec.kind != "task_kill":
            return False
        code = rec.b - (1 << 64) if rec.b >= (1 << 63) else rec.b
        if not -1100 < code <= zx.CONSTANTS["ZX_TASK_RETCODE_SYSCALL_KILL"]:
            return False
        if self.process is None:
            return True
        koid = _koid(system, self.process, strict=False)
        return koid is not None and rec.a == koid
