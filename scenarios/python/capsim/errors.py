"""capsim.errors — the exceptions the package raises.

Every failure the C side reports comes back as a CapsimError carrying the
Zircon status (its number and name, e.g. ZX_ERR_BAD_HANDLE) and the C side's
message, which names the file, handle or object and the problem. Misuse of
the Python API itself (a closed system, a bad seed) raises CapsimError too,
with status ZX_ERR_BAD_STATE or ZX_ERR_INVALID_ARGS, or the usual Python
exceptions (FileNotFoundError for a missing app file). The subclasses are
also the Python exception a script expects: CapsimValueError (bad
argument) a ValueError, CapsimTypeError (a name or path that is not a str)
a TypeError, CapsimLookupError (an unknown process, node...) a LookupError.
"""


class CapsimError(Exception):
    """A failure reported by capsim: `status` (int), `status_name`, `message`."""

    def __init__(self, status, status_name, message):
        self.status = status
        self.status_name = status_name
        self.message = message
        super().__init__("%s: %s" % (status_name, message))


def status_name(status):
    from ._ffi import lib, string
    return string(lib().capsim_status_name(int(status)))


def raise_status(status, message):
    """Raise CapsimError for a zx_status_t (CapsimValueError for
    ZX_ERR_INVALID_ARGS, CapsimLookupError for ZX_ERR_NOT_FOUND)."""
    name = status_name(status)
    raise _CLASSES.get(name, CapsimError)(int(status), name, message)


def check(sysptr, status, what=""):
    """Raise if a C call returned a negative status; returns it otherwise."""
    if status < 0:
        from ._ffi import lib, string
        msg = string(lib().capsim_last_error(sysptr)) if sysptr is not None else ""
        if what and msg:
            msg = "%s: %s" % (what, msg)
        raise_status(status, msg or what or "failed")
    return status


class CapsimValueError(CapsimError, ValueError):
    """A bad argument (status ZX_ERR_INVALID_ARGS); also a ValueError."""


class CapsimTypeError(CapsimValueError, TypeError):
    """An argument of the wrong type (a name that is not a str...): a
    TypeError, and, as every bad argument, a CapsimValueError with status
    ZX_ERR_INVALID_ARGS."""

    def __init__(self, message):
        from . import zx
        super().__init__(zx.CONSTANTS["ZX_ERR_INVALID_ARGS"], "ZX_ERR_INVALID_ARGS", message)


class CapsimLookupError(CapsimError, LookupError):
    """Something named that does not exist (status ZX_ERR_NOT_FOUND: an
    unknown process, node or object); also a LookupError."""


_CLASSES = {"ZX_ERR_INVALID_ARGS": CapsimValueError, "ZX_ERR_NOT_FOUND": CapsimLookupError}


def fail(name, message):
    """Raise CapsimError for a status given by name ("ZX_ERR_BAD_STATE")."""
    from . import zx
    raise _CLASSES.get(name, CapsimError)(zx.CONSTANTS[name], name, message)
