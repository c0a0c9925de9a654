"""packages.py — build package archives (Fuchsia's FAR format) from a
script. A package holds bin/app (an app .so, or a built-in program's
marker), data files and meta/sandbox; the C library writes the archive
(model/sandbox/package.c), so the bytes are exactly what `capsim far
create` would write.

    capsim.build_package("viewer.far", {
        "bin/app": pathlib.Path("viewer.so"),     # a file to read
        "data/cursor32.png": b"...",               # bytes
    }, sandbox={"dev": ["class/framebuffer"]})     # meta/sandbox as JSON
"""
import json
import os

import cffi

from . import _paths, _text
from .errors import fail

_ffi = cffi.FFI()
_ffi.cdef("""
typedef struct PackageFile { const char *name; const void *data; size_t len; } PackageFile;
bool package_build_file(const char *path, const PackageFile *files, size_t n, char **error);
void free(void *p);
""")
_lib = None


def _load():
    global _lib
    if _lib is None:
        for candidate in _paths.library_candidates():
            try:
                _lib = _ffi.dlopen(candidate)
                break
            except OSError:
                continue
        if _lib is None:
            raise ImportError("capsim: cannot load libcapsim (set CAPSIM_LIB)")
    return _lib


def _content(name, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, os.PathLike):
        with open(value, "rb") as f:
            return f.read()
    fail("ZX_ERR_INVALID_ARGS", "package entry %r: expected bytes, str or a path, not %s"
         % (name, type(value).__name__))


def build_package(path, files, sandbox=None):
    """Write the archive at `path` from {archive name: bytes | str | path};
    `sandbox` (a dict, or JSON text) becomes meta/sandbox. Returns `path`.
    Bad names or contents raise CapsimValueError naming the problem."""
    cpath = _text.encode_path(path, "build_package: path")
    entries = {_text.name(name, "build_package: an archive name"): _content(name, value)
               for name, value in dict(files).items()}
    if sandbox is not None:
        text = sandbox if isinstance(sandbox, str) else json.dumps(sandbox, sort_keys=True)
        entries["meta/sandbox"] = text.encode()
    lib = _load()
    names = [_ffi.new("char[]", n.encode()) for n in sorted(entries)]
    datas = [_ffi.from_buffer(entries[n]) for n in sorted(entries)]
    arr = _ffi.new("PackageFile[]", max(len(entries), 1))
    for i, n in enumerate(sorted(entries)):
        arr[i].name = names[i]
        arr[i].data = datas[i]
        arr[i].len = len(entries[n])
    err = _ffi.new("char **")
    if not lib.package_build_file(cpath, arr, len(entries), err):
        msg = _ffi.string(err[0]).decode(errors="replace") if err[0] else "cannot build"
        if err[0]:
            lib.free(err[0])
        fail("ZX_ERR_INVALID_ARGS", "%s: %s" % (os.fspath(path), msg))
    return path
