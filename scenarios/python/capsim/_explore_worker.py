"""capsim._explore_worker — one worker process of `capsim.explore`:
`python3 -m capsim._explore_worker` reads runs to do, one JSON line each
on stdin, and answers each with its outcome, one JSON line on stdout
(capsim/explore.py starts it and says why workers are separate
interpreters)."""
from .explore import _worker_main

if __name__ == "__main__":
    _worker_main()
