"""capsim.outputs — the files the scripting commands write (graphs,
traces, JUnit reports, explore results, schedules), checked before a run
starts: an exploration of thousands of seeds must not end in a traceback
because its results file cannot be written, and a run's verdicts must not
be lost to a graph with an unknown extension. A path is usable when it is
not a folder, its folder exists and the file can be written there. Also
stdout itself: under --json it carries the JSON document alone.
"""
import contextlib
import os
import sys

from .graph import save_format


def output_problem(path):
    """Why `path` cannot be written, or None."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return "is a folder"
    if not os.path.isdir(folder):
        return "no such folder %s" % folder
    if os.path.exists(path):
        return None if os.access(path, os.W_OK) else "not writable"
    return None if os.access(folder, os.W_OK | os.X_OK) else "cannot write in %s" % folder


def check_output(path, option):
    """ValueError naming `option` and `path` unless `path` (if given) can be
    written; a --graph path must also name a format by its extension."""
    if not path:
        return
    problem = "stdout carries this command's own output; name a file" if path == "-" \
        else output_problem(path)
    if problem:
        raise ValueError("%s %s: %s" % (option, path, problem))
    if option == "--graph":
        try:
            save_format(path)
        except ValueError as e:
            raise ValueError("%s %s" % (option, e.message))


def json_alone(json_wanted, command, args):
    """Run command(args, document), `document` being where its JSON goes.
    With json_wanted, stdout carries that JSON and nothing else: all the
    command (or a scenario's own code) prints otherwise goes to stderr."""
    if not json_wanted:
        return command(args, sys.stdout)
    document = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        return command(args, document)
