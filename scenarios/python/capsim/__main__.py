"""`python3 -m capsim ...` is `python3 -m capsim.cli ...`."""
import sys

from .cli import main

sys.exit(main())
