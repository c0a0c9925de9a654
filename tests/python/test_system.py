"""The System API: configuration, spawning with handles, running, looking,
errors. Apps: scenarios/apps (the scenario actors) and tests/apps."""
import struct

import pytest

import capsim
from capsim import zx


def test_run_an_app_and_read_its_output(system, test_app):
    p = system.spawn(test_app("app_counter"), args=["3"], name="counter")
    assert p.alive and p.return_code is None
    r = system.run()
    assert r.status == "quiescent" and r.event is None
    assert p.name == "counter"
    assert p.end == "exited" and p.return_code == 3
    assert "counter=3" in p.output and p.stdout == p.output and p.stderr == ""
    assert system.now > 0 and len(system.trace_hash) == 32
    assert [q.koid for q in system.processes()] == [p.koid]


def test_same_seed_same_hash_other_seed_other_hash(test_app):
    hashes = []
    for seed in (5, 5, 6):
        with capsim.System(seed=seed, cpus=2) as s:
            s.spawn("secret_server")
            s.spawn(test_app("app_counter"), args=["2"])
            s.run()
            hashes.append(s.trace_hash)
    assert hashes[0] == hashes[1] != hashes[2]


def test_wired_handles_arrive_as_pa_user0_n():
    with capsim.System(seed=1) as s:
        a, b = s.channel()
        assert a.type == "channel" and a.koid != b.koid
        server = s.spawn("secret_server", handles=[a], name="server")
        client = s.spawn("vmo_client", handles=[(b, "TRANSFER|READ|WRITE|WAIT")],
                         name="client")
        assert "moved" in a.spent and "moved" in b.spent
        s.run()
        assert client.return_code == 0 and "read the secret: hunter2" in client.output
        assert server.return_code == 1          # the vulnerable server lost its secret
        assert s.host_handles() == []


def test_handles_of_a_live_process(system):
    a, b = system.channel()
    server = system.spawn("secret_server", handles=[a])
    r = system.run()
    assert r.status == "deadlock" and "blocked" in system.blocked()
    held = server.handles()
    types = sorted(h.type for h in held)
    assert "channel" in types and "vmo" in types and "process" in types
    vmo = [h for h in held if h.type == "vmo"][0]
    assert vmo.rights & zx.ZX_RIGHT_WRITE and vmo.value & 3 == 3
    with pytest.raises(capsim.CapsimError) as e:
        system.run()
    assert e.value.status_name == "ZX_ERR_BAD_STATE"
    # Writing to the server's channel wakes it: the run can go on.
    b.write(b"GET")
    assert system.run().status == "deadlock"
    data, handles = b.read()
    assert data == b"here" and handles[0].type == "vmo"
    assert handles[0].rights == vmo.rights
    assert handles[0].read_vmo(0, 7) == b"hunter2"


def test_a_process_spawned_as_server_idles_at_the_end(system):
    a, b = system.channel()
    c, d = system.channel()
    server = system.spawn("secret_server", handles=[a], server=True)
    r = system.run()
    assert r.status == "quiescent" and system.summary == "quiescent: 1 server thread idle"
    assert "(server) blocked since" in system.blocked() and server.alive
    # An application process left waiting beside it is still a deadlock.
    system.spawn("secret_server", handles=[c], name="waiter")
    assert system.run().status == "deadlock"
    assert system.summary == "deadlock: 1 thread blocked, 1 server thread idle"
    assert system.idle_servers == 1


def test_host_objects_rights_and_moves(system):
    v = system.vmo(b"abc", name="blob")
    assert v.read_vmo(0, 3) == b"abc"
    v.write_vmo(b"xy", offset=1)
    assert v.read_vmo(0, 3) == b"axy"
    ro = v.duplicate("READ|TRANSFER|DUPLICATE")
    assert ro.rights_str == "DUPLICATE|TRANSFER|READ"
    with pytest.raises(capsim.CapsimError) as e:
        ro.write_vmo(b"z")
    assert e.value.status_name == "ZX_ERR_ACCESS_DENIED"
    with pytest.raises(capsim.CapsimValueError) as e:
        ro.duplicate("WRITE")
    assert e.value.status_name == "ZX_ERR_INVALID_ARGS"
    assert "rights WRITE are not a subset of the handle's DUPLICATE|TRANSFER|READ" in e.value.message
    c0, _ = system.channel()
    with pytest.raises(capsim.CapsimError) as e:
        c0.duplicate()
    assert e.value.status_name == "ZX_ERR_ACCESS_DENIED"
    ev = system.event()
    ev.signal(set=zx.ZX_USER_SIGNAL_0)
    assert system.object(ev.koid)["signals"] & zx.ZX_USER_SIGNAL_0
    with pytest.raises(capsim.CapsimError):
        ev.signal(set=zx.ZX_CHANNEL_READABLE)
    ev.close()
    with pytest.raises(capsim.CapsimError) as e:
        ev.close()
    assert e.value.status_name == "ZX_ERR_BAD_HANDLE" and "closed" in str(e.value)
    smaller = v.replace("READ|TRANSFER")
    assert v.spent and smaller.rights_str == "TRANSFER|READ"


