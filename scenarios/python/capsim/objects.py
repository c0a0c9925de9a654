"""capsim.objects — what a script holds and looks at: processes, the host's
handles, and handle records of live processes.

A Process is named by its koid and reads everything fresh from the C side
(it is a view, not a copy). A Handle is a handle the host holds: creating
objects (System.channel(), .event(), .vmo()...) gives Handles; passing one
to System.spawn() moves it into the new process, after which it is spent
(using it again raises ZX_ERR_BAD_HANDLE, as in Zircon).
"""
from collections import namedtuple

from . import zx
from ._ffi import ffi, lib, string
from .errors import CapsimError, check, fail

#: One handle of a live process: value, object type name, rights, object koid.
HandleInfo = namedtuple("HandleInfo", "value type rights koid")


def _handle_info(h):
    return HandleInfo(int(h.value), zx.type_name(h.type), int(h.rights), int(h.koid))


def rights_str(rights):
    return zx.rights_str(rights)


def check_owner(system, thing, what):
    """Refuse a Process or Handle of another System: its koid or handle value
    names something else here (two systems of one seed even share values)."""
    owner = getattr(thing, "system", None)
    if owner is not None and owner is not system:
        fail("ZX_ERR_INVALID_ARGS", "%s %r belongs to another System: its koid and handle "
             "value name other things in this one" % (what, thing))


class Process:
    """A process of a System, by koid. Properties read the current state."""

    def __init__(self, system, koid):
        self.system = system
        self.koid = int(koid)

    def _info(self):
        info = ffi.new("CapsimProcessInfo *")
        if lib().capsim_process_info(self.system._ptr(), self.koid, info) != 0:
            fail("ZX_ERR_NOT_FOUND", "process koid %d is not known to this system" % self.koid)
        return info

    @property
    def name(self):
        info = self._info()  # keep the struct alive while its name is read
        return string(info.name)

    @property
    def end(self):
        """How it ended: 'running', 'exited', 'killed by syscall',
        'killed by policy', 'exception', ..."""
        return string(lib().capsim_end_name(self._info().end))

    @property
    def alive(self):
        return self._info().end == 0

    @property
    def return_code(self):
        """Its return code once ended, None while running."""
        info = self._info()
        return None if info.end == 0 else int(info.return_code)

    @property
    def fault(self):
        """'page fault', 'abort'... for a process that faulted, else None."""
        info = self._info()
        return string(lib().capsim_fault_name(info.fault_kind)) if info.fault_kind else None

    def _output(self, streams):
        sysptr = self.system._ptr()
        n = lib().capsim_process_output(sysptr, self.koid, streams, ffi.NULL, 0)
        buf = ffi.new("char[]", n + 1)
        lib().capsim_process_output(sysptr, self.koid, streams, buf, n + 1)
        return ffi.buffer(buf, n)[:].decode("utf-8", "replace")

    @property
    def output(self):
        """Everything it wrote (stdout and stderr, in write order)."""
        return self._output(3)

    @property
    def stdout(self):
        return self._output(1)

    @property
    def stderr(self):
        return self._output(2)

    @property
    def job(self):
        """Koid of the job it runs in (0 once it is gone)."""
        return int(lib().capsim_process_job(self.system._ptr(), self.koid))

    def handles(self):
        """Its handles now, as HandleInfo records (empty once it is dead)."""
        sysptr = self.system._ptr()
        n = lib().capsim_process_handles(sysptr, self.koid, ffi.NULL, 0)
        arr = ffi.new("CapsimHandleInfo[]", max(n, 1))
        n = lib().capsim_process_handles(sysptr, self.koid, arr, n)
        return [_handle_info(arr[i]) for i in range(n)]

    def kill(self):
        """zx_task_kill from outside: it ends as 'killed by syscall'."""
        check(self.system._ptr(), lib().capsim_task_kill(self.system._ptr(), self.koid),
              "kill")

    def __eq__(self, other):
        return isinstance(other, Process) and other.koid == self.koid \
            and other.system is self.system

    def __hash__(self):
        return hash(self.koid)

    def __repr__(self):
        try:
            return "<Process %r koid %d %s>" % (self.name, self.koid, self.end)
        except CapsimError:
            return "<Process koid %d>" % self.koid


