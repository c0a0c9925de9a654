"""capsim._text — how the names, paths and texts a script passes reach the
C side: the one place their type is checked.

Every argument that is a name (a process, object, environment or package
name, a format, a syscall), a path (an app, a package archive, a file to
write) or a text (rules, a title) goes through name(), path() or encode()
before it is used. Anything else than a str (or, for paths, an
os.PathLike) raises CapsimTypeError, a TypeError that names the call, the
argument and what was given, instead of an AttributeError from deep
inside. Numbers are never names here: where a koid is also accepted
(System.process, Graph.node), the caller decides before calling these.
"""
import os

from .errors import CapsimTypeError


def _refuse(value, what, expected):
    raise CapsimTypeError("%s must be %s, not %s: %r"
                          % (what, expected, type(value).__name__, value))


def name(value, what, expected="a str"):
    """`value` if it is a str; CapsimTypeError naming `what` (e.g.
    "spawn: name") and what it `expected` otherwise."""
    if not isinstance(value, str):
        _refuse(value, what, expected)
    return value


def path(value, what):
    """A path as str: a str, or an os.PathLike naming one (pathlib.Path)."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        _refuse(value, what, "a str or a path (os.PathLike)")
    return value


def encode(value, what, optional=False):
    """A name or text as the UTF-8 bytes C reads. With optional, None and
    "" give NULL (the C side's "none")."""
    if optional and (value is None or value == ""):
        from ._ffi import ffi
        return ffi.NULL
    return name(value, what).encode()


def encode_path(value, what):
    """A path as the bytes the host's file calls take."""
    return os.fsencode(path(value, what))
