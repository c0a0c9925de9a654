"""capsim.system — one simulated machine: a Zircon-like kernel on a
deterministic engine, driven from Python.

    s = capsim.System(seed=1, cpus=2)
    a, b = s.channel()
    server = s.spawn("secret_server", handles=[a], name="server")
    client = s.spawn("vmo_client", args=["x"], handles=[b], name="client")
    s.run()
    client.return_code, client.output, s.trace_hash

The machine starts with nothing but the root job. Apps (shared objects, see
docs/sdk.md) are spawned each in a job of its own (or in a job the script
made) with the standard startup handles, plus the handles the script hands
them: the n-th entry of `handles` is found by the app as the startup handle
PA_HND(PA_USER0, n). Those handles move; the script keeps nothing of them.

Only one system runs at a time in a process (apps share libc's globals);
several may exist. The C library does the work; every failure is a
CapsimError naming the Zircon status and the problem.
"""
import json
import os
import re
from collections import namedtuple

from . import _paths, _text, zx
from ._ffi import ffi, lib, string, take_string
from .errors import CapsimError, check, fail
from .graph import Graph
from .objects import Handle, HandleInfo, Process, check_owner, policy_entries
from .trace import Event, Unresolved, kind_number, read_records

_STRATEGIES = {"fifo": 0, "random": 1, "pct": 2, "replay": 3}
_RESULTS = {0: "quiescent", 1: "deadlock", 2: "time_limit", 3: "stopped", 4: "stepped",
            5: "matched", 6: "record_limit", -1: "error"}
_FAULTS = ("skip_rights_subset", "skip_owner_check", "no_handle_generation",
           "accept_dotdot", "skip_type_check")
_ENGINE_COSTS = ("kernel_entry", "context_switch", "wakeup", "thread_start")
_KERNEL_COSTS = ("handle_op", "object_create", "per_kib_copy", "per_handle_moved",
                 "wait_setup", "process_create", "thread_create")

#: What a run, step or run-until ended with: status is 'quiescent' (nothing
#: left but idle servers), 'deadlock' (other threads still blocked),
#: 'time_limit', 'record_limit', 'stepped' or
#: 'matched' (event: the TraceRecord that matched, else None).
RunResult = namedtuple("RunResult", "status event")

# "    12500 ns  t3   alice        zx_vmo_write(...)": who made the call
_STEP_WHO = re.compile(r"^\s*-?\d+ ns  t\d+\s+(\S+)")


class Component:
    """One launch of a package by the component manager. `process` is None
    when the launch was refused (`refusal` says why)."""

    def __init__(self, system, index):
        info = ffi.new("CapsimComponentInfo *")
        check(system._ptr(), lib().capsim_component_info(system._ptr(), index, info))
        self.system = system
        self.index = index
        self.package = string(info.package)
        self.refusal = string(info.refusal) if info.refusal != ffi.NULL else None
        self.process = Process(system, info.process) if info.process else None
        self.job = int(info.job)
        self.notes = string(info.notes)
        why = ffi.new("const char **")
        self.namespace = []
        for j in range(info.ns_count):
            path = lib().capsim_component_ns(system._ptr(), index, j, why)
            self.namespace.append((string(path), string(why[0])))

    @property
    def launched(self):
        return self.process is not None

    def __repr__(self):
        if self.refusal:
            return "<Component %s refused: %s>" % (self.package, self.refusal)
        return "<Component %s: %r>" % (self.package, self.process)


_STRICT_MEMORY = {False: 0, None: 0, "off": 0, True: 1, "on": 1, "pkey": 2, "mprotect": 3}


def _strict_memory_mode(value):
    try:
        return _STRICT_MEMORY[value]
    except (KeyError, TypeError):
        fail("ZX_ERR_INVALID_ARGS", "strict_memory must be False, True, 'pkey' or 'mprotect',"
             " not %r" % (value,))


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _schedule_choices(schedule):
    """A recorded schedule as a list of choices, each 0 .. 2**32-1."""
    try:
        choices = list(schedule)
    except TypeError:
        fail("ZX_ERR_INVALID_ARGS", "schedule must be a list of recorded choices, not %r"
             % (schedule,))
    for i, c in enumerate(choices):
        if not _is_int(c) or not 0 <= c < 1 << 32:
            fail("ZX_ERR_INVALID_ARGS", "schedule entry %d is %r: recorded choices are "
                 "integers 0 .. 2**32-1" % (i, c))
    return choices