def test_a_moved_handle_cannot_be_given_twice(system):
    a, _ = system.channel()
    system.spawn("vmo_client", handles=[a])
    with pytest.raises(capsim.CapsimError) as e:
        system.spawn("vmo_client", handles=[a])
    assert e.value.status_name == "ZX_ERR_BAD_HANDLE" and "moved to process" in str(e.value)


def test_failed_spawn_moves_nothing(system, tmp_path):
    a, _ = system.channel()
    bad = tmp_path / "notanapp.so"
    bad.write_bytes(b"this is not ELF")
    with pytest.raises(capsim.CapsimError) as e:
        system.spawn(str(bad), handles=[a])
    assert str(bad) in str(e.value)
    assert not a.spent and [h.koid for h in system.host_handles()].count(a.koid) == 1
    with pytest.raises(capsim.CapsimError):
        system.spawn("vmo_client", handles=[(a, "WRITE|MANAGE_JOB")])
    assert not a.spent


def test_misuse_raises_and_never_crashes(tmp_path):
    with pytest.raises(capsim.CapsimValueError):
        capsim.System(seed=-1)
    with pytest.raises(capsim.CapsimValueError):
        capsim.System(seed="one")
    with pytest.raises(capsim.CapsimValueError):
        capsim.System(cpus=0)
    with pytest.raises(capsim.CapsimValueError):
        capsim.System(strategy="sometimes")
    with pytest.raises(capsim.CapsimValueError):
        capsim.System(faults=["skip_everything"])
    with pytest.raises(capsim.CapsimValueError):
        capsim.System(costs={"teleport": 1})
    for bad in ({"strategy": "pct", "pct_depth": 0}, {"strategy": "pct", "pct_steps": -4},
                {"schedule": ["x"]}, {"schedule": [-1]}, {"schedule": [1 << 32]},
                {"schedule": 7}):
        with pytest.raises(capsim.CapsimValueError) as e:   # not OverflowError, not ignored
            capsim.System(**bad)
        assert ("pct_" in str(e.value)) == ("pct_depth" in bad or "pct_steps" in bad)
    s = capsim.System()
    with pytest.raises(FileNotFoundError, match="missing.so: no such app"):
        s.spawn(str(tmp_path / "missing.so"))
    with pytest.raises(FileNotFoundError, match="a directory, not an app file"):
        s.spawn(str(tmp_path))
    with pytest.raises(capsim.CapsimError) as e:
        s.run()                                   # nothing spawned: nothing to run
    assert "nothing to run" in str(e.value)
    s.close()
    with pytest.raises(capsim.CapsimError) as e:
        s.run()
    assert e.value.status_name == "ZX_ERR_BAD_STATE" and "closed" in str(e.value)


def test_stepping_time_limits_and_events(test_app):
    with capsim.System(seed=3) as s:
        a, b = s.channel()
        s.spawn("secret_server", handles=[a], name="server")
        client = s.spawn("vmo_client", handles=[b], name="client")
        assert s.step().status == "stepped"
        r = s.run(until=capsim.Syscall("channel_write", process=client))
        assert r.status == "matched" and r.event.syscall == "channel_write"
        assert r.event.process == client.koid and r.event.status == "ZX_OK"
        r = s.run(until=capsim.GraphChange(process="client"))
        assert r.status == "matched" and r.event.kind.startswith("handle_")
        r = s.run(until=capsim.Syscall("vmo_write", status="ZX_OK"))
        assert r.event.process == client.koid
        t = s.now
        r = s.run(until_ns=t + 100)
        assert r.status in ("time_limit", "quiescent") and s.now <= t + 100
        r = s.run(until=lambda rec: rec.kind == "output" and "intact" not in rec.text
                  and "overwritten" in rec.text)
        assert r.status == "matched" and "overwritten" in r.event.text
        assert s.run().status == "quiescent"
        with pytest.raises(capsim.CapsimValueError):
            capsim.Syscall("no_such_call")


