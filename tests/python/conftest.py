"""Shared fixtures of the Python tests (tests/python).

meson runs pytest with the environment pointing at the build tree
(tests/python/meson.build): CAPSIM_LIB, CAPSIM_APPS, CAPSIM_PACKAGES,
CAPSIM_SCENARIOS, PYTHONPATH, plus CAPSIM_TEST_APPS (tests/apps' apps) and
CAPSIM_EXE (the capsim binary).
"""
import os

import pytest

import capsim


def _need(var):
    value = os.environ.get(var)
    if not value:
        pytest.fail("%s is not set: run the Python tests through `meson test`" % var)
    return value


@pytest.fixture
def test_app():
    """Path of an app built by tests/apps: test_app('app_counter')."""
    folder = _need("CAPSIM_TEST_APPS")

    def find(name):
        path = os.path.join(folder, name + ".so")
        assert os.path.isfile(path), path
        return path
    return find


@pytest.fixture
def capsim_exe():
    return _need("CAPSIM_EXE")


@pytest.fixture
def system():
    s = capsim.System(seed=7)
    yield s
    s.close()
