"""capsim.files — writing a result file whole or not at all.

Explore results, schedules, JUnit reports, step listings and graphs are
written when a run (or thousands of them) is over; a script or CI job
reads them next. A full disk or an interrupted write must not leave a
truncated file that parses as something else, nor destroy the previous
good one: the text goes to a hidden temporary file beside the target,
which then replaces it in one rename. A target that is not a regular file
(/dev/stdout, a FIFO, /dev/full) cannot be replaced: it is written
directly. Any failure raises OSError naming the file and the reason, and
leaves no temporary file behind. New files get the usual permissions
(0666 minus the umask), a replaced file keeps its own, and a symbolic
link stays a link (the file it points to is replaced). The C library's
files are written the same way (viz/viz_file.c).
"""
import os
import stat
import tempfile


def _mode_for(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


class WriteError(OSError):
    """A result file that could not be written: 'PATH: cannot write: why'."""

    def __str__(self):
        return self.strerror


def write_whole(path, data):
    """Write `data` (str: UTF-8, or bytes) to `path` whole or not at all;
    WriteError (an OSError) naming the file when that fails."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = os.fspath(path)
    try:
        _write(path, data)
    except OSError as e:
        raise WriteError(e.errno, "%s: cannot write: %s" % (
            os.fsdecode(path), e.strerror or e), path) from None


def _write(path, data):
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, "wb") as f:       # a device or a pipe: no rename possible
            f.write(data)
        return
    if os.path.exists(path):
        path = os.path.realpath(path)     # a symbolic link stays one
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".%s." % os.path.basename(path),
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