def test_kill_events_and_task_kill(system):
    apps = system.job("apps")
    victim = system.spawn("job_launcher", args=["victim"], name="victim", job=apps.duplicate())
    system.spawn("job_launcher", args=["launcher", "shared-job"], name="launcher", job=apps)
    r = system.run(until=capsim.Kill("victim"))
    assert r.status == "matched" and r.event.a == victim.koid
    assert r.event.process != victim.koid          # the untrusted child killed it
    system.run()
    assert victim.end == "killed by syscall"
    assert victim.return_code == zx.ZX_TASK_RETCODE_SYSCALL_KILL


def test_host_kill(system):
    p = system.spawn("job_launcher", args=["victim"], name="victim")
    system.run(until=capsim.Syscall("nanosleep", phase="enter"))
    p.kill()
    assert system.trace(kind="task_kill")[-1].a == p.koid
    system.run()
    assert p.end == "killed by syscall"
    with pytest.raises(capsim.CapsimError) as e:
        p.kill()
    assert e.value.status_name == "ZX_ERR_NOT_FOUND"


def test_trace_records_and_decoding(system, test_app):
    system.spawn(test_app("app_counter"), args=["1"])
    system.run()
    recs = system.trace()
    assert recs[0].seq == 0 and all(b.seq == a.seq + 1 for a, b in zip(recs, recs[1:]))
    assert {"object_create", "kernel_enter", "kernel_exit"} <= {r.kind for r in recs}
    calls = system.trace(kind="kernel_enter", decode=True)
    assert calls and all(c.text.startswith("zx_") for c in calls)
    assert system.trace_records >= len(recs)


def test_job_with_policy_and_spawning_into_it(system):
    sandbox = system.job("sandbox", policy={"NEW_PROCESS": "DENY"})
    assert sandbox.type == "job"
    p = system.spawn("job_launcher", args=["launcher", "shared-job"], job=sandbox,
                     name="launcher")
    with pytest.raises(capsim.CapsimError) as e:
        sandbox.set_policy({"NEW_CHANNEL": "DENY"})    # it has a process now
    assert e.value.status_name == "ZX_ERR_BAD_STATE"
    system.run()
    assert "start the untrusted child: ZX_ERR_ACCESS_DENIED" in p.output
    assert system.object(sandbox.koid)["name"] == "sandbox"
    with pytest.raises(ValueError):
        system.job(policy={"NEW_TELEPORT": "DENY"})


def test_faults_costs_and_schedule():
    with capsim.System(seed=2, faults=["skip_rights_subset"],
                       costs={"kernel_entry": 300, "object_create": 50}) as s:
        assert s.faults == {"skip_rights_subset"}
        assert s.costs["object_create"] == 50
        s.faults = {"accept_dotdot": True}
        assert s.faults == {"accept_dotdot"}
        assert s.schedule == [] and s.preemptions == 0      # FIFO records nothing
    with capsim.System(seed=2, strategy="random") as s:
        for n in ("alice", "bob"):
            s.spawn("bank", args=["withdrawer", 80, "direct"], name=n,
                    handles=[s.vmo(struct.pack("<q", 100))])
        s.run()
        sched, h = s.schedule, s.trace_hash
    assert sched
    with capsim.System(seed=2, schedule=sched) as s:
        for n in ("alice", "bob"):
            s.spawn("bank", args=["withdrawer", 80, "direct"], name=n,
                    handles=[s.vmo(struct.pack("<q", 100))])
        s.run()
        assert s.strategy == "replay" and s.trace_hash == h


def test_report_and_constants(system, test_app):
    system.spawn(test_app("app_counter"), args=["2"])
    system.run()
    rep = system.report()
    assert rep["trace_hash"] == system.trace_hash and rep["exit_code"] == 2
    assert zx.PA_HND(zx.PA_USER0, 1) == 0x100F0
    assert zx.ZX_OBJ_TYPE_VMO == 3 and zx.type_name(3) == "vmo"
    assert zx.rights("READ|WRITE") == zx.ZX_RIGHT_READ | zx.ZX_RIGHT_WRITE
    assert capsim.errors.status_name(-11) == "ZX_ERR_BAD_HANDLE"


