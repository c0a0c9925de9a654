"""capsim._ffi — the C side: cffi (ABI mode) over the flat host API.

The declarations are the flat headers themselves (capsim_host.h and
capsim_script.h), read at import time with the preprocessor lines removed;
the library is libcapsim.so.0, found through the CAPSIM_LIB environment
variable (a file path), then next to the installed package (the libdir meson
recorded in _build_config), then the dynamic loader's search path. Nothing is
compiled at install time.

Everything here is private; the public API is in system.py and graph.py.
"""
import os
import re

import cffi

from . import _paths

ffi = cffi.FFI()
_lib = None

_HEADERS = ("capsim_host.h", "capsim_script.h")


def _clean(text):
    """A flat header as cdef text: no preprocessor lines except integer
    #defines, no extern "C" wrapper."""
    text = re.sub(r'#ifdef __cplusplus\s*extern "C" \{\s*#endif', "", text)
    text = re.sub(r"#ifdef __cplusplus\s*\}\s*#endif", "", text)
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            m = re.match(r"#\s*define\s+(CAPSIM_\w+)\s+(-?\d+)\s*$", stripped)
            if m:
                out.append("#define %s %s" % (m.group(1), m.group(2)))
            continue
        out.append(line)
    return "\n".join(out)


def _declare():
    for name in _HEADERS:
        path = _paths.header(name)
        with open(path, encoding="utf-8") as f:
            ffi.cdef(_clean(f.read()), override=True)


_declare()


def lib():
    """The loaded library (loaded on first use)."""
    global _lib
    if _lib is None:
        errors = []
        for candidate in _paths.library_candidates():
            try:
                _lib = ffi.dlopen(candidate)
                break
            except OSError as e:
                errors.append("%s: %s" % (candidate, e))
        if _lib is None:
            raise ImportError(
                "capsim: cannot load libcapsim (set CAPSIM_LIB to the path of "
                "libcapsim.so.0, or install capsim with `bash setup.sh`):\n  "
                + "\n  ".join(errors))
    return _lib


def string(p):
    """A C string as str ("" for NULL)."""
    if p == ffi.NULL:
        return ""
    return ffi.string(p).decode("utf-8", "replace")


def take_string(p):
    """A malloc'd C string as str; frees it."""
    if p == ffi.NULL:
        return None
    try:
        return ffi.string(p).decode("utf-8", "replace")
    finally:
        lib().capsim_free(p)


def take_bytes(p, n):
    if p == ffi.NULL:
        return None
    try:
        return bytes(ffi.buffer(p, n))
    finally:
        lib().capsim_free(p)
