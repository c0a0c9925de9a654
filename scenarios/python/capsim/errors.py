"""capsim.errors — the exceptions the package raises.

Every failure the C side reports comes back as a CapsimError carrying the
Zircon status (its number and name, e.g. ZX_ERR_BAD_HANDLE) and the C side's
message, which names the file, handle or object and the problem. Misuse of
the Python API itself (a closed system, a bad seed) raises CapsimError too,
with status ZX_ERR_BAD_STATE or ZX_ERR_INVALID_ARGS, or the usual Python
exceptions (FileNotFoundError for a missing app file, TypeError...).
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
    ZX_ERR_INVALID_ARGS)."""
    name = status_name(status)
    cls = CapsimValueError if name == "ZX_ERR_INVALID_ARGS" else CapsimError
    raise cls(int(status), name, message)


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


def fail(name, message):
    """Raise CapsimError for a status given by name ("ZX_ERR_BAD_STATE")."""
    from . import zx
    status = zx.CONSTANTS[name]
    if name == "ZX_ERR_INVALID_ARGS":
        raise CapsimValueError(status, name, message)
    raise CapsimError(status, name, message)