def test_strict_memory_turns_a_stray_pointer_into_a_page_fault(test_app):
    hashes = {}
    for strict in (False, True, "mprotect"):
        with capsim.System(strict_memory=strict) as s:
            assert (s.strict_memory != "off") == bool(strict)
            assert strict != "mprotect" or s.strict_memory == "mprotect"
            owner = s.spawn(test_app("app_stray"), name="owner")
            s.run()
            reader = [p for p in s.processes() if p.koid != owner.koid][0]
            assert owner.return_code == 0
            if strict:
                assert reader.end == "exception" and reader.fault == "page fault"
                assert reader.return_code == zx.ZX_TASK_RETCODE_EXCEPTION_KILL
                assert "hunter2" not in reader.output
            else:
                assert reader.return_code == 0 and "read 'hunter2'" in reader.output
        with capsim.System(seed=3, cpus=2, strict_memory=strict) as s:
            s.spawn(test_app("app_counter"), args=["4"])
            s.spawn(test_app("app_counter"), args=["4"])
            s.run()
            hashes[strict] = s.trace_hash
    assert len(set(hashes.values())) == 1, "strict memory changed a fault-free run"
    with pytest.raises(capsim.CapsimError):
        capsim.System(strict_memory="sometimes")


def test_debugging_syscalls_let_a_debugger_write_another_processs_memory(test_app):
    # app_image_memory's monitor sets a flag in its victim's globals: the
    # victim then ends with 7; without debugging syscalls the write is
    # NOT_SUPPORTED and it ends with 0.
    for on, victim_code, write in ((True, 7, "ZX_OK"), (False, 0, "ZX_ERR_NOT_SUPPORTED")):
        with capsim.System(debugging_syscalls=on) as s:
            monitor = s.spawn(test_app("app_image_memory"))
            s.run()
            victim = [p for p in s.processes() if p.koid != monitor.koid][0]
            assert victim.return_code == victim_code, monitor.output
            assert "write the victim's flag: %s" % write in monitor.output
    with pytest.raises(capsim.CapsimError):
        capsim.System(debugging_syscalls="yes")


def test_an_apps_locale_is_neither_pythons_nor_another_apps(system, test_app):
    """Python keeps its own locale (its LC_CTYPE is the environment's, or
    C.UTF-8) while an app sets C.UTF-8; another app still starts in C."""
    import locale
    before = locale.setlocale(locale.LC_ALL)
    app = test_app("app_libc_state")
    setter = system.spawn(app, args=["locale-set"])
    plain = system.spawn(app, args=["locale-plain"])
    system.run()
    assert locale.setlocale(locale.LC_ALL) == before
    assert setter.output.startswith("set C.UTF-8\n"
                                    "set, after the others ran: LC_ALL C.UTF-8, MB_CUR_MAX 6\n")
    assert plain.output == "plain: LC_ALL C, MB_CUR_MAX 1\n"


def test_trace_filters_by_process_name_and_refuses_unknown_kinds(system, test_app):
    counter = system.spawn(test_app("app_counter"), args=["1"], name="counter")
    system.run()
    by_name = system.trace(process="counter")
    assert by_name and by_name == system.trace(process=counter)
    assert by_name == system.trace(process=counter.koid)
    with pytest.raises(capsim.CapsimError, match="no process 'nobody'"):
        system.trace(process="nobody")
    with pytest.raises(capsim.CapsimValueError, match=r"unknown trace kind 'handle_sent'"):
        system.trace(kind="handle_sent")


def test_object_takes_a_koid(system):
    for koid in ("abc", -5, 1 << 70, 2.0):
        with pytest.raises(capsim.CapsimValueError, match="a koid is an integer"):
            system.object(koid)
    with pytest.raises(capsim.CapsimError, match="no live object has koid 99999"):
        system.object(99999)