class Handle:
    """A handle the host holds. `value` is its value in the host's table;
    `koid`, `type` ('channel', 'vmo'...) and `rights` describe it."""

    def __init__(self, system, value):
        self.system = system
        self.value = int(value)
        info = ffi.new("CapsimHandleInfo *")
        check(system._ptr(), lib().capsim_host_handle_info(system._ptr(), self.value, info))
        self.koid = int(info.koid)
        self.type = zx.type_name(info.type)
        self.rights = int(info.rights)
        self.spent = None  # why it can no longer be used (moved, closed)

    @property
    def rights_str(self):
        return zx.rights_str(self.rights)

    def _use(self):
        if self.spent:
            fail("ZX_ERR_BAD_HANDLE", "handle %#x (%s koid %d) was %s"
                 % (self.value, self.type, self.koid, self.spent))
        return self.system._ptr()

    def _out(self, fn, *args):
        out = ffi.new("uint32_t *")
        sysptr = self._use()
        check(sysptr, fn(sysptr, self.value, *args, out))
        return Handle(self.system, out[0])

    def duplicate(self, rights="same"):
        """Another host handle to the same object, with `rights` (a subset)."""
        return self._out(lib().capsim_host_duplicate, zx.rights(rights))

    def replace(self, rights):
        """This handle replaced by one with fewer rights (this one is spent)."""
        h = self._out(lib().capsim_host_replace, zx.rights(rights))
        self.spent = "replaced by %#x" % h.value
        return h

    def close(self):
        sysptr = self._use()
        check(sysptr, lib().capsim_host_close(sysptr, self.value))
        self.spent = "closed"

    def signal(self, set=0, clear=0):
        """zx_object_signal on the object: user signals to set / clear."""
        sysptr = self._use()
        check(sysptr, lib().capsim_host_signal(sysptr, self.value, clear, set))

    def write(self, data=b"", handles=()):
        """Write a message through this channel end; `handles` (host Handles)
        move with it (and are spent, even if the write fails)."""
        sysptr = self._use()
        if isinstance(data, str):
            data = data.encode()
        hs = list(handles)
        for h in hs:
            check_owner(self.system, h, "handle")
            h._use()
        values = ffi.new("uint32_t[]", [h.value for h in hs] or [0])
        try:
            check(sysptr, lib().capsim_host_write(sysptr, self.value, data, len(data),
                                                  values, len(hs)), "write")
        finally:
            for h in hs:
                h.spent = "sent through channel koid %d" % self.koid

    def read(self, max_bytes=65536, max_handles=64):
        """Read one message from this channel end: (bytes, [Handle...]).
        Raises ZX_ERR_SHOULD_WAIT when none is queued."""
        sysptr = self._use()
        buf = ffi.new("char[]", max(max_bytes, 1))
        hbuf = ffi.new("uint32_t[]", max(max_handles, 1))
        nb = ffi.new("size_t *", max_bytes)
        nh = ffi.new("size_t *", max_handles)
        check(sysptr, lib().capsim_host_read(sysptr, self.value, buf, nb, hbuf, nh), "read")
        return ffi.buffer(buf, nb[0])[:], [Handle(self.system, hbuf[i]) for i in range(nh[0])]

    def read_vmo(self, offset=0, size=None):
        """Bytes of this VMO."""
        sysptr = self._use()
        if size is None:
            raise TypeError("read_vmo: give the number of bytes to read (size=)")
        buf = ffi.new("char[]", max(size, 1))
        check(sysptr, lib().capsim_host_vmo_read(sysptr, self.value, offset, buf, size),
              "read_vmo")
        return ffi.buffer(buf, size)[:]

    def write_vmo(self, data, offset=0):
        sysptr = self._use()
        if isinstance(data, str):
            data = data.encode()
        check(sysptr, lib().capsim_host_vmo_write(sysptr, self.value, offset, data, len(data)),
              "write_vmo")

    def set_policy(self, policy, absolute=False):
        """Job policy: {'NEW_PROCESS': 'DENY', ...} or [(condition, action)...],
        names as in ZX_POL_NEW_PROCESS / ZX_POL_ACTION_DENY. The job must
        have no children yet."""
        sysptr = self._use()
        entries = policy_entries(policy)
        arr = ffi.new("CapsimPolicy[]", entries)
        opts = zx.CONSTANTS["ZX_JOB_POL_ABSOLUTE" if absolute else "ZX_JOB_POL_RELATIVE"]
        check(sysptr, lib().capsim_host_job_set_policy(sysptr, self.value, opts, arr,
                                                       len(entries)), "set_policy")

    def __repr__(self):
        state = " (%s)" % self.spent if self.spent else ""
        return "<Handle %#x: %s koid %d [%s]%s>" % (self.value, self.type, self.koid,
                                                     self.rights_str, state)


def _pol(name, prefix):
    if isinstance(name, int):
        return name
    key = name.upper()
    for k in (key, prefix + key):
        if k in zx.CONSTANTS:
            return zx.CONSTANTS[k]
    raise ValueError("unknown policy name %r (e.g. %sNEW_PROCESS)" % (name, prefix))


def policy_entries(policy):
    """[(condition, action, flags)...] from a dict or a list of pairs."""
    items = policy.items() if isinstance(policy, dict) else policy
    out = []
    for item in items:
        cond, action = item[0], item[1]
        flags = item[2] if len(item) > 2 else 0
        out.append((_pol(cond, "ZX_POL_"), _pol(action, "ZX_POL_ACTION_"),
                    _pol(flags, "ZX_POL_OVERRIDE_")))
    if not out:
        raise ValueError("a job policy needs at least one entry")
    return out