class System:
    """A simulated machine. Arguments:

    seed        the run's seed (0 .. 2**64-1)
    cpus        virtual CPUs (1..64)
    strategy    'fifo' (default), 'random', 'pct' or 'replay'
    pct_depth   PCT's bug depth d; pct_steps its expected kernel entries
    schedule    the recorded choices to replay (strategy 'replay' implied)
    sandbox     sandbox policy of the component manager: None / 'grant-all',
                or an allowlist (dict or JSON text, docs/sandbox.md)
    faults      fault switches to turn on: names or a dict (skip_rights_subset,
                skip_owner_check, no_handle_generation, accept_dotdot,
                skip_type_check)
    costs       virtual-ns costs: engine (kernel_entry, context_switch, wakeup,
                thread_start) and kernel (handle_op, object_create, ...)
    record      watch with viz's recorder: decoded syscalls, diffs with causes
    keep_trace  keep trace records (System.trace); on when recording
    trace_path  also write the trace as JSON lines there (close_trace()
                finishes it and says if writing failed)
    budget_ms   host-time guard per dispatch (0 = off): stops app code that
                loops without a syscall
    time_limit_ns  virtual time no run goes past (None or 0: none), as
                `capsim run --time-limit`: run(), run(until=...), step() and
                run(until_ns=...) all stop there with status 'time_limit';
                then time_limit_reached is True, finished too, and every
                later run returns 'time_limit' at once
    record_limit  trace records kept in memory (keep_trace) a run may hold
                (None or 0: none): once it holds that many, the run stops at
                the end of that step with status 'record_limit' (its few
                records are kept too); then record_limit_reached is True,
                finished too, and every later run returns 'record_limit' at
                once. Bounds the memory of a run that never ends (~90
                bytes a record, ~220 more for the TraceRecords of trace())
    strict_memory  False (default); True: a process touching another's VMO
                mapping takes a page fault (protection keys where the host
                has them, else mprotect); or 'pkey' / 'mprotect' to choose
    debugging_syscalls  False (default); True, as Zircon's
                kernel.enable-debugging-syscalls: zx_process_write_memory
                (a debugger's write into another process) works, else it
                answers ZX_ERR_NOT_SUPPORTED
    """

    def __init__(self, seed=1, cpus=1, strategy="fifo", pct_depth=3, pct_steps=0,
                 schedule=None, sandbox=None, faults=(), costs=None, record=True,
                 keep_trace=True, trace_path=None, budget_ms=10000,
                 output_limit=1 << 20, strict_memory=False, debugging_syscalls=False,
                 time_limit_ns=None, record_limit=None):
        self._sys = None
        self._cm_started = False
        self._sandbox = _sandbox_json(sandbox)
        cfg = self._config(seed, cpus, strategy, pct_depth, pct_steps, schedule,
                           keep_trace or record, trace_path, budget_ms, output_limit, costs)
        cfg.strict_memory = _strict_memory_mode(strict_memory)
        if not isinstance(debugging_syscalls, bool):
            fail("ZX_ERR_INVALID_ARGS", "debugging_syscalls must be True or False, not %r"
                 % (debugging_syscalls,))
        cfg.debugging_syscalls = int(debugging_syscalls)
        cfg.time_limit_ns = _limit(time_limit_ns, "time_limit_ns", 63, "virtual ns")
        cfg.record_limit = _limit(record_limit, "record_limit", 64, "trace records kept")
        ptr = lib().capsim_system_new(cfg)
        if ptr == ffi.NULL:
            fail("ZX_ERR_INVALID_ARGS", string(lib().capsim_last_error(ffi.NULL)))
        self._sys = ptr
        self.seed, self.cpus = seed, cpus
        self.time_limit_ns = cfg.time_limit_ns or None
        self.record_limit = cfg.record_limit or None
        self.debugging_syscalls = debugging_syscalls
        self.strategy = "replay" if schedule is not None else strategy
        if record:
            check(ptr, lib().capsim_record(ptr), "record")
        self.faults = faults
        if costs:
            self._set_kernel_costs(costs)

    @property
    def strict_memory(self):
        """The strict memory mechanism in use: 'off', 'pkey' or 'mprotect'."""
        return string(lib().capsim_strict_memory(self._ptr()))

    # ---- configuration -------------------------------------------------------
    def _config(self, seed, cpus, strategy, pct_depth, pct_steps, schedule, keep, trace_path,
                budget_ms, output_limit, costs):
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 1 << 64:
            fail("ZX_ERR_INVALID_ARGS", "seed must be an integer in 0 .. 2**64-1, not %r"
                 % (seed,))
        if not isinstance(cpus, int) or not 1 <= cpus <= 64:
            fail("ZX_ERR_INVALID_ARGS", "cpus must be 1..64, not %r" % (cpus,))
        if schedule is not None:
            strategy = "replay"
        if strategy not in _STRATEGIES:
            fail("ZX_ERR_INVALID_ARGS", "unknown strategy %r (fifo, random, pct, replay)"
                 % (strategy,))
        if budget_ms < 0:
            fail("ZX_ERR_INVALID_ARGS", "budget_ms must be >= 0")
        if not _is_int(pct_depth) or not 1 <= pct_depth < 1 << 31:
            fail("ZX_ERR_INVALID_ARGS", "pct_depth (PCT's bug depth d) must be an integer "
                 ">= 1, not %r" % (pct_depth,))
        if not _is_int(pct_steps) or not 0 <= pct_steps < 1 << 64:
            fail("ZX_ERR_INVALID_ARGS", "pct_steps (PCT's expected kernel entries) must be "
                 "an integer >= 0, not %r" % (pct_steps,))
        schedule = None if schedule is None else _schedule_choices(schedule)
        cfg = ffi.new("CapsimConfig *")
        lib().capsim_config_default(cfg)
        cfg.seed, cfg.cpus, cfg.strategy = seed, cpus, _STRATEGIES[strategy]
        cfg.pct_depth, cfg.pct_steps = pct_depth, pct_steps
        cfg.keep_trace = 1 if keep else 0
        cfg.budget_ns = int(budget_ms) * 1000000
        cfg.output_limit = output_limit
        if trace_path:
            self._trace_path = ffi.new("char[]", _text.encode_path(trace_path, "System: trace_path"))
            cfg.trace_path = self._trace_path
        if schedule is not None:
            self._replay = ffi.new("uint32_t[]", schedule or [0])
            cfg.replay, cfg.replay_len = self._replay, len(schedule)
        for name in _ENGINE_COSTS:
            value = (costs or {}).get(name, 0)
            if value < 0:
                fail("ZX_ERR_INVALID_ARGS", "cost %s must be >= 0 ns" % name)
            setattr(cfg, "cost_" + name, value)
        unknown = set(costs or {}) - set(_ENGINE_COSTS) - set(_KERNEL_COSTS)
        if unknown:
            fail("ZX_ERR_INVALID_ARGS", "unknown costs %s (engine: %s; kernel: %s)"
                 % (", ".join(sorted(unknown)), ", ".join(_ENGINE_COSTS),
                    ", ".join(_KERNEL_COSTS)))
        return cfg

    def _set_kernel_costs(self, costs):
        c = ffi.new("CapsimCosts *")
        lib().capsim_get_costs(self._ptr(), c)
        for name in _KERNEL_COSTS:
            if name in costs:
                setattr(c, name, costs[name])
        check(self._ptr(), lib().capsim_set_costs(self._ptr(), c), "costs")

    @property
    def costs(self):
        """The kernel's cost model (virtual ns per operation), as a dict."""
        c = ffi.new("CapsimCosts *")
        lib().capsim_get_costs(self._ptr(), c)
        return {name: int(getattr(c, name)) for name in _KERNEL_COSTS}

    @property
    def faults(self):
        """The fault switches that are on (a set of names)."""
        f = ffi.new("CapsimFaults *")
        lib().capsim_get_faults(self._ptr(), f)
        return {name for name in _FAULTS if getattr(f, name)}

    @faults.setter
    def faults(self, names):
        if isinstance(names, str):
            names = [names]
        if isinstance(names, dict):
            names = [k for k, v in names.items() if v]
        f = ffi.new("CapsimFaults *")
        for name in names:
            if name not in _FAULTS:
                fail("ZX_ERR_INVALID_ARGS", "unknown fault switch %r (%s)"
                     % (name, ", ".join(_FAULTS)))
            setattr(f, name, 1)
        lib().capsim_set_faults(self._ptr(), f)

    # ---- lifetime ------------------------------------------------------------------
    def _ptr(self):
        if self._sys is None:
            fail("ZX_ERR_BAD_STATE", "this system is closed")
        return self._sys

    def _ptr_or_null(self):
        return self._sys if self._sys is not None else ffi.NULL

    def close(self):
        """Free the machine (processes, trace...). Graphs taken stay valid."""
        if self._sys is not None:
            lib().capsim_system_free(self._sys)
            self._sys = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _error(self):
        return string(lib().capsim_last_error(self._ptr()))

    # ---- host objects ------------------------------------------------------------
    def _make(self, fn, *args, pair=False):
        a = ffi.new("uint32_t *")
        if pair:
            b = ffi.new("uint32_t *")
            check(self._ptr(), fn(self._ptr(), *args, a, b))
            return Handle(self, a[0]), Handle(self, b[0])
        check(self._ptr(), fn(self._ptr(), *args, a))
        return Handle(self, a[0])

    def channel(self):
        """A channel: (end0, end1), both held by the host."""
        return self._make(lib().capsim_host_channel, pair=True)

    def event(self):
        return self._make(lib().capsim_host_event)

    def eventpair(self):
        return self._make(lib().capsim_host_eventpair, pair=True)

    def socket(self, datagram=False):
        return self._make(lib().capsim_host_socket,
                          zx.CONSTANTS["ZX_SOCKET_DATAGRAM"] if datagram else 0, pair=True)

    def vmo(self, data=b"", size=0, name=None):
        """A VMO holding `data` (str or bytes), of `size` bytes (0: fit it)."""
        if isinstance(data, str):
            data = data.encode()
        return self._make(lib().capsim_host_vmo, size, data, len(data),
                          _text.encode(name, "vmo: name", optional=True))

    def job(self, name=None, parent=None, policy=None):
        """A job under `parent` (a job Handle; None = the root job), with an
        optional policy ({'NEW_PROCESS': 'DENY'} ...)."""
        h = self._make(lib().capsim_host_job, parent.value if parent else 0,
                       _text.encode(name, "job: name", optional=True))
        if policy:
            h.set_policy(policy)
        return h

    def host_handles(self):
        """What the host holds now (HandleInfo records)."""
        n = lib().capsim_host_handles(self._ptr(), ffi.NULL, 0)
        arr = ffi.new("CapsimHandleInfo[]", max(n, 1))
        n = lib().capsim_host_handles(self._ptr(), arr, n)
        return [HandleInfo(int(arr[i].value), zx.type_name(arr[i].type), int(arr[i].rights),
                           int(arr[i].koid)) for i in range(n)]

    # ---- spawning -------------------------------------------------------------------
    def spawn(self, app, args=(), name=None, handles=(), job=None, standard=True,
              job_rights=None, env=None, server=False):
        """Start an app (a .so path, or a name found in the app folders) in a
        new job under the root job, or in `job` (a host job Handle). `args`
        follow argv[0] (the name). handles[n] — a Handle, or (Handle, rights),
        or (Handle, rights, PA_HND word) — becomes startup handle
        PA_HND(PA_USER0, n), moved out of the host. server=True: it serves
        requests, so a run ending with it waiting for one is 'quiescent'
        (it is idle), not 'deadlock'. Returns the Process."""
        path = _paths.find_app(app)
        if name is not None:
            _text.name(name, "spawn: name")
        entries = []
        for n, item in enumerate(handles):
            h, rights, info = item, "same", zx.PA_HND(zx.CONSTANTS["PA_USER0"], n)
            if isinstance(item, (tuple, list)):
                h, rights = item[0], item[1]
                if len(item) > 2:
                    info = item[2]
            if not isinstance(h, Handle):
                fail("ZX_ERR_INVALID_ARGS", "handles[%d] is %r, not a host Handle" % (n, h))
            check_owner(self, h, "handles[%d]" % n)
            h._use()
            entries.append((h, zx.rights(rights), info))
        if job is not None and not isinstance(job, Handle):
            fail("ZX_ERR_INVALID_ARGS", "job must be a host job Handle (System.job())")
        if job is not None:
            check_owner(self, job, "job")
        pname = name or os.path.basename(path).rsplit(".so", 1)[0]
        keep = [ffi.new("char[]", a.encode()) for a in [pname] + [str(a) for a in args]]
        envs = [ffi.new("char[]", ("%s=%s" % kv).encode()) for kv in sorted((env or {}).items())]
        spec = ffi.new("CapsimSpawn *")
        cpath, cname = ffi.new("char[]", os.fsencode(path)), ffi.new("char[]", pname.encode())
        spec.path, spec.name = cpath, cname
        argv = ffi.new("const char *[]", keep)
        spec.argc, spec.argv = len(keep), argv
        envp = ffi.new("const char *[]", envs + [ffi.NULL])
        spec.envp = envp
        spec.job = job.value if job is not None else 0
        spec.standard = 1 if standard else 0
        spec.job_rights = zx.rights(job_rights) if job_rights is not None else 0
        hs = ffi.new("CapsimStartHandle[]", [(h.value, info, r) for h, r, info in entries] or 1)
        spec.handles, spec.nhandles = hs, len(entries)
        spec.server = 1 if server else 0
        koid = lib().capsim_host_spawn(self._ptr(), spec)
        if koid == 0:
            _raise_last(self)
        for h, _, _ in entries:
            h.spent = "moved to process %r (koid %d)" % (pname, koid)
        return Process(self, koid)

    def app(self, name):
        """The path of an app found in the app folders (CAPSIM_APPS, the
        installed share/capsim/apps)."""
        return _paths.find_app(name)

    # ---- components --------------------------------------------------------------------
    def _components(self):
        if not self._cm_started:
            pol = self._sandbox
            check(self._ptr(), lib().capsim_components_start(
                self._ptr(), pol.encode() if pol else ffi.NULL,
                b"allowlist.json", 0, ffi.NULL, 0), "components")
            self._cm_started = True
        return self._ptr()

    def start_components(self, job_policy=None, bare=False):
        """Boot the component system now (memfs, pkgfs, devmgr, appmgr, the
        root environment with its services), optionally with a job policy
        for every component's job. Done on first use otherwise."""
        if self._cm_started:
            fail("ZX_ERR_ALREADY_EXISTS", "the component system is already started")
        entries = policy_entries(job_policy) if job_policy else []
        arr = ffi.new("CapsimPolicy[]", entries or 1)
        pol = self._sandbox
        check(self._ptr(), lib().capsim_components_start(
            self._ptr(), pol.encode() if pol else ffi.NULL, b"allowlist.json",
            1 if bare else 0, arr, len(entries)), "components")
        self._cm_started = True

    def add_package(self, archive):
        """Install a package archive (.far path or name in the package
        folders); returns its installed name."""
        path = _paths.find_package(archive)
        name = ffi.new("char[]", 256)
        sysptr = self._components()
        check(sysptr, lib().capsim_component_add_package(sysptr, os.fsencode(path), name, 256),
              "add_package")
        return string(name)

    def put_data(self, path, data):
        """Put a file in /data (e.g. something to leak)."""
        if isinstance(data, str):
            data = data.encode()
        cpath = _text.encode(path, "put_data: path")
        sysptr = self._components()
        check(sysptr, lib().capsim_component_data_put(sysptr, cpath, data, len(data)),
              "put_data")

    def environment(self, name, parent=0, inherit=True):
        """A nested environment (returns its number; the root is 0)."""
        cname = _text.encode(name, "environment: name")
        sysptr = self._components()
        i = lib().capsim_component_env(sysptr, parent, cname, 1 if inherit else 0)
        if i < 0:
            _raise_last(self)
        return int(i)

    def launch(self, package, args=(), env=0):
        """Launch an installed package as a component in environment `env`.
        Returns a Component; a refused launch is a Component with .refusal."""
        _text.name(package, "launch: package")
        sysptr = self._components()
        keep = [ffi.new("char[]", a.encode()) for a in [package] + [str(a) for a in args]]
        argv = ffi.new("const char *[]", keep)
        i = lib().capsim_component_launch(sysptr, env, package.encode(), len(keep), argv)
        if i < 0:
            _raise_last(self)
        return Component(self, int(i))

    def components(self):
        return [Component(self, i) for i in range(lib().capsim_component_count(self._ptr()))]

    def plan(self, package, env=0):
        """The namespace launching `package` would give: [(path, why)...];
        raises ZX_ERR_ACCESS_DENIED with the reason if it would be refused."""
        cpackage = _text.encode(package, "plan: package")
        sysptr = self._components()
        text = take_string(lib().capsim_component_plan(sysptr, env, cpackage))
        if text is None:
            _raise_last(self)
        return [tuple(line.split(" ", 1)) for line in text.splitlines() if line]

    # ---- running ------------------------------------------------------------------------
    def _result(self, code, event=None):
        return RunResult(_RESULTS.get(code, str(code)), event)

    def _stopped_by_limit(self):
        """The result code of the limit this system stopped at (every later
        run stops there at once), or None."""
        if self.time_limit_reached:
            return 2
        if self.record_limit_reached:
            return 6
        if lib().capsim_finished(self._ptr()):
            fail("ZX_ERR_BAD_STATE", "nothing to run: the system is finished (%s); spawn "
                 "or signal something first" % self.result)
        return None

    def run(self, until=None, until_ns=None, max_steps=0):
        """Run until nothing can run (then status 'quiescent' or 'deadlock'),
        or until virtual time `until_ns`, or until the event `until` (an
        Event such as Syscall/GraphChange/Kill, or a callable on
        TraceRecords) happens: status 'matched', .event the record.
        At the system's time_limit_ns every run stops: status 'time_limit';
        at its record_limit: status 'record_limit'."""
        limited = self._stopped_by_limit()
        if limited is not None:
            return self._result(limited)
        sysptr = self._ptr()
        if until is None and until_ns is None:
            return self._result(lib().capsim_run(sysptr))
        if until is None:
            if until_ns < lib().capsim_system_now(sysptr):
                fail("ZX_ERR_INVALID_ARGS", "until_ns %d is in the past (now %d ns)"
                     % (until_ns, lib().capsim_system_now(sysptr)))
            return self._result(lib().capsim_run_until(sysptr, until_ns))
        if until_ns is not None:
            fail("ZX_ERR_INVALID_ARGS", "give until or until_ns, not both")
        if isinstance(until, Event):
            return self._run_event(until, max_steps)
        if callable(until):
            return self._run_callable(until, max_steps)
        fail("ZX_ERR_INVALID_ARGS", "until must be an Event (capsim.Syscall...) or a callable")

    def _run_event(self, event, max_steps):
        try:
            spec = event.spec(self)
        except Unresolved:
            return self._run_callable(lambda rec: event.matches(self, rec), max_steps)
        index = ffi.new("size_t *")
        code = lib().capsim_run_until_event(self._ptr(), spec, max_steps, index)
        if code == -1:
            _raise_last(self)
        if code == 5:
            return self._result(5, read_records(self, index[0], index[0] + 1)[0])
        return self._result(code)

    def _run_callable(self, pred, max_steps):
        sysptr = self._ptr()
        # Records left over from the step of an earlier match come first.
        seen = lib().capsim_trace_count(sysptr)
        if getattr(self, "_py_mark", None) == seen:
            seen = self._py_from
        steps = 0
        while True:
            for rec in read_records(self, seen):
                seen += 1
                if pred(rec):
                    self._py_from, self._py_mark = seen, lib().capsim_trace_count(sysptr)
                    return self._result(5, rec)
            if steps and (code != 4 or (max_steps and steps >= max_steps)):
                return self._result(code)
            code = lib().capsim_step(sysptr)
            steps += 1

    def step(self):
        """Process one engine event ('time_limit', 'record_limit' at the
        system's limits)."""
        limited = self._stopped_by_limit()
        if limited is not None:
            return self._result(limited)
        return self._result(lib().capsim_step(self._ptr()))

    @property
    def result(self):
        """Status of the last run or step."""
        return _RESULTS.get(lib().capsim_last_result(self._ptr()))

    @property
    def finished(self):
        """Nothing is left to run, or the run reached time_limit_ns or
        record_limit."""
        return bool(lib().capsim_finished(self._ptr()))

    @property
    def time_limit_reached(self):
        """Whether a run stopped at time_limit_ns with threads still to run."""
        return bool(lib().capsim_time_limit_reached(self._ptr()))

    @property
    def record_limit_reached(self):
        """Whether a run stopped at record_limit with threads still to run."""
        return bool(lib().capsim_record_limit_reached(self._ptr()))

    @property
    def now(self):
        """Virtual time, ns."""
        return int(lib().capsim_system_now(self._ptr()))

    def blocked(self):
        """Threads still blocked, one line each ('' if none); server threads
        (directory servers, drivers, services) are marked '(server)'."""
        return take_string(lib().capsim_blocked_text(self._ptr()))

    @property
    def summary(self):
        """The end in one line: 'quiescent', 'quiescent: 12 server threads
        idle', 'deadlock: 1 thread blocked, 12 server threads idle', or
        'running' while something is left to do."""
        buf = ffi.new("char[]", 256)
        lib().capsim_end_summary(self._ptr(), buf, 256)
        return string(buf)

    @property
    def idle_servers(self):
        """Server threads blocked waiting for requests (idle, not deadlocked)."""
        return int(lib().capsim_idle_servers(self._ptr()))

    # ---- looking -------------------------------------------------------------------------
    def processes(self):
        """Every process seen to run (dead ones too), koid order."""
        sysptr = self._ptr()
        return [Process(self, lib().capsim_process_koid(sysptr, i))
                for i in range(lib().capsim_process_count(sysptr))]

    def process(self, which):
        """A process by name (the lowest-koid one so named), koid or Process.
        One this system has not seen run raises CapsimLookupError (a
        LookupError) naming it and the known ones: every call that takes
        a process (trace, steps...) finds it here."""
        if isinstance(which, Process):
            check_owner(self, which, "process")
            which = which.koid
        elif not _is_int(which):
            _text.name(which, "a process", "named by a str, a koid or a Process")
        known = self.processes()
        for p in known:
            if p.koid == which or p.name == which:
                return p
        fail("ZX_ERR_NOT_FOUND", "no process %r in this system (%s)" % (
            which, "known: " + ", ".join("%s (koid %d)" % (p.name, p.koid) for p in known)
            if known else "no process has run yet"))

    def object(self, koid):
        """What a live object is: dict of type, name, parent, handle_count, signals."""
        if not _is_int(koid) or not 0 <= koid < 1 << 64:
            fail("ZX_ERR_INVALID_ARGS", "object(koid): a koid is an integer 0 .. 2**64-1, "
                 "not %r" % (koid,))
        info = ffi.new("CapsimObjectInfo *")
        check(self._ptr(), lib().capsim_object_info(self._ptr(), koid, info))
        return {"koid": int(info.koid), "type": string(info.type_name),
                "name": string(info.name), "parent": int(info.parent),
                "handle_count": int(info.handle_count), "signals": int(info.signals)}

    def jobs(self):
        """Live jobs (graph nodes)."""
        return self.snapshot().jobs()

    def threads(self):
        """Live threads (graph nodes)."""
        return self.snapshot().threads()

    def snapshot(self):
        """The capability graph now (a Graph)."""
        ptr = lib().capsim_graph_snapshot(self._ptr())
        if ptr == ffi.NULL:
            _raise_last(self)
        return Graph(self, ptr)

    def trace(self, kind=None, process=None, decode=False):
        """The kept trace as TraceRecords, optionally only records of `kind`
        (name) or of `process` (a Process, koid or name). decode=True adds
        the decoded call of each kernel_enter record as .text (needs
        record=True)."""
        if kind is not None:
            kind_number(self._ptr(), kind)  # an unknown kind is an error, not []
        koid = None if process is None else self.process(process).koid
        recs = read_records(self)
        if kind is not None:
            recs = [r for r in recs if r.kind == kind]
        if koid is not None:
            recs = [r for r in recs if r.process == koid]
        if decode:
            recs = [r._replace(text=string(lib().capsim_trace_call(self._ptr(), r.seq)) or r.text)
                    if r.kind == "kernel_enter" else r for r in recs]
        return recs

    def steps(self, process=None):
        """The step listing of the run so far (docs/graphs.md, "capsim
        trace"): each syscall when it returns, with its decoded arguments,
        result and the capability-graph changes it made, objects named.
        process (a name, koid or Process; an unknown one raises
        CapsimLookupError) keeps only its calls."""
        name = None if process is None else self.process(process).name
        text = take_string(lib().capsim_trace_steps(self._ptr()))
        if text is None:
            fail("ZX_ERR_BAD_STATE", "no step listing: this system does not record "
                 "(System(record=False))")
        if process is None:
            return text
        entries, keep = [], False
        for line in text.splitlines(keepends=True):
            if not line.startswith(" " * 36):    # an entry's first line
                m = _STEP_WHO.match(line)
                keep = bool(m) and m.group(1) == name
            if keep:
                entries.append(line)
        return "".join(entries)

    @property
    def trace_hash(self):
        """The 128-bit hash of the whole trace so far (32 hex digits)."""
        buf = ffi.new("char[]", 33)
        lib().capsim_trace_hash(self._ptr(), buf)
        return string(buf)

    def close_trace(self):
        """Finish the trace_path file now (the run can go on without it);
        OSError naming the file if a write to it failed (a full disk). A
        System closed without it drops such an error."""
        if lib().capsim_trace_close(self._ptr()) != 0:
            raise OSError(self._error())

    @property
    def trace_records(self):
        return int(lib().capsim_trace_records(self._ptr()))

    @property
    def schedule(self):
        """Every scheduling choice made so far (replay it with schedule=)."""
        n = lib().capsim_schedule(self._ptr(), ffi.NULL, 0)
        arr = ffi.new("uint32_t[]", max(n, 1))
        lib().capsim_schedule(self._ptr(), arr, n)
        return [int(arr[i]) for i in range(n)]

    @property
    def preemptions(self):
        return int(lib().capsim_preemptions(self._ptr()))

    @property
    def syscalls(self):
        return int(lib().capsim_syscall_count(self._ptr()))

    def report(self):
        """The run's JSON report (as capsim run --report writes it) as a dict."""
        return json.loads(take_string(lib().capsim_report_json(self._ptr())))

    def __repr__(self):
        if self._sys is None:
            return "<System (closed)>"
        return "<System seed %d, %d CPU(s), %s: %d ns, %d processes>" % (
            self.seed, self.cpus, self.strategy, self.now, len(self.processes()))


