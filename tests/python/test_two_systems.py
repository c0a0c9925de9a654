"""Two systems alive in one interpreter: a Handle, Process or job of one is
refused by the other's API. Host handle values and koids are the same in
two systems of one seed, so without the check one system would silently act
on its own, unrelated handle or process of the same number. Their
processes share the host's address space (docs/python.md): an address a
run prints is the same as alone once the other system is closed."""
import os

import pytest

import capsim
from capsim import scenario as sc_mod


@pytest.fixture
def pair():
    one, two = capsim.System(seed=1), capsim.System(seed=1)
    yield one, two
    one.close()
    two.close()


def test_a_handle_of_another_system_is_refused_and_not_spent(pair):
    one, two = pair
    a1, b1 = one.channel()
    a2, b2 = two.channel()
    assert (a1.value, b1.value) == (a2.value, b2.value)    # same numbers, other objects
    with pytest.raises(capsim.CapsimValueError, match="belongs to another System"):
        two.spawn("vmo_client", handles=[b1])
    assert b1.spent is None and b2.spent is None
    assert len(two.host_handles()) == 2 and len(one.host_handles()) == 2
    with pytest.raises(capsim.CapsimValueError, match="belongs to another System"):
        b2.write(b"GET", handles=[a1])
    assert a1.spent is None
    with pytest.raises(capsim.CapsimValueError, match="belongs to another System"):
        two.spawn("vmo_client", job=one.job("elsewhere"))


def test_a_process_of_another_system_is_refused_by_graphs_and_events(pair):
    one, two = pair
    a1, b1 = one.channel()
    a2, b2 = two.channel()
    theirs = one.spawn("secret_server", handles=[a1], name="server")
    two.spawn("vmo_client", handles=[b2], name="client")    # same koid as theirs
    two.spawn("secret_server", handles=[a2], name="server")
    g = two.snapshot()
    assert g.node(theirs.koid).name == "client"
    for call in (lambda: g.reach(theirs), lambda: g.node(theirs),
                 lambda: g.can(theirs, "process:server"), lambda: g.who_can(theirs)):
        with pytest.raises(capsim.CapsimValueError, match="belongs to another System"):
            call()
    with pytest.raises(capsim.CapsimValueError, match="belongs to another System"):
        two.run(until=capsim.Syscall("channel_write", process=theirs))
    with pytest.raises(capsim.CapsimValueError, match="belongs to another System"):
        two.trace(process=theirs)


@pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                    reason="heap_peek needs the process heap, not ASan's malloc")
def test_addresses_depend_on_other_live_systems_until_they_close():
    sc = sc_mod.load("heap_peek")           # its monitor prints where it found the secret
    alone = sc.run("vulnerable", seed=3)
    kept = sc.run("vulnerable", seed=3, keep=True)
    try:
        assert kept.trace_hash == alone.trace_hash
        beside = sc.run("vulnerable", seed=3)
        assert beside.trace_hash != alone.trace_hash
    finally:
        kept.run.system.close()
    assert sc.run("vulnerable", seed=3).trace_hash == alone.trace_hash