def _type_misuses(s, tmp_path):
    """Calls that give a name or path of the wrong type, each with the
    argument its TypeError must name."""
    from capsim import scenario
    return [
        (lambda: s.spawn(5), "app name or path"),
        (lambda: s.spawn("vmo_client", name=5), "spawn: name"),
        (lambda: s.app(["vmo_client"]), "app name or path"),
        (lambda: s.vmo(b"x", name=3), "vmo: name"),
        (lambda: s.job(name=b"sandbox"), "job: name"),
        (lambda: s.add_package(3), "package archive name or path"),
        (lambda: s.put_data(3, b"x"), "put_data: path"),
        (lambda: s.environment(3), "environment: name"),
        (lambda: s.launch(3), "launch: package"),
        (lambda: s.plan(None), "plan: package"),
        (lambda: s.process(1.5), "a process"),
        (lambda: s.trace(kind=3), "trace kind"),
        (lambda: s.steps(process=b"client"), "a process"),
        (lambda: capsim.Syscall(3), "Syscall: name"),
        (lambda: capsim.System(trace_path=7), "System: trace_path"),
        (lambda: capsim.build_package(7, {}), "build_package: path"),
        (lambda: capsim.build_package(str(tmp_path / "p.far"), {7: b""}),
         "build_package: an archive name"),
        (lambda: scenario.load(7), "scenario name or path"),
        (lambda: s.snapshot().to_json(label=7), "to_json: label"),
        (lambda: s.snapshot().render(title=7), "render: title"),
        (lambda: s.snapshot().save(7), "save: path"),
    ]


def test_names_and_paths_of_the_wrong_type_raise_type_error(tmp_path):
    with capsim.System(seed=1) as s:
        for call, what in _type_misuses(s, tmp_path):
            with pytest.raises(TypeError) as e:
                call()
            assert str(e.value).startswith("ZX_ERR_INVALID_ARGS: " + what + " must be "), \
                (what, str(e.value))
            assert isinstance(e.value, capsim.CapsimTypeError)
            assert isinstance(e.value, capsim.CapsimValueError)   # a bad argument, as before
        assert s.processes() == []                  # nothing was spawned on the way


def test_paths_may_be_path_objects(tmp_path):
    import pathlib
    with capsim.System(seed=1) as s:
        p = s.spawn(pathlib.Path(s.app("vmo_client")), name="client")
        s.run()
        assert p.end == "exited"
        s.snapshot().save(tmp_path / "g.dot")
        assert (tmp_path / "g.dot").read_text().startswith("digraph")


def test_an_unknown_process_is_a_lookup_error_listing_the_known_ones():
    with capsim.System(seed=1) as s:
        with pytest.raises(LookupError, match=r"no process 'nobody' in this system "
                           r"\(no process has run yet\)"):
            s.steps(process="nobody")
        a, b = s.channel()
        server = s.spawn("secret_server", handles=[a], name="server")
        client = s.spawn("vmo_client", handles=[b], name="client")
        s.run()
        known = r"\(known: server \(koid %d\), client \(koid %d\)\)" % (server.koid, client.koid)
        for call, which in ((lambda: s.steps(process="nobody"), "'nobody'"),
                            (lambda: s.steps(process=99999), "99999"),
                            (lambda: s.trace(process="nobody"), "'nobody'"),
                            (lambda: s.process("nobody"), "'nobody'")):
            with pytest.raises(capsim.CapsimLookupError,
                               match="no process %s in this system %s" % (which, known)) as e:
                call()
            assert e.value.status_name == "ZX_ERR_NOT_FOUND"
        mine = s.steps(process="client")
        assert mine and mine == s.steps(process=client) == s.steps(process=client.koid)
        assert "vmo_write" in mine and "secret_server" not in mine
        with capsim.System(seed=1) as other:
            with pytest.raises(capsim.CapsimValueError, match="belongs to another System"):
                other.steps(process=client)


def _mappings():
    with open("/proc/self/maps") as f:
        return sum(1 for _ in f)


def test_systems_closed_with_a_live_process_leave_no_app_copy_loaded():
    import gc
    import os

    def one(close):
        s = capsim.System(seed=1)
        a, _ = s.channel()
        server = s.spawn("secret_server", handles=[a], name="server")
        assert s.run().status == "deadlock"        # it waits for a request, in its copy
        assert server.alive and capsim.loaded_app_copies() == copies + 1
        if close:
            s.close()                              # else dropped: garbage-collected

    copies = capsim.loaded_app_copies()
    one(True)
    one(False)
    gc.collect()
    assert capsim.loaded_app_copies() == copies
    mappings = _mappings()
    for i in range(300):
        one(i % 2 == 0)
    gc.collect()
    assert capsim.loaded_app_copies() == copies
    if "address" in os.environ.get("CAPSIM_SANITIZE", ""):
        return  # ASan builds keep such copies mapped (README, "Determinism")
    # Without the unload, each system left its copy's ~5 mappings behind.
    assert _mappings() - mappings < 50, "mappings grew from %d to %d" % (mappings, _mappings())
