"""capsim._paths — where capsim's files are: the library, the flat headers,
the scenario apps, packages and scenario library.

Search order for each: an environment variable (for running from a build
tree: the test suite and `capsim` run from its build directory set them),
then the installed location meson recorded in _build_config.py at install
time, then the source tree this package sits in (scenarios/python/capsim).

  CAPSIM_LIB        path of libcapsim.so.0
  CAPSIM_HEADERS    folder holding capsim_host.h and capsim_script.h
  CAPSIM_APPS       folders (os.pathsep-separated) holding app .so files
  CAPSIM_PACKAGES   folders holding package archives (.far)
  CAPSIM_SCENARIOS  folders holding scenario scripts: NAME.py, or NAME/scenario.py
                    beside its actors (the attack library's layout)
"""
import os

from . import _text

_HERE = os.path.dirname(os.path.abspath(__file__))
_SOURCE_ROOT = os.path.normpath(os.path.join(_HERE, "..", "..", ".."))

try:
    from . import _build_config as _cfg
except ImportError:  # running from the source tree
    _cfg = None


def _env_dirs(var):
    value = os.environ.get(var, "")
    return [d for d in value.split(os.pathsep) if d]


def library_candidates():
    out = []
    if os.environ.get("CAPSIM_LIB"):
        out.append(os.environ["CAPSIM_LIB"])
    if _cfg is not None:
        out.append(os.path.join(_cfg.LIBDIR, "libcapsim.so.0"))
    out.append("libcapsim.so.0")
    return out


def header(name):
    dirs = _env_dirs("CAPSIM_HEADERS") + [os.path.join(_HERE, "_headers"),
                                          os.path.join(_SOURCE_ROOT, "scenarios", "host")]
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            return path
    raise ImportError("capsim: cannot find the header %s (looked in %s)"
                      % (name, ", ".join(dirs)))


def _installed(sub):
    return [os.path.join(_cfg.DATADIR, "capsim", sub)] if _cfg is not None else []


def app_dirs():
    return _env_dirs("CAPSIM_APPS") + _installed("apps")


def package_dirs():
    return _env_dirs("CAPSIM_PACKAGES") + _installed("packages")


def scenario_dirs():
    dirs = (_env_dirs("CAPSIM_SCENARIOS") + _installed("scenarios")
            + [os.path.join(_SOURCE_ROOT, "scenarios", "library")])
    unique = []
    for d in dirs:
        if os.path.normpath(d) not in [os.path.normpath(u) for u in unique]:
            unique.append(d)
    return unique


def _find(name, dirs, suffix, what, var, nested=None, beside=None):
    """`name` as a path, else (a bare name) in the current folder, beside
    `beside` (a script's folder: its own files), then in `dirs`."""
    name = _text.path(name, "%s name or path" % what)
    if beside and os.sep not in name and not os.path.isfile(name):
        near = os.path.join(beside, name)
        if os.path.isfile(near):
            return near
    if os.sep in name or os.path.isfile(name):
        if os.path.isfile(name):
            return os.path.abspath(name)
        if os.path.isdir(name):
            raise FileNotFoundError("%s: a directory, not a%s %s file"
                                    % (name, "n" if what[0] in "aeiou" else "", what))
        raise FileNotFoundError("%s: no such %s" % (name, what))
    names = [name] if name.endswith(suffix) else [name + suffix, name]
    if nested:
        names.append(os.path.join(name, nested))
    for d in dirs:
        for n in names:
            path = os.path.join(d, n)
            if os.path.isfile(path):
                return path
    where = ["the current folder"] + (["beside the scenario (%s)" % beside] if beside else [])
    raise FileNotFoundError("%s: no such %s (looked in %s)"
                            % (name, what, ", ".join(where + (dirs or ["no folder: set " + var]))))


def find_app(name, beside=None):
    """An app .so by path, or by name: in the current folder, beside a
    scenario (`beside`, its folder), in the app folders."""
    return _find(name, app_dirs(), ".so", "app", "CAPSIM_APPS", beside=beside)


def find_package(name):
    return _find(name, package_dirs(), ".far", "package archive", "CAPSIM_PACKAGES")


SCENARIO_IN_FOLDER = "scenario.py"


def find_scenario(name):
    """A scenario script by path, or by name: NAME.py or NAME/scenario.py in
    the scenario folders."""
    return _find(name, scenario_dirs(), ".py", "scenario", "CAPSIM_SCENARIOS",
                 nested=SCENARIO_IN_FOLDER)