def loaded_app_copies():
    """Private copies of apps loaded in this interpreter now, every System
    together (one per process running an app's code). A closed or
    garbage-collected System leaves none behind, even of processes still
    running when it went."""
    return int(lib().capsim_loaded_app_copies())


def _limit(value, name, bits, unit):
    """A limit as the C side takes it (0 for none), else CapsimError."""
    if value is None:
        return 0
    if not _is_int(value) or not 0 <= value < 1 << bits:
        fail("ZX_ERR_INVALID_ARGS", "%s must be an integer 0 .. 2**%d-1 (%s; 0 or None: "
             "none), not %r" % (name, bits, unit, value))
    return value


def _sandbox_json(sandbox):
    if sandbox is None or sandbox == "grant-all":
        return None
    if isinstance(sandbox, dict):
        return json.dumps(sandbox, sort_keys=True)
    if isinstance(sandbox, str):
        return sandbox
    fail("ZX_ERR_INVALID_ARGS", "sandbox is None, 'grant-all' or an allowlist (dict or JSON)")


def _raise_last(system):
    """Raise the C side's last failure: its status and message."""
    message = system._error()
    status = int(lib().capsim_last_status(system._ptr()))
    if status >= 0:
        status = zx.CONSTANTS["ZX_ERR_INTERNAL"]
    from .errors import raise_status
    raise_status(status, message or "failed")
